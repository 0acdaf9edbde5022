"""Tests for kankei_desktop.core.japan.municipalities."""

from __future__ import annotations

import time

import pytest

from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.japan.municipalities import (
    MunicipalityEntry,
    all_entries,
    by_code,
    resolve,
    search,
    skipped_record_count,
)

IDEOGRAPHIC_SPACE = "\u3000"


def fullwidth(text: str) -> str:
    """ASCII digits and letters → their full-width forms."""
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in text)


def check_digit(five: str) -> str:
    """The JIS X 0402 check digit, written out independently of the code under test."""
    total = sum(int(digit) * weight for digit, weight in zip(five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def codes(entries: list[MunicipalityEntry]) -> list[str]:
    return [entry.code for entry in entries]


# --- the master list -------------------------------------------------------------------------


def test_every_code_has_six_digits_and_a_valid_check_digit() -> None:
    entries = all_entries()
    for entry in entries:
        assert len(entry.code) == 6, entry
        assert entry.code.isascii(), entry
        assert entry.code.isdigit(), entry
        assert entry.code[5] == check_digit(entry.code[:5]), entry
    assert len({entry.code for entry in entries}) == len(entries)


def test_order_prefectures_first_then_by_code() -> None:
    entries = all_entries()
    kinds = [entry.kind == "prefecture" for entry in entries]
    assert kinds == sorted(kinds, reverse=True)
    prefecture_codes = codes(entries[:47])
    assert prefecture_codes == sorted(prefecture_codes)
    assert prefecture_codes[0] == "010006"
    assert prefecture_codes[-1] == "470007"
    rest = codes(entries[47:])
    assert rest == sorted(rest)


def test_all_entries_returns_a_fresh_list() -> None:
    first = all_entries()
    first.clear()
    assert len(all_entries()) > 1700


def test_entries_are_consistent() -> None:
    prefectures = {entry.code: entry for entry in all_entries() if entry.kind == "prefecture"}
    for entry in all_entries():
        assert entry.name
        assert entry.reading
        assert " " not in entry.name
        assert IDEOGRAPHIC_SPACE not in entry.name
        assert " " not in entry.reading
        prefecture = prefectures[entry.prefecture_code]
        assert entry.code[:2] == prefecture.code[:2]
        assert entry.prefecture == prefecture.name
        if entry.kind == "prefecture":
            assert entry.full_name == entry.name
            assert entry.full_reading == entry.reading
        else:
            assert entry.full_name == prefecture.name + entry.name
            assert entry.full_reading == prefecture.reading + entry.reading


def test_leading_zero_restored() -> None:
    takasu = by_code("014524")
    assert takasu == MunicipalityEntry(
        code="014524",
        name="鷹栖町",
        reading="たかすちょう",
        prefecture="北海道",
        prefecture_code="010006",
        kind="municipality",
        prefecture_reading="ほっかいどう",
    )
    assert takasu.full_name == "北海道鷹栖町"
    assert takasu.full_reading == "ほっかいどうたかすちょう"
    ichinoseki = by_code("032093")
    assert ichinoseki is not None
    assert ichinoseki.full_name == "岩手県一関市"
    chiyoda = by_code("131016")
    assert chiyoda is not None
    assert chiyoda.full_name == "東京都千代田区"


def test_ward_of_designated_city() -> None:
    ward = by_code("011011")
    assert ward is not None
    assert ward.kind == "ward"
    assert ward.name == "札幌市中央区"
    assert ward.reading == "さっぽろしちゅうおうく"
    assert ward.full_name == "北海道札幌市中央区"
    assert ward.full_reading == "ほっかいどうさっぽろしちゅうおうく"
    city = by_code("011002")
    assert city is not None
    assert city.kind == "municipality"
    assert city.name == "札幌市"


def test_tokyo_special_wards_are_municipalities() -> None:
    chiyoda = by_code("131016")
    assert chiyoda is not None
    assert chiyoda.kind == "municipality"


def test_prefecture_entry() -> None:
    iwate = by_code("030007")
    assert iwate is not None
    assert iwate.kind == "prefecture"
    assert iwate.name == "岩手県"
    assert iwate.prefecture == "岩手県"
    assert iwate.prefecture_code == "030007"
    assert iwate.full_name == "岩手県"
    assert iwate.reading == "いわてけん"
    assert iwate.full_reading == "いわてけん"


def test_full_reading_of_hand_made_entry_looks_up_prefecture() -> None:
    entry = MunicipalityEntry(
        "014524", "鷹栖町", "たかすちょう", "北海道", "010006", "municipality"
    )
    assert entry.full_reading == "ほっかいどうたかすちょう"


def test_entries_are_immutable() -> None:
    entry = all_entries()[0]
    with pytest.raises(AttributeError):
        entry.name = "x"  # type: ignore[misc]


# --- by_code ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["014524", "01452", " 014524 ", fullwidth("014524"), fullwidth("01452"), "\u3000014524\u3000"],
)
def test_by_code_accepts_variants(code: str) -> None:
    entry = by_code(code)
    assert entry is not None
    assert entry.name == "鷹栖町"


@pytest.mark.parametrize(
    "code",
    ["014525", "014520", "131017", "", "   ", "1452", "0145245", "abcde", "鷹栖町", "999999"],
)
def test_by_code_rejects(code: str) -> None:
    assert by_code(code) is None


def test_by_code_wrong_check_digit_is_none_for_every_wrong_digit() -> None:
    for digit in "0123456789":
        if digit != "4":
            assert by_code("01452" + digit) is None


def test_by_code_valid_but_unknown_code() -> None:
    unused = "01999"
    assert by_code(unused + check_digit(unused)) is None


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["鷹栖", "たかす", "タカス", "ﾀｶｽ", "鷹栖町", "北海道鷹栖町", "北海道 鷹栖", "014524", "01452"],
)
def test_search_takasu_first(text: str) -> None:
    found = search(text)
    assert found
    assert found[0].code == "014524"
    assert found[0].full_name == "北海道鷹栖町"


