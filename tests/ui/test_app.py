"""The entry point: screenshots, settings, open errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kankei_desktop.app import main
from kankei_desktop.ui.navigation import PAGES

pytestmark = pytest.mark.gui

PAGE_FILES = {"dashboard", "organizations", "people", "clubs", "matchings", "calendar", "surveys",
              "reports", "sync", "furusato"}


def test_screenshots_written(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "shots"
    assert main(["--db", str(tmp_path / "file.sqlite3"), "--screenshots", str(out),
                 "--lang", "ja"]) == 0
    stems = {path.stem for path in out.glob("*.png")}
    assert {key for key, _label in PAGES} == PAGE_FILES
    assert stems >= PAGE_FILES  # every page, plus views of some pages (calendar-week …)
    assert all(stem.split("-")[0] in PAGE_FILES | {"welcome"} for stem in stems)
    assert "welcome" in stems  # the first-start window, for the manual
    assert all(path.stat().st_size > 1000 for path in out.glob("*.png"))


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768)])
def test_screenshots_at_a_small_window_size(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             size: tuple[int, int]) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "shots"
    assert main(["--db", str(tmp_path / "file.sqlite3"), "--screenshots", str(out),
                 "--screenshot-size", f"{size[0]}x{size[1]}"]) == 0
    image = QImage(str(out / "dashboard.png"))
    ratio = image.devicePixelRatio() or 1
    assert (round(image.width() / ratio), round(image.height() / ratio)) == size


def test_a_bad_screenshot_size_is_a_sentence(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["--screenshots", str(tmp_path), "--screenshot-size", "big"])
    assert "1366x768" in capsys.readouterr().err


def test_unopenable_file_is_a_sentence(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, _title, text, *a, **k: shown.append(text))
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("hello, I am not SQLite")
    assert main(["--db", str(bad)]) == 1
    assert len(shown) == 1
    assert "Traceback" not in shown[0]
    assert str(bad.name) in shown[0] or shown[0]


def test_window_remembers_page(qtbot, database, answers) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.ui.main_window import MainWindow
    from kankei_desktop.ui.settings import AppSettings

    win = MainWindow(database, AppSettings())
    qtbot.addWidget(win)
    win.show()
    win.show_page(3)
    win.close()
    settings = AppSettings()
    assert settings.last_page == 3
    assert settings.last_file == str(database.path)
    again = MainWindow(database, settings)
    qtbot.addWidget(again)
    assert again.page_key() == "clubs"
