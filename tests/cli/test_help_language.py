"""The command-line help is wholly Japanese in Japanese (argparse's own words too), in one
style (体言止め), and stays English with --lang en."""

from __future__ import annotations

import argparse
import re

import pytest

from kankei_desktop.app import _parser as desktop_parser
from kankei_desktop.commands.cli import build_parser, main
from kankei_desktop.core.argparse_text import argparse_in_language
from kankei_desktop.core.i18n import set_language

ARGPARSE_ENGLISH = ("usage:", "positional arguments", "options:", "show this help message",
                    "show program's version", "error:", "the following arguments")


def _all_help(parser: argparse.ArgumentParser) -> list[str]:
    texts = [parser.format_help()]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                texts.extend(_all_help(sub))
    return texts


def _help_strings(parser: argparse.ArgumentParser) -> list[str]:
    found = [action.help for action in parser._actions if action.help]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.extend(choice.help for choice in action._choices_actions if choice.help)
            for sub in action.choices.values():
                found.extend(_help_strings(sub))
    return [text for text in found if text != argparse.SUPPRESS]


@pytest.mark.parametrize("make", [build_parser, desktop_parser])
def test_japanese_help_has_no_english_left(make) -> None:  # type: ignore[no-untyped-def]
    set_language("ja")
    with argparse_in_language():
        texts = _all_help(make())
    assert len(texts) > 1 or make is desktop_parser
    for text in texts:
        assert text.startswith("使い方:")
        for english in ARGPARSE_ENGLISH:
            assert english not in text, english
    with argparse_in_language():
        helps = _help_strings(make())
    for text in helps:  # one style: 体言止め, never 「…します」 beside 「…する」
        assert not re.search(r"(ます|する|す)$", text.strip("。")), text


def test_usage_errors_speak_japanese_and_english_stays_english(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "ja", "report", "club", "--fy", "2021"])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert "使い方: kankei report club" in err
    assert "エラー: 次の引数が必要です: --club" in err
    with pytest.raises(SystemExit):
        main(["--lang", "en", "report", "club", "--fy", "2021"])
    err = capsys.readouterr().err
    assert "usage: kankei report club" in err
    assert "error: the following arguments are required: --club" in err
    with pytest.raises(SystemExit):
        main(["--lang", "ja", "--help"])
    out = capsys.readouterr().out
    assert "このヘルプの表示と終了" in out
    assert "位置引数" in out


def test_argparse_is_left_as_it_was() -> None:
    before = vars(argparse)["_"]
    with argparse_in_language():
        pass
    assert vars(argparse)["_"] is before
