"""Recurring sessions and iCalendar files."""
