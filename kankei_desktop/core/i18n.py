"""The one translation function of the application.

Source strings are English; ``i18n/<lang>/LC_MESSAGES/kankei.po`` holds the catalogs.
A catalog is compiled to ``.mo`` in the cache folder the first time it is used (or
whenever the ``.po`` is newer), so nobody edits compiled files by hand.

Import ``_`` explicitly (``from kankei_desktop.core.i18n import _``); it is never
installed into builtins.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import locale
import os
from pathlib import Path

from kankei_desktop.core.storage.paths import i18n_dir, user_cache_dir

DOMAIN = "kankei"
LANGUAGES = ("ja", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language() -> str:
    """Japanese on a Japanese PC, English where another language is set.

    ``KANKEI_LANG`` wins. Where no locale is set at all (``C``/``POSIX``, a bare server),
    the application speaks Japanese, its first language.
    """
    forced = os.environ.get("KANKEI_LANG", "").strip().lower()
    if forced in LANGUAGES:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return _language_of(value)
    try:
        system = locale.getlocale()[0] or ""
    except ValueError:
        system = ""
    return _language_of(system) if system else "ja"


def _language_of(locale_name: str) -> str:
    name = locale_name.split(":")[0].lower()
    if name.startswith(("ja", "japanese")):
        return "ja"
    if name in ("c", "posix") or name.startswith(("c.", "posix.")):
        return "ja"
    return "en"


def _compiled_catalog(lang: str) -> Path | None:
    po_path = i18n_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return None
    source = po_path.read_bytes()
    # Named by the catalog's content: two installations (or versions) on one PC never read
    # each other's compiled catalog, whatever the files' dates.
    digest = hashlib.sha256(source).hexdigest()[:16]
    mo_path = user_cache_dir() / "i18n" / lang / f"{DOMAIN}-{digest}.mo"
    if not mo_path.exists():
        # babel only when a catalog must be compiled (once per catalog), not on every start
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        mo_path.parent.mkdir(parents=True, exist_ok=True)
        catalog = read_po(io.BytesIO(source), locale=lang)
        tmp_path = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        tmp_path.replace(mo_path)
    return mo_path


def set_language(lang: str | None = None) -> str:
    """Switch the active language (``ja`` or ``en``); ``None`` detects it. Returns it."""
    global _translations, _language
    chosen = lang if lang in LANGUAGES else detect_language()
    translations: gettext.NullTranslations = gettext.NullTranslations()
    mo_path = _compiled_catalog(chosen) if chosen != "en" else None
    if mo_path is not None:
        with mo_path.open("rb") as mo_file:
            translations = gettext.GNUTranslations(mo_file)
    _translations = translations
    _language = chosen
    return chosen


def current_language() -> str:
    """The active language code."""
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count (plural forms follow the catalog)."""
    return _translations.ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it yet (labels in tables)."""
    return message
