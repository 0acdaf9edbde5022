"""The ``*.kankei`` container: a zip with a readable manifest and a (usually encrypted) payload.

Layout (exactly two entries, nothing else is accepted)::

    manifest.json   JSON object, stored as is: format, versions, source replica, version
                    vector, counts, SHA-256 and sizes of the payload, encryption parameters
    payload.bin     format 1 (incremental bundles, and full ones of earlier versions):
                    zlib-compressed JSON lines; format 2 (full bundles): an SQLite database
                    image of the exchanged tables (:mod:`.image`) in frames — a 4-byte
                    big-endian length, then that many bytes of zlib stream holding one
                    :data:`CHUNK` of the image (the last one shorter), compressed and
                    decompressed on every core. With encryption, AES-256-GCM over the
                    payload with a key from scrypt(passphrase, salt) and the manifest's bytes
                    as associated data, so the manifest cannot be altered without the import
                    noticing

``kankei bundle inspect`` reads the manifest without the passphrase; it is authenticated
(when encrypted) only when the payload is decrypted at import.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.storage.regular_file import Problem, RegularFileError, read_regular
from kankei_desktop.sync import encryption

FORMAT = "kankei-bundle"
FORMAT_VERSION = 1
#: Full bundles carrying an SQLite database image (older versions refuse them as newer).
IMAGE_FORMAT_VERSION = 2
MANIFEST = "manifest.json"
PAYLOAD = "payload.bin"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
MAX_PLAIN_BYTES = 8 * 1024 * 1024 * 1024
MAX_LINE_BYTES = 16 * 1024 * 1024
MAX_PASSPHRASE_FILE_BYTES = 64 * 1024
CHUNK = 8 * 1024 * 1024


class BundleError(KankeiError):
    """A bundle that cannot be used; nothing was changed."""


class FutureBundleError(BundleError):
    """A bundle stamped far in the future (the sender's clock is wrong); may be accepted."""


@dataclass
class Bundle:
    """A verified bundle: its manifest and the compressed payload (decrypted)."""

    manifest: dict[str, Any]
    payload: bytes

    @property
    def is_image(self) -> bool:
        """Whether the payload is an SQLite database image (format 2)."""
        return bool(self.manifest["format_version"] == IMAGE_FORMAT_VERSION)

    def write_image(self, target: Path) -> None:
        """Decompress an image payload into ``target`` (a new file), within the manifest's
        size; :class:`BundleError` for anything that is not whole frames of it."""
        expected = int(self.manifest["payload_plain_bytes"])
        frames = list(_frames(memoryview(self.payload), expected))
        written = 0
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                             | getattr(os, "O_BINARY", 0), 0o600)  # the database it may become
        with os.fdopen(descriptor, "wb") as output, ThreadPoolExecutor(_workers()) as pool:
            pending: deque[Future[bytes]] = deque()
            for index in range(len(frames) + 1):
                if index < len(frames):  # zlib runs without the GIL: every core inflates
                    pending.append(pool.submit(_inflate, frames[index]))
                while pending and (len(pending) > 2 * _workers() or index == len(frames)):
                    data = pending.popleft().result()
                    written += len(data)
                    if written > expected or (written < expected and len(data) != CHUNK):
                        raise BundleError(damaged())
                    output.write(data)
            if written != expected:
                raise BundleError(damaged())
            output.flush()

    def lines(self) -> Iterator[bytes]:
        """The payload's lines, decompressed as they are read, within the size limits."""
        expected = int(self.manifest["payload_plain_bytes"])
        decompressor = zlib.decompressobj()
        total = 0
        pending = b""
        view = memoryview(self.payload)
        try:
            for start in range(0, len(view), CHUNK):
                data_in: bytes | memoryview = view[start:start + CHUNK]
                while data_in:
                    data = decompressor.decompress(data_in, CHUNK)
                    data_in = decompressor.unconsumed_tail
                    total += len(data)
                    if total > expected or total > MAX_PLAIN_BYTES:
                        raise BundleError(damaged())
                    pending += data
                    *complete, pending = pending.split(b"\n")
                    if len(pending) > MAX_LINE_BYTES:
                        raise BundleError(damaged())
                    yield from complete
            tail = decompressor.flush()
        except zlib.error as exc:
            raise BundleError(damaged()) from exc
        total += len(tail)
        pending += tail
        if total != expected or not decompressor.eof or decompressor.unused_data:
            raise BundleError(damaged())
        yield from (line for line in pending.split(b"\n") if line)


