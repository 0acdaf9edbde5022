"""first attendance per person and club, kept by triggers, for fast 新規 figures

Revision ID: 0005_figures
Revises: 0004_imports
Create Date: 2026-11-23

``first_attendance`` holds, for every (person, club) pair, the date of the person's first
``attended`` row on a live ``held`` meeting of that club. SQLite triggers keep it right for
every writer (the services, bundle imports, spreadsheet imports, bulk loaders), so the
figures never read a person's whole history. Club and person tombstones are applied when
the figures are read, not here.
"""

from __future__ import annotations

from alembic import op

revision = '0005_figures'
down_revision = '0004_imports'
branch_labels = None
depends_on = None

LIVE_ATTENDED = ("a.status = 'attended' AND a.deleted_at IS NULL "
                 "AND m.status = 'held' AND m.deleted_at IS NULL")


def _recompute_pair(person: str, club: str) -> str:
    """Statements that recompute one (person, club) pair from the attendance."""
    return f"""
    DELETE FROM first_attendance WHERE person_id = {person} AND club_id = {club};
    INSERT INTO first_attendance (person_id, club_id, first_date)
        SELECT a.person_id, m.club_id, min(m.date)
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id
        WHERE a.person_id = {person} AND m.club_id = {club} AND {LIVE_ATTENDED}
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
        WHERE a.person_id IN {attendees} AND m.club_id IN ({clubs}) AND {LIVE_ATTENDED}
        GROUP BY a.person_id, m.club_id;"""


CLUB_OF = "(SELECT club_id FROM meeting WHERE id = {row}.meeting_id)"

TRIGGERS = {
    # The common case (a new attended row) only lowers the pair's date: O(1).
    "first_attendance_on_insert": """
        AFTER INSERT ON attendance
        WHEN NEW.status = 'attended' AND NEW.deleted_at IS NULL BEGIN
        INSERT INTO first_attendance (person_id, club_id, first_date)
            SELECT NEW.person_id, m.club_id, m.date FROM meeting m
            WHERE m.id = NEW.meeting_id AND m.status = 'held' AND m.deleted_at IS NULL
            ON CONFLICT (person_id, club_id)
            DO UPDATE SET first_date = excluded.first_date
            WHERE excluded.first_date < first_attendance.first_date;
        END""",
    # An absent row changes nothing, unless it replaced an attended one (INSERT OR REPLACE).
    "first_attendance_on_insert_absent": f"""
        AFTER INSERT ON attendance
        WHEN NOT (NEW.status = 'attended' AND NEW.deleted_at IS NULL) BEGIN
        {_recompute_pair("NEW.person_id", CLUB_OF.format(row="NEW"))}
        END""",
    "first_attendance_on_update": f"""
        AFTER UPDATE OF status, deleted_at, person_id, meeting_id ON attendance
        WHEN OLD.status IS NOT NEW.status OR OLD.deleted_at IS NOT NEW.deleted_at
          OR OLD.person_id IS NOT NEW.person_id OR OLD.meeting_id IS NOT NEW.meeting_id BEGIN
        {_recompute_pair("OLD.person_id", CLUB_OF.format(row="OLD"))}
        {_recompute_pair("NEW.person_id", CLUB_OF.format(row="NEW"))}
        END""",
    "first_attendance_on_delete": f"""
        AFTER DELETE ON attendance BEGIN
        {_recompute_pair("OLD.person_id", CLUB_OF.format(row="OLD"))}
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


#: Every write the figures depend on bumps ``figure_version.n``; cached figures carry the
#: value they were computed at and are used only while it is unchanged.
VERSION_BUMP = "BEGIN UPDATE figure_version SET n = n + 1; END"
VERSION_TRIGGERS = {
    "figure_version_attendance_insert": "AFTER INSERT ON attendance",
    "figure_version_attendance_update": "AFTER UPDATE ON attendance",
    "figure_version_attendance_delete": "AFTER DELETE ON attendance",
    "figure_version_meeting_insert": "AFTER INSERT ON meeting",
    "figure_version_meeting_update": "AFTER UPDATE ON meeting",
    "figure_version_meeting_delete": "AFTER DELETE ON meeting",
    "figure_version_person_insert": "AFTER INSERT ON person",
    "figure_version_person_update":
        "AFTER UPDATE OF deleted_at, category, id ON person",
    "figure_version_person_delete": "AFTER DELETE ON person",
    "figure_version_club_insert": "AFTER INSERT ON club",
    "figure_version_club_update":
        "AFTER UPDATE OF deleted_at, host_municipality_id, id ON club",
    "figure_version_club_delete": "AFTER DELETE ON club",
}


def upgrade() -> None:
    op.execute("CREATE TABLE figure_version (id INTEGER NOT NULL "
               "CONSTRAINT pk_figure_version PRIMARY KEY, n INTEGER NOT NULL)")
    op.execute("INSERT INTO figure_version (id, n) VALUES (1, 0)")
    op.execute("""
        CREATE TABLE figure_cache (
            key TEXT NOT NULL CONSTRAINT pk_figure_cache PRIMARY KEY,
            version INTEGER NOT NULL,
            payload TEXT NOT NULL
        )""")
    for name, event in VERSION_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {event} {VERSION_BUMP}")
    op.execute("""
        CREATE TABLE first_attendance (
            person_id CHAR(32) NOT NULL,
            club_id CHAR(32) NOT NULL,
            first_date DATE NOT NULL,
            CONSTRAINT pk_first_attendance PRIMARY KEY (person_id, club_id)
        ) WITHOUT ROWID""")
    op.execute("CREATE INDEX ix_first_attendance_date "
               "ON first_attendance (first_date, club_id, person_id)")
    op.execute(f"""
        INSERT INTO first_attendance (person_id, club_id, first_date)
        SELECT a.person_id, m.club_id, min(m.date)
        FROM attendance a JOIN meeting m ON m.id = a.meeting_id
        WHERE {LIVE_ATTENDED}
        GROUP BY a.person_id, m.club_id""")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    # Figures read attendance by meeting and people by id without touching the tables.
    op.execute("CREATE INDEX ix_attendance_figures "
               "ON attendance (meeting_id, status, deleted_at, person_id)")
    op.execute("CREATE INDEX ix_person_figures ON person (id, deleted_at, category)")
    # Search-as-you-type scans this index alone (LIKE '%…%' cannot seek), in 50音順.
    op.execute("DROP INDEX ix_person_sort")
    op.execute("CREATE INDEX ix_person_sort "
               "ON person (sort_key, id, deleted_at, search_key, category)")


def downgrade() -> None:
    for name in [*TRIGGERS, *VERSION_TRIGGERS]:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP INDEX IF EXISTS ix_person_figures")
    op.execute("DROP INDEX IF EXISTS ix_person_sort")
    op.execute("CREATE INDEX ix_person_sort ON person (sort_key)")
    op.execute("DROP INDEX IF EXISTS ix_attendance_figures")
    op.execute("DROP TABLE IF EXISTS first_attendance")
    op.execute("DROP TABLE IF EXISTS figure_cache")
    op.execute("DROP TABLE IF EXISTS figure_version")
