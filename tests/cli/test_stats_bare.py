"""``kankei stats`` for whole 年度 of the whole programme is read on a bare ``sqlite3``
connection (issue 25): the very same output — text and ``--json``, every key and value — as
through the services, on the demo file and on random programmes, for every option that takes
that path; and every file the services would have to change, upgrade or refuse still goes to
them."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from kankei_desktop.commands import cli, stats
from kankei_desktop.commands.common import with_services
from kankei_desktop.commands.periods import period_of
from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures import kept
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.matchings import MatchingDraft
from kankei_desktop.core.storage.bare import open_bare
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.filelock import DatabaseLock, Mode
from kankei_desktop.core.vocabulary import MatchingKind, MatchingStatus
from tests.core import figures_oracle as oracle_module

#: Options that keep ``stats`` on the bare path, besides the period (an empty name is no
#: filter, as it always was).
OPTIONS = ([], ["--json"], ["--club", "", "--json"], ["--tag", ""])


def _args(db: Path, lang: str, period: list[str], options: list[str]) -> argparse.Namespace:
    args = cli.build_parser().parse_args(["--db", str(db), "--lang", lang, "stats", *period,
                                          *options])
    return args


def _printed(action: object) -> tuple[object, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = action() if callable(action) else None
    return code, out.getvalue()


def outputs(db: Path, lang: str, period: list[str], options: list[str]
            ) -> tuple[str | None, str, str]:
    """What ``stats`` prints read bare (None when it is not read so), through the services
    as before (kept tables), and through the services grouping the rows live."""
    set_language(lang)
    try:
        args = _args(db, lang, period, options)
        asked = period_of(args)
        code, bare = _printed(lambda: stats.bare_stats(db, args, asked))
        full_code, full = _printed(lambda: with_services(
            db, lambda services: stats._print_stats(services, args, asked)))
        with mock.patch.object(kept, "whole_years_figures", return_value=None):
            live_code, live = _printed(lambda: with_services(
                db, lambda services: stats._print_stats(services, args, asked)))
    finally:
        set_language("ja")
    assert full_code == live_code == 0
    assert code in (None, 0)
    return (None if code is None else bare), full, live


def _years(first: int, last: int) -> list[str]:
    return ["--from", date(first, 4, 1).isoformat(), "--to", date(last + 1, 3, 31).isoformat()]


# --- the demo file ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = open_database(path)
    load_demo(Services(database))
    database.close()
    return path


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("options", OPTIONS, ids=lambda options: " ".join(options) or "text")
def test_every_year_of_the_demo_reads_the_same_bare(demo_file: Path, lang: str,
                                                    options: list[str]) -> None:
    """Every 年度 from before the first session to after the last (empty years included),
    one at a time and several together."""
    periods = [["--fy", str(year)] for year in range(2018, 2029)]
    periods += [_years(2019, 2021), _years(2018, 2028), _years(2025, 2026)]
    for period in periods:
        bare, full, live = outputs(demo_file, lang, period, options)
        assert bare is not None, period
        assert bare == full == live, period


def test_the_demo_figures_are_not_empty(demo_file: Path) -> None:
    bare, _full, _live = outputs(demo_file, "en", ["--fy", "2025"], ["--json"])
    assert bare is not None
    assert '"person_times": 57' in bare
    assert '"matchings_active": 4' in bare


def test_other_periods_are_not_read_bare(demo_file: Path) -> None:
    for period in (["--from", "2025-04-02", "--to", "2026-03-31"],
                   _years(1987, 1991)):  # several years beyond the kept spans
        args = _args(demo_file, "ja", period, ["--json"])
        code, printed = _printed(lambda a=args: stats.bare_stats(demo_file, a, period_of(a)))
        assert (code, printed) == (None, "")


@pytest.mark.parametrize("options", [["--club", "たかす放課後企業クラブ"],
                                     ["--municipality", "014524"], ["--tag", "企業"]])
def test_a_scope_goes_to_the_services(demo_file: Path, options: list[str]) -> None:
    with mock.patch.object(stats, "bare_stats") as bare:
        cli.main(["--db", str(demo_file), "stats", "--fy", "2025", *options])
    bare.assert_not_called()


def test_a_year_with_sessions_but_nobody_attending(db_path: Path) -> None:
    from kankei_desktop.core.services.clubs import ClubDraft
    from kankei_desktop.core.services.meetings import MeetingDraft
    from kankei_desktop.core.services.people import PersonDraft

    database = open_database(db_path)
    services = Services(database)
    club = services.clubs.create(ClubDraft(name="空のクラブ")).id
    person = services.people.create(PersonDraft(family_name="欠席", category="resident")).id
    for day, status in ((date(2024, 5, 1), "absent"), (date(2024, 6, 1), "excused"),
                        (date(2025, 5, 1), "attended")):
        meeting = services.meetings.create(MeetingDraft(
            club_id=club, title=f"会 {day}", date=day, status="held", format="online"))
        services.attendance.set(meeting.id, person, status)
    database.close()
    for period in (["--fy", "2024"], _years(2023, 2024), _years(2024, 2025)):
        for options in OPTIONS:
            bare, full, live = outputs(db_path, "en", period, options)
            assert bare is not None
            assert bare == full == live
    bare, _full, _live = outputs(db_path, "en", ["--fy", "2024"], ["--json"])
    assert bare is not None
    assert '"meetings_held": 2' in bare
    assert '"person_times": 0' in bare
    assert '"attendance_rate": 0.0' in bare


# --- random programmes -----------------------------------------------------------------------


@st.composite
def matchings(draw: st.DrawFn) -> list[tuple[int, str, str, date | None, date | None]]:
    """(person index, kind, status, made, ended) of a few matchings."""
    days = st.one_of(st.none(), st.dates(oracle_module.FIRST_DAY, oracle_module.LAST_DAY))
    return draw(st.lists(st.tuples(
        st.integers(0, 4), st.sampled_from([kind.value for kind in MatchingKind]),
        st.sampled_from([status.value for status in MatchingStatus]), days, days),
        max_size=4))


def _add_matchings(services: Services, people: list[uuid.UUID],
                   wanted: list[tuple[int, str, str, date | None, date | None]]) -> None:
    for person, kind, status, made, ended in wanted:
        if person >= len(people):
            continue
        with contextlib.suppress(ValidationError):  # one the form refuses (ends too early …)
            services.matchings.create(MatchingDraft(
                kind=kind, status=status, person_id=people[person],
                made_on=made, ended_on=ended))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scenario=oracle_module.scenarios(), wanted=matchings(),
       first=st.integers(2018, 2023), years=st.integers(0, 3),
       lang=st.sampled_from(["ja", "en"]), options=st.sampled_from(OPTIONS))
def test_random_programmes_read_the_same_bare(
        scenario: oracle_module.Scenario,
        wanted: list[tuple[int, str, str, date | None, date | None]],
        first: int, years: int, lang: str, options: list[str]) -> None:
    """Deleted people, sessions, organisations and rows, sessions not held, years without a
    session or without attendance (2018, 2023): the bare reading prints what the services
    print, kept or live."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kankei.sqlite3"
        database = open_database(path)
        try:
            services = Services(database)
            oracle_module.build_scenario(services, scenario)
            with database.reading() as session:
                people = list(session.scalars(select(Person.id).order_by(Person.family_name)))
            _add_matchings(services, people, wanted)
        finally:
            database.close()
        for period in (["--fy", str(first)], _years(first, first + years)):
            bare, full, live = outputs(path, lang, period, options)
            assert bare is not None, period
            assert bare == full == live, period


