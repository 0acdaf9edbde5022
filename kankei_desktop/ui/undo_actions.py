"""編集 ▸ 元に戻す / やり直し: the menu entries over the open file's undo journal.

The journal itself lives in core (:mod:`kankei_desktop.core.writes.journal`); this module only
shows what will be undone in the menu text (「元に戻す: 山田 太郎の編集」), runs undo and redo,
and tells the window to show the data again afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _

if TYPE_CHECKING:
    from kankei_desktop.core.services import Services


class UndoActions(QObject):
    """The 元に戻す and やり直し actions of the Edit menu."""

    done = Signal(str)
    """An action was undone or redone (a sentence for the status bar)."""
    journal_changed = Signal()
    """The journal changed (emitted from any thread; the menu updates in the GUI thread)."""

    def __init__(self, menu: QMenu, window: QWidget,
                 confirm: Callable[[], bool]) -> None:
        super().__init__(window)
        self._window = window
        self._confirm = confirm
        self._services: Services | None = None
        self.undo_action = QAction(_("&Undo"), window)
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = QAction(_("&Redo"), window)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_action.triggered.connect(self.undo)
        self.redo_action.triggered.connect(self.redo)
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        self.note = QAction(_("(Bundle imports cannot be undone; a backup is taken before "
                              "each one)"), window)
        self.note.setEnabled(False)
        menu.addAction(self.note)
        self.journal_changed.connect(self.update)

    def attach(self, services: Services) -> None:
        """Follow the journal of a (newly) open file."""
        if self._services is not None:
            listeners = self._services.context.journal.listeners
            if self._announce in listeners:
                listeners.remove(self._announce)
        self._services = services
        services.context.journal.listeners.append(self._announce)
        self.update()

    def _announce(self) -> None:
        self.journal_changed.emit()

    def update(self) -> None:
        """Menu texts that say what will be undone and redone."""
        journal = self._services.context.journal if self._services is not None else None
        undo = journal.undo_label() if journal is not None else None
        redo = journal.redo_label() if journal is not None else None
        self.undo_action.setText(_("&Undo: {action}").format(action=_menu_text(undo))
                                 if undo else _("&Undo"))
        self.redo_action.setText(_("&Redo: {action}").format(action=_menu_text(redo))
                                 if redo else _("&Redo"))
        self.undo_action.setEnabled(undo is not None)
        self.redo_action.setEnabled(redo is not None)

    def undo(self) -> bool:
        """Undo the newest action (after unsaved edits were dealt with)."""
        return self._run(undoing=True)

    def redo(self) -> bool:
        """Redo the action undone last."""
        return self._run(undoing=False)

    def _run(self, *, undoing: bool) -> bool:
        if self._services is None or not self._confirm():
            return False
        context = self._services.context
        try:
            label = context.undo() if undoing else context.redo()
        except KankeiError as exc:
            QMessageBox.warning(self._window, _("Undo") if undoing else _("Redo"), exc.message)
            self.done.emit("")
            return False
        self.done.emit((_("Undone: {action}") if undoing else _("Redone: {action}")).format(
            action=label))
        return True


def _menu_text(label: str) -> str:
    """A label as menu text: 「&」 is not a keyboard accelerator here."""
    return label.replace("&", "&&")
