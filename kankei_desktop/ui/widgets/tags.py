"""Tags in the editors and the lists (issue 17): a field where tags are typed 「、」-separated
with the file's tags offered as you type, and a combo that filters a list by one tag.

The widgets never query: they get the tag names or ``(id, name)`` pairs from the page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.services.tags import NAME_LIMIT, split_tag_names

#: What the field puts between tags.
SEPARATOR = "、"


class TagsEdit(QLineEdit):
    """「高校生、UIターン希望」: the record's tags; the tag being typed is completed from
    ``names()`` (the file's tags)."""

    def __init__(self, names: Callable[[], list[str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = names
        self.setPlaceholderText(_("Type tags separated by 「、」, e.g. 高校生、UIターン希望"))
        self.setToolTip(_("Tags let you filter the lists and the figures. New names become "
                          "new tags when you save."))
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setWidget(self)
        completer.activated[str].connect(self._insert)  # type: ignore[index]
        self._completer = completer
        self.textEdited.connect(self._on_edited)

    def tag_names(self) -> list[str]:
        """The tags typed (trimmed, no repeats)."""
        return split_tag_names(self.text())

    def set_tag_names(self, names: list[str]) -> None:
        """Show a record's tags."""
        self.setText(SEPARATOR.join(names))

    def problems(self) -> list[tuple[str, str]]:
        """``("tags", sentence)`` for a tag the file could not keep (too long)."""
        return [("tags", _("The tag '{name}' is too long ({count} characters; at most "
                           "{limit}).").format(name=name, count=len(name), limit=NAME_LIMIT))
                for name in self.tag_names() if len(name) > NAME_LIMIT]

    def _current_word(self) -> str:
        text = self.text()[: self.cursorPosition()]
        for separator in ("、", ",", "，"):
            text = text.rsplit(separator, 1)[-1]
        return text.strip()

    def _on_edited(self, _text: str) -> None:
        word = self._current_word()
        if not word:
            popup = self._completer.popup()
            if popup is not None:
                popup.hide()
            return
        typed = set(self.tag_names())
        self._model.setStringList([name for name in self._names() if name not in typed])
        self._completer.setCompletionPrefix(word)
        if self._completer.completionCount():
            self._completer.complete()

    def _insert(self, name: str) -> None:
        before = self.text()[: self.cursorPosition()]
        after = self.text()[self.cursorPosition():]
        cut = max(before.rfind(mark) for mark in ("、", ",", "，"))
        head = before[: cut + 1] if cut >= 0 else ""
        self.setText(f"{head}{name}{SEPARATOR}{after.lstrip('、,， ')}")
        self.setCursorPosition(len(head) + len(name) + 1)


class TagFilter(QComboBox):
    """「すべてのタグ」 or one tag; :meth:`tag_id` is the chosen tag."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(_("Show only what carries one tag"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.addItem(_("All tags"), None)

    def tag_id(self) -> uuid.UUID | None:
        """The chosen tag, or None for all."""
        value = self.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def set_tags(self, tags: list[tuple[uuid.UUID, str]]) -> None:
        """Offer these tags, keeping the choice (signals blocked: no refresh for this)."""
        current = self.tag_id()
        self.blockSignals(True)
        self.clear()
        self.addItem(_("All tags"), None)
        for tag_id, name in tags:
            self.addItem(name, tag_id)
        index = self.index_of(current) if current is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        if current is not None and index < 0:
            self.currentIndexChanged.emit(0)  # the chosen tag is gone: show everything

    def index_of(self, tag_id: uuid.UUID) -> int:
        """The row of ``tag_id`` (-1 when not offered); ids compare by value."""
        return next((index for index in range(self.count())
                     if self.itemData(index) == tag_id), -1)

    def select_tag(self, tag_id: uuid.UUID | None) -> None:
        """Filter by ``tag_id`` (None: all tags)."""
        self.setCurrentIndex(max(self.index_of(tag_id), 0) if tag_id is not None else 0)
