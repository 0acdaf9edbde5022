"""Japanese line breaking (kinsoku shori) for reportlab's ``wordWrap="CJK"``.

reportlab's own CJK splitter lets a line end with an opening bracket 「（」 and hangs at most
one closing character. :func:`break_lines` is the rule set used instead, as a pure function
over characters and their widths (unit-tested), and :func:`install` routes reportlab's
``cjkFragSplit`` through it:

- an opening bracket never ends a line (it moves to the next line, 追い出し);
- a closing bracket, 、。, a small kana, ー or ・ never starts a line;
- in body text 、。 and closing brackets may hang in the margin (ぶら下げ, at most two, e.g.
  」。); small kana, ー and ・ never hang (JIS X 4051 hangs only punctuation): the break
  moves back instead. Inside a table cell nothing hangs — there is no margin, a hanging
  character would sit on the rule — so paragraphs hang only when their style says
  ``kinsokuHang=True``;
- a run of Latin letters or digits (a URL, a number) or of katakana (ワークショップ) is not
  split unless it fills a line;
- a break at a space drops the space (no line starts with one);
- a cell's text never ends with a line of one character (「支援機／構」 → 「支援／機構」);
- in table cells a break between two kanji or two hiragana moves back (by at most
  :data:`WORD_LOOKBACK` characters) to the nearest change of script —「一般社団法人つながる／
  地域づくり研究所」, not 「…つながる地／域づくり…」 — since a cell's lines are short and a
  word cut in two there reads badly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any

CLOSING = frozenset(")）]］}｝」』】〕〉》〙〗〟’”｠»")
CANNOT_START = CLOSING | frozenset(
    "、。，．,.:;?!！？ゝゞーァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻‐゠–〜～・：；％‰℃°′″"
    "ｧｨｩｪｫｬｭｮｯｰ･／"
)
CANNOT_END = frozenset("(（[［{｛「『【〔〈《〘〖〝‘“｟«＄￥＃＠〒§")
#: What may hang in the margin of body text: 句読点 and closing brackets.
HANGABLE = CLOSING | frozenset("、。，．,.")
MAX_HANG = 2
#: How far back (characters) a cell's line break may move to reach a change of script.
WORD_LOOKBACK = 4
_FUZZ = 1e-6
_SPACES = frozenset(" \t")
#: Whether paragraphs being broken now may hang punctuation (set per paragraph, see install).
_HANG: ContextVar[bool] = ContextVar("kinsoku_hang", default=False)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-_/.:@%&?=#~+")


def _is_katakana(ch: str) -> bool:
    code = ord(ch)
    return 0x30A1 <= code <= 0x30FA or 0x30FC <= code <= 0x30FE or 0xFF66 <= code <= 0xFF9F


def _same_word(a: str, b: str) -> bool:
    """``a`` and ``b`` belong to one word that should not be split (Latin or katakana)."""
    return (_is_word_char(a) and _is_word_char(b)) or (_is_katakana(a) and _is_katakana(b))


def break_lines(chars: Sequence[str], widths: Sequence[float], max_width: float | Callable[
        [int], float], forced: Sequence[bool] | None = None, *,
        hang: bool = True) -> list[tuple[int, int]]:
    """Split ``chars`` into lines; return ``(start, end)`` index pairs (end exclusive).

    ``max_width`` may be a function of the line number (first lines of a paragraph can be
    narrower). ``forced[i]`` ends a line after character ``i`` (``<br/>``). Without ``hang``
    no line is wider than ``max_width`` (unless one character is). Spaces at a break belong
    to no line.
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
        end = _adjust(chars, start, end, hang)
        if not hang and count - end == 1 and end - start > 2 and \
                chars[end - 1] not in CANNOT_START and chars[end - 2] not in CANNOT_END:
            end -= 1  # no line of one character at the end of a cell's text
        stop = end
        while stop > start + 1 and chars[stop - 1] in _SPACES:
            stop -= 1  # spaces before the break are not drawn at the line end
        lines.append((start, stop))
        start = end
        while start < count and chars[start] in _SPACES and not (
                forced is not None and forced[start]):
            start += 1  # ... nor at the start of the next line
    return lines


