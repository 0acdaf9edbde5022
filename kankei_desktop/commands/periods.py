"""The period of a command that shows figures: ``--fy YEAR`` or ``--from DAY --to DAY``."""

from __future__ import annotations

import argparse
from datetime import date

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import _

FIRST_YEAR, LAST_YEAR = 1900, 2200


class PeriodError(KankeiError):
    """The period given on the command line cannot be used."""


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    """``--fy``, ``--from`` and ``--to`` (checked by :func:`period_of`)."""
    parser.add_argument("--fy", type=int, metavar="YEAR",
                        help=_("fiscal year by the April it starts in (2021 = Reiwa 3)"))
    parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                        help=_("first day of the period, instead of --fy (with --to)"))
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD",
                        help=_("last day of the period (both days are included)"))


def municipality_help() -> str:
    """The help of ``--municipality``: a municipality's clubs, or a prefecture's."""
    return _("only clubs hosted by this municipality (local government code); a "
             "prefecture's code includes every municipality in it")


def period_of(args: argparse.Namespace) -> Period:
    """The period asked for; :class:`PeriodError` with one sentence otherwise."""
    fiscal_year: int | None = args.fy
    start_text: str | None = args.date_from
    end_text: str | None = args.date_to
    ranged = start_text is not None or end_text is not None
    if fiscal_year is not None and ranged:
        raise PeriodError(_("Give either --fy or --from and --to, not both."))
    if fiscal_year is not None:
        if not FIRST_YEAR <= fiscal_year <= LAST_YEAR:
            raise PeriodError(_("The fiscal year {year} is not plausible. Give the year of the "
                                "April it starts in, e.g. --fy 2021 for Reiwa 3.").format(
                year=fiscal_year))
        return Period.fiscal_year(fiscal_year)
    if not ranged:
        raise PeriodError(_("Give the period: --fy YEAR, or --from YYYY-MM-DD and --to "
                            "YYYY-MM-DD."))
    if start_text is None or end_text is None:
        raise PeriodError(_("Give both --from and --to (YYYY-MM-DD); both days are "
                            "included."))
    start, end = _day(start_text, "--from"), _day(end_text, "--to")
    if end < start:
        raise PeriodError(_("The period ends (--to {end}) before it starts (--from {start}); "
                            "give a --to on or after the --from.").format(
            start=start.isoformat(), end=end.isoformat()))
    return Period(start, end)


def _day(text: str, option: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise PeriodError(_("{option} {value} is not a date; write it as YYYY-MM-DD, e.g. "
                            "2021-04-01.").format(option=option, value=text)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PeriodError(_("{option} {value} is not a plausible date; give a day between "
                            "{first} and {last}.").format(option=option, value=text,
                                                          first=FIRST_YEAR, last=LAST_YEAR))
    return day
