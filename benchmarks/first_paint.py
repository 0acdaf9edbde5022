"""The window's first paint as a whole process (issue 25, item 2).

    python -m benchmarks.first_paint DB            # the application started on DB, ended at
                                                   # once when the window has painted (A)
    python -m benchmarks.first_paint DB --figures  # … ended when the dashboard has painted
                                                   # its figures (what the user waits for)
    python -c "import PySide6.QtWidgets"           # the floor (B)

Time A against B as whole processes, in turn (``python -m benchmarks.ratios``); the ratio of
the medians is the figure (target ≤ 3). A runs the real start-up (``kankei_desktop.app.main``):
the QApplication is made first only so that a filter sees the first paint inside the main
window — its navigation and the page shown, which reads 「読み込み中…」 until the file is
open and the page built — and the process ends there (``os._exit``: nothing is saved or
closed, the file is opened without changes). With ``--figures`` it ends at the first paint of
the dashboard once its figures have arrived (the window must open on the dashboard: a fresh
settings folder, ``KANKEI_DATA_DIR``). The file must be of this version: one to upgrade
shows a dialog first, which nobody answers offscreen.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    app = QApplication([sys.argv[0]])
    figures = "--figures" in sys.argv[2:]

    def shows_figures(widget: QWidget | None) -> bool:
        while widget is not None:
            if type(widget).__name__ == "DashboardPage":
                return getattr(widget, "figures", None) is not None
            widget = widget.parentWidget()
        return False

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                window = watched.window()
                if (isinstance(window, QMainWindow) and watched is not window
                        and (not figures or shows_figures(watched))):
                    os._exit(0)
            return False

    watch = FirstPaint()
    app.installEventFilter(watch)
    from kankei_desktop.app import main as start

    return start(["--db", sys.argv[1]])


if __name__ == "__main__":
    sys.exit(main())
