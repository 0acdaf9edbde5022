"""実績報告書: the results report of a 年度, several 年度 or any period (cover letter + 別紙).

A report of one 年度 shows the year before beside its figures; a report of several shows
them per 年度 (「令和3年度〜令和5年度　実績報告書」)."""

from __future__ import annotations

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.reports.annual_tables import (
    figures_table,
    kind_table,
    organisation_table,
    small_caption,
    year_table,
)
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import (
    ATTENDANCE_FIELDS,
    FIGURE_FIELDS,
    PERIOD_FIELDS,
    FigureValue,
    category_label,
    figure_columns,
    figure_values,
    format_day,
    format_figure,
    format_label,
    format_month,
    kind_label,
    session_place,
    short_title,
)
from kankei_desktop.reports.cover import annual_title, area_text, period_text, render_cover
from kankei_desktop.reports.data import AnnualData, SessionRow
from kankei_desktop.reports.layout import Story
from kankei_desktop.reports.outcomes import (
    kpi_snapshot,
    kpi_table,
    matching_snapshot,
    matching_table,
)
from kankei_desktop.reports.settings import CoverSettings
from kankei_desktop.reports.survey_results import survey_section
from kankei_desktop.reports.tables import TableRows

__all__ = ["annual_snapshot", "annual_title", "render_annual"]


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
    if data.show_matchings:
        values += matching_snapshot(data.matching_figures)
    return values + kpi_snapshot(data.kpis)


def render_annual(data: AnnualData, cover: CoverSettings, *, draft: bool = False) -> bytes:
    """The PDF: the cover letter (unnumbered), then the 別紙 numbered from 1."""
    story = Story()
    render_cover(story, data, cover)
    story.page_break()
    _body(story, data, cover)
    title = annual_title(data, cover)
    return story.build(title=title, author=cover.organisation or "Kankei Desktop",
                       subject=_("Annual results report"), numbered_from=2, draft=draft)


def _body(story: Story, data: AnnualData, cover: CoverSettings) -> None:
    style = cover.date_style
    styles = story.styles
    story.text(_("Attachment"), styles.right)
    story.text(annual_title(data, cover), styles.title)
    story.heading(_("1. Period"))
    story.text(period_text(data, style))
    story.heading(_("2. Area"))
    story.text(area_text(data))
    story.heading(_("3. Figures"))
    total = data.figures.total
    figures_table(story, data)
    story.space(3)
    story.text(_("By participant category"), styles.small)
    categories = TableRows()
    for category, cell in data.by_category.items():
        categories.add([category_label(category)] + [format_figure(cell, name)
                                                     for name, _caption in ATTENDANCE_FIELDS])
    categories.total([_("Total")] + [format_figure(total, name)
                                     for name, _caption in ATTENDANCE_FIELDS])
    story.table([Column(_("Category")), *figure_columns(ATTENDANCE_FIELDS)], categories,
                width=0.8, keep=True)
    story.space(3)
    small_caption(story, _("By kind of session"))
    kind_table(story, data)
    story.space(3)
    small_caption(story, _("Organisations that took part"))
    organisation_table(story, data)
    story.heading(_("4. By club"))
    clubs = TableRows()
    for club in data.clubs:
        club_cell = data.figures.by_club.get(club.id)
        if club_cell is not None:
            clubs.add([club.name, club.host or "-"] + [format_figure(club_cell, name)
                                                       for name, _c in FIGURE_FIELDS])
    if clubs.rows:
        clubs.total([_("Total"), ""] + [format_figure(total, name) for name, _c in FIGURE_FIELDS])
        story.table([Column(_("Club"), weight=2), Column(_("Host municipality"), Kind.FIT),
                     *figure_columns(FIGURE_FIELDS)], clubs)
    else:
        story.text(_nothing_held(data))
    if data.several_years:
        story.heading(_("5. By fiscal year"))
        year_table(story, data)
    else:
        story.heading(_("5. By month"))
        months = TableRows()
        for (year, month), cell in data.figures.by_month.items():
            months.add([format_month(year, month, style)] + [format_figure(cell, name)
                                                             for name, _c in FIGURE_FIELDS])
        months.total([_("Total")] + [format_figure(total, name)
                                     for name, _c in FIGURE_FIELDS])
        story.table([Column(_("Month"), Kind.FIT), *figure_columns(FIGURE_FIELDS)], months)
    story.heading(_("6. KPI targets and results"))
    _kpis(story, data)
    number = 7
    if data.show_matchings:
        story.heading(_("{number}. Matchings made").format(number=number))
        matching_table(story, data.matchings, style, empty=(
            _("No matchings were made in this fiscal year.") if data.fiscal_year is not None
            else _("No matchings were made in this period.")))
        number += 1
    story.heading(_("{number}. Sessions held").format(number=number))
    if data.sessions:
        _session_list(story, data, style)
    else:
        story.text(_nothing_held(data))
    texts = data.texts
    for index, (caption, text) in enumerate(
            [(_("Outcomes"), texts.achievements), (_("Challenges"), texts.issues),
             (_("Next steps"), texts.next_steps)], start=number + 1):
        story.heading(f"{index}. {caption}")
        story.text(text.strip() or _("(not filled in)"))
    if data.surveys is not None:
        survey_section(story, data.surveys, _("{number}. Survey results").format(
            number=number + 4))


