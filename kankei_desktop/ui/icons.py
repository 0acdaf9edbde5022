"""Icons shipped in resources/icons (SVG), with a neutral fallback."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kankei_desktop.core.storage.paths import resources_dir

#: The colour the shipped SVGs are drawn in (the application's accent blue).
INK = "#2e6f9e"


def icon(name: str, *, selected_ink: str | None = None) -> QIcon:
    """``resources/icons/<name>.svg`` (an empty icon when missing).

    ``selected_ink`` redraws the icon in that colour for the selected state, for lists whose
    selection background is the icons' own blue (the navigation).
    """
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.exists():
        return QIcon()
    result = QIcon(str(path))
    if selected_ink is not None:
        svg = path.read_text(encoding="utf-8").replace(INK, selected_ink)
        renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        for size in (24, 48):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter)
            painter.end()
            result.addPixmap(pixmap, QIcon.Mode.Selected)
    return result
