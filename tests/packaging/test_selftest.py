"""``kankei-desktop --self-test``: one summary line, exit 0, or 1 naming the failing step."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop import selftest
from kankei_desktop.app import main as app_main
from kankei_desktop.core.i18n import set_language

pytestmark = pytest.mark.gui


def fake_pdfs(_services: Any, folder: Path) -> None:
    (folder / "roster.pdf").write_bytes(b"%PDF-1.4\n% fake\n")


def fake_round_trip(services: Any, folder: Path) -> None:
    assert services.people.count() > 0, "the bundle step runs on the demo data"
    (folder / "bundle.kankei").write_bytes(b"bundle")


@pytest.fixture
def features(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The reports and sync entry points of the self-test, replaced by fakes."""
    fakes: dict[str, Any] = {
        f"{selftest.REPORTS_MODULE}.build_every_document": fake_pdfs,
        f"{selftest.SYNC_MODULE}.round_trip": fake_round_trip,
    }

    def feature(module: str, function: str) -> Any:
        return fakes[f"{module}.{function}"]

    monkeypatch.setattr(selftest, "_feature", feature)
    set_language("en")
    return fakes


def run(**kwargs: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = selftest.run_self_test(out, **kwargs)
    return code, out.getvalue()


def test_self_test_passes_and_prints_one_line(qapp, features: dict[str, Any],  # type: ignore[no-untyped-def]
                                              tmp_path: Path) -> None:
    user_folder = Path(os.environ["KANKEI_DATA_DIR"])
    before = sorted(user_folder.rglob("*"))

    code, output = run(keep=tmp_path / "work")

    assert code == 0, output
    assert output.count("\n") == 1
    assert output.startswith("self-test passed")
    for part in ("demo data (", "pages", "1 PDFs", "bundle round trip", "check ok"):
        assert part in output
    assert len(list((tmp_path / "work" / "pages").glob("*.png"))) >= 7
    assert os.environ["KANKEI_DATA_DIR"] == str(user_folder), "the user folder is restored"
    assert sorted(user_folder.rglob("*")) == before, "the user's folder is never touched"


def test_a_failing_step_is_named_and_exits_1(qapp, features: dict[str, Any],  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_services: Any, _folder: Path) -> None:
        raise ValueError("the font is missing")

    features["kankei_desktop.sync.self_test.round_trip"] = broken

    code, output = run()

    assert code == 1
    assert output.count("\n") == 1
    assert "step 'bundle'" in output
    assert "the font is missing" in output


def test_a_pdf_step_writing_nothing_fails(qapp, features: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    features["kankei_desktop.reports.self_test.build_every_document"] = lambda *_args: None
    code, output = run()
    assert code == 1
    assert "step 'pdf'" in output


def test_a_missing_feature_module_is_reported_as_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_language("en")
    monkeypatch.setattr(selftest, "STEPS", [("pdf", selftest.step_pdfs)])
    monkeypatch.setattr(selftest, "REPORTS_MODULE", "kankei_desktop.reports.no_such_module")

    code, output = run()

    assert code == 1
    assert "step 'pdf': not available" in output


def test_command_line_option_runs_it(qapp, features: dict[str, Any],  # type: ignore[no-untyped-def]
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert app_main(["--self-test", "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("self-test passed")
