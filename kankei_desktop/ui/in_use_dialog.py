"""The file is open in another running copy: say so at once, and offer to read it or quit.

Shown the moment the lock is refused (the lock is never waited for), with who holds the file
when its lock file says. The sentence also goes to stderr, so a start from a shortcut or a
script leaves a trace in its log.
"""

from __future__ import annotations

import sys
from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from kankei_desktop.core.errors import DatabaseInUseError
from kankei_desktop.core.i18n import _


class InUseChoice(Enum):
    """What the user chose."""

    READ_ONLY = "read_only"
    LEAVE = "leave"


class InUseDialog(QMessageBox):
    """「このファイルは別の Kankei Desktop で使用中です」 with 読み取り専用で開く / 終了."""

    def __init__(self, error: DatabaseInUseError, parent: QWidget | None = None, *,
                 quitting: bool = True) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(_("File in use"))
        self.setText(error.message)
        self.setInformativeText(_(
            "You can open it read-only to look things up and print; nothing can be changed "
            "there until the other copy is closed."))
        self.read_only_button = self.addButton(_("Open read-only"),
                                               QMessageBox.ButtonRole.AcceptRole)
        self.leave_button = self.addButton(_("Quit") if quitting else _("Cancel"),
                                           QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.read_only_button)
        self.setEscapeButton(self.leave_button)

    def choice(self) -> InUseChoice:
        """The button pressed (leaving when the dialog was closed otherwise)."""
        if self.clickedButton() is self.read_only_button:
            return InUseChoice.READ_ONLY
        return InUseChoice.LEAVE


def ask_in_use(error: DatabaseInUseError, parent: QWidget | None = None, *,
               quitting: bool = True) -> InUseChoice:
    """Show :class:`InUseDialog` now; return what the user chose."""
    print(error.message, file=sys.stderr, flush=True)
    dialog = InUseDialog(error, parent, quitting=quitting)
    dialog.exec()
    return dialog.choice()