# --- what still goes to the services ---------------------------------------------------------


@pytest.fixture
def demo_copy(demo_file: Path, tmp_path: Path) -> Path:
    """The demo file at another place, opened there once (its replica identity settled)."""
    path = tmp_path / "kankei.sqlite3"
    shutil.copy(demo_file, path)
    open_database(path).close()
    return path


def _meta(path: Path, key: str) -> str | None:
    connection = sqlite3.connect(path)
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    finally:
        connection.close()
    return None if row is None else str(row[0])


def test_a_copied_file_gets_its_new_replica_id_from_the_services(demo_copy: Path,
                                                                 tmp_path: Path) -> None:
    copied = tmp_path / "copy.sqlite3"
    shutil.copy(demo_copy, copied)
    assert open_bare(copied) is None  # the services would stamp it: they do it
    before = _meta(copied, "replica_id")
    assert cli.main(["--db", str(copied), "stats", "--fy", "2025", "--json"]) == 0
    assert _meta(copied, "replica_id") != before
    bare = open_bare(copied)  # settled now
    assert bare is not None
    bare.close()


def test_a_file_in_another_journal_mode_goes_to_the_services(demo_copy: Path) -> None:
    connection = sqlite3.connect(demo_copy)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    assert open_bare(demo_copy) is None
    assert cli.main(["--db", str(demo_copy), "stats", "--fy", "2025"]) == 0
    connection = sqlite3.connect(demo_copy)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # as always
    connection.close()


