"""The names of the documents and their variants, without the libraries that draw them.

The command line lists them in its help (``kankei --help`` must not load reportlab);
:mod:`.documents`, :mod:`.attendance` and :mod:`.settings` re-export them.
"""

from __future__ import annotations

from enum import StrEnum


class ReportKind(StrEnum):
    """The documents."""

    ANNUAL = "annual"
    CLUB = "club"
    ATTENDANCE = "attendance"
    MONTH = "month"
    SURVEY_FORM = "survey-form"  # surveys (issue 19): the blank questionnaire of a session


class SheetKind(StrEnum):
    """The two kinds of 出席簿."""

    SIGN_IN = "sign-in"
    RECORD = "record"


#: Dates in the body of a report: Japanese era or Western.
DATE_WAREKI = "wareki"
DATE_WESTERN = "western"
