"""Text normalisation, search keys, 50音順 sort keys and name helpers.

Pure Python: no Qt, no database. See docs/ARCHITECTURE.md ("Japanese facts").
"""

from __future__ import annotations

import re
import unicodedata

import jaconv

__all__ = [
    "ReadingSortKey",
    "display_name",
    "is_kana_reading",
    "normalize_multiline",
    "normalize_text",
    "reading_collation_key",
    "reading_sort_key",
    "search_key",
    "split_full_name",
    "without_controls",
]

_FULLWIDTH_TILDE = "\uff5e"  # FULLWIDTH TILDE: NFKC would turn it into an ASCII "~"
_WAVE_DASH = "\u301c"  # 〜, kept as is
_WHITESPACE_RUN = re.compile(r"\s+")
_NAME_SPACE = re.compile("[ \u3000]+")


#: Control characters no text field keeps (tab and the line breaks are whitespace): a NUL
#: or an escape pasted from a damaged spreadsheet, which PostgreSQL's text refuses outright.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x84\x86-\x9f]")


def without_controls(value: str) -> str:
    """``value`` without the control characters no text field keeps (see :data:`_CONTROL`)."""
    return _CONTROL.sub("", value)


def _nfkc(value: str) -> str:
    """NFKC that keeps the wave dash (U+FF5E becomes 〜, never ~ or ー), without control
    characters."""
    return unicodedata.normalize("NFKC", without_controls(value.replace(_FULLWIDTH_TILDE,
                                                                        _WAVE_DASH)))


def normalize_text(value: str | None) -> str:
    """Normalise one line of user text for storage.

    NFKC (half-width ｶﾅ → カナ, full-width Latin and digits → ASCII, ① → 1, ㈱ → (株)), except
    that 〜 is kept and the full-width tilde U+FF5E becomes 〜. Whitespace runs (including the
    full-width space and line breaks) collapse to one ASCII space; both ends are stripped.
    ``None`` gives ``""``.
    """
    if not value:
        return ""
    return _WHITESPACE_RUN.sub(" ", _nfkc(value)).strip()


def normalize_multiline(value: str | None) -> str:
    """Normalise multi-line text (notes) like :func:`normalize_text`, keeping line breaks.

    Each line is NFKC-normalised, inner whitespace runs collapse to one space and trailing
    whitespace is removed. Leading indentation is kept (as ASCII spaces/tabs) because Japanese
    paragraphs often start with a full-width space (字下げ). Blank lines at the start and end are
    dropped; lines are joined with ``"\\n"``.
    """
    if not value:
        return ""
    lines: list[str] = []
    for raw_line in _nfkc(value).splitlines():
        body = raw_line.lstrip()
        indent = raw_line[: len(raw_line) - len(body)]
        # splitlines() already removed the breaks; keep only plain indentation characters.
        indent = "".join(ch if ch == "\t" else " " for ch in indent) if body else ""
        lines.append(indent + _WHITESPACE_RUN.sub(" ", body).rstrip())
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def search_key(value: str | None) -> str:
    """Return a width-, kana- and case-insensitive key for substring search.

    NFKC → katakana to hiragana → casefold → all whitespace removed, so ``ｻﾄｳ``, ``サトウ``
    and ``さ とう`` all give ``さとう``. The key is idempotent.
    """
    if not value:
        return ""
    result = value
    # Casefolding and NFKC do not commute; iterate to a fixed point (normally 1-2 rounds).
    for _ in range(4):
        step = jaconv.kata2hira(unicodedata.normalize("NFKC", result)).casefold()
        step = unicodedata.normalize("NFKC", "".join(step.split()))
        if step == result:
            break
        result = step
    return result


# --- 50音順 (JIS X 4061) --------------------------------------------------------------------

# hiragana → (base kana, voicing 0/1/2 = unvoiced/voiced/half-voiced, size 0/1 = large/small)
_KANA: dict[str, tuple[str, int, int]] = {}
for _base in (
    "あいうえおかきくけこさしすせそたちつてとなにぬねの"
    "はひふへほまみむめもやゆよらりるれろわゐゑをん"
):
    _KANA[_base] = (_base, 0, 0)
for _small, _base in zip("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ", strict=True):
    _KANA[_small] = (_base, 0, 1)
for _voiced, _base in zip(
    "がぎぐげござじずぜぞだぢづでどばびぶべぼゔ",
    "かきくけこさしすせそたちつてとはひふへほう",
    strict=True,
):
    _KANA[_voiced] = (_base, 1, 0)
for _half, _base in zip("ぱぴぷぺぽ", "はひふへほ", strict=True):
    _KANA[_half] = (_base, 2, 0)
# Katakana-only voiced letters without a precomposed hiragana form.
_KATAKANA_ONLY = {"ヷ": "わ", "ヸ": "ゐ", "ヹ": "ゑ", "ヺ": "を"}

_VOWEL: dict[str, str] = {"ん": "ん"}  # ー after ん repeats ん (there is no vowel to repeat)
for _vowel, _row in zip(
    "あいうえお",
    (
        "あかさたなはまやらわ",
        "いきしちにひみりゐ",
        "うくすつぬふむゆる",
        "えけせてねへめれゑ",
        "おこそとのほもよろを",
    ),
    strict=True,
):
    for _kana in _row:
        _VOWEL[_kana] = _vowel

# Group markers prefix every primary element: kana < latin/digits < others; empty sorts last.
_KANA_GROUP, _LATIN_GROUP, _OTHER_GROUP, _EMPTY = "1", "2", "3", "9"
# Separates the levels of the collation string; lower than every group marker.
_SEPARATOR = " "

