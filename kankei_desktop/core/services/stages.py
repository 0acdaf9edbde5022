"""段階の記録: a club's moves through the seven stages, each dated, with its output (issue 17).

A club's current stage is its latest live entry — by date, then by the moment the move was
recorded, then by id, fields every replica holds alike — so two coordinators moving the same
club on their own PCs keep both moves, and both PCs agree on the current stage after they
exchange bundles. A club without entries is at ``Club.stage``. Moving back to an earlier
stage is an entry like any other; deleting an entry (a mistake) tombstones it.

``Club.stage`` is set to the current stage whenever a move is recorded here, so older
versions of the application and anything reading the column see the same stage.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline
from kankei_desktop.core.models import Club, StageEntry
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import ClubStage

OUTPUT_LIMIT = 4000

#: The order of a club's entries, latest first.
LATEST_FIRST = (StageEntry.entered_on.desc(), StageEntry.recorded_at.desc(),
                StageEntry.id.desc())


def current_stage(club: Any = Club) -> ColumnElement[str]:
    """SQL for the current stage of ``club`` (an alias of :class:`Club` or the class)."""
    latest = (select(StageEntry.stage)
              .where(StageEntry.club_id == club.id, StageEntry.deleted_at.is_(None))
              .order_by(*LATEST_FIRST).limit(1).correlate(club).scalar_subquery())
    expression: ColumnElement[str] = func.coalesce(latest, club.stage)
    return expression


def stage_of(session: Session, club_id: uuid.UUID) -> str:
    """The current stage of one club."""
    stage = session.scalar(select(current_stage()).where(Club.id == club_id))
    return stage or ClubStage.VISUALISE.value


@dataclass(frozen=True)
class StageMove:
    """A move to record: the stage, the day and what the stage produced."""

    stage: str
    entered_on: date | None
    output: str = ""


class StageService:
    """Use cases for a club's stage history."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._writes = context.writes

    def history(self, club_id: uuid.UUID) -> list[StageEntry]:
        """The club's live entries, oldest first (the timeline)."""
        with self._ctx.reading() as session:
            return list(reversed(list(session.scalars(
                select(StageEntry).where(StageEntry.club_id == club_id, live(StageEntry))
                .order_by(*LATEST_FIRST)))))

    def current(self, club_id: uuid.UUID) -> str:
        """The club's current stage."""
        with self._ctx.reading() as session:
            return stage_of(session, club_id)

    def move(self, club_id: uuid.UUID, move: StageMove) -> StageEntry:
        """Record that the club moved to a stage (forwards or back) on a day."""
        values = _clean(move)
        with self._ctx.transaction() as session:
            return self.move_in(session, club_id, values)

    def move_in(self, session: Session, club_id: uuid.UUID, values: dict[str, object]
                ) -> StageEntry:
        """:meth:`move` inside the caller's transaction (``values`` already checked)."""
        get_row(session, Club, club_id)
        row = self._writes.add(session, StageEntry(
            id=uuid.uuid4(), club_id=club_id, recorded_at=self._ctx.now(), **values))
        session.flush()
        self._keep_club_stage(session, club_id)
        return row

    def update(self, entry_id: uuid.UUID, move: StageMove) -> StageEntry:
        """Correct an entry's stage, day or output."""
        values = _clean(move)
        with self._ctx.transaction() as session:
            row = get_row(session, StageEntry, entry_id)
            self._writes.change(row, values)
            session.flush()
            self._keep_club_stage(session, row.club_id)
            return row

    def delete(self, entry_id: uuid.UUID) -> None:
        """Take a wrong entry out of the history (kept as a tombstone)."""
        with self._ctx.transaction() as session:
            row = get_row(session, StageEntry, entry_id)
            self._writes.tombstone(row)
            session.flush()
            self._keep_club_stage(session, row.club_id)

    def _keep_club_stage(self, session: Session, club_id: uuid.UUID) -> None:
        club = session.get(Club, club_id)
        if club is None:
            return
        latest = session.scalar(
            select(StageEntry.stage).where(StageEntry.club_id == club_id, live(StageEntry))
            .order_by(*LATEST_FIRST).limit(1))
        if latest is not None:
            self._writes.change(club, {"stage": latest})


def check_move(move: StageMove) -> dict[str, object]:
    """A move's column values, validated (raise :class:`ValidationError`)."""
    return _clean(move)


def _clean(move: StageMove) -> dict[str, object]:
    check = Checker()
    check.choice("stage", move.stage, ClubStage, _("Stage"))
    check.required("entered_on", move.entered_on, _("Date"))
    output = normalize_multiline(move.output)
    check.max_length("output", output, OUTPUT_LIMIT, _("Output"))
    check.raise_if_any()
    return {"stage": move.stage, "entered_on": move.entered_on, "output": output}