def test_a_missing_file_goes_to_the_services(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.sqlite3"
    assert open_bare(path) is None
    assert cli.main(["--db", str(path), "stats", "--fy", "2025", "--json"]) == 0
    assert '"meetings_held": 0' in capsys.readouterr().out


def test_a_missing_kept_table_is_not_read_bare(demo_copy: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    connection = sqlite3.connect(demo_copy)
    connection.execute("DROP TABLE figure_first_count")
    connection.commit()
    connection.close()
    args = _args(demo_copy, "ja", ["--fy", "2025"], [])
    assert stats.bare_stats(demo_copy, args, period_of(args)) is None
    assert cli.main(["--db", str(demo_copy), "stats", "--fy", "2025"]) == 1  # a sentence
    assert "Traceback" not in capsys.readouterr().err


# --- beside a writer -------------------------------------------------------------------------


def _person_times(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    assert cli.main(["--db", str(path), "stats", "--fy", "2025", "--json"]) == 0
    out = capsys.readouterr().out
    return out.split('"person_times": ', 1)[1].split(",", 1)[0]


def test_stats_reads_beside_an_open_window_that_is_saving(
        demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The window holds the file and is in the middle of a save: stats reads the last saved
    figures at once, bare, and the saved change once it is committed."""
    from sqlalchemy import text

    before = _person_times(capsys, demo_copy)
    window = open_database(demo_copy, mode=Mode.WINDOW)
    try:
        with window.transaction() as session:
            session.execute(text(
                "UPDATE attendance SET status = 'absent' WHERE id = (SELECT a.id FROM "
                "attendance a JOIN meeting m ON m.id = a.meeting_id WHERE a.status = "
                "'attended' AND m.status = 'held' AND m.date BETWEEN '2025-04-01' AND "
                "'2026-03-31' AND a.deleted_at IS NULL AND m.deleted_at IS NULL LIMIT 1)"))
            with mock.patch.object(stats, "with_services",
                                   side_effect=AssertionError("not read bare")):
                assert _person_times(capsys, demo_copy) == before  # not yet saved
        assert int(_person_times(capsys, demo_copy)) == int(before) - 1
    finally:
        window.close()


def test_a_file_held_to_itself_is_refused_with_the_usual_sentence(
        demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    holder = DatabaseLock(demo_copy, Mode.EXCLUSIVE)  # a restore, or a copy on a share
    holder.acquire()
    try:
        assert cli.main(["--db", str(demo_copy), "stats", "--fy", "2025"]) == 1
    finally:
        holder.release()
    assert str(demo_copy) in capsys.readouterr().err  # the in-use sentence, naming the file


def test_on_a_network_share_stats_holds_the_file_to_itself(
        demo_copy: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Where SQLite's locking cannot be trusted every opening is exclusive: beside a window
    it is refused, as before; alone it is answered (by the services, which keep the share's
    rollback journal)."""
    monkeypatch.setenv("KANKEI_ASSUME_NETWORK_SHARE", "1")
    window = DatabaseLock(demo_copy, Mode.WINDOW)
    window.acquire()
    try:
        assert cli.main(["--db", str(demo_copy), "stats", "--fy", "2025"]) == 1
        refused = capsys.readouterr().err
    finally:
        window.release()
    monkeypatch.setattr(stats, "with_services", mock.Mock(wraps=with_services))
    assert cli.main(["--db", str(demo_copy), "stats", "--fy", "2025"]) == 0
    assert str(demo_copy) in refused
    stats.with_services.assert_called_once()  # type: ignore[attr-defined]
    bare = open_bare(demo_copy)  # journal now as on a share: read bare from now on
    assert bare is not None
    assert bare.lock is not None
    assert bare.lock.mode is Mode.EXCLUSIVE
    bare.close()
