"""Club activity report: one club over a fiscal year."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from kankei_desktop.core.figures.compute import FigureFilter, Figures
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.models import Interaction
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import InteractionChannel, MembershipRole, label
from kankei_desktop.reports.common import (
    FIGURE_FIELDS,
    FigureValue,
    achievement,
    category_label,
    figure_values,
    format_day,
    format_figure,
    format_label,
    stage_label,
)
from kankei_desktop.reports.data import (
    ClubRow,
    MemberRow,
    SessionRow,
    TargetRow,
    clubs_in_scope,
    members_of,
    sessions_in,
    targets_for,
)
from kankei_desktop.reports.layout import Story
from kankei_desktop.reports.settings import CoverSettings


@dataclass
class ClubData:
    """What the club activity report shows."""

    club: ClubRow
    theme: str
    fiscal_year: int
    figures: Figures
    members: list[MemberRow]
    sessions: list[SessionRow]
    follow_ups: list[tuple[date, str, str, str]]
    targets: list[TargetRow]


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
    return ClubData(
        club=club, theme=services.clubs.get(club_id).theme, fiscal_year=fiscal_year,
        figures=figures, members=members_of(services, club_id),
        sessions=sessions_in(services, start, end, club_id=club_id, held_only=False),
        follow_ups=follow_ups, targets=targets_for(services, fiscal_year, [club]))


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
    if cover.submission_date or cover.organisation:
        story.text(format_day(cover.submitted_on, "wareki"), styles.right)
        if cover.organisation:
            story.text(cover.organisation, styles.right)
    story.text(club_title(data), styles.title)
    start, end = fiscal_year_range(data.fiscal_year)
    overview = [
        [_("Club"), data.club.name],
        [_("Host municipality"), data.club.host or "-"],
        [_("Theme"), data.theme or "-"],
        [_("Stage"), stage_label(data.club.stage)],
        [_("Period of implementation"), _("{start} to {end}").format(start=format_day(start, style),
                                                   end=format_day(end, style))],
        [_("Members"), _("{count} persons").format(count=len(data.members))],
    ]
    story.heading(_("1. Overview"))
    story.table([_("Figure item"), _("Session content")], overview, [0.25, 0.75], keep=True)
    story.heading(_("2. Figures"))
    total = data.figures.total
    rows = [[_(caption), format_figure(total, name)] for name, caption in FIGURE_FIELDS]
    story.table([_("Figure item"), _("Result value")], rows, [0.5, 0.3], numeric=[1], keep=True)
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
        story.table([_("Indicator"), _("Target value"), _("Actual value"), _("Achievement"),
                     _("Remarks")], kpi, [0.34, 0.13, 0.13, 0.13, 0.27], numeric=[1, 2, 3],
                    keep=True)
    story.heading(_("3. Members"))
    if data.members:
        story.table([_("No."), _("Full name"), _("Reading of the name"), _("Affiliation"),
                     _("Category"),
                     _("Role")],
                    [[str(index), row.name, row.reading, row.organisation or "-",
                      category_label(row.category), _role(row.role)]
                     for index, row in enumerate(data.members, start=1)],
                    [0.06, 0.18, 0.2, 0.28, 0.14, 0.14], numeric=[0])
    else:
        story.text(_("The club has no members yet."))
    story.heading(_("4. Sessions"))
    if data.sessions:
        story.table([_("Date held"), _("Session content"), _("Session format"), _("Status"),
                     _("Attendees")],
                    [[format_day(row.date, style), row.title, format_label(row.format),
                      _status(row.status), f"{row.attended:,}" if row.status == "held" else "-"]
                     for row in data.sessions],
                    [0.2, 0.42, 0.12, 0.12, 0.14], numeric=[4])
    else:
        story.text(_("No sessions in this fiscal year."))
    story.heading(_("5. Follow-ups"))
    if data.follow_ups:
        story.table([_("Follow-up date"), _("Channel"), _("Follow-up summary"),
                     _("Persons involved")],
                    [[format_day(day, style), channel, summary, people]
                     for day, channel, summary, people in data.follow_ups],
                    [0.2, 0.14, 0.4, 0.26])
    else:
        story.text(_("No follow-ups were recorded in this fiscal year."))
    return story.build(title=club_title(data), author=cover.organisation or "Kankei Desktop",
                       subject=_("Activity report"))


def _status(value: str) -> str:
    from kankei_desktop.reports.common import status_label

    return status_label(value)
