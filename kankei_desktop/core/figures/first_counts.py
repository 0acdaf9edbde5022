"""新規 per month, kept from the first dates so whole 年度 need no pass over them.

``figure_first_count`` counts, per kind, month of the first date, key and category, the live
people whose first counted session falls in that month:

- kind ``n``: their first session overall (``first_attendance_person``, key ``''``);
- kind ``h``: their first session of a host municipality (``first_attendance_host``, key the
  host id or ``''``);
- kind ``c``: their first session of a club (``first_attendance``, key the club id; clubs'
  tombstones are applied when read, as for ``first_attendance``).

The triggers below follow every change of the three first-date tables and of the people.
Whole 年度 are whole months, so the kept figures read these counts; any other period reads
the first dates themselves.
"""

from __future__ import annotations

from kankei_desktop.core.figures import rule
from kankei_desktop.core.models import Person

TABLE = "figure_first_count"

#: (kind, source table, key column or '' ) of the counted first dates.
SOURCES = (
    ("n", "first_attendance_person", "''"),
    ("h", "first_attendance_host", "host_id"),
    ("c", "first_attendance", "club_id"),
)


def _live(row: str) -> str:
    return rule.sql(rule.person_row_counts(rule.alias(Person, row)))


def _key(row: str, column: str) -> str:
    return "''" if column == "''" else f"{row}.{column}"


def _add(kind: str, row: str, key: str) -> str:
    return f"""
        INSERT INTO figure_first_count (kind, month, key, category, persons)
            SELECT '{kind}', substr({row}.first_date, 1, 7), {_key(row, key)}, p.category, 1
            FROM person p WHERE p.id = {row}.person_id AND {_live("p")}
            ON CONFLICT (kind, month, key, category) DO UPDATE
            SET persons = persons + excluded.persons;"""


def _take_away(kind: str, row: str, key: str) -> str:
    return f"""
        UPDATE figure_first_count SET persons = figure_first_count.persons - 1
        FROM person p
        WHERE p.id = {row}.person_id AND {_live("p")} AND figure_first_count.kind = '{kind}'
          AND figure_first_count.month = substr({row}.first_date, 1, 7)
          AND figure_first_count.key = {_key(row, key)}
          AND figure_first_count.category = p.category;"""


def _person_rows(person: str) -> str:
    """``person``'s first dates of the three kinds, grouped as the counts key them, while
    the person is live (each table is keyed by person first)."""
    parts = [f"""SELECT '{kind}' AS kind, substr(first_date, 1, 7) AS month, {key} AS key
                 FROM {table} WHERE person_id = {person}.id""" for kind, table, key in SOURCES]
    union = " UNION ALL ".join(parts)
    return f"""
        SELECT kind, month, key, {person}.category AS category, count(*) AS persons
        FROM ({union}) WHERE {_live(person)}
        GROUP BY kind, month, key"""


_PERSON_ADD = f"""
        INSERT INTO figure_first_count (kind, month, key, category, persons)
        {_person_rows("NEW")}
        ON CONFLICT (kind, month, key, category) DO UPDATE
        SET persons = persons + excluded.persons;"""

_PERSON_TAKE_AWAY = f"""
        UPDATE figure_first_count SET persons = figure_first_count.persons - d.persons
        FROM ({_person_rows("OLD")}) AS d
        WHERE figure_first_count.kind = d.kind AND figure_first_count.month = d.month
          AND figure_first_count.key = d.key AND figure_first_count.category = d.category;"""

_PERSON_CHANGED = """OLD.deleted_at IS NOT NEW.deleted_at OR OLD.category IS NOT NEW.category
    OR OLD.id IS NOT NEW.id"""


def _table_triggers() -> dict[str, str]:
    triggers: dict[str, str] = {}
    for kind, table, key in SOURCES:
        name = f"figure_first_count_{kind}"
        triggers[f"{name}_insert"] = (
            f"AFTER INSERT ON {table} BEGIN {_add(kind, 'NEW', key)} END")
        triggers[f"{name}_update"] = (
            f"AFTER UPDATE ON {table} BEGIN {_take_away(kind, 'OLD', key)} "
            f"{_add(kind, 'NEW', key)} END")
        triggers[f"{name}_delete"] = (
            f"AFTER DELETE ON {table} BEGIN {_take_away(kind, 'OLD', key)} END")
    return triggers


TRIGGERS = {
    "figure_first_count_empty": """
        AFTER UPDATE OF persons ON figure_first_count WHEN NEW.persons <= 0 BEGIN
        DELETE FROM figure_first_count WHERE kind = NEW.kind AND month = NEW.month
            AND key = NEW.key AND category = NEW.category;
        END""",
    **_table_triggers(),
    "figure_first_count_person_insert":
        f"AFTER INSERT ON person BEGIN {_PERSON_ADD} END",
    "figure_first_count_person_update":
        "AFTER UPDATE OF deleted_at, category, id ON person "
        f"WHEN {_PERSON_CHANGED} BEGIN {_PERSON_TAKE_AWAY} {_PERSON_ADD} END",
    "figure_first_count_person_delete":
        f"AFTER DELETE ON person BEGIN {_PERSON_TAKE_AWAY} END",
}


def fill_statement() -> str:
    """Fill ``figure_first_count`` from the filled first-date tables (its triggers absent)."""
    union = " UNION ALL ".join(
        f"SELECT '{kind}' AS kind, person_id, substr(first_date, 1, 7) AS month, {key} AS key "
        f"FROM {table}" for kind, table, key in SOURCES)
    return f"""
        INSERT INTO figure_first_count (kind, month, key, category, persons)
        SELECT f.kind, f.month, f.key, p.category, count(*)
        FROM ({union}) f CROSS JOIN person p ON p.id = f.person_id
        WHERE {_live("p")}
        GROUP BY 1, 2, 3, 4"""
