"""What the frozen application leaves out (``packaging/slim.py``) is never needed.

Without a build: the filter's decisions on the Linux and Windows layouts, no module of the
application imports a left-out module, and a real self-test (every page, every PDF, a bundle
round trip) run with babel reduced to the kept locales loads no left-out module, Qt library
or plugin. With a build (``KANKEI_TEST_FROZEN=1`` after ``packaging/build.py``): the folder
and both programs' archives hold nothing that was to be left out.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
FROZEN = ROOT / "dist" / "kankei-desktop"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


def _load_slim() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kankei_slim", ROOT / "packaging" / "slim.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


slim = _load_slim()


@pytest.mark.parametrize("path", [
    # Linux wheel layout
    "PySide6/Qt/lib/libQt6Core.so.6",
    "PySide6/Qt/lib/libQt6Gui.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6/Qt/lib/libQt6OpenGL.so.6",
    "PySide6/Qt/lib/libQt6DBus.so.6",
    "PySide6/Qt/lib/libQt6Charts.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/Qt/lib/libicudata.so.73",
    "PySide6/QtCore.abi3.so",
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/translations/qtbase_ja.qm",
    "PySide6/Qt/translations/qt_en.qm",
    # Windows wheel layout
    "PySide6/Qt6Core.dll",
    "PySide6/Qt6Pdf.dll",
    "PySide6/plugins/platforms/qwindows.dll",
    "PySide6/plugins/printsupport/windowsprintersupport.dll",
    "PySide6\\plugins\\styles\\qmodernwindowsstyle.dll",
    "PySide6/translations/qtbase_ja.qm",
    # everything else
    "babel/locale-data/ja.dat",
    "babel/locale-data/ja_JP.dat",
    "babel/locale-data/en.dat",
    "babel/locale-data/en_US.dat",
    "babel/locale-data/root.dat",
    "babel/locale-data/LICENSE.unicode",
    "babel/global.dat",
    "resources/fonts/ipaexg.ttf",
    "i18n/ja/LC_MESSAGES/kankei.po",
    "libpython3.11.so.1.0",
    "cryptography/hazmat/bindings/_rust.abi3.so",
])
def test_what_the_application_loads_is_kept(path: str) -> None:
    assert slim.keep(path)


@pytest.mark.parametrize("path", [
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6QmlModels.so.6",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
    "PySide6/Qt/plugins/generic/libqevdevmouseplugin.so",
    "PySide6/Qt/translations/qt_help_ja.qm",
    "PySide6/Qt/translations/qtwebengine_ja.qm",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt6Quick.dll",
    "PySide6/Qt6Qml.dll",
    "PySide6/plugins/platforminputcontexts/qtvirtualkeyboardplugin.dll",
    "PySide6\\plugins\\tls\\qschannelbackend.dll",
    "PySide6/translations/qt_help_ja.qm",
    "babel/locale-data/de.dat",
    "babel/locale-data/en_GB.dat",
    "babel/locale-data/ja_Latn.dat",
])
def test_what_the_application_never_loads_goes(path: str) -> None:
    assert not slim.keep(path)


def test_excluded_modules_match_by_package() -> None:
    assert slim.is_excluded_module("alembic.testing")
    assert slim.is_excluded_module("alembic.testing.fixtures")
    assert slim.is_excluded_module("PySide6.QtNetwork")
    assert slim.is_excluded_module("mypy.build")
    assert not slim.is_excluded_module("alembic")
    assert not slim.is_excluded_module("alembic.runtime.migration")
    assert not slim.is_excluded_module("PySide6.QtCore")
    assert not slim.is_excluded_module("mypyfoo")
    # the migrations and the coming PostgreSQL support need these
    assert not slim.is_excluded_module("sqlalchemy.dialects.postgresql")
    assert not slim.is_excluded_module("psycopg")
    assert not slim.is_excluded_module("alembic.ddl.postgresql")


def test_slim_filters_table_of_contents_entries() -> None:
    entries = [("PySide6/Qt/lib/libQt6Quick.so.6", "/x/libQt6Quick.so.6", "BINARY"),
               ("PySide6/Qt/lib/libQt6Core.so.6", "/x/libQt6Core.so.6", "BINARY")]
    assert slim.slim(entries) == entries[1:]


def test_spec_uses_the_lists() -> None:
    spec = (ROOT / "packaging" / "kankei-desktop.spec").read_text(encoding="utf-8")
    assert "excludes = list(slim.EXCLUDED_MODULES)" in spec
    assert "result.binaries = slim.slim(result.binaries)" in spec
    assert "result.datas = slim.slim(result.datas)" in spec
    assert "not slim.is_excluded_module(name)" in spec, "alembic.testing stays out"


def _imported_modules(source: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_application_module_imports_a_left_out_module() -> None:
    """Also the imports inside functions, which a run may not reach."""
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "kankei_desktop").rglob("*.py"))
        for name in _imported_modules(path)
        if slim.is_excluded_module(name)
    }
    assert not offending


#: Run in a fresh interpreter as the frozen build would: left-out modules cannot be imported
#: (optional imports fall back, e.g. mako's highlighting without pygments), babel holds only
#: the kept locales; the real self-test, then English and Japanese formatting; prints what
#: was loaded.
_AS_FROZEN = """
import importlib.util, json, os, shutil, sys, tempfile
from pathlib import Path
spec = importlib.util.spec_from_file_location("kankei_slim", sys.argv[1])
slim = importlib.util.module_from_spec(spec)
spec.loader.exec_module(slim)

