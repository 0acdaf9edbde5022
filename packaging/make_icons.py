"""Render ``resources/icons/app.svg`` to the PNG and ICO files the installers need.

Run after changing the SVG (the results are committed, so builds need no extra step)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_SIZES = (48, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG at ``size``×``size`` pixels as a Pillow image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "app.svg"))
    if not renderer.isValid():
        raise SystemExit("resources/icons/app.svg is not a valid SVG")
    for size in PNG_SIZES:
        suffix = "" if size == 256 else f"-{size}"
        render(renderer, size).save(ICONS / f"app{suffix}.png")
    largest = render(renderer, 256)
    largest.save(ICONS / "app.ico", sizes=[(size, size) for size in ICO_SIZES])
    print("wrote", ", ".join(sorted(p.name for p in ICONS.glob("app*.*"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
