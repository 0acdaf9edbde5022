"""Where a database file lives, as its replica id records it (:mod:`.replica`): kept apart
so that an opening without SQLAlchemy (:mod:`.bare`) can tell a copied file too."""

from __future__ import annotations

from pathlib import Path


def fingerprint(db_path: Path) -> str:
    """Where this file lives: its inode (file index on Windows), else its full path (a
    file that replaces another by a rename keeps its own)."""
    try:
        inode = db_path.stat().st_ino
    except OSError:
        inode = 0
    return f"inode:{inode}" if inode else f"path:{db_path}"


#: The ``meta`` keys :func:`replica_settled` reads.
REPLICA_KEYS = ("replica_id", "replica_origin", "former_replica_ids", "former_replicas_adopted")


def replica_settled(meta: dict[str, str], db_path: Path) -> bool:
    """Whether opening the file would leave its replica identity as it is
    (:func:`.replica.ensure_replica_id` writes nothing): it has an id, made in this very
    file, and has claimed the changes of every former id. ``meta`` holds the values of
    :data:`REPLICA_KEYS` the file has."""
    if "replica_id" not in meta or meta.get("replica_origin") != fingerprint(db_path):
        return False
    former = set(meta.get("former_replica_ids", "").split())
    return former <= set(meta.get("former_replicas_adopted", "").split())