class LeftOut:
    def find_spec(self, name, path=None, target=None):
        if slim.is_excluded_module(name):
            raise ModuleNotFoundError(f"No module named {name!r} (left out)", name=name)
        return None

sys.meta_path.insert(0, LeftOut())
import babel.localedata as localedata
kept = Path(tempfile.mkdtemp(prefix="kankei-babel-"))
for name in os.listdir(localedata._dirname):
    if not name.endswith(".dat") or name[:-4] in slim.BABEL_LOCALES:
        shutil.copy(os.path.join(localedata._dirname, name), kept / name)
localedata._dirname = str(kept)
localedata._cache.clear()
from kankei_desktop.app import main
code = main(["--self-test"])  # as the program runs it: in the language of KANKEI_LANG
from datetime import date, datetime, time
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.japan import formatting
formatting.set_date_style("western")
texts = []
for language in ("en", "ja"):
    set_language(language)
    texts += [formatting.format_day(date(2021, 12, 16)),
              formatting.format_day_short(date(2021, 12, 16)),
              formatting.format_clock(time(19, 5)),
              formatting.format_moment(datetime(2021, 12, 16, 19, 5)),
              formatting.format_count(12345), formatting.format_rate(0.5),
              formatting.format_yen(1200)]
maps = Path("/proc/self/maps")
files = sorted({line.split(maxsplit=5)[-1].strip() for line in maps.read_text().splitlines()
                if "/PySide6/" in line}) if maps.exists() else []
print(json.dumps({"code": code, "modules": sorted(sys.modules), "files": files,
                  "texts": texts}, ensure_ascii=False))
"""


@pytest.mark.gui
def test_self_test_passes_without_what_is_left_out(tmp_path: Path) -> None:
    env = dict(os.environ, KANKEI_DATA_DIR=str(tmp_path), QT_QPA_PLATFORM="offscreen",
               KANKEI_LANG="ja", PYTHONIOENCODING="utf-8")
    result = subprocess.run([sys.executable, "-c", _AS_FROZEN, str(ROOT / "packaging" / "slim.py")],
                            env=env, cwd=tmp_path, capture_output=True, encoding="utf-8",
                            timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["code"] == 0, result.stdout + result.stderr
    assert "自己診断に成功しました" in result.stdout, "the self-test ran in Japanese"
    assert [name for name in report["modules"] if slim.is_excluded_module(name)] == []
    assert "PySide6.QtPdf" in report["modules"], "the self-test reached the report preview"
    assert "PySide6.QtCharts" in report["modules"], "... and the dashboard's charts"
    texts = report["texts"]
    assert "Thu, Dec 16, 2021" in texts
    assert "12,345" in texts
    assert "2021年12月16日(木)" in texts
    assert "12/16(木)" in texts
    if sys.platform.startswith("linux"):
        qt_files = [path.split("/site-packages/", 1)[-1] for path in report["files"]]
        assert any(path.endswith("libQt6Widgets.so.6") for path in qt_files)
        assert [path for path in qt_files if not slim.keep(path)] == []


frozen = pytest.mark.skipif(
    not (FROZEN / f"kankei{EXE_SUFFIX}").exists() or not os.environ.get("KANKEI_TEST_FROZEN"),
    reason="set KANKEI_TEST_FROZEN=1 after packaging/build.py to test the build")


@frozen
def test_frozen_folder_holds_nothing_left_out() -> None:
    internal = FROZEN / "_internal"
    files = [path.relative_to(internal).as_posix() for path in internal.rglob("*")
             if path.is_file()]
    assert [path for path in files if not slim.keep(path)] == []
    top = {path.split("/", 1)[0] for path in files}
    assert not {"mypy", "pytest", "_pytest", "hypothesis", "pygments", "ast_serialize"} & top
    assert sorted(path for path in files if path.startswith("babel/locale-data/")
                  and path.endswith(".dat")) == sorted(
        f"babel/locale-data/{name}.dat" for name in slim.BABEL_LOCALES)


@frozen
def test_frozen_programs_hold_no_left_out_module() -> None:
    readers = pytest.importorskip("PyInstaller.archive.readers")
    for program in ("kankei", "kankei-desktop"):
        archive = readers.CArchiveReader(str(FROZEN / f"{program}{EXE_SUFFIX}"))
        modules = list(archive.open_embedded_archive("PYZ.pyz").toc)
        assert "kankei_desktop.commands.cli" in modules, program
        assert [name for name in modules if slim.is_excluded_module(name)] == [], program
