"""The places figures can be limited to: a host municipality or a whole prefecture.

Everywhere a municipality is chosen (``--municipality CODE``, the dashboard, the reports, the
Excel export) a 全国地方公共団体コード is turned into a scope here, by one rule:

- a municipality's code (一関市 ``032093``) is that municipality's clubs;
- a prefecture's code (岩手県 ``030007``) is every club hosted by the prefecture or by any
  municipality in it (:mod:`kankei_desktop.core.figures.scope`). It works when the prefecture,
  or any organisation with a code in it, is in the file — 岩手県 need not be entered for the
  clubs of 一関市 to count for it;
- anything else is refused with a sentence.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.scope import FigureFilter, club_scope, hosts_in_prefecture
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes, municipalities
from kankei_desktop.core.models import Club, Organization
from kankei_desktop.core.services.context import ServiceContext, live
from kankei_desktop.core.services.organizations import OrganizationService


class AreaError(KankeiError):
    """A code that names no municipality or prefecture of this file."""


@dataclass(frozen=True)
class Area:
    """A municipality or prefecture as a scope of the figures."""

    code: str
    """The 6-digit code ('' for a host entered without one)."""
    name: str
    figure_filter: FigureFilter

    @property
    def is_prefecture(self) -> bool:
        """The area is a whole prefecture."""
        return self.figure_filter.prefecture is not None


class AreaService:
    """Codes to scopes, and the areas that host clubs in this file."""

    def __init__(self, context: ServiceContext, organizations: OrganizationService) -> None:
        self._ctx = context
        self._organizations = organizations

    def by_code(self, text: str) -> Area:
        """The area of a local government code (5 or 6 digits, full width accepted);
        :class:`AreaError` with a sentence when it names nothing in this file."""
        try:
            code = codes.normalize_lgcode(text)
        except ValueError:
            raise AreaError(_("'{code}' is not a valid local government code (6 digits with a "
                              "correct check digit, e.g. 014524).").format(code=text)) from None
        organization = self._organizations.find_by_lgcode(code)
        if codes.is_prefecture_lgcode(code):
            prefecture = codes.prefecture_of(code)
            entry = municipalities.by_code(code)
            name = (organization.name if organization is not None
                    else entry.name if entry is not None else code)
            if organization is None and not self._has_codes_in(prefecture):
                raise AreaError(_("Neither {name} ({code}) nor any municipality in it is in "
                                  "this file.").format(name=name, code=code))
            return Area(code, name, FigureFilter(prefecture=prefecture))
        if organization is None:
            raise AreaError(_("No municipality with the code {code} is in this file.").format(
                code=code))
        return Area(code, organization.name, FigureFilter(municipality_id=organization.id))

    def _has_codes_in(self, prefecture: str) -> bool:
        with self._ctx.reading() as session:
            return bool(session.scalar(select(exists(hosts_in_prefecture(prefecture)))))

    def hosting(self) -> list[Area]:
        """The prefectures and municipalities that host live clubs: each prefecture followed
        by its municipalities, in code order; hosts without a code last, by name."""
        with self._ctx.reading() as session:
            rows = session.execute(
                select(Organization.id, Organization.name, Organization.lgcode)
                .where(Organization.id.in_(
                    select(Club.host_municipality_id).where(live(Club))))
            ).all()
        coded = sorted((code, name, row_id) for row_id, name, code in rows if code)
        areas: list[Area] = []
        for prefecture in sorted({codes.prefecture_of(code) for code, _name, _id in coded}):
            prefecture_code = codes.prefecture_lgcode(prefecture)
            own = next((name for code, name, _id in coded if code == prefecture_code), None)
            entry = municipalities.by_code(prefecture_code)
            areas.append(Area(prefecture_code,
                              own or (entry.name if entry is not None else prefecture_code),
                              FigureFilter(prefecture=prefecture)))
            areas.extend(Area(code, name, FigureFilter(municipality_id=row_id))
                         for code, name, row_id in coded
                         if codes.prefecture_of(code) == prefecture and code != prefecture_code)
        areas.extend(Area("", name, FigureFilter(municipality_id=row_id))
                     for row_id, name, code in sorted(rows, key=lambda row: row[1]) if not code)
        return areas

    def name_of(self, figure_filter: FigureFilter) -> str:
        """The name of the municipality or prefecture a scope is limited to ('' for none)."""
        if figure_filter.prefecture is not None:
            code = codes.prefecture_lgcode(figure_filter.prefecture)
            organization = self._organizations.find_by_lgcode(code)
            if organization is not None:
                return organization.name
            entry = municipalities.by_code(code)
            return entry.name if entry is not None else code
        if figure_filter.municipality_id is not None:
            return self._organizations.names({figure_filter.municipality_id}).get(
                figure_filter.municipality_id, "")
        return ""

    def clubs_in(self, figure_filter: FigureFilter) -> set[uuid.UUID]:
        """The live clubs inside a scope (:func:`.figures.scope.club_scope`)."""
        with self._ctx.reading() as session:
            return set(session.scalars(select(Club.id).where(
                live(Club), *club_scope(figure_filter, Club))))
