"""The rules' numbers, kept in the file (``meta``: ``furusato.settings``) because the
national rules are still settling: the published values are the defaults."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.furusato.choices import (
    PERIOD_FISCAL_YEAR,
    PERIODS,
    SETTING_CAPTIONS,
)
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Meta

SETTINGS_KEY = "furusato.settings"


#: (field, lowest, highest) of the whole-number settings.
_LIMITS: tuple[tuple[str, int, int], ...] = (
    ("minimum_activities", 1, 100),
    ("maximum_premium", 1, 50),
    ("renewal_months", 1, 60),
    ("notice_days", 1, 366),
)


@dataclass(frozen=True)
class FurusatoSettings:
    """The numbers of the ふるさと住民登録 rules (published values as defaults, 2026-01)."""

    minimum_activities: int = 3
    """Designated activities a premium registration needs in the period."""
    maximum_premium: int = 3
    """Municipalities a person may hold a premium registration with."""
    period: str = PERIOD_FISCAL_YEAR
    """The period the activities are counted over."""
    renewal_months: int = 12
    """A new registration's renewal is due this many months after it was made."""
    notice_days: int = 60
    """The page lists renewals due within this many days."""

    @classmethod
    def from_json(cls, text: str | None) -> FurusatoSettings:
        """Stored settings; a missing, unknown or out-of-range value gives its default."""
        try:
            data: Any = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            return cls()
        values: dict[str, Any] = {}
        for name, low, high in _LIMITS:
            value = data.get(name)
            if type(value) is int and low <= value <= high:
                values[name] = value
        if data.get("period") in PERIODS:
            values["period"] = data["period"]
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def problems(self) -> list[tuple[str, str]]:
        """``(field, sentence)`` for every value out of range."""
        found = []
        captions = dict(SETTING_CAPTIONS)
        for name, low, high in _LIMITS:
            value = getattr(self, name)
            if type(value) is not int or not low <= value <= high:
                found.append((name, _("{label} must be a whole number from {low} to {high}.")
                              .format(label=_(captions[name]), low=low, high=high)))
        if self.period not in PERIODS:
            found.append(("period", _("The period counted must be the fiscal year or the "
                                      "calendar year.")))
        return found




def setting_names() -> list[str]:
    """The settings' field names in display order."""
    return [item.name for item in fields(FurusatoSettings)]


def load_settings(session: Session) -> FurusatoSettings:
    """The file's settings (the published defaults when never saved)."""
    row = session.get(Meta, SETTINGS_KEY)
    return FurusatoSettings.from_json(row.value if row is not None else None)


def save_settings(session: Session, settings: FurusatoSettings) -> None:
    """Keep ``settings`` in the file (a :class:`ValidationError` when a value is out of
    range; nothing is saved then)."""
    problems = settings.problems()
    if problems:
        raise ValidationError(problems)
    row = session.get(Meta, SETTINGS_KEY)
    if row is None:
        session.add(Meta(key=SETTINGS_KEY, value=settings.to_json()))
    else:
        row.value = settings.to_json()
