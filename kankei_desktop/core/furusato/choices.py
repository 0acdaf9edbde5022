"""The ふるさと住民登録 settings' names and choices, without the database (the command line's
help is built from them without loading SQLAlchemy)."""

from __future__ import annotations

from kankei_desktop.core.i18n import N_

#: The period counted: the 年度 (April–March) or the calendar year (January–December).
PERIOD_FISCAL_YEAR = "fiscal_year"
PERIOD_CALENDAR_YEAR = "calendar_year"
PERIODS: dict[str, str] = {
    PERIOD_FISCAL_YEAR: N_("Fiscal year (April to March)"),
    PERIOD_CALENDAR_YEAR: N_("Calendar year (January to December)"),
}
#: The same periods inside a sentence (「年度ごとに」).
PERIOD_NOUNS: dict[str, str] = {
    PERIOD_FISCAL_YEAR: N_("fiscal year"),
    PERIOD_CALENDAR_YEAR: N_("calendar year"),
}

#: The settings' captions (page, CLI, dialog).
SETTING_CAPTIONS: tuple[tuple[str, str], ...] = (
    ("minimum_activities", N_("Designated activities needed for premium")),
    ("maximum_premium", N_("Premium registrations allowed per person")),
    ("period", N_("Period counted")),
    ("renewal_months", N_("Renewal due after (months)")),
    ("notice_days", N_("Renewal notice (days)")),
)
