"""Japanese line breaking: brackets stay with their text, 、。 never start a line."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kankei_desktop.reports.kinsoku import CANNOT_END, CANNOT_START, MAX_HANG, wrap_text


def test_opening_bracket_moves_to_the_next_line() -> None:
    assert wrap_text("あいうえおかき「くけこ", 8) == ["あいうえおかき", "「くけこ"]


def test_comma_and_full_stop_hang_at_the_line_end() -> None:
    assert wrap_text("あいうえおかきく、けこ", 8) == ["あいうえおかきく、", "けこ"]
    assert wrap_text("あいうえおかきく」。け", 8) == ["あいうえおかきく」。", "け"]


def test_three_closing_characters_push_the_break_back() -> None:
    lines = wrap_text("あいうえおかきく」」。け", 8)
    assert all(line[0] not in CANNOT_START for line in lines[1:])
    assert "".join(lines) == "あいうえおかきく」」。け"


def test_latin_words_are_kept_whole() -> None:
    assert wrap_text("会場はZoomMeetingです", 8) == ["会場は", "ZoomMeetingです"]


def test_reportlab_paragraphs_obey_kinsoku() -> None:
    from reportlab.platypus import Paragraph

    from kankei_desktop.reports.layout import Styles

    styles = Styles()
    text = "あいうえおかきくけこさしすせそ「たちつてと」、なにぬねの。" * 3
    for markup in (text, "<b>強調</b>" + text):  # one fragment and several fragments
        _check_paragraph(Paragraph(markup, styles.body), text if markup == text else
                         "強調" + text)


def _check_paragraph(paragraph: Any, text: str) -> None:
    paragraph.wrap(10.5 * 15, 1000)
    lines = [_line_text(line) for line in paragraph.blPara.lines]
    assert "".join(lines) == text
    for before, after in itertools.pairwise(lines):
        assert before[-1] not in CANNOT_END, (before, after)
        assert after[0] not in CANNOT_START, (before, after)


def _line_text(line: object) -> str:
    """A line of a one-fragment paragraph is ``(extra_space, [text])``."""
    words = getattr(line, "words", None)
    if words is not None:
        return "".join(getattr(word, "text", "") for word in words)
    return "".join(line[1])  # type: ignore[index]


japanese = st.text(alphabet=st.sampled_from(list("あいうえお漢字テスト、。「」（）ー・ab1")),
                   min_size=1, max_size=80)


def _no_good_break(line: str, following: str) -> bool:
    """True when no break inside ``line`` (before ``following``) obeys both rules."""
    text = line + following
    return not any(text[k - 1] not in CANNOT_END and text[k] not in CANNOT_START
                   for k in range(1, len(line) + 1))


@settings(max_examples=500)
@example("1、、、、・・", 4)
@example("「「（1・", 4)
@given(japanese, st.integers(min_value=4, max_value=20))
def test_wrapping_keeps_every_character_and_the_rules(text: str, width: int) -> None:
    lines = wrap_text(text, width)
    assert "".join(lines) == text
    for line in lines[:-1]:
        assert line
    for before, after in itertools.pairwise(lines):
        # The rules may only give way when a whole line consists of forbidden characters.
        if len(before) > 1 and any(ch not in CANNOT_END for ch in before[:-1]):
            assert before[-1] not in CANNOT_END or set(before) <= CANNOT_END, (before, after)
        if after[0] in CANNOT_START:
            # ... or when no break inside the line obeys them (「1、、、、・・」 at 4 cells).
            assert (set(before) <= CANNOT_START | CANNOT_END or len(before) <= MAX_HANG + 1
                    or set(before[1:]) <= CANNOT_START or _no_good_break(before, after[0])), (
                before, after)


def test_small_kana_long_vowel_and_middle_dot_never_hang() -> None:
    """Issue 21 #2: only 、。 and closing brackets may hang (JIS X 4051); ー, ッ, ・ take
    the character before them to the next line instead."""
    assert wrap_text("あいうえおかきくー", 8) == ["あいうえおかき", "くー"]
    assert wrap_text("あいうえおかきくッ", 8) == ["あいうえおかき", "くッ"]
    assert wrap_text("あいうえおかきく・", 8) == ["あいうえおかき", "く・"]


def test_nothing_hangs_inside_a_cell() -> None:
    assert wrap_text("あいうえおかきく、けこ", 8, hang=False) == ["あいうえおかき", "く、けこ"]


def test_words_are_kept_whole_and_breaks_drop_spaces() -> None:
    assert wrap_text("第77回ワークショップ", 8) == ["第77回", "ワークショップ"]
    assert wrap_text("阿部　正志 阿部 正志", 7, hang=False) == ["阿部　正志", "阿部 正志"]
    assert wrap_text("一般社団法人つながる地域づくり研究所", 11, hang=False) == [
        "一般社団法人つながる", "地域づくり研究所"]
    assert wrap_text("NPO法人萌芽移住支援機構", 10, hang=False)[-1] != "構"


@settings(max_examples=500)
@given(japanese, st.integers(min_value=4, max_value=20))
def test_cell_lines_never_exceed_the_width(text: str, width: int) -> None:
    lines = wrap_text(text, width, hang=False)
    assert "".join(lines) == text
    for line in lines:
        cells = sum(1.0 if ord(ch) >= 0x2E80 else 0.5 for ch in line)
        assert cells <= width or len(line) == 1, (line, width)