def test_search_fullwidth_code() -> None:
    assert codes(search(fullwidth("014524"))) == ["014524"]
    assert codes(search(fullwidth("01452"))) == ["014524"]


def test_search_ichinoseki() -> None:
    found = search("一関")
    assert found[0].code == "032093"
    assert found[0].full_name == "岩手県一関市"


def test_search_chiyoda_gives_both() -> None:
    found = search("千代田")
    assert {"131016", "105236"} <= set(codes(found))
    names = {entry.full_name for entry in found}
    assert {"東京都千代田区", "群馬県千代田町"} <= names


def test_search_exact_match_before_prefix() -> None:
    # 中央区 is exactly Tokyo's 中央区; the wards of designated cities only contain it.
    found = search("中央区")
    assert found[0].full_name == "東京都中央区"
    assert "北海道札幌市中央区" in {entry.full_name for entry in found[1:]}


def test_search_prefecture_before_municipalities() -> None:
    found = search("北海道")
    assert found[0].code == "010006"
    assert all(entry.prefecture == "北海道" for entry in found)
    found = search("いわて")
    assert found[0].code == "030007"


def test_search_ranks_prefix_before_substring() -> None:
    # 京都府 and its municipalities (prefix) come before 東京都… (substring).
    found = search("京都", limit=2000)
    ranks = ["東京都" in entry.full_name for entry in found]
    assert ranks == sorted(ranks)
    assert found[0].code == "260002"
    assert found[1].full_name == "京都府京都市"


def test_search_ties_ordered_by_code() -> None:
    found = search("ふちゅう")
    assert codes(found) == sorted(codes(found))
    assert {"132063", "342084"} <= set(codes(found))


def test_search_small_ke() -> None:
    assert search("関ヶ原")[0].full_name == "岐阜県関ケ原町"
    assert search("茅ケ崎")[0].full_name == "神奈川県茅ヶ崎市"


