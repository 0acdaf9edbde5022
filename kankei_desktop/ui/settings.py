"""The one typed settings object of the window (QSettings, never pickled Qt objects).

Tests (and portable use) redirect the file: when ``KANKEI_DATA_DIR`` is set, the settings live
in ``settings.ini`` inside that folder instead of the platform's registry or plist.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from kankei_desktop.core.storage.paths import user_data_dir

ORGANIZATION = "Kankei"
APPLICATION = "KankeiDesktop"
MAX_RECENT = 8


def _qsettings() -> QSettings:
    if os.environ.get("KANKEI_DATA_DIR"):
        return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


class AppSettings:
    """What the window remembers between starts."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else _qsettings()

    def sync(self) -> None:
        """Write pending changes to disk."""
        self._store.sync()

    # -- files ---------------------------------------------------------------------------

    @property
    def recent_files(self) -> list[str]:
        """Most recent first."""
        value = self._store.value("files/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        return [str(item) for item in value] if isinstance(value, Iterable) else []

    def add_recent_file(self, path: Path | str) -> None:
        """Put ``path`` first in the recent list (and remember it as the last file); a shared
        database by its address (never with a password)."""
        text = str(path)
        files = [text] + [item for item in self.recent_files if item != text]
        self._store.setValue("files/recent", files[:MAX_RECENT])
        self._store.setValue("files/last", text)

    @property
    def last_file(self) -> str | None:
        """The file open when the window last closed."""
        value = self._store.value("files/last", "")
        return str(value) if value else None

    # -- window --------------------------------------------------------------------------

    def bytes_value(self, key: str) -> QByteArray | None:
        """A saved geometry or state blob."""
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes_value(self, key: str, value: QByteArray) -> None:
        """Save a geometry or state blob."""
        self._store.setValue(key, value)

    @property
    def last_page(self) -> int:
        """Index of the page shown last."""
        value = self._store.value("window/page", 0)  # an int, or its text in an INI file
        if not isinstance(value, int | float | str):
            return 0
        try:
            return int(value)
        except ValueError:
            return 0

    @last_page.setter
    def last_page(self, index: int) -> None:
        self._store.setValue("window/page", index)

    # -- preferences -----------------------------------------------------------------------

    @property
    def language(self) -> str:
        """``ja``, ``en`` or empty for the system's language (applied at the next start)."""
        value = str(self._store.value("preferences/language", "") or "")
        return value if value in {"ja", "en"} else ""

    @language.setter
    def language(self, value: str) -> None:
        self._store.setValue("preferences/language", value if value in {"ja", "en"} else "")

    @property
    def date_style(self) -> str:
        """``western`` or ``wareki`` (和暦) for Japanese dates; ``""`` (the default): as the
        open file's reports write them."""
        value = str(self._store.value("preferences/date_style", "") or "")
        return value if value in {"western", "wareki"} else ""

    @date_style.setter
    def date_style(self, value: str) -> None:
        self._store.setValue("preferences/date_style",
                             value if value in {"western", "wareki"} else "")
