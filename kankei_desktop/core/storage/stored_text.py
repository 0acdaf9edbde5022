"""A column as SQLite stores it, as text, on either engine.

Some hot reads (the calendar's month) skip SQLAlchemy's per-value conversion and take ids,
dates and times as the stored text (``type_coerce(column, String)`` on a file). PostgreSQL
stores them in their own types; :func:`stored_text` casts them to the very same text there
(32 hex digits, ``YYYY-MM-DD``, ``HH:MM:SS.ffffff``), so the reading code is one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, String, Time, Uuid
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class _StoredText(ColumnElement[str]):
    inherit_cache = True
    type = String()
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column


@compiles(_StoredText)
def _as_is(element: _StoredText, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column, **kw))


@compiles(_StoredText, "postgresql")
def _cast(element: _StoredText, compiler: Any, **kw: Any) -> str:
    inner = compiler.process(element.column, **kw)
    kind = element.column.type
    if isinstance(kind, Uuid):
        return f"replace(CAST({inner} AS TEXT), '-', '')"
    if isinstance(kind, Date):
        return f"to_char({inner}, 'YYYY-MM-DD')"
    if isinstance(kind, Time):
        return f"to_char({inner}, 'HH24:MI:SS.US')"
    return f"CAST({inner} AS TEXT)"


def stored_text(column: Any) -> ColumnElement[str]:
    """``column`` as SQLite's storage text (NULL stays NULL)."""
    return _StoredText(column)
