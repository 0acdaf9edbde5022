"""The tables that keep the figures fast, and the SQLite triggers that keep them right.

Four derived tables (never synced) hold what the figures would otherwise group from the whole
attendance every time:

- ``first_attendance``: per person and club, the date of the person's first counted row there
  (club and person tombstones applied when read);
- ``first_attendance_person`` / ``first_attendance_host``: per person, the first date overall
  and per host municipality (``''`` = none), over live clubs — for 新規;
- ``figure_presence``: per 年度 and person, how often they attended as a whole (kind ``t``),
  per club (``c``), host municipality (``h``), month (``m``) and kind of session (``k``), and
  how many of their rows were recorded at all (``r``: attended, absent or excused — the 参加率
  denominator); person tombstones and categories applied when read;
- ``figure_count`` / ``figure_span`` / ``figure_span_count`` (:mod:`.aggregates`): the
  presence rows summed per year for live people by category (and organisation), and the years
  each person appears in each breakdown, counted per set of years — what makes a year, or
  several, a few small reads; ``figure_first_count`` (:mod:`.first_counts`): 新規 per month.

Every table is filled for every year, and kept by the triggers below on every write whoever
writes (services, imports, merges). What a row must satisfy to count comes from :mod:`.rule`:
the SQL below embeds its compiled conditions, so there is one definition.
:func:`rebuild_statements` fills them from scratch (after a bulk write that set the triggers
aside, and in the migration that introduced this module).
"""

from __future__ import annotations

from kankei_desktop.core.figures import aggregates, first_counts, rule
from kankei_desktop.core.figures.contributions import (
    FISCAL_YEAR,
    KEY,
    KINDS,
    ROW_ADDS,
    contributions,
)
from kankei_desktop.core.models import Attendance

#: Name patterns of every trigger this module owns (also those of earlier versions).
TRIGGER_PATTERNS = ("first_attendance_%", "figure_version_%", "figure_presence_%",
                    "figure_first_%", "figure_count_%", "figure_span_%")
#: The tables the triggers keep.
KEPT_TABLES = ("first_attendance", "first_attendance_person", "first_attendance_host",
               "figure_presence", *aggregates.TABLES, first_counts.TABLE)

_NEW_ROW_COUNTS = rule.sql(rule.row_counts(rule.alias(Attendance, "new")))


# -- first_attendance ------------------------------------------------------------------------


def _recompute_pair(person: str, club: str) -> str:
    """Statements that recompute one (person, club) pair from the attendance."""
    return f"""
    DELETE FROM first_attendance WHERE person_id = {person} AND club_id = {club};
    INSERT INTO first_attendance (person_id, club_id, first_date)
        SELECT a.person_id, m.club_id, min(m.date)
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id
        WHERE a.person_id = {person} AND m.club_id = {club} AND {rule.ROW_ON_HELD_MEETING}
        GROUP BY a.person_id, m.club_id;"""


def _recompute_meeting(row: str, clubs: str) -> str:
    """Statements that recompute every pair touched by the attendees of meeting ``row``."""
    attendees = f"(SELECT person_id FROM attendance WHERE meeting_id = {row}.id)"
    return f"""
    DELETE FROM first_attendance
        WHERE club_id IN ({clubs}) AND person_id IN {attendees};
    INSERT INTO first_attendance (person_id, club_id, first_date)
        SELECT a.person_id, m.club_id, min(m.date)
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id
        WHERE a.person_id IN {attendees} AND m.club_id IN ({clubs})
          AND {rule.ROW_ON_HELD_MEETING}
        GROUP BY a.person_id, m.club_id;"""


_CLUB_OF = "(SELECT club_id FROM meeting WHERE id = {row}.meeting_id)"

