"""Smoke test: the real application on a real X server (Xvfb, xcb platform).

Skipped — never failed — where ``xvfb-run`` is missing or Qt's xcb plugin cannot start
(CI machines without the X libraries).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from kankei_desktop.core.demo import load_demo
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database

pytestmark = pytest.mark.gui

PAGES = ("dashboard", "organizations", "people", "clubs", "matchings", "calendar", "reports",
         "sync")
PROBE = ("from PySide6.QtWidgets import QApplication; app = QApplication([]); "
         "print(app.platformName())")


def _xcb_environment() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "xcb"
    env.pop("DISPLAY", None)
    return env


def _require_xvfb() -> str:
    xvfb_run = shutil.which("xvfb-run")
    if xvfb_run is None:
        pytest.skip("xvfb-run is not installed")
    try:
        probe = subprocess.run(
            [xvfb_run, "-a", sys.executable, "-c", PROBE], env=_xcb_environment(),
            capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"Xvfb could not start: {exc}")
    if probe.returncode != 0 or probe.stdout.strip() != "xcb":
        pytest.skip("Qt's xcb platform cannot start here (missing X libraries?): "
                    + probe.stderr.strip()[-300:])
    return xvfb_run


def _distinct_colours(image: QImage) -> int:
    step_x, step_y = max(1, image.width() // 64), max(1, image.height() // 40)
    return len({image.pixel(x, y) for x in range(0, image.width(), step_x)
                for y in range(0, image.height(), step_y)})


def test_real_app_under_xvfb(tmp_path: Path) -> None:
    xvfb_run = _require_xvfb()
    db_path = tmp_path / "demo.sqlite3"
    database = open_database(db_path)
    try:
        load_demo(Services(database))
    finally:
        database.close()
    shots = tmp_path / "shots"
    result = subprocess.run(
        [xvfb_run, "-a", sys.executable, "-m", "kankei_desktop.app", "--db", str(db_path),
         "--screenshots", str(shots)],
        env=_xcb_environment(), capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    for page in PAGES:
        path = shots / f"{page}.png"
        assert path.exists(), f"{page}.png was not written"
        assert path.stat().st_size > 10_000, f"{page}.png is nearly empty"
        image = QImage(str(path))
        assert image.width() >= 1000
        assert image.height() >= 600
        assert _distinct_colours(image) >= 8, f"{page}.png looks blank"
