"""The person form: names and readings apart, category, affiliation, contact, consent."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.formatting import format_day
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.interactions import InteractionDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.vocabulary import (
    AttendanceStatus,
    MeetingStatus,
    MembershipRole,
    PersonCategory,
    RegistrationStatus,
    RegistrationTier,
    label,
)
from kankei_desktop.ui.pages.matchings.panel import MatchingsPanel
from kankei_desktop.ui.pages.record_editor import RecordEditor
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.given_name import GivenNameField
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit
from kankei_desktop.ui.widgets.pickers import (
    organization_choice_errors,
    organization_label,
    organization_search,
    search_municipalities,
)
from kankei_desktop.ui.widgets.record_picker import RecordPicker

HISTORY_ROWS = 100


class PersonEditor(RecordEditor):
    """Detail pane of the people page."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        form = self.form
        self.family_name = form.add_field("family_name", _("Family name"), QLineEdit())
        self.given_box = form.add_field("given_name", _("Given name"), GivenNameField())
        self.given_name = self.given_box.edit
        self.family_reading = form.add_field(
            "family_reading", _("Family name reading (kana)"), QLineEdit())
        self.given_reading = form.add_field(
            "given_reading", _("Given name reading (kana)"), QLineEdit())
        self.given_box.set_reading(self.given_reading)
        self.category = form.add_field("category", _("Category"), VocabularyCombo(PersonCategory))
        self.organization = form.add_field(
            "organization_id", _("Affiliation"),
            RecordPicker(organization_search(services), _("Type part of the organisation's name")),
        )
        self.job_title = form.add_field("job_title", _("Job title"), QLineEdit())
        self.email = form.add_field("email", _("E-mail"), QLineEdit())
        self.phone = form.add_field("phone", _("Phone"), QLineEdit())
        self.consent_date = form.add_field(
            "consent_date", _("Consent to data handling"), OptionalDateEdit())
        self.consent_date.setToolTip(_(
            "The date this person agreed to the handling of their personal information"))
        self.notes = form.add_field("notes", _("Notes"), QPlainTextEdit())
        self.notes.setFixedHeight(80)
        self.add_tags_field(services, "person")
        self._residence_id: uuid.UUID | None = None
        self.residence = form.add_field(
            "residence_id", _("Residence (municipality)"),
            RecordPicker(search_municipalities, _("Type a name, e.g. 札幌")))
        self.residence.setToolTip(_(
            "The municipality the person lives in: premium ふるさと住民登録 is not possible "
            "there."))
        self.residence.chosen.connect(self._on_residence_chosen)
        self.postal_code = form.add_field("postal_code", _("Postal code"), QLineEdit())
        self.postal_code.setPlaceholderText("071-1292")
        self.address = form.add_field("address", _("Address (for letters)"), QLineEdit())
        self.registrations = QLabel()
        self.registrations.setWordWrap(True)
        form.add_row(_("Furusato registrations"), self.registrations)
        self.clubs = QLabel()
        self.clubs.setWordWrap(True)
        form.add_row(_("Clubs"), self.clubs)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setToolTip(_("Sessions held that this person attended, per fiscal year"))
        form.add_row(_("Attendance per year"), self.totals)
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels([_("Date"), _("Session"), _("Attendance")])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setMinimumHeight(160)
        form.add_row(_("Attendance history"), self.history)
        self.followups = QLabel()
        self.followups.setWordWrap(True)
        self.add_followup_button = QPushButton(_("Add follow-up…"))
        self.add_followup_button.setToolTip(_(
            "Record an exchange with this person (LINE, Slack, mail, visit …)"))
        self.add_followup_button.clicked.connect(self.add_followup)
        form.add_row(_("Follow-ups"), self.followups)
        form.add_row("", self.add_followup_button)
        self.matchings = MatchingsPanel(
            services, lambda person: services.matchings.views(
                services.matchings.find(person_id=person)),
            lambda person: MatchingDraft(person_id=person))
        form.add_row(_("Matchings"), self.matchings)
        self.body_layout.addStretch(1)
        self.add_history(services, "person")

    def add_followup(self) -> None:
        """Open the 交流記録 dialog with this person ticked."""
        from kankei_desktop.ui.pages.calendar.followup import FollowUpDialog

        if self.record_id is None:
            return
        draft = InteractionDraft(date=date.today(), person_ids=[self.record_id])
        if FollowUpDialog(self._services, draft, parent=self).exec():
            self._fill_followups(self.record_id)

    def _fill_followups(self, record_id: uuid.UUID | None) -> None:
        self.add_followup_button.setEnabled(record_id is not None)
        if record_id is None:
            self.followups.setText(_("Save the person first."))
            return
        rows = self._services.interactions.for_person(record_id)
        if not rows:
            self.followups.setText(_("No follow-ups recorded yet."))
            return
        latest = rows[0]
        self.followups.setText(_("{count} follow-ups; the latest on {date}: {summary}").format(
            count=len(rows), date=format_day(latest.date), summary=latest.summary or "—"))

    def _on_residence_chosen(self, code: Hashable | None) -> None:
        if code is None:
            self._residence_id = None
            return
        try:
            self._residence_id = self._services.organizations.ensure_municipality(
                str(code)).id
        except KankeiError as exc:
            self.form.errors["residence_id"].show_message(exc.message)

    def _check_pickers(self) -> list[tuple[str, str]]:
        errors = organization_choice_errors(self.organization)
        if self.residence.has_unmatched_text():
            errors.append(("residence_id", _(
                "Choose the municipality from the list that opens while you type, or clear "
                "the field.")))
        return errors

    def _fill_registrations(self, record_id: uuid.UUID | None) -> None:
        if record_id is None:
            self.registrations.setText("")
            return
        rows = self._services.registrations.find(person_id=record_id)
        names = self._services.organizations.names({row.municipality_id for row in rows})
        self.registrations.setText("\n".join(
            _("{municipality}: {tier} ({status}, renewal due {due})").format(
                municipality=names.get(row.municipality_id, "?"),
                tier=label(RegistrationTier(row.tier)),
                status=label(RegistrationStatus(row.status)),
                due=format_day(row.renewal_due) if row.renewal_due else "—")
            for row in rows) or _("Not registered with any municipality."))

    def _draft(self) -> PersonDraft:
        value = self.organization.value
        return PersonDraft(
            family_name=self.family_name.text(),
            given_name=self.given_name.text(),
            family_reading=self.family_reading.text(),
            given_reading=self.given_reading.text(),
            category=self.category.code(),
            organization_id=value if isinstance(value, uuid.UUID) else None,
            job_title=self.job_title.text(),
            email=self.email.text(),
            phone=self.phone.text(),
            consent_date=self.consent_date.value(),
            notes=self.notes.toPlainText(),
            residence_id=self._residence_id,
            postal_code=self.postal_code.text(),
            address=self.address.text(),
            single_name=self.given_box.single.isChecked(),
        )

    def _fill(self, record_id: uuid.UUID | None) -> PersonDraft:
        if record_id is None:
            draft = PersonDraft(family_name="", category=PersonCategory.COMPANY_STAFF.value,
                                single_name=False)
            self.heading.setText(_("New person"))
        else:
            row = self._services.people.get(record_id, include_deleted=True)
            draft = PersonDraft.of(row)
            self.heading.setText(" ".join(p for p in (row.family_name, row.given_name) if p))
        self.family_name.setText(draft.family_name)
        self.given_box.single.setChecked(bool(draft.single_name))
        self.given_name.setText(draft.given_name)
        self.family_reading.setText(draft.family_reading)
        self.given_reading.setText(draft.given_reading)
        self.category.set_code(draft.category)
        if draft.organization_id is not None:
            organization = self._services.organizations.get(
                draft.organization_id, include_deleted=True)
            self.organization.set_value(
                draft.organization_id, organization_label(organization.name, organization.kind))
        else:
            self.organization.set_value(None)
        self.job_title.setText(draft.job_title)
        self.email.setText(draft.email)
        self.phone.setText(draft.phone)
        self.consent_date.set_value(draft.consent_date)
        self.notes.setPlainText(draft.notes)
        self._residence_id = draft.residence_id
        if draft.residence_id is not None:
            names = self._services.organizations.names({draft.residence_id})
            self.residence.set_value("residence", names.get(draft.residence_id, ""))
        else:
            self.residence.set_value(None)
        self.postal_code.setText(draft.postal_code)
        self.address.setText(draft.address)
        self._fill_registrations(record_id)
        self._fill_activity(record_id)
        return self._draft()

    def _fill_activity(self, record_id: uuid.UUID | None) -> None:
        self.history.setRowCount(0)
        self._fill_followups(record_id)
        self.matchings.load(record_id)
        if record_id is None:
            self.clubs.setText("")
            self.totals.setText("")
            return
        memberships = self._services.clubs.clubs_of_person(record_id)
        self.clubs.setText("、".join(
            f"{club.name}（{label(MembershipRole(membership.role))}）"
            for membership, club in memberships
        ) or _("Not a member of any club yet."))
        history = self._services.attendance.history(record_id)
        per_year = self._services.figures.times_per_year(record_id)
        self.totals.setText("\n".join(
            _("{year}: {count} sessions").format(year=format_fiscal_year(fy), count=count)
            for fy, count in sorted(per_year.items(), reverse=True)
        ) or _("No sessions attended yet."))
        shown = history[:HISTORY_ROWS]
        self.history.setRowCount(len(shown))
        for index, (attendance, meeting) in enumerate(shown):
            status = label(AttendanceStatus(attendance.status))
            if meeting.status != MeetingStatus.HELD.value:
                status += " / " + label(MeetingStatus(meeting.status))
            if meeting.designated:
                status += " / " + _("◆ designated activity")
            for column, text in enumerate((meeting.date.isoformat(), meeting.title, status)):
                self.history.setItem(index, column, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def _record_service(self) -> Any:
        return self._services.people

    def _record_name(self, draft: PersonDraft) -> str:
        return " ".join(part for part in (draft.family_name.strip(),
                                          draft.given_name.strip()) if part)
