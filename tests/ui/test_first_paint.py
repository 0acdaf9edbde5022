"""The window paints before the document and calendar-export libraries are loaded (issue 25,
item 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT_LIBRARIES = {"reportlab", "openpyxl", "pypdf"}
#: Loaded when a page needs them, not for the first paint.
LATER = {*DOCUMENT_LIBRARIES, "icalendar"}

SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from kankei_desktop.core.storage.database import open_database
    from kankei_desktop.ui.main_window import MainWindow
    from kankei_desktop.ui.navigation import PAGES
    from kankei_desktop.ui.settings import AppSettings

    def loaded():
        return sorted({name.split(".")[0] for name in sys.modules})

    database = open_database(Path(sys.argv[1]))
    window = MainWindow(database, AppSettings())
    window.show()
    app.processEvents()
    first = loaded()
    window.show_page([key for key, _label in PAGES].index("reports"))
    app.processEvents()
    shown = type(window.current_page()).__name__
    print(json.dumps({"first": first, "after": loaded(), "shown": shown}))
    window.close()
    database.close()
""")


def test_the_reports_page_is_built_when_first_shown(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KANKEI_LANG="ja",
               KANKEI_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "k.sqlite3")],
                            capture_output=True, text=True, cwd=ROOT, env=env, timeout=180,
                            check=True)
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert not LATER & set(answer["first"])
    assert set(answer["after"]) >= DOCUMENT_LIBRARIES
    assert answer["shown"] == "ReportsPage"
