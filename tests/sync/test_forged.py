"""Forged and hostile bundles (issue 23, items 1–3): unencrypted bundles only on request,
scrypt costs only from a short allowed list, and only regular files read, within a cap."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.sync import bundle as bundle_module
from kankei_desktop.sync import encryption
from kankei_desktop.sync.bundle import BundleError, open_bundle, read_manifest, write_bundle
from kankei_desktop.sync.service import SyncService

BOTH_ENGINES = True

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "合言葉 with spaces"


def run(capsys: pytest.CaptureFixture[str], *args: str, lang: str = "en"
        ) -> tuple[int, str, str]:
    code = main(["--lang", lang, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_sentence(err: str) -> bool:
    return bool(err.strip()) and err.strip().count("\n") == 0 and "Traceback" not in err


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A (two people, a colleague's replica), B (one person) and a passphrase file."""
    set_language("en")
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    services = Services(open_database(a))
    for name, mail in (("山田", "yamada@example.jp"), ("佐藤", "sato@example.jp")):
        services.people.create(PersonDraft(family_name=name, email=mail))
    services.database.close()
    services = Services(open_database(b))
    services.people.create(PersonDraft(family_name="受け手"))
    services.database.close()
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return a, b, secret


def forge(plain: Path, target: Path, colleague: str) -> None:
    """What an attacker does with an unencrypted bundle: claim a colleague's replica, set the
    clocks an hour ahead, overwrite e-mails, then pack it again."""
    opened = open_bundle(plain, None, allow_unencrypted=True)
    manifest: dict[str, Any] = dict(opened.manifest)
    original = manifest["source_replica"]
    manifest["source_replica"] = colleague
    manifest["source_name"] = "信頼できる同僚"
    lines = []
    for line in opened.lines():
        item = json.loads(line)
        if isinstance(item, list):
            for row in item:
                stamp = row[1]
                row[1] = f"{int(stamp[:13]) + 3_600_000:013d}{stamp[13:]}"
                if "@" in json.dumps(row):
                    row[:] = [f"attacker{index}@evil.example" if isinstance(value, str)
                              and "@" in value else value for index, value in enumerate(row)]
        lines.append(json.dumps(item, ensure_ascii=False).replace(
            original.replace("-", ""), colleague.replace("-", "")).encode())
    manifest["vector"] = {colleague.replace("-", ""): value.replace(
        original.replace("-", ""), colleague.replace("-", ""))
        for value in manifest["vector"].values()}
    for key in ("payload_plain_bytes", "payload_sha256", "encryption"):
        manifest.pop(key)
    write_bundle(target, manifest, lines, None)


# --- item 1: unencrypted bundles ----------------------------------------------------------


