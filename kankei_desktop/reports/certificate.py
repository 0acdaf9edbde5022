"""活動実績証明書 (issue 20): the designated activities (担い手活動) one person attended for one
municipality in one period — the evidence a premium ふるさと住民登録 asks for.

One A4 page per person as municipal certificates are laid out: the date top right, the person
as addressee, the title, the sentence, 記 with the person, the period and the activities (date,
title, place) with their total, 以上, and the issuer block and contact as on the cover letter
(:mod:`.cover`). Dates follow the report settings (和暦 by default). Several certificates are
built one by one and joined, so each keeps its own page numbers.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.platypus import Table, TableStyle

from kankei_desktop.core.errors import NotFoundError
from kankei_desktop.core.furusato.counting import Activity
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Organization, Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name, person_reading
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import format_day, session_place, short_title
from kankei_desktop.reports.cover import applicant_block, contact_block
from kankei_desktop.reports.data import ReportInputError
from kankei_desktop.reports.layout import FRAME_WIDTH, Story
from kankei_desktop.reports.settings import CoverSettings
from kankei_desktop.reports.tables import TableRows


@dataclass(frozen=True)
class CertificateData:
    """What one certificate shows."""

    person_id: uuid.UUID
    name: str
    reading: str
    postal_code: str
    address: str
    residence: str
    municipality: str
    """The municipality's full name (「北海道鷹栖町」)."""
    municipality_code: str
    period_start: date
    period_end: date
    activities: list[Activity]
    issued_on: date


def parse_person_id(text: str) -> uuid.UUID:
    """A person's id as the CLI prints it (32 hex digits) or with dashes."""
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise ReportInputError(_("'{id}' is not a person's id; give the id (32 hexadecimal "
                                 "digits, as 'kankei furusato status --json' prints it).")
                               .format(id=text)) from None


def certificate_data(services: Services, person_id: uuid.UUID, code: str, date_from: date,
                     date_to: date, *, issued_on: date | None = None) -> CertificateData:
    """Gather one certificate (a :class:`ReportInputError` for a person not in the file)."""
    scope = services.furusato.scope(code)
    try:
        person: Person = services.people.get(person_id)
    except NotFoundError:
        raise ReportInputError(_("There is no person with the id {id} in this file.").format(
            id=person_id.hex)) from None
    residence = ""
    if person.residence_id is not None:
        with services.context.reading() as session:
            body = session.get(Organization, person.residence_id)
            residence = body.name if body is not None else ""
    return CertificateData(
        person_id=person.id, name=person_name(person), reading=person_reading(person),
        postal_code=person.postal_code, address=person.address, residence=residence,
        municipality=scope.full_name, municipality_code=scope.code, period_start=date_from,
        period_end=date_to,
        activities=services.furusato.activities(person.id, code, date_from, date_to),
        issued_on=issued_on or date.today())


def certificate_title() -> str:
    """「活動実績証明書」."""
    return _("Certificate of activities")


def render_certificate(data: CertificateData, cover: CoverSettings) -> bytes:
    """One person's 活動実績証明書 (A4)."""
    story = Story()
    styles = story.styles
    style = cover.date_style
    story.text(format_day(data.issued_on, style), styles.right)
    story.space(6)
    story.text(_("To: {name}").format(name=data.name))
    story.space(10)
    story.text(certificate_title(), styles.title)
    story.text(_("We certify that the person below took part in the designated activities "
                 "(担い手活動) of {municipality} as follows.").format(
                     municipality=data.municipality))
    story.space(3)
    story.text(_("Particulars"), styles.center)
    story.space(3)
    period = _("{start} to {end}").format(start=format_day(data.period_start, style),
                                          end=format_day(data.period_end, style))
    name = f"{data.name}（{data.reading}）" if data.reading.strip() else data.name
    where = " ".join(part for part in (f"〒{data.postal_code}" if data.postal_code else "",
                                       data.address) if part) or data.residence or "-"
    items = [(_("Name"), name), (_("Address"), where),
             (_("Municipality"), f"{data.municipality}（{data.municipality_code}）"),
             (_("Period"), period),
             (_("Designated activities attended"), _("{count} (listed below)").format(
                 count=len(data.activities)))]
    rows = [[story.para(f"{index}　{caption}"), story.para(text)]
            for index, (caption, text) in enumerate(items, start=1)]
    story.add(Table(rows, colWidths=[FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7], style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
         ("LEFTPADDING", (0, 0), (0, -1), 0)])))
    story.space(3)
    _activities(story, data, style)
    story.space(2)
    story.text(_("End of particulars"), styles.right)
    story.space(8)
    story.add(applicant_block(story, cover))
    story.space(6)
    story.add(contact_block(story, cover))
    return story.build(title=f"{certificate_title()}　{data.name}",
                       author=cover.organisation or "Kankei Desktop",
                       subject=certificate_title())


def _activities(story: Story, data: CertificateData, style: str) -> None:
    if not data.activities:
        story.text(_("No designated activity was attended in this period."))
        return
    rows = TableRows()
    clubs: dict[str, list[Activity]] = {}  # by club, clubs in the order of their first date
    for activity in data.activities:
        clubs.setdefault(activity.club_name, []).append(activity)
    index = 0
    for club_name, activities in clubs.items():
        rows.group(club_name)
        for activity in activities:
            index += 1
            rows.add([f"{index}", format_day(activity.date, style),
                      short_title(activity.title, club_name),
                      session_place(activity.place, activity.tool, "")])
    rows.total(["", _("Total"), _("{count} times").format(count=len(data.activities)), ""])
    story.table([Column(_("No."), Kind.NUMBER), Column(_("Date held"), Kind.FIT),
                 Column(_("Activity"), weight=3), Column(_("Place"), weight=2)], rows)


def join_pdfs(documents: list[bytes]) -> bytes:
    """One PDF holding ``documents`` in order (each keeps its own page numbers)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for document in documents:
        writer.append(PdfReader(io.BytesIO(document)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def eligible_certificates(services: Services, code: str, date_from: date, date_to: date, *,
                          issued_on: date | None = None) -> list[CertificateData]:
    """The certificates of everyone who qualifies for premium in the period (50音順)."""
    report = services.furusato.status(code, date_from, date_to)
    return [certificate_data(services, row.person_id, code, date_from, date_to,
                             issued_on=issued_on)
            for row in report.people if row.eligible_premium]


def certificate_file_name(data: CertificateData) -> str:
    """「活動実績証明書_鷹栖町_佐藤花子.pdf」 (characters Windows forbids replaced)."""
    raw = f"{certificate_title()}_{data.municipality}_{data.name.replace(' ', '')}.pdf"
    return "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in raw)


def write_per_person(folder: Path, data: list[CertificateData], documents: list[bytes]
                     ) -> list[Path]:
    """One file per certificate in ``folder`` (a second person of the same name gets 「_2」)."""
    written: list[Path] = []
    used: set[str] = set()
    for item, document in zip(data, documents, strict=True):
        name = certificate_file_name(item)
        stem, number = name[:-4], 2
        while name.casefold() in used:
            name = f"{stem}_{number}.pdf"
            number += 1
        used.add(name.casefold())
        target = folder / name
        write_atomically(target, document)
        written.append(target)
    return written
