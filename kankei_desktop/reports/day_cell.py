"""One day of the 月間予定表: the date, the holiday, and the sessions that fit the box."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from kankei_desktop.reports.cells import fit
from kankei_desktop.reports.fonts import MINCHO
from kankei_desktop.reports.kinsoku import _char_width, break_lines

#: Size and leading of the sessions in a day cell.
ENTRY_SIZE = 6.5
ENTRY_LEADING = 8.0
#: Lines one session may take before it is cut with 「…」.
ENTRY_LINES = 2
DAY_SIZE = 10.0
HOLIDAY_SIZE = 6.5
ELLIPSIS = "…"
CANCELLED = colors.HexColor("#888888")


@dataclass(frozen=True)
class DayLine:
    """One session in a day cell: a prefix (club letter, time) and its title."""

    prefix: str
    text: str
    cancelled: bool = False

    @property
    def full(self) -> str:
        return f"{self.prefix} {self.text}".strip()


def wrap_lines(text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    """``text`` broken into at most ``limit`` lines of ``width``, the last cut with 「…」."""
    chars = list(text)
    widths = [_char_width(ch, font) * size for ch in chars]
    bounds = break_lines(chars, widths, width, hang=False)
    lines = [text[start:end] for start, end in bounds]
    if len(lines) <= limit:
        return lines
    last = text[bounds[limit - 1][0]:]
    room = width - stringWidth(ELLIPSIS, font, size)
    while last and stringWidth(last, font, size) > room:
        last = last[:-1]
    return [*lines[:limit - 1], last.rstrip() + ELLIPSIS]


class DayCell(Flowable):  # type: ignore[misc]
    """A day's box: every line it draws is inside ``width`` × ``height``."""

    def __init__(self, day: str, holiday: str | None, entries: list[DayLine], width: float,
                 height: float, *, colour: Any, more: Callable[[int], str],
                 number_font: str = MINCHO) -> None:
        super().__init__()
        self.day = day
        self.holiday = holiday or ""
        self.colour = colour
        self.number_font = number_font
        self.width = width
        self.height = height
        self.lines: list[tuple[str, bool]] = []  # (text, cancelled)
        room = int((height - DAY_SIZE * 1.25) // ENTRY_LEADING) - (1 if self.holiday else 0)
        wrapped = [wrap_lines(entry.full, MINCHO, ENTRY_SIZE, width, ENTRY_LINES)
                   for entry in entries]
        if sum(len(lines) for lines in wrapped) <= room:
            for entry, lines in zip(entries, wrapped, strict=True):
                self.lines += [(line, entry.cancelled) for line in lines]
            return
        if room < 1:
            return
        shown = 0
        for entry, lines in zip(entries, wrapped, strict=True):
            if len(self.lines) + len(lines) > room - 1:
                break
            self.lines += [(line, entry.cancelled) for line in lines]
            shown += 1
        if shown == 0 and room > 1:  # the first session, cut to what is left
            first = entries[0]
            self.lines = [(line, first.cancelled) for line in wrap_lines(
                first.full, MINCHO, ENTRY_SIZE, width, room - 1)]
            shown = 1
        self.lines.append((more(len(entries) - shown), False))

    def texts(self) -> list[str]:
        """Every string the cell draws (for the glyph check)."""
        return [self.day, self.holiday, *(text for text, _cancelled in self.lines)]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        top = self.height
        canvas.setFillColor(self.colour)
        canvas.setFont(self.number_font, DAY_SIZE)
        baseline = top - DAY_SIZE * 0.9
        canvas.drawString(0, baseline, self.day)
        y = top - DAY_SIZE * 1.25
        if self.holiday:
            used = stringWidth(self.day, self.number_font, DAY_SIZE) + 2
            room = self.width - used
            width = stringWidth(self.holiday, MINCHO, HOLIDAY_SIZE)
            if width <= room:
                canvas.setFont(MINCHO, HOLIDAY_SIZE)
                canvas.drawString(used, baseline, self.holiday)
            else:
                self._fitted(self.holiday, y - HOLIDAY_SIZE)
                y -= ENTRY_LEADING
        canvas.setFillColor(colors.HexColor("#222222"))
        for text, cancelled in self.lines:
            canvas.setFillColor(CANCELLED if cancelled else colors.HexColor("#222222"))
            y -= ENTRY_LEADING
            canvas.setFont(MINCHO, ENTRY_SIZE)
            canvas.drawString(0, y + (ENTRY_LEADING - ENTRY_SIZE) / 2, text)
        canvas.restoreState()

    def _fitted(self, text: str, baseline: float) -> None:
        """The holiday's name on its own line, condensed to the cell's width if need be."""
        size = fit(stringWidth(text, MINCHO, HOLIDAY_SIZE), HOLIDAY_SIZE, self.width)
        line = self.canv.beginText(0, baseline)
        line.setFont(MINCHO, size.size)
        if size.scale < 1:
            line.setHorizScale(size.scale * 100)
        line.textOut(text)
        self.canv.drawText(line)
