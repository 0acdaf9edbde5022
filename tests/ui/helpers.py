"""Small user-like steps shared by the UI tests."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from kankei_desktop.ui.widgets.record_picker import RecordPicker


def type_into(qtbot, widget: QLineEdit, text: str) -> None:  # type: ignore[no-untyped-def]
    """Clear ``widget`` and type ``text`` as a user would.

    ASCII goes key by key; Japanese arrives as a Japanese user's input method commits it
    (QTest cannot press keys for kanji).
    """
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    chunk = ""
    for char in text + "\0":
        if char != "\0" and not char.isascii():
            chunk += char
            continue
        if chunk:
            commit(widget, chunk)
            chunk = ""
        if char != "\0":
            qtbot.keyClicks(widget, char)


def commit(widget: QLineEdit, text: str) -> None:
    """Deliver ``text`` as an input-method commit (how kana and kanji are typed)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def pick(qtbot, picker: RecordPicker, text: str, row: int = 0) -> str:  # type: ignore[no-untyped-def]
    """Type ``text`` in a picker, wait for its list, choose ``row``; return the label."""
    type_into(qtbot, picker, text)
    model = picker.completer().completionModel()
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=3000)
    label = str(model.index(row, 0).data())
    popup = picker.completer().popup()
    popup.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.value is not None, timeout=3000)
    return label
