"""Errors a user can cause, each carrying a sentence that says what happened and what to do."""

from __future__ import annotations


class KankeiError(Exception):
    """Base of all errors that reach the user as a translated sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseOpenError(KankeiError):
    """The file cannot be opened as this application's database (nothing was changed)."""


class NotADatabaseError(DatabaseOpenError):
    """The path is not an SQLite file, or not one of ours."""


class DamagedDatabaseError(DatabaseOpenError):
    """SQLite reports the file as damaged."""


class NewerDatabaseError(DatabaseOpenError):
    """The file was written by a newer version of the application."""


class ReadOnlyLocationError(DatabaseOpenError):
    """The file or its folder cannot be written."""


class DatabaseInUseError(DatabaseOpenError):
    """Another running copy of the application has the file open; ``holder`` says which
    (a ``core.storage.filelock.Holder``) when its lock file tells."""

    def __init__(self, message: str, holder: object = None) -> None:
        super().__init__(message)
        self.holder = holder


class NotFoundError(KankeiError):
    """A record the user referred to does not exist (or was deleted)."""


class ValidationError(KankeiError):
    """Input that cannot be saved; ``field`` names the offending field (or ``""``).

    ``errors`` holds every problem found, as ``(field, message)`` pairs, so a form can show
    each message next to its field.
    """

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(" ".join(message for _field, message in errors))
        self.errors = errors
        self.field = errors[0][0] if errors else ""

    def for_field(self, field: str) -> str | None:
        """The message for ``field``, if there is one."""
        for name, message in self.errors:
            if name == field:
                return message
        return None
