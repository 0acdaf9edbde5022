"""The 同期 page: export → import between two files, and restoring a conflict."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.sync.dump import dump_text
from kankei_desktop.sync.merge import ImportReport
from kankei_desktop.sync.service import SyncService
from kankei_desktop.ui.pages.sync.dialogs import PreviewDialog
from kankei_desktop.ui.pages.sync.page import SyncPage, sync_page
from tests.sync.helpers import exchange

pytestmark = pytest.mark.gui


def _page(services: Services, qtbot, messages: list[tuple[str, str]]) -> SyncPage:  # type: ignore[no-untyped-def]
    page = sync_page(services)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    page.notify = lambda kind, text: messages.append((kind, text))
    page.confirm_import = lambda report: True
    page.ask_name = lambda current: "試験の課"
    return page


def test_export_then_import_between_two_files(replicas: list[Services], tmp_path: Path,
                                              qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = replicas
    a.people.create(PersonDraft(family_name="画面", given_name="太郎"))
    messages: list[tuple[str, str]] = []
    page_a = _page(a, qtbot, messages)
    page_b = _page(b, qtbot, messages)
    path = tmp_path / "for-b.kankei"
    assert page_a.export_to(path, None, "とても長い合言葉") is not None
    assert path.exists()
    previews = []
    page_b.confirm_import = lambda report: previews.append(report) or True
    result = page_b.import_from(path, "とても長い合言葉")
    QThreadPool.globalInstance().waitForDone(5000)
    assert result is not None
    assert previews[0].counts["person"].new == 1  # the preview showed what would come
    assert previews[0].dry_run
    assert dump_text(a) == dump_text(b)
    assert page_b.history.rowCount() == 1
    assert page_b.peers.rowCount() == 1
    # a wrong passphrase is told in one sentence and changes nothing
    before = dump_text(b)
    assert page_b.import_from(path, "まちがい") is None
    assert messages[-1][0] == "error"
    assert dump_text(b) == before
    # declining the preview changes nothing either
    b.people.create(PersonDraft(family_name="別人"))
    page_a.confirm_import = lambda report: False
    page_b.export_to(tmp_path / "back.kankei", None, None)
    before_a = dump_text(a)
    assert page_a.import_from(tmp_path / "back.kankei", None, allow_unencrypted=True) is None
    assert dump_text(a) == before_a


def test_an_unencrypted_bundle_is_imported_only_after_a_warning(
        replicas: list[Services], tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = replicas
    a.people.create(PersonDraft(family_name="平文"))
    path = tmp_path / "plain.kankei"
    SyncService(a).export(path, passphrase=None)
    messages: list[tuple[str, str]] = []
    page = _page(b, qtbot, messages)
    warnings: list[str] = []
    previews: list[PreviewDialog] = []

    def preview(report: ImportReport) -> bool:
        previews.append(PreviewDialog(report, page))
        return True
    page.confirm_import = preview
    page.confirm_unencrypted = lambda text: warnings.append(text) or False
    before = dump_text(b)
    assert page.import_bundle(path) is None
    assert len(warnings) == 1
    assert "暗号化されていません" in warnings[0]
    assert dump_text(b) == before  # declined: nothing changed
    page.confirm_unencrypted = lambda text: warnings.append(text) or True
    assert page.import_bundle(path) is not None
    QThreadPool.globalInstance().waitForDone(5000)
    assert dump_text(b) == dump_text(a)
    assert "暗号化されていません" in previews[0].protection.text()  # the preview says it too
    sealed = tmp_path / "sealed.kankei"
    SyncService(a).export(sealed, passphrase="とても長い合言葉")
    page.confirm_unencrypted = lambda text: pytest.fail("an encrypted bundle needs no warning")
    assert page.import_from(sealed, "とても長い合言葉") is not None
    QThreadPool.globalInstance().waitForDone(5000)
    assert "暗号化されています" in previews[-1].protection.text()


def test_conflict_restore_with_one_click(replicas: list[Services], tmp_path: Path,
                                         qtbot) -> None:  # type: ignore[no-untyped-def]
    a, b, _c = replicas
    person = a.people.create(PersonDraft(family_name="競合"))
    exchange(a, b, tmp_path)
    for services, email in ((a, "mine@example.jp"), (b, "theirs@example.jp")):
        draft = PersonDraft.of(services.people.get(person.id))
        draft.email = email
        services.people.update(person.id, draft)
    exchange(b, a, tmp_path)
    assert a.people.get(person.id).email == "theirs@example.jp"
    messages: list[tuple[str, str]] = []
    page = _page(a, qtbot, messages)
    page.refresh()
    assert page.conflicts.rowCount() == 1
    assert "mine@example.jp" in page.conflicts.item(0, 3).text()
    page.conflicts.selectRow(0)
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert a.people.get(person.id).email == "mine@example.jp"
    assert page.conflicts.item(0, 5).text() != ""


def test_duplicates_are_listed_and_merged_by_hand(replicas: list[Services], tmp_path: Path,
                                                  qtbot) -> None:  # type: ignore[no-untyped-def]
    a, _b, _c = replicas
    first = a.people.create(PersonDraft(family_name="同名", given_name="一"))
    second = a.people.create(PersonDraft(family_name="同名", given_name="一"))
    page = _page(a, qtbot, [])
    page.refresh()
    page.tabs.setCurrentIndex(page.duplicates_tab)
    assert page.duplicates.topLevelItemCount() == 1
    page.merge(first.id, second.id)
    assert page.duplicates.topLevelItemCount() == 0
    assert a.people.count() == 1
    assert page.duplicates_note.text() != ""


def test_duplicates_are_looked_for_only_on_their_tab_and_the_list_is_capped(
        replicas: list[Services], qtbot, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    a, _b, _c = replicas
    for family, reading in (("上田", "うえだ"), ("青木", "あおき"), ("石井", "いしい")):
        for _twice in range(2):
            a.people.create(PersonDraft(family_name=family, given_name="一",
                                        family_reading=reading, given_reading="はじめ"))
    page = _page(a, qtbot, [])
    calls = []
    real = page.sync.duplicates
    monkeypatch.setattr(page.sync, "duplicates", lambda: calls.append(1) or real(limit=2))
    page.tabs.setCurrentIndex(0)
    page.refresh()
    assert calls == []  # not while the history tab is shown
    page.tabs.setCurrentIndex(page.duplicates_tab)
    assert calls == [1]
    assert [page.duplicates.topLevelItem(index).child(0).text(0)
            for index in range(page.duplicates.topLevelItemCount())] == ["青木 一", "石井 一"]
    assert "2" in page.duplicates_note.text()
    assert "3" in page.duplicates_note.text()
    page.tabs.setCurrentIndex(0)
    page.tabs.setCurrentIndex(page.duplicates_tab)
    assert calls == [1]  # nothing changed: not looked for again


def test_the_page_speaks_to_a_coordinator(services: Services, qtbot,  # type: ignore[no-untyped-def]
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    page = _page(services, qtbot, [])
    page.refresh()
    assert page.identity.text().startswith("このパソコンの名前:")
    assert "まだ決めていません" in page.identity.text()
    assert str(services.context.replica_id) not in page.identity.text()
    assert not page.details.isVisible()  # ids and merge rules behind 詳細
    assert page.peers.isColumnHidden(3)
    headers = [page.peers.horizontalHeaderItem(i).text() for i in range(3)]
    assert headers == ["相手", "最後に受け取った日", "最後に渡した日"]
    for table in (page.history, page.conflicts, page.peers):
        assert page.empty_text(table)  # every empty tab says what to do
    page.details_button.click()
    assert str(services.context.replica_id) in page.details.text()
    assert not page.peers.isColumnHidden(3)
    page.ask_name = page._ask_name  # the real dialog, answered below
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *args, **kwargs: ("鷹栖町役場 企画課", True))
    page.name_button.click()
    assert page.identity.text() == "このパソコンの名前: 鷹栖町役場 企画課"


def test_a_bundle_for_one_town_carries_only_its_clubs(replicas: list[Services], tmp_path: Path,
                                                       qtbot) -> None:  # type: ignore[no-untyped-def]
    """The export dialog offers each host municipality and club; a bundle of one town's
    records reaches a colleague's empty copy without the other towns' clubs and people."""
    from kankei_desktop.core.demo import load_demo
    from kankei_desktop.ui.pages.sync.dialogs import ExportDialog

    a, b, _c = replicas
    load_demo(a)
    messages: list[tuple[str, str]] = []
    page_a = _page(a, qtbot, messages)
    choices = page_a.scope_choices()
    towns = [term for _label, term in choices if term.startswith("municipality:")]
    assert len(towns) >= 2
    assert any(term.startswith("club:") for _label, term in choices)
    dialog = ExportDialog([], page_a, scopes=choices)
    qtbot.addWidget(dialog)
    dialog.scope.setCurrentIndex(1)
    assert dialog.chosen_scope() == [towns[0]]
    path = tmp_path / "town.kankei"
    assert page_a.export_to(path, None, None, scope=dialog.chosen_scope()) is not None
    SyncService(b).import_(path, None, allow_unencrypted=True)
    code = towns[0].split(":")[1]
    hosts = {club.host_municipality_id for club in b.clubs.find()}
    assert hosts, "the town's clubs arrived"
    assert {org.lgcode for org in b.organizations.find() if org.id in hosts} == {code}
    assert 0 < b.people.count() < a.people.count()
