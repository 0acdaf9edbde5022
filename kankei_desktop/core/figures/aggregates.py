"""Small tables kept from ``figure_presence`` so a year, or several, is a few small reads.

- ``figure_count``: per 年度, presence kind and key (as in ``figure_presence``), person
  category and — for kind ``t`` only — organisation (``''`` = none): how many live people are
  present (``persons``) and how often (``times``). A year's figures for the whole programme
  are sums over a few thousand of these rows instead of a pass over every person's rows.
- ``figure_span``: per presence kind ``t``/``c``/``h``/``k``, key and person, the set of 年度 in
  which the person is present, as a bit mask (bit ``fy - SPAN_FIRST_YEAR``). Years outside
  ``SPAN_FIRST_YEAR`` … ``SPAN_LAST_YEAR`` (:mod:`.span_window`) are not kept here; figures
  over such years are counted live.
- ``figure_span_count``: ``figure_span`` counted per kind, key, category, organisation (kind
  ``t``) and mask, over live people. 実人数 over several years is the sum over the masks that
  meet the years asked for — people present in any of them, distinct over their union, never
  a sum of years — a few thousand rows whatever the size of the programme.

All follow every change of ``figure_presence`` by the triggers below, and the counts follow
the people too (a person deleted, restored, re-categorised or moved to another
organisation). :func:`fill_statements` fills them from a filled ``figure_presence`` (the kept
tables' rebuild).
"""

from __future__ import annotations

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.contributions import contributions
from kankei_desktop.core.figures.span_window import SPAN_FIRST_YEAR, SPAN_LAST_YEAR
from kankei_desktop.core.models import Person

TABLES = ("figure_count", "figure_span", "figure_span_count")
#: The presence kinds ``figure_span`` holds (months belong to one year: no span needed).
SPAN_KINDS = ("t", "c", "h", "k")

_SPAN_KIND_SQL = ", ".join(f"'{kind}'" for kind in SPAN_KINDS)


def _live(row: str) -> str:
    """The person ``row`` (``p``, ``OLD``, ``NEW``) is live (:mod:`.rule`)."""
    return rule.sql(rule.person_row_counts(rule.alias(Person, row)))


def _org(kind: str, person: str) -> str:
    """The organisation column of ``figure_count``: the person's for kind ``t``, else ''."""
    return f"CASE WHEN {kind} = 't' THEN coalesce({person}.organization_id, '') ELSE '' END"


def _count_add(row: str) -> str:
    """Add the presence row ``row`` (NEW) to ``figure_count`` when its person is live."""
    return f"""
        INSERT INTO figure_count (fy, kind, key, category, org, persons, times)
            SELECT {row}.fy, {row}.kind, {row}.key, p.category, {_org(f"{row}.kind", "p")}, 1,
                   {row}.n
            FROM person p WHERE p.id = {row}.person_id AND {_live("p")}
            ON CONFLICT (fy, kind, key, category, org) DO UPDATE
            SET persons = persons + excluded.persons, times = times + excluded.times;"""


def _count_take_away(row: str) -> str:
    """Take the presence row ``row`` (OLD) away from ``figure_count``."""
    return f"""
        UPDATE figure_count SET persons = figure_count.persons - 1,
                                times = figure_count.times - {row}.n
        FROM person p
        WHERE p.id = {row}.person_id AND {_live("p")} AND figure_count.fy = {row}.fy
          AND figure_count.kind = {row}.kind AND figure_count.key = {row}.key
          AND figure_count.category = p.category
          AND figure_count.org = {_org(f"{row}.kind", "p")};"""


def _person_presence(person: str) -> str:
    """``person``'s ``figure_presence`` rows, made again from its attendance (found by
    ``ix_attendance_person``; the presence table has no index by person)."""
    return f"({contributions(f'a.person_id = {person}.id')})"


def _person_rows(person: str) -> str:
    """``person``'s presence rows grouped as ``figure_count`` keys them, while it is live."""
    return f"""
        SELECT fy, kind, key, {person}.category AS category, {_org("kind", person)} AS org,
               count(*) AS persons, sum(n) AS times
        FROM {_person_presence(person)} WHERE {_live(person)}
        GROUP BY fy, kind, key"""


_PERSON_CHANGED = """OLD.deleted_at IS NOT NEW.deleted_at OR OLD.category IS NOT NEW.category
    OR OLD.organization_id IS NOT NEW.organization_id OR OLD.id IS NOT NEW.id"""

