"""Tests for kankei_desktop.core.japan.codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kankei_desktop.core.japan.codes import (
    corporate_number_check_digit,
    is_plausible_email,
    is_valid_corporate_number,
    is_valid_lgcode,
    lgcode_check_digit,
    normalize_corporate_number,
    normalize_lgcode,
    normalize_postal_code,
)

FULLWIDTH_HYPHEN = "\uff0d"


def fullwidth(digits: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in digits)


# --- local government codes ------------------------------------------------------------------

VALID_LGCODES = ["011002", "131016", "130001", "014524", "032093", "032115"]


@pytest.mark.parametrize("code", VALID_LGCODES)
def test_valid_lgcodes(code: str) -> None:
    assert is_valid_lgcode(code)
    assert lgcode_check_digit(code[:5]) == code[5]
    assert normalize_lgcode(code[:5]) == code
    assert normalize_lgcode(fullwidth(code)) == code


@pytest.mark.parametrize("code", ["011003", "13101", "1310160", "abcdef", "", fullwidth("131016")])
def test_invalid_lgcodes(code: str) -> None:
    assert not is_valid_lgcode(code)


def test_lgcode_check_digit_edges() -> None:
    assert lgcode_check_digit("00000") == "1"  # r = 0 -> 11 mod 10
    assert lgcode_check_digit("13000") == "1"  # r = 10
    with pytest.raises(ValueError, match="5 digits"):
        lgcode_check_digit("1234")


def test_normalize_lgcode() -> None:
    assert normalize_lgcode(" 13101-6 ") == "131016"
    assert normalize_lgcode("13101") == "131016"
    with pytest.raises(ValueError, match="check digit"):
        normalize_lgcode("131017")
    with pytest.raises(ValueError, match="5 or 6 digits"):
        normalize_lgcode("1310")
    with pytest.raises(ValueError, match="5 or 6 digits"):
        normalize_lgcode("札幌市")


@given(st.text(alphabet="0123456789", min_size=5, max_size=5))
def test_lgcode_round_trip(body: str) -> None:
    code = normalize_lgcode(body)
    assert is_valid_lgcode(code)
    assert normalize_lgcode(code) == code


# --- corporate numbers -----------------------------------------------------------------------

VALID_CORPORATE_NUMBERS = ["7000012050002", "1180301018771", "4010401022860"]


@pytest.mark.parametrize("number", VALID_CORPORATE_NUMBERS)
def test_valid_corporate_numbers(number: str) -> None:
    assert is_valid_corporate_number(number)
    assert corporate_number_check_digit(number[1:]) == number[0]
    assert normalize_corporate_number(fullwidth(number)) == number


def test_corporate_number_formula_by_hand() -> None:
    # 000012050002 from the right: 2*1 + 5*1 + 2*1 + 1*2 = 11; 11 mod 9 = 2; 9 - 2 = 7.
    assert corporate_number_check_digit("000012050002") == "7"


@pytest.mark.parametrize(
    "number", ["8000012050002", "700001205000", "70000120500021", "7000O12050002", ""]
)
def test_invalid_corporate_numbers(number: str) -> None:
    assert not is_valid_corporate_number(number)


def test_normalize_corporate_number() -> None:
    assert normalize_corporate_number("7-0000-1205-0002") == "7000012050002"
    assert normalize_corporate_number(" 7000 0120 50002 ") == "7000012050002"
    with pytest.raises(ValueError, match="check digit"):
        normalize_corporate_number("8000012050002")
    with pytest.raises(ValueError, match="13 digits"):
        normalize_corporate_number("000012050002")


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_corporate_number_round_trip(body: str) -> None:
    check = corporate_number_check_digit(body)
    assert check in "123456789"
    assert is_valid_corporate_number(check + body)


# --- e-mail ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["taro@example.jp", "taro.yamada+kankei@city.example.lg.jp", "taro..yamada.@docomo.ne.jp"],
)
def test_plausible_emails(value: str) -> None:
    assert is_plausible_email(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "taro",
        "@example.jp",
        "taro@",
        "taro@localhost",
        "taro@example.",
        "taro@.example.jp",
        "taro@example..jp",
        "taro@@example.jp",
        "ta ro@example.jp",
        "taro@example.jp ",
        "taro\u3000@example.jp",
        "taro\uff20example.jp",
    ],
)
def test_implausible_emails(value: str) -> None:
    assert not is_plausible_email(value)


# --- postal codes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1000001",
        "100-0001",
        " 100 0001 ",
        "〒100-0001",
        "〒 1000001",
        fullwidth("100") + FULLWIDTH_HYPHEN + fullwidth("0001"),
        "100ー0001",
        "100\u22120001",
        "〶100-0001",
    ],
)
def test_normalize_postal_code(value: str) -> None:
    assert normalize_postal_code(value) == "100-0001"


@pytest.mark.parametrize(
    "value", ["", "100-001", "10000011", "1000-001", "100--0001", "abc-defg", "〒"]
)
def test_normalize_postal_code_rejects(value: str) -> None:
    with pytest.raises(ValueError, match="7 digits"):
        normalize_postal_code(value)
