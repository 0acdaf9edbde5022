"""Helpers of the report tests: PDF text."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader


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
