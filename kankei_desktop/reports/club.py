"""Club activity report: one club over a fiscal year.

Short sections first (overview, figures, KPI), then the sessions and follow-ups, and the
list of members and participants last: a long list then runs on without leaving half a page
blank. Everyone who attended is listed — a club imported without members shows its
attendees as participants, not 「メンバー 0人」.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from kankei_desktop.core.figures import rule
from kankei_desktop.core.figures.compute import FigureFilter, Figures
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.models import Interaction
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.results import SurveyResults
from kankei_desktop.core.vocabulary import InteractionChannel, MembershipRole, label
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import (
    FIGURE_FIELDS,
    FigureValue,
    achievement,
    category_label,
    figure_values,
    format_day,
    format_figure,
    format_label,
    session_place,
    short_title,
    stage_label,
    status_label,
)
from kankei_desktop.reports.data import (
    ClubRow,
    MemberRow,
    SessionRow,
    TargetRow,
    clubs_in_scope,
    in_name_order,
    members_of,
    people_named,
    sessions_in,
    targets_for,
)
from kankei_desktop.reports.layout import Story
from kankei_desktop.reports.settings import CoverSettings
from kankei_desktop.reports.survey_results import survey_section
from kankei_desktop.reports.tables import TableRows


@dataclass
class ClubData:
    """What the club activity report shows."""

    club: ClubRow
    theme: str
    fiscal_year: int
    figures: Figures
    members: list[MemberRow]
    participants: list[MemberRow]
    """Members and everyone else who attended in the year, in 50音順."""
    times: dict[uuid.UUID, int]
    """Times each person attended a held session of the club in the year."""
    sessions: list[SessionRow]
    follow_ups: list[tuple[date, str, str, str]]
    targets: list[TargetRow]
    surveys: SurveyResults | None = None  # surveys (issue 19)


def club_data(services: Services, club_id: uuid.UUID, fiscal_year: int) -> ClubData:
    """Gather one club's year."""
    club = clubs_in_scope(services, club_id=club_id)[0]
    start, end = fiscal_year_range(fiscal_year)
    figures = services.figures.fiscal_year(fiscal_year, FigureFilter(club_id=club_id))
    follow_ups = []
    rows: list[Interaction] = services.interactions.find(club_id=club_id, date_from=start,
                                                         date_to=end)
    for row in sorted(rows, key=lambda item: item.date):
        people = services.people.names(set(services.interactions.people_of(row.id)))
        follow_ups.append((row.date, _channel(row.channel), row.summary or row.note,
                           "、".join(sorted(people.values()))))
    members = members_of(services, club_id)
    times = services.figures.held_attendance(start, end, FigureFilter(club_id=club_id)).per_person
    guests = people_named(services, set(times) - {row.person_id for row in members})
    return ClubData(
        club=club, theme=services.clubs.get(club_id).theme, fiscal_year=fiscal_year,
        figures=figures, members=members,
        participants=in_name_order(members + list(guests.values())), times=times,
        sessions=sessions_in(services, start, end, club_id=club_id, held_only=False),
        follow_ups=follow_ups, targets=targets_for(services, fiscal_year, [club]),
        surveys=services.surveys.period_results(start, end, FigureFilter(club_id=club_id)))


def _channel(value: str) -> str:
    try:
        return label(InteractionChannel(value))
    except ValueError:
        return value


def _role(value: str) -> str:
    try:
        return label(MembershipRole(value))
    except ValueError:
        return value


def club_title(data: ClubData) -> str:
    """「令和3年度　〇〇クラブ　活動報告書」."""
    return "　".join([format_fiscal_year(data.fiscal_year), data.club.name,
                     _("Activity report")])


def club_snapshot(data: ClubData) -> list[FigureValue]:
    """The figures the club report shows."""
    return figure_values(f"club.{data.club.id}", data.club.name, data.figures.total)


