"""The encryption of bundles: AES-256-GCM with a key from scrypt(passphrase, salt).

The manifest is readable without the passphrase and names the scrypt cost it was written
with. Until the payload is decrypted nothing in it is authenticated, so the cost is never
taken from it as it stands: only the parameters in :data:`ALLOWED_COSTS` (what this version
writes, and what earlier versions wrote) are accepted, checked before any key is derived. A
forged manifest asking for gigabytes of memory is refused at once.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _

CIPHER = "AES-256-GCM"
KDF = "scrypt"
#: scrypt cost of new bundles: N = 2^17, r = 8, p = 1 (the current guidance for interactive
#: use): 128 MiB and 0.45 s per key on the 2-vCPU test VM (2^15 took 0.12 s).
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
#: Every cost a bundle may name: this version's, and 2^15 written by the first versions.
ALLOWED_COSTS = frozenset({(2**17, 8, 1), (2**15, 8, 1)})
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE = 8


class EncryptionError(KankeiError):
    """A bundle cannot be encrypted or decrypted (the sentence says why)."""


def check_new_passphrase(passphrase: str) -> None:
    """Refuse a passphrase too short to resist guessing (checked when exporting)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise EncryptionError(_(
            "A passphrase needs at least {count} characters, because a shorter one can be "
            "guessed quickly by anyone who gets the bundle; choose a longer one (a short "
            "sentence is easy to remember), nothing was written.").format(
                count=MIN_PASSPHRASE))


def new_parameters() -> dict[str, Any]:
    """The manifest's ``encryption`` object of a new bundle (fresh salt and nonce)."""
    return {"cipher": CIPHER, "kdf": KDF, "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P,
            "salt": base64.b64encode(secrets.token_bytes(SALT_BYTES)).decode("ascii"),
            "nonce": base64.b64encode(secrets.token_bytes(NONCE_BYTES)).decode("ascii")}


def encrypt(parameters: dict[str, Any], passphrase: str, payload: bytes,
            associated: bytes) -> bytes:
    """The payload sealed with the key from ``passphrase`` (``associated``: the manifest)."""
    key, nonce = _key_and_nonce(parameters, passphrase)
    return AESGCM(key).encrypt(nonce, payload, associated)


def decrypt(parameters: object, passphrase: str, payload: bytes, associated: bytes) -> bytes:
    """The payload opened with ``passphrase``; :class:`EncryptionError` with a sentence."""
    key, nonce = _key_and_nonce(parameters, passphrase)
    try:
        return AESGCM(key).decrypt(nonce, payload, associated)
    except (InvalidTag, ValueError) as exc:
        raise EncryptionError(_(
            "The passphrase is wrong, or the bundle was altered or damaged. Check the "
            "passphrase with the sender; nothing was changed.")) from exc


def _key_and_nonce(parameters: object, passphrase: str) -> tuple[bytes, bytes]:
    n, r, p, salt, nonce = checked_parameters(parameters)
    key = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return key, nonce


def checked_parameters(parameters: object) -> tuple[int, int, int, bytes, bytes]:
    """``(n, r, p, salt, nonce)`` of a manifest's ``encryption`` object, refused unless the
    cipher, the KDF and the cost are ones this version knows (no key is derived here)."""
    if not isinstance(parameters, dict):
        raise EncryptionError(_unknown())
    cost = tuple(parameters.get(name) for name in ("n", "r", "p"))
    if parameters.get("cipher") != CIPHER or parameters.get("kdf") != KDF or not all(
            type(value) is int for value in cost) or cost not in ALLOWED_COSTS:
        raise EncryptionError(_unknown())
    try:
        salt = base64.b64decode(str(parameters["salt"]), validate=True)
        nonce = base64.b64decode(str(parameters["nonce"]), validate=True)
    except (KeyError, ValueError, binascii.Error) as exc:
        raise EncryptionError(_unknown()) from exc
    if not 8 <= len(salt) <= 64 or len(nonce) != NONCE_BYTES:
        raise EncryptionError(_unknown())
    n, r, p = (int(value) for value in cost)
    return n, r, p, salt, nonce


def _unknown() -> str:
    return _("The bundle names an encryption this version of Kankei Desktop does not use (it "
             "may have been altered, or made by a newer version). Ask the sender to export it "
             "again with the same version; nothing was changed.")


def protection(manifest: dict[str, Any]) -> str:
    """In plain words: whether the bundle is encrypted, and what that means."""
    if manifest.get("encryption") is not None:
        return _("This bundle is encrypted: only someone with the passphrase can read it, "
                 "and any change to it is detected.")
    return _("This bundle is NOT encrypted: anyone who had the file could read it, and "
             "could have changed it without that being noticed.")
