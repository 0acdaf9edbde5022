"""A date field that can also be empty (「なし」): see :mod:`.date_field`."""

from __future__ import annotations

from kankei_desktop.ui.widgets.date_field import OptionalDateEdit

__all__ = ["OptionalDateEdit"]
