"""Dates as the guidance writes them, everywhere: pages, reports, messages, feeds."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date | str) -> str:
    """A date as every page and report writes it: "1 March 2026" (an ISO string "2026-03-01" is read first).
    Raises ValueError for a string that is not an ISO date."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return f"{day.day} {day:%B %Y}"
