"""The matching form: kind, status, the party (a person or an organisation), the host, where
it came from (club, session), dates, theme and notes (issue 17)."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QStackedWidget,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.matchings import MatchingDraft, MatchingService
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.vocabulary import MatchingKind, MatchingStatus
from kankei_desktop.ui.pages.record_editor import RecordEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit
from kankei_desktop.ui.widgets.pickers import (
    PICKER_LIMIT,
    municipality_label,
    organization_label,
    organization_search,
    person_search,
)
from kankei_desktop.ui.widgets.record_picker import RecordPicker, SearchFunction

SESSIONS_OFFERED = 200


def host_search(services: Services) -> SearchFunction:
    """The file's organisations, then the public bodies of the master list not yet in it
    (a code as key: chosen, it is added to the file)."""
    def search(text: str) -> list[tuple[Hashable, str]]:
        rows = services.organizations.find(text, limit=PICKER_LIMIT)
        found: list[tuple[Hashable, str]] = [
            (row.id, organization_label(row.name, row.kind)) for row in rows]
        codes = {row.lgcode for row in rows if row.lgcode}
        for entry in municipalities.search(text, PICKER_LIMIT):
            if entry.code not in codes:
                found.append((entry.code, municipality_label(entry.full_name, entry.code)))
        return found[:PICKER_LIMIT]

    return search


class MatchingEditor(RecordEditor):
    """Detail pane of the matching page (and the body of the matching dialog)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host_id: uuid.UUID | None = None
        self.preset = MatchingDraft()
        form = self.form
        self.kind = form.add_field("kind", _("Matching kind"), VocabularyCombo(MatchingKind))
        self.status = form.add_field("status", _("Status"), VocabularyCombo(MatchingStatus))
        party_box = QWidget()
        party_row = QHBoxLayout(party_box)
        party_row.setContentsMargins(0, 0, 0, 0)
        self.is_person = QRadioButton(_("A person"))
        self.is_organization = QRadioButton(_("An organisation"))
        self.is_person.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.is_person)
        group.addButton(self.is_organization)
        party_row.addWidget(self.is_person)
        party_row.addWidget(self.is_organization)
        party_row.addStretch(1)
        form.add_field("party", _("Matched"), party_box)
        self.party_stack = QStackedWidget()
        self.person = RecordPicker(person_search(services), _("Type part of a name"))
        self.organization = RecordPicker(organization_search(services),
                                         _("Type part of the organisation's name"))
        self.party_stack.addWidget(self.person)
        self.party_stack.addWidget(self.organization)
        self.party_stack.setFixedHeight(self.person.sizeHint().height())
        form.add_field("person_id", _("Person or organisation"), self.party_stack)
        form.errors["organization_id"] = form.errors["person_id"]
        self.host = form.add_field(
            "host_id", _("Host"),
            RecordPicker(host_search(services), _("A municipality (e.g. 一関) or an organisation")))
        self.theme = form.add_field("theme", _("Theme"), QLineEdit())
        self.made_on = form.add_field("made_on", _("Date made"), OptionalDateEdit())
        self.ended_on = form.add_field("ended_on", _("Date ended"), OptionalDateEdit())
        self.club = form.add_field("club_id", _("Club"), QComboBox())
        self.meeting = form.add_field("meeting_id", _("Session it came from"), QComboBox())
        for combo in (self.club, self.meeting):  # long names must not widen the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
        self.note = form.add_field("note", _("Notes"), QPlainTextEdit())
        self.note.setFixedHeight(80)
        self.body_layout.addStretch(1)
        self.add_history(services, "matching")
        self.is_person.toggled.connect(self._on_party_kind)
        self.host.chosen.connect(self._on_host_chosen)
        self.club.currentIndexChanged.connect(self._fill_sessions)

    # -- choices -----------------------------------------------------------------------------

    def _on_party_kind(self, person: bool) -> None:
        self.party_stack.setCurrentWidget(self.person if person else self.organization)

    def _on_host_chosen(self, key: Hashable | None) -> None:
        if key is None:
            self._host_id = None
        elif isinstance(key, uuid.UUID):
            self._host_id = key
        else:
            try:
                self._host_id = self._services.organizations.ensure_municipality(str(key)).id
            except KankeiError as exc:
                self.form.errors["host_id"].show_message(exc.message)

    def _fill_clubs(self, chosen: uuid.UUID | None) -> None:
        self.club.blockSignals(True)
        self.club.clear()
        self.club.addItem(_("(none)"), None)
        for club in self._services.clubs.find(limit=500):
            self.club.addItem(club.name, club.id)
        if chosen is not None and self.club.findData(chosen) < 0:
            self.club.addItem(self._services.clubs.names({chosen}).get(chosen, "?"), chosen)
        self.club.setCurrentIndex(max(self.club.findData(chosen), 0) if chosen else 0)
        self.club.blockSignals(False)

    def _fill_sessions(self, _index: int = 0, chosen: uuid.UUID | None = None) -> None:
        self.meeting.clear()
        self.meeting.addItem(_("(none)"), None)
        club = self.club.currentData()
        if isinstance(club, uuid.UUID):
            for row in self._services.meetings.find(club_id=club, status="held",
                                                    newest_first=True, limit=SESSIONS_OFFERED):
                self.meeting.addItem(f"{row.date.isoformat()} {row.title}", row.id)
        if chosen is not None and self.meeting.findData(chosen) < 0:
            row = self._services.meetings.get(chosen, include_deleted=True)
            self.meeting.addItem(f"{row.date.isoformat()} {row.title}", row.id)
        self.meeting.setCurrentIndex(max(self.meeting.findData(chosen), 0) if chosen else 0)

    # -- RecordEditor hooks --------------------------------------------------------------------

    def _check_pickers(self) -> list[tuple[str, str]]:
        errors = []
        party = self.person if self.is_person.isChecked() else self.organization
        if party.has_unmatched_text():
            errors.append(("person_id", _("Choose from the list that opens while you type, "
                                          "or clear the field.")))
        if self.host.has_unmatched_text():
            errors.append(("host_id", _("Choose the host from the list that opens while you "
                                        "type, or clear the field.")))
        return errors

    def _draft(self) -> MatchingDraft:
        person = self.person.value if self.is_person.isChecked() else None
        organization = self.organization.value if self.is_organization.isChecked() else None
        club = self.club.currentData()
        meeting = self.meeting.currentData()
        return MatchingDraft(
            kind=self.kind.code(), status=self.status.code(),
            person_id=person if isinstance(person, uuid.UUID) else None,
            organization_id=organization if isinstance(organization, uuid.UUID) else None,
            host_id=self._host_id, theme=self.theme.text(),
            club_id=club if isinstance(club, uuid.UUID) else None,
            meeting_id=meeting if isinstance(meeting, uuid.UUID) else None,
            made_on=self.made_on.value(), ended_on=self.ended_on.value(),
            note=self.note.toPlainText())

    def _fill(self, record_id: uuid.UUID | None) -> MatchingDraft:
        services = self._services
        if record_id is None:
            draft = MatchingDraft(**vars(self.preset))
            if draft.made_on is None and draft.status != MatchingStatus.PROPOSED.value:
                draft.made_on = date.today()
            self.heading.setText(_("New matching"))
        else:
            row = services.matchings.get(record_id, include_deleted=True)
            draft = MatchingDraft.of(row)
            [view] = services.matchings.views([row])
            self.heading.setText(_("{party} — {host}").format(party=view.party,
                                                               host=view.host or "?"))
        self.kind.set_code(draft.kind)
        self.status.set_code(draft.status)
        self.is_organization.setChecked(draft.organization_id is not None)
        self.is_person.setChecked(draft.organization_id is None)
        if draft.person_id is not None:
            person = services.people.get(draft.person_id, include_deleted=True)
            self.person.set_value(draft.person_id, person_name(person))
        else:
            self.person.set_value(None)
        for picker, org_id in ((self.organization, draft.organization_id),
                               (self.host, draft.host_id)):
            if org_id is not None:
                org = services.organizations.get(org_id, include_deleted=True)
                picker.set_value(org_id, organization_label(org.name, org.kind))
            else:
                picker.set_value(None)
        self._host_id = draft.host_id
        self.theme.setText(draft.theme)
        self.made_on.set_value(draft.made_on)
        self.ended_on.set_value(draft.ended_on)
        self._fill_clubs(draft.club_id)
        self._fill_sessions(chosen=draft.meeting_id)
        self.note.setPlainText(draft.note)
        return self._draft()

    def _record_service(self) -> MatchingService:
        return self._services.matchings
