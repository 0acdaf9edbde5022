"""マッチング figures (issue 17): made, active and made per kind, for a period and a filter.

Definitions, for the inclusive period ``date_from`` … ``date_to``:

- a matching **counts** when it is not deleted and its party (the person or the organisation
  matched) is not deleted;
- ``made`` (マッチング成立件数): counted matchings whose 成立日 falls in the period and whose
  status is 成立, 継続中 or 終了 (提案中 and 不成立 were never made);
- ``active`` (継続中の件数): counted matchings of those statuses made on or before the period's
  last day and not ended before its first day. The end is the 終了日 when one is recorded
  (whatever the status: a 継続中 matching may carry its planned end); a 終了 matching without
  a 終了日 is taken to have ended on its 成立日, so it is active only in a period holding that
  day. 不成立 and 提案中 are never active.
- ``by_kind``: ``made`` per kind, every kind listed (0 allowed).

Filters: a club counts the matchings recorded for that club; a municipality counts those
whose host is that municipality or an organisation located in it (its 所在自治体), or whose
club that municipality hosts — a prefecture's code includes its municipalities; a category
counts the matchings of people of that category (an organisation's matchings have none);
a tag counts the matchings whose person, organisation (or the person's), host, club or
session carries the tag.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased

from kankei_desktop.core.figures import rule, tagged
from kankei_desktop.core.figures.results import MatchingFigures
from kankei_desktop.core.figures.scope import FigureFilter, hosts_in_prefecture
from kankei_desktop.core.models import Club, Matching, Organization, Person
from kankei_desktop.core.vocabulary import MATCHING_MADE_STATUSES, MatchingStatus

__all__ = ["MADE", "MatchingFigures", "active_in", "compiled_statements", "counts",
           "made_in", "matching_figures", "municipalities_in", "scope_conditions"]

#: The statuses of a matching that was made.
MADE = tuple(status.value for status in MATCHING_MADE_STATUSES)


def counts() -> ColumnElement[bool]:
    """The matching (and its party) is not deleted."""
    deleted_people = select(Person.id).where(Person.deleted_at.is_not(None))
    deleted_orgs = select(Organization.id).where(Organization.deleted_at.is_not(None))
    condition: ColumnElement[bool] = and_(
        Matching.deleted_at.is_(None),
        or_(Matching.person_id.is_(None), Matching.person_id.not_in(deleted_people)),
        or_(Matching.organization_id.is_(None),
            Matching.organization_id.not_in(deleted_orgs)))
    return condition


def made_in(date_from: Any, date_to: Any) -> ColumnElement[bool]:
    """Made (成立) in the period."""
    condition: ColumnElement[bool] = and_(Matching.status.in_(MADE),
                                          Matching.made_on >= date_from,
                                          Matching.made_on <= date_to)
    return condition


def active_in(date_from: Any, date_to: Any) -> ColumnElement[bool]:
    """Made by the period's end and not ended before its start (see the module docstring)."""
    ended_without_date = and_(Matching.status == MatchingStatus.ENDED.value,
                              Matching.ended_on.is_(None))
    condition: ColumnElement[bool] = and_(
        Matching.status.in_(MADE), Matching.made_on.is_not(None), Matching.made_on <= date_to,
        or_(Matching.ended_on >= date_from,
            and_(Matching.ended_on.is_(None), ~ended_without_date),
            and_(ended_without_date, Matching.made_on >= date_from)))
    return condition


def municipalities_in(session: Session, municipality_id: uuid.UUID) -> set[uuid.UUID]:
    """The public body itself and, for a prefecture, every public body of it in the file."""
    code = session.scalar(select(Organization.lgcode).where(Organization.id == municipality_id))
    found = {municipality_id}
    if code and len(code) == 6 and code[2:5] == "000":
        found.update(session.scalars(select(Organization.id).where(
            Organization.lgcode.like(f"{code[:2]}%"), Organization.deleted_at.is_(None))))
    return found


def scope_conditions(session: Session, figure_filter: FigureFilter
                     ) -> list[ColumnElement[bool]]:
    """The filter over ``Matching`` (see the module docstring)."""
    flt = figure_filter
    conditions: list[ColumnElement[bool]] = []
    if flt.club_id is not None:
        conditions.append(Matching.club_id == flt.club_id)
    if flt.municipality_id is not None:
        places = municipalities_in(session, flt.municipality_id)
        located = select(Organization.id).where(Organization.municipality_id.in_(places))
        hosted = select(Club.id).where(Club.host_municipality_id.in_(places))
        conditions.append(or_(Matching.host_id.in_(places), Matching.host_id.in_(located),
                              Matching.club_id.in_(hosted)))
    if flt.prefecture is not None:  # the prefecture and every municipality in it
        bodies = hosts_in_prefecture(flt.prefecture)
        located = select(Organization.id).where(Organization.municipality_id.in_(bodies))
        hosted = select(Club.id).where(Club.host_municipality_id.in_(bodies))
        conditions.append(or_(Matching.host_id.in_(bodies), Matching.host_id.in_(located),
                              Matching.club_id.in_(hosted)))
    if flt.category is not None:
        conditions.append(Matching.person_id.in_(
            select(Person.id).where(Person.category == flt.category)))
    if flt.tag_id is not None:
        marked = tagged.tagged_ids(flt.tag_id)
        person = aliased(Person)
        their_organization = select(person.id).where(person.organization_id.in_(marked))
        conditions.append(or_(
            Matching.person_id.in_(marked), Matching.person_id.in_(their_organization),
            Matching.organization_id.in_(marked), Matching.host_id.in_(marked),
            Matching.club_id.in_(marked), Matching.meeting_id.in_(marked)))
    return conditions


def made_query(scope: list[ColumnElement[bool]], date_from: Any, date_to: Any
               ) -> Select[str, int]:
    """(kind, made) of the matchings in ``scope`` made in the period."""
    return (select(Matching.kind, func.count()).where(*scope, made_in(date_from, date_to))
            .group_by(Matching.kind))


def active_query(scope: list[ColumnElement[bool]], date_from: Any, date_to: Any
                 ) -> Select[int]:
    """The number of matchings in ``scope`` active in the period."""
    return select(func.count()).select_from(Matching).where(
        *scope, active_in(date_from, date_to))


def matching_figures(session: Session, date_from: date, date_to: date,
                     figure_filter: FigureFilter | None = None) -> MatchingFigures:
    """The matching figures for the inclusive period and the filter."""
    scope = [counts(), *scope_conditions(session, figure_filter or FigureFilter())]
    return MatchingFigures.of(session.execute(made_query(scope, date_from, date_to)),
                              session.scalar(active_query(scope, date_from, date_to)))


def compiled_statements() -> dict[str, str]:
    """The whole programme's queries as SQL text with the parameters ``:date_from`` and
    ``:date_to`` (days as 'YYYY-MM-DD'), for ``kankei stats`` without SQLAlchemy
    (``rule_sql``)."""
    date_from: Any = literal_column(":date_from")
    date_to: Any = literal_column(":date_to")
    return {"MATCHINGS_MADE": rule.sql(made_query([counts()], date_from, date_to)),
            "MATCHINGS_ACTIVE": rule.sql(active_query([counts()], date_from, date_to))}
