"""Who may see and change what in a shared database: PostgreSQL roles and row-level security.

Every login is a member of the database's group role (:func:`group_role`), which holds the
table privileges; ``kankei_login`` says what each login sees — everything (``sees_all``) or
the clubs hosted by some municipalities (``codes``, 全国地方公共団体コード; a prefecture's code
``PP000C`` covers every municipality whose code starts with ``PP``). From those clubs follow
their sessions, attendance, members, partners and targets, the follow-ups on them, the
ふるさと住民 registrations with those municipalities, and the people and organisations all
these touch (a person's 居住自治体 included) — plus the people, organisations, follow-ups and
submitted reports a scoped login created itself (``kankei_created_in``: a new person is
visible to the town that typed them in before their first session).

The rules are policies on the tables, enforced by the server for every client: a raw SQL
client with a scoped login sees nothing more than the application does. The sets are computed
by ``SECURITY DEFINER`` functions (owned by the schema's owner, who is not subject to the
policies), once per query.
"""

from __future__ import annotations

import re
from typing import Any

#: A tag is seen on the records the login sees (the kind names the table).
_TAG_ON_VISIBLE = (
    "(target_kind = 'person' AND target_id IN (SELECT kankei_people())) OR "
    "(target_kind = 'organization' AND target_id IN (SELECT kankei_organizations())) OR "
    "(target_kind = 'club' AND target_id IN (SELECT kankei_clubs())) OR "
    "(target_kind = 'meeting' AND target_id IN (SELECT kankei_meetings()))")

#: Tables whose rows are scoped, and the condition a row must meet (``{all}`` = sees all).
_SCOPED_TABLES: dict[str, tuple[str, str]] = {
    # table: (USING, WITH CHECK)
    "organization": ("id IN (SELECT kankei_organizations())",
                     "lgcode IS NULL OR kankei_code_in_scope(lgcode)"),
    "person": ("id IN (SELECT kankei_people())", "true"),
    "club": ("id IN (SELECT kankei_clubs())",
             "host_municipality_id IN (SELECT kankei_hosts())"),
    "club_partner": ("club_id IN (SELECT kankei_clubs())", "club_id IN (SELECT kankei_clubs())"),
    "membership": ("club_id IN (SELECT kankei_clubs())", "club_id IN (SELECT kankei_clubs())"),
    "kpi_target": ("club_id IN (SELECT kankei_clubs())", "club_id IN (SELECT kankei_clubs())"),
    "meeting": ("club_id IN (SELECT kankei_clubs())", "club_id IN (SELECT kankei_clubs())"),
    "attendance": ("meeting_id IN (SELECT kankei_meetings())",
                   "meeting_id IN (SELECT kankei_meetings())"),
    "interaction": ("id IN (SELECT kankei_interactions())",
                    "club_id IN (SELECT kankei_clubs()) OR meeting_id IN (SELECT "
                    "kankei_meetings()) OR (club_id IS NULL AND meeting_id IS NULL)"),
    "interaction_person": ("interaction_id IN (SELECT kankei_interactions())",
                           "interaction_id IN (SELECT kankei_interactions())"),
    "zoom_alias": ("person_id IN (SELECT kankei_people())",
                   "person_id IN (SELECT kankei_people())"),
    "submitted_report": ("id IN (SELECT kankei_created('submitted_report'))", "true"),
    # a ふるさと住民 registration is its municipality's record (not every town that sees the
    # person); it makes the person visible to that municipality
    "registration": ("municipality_id IN (SELECT kankei_hosts()) "
                     "AND person_id IN (SELECT kankei_people())",
                     "municipality_id IN (SELECT kankei_hosts())"),
    # a tag on a record (no reference the database knows: the kind names the table)
    "tag_link": (_TAG_ON_VISIBLE, f"{_TAG_ON_VISIBLE} OR kankei_unknown_row(target_kind, "
                 "target_id)"),
}

