"""What the documents show of the outcomes (issue 17): matchings, KPIs with 達成率, a club's
stage history — the tables of the annual report's 別紙 and of the club report.

Every number comes from the services (the same figures as the dashboard and ``kankei
stats``); this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kankei_desktop.core.figures.matchings import MatchingFigures
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import StageEntry
from kankei_desktop.core.services.kpis import KpiResult, format_decimal, format_rate
from kankei_desktop.core.services.matchings import MatchingView
from kankei_desktop.core.vocabulary import ClubStage, MatchingKind, MatchingStatus, label
from kankei_desktop.reports.cells import Column, Kind
from kankei_desktop.reports.common import FigureValue, format_day
from kankei_desktop.reports.layout import Story
from kankei_desktop.reports.tables import TableRows


def kind_name(code: str) -> str:
    """「複業・副業・兼業」 for ``side_job`` (the code itself when unknown)."""
    return label(MatchingKind(code)) if code in MatchingKind._value2member_map_ else code


def status_name(code: str) -> str:
    """「継続中」 for ``ongoing``."""
    return label(MatchingStatus(code)) if code in MatchingStatus._value2member_map_ else code


def stage_name(code: str) -> str:
    """「3. 企業マッチング」."""
    if code not in ClubStage._value2member_map_:
        return code
    return f"{list(ClubStage).index(ClubStage(code)) + 1}. {label(ClubStage(code))}"


def made_text(figures: MatchingFigures) -> str:
    """「5件（複業・副業・兼業 4件、連携協定 1件）」: the かがみ's マッチング成立件数."""
    parts = [f"{kind_name(kind)} {_count(number)}"
             for kind, number in figures.by_kind.items() if number]
    total = _count(figures.made)
    return f"{total}（{'、'.join(parts)}）" if parts else total


def _count(number: int) -> str:
    return _("{count} matchings").format(count=f"{number:,}")


def matching_snapshot(figures: MatchingFigures) -> list[FigureValue]:
    """The matching figures a document showed (for 提出済み and drift detection)."""
    values = [FigureValue("matchings.made", _("Matchings made"), figures.made),
              FigureValue("matchings.active", _("Matchings active"), figures.active)]
    values += [FigureValue(f"matchings.kind.{kind}", f"{_('Matchings made')} {kind_name(kind)}",
                           number) for kind, number in figures.by_kind.items()]
    return values


def matching_table(story: Story, rows: Sequence[MatchingView], style: str, *,
                   empty: str) -> None:
    """The matchings, one per line: No., 種類, 相手, 受入先, 成立日, 状態 (and テーマ under the
    party when there is one), with the 合計."""
    if not rows:
        story.text(empty)
        return
    table = TableRows()
    for number, row in enumerate(rows, start=1):
        party = f"{row.party}\n{row.theme}" if row.theme else row.party
        table.add([f"{number}", kind_name(row.kind), party, row.host or "-",
                   format_day(row.made_on, style) if row.made_on else "-",
                   status_name(row.status)])
    table.total(["", _("Total"), _("{count} matchings").format(count=f"{len(rows):,}"), "",
                 "", ""])
    story.table([Column(_("No."), Kind.NUMBER), Column(_("Matching kind"), Kind.FIT),
                 Column(_("Matched party (theme)"), weight=3), Column(_("Host"), Kind.FIT),
                 Column(_("Date made"), Kind.FIT), Column(_("Status"), Kind.FIT)], table)


def kpi_cells(result: KpiResult) -> tuple[str, str, str]:
    """目標値, 実績値 and 達成率 as printed (「—」 where there is none)."""
    unit = result.kpi.unit

    def with_unit(text: str) -> str:
        return f"{text}{unit}" if unit and text != "—" else text

    return (with_unit(format_decimal(result.target)), with_unit(format_decimal(result.actual)),
            format_rate(result.rate))


def kpi_table(story: Story, results: Sequence[KpiResult], *, with_scope: bool,
              empty: str) -> None:
    """指標 / 目標値 / 実績値 / 達成率 / 備考 (with the club, or 事業全体, first)."""
    if not results:
        story.text(empty)
        return
    rows = TableRows()
    scope: str | None = None
    for result in results:
        name = result.club_name or _("Whole programme")
        if with_scope and name != scope:
            rows.group(name)  # the programme's KPIs, then each club's, in 50音順
            scope = name
        target, actual, rate = kpi_cells(result)
        rows.add([result.name, target, actual, rate, result.kpi.notes])
    story.table([Column(_("Indicator"), weight=2), Column(_("Target value"), Kind.NUMBER),
                 Column(_("Actual value"), Kind.NUMBER), Column(_("Achievement"), Kind.NUMBER),
                 Column(_("Remarks"), weight=2)], rows)


def kpi_snapshot(results: Sequence[KpiResult]) -> list[FigureValue]:
    """The KPI actuals a document showed."""
    return [FigureValue(f"kpi.{result.kpi.id}", f"{result.club_name} {result.name}".strip(),
                        float(result.actual) if result.actual is not None else None)
            for result in results]


def stage_table(story: Story, entries: Sequence[StageEntry], current: str, style: str
                ) -> None:
    """A club's moves through the stages, oldest first, with what each produced."""
    if not entries:
        story.text(_("Current stage: {stage} (no moves recorded).").format(
            stage=stage_name(current)))
        return
    rows = [[format_day(entry.entered_on, style), stage_name(entry.stage),
             entry.output or "-"] for entry in entries]
    story.table([Column(_("Date"), Kind.FIT), Column(_("Stage"), Kind.FIT),
                 Column(_("Output"), weight=3)], rows)


def relevant_to(rows: Sequence[MatchingView], start: date, end: date) -> list[MatchingView]:
    """A club's matchings that concern the period: made by its end and not ended before its
    start, and proposals (without a 成立日) still open."""
    kept = []
    for row in rows:
        if row.made_on is not None and row.made_on > end:
            continue
        if row.ended_on is not None and row.ended_on < start:
            continue
        if row.made_on is None and row.status == MatchingStatus.DECLINED.value:
            continue
        kept.append(row)
    return sorted(kept, key=lambda row: (row.made_on is None, row.made_on or end, row.kind))