def _session_list(story: Story, data: AnnualData, style: str) -> None:
    """The held sessions club by club (in the clubs' 50音順), each club with its 小計, then
    the 合計; one line per session wherever the text allows."""
    by_club: dict[object, list[SessionRow]] = {}
    for row in data.sessions:
        by_club.setdefault(row.club_id, []).append(row)
    rows = TableRows()
    number = 0
    hosts = {club.id: club.host for club in data.clubs}
    for club in data.clubs:
        sessions = by_club.get(club.id, [])
        if not sessions:
            continue
        host = hosts.get(club.id) or ""
        rows.group(f"{club.name}（{host}）" if host else club.name)
        for row in sessions:
            number += 1
            rows.add([f"{number}", format_day(row.date, style),
                      short_title(row.title, row.club_name), format_label(row.format),
                      session_place(row.place, row.tool, row.url), f"{row.attended:,}"])
        if len(by_club) > 1:
            rows.total(["", _("Subtotal"), _("{count} sessions").format(
                count=f"{len(sessions):,}"), "", "", f"{sum(r.attended for r in sessions):,}"])
    rows.total(["", _("Total"), _("{count} sessions").format(count=f"{len(data.sessions):,}"),
                "", "", f"{sum(row.attended for row in data.sessions):,}"])
    story.table([Column(_("No."), Kind.NUMBER), Column(_("Date held"), Kind.FIT),
                 Column(_("Session content"), weight=3), Column(_("Session format"), Kind.FIT),
                 Column(_("Place"), weight=3), Column(_("Attendees"), Kind.NUMBER)], rows)


def _nothing_held(data: AnnualData) -> str:
    if data.fiscal_year is not None:
        return _("No sessions were held in this fiscal year.")
    return _("No sessions were held in this period.")


def _kpis(story: Story, data: AnnualData) -> None:
    """Every KPI with target, actual and 達成率; for several 年度, year by year."""
    years = sorted({result.kpi.fiscal_year for result in data.kpis})
    if len(years) <= 1:
        kpi_table(story, data.kpis, with_scope=True, empty=(
            _("No KPI targets are set for this fiscal year.") if data.fiscal_year is not None
            else _("No KPI targets are set for these fiscal years.")))
        return
    for index, year in enumerate(years):
        if index:
            story.space(3)  # apart from the year before's table
        small_caption(story, format_fiscal_year(year))
        kpi_table(story, [result for result in data.kpis if result.kpi.fiscal_year == year],
                  with_scope=True, empty="")
