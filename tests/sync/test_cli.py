"""The command-line contract: replica-id, bundle export/import/inspect/peers, dump, conflicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kankei_desktop.commands.cli import main
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database

BOTH_ENGINES = True


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--lang", "en", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Two database files (A with people, B empty) and a passphrase file."""
    a, b = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    services = Services(open_database(a))
    for name in ("山田", "佐藤"):
        services.people.create(PersonDraft(family_name=name))
    services.database.close()
    Services(open_database(b)).database.close()
    secret = tmp_path / "pass.txt"
    secret.write_text("合言葉 with spaces\n", encoding="utf-8")
    return a, b, secret


def test_round_trip_by_the_command_line(files: tuple[Path, Path, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    a, b, secret = files
    code, out, _err = run(capsys, "--db", str(a), "replica-id")
    assert code == 0
    a_id = out.strip()
    assert len(a_id) == 36
    bundle = tmp_path / "full.kankei"
    code, out, err = run(capsys, "--db", str(a), "bundle", "export", "--full", "-o", str(bundle),
                         "--passphrase-file", str(secret))
    assert code == 0, err
    code, out, _err = run(capsys, "bundle", "inspect", str(bundle))
    manifest = json.loads(out)
    assert manifest["source_replica"] == a_id
    assert manifest["counts"]["person"] == 2
    assert manifest["encryption"]["kdf"] == "scrypt"
    code, out, _err = run(capsys, "--db", str(b), "bundle", "import", str(bundle),
                          "--passphrase-file", str(secret), "--dry-run")
    assert code == 0
    assert "person" in out
    code, before, _err = run(capsys, "--db", str(b), "dump")
    assert "山田" not in before  # the dry run changed nothing
    code, out, err = run(capsys, "--db", str(b), "bundle", "import", str(bundle),
                         "--passphrase-file", str(secret))
    assert code == 0, err
    code, dump_b, _err = run(capsys, "--db", str(b), "dump")
    code, dump_a, _err = run(capsys, "--db", str(a), "dump")
    assert dump_a == dump_b
    assert "山田" in dump_b
    assert "hlc" not in dump_b
    assert "replica_id" not in dump_b
    code, out, _err = run(capsys, "--db", str(b), "bundle", "peers")
    assert a_id in out
    code, _b_id, _err = run(capsys, "--db", str(b), "replica-id")
    code, out, err = run(capsys, "--db", str(b), "bundle", "export", "--for", a_id, "-o",
                         str(tmp_path / "inc.kankei"), "--no-encryption")
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(a), "bundle", "import",
                         str(tmp_path / "inc.kankei"), "--allow-unencrypted")
    assert code == 0, err
    code, out, _err = run(capsys, "--db", str(a), "conflicts")
    assert code == 0


@pytest.mark.parametrize("case", ["wrong passphrase", "no passphrase", "own bundle",
                                  "not a bundle", "missing file", "unknown peer"])
def test_refusals_are_one_sentence_and_exit_1(files: tuple[Path, Path, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str], case: str
                                              ) -> None:
    a, b, secret = files
    bundle = tmp_path / "full.kankei"
    assert run(capsys, "--db", str(a), "bundle", "export", "--full", "-o", str(bundle),
               "--passphrase-file", str(secret))[0] == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n", encoding="utf-8")
    junk = tmp_path / "junk.kankei"
    junk.write_bytes(b"PK\x03\x04 not really")
    commands = {
        "wrong passphrase": ["--db", str(b), "bundle", "import", str(bundle),
                             "--passphrase-file", str(wrong)],
        "no passphrase": ["--db", str(b), "bundle", "import", str(bundle)],
        "own bundle": ["--db", str(a), "bundle", "import", str(bundle), "--passphrase-file",
                       str(secret)],
        "not a bundle": ["--db", str(b), "bundle", "import", str(junk)],
        "missing file": ["bundle", "inspect", str(tmp_path / "nothing.kankei")],
        "unknown peer": ["--db", str(a), "bundle", "export", "--for",
                         "12345678-1234-1234-1234-123456789abc", "-o", str(junk),
                         "--no-encryption"],
    }
    _code, before, _err = run(capsys, "--db", str(b), "dump")
    code, _out, err = run(capsys, *commands[case])
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "Traceback" not in err
    assert err.strip()
    assert run(capsys, "--db", str(b), "dump")[1] == before


def test_export_needs_full_or_for(files: tuple[Path, Path, Path], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    a, _b, _secret = files
    with pytest.raises(SystemExit) as usage:
        main(["--db", str(a), "bundle", "export", "-o", str(tmp_path / "x.kankei")])
    assert usage.value.code == 2
