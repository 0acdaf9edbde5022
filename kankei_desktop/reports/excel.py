"""The report tables as an Excel workbook (openpyxl): one sheet per table.

Town halls paste these into their own forms, so headers are Japanese, dates are real Excel
dates (not text) and numbers are numbers.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import text

from kankei_desktop.core.cell_text import spreadsheet_row
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.japan.text import display_name
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.core.services import Services
from kankei_desktop.core.vocabulary import AttendanceStatus, MeetingStatus
from kankei_desktop.reports.common import (
    ATTENDANCE_FIELDS,
    FIGURE_FIELDS,
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
    """People with attended rows on held sessions in the year (scope as the figures)."""
    start, end = fiscal_year_range(data.fiscal_year)
    params = {"date_from": start.isoformat(), "date_to": end.isoformat(),
              "held": MeetingStatus.HELD.value, "attended": AttendanceStatus.ATTENDED.value,
              "host": data.municipality_id.hex if data.municipality_id else None}
    with services.context.reading() as session:
        rows = session.execute(_PARTICIPANTS, params).all()
    result = [ParticipantRow(display_name(family, given), display_name(family_r, given_r),
                             organisation or "", category, times, date.fromisoformat(first),
                             date.fromisoformat(last))
              for (family, given, family_r, given_r, category, organisation, times, first, last,
                   _sort) in rows]
    return result


#: Written join order (``CROSS JOIN``): the year's held sessions first, then their rows.
_PARTICIPANTS = text("""
    SELECT p.family_name, p.given_name, p.family_reading, p.given_reading, p.category,
           o.name, t.times, t.first, t.last, p.sort_key
    FROM (SELECT a.person_id AS person, count(*) AS times, min(m.date) AS first,
                 max(m.date) AS last
          FROM meeting m
          CROSS JOIN club c ON c.id = m.club_id
          CROSS JOIN attendance a ON a.meeting_id = m.id
          WHERE m.date BETWEEN :date_from AND :date_to AND m.status = :held
            AND m.deleted_at IS NULL AND c.deleted_at IS NULL
            AND (:host IS NULL OR c.host_municipality_id = :host)
            AND a.status = :attended AND a.deleted_at IS NULL
          GROUP BY a.person_id) t
    CROSS JOIN person p ON p.id = t.person
    LEFT JOIN organization o ON o.id = p.organization_id
    WHERE p.deleted_at IS NULL
    ORDER BY p.sort_key, p.id""")


def build_workbook(services: Services, fiscal_year: int,
                   municipality_id: uuid.UUID | None = None) -> bytes:
    """The workbook of ``fiscal_year`` as ``.xlsx`` bytes."""
    data = annual_data(services, fiscal_year, municipality_id)
    book = Workbook()
    _figures_sheet(book.active, data)
    _clubs_sheet(book.create_sheet(), data)
    _months_sheet(book.create_sheet(), data)
    _sessions_sheet(book.create_sheet(), data)
    _participants_sheet(book.create_sheet(), participants(services, data))
    book.properties.title = f"{format_fiscal_year(fiscal_year)} {_('Annual results report')}"
    book.properties.creator = "Kankei Desktop"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """Append a row; text that a spreadsheet would run as a formula is written as text
    (``core.cell_text``: a name like ``=HYPERLINK(…)`` stays a name)."""
    sheet.append(spreadsheet_row(values))


def _last_row(sheet: Worksheet) -> int:
    """The row :meth:`Worksheet.append` wrote last (``max_row`` scans every cell: slow)."""
    return int(sheet._current_row)


def _header(sheet: Worksheet, title: str, headers: list[str], widths: list[int]) -> None:
    sheet.title = title
    _append(sheet, headers)
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
        if name == "online_rate":
            cell.number_format = PERCENT_FORMAT


def _figures_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("Figures"), [_("Figure item"), _("Result value")], [28, 14])
    for name, caption in FIGURE_FIELDS:
        _append(sheet, [_(caption), figure_value(data.figures.total, name)])
        if name == "online_rate":
            sheet.cell(row=_last_row(sheet), column=2).number_format = PERCENT_FORMAT
    _append(sheet, [])
    _append(sheet, [_("Category")] + [_(caption) for _name, caption in ATTENDANCE_FIELDS])
    for column in range(1, 5):
        sheet.cell(row=_last_row(sheet), column=column).font = Font(bold=True)
        sheet.cell(row=_last_row(sheet), column=column).fill = HEADER_FILL
    for category, cell in data.by_category.items():
        _append(sheet, [category_label(category)])
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
        _append(sheet, [club.name, club.host])
        _figure_cells(sheet, cell, FIGURE_FIELDS, 3)


def _months_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("By month"), [_("Month")] + [
        _(caption) for _name, caption in FIGURE_FIELDS], [12] + [13] * 6)
    for (year, month), cell in data.figures.by_month.items():
        _append(sheet, [date(year, month, 1)])
        sheet.cell(row=_last_row(sheet), column=1).number_format = MONTH_FORMAT
        _figure_cells(sheet, cell, FIGURE_FIELDS, 2)


def _sessions_sheet(sheet: Worksheet, data: AnnualData) -> None:
    _header(sheet, _("Sessions"), [
        _("Date held"), _("Start time"), _("End time"), _("Club"), _("Session content"), _("Kind"),
        _("Session format"), _("Attendees"), _("Place / URL")], [12, 8, 8, 30, 36, 14, 10, 10, 30])
    for row in data.sessions:
        _append(sheet, [row.date, row.start_time, row.end_time, row.club_name, row.title,
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
        _append(sheet, [row.name, row.reading, row.organisation, category_label(row.category),
                      row.times, row.first, row.last])
        for column in (6, 7):
            sheet.cell(row=_last_row(sheet), column=column).number_format = DATE_FORMAT
