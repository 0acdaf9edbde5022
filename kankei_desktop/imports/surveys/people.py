"""Which person answered: the e-mail or name column matched like the attendance import matches
people (:mod:`kankei_desktop.imports.plan`): the e-mail address first (case and width
ignored), else the name (spaces, width and kana ignored) when it names one person — among
namesakes, the one on the session's attendance list. Someone filed with another e-mail
address is another person. No match leaves the response anonymous; nobody is created."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from kankei_desktop.core.japan.text import search_key, split_full_name
from kankei_desktop.core.models import Attendance, Person
from kankei_desktop.core.services.context import live
from kankei_desktop.imports.plan import email_key


class PersonMatcher:
    """The people of the file, loaded once."""

    def __init__(self, session: Session, meeting_id: uuid.UUID) -> None:
        self._by_email: dict[str, uuid.UUID] = {}
        self._by_name: dict[str, list[tuple[uuid.UUID, str]]] = {}
        for person_id, family, given, email in session.execute(
                select(Person.id, Person.family_name, Person.given_name, Person.email)
                .where(live(Person)).order_by(Person.created_at, Person.id)):
            mail = email_key(email)
            if mail:
                self._by_email.setdefault(mail, person_id)
            self._by_name.setdefault(search_key(family + given), []).append((person_id, mail))
        self._attending = set(session.scalars(select(Attendance.person_id).where(
            Attendance.meeting_id == meeting_id, live(Attendance))))

    def match(self, email: str, name: str) -> uuid.UUID | None:
        """The person with this e-mail address or name, or None."""
        mail = email_key(email)
        if mail and mail in self._by_email:
            return self._by_email[mail]
        if not name:
            return None
        family, given = split_full_name(name)
        candidates = [person_id for person_id, known in
                      self._by_name.get(search_key(family + given), [])
                      if not mail or not known]
        if len(candidates) > 1:
            candidates = [person_id for person_id in candidates if person_id in self._attending]
        return candidates[0] if len(candidates) == 1 else None
