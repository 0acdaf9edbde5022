"""A new person who came to a session as a guest: added to the people list, then put on the
session's attendance list as attended (saved with the session)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.widgets.quick_person import QuickPersonDialog


class GuestDialog(QuickPersonDialog):
    """The person is saved by this dialog's own button; their attendance goes on the list."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, _("New guest"), _(
            "The guest is added to the people list now and put on this session's list as "
            "attended; the attendance is saved with the session. They do not become a member "
            "of the club."), parent)

    def create_person(self, draft: PersonDraft) -> Person:
        """Create the person (one undoable action)."""
        name = " ".join(part for part in (draft.family_name.strip(),
                                          draft.given_name.strip()) if part)
        with self._services.context.action(_("Add {name}").format(name=name)):
            return self._services.people.create(draft)
