"""Writing an analysed export (:mod:`.analysis`): in one transaction after a backup, all or
nothing. The same file imported again changes nothing: responses have ids derived from the
survey, the session and the row (time, content hash, occurrence), questions from their header.
A response deleted since the last import stays deleted; a corrected kind (``--kind``) reads
the answers of responses already imported again."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.i18n import _, ngettext
from kankei_desktop.core.models import Answer, Question, Response, Survey
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.context import get_row, live
from kankei_desktop.core.storage.backup import REASON_IMPORT, backup_before
from kankei_desktop.core.surveys.values import join_options, split_options
from kankei_desktop.core.vocabulary import QuestionKind, label
from kankei_desktop.core.writes.natural_ids import (
    answer_uuid,
    imported_question_uuid,
    imported_response_uuid,
)
from kankei_desktop.imports.importer import ImportRejectedError
from kankei_desktop.imports.surveys.analysis import QuestionPlan, SurveyAnalysis

_CHOICE = (QuestionKind.SINGLE.value, QuestionKind.MULTIPLE.value)
_CHUNK = 500


@dataclass
class SurveyImportSummary:
    """What an import did (or would do, on a dry run)."""

    new: int = 0
    known: int = 0
    changed: int = 0
    kept_deleted: int = 0
    linked: int = 0
    questions_new: int = 0
    questions_changed: int = 0
    survey_created: bool = False
    dry_run: bool = False
    skipped_rows: int = 0
    rejects_path: Path | None = None
    backup_path: Path | None = None
    columns: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as sentences for the terminal and the dialog."""
        head = (_("Dry run: nothing was changed. The import would bring:") if self.dry_run
                else _("Survey import finished:"))
        lines = [head, *self.columns,
                 _("  new responses: {count}").format(count=self.new),
                 _("  already imported: {count} (of which changed: {changed})").format(
                     count=self.known, changed=self.changed),
                 _("  linked to a person: {count}; anonymous: {anonymous}").format(
                     count=self.linked, anonymous=self.new + self.known - self.linked),
                 _("  new questions: {count}").format(count=self.questions_new)]
        if self.survey_created:
            lines.append(_("  the session's questionnaire is created from the file's "
                           "columns"))
        if self.kept_deleted:
            lines.append(ngettext(
                "{count} response deleted since an earlier import stays deleted.",
                "{count} responses deleted since an earlier import stay deleted.",
                self.kept_deleted).format(count=self.kept_deleted))
        if self.skipped_rows:
            lines.append(ngettext("{count} invalid row was skipped.",
                                  "{count} invalid rows were skipped.",
                                  self.skipped_rows).format(count=self.skipped_rows))
        if self.rejects_path is not None:
            lines.append(_("The skipped rows, with the reason, are in {path}; correct them "
                           "there and import that file.").format(path=self.rejects_path))
        if self.backup_path is not None:
            lines.append(_("Backup taken before the import: {path}").format(
                path=self.backup_path))
        return lines


def describe(plan: QuestionPlan) -> str:
    """「  3. 満足度 — Scale 1–5」 (with the guess when the kind was corrected)."""
    kind = label(QuestionKind(plan.kind))
    if plan.kind == QuestionKind.SCALE:
        kind = f"{kind} {plan.scale_min}–{plan.scale_max}"
    if plan.kind != plan.inferred:
        kind = _("{kind} (the answers suggested: {guess})").format(
            kind=kind, guess=label(QuestionKind(plan.inferred)))
    return f"  {plan.column.number}. {plan.column.header} — {kind}"


def run_survey_import(services: Services, analysis: SurveyAnalysis, *, dry_run: bool = False,
                      skip_invalid: bool = False) -> SurveyImportSummary:
    """Import the analysed export. Raises :class:`ImportRejectedError` when a row is invalid
    and ``skip_invalid`` is false: nothing is imported then."""
    if analysis.issues and not skip_invalid:
        raise ImportRejectedError(analysis.issues)
    summary = SurveyImportSummary(dry_run=dry_run, skipped_rows=len(analysis.rejected),
                                  columns=[describe(plan) for plan in analysis.questions])
    if dry_run:
        session = services.database.sessions()
        try:
            _apply(services, session, analysis, summary)
            session.flush()
        finally:
            session.rollback()
            session.close()
        return summary
    summary.backup_path = backup_before(services.database.path, REASON_IMPORT)
    with services.context.transaction() as session:
        _apply(services, session, analysis, summary)
    if analysis.rejected:
        summary.rejects_path = write_rejects(analysis)
    return summary


