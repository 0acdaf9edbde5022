"""The cover letter (かがみ) of the 実績報告書: 様式, 提出日, 宛先, 発信者, 記 … 以上.

Laid out as municipal forms are: the form label top left, document number and 提出日 top
right, the addressee on the left, the applicant block on the right (labels in one column,
values in the next, so a long 団体名 continues under its value, not under its label), the
title, the sentence, 記 with numbered items, 以上, and the person in charge in a box. A field
the user has not filled is printed as 「（未入力）」 — only in a draft, which
:func:`~kankei_desktop.reports.documents.build_report` builds only when asked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Table, TableStyle

from kankei_desktop.core.i18n import _
from kankei_desktop.reports.cells import CELL_PADDING
from kankei_desktop.reports.common import format_day
from kankei_desktop.reports.data import AnnualData
from kankei_desktop.reports.fonts import MINCHO
from kankei_desktop.reports.layout import FRAME_WIDTH, GRID, Story
from kankei_desktop.reports.outcomes import made_text
from kankei_desktop.reports.settings import CoverSettings

#: The applicant block may take up to this share of the text width (it is right-aligned).
APPLICANT_SHARE = 0.66
#: A 事業名 that already names a year: 「令和3年度」「R3年度」「2021年度」「平成31年度」.
_YEAR_IN_NAME = re.compile(r"(令和|平成|昭和|[RHS])(元|\d{1,2})年度|(19|20)\d\d年度")


def names_a_year(project: str) -> bool:
    """True when the project name already contains a fiscal year (「令和3年度…事業」)."""
    return _YEAR_IN_NAME.search(project) is not None


def annual_title(data: AnnualData, cover: CoverSettings) -> str:
    """「令和3年度　関係人口創出・拡大事業　実績報告書」 (the year once, even if the project
    name carries it), 「令和3年度〜令和5年度　…　実績報告書」 for several 年度."""
    parts = []
    if data.fiscal_year is None or not names_a_year(cover.project_name):
        parts.append(data.period.label())
    if cover.project_name:
        parts.append(cover.project_name)
    parts.append(_("Annual results report"))
    return "　".join(parts)


def period_text(data: AnnualData, style: str) -> str:
    """「令和3年4月1日から令和4年3月31日まで」 (the period's first and last day)."""
    return _("{start} to {end}").format(start=format_day(data.period.start, style),
                                        end=format_day(data.period.end, style))


def area_text(data: AnnualData) -> str:
    """実施地域: the municipality asked for, or the hosts in local government code order."""
    if data.municipality_name:
        return data.municipality_name
    return "、".join(data.hosts) or "-"


def render_cover(story: Story, data: AnnualData, cover: CoverSettings) -> None:
    """Add the cover letter's flowables to ``story`` (one page)."""
    styles = story.styles
    blank = _("(not filled in)")

    def value(text: str) -> str:
        return text.strip() or blank

    day = data.texts.submission_day(cover)
    submitted = format_day(day, "wareki") if day is not None else blank
    top = [[story.para(value(cover.form_label)),
            story.para(cover.document_number, styles.right)],
           ["", story.para(submitted, styles.right)]]
    story.add(Table(top, colWidths=[FRAME_WIDTH * 0.6, FRAME_WIDTH * 0.4], style=TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])))
    story.space(8)
    story.text(cover.addressee or blank)
    story.space(6)
    story.add(applicant_block(story, cover))
    story.space(12)
    story.text(annual_title(data, cover), styles.title)
    story.text(_sentence(data, cover))
    story.space(4)
    story.text(_("Particulars"), styles.center)
    story.space(4)
    total = data.figures.total
    items = [
        (_("Project name"), value(cover.project_name)),
        (_("Period of implementation"), period_text(data, "wareki")),
        (_("Area of implementation"), area_text(data)),
        (_("Sessions held"), _("{count} (of which online {online})").format(
            count=f"{total.meetings_held:,}", online=f"{total.meetings_online:,}")),
        (_("Number of participants"), _("{times} person-times, {unique} persons").format(
            times=f"{total.person_times:,}", unique=f"{total.unique_persons:,}")),
    ]
    if data.show_matchings:  # issue 17: only for a programme that records matchings
        items.append((_("Matchings made"), made_text(data.matching_figures)))
    items += [
        (_("Attachments"), _("Results report (attachment)")),
    ]
    rows = [[story.para(f"{index}　{caption}"), story.para(text)]
            for index, (caption, text) in enumerate(items, start=1)]
    story.add(Table(rows, colWidths=[FRAME_WIDTH * 0.28, FRAME_WIDTH * 0.72], style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
         ("LEFTPADDING", (0, 0), (0, -1), 0)])))
    story.space(2)
    story.text(_("End of particulars"), styles.right)
    story.space(10)
    story.add(contact_block(story, cover))


