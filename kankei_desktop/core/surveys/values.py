"""How answers are stored: one text per answer, whatever the question's kind.

- ``scale``: the point as digits (``"4"``), within ``scale_min`` … ``scale_min + points - 1``;
- ``single``: the chosen option's text;
- ``multiple``: the chosen options' texts, one per line (option texts never hold a line break);
- ``text``: the free text (line breaks kept).

An empty value is no answer. Options of a choice question are stored one per line too.

Answers and options keep the characters the respondent or the form wrote (no NFKC: 「（」 and
「！」 stay full-width, as the form showed them); only line breaks and the ends are tidied.
Comparisons go through search keys where spelling may differ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kankei_desktop.core.japan.text import search_key, without_controls
from kankei_desktop.core.vocabulary import QuestionKind

#: The smallest and largest number of points of a scale (2 … 11, e.g. 0–10).
MIN_POINTS, MAX_POINTS = 2, 11

_DIGITS = re.compile(r"[+-]?\d{1,3}")


_CLOSING_MARKS = "。.?!:：、, "


def question_key(text: str) -> str:
    """What makes two questions the same question: the text's search key (width, kana, case
    and spaces ignored) without closing punctuation (「満足度を教えてください。」 and
    「満足度を教えてください」 are one question)."""
    return search_key(text).rstrip(_CLOSING_MARKS)


def scale_values(scale_min: int, points: int) -> list[int]:
    """The points of a scale in order: ``scale_values(1, 5)`` → ``[1, 2, 3, 4, 5]``."""
    return list(range(scale_min, scale_min + points))


def parse_point(cell: object) -> int | None:
    """A whole number written in a cell (``5``, ``5.0``, ``"５"``, ``" 5 "``), else None."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float):
        return int(cell) if cell.is_integer() else None
    text = unicodedata.normalize("NFKC", str(cell)).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if _DIGITS.fullmatch(text) else None


def one_line(text: str) -> str:
    """A one-line answer or option as stored: line breaks become spaces, ends stripped."""
    return " ".join(part.strip() for part in multiline(text).split("\n") if part.strip())


def multiline(text: str) -> str:
    """A free text as stored: line breaks as ``\\n``, the ends stripped, control characters
    dropped (a NUL from a damaged export), nothing else."""
    return without_controls((text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_option(text: str) -> str:
    """An option's text as stored (:func:`one_line`)."""
    return one_line(text)


def join_options(options: Iterable[str]) -> str:
    """Options (or chosen options) as one stored text, one per line, without repeats."""
    seen: list[str] = []
    for option in options:
        cleaned = clean_option(option)
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return "\n".join(seen)


def split_options(value: str) -> list[str]:
    """The options of a stored text (:func:`join_options`)."""
    return [line for line in (value or "").split("\n") if line]


def stored_value(kind: str, value: str) -> str:
    """``value`` normalised for storage under a question of ``kind``."""
    if kind == QuestionKind.TEXT:
        return multiline(value)
    if kind == QuestionKind.MULTIPLE:
        return join_options(value.split("\n"))
    return one_line(value)


def chosen(kind: str, value: str) -> list[str]:
    """What a stored answer counts as: the point or option(s) chosen (none for free text)."""
    if not value or kind == QuestionKind.TEXT:
        return []
    if kind == QuestionKind.MULTIPLE:
        return split_options(value)
    return [value]
