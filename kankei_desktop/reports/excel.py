"""The report tables as an Excel workbook (openpyxl): one sheet per table.

Town halls paste these into their own forms and print them, so every sheet says what it is
(title, fiscal year, scope and period in its first rows), headers are Japanese, dates are
real Excel dates, numbers are numbers shown with 3-digit grouping, the tables end with the
same 合計 rows as the PDF, and each sheet prints on A4 fitted to the page width with its
header row repeated; the header carries an autofilter. Column widths count full-width
characters as two.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from kankei_desktop.core.cell_text import spreadsheet_row
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
    session_place,
)
from kankei_desktop.reports.cover import annual_title, period_text
from kankei_desktop.reports.data import AnnualData, annual_data
from kankei_desktop.reports.settings import load_cover

DATE_FORMAT = "yyyy/mm/dd"
MONTH_FORMAT = "yyyy/mm"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="E8ECF0")
TOTAL_FILL = PatternFill("solid", fgColor="F4F4F4")
_THIN = Side(style="thin", color="999999")
TOTAL_BORDER = Border(top=_THIN)
#: The rows above each table: title, scope and period, a blank row; the header is row 4.
HEADER_ROW = 4
#: Widest column (in Excel's character units); longer text wraps in its cell.
MAX_WIDTH = 60


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
    title = annual_title(data, load_cover(services))
    book = Workbook()
    _figures_sheet(_Sheet(book.active, data, title, _("Figures")), data)
    _clubs_sheet(_Sheet(book.create_sheet(), data, title, _("By club")), data)
    _months_sheet(_Sheet(book.create_sheet(), data, title, _("By month")), data)
    _sessions_sheet(_Sheet(book.create_sheet(), data, title, _("Sessions"), landscape=True),
                    data)
    _participants_sheet(_Sheet(book.create_sheet(), data, title, _("Participants list")),
                        participants(services, data))
    _kinds_sheet(_Sheet(book.create_sheet(), data, title, _("By kind")), data)
    _organisations_sheet(_Sheet(book.create_sheet(), data, title,
                                _("Organisations that took part")), data)
    if data.several_years:
        _years_sheet(_Sheet(book.create_sheet(), data, title, _("By fiscal year")), data)
    from kankei_desktop.reports.survey_excel import add_survey_sheets  # surveys (issue 19)

    add_survey_sheets(book, services, data, title)
    book.properties.title = title
    book.properties.creator = "Kankei Desktop"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def display_width(value: object) -> int:
    """How many Excel character units ``value`` needs: full-width characters count two."""
    if value is None:
        return 0
    if isinstance(value, (int, float)):
        value = f"{value:,}"
    elif isinstance(value, date):
        value = "0000/00/00"
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)
                for line in str(value).split("\n")), default=0)


class _Sheet:
    """One table on a worksheet: title rows, header, rows, totals, then print settings."""

    def __init__(self, sheet: Worksheet, data: AnnualData, report: str, title: str, *,
                 landscape: bool = False) -> None:
        self.sheet = sheet
        self.data = data
        self.landscape = landscape
        sheet.title = title
        scope = data.municipality_name or _("All clubs")
        sheet.append(spreadsheet_row([f"{report}（{title}）"]))
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        sheet.append([_("{scope}　{period}").format(scope=scope,
                                                   period=period_text(data, "wareki"))])
        sheet.append([])
        self.widths: list[int] = []
        self.columns = 0
        self.first_total: int | None = None
        self.filter = True

    def header(self, headers: Sequence[str], minimum: Sequence[int] = ()) -> None:
        self.sheet.append(list(headers))
        self.columns = len(headers)
        self.widths = [max(display_width(text), minimum[index] if index < len(minimum) else 0)
                       for index, text in enumerate(headers)]
        for index in range(1, self.columns + 1):
            cell = self.sheet.cell(row=HEADER_ROW, column=index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.sheet.freeze_panes = f"A{HEADER_ROW + 1}"

    def subheader(self, headers: Sequence[str]) -> None:
        """A second header further down (a second table on the same sheet)."""
        self.sheet.append(list(headers))
        number = _last_row(self.sheet)
        self.columns = max(self.columns, len(headers))
        self.widths += [0] * (len(headers) - len(self.widths))
        for index, caption in enumerate(headers, start=1):
            cell = self.sheet.cell(row=number, column=index)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.widths[index - 1] = max(self.widths[index - 1], display_width(caption))

    def row(self, values: Sequence[Any], formats: dict[int, str] | None = None) -> int:
        """Append a row; counts get 3-digit grouping, ``formats`` (column → format) the rest.
        Returns the row's number."""
        self.sheet.append(spreadsheet_row(values))  # formula-like text stays text
        number = _last_row(self.sheet)
        for index, value in enumerate(values, start=1):
            cell = self.sheet.cell(row=number, column=index)
            fmt = (formats or {}).get(index)
            if fmt:
                cell.number_format = fmt
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = COUNT_FORMAT
            if index <= len(self.widths):
                self.widths[index - 1] = max(self.widths[index - 1], display_width(value))
        return number

    def total(self, values: Sequence[Any], formats: dict[int, str] | None = None) -> None:
        """A 合計 row (bold, shaded, outside the autofilter's range)."""
        number = self.row(values, formats)
        if self.first_total is None:
            self.first_total = number
        for index in range(1, self.columns + 1):
            cell = self.sheet.cell(row=number, column=index)
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
            cell.border = TOTAL_BORDER

    def finish(self) -> None:
        """Column widths, the autofilter over the data rows, and the print settings."""
        sheet = self.sheet
        for index, width in enumerate(self.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
            if width + 2 > MAX_WIDTH:
                for row in sheet.iter_rows(min_row=HEADER_ROW + 1, min_col=index,
                                           max_col=index):
                    row[0].alignment = Alignment(wrap_text=True, vertical="top")
        last_data = (self.first_total - 1) if self.first_total else _last_row(sheet)
        if self.columns and self.filter:
            sheet.auto_filter.ref = (f"A{HEADER_ROW}:{get_column_letter(self.columns)}"
                                     f"{max(last_data, HEADER_ROW)}")
        sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = "landscape" if self.landscape else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.oddFooter.center.text = "&P / &N"


def _last_row(sheet: Worksheet) -> int:
    """The row :meth:`Worksheet.append` wrote last (``max_row`` scans every cell: slow)."""
    return int(sheet._current_row)


def _figure_row(names: tuple[tuple[str, str], ...], figures: object) -> tuple[list[Any],
                                                                           dict[int, str]]:
    values = [figure_value(figures, name) for name, _caption in names]  # type: ignore[arg-type]
    formats = {offset: PERCENT_FORMAT for offset, (name, _c) in enumerate(names)
               if name in RATE_FIELDS}
    return values, formats


def _shifted(formats: dict[int, str], by: int) -> dict[int, str]:
    return {index + by + 1: fmt for index, fmt in formats.items()}


def _figures_sheet(table: _Sheet, data: AnnualData) -> None:
    """The period's figures, then the same attendance figures per participant category."""
    table.header([_("Figure item"), _("Result value")], [24, 12])
    for name, caption in FIGURE_FIELDS + PERIOD_FIELDS:
        table.row([_(caption), figure_value(data.figures.total, name)],
                  {2: PERCENT_FORMAT} if name in RATE_FIELDS else None)
    table.filter = False  # a summary of a few rows: nothing to filter
    table.sheet.append([])
    table.subheader([_("Category")] + [_(caption) for _name, caption in ATTENDANCE_FIELDS])
    for category, cell in data.by_category.items():
        values, _formats = _figure_row(ATTENDANCE_FIELDS, cell)
        table.row([category_label(category), *values])
    values, _formats = _figure_row(ATTENDANCE_FIELDS, data.figures.total)
    table.total([_("Total"), *values])
    table.finish()


def _clubs_sheet(table: _Sheet, data: AnnualData) -> None:
    table.header([_("Club"), _("Host municipality")] + [
        _(caption) for _name, caption in FIGURE_FIELDS], [20, 12] + [10] * 6)
    for club in data.clubs:
        cell = data.figures.by_club.get(club.id)
        if cell is None:
            continue
        values, formats = _figure_row(FIGURE_FIELDS, cell)
        table.row([club.name, club.host, *values], _shifted(formats, 2))
    values, formats = _figure_row(FIGURE_FIELDS, data.figures.total)
    table.total([_("Total"), "", *values], _shifted(formats, 2))
    table.finish()


def _months_sheet(table: _Sheet, data: AnnualData) -> None:
    table.header([_("Month")] + [_(caption) for _name, caption in FIGURE_FIELDS],
                 [10] + [10] * 6)
    for (year, month), cell in data.figures.by_month.items():
        values, formats = _figure_row(FIGURE_FIELDS, cell)
        table.row([date(year, month, 1), *values], {1: MONTH_FORMAT, **_shifted(formats, 1)})
    values, formats = _figure_row(FIGURE_FIELDS, data.figures.total)
    table.total([_("Total"), *values], _shifted(formats, 1))
    table.finish()


def _sessions_sheet(table: _Sheet, data: AnnualData) -> None:
    table.header([_("Date held"), _("Start time"), _("End time"), _("Club"),
                  _("Session content"), _("Kind"), _("Session format"), _("Attendees"),
                  _("Place / URL")], [10, 6, 6, 16, 20, 8, 8, 8, 16])
    for row in data.sessions:
        table.row([row.date, row.start_time, row.end_time, row.club_name, row.title,
                   kind_label(row.kind), format_label(row.format), row.attended,
                   session_place(row.place, row.tool, row.url, with_url=True)],
                  {1: DATE_FORMAT, 2: "hh:mm", 3: "hh:mm"})
    table.total([_("Total"), None, None, _("{count} sessions").format(
        count=f"{len(data.sessions):,}"), None, None, None,
        sum(row.attended for row in data.sessions), None])
    table.finish()


def _participants_sheet(table: _Sheet, rows: list[ParticipantRow]) -> None:
    table.header([_("Full name"), _("Reading of the name"), _("Affiliation"), _("Category"),
                  _("Times attended"), _("First attended"), _("Last attended")],
                 [12, 14, 16, 8, 8, 10, 10])
    for row in rows:
        table.row([row.name, row.reading, row.organisation, category_label(row.category),
                   row.times, row.first, row.last], {6: DATE_FORMAT, 7: DATE_FORMAT})
    table.total([_("Total"), _("{count} persons").format(count=f"{len(rows):,}"), None, None,
                 sum(row.times for row in rows), None, None])
    table.finish()


def _kinds_sheet(table: _Sheet, data: AnnualData) -> None:
    table.header([_("Kind"), _("Sessions held"), _("Participants (person-times)")],
                 [20, 13, 13])
    for kind, cell in data.figures.by_kind.items():
        table.row([kind_label(kind), cell.meetings_held, cell.person_times])
    total = data.figures.total
    table.total([_("Total"), total.meetings_held, total.person_times])
    table.finish()


def _organisations_sheet(table: _Sheet, data: AnnualData) -> None:
    table.header([_("Organisation name"), _("Participants (unique)"),
                  _("Participants (person-times)")], [36, 13, 13])
    organisations = data.organisations()
    for name, cell in organisations:
        table.row([name, cell.unique_persons, cell.person_times])
    table.total([_("{count} organisations").format(count=f"{len(organisations):,}"),
                 sum(cell.unique_persons for _name, cell in organisations),
                 sum(cell.person_times for _name, cell in organisations)])
    table.finish()


def _years_sheet(table: _Sheet, data: AnnualData) -> None:
    """Each 年度, then the whole period (its 実人数 is not the sum of the years)."""
    fields = FIGURE_FIELDS + PERIOD_FIELDS
    table.header([_("Fiscal year")] + [_(caption) for _name, caption in fields],
                 [14] + [13] * len(fields))
    for year, cell in data.figures.by_fiscal_year.items():
        values, formats = _figure_row(fields, cell)
        table.row([format_fiscal_year(year), *values], _shifted(formats, 1))
    values, formats = _figure_row(fields, data.figures.total)
    table.total([_("Whole period"), *values], _shifted(formats, 1))
    table.finish()
