"""What ``kankei stats`` reads for whole 年度 of the whole programme, on a bare ``sqlite3``
connection (:mod:`kankei_desktop.core.storage.bare`), without SQLAlchemy.

The figures come from the kept tables through the very function the figure service uses
(:func:`.kept.whole_years_figures`, the same statements over the rules' generated SQL); the
matching figures from the whole programme's queries compiled from :mod:`.matchings`
(:mod:`.rule_sql`); the names of clubs and organisations by id. :class:`BareLookups` offers
them under the names the services give them (``clubs.names``, ``organizations.names``,
``matchings.figures``), so the command's output is made by the same code either way.
"""

from __future__ import annotations

import uuid
from datetime import date

from kankei_desktop.core.figures import kept, rule_sql
from kankei_desktop.core.figures.filter import FigureFilter
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.figures.results import Figures, MatchingFigures
from kankei_desktop.core.storage.bare import BareFile

#: Ids per ``IN (…)`` list (below every SQLite's limit of bound values).
_CHUNK = 500


class BareNames:
    """Names of the records of one table by id (deleted ones included), as
    ``services.clubs.names`` and ``services.organizations.names`` give them."""

    def __init__(self, file: BareFile, table: str) -> None:
        self._file = file
        self._table = table

    def names(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Names for a set of ids."""
        found: dict[uuid.UUID, str] = {}
        wanted = sorted(value.hex for value in ids)
        for start in range(0, len(wanted), _CHUNK):
            chunk = {f"id{index}": value
                     for index, value in enumerate(wanted[start:start + _CHUNK])}
            marks = ", ".join(f":{name}" for name in chunk)
            for row_id, name in self._file.run(
                    f"SELECT id, name FROM {self._table} WHERE id IN ({marks})", chunk):
                found[uuid.UUID(hex=row_id)] = name
        return found


class BareMatchings:
    """The matching figures of the whole programme, as ``services.matchings.figures``."""

    def __init__(self, file: BareFile) -> None:
        self._file = file

    def figures(self, date_from: date, date_to: date,
                figure_filter: FigureFilter | None = None) -> MatchingFigures:
        """マッチング成立件数, active matchings and made per kind for a period."""
        if figure_filter is not None and figure_filter != FigureFilter():
            raise ValueError("the bare reading covers the whole programme only")
        days = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
        active = self._file.run(rule_sql.MATCHINGS_ACTIVE, days)
        return MatchingFigures.of(self._file.run(rule_sql.MATCHINGS_MADE, days),
                                  active[0][0] if active else 0)


class BareLookups:
    """The part of the services ``kankei stats`` uses, on one open :class:`BareFile`."""

    def __init__(self, file: BareFile) -> None:
        self.file = file
        self.clubs = BareNames(file, "club")
        self.organizations = BareNames(file, "organization")
        self.matchings = BareMatchings(file)

    def figures(self, period: Period) -> Figures | None:
        """The whole programme's figures for ``period`` from the kept tables, or None when
        they are not read from there (not whole 年度, or a kept table missing): the figure
        service then groups them."""
        if kept.kept_years(period, FigureFilter()) is None:
            return None
        if not set(kept.TABLES) <= self.file.tables():
            return None
        return kept.whole_years_figures(self.file.run, period, FigureFilter())
