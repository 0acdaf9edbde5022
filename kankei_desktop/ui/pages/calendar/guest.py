"""A new person who came to a session as a guest: created and marked present in one step."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from kankei_desktop.core.errors import KankeiError, ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.vocabulary import AttendanceStatus, PersonCategory
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.pickers import organization_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker


class GuestDialog(QDialog):
    """Name, readings, category, affiliation; saved together with the attendance."""

    def __init__(self, services: Services, meeting_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._meeting_id = meeting_id
        self.person: Person | None = None
        self.setWindowTitle(_("New guest"))
        self.setMinimumWidth(460)
        column = QVBoxLayout(self)
        intro = QLabel(_("The guest is added to the people list and marked as attended. "
                         "They do not become a member of the club."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = form = FieldForm()
        self.family_name = form.add_field("family_name", _("Family name"), QLineEdit())
        self.given_name = form.add_field("given_name", _("Given name"), QLineEdit())
        self.family_reading = form.add_field(
            "family_reading", _("Family name reading (kana)"), QLineEdit())
        self.given_reading = form.add_field(
            "given_reading", _("Given name reading (kana)"), QLineEdit())
        self.category = form.add_field("category", _("Category"), VocabularyCombo(PersonCategory))
        self.organization = form.add_field(
            "organization_id", _("Affiliation"),
            RecordPicker(organization_search(services), _("Type part of the organisation's name")))
        column.addWidget(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save and add"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.family_name.setFocus()

    def draft(self) -> PersonDraft:
        """The form's values."""
        value = self.organization.value
        return PersonDraft(
            family_name=self.family_name.text(), given_name=self.given_name.text(),
            family_reading=self.family_reading.text(), given_reading=self.given_reading.text(),
            category=self.category.code(),
            organization_id=value if isinstance(value, uuid.UUID) else None)

    def save(self) -> None:
        """Create the person with their attendance (one transaction) and close."""
        self.form.clear_errors()
        try:
            if self.organization.has_unmatched_text():
                raise ValidationError([("organization_id", _(
                    "Choose the organisation from the list that opens while you type, or "
                    "clear the field."))])
            self.person = self._services.meetings.add_guest(
                self._meeting_id, self.draft(), AttendanceStatus.ATTENDED.value)
        except ValidationError as exc:
            self.form.show_errors(exc)
            return
        except KankeiError as exc:
            self.form.general_error.show_message(exc.message)
            return
        self.accept()
