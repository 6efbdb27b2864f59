from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet

from awas.core.models import AuditEntry, Holiday


def audit_entries(*, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    # Reading through ``objects`` seals first; an entry committed a moment later is still unsealed
    # (no number yet) and is the newest: it is listed first, on every database.
    entries = AuditEntry.objects.select_related("actor").order_by(F("seq").desc(nulls_first=True), "-id")
    if action:
        entries = entries.filter(action__startswith=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    return entries


# From October the next year's SKB (libur nasional and cuti bersama) is usually out and should be
# entered: working-day deadlines of late December already count into January.
HOLIDAY_CALENDAR_AHEAD_FROM_MONTH = 10


def holiday_years_missing(today: dt.date) -> list[int]:
    """The years whose holidays should be in the calendar by now and have none: working-day
    (Pemilu) clocks in them would count holidays as working days."""
    wanted = [today.year] + ([today.year + 1] if today.month >= HOLIDAY_CALENDAR_AHEAD_FROM_MONTH else [])
    entered = set(Holiday.objects.filter(date__year__in=wanted).values_list("date__year", flat=True))
    return [year for year in wanted if year not in entered]
