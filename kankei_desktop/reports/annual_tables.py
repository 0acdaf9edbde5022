"""The figure tables of the 実績報告書 that depend on its period: the figures with the year
before beside them, by kind of session, the organisations that took part, per 年度, and the
KPI targets of each year."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import (
    FIGURE_FIELDS,
    PERIOD_FIELDS,
    achievement,
    figure_columns,
    format_change,
    format_figure,
    kind_label,
)
from kankei_desktop.reports.data import AnnualData
from kankei_desktop.reports.layout import Story
from kankei_desktop.reports.tables import TableRows


def small_caption(story: Story, text: str) -> None:
    """A small caption kept on the page of the table below it."""
    story.text(text, ParagraphStyle("caption", parent=story.styles.small, keepWithNext=1))


def figures_table(story: Story, data: AnnualData) -> None:
    """Every figure of the period; for one 年度, the year before and the change beside it."""
    total, previous = data.figures.total, data.previous
    fields = FIGURE_FIELDS + PERIOD_FIELDS
    if previous is None or data.fiscal_year is None:
        story.table([Column(_("Figure item")), Column(_("Result value"), Kind.NUMBER)],
                    [[_(caption), format_figure(total, name)] for name, caption in fields],
                    width=0.6, keep=True)
        return
    story.table(
        [Column(_("Figure item")), Column(format_fiscal_year(data.fiscal_year), Kind.NUMBER),
         Column(format_fiscal_year(data.fiscal_year - 1), Kind.NUMBER),
         Column(_("Change on the previous year"), Kind.NUMBER)],
        [[_(caption), format_figure(total, name), format_figure(previous.total, name),
          format_change(total, previous.total, name)] for name, caption in fields],
        width=0.85, keep=True)


def kind_table(story: Story, data: AnnualData) -> None:
    """Sessions held and person-times per kind of session."""
    cells = data.figures.by_kind
    rows = TableRows()
    for kind, cell in cells.items():
        rows.add([kind_label(kind), f"{cell.meetings_held:,}", f"{cell.person_times:,}"])
    total = data.figures.total
    rows.total([_("Total"), f"{total.meetings_held:,}", f"{total.person_times:,}"])
    story.table([Column(_("Kind")), *figure_columns((FIGURE_FIELDS[0], FIGURE_FIELDS[3]))],
                rows, width=0.7, keep=True)


def organisation_table(story: Story, data: AnnualData) -> None:
    """The organisations that took part, with their people (実人数) and person-times."""
    organisations = data.organisations()
    if not organisations:
        story.text(_("No participant belonged to an organisation."), story.styles.small)
        return
    rows = TableRows()
    for name, cell in organisations:
        rows.add([name or "-", f"{cell.unique_persons:,}", f"{cell.person_times:,}"])
    rows.total([_("{count} organisations").format(count=f"{len(organisations):,}"),
                f"{sum(cell.unique_persons for _name, cell in organisations):,}",
                f"{sum(cell.person_times for _name, cell in organisations):,}"])
    story.table([Column(_("Organisation name"), weight=3),
                 *figure_columns((FIGURE_FIELDS[4], FIGURE_FIELDS[3]))], rows, width=0.85)


def year_table(story: Story, data: AnnualData) -> None:
    """Each 年度 of the period, then the whole period (実人数 counted once over the period,
    so the total row is not the sum of the years; 新規 and 延べ are)."""
    fields = FIGURE_FIELDS + PERIOD_FIELDS[:1]
    rows = TableRows()
    for year, cell in data.figures.by_fiscal_year.items():
        rows.add([format_fiscal_year(year)] + [format_figure(cell, name)
                                               for name, _c in fields])
    rows.total([_("Whole period")] + [format_figure(data.figures.total, name)
                                      for name, _c in fields])
    story.table([Column(_("Fiscal year"), Kind.FIT), *figure_columns(fields)], rows)
    story.space(1)
    story.text(_("Unique participants of the whole period count each person once, however "
                 "many years they took part, so they are not the sum of the years."),
               story.styles.small)


def kpi_table(story: Story, data: AnnualData) -> None:
    """Targets and results of each club (and 年度, for several) with 達成率."""
    rows = []
    for target in data.targets:
        cell = data.club_cell(target.club_id, target.fiscal_year)
        prefix = (f"{format_fiscal_year(target.fiscal_year)} " if data.fiscal_year is None
                  else "")
        for name, caption, goal in (
                ("meetings_held", _("Sessions held"), target.meetings),
                ("person_times", _("Participants (person-times)"), target.person_times),
                ("unique_persons", _("Participants (unique)"), target.unique_persons)):
            if goal is None:
                continue
            actual = getattr(cell, name) if cell is not None else 0
            rows.append([f"{prefix}{target.club_name}：{caption}", f"{goal:,}", f"{actual:,}",
                         achievement(actual, goal), target.notes])
    if not rows:
        story.text(_("No KPI targets are set for this fiscal year.") if data.fiscal_year
                   is not None else _("No KPI targets are set for these fiscal years."))
        return
    story.table([Column(_("Indicator"), weight=3), Column(_("Target value"), Kind.NUMBER),
                 Column(_("Actual value"), Kind.NUMBER), Column(_("Achievement"), Kind.NUMBER),
                 Column(_("Remarks"), weight=2)], rows)