def test_a_forged_unencrypted_bundle_is_refused_unless_the_import_says_so(
        files: tuple[Path, Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, b, secret = files
    plain = tmp_path / "plain.kankei"
    assert run(capsys, "--db", str(a), "bundle", "export", "--full", "-o", str(plain),
               "--no-encryption")[0] == 0
    forged = tmp_path / "forged.kankei"
    forge(plain, forged, "12345678-1234-4234-8234-123456789abc")
    _code, before, _err = run(capsys, "--db", str(b), "dump")

    # the attack as reported: the passphrase given, the bundle not encrypted
    code, _out, err = run(capsys, "--db", str(b), "bundle", "import", str(forged),
                          "--passphrase-file", str(secret))
    assert code == 1
    assert one_sentence(err)
    assert "not encrypted" in err
    # no passphrase, no explicit permission
    code, _out, err = run(capsys, "--db", str(b), "bundle", "import", str(forged))
    assert code == 1
    assert one_sentence(err)
    assert "--allow-unencrypted" in err
    # a passphrase is an error even with the permission: it is never silently ignored
    code, _out, err = run(capsys, "--db", str(b), "bundle", "import", str(forged),
                          "--passphrase-file", str(secret), "--allow-unencrypted")
    assert code == 1
    assert one_sentence(err)
    assert run(capsys, "--db", str(b), "dump")[1] == before
    # said explicitly, it is imported (the user took the risk)
    code, out, err = run(capsys, "--db", str(b), "bundle", "import", str(forged),
                         "--allow-unencrypted")
    assert code == 0, err
    assert "NOT encrypted" in out


def test_the_service_refuses_an_unencrypted_bundle_by_default(
        files: tuple[Path, Path, Path], tmp_path: Path) -> None:
    a, b, _secret = files
    plain = tmp_path / "plain.kankei"
    source = Services(open_database(a))
    SyncService(source).export(plain, passphrase=None)
    source.database.close()
    target = Services(open_database(b))
    try:
        with pytest.raises(BundleError, match="NOT encrypted"):
            SyncService(target).import_(plain, None)
        with pytest.raises(BundleError, match="NOT encrypted"):
            SyncService(target).import_(plain, None, dry_run=True)
        with pytest.raises(BundleError, match="not encrypted"):
            SyncService(target).import_(plain, "a passphrase", allow_unencrypted=True)
        assert SyncService(target).import_(plain, None, allow_unencrypted=True).changes == 2
    finally:
        target.database.close()


@pytest.mark.parametrize(("lang", "encrypted_words", "plain_words"), [
    ("en", "is encrypted", "NOT encrypted"),
    ("ja", "暗号化されています", "暗号化されていません"),
])
def test_dry_run_and_inspect_say_whether_the_bundle_is_encrypted(
        files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        lang: str, encrypted_words: str, plain_words: str) -> None:
    a, b, secret = files
    sealed, plain = tmp_path / "sealed.kankei", tmp_path / "plain.kankei"
    assert run(capsys, "--db", str(a), "bundle", "export", "--full", "-o", str(sealed),
               "--passphrase-file", str(secret))[0] == 0
    assert run(capsys, "--db", str(a), "bundle", "export", "--full", "-o", str(plain),
               "--no-encryption")[0] == 0
    code, out, err = run(capsys, "bundle", "inspect", str(sealed), lang=lang)
    assert code == 0, err
    assert encrypted_words in out
    assert plain_words not in out
    assert json.loads(out)["encryption"]["kdf"] == "scrypt"  # still the manifest as JSON
    code, out, err = run(capsys, "bundle", "inspect", str(plain), lang=lang)
    assert code == 0, err
    assert plain_words in out
    code, out, err = run(capsys, "--db", str(b), "bundle", "import", str(sealed), "--dry-run",
                         "--passphrase-file", str(secret), lang=lang)
    assert code == 0, err
    assert encrypted_words in out
    assert plain_words not in out
    code, out, err = run(capsys, "--db", str(b), "bundle", "import", str(plain), "--dry-run",
                         "--allow-unencrypted", lang=lang)
    assert code == 0, err
    assert plain_words in out


# --- item 2: the cost of scrypt ----------------------------------------------------------


def test_new_bundles_use_the_current_scrypt_cost(tmp_path: Path) -> None:
    path = tmp_path / "x.kankei"
    write_bundle(path, _manifest(), [b'{"table": "person"}'], "八文字以上の合言葉")
    parameters = read_manifest(path)["encryption"]
    assert (parameters["n"], parameters["r"], parameters["p"]) == (2**17, 8, 1)


def _manifest() -> dict[str, Any]:
    return {"format": bundle_module.FORMAT, "format_version": bundle_module.FORMAT_VERSION,
            "schema_version": "x", "app_version": "x", "source_replica": "x",
            "source_name": "x", "created": "x", "for_replica": None, "vector": {},
            "counts": {}}


@pytest.mark.parametrize("cost", [(2**20, 16, 4), (2**16, 8, 1), (2**17, 8, 2), (2**15, 9, 1),
                                  (2**17, 1, 1)])
def test_a_cost_outside_the_allowed_list_is_refused_before_any_key_is_derived(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cost: tuple[int, int, int]) -> None:
    path = tmp_path / "costly.kankei"
    write_bundle(path, _manifest(), [b'{"table": "person"}'], "八文字以上の合言葉")
    opened = bundle_module.zipfile.ZipFile(path)
    manifest = json.loads(opened.read("manifest.json"))
    payload = opened.read("payload.bin")
    opened.close()
    manifest["encryption"].update(n=cost[0], r=cost[1], p=cost[2])
    path.write_bytes(bundle_module.zip_bytes(
        json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode(), payload))
    derived: list[object] = []
    real = encryption.Scrypt

    def spy(*args: object, **kwargs: object) -> object:
        derived.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]
    monkeypatch.setattr(encryption, "Scrypt", spy)
    started = time.monotonic()
    with pytest.raises(BundleError) as refused:
        open_bundle(path, "八文字以上の合言葉")
    assert time.monotonic() - started < 2
    assert derived == []
    assert "\n" not in refused.value.message


def test_bundles_written_with_the_previous_cost_still_import(
        files: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, _secret = files
    monkeypatch.setattr(encryption, "SCRYPT_N", 2**15)
    old = tmp_path / "old.kankei"
    source = Services(open_database(a))
    SyncService(source).export(old, passphrase="古い版の合言葉です")
    source.database.close()
    monkeypatch.undo()
    assert read_manifest(old)["encryption"]["n"] == 2**15
    target = Services(open_database(b))
    try:
        assert SyncService(target).import_(old, "古い版の合言葉です").changes == 2
    finally:
        target.database.close()


def test_a_short_passphrase_is_refused_on_export_with_the_reason(
        files: tuple[Path, Path, Path], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    a, _b, _secret = files
    short = tmp_path / "short.txt"
    short.write_text("1234567\n", encoding="utf-8")
    out_file = tmp_path / "x.kankei"
    code, _out, err = run(capsys, "--db", str(a), "bundle", "export", "--full", "-o",
                          str(out_file), "--passphrase-file", str(short))
    assert code == 1
    assert one_sentence(err)
    assert "8 characters" in err
    assert not out_file.exists()
    services = Services(open_database(a))
    try:
        with pytest.raises(BundleError, match="8"):
            SyncService(services).export(out_file, passphrase="abc")
    finally:
        services.database.close()


# --- item 3: devices and pipes ------------------------------------------------------------


def _limited_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``kankei`` in a child limited to 1.5 GB of address space (a reader that trusts the
    file's size would exhaust it and end in MemoryError instead of a sentence)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024**2, 1536 * 1024**2))
    env = dict(os.environ, KANKEI_LANG="en")
    return subprocess.run([sys.executable, "-m", "kankei_desktop.commands.cli", "--lang", "en",
                           *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=timeout, check=False, preexec_fn=limit)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", [
    ("bundle", "import", "/dev/zero"),
    ("bundle", "import", "/dev/urandom"),
    ("bundle", "inspect", "/dev/zero"),
    ("bundle", "import", "{plain}", "--passphrase-file", "/dev/zero"),
])
def test_devices_are_refused_with_a_sentence(files: tuple[Path, Path, Path], tmp_path: Path,
                                             command: tuple[str, ...]) -> None:
    _a, b, _secret = files
    plain = tmp_path / "plain.kankei"
    plain.write_bytes(b"")
    started = time.monotonic()
    result = _limited_cli("--db", str(b), *(part.format(plain=plain) for part in command))
    assert result.returncode == 1, result.stderr
    assert one_sentence(result.stderr), result.stderr
    assert "unexpected" not in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("action", ["import", "inspect"])
def test_a_named_pipe_is_refused_at_once(files: tuple[Path, Path, Path], tmp_path: Path,
                                         action: str) -> None:
    _a, b, _secret = files
    pipe = tmp_path / "pipe.kankei"
    os.mkfifo(pipe)
    try:
        result = _limited_cli("--db", str(b), "bundle", action, str(pipe), timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("the command hung on a named pipe")
    assert result.returncode == 1
    assert one_sentence(result.stderr), result.stderr


def test_a_file_larger_than_the_cap_is_refused_even_if_its_size_lies(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_language("en")
    path = tmp_path / "big.kankei"
    path.write_bytes(b"PK" + b"\0" * 5000)
    monkeypatch.setattr(bundle_module, "MAX_FILE_BYTES", 4096)
    real_stat, real_fstat = os.stat, os.fstat

    def small(status: os.stat_result) -> os.stat_result:
        values = list(status)
        values[6] = 10  # st_size
        return os.stat_result(values)
    monkeypatch.setattr(os, "stat", lambda *a, **k: small(real_stat(*a, **k)))
    monkeypatch.setattr(os, "fstat", lambda *a, **k: small(real_fstat(*a, **k)))
    with pytest.raises(BundleError, match="larger"):
        read_manifest(path)
