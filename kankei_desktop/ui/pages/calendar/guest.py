"""A new person who came to a session as a guest: created and marked present in one step."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.core.vocabulary import AttendanceStatus
from kankei_desktop.ui.widgets.quick_person import QuickPersonDialog


class GuestDialog(QuickPersonDialog):
    """The person is saved together with their attendance (one transaction)."""

    def __init__(self, services: Services, meeting_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, _("New guest"), _(
            "The guest is added to the people list and marked as attended. They do not become "
            "a member of the club."), parent)
        self._meeting_id = meeting_id

    def create_person(self, draft: PersonDraft) -> Person:
        """Create the person with their attendance."""
        return self._services.attendance.add_guest(self._meeting_id, draft,
                                                 AttendanceStatus.ATTENDED.value)
