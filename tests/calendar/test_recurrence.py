"""Series generation: weekly, N-th weekday, day of month; skipped days and holidays."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.calendar.recurrence import (
    MAX_OCCURRENCES,
    SeriesError,
    SeriesRule,
    SeriesSpec,
    SkipReason,
    nth_weekday,
    plan_series,
)

TUESDAY, THURSDAY, MONDAY = 1, 3, 0


def test_weekly_crosses_month_and_year_boundaries() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.WEEKLY, date(2026, 12, 20), date(2027, 1, 20),
                                  weekday=THURSDAY))
    assert plan.dates == [date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 7),
                          date(2027, 1, 14)]
    assert plan.skipped == []


def test_weekly_includes_both_ends() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.WEEKLY, date(2026, 6, 4), date(2026, 6, 18),
                                  weekday=THURSDAY))
    assert plan.dates == [date(2026, 6, 4), date(2026, 6, 11), date(2026, 6, 18)]


def test_second_tuesday_of_every_month() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.MONTHLY_NTH, date(2026, 4, 1), date(2026, 7, 31),
                                  weekday=TUESDAY, nth=2))
    assert plan.dates == [date(2026, 4, 14), date(2026, 5, 12), date(2026, 6, 9),
                          date(2026, 7, 14)]


def test_fifth_weekday_that_does_not_exist_is_skipped_and_reported() -> None:
    # 2026: Thursdays — January has 5 (29th), February 4, April 5 (30th), March 4.
    plan = plan_series(SeriesSpec(SeriesRule.MONTHLY_NTH, date(2026, 1, 1), date(2026, 4, 30),
                                  weekday=THURSDAY, nth=5))
    assert plan.dates == [date(2026, 1, 29), date(2026, 4, 30)]
    assert [(s.year, s.month, s.reason) for s in plan.skipped] == [
        (2026, 2, SkipReason.NO_SUCH_DAY), (2026, 3, SkipReason.NO_SUCH_DAY)]
    assert "2026-02" in plan.skipped[0].describe()


def test_nth_weekday_helper() -> None:
    assert nth_weekday(2026, 2, MONDAY, 1) == date(2026, 2, 2)
    assert nth_weekday(2026, 2, MONDAY, 5) is None
    assert nth_weekday(2026, 3, MONDAY, 5) == date(2026, 3, 30)


def test_thirty_first_skips_short_months() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.MONTHLY_DAY, date(2026, 1, 1), date(2026, 5, 31),
                                  day=31))
    assert plan.dates == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]
    assert [(s.month, s.reason) for s in plan.skipped] == [
        (2, SkipReason.NO_SUCH_DAY), (4, SkipReason.NO_SUCH_DAY)]


def test_twenty_ninth_of_february_in_leap_years_only() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.MONTHLY_DAY, date(2027, 2, 1), date(2028, 3, 1),
                                  day=29))
    assert date(2028, 2, 29) in plan.dates
    assert (2027, 2) in {(s.year, s.month) for s in plan.skipped}


def test_missing_day_after_the_end_is_not_reported() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.MONTHLY_DAY, date(2026, 5, 1), date(2026, 6, 10),
                                  day=31))
    assert plan.dates == [date(2026, 5, 31)]
    assert plan.skipped == []


def test_holidays_are_skipped_with_their_names_only_when_asked() -> None:
    # Mondays 2027-01-04 … 2027-01-25: 2027-01-11 is 成人の日.
    spec = SeriesSpec(SeriesRule.WEEKLY, date(2027, 1, 4), date(2027, 1, 25), weekday=MONDAY)
    assert date(2027, 1, 11) in plan_series(spec).dates
    plan = plan_series(SeriesSpec(spec.rule, spec.start, spec.end, weekday=MONDAY,
                                  skip_holidays=True))
    assert date(2027, 1, 11) not in plan.dates
    assert len(plan.dates) == 3
    (skipped,) = plan.skipped
    assert skipped.reason is SkipReason.HOLIDAY
    assert skipped.holiday == "成人の日"
    assert "成人の日" in skipped.describe()


def test_substitute_holiday_is_skipped() -> None:
    # 2026-05-06 (Wed) is a 振替休日 for 憲法記念日 on Sunday.
    plan = plan_series(SeriesSpec(SeriesRule.WEEKLY, date(2026, 5, 1), date(2026, 5, 31),
                                  weekday=2, skip_holidays=True))
    assert date(2026, 5, 6) not in plan.dates
    assert plan.skipped[0].day == date(2026, 5, 6)


@pytest.mark.parametrize("spec", [
    SeriesSpec(SeriesRule.WEEKLY, date(2026, 5, 1), date(2026, 4, 1)),
    SeriesSpec(SeriesRule.MONTHLY_NTH, date(2026, 5, 1), date(2026, 6, 1), nth=6),
    SeriesSpec(SeriesRule.MONTHLY_DAY, date(2026, 5, 1), date(2026, 6, 1), day=32),
    SeriesSpec(SeriesRule.WEEKLY, date(2000, 1, 1), date(2030, 1, 1)),
])
def test_unusable_rules_are_sentences(spec: SeriesSpec) -> None:
    with pytest.raises(SeriesError) as raised:
        plan_series(spec)
    assert raised.value.message


def test_limit_is_generous_enough_for_a_year_of_weeks() -> None:
    plan = plan_series(SeriesSpec(SeriesRule.WEEKLY, date(2026, 4, 1), date(2027, 3, 31)))
    assert 52 <= len(plan.dates) < MAX_OCCURRENCES


@given(start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
       length=st.integers(0, 400), weekday=st.integers(0, 6), nth=st.integers(1, 5),
       rule=st.sampled_from(list(SeriesRule)), day=st.integers(1, 31),
       holidays=st.booleans())
def test_every_date_obeys_the_rule(start: date, length: int, weekday: int, nth: int,
                                   rule: SeriesRule, day: int, holidays: bool) -> None:
    end = start + timedelta(days=length)
    plan = plan_series(SeriesSpec(rule, start, end, weekday=weekday, nth=nth, day=day,
                                  skip_holidays=holidays))
    assert plan.dates == sorted(set(plan.dates))
    for found in plan.dates:
        assert start <= found <= end
        if rule is SeriesRule.MONTHLY_DAY:
            assert found.day == day
        else:
            assert found.weekday() == weekday
        if rule is SeriesRule.MONTHLY_NTH:
            assert (found.day - 1) // 7 + 1 == nth
    if rule is SeriesRule.WEEKLY:
        gaps = {(b - a).days for a, b in zip(plan.dates, plan.dates[1:], strict=False)}
        assert gaps <= {7, 14, 21} if holidays else gaps <= {7}
