"""Where the application finds its shipped resources and keeps the user's data.

A frozen build (PyInstaller) unpacks resources beside the executable; a source checkout
or an editable install finds them at the repository root. Tests redirect the user folders
with the ``KANKEI_DATA_DIR`` environment variable.

Portable mode (a USB stick): when a file named ``portable`` sits next to the executable,
the data folder is ``<folder of the executable>/data``. Outside a frozen build the folder
named by ``KANKEI_PORTABLE_ROOT`` plays the executable's folder (for development and tests).
``KANKEI_DATA_DIR`` wins over both.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "KankeiDesktop"
APP_AUTHOR = "Kankei"
DEFAULT_DB_NAME = "kankei.sqlite3"
PORTABLE_MARKER = "portable"
PORTABLE_DATA = "data"


def project_root() -> Path:
    """The folder that holds ``resources/`` and ``i18n/``."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parents[3]


def resources_dir() -> Path:
    """Shipped, read-only resources: fonts, demo data, icons."""
    return project_root() / "resources"


def i18n_dir() -> Path:
    """The gettext catalogs (``i18n/<lang>/LC_MESSAGES/kankei.po``)."""
    return project_root() / "i18n"


def application_dir() -> Path | None:
    """The folder of the executable of a frozen build (``KANKEI_PORTABLE_ROOT`` otherwise)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    root = os.environ.get("KANKEI_PORTABLE_ROOT")
    return Path(root) if root else None


def portable_data_dir() -> Path | None:
    """``<application folder>/data`` when the ``portable`` marker is there, else None."""
    folder = application_dir()
    if folder is None or not (folder / PORTABLE_MARKER).is_file():
        return None
    return folder / PORTABLE_DATA


def apply_portable_mode() -> Path | None:
    """In portable mode, point ``KANKEI_DATA_DIR`` at the portable folder; return it.

    Called once at start-up so that everything that follows the variable (the settings file
    of the window, caches) stays on the stick too, instead of the PC's registry.
    """
    folder = portable_data_dir()
    if folder is not None and not os.environ.get("KANKEI_DATA_DIR"):
        os.environ["KANKEI_DATA_DIR"] = str(folder)
    return folder


def user_data_dir() -> Path:
    """The user's data folder (created on demand, readable by the user only)."""
    from kankei_desktop.core.storage.private import private_folder

    override = os.environ.get("KANKEI_DATA_DIR") or portable_data_dir()
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return private_folder(path)


def user_cache_dir() -> Path:
    """Derived files that can be rebuilt at any time (compiled catalogs)."""
    override = os.environ.get("KANKEI_DATA_DIR") or portable_data_dir()
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
