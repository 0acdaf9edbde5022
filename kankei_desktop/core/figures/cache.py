"""Figures remembered inside the file until the data they depend on changes.

Computing a year's figures reads every attendance row of the year (about a second for a
million-row file). Triggers (migration ``0005_figures``) bump ``figure_version`` on every
write to attendance, sessions, people and clubs — whoever writes: the window, an import, a
bundle. A cached result is used only while that counter still has the value it was computed
at, so a cached figure is never stale; otherwise it is computed again and stored.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.compute import FigureFilter, Figures, FigureSet

#: What a write to a read-only, busy or full file raises (the database layer turns SQLite's
#: errors into a :class:`KankeiError` with a sentence); the figures are right without it.
_CANNOT_WRITE = (DatabaseError, OSError, KankeiError)

#: Bump when the figures' definitions or the payload layout change: old entries are ignored.
FORMAT = 1

_COUNTS = ("meetings_held", "meetings_online", "person_times", "unique_persons",
           "first_time_persons")


def cache_key(date_from: date, date_to: date, fiscal_year: int | None,
              figure_filter: FigureFilter) -> str:
    """The key of one (period, filter) combination."""
    return json.dumps([FORMAT, date_from.isoformat(), date_to.isoformat(), fiscal_year,
                       figure_filter.club_id.hex if figure_filter.club_id else None,
                       figure_filter.municipality_id.hex if figure_filter.municipality_id
                       else None, figure_filter.category])


def current_version(session: Session) -> int:
    """The counter's value as seen by ``session``."""
    return int(session.execute(text("SELECT n FROM figure_version WHERE id = 1")).scalar_one())


def cached_figures(
    read: Callable[[], AbstractContextManager[Session]],
    write: Callable[[], AbstractContextManager[Session]],
    key: str,
    compute: Callable[[Session], Figures],
    prepare: Callable[[], object] | None = None,
) -> Figures:
    """The figures for ``key``: from the cache when still valid, else computed and stored.

    ``read`` opens a reading session; ``write`` a transaction context (storing is best
    effort: a busy or read-only file just means the next call computes again). On a miss,
    ``prepare`` runs first (filling the kept tables the computation reads), also best effort.
    """
    with read() as session:
        session.connection()  # one read snapshot for the version, the cache and the data
        row = _cached(session, key)
        if row is not None:
            return row
    if prepare is not None:
        # read-only or busy: compute from the live tables
        with contextlib.suppress(*_CANNOT_WRITE):
            prepare()
    with read() as session:
        session.connection()
        version = current_version(session)
        figures = compute(session)
    try:
        with write() as session:
            session.execute(text(
                "INSERT INTO figure_cache (key, version, payload) VALUES (:k, :v, :p) "
                "ON CONFLICT (key) DO UPDATE SET version = excluded.version, "
                "payload = excluded.payload"),
                {"k": key, "v": version, "p": figures_to_json(figures)})
    except _CANNOT_WRITE:  # read-only or busy file: the result is still right
        pass
    return figures


def _cached(session: Session, key: str) -> Figures | None:
    """The stored figures for ``key`` if they were computed at the current version."""
    row = session.execute(text("SELECT version, payload FROM figure_cache WHERE key = :k"),
                          {"k": key}).first()
    if row is not None and row[0] == current_version(session):
        return figures_from_json(row[1])
    return None


def figures_to_json(figures: Figures) -> str:
    """A compact JSON text of ``figures``."""
    def cells(mapping: dict[Any, FigureSet], name: Callable[[Any], str]) -> dict[str, list[int]]:
        return {name(key): _counts(cell) for key, cell in mapping.items()}

    return json.dumps({
        "from": figures.date_from.isoformat(),
        "to": figures.date_to.isoformat(),
        "fy": figures.fiscal_year,
        "total": _counts(figures.total),
        "club": cells(figures.by_club, lambda key: key.hex),
        "host": cells(figures.by_municipality, lambda key: key.hex if key else ""),
        "category": cells(figures.by_category, str),
        "month": cells(figures.by_month, lambda key: f"{key[0]:04d}-{key[1]:02d}"),
    }, separators=(",", ":"))


def figures_from_json(payload: str) -> Figures:
    """Read what :func:`figures_to_json` wrote."""
    data = json.loads(payload)
    return Figures(
        date_from=date.fromisoformat(data["from"]),
        date_to=date.fromisoformat(data["to"]),
        fiscal_year=data["fy"],
        total=_cell(data["total"]),
        by_club={uuid.UUID(hex=key): _cell(v) for key, v in data["club"].items()},
        by_municipality={uuid.UUID(hex=key) if key else None: _cell(v)
                         for key, v in data["host"].items()},
        by_category={key: _cell(v) for key, v in data["category"].items()},
        by_month={(int(key[:4]), int(key[5:])): _cell(v) for key, v in data["month"].items()},
    )


def _counts(cell: FigureSet) -> list[int]:
    return [getattr(cell, name) for name in _COUNTS]


def _cell(values: list[int]) -> FigureSet:
    return FigureSet(**dict(zip(_COUNTS, values, strict=True)))
