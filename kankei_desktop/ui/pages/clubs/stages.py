"""A club's stage timeline: its dated moves through the seven stages with what each produced
(課題一覧, テーマ, 実証の結果 …); moving back is a move like any other (issue 17)."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.formatting import format_day
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.stages import StageMove
from kankei_desktop.core.vocabulary import ClubStage, label
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import save_cancel
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.optional_date import OptionalDateEdit

#: What each stage typically produces (the IRODORI process), shown as a hint.
OUTPUT_HINTS = {
    ClubStage.VISUALISE.value: "課題一覧（職員の業務の棚卸し）",
    ClubStage.THEME.value: "重点テーマ（緊急性・連携のしやすさで整理）",
    ClubStage.MATCHING.value: "共創パートナー企業",
    ClubStage.PLANNING.value: "共通の目的と成果目標（ゴール）",
    ClubStage.PILOT.value: "実証実験（PoC）の結果",
    ClubStage.EVALUATION.value: "KPIによる評価",
    ClubStage.INSTITUTIONALISE.value: "事業化・制度化の内容",
}


def stage_text(code: str) -> str:
    """「3. 企業マッチング」."""
    if code not in ClubStage._value2member_map_:
        return code
    return f"{list(ClubStage).index(ClubStage(code)) + 1}. {label(ClubStage(code))}"


class StageMoveDialog(QDialog):
    """Record a move (or correct one): the stage, the day, the output."""

    def __init__(self, services: Services, club_id: uuid.UUID, entry_id: uuid.UUID | None = None,
                 *, stage: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id = club_id
        self.entry_id = entry_id
        self.setWindowTitle(_("Stage move"))
        self.resize(480, 360)
        column = QVBoxLayout(self)
        self.form = FieldForm()
        self.form.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.stage = self.form.add_field("stage", _("Stage"), VocabularyCombo(ClubStage))
        for index in range(self.stage.count()):
            self.stage.setItemText(index, stage_text(str(self.stage.itemData(index))))
        self.day = self.form.add_field("entered_on", _("Date"), OptionalDateEdit())
        self.output = self.form.add_field("output", _("Output"), QPlainTextEdit())
        self.output.setFixedHeight(110)
        column.addWidget(self.form)
        column.addStretch(1)
        column.addWidget(save_cancel(self, self.save))
        self.stage.currentIndexChanged.connect(self._show_hint)
        if entry_id is not None:
            entry = next(row for row in services.stages.history(club_id) if row.id == entry_id)
            self.stage.set_code(entry.stage)
            self.day.set_value(entry.entered_on)
            self.output.setPlainText(entry.output)
        else:
            self.stage.set_code(stage or services.stages.current(club_id))
            self.day.set_value(date.today())
        self._show_hint()

    def _show_hint(self) -> None:
        self.output.setPlaceholderText(_("What this stage produced, e.g. {example}").format(
            example=OUTPUT_HINTS.get(self.stage.code(), "")))

    def save(self) -> None:
        """Save and close; errors are shown by their fields."""
        move = StageMove(self.stage.code(), self.day.value(), self.output.toPlainText())

        def write() -> None:
            if self.entry_id is None:
                self._services.stages.move(self.club_id, move)
            else:
                self._services.stages.update(self.entry_id, move)

        if self.form.attempt(write):
            self.accept()


class StageHistoryPanel(QWidget):
    """The timeline (oldest first) with buttons to record, correct and delete moves."""

    moved = Signal(str)
    """The history changed; the club's current stage (its code)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.club_id: uuid.UUID | None = None
        self._ids: list[uuid.UUID] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        column.addWidget(self.summary)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Date"), _("Stage"), _("Output")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(140)
        self.table.setMaximumHeight(220)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.move_button = QPushButton(_("Record a move…"))
        self.move_button.setToolTip(_("The club moved to a stage (forwards or back) on a day, "
                                      "with what the stage produced"))
        self.move_button.clicked.connect(self.record_move)
        self.edit_button = QPushButton(_("Change…"))
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(_("Delete"))
        self.delete_button.clicked.connect(self.delete_selected)
        for button in (self.move_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        column.addLayout(buttons)

    def load(self, club_id: uuid.UUID | None) -> None:
        """Show the timeline of ``club_id`` (None: a new club)."""
        self.club_id = club_id
        for button in (self.move_button, self.edit_button, self.delete_button):
            button.setEnabled(club_id is not None)
        self.table.setRowCount(0)
        self._ids = []
        if club_id is None:
            self.summary.setText(_("Save the club first; then record its moves here."))
            return
        entries = self._services.stages.history(club_id)
        self._ids = [entry.id for entry in entries]
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            for column, text in enumerate((format_day(entry.entered_on, weekday=False),
                                           stage_text(entry.stage), entry.output)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.resizeRowsToContents()
        current = self._services.stages.current(club_id)
        self.summary.setText(_("Current stage: {stage}. {count} moves recorded.").format(
            stage=stage_text(current), count=len(entries)) if entries else _(
            "Current stage: {stage} (no moves recorded).").format(stage=stage_text(current)))

    def record_move(self, stage: str | None = None) -> None:
        """Open the dialog for a new move (optionally to ``stage``)."""
        if self.club_id is not None and StageMoveDialog(
                self._services, self.club_id, stage=stage or None, parent=self).exec():
            self._changed()

    def edit_selected(self) -> None:
        """Correct the selected move."""
        rows = self.table.selectionModel().selectedRows()
        if rows and self.club_id is not None and StageMoveDialog(
                self._services, self.club_id, self._ids[rows[0].row()], parent=self).exec():
            self._changed()

    def delete_selected(self) -> None:
        """Delete the selected move (a mistake; asked first)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.club_id is None:
            return
        answer = QMessageBox.question(
            self, _("Delete"), _("Delete this move from the history?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.stages.delete(self._ids[rows[0].row()])
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not delete"), exc.message)
            return
        self._changed()

    def _changed(self) -> None:
        self.load(self.club_id)
        if self.club_id is not None:
            self.moved.emit(self._services.stages.current(self.club_id))
