"""バージョン情報: the application's version and the licences of what it ships with."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from kankei_desktop.core.japan.municipalities import MASTER_PACKAGE
from kankei_desktop.core.storage.paths import resources_dir

#: The libraries the application is built on (distribution name, licence when the installed
#: package does not say: a frozen build may carry no package metadata).
LIBRARIES: tuple[tuple[str, str], ...] = (
    ("PySide6-Essentials", "LGPL-3.0-only"),
    ("SQLAlchemy", "MIT"),
    ("alembic", "MIT"),
    ("reportlab", "BSD"),
    ("babel", "BSD-3-Clause"),
    ("platformdirs", "MIT"),
    ("openpyxl", "MIT"),
    ("icalendar", "BSD-2-Clause"),
    ("jaconv", "MIT"),
    ("jpholiday", "MIT"),
    (MASTER_PACKAGE, "MIT"),  # the municipality master (read only by its adapter)
    ("cryptography", "Apache-2.0 OR BSD-3-Clause"),
    ("psycopg", "LGPL-3.0-only"),  # a shared PostgreSQL database
    ("keyring", "MIT"),
)
#: The bundled fonts and their licence file in resources/fonts.
FONTS: tuple[tuple[str, str], ...] = (
    ("IPAexGothic (ipaexg.ttf), IPAexMincho (ipaexm.ttf)", "IPA_Font_License_Agreement_v1.0.txt"),
)


@dataclass(frozen=True)
class Library:
    """One library: name, installed version ("" when unknown) and licence."""

    name: str
    version: str
    licence: str


def application_version() -> str:
    """The installed version of Kankei Desktop."""
    try:
        return metadata.version("kankei-desktop")
    except metadata.PackageNotFoundError:
        return "0.1.0"


def libraries() -> list[Library]:
    """The libraries with their versions and licences."""
    found = []
    for name, known in LIBRARIES:
        try:
            version = metadata.version(name)
            meta = metadata.metadata(name)
            # get_all: a missing field is None here but a KeyError in importlib_metadata's
            # messages (keyring brings it along)
            licence = str((meta.get_all("License-Expression") or [""])[0]).strip() or known
        except metadata.PackageNotFoundError:
            version, licence = "", known
        found.append(Library(name, version, licence))
    return found


def font_licence_files() -> list[tuple[str, Path]]:
    """(fonts, licence file) of the fonts shipped in resources/fonts."""
    folder = resources_dir() / "fonts"
    return [(fonts, folder / name) for fonts, name in FONTS if (folder / name).exists()]
