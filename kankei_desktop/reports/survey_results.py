"""Survey results in the club and annual reports: per closed question a bar chart and a table
(counts, shares, the mean of a scale), then the free texts the user chose for the reports.
The same results as the Surveys page (:mod:`kankei_desktop.core.surveys.results`)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer

from kankei_desktop.core.i18n import _
from kankei_desktop.core.surveys.results import QuestionResult, SurveyResults
from kankei_desktop.core.vocabulary import QuestionKind
from kankei_desktop.reports.cells import Column, Kind, fit
from kankei_desktop.reports.fonts import GOTHIC, MINCHO
from kankei_desktop.reports.layout import FRAME_WIDTH, Story
from kankei_desktop.reports.tables import TableRows, grid_table

BAR_COLOUR = colors.HexColor("#2e6f9e")
_ROW_MM = 6.0
_SIZE = 8.5


def format_share(share: float | None) -> str:
    """「37.5%」, 「-」 without answers."""
    return "-" if share is None else f"{share * 100:.1f}%"


def response_line(results: SurveyResults) -> str:
    """「回答 8件（出席者 10人、回答率 80.0%）」."""
    return _("Responses: {responses} (attendees of the surveyed sessions: {attendees}; "
             "response rate: {rate})").format(
        responses=f"{results.responses:,}", attendees=f"{results.attendees:,}",
        rate=format_share(results.response_rate))


class BarRows(Flowable):  # type: ignore[misc]
    """A horizontal bar chart: one row per option, its label, its bar and 「3（37.5%）」."""

    def __init__(self, question: QuestionResult, width: float = FRAME_WIDTH) -> None:
        super().__init__()
        self.rows = [(option_label(question, option), count, question.share(option))
                     for option, count in question.counts.items()]
        self.width = width
        self.height = len(self.rows) * _ROW_MM * mm + 2 * mm

    def texts(self) -> list[str]:
        """What the chart prints (for the glyph check)."""
        return [option for option, _count, _share in self.rows]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        label_width = self.width * 0.32
        value_width = 26 * mm
        room = self.width - label_width - value_width - 4 * mm
        top = max((count for _option, count, _share in self.rows), default=0) or 1
        row = _ROW_MM * mm
        canvas.saveState()
        for index, (option, count, share) in enumerate(self.rows):
            y = self.height - (index + 1) * row
            shape = fit(stringWidth(option, MINCHO, _SIZE), _SIZE, label_width - 3 * mm)
            text = canvas.beginText(label_width - 2 * mm - shape.width, y + row * 0.32)
            text.setFont(MINCHO, shape.size)
            if shape.scale < 1:
                text.setHorizScale(shape.scale * 100)
            text.textOut(option)
            canvas.drawText(text)
            canvas.setFillColor(BAR_COLOUR)
            length = room * count / top
            if length:
                canvas.rect(label_width, y + row * 0.18, length, row * 0.64, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.setFont(GOTHIC, _SIZE)
            canvas.drawString(label_width + length + 2 * mm, y + row * 0.32,
                              f"{count:,}（{format_share(share)}）")
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setLineWidth(0.5)
        canvas.line(label_width, 1 * mm, label_width, self.height)
        canvas.restoreState()


def survey_section(story: Story, results: SurveyResults, heading: str) -> None:
    """The section 「n. アンケート結果」 (nothing when there are no responses)."""
    if not results.responses:
        return
    story.heading(heading)
    story.text(response_line(results))
    for number, question in enumerate(results.questions, start=1):
        if question.closed:
            _closed(story, number, question)
        else:
            _texts(story, number, question)


def option_label(question: QuestionResult, option: str) -> str:
    """A scale's end points with their labels (「1（不満）」); other options as they are."""
    if question.kind == QuestionKind.SCALE:
        if option == str(question.scale_min) and question.low_label:
            return f"{option}（{question.low_label}）"
        if option == str(question.scale_min + question.points - 1) and question.high_label:
            return f"{option}（{question.high_label}）"
    return option


def _closed(story: Story, number: int, question: QuestionResult) -> None:
    """The question, its chart and its table, kept on one page."""
    title = story.para(_("Q{number}.").format(number=number) + "　" + question.text,
                       story.styles.group)
    chart = BarRows(question)
    story.texts.extend(chart.texts())
    rows = TableRows()
    for option, count in question.counts.items():
        rows.add([option_label(question, option), f"{count:,}",
                  format_share(question.share(option))])
    rows.total([_("Respondents"), f"{question.answered:,}", ""])
    if question.mean is not None:
        rows.total([_("Mean"), f"{question.mean:.2f}", ""])
    table = grid_table(story.styles, story.texts,
                       [Column(_("Answer"), weight=3), Column(_("Count"), Kind.NUMBER),
                        Column(_("Share"), Kind.NUMBER)], rows, FRAME_WIDTH * 0.7)
    story.add(KeepTogether([Spacer(1, 3 * mm), title, chart, Spacer(1, 1 * mm), table]))


def _texts(story: Story, number: int, question: QuestionResult) -> None:
    chosen = [item.text for item in question.texts if item.featured]
    if not chosen:
        return
    story.space(3)
    story.text(_("Q{number}.").format(number=number) + "　" + question.text + "　" +
               _("(selected free texts, {shown} of {count})").format(
                   shown=len(chosen), count=question.answered), story.styles.group)
    for text in chosen:
        story.text("・" + text.replace("\n", "\n　"), story.styles.body)
