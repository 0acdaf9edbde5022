"""The organisation form: kind, names, place in the master list, contact, notes."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.municipalities import by_code
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.organizations import PUBLIC_BODIES, OrganizationDraft
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.vocabulary import MatchingKind, OrganizationKind
from kankei_desktop.ui.pages.matchings.panel import MatchingsPanel
from kankei_desktop.ui.pages.record_editor import RecordEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.pickers import municipality_label, search_municipalities
from kankei_desktop.ui.widgets.record_picker import RecordPicker


class OrganizationEditor(RecordEditor):
    """Detail pane of the organisations page."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._lgcode: str | None = None
        self._website = ""
        self._location_id: uuid.UUID | None = None
        self._location_code: str | None = None  # from the national list, made when saved
        form = self.form
        self.kind = form.add_field("kind", _("Kind"), VocabularyCombo(OrganizationKind))
        self.municipality = form.add_field(
            "lgcode", _("Municipality"),
            RecordPicker(search_municipalities, _("Type a name, e.g. 鷹栖, or a code")),
        )
        self.municipality.setToolTip(_(
            "For a municipality: choose it from the national list. For other organisations: "
            "the municipality where it is located."))
        self.name = form.add_field("name", _("Organisation name"), QLineEdit())
        self.reading = form.add_field("reading", _("Reading (kana)"), QLineEdit())
        self.corporate_number = form.add_field(
            "corporate_number", _("Corporate number"), QLineEdit())
        self.postal_code = form.add_field("postal_code", _("Postal code"), QLineEdit())
        self.address = form.add_field("address", _("Address"), QLineEdit())
        self.phone = form.add_field("phone", _("Phone"), QLineEdit())
        self.email = form.add_field("email", _("E-mail"), QLineEdit())
        self.contact_person = form.add_field("contact_person", _("Contact person"), QLineEdit())
        self.notes = form.add_field("notes", _("Notes"), QPlainTextEdit())
        self.notes.setFixedHeight(90)
        self.add_tags_field(services, "organization")
        self.body_layout.addStretch(1)
        self.related = QLabel()
        self.related.setWordWrap(True)
        form.add_row(_("People and clubs"), self.related)
        self.matchings = MatchingsPanel(
            services, lambda org: services.matchings.views(
                services.matchings.find(organization_id=org)), self._matching_preset)
        form.add_row(_("Matchings"), self.matchings)
        self.municipality.chosen.connect(self._on_municipality_chosen)
        self.add_history(services, "organization")
        self.kind.currentIndexChanged.connect(self._on_kind_changed)

    def _is_public_body(self) -> bool:
        return self.kind.code() in PUBLIC_BODIES

    def _on_kind_changed(self, _index: int) -> None:
        self.municipality.setPlaceholderText(
            _("Choose the municipality from the national list (type 鷹栖)")
            if self._is_public_body() else _("Where it is located (optional)"))

    def _on_municipality_chosen(self, code: Hashable | None) -> None:
        if code is None:
            self._lgcode = None
            self._location_id = None
            self._location_code = None
            return
        entry = by_code(str(code))
        if entry is None:
            return
        if self._is_public_body():
            if self.record_id is None:
                # The master list knows this body: create it from there, with its code (an
                # explicit choice, undoable like a save).
                try:
                    with self._services.context.action(
                            _("Add {name}").format(name=entry.full_name)):
                        row = self._services.organizations.ensure_municipality(entry.code)
                except KankeiError as exc:
                    self.form.general_error.show_message(exc.message)
                    return
                self.load(row.id)
                self.saved.emit(row.id)
                return
            self._lgcode = entry.code
            if not self.name.text().strip():
                self.name.setText(entry.full_name)
            if not self.reading.text().strip():
                self.reading.setText(entry.full_reading)
            return
        found = self._services.organizations.find_by_lgcode(entry.code)
        self._location_id = found.id if found is not None else None
        self._location_code = None if found is not None else entry.code

    def _check_pickers(self) -> list[tuple[str, str]]:
        if self.municipality.has_unmatched_text():
            return [("lgcode", _("Choose the municipality from the list that opens while you "
                                 "type, or clear the field."))]
        return []

    def _draft(self) -> OrganizationDraft:
        public = self._is_public_body()
        return OrganizationDraft(
            kind=self.kind.code(),
            name=self.name.text(),
            reading=self.reading.text(),
            lgcode=self._lgcode if public else None,
            corporate_number=self.corporate_number.text() or None,
            postal_code=self.postal_code.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            contact_person=self.contact_person.text(),
            municipality_id=None if public else self._location_id,
            notes=self.notes.toPlainText(),
            website=self._website,
        )

    def _fill(self, record_id: uuid.UUID | None) -> OrganizationDraft:
        if record_id is None:
            draft = OrganizationDraft(kind=OrganizationKind.COMPANY.value, name="")
            self.heading.setText(_("New organisation"))
            self.related.setText("")
        else:
            row = self._services.organizations.get(record_id, include_deleted=True)
            draft = OrganizationDraft.of(row)
            self.heading.setText(row.name)
            self.related.setText(self._related_text(record_id))
        self._website = draft.website
        self._lgcode = draft.lgcode
        self._location_id = draft.municipality_id
        self._location_code = None
        self.kind.set_code(draft.kind)
        self.name.setText(draft.name)
        self.reading.setText(draft.reading)
        self.corporate_number.setText(draft.corporate_number or "")
        self.postal_code.setText(draft.postal_code)
        self.address.setText(draft.address)
        self.phone.setText(draft.phone)
        self.email.setText(draft.email)
        self.contact_person.setText(draft.contact_person)
        self.notes.setPlainText(draft.notes)
        self._show_municipality(draft)
        self.matchings.load(record_id)
        return self._draft()

    def _show_municipality(self, draft: OrganizationDraft) -> None:
        if draft.lgcode:
            entry = by_code(draft.lgcode)
            label = municipality_label(entry.full_name if entry else draft.name, draft.lgcode)
            self.municipality.set_value(draft.lgcode, label)
        elif draft.municipality_id is not None:
            names = self._services.organizations.names({draft.municipality_id})
            self.municipality.set_value(
                draft.municipality_id, names.get(draft.municipality_id, ""))
        else:
            self.municipality.set_value(None)

    def _matching_preset(self, record_id: uuid.UUID) -> MatchingDraft:
        """A public body hosts; another organisation is matched (e.g. a 連携協定)."""
        if self._services.organizations.get(record_id).kind in PUBLIC_BODIES:
            return MatchingDraft(host_id=record_id)
        return MatchingDraft(kind=MatchingKind.AGREEMENT.value, organization_id=record_id)

    def _related_text(self, record_id: uuid.UUID) -> str:
        people = self._services.people.find(organization_id=record_id, limit=20)
        clubs = self._services.clubs.find(host_municipality_id=record_id, limit=20)
        parts = []
        if people:
            parts.append(_("People: {names}").format(
                names="、".join(person_name(row) for row in people)))
        if clubs:
            parts.append(_("Clubs hosted: {names}").format(
                names="、".join(row.name for row in clubs)))
        return "\n".join(parts) or _("No people or clubs linked yet.")

    def _record_service(self) -> Any:
        return self._services.organizations

    def is_dirty(self) -> bool:
        """The form changed (a location chosen from the national list counts)."""
        return super().is_dirty() or (not self.read_only and self._location_code is not None)

    def _save(self, record_id: uuid.UUID | None, draft: OrganizationDraft) -> uuid.UUID:
        if self._location_code is not None and not self._is_public_body():
            draft.municipality_id = self._services.organizations.ensure_municipality(
                self._location_code).id
        return super()._save(record_id, draft)
