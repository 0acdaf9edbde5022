"""指標 (KPI): targets of any measure per club or programme and 年度, with their actuals
(issue 17). What each measure's actual is: :mod:`kankei_desktop.core.figures.kpi_actuals`.

The three club targets of earlier versions (開催回数・延べ・実人数) are KPIs of the measures
``meetings_held``, ``person_times`` and ``unique_persons``; :meth:`KpiService.set_targets`
and :meth:`KpiService.targets` keep that older interface.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, fields
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.compute import Figures
from kankei_desktop.core.figures.kpi_actuals import ActualReader, achievement_rate, decimal_of
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_multiline, normalize_text
from kankei_desktop.core.models import Club, Kpi
from kankei_desktop.core.services.context import get_row, live
from kankei_desktop.core.services.records import RecordService
from kankei_desktop.core.services.validation import Checker
from kankei_desktop.core.vocabulary import KpiMeasure, MatchingKind, MeetingKind, label
from kankei_desktop.core.writes.natural_ids import kpi_measure_uuid

LABEL_LIMIT = 200
UNIT_LIMIT = 20
NUMBER_LIMIT = 32
#: The measures of the older club targets, in their order.
TARGET_MEASURES = (KpiMeasure.MEETINGS_HELD.value, KpiMeasure.PERSON_TIMES.value,
                   KpiMeasure.UNIQUE_PERSONS.value)
#: Their fields in the older interface (and in its error messages).
TARGET_FIELDS = ("target_meetings", "target_person_times", "target_unique_persons")


@dataclass
class KpiDraft:
    """The editable fields of a KPI; numbers as typed (「1,200」「4.5」, empty = none)."""

    measure: str
    fiscal_year: int
    club_id: uuid.UUID | None = None
    parameter: str = ""
    label: str = ""
    unit: str = ""
    target: str = ""
    actual: str = ""
    notes: str = ""

    @classmethod
    def of(cls, row: Kpi) -> KpiDraft:
        """A draft holding ``row``'s current values (for editing)."""
        return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class KpiResult:
    """A KPI with its actual and 達成率, as the dashboard and the reports show it."""

    kpi: Kpi
    name: str
    club_name: str
    target: Decimal | None
    actual: Decimal | None
    rate: Decimal | None


@dataclass(frozen=True)
class TargetSet:
    """A club's targets of the three attendance measures for one 年度 (older interface)."""

    club_id: uuid.UUID
    fiscal_year: int
    target_meetings: int | None
    target_person_times: int | None
    target_unique_persons: int | None
    notes: str


def kpi_name(kpi: Kpi) -> str:
    """What the KPI is called: its label, else its measure (with the kind it counts)."""
    if kpi.label:
        return kpi.label
    measure = KpiMeasure(kpi.measure) if kpi.measure in KpiMeasure._value2member_map_ \
        else None
    if measure is None:
        return kpi.measure
    name = label(measure)
    if measure is KpiMeasure.SESSIONS_OF_KIND and kpi.parameter in MeetingKind._value2member_map_:
        return f"{label(KpiMeasure.MEETINGS_HELD)}（{label(MeetingKind(kpi.parameter))}）"
    if measure is KpiMeasure.MATCHINGS_MADE and kpi.parameter in MatchingKind._value2member_map_:
        return f"{name}（{label(MatchingKind(kpi.parameter))}）"
    return name


def format_decimal(value: Decimal | None) -> str:
    """「1,200」「4.5」; 「—」 for none."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def format_rate(rate: Decimal | None) -> str:
    """「87.5%」; 「—」 for none."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def parse_number(text: str) -> str:
    """The canonical text of a number typed in (「１，２００」 → 「1200」); raise ValueError."""
    plain = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace(" ", "")
    if not plain:
        return ""
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValueError(plain) from None
    if not value.is_finite():
        raise ValueError(plain)
    normal = value.normalize()
    return f"{normal:f}" if normal != normal.to_integral_value() else str(int(normal))


