from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from awas.core.models import AuditEntry, Holiday, OutgoingMail
from awas.core.scope import region_q


def audit_entries_visible_to(user: Any) -> QuerySet[AuditEntry]:
    """The entries of ``user``'s area (at or below their scope), and those of no region (the
    system's own). When several offices share a server, one does not read another's log."""
    scope = getattr(user, "scope_region_id", None)
    within = region_q("region_code", scope) if scope else Q(pk__in=[])
    return AuditEntry.objects.filter(within | Q(region_code=""))


def audit_entries(user: Any, *, action: str = "", object_type: str = "") -> QuerySet[AuditEntry]:
    # Reading through ``objects`` seals first; an entry committed a moment later is still unsealed
    # (no number yet) and is the newest: it is listed first, on every database.
    entries = (
        audit_entries_visible_to(user)
        .select_related("actor")
        .order_by(F("seq").desc(nulls_first=True), "-id")
    )
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


# Unsent this long after it was written, a message is not merely between two tries of a slow
# server: the office's connection or mail settings need someone (``services.mail``).
MAIL_LATE_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class MailStuck:
    count: int
    since: dt.datetime  # when the oldest of them was written
    last_error: str  # the mail server's last answer (for the administrator)


# Tried for this long, then left (``awas mail send`` counts it as given up): news three days late
# is stale, and the pelapor reads it on the tracking page anyway.
MAIL_GIVE_UP_AFTER = dt.timedelta(days=3)


def mail_worth_sending(now: dt.datetime) -> QuerySet[OutgoingMail]:
    """The messages still worth sending ``now`` (``services.mail``): not given up, not past the
    day they speak of (``send_until``), not refused."""
    return OutgoingMail.objects.filter(
        Q(send_until__isnull=True) | Q(send_until__gt=now), created_at__gt=now - MAIL_GIVE_UP_AFTER
    )


def mail_undelivered(topics: Iterable[str], now: dt.datetime | None = None) -> QuerySet[OutgoingMail]:
    """The messages of ``topics`` (``OutgoingMail.topic``) that will never go out: the mail server
    refused the address, or they were given up unsent (``mail_worth_sending`` no longer), oldest
    first. Kept as long as the queue keeps them (``services.mail.KEEP_FOR``)."""
    now = now or timezone.now()
    return OutgoingMail.objects.filter(
        Q(send_until__lte=now) | Q(created_at__lte=now - MAIL_GIVE_UP_AFTER),
        topic__in=list(topics),
        sent_at__isnull=True,
    ).order_by("created_at", "pk")


def mail_stuck(now: dt.datetime | None = None) -> MailStuck | None:
    """The e-mails still unsent well after they were written (and not yet given up), or None.
    A count and a time only: who they were for is not shown."""
    now = now or timezone.now()
    waiting = mail_worth_sending(now).filter(sent_at__isnull=True, created_at__lt=now - MAIL_LATE_AFTER)
    found = waiting.aggregate(count=Count("pk"), since=Min("created_at"))
    if not found["count"]:
        return None
    error = waiting.exclude(last_error="").order_by("-pk").values_list("last_error", flat=True).first()
    return MailStuck(count=found["count"], since=found["since"], last_error=error or "")
