"""The figures grouped live by portable SQLAlchemy Core: the shared database's way.

The SQLite file reads hand-tuned SQL (:mod:`.live`) and the kept tables (:mod:`.kept`). A
shared PostgreSQL database has neither the SQLite dialect nor kept tables (their triggers are
SQLite's): it groups the counted rows of the period on the server, every condition built from
:mod:`.rule` and the scope from :mod:`.scope`. The rows go to the same collector
(:class:`.results.Tally`), so both engines give the same :class:`.compute.Figures` — every
breakdown (club, host, month, kind, 年度, category, organisation), 参加率 and 参加団体数, for
any period and scope, a prefecture included (property tests ``tests/core/test_figures.py``
on both engines and ``tests/core/test_portable_figures.py``, which runs this module on SQLite).

新規 needs each person's first counted session ever (in the scope), so the history is read
for the people who attended in the period only: a person new in the period attended in it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, case, distinct, extract, func, select, tuple_
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import rule, tagged
from kankei_desktop.core.figures.results import Collector
from kankei_desktop.core.figures.scope import FigureFilter, club_scope
from kankei_desktop.core.models import Attendance, Club, Meeting, Organization, Person


def _hex(value: Any) -> str | None:
    """An id as the SQL of the file gives it (32 hex digits), whatever the driver returns."""
    if value is None or value == "":
        return None
    return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


def _clubs_in_scope(flt: FigureFilter) -> Any:
    return select(Club.id).where(rule.club_counts(Club), *club_scope(flt))


def _tag(session: Session, flt: FigureFilter) -> tagged.TagScope | None:
    return tagged.tag_scope(session, flt.tag_id) if flt.tag_id is not None else None


def _sessions(flt: FigureFilter, tag: tagged.TagScope | None) -> list[ColumnElement[bool]]:
    """The held sessions inside the scope and the tag filter (any time)."""
    return [rule.meeting_held(Meeting), Meeting.club_id.in_(_clubs_in_scope(flt)),
            *tagged.session_conditions(tag, Meeting.id, Meeting.club_id)]


def _held(date_from: date, date_to: date, flt: FigureFilter,
          tag: tagged.TagScope | None) -> list[ColumnElement[bool]]:
    """The held sessions of the period inside the scope and the tag filter."""
    return [Meeting.date.between(date_from, date_to), *_sessions(flt, tag)]


def _attendee_in_scope(flt: FigureFilter, tag: tagged.TagScope | None
                       ) -> list[ColumnElement[bool]]:
    conditions = [rule.person_counts(Attendance.person_id),
                  *tagged.person_conditions(tag, Attendance.person_id)]
    if flt.category is not None:
        conditions.append(Attendance.person_id.in_(
            select(Person.id).where(Person.category == flt.category)))
    return conditions


def _fiscal_year(column: Any) -> Any:
    return extract("year", column) - case((extract("month", column) < 4, 1), else_=0)


def _month_key(year: Any, month: Any) -> str:
    return f"{int(year):04d}-{int(month):02d}"


def meetings(session: Session, date_from: date, date_to: date, flt: FigureFilter
             ) -> list[tuple[str, Any, int, int]]:
    """Held sessions: (group, key, held, online) per club, host, month, kind and 年度."""
    host_of = {_hex(club): _hex(host) for club, host in session.execute(
        select(Club.id, Club.host_municipality_id))}
    year, month = extract("year", Meeting.date), extract("month", Meeting.date)
    kind = func.coalesce(Meeting.kind, "")
    rows = session.execute(
        select(Meeting.club_id, year, month, kind, func.count(),
               func.sum(case((rule.is_online(Meeting), 1), else_=0)))
        .where(*_held(date_from, date_to, flt, _tag(session, flt)))
        .group_by(Meeting.club_id, year, month, kind))
    cells: dict[tuple[str, Any], list[int]] = {}
    for club, y, m, kind_value, held, online in rows:
        club_key = _hex(club)
        for key in (("club", club_key), ("host", host_of.get(club_key)),
                    ("month", _month_key(y, m)), ("kind", kind_value),
                    ("year", int(y) - (int(m) < 4))):
            cell = cells.setdefault(key, [0, 0])
            cell[0] += int(held)
            cell[1] += int(online or 0)
    return [(group, key, held, online) for (group, key), (held, online) in cells.items()]


def read(session: Session, date_from: date, date_to: date, flt: FigureFilter,
         into: Collector) -> None:
    """延べ, 実, the recorded rows, organisations and 新規 of the period and scope."""
    tag = _tag(session, flt)
    counted = case((rule.row_counts(Attendance), 1), else_=0)
    rows = (select(Attendance.person_id.label("person"), Meeting.club_id.label("club"),
                   Club.host_municipality_id.label("host"),
                   extract("year", Meeting.date).label("y"),
                   extract("month", Meeting.date).label("m"),
                   func.coalesce(Meeting.kind, "").label("kind"),
                   _fiscal_year(Meeting.date).label("fy"), counted.label("counted"))
            .select_from(Meeting)
            .join(Club, Club.id == Meeting.club_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(*_held(date_from, date_to, flt, tag), rule.row_recorded(Attendance),
                   *_attendee_in_scope(flt, tag))
            .cte("rows"))
    if session.get_bind().dialect.name == "postgresql":
        _read_once(session, rows, into)
        _newcomers(session, date_from, date_to, flt, tag, into)
        return
    times, persons = func.count(), func.count(distinct(rows.c.person))
    is_counted = rows.c.counted == 1
    total = session.execute(select(times, persons).where(is_counted)).one()
    into.attendance("total", None, int(total[0]), int(total[1]))
    for group, columns in (("club", [rows.c.club]), ("host", [rows.c.host]),
                           ("month", [rows.c.y, rows.c.m]), ("kind", [rows.c.kind]),
                           ("year", [rows.c.fy])):
        for *keys, t, p in session.execute(
                select(*columns, times, persons).where(is_counted).group_by(*columns)):
            key: Any
            if group == "month":
                key = _month_key(*keys)
            elif group in ("club", "host"):
                key = _hex(keys[0])
            elif group == "year":
                key = int(keys[0])
            else:
                key = keys[0]
            into.attendance(group, key, int(t), int(p))
    for fy, recorded in session.execute(select(rows.c.fy, func.count()).group_by(rows.c.fy)):
        into.recorded(int(fy), int(recorded))
    person = rows.join(Person, Person.id == rows.c.person)
    for category, t, p in session.execute(
            select(Person.category, times, persons).select_from(person).where(is_counted)
            .group_by(Person.category)):
        into.attendance("category", category, int(t), int(p))
    organization = person.join(Organization, Organization.id == Person.organization_id)
    live_organization = rule.organization_counts(Organization)
    for org, t, p in session.execute(
            select(Person.organization_id, times, persons).select_from(organization)
            .where(is_counted, live_organization).group_by(Person.organization_id)):
        into.attendance("org", _hex(org), int(t), int(p))
    for fy, count in session.execute(
            select(rows.c.fy, func.count(distinct(Person.organization_id)))
            .select_from(organization).where(is_counted, live_organization)
            .group_by(rows.c.fy)):
        into.organizations(int(fy), int(count))
    _newcomers(session, date_from, date_to, flt, tag, into)


#: The breakdowns of :func:`_read_once`, in the order of its ``GROUPING SETS``.
_SETS = ("total", "club", "host", "month", "kind", "year", "category", "org")


def _read_once(session: Session, rows: Any, into: Collector) -> None:
    """:func:`read`'s breakdowns in one pass over the period's rows (PostgreSQL's ``GROUPING
    SETS``): the rows are joined and filtered once instead of once per breakdown."""
    person = rows.join(Person, Person.id == rows.c.person).outerjoin(
        Organization, Organization.id == Person.organization_id)
    org = case((rule.organization_counts(Organization), Person.organization_id), else_=None)
    is_counted = rows.c.counted == 1
    columns = {"total": [], "club": [rows.c.club], "host": [rows.c.host],
               "month": [rows.c.y, rows.c.m], "kind": [rows.c.kind], "year": [rows.c.fy],
               "category": [Person.category], "org": [org]}
    keys: list[Any] = []
    places: dict[str, range] = {}  # where each breakdown's key columns are among ``keys``
    for group in _SETS:
        places[group] = range(len(keys), len(keys) + len(columns[group]))
        keys.extend(columns[group])
    width = len(keys)
    # GROUPING() has a 1 bit for each key column not in the row's set (the first the highest)
    group_of = {sum(1 << (width - 1 - index) for index in range(width) if index not in place):
                group for group, place in places.items()}
    query = (select(func.grouping(*keys), *keys,
                    func.count().filter(is_counted),
                    func.count(distinct(rows.c.person)).filter(is_counted),
                    func.count(), func.count(distinct(org)).filter(is_counted))
             .select_from(person)
             .group_by(func.grouping_sets(*[tuple_(*columns[group]) for group in _SETS])))
    for grouping, *values in session.execute(query):
        keyed, (times, persons, recorded, organizations) = values[:width], values[width:]
        group = group_of[int(grouping)]
        own = [keyed[index] for index in places[group]]
        if group == "year":
            into.recorded(int(own[0]), int(recorded))
            if organizations:
                into.organizations(int(own[0]), int(organizations))
        if group == "total":
            into.attendance("total", None, int(times), int(persons))
        elif times and not (group == "org" and own[0] is None):
            into.attendance(group, _key(group, own), int(times), int(persons))


def _key(group: str, own: list[Any]) -> Any:
    """A breakdown's key as the file's SQL gives it."""
    if group == "month":
        return _month_key(own[0], own[1])
    if group in ("club", "host", "org"):
        return _hex(own[0])
    if group == "year":
        return int(own[0])
    return own[0]


def _pairs(date_from: date, date_to: date, flt: FigureFilter,
           tag: tagged.TagScope | None) -> Any:
    """(person, club, host, first date) of every pair in the scope of a person who attended
    in the period: the first counted session of the person in the club, ever."""
    candidates = (select(Attendance.person_id).select_from(Meeting)
                  .join(Attendance, Attendance.meeting_id == Meeting.id)
                  .where(*_held(date_from, date_to, flt, tag), rule.row_counts(Attendance)))
    return (select(Attendance.person_id.label("person"), Meeting.club_id.label("club"),
                   Club.host_municipality_id.label("host"),
                   func.min(Meeting.date).label("first"))
            .select_from(Meeting)
            .join(Club, Club.id == Meeting.club_id)
            .join(Attendance, Attendance.meeting_id == Meeting.id)
            .where(*_sessions(flt, tag), rule.row_counts(Attendance),
                   Meeting.date <= date_to,  # later sessions cannot be anyone's first here
                   Attendance.person_id.in_(candidates))
            .group_by(Attendance.person_id, Meeting.club_id, Club.host_municipality_id)
            .subquery("pairs"))


def _person_in_scope(flt: FigureFilter, tag: tagged.TagScope | None
                     ) -> list[ColumnElement[bool]]:
    """The joined ``Person`` counts (not deleted), is of the chosen category and carries
    the tag (when the tag is put on people or organisations)."""
    conditions: list[ColumnElement[bool]] = [rule.person_row_counts(Person),
                                             *tagged.person_conditions(tag, Person.id)]
    if flt.category is not None:
        conditions.append(Person.category == flt.category)
    return conditions


def _firsts(pairs: Any) -> Any:
    return (select(pairs.c.person, func.min(pairs.c.first).label("first"))
            .group_by(pairs.c.person).subquery("firsts"))


def _newcomers(session: Session, date_from: date, date_to: date, flt: FigureFilter,
               tag: tagged.TagScope | None, into: Collector) -> None:
    """新規 as a whole (per month and category), per club and per host municipality: the
    pairs are read once (one row per person and club of the people of the period) and grouped
    here three ways, instead of the server computing every pair's first session three times."""
    pairs = _pairs(date_from, date_to, flt, tag)
    first_ever: dict[Any, tuple[date, str]] = {}
    first_at_host: dict[tuple[Any, Any], date] = {}
    clubs: Counter[str | None] = Counter()
    for person, club, host, first, category in session.execute(
            select(pairs.c.person, pairs.c.club, pairs.c.host, pairs.c.first, Person.category)
            .select_from(pairs).join(Person, Person.id == pairs.c.person)
            .where(*_person_in_scope(flt, tag))):
        day = first if isinstance(first, date) else date.fromisoformat(str(first))
        if date_from <= day <= date_to:
            clubs[_hex(club)] += 1
        known = first_ever.get(person)
        if known is None or day < known[0]:
            first_ever[person] = (day, category)
        if (person, host) not in first_at_host or day < first_at_host[(person, host)]:
            first_at_host[(person, host)] = day
    months: Counter[tuple[str, str]] = Counter(
        (_month_key(day.year, day.month), category)
        for day, category in first_ever.values() if day >= date_from)
    for (month, category), count in sorted(months.items()):
        into.newcomers(month, category, count)
    for club, count in clubs.items():
        into.newcomers_of("club", club, count)
    hosts: Counter[str | None] = Counter(
        _hex(host) for (_person, host), day in first_at_host.items()
        if date_from <= day <= date_to)
    for host, count in hosts.items():
        into.newcomers_of("host", host, count)


def newcomer_ids(session: Session, date_from: date, date_to: date,
                 figure_filter: FigureFilter | None = None) -> set[uuid.UUID]:
    """The people counted as 新規 (:func:`.compute.first_time_person_ids`)."""
    flt = figure_filter or FigureFilter()
    tag = _tag(session, flt)
    firsts = _firsts(_pairs(date_from, date_to, flt, tag))
    query = (select(firsts.c.person).select_from(firsts)
             .join(Person, Person.id == firsts.c.person)
             .where(firsts.c.first.between(date_from, date_to), *_person_in_scope(flt, tag)))
    return {uuid.UUID(str(person)) for person in session.scalars(query)}