def _workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _frames(view: memoryview, expected: int) -> Iterator[memoryview]:
    """The zlib streams of an image payload (lengths checked against the payload)."""
    position = 0
    limit = expected // CHUNK + 1
    count = 0
    while position < len(view):
        if position + 4 > len(view):
            raise BundleError(damaged())
        size = int.from_bytes(view[position:position + 4], "big")
        position += 4
        count += 1
        if size == 0 or position + size > len(view) or count > limit:
            raise BundleError(damaged())
        yield view[position:position + size]
        position += size


def _inflate(frame: memoryview) -> bytes:
    """One frame, at most :data:`CHUNK` bytes, the stream complete and nothing after it."""
    decompressor = zlib.decompressobj()
    try:
        data = decompressor.decompress(frame, CHUNK)
        if decompressor.unconsumed_tail or not decompressor.eof or decompressor.unused_data:
            raise BundleError(damaged())
    except zlib.error as exc:
        raise BundleError(damaged()) from exc
    return data


def _deflate(chunk: bytes) -> bytes:
    compressed = zlib.compress(chunk, 1)
    return len(compressed).to_bytes(4, "big") + compressed


def compress_image(image: Path) -> tuple[bytes, int]:
    """The framed payload of the image file and its plain size (chunks compressed on every
    core, a few in flight at a time)."""
    parts: list[bytes] = []
    plain = 0
    with open(image, "rb") as source, ThreadPoolExecutor(_workers()) as pool:
        pending: deque[Future[bytes]] = deque()
        while True:
            chunk = source.read(CHUNK)
            if chunk:
                plain += len(chunk)
                pending.append(pool.submit(_deflate, chunk))
            while pending and (len(pending) > 2 * _workers() or not chunk):
                parts.append(pending.popleft().result())
            if not chunk:
                break
    return b"".join(parts), plain


def damaged() -> str:
    """The sentence for a damaged or truncated bundle."""
    return _("The bundle file is damaged or incomplete. Ask for the bundle to be exported and "
             "sent again; nothing was changed.")


def write_bundle(path: Path, manifest: dict[str, Any], lines: Iterable[bytes],
                 passphrase: str | None) -> None:
    """Write a bundle atomically (a temporary file renamed into place).

    A passphrase shorter than :data:`~kankei_desktop.sync.encryption.MIN_PASSPHRASE` is
    refused before anything is read or written.
    """
    if passphrase is not None:
        try:
            encryption.check_new_passphrase(passphrase)
        except encryption.EncryptionError as exc:
            raise BundleError(exc.message) from exc
    compressor = zlib.compressobj(level=1)
    parts: list[bytes] = []
    plain = 0
    buffer: list[bytes] = []
    buffered = 0
    for line in lines:
        buffer.append(line)
        buffered += len(line) + 1
        if buffered > CHUNK:
            block = b"\n".join(buffer) + b"\n"
            plain += len(block)
            parts.append(compressor.compress(block))
            buffer, buffered = [], 0
    if buffer:
        block = b"\n".join(buffer) + b"\n"
        plain += len(block)
        parts.append(compressor.compress(block))
    parts.append(compressor.flush())
    _seal_and_write(path, manifest, b"".join(parts), plain, passphrase)


