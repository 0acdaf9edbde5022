"""The window on a shared database: connecting (the password kept in the keyring, never in the
settings), what the status bar says, and other users' changes appearing by themselves."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QCoreApplication, QThreadPool

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.core.storage.locations import address_of
from kankei_desktop.core.storage.passwords import SERVICE, stored_password
from kankei_desktop.ui.connect_dialog import ConnectDialog, connect_shared
from kankei_desktop.ui.main_window import MainWindow
from kankei_desktop.ui.settings import AppSettings
from tests.postgres_server import TemporaryPostgres


class MemoryKeyring(KeyringBackend):
    """A keyring in memory (keyring's own backends touch the system's)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def shared_url(postgres_server: TemporaryPostgres) -> Iterator[str]:
    url = postgres_server.lend()
    yield url
    postgres_server.give_back(url)


def test_the_connect_dialog_builds_the_address(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ConnectDialog()
    qtbot.addWidget(dialog)
    dialog.host.setText("kankei-server")
    dialog.database.setText("iwate")
    dialog.user.setText("sato")
    assert dialog.url() == "postgresql://sato@kankei-server:5432/iwate"
    dialog.host.setText("/run/postgresql")
    assert dialog.url() == "postgresql://sato@/iwate?host=/run/postgresql"


def test_the_password_is_kept_in_the_keyring_not_the_settings(
        qtbot, shared_url: str, memory_keyring: MemoryKeyring) -> None:  # type: ignore[no-untyped-def]
    database = connect_shared(shared_url, None, password="secret-1", remember=True)
    assert database is not None
    database.close()
    address = address_of(shared_url)
    assert memory_keyring.kept == {(SERVICE, address.keyring_name): "secret-1"}
    assert stored_password(address) == "secret-1"
    settings = AppSettings()
    settings.add_recent_file(shared_url)
    settings.sync()
    stored = open(settings._store.fileName(), encoding="utf-8").read()  # noqa: SIM115
    assert "secret-1" not in stored


def test_other_users_changes_appear_without_restarting(
        qtbot, shared_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    database = open_database(shared_url)
    window = MainWindow(database, AppSettings())
    qtbot.addWidget(window)
    try:
        window.show()
        assert "dbname" not in window.file_label.text()
        assert database.label in window.file_label.text()
        window.show_page(2)  # 人
        assert window.people.model.rowCount() == 0
        colleague = open_database(shared_url)  # a second PC
        try:
            Services(colleague).people.create(PersonDraft(family_name="共有太郎"))
        finally:
            colleague.close()
        qtbot.waitUntil(lambda: window.people.model.rowCount() == 1, timeout=10_000)
    finally:
        window._stop_watching()
        window.hide()
        QThreadPool.globalInstance().waitForDone(10_000)
        QCoreApplication.processEvents()
        database.close()
