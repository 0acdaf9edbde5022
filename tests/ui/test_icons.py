"""The navigation's icons stay visible on the blue selection."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QIcon, QImage

from kankei_desktop.ui.icons import INK, icon
from kankei_desktop.ui.navigation import PAGES

pytestmark = pytest.mark.gui


def _inks(image: QImage) -> set[str]:
    """The colours of the opaque pixels."""
    return {
        QColor(image.pixel(x, y)).name()
        for x in range(image.width()) for y in range(image.height())
        if QColor.fromRgba(image.pixel(x, y)).alpha() == 255
    }


@pytest.mark.parametrize("key", [key for key, _label in PAGES])
def test_selected_navigation_icon_is_drawn_in_white(qapp, key: str) -> None:  # type: ignore[no-untyped-def]
    drawn = icon(key, selected_ink="#ffffff")
    normal = drawn.pixmap(24, 24, QIcon.Mode.Normal).toImage()
    selected = drawn.pixmap(24, 24, QIcon.Mode.Selected).toImage()
    assert _inks(normal) == {INK}
    assert _inks(selected) == {"#ffffff"}


def test_missing_icon_is_empty(qapp) -> None:  # type: ignore[no-untyped-def]
    assert icon("no-such-icon").isNull()