def _adjust(chars: Sequence[str], start: int, end: int, hang: bool) -> int:
    """Move the break ``end`` (the next line's first character) to obey kinsoku."""
    count = len(chars)
    if chars[end] in _SPACES:
        return end  # a break at a space is always good
    if hang:
        # ぶら下げ: hang up to MAX_HANG punctuation characters in the margin.
        last = end
        while last < count and last - end < MAX_HANG and chars[last] in HANGABLE:
            last += 1
        if last > end and (last == count or chars[last] not in CANNOT_START):
            return last
    # 追い出し: move the break back over opening brackets and before closing ones.
    candidate = end
    while candidate > start + 1 and (
        chars[candidate - 1] in CANNOT_END or chars[candidate] in CANNOT_START
    ):
        candidate -= 1
    if candidate > start + 1 or (
        chars[candidate - 1] not in CANNOT_END and chars[candidate] not in CANNOT_START
    ):
        end = candidate
    # Keep a Latin word, a number or a katakana word whole unless it fills the line.
    if end < count and _same_word(chars[end - 1], chars[end]):
        word_start = end
        while word_start > start and _same_word(chars[word_start - 1], chars[end - 1]):
            word_start -= 1
        if word_start > start and chars[word_start - 1] not in CANNOT_END and \
                chars[word_start] not in CANNOT_START:
            end = word_start
        else:
            end = _inside_word(chars, start, end)
    elif not hang and end < count:
        end = _word_boundary(chars, start, end)
    return end


def _inside_word(chars: Sequence[str], start: int, end: int) -> int:
    """A word longer than the line (a URL): break after 「/」「.」「-」… within the last
    half of the line when there is one, else where the line is full."""
    lowest = start + (end - start + 1) // 2
    for candidate in range(end, lowest, -1):
        if chars[candidate - 1] in "/.-_?&=#" and candidate < len(chars):
            return candidate
    return end


def _script(ch: str) -> str:
    code = ord(ch)
    if 0x3041 <= code <= 0x309F:
        return "hiragana"
    if _is_katakana(ch):
        return "katakana"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or ch in "々〆ヶ":
        return "kanji"
    return "other"


def _good_break(before: str, after: str) -> bool:
    """A break between ``before`` and ``after`` falls between words (as far as the script
    tells): after punctuation or a space, between kana and kanji (not kanji → hiragana, which
    is mostly okurigana), into or out of katakana or Latin."""
    first, second = _script(before), _script(after)
    if before in CLOSING or before in "、。，．・/／ " or after in CANNOT_END:
        return after not in CANNOT_START
    if first == second or (first, second) == ("kanji", "hiragana"):
        return False
    return after not in CANNOT_START and before not in CANNOT_END


def _word_boundary(chars: Sequence[str], start: int, end: int) -> int:
    """The break ``end``, moved back to the nearest break between words (see
    :func:`_good_break`) when one lies within :data:`WORD_LOOKBACK` characters and leaves
    the line at least half its length."""
    if _good_break(chars[end - 1], chars[end]):
        return end
    lowest = max(start + (end - start + 1) // 2, end - WORD_LOOKBACK)
    for candidate in range(end - 1, lowest - 1, -1):
        if candidate > start and _good_break(chars[candidate - 1], chars[candidate]):
            return candidate
    return end


def wrap_text(text: str, max_chars: int, *, hang: bool = True) -> list[str]:
    """``text`` in lines of at most ``max_chars`` full-width cells (for tests and tools)."""
    widths = [1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in text]
    return [text[a:b] for a, b in break_lines(list(text), widths, float(max_chars),
                                              hang=hang)]


@contextmanager
def hanging(allowed: bool) -> Iterator[None]:
    """Let the paragraphs broken inside the block hang punctuation (or not)."""
    token = _HANG.set(allowed)
    try:
        yield
    finally:
        _HANG.reset(token)


@cache
def install() -> None:
    """Route reportlab's CJK paragraph splitting through :func:`break_lines`.

    A paragraph hangs punctuation only when its style has ``kinsokuHang=True`` (body text);
    table cells never do.
    """
    from reportlab.platypus import paragraph

    paragraph.cjkFragSplit = _cjk_frag_split
    paragraph.wordSplit = _word_split  # a paragraph of one plain fragment goes this way
    original = paragraph.Paragraph.breakLinesCJK

    def break_lines_cjk(self: Any, max_widths: Any) -> Any:
        with hanging(bool(getattr(self.style, "kinsokuHang", False))):
            return original(self, max_widths)

    paragraph.Paragraph.breakLinesCJK = break_lines_cjk


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
    for number, (start, end) in enumerate(break_lines(list(text), widths, limit,
                                                      hang=_HANG.get())):
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
    bounds = break_lines(chars, widths, limit, forced, hang=_HANG.get())
    for number, (start, end) in enumerate(bounds):
        used = sum(widths[start:end])
        available = limit(number)
        lines.append(makeCJKParaLine(glyphs[start:end], available, used, available - used,
                                     forced[end - 1] if end > start else False, calc_bounds))
    return ParaLines(kind=1, lines=lines)
