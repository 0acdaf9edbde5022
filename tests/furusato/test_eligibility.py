"""Who may hold a premium registration, and the reasons in words when not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.furusato.eligibility import Reason, assess
from kankei_desktop.core.furusato.settings import FurusatoSettings
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from tests.furusato.helpers import (
    BIEI,
    HIGASHIKAWA,
    PIPPU,
    SAPPORO,
    SAPPORO_CHUO,
    TAKASU,
    TOMA,
    attend,
    club,
    person,
    register,
    session,
)

BOTH_ENGINES = True

FY2026 = fiscal_year_range(2026)


def _with_activities(services: Services, count: int, **kwargs: object) -> object:
    club_id = club(services, "鷹栖の担い手クラブ")
    someone = person(services, "佐藤", "花子", **kwargs)  # type: ignore[arg-type]
    for day in range(count):
        attend(services, session(services, club_id, date(2026, 6, 1 + day)), someone)
    return someone


def _line(services: Services, code: str = TAKASU):  # type: ignore[no-untyped-def]
    report = services.furusato.status(code, *FY2026)
    assert len(report.people) == 1
    return report.people[0]


def test_three_activities_from_elsewhere_qualify(services: Services) -> None:
    _with_activities(services, 3, lives_in=SAPPORO)
    line = _line(services)
    assert (line.activities, line.eligible_premium, line.reasons) == (3, True, [])


def test_too_few_activities_say_how_many_more(services: Services) -> None:
    _with_activities(services, 1)
    line = _line(services)
    assert not line.eligible_premium
    assert line.eligibility.reasons == (Reason.TOO_FEW_ACTIVITIES,)
    assert line.reasons == ["担い手活動への参加はこの期間に1回です。"
                            "プレミアム登録にはあと2回必要です（3回以上）。"]


def test_too_few_in_english(services: Services) -> None:
    _with_activities(services, 2)
    set_language("en")
    try:
        assert _line(services).reasons == [
            "2 designated activities attended in the period; 1 more needed for premium "
            "(at least 3)."]
    finally:
        set_language("ja")


def test_living_there_rules_premium_out(services: Services) -> None:
    _with_activities(services, 4, lives_in=TAKASU)
    line = _line(services)
    assert not line.eligible_premium
    assert line.eligibility.reasons == (Reason.LIVES_THERE,)
    assert "鷹栖町" in line.reasons[0]


def test_living_in_a_ward_is_living_in_the_city(services: Services) -> None:
    ward_club = club(services, "札幌の担い手クラブ", SAPPORO)
    someone = person(services, "佐藤", "花子", lives_in=SAPPORO_CHUO)
    for day in range(3):
        attend(services, session(services, ward_club, date(2026, 6, 1 + day)), someone)
    assert _line(services, SAPPORO).eligibility.reasons == (Reason.LIVES_THERE,)


def test_three_premium_registrations_elsewhere_are_the_limit(services: Services) -> None:
    someone = _with_activities(services, 3)
    for code in (HIGASHIKAWA, BIEI):
        register(services, someone, code, tier="premium")  # type: ignore[arg-type]
    assert _line(services).eligible_premium
    register(services, someone, TOMA, tier="premium")  # type: ignore[arg-type]
    line = _line(services)
    assert line.eligibility.reasons == (Reason.PREMIUM_LIMIT,)
    assert "東川町" in line.reasons[0]
    assert "上限3" in line.reasons[0]


def test_lapsed_withdrawn_expired_and_basic_registrations_do_not_use_a_place(
        services: Services) -> None:
    someone = _with_activities(services, 3)
    register(services, someone, HIGASHIKAWA, tier="premium", status="lapsed")  # type: ignore[arg-type]
    register(services, someone, BIEI, tier="premium", status="withdrawn")  # type: ignore[arg-type]
    register(services, someone, TOMA, tier="premium", on=date(2025, 1, 10),  # type: ignore[arg-type]
             renewal=date(2026, 1, 10))  # expired before the year began
    register(services, someone, PIPPU, tier="basic")  # type: ignore[arg-type]
    register(services, someone, SAPPORO, tier="premium")  # type: ignore[arg-type]
    line = _line(services)
    assert line.premium_elsewhere == ("北海道札幌市",)
    assert line.eligible_premium


def test_every_reason_at_once_in_order(services: Services) -> None:
    someone = _with_activities(services, 0, lives_in=TAKASU)
    for code in (HIGASHIKAWA, BIEI, TOMA):
        register(services, someone, code, tier="premium")  # type: ignore[arg-type]
    register(services, someone, TAKASU)  # type: ignore[arg-type]
    line = _line(services)
    assert line.eligibility.reasons == (Reason.TOO_FEW_ACTIVITIES, Reason.LIVES_THERE,
                                        Reason.PREMIUM_LIMIT)
    assert line.tier == "basic"
    assert line.activities == 0
    assert "あと3回" in line.reasons[0]


def test_the_settings_change_the_outcome(services: Services) -> None:
    someone = _with_activities(services, 2)
    register(services, someone, HIGASHIKAWA, tier="premium")  # type: ignore[arg-type]
    assert not _line(services).eligible_premium
    services.furusato.save_settings(FurusatoSettings(minimum_activities=2, maximum_premium=1))
    line = _line(services)
    assert line.eligibility.reasons == (Reason.PREMIUM_LIMIT,)
    services.furusato.save_settings(FurusatoSettings(minimum_activities=2, maximum_premium=2))
    assert _line(services).eligible_premium
    assert services.furusato.status(TAKASU, *FY2026).as_json()["minimum_activities"] == 2


def test_the_json_has_the_contracts_keys(services: Services) -> None:
    someone = _with_activities(services, 3, reading=("さとう", "はなこ"))
    register(services, someone, TAKASU, tier="premium")  # type: ignore[arg-type]
    data = services.furusato.status(TAKASU, *FY2026).as_json()
    assert data == {"municipality": TAKASU, "period_start": "2026-04-01",
                    "period_end": "2027-03-31", "minimum_activities": 3,
                    "people": [{"person_id": someone.hex,  # type: ignore[attr-defined]
                                "name": "佐藤 花子", "activities": 3,
                                "registration": "premium", "eligible_premium": True,
                                "reasons": []}]}


def test_registered_people_without_activities_are_listed(services: Services) -> None:
    club(services, "鷹栖の担い手クラブ")
    quiet = person(services, "鈴木", "一郎")
    gone = person(services, "鈴木", "二郎")
    register(services, quiet, TAKASU)
    register(services, gone, TAKASU, status="withdrawn")
    line = _line(services)
    assert (line.name, line.activities, line.tier) == ("鈴木 一郎", 0, "basic")


def test_assess_is_pure() -> None:
    outcome = assess(activities=5, minimum=3, lives_there=False, municipality="鷹栖町",
                     premium_elsewhere=["東川町", "美瑛町"], maximum=3)
    assert outcome.eligible
    assert outcome.shortfall == 0


def test_a_bad_code_is_one_sentence(services: Services) -> None:
    for code in ("014525", "01452", "abc", "0145244"):
        with pytest.raises(ValidationError, match="6"):
            services.furusato.status(code, *FY2026)


@given(activities=st.integers(0, 10), minimum=st.integers(1, 6), lives_there=st.booleans(),
       elsewhere=st.integers(0, 5), maximum=st.integers(1, 5))
def test_eligible_exactly_when_no_reason(activities: int, minimum: int, lives_there: bool,
                                         elsewhere: int, maximum: int) -> None:
    outcome = assess(activities=activities, minimum=minimum, lives_there=lives_there,
                     municipality="鷹栖町", premium_elsewhere=["町"] * elsewhere,
                     maximum=maximum)
    expected = activities >= minimum and not lives_there and elsewhere < maximum
    assert outcome.eligible is expected
    assert (not outcome.sentences) is expected
    assert len(outcome.sentences) == len(outcome.reasons)
    assert outcome.shortfall == max(0, minimum - activities)
