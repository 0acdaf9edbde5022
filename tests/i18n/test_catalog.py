"""The Japanese catalog is complete: every string in the code is translated, none fuzzy."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from kankei_desktop.core.i18n import _, set_language
from kankei_desktop.core.storage.paths import i18n_dir, project_root

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def source_messages() -> set[str]:
    """Every msgid (singular) that babel extracts from the package."""
    found: set[str] = set()
    package = project_root() / "kankei_desktop"
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(package), method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {message for message in found if message}


def japanese_catalog() -> dict[str, object]:
    path: Path = i18n_dir() / "ja" / "LC_MESSAGES" / "kankei.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="ja")
    return {message.id[0] if isinstance(message.id, tuple) else message.id: message
            for message in catalog if message.id}


def test_every_source_string_is_translated_into_japanese() -> None:
    catalog = japanese_catalog()
    missing = sorted(source_messages() - set(catalog))
    assert not missing, f"not in the ja catalog (run the extract/update steps): {missing[:10]}"
    untranslated = [key for key, message in catalog.items()
                    if not message.string or (isinstance(message.string, tuple)  # type: ignore[attr-defined]
                                              and not all(message.string))]  # type: ignore[attr-defined]
    fuzzy = [key for key, message in catalog.items() if message.fuzzy]  # type: ignore[attr-defined]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_translations_keep_the_placeholders() -> None:
    for key, message in japanese_catalog().items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)  # type: ignore[attr-defined]
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(key)), key


def test_language_switch_changes_messages() -> None:
    set_language("en")
    assert _("Sessions held") == "Sessions held"
    set_language("ja")
    assert _("Sessions held") == "開催回数"
