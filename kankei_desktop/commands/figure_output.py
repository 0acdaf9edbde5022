"""Figures as plain data (JSON) and as a readable table, shared by the CLI and exports."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.vocabulary import PersonCategory, label


class Found(Protocol):
    """A record found by name or code."""

    @property
    def id(self) -> uuid.UUID:
        """Its id."""


class Names(Protocol):
    """Names of records by id (deleted ones included)."""

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names for a set of ids."""


class Clubs(Names, Protocol):
    """Clubs: names, and one found by its name."""

    def find_by_name(self, name: str) -> Found | None:
        """The live club called ``name``."""


class Organizations(Names, Protocol):
    """Organisations: names, and a public body found by its code."""

    def find_by_lgcode(self, code: str) -> Found | None:
        """The live organisation of a public body."""


class FigureReader(Protocol):
    """The figures of a year."""

    def fiscal_year(self, fiscal_year: int, figure_filter: FigureFilter | None = None
                    ) -> Figures:
        """Figures for one 年度."""


class FigureServices(Protocol):
    """What the figure output and ``stats`` ask of the services: the full ones of an open
    file, or the quick readers (``core.quick``) that answer without SQLAlchemy."""

    @property
    def clubs(self) -> Clubs:
        """Clubs."""

    @property
    def organizations(self) -> Organizations:
        """Organisations."""

    @property
    def figures(self) -> FigureReader:
        """Figures."""


def figure_set_as_json(cell: FigureSet) -> dict[str, Any]:
    """One cell of figures as JSON-ready values."""
    return {
        "meetings_held": cell.meetings_held,
        "meetings_online": cell.meetings_online,
        "online_rate": cell.online_rate,
        "person_times": cell.person_times,
        "unique_persons": cell.unique_persons,
        "first_time_persons": cell.first_time_persons,
    }


def figures_as_json(
    services: FigureServices, figures: Figures, *, club: str | None = None,
    municipality: str | None = None,
) -> dict[str, Any]:
    """The ``stats --json`` object: totals plus breakdowns keyed by readable names."""
    club_names = services.clubs.names(set(figures.by_club))
    municipality_ids = {key for key in figures.by_municipality if key is not None}
    municipality_names = services.organizations.names(municipality_ids)
    payload: dict[str, Any] = {
        "fiscal_year": figures.fiscal_year,
        "fiscal_year_label": (
            format_fiscal_year(figures.fiscal_year) if figures.fiscal_year is not None else None
        ),
        "period": {"from": figures.date_from.isoformat(), "to": figures.date_to.isoformat()},
        "filter": {"club": club, "municipality": municipality},
    }
    payload.update(figure_set_as_json(figures.total))
    payload["by_club"] = {
        club_names.get(club_id, str(club_id)): figure_set_as_json(cell)
        for club_id, cell in sorted(
            figures.by_club.items(), key=lambda item: club_names.get(item[0], "")
        )
    }
    payload["by_category"] = {
        code: {"label": label(PersonCategory(code)), **_person_figures(cell)}
        for code, cell in figures.by_category.items()
        if code in PersonCategory._value2member_map_
    }
    payload["by_month"] = {
        f"{year:04d}-{month:02d}": figure_set_as_json(cell)
        for (year, month), cell in sorted(figures.by_month.items())
    }
    named = [((municipality_names.get(key, str(key)) if key is not None else ""), cell)
             for key, cell in figures.by_municipality.items()]
    # By name, clubs without a host municipality ("") last: the same order however the
    # figures were computed.
    payload["by_municipality"] = {
        name: figure_set_as_json(cell)
        for name, cell in sorted(named, key=lambda item: (item[0] == "", item[0]))
    }
    return payload


def _person_figures(cell: FigureSet) -> dict[str, int]:
    return {
        "person_times": cell.person_times,
        "unique_persons": cell.unique_persons,
        "first_time_persons": cell.first_time_persons,
    }


def format_rate(rate: float | None) -> str:
    """「87.5%」, or 「—」 when nothing was held."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def render_figures(services: FigureServices, figures: Figures) -> str:
    """A readable table of the figures (Japanese labels in the ``ja`` catalog)."""
    title = (
        format_fiscal_year(figures.fiscal_year) if figures.fiscal_year is not None
        else f"{figures.date_from} – {figures.date_to}"
    )
    total = figures.total
    summary = render_table(
        [_("Figure"), _("Value")],
        [
            [_("Sessions held"), str(total.meetings_held)],
            [_("of which online"), str(total.meetings_online)],
            [_("Online rate"), format_rate(total.online_rate)],
            [_("Person-times"), str(total.person_times)],
            [_("Unique persons"), str(total.unique_persons)],
            [_("First-time persons"), str(total.first_time_persons)],
        ],
        numeric=(1,),
    )
    headers = [_("Sessions held"), _("Online"), _("Person-times"), _("Unique persons"),
               _("First-time persons")]
    numeric = (1, 2, 3, 4, 5)
    club_names = services.clubs.names(set(figures.by_club))
    club_rows = [
        [club_names.get(club_id, "?"), *_cells(cell)]
        for club_id, cell in sorted(figures.by_club.items(),
                                    key=lambda item: club_names.get(item[0], ""))
    ]
    month_rows = [
        [_("{year}-{month:02d}").format(year=year, month=month), *_cells(cell)]
        for (year, month), cell in sorted(figures.by_month.items())
    ]
    category_rows = [
        [label(PersonCategory(code)), "", "", str(cell.person_times), str(cell.unique_persons),
         str(cell.first_time_persons)]
        for code, cell in figures.by_category.items()
        if code in PersonCategory._value2member_map_
    ]
    parts = [
        _("Figures for {period}").format(period=title),
        summary,
        "",
        _("By club"),
        render_table([_("Club"), *headers], club_rows, numeric=numeric) if club_rows
        else _("(no sessions held)"),
        "",
        _("By person category"),
        render_table([_("Category"), *headers], category_rows, numeric=numeric),
        "",
        _("By month"),
        render_table([_("Month"), *headers], month_rows, numeric=numeric),
    ]
    return "\n".join(parts)


def _cells(cell: FigureSet) -> list[str]:
    return [str(cell.meetings_held), str(cell.meetings_online), str(cell.person_times),
            str(cell.unique_persons), str(cell.first_time_persons)]