FIRST_ATTENDANCE_TRIGGERS = {
    # The common case (a new counted row) only lowers the pair's date: O(1).
    "first_attendance_on_insert": f"""
        AFTER INSERT ON attendance WHEN {_NEW_ROW_COUNTS} BEGIN
        INSERT INTO first_attendance (person_id, club_id, first_date)
            SELECT NEW.person_id, m.club_id, m.date FROM meeting m
            WHERE m.id = NEW.meeting_id AND {rule.MEETING_HELD}
            ON CONFLICT (person_id, club_id)
            DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance.first_date;
        END""",
    # A row that does not count changes nothing, unless it replaced one that did.
    "first_attendance_on_insert_absent": f"""
        AFTER INSERT ON attendance WHEN NOT ({_NEW_ROW_COUNTS}) BEGIN
        {_recompute_pair("NEW.person_id", _CLUB_OF.format(row="NEW"))}
        END""",
    "first_attendance_on_update": f"""
        AFTER UPDATE OF status, deleted_at, person_id, meeting_id ON attendance
        WHEN OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
          OR OLD.person_id IS NOT NEW.person_id OR OLD.meeting_id IS NOT NEW.meeting_id BEGIN
        {_recompute_pair("OLD.person_id", _CLUB_OF.format(row="OLD"))}
        {_recompute_pair("NEW.person_id", _CLUB_OF.format(row="NEW"))}
        END""",
    "first_attendance_on_delete": f"""
        AFTER DELETE ON attendance BEGIN
        {_recompute_pair("OLD.person_id", _CLUB_OF.format(row="OLD"))}
        END""",
    "first_attendance_on_meeting_insert": f"""
        AFTER INSERT ON meeting BEGIN
        {_recompute_meeting("NEW", "NEW.club_id")}
        END""",
    "first_attendance_on_meeting_update": f"""
        AFTER UPDATE OF date, status, deleted_at, club_id ON meeting
        WHEN OLD.date IS NOT NEW.date OR OLD.status IS NOT NEW.status
          OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.club_id IS NOT NEW.club_id BEGIN
        {_recompute_meeting("NEW", "OLD.club_id, NEW.club_id")}
        END""",
    "first_attendance_on_meeting_delete": f"""
        AFTER DELETE ON meeting BEGIN
        {_recompute_meeting("OLD", "OLD.club_id")}
        END""",
}

# -- figure_presence -------------------------------------------------------------------------

def _add(condition: str) -> str:
    return f"""
        INSERT INTO figure_presence (fy, kind, key, person_id, n)
        {contributions(condition)}
        ON CONFLICT (fy, kind, key, person_id) DO UPDATE SET n = n + excluded.n;"""


def _take_away(condition: str) -> str:
    return f"""
        UPDATE figure_presence SET n = figure_presence.n - d.n
        FROM ({contributions(condition)}) AS d
        WHERE figure_presence.fy = d.fy AND figure_presence.kind = d.kind
          AND figure_presence.key = d.key AND figure_presence.person_id = d.person_id;"""


_ATTENDANCE_CHANGED = """OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.person_id IS NOT NEW.person_id OR OLD.meeting_id IS NOT NEW.meeting_id"""
_MEETING_CHANGED = """OLD.date IS NOT NEW.date OR OLD.status IS NOT NEW.status
    OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.club_id IS NOT NEW.club_id
    OR OLD.kind IS NOT NEW.kind OR OLD.id IS NOT NEW.id"""
_CLUB_CHANGED = """OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.host_municipality_id IS NOT NEW.host_municipality_id OR OLD.id IS NOT NEW.id"""

