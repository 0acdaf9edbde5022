"""Survey sheets of the Excel export: one sheet per survey with responses in the year and
scope — the raw answers (one row per response), then the totals per question."""

from __future__ import annotations

from openpyxl import Workbook

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.results import SurveyResults
from kankei_desktop.core.surveys.table import SurveyTable, survey_tables
from kankei_desktop.core.surveys.values import parse_point, split_options
from kankei_desktop.core.vocabulary import QuestionKind, ResponseSource, label
from kankei_desktop.reports.data import AnnualData
from kankei_desktop.reports.excel import DATE_FORMAT, PERCENT_FORMAT, _last_row, _Sheet
from kankei_desktop.reports.survey_results import option_label

#: Characters Excel refuses in a sheet name, and its longest sheet name.
_FORBIDDEN = str.maketrans({ch: "・" for ch in "[]:*?/\\"})
_NAME_LIMIT = 31


def add_survey_sheets(book: Workbook, services: Services, data: AnnualData, report: str) -> None:
    """One sheet per survey with responses in ``data``'s period and scope."""
    start, end = data.period.start, data.period.end
    scope = data.figure_filter
    with services.context.reading() as session:
        tables = survey_tables(session, start, end, scope)
    used = set(book.sheetnames)
    for number, table in enumerate(tables, start=1):
        sheet = _Sheet(book.create_sheet(), data, report, _sheet_name(table, number, used),
                       landscape=True)
        results = services.surveys.period_results(start, end, scope, survey_id=table.survey_id)
        _raw(sheet, table)
        _totals(sheet, results)
        sheet.finish()


def _sheet_name(table: SurveyTable, number: int, used: set[str]) -> str:
    subject = table.meeting_title or table.club_name
    name = _("Survey {number} {subject}").format(number=number, subject=subject)
    name = name.translate(_FORBIDDEN)[:_NAME_LIMIT].strip("' ")
    while name in used:
        name = f"{name[:_NAME_LIMIT - 2]}_{len(used)}"
    used.add(name)
    return name


def _cell(kind: str, value: str) -> object:
    if kind == QuestionKind.SCALE:
        point = parse_point(value)
        return point if point is not None else value
    if kind == QuestionKind.MULTIPLE:
        return "；".join(split_options(value))
    return value or None


def _source(value: str) -> str:
    try:
        return label(ResponseSource(value))
    except ValueError:
        return value


def _raw(sheet: _Sheet, table: SurveyTable) -> None:
    questions = [f"Q{index}. {question.text}"
                 for index, question in enumerate(table.questions, start=1)]
    sheet.header([_("No."), _("Date held"), _("Club"), _("Session content"), _("Answered at"),
                  _("Respondent"), _("Source"), _("Sheet"), *questions],
                 [4, 10, 14, 16, 14, 10, 8, 5, *[14] * len(questions)])
    for index, line in enumerate(table.lines, start=1):
        sheet.row([index, line.meeting_date, line.club_name, line.meeting_title,
                   line.submitted_at, line.person or _("Anonymous"), _source(line.source),
                   line.sheet,
                   *[_cell(question.kind, value)
                     for question, value in zip(table.questions, line.answers, strict=True)]],
                  {2: DATE_FORMAT, 5: "yyyy/mm/dd hh:mm"})


def _totals(sheet: _Sheet, results: SurveyResults) -> None:
    """The totals under the raw answers (outside the autofilter's range)."""
    sheet.sheet.append([])
    sheet.first_total = _last_row(sheet.sheet)
    sheet.subheader([_("Question"), _("Answer"), _("Count"), _("Share")])
    for number, question in enumerate(results.questions, start=1):
        title = f"Q{number}. {question.text}"
        if not question.closed:
            sheet.row([title, _("Free text"), question.answered, None])
            continue
        for option, count in question.counts.items():
            sheet.row([title, option_label(question, option), count, question.share(option)],
                      {4: PERCENT_FORMAT})
        sheet.row([title, _("Respondents"), question.answered, None])
        if question.mean is not None:
            sheet.row([title, _("Mean"), round(question.mean, 2), None], {3: "0.00"})
