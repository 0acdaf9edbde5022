"""A dialog listing the exact sessions and people behind a figure."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name, person_reading
from kankei_desktop.core.vocabulary import MeetingFormat, PersonCategory, label
from kankei_desktop.ui.pages.dashboard.breakdown import Breakdown


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setSortingEnabled(False)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()
    return table


class DrilldownDialog(QDialog):
    """Sessions and people behind one figure (a card or a bar of a chart)."""

    def __init__(
        self,
        services: Services,
        title: str,
        explanation: str,
        data: Breakdown,
        *,
        meetings: list[Meeting] | None = None,
        first_time_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 560)
        column = QVBoxLayout(self)
        intro = QLabel(explanation)
        intro.setWordWrap(True)
        column.addWidget(intro)
        shown = data.meetings if meetings is None else meetings
        clubs = services.clubs.names({m.club_id for m in shown})
        meeting_rows = [
            [m.date.isoformat(), clubs.get(m.club_id, ""), m.title,
             label(MeetingFormat(m.format)), str(data.meeting_people.get(m.id, 0))]
            for m in shown
        ]
        people = [
            person for person_id, person in data.people.items()
            if not first_time_only or person_id in data.first_time
        ]
        people.sort(key=lambda p: p.sort_key)
        people_rows = [
            [person_name(p), person_reading(p), label(PersonCategory(p.category)),
             str(data.attendance.get(p.id, 0)),
             _("Yes") if p.id in data.first_time else ""]
            for p in people
        ]
        self.tabs = QTabWidget()
        self.sessions_table = _table(
            [_("Date"), _("Club"), _("Session"), _("Format"), _("Attended")], meeting_rows)
        self.people_table = _table(
            [_("Name"), _("Reading"), _("Category"), _("Times attended"), _("First time")],
            people_rows)
        self.tabs.addTab(self.sessions_table,
                         _("Sessions ({count})").format(count=len(meeting_rows)))
        self.tabs.addTab(self.people_table, _("People ({count})").format(count=len(people_rows)))
        column.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