def test_search_code_prefix() -> None:
    found = search("01", limit=1000)
    assert found[0].code == "010006"
    assert all(entry.code.startswith("01") for entry in found)
    assert len(found) > 150


def test_search_limit_and_empty() -> None:
    assert len(search("市", limit=5)) == 5
    assert search("市", limit=0) == []
    assert len(search("し")) == 50
    assert search("") == []
    assert search("   ") == []
    assert search("存在しない町名") == []


def test_search_is_fast_on_a_warm_cache() -> None:
    all_entries()  # warm up
    for text in ("鷹栖", "たかす", "し", "014524", "北海道"):
        start = time.perf_counter()
        search(text)
        assert time.perf_counter() - start < 0.05  # ~1 ms in practice; generous for CI


# --- resolve ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "北海道鷹栖町",
        "鷹栖町",
        " 鷹栖町 ",
        "\u3000鷹栖町\u3000",
        "北海道 鷹栖町",
        "北海道\u3000鷹栖町",
        "鷹 栖 町",
        "014524",
        "01452",
        fullwidth("014524"),
        " " + fullwidth("01452") + " ",
    ],
)
def test_resolve_takasu(text: str) -> None:
    entry = resolve(text)
    assert entry is not None
    assert entry.code == "014524"


def test_resolve_prefecture() -> None:
    entry = resolve("岩手県")
    assert entry is not None
    assert entry.code == "030007"
    assert entry.kind == "prefecture"


def test_resolve_ambiguous_names() -> None:
    assert resolve("府中市") is None  # Tokyo and Hiroshima
    tokyo = resolve("東京都府中市")
    assert tokyo is not None
    assert tokyo.code == "132063"
    hiroshima = resolve("広島県府中市")
    assert hiroshima is not None
    assert hiroshima.code == "342084"
    assert resolve("伊達市") is None  # Hokkaido and Fukushima


def test_resolve_wards() -> None:
    ward = resolve("札幌市 中央区")
    assert ward is not None
    assert ward.code == "011011"
    sapporo_ward = resolve("北海道札幌市中央区")
    assert sapporo_ward == ward
    tokyo = resolve("中央区")  # wards are named with their city, so this is Tokyo's
    assert tokyo is not None
    assert tokyo.code == "131024"
    assert resolve("北区") is not None
    assert resolve("札幌市北区") is not None


@pytest.mark.parametrize(
    "text", ["", "   ", "鷹栖", "たかすちょう", "014525", "1452", "存在しない町", "北海道府中市"]
)
def test_resolve_nothing(text: str) -> None:
    assert resolve(text) is None


def test_every_full_name_resolves_to_itself() -> None:
    for entry in all_entries():
        assert resolve(entry.full_name) == entry
        assert resolve(entry.code) == entry
        assert resolve(entry.code[:5]) == entry


# --- loading ---------------------------------------------------------------------------------


def test_first_load_is_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(municipalities, "_INDEX", None)
    start = time.perf_counter()
    entries = all_entries()
    elapsed = time.perf_counter() - start
    assert len(entries) > 1700
    assert elapsed < 1.5  # ~0.12 s in practice; generous for slow CI machines


def test_records_with_a_wrong_check_digit_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    real_read = municipalities._read_json

    def fake_read(filename: str) -> list[object]:
        data = real_read(filename)
        if filename == "municipalities.json":
            return [
                *data[:3],
                {
                    "pid": "1",
                    "pref": "北海道",
                    "city": "偽町",
                    "citykana": "にせちょう",
                    "lgcode": "14525",
                },
                {
                    "pid": "1",
                    "pref": "北海道",
                    "city": "偽村",
                    "citykana": "にせむら",
                    "lgcode": "x",
                },
                "not a record",
            ]
        return data

    monkeypatch.setattr(municipalities, "_read_json", fake_read)
    monkeypatch.setattr(municipalities, "_INDEX", None)
    entries = all_entries()
    assert skipped_record_count() == 3
    assert len(entries) == 47 + 3
    assert "偽町" not in {entry.name for entry in entries}
