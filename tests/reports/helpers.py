"""Helpers of the report tests: PDF text, a complete cover."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader

from kankei_desktop.core.services import Services
from kankei_desktop.reports.settings import (
    CoverSettings,
    ReportTexts,
    load_cover,
    save_cover,
    save_texts,
)

COVER = CoverSettings(
    form_label="様式第7号（第9条関係）", recipient="鷹栖町長",
    address="〒071-1292　北海道上川郡鷹栖町南1条3丁目5番1号",
    organisation="一般社団法人つながる", representative_title="代表理事",
    representative_name="山田 太郎", project_name="放課後企業クラブ事業",
    contact_person="佐藤", contact_phone="0166-00-0000")


def complete_cover(services: Services, year: int, **changes: object) -> CoverSettings:
    """Give the file a complete cover (with ``changes``) and texts for ``year``."""
    cover = replace(COVER, **changes)  # type: ignore[arg-type]
    save_cover(services, cover)
    save_texts(services, year, ReportTexts("成果の記述。", "課題の記述。", "今後の記述。",
                                           f"{year + 1}-03-31"))
    return cover


def with_cover(services: Services, **changes: object) -> None:
    """Change fields of the file's cover, keeping the others."""
    save_cover(services, replace(load_cover(services), **changes))  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF, pages joined, whitespace removed (tables split cells over lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text with whitespace removed."""
    return ["".join((page.extract_text() or "").split())
            for page in PdfReader(io.BytesIO(pdf)).pages]


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
