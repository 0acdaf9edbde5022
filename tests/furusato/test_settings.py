"""The rules' numbers are settings in the file, the published values by default."""

from __future__ import annotations

import pytest

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.furusato.choices import PERIOD_CALENDAR_YEAR, PERIOD_FISCAL_YEAR
from kankei_desktop.core.furusato.period import year_label, year_range
from kankei_desktop.core.furusato.settings import FurusatoSettings
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database


def test_published_values_are_the_defaults(services: Services) -> None:
    current = services.furusato.settings()
    assert (current.minimum_activities, current.maximum_premium, current.period,
            current.renewal_months) == (3, 3, PERIOD_FISCAL_YEAR, 12)


def test_saved_settings_stay_in_the_file(services: Services) -> None:
    services.furusato.save_settings(FurusatoSettings(
        minimum_activities=4, maximum_premium=2, period=PERIOD_CALENDAR_YEAR,
        renewal_months=24, notice_days=30))
    path = services.database.path
    services.database.close()
    reopened = open_database(path)
    try:
        assert Services(reopened).furusato.settings() == FurusatoSettings(
            4, 2, PERIOD_CALENDAR_YEAR, 24, 30)
    finally:
        reopened.close()


@pytest.mark.parametrize("bad", [
    FurusatoSettings(minimum_activities=0), FurusatoSettings(maximum_premium=-1),
    FurusatoSettings(period="weekly"), FurusatoSettings(notice_days=1000)])
def test_out_of_range_values_are_refused_and_nothing_changes(
        services: Services, bad: FurusatoSettings) -> None:
    services.furusato.save_settings(FurusatoSettings(minimum_activities=5))
    with pytest.raises(ValidationError):
        services.furusato.save_settings(bad)
    assert services.furusato.settings().minimum_activities == 5


def test_damaged_stored_values_fall_back_one_by_one() -> None:
    assert FurusatoSettings.from_json("not json") == FurusatoSettings()
    assert FurusatoSettings.from_json('{"minimum_activities": 5, "maximum_premium": "x", '
                                      '"period": "hourly", "extra": 1}') == FurusatoSettings(
        minimum_activities=5)


def test_the_period_follows_the_setting(services: Services) -> None:
    assert services.furusato.year_range(2027) == year_range(2027, PERIOD_FISCAL_YEAR)
    assert str(year_range(2027, PERIOD_FISCAL_YEAR)[0]) == "2027-04-01"
    services.furusato.save_settings(FurusatoSettings(period=PERIOD_CALENDAR_YEAR))
    start, end = services.furusato.year_range(2027)
    assert (str(start), str(end)) == ("2027-01-01", "2027-12-31")
    assert year_label(2027, PERIOD_FISCAL_YEAR) == "令和9年度"
    assert year_label(2027, PERIOD_CALENDAR_YEAR) == "2027年（令和9年）"
