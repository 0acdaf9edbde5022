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

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select

from kankei_desktop.core.figures import rule
from kankei_desktop.core.models import Club, Organization


@dataclass(frozen=True)
class FigureFilter:
    """Which meetings and people the figures cover (None = all).

    ``prefecture`` is the prefecture's two-digit number (``"03"`` for 岩手県; see
    :func:`kankei_desktop.core.japan.codes.prefecture_of`).
    """

    club_id: uuid.UUID | None = None
    municipality_id: uuid.UUID | None = None
    category: str | None = None
    prefecture: str | None = None

    @property
    def whole_programme(self) -> bool:
        """No club, municipality or prefecture chosen: figures of whole 年度 come from the
        kept tables, which hold every session and apply only the category."""
        return self.club_id is None and self.municipality_id is None and self.prefecture is None

    def parameters(self) -> dict[str, object]:
        """The bound values of :func:`club_in_scope_sql` and the category filter."""
        return {
            "club": self.club_id.hex if self.club_id else None,
            "municipality": self.municipality_id.hex if self.municipality_id else None,
            "prefecture": self.prefecture,
            "category": self.category,
        }

    def without_category(self) -> FigureFilter:
        """The same clubs, every person."""
        return FigureFilter(club_id=self.club_id, municipality_id=self.municipality_id,
                            prefecture=self.prefecture)


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
