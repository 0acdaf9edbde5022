"""The empty template a coordinator fills in (File ▸ Import… ▸ テンプレートを保存)."""

from __future__ import annotations

from pathlib import Path

from kankei_desktop.core.cell_text import spreadsheet_row
from kankei_desktop.imports.layout import JAPANESE_HEADERS, Field

TEMPLATE_FIELDS = (Field.DATE, Field.START, Field.END, Field.CLUB, Field.MUNICIPALITY,
                   Field.TITLE, Field.KIND, Field.FORMAT, Field.NAME, Field.READING,
                   Field.ORGANIZATION, Field.CATEGORY, Field.ATTENDANCE, Field.EMAIL)


def template_headers() -> list[str]:
    """The Japanese headers of the flat attendance layout, in template order."""
    return [JAPANESE_HEADERS[field] for field in TEMPLATE_FIELDS]


def write_template(path: Path) -> Path:
    """Write an empty .xlsx with the header row (bold, frozen, columns wide enough)."""
    from openpyxl import Workbook  # slow import, only when needed
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "出欠"
    sheet.append(spreadsheet_row(template_headers()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {Field.DATE: 12, Field.CLUB: 24, Field.MUNICIPALITY: 16, Field.TITLE: 24,
              Field.NAME: 16, Field.READING: 18, Field.ORGANIZATION: 20, Field.EMAIL: 26}
    for index, field in enumerate(TEMPLATE_FIELDS):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = widths.get(field, 10)
    sheet.freeze_panes = "A2"
    workbook.save(path)
    return path