class KpiService(RecordService[Kpi, KpiDraft]):
    """Use cases for KPIs."""

    model = Kpi

    def find(self, fiscal_year: int | None = None, *, club_id: uuid.UUID | None = None,
             programme: bool = False, deleted: bool = False) -> list[Kpi]:
        """KPIs of a year (or all years): one club's, the programme's (``programme``), or
        every one; the programme's first, then by club and measure."""
        return self._page(_filtered(fiscal_year, club_id, programme, deleted),
                          (Kpi.fiscal_year, Kpi.club_id.is_not(None), Kpi.club_id,
                           Kpi.created_at, Kpi.id), None, 0)

    def survey_questions(self) -> list[tuple[str, str]]:
        """(id, wording) of the scale questions a survey-score KPI can name."""
        from kankei_desktop.core.surveys.kpi import scale_questions

        with self._ctx.reading() as session:
            return scale_questions(session)

    def results(self, fiscal_year: int, *, club_id: uuid.UUID | None = None,
                programme: bool = False, club_ids: set[uuid.UUID] | None = None,
                year_figures: Figures | None = None) -> list[KpiResult]:
        """The year's KPIs (as :meth:`find`; ``club_ids`` keeps the programme's and those
        clubs') with their actuals and 達成率; ``year_figures``: the year's unfiltered
        figures when the caller has them (they are not computed again)."""
        rows = self.find(fiscal_year, club_id=club_id, programme=programme)
        if club_ids is not None:
            rows = [row for row in rows if row.club_id is None or row.club_id in club_ids]
        with self._ctx.reading() as session:
            reader = ActualReader(session, year_figures)
            clubs = {row.club_id for row in rows if row.club_id}
            named = session.execute(select(Club.id, Club.name, Club.sort_key).where(
                Club.id.in_(clubs), live(Club))).all() if clubs else []
            names = {club_id: name for club_id, name, _key in named}
            order = {club_id: key for club_id, _name, key in named}
            measures = list(KpiMeasure._value2member_map_)
            rows = [row for row in rows if row.club_id is None or row.club_id in names]
            rows.sort(key=lambda row: (
                row.club_id is not None, order.get(row.club_id, "") if row.club_id else "",
                str(row.club_id), measures.index(row.measure)
                if row.measure in measures else len(measures), row.created_at))
            results = []
            for row in rows:
                actual = reader.actual(row)
                target = decimal_of(row.target)
                results.append(KpiResult(row, kpi_name(row),
                                         names.get(row.club_id, "") if row.club_id else "",
                                         target, actual, achievement_rate(actual, target)))
        return results

    # -- the older interface: three targets per club and year ----------------------------

    def set_targets(self, club_id: uuid.UUID, fiscal_year: int,
                    values: tuple[int | None, int | None, int | None], notes: str = ""
                    ) -> None:
        """Set (or, with None, take away) a club's three attendance targets for a year."""
        check = Checker()
        for field_name, value in zip(TARGET_FIELDS, values, strict=True):
            if value is not None and value < 0:
                check.add(field_name, _("A target cannot be negative."))
        _check_year(check, fiscal_year)
        check.raise_if_any()
        remark = normalize_multiline(notes)
        with self._ctx.transaction() as session:
            get_row(session, Club, club_id)
            for measure, value in zip(TARGET_MEASURES, values, strict=True):
                row_id = kpi_measure_uuid(club_id, fiscal_year, measure)
                row = session.get(Kpi, row_id)
                if value is None:
                    if row is not None:
                        self._writes.tombstone(row)
                    continue
                self._writes.put(session, Kpi, row_id, {"target": str(value), "notes": remark},
                                 keep={"club_id": club_id, "fiscal_year": fiscal_year,
                                       "measure": measure})
                remark = ""  # the shared remark once, on the first target set

    def targets(self, club_id: uuid.UUID | None = None, fiscal_year: int | None = None
                ) -> list[TargetSet]:
        """Clubs' three attendance targets per year (only years with one set)."""
        query = select(Kpi).where(live(Kpi), Kpi.club_id.is_not(None),
                                  Kpi.measure.in_(TARGET_MEASURES))
        if club_id is not None:
            query = query.where(Kpi.club_id == club_id)
        if fiscal_year is not None:
            query = query.where(Kpi.fiscal_year == fiscal_year)
        grouped: dict[tuple[int, uuid.UUID], dict[str, Kpi]] = {}
        with self._ctx.reading() as session:
            for row in session.scalars(query):
                assert row.club_id is not None
                grouped.setdefault((row.fiscal_year, row.club_id), {})[row.measure] = row
        result = []
        for (year, club), rows in sorted(grouped.items(), key=lambda item: item[0][0]):
            numbers = [int(rows[m].target) if m in rows and rows[m].target.isdigit() else None
                       for m in TARGET_MEASURES]
            notes = "\n".join(rows[m].notes for m in TARGET_MEASURES
                              if m in rows and rows[m].notes)
            result.append(TargetSet(club, year, numbers[0], numbers[1], numbers[2], notes))
        return result

    # -- writing -------------------------------------------------------------------------

    def _new_row(self, session: Session, draft: KpiDraft) -> Kpi:
        """A new KPI under its natural id; the same one deleted earlier comes back."""
        values = self._clean(session, draft, None)
        row_id = kpi_measure_uuid(
            draft.club_id, draft.fiscal_year, draft.measure, str(values["parameter"]),
            str(values["label"]) if draft.measure == KpiMeasure.MANUAL.value else "")
        existing = session.get(Kpi, row_id)
        if existing is not None and existing.deleted_at is None:
            raise ValidationError([("measure", _(
                "This KPI is already set for that year and scope. Edit it instead."))])
        return self._writes.put(session, Kpi, row_id, values)

    def _clean(self, session: Session, draft: KpiDraft, current_id: uuid.UUID | None
               ) -> dict[str, object]:
        check = Checker()
        check.choice("measure", draft.measure, KpiMeasure, _("Measure"))
        _check_year(check, draft.fiscal_year)
        parameter = draft.parameter.strip()
        if draft.measure == KpiMeasure.SESSIONS_OF_KIND.value:
            check.choice("parameter", parameter, MeetingKind, _("Kind of session"))
        elif draft.measure == KpiMeasure.MATCHINGS_MADE.value:
            if parameter:
                check.choice("parameter", parameter, MatchingKind, _("Kind of matching"))
        elif draft.measure != KpiMeasure.SURVEY_SCORE.value:
            parameter = ""
        name = normalize_text(draft.label)
        if draft.measure == KpiMeasure.MANUAL.value:
            check.required("label", name, _("Indicator"))
        check.max_length("label", name, LABEL_LIMIT, _("Indicator"))
        unit = normalize_text(draft.unit)
        check.max_length("unit", unit, UNIT_LIMIT, _("Unit"))
        numbers = {}
        for field_name, text, caption in (("target", draft.target, _("Target value")),
                                          ("actual", draft.actual, _("Actual value"))):
            try:
                numbers[field_name] = parse_number(text)
            except ValueError:
                check.add(field_name, _("{label}: '{value}' is not a number.").format(
                    label=caption, value=text.strip()))
                continue
            if numbers[field_name].startswith("-"):
                check.add(field_name, _("{label} cannot be negative.").format(label=caption))
            elif len(numbers[field_name]) > NUMBER_LIMIT:
                check.add(field_name, _("{label} is too long.").format(label=caption))
        if draft.measure != KpiMeasure.MANUAL.value:
            numbers["actual"] = ""  # computed from the file, never typed
        if draft.club_id is not None:
            club = session.get(Club, draft.club_id)
            if club is None or club.deleted_at is not None:
                check.add("club_id", _("The chosen club no longer exists."))
        check.raise_if_any()
        values: dict[str, object] = {
            "parameter": parameter, "label": name, "unit": unit,
            "target": numbers["target"], "actual": numbers["actual"],
            "notes": normalize_multiline(draft.notes),
        }
        if current_id is None:
            values.update(club_id=draft.club_id, fiscal_year=draft.fiscal_year,
                          measure=draft.measure)
        return values


def _check_year(check: Checker, fiscal_year: int) -> None:
    if not 1900 <= fiscal_year <= 2200:
        check.add("fiscal_year", _("The fiscal year {year} is not plausible.").format(
            year=fiscal_year))


def _filtered(fiscal_year: int | None, club_id: uuid.UUID | None, programme: bool,
              deleted: bool) -> Select[Kpi]:
    query = select(Kpi).where(Kpi.deleted_at.is_not(None) if deleted else live(Kpi))
    if fiscal_year is not None:
        query = query.where(Kpi.fiscal_year == fiscal_year)
    if club_id is not None:
        query = query.where(Kpi.club_id == club_id)
    elif programme:
        query = query.where(Kpi.club_id.is_(None))
    return query
