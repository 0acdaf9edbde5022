"""This file's replica id, and what a copy of a file does about it.

A database file is one replica of the programme's data. A copy carried to a colleague's PC
would otherwise sync as the same replica and lose changes silently, so a copy (another inode or
place) gets a new id and claims, in its version vector, every change the original had made up
to the copy.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kankei_desktop.core.models import SYNCED_MODELS, Meta, SyncFieldClock, SyncVector
from kankei_desktop.core.storage.fingerprint import fingerprint

__all__ = ["ensure_replica_id", "fingerprint", "highest_stamp"]


def ensure_replica_id(sessions: sessionmaker[Session], db_path: Path) -> uuid.UUID:
    """This file's replica id; a copied file (another inode or place) gets a new one.

    The id is stored with the fingerprint of the file it was made in. A copy carried to a
    colleague's PC would otherwise sync as the same replica and lose changes silently; a new
    id is always safe (colleagues merely see a new peer).
    """
    place = fingerprint(db_path)
    with sessions.begin() as session:
        row = session.get(Meta, "replica_id")
        origin = session.get(Meta, "replica_origin")
        if origin is None:
            session.add(Meta(key="replica_origin", value=place))
        elif origin.value != place:
            origin.value = place
            if row is not None:
                former = session.get(Meta, "former_replica_ids")
                if former is None:
                    session.add(Meta(key="former_replica_ids", value=row.value))
                else:
                    former.value = f"{former.value} {row.value}"
                row.value = str(uuid.uuid4())
        if row is not None:
            _adopt_former_replicas(session)
        if row is None:
            replica = uuid.uuid4()
            session.add(Meta(key="replica_id", value=str(replica)))
            return replica
        return uuid.UUID(row.value)


def highest_stamp(session: Session) -> str:
    """The highest clock stamp stored in this file ("" for an empty file)."""
    stamps = [session.scalar(select(func.max(model.hlc))) for model in SYNCED_MODELS]
    stamps.append(session.scalar(select(func.max(SyncFieldClock.hlc))))
    stamps.append(session.scalar(select(func.max(SyncVector.hlc))))
    return max((stamp for stamp in stamps if stamp), default="")


def _adopt_former_replicas(session: Session) -> None:
    """After a copy got a new replica id, claim the old id's changes up to the copy.

    Every change the file holds from its former replica id happened before the copy, so the
    version vector may say so (at the highest stamp stored); otherwise colleagues would
    resend everything the original had made. Done once per former id, when the copy is
    first opened.
    """
    former = session.get(Meta, "former_replica_ids")
    if former is None:
        return
    done_row = session.get(Meta, "former_replicas_adopted")
    done = set(done_row.value.split()) if done_row is not None else set()
    pending = [value for value in former.value.split() if value not in done]
    highest = highest_stamp(session) if pending else ""
    if not highest:
        return
    for value in pending:
        replica = uuid.UUID(value).hex
        stamp = f"{highest[:20]}{replica}"
        row = session.get(SyncVector, replica)
        if row is None:
            session.add(SyncVector(replica_id=replica, hlc=stamp))
        elif stamp > row.hlc:
            row.hlc = stamp
    text = " ".join(sorted(done | set(pending)))
    if done_row is None:
        session.add(Meta(key="former_replicas_adopted", value=text))
    else:
        done_row.value = text
