"""The embedded Japanese fonts (IPAex Gothic / Mincho) and the glyph check.

reportlab's CID fonts are not embedded, so the documents use the TrueType IPAex fonts shipped
in ``resources/fonts`` (subset-embedded). IPAex lacks some characters found in names (𠮷):
:func:`check_glyphs` finds them before anything is drawn so that the user can be told which
characters will not print instead of receiving a page with blank boxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.paths import resources_dir

GOTHIC = "IPAexGothic"
MINCHO = "IPAexMincho"

_FILES = {GOTHIC: "ipaexg.ttf", MINCHO: "ipaexm.ttf"}
#: Characters that never need a glyph (layout only).
_LAYOUT = frozenset("\n\r\t\u200b")


class MissingGlyphsError(KankeiError):
    """Some characters of the document have no glyph in the embedded font."""

    def __init__(self, characters: list[str], where: list[str]) -> None:
        self.characters = characters
        self.where = where
        shown = "、".join(f"「{ch}」(U+{ord(ch):04X})" for ch in characters)
        examples = "、".join(f"「{text}」" for text in where[:3])
        super().__init__(_(
            "These characters have no glyph in the report font and would print as blank "
            "boxes: {characters} (in {examples}). Replace them with a common form (e.g. 吉 "
            "for 𠮷) in the record, then build the report again.").format(
            characters=shown, examples=examples))


@cache
def register_fonts() -> None:
    """Register both fonts with reportlab once per process."""
    from kankei_desktop.reports.kinsoku import install

    folder = resources_dir() / "fonts"
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                      boldItalic=name)
    install()
    # Table cells default to Helvetica, which is never embedded: make IPAex Mincho the default
    # so the file only references embedded fonts.
    from reportlab.platypus.tables import CellStyle

    CellStyle.fontname = MINCHO
    # Compressed streams are binary anyway; ASCII85 on top of them only costs time and size.
    from reportlab import rl_config

    rl_config.useA85 = 0


@cache
def _covered(font_name: str) -> frozenset[int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def missing_characters(text: str, font_name: str = MINCHO) -> list[str]:
    """Characters of ``text`` without a glyph in ``font_name``, in order of appearance."""
    covered = _covered(font_name)
    seen: list[str] = []
    for ch in text:
        if ch not in _LAYOUT and ord(ch) not in covered and ch not in seen:
            seen.append(ch)
    return seen


def check_glyphs(texts: Iterable[str]) -> None:
    """Raise :class:`MissingGlyphsError` if any text has a character neither font can draw."""
    texts = list(texts)
    characters = set().union(*texts) if texts else set()
    covered = _covered(MINCHO)
    if all(ord(ch) in covered or ch in _LAYOUT for ch in characters):
        return  # the usual case, decided with one pass over the distinct characters
    missing: list[str] = []
    where: list[str] = []
    for text in texts:
        found = [ch for ch in missing_characters(text, MINCHO)
                 if ch in missing_characters(ch, GOTHIC)]
        if found:
            where.append(text if len(text) <= 30 else text[:29] + "…")
            missing.extend(ch for ch in found if ch not in missing)
    if missing:
        raise MissingGlyphsError(missing, where)
