"""who attended in each 年度, kept by triggers, so a year's figures need no grouping

Revision ID: 0007_presence
Revises: 0006_person_names
Create Date: 2026-11-23

``figure_presence`` holds one row per 年度 and person for the year as a whole (kind ``t``),
per club (``c``), per host municipality (``h``, key ``''`` for none) and per month (``m``,
key ``YYYY-MM``), with ``n`` the number of ``attended`` rows of that person on live ``held``
sessions of live clubs there. A year's 延べ人数 and 実人数 for every breakdown are then sums
and counts along the primary key — one ordered read instead of four sorts of the year's
attendance. Rows are kept only for the years listed in ``figure_presence_year``: a year is
filled when its figures are first asked for (``core.figure_presence``) and from then on kept
by the triggers below, which take a changed row's old contribution away *before* the write
and add its new one *after* it. People's tombstones and categories are applied on reading.

``first_attendance_person`` and ``first_attendance_host`` hold each person's first date
overall and per host municipality (from ``first_attendance`` and the live clubs), for 新規.
"""

from __future__ import annotations

from alembic import op

revision = '0007_presence'
down_revision = '0006_person_names'
branch_labels = None
depends_on = None

#: 年度 of a session date 'YYYY-MM-DD' (January–March belong to the year before).
FISCAL_YEAR = "(CAST(substr(m.date, 1, 4) AS INTEGER) - (substr(m.date, 6, 2) < '04'))"

KINDS = "(SELECT 't' AS kind UNION ALL SELECT 'c' UNION ALL SELECT 'h' UNION ALL SELECT 'm')"
KEY = ("CASE k.kind WHEN 't' THEN '' WHEN 'c' THEN m.club_id "
       "WHEN 'h' THEN coalesce(c.host_municipality_id, '') ELSE substr(m.date, 1, 7) END")
LIVE = ("a.status = 'attended' AND a.deleted_at IS NULL AND m.status = 'held' "
        "AND m.deleted_at IS NULL AND c.deleted_at IS NULL")


def _contributions(condition: str) -> str:
    """(fy, kind, key, person_id, n) of the live rows matching ``condition``, for the years
    being kept."""
    return f"""
        SELECT {FISCAL_YEAR} AS fy, k.kind AS kind, {KEY} AS key, a.person_id AS person_id,
               count(*) AS n
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id JOIN club c ON c.id = m.club_id
        CROSS JOIN {KINDS} k
        WHERE {condition} AND {LIVE}
          AND {FISCAL_YEAR} IN (SELECT fy FROM figure_presence_year)
        GROUP BY 1, 2, 3, 4"""


def _add(condition: str) -> str:
    return f"""
        INSERT INTO figure_presence (fy, kind, key, person_id, n)
        {_contributions(condition)}
        ON CONFLICT (fy, kind, key, person_id) DO UPDATE SET n = n + excluded.n;"""


def _take_away(condition: str) -> str:
    return f"""
        UPDATE figure_presence SET n = figure_presence.n - d.n
        FROM ({_contributions(condition)}) AS d
        WHERE figure_presence.fy = d.fy AND figure_presence.kind = d.kind
          AND figure_presence.key = d.key AND figure_presence.person_id = d.person_id;"""


ATTENDANCE_CHANGED = """OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.person_id IS NOT NEW.person_id OR OLD.meeting_id IS NOT NEW.meeting_id"""
MEETING_CHANGED = """OLD.date IS NOT NEW.date OR OLD.status IS NOT NEW.status
    OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.club_id IS NOT NEW.club_id
    OR OLD.id IS NOT NEW.id"""
CLUB_CHANGED = """OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.host_municipality_id IS NOT NEW.host_municipality_id OR OLD.id IS NOT NEW.id"""

#: Nothing to keep while no year is kept (a new file, a bulk load): the triggers stay idle.
ANY_KEPT = "EXISTS (SELECT 1 FROM figure_presence_year)"

