"""Filling every kept figure table from scratch (:mod:`.kept` reads them; :mod:`.triggers`
keeps them on every write): after a bulk write, an adopted image, a migration."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from kankei_desktop.core.figures import aggregates, first_counts, triggers


def rebuild(execute: Callable[[str, dict[str, Any]], Any],
            years: Callable[[], list[int]]) -> None:
    """Fill every kept table from scratch. Their triggers must be absent (set aside or not
    yet created): they would fill the same rows twice.

    ``execute`` runs one statement with parameters; ``years`` lists the 年度 with sessions,
    asked once ``first_attendance`` is filled.
    """
    for statement in triggers.clear_statements():
        execute(statement, {})
    for statement in triggers.fill_first_dates_statements():
        execute(statement, {})
    for fiscal_year in years():
        execute(triggers.fill_presence_statement(), triggers.presence_parameters(fiscal_year))
        for statement in aggregates.fill_year_statements():
            execute(statement, {"fy": fiscal_year})
    for statement in aggregates.fill_statements():
        execute(statement, {})
    execute(first_counts.fill_statement(), {})


def rebuild_raw(raw: sqlite3.Connection) -> None:
    """:func:`rebuild` on a sqlite3 connection inside its open transaction."""
    rebuild(raw.execute, lambda: sorted(
        int(row[0]) for row in raw.execute(triggers.YEARS) if row[0] is not None))
