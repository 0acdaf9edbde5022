"""Running ``kankei`` in-process on the test's file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.commands.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def kankei(capsys: pytest.CaptureFixture[str], db_path: Path) -> Run:
    """Run ``kankei --db <db_path> ARGS`` in-process; (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def status(kankei: Run) -> Callable[..., dict[str, Any]]:
    """``kankei furusato status --municipality CODE ARGS --json`` as a dict."""

    def run(code: str, *args: str) -> dict[str, Any]:
        exit_code, out, err = kankei("furusato", "status", "--municipality", code, *args,
                                     "--json")
        assert exit_code == 0, err
        data: dict[str, Any] = json.loads(out)
        return data

    return run