_PERSON_ADD = f"""
        INSERT INTO figure_count (fy, kind, key, category, org, persons, times)
        {_person_rows("NEW")}
        ON CONFLICT (fy, kind, key, category, org) DO UPDATE
        SET persons = persons + excluded.persons, times = times + excluded.times;"""

_PERSON_TAKE_AWAY = f"""
        UPDATE figure_count SET persons = figure_count.persons - d.persons,
                                times = figure_count.times - d.times
        FROM ({_person_rows("OLD")}) AS d
        WHERE figure_count.fy = d.fy AND figure_count.kind = d.kind
          AND figure_count.key = d.key AND figure_count.category = d.category
          AND figure_count.org = d.org;"""

def _in_span(kind: str, fy: str) -> str:
    """The presence row of ``kind`` and ``fy`` (columns) has a place in ``figure_span``."""
    return (f"{kind} IN ({_SPAN_KIND_SQL}) "
            f"AND {fy} BETWEEN {SPAN_FIRST_YEAR} AND {SPAN_LAST_YEAR}")


def _span_set(row: str) -> str:
    return f"""
        INSERT INTO figure_span (kind, key, person_id, years)
            SELECT {row}.kind, {row}.key, {row}.person_id, 1 << ({row}.fy - {SPAN_FIRST_YEAR})
            WHERE {_in_span(f"{row}.kind", f"{row}.fy")}
            ON CONFLICT (kind, key, person_id) DO UPDATE SET years = years | excluded.years;"""


def _span_clear(row: str) -> str:
    return f"""
        UPDATE figure_span SET years = years & ~(1 << ({row}.fy - {SPAN_FIRST_YEAR}))
        WHERE kind = {row}.kind AND key = {row}.key AND person_id = {row}.person_id
          AND {_in_span(f"{row}.kind", f"{row}.fy")};"""


def _span_count_add(row: str) -> str:
    """Count the span row ``row`` (NEW) for its person when live."""
    return f"""
        INSERT INTO figure_span_count (kind, key, category, org, years, persons)
            SELECT {row}.kind, {row}.key, p.category, {_org(f"{row}.kind", "p")},
                   {row}.years, 1
            FROM person p WHERE p.id = {row}.person_id AND {_live("p")} AND {row}.years != 0
            ON CONFLICT (kind, key, category, org, years) DO UPDATE
            SET persons = persons + excluded.persons;"""


def _span_count_take_away(row: str) -> str:
    """Take the span row ``row`` (OLD) away from ``figure_span_count``."""
    return f"""
        UPDATE figure_span_count SET persons = figure_span_count.persons - 1
        FROM person p
        WHERE p.id = {row}.person_id AND {_live("p")} AND figure_span_count.kind = {row}.kind
          AND figure_span_count.key = {row}.key AND figure_span_count.category = p.category
          AND figure_span_count.org = {_org(f"{row}.kind", "p")}
          AND figure_span_count.years = {row}.years;"""


def _person_spans(person: str) -> str:
    """``person``'s spans (one presence row per year, kind and key: the sum of the bits is
    their union), grouped as ``figure_span_count`` keys them, while it is live."""
    return f"""
        SELECT kind, key, {person}.category AS category, {_org("kind", person)} AS org,
               years, count(*) AS persons FROM (
            SELECT kind, key, sum(1 << (fy - {SPAN_FIRST_YEAR})) AS years
            FROM {_person_presence(person)}
            WHERE {_live(person)} AND {_in_span("kind", "fy")}
            GROUP BY kind, key)
        GROUP BY kind, key, years"""


_PERSON_SPANS_ADD = f"""
        INSERT INTO figure_span_count (kind, key, category, org, years, persons)
        {_person_spans("NEW")}
        ON CONFLICT (kind, key, category, org, years) DO UPDATE
        SET persons = persons + excluded.persons;"""

_PERSON_SPANS_TAKE_AWAY = f"""
        UPDATE figure_span_count SET persons = figure_span_count.persons - d.persons
        FROM ({_person_spans("OLD")}) AS d
        WHERE figure_span_count.kind = d.kind AND figure_span_count.key = d.key
          AND figure_span_count.category = d.category AND figure_span_count.org = d.org
          AND figure_span_count.years = d.years;"""


