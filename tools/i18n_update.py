"""Refresh the catalogs and fill in translations, safely while several people work at once.

    python3 dev.py i18n                       extract, update, list untranslated Japanese
    python3 dev.py i18n --ja new.json         ... and set these Japanese translations

``new.json`` maps an English msgid to its Japanese text; for a plural entry give a list
(one form for Japanese). Entries not present in the code are reported and ignored. The
whole run holds ``i18n/.update.lock`` so two runs never overwrite each other's work.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
POT = I18N / "messages.pot"
LOCK = I18N / ".update.lock"


def _acquire() -> int:
    deadline = time.monotonic() + 600
    while True:
        try:
            return os.open(LOCK, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            if time.monotonic() > deadline:
                sys.exit(f"{LOCK} is held for over 10 minutes; remove it if no run is active.")
            time.sleep(0.5)


def _pybabel(*args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"pybabel {args[0]} failed:\n{done.stdout}{done.stderr}")


def _fill(language: str, translations: dict[str, str | list[str]]) -> list[str]:
    path = I18N / language / "LC_MESSAGES" / "kankei.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    unknown = []
    for msgid, text in translations.items():
        message = catalog.get(msgid) or next(
            (m for m in catalog if isinstance(m.id, tuple) and m.id[0] == msgid), None)
        if message is None:
            unknown.append(msgid)
            continue
        if isinstance(message.id, tuple):
            forms = text if isinstance(text, list) else [text]
            message.string = tuple(forms[: catalog.num_plurals] or forms)
        else:
            message.string = text if isinstance(text, str) else text[0]
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True,
                 no_location=True)
    return unknown


def _untranslated(language: str) -> list[str]:
    with (I18N / language / "LC_MESSAGES" / "kankei.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def main(argv: list[str]) -> int:
    """Extract, update, fill, report."""
    parser = argparse.ArgumentParser(prog="dev.py i18n")
    parser.add_argument("--ja", type=Path, action="append", default=[],
                        help="JSON file of Japanese translations")
    args = parser.parse_args(argv)
    handle = _acquire()
    try:
        _pybabel("extract", "-F", "babel.cfg", "-k", "_", "-k", "N_", "-k", "ngettext:1,2",
                 "--no-location", "--sort-output", "-o", str(POT), ".")
        _pybabel("update", "-D", "kankei", "-i", str(POT), "-d", str(I18N),
                 "--no-fuzzy-matching", "--ignore-obsolete")
        for source in args.ja:
            unknown = _fill("ja", json.loads(source.read_text(encoding="utf-8")))
            for msgid in unknown:
                print(f"not in the code (ignored): {msgid!r}")
        missing = _untranslated("ja")
    finally:
        os.close(handle)
        LOCK.unlink()
    for msgid in missing:
        print(f"untranslated in ja: {msgid!r}")
    print(f"{len(missing)} Japanese entries still need a translation.")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
