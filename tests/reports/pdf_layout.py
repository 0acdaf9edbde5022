"""Where the text and the rules of a PDF are (pypdf's visitors), for layout tests.

A run is what one text-showing operator draws (reportlab: one line of a cell or paragraph),
with its box in page space (points, y up); its width comes from the embedded font's
metrics (the same IPAex fonts, measured with reportlab) times the horizontal scale (長体).
A rule is a stroked straight segment (a table's grid).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from kankei_desktop.reports.fonts import register_fonts

#: Glyph box as a share of the size above and below the baseline (IPAex: ascent 0.88,
#: descent 0.12), taken a little inside so that touching is not crossing.
ASCENT = 0.8
DESCENT = 0.08
#: Tolerance (points) when comparing positions.
EPSILON = 0.3


@dataclass(frozen=True)
class Run:
    """One drawn run of text."""

    page: int
    text: str
    x0: float
    x1: float
    baseline: float
    size: float

    @property
    def bottom(self) -> float:
        return self.baseline - DESCENT * self.size

    @property
    def top(self) -> float:
        return self.baseline + ASCENT * self.size


@dataclass(frozen=True)
class Rule:
    """A stroked straight segment."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def vertical(self) -> bool:
        return abs(self.x0 - self.x1) < EPSILON

    @property
    def horizontal(self) -> bool:
        return abs(self.y0 - self.y1) < EPSILON


def _multiply(first: list[float], second: list[float]) -> list[float]:
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]


def _font_name(font: Any) -> str:
    name = str(font.get("/BaseFont", "")) if font else ""
    return re.sub(r"^/?([A-Z]{6}\+)?", "", name)


def layout(pdf: bytes) -> tuple[list[Run], list[Rule]]:
    """Every run of text and every rule of ``pdf``."""
    register_fonts()
    runs: list[Run] = []
    rules: list[Rule] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        scales: list[float] = [1.0]
        path: list[tuple[float, float, float, float]] = []
        current: list[float] = [0.0, 0.0]

        def before(operator: bytes, args: list[Any], cm: list[float], tm: list[float],
                   number: int = number, scales: list[float] = scales,
                   path: list[tuple[float, float, float, float]] = path,
                   current: list[float] = current) -> None:
            if operator == b"q":
                scales.append(scales[-1])
            elif operator == b"Q" and len(scales) > 1:
                scales.pop()
            elif operator == b"Tz":
                scales[-1] = float(args[0]) / 100
            elif operator in (b"m", b"l"):
                x, y = float(args[0]), float(args[1])
                px = cm[0] * x + cm[2] * y + cm[4]
                py = cm[1] * x + cm[3] * y + cm[5]
                if operator == b"l":
                    path.append((current[0], current[1], px, py))
                current[:] = [px, py]
            elif operator in (b"S", b"s"):
                rules.extend(Rule(number, *segment) for segment in path)
                path.clear()
            elif operator in (b"n", b"f", b"f*", b"B", b"b"):
                path.clear()

        def text(value: str, cm: list[float], tm: list[float], font: Any, size: float,
                 number: int = number, scales: list[float] = scales) -> None:
            shown = value.rstrip("\n")
            if not shown.strip():
                return
            matrix = _multiply(tm, cm)
            scale = abs(matrix[0])
            width = stringWidth(shown, _font_name(font), size) * scales[-1] * scale
            last = runs[-1] if runs else None
            if last is not None and last.page == number and \
                    abs(last.baseline - matrix[5]) < EPSILON and abs(last.x0 - matrix[4]) < EPSILON:
                # pypdf reports the pieces of one line (a font subset change inside it) with
                # the line's origin: they continue the previous run.
                runs[-1] = Run(number, last.text + shown, last.x0, last.x1 + width,
                               last.baseline, last.size)
                return
            runs.append(Run(number, shown, matrix[4], matrix[4] + width, matrix[5],
                            size * abs(matrix[3])))

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return runs, rules


def crossings(pdf: bytes) -> list[tuple[Run, Rule]]:
    """Runs of text that a rule passes through (a glyph on the rule or past it)."""
    runs, rules = layout(pdf)
    found = []
    for run in runs:
        inner = run.text.strip()
        if not inner:
            continue
        for rule in rules:
            if rule.page != run.page:
                continue
            if rule.vertical:
                low, high = sorted((rule.y0, rule.y1))
                if run.x0 + EPSILON < rule.x0 < run.x1 - EPSILON and low < run.top and \
                        high > run.bottom:
                    found.append((run, rule))
            elif rule.horizontal:
                low, high = sorted((rule.x0, rule.x1))
                if run.bottom + EPSILON < rule.y0 < run.top - EPSILON and low < run.x1 and \
                        high > run.x0:
                    found.append((run, rule))
    return found


def broken_words(pdf: bytes, words: list[str]) -> list[str]:
    """Those of ``words`` (spaces ignored) printed across two runs (two lines or cells).

    Each occurrence is found in the page's text with the runs joined; a word is broken when
    an occurrence starts in one run and ends in another.
    """
    runs, _rules = layout(pdf)
    broken = []
    pages = sorted({run.page for run in runs})
    for page in pages:
        pieces = ["".join(run.text.split()) for run in runs if run.page == page]
        joined = "".join(pieces)
        owner: list[int] = []
        for index, piece in enumerate(pieces):
            owner += [index] * len(piece)
        for word in words:
            target = "".join(word.split())
            for match in re.finditer(re.escape(target), joined):
                if owner[match.start()] != owner[match.end() - 1]:
                    broken.append(word)
    return broken


def lowest_text(pdf: bytes, page: int, footer: float = 40.0) -> float:
    """The baseline of the lowest run on ``page`` above the footer (page numbers)."""
    runs, _rules = layout(pdf)
    return min(run.baseline for run in runs if run.page == page and run.baseline > footer)