def render_club(data: ClubData, cover: CoverSettings) -> bytes:
    """The club activity report PDF."""
    story = Story()
    styles = story.styles
    style = cover.date_style
    if cover.submission_day is not None or cover.organisation:
        if cover.submission_day is not None:
            story.text(format_day(cover.submission_day, "wareki"), styles.right)
        if cover.organisation:
            story.text(cover.organisation, styles.right)
    story.text(club_title(data), styles.title)
    start, end = fiscal_year_range(data.fiscal_year)
    attendees = sum(1 for row in data.participants if data.times.get(row.person_id))
    others = len(data.participants) - len(data.members)
    overview = [
        [_("Club"), data.club.name],
        [_("Host municipality"), data.club.host or "-"],
        [_("Theme"), data.theme or "-"],
        [_("Stage"), stage_label(data.club.stage)],
        [_("Period of implementation"), _("{start} to {end}").format(
            start=format_day(start, style), end=format_day(end, style))],
        [_("Members"), _("{count} persons").format(count=f"{len(data.members):,}")],
        [_("Participants who attended"), _("{count} persons (of whom not members: {others})")
         .format(count=f"{attendees:,}", others=f"{others:,}")],
    ]
    story.heading(_("1. Overview"))
    story.table([Column(_("Figure item"), Kind.FIT), Column(_("Contents"))], overview,
                keep=True)
    story.heading(_("2. Figures"))
    total = data.figures.total
    rows = [[_(caption), format_figure(total, name)] for name, caption in FIGURE_FIELDS]
    story.table([Column(_("Figure item")), Column(_("Result value"), Kind.NUMBER)], rows,
                width=0.6, keep=True)
    _kpi(story, data)
    story.heading(_("3. Sessions"))
    _sessions(story, data, style)
    story.heading(_("4. Follow-ups"))
    if data.follow_ups:
        story.table([Column(_("Follow-up date"), Kind.FIT), Column(_("Channel"), Kind.FIT),
                     Column(_("Follow-up summary"), weight=2), Column(_("Persons involved"))],
                    [[format_day(day, style), channel, summary, people]
                     for day, channel, summary, people in data.follow_ups])
    else:
        story.text(_("No follow-ups were recorded in this fiscal year."))
    story.heading(_("5. Members and participants"))
    _people(story, data)
    if data.surveys is not None:
        survey_section(story, data.surveys, _("6. Survey results"))
    return story.build(title=club_title(data), author=cover.organisation or "Kankei Desktop",
                       subject=_("Activity report"))


def _kpi(story: Story, data: ClubData) -> None:
    total = data.figures.total
    kpi = []
    for target in data.targets:
        for name, caption, goal in (
                ("meetings_held", _("Sessions held"), target.meetings),
                ("person_times", _("Participants (person-times)"), target.person_times),
                ("unique_persons", _("Participants (unique)"), target.unique_persons)):
            if goal is not None:
                actual = getattr(total, name)
                kpi.append([caption, f"{goal:,}", f"{actual:,}", achievement(actual, goal),
                            target.notes])
    if kpi:
        story.space(3)
        story.table([Column(_("Indicator"), Kind.FIT), Column(_("Target value"), Kind.NUMBER),
                     Column(_("Actual value"), Kind.NUMBER),
                     Column(_("Achievement"), Kind.NUMBER), Column(_("Remarks"))], kpi,
                    keep=True)


def _sessions(story: Story, data: ClubData, style: str) -> None:
    if not data.sessions:
        story.text(_("No sessions in this fiscal year."))
        return
    rows = TableRows()
    for row in data.sessions:
        rows.add([format_day(row.date, style), short_title(row.title, row.club_name),
                  format_label(row.format), session_place(row.place, row.tool, row.url),
                  status_label(row.status),
                  f"{row.attended:,}" if row.status == rule.HELD else "-"])
    held = [row for row in data.sessions if row.status == rule.HELD]
    rows.total([_("Total"), _("{count} sessions held").format(count=f"{len(held):,}"), "",
                "", "", f"{sum(row.attended for row in held):,}"])
    story.table([Column(_("Date held"), Kind.FIT), Column(_("Session content"), weight=3),
                 Column(_("Session format"), Kind.FIT), Column(_("Place"), weight=3),
                 Column(_("Status"), Kind.FIT), Column(_("Attendees"), Kind.NUMBER)], rows)


def _people(story: Story, data: ClubData) -> None:
    if not data.participants:
        story.text(_("The club has no members yet, and nobody attended in this fiscal year."))
        return
    members = {row.person_id: row for row in data.members}
    rows = []
    for index, row in enumerate(data.participants, start=1):
        member = members.get(row.person_id)
        role = _role(member.role) if member is not None else _("Participant")
        rows.append([f"{index}", row.name, row.reading, row.organisation or "-",
                     category_label(row.category), role,
                     f"{data.times.get(row.person_id, 0):,}"])
    story.table([Column(_("No."), Kind.NUMBER), Column(_("Full name"), Kind.FIT),
                 Column(_("Reading of the name"), Kind.FIT), Column(_("Affiliation")),
                 Column(_("Category"), Kind.FIT), Column(_("Role"), Kind.FIT),
                 Column(_("Times\nattended"), Kind.NUMBER)], rows)
