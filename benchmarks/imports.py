"""Import benchmark: a 50,000-row attendance sheet into a fresh file (target ≤ 20 s).

    python -m benchmarks.imports [--rows 50000] [--format csv|xlsx|both] [--keep DIR]

The sheet is generated with the data set's word lists (benchmarks/names.py): 200 clubs in
municipalities from the master list, ≈ 5,000 sessions over FY2021–FY2022, 8,000 people with
readings in katakana or hiragana, some with e-mail, 85 % attended. Timed: analysis (read +
validate) and the import (backup, matching, inserts, commit), as ``kankei import`` does it.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import names as words
from kankei_desktop.core.japan import municipalities
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.imports.importer import analyse, run_import

TARGET_SECONDS = 20.0
HEADERS = ["日付", "開始", "終了", "クラブ", "自治体", "セッション", "種別", "形式", "氏名",
           "ふりがな", "所属", "区分", "出欠", "メール"]


def generate_rows(count: int, seed: int = 8) -> list[list[object]]:
    """``count`` rows of the flat attendance layout (one row per person per session)."""
    rng = random.Random(seed)
    towns = [entry for entry in municipalities.all_entries() if entry.kind == "municipality"]
    towns = rng.sample(towns, 60)
    clubs = [(f"{rng.choice(towns).name}{theme}{suffix}", rng.choice(towns))
             for (theme, _r), (suffix, _s) in zip(
                 (rng.choice(words.CLUB_THEMES) for _ in range(200)),
                 (rng.choice(words.CLUB_SUFFIXES) for _ in range(200)), strict=True)]
    organizations = [f"{stem}株式会社" for stem, _reading in words.ORG_STEMS]
    people = []
    for number in range(8000):
        family, family_reading = rng.choice(words.FAMILY_NAMES)
        given, given_reading = rng.choice(words.GIVEN_NAMES)
        reading = f"{family_reading} {given_reading}"
        if rng.random() < 0.3:
            reading = "".join(chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" else ch for ch in reading)
        people.append((f"{family}　{given}", reading, rng.choice(organizations),
                       rng.choice(["企業人材", "自治体職員", "地域住民", "学生", "その他"]),
                       f"p{number}@example.jp" if rng.random() < 0.4 else ""))
    rows: list[list[object]] = []
    start = date(2021, 4, 1)
    while len(rows) < count:
        club, town = rng.choice(clubs)
        day = start + timedelta(days=rng.randrange(730))
        title = f"第{rng.randrange(1, 40)}回 {rng.choice(words.MEETING_TITLES)}"
        kind_format = rng.choice(["オンライン", "現地", "ハイブリッド"])
        for person in rng.sample(people, rng.randrange(5, 16)):
            rows.append([f"{day:%Y/%m/%d}", "19:00", "21:00", club, town.full_name, title,
                         "セッション", kind_format, person[0], person[1], person[2], person[3],
                         "出席" if rng.random() < 0.85 else "欠席", person[4]])
            if len(rows) == count:
                break
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    """The rows as a cp932 CSV (what Japanese Excel writes)."""
    with path.open("w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    """The rows as an .xlsx with real date cells and shared strings, as Excel saves it."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "出席"
    sheet.append(HEADERS)
    for row in rows:
        year, month, day = (int(part) for part in str(row[0]).split("/"))
        sheet.append([date(year, month, day), *row[1:]])
    workbook.save(path)


def time_import(sheet: Path, folder: Path) -> tuple[float, float, float, str]:
    """Wall seconds for analysis and for the import of ``sheet`` into a new file, the CPU
    seconds of both (this process, SQLite included), and the summary."""
    db_path = folder / f"bench-{sheet.suffix[1:]}.sqlite3"
    database = open_database(db_path)
    try:
        cpu = time.process_time()
        began = time.perf_counter()
        analysis = analyse(sheet)
        analysed = time.perf_counter()
        summary = run_import(Services(database), analysis)
        finished = time.perf_counter()
        cpu = time.process_time() - cpu
    finally:
        database.close()
    created = (f"{summary.clubs} clubs, {summary.meetings} sessions, {summary.people} people, "
               f"{summary.organizations} organisations, {summary.attendance} attendance rows")
    return analysed - began, finished - analysed, cpu, created


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when an import is slower than the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        rows = generate_rows(args.rows)
        formats = ("csv", "xlsx") if args.format == "both" else (args.format,)
        slow = False
        for kind in formats:
            sheet = folder / f"import-{args.rows}.{kind}"
            (write_csv if kind == "csv" else write_xlsx)(sheet, rows)
            read, applied, cpu, created = time_import(sheet, folder)
            total = read + applied
            verdict = "PASS" if total <= TARGET_SECONDS else "SLOW"
            slow = slow or verdict == "SLOW"
            print(f"import {args.rows} rows ({kind}): read+validate {read:.2f} s, "
                  f"import {applied:.2f} s, total {total:.2f} s (target ≤ {TARGET_SECONDS:.0f} s) "
                  f"{verdict}; CPU {cpu:.2f} s\n  created {created}")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
