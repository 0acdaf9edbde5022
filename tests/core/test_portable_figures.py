"""The shared database's figures (portable SQLAlchemy Core, :mod:`core.figures.portable`)
equal the file's hand-tuned SQL and kept tables on random data — every breakdown, for any
period and scope — run on SQLite, where both exist. (On PostgreSQL the portable figures meet
the naive oracle in ``test_figures.py``.)"""

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
from tests.core import figures_oracle as oracle_module


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=oracle_module.scenarios(), period=oracle_module.periods())
def test_portable_figures_equal_the_sqlite_ones(scenario: oracle_module.Scenario,
                                                period: tuple[date, date]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(Path(folder) / "kankei.sqlite3")
        try:
            services = Services(database)
            built = oracle_module.build_scenario(services, scenario)
            filters = [FigureFilter(), *(checked.figure_filter(built)
                                         for checked in oracle_module.scopes(scenario))]
            periods = [period, fiscal_year_range(2020), fiscal_year_range(2021),
                       (oracle_module.FIRST_DAY, oracle_module.LAST_DAY)]
            with database.reading() as session:
                for flt in filters:
                    for start, end in periods:
                        expected = compute.period_figures(session, start, end, flt)
                        assert compute.portable_period_figures(session, start, end, flt) \
                            == expected, (flt, start, end)
                        assert portable.newcomer_ids(session, start, end, flt) == \
                            compute.first_time_person_ids(session, start, end, flt)
        finally:
            database.close()
