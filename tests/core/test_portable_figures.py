"""The shared database's figures (portable SQLAlchemy Core, :mod:`core.figures.portable`)
equal the file's hand-tuned SQL and kept tables on random data — run on SQLite, where both
exist. (On PostgreSQL the portable figures meet the naive oracle in ``test_figures.py``.)"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from kankei_desktop.core.figures import compute, portable
from kankei_desktop.core.figures.compute import FigureFilter
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from tests.core.test_figures import Scenario, build_scenario, scenarios

PERIODS = [fiscal_year_range(2020), fiscal_year_range(2021), (date(2020, 4, 1),
                                                              date(2022, 3, 31)),
           (date(2020, 11, 3), date(2021, 5, 31))]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios())
def test_portable_figures_equal_the_sqlite_ones(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "kankei.sqlite3")
        try:
            services = Services(database)
            built = build_scenario(services, scenario)
            filters = [FigureFilter(), FigureFilter(club_id=built.clubs[0]),
                       FigureFilter(municipality_id=built.municipalities[0]),
                       FigureFilter(category=scenario.categories[0]),
                       FigureFilter(club_id=built.clubs[1], category="resident")]
            with database.reading() as session:
                for flt in filters:
                    for start, end in PERIODS:
                        expected = compute.period_figures(session, start, end, flt)
                        assert portable.period_figures(session, start, end, flt) == expected
                        assert portable.first_time_person_ids(session, start, end, flt) == \
                            compute.first_time_person_ids(session, start, end, flt)
                    for year in (2020, 2021):
                        kept = compute.fiscal_year_figures(session, year, flt)
                        live = portable.period_figures(session, *fiscal_year_range(year), flt)
                        live.fiscal_year = year
                        live.by_month = {month: live.by_month.get(month, compute.FigureSet())
                                         for month in kept.by_month}
                        assert live == kept
        finally:
            database.close()
