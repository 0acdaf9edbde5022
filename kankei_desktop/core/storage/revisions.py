"""The schema revisions this version knows, read from the migration files without Alembic.

Opening a file only has to compare its stamped revision with the newest one the code knows;
Alembic (with the SQLAlchemy dialects it pulls in, about half a second) is loaded only when
a migration must run (:mod:`.migration`). The chain is read from the ``revision`` and
``down_revision`` lines of ``migrations/versions/*.py`` — the files Alembic itself reads, so a
migration added or renumbered needs no second edit; a test checks the result against
Alembic's own head and history.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"
_ASSIGNMENT = re.compile(
    r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:'([^']*)'|\"([^\"]*)\"|None)", re.MULTILINE)


@cache
def chain() -> dict[str, str | None]:
    """Every known revision → the one it revises (None for the first)."""
    found: dict[str, str | None] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        values: dict[str, str | None] = {}
        for match in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8")):
            values.setdefault(match.group(1), match.group(2) or match.group(3))
        revision = values.get("revision")
        if revision:
            found[revision] = values.get("down_revision")
    return found


def head_revision() -> str:
    """The newest schema revision this version of the application knows."""
    known = chain()
    revised = {down for down in known.values() if down is not None}
    heads = sorted(set(known) - revised)
    if len(heads) != 1:  # pragma: no cover - the shipped chain always has one head
        raise RuntimeError(f"the migrations have {len(heads)} heads: {heads}")
    return heads[0]


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of ours (an unknown one comes from a newer version)."""
    return revision in chain()
