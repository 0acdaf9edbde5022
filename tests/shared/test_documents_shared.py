"""Reports, the Excel workbook and the iCalendar file from a shared database: the same
documents as from the file holding the same records, and a scoped login's documents hold
its municipalities' figures (a prefecture's login gets the prefecture's totals)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.pg_schema import UserScope, add_user
from kankei_desktop.reports.self_test import build_every_document
from tests.postgres_server import TemporaryPostgres
from tests.reports.helpers import pdf_text

ICHINOSEKI = "032093"
IWATE = "030007"


@pytest.fixture
def twins(postgres_server: TemporaryPostgres, tmp_path: Path
          ) -> Iterator[tuple[str, Path]]:
    """The demo records in a shared database and in a file."""
    url = postgres_server.lend()
    file = tmp_path / "demo.sqlite3"
    for location in (url, file):
        database = open_database(location)
        load_demo(Services(database))
        database.close()
    yield url, file
    postgres_server.give_back(url)


def _as(url: str, login: str) -> str:
    return url.replace(url.split("@")[0].split("//")[1], login, 1)


def _documents(location: str | Path, folder: Path) -> dict[str, object]:
    """The annual report's text, the workbook's cells and the calendar's events."""
    folder.mkdir()
    db = ["--db", str(location)]
    assert main([*db, "report", "annual", "--fy", "2019", "-o", str(folder / "a.pdf")]) == 0
    assert main([*db, "export", "xlsx", "--fy", "2019", "-o", str(folder / "t.xlsx")]) == 0
    assert main([*db, "ics", "-o", str(folder / "s.ics")]) == 0
    book = openpyxl.load_workbook(folder / "t.xlsx")
    cells = {sheet.title: [[cell.value for cell in row] for row in sheet.iter_rows()]
             for sheet in book.worksheets}
    events = sorted(line for line in (folder / "s.ics").read_text("utf-8").splitlines()
                    if line.startswith(("SUMMARY", "DTSTART", "LOCATION")))
    return {"annual": pdf_text((folder / "a.pdf").read_bytes()), "cells": cells,
            "events": events}


def test_documents_from_the_shared_database_equal_the_files(
        twins: tuple[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, file = twins
    shared = _documents(url, tmp_path / "shared")
    assert "延べ119人、実25人" in str(shared["annual"])
    assert len(shared["events"]) > 30  # type: ignore[arg-type]
    assert shared == _documents(file, tmp_path / "file")
    assert capsys.readouterr().err == ""
    built = {}
    for location in (url, file):
        database = open_database(location)
        try:
            written = build_every_document(Services(database), tmp_path / str(len(built)))
        finally:
            database.close()
        built[location] = sorted(path.name for path in written)
    assert built[url] == built[file]
    assert len(built[url]) >= 6


@pytest.mark.parametrize("code", [ICHINOSEKI, IWATE])
def test_a_scoped_login_reports_its_own_municipalities(
        twins: tuple[str, Path], tmp_path: Path, code: str) -> None:
    url, _file = twins
    login = f"staff_{code}"
    add_user(url, login, UserScope(False, (code,)), user_password=None)
    admin = open_database(url)
    try:
        services = Services(admin)
        hosts = [row for row in services.organizations.find()
                 if row.lgcode and (row.lgcode == code or (code[2:5] == "000"
                                                          and row.lgcode[:2] == code[:2]))
                 and any(club.host_municipality_id == row.id for club in services.clubs.find())]
        assert hosts, "the demo hosts clubs in Iwate"
        expected = [services.figures.fiscal_year(2019, FigureFilter(municipality_id=host.id))
                    for host in hosts]
        all_clubs = len(services.clubs.find())
    finally:
        admin.close()
    scoped = open_database(_as(url, login))
    try:
        seen = Services(scoped).figures.fiscal_year(2019)
        seen_clubs = len(Services(scoped).clubs.find())
    finally:
        scoped.close()
    assert seen.total.person_times == sum(part.total.person_times for part in expected)
    assert seen.total.meetings_held == sum(part.total.meetings_held for part in expected)
    assert 0 < seen_clubs < all_clubs  # the demo has clubs outside Iwate too
    if len(expected) == 1:
        assert seen.total == expected[0].total
    folder = tmp_path / "scoped"
    folder.mkdir()
    assert main(["--db", _as(url, login), "report", "annual", "--fy", "2019", "-o",
                 str(folder / "a.pdf")]) == 0
    text = pdf_text((folder / "a.pdf").read_bytes())
    assert f"延べ{seen.total.person_times}人、実{seen.total.unique_persons}人" in text
