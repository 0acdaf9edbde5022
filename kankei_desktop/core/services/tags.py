"""タグ: labels on people, organisations, clubs and sessions (issue 17).

A tag is one row (its id derived from its name, so the same tag typed on two PCs is one tag);
putting it on a record is a link row whose id derives from tag × record, so tagging the same
record twice, here or elsewhere, keeps one link. Deleting a tag keeps its links: restoring
the tag brings them back.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kankei_desktop.core.errors import ValidationError
from kankei_desktop.core.figures.tagged import TARGET_KINDS
from kankei_desktop.core.i18n import _
from kankei_desktop.core.japan.text import normalize_text, search_key
from kankei_desktop.core.models import Club, Meeting, Organization, Person, Synced, Tag, TagLink
from kankei_desktop.core.services.context import ServiceContext, get_row, live
from kankei_desktop.core.writes.natural_ids import tag_link_uuid, tag_uuid

#: The table behind each ``target_kind``.
TARGET_MODELS: dict[str, type[Synced]] = {
    "person": Person, "organization": Organization, "club": Club, "meeting": Meeting}
#: Tags typed in one field are separated by these.
SEPARATORS = re.compile(r"[、,，;；\n]+")
NAME_LIMIT = 100


def split_tag_names(text: str) -> list[str]:
    """「高校生、UIターン希望」 → the names, trimmed, without empties or repeats."""
    names: dict[str, str] = {}
    for part in SEPARATORS.split(text):
        name = normalize_text(part)
        if name:
            names.setdefault(search_key(name), name)
    return list(names.values())


class TagService:
    """Use cases for tags and for the tags of a record."""

    def __init__(self, context: ServiceContext) -> None:
        self._ctx = context
        self._writes = context.writes

    # -- tags ----------------------------------------------------------------------------

    def find(self, search: str = "", *, deleted: bool = False) -> list[Tag]:
        """Tags in 50音順 (live ones, or the deleted ones)."""
        query = select(Tag).where(Tag.deleted_at.is_not(None) if deleted else live(Tag))
        key = search_key(search)
        if key:
            query = query.where(Tag.search_key.contains(key, autoescape=True))
        with self._ctx.reading() as session:
            return list(session.scalars(query.order_by(Tag.sort_key, Tag.id)))

    def find_by_name(self, name: str) -> Tag | None:
        """The live tag called ``name`` (width, kana and case ignored)."""
        key = search_key(name)
        with self._ctx.reading() as session:
            return session.scalars(select(Tag).where(live(Tag), Tag.search_key == key)
                                   .order_by(Tag.created_at)).first()

    def create(self, name: str) -> Tag:
        """A new tag (or the deleted one of that name brought back)."""
        with self._ctx.transaction() as session:
            return self._ensure(session, self._clean(session, name, None))

    def rename(self, tag_id: uuid.UUID, name: str) -> Tag:
        """Give a tag another name (its links stay)."""
        with self._ctx.transaction() as session:
            row = get_row(session, Tag, tag_id)
            self._writes.change(row, {"name": self._clean(session, name, tag_id)})
            return row

    def delete(self, tag_id: uuid.UUID) -> None:
        """Tombstone a tag; its links stay and come back with it."""
        with self._ctx.transaction() as session:
            self._writes.tombstone(get_row(session, Tag, tag_id))

    def restore(self, tag_id: uuid.UUID) -> Tag:
        """Undo a delete (refused when a live tag took the name meanwhile)."""
        with self._ctx.transaction() as session:
            row = get_row(session, Tag, tag_id, include_deleted=True)
            self._check_unique(session, row.name, row.id)
            self._writes.revive(row)
            return row

    def usage(self) -> dict[uuid.UUID, int]:
        """How many live records each tag is on."""
        with self._ctx.reading() as session:
            return {tag_id: count for tag_id, count in session.execute(
                select(TagLink.tag_id, func.count()).where(live(TagLink))
                .group_by(TagLink.tag_id))}

    # -- tags of records -----------------------------------------------------------------

    def tags_of(self, target_id: uuid.UUID) -> list[Tag]:
        """The live tags on one record, in 50音順."""
        with self._ctx.reading() as session:
            return list(session.scalars(
                select(Tag).join(TagLink, TagLink.tag_id == Tag.id)
                .where(TagLink.target_id == target_id, live(TagLink), live(Tag))
                .order_by(Tag.sort_key, Tag.id)))

    def names_of(self, target_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
        """Tag names per record (for a list's column), in 50音順."""
        if not target_ids:
            return {}
        result: dict[uuid.UUID, list[str]] = defaultdict(list)
        with self._ctx.reading() as session:
            for target_id, name in session.execute(
                    select(TagLink.target_id, Tag.name).join(Tag, Tag.id == TagLink.tag_id)
                    .where(TagLink.target_id.in_(target_ids), live(TagLink), live(Tag))
                    .order_by(Tag.sort_key, Tag.id)):
                result[target_id].append(name)
        return dict(result)

    def set_tags(self, target_kind: str, target_id: uuid.UUID, names: list[str]) -> list[Tag]:
        """Make ``names`` the record's tags: new names become tags, tags no longer named are
        taken off (the tags themselves stay)."""
        with self._ctx.transaction() as session:
            return self.set_tags_in(session, target_kind, target_id, names)

    def set_tags_in(self, session: Session, target_kind: str, target_id: uuid.UUID,
                    names: list[str]) -> list[Tag]:
        """:meth:`set_tags` inside the caller's transaction."""
        model = TARGET_MODELS.get(target_kind)
        if model is None or target_kind not in TARGET_KINDS:
            raise ValidationError([("tags", _("Tags can be put on people, organisations, "
                                              "clubs and sessions only."))])
        get_row(session, model, target_id)
        wanted = [self._ensure(session, self._clean(session, name, None, existing_ok=True))
                  for name in dict.fromkeys(names)]
        wanted_ids = {tag.id for tag in wanted}
        for link in session.scalars(select(TagLink).where(TagLink.target_id == target_id)):
            if link.tag_id not in wanted_ids:
                self._writes.tombstone(link)
        for tag in wanted:
            self._writes.put(session, TagLink, tag_link_uuid(tag.id, target_id), {},
                             keep={"tag_id": tag.id, "target_kind": target_kind,
                                   "target_id": target_id})
        return wanted

    # -- internals -----------------------------------------------------------------------

    def _ensure(self, session: Session, name: str) -> Tag:
        """The live tag called ``name``: found, revived or created."""
        key = search_key(name)
        found = session.scalars(select(Tag).where(live(Tag), Tag.search_key == key)
                                .order_by(Tag.created_at)).first()
        if found is not None:
            return found
        natural = session.get(Tag, tag_uuid(name))
        if natural is None:
            return self._writes.add(session, Tag(id=tag_uuid(name), name=name))
        if natural.deleted_at is not None and search_key(natural.name) == key:
            self._writes.revive(natural)
            return natural
        # The natural id went to a tag renamed since: this one gets its own.
        return self._writes.add(session, Tag(id=uuid.uuid4(), name=name))

    def _clean(self, session: Session, name: str, current_id: uuid.UUID | None, *,
               existing_ok: bool = False) -> str:
        text = normalize_text(name)
        if not text:
            raise ValidationError([("tags", _("A tag needs a name."))])
        if len(text) > NAME_LIMIT:
            raise ValidationError([("tags", _(
                "The tag '{name}' is too long ({count} characters; at most {limit}).").format(
                name=text, count=len(text), limit=NAME_LIMIT))])
        if SEPARATORS.search(text):
            raise ValidationError([("tags", _(
                "A tag name cannot contain 「、」 or a comma: they separate tags."))])
        if not existing_ok:
            self._check_unique(session, text, current_id)
        return text

    def _check_unique(self, session: Session, name: str, current_id: uuid.UUID | None) -> None:
        key = search_key(name)
        for other in session.scalars(select(Tag.id).where(live(Tag), Tag.search_key == key)):
            if other != current_id:
                raise ValidationError([("tags", _(
                    "A tag called '{name}' already exists.").format(name=name))])