#: The visible ids of each synced table (for the clocks and conflicts of its rows).
_ROW_SETS = {
    "organization": "kankei_organizations()", "person": "kankei_people()",
    "club": "kankei_clubs()", "meeting": "kankei_meetings()",
    "interaction": "kankei_interactions()",
    "tag_link": "id FROM tag_link",
    "registration": "id FROM registration",
    "club_partner": "kankei_child_ids('club_partner')",
    "membership": "kankei_child_ids('membership')",
    "kpi_target": "kankei_child_ids('kpi_target')",
    "attendance": "kankei_child_ids('attendance')",
    "interaction_person": "kankei_child_ids('interaction_person')",
}

#: Tables a scoped login creates rows of before anything in its scope touches them.
CREATED_TABLES = ("organization", "person", "interaction", "submitted_report")


#: Tables that hold no records of people or places (the same for every login), and the
#: ones whose rules are written out above or below.
UNSCOPED = frozenset({"meta", "alembic_version", "sync_vector", "sync_peer", "sync_history",
                      "sync_field_clock", "sync_conflict", "change_log"})


def _row_condition(derived: dict[str, tuple[str, str]] | None = None) -> str:
    conditions = [f"(table_name = '{table}' AND row_id IN (SELECT {rows}))"
                  for table, rows in _ROW_SETS.items()]
    conditions += [f"(table_name = '{table}' AND row_id IN (SELECT id FROM {table}))"
                   for table in derived or {}]
    return " OR ".join(conditions)


def derived_rules(tables: list[Any]) -> dict[str, tuple[str, str]]:
    """Rules for the tables without one of their own (``tables``: SQLAlchemy tables, parents
    first): a row is visible when every record it refers to in a scoped table is — a survey
    answer of a resident of another town is not. Through the referred table's own policy
    (``IN (SELECT id FROM …)`` reads what the login sees), so the rules compose. A row may be
    written just before the new row it refers to (``kankei_unknown_row``). A table that refers
    to no scoped table (a list of tags, a survey's questions) is everyone's."""
    scoped = set(_SCOPED_TABLES)
    rules: dict[str, tuple[str, str]] = {}
    for table in tables:
        if table.name in scoped or table.name in UNSCOPED:
            continue
        links = sorted({(fk.parent.name, fk.column.table.name) for fk in table.foreign_keys
                        if fk.column.table.name in scoped and fk.column.name == "id"})
        if not links or "id" not in table.columns:
            continue
        using = " AND ".join(f"({column} IS NULL OR {column} IN (SELECT id FROM {target}))"
                             for column, target in links)
        check = " AND ".join(f"({column} IS NULL OR {column} IN (SELECT id FROM {target}) "
                             f"OR kankei_unknown_row('{target}', {column}))"
                             for column, target in links)
        rules[table.name] = (using, check)
        scoped.add(table.name)
    return rules


def group_role(database: str) -> str:
    """The group role of the logins of ``database`` (roles are shared by the whole server)."""
    return "kankei_" + re.sub(r"[^a-z0-9_]", "_", database.lower())[:50] + "_users"


def _function(name: str, returns: str, body: str, language: str = "sql",
              volatility: str = "STABLE") -> str:
    return (f"CREATE OR REPLACE FUNCTION {name} RETURNS {returns} LANGUAGE {language} "
            f"{volatility} SECURITY DEFINER SET search_path = {{schema}}, pg_temp AS $fn$"
            f"{body}$fn$")