PRESENCE_TRIGGERS = {
    # A person no longer present in a breakdown leaves it (one primary-key delete).
    "figure_presence_empty": """
        AFTER UPDATE OF n ON figure_presence WHEN NEW.n <= 0 BEGIN
        DELETE FROM figure_presence WHERE fy = NEW.fy AND kind = NEW.kind AND key = NEW.key
            AND person_id = NEW.person_id;
        END""",
    "figure_presence_attendance_insert":
        f"AFTER INSERT ON attendance WHEN {ANY_KEPT} BEGIN {_add('a.id = NEW.id')} END",
    "figure_presence_attendance_before_update":
        "BEFORE UPDATE OF status, deleted_at, person_id, meeting_id ON attendance "
        f"WHEN {ANY_KEPT} AND ({ATTENDANCE_CHANGED}) BEGIN {_take_away('a.id = OLD.id')} END",
    "figure_presence_attendance_after_update":
        "AFTER UPDATE OF status, deleted_at, person_id, meeting_id ON attendance "
        f"WHEN {ANY_KEPT} AND ({ATTENDANCE_CHANGED}) BEGIN {_add('a.id = NEW.id')} END",
    "figure_presence_attendance_delete":
        f"BEFORE DELETE ON attendance WHEN {ANY_KEPT} BEGIN {_take_away('a.id = OLD.id')} END",
    "figure_presence_meeting_before_update":
        "BEFORE UPDATE OF date, status, deleted_at, club_id, id ON meeting "
        f"WHEN {ANY_KEPT} AND ({MEETING_CHANGED}) BEGIN {_take_away('m.id = OLD.id')} END",
    "figure_presence_meeting_after_update":
        "AFTER UPDATE OF date, status, deleted_at, club_id, id ON meeting "
        f"WHEN {ANY_KEPT} AND ({MEETING_CHANGED}) BEGIN {_add('m.id = NEW.id')} END",
    "figure_presence_meeting_delete":
        f"BEFORE DELETE ON meeting WHEN {ANY_KEPT} BEGIN {_take_away('m.id = OLD.id')} END",
    "figure_presence_club_before_update":
        "BEFORE UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {ANY_KEPT} AND ({CLUB_CHANGED}) BEGIN {_take_away('c.id = OLD.id')} END",
    "figure_presence_club_after_update":
        "AFTER UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {ANY_KEPT} AND ({CLUB_CHANGED}) BEGIN {_add('c.id = NEW.id')} END",
    "figure_presence_club_delete":
        f"BEFORE DELETE ON club WHEN {ANY_KEPT} BEGIN {_take_away('c.id = OLD.id')} END",
}


def _refresh_firsts(match: str) -> str:
    """Recompute the first dates overall and per host of the people ``person_id {match}``
    picks (``= OLD.person_id`` — an equality is cheaper than a one-item list — or ``IN …``)."""
    return f"""
        DELETE FROM first_attendance_person WHERE person_id {match};
        INSERT INTO first_attendance_person (person_id, first_date)
            SELECT f.person_id, min(f.first_date)
            FROM first_attendance f JOIN club c ON c.id = f.club_id
            WHERE f.person_id {match} AND c.deleted_at IS NULL
            GROUP BY f.person_id;
        DELETE FROM first_attendance_host WHERE person_id {match};
        INSERT INTO first_attendance_host (person_id, host_id, first_date)
            SELECT f.person_id, coalesce(c.host_municipality_id, ''), min(f.first_date)
            FROM first_attendance f JOIN club c ON c.id = f.club_id
            WHERE f.person_id {match} AND c.deleted_at IS NULL
            GROUP BY 1, 2;"""


CLUB_PEOPLE = "SELECT person_id FROM first_attendance WHERE club_id IN (OLD.id, NEW.id)"

def _lower_firsts() -> str:
    """The common case, a pair that is new or moved earlier: the person's dates can only
    move earlier too (O(1), nothing re-read). Pairs of deleted clubs do not count."""
    return """
        INSERT INTO first_attendance_person (person_id, first_date)
            SELECT NEW.person_id, NEW.first_date FROM club
            WHERE id = NEW.club_id AND deleted_at IS NULL
            ON CONFLICT (person_id) DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance_person.first_date;
        INSERT INTO first_attendance_host (person_id, host_id, first_date)
            SELECT NEW.person_id, coalesce(host_municipality_id, ''), NEW.first_date FROM club
            WHERE id = NEW.club_id AND deleted_at IS NULL
            ON CONFLICT (person_id, host_id) DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance_host.first_date;"""


