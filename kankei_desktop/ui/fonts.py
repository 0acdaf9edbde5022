"""The UI font: the platform's Japanese UI font, bundled fonts as the fallback, ≥ 10 pt."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kankei_desktop.core.storage.paths import resources_dir

MIN_POINT_SIZE = 10.0

#: Preferred families, best first: Windows, macOS, Linux, then the bundled IPAex Gothic.
PREFERRED_FAMILIES = (
    "Yu Gothic UI",
    "Meiryo UI",
    "Meiryo",
    "Hiragino Sans",
    "Hiragino Kaku Gothic ProN",
    "Noto Sans CJK JP",
    "Noto Sans JP",
    "Source Han Sans JP",
    "IPAexGothic",
    "IPAGothic",
    "TakaoPGothic",
)


def register_bundled_fonts() -> list[str]:
    """Add ``resources/fonts/*.ttf|otf`` to the application; return their families."""
    families: list[str] = []
    folder = resources_dir() / "fonts"
    if not folder.is_dir():
        return families
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in (".ttf", ".otf", ".ttc"):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id >= 0:
                families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def choose_ui_font(app: QApplication) -> QFont:
    """Set and return the application font."""
    register_bundled_fonts()
    available = set(QFontDatabase.families())
    font = QFont(app.font())
    for family in PREFERRED_FAMILIES:
        if family in available:
            font.setFamilies([family, *(f for f in PREFERRED_FAMILIES if f in available
                                        and f != family)])
            break
    if font.pointSizeF() < MIN_POINT_SIZE:
        font.setPointSizeF(MIN_POINT_SIZE)
    app.setFont(font)
    return font
