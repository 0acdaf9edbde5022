"""カレンダー: month, week and list views of the sessions, with filters, editing and .ics."""

from __future__ import annotations

import html
import uuid
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QThreadPool, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.vocabulary import MeetingFormat
from kankei_desktop.ui.pages.calendar.colors import club_color
from kankei_desktop.ui.pages.calendar.editor import SessionEditor
from kankei_desktop.ui.pages.calendar.entries import (
    DESIGNATED_MARK,
    entry_title,
    format_label,
    holidays_between,
    status_label,
    time_text,
    tooltip,
    weekday_name,
)
from kankei_desktop.ui.pages.calendar.month_view import MonthView, month_grid_range
from kankei_desktop.ui.pages.calendar.week_view import WeekView, week_start
from kankei_desktop.ui.pages.calendar.widgets import index_of
from kankei_desktop.ui.widgets.choices import VocabularyCombo
from kankei_desktop.ui.widgets.page_header import PageHeader
from kankei_desktop.ui.widgets.tags import TagFilter
from kankei_desktop.ui.workers import JobControl, Task

MONTH, WEEK, LIST = 0, 1, 2
#: How many ranges (months/weeks with their filters) stay in memory.
CACHE_SIZE = 12
#: The read-ahead starts this long after a view was shown, so it never slows that paint.
PREFETCH_DELAY_MS = 150
LEGEND_CLUBS = 8
RangeKey = tuple[date, date, "uuid.UUID | None", "uuid.UUID | None", "str | None",
                 "uuid.UUID | None"]
