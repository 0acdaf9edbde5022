"""The cover fields and the per-year texts of the 報告書 page (remembered in the file)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
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

HONORIFICS = ("様", "殿", "あて", "")


class CoverForm(QGroupBox):
    """様式・提出日・宛先・団体・代表者・担当者 and the date style."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Cover letter"), parent)
        form = QFormLayout(self)
        self.form_label = QLineEdit()
        self.form_label.setPlaceholderText("様式第5号（第8条関係）")
        self.document_number = QLineEdit()
        self.document_number.setPlaceholderText("〇〇第　号")
        self.submission_date = QDateEdit()
        self.submission_date.setCalendarPopup(True)
        self.submission_date.setDisplayFormat("yyyy-MM-dd")
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("鷹栖町長")
        self.honorific = QComboBox()
        self.honorific.setEditable(True)
        self.honorific.addItems(list(HONORIFICS))
        self.organisation = QLineEdit()
        self.address = QLineEdit()
        self.representative_title = QLineEdit()
        self.representative_name = QLineEdit()
        self.project_name = QLineEdit()
        self.contact_person = QLineEdit()
        self.contact_phone = QLineEdit()
        self.contact_email = QLineEdit()
        self.seal_box = QCheckBox(_("Print a seal box (印)"))
        self.date_style = QComboBox()
        self.date_style.addItem(_("Japanese era (令和3年12月16日)"), DATE_WAREKI)
        self.date_style.addItem(_("Western (2021年12月16日)"), DATE_WESTERN)
        rows = (
            (_("Form label"), self.form_label), (_("Document number"), self.document_number),
            (_("Date of submission"), self.submission_date), (_("Addressed to"), self.recipient),
            (_("Honorific"), self.honorific), (_("Organisation name"), self.organisation),
            (_("Address"), self.address), (_("Representative's title"), self.representative_title),
            (_("Representative's name"), self.representative_name),
            (_("Project name"), self.project_name), (_("Contact person"), self.contact_person),
            (_("Phone"), self.contact_phone), (_("E-mail"), self.contact_email),
            (_("Dates in the body"), self.date_style), ("", self.seal_box),
        )
        for label, widget in rows:
            form.addRow(label, widget)

    def set_cover(self, cover: CoverSettings) -> None:
        """Show ``cover``."""
        self.form_label.setText(cover.form_label)
        self.document_number.setText(cover.document_number)
        day = cover.submitted_on
        self.submission_date.setDate(QDate(day.year, day.month, day.day))
        self.recipient.setText(cover.recipient)
        self.honorific.setCurrentText(cover.honorific)
        self.organisation.setText(cover.organisation)
        self.address.setText(cover.address)
        self.representative_title.setText(cover.representative_title)
        self.representative_name.setText(cover.representative_name)
        self.project_name.setText(cover.project_name)
        self.contact_person.setText(cover.contact_person)
        self.contact_phone.setText(cover.contact_phone)
        self.contact_email.setText(cover.contact_email)
        self.seal_box.setChecked(cover.seal_box)
        index = self.date_style.findData(cover.date_style)
        self.date_style.setCurrentIndex(max(index, 0))

    def cover(self) -> CoverSettings:
        """The fields as typed."""
        day = self.submission_date.date()
        return CoverSettings(
            form_label=self.form_label.text().strip(),
            document_number=self.document_number.text().strip(),
            recipient=self.recipient.text().strip(),
            honorific=self.honorific.currentText().strip(),
            organisation=self.organisation.text().strip(),
            address=self.address.text().strip(),
            representative_title=self.representative_title.text().strip(),
            representative_name=self.representative_name.text().strip(),
            project_name=self.project_name.text().strip(),
            contact_person=self.contact_person.text().strip(),
            contact_phone=self.contact_phone.text().strip(),
            contact_email=self.contact_email.text().strip(),
            seal_box=self.seal_box.isChecked(),
            date_style=str(self.date_style.currentData()),
            submission_date=date(day.year(), day.month(), day.day()).isoformat(),
        )


class TextsForm(QGroupBox):
    """成果・課題・今後の展開 of the selected fiscal year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Texts of the annual report"), parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)
        self.achievements = QPlainTextEdit()
        self.issues = QPlainTextEdit()
        self.next_steps = QPlainTextEdit()
        for label, widget in ((_("Outcomes"), self.achievements), (_("Challenges"), self.issues),
                              (_("Next steps"), self.next_steps)):
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(72)
            form.addRow(label, widget)

    def set_texts(self, texts: ReportTexts) -> None:
        self.achievements.setPlainText(texts.achievements)
        self.issues.setPlainText(texts.issues)
        self.next_steps.setPlainText(texts.next_steps)

    def texts(self) -> ReportTexts:
        return ReportTexts(self.achievements.toPlainText().strip(),
                           self.issues.toPlainText().strip(),
                           self.next_steps.toPlainText().strip())
