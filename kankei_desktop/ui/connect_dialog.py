"""共有データベースに接続…: the server, database and user of a shared PostgreSQL database;
the password is asked for here and kept in the system's keyring, never in the settings."""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import DatabaseOpenError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.database import Database
from kankei_desktop.core.storage.locations import address_of
from kankei_desktop.core.storage.passwords import forget_password, remember_password
from kankei_desktop.core.storage.postgres import SharedPasswordError, open_shared


class ConnectDialog(QDialog):
    """Asks for the address of a shared database (and its password)."""

    def __init__(self, parent: QWidget | None = None, *, url: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Connect to a shared database"))
        column = QVBoxLayout(self)
        intro = QLabel(_("A shared database lets several people of an office or a prefecture "
                         "work in the same records at once. Your administrator gives you the "
                         "server, the database and your user name."))
        intro.setWordWrap(True)
        column.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit()
        self.host.setPlaceholderText(_("e.g. kankei-server or 192.0.2.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("kankei")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(_("Remember the password in this PC's keyring"))
        self.remember.setChecked(True)
        form.addRow(_("Server"), self.host)
        form.addRow(_("Port"), self.port)
        form.addRow(_("Database"), self.database)
        form.addRow(_("User"), self.user)
        form.addRow(_("Password"), self.password)
        form.addRow("", self.remember)
        column.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Connect"))
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        if url:
            address = address_of(url)
            self.host.setText(address.host)
            self.port.setValue(address.port or 5432)
            self.database.setText(address.database)
            self.user.setText(address.user)

    def url(self) -> str:
        """The libpq address typed in (no password)."""
        host = self.host.text().strip()
        user = quote(self.user.text().strip(), safe="")
        database = quote(self.database.text().strip(), safe="")
        if host.startswith("/"):  # a Unix socket folder
            return f"postgresql://{user}@/{database}?host={host}"
        return f"postgresql://{user}@{host}:{self.port.value()}/{database}"

    def _accept(self) -> None:
        missing = [label for label, field in ((_("Server"), self.host),
                                              (_("Database"), self.database),
                                              (_("User"), self.user))
                   if not field.text().strip()]
        if missing:
            QMessageBox.warning(self, self.windowTitle(), _(
                "Fill in: {fields}.").format(fields="、".join(missing)))
            return
        self.accept()


def connect_shared(url: str, parent: QWidget | None = None, *, password: str | None = None,
                   remember: bool = True) -> Database | None:
    """Open the shared database at ``url``: with ``password``, else the keyring's; asks for
    the password when the server wants one. Explains a failure; None then."""
    for _attempt in range(3):
        try:
            database = open_shared(url, password=password or None)
        except SharedPasswordError as exc:
            address = address_of(url)
            if password:
                forget_password(address)
            typed, ok = QInputDialog.getText(
                parent, _("Password"), exc.message if password else _(
                    "The password of {user} for {name}:").format(user=address.user,
                                                                  name=address.label),
                QLineEdit.EchoMode.Password)
            if not ok:
                return None
            password = typed
            continue
        except DatabaseOpenError as exc:
            QMessageBox.critical(parent, _("Cannot connect"), exc.message)
            return None
        if password and remember and database.address is not None:
            remember_password(database.address, password)
        return database
    return None


def ask_and_connect(parent: QWidget | None = None, url: str | None = None
                    ) -> Database | None:
    """The dialog, then the connection; None when cancelled or refused (explained)."""
    dialog = ConnectDialog(parent, url=url)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return connect_shared(dialog.url(), parent, password=dialog.password.text(),
                          remember=dialog.remember.isChecked())
