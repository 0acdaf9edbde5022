"""A short form for a new person (name, readings, category, affiliation) saved in one step.

Used where a person is met in passing: a club's members (the person joins the club) and a
session's attendance (a guest, marked present). Subclasses say how the person is saved.
"""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.vocabulary import PersonCategory
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import SAVE, save_cancel
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.given_name import GivenNameField
from kankei_desktop.ui.widgets.pickers import organization_choice_errors, organization_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker


class QuickPersonDialog(QDialog):
    """Name, readings, category and affiliation; :attr:`person` is set once saved."""

    def __init__(self, services: Services, title: str, intro_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.person: Person | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        column = QVBoxLayout(self)
        intro = QLabel(intro_text)
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = form = FieldForm()
        self.family_name = form.add_field("family_name", _("Family name"), QLineEdit())
        self.given_box = form.add_field("given_name", _("Given name"), GivenNameField())
        self.given_name = self.given_box.edit
        self.family_reading = form.add_field(
            "family_reading", _("Family name reading (kana)"), QLineEdit())
        self.given_reading = form.add_field(
            "given_reading", _("Given name reading (kana)"), QLineEdit())
        self.given_box.set_reading(self.given_reading)
        self.category = form.add_field("category", _("Category"), VocabularyCombo(PersonCategory))
        self.organization = form.add_field(
            "organization_id", _("Affiliation"),
            RecordPicker(organization_search(services), _("Type part of the organisation's name")))
        column.addWidget(form)
        self.buttons = save_cancel(self, self.save, save_text=_("Save and add"))
        self.save_button = self.buttons.button(SAVE)
        column.addWidget(self.buttons)
        self.family_name.setFocus()

    def draft(self) -> PersonDraft:
        """The form's values."""
        value = self.organization.value
        return PersonDraft(
            family_name=self.family_name.text(),
            given_name=self.given_name.text(),
            family_reading=self.family_reading.text(),
            given_reading=self.given_reading.text(),
            category=self.category.code(),
            organization_id=value if isinstance(value, uuid.UUID) else None,
            single_name=self.given_box.single.isChecked(),
        )

    def create_person(self, draft: PersonDraft) -> Person:
        """Save the new person (subclasses add what goes with it)."""
        raise NotImplementedError

    def save(self) -> None:
        """Create the person (errors shown by their fields) and close."""
        def create() -> None:
            unchosen = organization_choice_errors(self.organization)
            if unchosen:
                raise ValidationError(unchosen)
            self.person = self.create_person(self.draft())

        if self.form.attempt(create):
            self.accept()
