"""Which sessions and people the figures cover: the scope, defined once.

A scope is the whole programme, one club, one host municipality or one **prefecture**; a
person category can narrow any of them to some people (it changes the attendance figures,
not the session counts).

A prefecture's scope holds every club hosted by the prefecture itself or by any municipality
in it: the club's host is an :class:`~kankei_desktop.core.models.Organization` whose
全国地方公共団体コード starts with the prefecture's two digits (岩手県 ``030007`` holds the
clubs of 岩手県, 一関市 ``032093`` and 釜石市 ``032115``). A host without a code cannot be
placed in a prefecture and is left out; a deleted host organisation still places its clubs.

The figures' hand-written SQL (:func:`club_in_scope_sql`), the drill-down, the reports and the
Excel export (:func:`club_scope`) all derive from the expressions below.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.filter import FigureFilter
from kankei_desktop.core.models import Club, Organization

__all__ = ["FigureFilter", "club_in_scope_sql", "club_scope", "compiled_fragments",
           "hosts_in_prefecture"]


def hosts_in_prefecture(prefecture: Any) -> Select[Any]:
    """Ids of the organisations whose code lies in ``prefecture`` (the prefecture and its
    municipalities): the one place the prefecture rule is spelled."""
    return select(Organization.id).where(func.substr(Organization.lgcode, 1, 2) == prefecture)


def club_scope(figure_filter: FigureFilter, club: Any = Club) -> list[ColumnElement[bool]]:
    """The club, municipality and prefecture filter as conditions over ``club``."""
    conditions: list[ColumnElement[bool]] = []
    if figure_filter.club_id is not None:
        conditions.append(club.id == figure_filter.club_id)
    if figure_filter.municipality_id is not None:
        conditions.append(club.host_municipality_id == figure_filter.municipality_id)
    if figure_filter.prefecture is not None:
        conditions.append(club.host_municipality_id.in_(
            hosts_in_prefecture(figure_filter.prefecture)))
    return conditions


def club_in_scope_sql(alias: str) -> str:
    """SQL text: the club ``alias`` counts (:mod:`.rule`) and is inside the scope given by
    the parameters ``:club``, ``:municipality`` and ``:prefecture`` (NULL = any)."""
    club = rule.alias(Club, alias)
    in_prefecture = rule.sql(club.host_municipality_id.in_(
        hosts_in_prefecture(literal_column(":prefecture"))))
    return f"""{rule.sql(rule.club_counts(club))}
        AND (:club IS NULL OR {alias}.id = :club)
        AND (:municipality IS NULL OR {alias}.host_municipality_id = :municipality)
        AND (:prefecture IS NULL OR {in_prefecture})"""


def compiled_fragments() -> dict[str, str]:
    """The scope as SQL text for the queries run without SQLAlchemy (``rule_sql``):
    ``CLUB_IN_SCOPE_C`` is :func:`club_in_scope_sql` of the club ``c``."""
    return {"CLUB_IN_SCOPE_C": club_in_scope_sql("c")}