FUNCTIONS = [
    _function("kankei_login_codes()", "text[]",
              "SELECT coalesce((SELECT codes FROM kankei_login WHERE login = session_user), "
              "'{}'::text[])"),
    _function("kankei_sees_all()", "boolean",
              "SELECT coalesce((SELECT sees_all FROM kankei_login WHERE login = session_user), "
              "false)"),
    _function("kankei_code_in_scope(code text)", "boolean", """
        SELECT kankei_sees_all() OR EXISTS (
            SELECT 1 FROM unnest(kankei_login_codes()) AS s(scope)
            WHERE code = s.scope OR (substr(s.scope, 3, 3) = '000'
                                     AND substr(code, 1, 2) = substr(s.scope, 1, 2)))"""),
    _function("kankei_created(kind text)", "SETOF uuid", """
        SELECT row_id FROM kankei_created_in
        WHERE table_name = kind AND code = ANY (kankei_login_codes())"""),
    _function("kankei_hosts()", "SETOF uuid", """
        SELECT o.id FROM organization o, unnest(kankei_login_codes()) AS s(scope)
        WHERE o.lgcode = s.scope OR (substr(s.scope, 3, 3) = '000'
                                     AND substr(o.lgcode, 1, 2) = substr(s.scope, 1, 2))"""),
    _function("kankei_clubs()", "SETOF uuid",
              "SELECT id FROM club WHERE host_municipality_id IN (SELECT kankei_hosts())"),
    _function("kankei_meetings()", "SETOF uuid",
              "SELECT id FROM meeting WHERE club_id IN (SELECT kankei_clubs())"),
    _function("kankei_interactions()", "SETOF uuid", """
        SELECT id FROM interaction WHERE club_id IN (SELECT kankei_clubs())
            OR meeting_id IN (SELECT kankei_meetings())
        UNION SELECT kankei_created('interaction')"""),
    _function("kankei_people()", "SETOF uuid", """
        SELECT person_id FROM attendance WHERE meeting_id IN (SELECT kankei_meetings())
        UNION SELECT person_id FROM membership WHERE club_id IN (SELECT kankei_clubs())
        UNION SELECT coordinator_id FROM club
            WHERE id IN (SELECT kankei_clubs()) AND coordinator_id IS NOT NULL
        UNION SELECT person_id FROM interaction_person
            WHERE interaction_id IN (SELECT kankei_interactions())
        UNION SELECT person_id FROM registration
            WHERE municipality_id IN (SELECT kankei_hosts())
        UNION SELECT kankei_created('person')"""),
    _function("kankei_organizations()", "SETOF uuid", """
        WITH direct AS (
            SELECT kankei_hosts() AS id
            UNION SELECT organization_id FROM person WHERE id IN (SELECT kankei_people())
            UNION SELECT residence_id FROM person WHERE id IN (SELECT kankei_people())
            UNION SELECT organization_id FROM club_partner
                WHERE club_id IN (SELECT kankei_clubs())
            UNION SELECT kankei_created('organization'))
        SELECT id FROM direct WHERE id IS NOT NULL
        UNION SELECT municipality_id FROM organization
            WHERE id IN (SELECT id FROM direct) AND municipality_id IS NOT NULL"""),
    _function("kankei_child_ids(kind text)", "SETOF uuid", """
        SELECT id FROM club_partner WHERE kind = 'club_partner'
            AND club_id IN (SELECT kankei_clubs())
        UNION ALL SELECT id FROM membership WHERE kind = 'membership'
            AND club_id IN (SELECT kankei_clubs())
        UNION ALL SELECT id FROM kpi_target WHERE kind = 'kpi_target'
            AND club_id IN (SELECT kankei_clubs())
        UNION ALL SELECT id FROM attendance WHERE kind = 'attendance'
            AND meeting_id IN (SELECT kankei_meetings())
        UNION ALL SELECT id FROM interaction_person WHERE kind = 'interaction_person'
            AND interaction_id IN (SELECT kankei_interactions())"""),
    _function("kankei_unknown_row(kind text, row_key uuid)", "boolean", """
        DECLARE
            found boolean;
        BEGIN
            IF left(kind, 6) = 'kankei' OR NOT EXISTS (
                    SELECT 1 FROM information_schema.columns WHERE table_schema =
                    current_schema() AND table_name = kind AND column_name = 'id') THEN
                RETURN false;
            END IF;
            EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || quote_ident(kind) || ' WHERE id = $1)'
                INTO found USING row_key;
            RETURN NOT found;
        END""", language="plpgsql"),
    _function("kankei_author_of(kind text, row_key uuid)", "text",
              "SELECT login::text FROM kankei_row_author WHERE table_name = kind "
              "AND row_id = row_key"),
    _function("kankei_note_author()", "trigger", """
        BEGIN
            IF coalesce(current_setting('kankei.merging', true), '') = 'on' THEN
                RETURN NULL;
            END IF;
            INSERT INTO kankei_row_author (table_name, row_id, login, changed_at)
            VALUES (TG_TABLE_NAME, NEW.id, session_user, now())
            ON CONFLICT (table_name, row_id)
            DO UPDATE SET login = excluded.login, changed_at = excluded.changed_at;
            RETURN NULL;
        END""", language="plpgsql", volatility="VOLATILE"),
    _function("kankei_note_created()", "trigger", """
        BEGIN
            INSERT INTO kankei_created_in (table_name, row_id, code)
            SELECT TG_TABLE_NAME, NEW.id, scope
            FROM kankei_login, unnest(codes) AS s(scope)
            WHERE login = session_user AND NOT sees_all
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END""", language="plpgsql", volatility="VOLATILE"),
    _function("kankei_announce()", "trigger", """
        BEGIN
            PERFORM pg_notify('kankei_changes', TG_TABLE_NAME);
            RETURN NULL;
        END""", language="plpgsql", volatility="VOLATILE"),
]