def write_image_bundle(path: Path, manifest: dict[str, Any], image: Path,
                       passphrase: str | None) -> None:
    """Write a full bundle carrying the database image ``image`` (format 2), atomically."""
    if passphrase is not None:
        try:
            encryption.check_new_passphrase(passphrase)
        except encryption.EncryptionError as exc:
            raise BundleError(exc.message) from exc
    payload, plain = compress_image(image)
    manifest = {**manifest, "format_version": IMAGE_FORMAT_VERSION}
    _seal_and_write(path, manifest, payload, plain, passphrase)


def _seal_and_write(path: Path, manifest: dict[str, Any], payload: bytes, plain: int,
                    passphrase: str | None) -> None:
    manifest = dict(manifest)
    manifest["payload_plain_bytes"] = plain
    manifest["payload_sha256"] = hashlib.sha256(payload).hexdigest()
    manifest["encryption"] = None if passphrase is None else encryption.new_parameters()
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                                indent=1).encode("utf-8")
    if passphrase is not None:
        payload = encryption.encrypt(manifest["encryption"], passphrase, payload,
                                     manifest_bytes)
    path = Path(path)
    data = zip_bytes(manifest_bytes, payload)
    handle, temporary = tempfile.mkstemp(prefix=".kankei-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as raw:
            raw.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def zip_bytes(manifest_bytes: bytes, payload: bytes) -> bytes:
    """The one byte layout of a bundle with this manifest and payload.

    Reading rebuilds it and compares: a change anywhere in the file, even in zip fields that
    zip readers ignore (dates, attributes), is noticed.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo(MANIFEST, (2020, 1, 1, 0, 0, 0)), manifest_bytes,
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo(PAYLOAD, (2020, 1, 1, 0, 0, 0)), payload,
                         compress_type=zipfile.ZIP_STORED)
    return buffer.getvalue()


def _archive(path: Path) -> tuple[zipfile.ZipFile, bytes]:
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except RegularFileError as exc:
        raise BundleError(_unreadable(exc)) from exc
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # any failure to parse untrusted bytes means "not a bundle"
        raise BundleError(not_a_bundle()) from exc
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if any(("/" in name or "\\" in name or ".." in name or ":" in name) for name in names):
        archive.close()
        raise BundleError(_("The bundle contains entries with folder paths, which a Kankei "
                            "bundle never has; it was refused and nothing was changed."))
    if sorted(names) != sorted([MANIFEST, PAYLOAD]):
        archive.close()
        raise BundleError(not_a_bundle())
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_FILE_BYTES
        if info.file_size > limit or info.compress_size > len(data):
            archive.close()
            raise BundleError(_("The bundle contains an oversized entry (possibly a zip "
                                "bomb); it was refused and nothing was changed."))
    return archive, data


def _unreadable(exc: RegularFileError) -> str:
    if exc.problem is Problem.NOT_REGULAR:
        return _("{path} is not a file but a device, a folder or a pipe. Choose the .kankei "
                 "file itself; nothing was changed.").format(path=exc.path)
    if exc.problem is Problem.TOO_LARGE:
        return _("The bundle file is larger than any real bundle can be; it was not read and "
                 "nothing was changed.")
    return _("The bundle file {path} cannot be read. Check the name and try again.").format(
        path=exc.path)


def not_a_bundle() -> str:
    """The sentence for a file that is not a bundle at all."""
    return _("This file is not a Kankei bundle (or it is damaged). Choose a .kankei file "
             "exported by Kankei Desktop; nothing was changed.")


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        return archive.read(name)
    except Exception as exc:  # any failure to read untrusted bytes means "damaged"
        raise BundleError(damaged()) from exc


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the bundle at ``path`` (no passphrase needed)."""
    archive, _data = _archive(Path(path))
    with archive:
        return _parse_manifest(_read(archive, MANIFEST))


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BundleError(damaged()) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BundleError(not_a_bundle())
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BundleError(damaged())
    if version > IMAGE_FORMAT_VERSION:
        raise BundleError(_("The bundle was made by a newer version of Kankei Desktop (bundle "
                            "format {version}). Update the application to import it; nothing "
                            "was changed.").format(version=version))
    if version < 1:
        raise BundleError(damaged())
    checks: dict[str, type | tuple[type, ...]] = {
        "source_replica": str, "source_name": str, "created": str, "vector": dict,
        "counts": dict, "payload_sha256": str, "payload_plain_bytes": int,
        "schema_version": str, "app_version": str, "for_replica": (str, type(None)),
        "encryption": (dict, type(None)),
    }
    for key, kind in checks.items():
        value = manifest.get(key)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BundleError(damaged())
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in manifest["vector"].items()):
        raise BundleError(damaged())
    if version == IMAGE_FORMAT_VERSION and manifest["for_replica"] is not None:
        raise BundleError(damaged())  # images are full bundles only
    if not 0 <= manifest["payload_plain_bytes"] <= MAX_PLAIN_BYTES:
        raise BundleError(_("The bundle's content is larger than this application accepts "
                            "(possibly a zip bomb); it was refused and nothing was changed."))
    return manifest