def _apply(services: Services, session: Session, analysis: SurveyAnalysis,
           summary: SurveyImportSummary) -> None:
    writes = services.context.writes
    survey = session.get(Survey, analysis.survey_id)
    if survey is None or survey.deleted_at is not None:
        summary.survey_created = True
        survey = writes.put(session, Survey, analysis.survey_id, {}, keep={
            "club_id": analysis.club_id, "meeting_id": analysis.meeting_id,
            "title": _("Questionnaire"), "intro": ""})
        session.flush()
    ids = _questions(services, session, survey.id, analysis, summary)
    session.flush()
    planned = {imported_response_uuid(survey.id, analysis.meeting_id, parsed.key): parsed
               for parsed in analysis.responses}
    stored, loaded = _stored(session, list(planned))
    responses: list[dict[str, object]] = []
    answers: list[dict[str, object]] = []
    for response_id, parsed in planned.items():
        values = {ids[number]: value for number, value in parsed.values.items()}
        row = stored.get(response_id)
        if row is not None and row.deleted_at is not None:
            summary.kept_deleted += 1
            continue
        if parsed.person_id is not None:
            summary.linked += 1
        if row is None:
            summary.new += 1
            responses.append(writes.new_values(
                "survey_response", id=response_id, survey_id=survey.id,
                meeting_id=analysis.meeting_id, person_id=parsed.person_id,
                submitted_at=parsed.submitted_at, source=analysis.form.source, sheet=None))
            answers.extend(writes.new_values(
                "survey_answer", id=answer_uuid(response_id, question_id),
                response_id=response_id, question_id=question_id, value=value, featured=0)
                for question_id, value in values.items() if value)
            continue
        summary.known += 1
        changed = 0
        if parsed.person_id is not None and row.person_id != parsed.person_id:
            writes.change(row, {"person_id": parsed.person_id})
            changed += 1
        changed += services.surveys.put_answers(session, response_id, values)
        summary.changed += 1 if changed else 0
    writes.insert_many(session, Response, responses)
    writes.insert_many(session, Answer, answers)
    del loaded


def _stored(session: Session, response_ids: list[uuid.UUID]
            ) -> tuple[dict[uuid.UUID, Response], list[Answer]]:
    """The responses the file already holds (deleted ones too), and their answers loaded into
    the session (kept referenced, so reading them again through ``session.get`` costs no
    query)."""
    found: dict[uuid.UUID, Response] = {}
    for start in range(0, len(response_ids), _CHUNK):
        chunk = response_ids[start:start + _CHUNK]
        found.update((row.id, row) for row in session.scalars(
            select(Response).where(Response.id.in_(chunk))))
    known = list(found)
    loaded: list[Answer] = []
    for start in range(0, len(known), _CHUNK):
        loaded.extend(session.scalars(select(Answer).where(
            Answer.response_id.in_(known[start:start + _CHUNK]))))
    return found, loaded



def _questions(services: Services, session: Session, survey_id: uuid.UUID,
               analysis: SurveyAnalysis, summary: SurveyImportSummary) -> dict[int, uuid.UUID]:
    """Question number → question id: existing questions corrected where the file asks (kind,
    new options), missing ones added at the end."""
    writes = services.context.writes
    ids: dict[int, uuid.UUID] = {}
    position = session.scalar(select(func.max(Question.position)).where(
        Question.survey_id == survey_id, live(Question))) or 0
    occurrences: dict[str, int] = {}
    for plan in analysis.questions:
        occurrences[plan.key] = occurrences.get(plan.key, 0) + 1
        values = _question_values(plan)
        if plan.question_id is not None:
            row = get_row(session, Question, plan.question_id)
            if row.kind == plan.kind and plan.kind in _CHOICE:
                values["options"] = join_options([*split_options(row.options),
                                                  *plan.options])
            if writes.change(row, values):
                summary.questions_changed += 1
            ids[plan.column.number] = row.id
            continue
        position += 1
        question_id = imported_question_uuid(survey_id,
                                             f"{plan.key}#{occurrences[plan.key]}")
        row = writes.put(session, Question, question_id, {**values, "position": position},
                         keep={"survey_id": survey_id, "text": plan.column.header})
        summary.questions_new += 1
        ids[plan.column.number] = row.id
    return ids


def _question_values(plan: QuestionPlan) -> dict[str, object]:
    scale = plan.kind == QuestionKind.SCALE
    values: dict[str, object] = {"kind": plan.kind}
    if plan.kind in _CHOICE:
        values["options"] = join_options(plan.options)
    if scale:
        values.update(scale_min=plan.scale_min, points=plan.points)
    return values


def rejects_path_for(path: Path) -> Path:
    """``<name>-rejected.csv`` next to the input."""
    return path.with_name(f"{path.stem}-rejected.csv")


def write_rejects(analysis: SurveyAnalysis) -> Path:
    """The invalid rows (original cells, the row number and the reason) as a CSV Excel opens."""
    from kankei_desktop.imports.surveys.form import cell_text

    target = rejects_path_for(analysis.form.path)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        headers = analysis.form.headers
        writer.writerow([*headers, _("Row"), _("Reason")])
        for number, cells, issues in analysis.rejected:
            reason = " / ".join(f"{issue.column}: {issue.reason}" for issue in issues)
            texts = [cell_text(cell) for cell in cells[:len(headers)]]
            texts += [""] * (len(headers) - len(texts))
            writer.writerow([*texts, number, reason])
    return target
