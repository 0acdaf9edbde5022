"""交流記録: record a follow-up (LINE, Slack, mail, online meeting, visit …) with its people."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Interaction
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.interactions import InteractionDraft
from kankei_desktop.core.vocabulary import InteractionChannel
from kankei_desktop.ui.pages.calendar.widgets import date_edit, from_qdate
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import save_cancel
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.pickers import person_search
from kankei_desktop.ui.widgets.record_picker import RecordPicker

ID_ROLE = Qt.ItemDataRole.UserRole


class FollowUpDialog(QDialog):
    """Date, channel, people (ticked), summary and note; :attr:`interaction` once saved."""

    def __init__(self, services: Services, draft: InteractionDraft,
                 context: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._draft = draft
        self.interaction: Interaction | None = None
        self.setWindowTitle(_("Add follow-up"))
        self.setMinimumWidth(520)
        column = QVBoxLayout(self)
        intro = QLabel(context or _(
            "Record a continuing exchange after a session: who, when, how and what was said."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.form = FieldForm()
        self.date = self.form.add_field("date", _("Date"), date_edit(draft.date or date.today()))
        self.channel = self.form.add_field("channel", _("Channel"),
                                           VocabularyCombo(InteractionChannel))
        self.channel.set_code(draft.channel)
        people_box = QWidget()
        people_column = QVBoxLayout(people_box)
        people_column.setContentsMargins(0, 0, 0, 0)
        self.people = QListWidget()
        self.people.setMinimumHeight(120)
        people_column.addWidget(self.people)
        add_row = QHBoxLayout()
        self.picker = RecordPicker(person_search(services), _("Type part of a name to add"))
        add_row.addWidget(self.picker, 1)
        self.add_button = QPushButton(_("Add"))
        self.add_button.clicked.connect(self._add_picked)
        add_row.addWidget(self.add_button)
        people_column.addLayout(add_row)
        self.form.add_field("person_ids", _("People"), people_box)
        self.summary = self.form.add_field("summary", _("Summary"), QLineEdit(draft.summary))
        self.note = self.form.add_field("note", _("Note"), QPlainTextEdit(draft.note))
        column.addWidget(self.form)
        names = services.people.names(set(draft.person_ids))
        for person_id in draft.person_ids:
            self.add_person(person_id, names.get(person_id, ""))
        column.addWidget(save_cancel(self, self.save))

    def add_person(self, person_id: uuid.UUID, name: str) -> None:
        """List a person, ticked (no duplicates)."""
        for row in range(self.people.count()):
            if self.people.item(row).data(ID_ROLE) == person_id:
                self.people.item(row).setCheckState(Qt.CheckState.Checked)
                return
        item = QListWidgetItem(name)
        item.setData(ID_ROLE, person_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        self.people.addItem(item)

    def _add_picked(self) -> None:
        value = self.picker.value
        if isinstance(value, uuid.UUID):
            self.add_person(value, self.picker.text())
            self.picker.set_value(None)

    def person_ids(self) -> list[uuid.UUID]:
        """The ticked people."""
        return [self.people.item(row).data(ID_ROLE) for row in range(self.people.count())
                if self.people.item(row).checkState() == Qt.CheckState.Checked]

    def draft(self) -> InteractionDraft:
        """The form's values."""
        return InteractionDraft(
            date=from_qdate(self.date.date()), channel=self.channel.code(),
            person_ids=self.person_ids(), club_id=self._draft.club_id,
            meeting_id=self._draft.meeting_id, summary=self.summary.text(),
            note=self.note.toPlainText())

    def save(self) -> None:
        """Save and close; problems are shown by their fields."""
        def create() -> None:
            self.interaction = self._services.interactions.create(self.draft())

        if self.form.attempt(create):
            self.accept()
