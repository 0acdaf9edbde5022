"""The detail pane of a list page: a form saved with 保存 and cancelled with 取消."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError, ValidationError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services import Services
from kankei_desktop.core.writes.versions import EditConflictError
from kankei_desktop.ui.widgets.form import FieldForm
from kankei_desktop.ui.widgets.history_panel import HistoryPanel
from kankei_desktop.ui.widgets.tags import TagsEdit


class RecordEditor(QWidget):
    """Subclasses build the form and implement the ``_draft``/``_fill``/``_save`` hooks."""

    saved = Signal(object)
    """A record was saved (its id)."""

    _services: Services

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_id: uuid.UUID | None = None
        #: The version of the record the form was filled from (a save made from an older
        #: version than the stored one is refused: someone else changed it meanwhile).
        self.version: str | None = None
        self.read_only = False
        self._loaded: Any = None
        self.tags: TagsEdit | None = None
        self._tag_kind = ""
        self._tag_services: Services | None = None
        self._loaded_tags: list[str] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        outer.addWidget(self.heading)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.form = FieldForm()
        self.form.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.body_layout.addWidget(self.form, 0, Qt.AlignmentFlag.AlignTop)
        scroll.setWidget(self.body)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(scroll, _("Details"))
        outer.addWidget(self.tabs, 1)
        self.change_history: HistoryPanel | None = None
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Undo the changes in the form"))
        self.save_button = QPushButton(_("Save"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(_("Save the changes (Ctrl+S)"))
        self.save_button.setShortcut("Ctrl+S")
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.revert)

    # -- hooks ----------------------------------------------------------------------------

    def _draft(self) -> Any:
        """The form's values as a draft dataclass."""
        raise NotImplementedError

    def _fill(self, record_id: uuid.UUID | None) -> Any:
        """Put the record (or an empty new one) into the form; return its draft."""
        raise NotImplementedError

    def _record_service(self) -> Any:
        """The record's service (a ``RecordService``)."""
        raise NotImplementedError

    def _save(self, record_id: uuid.UUID | None, draft: Any) -> uuid.UUID:
        """Create or update through the service (from the version the form was filled
        from); return the id."""
        service = self._record_service()
        if record_id is None:
            return uuid.UUID(str(service.create(draft).id))
        return uuid.UUID(str(service.update(record_id, draft, expected=self.version).id))

    def _check_pickers(self) -> list[tuple[str, str]]:
        """Errors of fields the service cannot see (text typed but nothing chosen)."""
        return []

    def _after_save(self, record_id: uuid.UUID) -> None:
        """Save parts kept outside the draft (targets …)."""

    def _record_name(self, draft: Any) -> str:
        """The record's name in the undo menu (「山田 太郎」)."""
        return str(getattr(draft, "name", "") or self.heading.text())

    def _action_label(self, draft: Any) -> str:
        name = self._record_name(draft)
        return (_("Add {name}") if self.record_id is None else _("Edit {name}")).format(
            name=name)

    def add_history(self, services: Services, table: str) -> HistoryPanel:
        """The 変更履歴 tab (call after the form's fields are added)."""
        self.change_history = HistoryPanel(services, table, labels=self.form.labels,
                                    before_restore=self.confirm_leave)
        self.tabs.addTab(self.change_history, _("Change history"))
        self.change_history.restored.connect(self._on_history_restored)
        self.tabs.currentChanged.connect(lambda _index: self._show_history())
        return self.change_history

    def finish_tab_order(self) -> None:
        """Tab goes through the form first and to 取消 / 保存 last (the buttons were made
        before the subclass added its fields)."""
        last: QWidget | None = None
        widget = self.body.nextInFocusChain()
        seen = set()
        while widget is not None and id(widget) not in seen:
            seen.add(id(widget))
            if self.body.isAncestorOf(widget) and widget.focusPolicy() \
                    & Qt.FocusPolicy.TabFocus:
                last = widget
            widget = widget.nextInFocusChain()
        if last is not None:
            QWidget.setTabOrder(last, self.cancel_button)
            QWidget.setTabOrder(self.cancel_button, self.save_button)

    def _show_history(self) -> None:
        if self.change_history is not None and self.tabs.currentWidget() is self.change_history \
                and self.change_history.record_id != self.record_id:
            self.change_history.load(self.record_id)

    def _on_history_restored(self) -> None:
        if self.record_id is not None:
            record_id = self.record_id
            self.load(record_id, read_only=self.read_only)
            self.saved.emit(record_id)
    def add_tags_field(self, services: Services, kind: str) -> TagsEdit:
        """A タグ field saved with the record (``kind``: person, organization, club)."""
        self._tag_services = services
        self._tag_kind = kind
        self.tags = self.form.add_field(
            "tags", _("Tags"), TagsEdit(lambda: [tag.name for tag in services.tags.find()]))
        return self.tags

    def _load_tags(self, record_id: uuid.UUID | None) -> None:
        if self.tags is None or self._tag_services is None:
            return
        self._loaded_tags = ([tag.name for tag in self._tag_services.tags.tags_of(record_id)]
                             if record_id is not None else [])
        self.tags.set_tag_names(self._loaded_tags)

    def _save_tags(self, record_id: uuid.UUID) -> None:
        if self.tags is not None and self._tag_services is not None and \
                set(self.tags.tag_names()) != set(self._loaded_tags):
            self._tag_services.tags.set_tags(self._tag_kind, record_id, self.tags.tag_names())

    # -- behaviour ------------------------------------------------------------------------

    def load(self, record_id: uuid.UUID | None, *, read_only: bool = False) -> None:
        """Show ``record_id`` (None: a new, empty record)."""
        self.record_id = record_id
        self.read_only = read_only
        self.form.clear_errors()
        self._loaded = self._fill(record_id)
        self.version = (self._record_service().version(record_id)
                        if record_id is not None else None)
        self._load_tags(record_id)
        self.body.setEnabled(not read_only)
        self.save_button.setEnabled(not read_only)
        self.cancel_button.setEnabled(not read_only)
        if self.change_history is not None:
            self.change_history.record_id = None  # read again when the tab is shown
            self._show_history()

    def is_dirty(self) -> bool:
        """True when the form differs from what was loaded."""
        if self.read_only or self._loaded is None:
            return False
        if self.tags is not None and set(self.tags.tag_names()) != set(self._loaded_tags):
            return True
        try:
            return bool(self._draft() != self._loaded)
        except Exception:
            return True

    def revert(self) -> None:
        """Throw away the form's changes."""
        self.load(self.record_id, read_only=self.read_only)

    def save(self) -> bool:
        """Validate and save; on errors show them by their fields and keep the form."""
        if self.read_only:
            return False
        self.form.clear_errors()
        try:
            picker_errors = self._check_pickers()
            if self.tags is not None:
                picker_errors += self.tags.problems()
            if picker_errors:
                raise ValidationError(picker_errors)
            draft = self._draft()
            with self._services.context.action(self._action_label(draft)):
                record_id = self._save(self.record_id, draft)
                self._after_save(record_id)
                self._save_tags(record_id)
        except ValidationError as exc:
            self.form.show_errors(exc)
            return False
        except EditConflictError as exc:
            return self._resolve_conflict(exc)
        except KankeiError as exc:
            QMessageBox.warning(self, _("Could not save"), exc.message)
            return False
        self.record_id = record_id
        self._loaded = self._fill(record_id)
        self._load_tags(record_id)
        self.saved.emit(record_id)
        return True

    def _resolve_conflict(self, conflict: EditConflictError) -> bool:
        """Someone else saved the record meanwhile: overwrite their version, or reload."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Changed by someone else"),
                          conflict.message, QMessageBox.StandardButton.NoButton, self)
        overwrite = box.addButton(_("Overwrite with mine"),
                                  QMessageBox.ButtonRole.DestructiveRole)
        reload_ = box.addButton(_("Reload theirs"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(reload_)
        box.exec()
        clicked = box.clickedButton()
        if clicked is overwrite:
            self.version = conflict.current_version
            return self.save()
        if clicked is reload_:
            self.load(self.record_id, read_only=self.read_only)
        return False

    def confirm_leave(self) -> bool:
        """Ask what to do with unsaved changes; False means stay."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("The form has changes that are not saved. Save them now?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard
