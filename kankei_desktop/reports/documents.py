"""One entry point for every document: what to build (a request) → the PDF and its figures.

The GUI, the CLI, the self-test and 提出済み all go through :func:`build_report`;
:func:`report_figures` gathers the same figures without drawing, for drift detection.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.figures.period import Period
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.reports.annual import annual_snapshot, annual_title, render_annual
from kankei_desktop.reports.attendance import (
    SheetKind,
    attendance_data,
    attendance_snapshot,
    attendance_title,
    render_attendance,
)
from kankei_desktop.reports.club import club_data, club_snapshot, club_title, render_club
from kankei_desktop.reports.common import FigureValue
from kankei_desktop.reports.data import (
    AnnualData,
    ReportInputError,
    annual_data,
    resolve_club,
    resolve_meeting,
)
from kankei_desktop.reports.kinds import ReportKind as ReportKind
from kankei_desktop.reports.month import month_data, month_snapshot, month_title, render_month
from kankei_desktop.reports.settings import CoverSettings, load_cover, missing_fields
from kankei_desktop.reports.survey_form import (
    render_survey_form,
    survey_form_data,
    survey_form_snapshot,
    survey_form_title,
)


class IncompleteCoverError(KankeiError):
    """The annual report's cover or texts lack fields (and no draft was asked for)."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(_(
            "The annual report cannot be built for submission yet: {fields} not filled in. "
            "Fill them in on the Reports page, or build a draft.").format(
            fields="、".join(fields)))


