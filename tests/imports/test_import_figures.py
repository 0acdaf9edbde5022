"""A hand-checked year: a flat sheet whose figures were counted by hand, imported through
the CLI and compared with ``kankei stats --fy 2021 --json``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from .conftest import HEADERS, Run, write_xlsx
from .test_import_rules import row

BOTH_ENGINES = True

# 鷹栖クラブ. P1 山田太郎 (北斗), P2 佐藤花子, P3 鈴木一郎, P4 山田太郎 (青空: a namesake),
# P5 田中次郎.
SHEET = [
    # FY2020 (31 March 2021): P2 attends, so P2 is not new in FY2021.
    row(datetime(2021, 3, 31), "佐藤 花子", "さとう はなこ", "", fmt="現地", title="準備会"),
    # S1 2021-04-01 online: P1, P2 attend; P3 absent.
    row(datetime(2021, 4, 1), "山田 太郎", "やまだ たろう", "北斗商事", title="第1回"),
    row(datetime(2021, 4, 1), "佐藤　花子", "サトウ ハナコ", "", title="第1回"),
    row(datetime(2021, 4, 1), "鈴木 一郎", "すずき いちろう", "", title="第1回",
        attendance="欠席"),
    # S2 2021-05-10 on site: P1, P3.
    row(datetime(2021, 5, 10), "山田 太郎", "ヤマダ タロウ", "北斗商事", title="第2回",
        fmt="現地"),
    row(datetime(2021, 5, 10), "鈴木 一郎", "すずき いちろう", "", title="第2回", fmt="現地"),
    # S3 2021-05-20 hybrid: P2, P4 (namesake of P1 in another organisation).
    row(datetime(2021, 5, 20), "佐藤 花子", "さとう はなこ", "", title="第3回",
        fmt="ハイブリッド"),
    row(datetime(2021, 5, 20), "山田 太郎", "やまだ たろう", "青空銀行", title="第3回",
        fmt="ハイブリッド"),
    # S4 2022-03-31 online: P1, P5; P3 absent.
    row(datetime(2022, 3, 31), "山田 太郎", "やまだ たろう", "ＨＯＫＵＴＯ商事", title="第4回"),
    row(datetime(2022, 3, 31), "田中 次郎", "たなか じろう", "", title="第4回"),
    row(datetime(2022, 3, 31), "鈴木 一郎", "すずき いちろう", "", title="第4回",
        attendance="欠席"),
    # FY2022 (1 April 2022): P1 — outside the year.
    row(datetime(2022, 4, 1), "山田 太郎", "やまだ たろう", "北斗商事", title="第5回"),
]

# By hand. ＨＯＫＵＴＯ商事 is a different organisation from 北斗商事, so the S4 山田 太郎
# is a sixth person (P6), new in March 2022.
EXPECTED = {
    "fiscal_year": 2021,
    "meetings_held": 4,            # S1-S4
    "meetings_online": 3,          # S1 online, S3 hybrid, S4 online
    "online_rate": 0.75,
    "person_times": 8,             # 2 + 2 + 2 + 2 (absent rows count nowhere)
    "unique_persons": 6,           # P1, P2, P3, P4, P5, P6
    "first_time_persons": 5,       # all but P2 (first attended 2021-03-31)
}
EXPECTED_MONTHS = {
    "2021-04": {"meetings_held": 1, "meetings_online": 1, "person_times": 2,
                "unique_persons": 2, "first_time_persons": 1},   # P1 new; P2 not
    "2021-05": {"meetings_held": 2, "meetings_online": 1, "person_times": 4,
                "unique_persons": 4, "first_time_persons": 2},   # P3, P4 new
    "2022-03": {"meetings_held": 1, "meetings_online": 1, "person_times": 2,
                "unique_persons": 2, "first_time_persons": 2},   # P5, P6 new
}


def test_a_year_imported_gives_the_figures_counted_by_hand(
        tmp_path: Path, kankei: Run) -> None:
    sheet = write_xlsx(tmp_path / "r3.xlsx", HEADERS, SHEET)
    code, out, err = kankei("import", str(sheet))
    assert code == 0, err
    code, out, err = kankei("stats", "--fy", "2021", "--json")
    assert code == 0, err
    figures = json.loads(out)
    for key, value in EXPECTED.items():
        assert figures[key] == value, key
    months = figures["by_month"]
    for month, values in EXPECTED_MONTHS.items():
        for key, value in values.items():
            assert months[month][key] == value, (month, key)
    others = {month: cell for month, cell in months.items() if month not in EXPECTED_MONTHS}
    assert all(cell["meetings_held"] == 0 and cell["person_times"] == 0
               for cell in others.values())
    # The year before holds only the 31 March session; the year after only 1 April.
    previous = json.loads(kankei("stats", "--fy", "2020", "--json")[1])
    following = json.loads(kankei("stats", "--fy", "2022", "--json")[1])
    assert (previous["meetings_held"], previous["person_times"]) == (1, 1)
    assert (following["meetings_held"], following["person_times"]) == (1, 1)
    assert following["first_time_persons"] == 0
    # Importing the same sheet again changes no figure.
    assert kankei("import", str(sheet))[0] == 0
    assert json.loads(kankei("stats", "--fy", "2021", "--json")[1]) == figures
