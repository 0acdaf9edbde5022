"""提出済み: keep a filed report (PDF + the figures it showed) and notice later drift.

A town hall must be able to answer for what it filed: the PDF is kept byte for byte, and
the figures are re-gathered for the same request whenever the 報告書 page is shown; any
figure that differs is named with its value then and now.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from kankei_desktop.core.errors import KankeiError, NotFoundError
from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import SubmittedReport
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import utc_now
from kankei_desktop.reports.common import FigureValue
from kankei_desktop.reports.documents import BuiltReport, ReportRequest, report_figures


@dataclass(frozen=True)
class Submission:
    """A filed report as the list shows it (without the PDF)."""

    id: uuid.UUID
    kind: str
    title: str
    recipient: str
    submitted_on: date
    request: ReportRequest
    figures: list[FigureValue]


@dataclass(frozen=True)
class Drift:
    """One figure that differs from what was filed."""

    label: str
    filed: int | float | None
    now: int | float | None


def mark_submitted(services: Services, built: BuiltReport, recipient: str,
                   submitted_on: date) -> uuid.UUID:
    """Keep ``built`` in the file as submitted to ``recipient`` on ``submitted_on``."""
    row = SubmittedReport(
        id=uuid.uuid4(), kind=built.request.kind, title=built.title,
        parameters=built.request.to_json(),
        figures=json.dumps([asdict(value) for value in built.figures], ensure_ascii=False),
        recipient=recipient.strip(), submitted_on=submitted_on, created_at=utc_now(),
        pdf=built.pdf)
    with services.context.transaction() as session:
        session.add(row)
    return row.id


def submissions(services: Services) -> list[Submission]:
    """Every filed report, newest first."""
    with services.context.reading() as session:
        rows = session.execute(select(
            SubmittedReport.id, SubmittedReport.kind, SubmittedReport.title,
            SubmittedReport.recipient, SubmittedReport.submitted_on,
            SubmittedReport.parameters, SubmittedReport.figures)
            .order_by(SubmittedReport.submitted_on.desc(), SubmittedReport.created_at.desc()))
        return [Submission(row[0], row[1], row[2], row[3], row[4],
                           ReportRequest.from_json(row[5]),
                           [FigureValue(**item) for item in json.loads(row[6])])
                for row in rows]


def submitted_pdf(services: Services, submission_id: uuid.UUID) -> bytes:
    """The PDF exactly as filed."""
    with services.context.reading() as session:
        row = session.get(SubmittedReport, submission_id)
        if row is None:
            raise NotFoundError(_("The submitted report no longer exists."))
        return bytes(row.pdf)


def drift(services: Services, submission: Submission) -> list[Drift]:
    """Figures that now differ from the filed ones (empty when all still agree).

    A report whose subject is gone (a deleted club or session) reports every figure as
    differing, with no current value.
    """
    try:
        current = {value.key: value.value for value in
                   report_figures(services, submission.request)}
    except KankeiError:
        current = {}
    changes = []
    for value in submission.figures:
        now = current.get(value.key)
        if now != value.value:
            changes.append(Drift(value.label, value.value, now))
    return changes


def describe_drift(submission: Submission, changes: list[Drift], limit: int = 5) -> str:
    """One sentence naming the report and the figures that differ."""
    shown = "、".join(
        _("{label} {filed} → {now}").format(label=change.label, filed=_plain(change.filed),
                                            now=_plain(change.now))
        for change in changes[:limit])
    more = ""
    if len(changes) > limit:
        more = _(" and {count} more").format(count=len(changes) - limit)
    return _("The figures of “{title}” submitted to {recipient} on {day} have changed since: "
             "{figures}{more}.").format(title=submission.title,
                                        recipient=submission.recipient or "-",
                                        day=submission.submitted_on.isoformat(),
                                        figures=shown, more=more)


def _plain(value: int | float | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value * 100:.1f}%"
    return f"{value:,}"