@dataclass(frozen=True)
class ReportRequest:
    """What to build. Ids are hex strings so the request is stored as JSON unchanged."""

    kind: str
    fiscal_year: int | None = None
    municipality_code: str | None = None
    club_id: str | None = None
    meeting_id: str | None = None
    month: str | None = None
    sheet: str | None = None
    """出席簿 only: ``sign-in`` or ``record`` (None: record for a held session, else
    sign-in)."""
    date_from: str | None = None
    """First day (ISO) of an annual report's period other than one 年度 (with ``date_to``)."""
    date_to: str | None = None

    @classmethod
    def annual(cls, period: Period, municipality_code: str | None = None) -> ReportRequest:
        """The 実績報告書 of ``period``: a 年度 by its year, any other period by its days."""
        year = period.single_fiscal_year
        if year is not None:
            return cls(ReportKind.ANNUAL.value, fiscal_year=year,
                       municipality_code=municipality_code)
        return cls(ReportKind.ANNUAL.value, municipality_code=municipality_code,
                   date_from=period.start.isoformat(), date_to=period.end.isoformat())

    def to_json(self) -> str:
        return json.dumps({key: value for key, value in asdict(self).items()
                           if value is not None}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReportRequest:
        data = json.loads(text)
        return cls(**{key: data.get(key) for key in (
            "kind", "fiscal_year", "municipality_code", "club_id", "meeting_id", "month",
            "sheet", "date_from", "date_to")})


@dataclass
class BuiltReport:
    """A rendered document: the PDF, its title and the figures it shows."""

    request: ReportRequest
    title: str
    pdf: bytes
    figures: list[FigureValue] = field(default_factory=list)
    draft: bool = False

    @property
    def page_count(self) -> int:
        return len(re.findall(rb"/Type\s*/Page[^s]", self.pdf))


def parse_month(text: str) -> tuple[int, int]:
    """``2021-12`` → ``(2021, 12)``; :class:`ReportInputError` with a sentence otherwise."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if match is None or not 1 <= int(match.group(2)) <= 12 or not 1900 <= int(
            match.group(1)) <= 2200:
        raise ReportInputError(_("'{month}' is not a month; write it as YYYY-MM, e.g. "
                                 "2021-12.").format(month=text))
    return int(match.group(1)), int(match.group(2))


def _fiscal_year(request: ReportRequest) -> int:
    year = request.fiscal_year
    if year is None or not 1900 <= year <= 2200:
        raise ReportInputError(_(
            "The fiscal year {year} is not plausible. Give the year of the April it starts in, "
            "e.g. --fy 2021 for Reiwa 3.").format(year=year))
    return year


def _period(request: ReportRequest) -> Period:
    """The period of an annual report: its days, or its 年度."""
    if request.date_from and request.date_to:
        try:
            return Period(date.fromisoformat(request.date_from),
                          date.fromisoformat(request.date_to))
        except ValueError:
            raise ReportInputError(_("The period {start} – {end} cannot be reported on; give "
                                     "a first and a last day, the last on or after the "
                                     "first.").format(start=request.date_from,
                                                      end=request.date_to)) from None
    return Period.fiscal_year(_fiscal_year(request))


def _club_id(services: Services, request: ReportRequest) -> uuid.UUID:
    if not request.club_id:
        raise ReportInputError(_("Choose a club for the club activity report."))
    club_id = uuid.UUID(request.club_id)
    if not any(row.id == club_id for row in services.clubs.find()):
        raise ReportInputError(_("The club of this report no longer exists."))
    return club_id


def _gather(services: Services, request: ReportRequest) -> tuple[str, object]:
    """The document's title and data (nothing drawn yet)."""
    cover = load_cover(services)
    kind = ReportKind(request.kind)
    if kind is ReportKind.ANNUAL:
        area = (services.areas.by_code(request.municipality_code)
                if request.municipality_code else None)
        annual = annual_data(services, _period(request), area)
        return annual_title(annual, cover), annual
    if kind is ReportKind.CLUB:
        club = club_data(services, _club_id(services, request), _fiscal_year(request))
        return club_title(club), club
    if kind is ReportKind.ATTENDANCE:
        meeting = resolve_meeting(services, request.meeting_id or "")
        sheet = attendance_data(services, meeting, _sheet_kind(request.sheet))
        return attendance_title(sheet), sheet
    if kind is ReportKind.SURVEY_FORM:
        form = survey_form_data(services, resolve_meeting(services, request.meeting_id or ""))
        return survey_form_title(form), form
    year, month = parse_month(request.month or "")
    schedule = month_data(services, year, month)
    return month_title(schedule, cover), schedule


_SNAPSHOT = {
    ReportKind.ANNUAL: annual_snapshot,
    ReportKind.CLUB: club_snapshot,
    ReportKind.ATTENDANCE: attendance_snapshot,
    ReportKind.MONTH: month_snapshot,
    ReportKind.SURVEY_FORM: survey_form_snapshot,
}
_RENDER = {
    ReportKind.ANNUAL: render_annual,
    ReportKind.CLUB: render_club,
    ReportKind.ATTENDANCE: render_attendance,
    ReportKind.MONTH: render_month,
    ReportKind.SURVEY_FORM: render_survey_form,
}


def _sheet_kind(value: str | None) -> SheetKind | None:
    if value is None:
        return None
    try:
        return SheetKind(value)
    except ValueError:
        raise ReportInputError(_("'{kind}' is not a kind of attendance sheet; choose "
                                 "sign-in or record.").format(kind=value)) from None


def report_figures(services: Services, request: ReportRequest) -> list[FigureValue]:
    """The figures the document would show now (no PDF drawn)."""
    _title, data = _gather(services, request)
    return list(_SNAPSHOT[ReportKind(request.kind)](data))  # type: ignore[operator]


def build_report(services: Services, request: ReportRequest,
                 cover: CoverSettings | None = None, *, draft: bool = False) -> BuiltReport:
    """Gather, check the glyphs and draw the document.

    Raises :class:`ReportInputError` for a request that names nothing in the file,
    :class:`~kankei_desktop.reports.fonts.MissingGlyphsError` for characters that would not
    print and :class:`IncompleteCoverError` for an annual report whose cover or texts lack
    fields — unless ``draft``, which builds it marked 「下書き」 on every page.
    """
    title, data = _gather(services, request)
    kind = ReportKind(request.kind)
    cover = cover or load_cover(services)
    if kind is ReportKind.ANNUAL:
        assert isinstance(data, AnnualData)
        missing = missing_fields(cover, data.texts, data.fiscal_year)
        if missing and not draft:
            raise IncompleteCoverError(missing)
        pdf = render_annual(data, cover, draft=draft)
    else:
        pdf = _RENDER[kind](data, cover)  # type: ignore[operator]
    return BuiltReport(request, title, pdf, list(_SNAPSHOT[kind](data)),  # type: ignore[operator]
                       draft=kind is ReportKind.ANNUAL and draft)


def club_request(services: Services, name: str, fiscal_year: int) -> ReportRequest:
    """The request for the club called ``name`` (CLI)."""
    return ReportRequest(ReportKind.CLUB.value, fiscal_year=fiscal_year,
                         club_id=resolve_club(services, name).id.hex)