TRIGGERS = {
    # A group nobody is present in any more leaves the table (one primary-key delete).
    "figure_count_empty": """
        AFTER UPDATE OF persons ON figure_count WHEN NEW.persons <= 0 BEGIN
        DELETE FROM figure_count WHERE fy = NEW.fy AND kind = NEW.kind AND key = NEW.key
            AND category = NEW.category AND org = NEW.org;
        END""",
    "figure_count_presence_insert":
        f"AFTER INSERT ON figure_presence BEGIN {_count_add('NEW')} END",
    # Only ``n`` changes in practice; any other column is handled the same way.
    "figure_count_presence_update":
        f"AFTER UPDATE ON figure_presence BEGIN {_count_take_away('OLD')} "
        f"{_count_add('NEW')} END",
    "figure_count_presence_delete":
        f"AFTER DELETE ON figure_presence BEGIN {_count_take_away('OLD')} END",
    "figure_count_person_insert":
        f"AFTER INSERT ON person BEGIN {_PERSON_ADD} {_PERSON_SPANS_ADD} END",
    "figure_count_person_update":
        "AFTER UPDATE OF deleted_at, category, organization_id, id ON person "
        f"WHEN {_PERSON_CHANGED} BEGIN {_PERSON_TAKE_AWAY} {_PERSON_SPANS_TAKE_AWAY} "
        f"{_PERSON_ADD} {_PERSON_SPANS_ADD} END",
    "figure_count_person_delete":
        f"AFTER DELETE ON person BEGIN {_PERSON_TAKE_AWAY} {_PERSON_SPANS_TAKE_AWAY} END",
    "figure_span_empty": """
        AFTER UPDATE OF years ON figure_span WHEN NEW.years = 0 BEGIN
        DELETE FROM figure_span WHERE kind = NEW.kind AND key = NEW.key
            AND person_id = NEW.person_id;
        END""",
    "figure_span_presence_insert":
        f"AFTER INSERT ON figure_presence BEGIN {_span_set('NEW')} END",
    "figure_span_presence_update":
        "AFTER UPDATE OF fy, kind, key, person_id ON figure_presence "
        "WHEN OLD.fy IS NOT NEW.fy OR OLD.kind IS NOT NEW.kind OR OLD.key IS NOT NEW.key "
        f"OR OLD.person_id IS NOT NEW.person_id BEGIN {_span_clear('OLD')} {_span_set('NEW')} END",
    "figure_span_presence_delete":
        f"AFTER DELETE ON figure_presence BEGIN {_span_clear('OLD')} END",
    "figure_span_count_empty": """
        AFTER UPDATE OF persons ON figure_span_count WHEN NEW.persons <= 0 BEGIN
        DELETE FROM figure_span_count WHERE kind = NEW.kind AND key = NEW.key
            AND category = NEW.category AND org = NEW.org AND years = NEW.years;
        END""",
    "figure_span_count_span_insert":
        f"AFTER INSERT ON figure_span BEGIN {_span_count_add('NEW')} END",
    "figure_span_count_span_update":
        f"AFTER UPDATE ON figure_span BEGIN {_span_count_take_away('OLD')} "
        f"{_span_count_add('NEW')} END",
    "figure_span_count_span_delete":
        f"AFTER DELETE ON figure_span BEGIN {_span_count_take_away('OLD')} END",
}


def fill_year_statements() -> list[str]:
    """Fill ``figure_count`` and ``figure_span`` for one 年度 (parameter ``fy``) from its
    ``figure_presence`` rows, right after they are filled: year by year, each grouping sorts
    one year's rows and the spans grow in key order (their triggers absent)."""
    return [
        f"""INSERT INTO figure_count (fy, kind, key, category, org, persons, times)
            SELECT f.fy, f.kind, f.key, p.category, {_org("f.kind", "p")}, count(*), sum(f.n)
            FROM figure_presence f CROSS JOIN person p ON p.id = f.person_id
            WHERE f.fy = :fy AND {_live("p")}
            GROUP BY 2, 3, 4, 5""",
        f"""INSERT INTO figure_span (kind, key, person_id, years)
            SELECT kind, key, person_id, 1 << (fy - {SPAN_FIRST_YEAR}) FROM figure_presence
            WHERE fy = :fy AND {_in_span("kind", "fy")}
            ON CONFLICT (kind, key, person_id) DO UPDATE SET years = years | excluded.years""",
    ]


def fill_statements() -> list[str]:
    """Fill ``figure_span_count`` once every year is in ``figure_span``."""
    return [
        f"""INSERT INTO figure_span_count (kind, key, category, org, years, persons)
            SELECT s.kind, s.key, p.category, {_org("s.kind", "p")}, s.years, count(*)
            FROM figure_span s CROSS JOIN person p ON p.id = s.person_id
            WHERE {_live("p")}
            GROUP BY 1, 2, 3, 4, 5""",
    ]