def applicant_block(story: Story, cover: CoverSettings) -> Table:
    """所在地, 団体名 and 代表者 at the right, as the cover letter and the 活動実績証明書 print
    the sender (「（未入力）」 where empty)."""
    blank = _("(not filled in)")
    representative = "　".join(part for part in (cover.representative_title.strip(),
                                                 cover.representative_name.strip()) if part)
    applicant = [(_("Registered address"), cover.address.strip() or blank),
                 (_("Organisation name"), cover.organisation.strip() or blank),
                 (_("Representative"), representative or blank)]
    return _label_table(story, applicant, seal=cover.seal_box)


def contact_block(story: Story, cover: CoverSettings) -> Table:
    """担当者 and 連絡先 in a box."""
    blank = _("(not filled in)")
    contact = [(_("Contact person"), cover.contact_person.strip() or blank)]
    if cover.contact_phone:
        contact.append((_("Phone"), cover.contact_phone))
    if cover.contact_email:
        contact.append((_("E-mail"), cover.contact_email))
    if not (cover.contact_phone or cover.contact_email):
        contact.append((_("Phone"), blank))
    return _label_table(story, contact, boxed=True)


def _sentence(data: AnnualData, cover: CoverSettings) -> str:
    """「令和3年度に実施した〇〇事業について、（〇〇要綱第8条の規定により、）下記のとおり
    報告します。」"""
    project = cover.project_name.strip() or _("project")
    if data.fiscal_year is not None and names_a_year(project):
        sentence = _("We report on the {project} as follows.").format(project=project)
    else:
        sentence = _("We report on the {project} carried out in {year} as follows.").format(
            project=project, year=data.period.label())
    if cover.basis.strip():
        sentence = _("In accordance with {basis}, {sentence}").format(
            basis=cover.basis.strip(), sentence=sentence)
    return sentence


def _label_table(story: Story, rows: Sequence[tuple[str, str]], *, seal: bool = False,
                 boxed: bool = False) -> Table:
    """Labels in one column, values in the next, right-aligned, as wide as the values need
    (up to :data:`APPLICANT_SHARE` of the text width)."""
    size = story.styles.body.fontSize
    label_width = max(stringWidth(label, MINCHO, size) for label, _value in rows) + \
        CELL_PADDING
    seal_width = 16 * mm if seal else 0.0
    widest = max(stringWidth(text, MINCHO, size) for _label, text in rows) + CELL_PADDING
    value_width = min(widest + 2, FRAME_WIDTH * APPLICANT_SHARE - label_width - seal_width)
    value_width = max(value_width, FRAME_WIDTH * 0.3)
    cells = [[story.para(label), story.para(text)] for label, text in rows]
    widths = [label_width, value_width]
    commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("LEFTPADDING", (0, 0), (0, -1), 6)]
    if seal:
        for row in cells:
            row.append("")
        cells[-1][-1] = story.para(_("Seal"), story.styles.center)
        widths.append(seal_width)
        commands += [("BOX", (2, len(cells) - 1), (2, len(cells) - 1), 0.6, GRID),
                     ("VALIGN", (2, 0), (2, -1), "MIDDLE")]
    if boxed:
        commands.append(("BOX", (0, 0), (-1, -1), 0.5, GRID))
    return Table(cells, colWidths=widths, hAlign="RIGHT", style=TableStyle(commands))
