"""Build every document for the open file (the packaged application's ``--self-test``)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from kankei_desktop.core.japan.fiscal import current_fiscal_year, fiscal_year_of
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import MeetingStatus
from kankei_desktop.reports.attendance import SheetKind
from kankei_desktop.reports.documents import (
    IncompleteCoverError,
    ReportKind,
    ReportRequest,
    build_report,
)
from kankei_desktop.reports.excel import build_workbook


def build_every_document(services: Services, folder: Path) -> list[Path]:
    """Write each kind of PDF and the workbook to ``folder``; return the files written.

    Picks the latest held session (its fiscal year, club and month) so that the documents
    have content; an empty file still yields every document (with empty tables). An annual
    report whose cover is not filled in yet is built as a draft; both kinds of 出席簿 are
    built.
    """
    folder.mkdir(parents=True, exist_ok=True)
    held = services.meetings.find(status=MeetingStatus.HELD.value, limit=1, newest_first=True)
    any_meeting = held or services.meetings.find(limit=1, newest_first=True)
    day = any_meeting[0].date if any_meeting else date.today()
    year = fiscal_year_of(day) if any_meeting else current_fiscal_year()
    requests = [ReportRequest(ReportKind.ANNUAL.value, fiscal_year=year)]
    if any_meeting:
        meeting = any_meeting[0]
        requests.append(ReportRequest(ReportKind.CLUB.value, fiscal_year=year,
                                      club_id=meeting.club_id.hex))
        for sheet in SheetKind:
            requests.append(ReportRequest(ReportKind.ATTENDANCE.value,
                                          meeting_id=meeting.id.hex, sheet=sheet.value))
        requests.append(ReportRequest(ReportKind.SURVEY_FORM.value, meeting_id=meeting.id.hex))
    requests.append(ReportRequest(ReportKind.MONTH.value, month=f"{day.year}-{day.month:02d}"))
    written = []
    for request in requests:
        try:
            built = build_report(services, request)
        except IncompleteCoverError:
            built = build_report(services, request, draft=True)
        path = folder / f"{request.kind}{'-' + request.sheet if request.sheet else ''}.pdf"
        path.write_bytes(built.pdf)
        written.append(path)
    if any_meeting:
        written += _certificate(services, folder, any_meeting[0].id, year)
    workbook = folder / f"tables-{year}.xlsx"
    workbook.write_bytes(build_workbook(services, year))
    written.append(workbook)
    return written


def _certificate(services: Services, folder: Path, meeting_id: uuid.UUID, year: int
                 ) -> list[Path]:
    """The 活動実績証明書 (issue 20) of the session's first listed person for its host."""
    from kankei_desktop.core.japan.fiscal import fiscal_year_range
    from kankei_desktop.reports.certificate import certificate_data, render_certificate
    from kankei_desktop.reports.settings import load_cover

    meeting = services.meetings.get(meeting_id)
    host = services.clubs.get(meeting.club_id).host_municipality_id
    codes = services.organizations.municipality_codes({host} if host else set())
    people = services.attendance.of_meeting(meeting_id)
    if host is None or host not in codes or not people:
        return []
    data = certificate_data(services, people[0][1].id, codes[host][1],
                            *fiscal_year_range(year))
    path = folder / "activity-certificate.pdf"
    path.write_bytes(render_certificate(data, load_cover(services)))
    return [path]
