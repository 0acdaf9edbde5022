"""The status list as a table model, with the page's filters (who is registered, who
qualifies, whose renewal is near, who is short of activities)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from enum import StrEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from typing_extensions import override

from kankei_desktop.core.furusato.holding import PREMIUM
from kankei_desktop.core.furusato.status import PersonStatus, StatusReport
from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.japan.formatting import format_day
from kankei_desktop.core.vocabulary import RegistrationTier, label

ID_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_WARN = QColor("#b00020")
_GOOD = QColor("#1b6e2d")


class StatusFilter(StrEnum):
    """Which lines of the status list are shown."""

    ALL = "all"
    REGISTERED = "registered"
    ELIGIBLE = "eligible"
    SHORT = "short"
    RENEWAL = "renewal"


FILTER_LABELS: dict[StatusFilter, str] = {
    StatusFilter.ALL: N_("Everyone"),
    StatusFilter.REGISTERED: N_("Registered"),
    StatusFilter.ELIGIBLE: N_("Qualify for premium"),
    StatusFilter.SHORT: N_("Premium, short of activities"),
    StatusFilter.RENEWAL: N_("Renewal due soon"),
}


def renewal_soon(person: PersonStatus, today: date, days: int) -> bool:
    """The person's registration is due for renewal within ``days`` (or overdue)."""
    registration = person.registration
    return (registration is not None and registration.renewal_due is not None
            and registration.renewal_due <= today + timedelta(days=days))


def matcher(kind: StatusFilter, today: date, days: int) -> Callable[[PersonStatus], bool]:
    """The test a line passes to be shown under ``kind``."""
    tests: dict[StatusFilter, Callable[[PersonStatus], bool]] = {
        StatusFilter.ALL: lambda _person: True,
        StatusFilter.REGISTERED: lambda person: person.registration is not None,
        StatusFilter.ELIGIBLE: lambda person: person.eligible_premium,
        StatusFilter.SHORT: lambda person: person.tier == PREMIUM and bool(
            person.eligibility.shortfall),
        StatusFilter.RENEWAL: lambda person: renewal_soon(person, today, days),
    }
    return tests[kind]


class StatusModel(QAbstractTableModel):
    """The lines of a :class:`StatusReport` that pass the filter."""

    HEADERS = (N_("Name"), N_("Residence"), N_("Registration"), N_("Renewal due"),
               N_("Activities"), N_("Premium possible"), N_("Why not"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonStatus] = []
        self.today = date.today()
        self.notice_days = 60

    def set_rows(self, rows: list[PersonStatus], today: date, notice_days: int) -> None:
        """Show ``rows``."""
        self.beginResetModel()
        self._rows = list(rows)
        self.today, self.notice_days = today, notice_days
        self.endResetModel()

    def person(self, row: int) -> PersonStatus | None:
        """The line shown in ``row``."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, person_id: uuid.UUID) -> int:
        """The row showing ``person_id`` (-1 when filtered out)."""
        return next((index for index, row in enumerate(self._rows)
                     if row.person_id == person_id), -1)

    @override
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    @override
    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return _(self.HEADERS[section])
        return None

    @override
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        person = self.person(index.row()) if index.isValid() else None
        if person is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(person, column)
        if role == ID_ROLE:
            return person.person_id
        if role == Qt.ItemDataRole.ToolTipRole and column == 6:
            return "\n".join(person.reasons) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 3 and renewal_soon(person, self.today, self.notice_days):
                return QBrush(_WARN)
            if column == 5:
                return QBrush(_GOOD if person.eligible_premium else _WARN)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, person: PersonStatus, column: int) -> str:
        registration = person.registration
        if column == 0:
            return person.name
        if column == 1:
            return person.residence or _("(not recorded)")
        if column == 2:
            return label(RegistrationTier(registration.tier)) if registration else "—"
        if column == 3:
            return format_day(registration.renewal_due, weekday=False) if registration and \
                registration.renewal_due else "—"
        if column == 4:
            return str(person.activities)
        if column == 5:
            return _("Yes") if person.eligible_premium else _("No")
        return " ".join(person.reasons)


def summary_text(report: StatusReport, today: date, notice_days: int) -> str:
    """One line: designated sessions, registered people, who qualifies, renewals due."""
    registered = [row for row in report.people if row.registration is not None]
    premium = sum(1 for row in registered if row.tier == PREMIUM)
    return _("Designated sessions held: {sessions} · registered: {registered} (premium "
             "{premium}) · qualify for premium: {eligible} · renewal due within {days} days: "
             "{renewals}").format(
        sessions=report.sessions, registered=len(registered), premium=premium,
        eligible=sum(1 for row in report.people if row.eligible_premium), days=notice_days,
        renewals=sum(1 for row in report.people if renewal_soon(row, today, notice_days)))
