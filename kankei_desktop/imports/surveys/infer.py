"""Guessing what kind of question a column holds, and splitting multiple-choice answers.

In order (the first that fits):

1. every answer a whole number from 0 to 10 → a **scale** (1–5, 1–7, 1–10 or 0–10: the
   smallest usual scale that holds every answer, so a point nobody chose is still counted);
2. an answer with a line break → **free text**;
3. answers that split on the form's separator (Google ", ", Microsoft ";") into options that
   recur across responses, or Microsoft's trailing ";" → **multiple choice**;
4. long answers, sentences, answers with the separator that are no options, or answers that
   are mostly distinct → **free text**;
5. the rest → **single choice**.

Splitting never cuts inside brackets or quotes (「…」, （…）, "…"), and an option whose text
contains the separator stays whole when the survey already knows it, or when the file shows it
chosen on its own in several responses and its parts never apart.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from kankei_desktop.core.japan.text import normalize_text, search_key
from kankei_desktop.core.surveys.values import one_line, parse_point
from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.imports.reading import Cell
from kankei_desktop.imports.surveys.form import cell_text

_PAIRS = {"「": "」", "『": "』", "（": "）", "(": ")", "【": "】", "［": "］", "[": "]",
          "〔": "〕", "“": "”", "‘": "’", '"': '"', "＂": "＂"}
_NOTHING = frozenset(search_key(text) for text in (
    "特になし", "特に無し", "なし", "無し", "特にありません", "ありません", "特にない", "ない",
    "none", "n/a", "na", "no", "-", "ー", "特になし。", "なし。", "特にありません。"))
_SENTENCE_MARKS = "。！？!?"
#: The usual scales: the smallest one that holds every answer is chosen.
_SCALE_TOPS = (5, 7, 10)


@dataclass(frozen=True)
class ColumnKind:
    """A column's kind with what goes with it: options, or the scale's range."""

    kind: str
    options: tuple[str, ...] = ()
    scale_min: int = 1
    points: int = 5


def pieces(text: str, separator: str) -> list[str]:
    """``text`` cut at ``separator`` outside brackets and quotes (normalised, no empties)."""
    parts: list[str] = []
    current: list[str] = []
    closers: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if closers and char == closers[-1]:
            closers.pop()
        elif char in _PAIRS:
            closers.append(_PAIRS[char])
        elif not closers and text.startswith(separator, index):
            parts.append("".join(current))
            current = []
            index += len(separator)
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    if closers:  # unbalanced brackets: they say nothing, cut everywhere
        parts = text.split(separator)
    cleaned = [one_line(part) for part in parts]
    return [part for part in cleaned if part]


def split_answer(text: str, separator: str, known: Collection[str] = ()) -> list[str]:
    """The options of one multiple-choice answer. Neighbouring pieces are joined again where
    the joined text is a ``known`` option (fewest options wins)."""
    whole = one_line(text)
    if whole in known:
        return [whole]
    parts = pieces(text, separator)
    joiner = separator if separator.strip() == separator else separator.strip() + " "
    best: list[list[str] | None] = [[]] + [None] * len(parts)
    for start in range(len(parts)):
        so_far = best[start]
        if so_far is None:
            continue
        for end in range(start + 1, len(parts) + 1):
            segment = joiner.join(parts[start:end]) if end - start > 1 else parts[start]
            if end - start > 1 and segment not in known:
                continue
            candidate = [*so_far, segment]
            if best[end] is None or len(candidate) < len(best[end] or ()):
                best[end] = candidate
    return best[-1] or parts


def atomic_options(texts: Sequence[str], separator: str) -> set[str]:
    """Options that contain the separator, as the file shows them: a whole answer given by
    at least two responses whose pieces never appear apart from each other."""
    split = [pieces(text, separator) for text in texts]
    wholes: dict[str, int] = {}
    for text, parts in zip(texts, split, strict=True):
        if len(parts) >= 2:
            key = one_line(text)
            wholes[key] = wholes.get(key, 0) + 1
    atoms = set()
    for whole, count in wholes.items():
        if count < 2:
            continue
        sequence = pieces(whole, separator)
        if all(_always_together(parts, sequence) for parts in split):
            atoms.add(whole)
    return atoms


def _always_together(parts: list[str], sequence: list[str]) -> bool:
    covered: set[int] = set()
    width = len(sequence)
    for start in range(len(parts) - width + 1):
        if parts[start:start + width] == sequence:
            covered.update(range(start, start + width))
    return all(index in covered for index, part in enumerate(parts) if part in sequence)


def scale_range(points: Iterable[int]) -> tuple[int, int]:
    """``(scale_min, points)`` of the smallest usual scale holding every answer."""
    values = list(points)
    if not values:
        return 1, 5
    low = 0 if min(values) <= 0 else 1
    top = next((top for top in _SCALE_TOPS if max(values) <= top), max(values))
    return low, top - low + 1


def _as_scale(cells: Sequence[Cell]) -> ColumnKind | None:
    answered = [cell for cell in cells if cell_text(cell)]
    values = [parse_point(cell) for cell in answered]
    numbers = [value for value in values if value is not None]
    if len(numbers) != len(values) or not numbers or min(numbers) < 0 or max(numbers) > 10:
        return None
    low, points = scale_range(numbers)
    return ColumnKind(QuestionKind.SCALE.value, scale_min=low, points=points)


def _recurring(split: list[list[str]]) -> bool:
    """Some answers hold several pieces, and most pieces recur across responses."""
    if not any(len(parts) >= 2 for parts in split):
        return False
    occurrences = [part for parts in split for part in parts]
    if sum(len(part) for part in occurrences) / len(occurrences) > 40:
        return False
    answers_with: dict[str, int] = {}
    for parts in split:
        for part in set(parts):
            answers_with[part] = answers_with.get(part, 0) + 1
    recurring = sum(1 for part in occurrences if answers_with[part] >= 2)
    return recurring * 2 >= len(occurrences)


def _free_text(texts: list[str]) -> bool:
    """Long answers, sentences, or mostly distinct answers ('nothing' answers aside)."""
    lengths = [len(text) for text in texts]
    mean = sum(lengths) / len(lengths)
    if mean >= 25 or max(lengths) >= 40:
        return True
    sentences = sum(1 for text in texts if any(mark in text for mark in _SENTENCE_MARKS))
    if sentences * 10 >= len(texts) * 3:
        return True
    meaningful = [text for text in texts if search_key(text) not in _NOTHING]
    distinct = len(set(meaningful))
    if distinct >= 3 and distinct == len(meaningful) and mean >= 10:
        return True
    return distinct >= 4 and distinct * 10 >= len(meaningful) * 9


def _clauses(texts: list[str], split: list[list[str]]) -> bool:
    """An answer given once that holds the separator without being options: a sentence
    with a comma (an option holding the separator would be chosen again)."""
    return any(len(parts) >= 2 and texts.count(text) == 1
               for text, parts in zip(texts, split, strict=True))


def infer_kind(cells: Sequence[Cell], separator: str, known: Collection[str] = ()
               ) -> ColumnKind:
    """The kind of the column ``cells`` (see the module docstring), with its options or
    scale. ``known``: options the survey already has for this question."""
    texts = [text for text in (cell_text(cell) for cell in cells) if text]
    if not texts:
        return ColumnKind(QuestionKind.TEXT.value)
    scale = _as_scale(cells)
    if scale is not None:
        return scale
    if any("\n" in text for text in texts):
        return ColumnKind(QuestionKind.TEXT.value)
    options = {one_line(option) for option in known} | atomic_options(texts, separator)
    split = [split_answer(text, separator, options) for text in texts]
    trailing = separator.strip() == ";" and sum(
        1 for text in texts if text.endswith(";")) * 2 >= len(texts)
    if trailing or _recurring(split):
        return ColumnKind(QuestionKind.MULTIPLE.value,
                          tuple(_in_order(known, (part for parts in split for part in parts))))
    if _free_text([normalize_text(text) for text in texts]) or _clauses(texts, split):
        return ColumnKind(QuestionKind.TEXT.value)
    return ColumnKind(QuestionKind.SINGLE.value, tuple(_in_order(known, map(one_line, texts))))


def kind_as(kind: str, cells: Sequence[Cell], separator: str, known: Collection[str] = ()
            ) -> ColumnKind:
    """The column read as ``kind`` (the user's correction): its options or scale range."""
    texts = [text for text in (cell_text(cell) for cell in cells) if text]
    if kind == QuestionKind.SCALE:
        numbers = [value for value in map(parse_point, texts) if value is not None]
        low, points = scale_range(value for value in numbers if 0 <= value <= 10)
        return ColumnKind(kind, scale_min=low, points=points)
    if kind == QuestionKind.MULTIPLE:
        options = {one_line(option) for option in known} | atomic_options(texts, separator)
        return ColumnKind(kind, tuple(_in_order(known, (
            part for text in texts for part in split_answer(text, separator, options)))))
    if kind == QuestionKind.SINGLE:
        return ColumnKind(kind, tuple(_in_order(known, map(one_line, texts))))
    return ColumnKind(QuestionKind.TEXT.value)


def _in_order(known: Iterable[str], found: Iterable[str]) -> list[str]:
    """The known options first, then the others as they first appear."""
    result: list[str] = []
    for option in [*known, *found]:
        if option and option not in result:
            result.append(option)
    return result
