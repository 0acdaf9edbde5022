"""Check digits and normalisation for Japanese codes, e-mail and postal codes.

See docs/ARCHITECTURE.md ("Japanese facts"). All validators take ASCII digits only; the
``normalize_*`` functions accept user input (full-width digits, hyphens, spaces) and raise
:class:`ValueError` with an English message.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "corporate_number_check_digit",
    "is_plausible_email",
    "is_prefecture_lgcode",
    "is_valid_corporate_number",
    "is_valid_lgcode",
    "lgcode_check_digit",
    "normalize_corporate_number",
    "normalize_lgcode",
    "normalize_postal_code",
    "prefecture_lgcode",
    "prefecture_of",
]

# Hyphen-like characters users type between digits (after NFKC): hyphen-minus, Unicode hyphens
# and dashes, minus sign, and the katakana prolonged sound mark an IME produces for "-".
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc"
_DASH_CLASS = "[" + re.escape(_DASHES) + "]"
_SEPARATORS = re.compile(rf"{_DASH_CLASS}|\s")
_POSTAL = re.compile(rf"([0-9]{{3}}){_DASH_CLASS}?([0-9]{{4}})")
_POSTAL_MARKS = "\u3012"  # 〒 (NFKC also maps the circled 〶 to it)


def _is_ascii_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def _clean_digits(value: str) -> str:
    """NFKC, then drop whitespace and hyphen-like separators."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value))


# --- 全国地方公共団体コード (JIS X 0402) ------------------------------------------------------


def lgcode_check_digit(five_digits: str) -> str:
    """Return the check digit of a 5-digit local government code.

    s = 6a + 5b + 4c + 3d + 2e, r = s mod 11, check = (11 - r) mod 10.

    Raises:
        ValueError: if *five_digits* is not exactly 5 ASCII digits.
    """
    if not _is_ascii_digits(five_digits, 5):
        raise ValueError(f"a local government code body is 5 digits, got {five_digits!r}")
    total = sum(
        weight * int(digit) for weight, digit in zip((6, 5, 4, 3, 2), five_digits, strict=True)
    )
    return str((11 - total % 11) % 10)


def is_valid_lgcode(code: str) -> bool:
    """Return whether *code* is 6 ASCII digits with a correct check digit (e.g. ``"131016"``)."""
    return _is_ascii_digits(code, 6) and lgcode_check_digit(code[:5]) == code[5]


def normalize_lgcode(value: str) -> str:
    """Normalise a local government code to 6 digits.

    NFKC, hyphens and spaces removed; a 5-digit code gets its check digit appended.

    Raises:
        ValueError: if the result is not 5 or 6 digits, or the check digit is wrong.
    """
    digits = _clean_digits(value)
    if _is_ascii_digits(digits, 5):
        return digits + lgcode_check_digit(digits)
    if not _is_ascii_digits(digits, 6):
        raise ValueError(f"a local government code has 5 or 6 digits, got {value!r}")
    if not is_valid_lgcode(digits):
        raise ValueError(
            f"wrong check digit in local government code {value!r} "
            f"(expected {digits[:5]}{lgcode_check_digit(digits[:5])})"
        )
    return digits


def prefecture_of(lgcode: str) -> str:
    """Return the 2-digit prefecture number (JIS X 0401) of a 6-digit code: ``"03"`` for
    一関市 ``"032093"`` and for 岩手県 ``"030007"`` itself."""
    return lgcode[:2]


def is_prefecture_lgcode(lgcode: str) -> bool:
    """Return whether a valid 6-digit code names a prefecture (digits 3–5 are ``000``, prefecture
    numbers 01–47): ``"030007"`` 岩手県, ``"130001"`` 東京都."""
    return (is_valid_lgcode(lgcode) and lgcode[2:5] == "000"
            and 1 <= int(lgcode[:2]) <= PREFECTURE_COUNT)


def prefecture_lgcode(prefecture: str) -> str:
    """Return the 6-digit code of prefecture number ``prefecture`` (``"03"`` → ``"030007"``)."""
    body = f"{prefecture}000"
    return body + lgcode_check_digit(body)


#: Prefectures are numbered 01 (北海道) to 47 (沖縄県).
PREFECTURE_COUNT = 47


# --- 法人番号 (corporate number) -------------------------------------------------------------


def corporate_number_check_digit(twelve: str) -> str:
    """Return the check digit (the leading digit) of a 法人番号 from its other 12 digits.

    check = 9 - (Σ Pn * Qn mod 9), Pn the n-th digit counted from the right, Qn = 1 for odd n
    and 2 for even n (国税庁's formula). The check digit is never 0.

    Raises:
        ValueError: if *twelve* is not exactly 12 ASCII digits.
    """
    if not _is_ascii_digits(twelve, 12):
        raise ValueError(f"a corporate number body is 12 digits, got {twelve!r}")
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(twelve), 1))
    return str(9 - total % 9)


def is_valid_corporate_number(number: str) -> bool:
    """Return whether *number* is 13 ASCII digits whose first digit is the correct check digit."""
    return _is_ascii_digits(number, 13) and corporate_number_check_digit(number[1:]) == number[0]


def normalize_corporate_number(value: str) -> str:
    """Normalise a 法人番号 to 13 digits (NFKC, hyphens and spaces removed).

    Raises:
        ValueError: if the result is not 13 digits or the check digit is wrong.
    """
    digits = _clean_digits(value)
    if not _is_ascii_digits(digits, 13):
        raise ValueError(f"a corporate number has 13 digits, got {value!r}")
    if not is_valid_corporate_number(digits):
        raise ValueError(f"wrong check digit in corporate number {value!r}")
    return digits


# --- e-mail and postal codes -----------------------------------------------------------------


def is_plausible_email(value: str) -> bool:
    """Return whether *value* looks like an e-mail address; a typo filter, not RFC 5322.

    Rules: exactly one ``@``; a non-empty local part; a domain with at least one dot and no
    empty labels (``a@b.c``, not ``a@b``, ``a@.b`` or ``a@b.``); no whitespace at all. Dots in
    the local part are not checked, because old Japanese mobile addresses such as
    ``taro..yamada.@docomo.ne.jp`` are RFC-invalid but real. The full-width at sign is rejected:
    normalise user input (NFKC) first.
    """
    if any(ch.isspace() for ch in value) or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(labels)


def normalize_postal_code(value: str) -> str:
    """Normalise a postal code to ``"NNN-NNNN"``.

    Accepts ``"1000001"``, ``"100-0001"``, full-width digits and hyphens, a leading 〒 and
    spaces.

    Raises:
        ValueError: if *value* is not a 7-digit postal code.
    """
    cleaned = "".join(unicodedata.normalize("NFKC", value).split()).lstrip(_POSTAL_MARKS)
    match = _POSTAL.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"a postal code has 7 digits (NNN-NNNN), got {value!r}")
    return f"{match[1]}-{match[2]}"
