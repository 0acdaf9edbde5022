"""Japanese line breaking (kinsoku shori) for reportlab's ``wordWrap="CJK"``.

reportlab's own CJK splitter lets a line end with an opening bracket 「（」 and hangs at most
one closing character. :func:`break_lines` is the rule set used instead, as a pure function
over characters and their widths (unit-tested), and :func:`install` routes reportlab's
``cjkFragSplit`` through it:

- an opening bracket never ends a line (it moves to the next line, 追い出し);
- a closing bracket or 、。 never starts a line: up to two such characters hang in the margin
  (ぶら下げ, e.g. 」。), otherwise the break moves back;
- a run of Latin letters or digits (a URL, a number) is not split unless it fills a line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

CANNOT_START = frozenset(
    "、。，．,.:;?!！？)）]］}｝」』】〕〉》〙〗〟’”｠»ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～・：；％‰℃°′″"
)
CANNOT_END = frozenset("(（[［{｛「『【〔〈《〘〖〝‘“｟«＄￥＃＠〒§")
MAX_HANG = 2
_FUZZ = 1e-6


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_/.:@%&?=#~+")


def break_lines(chars: Sequence[str], widths: Sequence[float], max_width: float | Callable[
        [int], float], forced: Sequence[bool] | None = None) -> list[tuple[int, int]]:
    """Split ``chars`` into lines; return ``(start, end)`` index pairs (end exclusive).

    ``max_width`` may be a function of the line number (first lines of a paragraph can be
    narrower). ``forced[i]`` ends a line after character ``i`` (``<br/>``).
    """
    def limit(line: int) -> float:
        return max_width(line) if callable(max_width) else max_width

    lines: list[tuple[int, int]] = []
    count = len(chars)
    start = 0
    while start < count:
        width = 0.0
        end = start
        available = limit(len(lines))
        while end < count:
            if width + widths[end] > available + _FUZZ and end > start:
                break
            width += widths[end]
            end += 1
            if forced is not None and forced[end - 1]:
                break
        else:
            lines.append((start, end))
            break
        if forced is not None and forced[end - 1]:
            lines.append((start, end))
            start = end
            continue
        end = _adjust(chars, start, end)
        lines.append((start, end))
        start = end
    return lines


def _adjust(chars: Sequence[str], start: int, end: int) -> int:
    """Move the break ``end`` (the next line's first character) to obey kinsoku."""
    count = len(chars)
    # ぶら下げ: hang up to MAX_HANG closing characters in the margin.
    hang = end
    while hang < count and hang - end < MAX_HANG and chars[hang] in CANNOT_START:
        hang += 1
    if hang > end and (hang == count or chars[hang] not in CANNOT_START):
        return hang
    # 追い込み/追い出し: move the break back over opening brackets and before closing ones.
    candidate = end
    while candidate > start + 1 and (
        chars[candidate - 1] in CANNOT_END or chars[candidate] in CANNOT_START
    ):
        candidate -= 1
    if candidate > start + 1 or (
        chars[candidate - 1] not in CANNOT_END and chars[candidate] not in CANNOT_START
    ):
        end = candidate
    # Keep a Latin word or number whole unless it fills the line.
    if end < count and _is_word_char(chars[end]) and _is_word_char(chars[end - 1]):
        word_start = end
        while word_start > start and _is_word_char(chars[word_start - 1]):
            word_start -= 1
        if word_start > start and chars[word_start - 1] not in CANNOT_END:
            end = word_start
    return end


def wrap_text(text: str, max_chars: int) -> list[str]:
    """``text`` in lines of at most ``max_chars`` full-width cells (for tests and tools)."""
    widths = [1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in text]
    return [text[a:b] for a, b in break_lines(list(text), widths, float(max_chars))]


@cache
def install() -> None:
    """Route reportlab's CJK paragraph splitting through :func:`break_lines`."""
    from reportlab.platypus import paragraph

    paragraph.cjkFragSplit = _cjk_frag_split
    paragraph.wordSplit = _word_split  # a paragraph of one plain fragment goes this way


def _word_split(text: str | bytes, max_widths: Any, font_name: str, font_size: float,
                encoding: str = "utf8") -> list[tuple[float, str]]:
    """Drop-in replacement for ``reportlab.lib.textsplit.wordSplit``: ``(extra, line)``."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if isinstance(text, bytes):
        text = text.decode(encoding)
    widths_list = max_widths if isinstance(max_widths, (list, tuple)) else [max_widths]

    def limit(line: int) -> float:
        return float(widths_list[min(line, len(widths_list) - 1)])

    whole = stringWidth(text, font_name, font_size)
    if whole <= limit(0) + _FUZZ:
        return [(limit(0) - whole, text)]  # the usual case in table cells: it fits
    widths = [_char_width(ch, font_name) * font_size for ch in text]
    result = []
    for number, (start, end) in enumerate(break_lines(list(text), widths, limit)):
        result.append((limit(number) - sum(widths[start:end]), text[start:end]))
    return result


@cache
def _char_width(ch: str, font_name: str) -> float:
    """Width of ``ch`` at size 1 (cached: the fonts' metrics never change)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(ch, font_name, 1.0))


def _cjk_frag_split(frags: Any, max_widths: Any, calc_bounds: Any,
                    encoding: str = "utf8") -> Any:
    """Drop-in replacement for ``reportlab.platypus.paragraph.cjkFragSplit``."""
    from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

    glyphs: list[Any] = []
    for frag in frags:
        text = frag.text
        if isinstance(text, bytes):  # pragma: no cover - reportlab hands us str
            text = text.decode(encoding)
        if text:
            glyphs.extend(cjkU(ch, frag, encoding) for ch in text)
        else:
            glyphs.append(cjkU(text, frag, encoding))

    def limit(line: int) -> float:
        return float(max_widths[min(line, len(max_widths) - 1)])

    widths: list[float] = []
    for index, glyph in enumerate(glyphs):
        width = glyph.width
        if hasattr(width, "normalizedValue"):
            width._normalizer = limit(0)
            width = width.normalizedValue(limit(0))
        widths.append(float(width))
        glyphs[index] = glyph
    forced = [hasattr(glyph.frag, "lineBreak") for glyph in glyphs]
    chars = [str(glyph) for glyph in glyphs]
    lines = []
    bounds = break_lines(chars, widths, limit, forced)
    for number, (start, end) in enumerate(bounds):
        used = sum(widths[start:end])
        available = limit(number)
        lines.append(makeCJKParaLine(glyphs[start:end], available, used, available - used,
                                     forced[end - 1] if end > start else False, calc_bounds))
    return ParaLines(kind=1, lines=lines)
