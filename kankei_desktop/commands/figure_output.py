"""Figures as plain data (JSON) and as a readable table, shared by the CLI and exports.

Loads no SQLAlchemy: ``kankei stats`` prints through it from the services or from a bare
``sqlite3`` reading (:mod:`kankei_desktop.core.figures.bare`), whichever :class:`Lookups`.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.figures.filter import FigureFilter
from kankei_desktop.core.figures.results import Figures, FigureSet, MatchingFigures
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.vocabulary import MeetingKind, PersonCategory, label

if TYPE_CHECKING:
    from kankei_desktop.core.services.areas import Area


class NameLookup(Protocol):
    """Names of records by id (``services.clubs``, ``services.organizations``)."""

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]: ...


class MatchingLookup(Protocol):
    """The matching figures of a period and filter (``services.matchings``)."""

    def figures(self, date_from: date, date_to: date,
                figure_filter: FigureFilter | None = None) -> MatchingFigures: ...


class Lookups(Protocol):
    """What the output needs besides the figures: the services, or a bare reading."""

    @property
    def clubs(self) -> NameLookup: ...
    @property
    def organizations(self) -> NameLookup: ...
    @property
    def matchings(self) -> MatchingLookup: ...


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


def matching_figures_as_json(figures: MatchingFigures) -> dict[str, Any]:
    """``matchings_made``, ``matchings_active`` and ``by_matching_kind`` (issue 17)."""
    return {"matchings_made": figures.made, "matchings_active": figures.active,
            "by_matching_kind": dict(figures.by_kind)}


def figures_as_json(
    services: Lookups, figures: Figures, *, club: str | None = None,
    municipality: str | None = None, area: Area | None = None,
    figure_filter: FigureFilter | None = None, tag: str | None = None,
) -> dict[str, Any]:
    """The ``stats --json`` object: totals plus breakdowns keyed by readable names; the
    matching figures for the same period and ``figure_filter``."""
    club_names = services.clubs.names(set(figures.by_club))
    municipality_ids = {key for key in figures.by_municipality if key is not None}
    municipality_names = services.organizations.names(municipality_ids)
    payload: dict[str, Any] = {
        "fiscal_year": figures.fiscal_year,
        "fiscal_year_label": (
            format_fiscal_year(figures.fiscal_year) if figures.fiscal_year is not None else None
        ),
        "period_start": figures.date_from.isoformat(),
        "period_end": figures.date_to.isoformat(),
        "period_label": figures.period.label(),
        "period": {"from": figures.date_from.isoformat(), "to": figures.date_to.isoformat()},
        "filter": {"club": club, "municipality": municipality, "tag": tag},
        "area": None if area is None else {
            "code": area.code, "name": area.name,
            "kind": "prefecture" if area.is_prefecture else "municipality"},
    }
    payload.update(figure_set_as_json(figures.total))
    payload.update(matching_figures_as_json(services.matchings.figures(
        figures.date_from, figures.date_to, figure_filter)))
    payload["organizations_attending"] = figures.organizations_attending
    payload["attendance_rate"] = figures.attendance_rate
    payload["by_kind"] = {
        code: {"meetings_held": cell.meetings_held, "person_times": cell.person_times}
        for code, cell in figures.by_kind.items()
    }
    payload["by_fiscal_year"] = {
        str(year): {**figure_set_as_json(cell),
                    "organizations_attending": cell.organizations,
                    "attendance_rate": cell.attendance_rate}
        for year, cell in figures.by_fiscal_year.items()
    }
    organisation_names = services.organizations.names(set(figures.by_organization))
    payload["by_organization"] = {
        name: {"person_times": cell.person_times, "unique_persons": cell.unique_persons}
        for name, cell in sorted(
            ((organisation_names.get(key, str(key)), cell)
             for key, cell in figures.by_organization.items()),
            key=lambda item: (-item[1].unique_persons, -item[1].person_times, item[0]))
    }
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


def render_figures(services: Lookups, figures: Figures,
                   figure_filter: FigureFilter | None = None, area: Area | None = None) -> str:
    """A readable table of the figures (Japanese labels in the ``ja`` catalog)."""
    matchings = services.matchings.figures(figures.date_from, figures.date_to, figure_filter)
    title = figures.period.label()
    if area is not None:
        title = f"{title}　{area.name}"
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
            [_("Attendance rate"), format_rate(figures.attendance_rate)],
            [_("Organisations taking part"), str(figures.organizations_attending)],
            [_("Matchings made"), str(matchings.made)],
            [_("Matchings active"), str(matchings.active)],
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
    kind_rows = [[label(MeetingKind(code)), str(cell.meetings_held), str(cell.person_times)]
                 for code, cell in figures.by_kind.items()
                 if code in MeetingKind._value2member_map_]
    parts = [
        _("Figures for {period}").format(period=title),
        summary,
        "",
        _("By club"),
        render_table([_("Club"), *headers], club_rows, numeric=numeric) if club_rows
        else _("(no sessions held)"),
        "",
        _("By kind of session"),
        render_table([_("Kind"), _("Sessions held"), _("Person-times")], kind_rows,
                     numeric=(1, 2)),
        "",
        _("By person category"),
        render_table([_("Category"), *headers], category_rows, numeric=numeric),
    ]
    if len(figures.by_fiscal_year) > 1:
        year_rows = [[format_fiscal_year(year), *_cells(cell)]
                     for year, cell in figures.by_fiscal_year.items()]
        parts += ["", _("By fiscal year"),
                  render_table([_("Fiscal year"), *headers], year_rows, numeric=numeric)]
    parts += ["", _("By month"),
              render_table([_("Month"), *headers], month_rows, numeric=numeric)]
    organisation_names = services.organizations.names(set(figures.by_organization))
    organisation_rows = [
        [organisation_names.get(key, "?"), str(cell.unique_persons), str(cell.person_times)]
        for key, cell in sorted(figures.by_organization.items(), key=lambda item: (
            -item[1].unique_persons, -item[1].person_times,
            organisation_names.get(item[0], "")))]
    if organisation_rows:
        parts += ["", _("Organisations that took part"),
                  render_table([_("Organisation"), _("Unique persons"), _("Person-times")],
                               organisation_rows, numeric=(1, 2))]
    return "\n".join(parts)


def _cells(cell: FigureSet) -> list[str]:
    return [str(cell.meetings_held), str(cell.meetings_online), str(cell.person_times),
            str(cell.unique_persons), str(cell.first_time_persons)]
