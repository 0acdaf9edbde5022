"""The name of a copy (issue 23, item 5): chosen by the user, stored in the file, sent in
the manifest; never the operating system's user and computer names."""

from __future__ import annotations

import getpass
import platform
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync.bundle import read_manifest
from kankei_desktop.sync.identity import has_replica_name, set_replica_name
from kankei_desktop.sync.service import SyncService


@pytest.fixture(autouse=True)
def _telling_os_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS account and computer names, recognisable if they leak."""
    monkeypatch.setattr(getpass, "getuser", lambda: "tanaka.private")
    monkeypatch.setattr(platform, "node", lambda: "PC-SOUMU-0042")


def test_an_unnamed_copy_never_sends_the_os_user_or_computer(services: Services,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "x.kankei"
    SyncService(services).export(path, passphrase="十分に長い合言葉です")
    name = read_manifest(path)["source_name"]
    assert "tanaka" not in name
    assert "PC-SOUMU" not in name
    assert name  # something colleagues can tell apart (from the replica id)
    assert services.context.replica_id.hex[:8] in name
    assert not has_replica_name(services)


def test_the_chosen_name_is_stored_and_sent(services: Services, tmp_path: Path) -> None:
    set_replica_name(services, "  鷹栖町役場 企画課 ")
    assert SyncService(services).name() == "鷹栖町役場 企画課"
    path = tmp_path / "x.kankei"
    SyncService(services).export(path, passphrase="十分に長い合言葉です")
    assert read_manifest(path)["source_name"] == "鷹栖町役場 企画課"


@pytest.mark.parametrize("bad", ["", "   ", "名" * 101, "改行\nあり", "制御\x00文字"])
def test_a_name_that_cannot_be_shown_is_refused(services: Services, bad: str) -> None:
    set_language("en")
    with pytest.raises(KankeiError) as refused:
        set_replica_name(services, bad)
    assert "\n" not in refused.value.message
    assert not has_replica_name(services)


def test_the_command_line_names_the_copy_and_export_uses_it(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    open_database(db_path).close()
    secret = tmp_path / "pass.txt"
    secret.write_text("十分に長い合言葉です\n", encoding="utf-8")
    bundle = tmp_path / "x.kankei"
    assert main(["--lang", "en", "--db", str(db_path), "bundle", "export", "--full", "-o",
                 str(bundle), "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert "kankei replica-name" in out  # the hint to name it
    assert main(["--lang", "en", "--db", str(db_path), "replica-name", "鷹栖町役場 企画課"]) == 0
    capsys.readouterr()
    assert main(["--lang", "en", "--db", str(db_path), "replica-name"]) == 0
    assert capsys.readouterr().out.strip() == "鷹栖町役場 企画課"
    assert main(["--lang", "en", "--db", str(db_path), "bundle", "export", "--full", "-o",
                 str(bundle), "--passphrase-file", str(secret)]) == 0
    assert "replica-name" not in capsys.readouterr().out
    assert read_manifest(bundle)["source_name"] == "鷹栖町役場 企画課"
    assert main(["--lang", "en", "--db", str(db_path), "replica-name", ""]) == 1
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0
    assert "Traceback" not in err


def test_a_bundle_with_an_overlong_name_is_refused(services: Services, tmp_path: Path,
                                                   replicas: list[Services]) -> None:
    from kankei_desktop.sync import identity

    sender = replicas[0]
    with sender.context.transaction() as session:  # as a forged or foreign file would have it
        session.merge(identity.Meta(key=identity.NAME_KEY, value="長" * 5000))
    path = tmp_path / "long.kankei"
    SyncService(sender).export(path, passphrase="十分に長い合言葉です")
    before = SyncService(services).dump()
    with pytest.raises(KankeiError):
        SyncService(services).import_(path, "十分に長い合言葉です")
    assert SyncService(services).dump() == before


@pytest.mark.gui
def test_the_sync_page_asks_for_the_name_once_and_lets_it_be_changed(
        services: Services, tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.ui.pages.sync.page import SyncPage

    page = SyncPage(services)
    qtbot.addWidget(page)
    page.notify = lambda kind, text: None
    asked: list[str] = []
    page.ask_name = lambda current: asked.append(current) or "鷹栖町役場 企画課"
    page.refresh()
    assert "鷹栖町役場" not in page.identity.text()
    assert page.export_to(tmp_path / "a.kankei", None, "十分に長い合言葉です") is not None
    assert len(asked) == 1  # asked at the first export
    assert read_manifest(tmp_path / "a.kankei")["source_name"] == "鷹栖町役場 企画課"
    assert "鷹栖町役場 企画課" in page.identity.text()
    assert page.export_to(tmp_path / "b.kankei", None, "十分に長い合言葉です") is not None
    assert len(asked) == 1  # only once
    page.ask_name = lambda current: asked.append(current) or "鷹栖町役場 総務課"
    page.name_button.click()
    assert asked[-1] == "鷹栖町役場 企画課"  # the dialog starts from the current name
    assert SyncService(services).name() == "鷹栖町役場 総務課"
    assert "総務課" in page.identity.text()
    page.ask_name = lambda current: None  # cancelled: no bundle, nothing asked again
    set_language("ja")
