"""Table cells that stay inside their box, and column widths chosen from the content.

Names, dates, counts and short labels never break: :class:`FitText` draws them on one line,
first at a slightly smaller size, then condensed (長体, as Japanese forms do with a long name
in a fixed box). Longer text wraps at word boundaries without hanging punctuation (see
:mod:`kankei_desktop.reports.kinsoku`). :func:`column_widths` gives each column what its
content needs before the wrapping columns share the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

#: A one-line cell may first shrink to this share of its size, then condense (長体) ...
MIN_SIZE_SHARE = 0.85
#: ... to this horizontal scale (below it the text is still condensed further: it never
#: leaves its cell, even if it becomes hard to read).
READABLE_SCALE = 0.5
#: LEFTPADDING + RIGHTPADDING of a table cell (reportlab's default 6 each).
CELL_PADDING = 12.0
#: How far below the middle of its line box a line's baseline sits (share of the size): as
#: reportlab places a plain string in a cell, so both kinds of cell line up in a row.
_BASELINE_DROP = 0.25


class Kind(StrEnum):
    """How a column's cells are laid out."""

    TEXT = "text"  # may wrap at word boundaries
    FIT = "fit"  # one line, never breaks (names, dates, places of a word or two)
    NUMBER = "number"  # one line, right-aligned
    MARK = "mark"  # one line, centred (出 / 欠)


@dataclass(frozen=True)
class Column:
    """One column of a table: its header and how its cells behave.

    ``header`` may contain ``"\\n"`` where a two-line header breaks (「延べ\\n参加人数」); it
    is printed on one line when the column is wide enough. ``weight`` is the share of spare
    width a TEXT column receives (relative to the others).
    """

    header: str
    kind: Kind = Kind.TEXT
    weight: float = 1.0
    share: float = 0.0
    """A fixed share of the table's width (a 署名 column, empty until signed)."""

    @property
    def one_line(self) -> bool:
        return self.kind is not Kind.TEXT


@dataclass(frozen=True)
class Fit:
    """How a text is drawn in a given width: size, horizontal scale and resulting width."""

    size: float
    scale: float
    width: float


def fit(widest: float, size: float, available: float) -> Fit:
    """Shrink, then condense, a line ``widest`` points wide at ``size`` into ``available``."""
    if widest <= available or widest <= 0:
        return Fit(size, 1.0, widest)
    smaller = max(size * MIN_SIZE_SHARE, size * available / widest)
    scale = min(1.0, available / (widest * smaller / size))
    return Fit(smaller, scale, widest * smaller / size * scale)


class FitText(Flowable):  # type: ignore[misc]
    """Lines that never wrap: they shrink and condense until each fits the cell's width."""

    def __init__(self, lines: Sequence[str], font: str, size: float, *, leading: float,
                 align: str = "LEFT", color: Any = None) -> None:
        super().__init__()
        self.lines = list(lines) or [""]
        self.font = font
        self.size = size
        self.leading = leading
        self.align = align
        self.color = color
        self._widest = max(stringWidth(line, font, size) for line in self.lines)
        self._fit = Fit(size, 1.0, self._widest)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._fit = fit(self._widest, self.size, avail_width)
        self.width = self._fit.width
        self.height = self.leading * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        size, scale = self._fit.size, self._fit.scale
        canvas.saveState()
        if self.color is not None:
            canvas.setFillColor(self.color)
        for number, line in enumerate(self.lines):
            width = stringWidth(line, self.font, size) * scale
            x = {"LEFT": 0.0, "CENTER": (self.width - width) / 2,
                 "RIGHT": self.width - width}.get(self.align, 0.0)
            middle = self.height - (number + 0.5) * self.leading
            baseline = middle - size * _BASELINE_DROP
            text = canvas.beginText(x, baseline)
            text.setFont(self.font, size)
            if scale < 1.0:
                text.setHorizScale(scale * 100)
            text.textOut(line)
            canvas.drawText(text)
        canvas.restoreState()


def text_width(text: str, font: str, size: float) -> float:
    """The width of the widest line of ``text``."""
    return max(float(stringWidth(line, font, size)) for line in text.split("\n"))


