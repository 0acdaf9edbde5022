"""The report tables as an Excel workbook (openpyxl): one sheet per table.

Town halls paste these into their own forms, so headers are Japanese, dates are real Excel
dates (not text) and numbers are numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from kankei_desktop.core.figures.drilldown import attendee_summaries
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.models import Organization, Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.areas import Area
from kankei_desktop.reports.common import (
    ATTENDANCE_FIELDS,
    FIGURE_FIELDS,
    PERIOD_FIELDS,
    RATE_FIELDS,
    category_label,
    figure_value,
    format_label,
    kind_label,
)
from kankei_desktop.reports.data import AnnualData, annual_data

DATE_FORMAT = "yyyy/mm/dd"
MONTH_FORMAT = "yyyy/mm"
PERCENT_FORMAT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="E8ECF0")


@dataclass(frozen=True)
class ParticipantRow:
    """One person who attended in the year."""

    name: str
    reading: str
    organisation: str
    category: str
    times: int
    first: date
    last: date


def participants(services: Services, data: AnnualData) -> list[ParticipantRow]:
    """People who count in the period's figures (same rule and scope), in 50音順."""
    with services.context.reading() as session:
        summaries = {row.person_id: row for row in attendee_summaries(
            session, data.period.start, data.period.end, data.figure_filter)}
        people = session.execute(
            select(Person, Organization.name)
            .outerjoin(Organization, Organization.id == Person.organization_id)
            .where(Person.id.in_(summaries))
            .order_by(Person.sort_key, Person.id)).all() if summaries else []
    return [ParticipantRow(display_name(person.family_name, person.given_name),
                           display_name(person.family_reading, person.given_reading),
                           organisation or "", person.category, summaries[person.id].times,
                           summaries[person.id].first, summaries[person.id].last)
            for person, organisation in people]


def build_workbook(services: Services, period: Period | int, area: Area | None = None
                   ) -> bytes:
    """The workbook of ``period`` (a 年度, several, or any days) as ``.xlsx`` bytes, for the
    whole programme or one municipality or prefecture."""
    data = annual_data(services, period, area)
    book = Workbook()
    _figures_sheet(book.active, data)
    _clubs_sheet(book.create_sheet(), data)
    _months_sheet(book.create_sheet(), data)
    _sessions_sheet(book.create_sheet(), data)
    _participants_sheet(book.create_sheet(), participants(services, data))
    _kinds_sheet(book.create_sheet(), data)
    _organisations_sheet(book.create_sheet(), data)
    if data.several_years:
        _years_sheet(book.create_sheet(), data)
    book.properties.title = f"{data.period.label()} {_('Annual results report')}"
    book.properties.creator = "Kankei Desktop"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _last_row(sheet: Worksheet) -> int:
    """The row :meth:`Worksheet.append` wrote last (``max_row`` scans every cell: slow)."""
    return int(sheet._current_row)


def _header(sheet: Worksheet, title: str, headers: list[str], widths: list[int]) -> None:
    sheet.title = title
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=_last_row(sheet), column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = f"A{_last_row(sheet) + 1}"


def _figure_cells(sheet: Worksheet, figures: object, names: tuple[tuple[str, str], ...],
                  first_column: int) -> None:
    row = _last_row(sheet)
    for offset, (name, _caption) in enumerate(names):
        cell = sheet.cell(row=row, column=first_column + offset,
                          value=figure_value(figures, name))  # type: ignore[arg-type]
        if name in RATE_FIELDS:
            cell.number_format = PERCENT_FORMAT


def _figures_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("Figures"), [_("Figure item"), _("Result value")], [28, 14])
    for name, caption in FIGURE_FIELDS + PERIOD_FIELDS:
        sheet.append([_(caption), figure_value(data.figures.total, name)])
        if name in RATE_FIELDS:
            sheet.cell(row=_last_row(sheet), column=2).number_format = PERCENT_FORMAT
    sheet.append([])
    sheet.append([_("Category")] + [_(caption) for _name, caption in ATTENDANCE_FIELDS])
    for column in range(1, 5):
        sheet.cell(row=_last_row(sheet), column=column).font = Font(bold=True)
        sheet.cell(row=_last_row(sheet), column=column).fill = HEADER_FILL
    for category, cell in data.by_category.items():
        sheet.append([category_label(category)])
        _figure_cells(sheet, cell, ATTENDANCE_FIELDS, 2)
    for column in (3, 4):
        sheet.column_dimensions[get_column_letter(column)].width = 14


def _clubs_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("By club"), [_("Club"), _("Host municipality")] + [
        _(caption) for _name, caption in FIGURE_FIELDS], [36, 18] + [13] * 6)
    for club in data.clubs:
        cell = data.figures.by_club.get(club.id)
        if cell is None:
            continue
        sheet.append([club.name, club.host])
        _figure_cells(sheet, cell, FIGURE_FIELDS, 3)


def _months_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("By month"), [_("Month")] + [
        _(caption) for _name, caption in FIGURE_FIELDS], [12] + [13] * 6)
    for (year, month), cell in data.figures.by_month.items():
        sheet.append([date(year, month, 1)])
        sheet.cell(row=_last_row(sheet), column=1).number_format = MONTH_FORMAT
        _figure_cells(sheet, cell, FIGURE_FIELDS, 2)


def _sessions_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("Sessions"), [
        _("Date held"), _("Start time"), _("End time"), _("Club"), _("Session content"), _("Kind"),
        _("Session format"), _("Attendees"), _("Place / URL")], [12, 8, 8, 30, 36, 14, 10, 10, 30])
    for row in data.sessions:
        sheet.append([row.date, row.start_time, row.end_time, row.club_name, row.title,
                      kind_label(row.kind), format_label(row.format), row.attended,
                      row.place or row.url])
        sheet.cell(row=_last_row(sheet), column=1).number_format = DATE_FORMAT
        for column in (2, 3):
            sheet.cell(row=_last_row(sheet), column=column).number_format = "hh:mm"


def _participants_sheet(sheet: Worksheet, rows: list[ParticipantRow]) -> None:
    _header(sheet, _("Participants list"), [
        _("Full name"), _("Reading of the name"), _("Affiliation"), _("Category"),
        _("Times attended"), _("First attended"), _("Last attended")],
        [16, 20, 30, 12, 10, 12, 12])
    for row in rows:
        sheet.append([row.name, row.reading, row.organisation, category_label(row.category),
                      row.times, row.first, row.last])
        for column in (6, 7):
            sheet.cell(row=_last_row(sheet), column=column).number_format = DATE_FORMAT


def _kinds_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("By kind"), [_("Kind"), _("Sessions held"),
                                  _("Participants (person-times)")], [20, 13, 13])
    for kind, cell in data.figures.by_kind.items():
        sheet.append([kind_label(kind), cell.meetings_held, cell.person_times])


def _organisations_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("Organisations that took part"), [
        _("Organisation name"), _("Participants (unique)"), _("Participants (person-times)")],
        [36, 13, 13])
    for name, cell in data.organisations():
        sheet.append([name, cell.unique_persons, cell.person_times])


def _years_sheet(sheet: Worksheet, data: AnnualData) -> None:
    fields = FIGURE_FIELDS + PERIOD_FIELDS
    _header(sheet, _("By fiscal year"), [_("Fiscal year")] + [
        _(caption) for _name, caption in fields], [14] + [13] * len(fields))
    for year, cell in data.figures.by_fiscal_year.items():
        sheet.append([format_fiscal_year(year)])
        _figure_cells(sheet, cell, fields, 2)
    sheet.append([_("Whole period")])
    _figure_cells(sheet, data.figures.total, fields, 2)
