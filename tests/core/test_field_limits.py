"""Field limits (issue 23, item 4): one definition, held at every door a value comes through
(forms, spreadsheet import, Zoom import, bundles), so no door lets in what another refuses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kankei_desktop.core import field_limits
from kankei_desktop.core.errors import KankeiError, ValidationError
from kankei_desktop.core.field_limits import TEXT_LIMIT, check_values, limit_of
from kankei_desktop.core.i18n import set_language
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.organizations import OrganizationDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.storage.database import open_database
from kankei_desktop.imports.importer import ImportRejectedError, analyse, run_import
from kankei_desktop.imports.zoom import participants_of
from kankei_desktop.sync.bundle import BundleError, open_bundle, write_bundle
from kankei_desktop.sync.schema import spec_by_name
from kankei_desktop.sync.service import SyncService


def test_limits_come_from_the_models_and_text_fields_have_one_too() -> None:
    assert limit_of("person", "family_name") == 100
    assert limit_of("organization", "address") == 300
    assert limit_of("person", "notes") == TEXT_LIMIT == 10_000
    assert limit_of("meeting", "agenda") == TEXT_LIMIT
    assert limit_of("person", "consent_date") is None
    problems = check_values("person", {"notes": "あ" * (TEXT_LIMIT + 1), "email": "a@b.jp",
                                       "family_name": "山田"})
    assert [(problem.field, problem.limit) for problem in problems] == [("notes", TEXT_LIMIT)]


def test_the_sync_schema_uses_the_same_limits() -> None:
    for spec in spec_by_name().values():
        for column in spec.columns:
            if column.kind == "str":
                assert column.max_length == limit_of(spec.name, column.name), column


@pytest.mark.parametrize(("create", "field"), [
    (lambda s: s.people.create(PersonDraft(family_name="山田", notes="あ" * 10_001)), "notes"),
    (lambda s: s.people.create(PersonDraft(family_name="山田", email="a" * 200 + "@x.jp")),
     "email"),
    (lambda s: s.organizations.create(
        OrganizationDraft(kind="company", name="北斗", address="丁" * 301)), "address"),
    (lambda s: s.clubs.create(ClubDraft(name="クラブ", notes="あ" * 7_000_000)), "notes"),
    (lambda s: s.meetings.create(MeetingDraft(
        club_id=s.clubs.create(ClubDraft(name="場")).id, title="第1回",
        date=date(2026, 5, 1), agenda="議" * 10_001)), "agenda"),
])
def test_the_services_refuse_longer_values_naming_the_field(services: Services, create: object,
                                                            field: str) -> None:
    set_language("en")
    with pytest.raises(ValidationError) as refused:
        create(services)  # type: ignore[operator]
    assert refused.value.field == field
    assert "too long" in refused.value.message
    assert "\n" not in refused.value.message


def test_values_at_the_limit_are_saved_and_travel_in_a_full_bundle(tmp_path: Path) -> None:
    sender = Services(open_database(tmp_path / "a.sqlite3"))
    receiver = Services(open_database(tmp_path / "b.sqlite3"))
    try:
        club = sender.clubs.create(ClubDraft(name="ク" * 200, notes="ノ" * TEXT_LIMIT))
        for index in range(3):
            sender.meetings.create(MeetingDraft(
                club_id=club.id, title=f"{index}" + "題" * 199, date=date(2026, 5, 1 + index),
                agenda="議" * TEXT_LIMIT, notes="\x01" * TEXT_LIMIT))  # JSON's longest escape
        sender.people.create(PersonDraft(family_name="姓" * 100, given_name="名" * 100,
                                         notes="𠮷" * TEXT_LIMIT))
        path = tmp_path / "full.kankei"
        SyncService(sender).export(path, passphrase="十分に長い合言葉です")
        report = SyncService(receiver).import_(path, "十分に長い合言葉です")
        assert report.changes == 5
        assert SyncService(receiver).dump() == SyncService(sender).dump()
    finally:
        sender.database.close()
        receiver.database.close()


def test_the_widest_valid_row_fits_in_a_line_and_lines_are_cut_by_size() -> None:
    from kankei_desktop.sync import bundle, export, validate

    for spec in spec_by_name().values():
        # every character escaped (6 bytes), both derived keys at their longest
        widest = 6 * (sum(column.max_length or 40 for column in spec.columns)
                      + 2 * validate.DERIVED_MAX) + 1024
        assert widest <= export.LINE_BYTES <= bundle.MAX_LINE_BYTES // 2, spec.name
    lines = list(export._encoded([["x" * 1000]] * 10_000))
    assert sum(count for count, _line in lines) == 10_000
    assert all(len(line) <= export.LINE_BYTES for _count, line in lines)
    assert len(lines) > 1
    joined = list(export._joined(['"' + "あ" * 1000 + '"'] * 3000))
    assert sum(count for count, _line in joined) == 3000
    assert all(len(line) <= export.LINE_BYTES for _count, line in joined)
    assert next(json.loads(line) for _count, line in joined)[0] == "あ" * 1000


def test_search_and_sort_keys_of_the_widest_values_fit_the_bundle_check() -> None:
    from kankei_desktop.core.japan.text import normalize_text
    from kankei_desktop.core.writes.keys import derived_values
    from kankei_desktop.sync.validate import DERIVED_MAX

    for character in ("ΐ", "あ", "ヴ", "ｶﾞ", "Ⅻ", "𠮷", "A"):
        def text(length: int, character: str = character) -> str:
            return normalize_text(character * length)[:length]
        rows = {
            "organization": {"name": text(200), "reading": text(200), "lgcode": "014524"},
            "person": {"family_name": text(100), "given_name": text(100),
                       "family_reading": text(100), "given_reading": text(100),
                       "email": text(200)},
            "club": {"name": text(200), "reading": text(200), "theme": text(300)},
            "meeting": {"title": text(200), "place": text(300)},
        }
        for table, values in rows.items():
            for key in derived_values(table, values):
                assert len(key) <= DERIVED_MAX * 0.6, (table, character, len(key))


def test_a_bundle_with_an_overlong_text_is_refused_naming_table_and_field(
        tmp_path: Path) -> None:
    set_language("en")
    sender = Services(open_database(tmp_path / "a.sqlite3"))
    receiver = Services(open_database(tmp_path / "b.sqlite3"))
    try:
        sender.people.create(PersonDraft(family_name="山田", notes="短い"))
        path = tmp_path / "p.kankei"
        SyncService(sender).export(path, passphrase=None)
        opened = open_bundle(path, None, allow_unencrypted=True)
        items = [json.loads(line) for line in opened.lines()]
        notes = 5 + list(spec_by_name()["person"].field_names).index("notes")
        for item in items:
            if isinstance(item, list) and item and len(item[0]) > notes and \
                    item[0][notes] == "短い":
                item[0][notes] = "長" * (TEXT_LIMIT + 1)
        manifest = {key: value for key, value in opened.manifest.items()
                    if key not in ("payload_plain_bytes", "payload_sha256", "encryption")}
        write_bundle(path, manifest, [json.dumps(item, ensure_ascii=False).encode()
                                      for item in items], None)
        before = SyncService(receiver).dump()
        with pytest.raises(BundleError, match=r"person.*notes"):
            SyncService(receiver).import_(path, None, allow_unencrypted=True)
        assert SyncService(receiver).dump() == before
    finally:
        sender.database.close()
        receiver.database.close()


def test_a_poison_cell_in_a_spreadsheet_is_refused_with_its_row_and_column(
        services: Services, tmp_path: Path) -> None:
    set_language("en")
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,メール,備考\n山田 太郎,t@example.jp,ok\n"
                     f"佐藤 花子,h@example.jp,{'長' * 200_000}\n"
                     f"{'名' * 150} 次郎,j@example.jp,\n", encoding="utf-8")
    analysis = analyse(sheet)
    issues = {(issue.row, issue.column) for issue in analysis.validation.issues}
    assert issues == {(3, "備考"), (4, "氏名")}
    assert all("longer than" in issue.reason for issue in analysis.validation.issues)
    with pytest.raises(ImportRejectedError):
        run_import(services, analysis)
    summary = run_import(services, analysis, skip_invalid=True)
    assert summary.people == 1
    assert summary.rejects_path is not None


def test_an_absurdly_long_csv_cell_refuses_the_file_with_its_row(tmp_path: Path) -> None:
    set_language("en")
    sheet = tmp_path / "people.csv"
    sheet.write_text("氏名,備考\n山田 太郎,ok\n佐藤 花子," + "長" * 7_000_000 + "\n",
                     encoding="utf-8")
    with pytest.raises(KankeiError) as refused:
        analyse(sheet)
    assert "row 3" in refused.value.message.lower()
    assert "\n" not in refused.value.message


def test_a_zoom_report_with_an_overlong_name_is_refused_naming_the_row(
        tmp_path: Path) -> None:
    set_language("en")
    report = tmp_path / "participants_1.csv"
    report.write_text("Name (Original Name),User Email,Join Time,Leave Time,"
                      "Duration (Minutes),Guest\n"
                      "山田 太郎,t@example.jp,12/16/2021 06:58:00 PM,12/16/2021 07:30:00 PM,32,No\n"
                      f"{'長' * 300},,12/16/2021 07:00:00 PM,12/16/2021 09:00:00 PM,120,Yes\n",
                      encoding="utf-8-sig")
    with pytest.raises(KankeiError) as refused:
        participants_of(analyse(report))
    assert "3" in refused.value.message
    assert "Name" in refused.value.message
    assert "\n" not in refused.value.message


def test_limits_module_is_independent_of_the_services() -> None:
    source = Path(field_limits.__file__).read_text(encoding="utf-8")
    assert "services" not in source.split('"""', 2)[2]  # importable by a write gateway
