"""The cover fields and the per-year texts of the 報告書 page (remembered in the file)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.reports.settings import (
    DATE_WAREKI,
    DATE_WESTERN,
    CoverSettings,
    ReportTexts,
)
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit

HONORIFICS = ("様", "殿", "あて", "")


class CoverForm(QGroupBox):
    """様式・宛先・団体・代表者・担当者 and the date style (one set per file)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Cover letter"), parent)
        form = QFormLayout(self)
        self._kept = CoverSettings()
        self.form_label = QLineEdit()
        self.form_label.setPlaceholderText("様式第5号（第8条関係）")
        self.document_number = QLineEdit()
        self.document_number.setPlaceholderText("〇〇第　号")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("鷹栖町長")
        self.honorific = QComboBox()
        self.honorific.setEditable(True)
        self.honorific.addItems(list(HONORIFICS))
        self.organisation = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("〒071-1292　北海道上川郡鷹栖町南1条3丁目5番1号")
        self.representative_title = QLineEdit()
        self.representative_title.setPlaceholderText("代表理事")
        self.representative_name = QLineEdit()
        self.project_name = QLineEdit()
        self.project_name.setPlaceholderText("関係人口創出・拡大事業")
        self.basis = QLineEdit()
        self.basis.setPlaceholderText("〇〇事業補助金交付要綱第8条")
        self.contact_person = QLineEdit()
        self.contact_phone = QLineEdit()
        self.contact_email = QLineEdit()
        self.seal_box = QCheckBox(_("Print a seal box (印)"))
        self.date_style = QComboBox()
        self.date_style.addItem(_("Japanese era (令和3年12月16日)"), DATE_WAREKI)
        self.date_style.addItem(_("Western (2021年12月16日)"), DATE_WESTERN)
        self.rows: dict[str, QWidget] = {
            "form_label": self.form_label, "document_number": self.document_number,
            "recipient": self.recipient, "honorific": self.honorific,
            "organisation": self.organisation, "address": self.address,
            "representative_title": self.representative_title,
            "representative_name": self.representative_name,
            "project_name": self.project_name, "basis": self.basis,
            "contact_person": self.contact_person, "contact_phone": self.contact_phone,
            "contact_email": self.contact_email, "date_style": self.date_style,
        }
        captions = {
            "form_label": _("Form label"), "document_number": _("Document number"),
            "recipient": _("Addressed to"), "honorific": _("Honorific"),
            "organisation": _("Organisation name"), "address": _("Registered address"),
            "representative_title": _("Representative's title"),
            "representative_name": _("Representative's name"),
            "project_name": _("Project name"), "basis": _("Basis (要綱・条)"),
            "contact_person": _("Contact person"), "contact_phone": _("Phone"),
            "contact_email": _("E-mail"), "date_style": _("Dates in the body"),
        }
        for name, widget in self.rows.items():
            form.addRow(captions[name], widget)
        form.addRow("", self.seal_box)
        self.form = form

    def set_cover(self, cover: CoverSettings) -> None:
        """Show ``cover``."""
        self._kept = cover
        for name, widget in self.rows.items():
            if isinstance(widget, QLineEdit):
                widget.setText(str(getattr(cover, name)))
        self.honorific.setCurrentText(cover.honorific)
        self.seal_box.setChecked(cover.seal_box)
        index = self.date_style.findData(cover.date_style)
        self.date_style.setCurrentIndex(max(index, 0))

    def cover(self) -> CoverSettings:
        """The fields as typed (what the form does not show is kept as it was)."""
        values = {name: widget.text().strip() for name, widget in self.rows.items()
                  if isinstance(widget, QLineEdit)}
        return replace(self._kept, **values, honorific=self.honorific.currentText().strip(),
                       seal_box=self.seal_box.isChecked(),
                       date_style=str(self.date_style.currentData()))


class TextsForm(QGroupBox):
    """提出日 and 成果・課題・今後の展開 of the selected fiscal year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("This year's annual report"), parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.submission_date = OptionalDateEdit()
        form.addRow(_("Date of submission"), self.submission_date)
        self.achievements = QPlainTextEdit()
        self.issues = QPlainTextEdit()
        self.next_steps = QPlainTextEdit()
        for label, widget in ((_("Outcomes"), self.achievements), (_("Challenges"), self.issues),
                              (_("Next steps"), self.next_steps)):
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(72)
            form.addRow(label, widget)

    def set_texts(self, texts: ReportTexts) -> None:
        try:
            day: date | None = date.fromisoformat(texts.submission_date)
        except ValueError:
            day = None
        self.submission_date.set_value(day)
        self.achievements.setPlainText(texts.achievements)
        self.issues.setPlainText(texts.issues)
        self.next_steps.setPlainText(texts.next_steps)

    def texts(self) -> ReportTexts:
        day = self.submission_date.value()
        return ReportTexts(self.achievements.toPlainText().strip(),
                           self.issues.toPlainText().strip(),
                           self.next_steps.toPlainText().strip(),
                           day.isoformat() if day else "")
