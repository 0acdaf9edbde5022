"""The session editor: details, repetition (new sessions), attendance and follow-ups.

Errors (no title, an end before the start …) stop the save and sit under their fields;
warnings (another session of the club at the same time, a date outside the club's period)
are shown in words as soon as they apply and may be accepted by saving anyway.
"""

from __future__ import annotations

import uuid
from datetime import date, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.calendar.recurrence import SeriesError
from kankei_desktop.core.errors import KankeiError, ValidationError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.vocabulary import (
    InteractionChannel,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    label,
)
from kankei_desktop.ui.help.manual import add_help_key
from kankei_desktop.ui.pages.calendar.attendance import AttendancePanel
from kankei_desktop.ui.pages.calendar.followup import FollowUpDialog
from kankei_desktop.ui.pages.calendar.series import SeriesPanel
from kankei_desktop.ui.pages.calendar.widgets import (
    WarningLabel,
    date_edit,
    from_qdate,
    from_qtime,
    index_of,
    time_edit,
    to_qdate,
)
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.dialog_buttons import SAVE, save_cancel
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.history_panel import HistoryPanel
from kankei_desktop.ui.widgets.tags import TagsEdit

TOOLS = ("Zoom", "Microsoft Teams", "Google Meet")
DEFAULT_START = time(19, 0)
DEFAULT_END = time(20, 30)


class SessionEditor(QDialog):
    """Create or edit one session; :attr:`meeting_id` is set once saved."""

    def __init__(
        self, services: Services, meeting_id: uuid.UUID | None = None, *,
        day: date | None = None, start: time | None = None, club_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.meeting_id = meeting_id
        self.changed_attendance = False
        self.created_count = 0
        self.setWindowTitle(_("Session") if meeting_id else _("New session"))
        self.setMinimumSize(640, 560)
        column = QVBoxLayout(self)
        self.tabs = QTabWidget()
        column.addWidget(self.tabs, 1)
        self.form = FieldForm()
        # labels beside their fields, also for the multi-line ones
        self.form.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self._build_details()
        # The details scroll rather than make the dialog taller than a small screen.
        details = QScrollArea()
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        details.setWidget(self.form)
        self.tabs.addTab(details, _("Details"))
        draft = (MeetingDraft.of(services.meetings.get(meeting_id)) if meeting_id
                 else MeetingDraft(club_id=club_id, title="", date=day or date.today(),
                                   start_time=start or DEFAULT_START,
                                   end_time=_end_after(start) if start else DEFAULT_END))
        self._series_id = draft.series_id
        self.series: SeriesPanel | None = None
        self.followups: QListWidget | None = None
        self.history: HistoryPanel | None = None
        if meeting_id is None:
            self.series = SeriesPanel(draft.date or date.today())
            self.tabs.addTab(self.series, _("Repeat"))
            self.series.enabled.toggled.connect(self._on_series_toggled)
        self.attendance = AttendancePanel(services, meeting_id, club_id=draft.club_id)
        self.attendance.changed.connect(self._on_attendance_changed)
        self.tabs.insertTab(1, self.attendance, _("Attendance"))
        if meeting_id is not None:
            self.tabs.addTab(self._build_followups(), _("Follow-ups"))
            self.history = HistoryPanel(services, "meeting")
            self.history.restored.connect(self._on_history_restored)
            self.tabs.addTab(self.history, _("Change history"))
            self.history.load(meeting_id)
        self.fill(draft)
        self._loaded_tags = ([tag.name for tag in services.tags.tags_of(meeting_id)]
                             if meeting_id else [])
        self.tags.set_tag_names(self._loaded_tags)
        self._loaded = self.draft()
        buttons = save_cancel(self, self.save)
        self.save_button = buttons.button(SAVE)
        column.addWidget(buttons)
        for signal in (self.club.currentIndexChanged, self.date.dateChanged,
                       self.has_time.toggled, self.start.timeChanged, self.end.timeChanged,
                       self.designated.toggled):
            signal.connect(self.update_warnings)
        self.date.dateChanged.connect(self._on_date_changed)
        self.club.currentIndexChanged.connect(self._on_club_changed)
        self.status.currentIndexChanged.connect(self._on_status_chosen)
        self.update_warnings()
        self.help_key = add_help_key(self, "sessions")
        (self.title if self.club.currentIndex() >= 0 else self.club).setFocus()

    # -- building --------------------------------------------------------------------------

    def _build_details(self) -> None:
        form = self.form
        self.club = form.add_field("club_id", _("Club"), QComboBox())
        for row in self._services.clubs.find():
            self.club.addItem(row.name, row.id)
        self.title = form.add_field("title", _("Title"), QLineEdit())
        self.kind = form.add_field("kind", _("Kind"), VocabularyCombo(MeetingKind))
        date_box = QWidget()
        date_column = QVBoxLayout(date_box)
        date_column.setContentsMargins(0, 0, 0, 0)
        self.date = date_edit(date.today())
        date_column.addWidget(self.date)
        self.date_warning = WarningLabel()
        self.date_warning.setObjectName("warning_date")
        date_column.addWidget(self.date_warning)
        form.add_field("date", _("Date"), date_box)
        time_box = QWidget()
        time_column = QVBoxLayout(time_box)
        time_column.setContentsMargins(0, 0, 0, 0)
        time_row = QHBoxLayout()
        self.has_time = QCheckBox(_("Set a time"))
        self.has_time.setChecked(True)
        time_row.addWidget(self.has_time)
        self.start = time_edit(DEFAULT_START)
        self.end = time_edit(DEFAULT_END)
        time_row.addWidget(self.start)
        time_row.addWidget(QLabel("–"))
        time_row.addWidget(self.end)
        time_row.addStretch(1)
        time_column.addLayout(time_row)
        self.time_warning = WarningLabel()
        self.time_warning.setObjectName("warning_time")
        time_column.addWidget(self.time_warning)
        self.has_time.toggled.connect(self.start.setEnabled)
        self.has_time.toggled.connect(self.end.setEnabled)
        form.add_field("end_time", _("Time"), time_box)
        self.format = form.add_field("format", _("Format"), VocabularyCombo(MeetingFormat))
        self.tool = form.add_field("tool", _("Tool"), QComboBox())
        self.tool.setEditable(True)
        self.tool.addItem("")
        self.tool.addItems(TOOLS)
        tool_line = self.tool.lineEdit()
        if tool_line is not None:  # always, since the combo is editable
            tool_line.setPlaceholderText(_("Zoom, Teams, Google Meet or type another"))
        self.url = form.add_field("url", _("Meeting URL"), QLineEdit())
        self.url.setPlaceholderText("https://")
        self.place = form.add_field("place", _("Place"), QLineEdit())
        self.agenda = form.add_field("agenda", _("Agenda"), QPlainTextEdit())
        self.notes = form.add_field("notes", _("Minutes / notes"), QPlainTextEdit())
        status_box = QWidget()
        status_row = QHBoxLayout(status_box)
        status_row.setContentsMargins(0, 0, 0, 0)
        self.status = VocabularyCombo(MeetingStatus)
        status_row.addWidget(self.status, 1)
        self.mark_held = QPushButton(_("Mark as held"))
        self.mark_held.setToolTip(_("The session took place: it counts in the figures."))
        self.mark_held.clicked.connect(
            lambda: self.status.set_code(MeetingStatus.HELD.value))
        status_row.addWidget(self.mark_held)
        form.add_field("status", _("Status"), status_box)
        self.tags = form.add_field("tags", _("Tags"), TagsEdit(
            lambda: [tag.name for tag in self._services.tags.find()]))
        self._build_designation()
        self.format.currentIndexChanged.connect(self._on_format_changed)

    def _build_designation(self) -> None:
        """担い手活動 (issue 20): the mark, and for a session of a series the whole series."""
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.designated = QCheckBox(_("Designated activity (担い手活動) of the host "
                                      "municipality"))
        self.designated.setToolTip(_(
            "Counted for ふるさと住民登録 when held: premium registration needs a number of "
            "designated activities a year."))
        self.designated.toggled.connect(self._on_designation_touched)
        column.addWidget(self.designated)
        self.whole_series = QCheckBox(_("Also for the other sessions of this series"))
        self.whole_series.setVisible(False)
        column.addWidget(self.whole_series)
        self.designation_warning = WarningLabel()
        column.addWidget(self.designation_warning)
        self.form.add_field("designated", _("Designated activity"), box)
        self._designation_touched = False
        self.club.currentIndexChanged.connect(self._club_default)

    def _on_designation_touched(self) -> None:
        self._designation_touched = True

    def _club_default(self) -> None:
        """A new session takes its club's default until the user sets the mark."""
        if self.meeting_id is not None or self._designation_touched:
            return
        club = self.club.currentData()
        if isinstance(club, uuid.UUID):
            try:
                marks = bool(self._services.clubs.get(club).designates_activities)
            except KankeiError:
                return
            self.designated.blockSignals(True)
            self.designated.setChecked(marks)
            self.designated.blockSignals(False)

    def _build_followups(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        intro = QLabel(_("Follow-ups after this session (LINE, Slack, mail, visits …). "
                         "These continuing exchanges are what turns participants into "
                         "relationship population."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.followups = QListWidget()
        column.addWidget(self.followups, 1)
        add = QPushButton(_("Add follow-up…"))
        add.clicked.connect(self.add_followup)
        column.addWidget(add)
        self._load_followups()
        return box

    def _load_followups(self) -> None:
        if self.followups is None or self.meeting_id is None:
            return
        self.followups.clear()
        for row in self._services.interactions.find(meeting_id=self.meeting_id):
            people = self._services.people.names(
                set(self._services.interactions.people_of(row.id)))
            channel = label(InteractionChannel(row.channel))
            text = f"{row.date.isoformat()}  {channel}  {row.summary}"
            if people:
                text += "  — " + "、".join(sorted(people.values()))
            self.followups.addItem(text)
        if not self.followups.count():
            self.followups.addItem(_("No follow-ups recorded yet."))

    # -- values ------------------------------------------------------------------------------

    def fill(self, draft: MeetingDraft) -> None:
        """Show ``draft``'s values (a new session's club: the only one, if there is one)."""
        index = index_of(self.club, draft.club_id) if draft.club_id else -1
        if draft.club_id is None and self.club.count() == 1:
            index = 0
        if draft.club_id is not None and index < 0:
            self.club.addItem(self._services.clubs.names({draft.club_id}).get(
                draft.club_id, "?"), draft.club_id)
            index = self.club.count() - 1
        self.club.setCurrentIndex(index)
        self.title.setText(draft.title)
        self.kind.set_code(draft.kind)
        if draft.date is not None:
            self.date.setDate(to_qdate(draft.date))
        self.has_time.setChecked(draft.start_time is not None)
        if draft.start_time is not None:
            self.start.setTime(QTime(draft.start_time.hour, draft.start_time.minute))
        if draft.end_time is not None:
            self.end.setTime(QTime(draft.end_time.hour, draft.end_time.minute))
        self.format.set_code(draft.format)
        self.tool.setCurrentText(draft.tool)
        self.url.setText(draft.url)
        self.place.setText(draft.place)
        self.agenda.setPlainText(draft.agenda)
        self.notes.setPlainText(draft.notes)
        self.status.set_code(draft.status)
        self.designated.blockSignals(True)
        self.designated.setChecked(bool(draft.designated))
        self.designated.blockSignals(False)
        self.whole_series.setVisible(self.meeting_id is not None and draft.series_id is not None)
        if draft.designated is None:
            self._club_default()
        self._status_chosen = self.meeting_id is not None
        self._on_date_changed()

    def draft(self) -> MeetingDraft:
        """The form's values."""
        club = self.club.currentData()
        timed = self.has_time.isChecked()
        return MeetingDraft(
            club_id=club if isinstance(club, uuid.UUID) else None,
            title=self.title.text(), date=from_qdate(self.date.date()), kind=self.kind.code(),
            start_time=from_qtime(self.start.time()) if timed else None,
            end_time=from_qtime(self.end.time()) if timed else None,
            format=self.format.code(), status=self.status.code(),
            tool=self.tool.currentText(), url=self.url.text(), place=self.place.text(),
            agenda=self.agenda.toPlainText(), notes=self.notes.toPlainText(),
            series_id=self._series_id, designated=self.designated.isChecked())

    # -- reactions ---------------------------------------------------------------------------

    def update_warnings(self) -> None:
        """Recompute the warnings shown next to the date and the time."""
        draft = self.draft()
        found = self._services.meetings.warnings(draft, self.meeting_id)
        self.date_warning.show_messages([text for field, text in found if field == "date"])
        self.time_warning.show_messages([text for field, text in found
                                         if field not in ("date", "designated")])
        self.designation_warning.show_messages([text for field, text in found
                                                if field == "designated"])

    def warnings(self) -> list[str]:
        """The warnings currently shown."""
        return [text for label_ in (self.date_warning, self.time_warning,
                                    self.designation_warning)
                for text in label_.text().split("\n") if label_.isVisible() and text]

    def _on_date_changed(self) -> None:
        day = from_qdate(self.date.date())
        self.mark_held.setEnabled(day <= date.today())
        if self.meeting_id is None and not getattr(self, "_status_chosen", True):
            # a new session on a past day is mostly one being recorded after it took place
            self.status.blockSignals(True)
            self.status.set_code(MeetingStatus.HELD.value if day < date.today()
                                 else MeetingStatus.PLANNED.value)
            self.status.blockSignals(False)
        if self.series is not None and not self.series.enabled.isChecked():
            self.series.set_first_day(day)
            self.series.start.setDate(self.date.date())

    def _on_format_changed(self) -> None:
        onsite = self.format.code() == MeetingFormat.ONSITE.value
        self.place.setPlaceholderText(_("Required for on-site sessions") if onsite else "")

    def _on_attendance_changed(self) -> None:
        self.changed_attendance = True

    def _on_status_chosen(self) -> None:
        self._status_chosen = True

    def _on_club_changed(self) -> None:
        club = self.club.currentData()
        self.attendance.set_club(club if isinstance(club, uuid.UUID) else None)

    def _on_series_toggled(self, repeating: bool) -> None:
        index = self.tabs.indexOf(self.attendance)
        self.tabs.setTabEnabled(index, not repeating)
        self.tabs.setTabToolTip(index, _(
            "Attendance is recorded per session: save the series, then open each session."
        ) if repeating else "")

    def _on_history_restored(self) -> None:
        if self.meeting_id is not None:
            self.fill(MeetingDraft.of(self._services.meetings.get(self.meeting_id)))

    def is_dirty(self) -> bool:
        """Whether the form or the attendance list holds something not saved."""
        return self.attendance.is_dirty() or self.draft() != self._loaded

    def add_followup(self) -> None:
        """Open the follow-up dialog with this session's attendees ticked."""
        if self.meeting_id is None:
            return
        draft = self._services.interactions.draft_for_meeting(self.meeting_id, date.today())
        dialog = FollowUpDialog(self._services, draft, _(
            "A follow-up after '{title}'. The people who attended are ticked.").format(
                title=self.title.text()), self)
        if dialog.exec():
            self._load_followups()

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        """Save the session with its attendance (or create the series) and close; errors are
        shown by their fields and nothing is saved."""
        self.form.clear_errors()
        draft = self.draft()
        spec = self.series.spec() if self.series is not None else None
        attendance = self.attendance.changes()
        label = (_("New session: {title}") if self.meeting_id is None
                 else _("Edit {name}")).format(title=draft.title.strip(),
                                               name=draft.title.strip())
        if self.tags.problems():
            self.form.show_errors(ValidationError(self.tags.problems()))
            return
        tags = self.tags.tag_names()
        tags_changed = set(tags) != set(self._loaded_tags)
        try:
            if spec is not None:
                if attendance:
                    raise ValidationError([("", _(
                        "Attendance cannot be recorded for a repeating series. Untick "
                        "Repeat to record this one session, or clear the attendance."))])
                with self._services.context.action(label):
                    result = self._services.meetings.create_series(draft, spec)
                    if tags_changed:
                        for meeting_id in result.meeting_ids:
                            self._services.tags.set_tags("meeting", meeting_id, tags)
                self.created_count = len(result.meeting_ids)
                self.meeting_id = result.meeting_ids[0] if result.meeting_ids else None
                skipped = len(result.plan.skipped)
                QMessageBox.information(self, _("Series created"), " ".join(filter(None, [
                    ngettext("{count} session was created.", "{count} sessions were created.",
                             self.created_count).format(count=self.created_count),
                    ngettext("{count} date was skipped.", "{count} dates were skipped.",
                             skipped).format(count=skipped) if skipped else ""])))
            else:
                with self._services.context.action(label):
                    row = self._services.meetings.save(self.meeting_id, draft, attendance)
                    if tags_changed:
                        self._services.tags.set_tags("meeting", row.id, tags)
                    if self.whole_series.isChecked() and draft.series_id is not None:
                        self._services.furusato.designate_series(draft.series_id,
                                                                 bool(draft.designated))
                if self.meeting_id is None:
                    self.created_count = 1
                self.meeting_id = row.id
                self.changed_attendance = bool(attendance)
        except SeriesError as exc:
            if self.series is not None:
                self.tabs.setCurrentWidget(self.series)
                self.series.preview.setText(exc.message)
            return
        except ValidationError as exc:
            if any(field == "status" for field, _message in exc.errors) and not any(
                    field in self.form.errors for field, _message in exc.errors
                    if field != "status"):
                self.tabs.setCurrentWidget(self.attendance)
                self.attendance.error.setText(exc.message)
                return
            self.tabs.setCurrentIndex(0)
            self.form.show_errors(exc)
            return
        except KankeiError as exc:
            self.form.general_error.show_message(exc.message)
            return
        self.accept()


def _end_after(start: time) -> time:
    minutes = min(start.hour * 60 + start.minute + 90, 23 * 60 + 59)
    return time(minutes // 60, minutes % 60)
