"""Plain-text tables that line up in a terminal, counting full-width characters as two."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide/full-width count double)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns."""
    filler = " " * max(0, width - display_width(text))
    return filler + text if right else text + filler


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, numeric: Sequence[int] = ()
) -> str:
    """A table with a header line and a rule; columns in ``numeric`` are right-aligned."""
    widths = [display_width(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], display_width(cell))
    lines = ["  ".join(pad(h, widths[i], right=i in numeric) for i, h in enumerate(headers))]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append(
            "  ".join(pad(cell, widths[i], right=i in numeric) for i, cell in enumerate(row))
        )
    return "\n".join(line.rstrip() for line in lines)
