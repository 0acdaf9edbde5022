"""The registration editor and the rules' settings of the ふるさと住民 page."""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import replace
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.furusato.choices import PERIODS
from kankei_desktop.core.furusato.settings import FurusatoSettings
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import person_name
from kankei_desktop.core.services.registrations import RegistrationDraft
from kankei_desktop.core.vocabulary import RegistrationStatus, RegistrationTier
from kankei_desktop.ui.pages.calendar.widgets import date_edit, from_qdate, to_qdate
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import save_cancel
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit
from kankei_desktop.ui.widgets.pickers import person_search, search_municipalities
from kankei_desktop.ui.widgets.record_picker import RecordPicker


class RegistrationDialog(QDialog):
    """Record or change one registration (person × municipality)."""

    def __init__(self, services: Services, *, registration_id: uuid.UUID | None = None,
                 municipality: tuple[uuid.UUID, str] | None = None,
                 person_id: uuid.UUID | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.registration_id = registration_id
        self.setWindowTitle(_("Registration") if registration_id else _("New registration"))
        self.setMinimumWidth(520)
        column = QVBoxLayout(self)
        self.form = FieldForm()
        form = self.form
        self.person = form.add_field("person_id", _("Person"), RecordPicker(
            person_search(services), _("Type part of a name")))
        self.municipality = form.add_field("municipality_id", _("Municipality"), RecordPicker(
            search_municipalities, _("Type a name, e.g. 鷹栖")))
        self.tier = form.add_field("tier", _("Registration tier"),
                                   VocabularyCombo(RegistrationTier))
        self.status = form.add_field("status", _("Status"), VocabularyCombo(RegistrationStatus))
        self.registered_on = form.add_field("registered_on", _("Registered on"),
                                            date_edit(date.today()))
        self.renewal_due = form.add_field("renewal_due", _("Renewal due"), OptionalDateEdit())
        self.renewal_due.setToolTip(_("Left empty: a year after the registration (the "
                                      "setting)."))
        self.notes = form.add_field("notes", _("Notes"), QPlainTextEdit())
        self.notes.setFixedHeight(70)
        column.addWidget(form)
        buttons = save_cancel(self)
        buttons.accepted.connect(self.save)
        column.addWidget(buttons)
        self._municipality_id: uuid.UUID | None = None
        self.municipality.chosen.connect(self._on_municipality)
        if registration_id is not None:
            self._fill(services.registrations.get(registration_id))
        else:
            if municipality is not None:
                self._municipality_id = municipality[0]
                self.municipality.set_value("chosen", municipality[1])
            if person_id is not None:
                self.person.set_value(person_id, person_name(services.people.get(person_id)))
            self.renewal_due.set_value(None)

    def _fill(self, row: object) -> None:
        draft = RegistrationDraft.of(row)  # type: ignore[arg-type]
        assert draft.person_id is not None
        assert draft.municipality_id is not None
        person = self._services.people.get(draft.person_id, include_deleted=True)
        self.person.set_value(draft.person_id, person_name(person))
        names = self._services.organizations.names({draft.municipality_id})
        self._municipality_id = draft.municipality_id
        self.municipality.set_value("chosen", names.get(draft.municipality_id, ""))
        self.person.setEnabled(False)
        self.municipality.setEnabled(False)
        self.tier.set_code(draft.tier)
        self.status.set_code(draft.status)
        if draft.registered_on is not None:
            self.registered_on.setDate(to_qdate(draft.registered_on))
        self.renewal_due.set_value(draft.renewal_due)
        self.notes.setPlainText(draft.notes)

    def _on_municipality(self, code: Hashable | None) -> None:
        self._municipality_id = None
        if code is None:
            return
        try:
            self._municipality_id = self._services.organizations.ensure_municipality(
                str(code)).id
        except KankeiError as exc:
            self.form.errors["municipality_id"].show_message(exc.message)

    def draft(self) -> RegistrationDraft:
        """The form's values."""
        person = self.person.value
        return RegistrationDraft(
            person_id=person if isinstance(person, uuid.UUID) else None,
            municipality_id=self._municipality_id,
            registered_on=from_qdate(self.registered_on.date()), tier=self.tier.code(),
            renewal_due=self.renewal_due.value(), status=self.status.code(),
            notes=self.notes.toPlainText())

    def save(self) -> None:
        """Save and close; problems are shown by their fields."""
        draft = self.draft()
        service = self._services.registrations

        def store() -> None:
            with self._services.context.action(_("Save registration")):  # one undo step
                if self.registration_id is None:
                    self.registration_id = service.create(draft).id
                else:
                    service.update(self.registration_id, draft)

        if self.form.attempt(store):
            self.accept()


class SettingsDialog(QDialog):
    """The rules' numbers (published values by default; the national rules may change)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setWindowTitle(_("Furusato registration rules"))
        column = QVBoxLayout(self)
        intro = QLabel(_("The published rules (January 2026) are the defaults. Change them "
                         "here when the national rules change; they are kept in this file."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        current = services.furusato.settings()
        self.form = FieldForm()
        self.minimum = self._spin("minimum_activities", _("Designated activities needed for "
                                                          "premium"), 1, 100,
                                  current.minimum_activities)
        self.maximum = self._spin("maximum_premium", _("Premium registrations allowed per "
                                                       "person"), 1, 50, current.maximum_premium)
        self.period = self.form.add_field("period", _("Period counted"), QComboBox())
        for code, caption in PERIODS.items():
            self.period.addItem(_(caption), code)
        self.period.setCurrentIndex(max(0, self.period.findData(current.period)))
        self.renewal = self._spin("renewal_months", _("Renewal due after (months)"), 1, 60,
                                  current.renewal_months)
        self.notice = self._spin("notice_days", _("Renewal notice (days)"), 1, 366,
                                 current.notice_days)
        column.addWidget(self.form)
        buttons = save_cancel(self)
        defaults = buttons.addButton(_("Published values"),
                                     QDialogButtonBox.ButtonRole.ResetRole)
        defaults.clicked.connect(lambda: self.show_settings(FurusatoSettings()))
        buttons.accepted.connect(self.save)
        column.addWidget(buttons)
        self._current = current

    def _spin(self, name: str, caption: str, low: int, high: int, value: int) -> QSpinBox:
        spin = self.form.add_field(name, caption, QSpinBox())
        spin.setRange(low, high)
        spin.setValue(value)
        return spin

    def show_settings(self, settings: FurusatoSettings) -> None:
        """Put ``settings`` in the form (not saved yet)."""
        self.minimum.setValue(settings.minimum_activities)
        self.maximum.setValue(settings.maximum_premium)
        self.period.setCurrentIndex(max(0, self.period.findData(settings.period)))
        self.renewal.setValue(settings.renewal_months)
        self.notice.setValue(settings.notice_days)

    def settings(self) -> FurusatoSettings:
        """The form's values."""
        return replace(self._current, minimum_activities=self.minimum.value(),
                       maximum_premium=self.maximum.value(),
                       period=str(self.period.currentData()),
                       renewal_months=self.renewal.value(), notice_days=self.notice.value())

    def save(self) -> None:
        if self.form.attempt(lambda: self._services.furusato.save_settings(self.settings())):
            self.accept()


__all__ = ["RegistrationDialog", "SettingsDialog"]
