"""Running a test module on both engines: ``pytestmark = both_engines``.

The module's ``database`` (and everything built on it) is then an SQLite file in one run and a
fresh database on the session's PostgreSQL server in the other (see ``tests/conftest.py``).
"""

from __future__ import annotations

import pytest

ENGINES = ("sqlite", "postgresql")

#: Parametrises the ``engine_name`` fixture of every test in a module.
both_engines = pytest.mark.parametrize("engine_name", ENGINES, indirect=True)

#: For tests of a both-engine module that read the SQLite file itself.
sqlite_only = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)
