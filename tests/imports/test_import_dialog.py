"""File ▸ Import… on a small file: layout, preview, mapping by hand, errors, import, Zoom."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QFileDialog

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.clubs import ClubDraft
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.imports.layout import Field
from kankei_desktop.ui.imports.dialog import ImportDialog

from .conftest import WriteSheet
from .test_import_rules import row
from .test_import_zoom import REPORT


@pytest.fixture
def sheet(write_sheet: WriteSheet) -> Path:
    return write_sheet("a.csv", [
        row("2021/12/16", "山田 太郎", "やまだ たろう", "北斗商事"),
        row("2021/13/45", "佐藤 花子"),
        row("2021/12/17", "鈴木 一郎", title="第2回"),
    ])


def test_preview_errors_and_import_with_skip(qtbot, services: Services, sheet: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = ImportDialog(services, path=sheet)
    qtbot.addWidget(dialog)
    assert "出欠" in dialog.layout_label.text()
    assert dialog.preview.rowCount() == 4  # mapping row + 3 data rows
    assert dialog.preview.item(2, 0).text() == "2021/13/45"
    assert dialog.errors.count() == 1
    assert dialog.errors.item(0).text().startswith("3行目 日付: 2021/13/45")
    assert not dialog.import_button.isEnabled()  # invalid rows, no skipping yet
    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.start_import(dry_run=True)
    assert "何も変更していません" in dialog.summary_label.text()
    assert services.people.count() == 0
    dialog.start_import(dry_run=False)
    assert services.people.count() == 2
    assert services.meetings.count() == 2
    assert "a-rejected.csv" in dialog.summary_label.text()
    assert dialog.changed


def test_column_mapping_can_be_corrected_by_hand(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                                 write_sheet: WriteSheet) -> None:
    path = write_sheet("c.csv", [["2021/12/16", "鷹栖クラブ", "第1回", "山田 太郎", "北斗商事"]],
                       headers=["日付", "クラブ", "セッション", "氏名", "勤め先"])
    dialog = ImportDialog(services, path=path)
    qtbot.addWidget(dialog)
    assert dialog.analysis is not None
    assert dialog.mapping_fields()[4] is None  # 「勤め先」 is not a known header
    combo = dialog.preview.cellWidget(0, 4)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(Field.ORGANIZATION.value))
    assert dialog.analysis.mapping.fields[4] is Field.ORGANIZATION
    dialog.start_import(dry_run=False)
    (person,) = services.people.find()
    assert person.organization_id is not None


def test_a_sheet_without_known_headers_is_mapped_column_by_column(  # type: ignore[no-untyped-def]
        qtbot, services: Services, write_sheet: WriteSheet) -> None:
    path = write_sheet("d.csv", [["2021/12/16", "鷹栖クラブ", "第1回", "山田 太郎"]],
                       headers=["いつ", "どこ", "なに", "だれ"])
    dialog = ImportDialog(services, path=path)
    qtbot.addWidget(dialog)
    assert dialog.analysis is None
    assert "氏名" in dialog.errors_label.text()
    assert dialog.preview.columnCount() == 4  # the first row shown as header, to map
    wanted = [Field.DATE, Field.CLUB, Field.TITLE, Field.NAME]
    for index, field in enumerate(wanted):
        combo = dialog.preview.cellWidget(0, index)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(field.value))
    assert dialog.analysis is not None
    assert dialog.import_button.isEnabled()
    dialog.start_import(dry_run=False)
    assert services.meetings.count() == 1
    assert services.people.count() == 1


def test_template_is_saved(qtbot, services: Services, tmp_path: Path,  # type: ignore[no-untyped-def]
                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "テンプレート"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))
    dialog = ImportDialog(services)
    qtbot.addWidget(dialog)
    assert dialog.template_button.text() == "テンプレートを保存"
    dialog.save_template()
    assert target.with_suffix(".xlsx").exists()


def test_zoom_report_onto_a_chosen_session(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                           tmp_path: Path) -> None:
    club = services.clubs.create(ClubDraft(name="鷹栖クラブ"))
    meeting = services.meetings.create(MeetingDraft(
        club_id=club.id, title="定例会", date=date(2021, 12, 16), status="held"))
    services.people.create(PersonDraft(family_name="山田", given_name="太郎",
                                       email="taro@example.jp"))
    path = tmp_path / "zoom.csv"
    path.write_text(REPORT, encoding="utf-8-sig")
    dialog = ImportDialog(services, path=path)
    qtbot.addWidget(dialog)
    panel = dialog.zoom_panel
    assert dialog.pages.currentWidget() is panel
    assert "Zoom" in dialog.layout_label.text()
    assert panel.table.rowCount() == 4
    assert panel.pickers[0].value is not None  # matched by e-mail
    assert not panel.import_button.isEnabled()  # no session chosen yet
    panel.session_picker.set_value(meeting.id, "定例会")
    panel._update_button()
    panel.choices[2].setCurrentIndex(panel.choices[2].findData("create"))  # ゲストA
    assert panel.import_button.isEnabled()
    panel.apply()
    names = sorted(person.family_name for _a, person in services.attendance.of_meeting(meeting.id))
    assert names == sorted(["山田", "ゲストA"])
    assert dialog.changed