def _units(text: str) -> list[str]:
    """The pieces a wrapping cell will not split: Latin words, numbers, katakana words."""
    from kankei_desktop.reports.kinsoku import _same_word

    units: list[str] = []
    for ch in text:
        if units and units[-1] and _same_word(units[-1][-1], ch):
            units[-1] += ch
        elif ch.isspace():
            units.append("")
        else:
            units.append(ch)
    return [unit for unit in units if unit]


@dataclass
class _Need:
    """What one column asks for: its natural width and the least it can do with."""

    want: float
    need: float
    weight: float
    one_line: bool


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], total: float, *,
                  body_font: str, head_font: str, size: float) -> list[float]:
    """Widths (points) for ``columns`` sharing ``total``.

    One-line columns get their widest cell (and their header on one line when there is
    room, else on two); wrapping columns get at least their longest word and share what is
    left by their natural width times their weight. When even that does not fit, the
    one-line columns give way proportionally (their cells then condense). Columns with a
    ``share`` get exactly that share first.
    """
    fixed = [column.share * total for column in columns]
    if any(fixed):
        free = [index for index, width in enumerate(fixed) if not width]
        rest = column_widths([columns[index] for index in free],
                             [[row[index] if index < len(row) else "" for index in free]
                              for row in rows], total - sum(fixed),
                             body_font=body_font, head_font=head_font, size=size)
        for index, width in zip(free, rest, strict=True):
            fixed[index] = width
        return fixed
    needs = []
    for index, column in enumerate(columns):
        header_one = stringWidth(column.header.replace("\n", ""), head_font, size)
        header_two = text_width(column.header, head_font, size)
        body = max((text_width(row[index], body_font, size) for row in rows
                    if index < len(row) and row[index]), default=0.0)
        if column.one_line:
            needs.append(_Need(max(body, header_one) + CELL_PADDING,
                               max(body, header_two) + CELL_PADDING, column.weight, True))
        else:
            words = max((stringWidth(unit, body_font, size) for row in rows
                         if index < len(row) for unit in _units(row[index])), default=0.0)
            least = max(min(words, size * 8), header_two, size * 2)
            needs.append(_Need(max(body, header_one, least) + CELL_PADDING,
                               least + CELL_PADDING, column.weight, False))
    if sum(item.want for item in needs) <= total:
        return _spread([item.want for item in needs], needs, total)
    widths = [item.need for item in needs]
    if sum(widths) > total:
        # Not even the least fits: the one-line columns give way (their cells condense).
        rigid = sum(width for width, item in zip(widths, needs, strict=True) if item.one_line)
        keep = max(total - (sum(widths) - rigid), 0.0)
        scale = keep / rigid if rigid else 1.0
        return [width * scale if item.one_line else width
                for width, item in zip(widths, needs, strict=True)]
    # What is left goes first to the wrapping columns (fewer lines), then to one-line
    # headers of the one-line columns.
    for one_line in (False, True):
        deficits = [item.want - width if item.one_line == one_line else 0.0
                    for width, item in zip(widths, needs, strict=True)]
        widths = _fill(widths, deficits, [item.weight for item in needs], total)
    return widths


def _fill(widths: list[float], deficits: list[float], weights: list[float],
          total: float) -> list[float]:
    """Share what is left of ``total`` by weight among the columns still short of their
    natural width, none getting more than it lacks (water-filling)."""
    widths = widths[:]
    deficits = deficits[:]
    while True:
        spare = total - sum(widths)
        active = [index for index, deficit in enumerate(deficits) if deficit > 1e-6]
        if spare <= 1e-6 or not active:
            return widths
        weight = sum(weights[index] for index in active)
        for index in active:
            gain = min(deficits[index], spare * weights[index] / weight)
            widths[index] += gain
            deficits[index] -= gain


def _spread(widths: list[float], needs: Sequence[_Need], total: float) -> list[float]:
    """Give the slack to the wrapping columns (by weight), or to all when none wraps."""
    slack = total - sum(widths)
    takers = [index for index, item in enumerate(needs) if not item.one_line] or \
        list(range(len(needs)))
    weights = sum(needs[index].weight for index in takers)
    for index in takers:
        widths[index] += slack * needs[index].weight / weights
    return widths
