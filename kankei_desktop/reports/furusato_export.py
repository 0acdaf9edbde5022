"""The ふるさと住民 status list as a workbook or a CSV for the municipality's review (issue 20).

No postal code or address (the review does not need them). Text that a spreadsheet would
read as a formula is neutralised as everywhere else (``core.cell_text``: a leading ``'``);
in the CSV every cell is quoted besides, and in the workbook every text cell is stored as
text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kankei_desktop.core.cell_text import neutralised, spreadsheet_row
from kankei_desktop.core.furusato.period import year_label
from kankei_desktop.core.furusato.status import StatusReport
from kankei_desktop.core.i18n import _
from kankei_desktop.core.vocabulary import RegistrationStatus, RegistrationTier, label
from kankei_desktop.reports.common import format_day
from kankei_desktop.reports.excel import COUNT_FORMAT, DATE_FORMAT, HEADER_FILL, display_width

MAX_WIDTH = 60


def _tier(code: str | None) -> str:
    return label(RegistrationTier(code)) if code else ""


def status_table(report: StatusReport) -> tuple[list[str], list[list[Any]]]:
    """The export's header and rows (dates as dates, counts as numbers)."""
    headers = [_("Name"), _("Reading"), _("Residence"), _("Registration tier"),
               _("Registration status"), _("Registered on"), _("Renewal due"),
               _("Designated activities attended"), _("Premium possible"), _("Why not"),
               _("Person ID")]
    rows: list[list[Any]] = []
    for person in report.people:
        registration = person.registration
        rows.append([
            person.name, person.reading, person.residence, _tier(person.tier),
            label(RegistrationStatus(registration.status)) if registration else "",
            registration.registered_on if registration else None,
            registration.renewal_due if registration else None,
            person.activities, _("Yes") if person.eligible_premium else _("No"),
            "\n".join(person.reasons), person.person_id.hex])
    return headers, rows


def _title(report: StatusReport) -> str:
    return _("Furusato residents: {municipality}").format(municipality=report.scope.full_name)


def _conditions(report: StatusReport, style: str) -> str:
    settings = report.settings
    period = _("{start} to {end}").format(start=format_day(report.period_start, style),
                                          end=format_day(report.period_end, style))
    return _("{period}. Premium: at least {minimum} designated activities, not in the "
             "municipality of residence, at most {maximum} premium registrations per "
             "person.").format(period=period, minimum=settings.minimum_activities,
                               maximum=settings.maximum_premium)


def status_csv(report: StatusReport) -> bytes:
    """The list as CSV (UTF-8 with BOM, so Excel reads the Japanese; every cell quoted)."""
    headers, rows = status_table(report)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(spreadsheet_row(headers))
    for row in rows:
        writer.writerow(spreadsheet_row(value.isoformat() if hasattr(value, "isoformat")
                                        else "" if value is None else value for value in row))
    return buffer.getvalue().encode("utf-8-sig")


def status_workbook(report: StatusReport, date_style: str = "wareki",
                    year: int | None = None) -> bytes:
    """The list as an .xlsx: title, period and conditions, then the table (header row 4,
    frozen, with an autofilter; A4 landscape fitted to the width)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Furusato residents")
    heading = _title(report)
    if year is not None:
        heading = f"{year_label(year, report.settings.period)}　{heading}"
    sheet.append(spreadsheet_row([heading]))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    sheet.append(spreadsheet_row([_conditions(report, date_style)]))
    sheet.append([])
    headers, rows = status_table(report)
    _write_row(sheet, headers, header=True)
    widths = [display_width(text) for text in headers]
    for values in rows:
        _write_row(sheet, values)
        widths = [max(width, display_width("" if value is None else value))
                  for width, value in zip(widths, values, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
    last = 4 + len(rows)
    sheet.auto_filter.ref = f"A4:{get_column_letter(len(headers))}{last}"
    sheet.freeze_panes = "B5"
    sheet.print_title_rows = "4:4"
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_row(sheet: Any, values: Sequence[Any], *, header: bool = False) -> None:
    sheet.append([None] * len(values))
    number = sheet.max_row
    for index, value in enumerate(values, start=1):
        cell = sheet.cell(row=number, column=index)
        value = cell.value = neutralised(value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text begins with
            if "\n" in value:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        elif isinstance(value, int) and not isinstance(value, bool):
            cell.number_format = COUNT_FORMAT
        elif value is not None:
            cell.number_format = DATE_FORMAT
        if header:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