PRESENCE_TRIGGERS = {
    # A person no longer present in a breakdown leaves it (one primary-key delete).
    "figure_presence_empty": """
        AFTER UPDATE OF n ON figure_presence WHEN NEW.n <= 0 BEGIN
        DELETE FROM figure_presence WHERE fy = NEW.fy AND kind = NEW.kind AND key = NEW.key
            AND person_id = NEW.person_id;
        END""",
    "figure_presence_attendance_insert":
        f"AFTER INSERT ON attendance BEGIN {_add('a.id = NEW.id')} END",
    "figure_presence_attendance_before_update":
        "BEFORE UPDATE OF status, deleted_at, person_id, meeting_id ON attendance "
        f"WHEN {_ATTENDANCE_CHANGED} BEGIN {_take_away('a.id = OLD.id')} END",
    "figure_presence_attendance_after_update":
        "AFTER UPDATE OF status, deleted_at, person_id, meeting_id ON attendance "
        f"WHEN {_ATTENDANCE_CHANGED} BEGIN {_add('a.id = NEW.id')} END",
    "figure_presence_attendance_delete":
        f"BEFORE DELETE ON attendance BEGIN {_take_away('a.id = OLD.id')} END",
    "figure_presence_meeting_before_update":
        "BEFORE UPDATE OF date, status, deleted_at, club_id, kind, id ON meeting "
        f"WHEN {_MEETING_CHANGED} BEGIN {_take_away('m.id = OLD.id')} END",
    "figure_presence_meeting_after_update":
        "AFTER UPDATE OF date, status, deleted_at, club_id, kind, id ON meeting "
        f"WHEN {_MEETING_CHANGED} BEGIN {_add('m.id = NEW.id')} END",
    "figure_presence_meeting_delete":
        f"BEFORE DELETE ON meeting BEGIN {_take_away('m.id = OLD.id')} END",
    "figure_presence_club_before_update":
        "BEFORE UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {_CLUB_CHANGED} BEGIN {_take_away('c.id = OLD.id')} END",
    "figure_presence_club_after_update":
        "AFTER UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {_CLUB_CHANGED} BEGIN {_add('c.id = NEW.id')} END",
    "figure_presence_club_delete":
        f"BEFORE DELETE ON club BEGIN {_take_away('c.id = OLD.id')} END",
}

# -- first dates per person and per host -----------------------------------------------------


def _firsts_of(match: str) -> str:
    """Statements that fill both first-date tables for the people ``person_id {match}`` picks
    (an empty ``match`` fills them for everybody)."""
    where = f"f.person_id {match} AND " if match else ""
    return f"""
        INSERT INTO first_attendance_person (person_id, first_date)
            SELECT f.person_id, min(f.first_date)
            FROM first_attendance f JOIN club c ON c.id = f.club_id
            WHERE {where}{rule.CLUB_COUNTS}
            GROUP BY f.person_id;
        INSERT INTO first_attendance_host (person_id, host_id, first_date)
            SELECT f.person_id, coalesce(c.host_municipality_id, ''), min(f.first_date)
            FROM first_attendance f JOIN club c ON c.id = f.club_id
            WHERE {where}{rule.CLUB_COUNTS}
            GROUP BY 1, 2;"""


def _refresh_firsts(match: str) -> str:
    """Recompute the first dates of the people ``person_id {match}`` picks (``=
    OLD.person_id`` — an equality is cheaper than a one-item list — or ``IN …``)."""
    return f"""
        DELETE FROM first_attendance_person WHERE person_id {match};
        DELETE FROM first_attendance_host WHERE person_id {match};
        {_firsts_of(match)}"""


_CLUB_PEOPLE = "SELECT person_id FROM first_attendance WHERE club_id IN (OLD.id, NEW.id)"


def _lower_firsts() -> str:
    """The common case, a pair that is new or moved earlier: the person's dates can only
    move earlier too (O(1), nothing re-read). Pairs of deleted clubs do not count."""
    return f"""
        INSERT INTO first_attendance_person (person_id, first_date)
            SELECT NEW.person_id, NEW.first_date FROM club c
            WHERE c.id = NEW.club_id AND {rule.CLUB_COUNTS}
            ON CONFLICT (person_id) DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance_person.first_date;
        INSERT INTO first_attendance_host (person_id, host_id, first_date)
            SELECT NEW.person_id, coalesce(c.host_municipality_id, ''), NEW.first_date
            FROM club c
            WHERE c.id = NEW.club_id AND {rule.CLUB_COUNTS}
            ON CONFLICT (person_id, host_id) DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance_host.first_date;"""


