"""Tests for kankei_desktop.core.japan.text."""

from __future__ import annotations

import jaconv
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kankei_desktop.core.japan.text import (
    display_name,
    name_collation_key,
    normalize_multiline,
    normalize_text,
    reading_collation_key,
    reading_sort_key,
    search_key,
    split_full_name,
)

IDEOGRAPHIC_SPACE = "\u3000"
FULLWIDTH_TILDE = "\uff5e"

HIRAGANA = "".join(chr(c) for c in range(0x3041, 0x3097)) + "ゝゞ"
KATAKANA = "".join(chr(c) for c in range(0x30A1, 0x30FB)) + "ーヽヾ"
HALFWIDTH_KATAKANA = "".join(chr(c) for c in range(0xFF66, 0xFFA0))
KANA_ALPHABET = HIRAGANA + KATAKANA + HALFWIDTH_KATAKANA + "\u3099\u309a\u309b\u309c  Aa1漢"
kana_text = st.text(alphabet=KANA_ALPHABET, max_size=8)


# --- normalize_text / normalize_multiline ----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  山田\u3000 太郎  ", "山田 太郎"),
        ("ｻﾄｳ ﾀﾛｳ", "サトウ タロウ"),
        ("ｶﾞｯｺｳ", "ガッコウ"),
        ("\uff21\uff22\uff23\uff11\uff12\uff13", "ABC123"),
        ("①", "1"),
        ("㈱山田商店", "(株)山田商店"),
        ("10:00〜12:00", "10:00〜12:00"),
        (f"10:00{FULLWIDTH_TILDE}12:00", "10:00〜12:00"),
        ("a\t\n b", "a b"),
        ("コーヒー", "コーヒー"),
    ],
)
def test_normalize_text(raw: str | None, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_normalize_text_never_turns_wave_dash_into_long_vowel() -> None:
    assert "ー" not in normalize_text(f"9時〜17時、9時{FULLWIDTH_TILDE}17時")


def test_normalize_multiline_keeps_breaks_and_indent() -> None:
    raw = f"\n\n{IDEOGRAPHIC_SPACE}本日は  晴天。  \r\n\r\n- ｻﾄｳ\tさん \n  \n"
    assert normalize_multiline(raw) == " 本日は 晴天。\n\n- サトウ さん"
    assert normalize_multiline(None) == ""
    assert normalize_multiline(" \n \n") == ""


@given(st.text())
def test_normalize_text_idempotent(value: str) -> None:
    once = normalize_text(value)
    assert normalize_text(once) == once
    assert "\n" not in once
    assert once == once.strip()


@given(st.text())
def test_normalize_multiline_idempotent(value: str) -> None:
    once = normalize_multiline(value)
    assert normalize_multiline(once) == once


# --- search_key ------------------------------------------------------------------------------


def test_search_key_width_and_kana_insensitive() -> None:
    assert search_key("ｻﾄｳ") == search_key("さとう") == search_key("サトウ") == "さとう"
    assert search_key(f"サトウ{IDEOGRAPHIC_SPACE}タロウ") == search_key("さとう たろう")
    assert search_key("\uff34\uff41\uff52\uff4f") == search_key("TARO") == "taro"
    assert search_key("ヴィレッジ") == "ゔぃれっじ"
    assert search_key("㈱") == "(株)"
    assert search_key(None) == ""


def test_search_key_substring_match() -> None:
    assert search_key("ﾔﾏﾀﾞ") in search_key("山田 やまだ 太郎")


@given(st.text())
@example("ｻﾄｳ")
@example("İ")
def test_search_key_idempotent(value: str) -> None:
    once = search_key(value)
    assert search_key(once) == once
    assert not any(ch.isspace() for ch in once)


# --- reading_sort_key / reading_collation_key --------------------------------------------------


def sort_both(values: list[str]) -> list[str]:
    by_tuple = sorted(values, key=reading_sort_key)
    by_string = sorted(values, key=reading_collation_key)
    assert by_tuple == by_string
    return by_tuple


@pytest.mark.parametrize(
    "ordered",
    [
        ["がっこう", "かわい"],
        ["はは", "ばば", "ぱぱ"],
        ["ねこ", "ネコ"],
        ["かあ", "かー"],
        ["やま", "ゃま"],
        ["さとう", "しおり", "すずき"],
        ["あ", "あい", "い"],
        ["かき", "かぎ", "がき", "がぎ"],
        ["つ", "っ", "づ"],
        ["ハート", "はあとふる"],
        ["やまだ", "ヤマダ", "ﾔﾏﾀﾞ"],
        ["ん", "Abc", "abc", "漢字", ""],  # case: original code-point order
        ["わ", "ゐ", "ゑ", "を", "ん"],
    ],
)
def test_required_orderings(ordered: list[str]) -> None:
    assert sort_both(list(reversed(ordered))) == ordered
    assert sort_both(ordered) == ordered


def test_code_point_order_is_wrong_but_key_is_right() -> None:
    assert sorted(["かわい", "がっこう"]) == ["かわい", "がっこう"]
    assert sorted(["かわい", "がっこう"], key=reading_sort_key) == ["がっこう", "かわい"]


def test_primary_level_equivalences() -> None:
    primary = {reading_sort_key(r)[0] for r in ["かあ", "カー", "ｶｰ", "がぁ", "ゕあ", "かぁ"]}
    assert len(primary) == 1
    assert reading_sort_key("ヴァ")[0] == reading_sort_key("うあ")[0]
    assert reading_sort_key("いすゞ")[0] == reading_sort_key("いすず")[0]
    assert reading_sort_key("ヷ")[0] == reading_sort_key("わ")[0]


def test_empty_and_whitespace_sort_last() -> None:
    assert sort_both(["", "ん", " ", "漢"]) == ["ん", "漢", "", " "]
    assert reading_sort_key(None) == reading_sort_key("")


def test_key_is_tuple_of_primitives() -> None:
    key = reading_sort_key("がっこう")
    assert isinstance(key, tuple)
    assert all(isinstance(part, str | int) for part in key)


@given(kana_text, kana_text)
def test_collation_string_agrees_with_tuple_on_kana(a: str, b: str) -> None:
    ka, kb = reading_sort_key(a), reading_sort_key(b)
    sa, sb = reading_collation_key(a), reading_collation_key(b)
    assert (ka < kb) == (sa < sb)
    assert (ka == kb) == (sa == sb) == (a == b)


@given(st.text(), st.text())
def test_collation_string_agrees_with_tuple_on_any_text(a: str, b: str) -> None:
    assert (reading_sort_key(a) < reading_sort_key(b)) == (
        reading_collation_key(a) < reading_collation_key(b)
    )


@given(st.lists(kana_text, max_size=12))
def test_sorted_lists_agree(values: list[str]) -> None:
    sort_both(values)


@given(kana_text)
def test_collation_key_utf8_order_matches(a: str) -> None:
    # SQLite BINARY collation compares UTF-8 bytes; that must match code-point order.
    b = "かー" + a
    assert (reading_collation_key(a) < reading_collation_key(b)) == (
        reading_collation_key(a).encode() < reading_collation_key(b).encode()
    )


def test_every_hiragana_letter_is_kana_group() -> None:
    for code in range(0x3041, 0x3097):
        assert reading_sort_key(chr(code))[0].startswith("1"), hex(code)


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("山田 太郎", ("山田", "太郎")),
        (f"山田{IDEOGRAPHIC_SPACE}太郎", ("山田", "太郎")),
        (f" 山田 {IDEOGRAPHIC_SPACE}太郎 ", ("山田", "太郎")),
        ("山田太郎", ("山田太郎", "")),
        ("John Ronald Smith", ("John", "Ronald Smith")),
        ("", ("", "")),
    ],
)
def test_split_full_name(cell: str, expected: tuple[str, str]) -> None:
    assert split_full_name(cell) == expected


