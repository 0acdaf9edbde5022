"""The seven stages of a club's co-creation process as clickable steps."""

from __future__ import annotations

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLayout, QPushButton, QWidget
from typing_extensions import override

from kankei_desktop.core.vocabulary import ClubStage, label


class StageIndicator(QWidget):
    """Steps 1–7; the current one and those before it are highlighted."""

    stage_changed = Signal(str)
    """The user clicked another stage (its code)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        # the steps flow into as many columns as fit (4 on a wide editor, 1 on a narrow one),
        # so a small screen never has to scroll the editor sideways
        grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._columns = 0
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: list[QPushButton] = []
        for index, stage in enumerate(ClubStage):
            button = QPushButton(f"{index + 1}. {label(stage)}")
            button.setCheckable(True)
            button.setProperty("stage", stage.value)
            button.setToolTip(label(stage))
            self._group.addButton(button, index)
            self._buttons.append(button)
        self._flow(4)
        self._group.idClicked.connect(self._on_clicked)
        self._stage = ClubStage.VISUALISE.value
        self.set_stage(self._stage)

    def _flow(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for button in self._buttons:
            self._grid.removeWidget(button)
        for index, button in enumerate(self._buttons):
            self._grid.addWidget(button, index // columns, index % columns)
        self.updateGeometry()

    def _columns_for(self, width: int) -> int:
        widest = max(button.sizeHint().width() for button in self._buttons)
        return max(1, min(4, (width + 4) // (widest + 4)))

    @override
    def minimumSizeHint(self) -> QSize:
        widest = max(button.minimumSizeHint().width() for button in self._buttons)
        return QSize(widest, super().minimumSizeHint().height())

    @override
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._flow(self._columns_for(event.size().width()))
        super().resizeEvent(event)

    @property
    def stage(self) -> str:
        """The selected stage code."""
        return self._stage

    def set_stage(self, stage: str) -> None:
        """Show ``stage`` as current."""
        codes = [member.value for member in ClubStage]
        position = codes.index(stage) if stage in codes else 0
        self._stage = codes[position]
        for index, button in enumerate(self._buttons):
            button.setChecked(index == position)
            done = index < position
            button.setStyleSheet(
                "QPushButton { background: #2e6f9e; color: white; font-weight: bold; }"
                if index == position
                else ("QPushButton { background: #cfe0ec; }" if done else "")
            )

    def _on_clicked(self, index: int) -> None:
        stage = list(ClubStage)[index].value
        self.set_stage(stage)
        self.stage_changed.emit(stage)
