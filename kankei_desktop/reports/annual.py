"""実績報告書: the results report of a 年度, several 年度 or any period (cover letter + 別紙).

A report of one 年度 shows the year before beside its figures; a report of several shows
them per 年度 (「令和3年度〜令和5年度　実績報告書」)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.reports.annual_tables import (
    figures_table,
    kind_table,
    kpi_table,
    organisation_table,
    small_caption,
    year_table,
)
from kankei_desktop.reports.common import (
    ATTENDANCE_FIELDS,
    FIGURE_FIELDS,
    PERIOD_FIELDS,
    FigureValue,
    category_label,
    figure_values,
    format_day,
    format_figure,
    format_label,
    format_month,
    kind_label,
)
from kankei_desktop.reports.data import AnnualData
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, Story
from kankei_desktop.reports.settings import CoverSettings


def annual_title(data: AnnualData, cover: CoverSettings) -> str:
    """「令和3年度　関係人口創出・拡大事業　実績報告書」, 「令和3年度〜令和5年度　実績報告書」."""
    parts = [data.period.label()]
    if cover.project_name:
        parts.append(cover.project_name)
    parts.append(_("Annual results report"))
    return "　".join(parts)


def annual_snapshot(data: AnnualData) -> list[FigureValue]:
    """The figures the report shows, for 提出済み and drift detection."""
    values = figure_values("total", "", data.figures.total, FIGURE_FIELDS + PERIOD_FIELDS)
    for kind, cell in data.figures.by_kind.items():
        values += figure_values(f"kind.{kind}", kind_label(kind), cell,
                                (FIGURE_FIELDS[0], FIGURE_FIELDS[3]))
    if data.several_years:
        for year, cell in data.figures.by_fiscal_year.items():
            values += figure_values(f"year.{year}", str(year), cell)
    for category, cell in data.by_category.items():
        values += figure_values(f"category.{category}", category_label(category), cell,
                                ATTENDANCE_FIELDS)
    for club in data.clubs:
        club_cell = data.figures.by_club.get(club.id)
        if club_cell is not None:
            values += figure_values(f"club.{club.id}", club.name, club_cell)
    for (year, month), cell in data.figures.by_month.items():
        values += figure_values(f"month.{year:04d}-{month:02d}",
                                format_month(year, month, "wareki"), cell)
    return values


def render_annual(data: AnnualData, cover: CoverSettings) -> bytes:
    """The PDF: cover letter, then the 別紙 with tables and texts."""
    story = Story()
    _cover_page(story, data, cover)
    story.page_break()
    _body(story, data, cover)
    title = annual_title(data, cover)
    return story.build(title=title, author=cover.organisation or "Kankei Desktop",
                       subject=_("Annual results report"))


def _period(data: AnnualData, style: str) -> str:
    return _("{start} to {end}").format(start=format_day(data.period.start, style),
                                        end=format_day(data.period.end, style))


def _area(data: AnnualData) -> str:
    if data.municipality_name:
        return data.municipality_name
    return "、".join(data.hosts) or "-"


def _cover_page(story: Story, data: AnnualData, cover: CoverSettings) -> None:
    styles = story.styles
    top = [[story.para(cover.form_label), story.para(cover.document_number, styles.right)],
           ["", story.para(format_day(cover.submitted_on, "wareki"), styles.right)]]
    story.add(Table(top, colWidths=[FRAME_WIDTH * 0.5] * 2, style=TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])))
    story.space(8)
    story.text(cover.addressee or _("(addressee)"))
    story.space(6)
    applicant = []
    if cover.address:
        applicant.append(_("Address: {value}").format(value=cover.address))
    applicant.append(_("Organisation: {value}").format(value=cover.organisation or "-"))
    applicant.append(_("Representative: {title} {name}").format(
        title=cover.representative_title, name=cover.representative_name).rstrip())
    block = [[story.para(line)] for line in applicant]
    if cover.seal_box:
        block[-1].append(story.para(_("Seal"), styles.center))
    else:
        for row in block:
            row.append("")
    seal_style = [("BOX", (1, len(block) - 1), (1, len(block) - 1), 0.6, GRID)] \
        if cover.seal_box else []
    story.add(Table(block, colWidths=[FRAME_WIDTH * 0.45, 14 * mm], hAlign="RIGHT",
                    style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                      ("LEFTPADDING", (0, 0), (-1, -1), 0), *seal_style])))
    story.space(12)
    story.text(annual_title(data, cover), styles.title)
    story.text(_("We report on the {project} carried out in {year} as follows.").format(
        project=cover.project_name or _("project"), year=data.period.label()))
    story.space(4)
    story.text(_("Particulars"), styles.center)
    story.space(4)
    total = data.figures.total
    items = [
        (_("Project name"), cover.project_name or "-"),
        (_("Period of implementation"), _period(data, "wareki")),
        (_("Area of implementation"), _area(data)),
        (_("Sessions held"), _("{count} (of which online {online})").format(
            count=total.meetings_held, online=total.meetings_online)),
        (_("Number of participants"), _("{times} person-times, {unique} persons").format(
            times=f"{total.person_times:,}", unique=f"{total.unique_persons:,}")),
        (_("Attachments"), _("Results report (attachment)")),
    ]
    rows = [[story.para(f"{index}　{caption}"), story.para(value)]
            for index, (caption, value) in enumerate(items, start=1)]
    story.add(Table(rows, colWidths=[FRAME_WIDTH * 0.3, FRAME_WIDTH * 0.7], style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)])))
    story.space(14)
    contact = [_("Contact person: {name}").format(name=cover.contact_person or "-")]
    if cover.contact_phone:
        contact.append(_("Phone: {value}").format(value=cover.contact_phone))
    if cover.contact_email:
        contact.append(_("E-mail: {value}").format(value=cover.contact_email))
    box = Table([[story.para(line)] for line in contact], colWidths=[FRAME_WIDTH * 0.5],
                hAlign="RIGHT", style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, GRID)]))
    story.add(box)


def _body(story: Story, data: AnnualData, cover: CoverSettings) -> None:
    style = cover.date_style
    styles = story.styles
    story.text(_("Attachment"), styles.right)
    story.text(annual_title(data, cover), styles.title)
    story.heading(_("1. Period"))
    story.text(_period(data, style))
    story.heading(_("2. Area"))
    story.text(_area(data))
    story.heading(_("3. Figures"))
    total = data.figures.total
    figures_table(story, data)
    story.space(3)
    story.text(_("By participant category"), styles.small)
    category_rows = [[category_label(category)] + [format_figure(cell, name)
                                                   for name, _caption in ATTENDANCE_FIELDS]
                     for category, cell in data.by_category.items()]
    category_rows.append([_("Total")] + [format_figure(total, name)
                                         for name, _caption in ATTENDANCE_FIELDS])
    story.table([_("Category")] + [_(caption) for _name, caption in ATTENDANCE_FIELDS],
                category_rows, [0.28, 0.24, 0.24, 0.24], numeric=[1, 2, 3], total_row=True,
                keep=True)
    story.space(3)
    small_caption(story, _("By kind of session"))
    kind_table(story, data)
    story.space(3)
    small_caption(story, _("Organisations that took part"))
    organisation_table(story, data)
    story.heading(_("4. By club"))
    club_rows = []
    for club in data.clubs:
        cell = data.figures.by_club.get(club.id)
        if cell is None:
            continue
        club_rows.append([club.name, club.host or "-"] + [
            format_figure(cell, name) for name, _caption in FIGURE_FIELDS])
    if club_rows:
        story.table([_("Club"), _("Host municipality")] + [_(c) for _n, c in FIGURE_FIELDS],
                    club_rows, [0.22, 0.13, 0.1, 0.11, 0.11, 0.11, 0.11, 0.11],
                    numeric=[2, 3, 4, 5, 6, 7])
    else:
        story.text(_nothing_held(data))
    if data.several_years:
        story.heading(_("5. By fiscal year"))
        year_table(story, data)
    else:
        story.heading(_("5. By month"))
        month_rows = [[format_month(year, month, style)] + [
            format_figure(cell, name) for name, _caption in FIGURE_FIELDS]
            for (year, month), cell in data.figures.by_month.items()]
        month_rows.append([_("Total")] + [format_figure(total, name)
                                          for name, _c in FIGURE_FIELDS])
        story.table([_("Month")] + [_(c) for _n, c in FIGURE_FIELDS], month_rows,
                    [0.22, 0.13, 0.13, 0.13, 0.13, 0.13, 0.13], numeric=[1, 2, 3, 4, 5, 6],
                    total_row=True)
    story.heading(_("6. KPI targets and results"))
    kpi_table(story, data)
    story.heading(_("7. Sessions held"))
    if data.sessions:
        session_rows = [[str(index), format_day(row.date, style), row.club_name, row.title,
                         format_label(row.format), f"{row.attended:,}"]
                        for index, row in enumerate(data.sessions, start=1)]
        story.table([_("No."), _("Date held"), _("Club"), _("Session content"), _("Session format"),
                     _("Attendees")], session_rows, [0.06, 0.18, 0.2, 0.32, 0.13, 0.11],
                    numeric=[0, 5], plain=[0, 1, 4, 5])
    else:
        story.text(_nothing_held(data))
    texts = data.texts
    for number, (caption, text) in enumerate(
            [(_("Outcomes"), texts.achievements), (_("Challenges"), texts.issues),
             (_("Next steps"), texts.next_steps)], start=8):
        story.heading(f"{number}. {caption}")
        story.text(text.strip() or _("(not filled in)"))


def _nothing_held(data: AnnualData) -> str:
    if data.fiscal_year is not None:
        return _("No sessions were held in this fiscal year.")
    return _("No sessions were held in this period.")