ReadingSortKey = tuple[str, str, str, str, str, str]
"""(primary, voicing, size, mark, script, original) — see :func:`reading_sort_key`."""

# (group, primary character, voicing, size, mark (0 written, 1 ー/ゝ), script (0 hira, 1 kata))
_Element = tuple[str, str, int, int, int, int]


def _is_latin_or_digit(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    return unicodedata.name(ch, "").startswith("LATIN ")


def _elements(reading: str) -> list[_Element]:
    """Split a reading into collation elements (see :func:`reading_sort_key`)."""
    out: list[_Element] = []
    for original in unicodedata.normalize("NFKC", reading):
        ch, script = original, 0
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6 or code in (0x30FD, 0x30FE):  # katakana, ヽ ヾ
            ch, script = chr(code - 0x60), 1
        prev = out[-1] if out and out[-1][0] == _KANA_GROUP else None
        if ch in _KANA:
            base, voicing, size = _KANA[ch]
            out.append((_KANA_GROUP, base, voicing, size, 0, script))
        elif ch in _KATAKANA_ONLY:
            out.append((_KANA_GROUP, _KATAKANA_ONLY[ch], 1, 0, 0, 1))
        elif ch in "ゝゞ" and prev is not None:  # iteration marks repeat the previous kana
            out.append((_KANA_GROUP, prev[1], 1 if ch == "ゞ" else 0, 0, 1, script))
        elif ch == "ー" and prev is not None:
            out.append((_KANA_GROUP, _VOWEL[prev[1]], 0, 0, 1, 0))
        elif ch in "\u3099\u309a":  # combining (han)dakuten left over by NFKC
            if prev is not None:
                voicing = max(prev[2], 1 if ch == "\u3099" else 2)
                out[-1] = (prev[0], prev[1], voicing, prev[3], prev[4], prev[5])
        elif not ch.isspace():
            for folded in ch.casefold():
                group = _LATIN_GROUP if _is_latin_or_digit(folded) else _OTHER_GROUP
                out.append((group, folded, 0, 0, 0, 0))
    return out


def reading_sort_key(reading: str | None) -> ReadingSortKey:
    """Return a key that sorts readings in 50音順 (JIS X 4061 style).

    Primary level: NFKC, katakana → hiragana, small kana → large, voicing marks dropped, ー → the
    vowel of the preceding kana (かー = かあ; after ん it repeats ん), ゝ/ゞ → the preceding kana;
    whitespace is ignored. Ties are broken, in order, by: unvoiced < voiced < half-voiced
    (は < ば < ぱ), large before small (や < ゃ), a written kana before ー/ゝ (かあ < かー),
    hiragana before katakana (ねこ < ネコ), and finally the original string (code-point order),
    so the order is total and deterministic.

    Decision on other characters: kana sort first, then digits and Latin letters (NFKC +
    casefold, digits before letters), then everything else (kanji, symbols) in code-point order.
    An empty reading (``None``, ``""`` or only spaces) sorts after everything.
    """
    raw = reading or ""
    elements = _elements(raw)
    if not elements:
        return (_EMPTY, "", "", "", "", raw)
    return (
        "".join(group + primary for group, primary, *_ in elements),
        "".join(str(element[2]) for element in elements),
        "".join(str(element[3]) for element in elements),
        "".join(str(element[4]) for element in elements),
        "".join(str(element[5]) for element in elements),
        raw,
    )


def reading_collation_key(reading: str | None) -> str:
    """Return :func:`reading_sort_key` as one string for an indexed database column.

    Plain code-point (or UTF-8 byte, e.g. SQLite ``BINARY``) comparison of these strings gives
    the same order as comparing the tuples: every primary element is a group marker plus one
    character, levels are joined with a space (lower than any marker) and the secondary levels of
    equal primaries have equal lengths. The original string comes last.
    """
    return _SEPARATOR.join(reading_sort_key(reading))


def name_collation_key(family_reading: str | None, given_reading: str | None) -> str:
    """One sortable string for a person: family reading, then given reading, level by level.

    Primary letters decide first (family, then given), then voicing, size and so on, so the same
    family reading typed in katakana and in hiragana still sorts by the given reading.
    ``"\x01"`` (below every character a key holds) separates family from given on each level.
    """
    family = reading_sort_key(family_reading)
    given = reading_sort_key(given_reading)
    return _SEPARATOR.join(f"{f}\x01{g}" for f, g in zip(family, given, strict=True))


# --- names ------------------------------------------------------------------------------------


_KANA_READING = re.compile("[\u3041-\u3096\u309b-\u309f\u30a0-\u30ff \u3000]*")


def is_kana_reading(value: str) -> bool:
    """Whether ``value`` is written in kana only (ひらがな, カタカナ, ー, ・, spaces): what a
    reading must be to sort in 50音順 and to print as ふりがな. Empty counts as kana."""
    return _KANA_READING.fullmatch(_nfkc(value)) is not None


def split_full_name(value: str) -> tuple[str, str]:
    """Split a 氏名 cell at the first half- or full-width space into ``(family, given)``.

    ``"山田　太郎"`` → ``("山田", "太郎")``; without a space → ``(value, "")``.
    """
    parts = _NAME_SPACE.split(value.strip(" \u3000"), maxsplit=1)
    if len(parts) == 1:
        return parts[0], ""
    return parts[0], parts[1].strip(" \u3000")


def display_name(family: str, given: str) -> str:
    """Return the display form, family name first: ``"山田 太郎"`` (no trailing space)."""
    return " ".join(part for part in (family.strip(), given.strip()) if part)
