"""What the ふるさと住民 page writes: the list (xlsx/CSV) and the 活動実績証明書 (one person,
or everyone who qualifies as one PDF or one file each), built off the GUI thread."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from kankei_desktop.core.errors import KankeiError
from kankei_desktop.core.furusato.status import StatusReport
from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.services import Services
from kankei_desktop.core.storage.files import write_atomically
from kankei_desktop.reports.certificate import (
    CertificateData,
    certificate_data,
    join_pdfs,
    render_certificate,
    write_per_person,
)
from kankei_desktop.reports.furusato_export import status_csv, status_workbook
from kankei_desktop.reports.settings import load_cover
from kankei_desktop.ui.widgets.progress_dialog import run_with_progress
from kankei_desktop.ui.workers import JobControl

Notify = Callable[[str], None]


def export_list(parent: QWidget, services: Services, report: StatusReport, year: int | None,
                notify: Notify) -> Path | None:
    """Ask where, then write the list as .xlsx or .csv (by the chosen name)."""
    name, chosen = QFileDialog.getSaveFileName(
        parent, _("Export the list"), f"{_('Furusato residents')}_{report.scope.name}.xlsx",
        _("Excel workbooks (*.xlsx)") + ";;" + _("CSV files (*.csv)"))
    if not name:
        return None
    path = Path(name)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        path = path.with_suffix(".csv" if "csv" in chosen.lower() else ".xlsx")
    data = status_csv(report) if path.suffix.lower() == ".csv" else status_workbook(
        report, load_cover(services).date_style, year)
    return _write(parent, path, data, notify)


def _write(parent: QWidget, path: Path, data: bytes, notify: Notify) -> Path | None:
    try:
        write_atomically(path, data)
    except OSError as exc:
        message = _("{path} could not be written ({detail}). Choose a place where you may "
                    "write.").format(path=path, detail=exc.strerror or exc)
        QMessageBox.warning(parent, _("Furusato residents"), message)
        notify(message)
        return None
    notify(_("Saved {path}.").format(path=path))
    return path


def build_certificates(services: Services, people: list[uuid.UUID], code: str,
                       period: tuple[date, date], control: JobControl
                       ) -> tuple[list[CertificateData], list[bytes]]:
    """Gather and draw the certificates (cancellable between people)."""
    cover = load_cover(services)
    data: list[CertificateData] = []
    documents: list[bytes] = []
    for index, person_id in enumerate(people):
        control.check()
        item = certificate_data(services, person_id, code, *period)
        data.append(item)
        documents.append(render_certificate(item, cover))
        control.report(index + 1, len(people))
    return data, documents


def issue_certificates(parent: QWidget, services: Services, people: list[uuid.UUID],
                       code: str, period: tuple[date, date], notify: Notify, *,
                       per_person: bool = False, suggestion: str = "") -> list[Path]:
    """Ask where, build the certificates of ``people`` and write them (one PDF, or one file
    each in a folder); returns the files written."""
    if not people:
        return []
    if per_person:
        folder = QFileDialog.getExistingDirectory(parent, _("Folder for the certificates"))
        if not folder:
            return []
        target = Path(folder)
    else:
        name, _filter = QFileDialog.getSaveFileName(
            parent, _("Save the certificates"),
            suggestion or _("Certificate of activities") + ".pdf", _("PDF files (*.pdf)"))
        if not name:
            return []
        target = Path(name)
    outcome = run_with_progress(
        parent, _("Certificates"), ngettext("Drawing {count} certificate…",
                                            "Drawing {count} certificates…",
                                            len(people)).format(count=len(people)),
        lambda control: build_certificates(services, people, code, period, control))
    if outcome.cancelled or outcome.result is None:
        error = outcome.error
        if error is not None:
            message = error.message if isinstance(error, KankeiError) else str(error)
            QMessageBox.warning(parent, _("Certificates"), message)
            notify(message)
        return []
    data, documents = outcome.result
    if per_person:
        try:
            written = write_per_person(target, data, documents)
        except OSError as exc:
            QMessageBox.warning(parent, _("Certificates"), _(
                "{path} could not be written ({detail}). Choose a place where you may "
                "write.").format(path=target, detail=exc.strerror or exc))
            return []
        notify(ngettext("{count} certificate written to {path}.",
                        "{count} certificates written to {path}.", len(written)).format(
                            count=len(written), path=target))
        return written
    pdf = documents[0] if len(documents) == 1 else join_pdfs(documents)
    written_path = _write(parent, target, pdf, notify)
    return [written_path] if written_path is not None else []
