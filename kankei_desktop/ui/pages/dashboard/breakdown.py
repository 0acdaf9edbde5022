"""The sessions and people behind a figure, by the same definitions as core.figures.

Used by the drill-down dialog. Reads through the services only and makes plain rows, so
all of it runs in a worker thread: the dialog only shows what :func:`drilldown_tables`
made (a year of a large programme is 4,000 sessions and 23,000 people).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import FigureFilter, Figures
from kankei_desktop.core.figures.drilldown import Attendee
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.vocabulary import (
    MeetingFormat,
    PersonCategory,
    label,
)

Cell = str | int


@dataclass
class Breakdown:
    """Held sessions in a period, and per person how often they attended."""

    meetings: list[CalendarEntry] = field(default_factory=list)
    attendance: dict[uuid.UUID, int] = field(default_factory=dict)
    people: dict[uuid.UUID, Attendee] = field(default_factory=dict)
    meeting_people: dict[uuid.UUID, int] = field(default_factory=dict)
    first_time: set[uuid.UUID] = field(default_factory=set)

    @property
    def online_meetings(self) -> list[CalendarEntry]:
        """Held sessions that were online or hybrid."""
        return [m for m in self.meetings if m.format in rule.ONLINE]

    @property
    def person_times(self) -> int:
        """延べ人数."""
        return sum(self.attendance.values())


def breakdown(
    services: Services, date_from: date, date_to: date, category: str | None = None,
    figure_filter: FigureFilter | None = None,
) -> Breakdown:
    """Everything behind the figures of ``date_from`` … ``date_to`` in a scope (five queries
    in all): the same period and scope rules as the figures.

    Safe to run in a worker thread: only service calls, no widgets.
    """
    scope = figure_filter or FigureFilter()
    flt = FigureFilter(club_id=scope.club_id, municipality_id=scope.municipality_id,
                       prefecture=scope.prefecture, category=category)
    result = Breakdown()
    held = services.figures.held_attendance(date_from, date_to, flt)
    result.meetings = [  # the sessions that count, light rows with the club's name
        meeting for meeting in services.calendar.entries(
            date_from, date_to, include_cancelled=False)
        if meeting.id in held.meetings
    ]
    result.meeting_people = dict.fromkeys((m.id for m in result.meetings), 0)
    result.meeting_people.update(held.per_meeting)
    result.attendance = held.per_person
    result.people = held.people
    newcomers = services.figures.first_time_people(date_from, date_to, flt)
    result.first_time = newcomers & result.people.keys()
    return result


def organisation_rows(services: Services, figures: Figures) -> list[list[Cell]]:
    """The organisations that took part (name, people, person-times), most people first."""
    names = services.organizations.names(set(figures.by_organization))
    rows: list[list[Cell]] = [
        [names.get(key, ""), cell.unique_persons, cell.person_times]
        for key, cell in figures.by_organization.items()]
    rows.sort(key=lambda row: (-int(row[1]), -int(row[2]), str(row[0])))
    return rows


@dataclass
class DrilldownTables:
    """The rows of the drill-down dialog's tables (with the people's sort keys); the
    organisations' only for the 参加団体数 card."""

    meeting_rows: list[list[Cell]]
    people_rows: list[list[Cell]]
    people_keys: list[list[Cell]]
    organisation_rows: list[list[Cell]] | None = None


def drilldown_tables(data: Breakdown, *, online_only: bool = False,
                     first_time_only: bool = False) -> DrilldownTables:
    """Rows for the sessions (all held, or only the online ones) and the people (all, or
    only the 新規 ones), people in 50音順. Readings sort by their 50音 key."""
    shown = data.online_meetings if online_only else data.meetings
    formats = {value.value: label(value) for value in MeetingFormat}
    meeting_rows: list[list[Cell]] = [
        [m.date.isoformat(), m.club_name, m.title, formats.get(m.format, m.format),
         data.meeting_people.get(m.id, 0)]
        for m in shown
    ]
    people = [
        person for person_id, person in data.people.items()
        if not first_time_only or person_id in data.first_time
    ]
    people.sort(key=lambda p: (p.sort_key, p.person_id))
    categories = {value.value: label(value) for value in PersonCategory}
    yes = _("Yes")
    people_rows: list[list[Cell]] = []
    people_keys: list[list[Cell]] = []
    for p in people:
        times = data.attendance.get(p.person_id, 0)
        first = yes if p.person_id in data.first_time else ""
        category = categories.get(p.category, p.category)
        people_rows.append([display_name(p.family_name, p.given_name),
                            display_name(p.family_reading, p.given_reading), category, times,
                            first])
        people_keys.append([p.sort_key, p.sort_key, category, times, first])
    return DrilldownTables(meeting_rows, people_rows, people_keys)
