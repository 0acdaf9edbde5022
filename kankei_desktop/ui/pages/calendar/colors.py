"""Stable colours: each club keeps its colour (derived from its id) in every view and run."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtGui import QColor

#: Calm, distinguishable colours that carry white text (contrast ≥ 4.5 : 1 on most).
PALETTE = (
    "#2f6f9f", "#b5523b", "#3f7f4f", "#7a4f9a", "#a0662a", "#2e7d7a",
    "#9c3f6e", "#5a6b2e", "#4a5aa8", "#8a5a44", "#2f7f9f", "#6b4fa0",
)
SUNDAY = QColor("#c62828")
SATURDAY = QColor("#1565c0")
WEEKDAY = QColor("#212121")
MUTED = QColor("#9e9e9e")
TODAY = QColor("#fff4cc")
TODAY_RING = QColor("#e0a800")
HOLIDAY_BACKGROUND = QColor("#fdf0f0")
GRID = QColor("#d6d6d6")


def club_color(club_id: uuid.UUID) -> QColor:
    """The club's colour (same id → same colour, everywhere)."""
    return QColor(PALETTE[club_id.int % len(PALETTE)])


def day_color(day: date, holiday: str) -> QColor:
    """Sundays and holidays red, Saturdays blue, as Japanese calendars do."""
    if holiday or day.weekday() == 6:
        return SUNDAY
    if day.weekday() == 5:
        return SATURDAY
    return WEEKDAY
