"""The actual value of a KPI for its 年度 and scope (issue 17), from the same figures as the
dashboard, the reports and ``kankei stats``.

- 開催回数・延べ・実人数・新規: the year's figures of the club (or the whole programme);
- sessions of a kind: held sessions of that kind that count (:mod:`.rule`);
- organisations attending: distinct organisations of the people counted in 延べ人数;
- matchings made: マッチング成立件数 (:mod:`.matchings`), of one kind when the KPI names one;
- a survey score: asked of the providers in :data:`SURVEY_SCORES` (the surveys register
  :func:`kankei_desktop.core.surveys.kpi.kpi_survey_score` there): the mean answer to the
  scale question the KPI names; ``None`` (shown as 「—」) while it has no answers;
- a value typed in: the typed actual.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import (
    FigureFilter,
    Figures,
    FigureSet,
    fiscal_year_figures,
)
from kankei_desktop.core.figures.drilldown import counted_conditions
from kankei_desktop.core.figures.matchings import matching_figures
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.models import Attendance, Club, Kpi, Meeting, Person
from kankei_desktop.core.vocabulary import KpiMeasure

#: ``provider(session, kpi)`` → the score, or None when it has none for this KPI. The surveys
#: feature appends its provider; the first answer that is not None is used.
SURVEY_SCORES: list[Callable[[Session, Kpi], Decimal | None]] = []

#: Measures read straight from a :class:`FigureSet`.
_FIGURE_MEASURES = {
    KpiMeasure.MEETINGS_HELD.value: "meetings_held",
    KpiMeasure.PERSON_TIMES.value: "person_times",
    KpiMeasure.UNIQUE_PERSONS.value: "unique_persons",
    KpiMeasure.FIRST_TIME_PERSONS.value: "first_time_persons",
}


def decimal_of(text: str) -> Decimal | None:
    """A stored decimal text as a number (empty or unreadable → None)."""
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class ActualReader:
    """Computes actuals, reading each scope's year figures once."""

    def __init__(self, session: Session, year_figures: Figures | None = None) -> None:
        """``year_figures``: the whole programme's figures of a 年度 already computed (no
        filter): their total and per-club cells are each scope's figures, read once."""
        self._session = session
        self._figures: dict[tuple[int, uuid.UUID | None], FigureSet] = {}
        self._seeded: int | None = None
        if year_figures is not None and year_figures.fiscal_year is not None:
            year = year_figures.fiscal_year
            self._seeded = year
            self._figures[(year, None)] = year_figures.total
            for club_id, cell in year_figures.by_club.items():
                self._figures[(year, club_id)] = cell

    def actual(self, kpi: Kpi) -> Decimal | None:
        """The KPI's actual value, or None when there is none (yet)."""
        measure = kpi.measure
        if measure == KpiMeasure.MANUAL.value:
            return decimal_of(kpi.actual)
        if measure == KpiMeasure.SURVEY_SCORE.value:
            for provider in SURVEY_SCORES:
                score = provider(self._session, kpi)
                if score is not None:
                    return score
            return None
        flt = FigureFilter(club_id=kpi.club_id)
        if measure in _FIGURE_MEASURES:
            return Decimal(getattr(self._year(kpi.fiscal_year, kpi.club_id),
                                   _FIGURE_MEASURES[measure]))
        start, end = fiscal_year_range(kpi.fiscal_year)
        if measure == KpiMeasure.SESSIONS_OF_KIND.value:
            query = (select(func.count()).select_from(Meeting)
                     .join(Club, Club.id == Meeting.club_id)
                     .where(rule.meeting_counts(Meeting, Club), Meeting.date >= start,
                            Meeting.date <= end, Meeting.kind == kpi.parameter))
            if kpi.club_id is not None:
                query = query.where(Meeting.club_id == kpi.club_id)
            return Decimal(self._session.scalar(query) or 0)
        if measure == KpiMeasure.ORGANIZATIONS_ATTENDING.value:
            query = (select(func.count(distinct(Person.organization_id))).select_from(Meeting)
                     .join(Club, Club.id == Meeting.club_id)
                     .join(Attendance, Attendance.meeting_id == Meeting.id)
                     .join(Person, Person.id == Attendance.person_id)
                     .where(*counted_conditions(start, end, flt),
                            Person.organization_id.is_not(None)))
            return Decimal(self._session.scalar(query) or 0)
        if measure == KpiMeasure.MATCHINGS_MADE.value:
            figures = matching_figures(self._session, start, end, flt)
            return Decimal(figures.by_kind.get(kpi.parameter, 0) if kpi.parameter
                           else figures.made)
        return None

    def _year(self, fiscal_year: int, club_id: uuid.UUID | None) -> FigureSet:
        key = (fiscal_year, club_id)
        cell = self._figures.get(key)
        if cell is None and fiscal_year == self._seeded:
            return FigureSet()  # a live club that held nothing that year
        if cell is None:
            cell = self._figures[key] = fiscal_year_figures(
                self._session, fiscal_year, FigureFilter(club_id=club_id)).total
        return cell


def achievement_rate(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """達成率 = actual ÷ target (None without both, or with a target of 0)."""
    if actual is None or target is None or target == 0:
        return None
    return actual / target
