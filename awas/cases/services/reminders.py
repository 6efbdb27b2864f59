"""Reminders: the day before a deadline, the people responsible for the case hear about it.

Run daily (``awas cases remind``, e.g. from cron at 07.00 WIB). For every open case whose running
clock is due tomorrow (the decision, the pelapor's completion, the establishing of a temuan, or a
referral's expected answer),
each responsible user gets one in-app ``Reminder`` and, if they have an e-mail address, one
e-mail. Responsible: staf penanganan pelanggaran and pimpinan whose scope covers the case, and
the Panwascam of its kecamatan. Running it again the same day adds nothing and sends nothing
(one reminder per user, case, deadline and due date: a database constraint).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseStatus, Referral, Reminder
from awas.cases.services.notify import mail_send_safely
from awas.cases.services.workflow import DECISION_CLOCK_RUNS, FINDING_CLOCK_RUNS
from awas.core.models import User
from awas.core.roles import Role

RESPONSIBLE_ROLES = (Role.STAF_PP, Role.PIMPINAN, Role.PANWASCAM)

DECISION_MESSAGE = _("Decision deadline of %(case)s is tomorrow, %(due)s.")
COMPLETION_MESSAGE = _("The pelapor's completion deadline of %(case)s is tomorrow, %(due)s.")
FINDING_MESSAGE = _("The temuan %(case)s must be established (registered) by tomorrow, %(due)s.")
FOLLOW_UP_MESSAGE = _("The answer of %(body)s on %(case)s is expected tomorrow, %(due)s.")
EMAIL_SUBJECT = _("Awas reminder: %(message)s")


@dataclass(frozen=True)
class DueItem:
    case: Case
    deadline: str  # "decision_due", "completion_due", "filing_due" (a temuan's finding) or "follow_up:<id>"
    message: str


@dataclass(frozen=True)
class RemindResult:
    due: int = 0  # deadlines due tomorrow
    created: int = 0  # new reminders
    emailed: int = 0


def _ancestors(code: str) -> set[str]:
    """``35.07.10.2001`` → {35, 35.07, 35.07.10, 35.07.10.2001}."""
    parts = code.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def _due_tomorrow(tomorrow: dt.date) -> list[DueItem]:
    with translation.override(settings.LANGUAGE_CODE):
        due = tanggal(tomorrow)
        items = [
            DueItem(case, "decision_due", str(DECISION_MESSAGE % {"case": case, "due": due}))
            for case in Case.objects.filter(DECISION_CLOCK_RUNS, decision_due=tomorrow)
        ]
        items += [
            DueItem(case, "completion_due", str(COMPLETION_MESSAGE % {"case": case, "due": due}))
            for case in Case.objects.filter(status=CaseStatus.INCOMPLETE, completion_due=tomorrow)
        ]
        items += [
            DueItem(case, "filing_due", str(FINDING_MESSAGE % {"case": case, "due": due}))
            for case in Case.objects.filter(FINDING_CLOCK_RUNS, filing_due=tomorrow)
        ]
        for referral in Referral.objects.filter(
            responded_on__isnull=True, follow_up_due=tomorrow
        ).select_related("case", "body"):
            items.append(
                DueItem(
                    referral.case,
                    f"follow_up:{referral.pk}",
                    str(FOLLOW_UP_MESSAGE % {"body": referral.body.name, "case": referral.case, "due": due}),
                )
            )
    return items


def responsible_users(case: Case, users: list[Any]) -> list[Any]:
    """Of ``users``, those responsible for ``case``: scope at or above its region
    (a Panwascam's scope is its kecamatan, so only the Panwascam of the case's kecamatan)."""
    above = _ancestors(case.region_id)
    return [user for user in users if user.scope_region_id in above]


def reminders_create(*, today: dt.date | None = None) -> RemindResult:
    """Create (and e-mail) the reminders for deadlines due tomorrow. Idempotent."""
    tomorrow = (today or today_local()) + dt.timedelta(days=1)
    items = _due_tomorrow(tomorrow)
    if not items:
        return RemindResult()
    users = list(
        User.objects.filter(is_active=True, role__in=RESPONSIBLE_ROLES, scope_region__isnull=False).only(
            "pk", "email", "scope_region_id", "role"
        )
    )
    created = emailed = 0
    for item in items:
        for user in responsible_users(item.case, users):
            with transaction.atomic():
                _reminder, is_new = Reminder.objects.get_or_create(
                    user=user,
                    case=item.case,
                    deadline=item.deadline,
                    due=tomorrow,
                    defaults={"message": item.message[:255]},
                )
            if not is_new:
                continue
            created += 1
            if user.email:
                with translation.override(settings.LANGUAGE_CODE):
                    subject = str(EMAIL_SUBJECT % {"message": item.message})
                if mail_send_safely(subject, item.message, [user.email]):
                    emailed += 1
    return RemindResult(due=len(items), created=created, emailed=emailed)


def reminder_mark_read(*, reminder: Reminder, user: Any) -> None:
    """Only the reminder's own user marks it read (no audit: it changes nothing about a case)."""
    from django.utils import timezone

    if reminder.user_id == user.pk and reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])
