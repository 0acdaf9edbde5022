"""Scoped bundles: only the records of some municipalities or clubs travel to a replica.

A scope is a set of terms — ``municipality:CODE`` (a prefecture's code covers its
municipalities) and ``club:<id>`` — and holds, like the shared database's row-level security,
the clubs hosted there (or named), their sessions, attendance, members, partners, targets and
follow-ups, and the people and organisations those rows refer to.

The rules that keep scoped replicas converging without ever receiving what lies outside:

- **Sending.** ``bundle export --scope …`` writes only rows in the scope; ``--for ID`` with a
  scope remembers it for that peer (``meta`` ``peer_scope:<id>``) and later bundles for it stay
  within it. A bundle for a scoped peer also carries every row that *entered* the scope since
  the peer last heard (a club that moved to the municipality, with its sessions and
  attendance; a session moved to a club in scope) and every person or organisation its rows
  refer to, whatever their clocks: the peer's version vector speaks only for its scope.
  A scoped replica's own changes always travel, also to rows outside its scope (a person
  entered before any session, an edit of a club that moved away meanwhile): no one else
  holds them.
- **Receiving.** A replica remembers the scope of the first (scoped) bundle it was filled with
  (``meta`` ``replica_scope``) and refuses any bundle that could carry more. It announces its
  scope in its own bundles (``source_scope``), so every sender learns it.
- **Knowledge.** A bundle's version vector is merged only by a receiver whose scope the bundle
  covers completely (equal scopes, or an unscoped bundle into an unscoped replica): otherwise
  the receiver would claim to have seen changes outside the scope and never be sent them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes as lgcodes
from kankei_desktop.core.models import Meta
from kankei_desktop.core.storage.rows import StorageRows
from kankei_desktop.sync.bundle import BundleError
from kankei_desktop.sync.clocks import covered
from kankei_desktop.sync.schema import UUID_RE, replica_of, spec_by_name

OWN_SCOPE = "replica_scope"
PEER_SCOPE = "peer_scope:"
CHUNK = 500


@dataclass(frozen=True)
class Scope:
    """Terms ``municipality:CODE`` and ``club:<32 hex>``."""

    terms: frozenset[str]

    def to_manifest(self) -> list[str]:
        """As a bundle's manifest writes it."""
        return sorted(self.terms)

    def within(self, other: Scope | None) -> bool:
        """Whether every record of this scope is in ``other`` (None: everything)."""
        return other is None or self.terms <= other.terms

    @property
    def codes(self) -> set[str]:
        """The municipality and prefecture codes."""
        return {term.split(":", 1)[1] for term in self.terms if term.startswith("municipality:")}

    @property
    def clubs(self) -> set[str]:
        """The clubs named on their own."""
        return {term.split(":", 1)[1] for term in self.terms if term.startswith("club:")}

    def label(self) -> str:
        """For messages."""
        return "、".join(sorted(self.terms))


def from_manifest(value: Any) -> Scope | None:
    """A scope read from a manifest (None: everything); a malformed one is refused."""
    if value is None:
        return None
    if not isinstance(value, list) or not value:
        raise BundleError(_("The bundle's scope is damaged; nothing was changed."))
    for term in value:
        kind, _sep, key = str(term).partition(":")
        valid = (kind == "municipality" and lgcodes.is_valid_lgcode(key)) or (
            kind == "club" and UUID_RE.match(key) is not None)
        if not isinstance(term, str) or not valid:
            raise BundleError(_("The bundle's scope is damaged; nothing was changed."))
    return Scope(frozenset(value))


def parse_scope(texts: Iterable[str], club_id: Any) -> Scope:
    """``municipality:CODE`` / ``club:NAME`` as typed; ``club_id(name)`` finds a club's id."""
    terms = set()
    for text in texts:
        kind, _sep, value = text.strip().partition(":")
        if kind == "municipality":
            try:
                terms.add(f"municipality:{lgcodes.normalize_lgcode(value)}")
            except ValueError as exc:
                raise BundleError(_("'{code}' is not a valid local government code (e.g. "
                                    "municipality:032093).").format(code=value)) from exc
        elif kind == "club":
            found = club_id(value.strip())
            if found is None:
                raise BundleError(_("There is no club called '{name}'. 'kankei list clubs' "
                                    "shows the names.").format(name=value))
            terms.add(f"club:{found}")
        else:
            raise BundleError(_("'{text}' is not a scope: write municipality:CODE or "
                                "club:NAME.").format(text=text))
    if not terms:
        raise BundleError(_("Give at least one scope (municipality:CODE or club:NAME)."))
    return Scope(frozenset(terms))


