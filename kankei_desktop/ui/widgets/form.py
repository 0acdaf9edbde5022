"""Editor forms whose validation messages sit right under the field they concern."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError, ValidationError

W = TypeVar("W", bound=QWidget)


class ErrorLabel(QLabel):
    """A red, wrapped message under one field (hidden while empty)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.setVisible(False)

    def show_message(self, message: str | None) -> None:
        """Show ``message`` or hide when None/empty."""
        self.setText(message or "")
        self.setVisible(bool(message))


class FieldForm(QWidget):
    """A QFormLayout where every row is ``field`` plus its :class:`ErrorLabel`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.layout_.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.errors: dict[str, ErrorLabel] = {}
        self.fields: list[QWidget] = []
        """The field widgets in the order they were added (the first gets the focus)."""
        self.labels: dict[str, str] = {}
        """Field name → the label shown beside it (the history names fields so)."""
        self.general_error = ErrorLabel()
        self.layout_.addRow(self.general_error)

    def add_field(self, name: str, label: str, widget: W) -> W:
        """Add ``widget`` under ``label``; ``name`` is the service's field name.

        Returns ``widget`` itself, typed as what was passed in. Tab leaves a multi-line field
        (it does not type a tab character into it).
        """
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            widget.setTabChangesFocus(True)
        self.labels[name] = label
        self.fields.append(widget)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = ErrorLabel()
        error.setObjectName(f"error_{name}")
        column.addWidget(error)
        self.errors[name] = error
        label_widget = QLabel(label)
        label_widget.setBuddy(widget)
        self.layout_.addRow(label_widget, box)
        return widget

    def add_row(self, label: str, widget: QWidget) -> None:
        """A row without validation (read-only information)."""
        self.layout_.addRow(label, widget)

    def clear_errors(self) -> None:
        """Hide every message."""
        for error in self.errors.values():
            error.show_message(None)
        self.general_error.show_message(None)

    def show_errors(self, exc: ValidationError) -> None:
        """Show each message next to its field; the rest at the top."""
        self.clear_errors()
        unplaced = []
        for name, message in exc.errors:
            label = self.errors.get(name)
            if label is not None:
                label.show_message(message)
            else:
                unplaced.append(message)
        if unplaced:
            self.general_error.show_message(" ".join(unplaced))

    def attempt(self, action: Callable[[], object]) -> bool:
        """Run ``action`` (a save); show what it refuses by the fields or at the top.

        Returns whether it succeeded, so a dialog closes only then.
        """
        self.clear_errors()
        try:
            action()
        except ValidationError as exc:
            self.show_errors(exc)
            return False
        except KankeiError as exc:
            self.general_error.show_message(exc.message)
            return False
        return True

    def error_text(self, name: str) -> str:
        """The message currently shown for ``name`` ("" when none)."""
        label = self.errors.get(name)
        return label.text() if label is not None and label.isVisible() else ""