ID_ROLE = Qt.ItemDataRole.UserRole


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class CalendarPage(QWidget):
    """The session calendar."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.today = date.today()
        self.anchor = self.today
        self.editor: SessionEditor | None = None
        self.entries: list[CalendarEntry] = []
        self._cache: dict[RangeKey, list[CalendarEntry]] = {}
        self._pending: set[RangeKey] = set()
        self._generation = 0
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setObjectName("calendarReadAhead")
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.setInterval(PREFETCH_DELAY_MS)
        self._prefetch_timer.timeout.connect(self._prefetch)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        header = PageHeader(_("Calendar"))
        self.new_button = header.add_button(_("New session"),
                                            _("Plan a session (double-click a day also works)"))
        self.new_button.clicked.connect(lambda: self.new_session(self.default_day()))
        self.export_button = header.add_button(
            _("Export (.ics)…"), _("Write the sessions (of the chosen club) to an iCalendar "
                                   "file for Outlook or Google Calendar"))
        self.export_button.clicked.connect(self.export_ics)
        column.addWidget(header)
        body = QVBoxLayout()
        body.setContentsMargins(16, 8, 16, 12)
        column.addLayout(body, 1)
        bar = QHBoxLayout()
        self.previous_button = QPushButton("◀")
        self.previous_button.setToolTip(_("Previous"))
        self.previous_button.clicked.connect(lambda: self.shift(-1))
        self.today_button = QPushButton(_("Today"))
        self.today_button.clicked.connect(self.go_today)
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(_("Next"))
        self.next_button.clicked.connect(lambda: self.shift(1))
        self.period_label = QLabel()
        font = self.period_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.period_label.setFont(font)
        for widget in (self.previous_button, self.today_button, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.period_label)
        bar.addStretch(1)
        self.view_buttons = QButtonGroup(self)
        for index, text in ((MONTH, _("Month")), (WEEK, _("Week")), (LIST, _("List"))):
            button = QPushButton(text)
            button.setCheckable(True)
            self.view_buttons.addButton(button, index)
            bar.addWidget(button)
        self.view_buttons.button(MONTH).setChecked(True)
        self.view_buttons.idClicked.connect(self.set_view)
        body.addLayout(bar)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Club")))
        self.club_filter = QComboBox()
        self.club_filter.setMinimumContentsLength(14)
        filters.addWidget(self.club_filter)
        filters.addWidget(QLabel(_("Municipality")))
        self.municipality_filter = QComboBox()
        self.municipality_filter.setMinimumContentsLength(10)
        filters.addWidget(self.municipality_filter)
        filters.addWidget(QLabel(_("Format")))
        self.format_filter = VocabularyCombo(MeetingFormat, _("All formats"))
        filters.addWidget(self.format_filter)
        self.tag_filter = TagFilter()
        self.tag_filter.setToolTip(_("Show only the sessions that carry a tag, or whose club "
                                     "does"))
        filters.addWidget(self.tag_filter)
        filters.addStretch(1)
        self.summary = QLabel()
        filters.addWidget(self.summary)
        body.addLayout(filters)
        self.stack = QStackedWidget()
        self.month_view = MonthView()
        self.month_view.day_activated.connect(self.new_session)
        self.month_view.entry_activated.connect(self.open_session)
        self.month_view.more_activated.connect(self.show_week_of)
        self.week_view = WeekView()
        self.week_view.slot_activated.connect(self.new_session)
        self.week_view.entry_activated.connect(self.open_session)
        self.agenda = QTreeWidget()
        self.agenda.setRootIsDecorated(False)
        self.agenda.setAlternatingRowColors(True)
        self.agenda.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda.setHeaderLabels([_("Date"), _("Time"), _("Club"), _("Title"), _("Format"),
                                     _("Status"), _("Place or URL")])
        self.agenda.itemDoubleClicked.connect(
            lambda item, _column: self.open_session(item.data(0, ID_ROLE)))
        self.month_view.tooltip_for = self.tooltip_for
        self.week_view.tooltip_for = self.tooltip_for
        for view in (self.month_view, self.week_view, self.agenda):
            self.stack.addWidget(view)
        body.addWidget(self.stack, 1)
        self.legend = QLabel()
        self.legend.setObjectName("calendarLegend")
        self.legend.setWordWrap(True)
        body.addWidget(self.legend)
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        body.addWidget(self.empty_hint)
        self._fill_filters()
        for combo in (self.club_filter, self.municipality_filter, self.format_filter,
                      self.tag_filter):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.reload()

    # -- filters -----------------------------------------------------------------------------

    def _fill_filters(self) -> None:
        clubs = self._services.clubs.find()
        chosen_club = self.club_filter.currentData()
        chosen_town = self.municipality_filter.currentData()
        for combo in (self.club_filter, self.municipality_filter):
            combo.blockSignals(True)
            combo.clear()
        self.club_filter.addItem(_("All clubs"), None)
        for club in clubs:
            self.club_filter.addItem(club.name, club.id)
        towns = self._services.organizations.names(
            {club.host_municipality_id for club in clubs if club.host_municipality_id})
        self.municipality_filter.addItem(_("All municipalities"), None)
        for town_id, name in sorted(towns.items(), key=lambda item: item[1]):
            self.municipality_filter.addItem(name, town_id)
        self.club_filter.setCurrentIndex(max(index_of(self.club_filter, chosen_club), 0))
        self.municipality_filter.setCurrentIndex(
            max(index_of(self.municipality_filter, chosen_town), 0))
        for combo in (self.club_filter, self.municipality_filter):
            combo.blockSignals(False)
        self.tag_filter.set_tags([(tag.id, tag.name) for tag in self._services.tags.find()])
        self.empty_hint.setText(_(
            "There are no clubs yet. Create a club on the Clubs page first; its sessions are "
            "planned here.") if not clubs else "")
        self.empty_hint.setVisible(not clubs)

    def _club_id(self) -> uuid.UUID | None:
        value = self.club_filter.currentData()
        return value if isinstance(value, uuid.UUID) else None

    def _municipality_id(self) -> uuid.UUID | None:
        value = self.municipality_filter.currentData()
        return value if isinstance(value, uuid.UUID) else None

    # -- navigation --------------------------------------------------------------------------

    def view(self) -> int:
        """MONTH, WEEK or LIST."""
        return self.stack.currentIndex()

    def _on_filter_changed(self) -> None:
        self.reload()

    def set_view(self, index: int) -> None:
        """Switch between month, week and list."""
        self.view_buttons.button(index).setChecked(True)
        self.stack.setCurrentIndex(index)
        self.reload()

    def shift(self, step: int) -> None:
        """Previous (-1) or next (+1) month or week."""
        if self.view() == WEEK:
            self.anchor += timedelta(days=7 * step)
        else:
            self.anchor = _add_months(self.anchor, step)
        self.reload()

    def go_today(self) -> None:
        """Back to today's month or week."""
        self.today = date.today()
        self.anchor = self.today
        self.reload()

    def go_to(self, day: date) -> None:
        """Show the month or week containing ``day``."""
        self.anchor = day
        self.reload()

    def show_week_of(self, day: date) -> None:
        """The week view around ``day`` (from 「他 N 件」)."""
        self.anchor = day
        self.set_view(WEEK)

    def visible_range(self) -> tuple[date, date]:
        """The first and last day the current view shows."""
        if self.view() == WEEK:
            start = week_start(self.anchor)
            return start, start + timedelta(days=6)
        if self.view() == LIST:
            first = self.anchor.replace(day=1)
            return first, _add_months(first, 1) - timedelta(days=1)
        return month_grid_range(self.anchor.year, self.anchor.month)

    def default_day(self) -> date:
        """The day a new session starts on: today when this month is shown, else the shown
        month's first day (in the week view, the day the week was opened on)."""
        if self.anchor.year == self.today.year and self.anchor.month == self.today.month:
            return self.today
        return self.anchor.replace(day=1) if self.view() != WEEK else self.anchor

    # -- loading -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Called when the page is shown: filters and sessions again from the file."""
        self.forget()
        self._fill_filters()
        self.reload()

    # -- the range cache (neighbouring months are read ahead in the background) --------------

    def _range_key(self, start: date, end: date) -> RangeKey:
        return (start, end, self._club_id(), self._municipality_id(),
                self.format_filter.code() or None, self.tag_filter.tag_id())

    def _query(self, key: RangeKey) -> list[CalendarEntry]:
        start, end, club_id, town_id, format_code, tag_id = key
        return self._services.calendar.entries(
            start, end, club_id=club_id, municipality_id=town_id, format=format_code,
            with_details=self.view() == LIST, tag_id=tag_id)

    def _remember(self, key: RangeKey, entries: list[CalendarEntry]) -> None:
        self._cache.pop(key, None)
        self._cache[key] = entries
        while len(self._cache) > CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))

    def forget(self) -> None:
        """Drop what was read (after any change to the file) and the views' text caches."""
        self._cache.clear()
        self.month_view.forget_texts()
        self.week_view.forget_texts()
        self._generation += 1

    def _prefetch(self) -> None:
        """Read the previous and next month (or week) in the background."""
        if self.view() == LIST:
            return
        saved = self.anchor
        keys = []
        for step in (1, -1):
            self.anchor = (saved + timedelta(days=7 * step) if self.view() == WEEK
                           else _add_months(saved, step))
            keys.append(self._range_key(*self.visible_range()))
        self.anchor = saved
        generation = self._generation
        for key in keys:
            if key in self._cache or key in self._pending:
                continue
            self._pending.add(key)

            def query(_control: JobControl, k: RangeKey = key) -> list[CalendarEntry]:
                return self._query(k)

            task = Task(query)
            task.signals.finished.connect(
                lambda entries, k=key, g=generation: self._prefetched(k, g, entries))
            task.signals.done.connect(lambda k=key: self._pending.discard(k))
            task.start()

    def _prefetched(self, key: RangeKey, generation: int, entries: object) -> None:
        if generation == self._generation and isinstance(entries, list):
            self._remember(key, entries)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        """No read-ahead for a page nobody looks at."""
        self._prefetch_timer.stop()
        super().hideEvent(event)

    def wait_until_idle(self, timeout_ms: int = 10_000) -> bool:
        """Let read-ahead start at once and finish (tests, screenshots, benchmarks)."""
        if self._prefetch_timer.isActive():
            self._prefetch_timer.stop()
            self._prefetch()
        done = QThreadPool.globalInstance().waitForDone(timeout_ms)
        QCoreApplication.processEvents()
        return done

    def reload(self) -> None:
        """Show the visible range (from the prefetch cache, or one light query) and redraw."""
        start, end = self.visible_range()
        key = self._range_key(start, end)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._query(key)
            self._remember(key, cached)
        self.entries = cached
        holidays = holidays_between(start, end)
        if self.view() == WEEK:
            self.period_label.setText(_("{start} – {end}").format(
                start=f"{start.year}/{start.month}/{start.day}",
                end=f"{end.month}/{end.day}"))
            self.week_view.set_week(start, self.entries, holidays, self.today)
        elif self.view() == LIST:
            self.period_label.setText(_("{year}/{month}").format(
                year=self.anchor.year, month=self.anchor.month))
            self._fill_agenda()
        else:
            self.period_label.setText(_("{year}/{month}").format(
                year=self.anchor.year, month=self.anchor.month))
            self.month_view.set_month(self.anchor.year, self.anchor.month, self.entries,
                                      holidays, self.today)
        if self.view() == WEEK:
            shown = self.entries
        else:
            month_key = (self.anchor.year, self.anchor.month)
            shown = [e for e in self.entries if (e.date.year, e.date.month) == month_key]
        self.summary.setText(ngettext("{count} session", "{count} sessions", len(shown)).format(
            count=len(shown)))
        self._fill_legend()
        if self.isVisible():
            self._prefetch_timer.start()  # after this view has painted

    def _fill_legend(self) -> None:
        """「■ クラブ名」 in each club's colour, for the clubs shown (at most LEGEND_CLUBS)."""
        clubs = dict.fromkeys((e.club_id.int, e.club_id, e.club_name) for e in self.entries)
        parts = [f'<span style="color:{club_color(club_id).name()}">■</span> '
                 f"{html.escape(name)}" for _key, club_id, name in list(clubs)[:LEGEND_CLUBS]]
        if len(clubs) > LEGEND_CLUBS:
            parts.append(ngettext("+{count} more", "+{count} more",
                                  len(clubs) - LEGEND_CLUBS).format(
                                      count=len(clubs) - LEGEND_CLUBS))
        if any(entry.designated for entry in self.entries):
            parts.append(html.escape(_("{mark} designated activity (担い手活動)").format(
                mark=DESIGNATED_MARK)))
        self.legend.setText("　".join(parts))
        self.legend.setVisible(self.view() != LIST and bool(parts))

    def _fill_agenda(self) -> None:
        self.agenda.clear()
        items = []
        for entry in self.entries:
            item = QTreeWidgetItem([
                f"{entry.date.isoformat()}（{weekday_name(entry.date.weekday())}）",
                time_text(entry.start_time, entry.end_time), entry.club_name,
                entry_title(entry),
                format_label(entry.format), status_label(entry.status),
                entry.place or entry.url])
            item.setData(0, ID_ROLE, entry.id)
            items.append(item)
        self.agenda.addTopLevelItems(items)
        for index in range(self.agenda.columnCount() - 1):
            self.agenda.resizeColumnToContents(index)

    # -- editing -----------------------------------------------------------------------------

    def new_session(self, day: date, start: time | None = None) -> SessionEditor:
        """Open the editor for a new session on ``day`` (with the filtered club chosen)."""
        return self._open_editor(SessionEditor(
            self._services, day=day, start=start, club_id=self._club_id(), parent=self))

    def open_session(self, meeting_id: uuid.UUID) -> SessionEditor:
        """Open the editor for an existing session."""
        return self._open_editor(SessionEditor(self._services, meeting_id, parent=self))

    def _open_editor(self, editor: SessionEditor) -> SessionEditor:
        self.editor = editor
        editor.finished.connect(lambda _result: self._after_edit())
        editor.open()
        return editor

    def tooltip_for(self, entry: CalendarEntry) -> str:
        """Time, club, title, place or URL: the details are read for this one session."""
        try:
            row = self._services.meetings.get(entry.id)
        except KankeiError:
            return tooltip(entry)
        return tooltip(entry._replace(tool=row.tool, url=row.url, place=row.place,
                                      kind=row.kind))

    def _after_edit(self) -> None:
        self.forget()
        self.reload()

    def export_ics(self) -> None:
        """Write the (chosen club's) sessions to an .ics file."""
        club_id = self._club_id()
        name = self.club_filter.currentText() if club_id else "kankei-sessions"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export sessions"), str(Path.home() / f"{name}.ics"),
            _("iCalendar files (*.ics)"))
        if path:
            self.write_ics(Path(path))

    def write_ics(self, path: Path) -> int:
        """Write the export to ``path``; return the number of sessions (0 on failure)."""
        from kankei_desktop.core.calendar.ical import to_ics  # icalendar: only to export

        club_id = self._club_id()
        try:
            rows = self._services.calendar.export_rows(club_id=club_id)
            path.write_bytes(to_ics(rows, self.club_filter.currentText() if club_id else ""))
        except KankeiError as exc:
            QMessageBox.warning(self, _("Export sessions"), exc.message)
            return 0
        except OSError as exc:
            QMessageBox.warning(self, _("Export sessions"), _(
                "{path} could not be written ({detail}). Choose a place where you may write."
            ).format(path=path, detail=exc.strerror or exc))
            return 0
        QMessageBox.information(self, _("Export sessions"), ngettext(
            "{count} session was written to {path}.", "{count} sessions were written to {path}.",
            len(rows)).format(count=len(rows), path=path))
        return len(rows)

    # -- screenshots -------------------------------------------------------------------------

    def prepare_screenshot(self) -> None:
        """Show a month with sessions: this month if it has any, else the latest session's."""
        self.refresh()
        if not any(e.date.month == self.anchor.month for e in self.entries):
            latest = self._services.calendar.latest_date()
            if latest is not None:
                self.go_to(latest)

    def screenshot_variants(self) -> Iterator[tuple[str, QWidget]]:
        """Extra screenshots, one at a time: the week view, then the session editor."""
        in_month = [e for e in self.entries if e.date.month == self.anchor.month]
        if not in_month:
            return  # an empty file: the month view says it all
        self.anchor = in_month[-1].date
        self.set_view(WEEK)
        yield "week", self
        if self.entries:
            editor = self.open_session(self.entries[-1].id)
            screen = self.window().size()  # a dialog never larger than the (small) screen
            editor.resize(min(760, screen.width()), min(700, screen.height()))
            yield "editor", editor
            if editor.attendance is not None:
                editor.tabs.setCurrentWidget(editor.attendance)
                yield "attendance", editor


def calendar_page(services: Services, parent: QWidget | None = None) -> CalendarPage:
    """The session calendar page."""
    return CalendarPage(services, parent)
