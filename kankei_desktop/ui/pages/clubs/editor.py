"""The club form: host, theme, period, stage, coordinator, partners, tags; the stage history,
members, KPIs, matchings and sessions."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.services.people import person_name
from kankei_desktop.ui.pages.clubs.members import MembersPanel
from kankei_desktop.ui.pages.clubs.sessions import ClubSessionsPanel
from kankei_desktop.ui.pages.clubs.stages import StageHistoryPanel
from kankei_desktop.ui.pages.clubs.targets import TargetsPanel
from kankei_desktop.ui.pages.matchings.panel import MatchingsPanel
from kankei_desktop.ui.pages.record_editor import RecordEditor
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit
from kankei_desktop.ui.widgets.pickers import (
    organization_label,
    organization_search,
    person_search,
    search_municipalities,
)
from kankei_desktop.ui.widgets.record_picker import RecordPicker
from kankei_desktop.ui.widgets.stage_indicator import StageIndicator

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ClubEditor(RecordEditor):
    """Detail pane of the clubs page."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._host_id: uuid.UUID | None = None
        self._host_code: str | None = None  # chosen from the national list, not in the file yet
        form = self.form
        self.name = form.add_field("name", _("Club name"), QLineEdit())
        self.reading = form.add_field("reading", _("Reading (kana)"), QLineEdit())
        self.host = form.add_field(
            "host_municipality_id", _("Host municipality"),
            RecordPicker(search_municipalities, _("Type a name, e.g. 鷹栖")))
        self.theme = form.add_field("theme", _("Theme"), QLineEdit())
        self.start_date = form.add_field("start_date", _("Start date"), OptionalDateEdit())
        self.end_date = form.add_field("end_date", _("End date"), OptionalDateEdit())
        self.stage = form.add_field("stage", _("Stage"), StageIndicator())
        self.coordinator = form.add_field(
            "coordinator_id", _("Coordinator"),
            RecordPicker(person_search(services), _("Type part of a name")))
        self.partners = QListWidget()
        self.partners.setMaximumHeight(100)
        partner_box = QWidget()
        partner_column = QVBoxLayout(partner_box)
        partner_column.setContentsMargins(0, 0, 0, 0)
        partner_column.addWidget(self.partners)
        partner_row = QHBoxLayout()
        self.partner_picker = RecordPicker(
            organization_search(services), _("Add a partner: type a name"))
        add_partner = QPushButton(_("Add"))
        remove_partner = QPushButton(_("Remove"))
        partner_row.addWidget(self.partner_picker, 1)
        partner_row.addWidget(add_partner)
        partner_row.addWidget(remove_partner)
        partner_column.addLayout(partner_row)
        form.add_field("partner_ids", _("Partner organisations"), partner_box)
        self.notes = form.add_field("notes", _("Notes"), QPlainTextEdit())
        self.notes.setFixedHeight(70)
        self.add_tags_field(services, "club")
        self._build_designation()
        stages_box = QGroupBox(_("Stage history"))
        QVBoxLayout(stages_box).addWidget(stages := StageHistoryPanel(services))
        self.stage_history = stages
        self.body_layout.addWidget(stages_box)
        stages.moved.connect(self._on_stage_moved)
        members_box = QGroupBox(_("Members"))
        QVBoxLayout(members_box).addWidget(members := MembersPanel(services))
        self.members = members
        self.body_layout.addWidget(members_box)
        sessions_box = QGroupBox(_("Sessions"))
        QVBoxLayout(sessions_box).addWidget(sessions := ClubSessionsPanel(services))
        self.sessions = sessions
        targets_box = QGroupBox(_("KPI targets and results"))
        QVBoxLayout(targets_box).addWidget(targets := TargetsPanel(services))
        self.targets = targets
        self.body_layout.addWidget(targets_box)
        matchings_box = QGroupBox(_("Matchings"))
        QVBoxLayout(matchings_box).addWidget(matchings := MatchingsPanel(
            services, lambda club: services.matchings.views(
                services.matchings.find(club_id=club)),
            lambda club: MatchingDraft(club_id=club)))
        self.matchings = matchings
        self.body_layout.addWidget(matchings_box)
        self.body_layout.addWidget(sessions_box)
        self.body_layout.addStretch(1)
        self.host.chosen.connect(self._on_host_chosen)
        self.add_history(services, "club")
        add_partner.clicked.connect(self._add_partner)
        remove_partner.clicked.connect(self._remove_partner)

    def _on_stage_moved(self, stage: str) -> None:
        """A move was recorded: show the club's current stage (not an unsaved change)."""
        self.stage.set_stage(stage)
        if isinstance(self._loaded, ClubDraft):
            self._loaded.stage = stage
    def _build_designation(self) -> None:
        """担い手活動 (issue 20): the default for new sessions, and marking existing ones."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.designates = QCheckBox(_("New sessions are designated activities (担い手活動)"))
        self.designates.setToolTip(_(
            "The host municipality designates this club's sessions as 担い手活動; each "
            "session can still be changed in the calendar."))
        column.addWidget(self.designates)
        row = QHBoxLayout()
        self.designation_summary = QLabel()
        row.addWidget(self.designation_summary, 1)
        self.apply_designation = QPushButton(_("Apply to existing sessions…"))
        self.apply_designation.clicked.connect(self.ask_apply_designation)
        row.addWidget(self.apply_designation)
        column.addLayout(row)
        self.form.add_field("designates_activities", _("Designated activities"), box)

    def _fill_designation(self, record_id: uuid.UUID | None) -> None:
        self.apply_designation.setEnabled(record_id is not None)
        if record_id is None:
            self.designation_summary.setText("")
            return
        marked, total = self._services.furusato.designated_count(club_id=record_id)
        self.designation_summary.setText(_("{marked} of {total} sessions designated").format(
            marked=marked, total=total))

    def ask_apply_designation(self) -> None:
        """Mark (or unmark) every existing session as the checkbox says, after asking."""
        if self.record_id is None:
            return
        designated = self.designates.isChecked()
        question = (_("Mark every session of this club as a designated activity (担い手活動)?")
                    if designated else
                    _("Remove the designated-activity mark from every session of this club?"))
        if QMessageBox.question(self, _("Designated activities"), question) != \
                QMessageBox.StandardButton.Yes:
            return
        self.apply_designation_now(designated)

    def apply_designation_now(self, designated: bool) -> int:
        """Mark or unmark the club's sessions; returns how many changed."""
        if self.record_id is None:
            return 0
        with self._services.context.action(_("Designated activities of {name}").format(
                name=self.name.text().strip())):
            changed = self._services.furusato.designate_club(self.record_id, designated)
        self._fill_designation(self.record_id)
        self.sessions.load(self.record_id)
        return changed

    def _on_host_chosen(self, code: Hashable | None) -> None:
        """A municipality from the national list: its record is used, or made when the club
        is saved (never behind a 取消)."""
        self._host_code = None
        if code is None:
            self._host_id = None
            return
        found = self._services.organizations.find_by_lgcode(str(code))
        if found is not None:
            self._host_id = found.id
        else:
            self._host_id, self._host_code = None, str(code)

    def _add_partner(self) -> None:
        value = self.partner_picker.value
        if not isinstance(value, uuid.UUID) or value in self._partner_ids():
            return
        item = QListWidgetItem(self.partner_picker.text())
        item.setData(ID_ROLE, value)
        self.partners.addItem(item)
        self.partner_picker.set_value(None)

    def _remove_partner(self) -> None:
        for item in self.partners.selectedItems():
            self.partners.takeItem(self.partners.row(item))

    def _partner_ids(self) -> list[uuid.UUID]:
        return [self.partners.item(row).data(ID_ROLE) for row in range(self.partners.count())]

    def _check_pickers(self) -> list[tuple[str, str]]:
        errors = []
        if self.host.has_unmatched_text():
            errors.append(("host_municipality_id", _(
                "Choose the municipality from the list that opens while you type, or clear "
                "the field.")))
        if self.coordinator.has_unmatched_text():
            errors.append(("coordinator_id", _(
                "Choose the person from the list that opens while you type, or clear the "
                "field.")))
        return errors

    def _draft(self) -> ClubDraft:
        coordinator = self.coordinator.value
        return ClubDraft(
            name=self.name.text(),
            reading=self.reading.text(),
            host_municipality_id=self._host_id,
            theme=self.theme.text(),
            start_date=self.start_date.value(),
            end_date=self.end_date.value(),
            stage=self.stage.stage,
            coordinator_id=coordinator if isinstance(coordinator, uuid.UUID) else None,
            notes=self.notes.toPlainText(),
            partner_ids=self._partner_ids(),
            designates_activities=self.designates.isChecked(),
        )

    def is_dirty(self) -> bool:
        """Form, members or targets changed."""
        return super().is_dirty() or (not self.read_only and (
            self._host_code is not None or self.targets.is_dirty()
            or self.members.is_dirty()))

    def _fill(self, record_id: uuid.UUID | None) -> ClubDraft:
        services = self._services
        if record_id is None:
            draft = ClubDraft(name="")
            self.heading.setText(_("New club"))
        else:
            row = services.clubs.get(record_id, include_deleted=True)
            draft = ClubDraft.of(row, services.clubs.partner_ids(record_id))
            draft.stage = services.stages.current(record_id)
            self.heading.setText(row.name)
        self.name.setText(draft.name)
        self.reading.setText(draft.reading)
        self._host_id = draft.host_municipality_id
        self._host_code = None
        if draft.host_municipality_id is not None:
            names = services.organizations.names({draft.host_municipality_id})
            self.host.set_value("host", names.get(draft.host_municipality_id, ""))
        else:
            self.host.set_value(None)
        self.theme.setText(draft.theme)
        self.start_date.set_value(draft.start_date)
        self.end_date.set_value(draft.end_date)
        self.stage.set_stage(draft.stage)
        if draft.coordinator_id is not None:
            person = services.people.get(draft.coordinator_id, include_deleted=True)
            self.coordinator.set_value(draft.coordinator_id, person_name(person))
        else:
            self.coordinator.set_value(None)
        self.partners.clear()
        for partner_id in draft.partner_ids:
            partner = services.organizations.get(partner_id, include_deleted=True)
            item = QListWidgetItem(organization_label(partner.name, partner.kind))
            item.setData(ID_ROLE, partner_id)
            self.partners.addItem(item)
        self.notes.setPlainText(draft.notes)
        self.designates.setChecked(draft.designates_activities)
        self._fill_designation(record_id)
        self.members.load(record_id)
        self.targets.load(record_id)
        self.sessions.load(record_id)
        self.stage_history.load(record_id)
        self.matchings.load(record_id)
        return self._draft()

    def _record_service(self) -> Any:
        return self._services.clubs

    def _save(self, record_id: uuid.UUID | None, draft: ClubDraft) -> uuid.UUID:
        if self._host_code is not None:  # inside the save's action: undone with it
            draft.host_municipality_id = self._services.organizations.ensure_municipality(
                self._host_code).id
        return super()._save(record_id, draft)

    def _after_save(self, record_id: uuid.UUID) -> None:
        self.members.save(record_id)
        self.targets.save(record_id)
