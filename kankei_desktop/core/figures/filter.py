"""Which sessions and people the figures cover (:class:`FigureFilter`), without SQLAlchemy:
the scope's rules are :mod:`.scope`, the tag's :mod:`.tagged`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class FigureFilter:
    """Which meetings and people the figures cover (None = all).

    ``prefecture`` is the prefecture's two-digit number (``"03"`` for 岩手県; see
    :func:`kankei_desktop.core.japan.codes.prefecture_of`).
    """

    club_id: uuid.UUID | None = None
    municipality_id: uuid.UUID | None = None
    category: str | None = None
    prefecture: str | None = None
    tag_id: uuid.UUID | None = None
    """Only what carries this tag (:mod:`.tagged`; issue 17)."""

    @property
    def whole_programme(self) -> bool:
        """No club, municipality, prefecture or tag chosen: figures of whole 年度 come from
        the kept tables, which hold every session and apply only the category."""
        return (self.club_id is None and self.municipality_id is None
                and self.prefecture is None and self.tag_id is None)

    def parameters(self) -> dict[str, object]:
        """The bound values of :func:`.scope.club_in_scope_sql` and the category filter (the
        tag's are :func:`.tagged.parameters`: they need the database)."""
        return {
            "club": self.club_id.hex if self.club_id else None,
            "municipality": self.municipality_id.hex if self.municipality_id else None,
            "prefecture": self.prefecture,
            "category": self.category,
        }

    def without_category(self) -> FigureFilter:
        """The same clubs and tag, every category."""
        return FigureFilter(club_id=self.club_id, municipality_id=self.municipality_id,
                            prefecture=self.prefecture, tag_id=self.tag_id)
