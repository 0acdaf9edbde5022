"""The 年度 ``figure_span`` keeps as bits of a mask (:mod:`.aggregates`), without SQLAlchemy:
the kept tables' readers (:mod:`.kept`) and their triggers share it."""

from __future__ import annotations

#: The first 年度 ``figure_span`` holds (bit 0).
SPAN_FIRST_YEAR = 1990
#: The last 年度 ``figure_span`` holds (bit 62: the mask stays a positive 64-bit integer).
SPAN_LAST_YEAR = SPAN_FIRST_YEAR + 62


def span_mask(first: int, last: int) -> int:
    """The ``figure_span`` bits of 年度 ``first`` … ``last`` (inside the kept window)."""
    return sum(1 << (year - SPAN_FIRST_YEAR) for year in range(first, last + 1))


def spans(first: int, last: int) -> bool:
    """Whether 年度 ``first`` … ``last`` all lie in the window ``figure_span`` keeps."""
    return first >= SPAN_FIRST_YEAR and last <= SPAN_LAST_YEAR
