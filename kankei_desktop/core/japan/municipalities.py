"""Municipality master: every prefecture, municipality and ward with its 全国地方公共団体コード.

Pure Python: no Qt, no database. This module is the one adapter to the master: nothing else in
the application reads it. The data comes from the JSON files shipped in the ``japancode``
package (read through :mod:`importlib.resources`, so a frozen build only has to bundle the package
data; japancode's own lookup API is not used because it scans linearly). The files are parsed
once, lazily, on first use and kept in a module-level index.

The package carries no date; :data:`MASTER_DATE` and :data:`MASTER_CURRENT_UNTIL` are read off
its contents (see there), and ``tests/core/test_municipality_master.py`` pins the counts, so a
new version of the package has to be recounted and redated before the lock can take it.

Data quirks handled at load time:

* municipality codes lost their leading zero when stored (``"14524"`` is 鷹栖町 ``"014524"``):
  codes are left-padded to 6 digits, then the check digit (JIS X 0402) is verified; records that
  fail, or are otherwise malformed, are skipped and counted (:func:`skipped_record_count`);
* wards of designated cities are stored as ``"札幌市 中央区"`` / ``"さっぽろし ちゅうおうく"``; they
  become kind ``"ward"`` named ``"札幌市中央区"`` with the reading ``"さっぽろしちゅうおうく"``.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any, Final

from kankei_desktop.core.japan.codes import lgcode_check_digit, normalize_lgcode
from kankei_desktop.core.japan.text import search_key

__all__ = [
    "KIND_MUNICIPALITY",
    "KIND_PREFECTURE",
    "KIND_WARD",
    "MASTER_CURRENT_UNTIL",
    "MASTER_DATE",
    "MASTER_PACKAGE",
    "MASTER_PACKAGE_VERSION",
    "MunicipalityEntry",
    "all_entries",
    "by_code",
    "resolve",
    "search",
    "skipped_record_count",
]

_log = logging.getLogger(__name__)

KIND_PREFECTURE: Final = "prefecture"
KIND_MUNICIPALITY: Final = "municipality"
KIND_WARD: Final = "ward"

MASTER_PACKAGE: Final = "japancode"
"""The package whose data files are the master."""
MASTER_PACKAGE_VERSION: Final = "0.1.0"
"""The version of :data:`MASTER_PACKAGE` that the dates below were read from."""
MASTER_DATE: Final = date(2018, 10, 1)
"""The list is the one in force from this day: its newest change is 福岡県那珂川町 becoming
那珂川市 (402311) on 2018-10-01. It holds 47 prefectures; 1,741 municipalities, which are the
1,718 市町村 of that day (792 市, 743 町, 183 村, 総務省's count) and Tokyo's 23 特別区; and the
175 wards of the 20 designated cities."""
MASTER_CURRENT_UNTIL: Final = date(2023, 12, 31)
"""The last day the list was complete: on 2024-01-01 浜松市 replaced its seven wards with three
(中央区 221384, 浜名区 221392, 天竜区 221376), so the list still has 中区 … 天竜区 and 175 wards
where there have been 171 since. The municipalities themselves did not change that day."""

_PACKAGE = MASTER_PACKAGE
_PREFECTURES_FILE = "prefectures.json"
_MUNICIPALITIES_FILE = "municipalities.json"

# Small ヶ/ヵ and large ケ/カ are used interchangeably in place names (関ケ原町 is often typed
# 関ヶ原町). After search_key (katakana → hiragana) they are ゖ/ゕ and け/か; fold them together.
_SMALL_KE_FOLD = str.maketrans({"ゖ": "け", "ゕ": "か"})


@dataclass(frozen=True, slots=True)
class MunicipalityEntry:
    """One prefecture, municipality (市区町村, incl. Tokyo's special wards) or designated-city ward.

    ``prefecture_reading`` is filled for entries from the master; it may be left empty on
    hand-made entries, in which case :attr:`full_reading` looks it up.
    """

    code: str
    """6-digit 全国地方公共団体コード including the check digit, e.g. ``"014524"``."""
    name: str
    """``"鷹栖町"``; a ward is ``"札幌市中央区"``; a prefecture ``"北海道"``."""
    reading: str
    """Hiragana reading of :attr:`name`, without spaces: ``"たかすちょう"``."""
    prefecture: str
    """Name of the prefecture, ``"北海道"`` (a prefecture's own name for prefectures)."""
    prefecture_code: str
    """6-digit code of the prefecture, ``"010006"``."""
    kind: str
    """``"prefecture"``, ``"municipality"`` or ``"ward"``."""
    prefecture_reading: str = ""
    """Hiragana reading of the prefecture, ``"ほっかいどう"``."""

    @property
    def full_name(self) -> str:
        """Prefecture plus name, ``"北海道鷹栖町"``; a prefecture's full name is its name."""
        if self.kind == KIND_PREFECTURE:
            return self.name
        return self.prefecture + self.name

    @property
    def full_reading(self) -> str:
        """Reading of :attr:`full_name`, ``"ほっかいどうたかすちょう"``."""
        if self.kind == KIND_PREFECTURE:
            return self.reading
        prefecture_reading = self.prefecture_reading
        if not prefecture_reading:
            prefecture = _index().by_code.get(self.prefecture_code)
            prefecture_reading = prefecture.reading if prefecture is not None else ""
        return prefecture_reading + self.reading


@dataclass(frozen=True, slots=True)
class _Row:
    """Precomputed search keys of one entry."""

    entry: MunicipalityEntry
    name: str
    reading: str
    full_name: str
    full_reading: str
    haystack: str
    """Full name and full reading joined: every match is a substring of it."""


@dataclass(frozen=True, slots=True)
class _Index:
    entries: tuple[MunicipalityEntry, ...]
    rows: tuple[_Row, ...]
    by_code: dict[str, MunicipalityEntry]
    exact: dict[str, tuple[MunicipalityEntry, ...]]
    """Key of a name or full name → entries with that name (for :func:`resolve`)."""
    skipped: int


_INDEX: _Index | None = None
_LOCK = threading.Lock()


def _key(value: str) -> str:
    """Search key of the project (width/kana/case/space-insensitive), with ヶ/ケ folded."""
    return search_key(value).translate(_SMALL_KE_FOLD)


def _compact(value: str) -> str:
    """Remove all whitespace (the data separates city and ward with a space)."""
    return "".join(value.split())


def _padded_code(raw: object) -> str | None:
    """Left-pad a stored code to 6 digits; ``None`` unless it has a valid check digit."""
    if not isinstance(raw, str):
        return None
    code = raw.strip().zfill(6)
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    if lgcode_check_digit(code[:5]) != code[5]:
        return None
    return code


def _text_field(record: dict[str, Any], field: str) -> str:
    value = record.get(field)
    return _compact(value) if isinstance(value, str) else ""


def _read_json(filename: str) -> list[Any]:
    resource = resources.files(_PACKAGE).joinpath("data", filename)
    data = json.loads(resource.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise TypeError(f"{_PACKAGE}/data/{filename}: expected a JSON list")
    return data


def _load() -> _Index:
    skipped = 0
    prefectures: dict[str, MunicipalityEntry] = {}  # two-digit prefix → entry
    for record in _read_json(_PREFECTURES_FILE):
        code = _padded_code(record.get("lgcode")) if isinstance(record, dict) else None
        if code is None or code[2:5] != "000" or code[:2] in prefectures:
            skipped += 1
            continue
        name = _text_field(record, "pref")
        reading = _text_field(record, "prefkana")
        if not name or not reading:
            skipped += 1
            continue
        prefectures[code[:2]] = MunicipalityEntry(
            code=code,
            name=name,
            reading=reading,
            prefecture=name,
            prefecture_code=code,
            kind=KIND_PREFECTURE,
            prefecture_reading=reading,
        )

    by_code = {entry.code: entry for entry in prefectures.values()}
    municipalities: list[MunicipalityEntry] = []
    for record in _read_json(_MUNICIPALITIES_FILE):
        code = _padded_code(record.get("lgcode")) if isinstance(record, dict) else None
        prefecture = prefectures.get(code[:2]) if code is not None else None
        raw_name = record.get("city") if isinstance(record, dict) else None
        if code is None or prefecture is None or code in by_code or not isinstance(raw_name, str):
            skipped += 1
            continue
        name = _compact(raw_name)
        reading = _text_field(record, "citykana")
        if not name or not reading:
            skipped += 1
            continue
        entry = MunicipalityEntry(
            code=code,
            name=name,
            reading=reading,
            prefecture=prefecture.name,
            prefecture_code=prefecture.code,
            kind=KIND_WARD if len(raw_name.split()) > 1 else KIND_MUNICIPALITY,
            prefecture_reading=prefecture.reading,
        )
        by_code[code] = entry
        municipalities.append(entry)

    if skipped:
        _log.warning("municipality master: skipped %d malformed record(s)", skipped)

    entries = tuple(
        sorted(prefectures.values(), key=lambda e: e.code)
        + sorted(municipalities, key=lambda e: e.code)
    )
    rows: list[_Row] = []
    exact: dict[str, list[MunicipalityEntry]] = {}
    for entry in entries:
        full_name, full_reading = _key(entry.full_name), _key(entry.full_reading)
        row = _Row(
            entry=entry,
            name=_key(entry.name),
            reading=_key(entry.reading),
            full_name=full_name,
            full_reading=full_reading,
            haystack=full_name + "\n" + full_reading,
        )
        rows.append(row)
        for key in {row.name, row.full_name}:
            exact.setdefault(key, []).append(entry)
    return _Index(
        entries=entries,
        rows=tuple(rows),
        by_code=by_code,
        exact={key: tuple(found) for key, found in exact.items()},
        skipped=skipped,
    )


def _index() -> _Index:
    global _INDEX
    index = _INDEX
    if index is None:
        with _LOCK:
            index = _INDEX
            if index is None:
                index = _INDEX = _load()
    return index


# --- public API --------------------------------------------------------------------------------


def all_entries() -> list[MunicipalityEntry]:
    """Return every entry: the 47 prefectures in code order, then municipalities and wards."""
    return list(_index().entries)


def skipped_record_count() -> int:
    """Return how many source records failed validation (e.g. a wrong check digit)."""
    return _index().skipped


def by_code(code: str) -> MunicipalityEntry | None:
    """Return the entry for a 5- or 6-digit code, or ``None``.

    Full-width digits, surrounding spaces and hyphens are accepted; a 6-digit code with a wrong
    check digit gives ``None``. A 5-digit code is the code without its check digit.
    """
    try:
        normalized = normalize_lgcode(code)
    except ValueError:
        return None
    return _index().by_code.get(normalized)


def search(text: str, limit: int = 50) -> list[MunicipalityEntry]:
    """Return up to *limit* entries matching *text*, best first.

    Matching is insensitive to width, hiragana/katakana, case and spaces, against the name, the
    full name (with prefecture), both readings and the code. Ranking: exact match of a name or
    reading (or the whole code); then prefix match of the name or reading (or of the code); then
    prefix match of the full name or full reading; then any substring match. Within a rank,
    prefectures come first, then by code.
    """
    query = _key(text)
    if not query or limit <= 0:
        return []
    rows = _index().rows
    ranks: tuple[list[MunicipalityEntry], ...] = ([], [], [], [])
    if query.isascii() and query.isdigit():
        for row in rows:
            code = row.entry.code
            if code == query or (len(query) == 5 and code[:5] == query):
                ranks[0].append(row.entry)
            elif code.startswith(query):
                ranks[1].append(row.entry)
    else:
        for row in rows:
            if query not in row.haystack:
                continue
            if query in (row.name, row.full_name, row.reading, row.full_reading):
                ranks[0].append(row.entry)
            elif row.name.startswith(query) or row.reading.startswith(query):
                ranks[1].append(row.entry)
            elif row.full_name.startswith(query) or row.full_reading.startswith(query):
                ranks[2].append(row.entry)
            else:
                ranks[3].append(row.entry)
    # Rows are in entry order (prefectures first, then by code), so each bucket is sorted.
    found: list[MunicipalityEntry] = []
    for bucket in ranks:
        found.extend(bucket[: limit - len(found)])
        if len(found) >= limit:
            break
    return found


def resolve(text: str) -> MunicipalityEntry | None:
    """Return the one entry that *text* names exactly, or ``None``.

    *text* is a name (``"鷹栖町"``, ``"札幌市中央区"``, ``"岩手県"``), a full name with the
    prefecture (``"北海道鷹栖町"``, spaces allowed) or a 5/6-digit code. Width, kana and spaces
    are ignored. ``None`` when nothing matches or the name is ambiguous (``"府中市"`` is in Tokyo
    and Hiroshima; ``"東京都府中市"`` is unique).
    """
    query = _key(text)
    if not query:
        return None
    if any(ch.isascii() and ch.isdigit() for ch in query):
        return by_code(query)
    found = _index().exact.get(query, ())
    return found[0] if len(found) == 1 else None
