"""Every kind of malformed value is refused, in every column of every exchanged table.

The row checks run a column of a batch at a time (for speed on million-row bundles); this
walks each column with each kind of wrong value, deterministically, so no batch shortcut can
let one through.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.core.clock import wall_clock_ms
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.sync.bundle import BundleError, open_bundle
from kankei_desktop.sync.schema import Column, spec_by_name
from kankei_desktop.sync.service import SyncService
from kankei_desktop.sync.validate import RowChecker, Verified

BOTH_ENGINES = True


def _wrong_values(column: Column) -> list[Any]:
    values: list[Any] = [[1], {"a": 1}, 2.5, True]
    if not column.nullable:
        values.append(None)
    if column.kind == "uuid":
        values += ["zz", "0" * 31, "0" * 33, "A" * 32, "g" * 32, "０" * 32, 5]
    elif column.kind == "int":
        values += ["12", 2**63, -(2**63)]
    elif column.kind == "date":
        values += ["2026-13-45", "2026-02-30", "令和8年", "２０２６-05-01", "2026-5-1",
                   20260501]
    elif column.kind == "time":
        values += ["25:99:00.000000", "10:00", "١٠:00:00.000000", 1000]
    elif column.kind == "datetime":
        values += ["2026-05-01", "2026-05-01T10:00:00.000000", 7]
    elif column.kind == "str":
        values.append(123)
        if column.max_length:
            values.append("あ" * (column.max_length + 1))
    return values


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[Any]]]:
    """One valid batch per table (from a real export)."""
    from tests.sync.helpers import open_replica

    folder: Path = tmp_path_factory.mktemp("validate")
    services: Services = open_replica(folder / "a.sqlite3")
    org = services.organizations.create(OrganizationDraft(name="株式会社テスト",
                                                          kind="company"))
    club = services.clubs.create(ClubDraft(name="クラブ"))
    meeting = services.meetings.create(MeetingDraft(club_id=club.id, title="第1回",
                                                    date=date(2026, 5, 1)))
    for index in range(3):
        person = services.people.create(PersonDraft(family_name=f"人{index}",
                                                    organization_id=org.id))
        services.attendance.set(meeting.id, person.id)
    path = folder / "good.kankei"
    SyncService(services).export(path, passphrase=None, image=False)
    services.database.close()
    result: dict[str, list[list[Any]]] = {}
    table = ""
    for line in open_bundle(path, None, allow_unencrypted=True).lines():
        item = json.loads(line)
        if isinstance(item, dict):
            table = item["table"]
        elif item:
            result.setdefault(table, []).extend(item)
    return result


def _check(table: str, rows: list[list[Any]]) -> None:
    RowChecker(spec_by_name()[table], Verified(), wall_clock_ms(), False).check(rows)


def test_the_untouched_batches_pass(batches: dict[str, list[list[Any]]]) -> None:
    assert {"person", "meeting", "attendance", "organization"} <= set(batches)
    for table, rows in batches.items():
        _check(table, rows)


def test_every_wrong_value_in_every_column_is_refused(
        batches: dict[str, list[list[Any]]]) -> None:
    let_through = []
    for table, rows in batches.items():
        columns = spec_by_name()[table].columns
        for position, column in enumerate(columns, start=5):
            for value in _wrong_values(column):
                damaged = copy.deepcopy(rows)
                damaged[-1][position] = value  # the last row: not just the first is looked at
                try:
                    _check(table, damaged)
                except BundleError:
                    continue
                let_through.append((table, column.name, value))
    assert let_through == []


@pytest.mark.parametrize(("position", "value"), [
    (0, "F" * 32), (0, "０" * 32), (1, "2026-05-01"), (1, None), (2, 0), (2, True), (2, "1"),
    (3, "2026-05-01 10:00:00"), (4, {"_cl": "clock"}),
])
def test_wrong_bookkeeping_values_are_refused(batches: dict[str, list[list[Any]]],
                                              position: int, value: Any) -> None:
    damaged = copy.deepcopy(batches["person"])
    damaged[-1][position] = value
    with pytest.raises(BundleError):
        _check("person", damaged)


def test_a_natural_key_row_with_another_id_is_refused(
        batches: dict[str, list[list[Any]]]) -> None:
    damaged = copy.deepcopy(batches["attendance"])
    damaged[0][0], damaged[1][0] = damaged[1][0], damaged[0][0]
    with pytest.raises(BundleError):
        _check("attendance", damaged)