def _meta(session: Session, key: str) -> Scope | None:
    row = session.get(Meta, key)
    return None if row is None or not row.value else Scope(frozenset(row.value.split()))


def _set_meta(session: Session, key: str, scope: Scope | None) -> None:
    row = session.get(Meta, key)
    value = " ".join(scope.to_manifest()) if scope is not None else ""
    if row is None:
        if value:
            session.add(Meta(key=key, value=value))
    else:
        row.value = value


def own_scope(session: Session) -> Scope | None:
    """What this replica holds: its remembered scope, or a scoped login's municipalities on a
    shared database (None: everything)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        sees_all, codes = session.execute(text(
            "SELECT kankei_sees_all() OR (SELECT rolsuper OR rolbypassrls FROM pg_roles "
            "WHERE rolname = current_user) OR EXISTS (SELECT 1 FROM pg_tables WHERE "
            "schemaname = current_schema() AND tablename = 'meta' AND tableowner = "
            "current_user), kankei_login_codes()")).one()
        if not sees_all:
            return Scope(frozenset(f"municipality:{code}" for code in codes or ()))
    return _meta(session, OWN_SCOPE)


def set_own_scope(session: Session, scope: Scope) -> None:
    """Remember that this replica holds only ``scope``."""
    _set_meta(session, OWN_SCOPE, scope)


def peer_scope(session: Session, replica_hex: str) -> Scope | None:
    """The scope remembered for a peer (None: everything)."""
    return _meta(session, PEER_SCOPE + replica_hex)


def set_peer_scope(session: Session, replica_hex: str, scope: Scope | None) -> None:
    """Remember (or forget, with None) a peer's scope."""
    _set_meta(session, PEER_SCOPE + replica_hex, scope)


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    items = sorted(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


@dataclass
class ScopeRows:
    """The ids of every row in a scope, per table, and what each refers to."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    #: table → row id → [(table, id)] it refers to
    refs: dict[str, dict[str, list[tuple[str, str]]]] = field(default_factory=dict)
    #: table → row id → parent (table, id) through which it is in the scope
    parent: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


def _where_in(raw: StorageRows, select: str, column: str, ids: set[str],
              condition: str = "", parameters: tuple[str, ...] = ()) -> list[Any]:
    rows: list[Any] = []
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows.extend(raw.execute(f"{select} WHERE {condition}{column} IN ({marks})",
                                (*parameters, *chunk)))
    return rows


def _covers(code: str | None, scope_codes: set[str]) -> bool:
    return code is not None and any(
        code == scope or (scope[2:5] == "000" and code[:2] == scope[:2]) for scope in scope_codes)


def scope_rows(raw: StorageRows, scope: Scope) -> ScopeRows:
    """Every row in ``scope`` (tombstones included: deletions travel too)."""
    result = ScopeRows()
    ids, refs, parent = result.ids, result.refs, result.parent
    for name in spec_by_name():
        ids[name], refs[name], parent[name] = set(), {}, {}
    hosts = {row[0] for row in raw.execute(
        "SELECT id, lgcode FROM organization WHERE lgcode IS NOT NULL")
        if _covers(row[1], scope.codes)}
    for club, host, coordinator in raw.execute(
            "SELECT id, host_municipality_id, coordinator_id FROM club"):
        if host in hosts or club in scope.clubs:
            ids["club"].add(club)
            refs["club"][club] = [("organization", host), ("person", coordinator)]
            if host in hosts:
                parent["club"][club] = ("organization", host)
    clubs = ids["club"]
    for meeting, club in _where_in(raw, "SELECT id, club_id FROM meeting", "club_id", clubs):
        ids["meeting"].add(meeting)
        parent["meeting"][meeting] = ("club", club)
    for table, other, target in (("club_partner", "organization_id", "organization"),
                                 ("membership", "person_id", "person"),
                                 ("kpi_target", "club_id", "club")):
        for row_id, club, referred in _where_in(
                raw, f"SELECT id, club_id, {other} FROM {table}", "club_id", clubs):
            ids[table].add(row_id)
            parent[table][row_id] = ("club", club)
            refs[table][row_id] = [(target, referred)]
    for row_id, meeting, person in _where_in(
            raw, "SELECT id, meeting_id, person_id FROM attendance", "meeting_id",
            ids["meeting"]):
        ids["attendance"].add(row_id)
        parent["attendance"][row_id] = ("meeting", meeting)
        refs["attendance"][row_id] = [("person", person)]
    for row_id, club, meeting in raw.execute("SELECT id, club_id, meeting_id FROM interaction"):
        if club in clubs or meeting in ids["meeting"]:
            ids["interaction"].add(row_id)
            parent["interaction"][row_id] = ("club", club) if club in clubs \
                else ("meeting", meeting)
    for row_id, interaction, person in _where_in(
            raw, "SELECT id, interaction_id, person_id FROM interaction_person",
            "interaction_id", ids["interaction"]):
        ids["interaction_person"].add(row_id)
        parent["interaction_person"][row_id] = ("interaction", interaction)
        refs["interaction_person"][row_id] = [("person", person)]
    for row_id, person, municipality in _where_in(  # a registration is its town's record
            raw, "SELECT id, person_id, municipality_id FROM registration",
            "municipality_id", hosts):
        ids["registration"].add(row_id)
        parent["registration"][row_id] = ("organization", municipality)
        refs["registration"][row_id] = [("person", person)]
    people = {key for table in refs.values() for targets in table.values()
              for kind, key in targets if kind == "person" and key}
    ids["person"] = people
    organizations = set(hosts)
    organizations |= {key for table in refs.values() for targets in table.values()
                      for kind, key in targets if kind == "organization" and key}
    for person, organization, residence in _where_in(
            raw, "SELECT id, organization_id, residence_id FROM person", "id", people):
        refs["person"][person] = [("organization", organization), ("organization", residence)]
        organizations |= {key for key in (organization, residence) if key}
    for organization, municipality in _where_in(
            raw, "SELECT id, municipality_id FROM organization", "id", set(organizations)):
        refs["organization"][organization] = [("organization", municipality)]
        if municipality:
            organizations.add(municipality)
    ids["organization"] = organizations
    _derived(raw, result)
    return result


#: The tables :func:`scope_rows` places by their own rule.
_PLACED = frozenset({"organization", "person", "club", "club_partner", "membership",
                     "kpi_target", "meeting", "attendance", "interaction",
                     "interaction_person", "registration"})


def _derived(raw: StorageRows, rows: ScopeRows) -> None:
    """The other synced tables, parents first, by the rule of the shared database's row-level
    security (``pg_security.derived_rules``): a row is in the scope when every scoped record
    it refers to is; a table that refers to none (a list of tags, a survey's questions) is
    everyone's and travels whole, so the rows referring to it always find it."""
    scoped = set(_PLACED)
    if "tag_link" in spec_by_name():  # a tag on a record: the kind names the table
        for row_id, kind, target in raw.execute(
                "SELECT id, target_kind, target_id FROM tag_link"):
            if target in rows.ids.get(kind, ()):
                rows.ids["tag_link"].add(row_id)
                rows.parent["tag_link"][row_id] = (kind, target)
                rows.refs["tag_link"][row_id] = []
        scoped.add("tag_link")
    for name, spec in spec_by_name().items():
        if name in scoped:
            continue
        links = [(fk.parent.name, fk.column.table.name)
                 for fk in spec.model.__table__.foreign_keys  # type: ignore[attr-defined]
                 if fk.column.name == "id" and fk.column.table.name in spec_by_name()]
        inside = [(column, target) for column, target in links if target in scoped]
        columns = ", ".join(column for column, _target in links)
        for row in raw.execute(f"SELECT id{', ' + columns if columns else ''} FROM {name}"):
            values = dict(zip([column for column, _target in links], row[1:], strict=True))
            if any(values[column] is not None and values[column] not in rows.ids[target]
                   for column, target in inside):
                continue
            rows.ids[name].add(row[0])
            rows.refs[name][row[0]] = [(target, values[column]) for column, target in links]
            parent = next(((target, values[column]) for column, target in inside
                           if values[column] is not None), None)
            if parent is not None:
                rows.parent[name][row[0]] = parent
        if inside:
            scoped.add(name)


#: The field whose change can move a row into a scope, per table.
PLACING_FIELDS = {"club": "host_municipality_id", "meeting": "club_id",
                  "interaction": "club_id", "organization": "lgcode"}


def entered(raw: StorageRows, rows: ScopeRows, known: dict[str, str]) -> dict[str, set[str]]:
    """Rows in the scope that may have entered it since the peer (``known``) last heard: the
    field that places them (or a parent) changed at a clock the peer has not seen."""
    moved: dict[str, set[str]] = {}
    for table, column in PLACING_FIELDS.items():
        spec = spec_by_name()[table]
        group = spec.group_of(column)
        candidates = rows.ids[table]
        clocks = {row_id: stamp for row_id, stamp in _where_in(
            raw, f"SELECT id, hlc FROM {table}", "id", candidates)}
        for row_id, stamp in _where_in(
                raw, "SELECT row_id, hlc FROM sync_field_clock", "row_id", candidates,
                "table_name = ? AND field = ? AND ", (table, group)):
            clocks[row_id] = stamp
        moved[table] = {row_id for row_id, stamp in clocks.items()
                        if not covered(known, stamp)}
    result: dict[str, set[str]] = {table: set() for table in rows.ids}

    def did_enter(table: str, row_id: str, depth: int = 0) -> bool:
        if row_id in moved.get(table, ()):
            return True
        link = rows.parent.get(table, {}).get(row_id)
        return link is not None and depth < 4 and did_enter(link[0], link[1], depth + 1)

    for table, row_ids in rows.ids.items():
        if table in ("person", "organization"):
            continue
        result[table] = {row_id for row_id in row_ids if did_enter(table, row_id)}
    return result


def _uncovered(raw: StorageRows, table: str, row_ids: set[str], known: dict[str, str]
               ) -> set[str]:
    """Rows with a change (their own clock or a field's) the peer has not seen."""
    found = {row_id for row_id, stamp in _where_in(
        raw, f"SELECT id, hlc FROM {table}", "id", row_ids) if not covered(known, stamp)}
    found |= {row_id for row_id, stamp in _where_in(
        raw, "SELECT row_id, hlc FROM sync_field_clock", "row_id", row_ids,
        "table_name = ? AND ", (table,)) if not covered(known, stamp)}
    return found


def own_changes(raw: StorageRows, rows: ScopeRows, own: str, known: dict[str, str] | None
                ) -> dict[str, set[str]]:
    """Rows outside the scope that hold a change made by this replica (``own``) which the
    peer (``known``; None: a full bundle) has not seen: a person a town's laptop entered
    before anyone attended, or its edit of a club that has since moved to another town."""
    found: dict[str, set[str]] = {}
    for table, ids in rows.ids.items():
        stamps = list(raw.execute(f"SELECT id, hlc FROM {table}"))
        stamps += [tuple(row) for row in raw.execute(
            "SELECT row_id, hlc FROM sync_field_clock WHERE table_name = ?", (table,))]
        found[table] = {row_id for row_id, stamp in stamps
                        if row_id not in ids and replica_of(stamp) == own
                        and (known is None or not covered(known, stamp))}
    return found


def included_rows(raw: StorageRows, scope: Scope, known: dict[str, str] | None,
                  own: str | None = None) -> dict[str, set[str]]:
    """The rows a bundle for ``scope`` carries: all of them for a full bundle; for a peer
    that knows ``known``, the changed ones, those that entered the scope, and everything
    they refer to. ``own``: a scoped replica's id — its own changes always travel, also
    those of rows outside its scope (else they would never reach anyone)."""
    rows = scope_rows(raw, scope)
    extra = own_changes(raw, rows, own, known) if own is not None else {}
    if known is None:
        return {table: ids | extra.get(table, set()) for table, ids in rows.ids.items()}
    moved = entered(raw, rows, known)
    result = {table: _uncovered(raw, table, ids, known) | moved.get(table, set())
              | extra.get(table, set()) for table, ids in rows.ids.items()}
    pending = [(table, row_id) for table, ids in result.items() for row_id in ids]
    while pending:
        table, row_id = pending.pop()
        for target, key in rows.refs.get(table, {}).get(row_id, ()):
            if key and target in result and key in rows.ids[target] \
                    and key not in result[target]:
                result[target].add(key)
                pending.append((target, key))
    return result
