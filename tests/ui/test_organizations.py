"""Organisations page: master-list municipality, company, validation, delete/restore."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kankei_desktop.core.services import Services
from kankei_desktop.ui.main_window import MainWindow
from tests.ui.helpers import pick, type_into

pytestmark = pytest.mark.gui


def _open_organizations(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.page_key() == "organizations"
    return window.organizations


def test_empty_state_says_what_to_do(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = _open_organizations(qtbot, window)
    assert page.stack.currentWidget() is page.empty
    assert "[New]" in page.empty.text() or "［新規］" in page.empty.text()


def test_municipality_from_master_list(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = _open_organizations(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    page.editor.kind.setCurrentIndex(page.editor.kind.findData("municipality"))
    label = pick(qtbot, page.editor.municipality, "鷹栖")
    assert label == "北海道鷹栖町 (014524)"
    rows = services.organizations.find()
    assert [(row.name, row.lgcode) for row in rows] == [("北海道鷹栖町", "014524")]
    assert page.model.total == 1
    assert page.editor.record_id == rows[0].id


def test_company_invalid_email_then_fixed(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    page = _open_organizations(qtbot, window)
    page.new_button.click()
    editor = page.editor
    editor.kind.setCurrentIndex(editor.kind.findData("company"))
    type_into(qtbot, editor.name, "株式会社さくらテック")
    type_into(qtbot, editor.reading, "さくらてっく")
    type_into(qtbot, editor.email, "info@")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "e-mail" in editor.form.error_text("email") or "メール" in editor.form.error_text(
        "email")
    assert editor.form.errors["email"].isVisible()
    assert services.organizations.count() == 0
    type_into(qtbot, editor.email, "info@sakura.example.jp")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.form.error_text("email") == ""
    [row] = services.organizations.find()
    assert row.email == "info@sakura.example.jp"
    assert page.selected_id() == row.id


def test_delete_and_restore(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    from kankei_desktop.core.services.organizations import OrganizationDraft

    row = services.organizations.create(OrganizationDraft(kind="company", name="消える株式会社"))
    page = _open_organizations(qtbot, window)
    page.select_record(row.id)
    page.table.setFocus()
    page._on_selection_changed(None, None)  # type: ignore[arg-type]
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert services.organizations.count() == 0
    assert page.stack.currentWidget() is page.empty
    page.deleted_toggle.click()
    assert page.model.total == 1
    page.table.selectRow(0)
    assert page.restore_button.isVisible()
    page.restore_button.click()
    assert services.organizations.count() == 1
    assert not page.showing_deleted
    assert page.selected_id() == row.id
