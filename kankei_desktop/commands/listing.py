"""``kankei list``: readable lists of organisations, people, clubs, sessions and matchings."""

from __future__ import annotations

from kankei_desktop.commands.texttable import render_table
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name, person_reading
from kankei_desktop.core.vocabulary import (
    ClubStage,
    MatchingKind,
    MatchingStatus,
    MeetingFormat,
    MeetingStatus,
    OrganizationKind,
    PersonCategory,
    label,
)


def render_list(services: Services, kind: str, search: str = "") -> str:
    """The list of ``kind`` (organizations, people, clubs, meetings) as a table."""
    headers, rows = ROWS[kind](services, search)
    if not rows:
        return _("Nothing found.") if search else _("There are no records yet.")
    footer = ngettext("{count} record", "{count} records", len(rows)).format(count=len(rows))
    return render_table(headers, rows) + "\n" + footer


def _organizations(services: Services, search: str) -> tuple[list[str], list[list[str]]]:
    rows = [
        [row.name, row.reading, label(OrganizationKind(row.kind)), row.lgcode or "",
         row.corporate_number or ""]
        for row in services.organizations.find(search)
    ]
    return [_("Name"), _("Reading"), _("Kind"), _("Local government code"),
            _("Corporate number")], rows


def _people(services: Services, search: str) -> tuple[list[str], list[list[str]]]:
    people = services.people.find(search)
    organizations = services.organizations.names(
        {row.organization_id for row in people if row.organization_id is not None}
    )
    rows = [
        [person_name(row), person_reading(row), label(PersonCategory(row.category)),
         organizations.get(row.organization_id, "") if row.organization_id else "", row.email]
        for row in people
    ]
    return [_("Name"), _("Reading"), _("Category"), _("Affiliation"), _("E-mail")], rows


def _clubs(services: Services, search: str) -> tuple[list[str], list[list[str]]]:
    clubs = services.clubs.find(search)
    hosts = services.organizations.names(
        {row.host_municipality_id for row in clubs if row.host_municipality_id is not None}
    )
    stages = services.clubs.current_stages({row.id for row in clubs})
    rows = [
        [row.name, row.reading,
         hosts.get(row.host_municipality_id, "") if row.host_municipality_id else "",
         label(ClubStage(stages.get(row.id, row.stage))), row.theme]
        for row in clubs
    ]
    return [_("Club"), _("Reading"), _("Host municipality"), _("Stage"), _("Theme")], rows


def _meetings(services: Services, search: str) -> tuple[list[str], list[list[str]]]:
    meetings = services.meetings.find(search)
    clubs = services.clubs.names({row.club_id for row in meetings})
    rows = []
    for row in meetings:
        times = ""
        if row.start_time is not None:
            times = row.start_time.strftime("%H:%M")
            if row.end_time is not None:
                times += "–" + row.end_time.strftime("%H:%M")
        rows.append([
            row.date.isoformat(), times, clubs.get(row.club_id, ""),
            f"◆{row.title}" if row.designated else row.title,  # ◆ 担い手活動 (issue 20)
            label(MeetingFormat(row.format)), label(MeetingStatus(row.status)), row.id.hex,
        ])
    # The id last: ``kankei report attendance --meeting ID`` takes it.
    return [_("Date"), _("Time"), _("Club"), _("Title"), _("Format"), _("Status"), _("ID")], rows


def _matchings(services: Services, search: str) -> tuple[list[str], list[list[str]]]:
    """Issue 17: the latest 成立日 first."""
    rows = [
        [view.made_on.isoformat() if view.made_on else "", label(MatchingKind(view.kind)),
         view.party, view.host, label(MatchingStatus(view.status)), view.club, view.theme]
        for view in services.matchings.views(services.matchings.find(search))
    ]
    return [_("Date made"), _("Matching kind"), _("Matched"), _("Host"), _("Status"),
            _("Club"), _("Theme")], rows


ROWS = {
    "organizations": _organizations,
    "people": _people,
    "clubs": _clubs,
    "meetings": _meetings,
    "matchings": _matchings,
}