TABLES = [
    """CREATE TABLE IF NOT EXISTS kankei_login (
        login name PRIMARY KEY,
        sees_all boolean NOT NULL DEFAULT false,
        codes text[] NOT NULL DEFAULT '{}')""",
    """CREATE TABLE IF NOT EXISTS kankei_created_in (
        table_name text NOT NULL,
        row_id uuid NOT NULL,
        code text NOT NULL,
        PRIMARY KEY (table_name, row_id, code))""",
    """CREATE TABLE IF NOT EXISTS kankei_row_author (
        table_name text NOT NULL,
        row_id uuid NOT NULL,
        login name NOT NULL,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (table_name, row_id))""",
]


def policy_statements(synced: list[str], bookkeeping: list[str],
                      derived: dict[str, tuple[str, str]] | None = None) -> list[str]:
    """Row-level security on every table holding records (replacing earlier policies);
    ``derived``: the rules of :func:`derived_rules`."""
    statements: list[str] = []
    rows = _row_condition(derived)
    every = {**_SCOPED_TABLES, **(derived or {}),
             "sync_field_clock": (rows, rows),
             "sync_conflict": (rows, rows),
             # old and new values of residents' records: only those of rows in scope (an
             # entry may be written just before the new row it speaks of)
             "change_log": (rows, f"{rows} OR kankei_unknown_row(table_name, row_id)")}
    for table, (using, check) in every.items():
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS kankei_scope ON {table}",
            f"CREATE POLICY kankei_scope ON {table} "
            f"USING ((SELECT kankei_sees_all()) OR {using}) "
            f"WITH CHECK ((SELECT kankei_sees_all()) OR {check})",
        ]
    for table in synced:
        statements += [
            f"DROP TRIGGER IF EXISTS kankei_author ON {table}",
            f"CREATE TRIGGER kankei_author AFTER INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kankei_note_author()",
            f"DROP TRIGGER IF EXISTS kankei_announce ON {table}",
            f"CREATE TRIGGER kankei_announce AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kankei_announce()",
        ]
    for table in CREATED_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS kankei_created ON {table}",
            f"CREATE TRIGGER kankei_created AFTER INSERT ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kankei_note_created()",
        ]
    del bookkeeping
    return statements


def grant_statements(group: str, database: str, tables: list[str]) -> list[str]:
    """The group role's privileges: the application's tables, none of the scope tables."""
    quoted = f'"{group}"'
    statements = [
        f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC',
        f'GRANT CONNECT ON DATABASE "{database}" TO {quoted}',
        f"GRANT USAGE ON SCHEMA {{schema}} TO {quoted}",
        "REVOKE ALL ON kankei_login, kankei_created_in, kankei_row_author FROM PUBLIC",
        f"GRANT SELECT ON alembic_version TO {quoted}",
    ]
    statements += [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {quoted}"
                   for table in tables]
    statements.append(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {{schema}} TO {quoted}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {{schema}} TO {quoted}")
    return statements
