"""Collects every problem in a draft so a form can show each message beside its field."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from enum import StrEnum

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.field_limits import check_values
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan import codes
from kankei_desktop.core.japan.text import is_kana_reading


class Checker:
    """Accumulates ``(field, message)`` pairs; :meth:`raise_if_any` raises them together."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def add(self, field: str, message: str) -> None:
        """Record a problem with ``field``."""
        self.errors.append((field, message))

    def required(self, field: str, value: str | object | None, label: str) -> None:
        """``value`` must not be empty."""
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, _("{label} is required.").format(label=label))

    def max_length(self, field: str, value: str, limit: int, label: str) -> None:
        """``value`` must fit the column."""
        if len(value) > limit:
            self.add(
                field,
                _("{label} is too long ({count} characters; at most {limit}).").format(
                    label=label, count=len(value), limit=limit
                ),
            )

    def limits(self, table: str, values: Mapping[str, object]) -> None:
        """Every text value must fit its field (:mod:`kankei_desktop.core.field_limits`, the
        limits every other way in checks too)."""
        already = {field for field, _message in self.errors}
        for problem in check_values(table, values):
            if problem.field not in already:
                self.add(problem.field, problem.message)

    def choice(self, field: str, value: str, vocabulary: type[StrEnum], label: str) -> None:
        """``value`` must be one of the vocabulary's codes."""
        if value not in {member.value for member in vocabulary}:
            self.add(
                field,
                _("{label} has an unknown value '{value}'. Choose one from the list.").format(
                    label=label, value=value
                ),
            )

    def kana(self, field: str, value: str, label: str) -> None:
        """A reading must be kana (it sorts the lists in 50音順 and prints as ふりがな)."""
        if not is_kana_reading(value):
            self.add(field, _("{label} must be written in hiragana or katakana (e.g. やまだ), "
                              "not '{value}'.").format(label=label, value=value))

    def email(self, field: str, value: str) -> None:
        """An e-mail address, when given, must look like one."""
        if value and not codes.is_plausible_email(value):
            self.add(
                field,
                _("'{value}' is not an e-mail address (expected something like "
                  "name@example.jp).").format(value=value),
            )

    def date_order(
        self, field: str, start: date | None, end: date | None, start_label: str, end_label: str
    ) -> None:
        """``end`` must not be before ``start``."""
        if start is not None and end is not None and end < start:
            self.add(
                field,
                _("{end} must not be before {start}.").format(end=end_label, start=start_label),
            )

    def time_order(self, field: str, start: time | None, end: time | None) -> None:
        """An end time must come after the start time."""
        if start is not None and end is not None and end <= start:
            self.add(field, _("The end time must be after the start time."))

    def raise_if_any(self) -> None:
        """Raise every recorded problem as one :class:`ValidationError`."""
        if self.errors:
            raise ValidationError(list(self.errors))
