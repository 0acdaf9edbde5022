"""What the frozen application leaves out: parts no code path of the application loads.

Read by ``kankei-desktop.spec`` (the module lists go to PyInstaller's ``excludes``; ``slim``
filters the collected binaries and data files after the analysis) and by
``tests/packaging/test_slim.py``, which checks without a build that the application never
imports what is left out. Measured before and after in ``benchmarks/README.md`` (issue 25).

Not left out, on purpose:

- SQLAlchemy's other dialects (MySQL, Oracle, SQL Server, PostgreSQL): ``alembic.ddl``
  imports every one of them when Alembic loads, so migrations need them; they are plain
  Python (a few hundred kB in the archive). PostgreSQL with ``psycopg`` is a shared
  database's driver (the spec collects both by name).
- ``libQt6Network`` (QtPdf links it), ``libQt6OpenGL``/``OpenGLWidgets`` (QtCharts links
  them), ``libQt6DBus`` (QtGui links it), ICU (QtCore links it on Linux): only their Python
  bindings go, which nothing imports.
- The Wayland and xcb platforms, ``offscreen`` (the self-test), the ibus and compose input
  contexts (typing Japanese on Linux), the GTK and portal platform themes, the CUPS print
  support, the image formats.
- Pillow's core, JPEG/PNG/TIFF support and font support: ``reportlab.lib.utils`` imports
  ``PIL.Image`` whenever a PDF is made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TypeVar

#: Python packages the application never imports (PyInstaller ``excludes``; a name also
#: excludes its submodules). Development tools arrive through ``alembic.testing`` and
#: ``sqlalchemy.testing`` (which import pytest and mypy) when Alembic is collected whole.
EXCLUDED_MODULES: tuple[str, ...] = (
    # development and test tools
    "alembic.testing",
    "sqlalchemy.testing",
    "sqlalchemy.ext.mypy",
    "pytest",
    "_pytest",
    "pytest_qt",
    "pytestqt",
    "hypothesis",
    "mypy",
    "mypyc",
    "ast_serialize",
    "ruff",
    "importlinter",
    "grimp",
    "piptools",
    "PyInstaller",
    "pygments",
    "IPython",
    # never used by the application: the debugger and doctest (imported only where a
    # library runs its own tests), pkg_resources (babel falls back to it before Python 3.10;
    # it also adds a run-time hook that loads it at every start)
    "pdb",
    "doctest",
    "pydoc",
    "pkg_resources",
    "reportlab.graphics.testshapes",
    "tkinter",
    "matplotlib",
    "numpy",
    # Qt bindings nothing imports (their libraries stay where a used module links them)
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtMultimedia",
    "PySide6.Qt3DCore",
    # Pillow formats no report or import reads (each plugin already copes with its
    # missing extension); the AVIF codec alone is 5 MB
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
)

#: Qt libraries left out (name without ``lib`` and extension, by prefix): Qt Quick/QML come
#: only with the virtual-keyboard input plugin, EGLFS only with the eglfs platform, both
#: left out below.
DROPPED_QT_LIBRARIES: tuple[str, ...] = (
    "Qt6Quick", "Qt6Qml", "Qt6VirtualKeyboard", "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport",
)

#: Qt plugins left out: folder → plugin names (without ``lib`` and extension), ``"*"`` = all.
DROPPED_QT_PLUGINS: dict[str, tuple[str, ...]] = {
    "platforminputcontexts": ("qtvirtualkeyboardplugin",),  # on-screen keyboard (Qt Quick)
    "networkinformation": ("*",),  # the application never goes online
    "tls": ("*",),
    # embedded-device and remote platforms; the window runs on xcb, Wayland or Windows
    "platforms": ("qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl"),
    "egldeviceintegrations": ("*",),
    "generic": ("*",),  # evdev/tuio input for those platforms
}

#: Qt's own translations kept (the window loads ``qtbase_ja``; PyInstaller collects
#: ``qt_*``, ``qtbase_*`` and ``qt_help_*`` in about 30 languages).
QT_TRANSLATIONS: tuple[str, ...] = ("qtbase_ja", "qtbase_en", "qt_ja", "qt_en")

#: Babel locales kept: the formatting uses ``ja_JP`` and ``en_US``
#: (``core.japan.formatting``), the catalogs ``ja`` and ``en``; ``root`` is every
#: locale's parent.
BABEL_LOCALES: tuple[str, ...] = ("root", "en", "en_US", "ja", "ja_JP")

_LIBRARY = re.compile(r"^(?:lib)?(Qt6\w+?)(?:\.so[.\d]*|\.dll|\.dylib)$")
_PLUGIN_NAME = re.compile(r"^(?:lib)?(.+?)(?:\.so|\.dll|\.dylib)$")

Entry = TypeVar("Entry", bound=tuple[str, ...])


def is_excluded_module(name: str) -> bool:
    """Whether the Python module ``name`` is one of :data:`EXCLUDED_MODULES` or inside one."""
    return any(name == excluded or name.startswith(excluded + ".")
               for excluded in EXCLUDED_MODULES)


def keep(destination: str) -> bool:
    """Whether a collected file (its path inside the application folder) stays.

    Works on the Linux layout (``PySide6/Qt/lib``, ``PySide6/Qt/plugins``) and the Windows
    one (``PySide6/*.dll``, ``PySide6/plugins``).
    """
    path = PurePosixPath(destination.replace("\\", "/"))
    parts = path.parts
    if parts[:1] == ("babel",) and "locale-data" in parts:
        return path.suffix != ".dat" or path.stem in BABEL_LOCALES
    if parts[:1] != ("PySide6",):
        return True
    if "translations" in parts:
        return path.suffix != ".qm" or path.stem in QT_TRANSLATIONS
    if "plugins" in parts:
        index = parts.index("plugins")
        if len(parts) == index + 3:
            dropped = DROPPED_QT_PLUGINS.get(parts[index + 1], ())
            match = _PLUGIN_NAME.match(path.name)
            plugin = match.group(1) if match else path.name
            return "*" not in dropped and plugin not in dropped
        return True
    library = _LIBRARY.match(path.name)
    return not (library and library.group(1).startswith(DROPPED_QT_LIBRARIES))


def slim(entries: Iterable[Entry]) -> list[Entry]:
    """The TOC entries (``(destination, source, kind)``) that :func:`keep` keeps."""
    return [entry for entry in entries if keep(entry[0])]