def test_display_name() -> None:
    assert display_name("山田", "太郎") == "山田 太郎"
    assert display_name("山田", "") == "山田"
    assert display_name("", "太郎") == "太郎"
    assert display_name(*split_full_name(f"山田{IDEOGRAPHIC_SPACE}太郎")) == "山田 太郎"


# --- name_collation_key: 50音順 whatever script a reading was typed in ------------------------

HIRAGANA_LETTERS = "".join(chr(c) for c in range(0x3041, 0x3095)) + "ー"
reading = st.text(alphabet=HIRAGANA_LETTERS, min_size=1, max_size=6)
SCRIPTS = ("hiragana", "katakana", "half-width katakana")


def typed(value: str, script: str) -> str:
    """``value`` (hiragana) as typed in ``script``."""
    if script == "hiragana":
        return value
    katakana = jaconv.hira2kata(value)
    if script == "katakana":
        return katakana
    return jaconv.z2h(katakana, kana=True, ascii=False, digit=False)


@given(st.lists(st.tuples(reading, reading), min_size=2, max_size=8, unique=True), st.data())
@example([("わたなべ", "さくら"), ("よしだ", "ひろゆき")], None)
def test_name_order_does_not_depend_on_how_readings_were_typed(
        names: list[tuple[str, str]], data: st.DataObject | None) -> None:
    """ヨシダ sorts before わたなべ as よしだ does: the order of people is the order of their
    readings in hiragana, whichever of hiragana, katakana or half-width katakana each
    family and given reading was typed in."""
    def script() -> str:
        return SCRIPTS[1] if data is None else data.draw(st.sampled_from(SCRIPTS))

    as_typed = [(typed(family, script()), typed(given, script())) for family, given in names]
    expected = sorted(range(len(names)), key=lambda index: name_collation_key(*names[index]))
    actual = sorted(range(len(names)), key=lambda index: name_collation_key(*as_typed[index]))
    assert actual == expected


def test_katakana_reading_sorts_among_hiragana_ones() -> None:
    keys = {name: name_collation_key(*name) for name in (
        ("ヨシダ", "ヒロユキ"), ("わたなべ", "さくら"), ("あおき", "はるか"), ("ｻﾄｳ", "ﾊﾅｺ"))}
    assert sorted(keys, key=keys.__getitem__) == [
        ("あおき", "はるか"), ("ｻﾄｳ", "ﾊﾅｺ"), ("ヨシダ", "ヒロユキ"), ("わたなべ", "さくら")]


def test_control_characters_are_dropped_from_every_text() -> None:
    """A NUL or an escape pasted from a damaged spreadsheet never reaches the database
    (PostgreSQL's text refuses a NUL outright); tabs and line breaks stay whitespace."""
    assert normalize_text("佐藤\x00\x1b太郎\x7f") == "佐藤太郎"
    assert normalize_text("a\tb") == "a b"
    assert normalize_multiline("一行目\x00\n\x08二行目") == "一行目\n二行目"