def open_bundle(path: Path, passphrase: str | None, *,
                allow_unencrypted: bool = False) -> Bundle:
    """Read, decrypt and checksum a bundle; raise :class:`BundleError` with a sentence.

    An unencrypted bundle could have been written, or altered, by anyone who had the file:
    it is opened only with ``allow_unencrypted`` (the user said so), and never when a
    passphrase was given (the sender meant to encrypt it, so it was probably replaced).
    """
    archive, data = _archive(Path(path))
    with archive:
        manifest_bytes = _read(archive, MANIFEST)
        manifest = _parse_manifest(manifest_bytes)
        sealed = manifest["encryption"]
        if sealed is None:
            check_unencrypted_allowed(passphrase, allow_unencrypted)
        else:
            try:
                encryption.checked_parameters(sealed)  # before reading or deriving anything
            except encryption.EncryptionError as exc:
                raise BundleError(exc.message) from exc
        payload = _read(archive, PAYLOAD)
    if zip_bytes(manifest_bytes, payload) != data:
        raise BundleError(damaged())
    if sealed is not None:
        if passphrase is None or passphrase == "":
            raise BundleError(_("The bundle is encrypted. Give the passphrase the sender chose "
                                "(--passphrase-file); nothing was changed."))
        try:
            payload = encryption.decrypt(sealed, passphrase, payload, manifest_bytes)
        except encryption.EncryptionError as exc:
            raise BundleError(exc.message) from exc
    if hashlib.sha256(payload).hexdigest() != manifest["payload_sha256"]:
        raise BundleError(_("The bundle's checksum does not match its content: it was damaged "
                            "or altered. Ask for it to be sent again; nothing was changed."))
    return Bundle(manifest, payload)


def check_unencrypted_allowed(passphrase: str | None, allow_unencrypted: bool) -> None:
    """Refuse an unencrypted bundle unless the user allowed it and gave no passphrase."""
    if passphrase:
        raise BundleError(_(
            "The bundle is not encrypted although a passphrase was given, so it may have been "
            "replaced or altered on the way; ask the sender for an encrypted bundle, nothing "
            "was changed."))
    if not allow_unencrypted:
        raise BundleError(_(
            "The bundle is NOT encrypted, so anyone who had the file could have read or "
            "altered it; ask the sender for an encrypted bundle, or import it with "
            "--allow-unencrypted if you trust where it came from (nothing was changed)."))


def read_passphrase_file(path: Path) -> str:
    """The passphrase: the file's first line without its line ending."""
    try:
        text = read_regular(Path(path), MAX_PASSPHRASE_FILE_BYTES).decode("utf-8-sig")
    except (RegularFileError, UnicodeDecodeError) as exc:
        raise BundleError(_("The passphrase file {path} cannot be read. Check the name and "
                            "try again.").format(path=path)) from exc
    first = text.splitlines()[0] if text else ""
    if not first:
        raise BundleError(_("The passphrase file {path} is empty. Write the passphrase on its "
                            "first line.").format(path=path))
    return first


__all__ = ["Bundle", "BundleError", "open_bundle", "read_manifest", "write_bundle",
           "write_image_bundle"]
