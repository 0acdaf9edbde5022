"""``kankei stats``: the figures of a period and scope, as a table or one JSON object.

Whole 年度 of the whole programme (no ``--club``, ``--municipality`` or ``--tag``: the common
case) are read from the kept figure tables on a bare ``sqlite3`` connection, without loading
SQLAlchemy, the models or the services (:mod:`kankei_desktop.core.storage.bare`,
:mod:`kankei_desktop.core.figures.bare`): the same checks and locks as every opening, the
same statements, the same output code. Everything else — another period or a scope, a file
to create, upgrade or re-stamp, a kept table missing — goes through the services, as before.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kankei_desktop.commands.common import EXIT_OK, Location, fail, with_services
from kankei_desktop.commands.periods import PeriodError, period_of
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:
    from kankei_desktop.commands.figure_output import Lookups
    from kankei_desktop.core.figures.filter import FigureFilter
    from kankei_desktop.core.figures.period import Period
    from kankei_desktop.core.figures.results import Figures
    from kankei_desktop.core.services import Services
    from kankei_desktop.core.services.areas import Area


def cmd_stats(db_path: Location, args: argparse.Namespace) -> int:
    """Print the figures asked for."""
    try:
        period = period_of(args)
    except PeriodError as exc:
        return fail(exc.message)
    if isinstance(db_path, Path) and not (args.club or args.municipality or args.tag):
        code = bare_stats(db_path, args, period)
        if code is not None:
            return code
    return with_services(db_path, lambda services: _print_stats(services, args, period))


def bare_stats(db_path: Path, args: argparse.Namespace, period: Period) -> int | None:
    """The whole programme's figures read on a bare ``sqlite3`` connection and printed; None
    (nothing printed, the file as it was) when the services must answer instead."""
    from kankei_desktop.core.figures.bare import BareLookups
    from kankei_desktop.core.figures.filter import FigureFilter
    from kankei_desktop.core.storage.bare import bare_file

    with bare_file(db_path) as file:
        if file is None:
            return None
        lookups = BareLookups(file)
        figures = lookups.figures(period)
        if figures is None:
            return None
        return print_figures(lookups, args, figures, FigureFilter(), None)


def _print_stats(services: Services, args: argparse.Namespace, period: Period) -> int:
    from kankei_desktop.core.figures.scope import FigureFilter

    club_id = None
    if args.club:
        club = services.clubs.find_by_name(args.club)
        if club is None:
            return fail(_("There is no club called '{name}' in this file. 'kankei list clubs' "
                           "shows the names.").format(name=args.club))
        club_id = club.id
    area = services.areas.by_code(args.municipality) if args.municipality else None
    scope = area.figure_filter if area is not None else FigureFilter()
    tag_id = None
    if args.tag:
        tag = services.tags.find_by_name(args.tag)
        if tag is None:
            return fail(_("There is no tag called '{name}' in this file.").format(
                name=args.tag))
        tag_id = tag.id
    figure_filter = FigureFilter(club_id=club_id, municipality_id=scope.municipality_id,
                                 prefecture=scope.prefecture, tag_id=tag_id)
    figures = services.figures.period(period.start, period.end, figure_filter)
    return print_figures(services, args, figures, figure_filter, area)


def print_figures(lookups: Lookups, args: argparse.Namespace, figures: Figures,
                  figure_filter: FigureFilter, area: Area | None) -> int:
    """Print ``figures`` as ``--json`` asks, with names and matchings from ``lookups``."""
    import json

    from kankei_desktop.commands.figure_output import figures_as_json, render_figures

    if args.json:
        payload = figures_as_json(lookups, figures, club=args.club,
                                  municipality=args.municipality, area=area,
                                  figure_filter=figure_filter, tag=args.tag)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_figures(lookups, figures, figure_filter, area=area))
    return EXIT_OK
