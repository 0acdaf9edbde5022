"""File ▸ Import…: choose a sheet, check the detected layout and column mapping, see the
errors, import (with progress on large files); Zoom reports go onto a chosen session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.imports.importer import (
    Analysis,
    ImportSummary,
    NoHeaderError,
    analyse,
    first_row_mapping,
    run_import,
)
from kankei_desktop.imports.layout import Field, Layout, Mapping, field_label, layout_label
from kankei_desktop.imports.reading import Cell, SheetRows
from kankei_desktop.imports.template import write_template
from kankei_desktop.ui.help.manual import add_help_key
from kankei_desktop.ui.imports.zoom_panel import ZoomPanel
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress

PREVIEW_ROWS = 50
SHOWN_ERRORS = 500
LARGE_FILE_BYTES = 300_000
"""Above this size, reading and importing run behind a progress dialog."""


def cell_text(cell: Cell) -> str:
    """A cell as the preview shows it."""
    if cell is None:
        return ""
    if hasattr(cell, "strftime") and hasattr(cell, "year"):
        return f"{cell:%Y/%m/%d}"
    return str(cell)


class ImportDialog(QDialog):
    """The import dialog (one file at a time)."""

    def __init__(self, services: Services, parent: QWidget | None = None,
                 path: Path | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.analysis: Analysis | None = None
        self.summary: ImportSummary | None = None
        self.changed = False
        self.path: Path | None = None
        self.combos: list[QComboBox] = []
        self.setWindowTitle(_("Import"))
        self.help_key = add_help_key(self, "import")
        self.resize(1000, 680)
        column = QVBoxLayout(self)

        top = QHBoxLayout()
        self.file_label = QLabel(_("Choose an .xlsx or .csv file to import."))
        self.file_label.setWordWrap(True)
        top.addWidget(self.file_label, 1)
        self.choose_button = QPushButton(_("Choose file…"))
        self.choose_button.clicked.connect(self.choose_file)
        top.addWidget(self.choose_button)
        self.template_button = QPushButton(_("Save template"))
        self.template_button.setToolTip(_("Write an empty .xlsx with the column headers"))
        self.template_button.clicked.connect(self.save_template)
        top.addWidget(self.template_button)
        column.addLayout(top)

        self.layout_label = QLabel("")
        self.layout_label.setStyleSheet("font-weight: bold;")
        column.addWidget(self.layout_label)

        self.pages = QStackedWidget()
        column.addWidget(self.pages, 1)
        self.sheet_page = QWidget()
        sheet_column = QVBoxLayout(self.sheet_page)
        sheet_column.setContentsMargins(0, 0, 0, 0)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive)
        splitter.addWidget(self.preview)
        errors_box = QWidget()
        errors_column = QVBoxLayout(errors_box)
        errors_column.setContentsMargins(0, 0, 0, 0)
        self.errors_label = QLabel("")
        errors_column.addWidget(self.errors_label)
        self.errors = QListWidget()
        errors_column.addWidget(self.errors)
        splitter.addWidget(errors_box)
        splitter.setSizes([420, 180])
        sheet_column.addWidget(splitter)
        self.pages.addWidget(self.sheet_page)
        self.zoom_panel = ZoomPanel(services)
        self.zoom_panel.imported.connect(self._on_zoom_imported)
        self.pages.addWidget(self.zoom_panel)

        bottom = QHBoxLayout()
        self.skip_invalid = QCheckBox(_("Skip invalid rows"))
        self.skip_invalid.setToolTip(_(
            "Import the valid rows and write the invalid ones, with the reason, to a file "
            "next to the sheet"))
        self.skip_invalid.toggled.connect(self._update_buttons)
        bottom.addWidget(self.skip_invalid)
        bottom.addStretch(1)
        self.dry_run_button = QPushButton(_("Check only"))
        self.dry_run_button.setToolTip(_("Show what the import would create; change nothing"))
        self.dry_run_button.clicked.connect(lambda: self.start_import(dry_run=True))
        bottom.addWidget(self.dry_run_button)
        self.import_button = QPushButton(_("Import"))
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(lambda: self.start_import(dry_run=False))
        bottom.addWidget(self.import_button)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        bottom.addWidget(close)
        column.addLayout(bottom)
        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.summary_label)
        self._update_buttons()
        if path is not None:
            self.load(path)

    # -- choosing and reading ------------------------------------------------------------

    def choose_file(self) -> None:
        """Ask for a file and analyse it."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Import"), "", _("Spreadsheets (*.xlsx *.csv);;All files (*)"))
        if chosen:
            self.load(Path(chosen))

    def load(self, path: Path, fields: list[Field | None] | None = None) -> None:
        """Read and check ``path`` (behind a progress dialog when it is large)."""
        self.summary_label.setText("")
        self.file_label.setText(str(path))
        self.path = path
        analysis, error = self._analyse(path, fields)
        if isinstance(error, NoHeaderError):
            self._show_unmapped(path, error)
            return
        if isinstance(error, KankeiError):
            if fields is not None and self.preview.columnCount():
                self._show_mapping_problem(error.message)  # keep the combos to fix it
            else:
                self._show_problem(error.message)
            return
        if error is not None:
            raise error
        assert analysis is not None
        self.show_analysis(analysis)

    def _analyse(self, path: Path, fields: list[Field | None] | None
                 ) -> tuple[Analysis | None, BaseException | None]:
        try:
            large = path.stat().st_size > LARGE_FILE_BYTES
        except OSError:
            large = False
        if large:
            outcome = run_with_progress(
                self, _("Import"), _("Reading {name}…").format(name=path.name),
                lambda _control: analyse(path, fields), cancellable=False,
                refusal=_("Reading cannot be interrupted."))
            return outcome.result, outcome.error
        try:
            return analyse(path, fields), None
        except KankeiError as exc:
            return None, exc

    def _show_problem(self, message: str) -> None:
        self.analysis = None
        self.layout_label.setText("")
        self.preview.clear()
        self.preview.setRowCount(0)
        self.preview.setColumnCount(0)
        self.combos = []
        self.errors.clear()
        self.errors_label.setText(message)
        self.errors_label.setWordWrap(True)
        self.pages.setCurrentWidget(self.sheet_page)
        self._update_buttons()

    def _show_mapping_problem(self, message: str) -> None:
        self.analysis = None
        self.errors.clear()
        self.errors_label.setText(message)
        self.errors_label.setWordWrap(True)
        self._update_buttons()

    def _show_unmapped(self, path: Path, error: NoHeaderError) -> None:
        """No known header: show the first row as header so each column can be mapped."""
        self._show_problem(error.message)
        if error.sheet.rows:
            self._fill_preview(error.sheet, first_row_mapping(error.sheet))

    def show_analysis(self, analysis: Analysis) -> None:
        """Fill the layout label, preview, mapping combos and error list."""
        self.analysis = analysis
        self.layout_label.setText(_("Detected layout: {layout}").format(
            layout=layout_label(analysis.layout)))
        if analysis.layout is Layout.ZOOM:
            try:
                self.zoom_panel.set_analysis(analysis)
            except KankeiError as exc:  # a report the session cannot take (too long a name)
                self._show_problem(exc.message)
                return
            self.pages.setCurrentWidget(self.zoom_panel)
            self._update_buttons()
            return
        self.pages.setCurrentWidget(self.sheet_page)
        self._fill_preview(analysis.sheet, analysis.mapping)
        validation = analysis.validation
        self.errors.clear()
        for issue in validation.issues[:SHOWN_ERRORS]:
            self.errors.addItem(str(issue))
        shown = min(len(validation.issues), SHOWN_ERRORS)
        if validation.issue_count > shown:
            self.errors.addItem(_("… and {count} more").format(
                count=validation.issue_count - shown))
        rows = validation.valid
        bad = validation.invalid
        if bad:
            self.errors_label.setText(ngettext(
                "{rows} rows are valid; {count} row has errors:",
                "{rows} rows are valid; {count} rows have errors:", bad).format(
                rows=rows, count=bad))
        else:
            self.errors_label.setText(_("All {rows} rows are valid.").format(rows=rows))
        self._update_buttons()

    def _fill_preview(self, sheet: SheetRows, mapping: Mapping) -> None:
        data = sheet.rows[mapping.header_index + 1:][:PREVIEW_ROWS]
        width = len(mapping.headers)
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(data) + 1)
        self.preview.setHorizontalHeaderLabels(mapping.headers)
        self.preview.setVerticalHeaderLabels(
            [_("Column means")] + [str(number) for number, _cells in data])
        self.combos = []
        for index in range(width):
            combo = QComboBox()
            combo.addItem(_("(ignore)"), None)
            for wanted in Field:
                if wanted in (Field.JOIN_TIME, Field.LEAVE_TIME, Field.DURATION, Field.GUEST):
                    continue
                combo.addItem(field_label(wanted), wanted.value)
            current = mapping.fields[index]
            combo.setCurrentIndex(max(0, combo.findData(current.value if current else None)))
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.preview.setCellWidget(0, index, combo)
            self.combos.append(combo)
        for row, (_number, cells) in enumerate(data, start=1):
            for index in range(width):
                value = cells[index] if index < len(cells) else None
                self.preview.setItem(row, index, QTableWidgetItem(cell_text(value)))
        self.preview.resizeColumnsToContents()

    def mapping_fields(self) -> list[Field | None]:
        """The mapping as the combos say."""
        values = [combo.currentData() for combo in self.combos]
        return [Field(value) if value else None for value in values]

    def _on_mapping_changed(self) -> None:
        if self.path is not None:
            self.load(self.path, self.mapping_fields())

    # -- importing -----------------------------------------------------------------------

    def _update_buttons(self) -> None:
        analysis = self.analysis
        usable = analysis is not None and analysis.layout is not Layout.ZOOM and bool(
            analysis.validation.valid)
        clean = analysis is not None and not analysis.validation.invalid
        self.import_button.setEnabled(usable and (clean or self.skip_invalid.isChecked()))
        self.dry_run_button.setEnabled(self.import_button.isEnabled())
        sheet = analysis is None or analysis.layout is not Layout.ZOOM
        self.skip_invalid.setVisible(sheet)
        self.import_button.setVisible(sheet)
        self.dry_run_button.setVisible(sheet)

    def start_import(self, *, dry_run: bool) -> None:
        """Import the analysed file (after a backup, in one transaction)."""
        analysis = self.analysis
        if analysis is None:
            return
        skip = self.skip_invalid.isChecked()
        outcome = run_with_progress(
            self, _("Import"), _("Importing {name}…").format(name=analysis.path.name),
            lambda control: run_import(self.services, analysis, dry_run=dry_run,
                                       skip_invalid=skip, progress=control.report),
            cancellable=False, refusal=_("The import runs in one transaction; it cannot be "
                                         "interrupted halfway."))
        if isinstance(outcome.error, KankeiError):
            QMessageBox.warning(self, _("Import"), outcome.error.message)
            return
        if outcome.error is not None:
            raise outcome.error
        summary = outcome.result
        assert summary is not None
        self.summary = summary
        self.summary_label.setText("\n".join(summary.lines()))
        if not dry_run:
            self.changed = True
            self.import_button.setEnabled(False)
            self.dry_run_button.setEnabled(False)

    def _on_zoom_imported(self, text: str) -> None:
        self.changed = True
        self.summary_label.setText(text)

    # -- template ------------------------------------------------------------------------

    def save_template(self) -> None:
        """Write the empty template where the user chooses."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self, _("Save template"), _("import-template.xlsx"), _("Excel workbook (*.xlsx)"))
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        try:
            write_template(path)
        except OSError as exc:
            QMessageBox.warning(self, _("Save template"), _(
                "The template could not be written ({detail}). Choose a place where you may "
                "write.").format(detail=exc.strerror or exc))
            return
        self.summary_label.setText(_("Template saved: {path}").format(path=path))


