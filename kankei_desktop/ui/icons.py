"""Icons shipped in resources/icons (SVG), with a neutral fallback."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from kankei_desktop.core.paths import resources_dir


def icon(name: str) -> QIcon:
    """``resources/icons/<name>.svg`` (an empty icon when missing)."""
    path = resources_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()
