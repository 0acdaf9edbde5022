"""The file's report settings: cover fields and the per-year texts, kept in ``meta``.

Every programme's 要綱 numbers its forms and addresses them differently, so nothing on the
cover is hard-coded: the user's last values are remembered per file (JSON under
``report.cover``), the free texts 成果・課題・今後の展開 per fiscal year under
``report.texts.<year>``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from kankei_desktop.core.models import Meta
from kankei_desktop.core.services import Services

COVER_KEY = "report.cover"
TEXTS_KEY = "report.texts.{year}"

DATE_WAREKI = "wareki"
DATE_WESTERN = "western"


@dataclass
class CoverSettings:
    """What the cover letter of the 実績報告書 says (the user's settings)."""

    form_label: str = "様式第5号"
    document_number: str = ""
    recipient: str = ""
    honorific: str = "様"
    organisation: str = ""
    address: str = ""
    representative_title: str = "代表"
    representative_name: str = ""
    project_name: str = "関係人口創出・拡大事業"
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    seal_box: bool = False
    date_style: str = DATE_WAREKI
    submission_date: str = ""

    @property
    def submitted_on(self) -> date:
        """提出日: the stored date, or today when none was set."""
        try:
            return date.fromisoformat(self.submission_date)
        except ValueError:
            return date.today()

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
    """The free-text sections of one fiscal year's 実績報告書."""

    achievements: str = ""
    issues: str = ""
    next_steps: str = ""

    @classmethod
    def from_json(cls, text: str | None) -> ReportTexts:
        try:
            data: Any = json.loads(text or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(**{key: str(data.get(key, "")) for key in ("achievements", "issues",
                                                              "next_steps")})

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


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
