"""The municipality master's counts and date, pinned.

The figures are those of 総務省 for the day the list corresponds to (``MASTER_DATE``,
2018-10-01): 47 都道府県; 1,718 市町村 (792 市, 743 町, 183 村) plus Tokyo's 23 特別区 = 1,741;
20 政令指定都市 with 175 区. They held until 2023-12-31 (``MASTER_CURRENT_UNTIL``): on 2024-01-01
浜松市 replaced its seven wards with three, so the wards are 171 since, and the list, which still
has the seven, is out of date for 浜松市 only. A new version of the package fails here: recount,
redate, and check the new figures against 総務省's before taking it.
"""

from __future__ import annotations

import re
from collections import Counter
from importlib import metadata
from pathlib import Path

from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.japan.municipalities import (
    KIND_MUNICIPALITY,
    KIND_PREFECTURE,
    KIND_WARD,
    MASTER_CURRENT_UNTIL,
    MASTER_DATE,
    MASTER_PACKAGE,
    MASTER_PACKAGE_VERSION,
    MunicipalityEntry,
    all_entries,
    by_code,
    resolve,
    skipped_record_count,
)

ROOT = Path(__file__).resolve().parents[2]

#: 政令指定都市 → number of 区 in the list (浜松市 as before 2024-01-01).
DESIGNATED_CITY_WARDS = {
    "札幌市": 10, "仙台市": 5, "さいたま市": 10, "千葉市": 6, "横浜市": 18, "川崎市": 7,
    "相模原市": 3, "新潟市": 8, "静岡市": 3, "浜松市": 7, "名古屋市": 16, "京都市": 11,
    "大阪市": 24, "堺市": 7, "神戸市": 9, "岡山市": 4, "広島市": 8, "北九州市": 7, "福岡市": 7,
    "熊本市": 5,
}


def of_kind(kind: str) -> list[MunicipalityEntry]:
    return [entry for entry in all_entries() if entry.kind == kind]


def designated_city(ward: MunicipalityEntry) -> str:
    """The city a ward belongs to: the longest municipality name its name starts with."""
    return max((entry.name for entry in of_kind(KIND_MUNICIPALITY)
                if entry.prefecture == ward.prefecture and ward.name.startswith(entry.name)),
               key=len)


def test_the_package_is_the_version_the_date_was_read_from() -> None:
    assert metadata.version(MASTER_PACKAGE) == MASTER_PACKAGE_VERSION
    assert MASTER_DATE.isoformat() == "2018-10-01"
    assert MASTER_CURRENT_UNTIL.isoformat() == "2023-12-31"
    assert skipped_record_count() == 0  # the shipped data is clean; failures would be skipped
    assert len(all_entries()) == 47 + 1741 + 175  # nothing of another kind


def test_47_prefectures() -> None:
    prefectures = of_kind(KIND_PREFECTURE)
    assert len(prefectures) == 47
    assert [entry.code[:2] for entry in prefectures] == [f"{n:02d}" for n in range(1, 48)]


def test_1741_municipalities_are_the_1718_shichoson_and_23_special_wards() -> None:
    entries = of_kind(KIND_MUNICIPALITY)
    assert len(entries) == 1741
    special_wards = [entry for entry in entries
                     if entry.prefecture == "東京都" and entry.name.endswith("区")]
    assert len(special_wards) == 23
    assert by_code("131016") in special_wards  # 千代田区
    kinds = Counter(entry.name[-1] for entry in entries if entry not in special_wards)
    assert kinds == {"市": 792, "町": 743, "村": 183}


def test_175_wards_of_the_20_designated_cities() -> None:
    wards = of_kind(KIND_WARD)
    assert len(wards) == 175
    per_city = Counter(designated_city(ward) for ward in wards)
    assert per_city == DESIGNATED_CITY_WARDS


def test_the_list_is_the_one_in_force_from_the_master_date() -> None:
    # 2018-10-01: 那珂川町 became 那珂川市, the newest change the list has.
    nakagawa = resolve("福岡県那珂川市")
    assert nakagawa is not None
    assert nakagawa.code == "402311"
    assert resolve("福岡県那珂川町") is None
    # Older changes are in too: 富谷市 (2016-10-10), 滝沢市 (2014-01-01).
    assert resolve("宮城県富谷市") is not None
    assert resolve("岩手県滝沢市") is not None


def test_the_list_predates_hamamatsus_wards_of_2024() -> None:
    assert resolve("浜松市中区") is not None
    assert resolve("浜松市浜北区") is not None
    for new_ward, code in (("浜松市中央区", "221384"), ("浜松市浜名区", "221392")):
        assert resolve(new_ward) is None
        assert by_code(code) is None


def test_only_the_adapter_reads_the_package() -> None:
    readers = []
    for folder in ("kankei_desktop", "benchmarks", "tools"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\bjapancode\b", text):
                readers.append(path.relative_to(ROOT).as_posix())
    assert readers == [Path(municipalities.__file__).relative_to(ROOT).as_posix()]
