"""変更履歴: who changed what in a record and when, with 「この値に戻す」.

Shown as a tab of the editors. The entries come from the record's change log (local edits with
their values) and the conflict log (values that lost against a colleague's edit); the last
change of every field — also one that arrived in a bundle — from the field clocks. Putting a
value back is a new edit (undoable, and it travels to colleagues like any other).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.japan.formatting import format_clock, format_day, format_moment
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.history import HistoryEntry
from kankei_desktop.core.vocabulary import (
    AttendanceStatus,
    ClubStage,
    InteractionChannel,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    MembershipRole,
    OrganizationKind,
    PersonCategory,
    label,
)
from kankei_desktop.sync.conflicts import list_conflicts, restore_conflict
from kankei_desktop.sync.service import SyncService

ENTRY_ROLE = Qt.ItemDataRole.UserRole

#: Field labels not named by the form itself (English sources, translated when shown).
FIELD_LABELS: dict[str, str] = {
    "family_name": N_("Family name"), "given_name": N_("Given name"),
    "family_reading": N_("Family name reading (kana)"),
    "given_reading": N_("Given name reading (kana)"), "category": N_("Category"),
    "organization_id": N_("Affiliation"), "job_title": N_("Job title"),
    "email": N_("E-mail"), "phone": N_("Phone"), "consent_date": N_("Consent to data handling"),
    "notes": N_("Notes"), "name": N_("Name of the record"), "reading": N_("Reading (kana)"),
    "kind": N_("Kind"), "lgcode": N_("Municipality code"),
    "corporate_number": N_("Corporate number"), "postal_code": N_("Postal code"),
    "address": N_("Address"), "website": N_("Website"), "contact_person": N_("Contact person"),
    "municipality_id": N_("Municipality"), "host_municipality_id": N_("Host municipality"),
    "theme": N_("Theme"), "start_date": N_("Start date"), "end_date": N_("End date"),
    "stage": N_("Stage"), "coordinator_id": N_("Coordinator"), "club_id": N_("Club"),
    "title": N_("Title"), "date": N_("Date"), "start_time": N_("Start time"),
    "end_time": N_("End time"), "format": N_("Format"), "status": N_("Status"),
    "tool": N_("Tool"), "url": N_("Meeting URL"), "place": N_("Place"),
    "agenda": N_("Agenda"), "series_id": N_("Series"), "when": N_("Date and time"),
}
_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("person", "category"): PersonCategory, ("organization", "kind"): OrganizationKind,
    ("meeting", "kind"): MeetingKind, ("meeting", "format"): MeetingFormat,
    ("meeting", "status"): MeetingStatus, ("club", "stage"): ClubStage,
    ("membership", "role"): MembershipRole, ("attendance", "status"): AttendanceStatus,
    ("interaction", "channel"): InteractionChannel,
}
_KINDS = {"created": N_("Created"), "changed": N_("Changed"), "deleted": N_("Deleted"),
          "restored": N_("Restored")}
_CONFLICT = N_("Lost in a conflict")


def local_time(moment: datetime) -> str:
    """A stored (naive UTC) time in this PC's time zone, compact: 「2026-12-05 19:13」."""
    return f"{moment.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}"


