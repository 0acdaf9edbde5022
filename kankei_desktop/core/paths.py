"""Where the application finds its shipped resources and keeps the user's data.

A frozen build (PyInstaller) unpacks resources beside the executable; a source checkout
or an editable install finds them at the repository root. Tests redirect the user folders
with the ``KANKEI_DATA_DIR`` environment variable.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "KankeiDesktop"
APP_AUTHOR = "Kankei"
DEFAULT_DB_NAME = "kankei.sqlite3"


def project_root() -> Path:
    """The folder that holds ``resources/`` and ``i18n/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """Shipped, read-only resources: fonts, demo data, icons."""
    return project_root() / "resources"


def i18n_dir() -> Path:
    """The gettext catalogs (``i18n/<lang>/LC_MESSAGES/kankei.po``)."""
    return project_root() / "i18n"


def user_data_dir() -> Path:
    """The user's data folder (created on demand)."""
    override = os.environ.get("KANKEI_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_cache_dir() -> Path:
    """Derived files that can be rebuilt at any time (compiled catalogs)."""
    override = os.environ.get("KANKEI_DATA_DIR")
    base = (
        Path(override) / "cache"
        if override
        else Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))
    )
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_database_path() -> Path:
    """``kankei.sqlite3`` in the user data folder."""
    return user_data_dir() / DEFAULT_DB_NAME
