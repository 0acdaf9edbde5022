"""The ふるさと住民 page, the session and club editors' 担い手活動 and the person's residence,
as a town-hall user works them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.calendar import CalendarEntry
from kankei_desktop.core.services.meetings import MeetingDraft
from kankei_desktop.ui.pages.calendar.editor import SessionEditor
from kankei_desktop.ui.pages.calendar.entries import chip_text, tooltip
from kankei_desktop.ui.pages.calendar.widgets import index_of
from kankei_desktop.ui.pages.clubs.editor import ClubEditor
from kankei_desktop.ui.pages.furusato.dialogs import RegistrationDialog, SettingsDialog
from kankei_desktop.ui.pages.furusato.documents import issue_certificates
from kankei_desktop.ui.pages.furusato.page import FurusatoPage
from kankei_desktop.ui.pages.furusato.status_model import StatusFilter
from kankei_desktop.ui.pages.people.editor import PersonEditor
from tests.furusato.helpers import (
    HIGASHIKAWA,
    SAPPORO,
    TAKASU,
    attend,
    club,
    person,
    register,
    session,
    town,
)

pytestmark = pytest.mark.gui


@dataclass
class Data:
    club: uuid.UUID
    hanako: uuid.UUID
    ichiro: uuid.UUID
    jiro: uuid.UUID


@pytest.fixture
def data(services: Services) -> Data:
    club_id = club(services, "鷹栖の担い手クラブ")
    hanako = person(services, "佐藤", "花子", lives_in=SAPPORO, reading=("さとう", "はなこ"))
    ichiro = person(services, "鷹栖", "一郎", lives_in=TAKASU, reading=("たかす", "いちろう"))
    jiro = person(services, "鈴木", "次郎", reading=("すずき", "じろう"))
    today = date.today()
    for offset in (10, 20, 30):
        meeting = session(services, club_id, today - timedelta(days=offset),
                          title=f"{offset}日前の活動", place="鷹栖町公民館")
        attend(services, meeting, hanako)
        attend(services, meeting, ichiro)
    register(services, ichiro, TAKASU, tier="basic", on=today - timedelta(days=350))
    register(services, jiro, TAKASU, tier="premium", on=today - timedelta(days=30))
    return Data(club_id, hanako, ichiro, jiro)


@pytest.fixture
def page(qtbot, services: Services, data: Data) -> FurusatoPage:  # type: ignore[no-untyped-def]
    widget = FurusatoPage(services)
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


def names(page: FurusatoPage) -> list[str]:
    return [page.model.person(row).name for row in range(page.model.rowCount())]  # type: ignore[union-attr]


def test_the_page_lists_the_municipality(page: FurusatoPage, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    assert page.code() == TAKASU
    assert names(page) == ["佐藤 花子", "鈴木 次郎", "鷹栖 一郎"]
    qtmodeltester.check(page.model)
    assert "3回" in page.rules.text()
    assert "担い手活動の開催: 3回" in page.summary.text()


@pytest.mark.parametrize(("kind", "expected"), [
    (StatusFilter.REGISTERED, ["鈴木 次郎", "鷹栖 一郎"]),
    (StatusFilter.ELIGIBLE, ["佐藤 花子"]),
    (StatusFilter.SHORT, ["鈴木 次郎"]),
    (StatusFilter.RENEWAL, ["鷹栖 一郎"]),
])
def test_filters(page: FurusatoPage, kind: StatusFilter, expected: list[str]) -> None:
    page.filter.setCurrentIndex(page.filter.findData(kind.value))
    assert names(page) == expected


def test_the_drill_down_shows_the_sessions_behind_the_count(page: FurusatoPage) -> None:
    page.table.selectRow(0)
    assert "佐藤 花子" in page.detail.heading.text()
    assert page.detail.sessions.rowCount() == 3
    assert "要件を満たしています" in page.detail.reasons.text()
    page.table.selectRow(2)
    assert "住んでいます" in page.detail.reasons.text()


def test_the_rules_are_shown_and_changed(page: FurusatoPage, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = SettingsDialog(page.services, page)
    qtbot.addWidget(dialog)
    dialog.minimum.setValue(4)
    dialog.save()
    page.refresh()
    assert "4回" in page.rules.text()
    page.filter.setCurrentIndex(page.filter.findData(StatusFilter.ELIGIBLE.value))
    assert names(page) == []
    dialog = SettingsDialog(page.services, page)
    qtbot.addWidget(dialog)
    dialog.show_settings(dialog.settings().__class__())
    dialog.save()
    assert page.services.furusato.settings().minimum_activities == 3


def test_recording_a_registration(page: FurusatoPage, qtbot, data: Data) -> None:  # type: ignore[no-untyped-def]
    page.table.selectRow(0)
    dialog = page.registrations.add(page.selected_person())
    qtbot.addWidget(dialog)
    dialog.tier.set_code("premium")
    dialog.save()
    assert dialog.result() == RegistrationDialog.DialogCode.Accepted
    assert page.report is not None
    line = page.report.person(data.hanako)
    assert line is not None
    assert line.tier == "premium"
    assert page.registrations.row_count() == 3


def test_a_refused_registration_shows_why(page: FurusatoPage, qtbot, data: Data) -> None:  # type: ignore[no-untyped-def]
    dialog = page.registrations.add(data.ichiro)
    qtbot.addWidget(dialog)
    dialog.save()  # already registered there
    assert "すでに" in dialog.form.error_text("municipality_id")


def test_export_and_certificates(page: FurusatoPage, tmp_path: Path, data: Data,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "一覧.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kwargs: (str(target), ""))
    page.export()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    pdf = tmp_path / "証明書.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kwargs: (str(pdf), ""))
    page.table.selectRow(0)
    page.certificate_for_selected()
    assert len(PdfReader(str(pdf)).pages) == 1
    folder = tmp_path / "each"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_args: str(folder))
    written = issue_certificates(page, page.services, [data.hanako, data.ichiro], TAKASU,
                                 page.period(), page.notify, per_person=True)
    assert len(written) == 2
    assert "2件" in page.message


def test_nobody_qualifies_says_so(page: FurusatoPage, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda _parent, _title, text: seen.append(text))
    page.municipality.setCurrentIndex(-1)
    page._on_found(HIGASHIKAWA)
    assert page.code() == HIGASHIKAWA
    page.certificates_for_everyone()
    assert seen


def test_the_empty_page_says_what_to_do(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    widget = FurusatoPage(services)
    qtbot.addWidget(widget)
    assert widget.code() is None
    assert not widget.empty.isHidden()
    assert widget.tabs.isHidden()


# --- 担い手活動 in the session and club editors, residence in the person editor --------------

def test_a_new_session_takes_its_clubs_default(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    marking = club(services, "担い手クラブ", designates=True)
    plain = club(services, "ふつうのクラブ")
    editor = SessionEditor(services, day=date(2026, 6, 1), club_id=marking)
    qtbot.addWidget(editor)
    assert editor.designated.isChecked()
    editor.club.setCurrentIndex(index_of(editor.club, plain))
    assert not editor.designated.isChecked()
    editor.designated.setChecked(True)
    editor.club.setCurrentIndex(index_of(editor.club, marking))
    editor.club.setCurrentIndex(index_of(editor.club, plain))
    assert editor.designated.isChecked()  # the user's choice stays
    editor.title.setText("草刈り")
    editor.save()
    assert editor.meeting_id is not None
    assert services.meetings.get(editor.meeting_id).designated == 1


def test_a_series_is_marked_from_one_session(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.core.calendar.recurrence import SeriesRule, SeriesSpec

    club_id = club(services, "担い手クラブ")
    spec = SeriesSpec(SeriesRule.WEEKLY, date(2026, 6, 1), date(2026, 6, 22), weekday=0)
    result = services.meetings.create_series(
        MeetingDraft(club_id=club_id, title="定例会", date=date(2026, 6, 1), designated=False),
        spec)
    editor = SessionEditor(services, result.meeting_ids[0])
    qtbot.addWidget(editor)
    assert not editor.whole_series.isHidden()
    editor.designated.setChecked(True)
    editor.whole_series.setChecked(True)
    editor.save()
    assert services.furusato.designated_count(series_id=result.series_id) == (4, 4)


def test_a_session_of_a_club_without_host_warns(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    club_id = club(services, "どこでもクラブ", None)
    editor = SessionEditor(services, day=date(2026, 6, 1), club_id=club_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.designated.setChecked(True)
    assert any("開催自治体" in text for text in editor.warnings())


def test_the_club_editor_marks_existing_sessions(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    club_id = club(services, "田んぼクラブ")
    for day in (1, 8):
        session(services, club_id, date(2026, 6, day), designated=False)
    editor = ClubEditor(services)
    qtbot.addWidget(editor)
    editor.load(club_id)
    assert "2件中0件" in editor.designation_summary.text()
    editor.designates.setChecked(True)
    assert editor.apply_designation_now(True) == 2
    assert "2件中2件" in editor.designation_summary.text()
    assert editor.save()
    assert services.clubs.get(club_id).designates_activities == 1


def test_the_person_editor_keeps_the_residence(qtbot, services: Services) -> None:  # type: ignore[no-untyped-def]
    someone = person(services, "佐藤", "花子")
    register(services, someone, HIGASHIKAWA, tier="premium")
    editor = PersonEditor(services)
    qtbot.addWidget(editor)
    editor.load(someone)
    assert "東川町" in editor.registrations.text()
    editor.residence.setText("札幌")
    editor.residence.update_choices()
    editor.residence.choose_row(0)
    editor.postal_code.setText("0600001")
    editor.address.setText("札幌市中央区北1条西2丁目")
    assert editor.save()
    row = services.people.get(someone)
    assert (row.residence_id, row.postal_code) == (town(services, SAPPORO), "060-0001")
    editor.postal_code.setText("12")
    assert not editor.save()
    assert "郵便番号" in editor.form.errors["postal_code"].text()


def test_the_calendar_marks_designated_sessions() -> None:
    entry = CalendarEntry(uuid.uuid4(), uuid.uuid4(), "クラブ", "草刈り", date(2026, 6, 1),
                          None, None, "onsite", "held", "", "", "", "", True)
    assert chip_text(entry) == "◆草刈り"
    assert "担い手活動" in tooltip(entry)
    assert chip_text(entry._replace(designated=False)) == "草刈り"


def test_a_registration_list_through_the_import_dialog(qtbot, services: Services,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path) -> None:
    from kankei_desktop.ui.imports.dialog import ImportDialog
    from tests.furusato.helpers import write_csv

    path = write_csv(tmp_path / "登録者.csv", ["氏名", "登録自治体", "登録区分", "登録日"],
                     [["佐藤 花子", "鷹栖町", "プレミアム", "2027/01/10"],
                      ["鈴木 次郎", "北海道", "ベーシック", "2027/01/10"]])
    dialog = ImportDialog(services, path=path)
    qtbot.addWidget(dialog)
    assert "ふるさと住民登録" in dialog.layout_label.text()
    assert dialog.errors.count() == 1
    dialog.skip_invalid.setChecked(True)
    dialog.start_import(dry_run=False)
    assert "ふるさと住民登録: 新規 1" in dialog.summary_label.text()
    assert [row.tier for row in services.registrations.find()] == ["premium"]
