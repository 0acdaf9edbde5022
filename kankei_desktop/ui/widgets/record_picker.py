"""A line edit that searches as you type and lets you pick one record from a popup.

The widget does not know where records come from: it calls ``search(text)``, which returns
``(key, label)`` pairs (the page passes a function over the services or the master list).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

SearchFunction = Callable[[str], list[tuple[Hashable, str]]]
KEY_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordPicker(QLineEdit):
    """Type part of a name, choose from the list; :attr:`value` is the chosen key (or None)."""

    chosen = Signal(object)
    """The user picked a record (its key) or cleared the field (None)."""

    def __init__(
        self, search: SearchFunction, placeholder: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._value: Hashable | None = None
        self._label = ""
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._model = QStandardItemModel(self)
        completer = QCompleter(self._model, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        # The QModelIndex overload of the signal; PySide6's stubs give SignalInstance no
        # __getitem__, though overloaded signals are indexed so at run time.
        completer.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]
        self.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.update_choices)
        self.textEdited.connect(self._on_edited)

    @property
    def value(self) -> Hashable | None:
        """The chosen key, or None."""
        return self._value

    def set_value(self, key: Hashable | None, label: str = "") -> None:
        """Show an existing choice without emitting :attr:`chosen`."""
        self._value = key
        self._label = label if key is not None else ""
        self._model.clear()
        self.setText(self._label)

    def has_unmatched_text(self) -> bool:
        """True when text was typed but nothing chosen."""
        return bool(self.text().strip()) and self._value is None

    def update_choices(self) -> None:
        """Fill the popup with the records matching the current text."""
        self._timer.stop()
        self._model.clear()
        text = self.text().strip()
        if not text:
            return
        for key, label in self._search(text):
            item = QStandardItem(label)
            item.setData(key, KEY_ROLE)
            self._model.appendRow(item)
        completer = self.completer()
        completer.setCompletionPrefix("")
        if self._model.rowCount():
            completer.complete()

    def choose_row(self, row: int) -> None:
        """Pick the ``row``-th entry of the popup (keyboard users press ↓ and Enter)."""
        self._on_activated(self._model.index(row, 0))

    def _on_edited(self, text: str) -> None:
        if text != self._label and self._value is not None:
            self._value = None
            self._label = ""
            if not text:
                self.chosen.emit(None)
        self._model.clear()
        self._timer.start()

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        key = index.data(KEY_ROLE)
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        self._value = key
        self._label = label
        self.setText(label)
        self.chosen.emit(key)
