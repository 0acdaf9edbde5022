"""The password of a shared database, kept in the system's keyring (Windows Credential
Manager, macOS Keychain, the Secret Service) — never in a settings file.

Without a usable keyring (a locked-down PC, a test) nothing is kept and the password is asked
for each time; that is never an error.
"""

from __future__ import annotations

from kankei_desktop.core.storage.locations import SharedAddress

SERVICE = "Kankei Desktop"


def stored_password(address: SharedAddress) -> str | None:
    """The password kept for ``address``, if any."""
    try:
        import keyring
        import keyring.errors

        return keyring.get_password(SERVICE, address.keyring_name)
    except Exception:  # no backend, a locked keyring, a broken D-Bus: ask instead
        return None


def remember_password(address: SharedAddress, password: str) -> bool:
    """Keep ``password`` for ``address``; False when the keyring cannot keep it."""
    try:
        import keyring

        keyring.set_password(SERVICE, address.keyring_name, password)
    except Exception:
        return False
    return True


def forget_password(address: SharedAddress) -> None:
    """Forget the password kept for ``address`` (a wrong one)."""
    try:
        import keyring

        keyring.delete_password(SERVICE, address.keyring_name)
    except Exception:
        return
