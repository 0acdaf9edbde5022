"""The file's report settings: cover fields and the per-year texts, kept in ``meta``.

Every programme's 要綱 numbers its forms and addresses them differently, so nothing on the
cover is hard-coded: the user's last values are remembered per file (JSON under
``report.cover``), the free texts 成果・課題・今後の展開 per fiscal year under
``report.texts.<year>``. Nothing is invented either: a field left empty is named by
:func:`missing_fields`, and the annual report is then only built as a draft.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from kankei_desktop.core.i18n import N_, _
from kankei_desktop.core.japan.fiscal import fiscal_year_range
from kankei_desktop.core.models import Meta
from kankei_desktop.core.services import Services
from kankei_desktop.reports.kinds import DATE_WAREKI as DATE_WAREKI
from kankei_desktop.reports.kinds import DATE_WESTERN as DATE_WESTERN

COVER_KEY = "report.cover"
TEXTS_KEY = "report.texts.{year}"



@dataclass
class CoverSettings:
    """What the cover letter of the 実績報告書 says (the user's settings)."""

    form_label: str = ""
    document_number: str = ""
    recipient: str = ""
    honorific: str = "様"
    organisation: str = ""
    address: str = ""
    representative_title: str = ""
    representative_name: str = ""
    project_name: str = ""
    basis: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    seal_box: bool = False
    date_style: str = DATE_WAREKI
    submission_date: str = ""

    @property
    def submitted_on(self) -> date:
        """提出日: the stored date, or today when none was set (see :attr:`submission_day`)."""
        return self.submission_day or date.today()

    @property
    def submission_day(self) -> date | None:
        """提出日 as set by the user, None when none was."""
        try:
            return date.fromisoformat(self.submission_date)
        except ValueError:
            return None

    @property
    def addressee(self) -> str:
        """「鷹栖町長 様」."""
        if not self.recipient:
            return ""
        return f"{self.recipient}　{self.honorific}".rstrip()

    @classmethod
    def from_json(cls, text: str | None) -> CoverSettings:
        """Settings from stored JSON; unknown keys ignored, bad JSON gives the defaults."""
        try:
            data: Any = json.loads(text or "{}")
        except ValueError:
            data = {}
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known} if isinstance(
            data, dict) else {}
        return cls(**values)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass
class ReportTexts:
    """What belongs to one fiscal year's 実績報告書: its free-text sections and 提出日."""

    achievements: str = ""
    issues: str = ""
    next_steps: str = ""
    submission_date: str = ""

    @classmethod
    def from_json(cls, text: str | None) -> ReportTexts:
        try:
            data: Any = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(**{key: str(data.get(key, "")) for key in ("achievements", "issues",
                                                              "next_steps", "submission_date")})

    def submission_day(self, cover: CoverSettings) -> date | None:
        """This year's 提出日, else the one the cover remembers from before (older files kept
        one date for every year), None when neither is set."""
        try:
            return date.fromisoformat(self.submission_date)
        except ValueError:
            return cover.submission_day

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


#: The fields a submitted cover letter needs, with their captions (the cover form's labels).
REQUIRED_COVER_FIELDS: tuple[tuple[str, str], ...] = (
    ("form_label", N_("Form label")),
    ("recipient", N_("Addressed to")),
    ("address", N_("Registered address")),
    ("organisation", N_("Organisation name")),
    ("representative_title", N_("Representative's title")),
    ("representative_name", N_("Representative's name")),
    ("project_name", N_("Project name")),
    ("contact_person", N_("Contact person")),
)
REQUIRED_TEXTS: tuple[tuple[str, str], ...] = (
    ("achievements", N_("Outcomes")),
    ("issues", N_("Challenges")),
    ("next_steps", N_("Next steps")),
)
CONTACT_CAPTION = N_("Phone or e-mail")
SUBMISSION_CAPTION = N_("Date of submission")


def missing_fields(cover: CoverSettings, texts: ReportTexts | None = None,
                   fiscal_year: int | None = None) -> list[str]:
    """Captions of what the annual report's cover and texts still lack (empty = complete).

    With ``texts`` the year's 提出日 is checked too; one before the fiscal year began counts
    as missing (it is left over from another year's report).
    """
    missing = [_(caption) for name, caption in REQUIRED_COVER_FIELDS
               if not str(getattr(cover, name)).strip()]
    if not (cover.contact_phone.strip() or cover.contact_email.strip()):
        missing.append(_(CONTACT_CAPTION))
    if texts is not None:
        day = texts.submission_day(cover)
        if day is None or (fiscal_year is not None
                           and day < fiscal_year_range(fiscal_year)[0]):
            missing.insert(0, _(SUBMISSION_CAPTION))
        missing += [_(caption) for name, caption in REQUIRED_TEXTS
                    if not str(getattr(texts, name)).strip()]
    return missing


def _get(services: Services, key: str) -> str | None:
    with services.context.reading() as session:
        row = session.get(Meta, key)
        return row.value if row is not None else None


def _put(services: Services, key: str, value: str) -> None:
    with services.context.transaction() as session:
        row = session.get(Meta, key)
        if row is None:
            session.add(Meta(key=key, value=value))
        else:
            row.value = value


def load_cover(services: Services) -> CoverSettings:
    """The cover fields remembered in this file (defaults when never saved)."""
    return CoverSettings.from_json(_get(services, COVER_KEY))


def save_cover(services: Services, cover: CoverSettings) -> None:
    """Remember the cover fields in this file."""
    _put(services, COVER_KEY, cover.to_json())


def load_texts(services: Services, fiscal_year: int) -> ReportTexts:
    """成果・課題・今後の展開 for ``fiscal_year``."""
    return ReportTexts.from_json(_get(services, TEXTS_KEY.format(year=fiscal_year)))


def save_texts(services: Services, fiscal_year: int, texts: ReportTexts) -> None:
    """Keep the texts of ``fiscal_year`` in this file."""
    _put(services, TEXTS_KEY.format(year=fiscal_year), texts.to_json())
