"""Create a person without leaving the club: a short form, then the person joins the club."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kankei_desktop.core.i18n import _
from kankei_desktop.core.models import Person
from kankei_desktop.core.services import Services
from kankei_desktop.core.services.people import PersonDraft
from kankei_desktop.ui.widgets.quick_person import QuickPersonDialog


class NewPersonDialog(QuickPersonDialog):
    """The person is created here; the members panel then adds them to the club."""

    def __init__(self, services: Services, club_name: str, parent: QWidget | None = None) -> None:
        super().__init__(services, _("New person"), _(
            "The new person is added to the people list now and joins '{club}' when the club "
            "is saved. More details can be added later on the People page.").format(
                club=club_name or _("the new club")), parent)

    def create_person(self, draft: PersonDraft) -> Person:
        """Create the person (one undoable action)."""
        name = " ".join(part for part in (draft.family_name.strip(),
                                          draft.given_name.strip()) if part)
        with self._services.context.action(_("Add {name}").format(name=name)):
            return self._services.people.create(draft)