PAIR_LOWERED = """NEW.person_id IS OLD.person_id AND NEW.club_id IS OLD.club_id
    AND NEW.first_date < OLD.first_date"""
FIRST_TRIGGERS = {
    "figure_first_pair_insert":
        f"AFTER INSERT ON first_attendance BEGIN {_lower_firsts()} END",
    "figure_first_pair_lowered":
        f"AFTER UPDATE ON first_attendance WHEN {PAIR_LOWERED} BEGIN {_lower_firsts()} END",
    "figure_first_pair_update":
        f"AFTER UPDATE ON first_attendance WHEN NOT ({PAIR_LOWERED}) AND ("
        "NEW.person_id IS NOT OLD.person_id OR NEW.club_id IS NOT OLD.club_id "
        "OR NEW.first_date IS NOT OLD.first_date) BEGIN "
        f"{_refresh_firsts('IN (OLD.person_id, NEW.person_id)')} END",
    "figure_first_pair_delete":
        f"AFTER DELETE ON first_attendance BEGIN {_refresh_firsts('= OLD.person_id')} END",
    "figure_first_club_update":
        "AFTER UPDATE OF deleted_at, host_municipality_id, id ON club "
        f"WHEN {CLUB_CHANGED} BEGIN {_refresh_firsts(f'IN ({CLUB_PEOPLE})')} END",
}

REBUILD_FIRSTS = (
    """INSERT INTO first_attendance_person (person_id, first_date)
    SELECT f.person_id, min(f.first_date) FROM first_attendance f JOIN club c ON c.id = f.club_id
    WHERE c.deleted_at IS NULL GROUP BY f.person_id""",
    """INSERT INTO first_attendance_host (person_id, host_id, first_date)
    SELECT f.person_id, coalesce(c.host_municipality_id, ''), min(f.first_date)
    FROM first_attendance f JOIN club c ON c.id = f.club_id
    WHERE c.deleted_at IS NULL GROUP BY 1, 2""",
)


def upgrade() -> None:
    op.execute("""
        CREATE TABLE figure_presence_year (
            fy INTEGER NOT NULL CONSTRAINT pk_figure_presence_year PRIMARY KEY)""")
    op.execute("""
        CREATE TABLE figure_presence (
            fy INTEGER NOT NULL,
            kind CHAR(1) NOT NULL,
            key CHAR(32) NOT NULL,
            person_id CHAR(32) NOT NULL,
            n INTEGER NOT NULL,
            CONSTRAINT pk_figure_presence PRIMARY KEY (fy, kind, key, person_id)
        ) WITHOUT ROWID""")
    op.execute("""
        CREATE TABLE first_attendance_person (
            person_id CHAR(32) NOT NULL CONSTRAINT pk_first_attendance_person PRIMARY KEY,
            first_date DATE NOT NULL
        ) WITHOUT ROWID""")
    op.execute("CREATE INDEX ix_first_attendance_person_date "
               "ON first_attendance_person (first_date, person_id)")
    op.execute("""
        CREATE TABLE first_attendance_host (
            person_id CHAR(32) NOT NULL,
            host_id CHAR(32) NOT NULL,
            first_date DATE NOT NULL,
            CONSTRAINT pk_first_attendance_host PRIMARY KEY (person_id, host_id)
        ) WITHOUT ROWID""")
    op.execute("CREATE INDEX ix_first_attendance_host_date "
               "ON first_attendance_host (first_date, host_id, person_id)")
    # The figures skip deleted people by this short list instead of looking up every row.
    op.execute("CREATE INDEX ix_person_deleted ON person (id) WHERE deleted_at IS NOT NULL")
    for statement in REBUILD_FIRSTS:
        op.execute(statement)
    for name, body in {**PRESENCE_TRIGGERS, **FIRST_TRIGGERS}.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in [*PRESENCE_TRIGGERS, *FIRST_TRIGGERS]:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_person_deleted")
    for table in ("first_attendance_host", "first_attendance_person", "figure_presence",
                  "figure_presence_year"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
