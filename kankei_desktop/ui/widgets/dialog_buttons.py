"""The Save / Cancel row of the application's dialogs, labelled in its own language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox

from kankei_desktop.core.i18n import _

SAVE = QDialogButtonBox.StandardButton.Save
CANCEL = QDialogButtonBox.StandardButton.Cancel


def save_cancel(dialog: QDialog, save: Callable[[], object] | None = None, *,
                save_text: str | None = None) -> QDialogButtonBox:
    """Save and Cancel in the application's language (Qt's own labels follow the system's).

    Cancel rejects ``dialog``; Save runs ``save`` when it is given (a dialog that checks its
    fields before closing connects ``accepted`` itself). ``save_text`` names the Save button
    otherwise (「保存して追加」).
    """
    buttons = QDialogButtonBox(SAVE | CANCEL)
    buttons.button(SAVE).setText(save_text or _("Save"))
    buttons.button(CANCEL).setText(_("Cancel"))
    if save is not None:
        buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    return buttons
