"""Which part of the programme figures are shown for: all of it, a prefecture, a municipality
or a club."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from kankei_desktop.core.figures.scope import FigureFilter
from kankei_desktop.core.i18n import _
from kankei_desktop.core.services.areas import Area
from kankei_desktop.ui.widgets.area_label import area_label


class ScopeCombo(QComboBox):
    """事業全体, then the prefectures and municipalities hosting clubs, then the clubs; emits
    :attr:`scope_changed` with the :class:`FigureFilter`."""

    scope_changed = Signal(object)
    """Another scope was chosen (its :class:`FigureFilter`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setToolTip(_("Show the figures of the whole programme, one prefecture (with "
                          "every municipality in it), one municipality or one club."))
        # As wide as a prefecture's name, not as the longest club's; the list opens wider.
        self.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(14)
        self._filters: list[FigureFilter] = []
        self.set_choices([], [])
        self.currentIndexChanged.connect(
            lambda _index: self.scope_changed.emit(self.figure_filter()))

    def set_choices(self, areas: list[Area], clubs: list[tuple[uuid.UUID, str]]) -> None:
        """Offer ``areas`` and ``clubs`` (id, name); the current choice is kept if still
        offered, else the whole programme is chosen (without a signal)."""
        current = self.figure_filter() if self._filters else FigureFilter()
        self.blockSignals(True)
        self.clear()
        self._filters = [FigureFilter()]
        self.addItem(_("Whole programme"))
        if areas:
            self.insertSeparator(self.count())
            self._filters.append(FigureFilter())  # the separator's place
        for area in areas:
            self.addItem(area_label(area) if area.is_prefecture else f"　{area.name}")
            self._filters.append(area.figure_filter)
        if clubs:
            self.insertSeparator(self.count())
            self._filters.append(FigureFilter())
        for club_id, name in clubs:
            self.addItem(_("Club: {name}").format(name=name))
            self._filters.append(FigureFilter(club_id=club_id))
        index = next((i for i, flt in enumerate(self._filters)
                      if flt == current and self.itemText(i)), 0)
        self.setCurrentIndex(index)
        self.view().setMinimumWidth(self.view().sizeHintForColumn(0) + 24)
        self.blockSignals(False)

    def figure_filter(self) -> FigureFilter:
        """The chosen scope."""
        index = self.currentIndex()
        return self._filters[index] if 0 <= index < len(self._filters) else FigureFilter()

    def choose(self, figure_filter: FigureFilter) -> bool:
        """Choose ``figure_filter`` if it is offered (emits :attr:`scope_changed`)."""
        for index, offered in enumerate(self._filters):
            if offered == figure_filter and self.itemText(index):
                self.setCurrentIndex(index)
                return True
        return False