class HistoryPanel(QWidget):
    """The history of one record of ``table``."""

    restored = Signal()
    """An earlier value was put back (the editor shows the record again)."""

    def __init__(self, services: Services, table: str, parent: QWidget | None = None, *,
                 labels: dict[str, str] | None = None,
                 before_restore: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._table = table
        self._labels = labels or {}
        self._before_restore = before_restore or (lambda: True)
        self.record_id: uuid.UUID | None = None
        self._entries: list[tuple[str, Any]] = []
        column = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([_("When"), _("Where"), _("What"), _("Field"),
                                              _("Before"), _("After")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(False)
        column.addWidget(self.table, 2)
        buttons = QHBoxLayout()
        self.restore_button = QPushButton(_("Put the earlier value back"))
        self.restore_button.setToolTip(_(
            "Sets the field to the value in 'Before' (or the value that lost the conflict) as "
            "a new change; Edit ▸ Undo takes it back"))
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        self.last_title = QLabel(_("Last change of each field"))
        column.addWidget(self.last_title)
        self.last = QTableWidget(0, 3)
        self.last.setHorizontalHeaderLabels([_("Field"), _("When"), _("Where")])
        self.last.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.last.verticalHeader().setVisible(False)
        self.last.horizontalHeader().setStretchLastSection(True)
        column.addWidget(self.last, 1)
        self.table.itemSelectionChanged.connect(self._on_selected)

    # -- loading ------------------------------------------------------------------------------

    def load(self, record_id: uuid.UUID | None) -> None:
        """Show the history of ``record_id`` (None: a new record, which has none)."""
        self.record_id = record_id
        self.table.setRowCount(0)
        self.last.setRowCount(0)
        self._entries = []
        if record_id is None:
            self.intro.setText(_("The history starts once the record is saved."))
            return
        try:
            entries = self._services.history.entries(self._table, record_id)
            stamps = self._services.history.last_changes(self._table, record_id)
            conflicts = self._conflicts(record_id)
        except KankeiError as exc:
            self.intro.setText(exc.message)
            return
        names = self._replica_names()
        rows: list[tuple[datetime, str, Any]] = [(entry.at, "log", entry) for entry in entries]
        rows += [(conflict.logged_at, "conflict", conflict) for conflict in conflicts]
        rows.sort(key=lambda item: item[0], reverse=True)
        self.table.setRowCount(sum(len(self._conflict_fields(r)) if kind == "conflict" else 1
                                   for _at, kind, r in rows))
        line = 0
        for _at, kind, item in rows:
            if kind == "log":
                self._put_entry(line, item, names)
                self._entries.append(("log", item))
                line += 1
            else:
                for field, value in self._conflict_fields(item):
                    self._put_conflict(line, item, field, value, names)
                    self._entries.append(("conflict", item))
                    line += 1
        self.table.resizeColumnsToContents()
        for index in range(self.table.columnCount()):
            self.table.setColumnWidth(index, min(self.table.columnWidth(index), 220))
        self.last.setRowCount(len(stamps))
        for index, stamp in enumerate(stamps):
            fields = "・".join(self.field_label(name) for name in stamp.fields)
            for position, text in enumerate((fields, local_time(stamp.at),
                                             names(stamp.replica))):
                self.last.setItem(index, position, QTableWidgetItem(text))
        self.last.resizeColumnsToContents()
        self.intro.setText(_(
            "Changes made on this PC, newest first (the last {count} per record are kept), "
            "and values that lost against a colleague's change. Below: when each field was "
            "last changed and on which PC.").format(count=50) if rows else _(
            "No changes recorded on this PC yet. Below: when each field was last changed and "
            "on which PC."))

    def field_label(self, name: str) -> str:
        """The label a user knows a field by."""
        known = self._labels.get(name)
        if known:
            return known
        source = FIELD_LABELS.get(name)
        return _(source) if source else name

    def value_text(self, field: str, value: Any) -> str:
        """A stored value as the user reads it."""
        if value is None or value == "":
            return "—"
        vocabulary = _VOCABULARIES.get((self._table, field))
        if vocabulary is not None:
            try:
                return label(vocabulary(value))
            except ValueError:
                return str(value)
        if isinstance(value, uuid.UUID):
            return self._name_of(value)
        if isinstance(value, datetime):
            return format_moment(value)
        if isinstance(value, date):
            return format_day(value)
        if isinstance(value, time):
            return format_clock(value)
        return " ".join(str(value).split())

    # -- restoring -----------------------------------------------------------------------------

    def selected(self) -> tuple[str, Any] | None:
        """The selected entry: ("log", HistoryEntry) or ("conflict", ConflictEntry)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self._entries):
            return None
        return self._entries[rows[0].row()]

    def restore_selected(self) -> bool:
        """Put the selected earlier value back (a new, undoable change)."""
        chosen = self.selected()
        if chosen is None or self.record_id is None or not self._before_restore():
            return False
        kind, entry = chosen
        try:
            if kind == "log":
                label_text = _("Put back an earlier value: {field}").format(
                    field=self.field_label(entry.field))
                self._services.history.restore(entry.id, label_text)
            else:
                restore_conflict(self._services, entry.id)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Change history"), exc.message)
            return False
        self.load(self.record_id)
        self.restored.emit()
        return True

    # -- internals -------------------------------------------------------------------------------

    def _on_selected(self) -> None:
        chosen = self.selected()
        self.restore_button.setEnabled(chosen is not None and (
            (chosen[0] == "conflict" and chosen[1].restored_at is None)
            or (chosen[0] == "log" and chosen[1].restorable)))

    def _put_entry(self, line: int, entry: HistoryEntry,
                   names: Callable[[str], str]) -> None:
        cells = (local_time(entry.at), names(entry.replica),
                 _(_KINDS.get(entry.kind, entry.kind)),
                 self.field_label(entry.field) if entry.field else "",
                 self.value_text(entry.field, entry.old) if entry.field else "",
                 self.value_text(entry.field, entry.new) if entry.field else "")
        for position, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if position == 2 and entry.action:
                item.setToolTip(entry.action)
            self.table.setItem(line, position, item)

    def _put_conflict(self, line: int, conflict: Any, field: str, value: Any,
                      names: Callable[[str], str]) -> None:
        what = _(_CONFLICT)
        if conflict.restored_at is not None:
            what += _(" (put back)")
        winner = conflict.winner.get(field)
        cells = (local_time(conflict.logged_at), names(conflict.loser_replica),
                 what, self.field_label(field), self.value_text(field, value),
                 self.value_text(field, winner))
        for position, text in enumerate(cells):
            self.table.setItem(line, position, QTableWidgetItem(text))

    @staticmethod
    def _conflict_fields(conflict: Any) -> list[tuple[str, Any]]:
        return list(conflict.loser.items()) or [("", None)]

    def _conflicts(self, record_id: uuid.UUID) -> list[Any]:
        return list_conflicts(self._services, table=self._table, row_id=record_id)

    def _replica_names(self) -> Callable[[str], str]:
        own = self._services.context.replica_id.hex
        try:
            peers = {peer.replica_id.hex: peer.name
                     for peer in SyncService(self._services).peers()}
        except KankeiError:
            peers = {}

        def name(replica: str) -> str:
            if not replica or replica == own:
                return _("This PC")
            return peers.get(replica) or _("Another PC ({id})").format(id=replica[:8])

        return name

    def _name_of(self, value: uuid.UUID) -> str:
        for service in (self._services.people, self._services.organizations,
                        self._services.clubs):
            found = service.names({value})
            if value in found:
                return found[value]
        return str(value)[:8]
