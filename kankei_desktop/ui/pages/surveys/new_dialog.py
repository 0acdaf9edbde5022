"""新しいアンケート: for one session or once for a club (reused by its sessions), started
from the template library (満足度, 参加のきっかけ, 今後の参加意向, 感想) — a minute's work."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Survey
from kankei_desktop.core.services import Services
from kankei_desktop.core.surveys.templates import TEMPLATES
from kankei_desktop.ui.widgets.form import FieldForm


class NewSurveyDialog(QDialog):
    """Where the questionnaire belongs, its title and the template questions to start with."""

    def __init__(self, services: Services, sessions: list[tuple[uuid.UUID, str]],
                 clubs: list[tuple[uuid.UUID, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.created: Survey | None = None
        self.setWindowTitle(_("New questionnaire"))
        self.resize(560, 460)
        column = QVBoxLayout(self)
        self.form = FieldForm()
        self.for_session = QRadioButton(_("For one session"))
        self.for_club = QRadioButton(_("For a club (used by every session of the club that has "
                                       "none of its own)"))
        self.for_session.setChecked(True)
        self.session = QComboBox()
        for meeting_id, text in sessions:
            self.session.addItem(text, meeting_id)
        self.club = QComboBox()
        for club_id, name in clubs:
            self.club.addItem(name, club_id)
        self.form.add_row("", self.for_session)
        self.form.add_field("session", _("Session"), self.session)
        self.form.add_row("", self.for_club)
        self.form.add_field("club", _("Club"), self.club)
        self.title = self.form.add_field("title", _("Title"), QLineEdit(_("Questionnaire")))
        column.addWidget(self.form)
        box = QGroupBox(_("Start with these questions"))
        inner = QVBoxLayout(box)
        self.templates: dict[str, QCheckBox] = {}
        for item in TEMPLATES:
            check = QCheckBox(_(item.name))
            check.setChecked(True)
            inner.addWidget(check)
            self.templates[item.key] = check
        column.addWidget(box)
        column.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.create_survey)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.for_session.toggled.connect(self._toggled)
        self._toggled()

    def _toggled(self) -> None:
        self.session.setEnabled(self.for_session.isChecked())
        self.club.setEnabled(not self.for_session.isChecked())

    def create_survey(self) -> bool:
        """Create the questionnaire; the dialog closes when it was saved."""
        keys = tuple(key for key, check in self.templates.items() if check.isChecked())
        surveys = self.services.surveys
        title = self.title.text()
        if self.for_session.isChecked():
            meeting_id = self.session.currentData()
            if not isinstance(meeting_id, uuid.UUID):
                self.form.general_error.show_message(_("There are no sessions yet. Add a "
                                                       "session in the calendar first."))
                return False

            def make() -> Survey:
                return surveys.create_for_meeting(meeting_id, title, templates=keys)
        else:
            club_id = self.club.currentData()
            if not isinstance(club_id, uuid.UUID):
                self.form.general_error.show_message(_("There are no clubs yet. Add a club "
                                                       "first."))
                return False

            def make() -> Survey:
                return surveys.create_for_club(club_id, title, templates=keys)

        def run() -> None:
            self.created = make()

        if self.form.attempt(run):
            self.accept()
            return True
        return False
