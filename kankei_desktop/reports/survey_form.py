"""The blank questionnaire of a session (アンケート用紙): A4, the session's club, title and
date (和暦 or Western, as the report settings say), a box for the sheet number, then each
question with boxes to tick (a scale's points with its end labels, the options of a choice
question) or lines to write on.

A session without a questionnaire prints the standard questions of the template library, so a
form is at hand even before one is defined.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meeting
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.survey_questions import QuestionDraft
from kankei_desktop.core.surveys.templates import TEMPLATES
from kankei_desktop.core.surveys.values import scale_values
from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.reports.common import FigureValue, format_day, format_times, short_title
from kankei_desktop.reports.data import clubs_in_scope
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, HEADER_BACKGROUND, Story
from kankei_desktop.reports.settings import CoverSettings

#: Lines to write on under a free-text question.
TEXT_LINES = 4
TEXT_LINE_MM = 8.5
BOX = "□"


@dataclass
class SurveyFormData:
    """What the blank questionnaire shows."""

    meeting_id: uuid.UUID
    club_name: str
    meeting_title: str
    date: date
    start_time: time | None
    end_time: time | None
    title: str
    intro: str
    questions: list[QuestionDraft] = field(default_factory=list)
    standard: bool = False
    """No questionnaire is defined: the template library's questions are printed."""


def survey_form_data(services: Services, meeting: Meeting) -> SurveyFormData:
    """The session's questionnaire (its own, else its club's, else the standard one)."""
    club = clubs_in_scope(services, club_id=meeting.club_id)[0]
    survey = services.surveys.in_use(meeting.id)
    data = SurveyFormData(meeting.id, club.name, meeting.title, meeting.date,
                          meeting.start_time, meeting.end_time,
                          survey.title if survey is not None else _("Questionnaire"),
                          survey.intro if survey is not None else "")
    if survey is not None:
        data.questions = [QuestionDraft.of(row) for row in services.surveys.questions(survey.id)]
    if not data.questions:
        data.questions = [QuestionDraft.from_template(item) for item in TEMPLATES]
        data.standard = True
    return data


def survey_form_title(data: SurveyFormData) -> str:
    """「アンケート　〇〇クラブ」."""
    return f"{data.title}　{data.club_name}"


def survey_form_snapshot(data: SurveyFormData) -> list[FigureValue]:
    """A blank form shows no figures."""
    del data
    return []


def render_survey_form(data: SurveyFormData, cover: CoverSettings) -> bytes:
    """The questionnaire PDF."""
    story = Story()
    styles = story.styles
    story.add(_sheet_number(story))
    story.text(data.title, styles.title)
    _session_box(story, data, cover)
    story.space(4)
    story.text(data.intro or _(
        "Thank you for taking part today. Please answer the questions below: your answers "
        "help us improve the sessions. Tick the boxes (□) that apply."))
    for number, question in enumerate(data.questions, start=1):
        story.space(4)
        story.add(KeepTogether(_question(story, number, question)))
    story.space(6)
    story.text(_("Thank you for your cooperation."), styles.right)
    return story.build(title=survey_form_title(data),
                       author=cover.organisation or "Kankei Desktop",
                       subject=_("Questionnaire"))


def _sheet_number(story: Story) -> Table:
    """The box for the sheet's number (written when the answers are typed back)."""
    return Table([[story.para(_("No."), story.styles.head), ""]],
                 colWidths=[14 * mm, 22 * mm], rowHeights=[8 * mm], hAlign="RIGHT",
                 style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, GRID),
                                   ("BACKGROUND", (0, 0), (0, 0), HEADER_BACKGROUND),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))


def _session_box(story: Story, data: SurveyFormData, cover: CoverSettings) -> None:
    styles = story.styles
    when = format_day(data.date, cover.date_style)
    times = format_times(data.start_time, data.end_time)
    rows = [[_("Club"), data.club_name],
            [_("Session content"), short_title(data.meeting_title, data.club_name)],
            [_("Date held"), f"{when}　{times}" if times else when]]
    cells = [[story.para(label, styles.head), story.para(value, styles.cell)]
             for label, value in rows]
    story.add(Table(cells, colWidths=[FRAME_WIDTH * 0.2, FRAME_WIDTH * 0.8],
                    style=TableStyle([("GRID", (0, 0), (-1, -1), 0.5, GRID),
                                      ("BACKGROUND", (0, 0), (0, -1), HEADER_BACKGROUND),
                                      ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])))


def _hint(kind: str) -> str:
    if kind == QuestionKind.SINGLE:
        return _("(choose one)")
    if kind == QuestionKind.MULTIPLE:
        return _("(choose all that apply)")
    return ""


def _question(story: Story, number: int, question: QuestionDraft) -> list[object]:
    styles = story.styles
    hint = _hint(question.kind)
    head = _("Q{number}.").format(number=number) + "　" + question.text
    parts: list[object] = [story.para(f"{head}　{hint}" if hint and hint not in question.text
                                      else head, styles.heading)]
    if question.kind == QuestionKind.SCALE:
        parts.append(_scale(story, question))
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        parts.append(_options(story, question.options))
    else:
        parts.append(_lines(TEXT_LINES))
    return parts


def _scale(story: Story, question: QuestionDraft) -> Table:
    """「不満　□1　□2　□3　□4　□5　満足」: the points with a box each, the labels at the ends."""
    styles = story.styles
    points = scale_values(question.scale_min, question.points)
    label_width = FRAME_WIDTH * 0.2
    cell = (FRAME_WIDTH - 2 * label_width) / len(points)
    box = ParagraphStyle("scale_box", parent=styles.cell_center, fontSize=12, leading=16)
    row = [story.para(question.low_label, styles.cell_right),
           *[story.para(f"{BOX} {point}", box) for point in points],
           story.para(question.high_label, styles.cell)]
    return Table([row], colWidths=[label_width, *[cell] * len(points), label_width],
                 rowHeights=[10 * mm], hAlign="LEFT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("FONTSIZE", (1, 0), (-2, 0), 11)]))


def _options(story: Story, options: list[str]) -> Table:
    """One box per option, in two columns when the options are short."""
    styles = story.styles
    longest = max((len(option) for option in options), default=0)
    columns = 1 if longest > 18 else 2 if longest > 9 else 3
    box = ParagraphStyle("option_box", parent=styles.body, fontSize=11, leading=17)
    cells = [story.para(f"{BOX} {option}", box) for option in options]
    rows = [cells[start:start + columns] + [""] * (columns - len(cells[start:start + columns]))
            for start in range(0, len(cells), columns)] or [[""] * columns]
    return Table(rows, colWidths=[(FRAME_WIDTH - 6 * mm) / columns] * columns, hAlign="RIGHT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))


def _lines(count: int) -> Table:
    """A box with ruled lines to write on."""
    return Table([[""] for _line in range(count)], colWidths=[FRAME_WIDTH - 6 * mm],
                 rowHeights=[TEXT_LINE_MM * mm] * count, hAlign="RIGHT",
                 style=TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID),
                                   ("LINEBELOW", (0, 0), (-1, -2), 0.3, GRID, 0, (1, 2))]))
