"""Before an annual report: one form asking for what its cover and texts still lack.

The answers are kept in the file (cover and the year's texts), so the form appears once —
unless something is still empty, in which case the report can be built as a draft.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.japan.wareki import format_fiscal_year
from kankei_desktop.reports.settings import (
    REQUIRED_COVER_FIELDS,
    REQUIRED_TEXTS,
    CoverSettings,
    ReportTexts,
    missing_fields,
)
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit


class Choice(Enum):
    """What the user chose in :class:`MissingFieldsDialog`."""

    CANCEL = 0
    BUILD = 1
    DRAFT = 2


class MissingFieldsDialog(QDialog):
    """The missing cover fields and texts in one form, with 作成 / 下書きで作成 / 取消."""

    def __init__(self, cover: CoverSettings, texts: ReportTexts, fiscal_year: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Complete the annual report"))
        self._cover = cover
        self._texts = texts
        self.fiscal_year = fiscal_year
        self.choice = Choice.CANCEL
        layout = QVBoxLayout(self)
        intro = QLabel(_("A report for submission needs these fields. They are kept in this "
                         "file, so you are asked only once."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        layout.addLayout(form)
        self.lines: dict[str, QLineEdit] = {}
        for name, caption in REQUIRED_COVER_FIELDS:
            if not str(getattr(cover, name)).strip():
                self.lines[name] = QLineEdit()
                form.addRow(_(caption), self.lines[name])
        if not (cover.contact_phone.strip() or cover.contact_email.strip()):
            for name, caption in (("contact_phone", _("Phone")),
                                  ("contact_email", _("E-mail"))):
                self.lines[name] = QLineEdit()
                form.addRow(caption, self.lines[name])
        self.date: OptionalDateEdit | None = None
        if _("Date of submission") in missing_fields(cover, texts, fiscal_year):
            self.date = OptionalDateEdit()
            self.date.set_value(fiscal_year_range(fiscal_year)[1])
            form.addRow(_("Date of submission ({year})").format(
                year=format_fiscal_year(fiscal_year)), self.date)
        self.texts: dict[str, QPlainTextEdit] = {}
        for name, caption in REQUIRED_TEXTS:
            if not str(getattr(texts, name)).strip():
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(64)
                self.texts[name] = edit
                form.addRow(_(caption), edit)
        buttons = QDialogButtonBox()
        self.build_button = QPushButton(_("Save and build"))
        self.draft_button = QPushButton(_("Build a draft"))
        buttons.addButton(self.build_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.draft_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.build_button.clicked.connect(lambda: self._close(Choice.BUILD))
        self.draft_button.clicked.connect(lambda: self._close(Choice.DRAFT))
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _close(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()

    def values(self) -> tuple[CoverSettings, ReportTexts]:
        """The cover and texts with what was typed filled in."""
        typed: dict[str, Any] = {name: edit.text().strip() for name, edit in self.lines.items()}
        written: dict[str, Any] = {name: edit.toPlainText().strip()
                                   for name, edit in self.texts.items()}
        cover = replace(self._cover, **typed)
        texts = replace(self._texts, **written)
        if self.date is not None:
            day = self.date.value()
            texts = replace(texts, submission_date=day.isoformat() if day else "")
        return cover, texts

    def missing(self) -> list[str]:
        """What would still be missing with the values typed."""
        cover, texts = self.values()
        return missing_fields(cover, texts, self.fiscal_year)