_PAIR_LOWERED = """NEW.person_id IS OLD.person_id AND NEW.club_id IS OLD.club_id
    AND NEW.first_date < OLD.first_date"""

FIRST_DATE_TRIGGERS = {
    "figure_first_pair_insert":
        f"AFTER INSERT ON first_attendance BEGIN {_lower_firsts()} END",
    "figure_first_pair_lowered":
        f"AFTER UPDATE ON first_attendance WHEN {_PAIR_LOWERED} BEGIN {_lower_firsts()} END",
    "figure_first_pair_update":
        f"AFTER UPDATE ON first_attendance WHEN NOT ({_PAIR_LOWERED}) AND ("
        "NEW.person_id IS NOT OLD.person_id OR NEW.club_id IS NOT OLD.club_id "
        "OR NEW.first_date IS NOT OLD.first_date) BEGIN "
        f"{_refresh_firsts('IN (OLD.person_id, NEW.person_id)')} END",
    "figure_first_pair_delete":
        f"AFTER DELETE ON first_attendance BEGIN {_refresh_firsts('= OLD.person_id')} END",
    "figure_first_club_update":
        "AFTER UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {_CLUB_CHANGED} BEGIN {_refresh_firsts(f'IN ({_CLUB_PEOPLE})')} END",
}

#: Every trigger, by name (``CREATE TRIGGER name`` + the body).
TRIGGERS = {**FIRST_ATTENDANCE_TRIGGERS, **PRESENCE_TRIGGERS, **FIRST_DATE_TRIGGERS,
            **aggregates.TRIGGERS, **first_counts.TRIGGERS}

# -- filling from scratch --------------------------------------------------------------------

#: Sessions first, then their rows through ``ix_attendance_figures`` (CROSS JOIN fixes the
#: order: a freshly filled file has no statistics yet and the planner may guess otherwise).
_FILL_FIRST_ATTENDANCE = f"""
    INSERT INTO first_attendance (person_id, club_id, first_date)
    SELECT a.person_id, m.club_id, min(m.date)
    FROM meeting m CROSS JOIN attendance a ON a.meeting_id = m.id
    WHERE {rule.ROW_ON_HELD_MEETING}
    GROUP BY a.person_id, m.club_id"""

#: One year's contributions, grouped per year: one statement for all years sorts every
#: contribution at once, far beyond the page cache (68 s against 9 s on a million rows).
_FILL_PRESENCE_YEAR = f"""
    INSERT INTO figure_presence (fy, kind, key, person_id, n)
    SELECT :fy, k.kind, {KEY}, a.person_id, count(*)
    FROM meeting m CROSS JOIN club c ON c.id = m.club_id
    CROSS JOIN attendance a ON a.meeting_id = m.id
    CROSS JOIN {KINDS} k
    WHERE m.date BETWEEN :date_from AND :date_to AND {ROW_ADDS}
    GROUP BY 2, 3, 4"""

#: The years that have sessions (the years ``figure_presence`` can hold).
YEARS = f"SELECT DISTINCT {FISCAL_YEAR} FROM meeting m"


def clear_statements() -> list[str]:
    """Empty every kept table."""
    return [f"DELETE FROM {table}" for table in KEPT_TABLES]


def fill_first_dates_statements() -> list[str]:
    """Fill ``first_attendance`` and the first dates (kept tables empty)."""
    return [_FILL_FIRST_ATTENDANCE,
            *(part.strip() for part in _firsts_of("").split(";") if part.strip())]


def fill_presence_statement() -> str:
    """Fill ``figure_presence`` for one year (parameters ``fy``, ``date_from``,
    ``date_to``)."""
    return _FILL_PRESENCE_YEAR


def presence_parameters(fiscal_year: int) -> dict[str, object]:
    """The parameters of :func:`fill_presence_statement` for ``fiscal_year``."""
    return {"fy": fiscal_year, "date_from": f"{fiscal_year:04d}-04-01",
            "date_to": f"{fiscal_year + 1:04d}-03-31"}
