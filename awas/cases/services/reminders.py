"""Reminders: before a deadline, the people responsible for the case hear about it.

Run daily (``awas cases remind``, e.g. from cron at 07.00 WIB). For every open case whose running
clock (the decision, the pelapor's completion, the establishing of a temuan, or a referral's
expected answer) is due by tomorrow, or, under an election type counted in working days, by the
next working day (a Pemilu deadline on Monday is reminded on Friday, not on Sunday), each
responsible user gets one in-app ``Reminder`` and, if they have an e-mail address, one e-mail.
A deadline due today, or passed in the last week while its clock still runs, that has not been
reminded for that date yet (days the job did not run, a holiday edited after it ran, a case
recorded late) is reminded too: once, as overdue. The pelapor's completion time is the exception:
once it has passed with the laporan still incomplete, the office has a step to take (record it as
not registered, DOMAIN.md §2.4 item 4), reminded once as such (``LAPSED``) even when the deadline
itself was reminded the day before. Responsible: staf penanganan pelanggaran and
pimpinan whose scope covers the case, and the Panwascam of its kecamatan. Running it again the
same day adds nothing and sends nothing (one reminder per user, case, deadline and due date: a
database constraint).

The pelapor of a laporan still incomplete is e-mailed too, once, on the day their time to
complete it is reminded to staff (``pelapor_reminders_send``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from awas.cases.formatting import hari_tanggal, tanggal, today_local, zone_label
from awas.cases.models import (
    Case,
    CaseStatus,
    PelaporReminder,
    Referral,
    Reminder,
    RequirementCheck,
    pelapor_mail_topic,
)
from awas.cases.services.intake import office_contact
from awas.cases.services.notify import (
    pelapor_email,
    pelapor_emails_on,
    public_url,
    tracking_link,
)
from awas.cases.services.workflow import (
    DECISION_CLOCK_RUNS,
    FINDING_CLOCK_RUNS,
    REVIEW_CLOCK_RUNS,
    missing_text,
)
from awas.core.models import User
from awas.core.models.deadlines import DayType
from awas.core.roles import Role
from awas.core.services.deadlines import at_risk_until, last_day_at_risk, office_day_end
from awas.core.services.mail import mail_queue, mail_send

RESPONSIBLE_ROLES = (Role.STAF_PP, Role.PIMPINAN, Role.PANWASCAM)
OVERDUE_REMINDED_DAYS = 7

DECISION_MESSAGE = _("Decision deadline of %(case)s: %(due)s.")
COMPLETION_MESSAGE = _("The pelapor's completion deadline of %(case)s: %(due)s.")
# The pelapor's time ran out (DOMAIN.md §2.4 item 4): a step of its own for the office, reminded
# once the day after even when the deadline itself was reminded the day before.
LAPSED_MESSAGE = _(
    "The pelapor's completion deadline of %(case)s passed on %(due)s and the laporan is still "
    "incomplete: record it as not registered."
)
REVIEW_MESSAGE = _("The kajian awal of %(case)s is due %(due)s.")
FINDING_MESSAGE = _("The temuan %(case)s must be established (registered) by %(due)s.")
FOLLOW_UP_MESSAGE = _("The answer of %(body)s on %(case)s is expected by %(due)s.")
DUE_TODAY = _("today, %(date)s")
DUE_TOMORROW = _("tomorrow, %(date)s")
DUE_PASSED = _("%(date)s, already passed")
EMAIL_SUBJECT = _("Awas reminder: %(message)s")
EMAIL_BODY = _("%(message)s\n\nCase: %(title)s")
EMAIL_LINK = _("Open the case: %(link)s")


LAPSED = "completion_lapsed"  # the key of a reminder that the pelapor's completion time ran out


@dataclass(frozen=True)
class DueItem:
    case: Case
    # "decision_due", "completion_due", "review_due", "filing_due" (a temuan's) or "follow_up:<id>"
    deadline: str
    due: dt.date
    message: str


@dataclass(frozen=True)
class RemindResult:
    due: int = 0  # deadlines reminded today
    created: int = 0  # new reminders
    emailed: int = 0
    pelapor_emailed: int = 0  # pelapor reminded of their time to complete the laporan


def _ancestors(code: str) -> set[str]:
    """``35.07.10.2001`` → {35, 35.07, 35.07.10, 35.07.10.2001}."""
    parts = code.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


def _when(due: dt.date, today: dt.date) -> str:
    if due < today:
        return str(DUE_PASSED % {"date": tanggal(due)})
    if due == today:
        return str(DUE_TODAY % {"date": tanggal(due)})
    if due == today + dt.timedelta(days=1):
        return str(DUE_TOMORROW % {"date": tanggal(due)})
    return hari_tanggal(due)


def _due_soon(today: dt.date) -> list[DueItem]:
    """What is due up to the last day reminded for each case's own clock, overdue included (its
    clock still runs: the case is open and the step not done)."""
    until = at_risk_until(today)
    tomorrow = today + dt.timedelta(days=1)
    next_working_day = last_day_at_risk(today, DayType.WORKING)  # an answer counted in hari kerja
    reach = max([tomorrow, next_working_day, *until.values()])  # as far as any clock reaches today
    # Overdue ones as far back as a missed week of runs: older ones are on the deadlines list
    # already, and a first run after an upgrade must not mail staff every old case at once.
    since = today - dt.timedelta(days=OVERDUE_REMINDED_DAYS)

    def reminded(case: Case, due: dt.date) -> bool:
        return due <= until.get(case.election_type, tomorrow)

    items: list[DueItem] = []
    with translation.override(settings.LANGUAGE_CODE):
        clocks = (
            (Case.objects.filter(DECISION_CLOCK_RUNS), "decision_due", DECISION_MESSAGE),
            (Case.objects.filter(status=CaseStatus.INCOMPLETE), "completion_due", COMPLETION_MESSAGE),
            (Case.objects.filter(REVIEW_CLOCK_RUNS), "review_due", REVIEW_MESSAGE),
            (Case.objects.filter(FINDING_CLOCK_RUNS), "filing_due", FINDING_MESSAGE),
        )
        for cases, field, message in clocks:
            for case in cases.filter(**{f"{field}__range": (since, reach)}):
                due: dt.date = getattr(case, field)
                if field == "completion_due" and due < today:
                    text = LAPSED_MESSAGE % {"case": case, "due": tanggal(due)}
                    items.append(DueItem(case, LAPSED, due, str(text)))
                elif reminded(case, due):
                    text = message % {"case": case, "due": _when(due, today)}
                    items.append(DueItem(case, field, due, str(text)))
        referrals = Referral.objects.filter(responded_on__isnull=True, follow_up_due__range=(since, reach))
        for referral in referrals.select_related("case", "body"):
            answer_reminded = referral.follow_up_day_type == DayType.WORKING and (
                referral.follow_up_due <= next_working_day
            )
            if answer_reminded or reminded(referral.case, referral.follow_up_due):
                text = FOLLOW_UP_MESSAGE % {
                    "body": referral.body.name,
                    "case": referral.case,
                    "due": _when(referral.follow_up_due, today),
                }
                items.append(
                    DueItem(referral.case, f"follow_up:{referral.pk}", referral.follow_up_due, str(text))
                )
    return items


def responsible_users(case: Case, users: list[Any]) -> list[Any]:
    """Of ``users``, those responsible for ``case``: scope at or above its region
    (a Panwascam's scope is its kecamatan, so only the Panwascam of the case's kecamatan)."""
    above = _ancestors(case.region_id)
    return [user for user in users if user.scope_region_id in above]


def reminders_create(*, today: dt.date | None = None) -> RemindResult:
    """Create (and e-mail) the reminders of the deadlines due soon (module docstring), and remind
    the pelapor of their time to complete (``pelapor_reminders_send``). Idempotent."""
    today = today or today_local()
    pelapor_emailed = pelapor_reminders_send(today=today)
    items = _due_soon(today)
    if not items:
        return RemindResult(pelapor_emailed=pelapor_emailed)
    users = list(
        User.objects.filter(is_active=True, role__in=RESPONSIBLE_ROLES, scope_region__isnull=False).only(
            "pk", "email", "scope_region_id", "role"
        )
    )
    created = emailed = 0
    day_end = office_day_end(today_local())  # a reminder written for today is not sent later
    for item in items:
        for user in responsible_users(item.case, users):
            mail = None
            with transaction.atomic():
                _reminder, is_new = Reminder.objects.get_or_create(
                    user=user,
                    case=item.case,
                    deadline=item.deadline,
                    due=item.due,
                    defaults={"message": item.message[:255]},
                )
                if is_new and item.deadline == LAPSED:
                    # The lapse takes over the reminder of the deadline itself: one unread line
                    # per step to take, not "due tomorrow" beside "passed, record it".
                    Reminder.objects.filter(
                        user=user,
                        case=item.case,
                        deadline="completion_due",
                        due=item.due,
                        read_at__isnull=True,
                    ).update(read_at=timezone.now())
                if is_new and user.email:
                    # With the reminder, in its transaction: a run that dies after it leaves
                    # the message queued, not the reminder made and the e-mail never sent.
                    subject, body = _email(item)
                    mail = mail_queue(subject, body, [user.email], send_on_commit=False, send_until=day_end)
            if not is_new:
                continue
            created += 1
            if mail is not None and mail_send(mail):
                emailed += 1
    return RemindResult(due=len(items), created=created, emailed=emailed, pelapor_emailed=pelapor_emailed)


COMPLETION_DUE = "completion_due"  # the key of the pelapor's reminder of their time to complete


def pelapor_reminders_send(*, today: dt.date) -> int:
    """E-mail the pelapor of each laporan still incomplete whose time to complete it runs out
    tomorrow (under a clock counted in working days: on the next working day, as staff are
    reminded) or today (the job did not run the day before): what is still missing, by when,
    where to bring it, and the tracking code. Not completed in time, the laporan is not
    registered (DOMAIN.md §2.4 item 4), and many let the time lapse unreminded. Once per case and
    deadline (``PelaporReminder``); a message the mail server did not take is tried again
    (``awas mail send``) until the end of the day it was written for. How many were sent now."""
    if not pelapor_emails_on():
        return 0
    until = at_risk_until(today)
    tomorrow = today + dt.timedelta(days=1)
    reach = max([tomorrow, *until.values()])
    # A run as if on an earlier day (``--date``, catching up missed days) reminds staff of what was
    # due then; the pelapor reads the e-mail now, and is never told "besok" of a day already past.
    since = max(today, today_local())
    reminded = PelaporReminder.objects.filter(deadline=COMPLETION_DUE)
    day_end = office_day_end(today_local())  # a reminder written for today is not sent later
    cases = (
        Case.objects.filter(status=CaseStatus.INCOMPLETE, completion_due__range=(since, reach))
        .exclude(Exists(reminded.filter(case=OuterRef("pk"), due=OuterRef("completion_due"))))
        .select_related("region")
    )
    sent = 0
    for case in cases:
        due = case.completion_due
        assert due is not None  # the range above
        if due > until.get(case.election_type, tomorrow):
            continue  # a Pemilu deadline after the next working day: not yet
        email = pelapor_email(case)
        check = RequirementCheck.objects.filter(case=case).first()
        # Filed after the 7 days: nothing the pelapor brings cures it (workflow.requirements_check).
        if not email or check is None or not check.formal_in_time:
            continue
        with transaction.atomic():
            _reminder, is_new = PelaporReminder.objects.get_or_create(
                case=case, deadline=COMPLETION_DUE, due=due
            )
            if not is_new:  # another run sent it meanwhile
                continue
            # Queued with the record that it was sent: a message the mail server does not take now
            # is tried again (``awas mail send``), but not after the day it speaks from ("besok").
            subject, body = _completion_email(case, check, since)  # the day as the pelapor reads it
            mail = mail_queue(
                subject,
                body,
                [email],
                send_on_commit=False,
                send_until=day_end,
                topic=pelapor_mail_topic(case.pk),  # shown on the case page if it never reaches them
            )
        if mail_send(mail):
            sent += 1
    return sent


def _completion_email(case: Case, check: RequirementCheck, today: dt.date) -> tuple[str, str]:
    """Subject and body, in Indonesian, of the pelapor's reminder. Where to complete: the office,
    as the notice that the laporan is incomplete says (``workflow.INCOMPLETE_NOTE``). The tracking
    page's address only when the office set ``AWAS_PUBLIC_URL`` (a job has no request to take it
    from): else its path and the code, never an address made up."""
    assert case.completion_due is not None
    due = case.completion_due
    missing = missing_text(check)
    when = "hari ini" if due == today else "besok" if due == today + dt.timedelta(days=1) else ""
    day = f"{when}, {hari_tanggal(due)}" if when else hari_tanggal(due)
    contact = office_contact(case)
    office = contact.name + (f", {contact.address}" if contact.address else "")
    office += f" (telepon {contact.phone})" if contact.phone else ""
    link = tracking_link(case)
    follow = "Statusnya dapat diikuti di halaman pelacakan laporan"
    track = (
        f"{follow}: {link}"
        if link
        else (
            f"{follow} (alamatnya berakhiran {reverse('public:track')}) dengan kode pelacakan "
            f"{case.tracking_code}, atau ditanyakan ke kantor."
        )
    )
    short_day = f"{when}, {tanggal(due)}" if when else tanggal(due)
    subject = f"Pengingat: batas kelengkapan laporan {case.tracking_code} {short_day}"
    lines = [
        "Yth. Pelapor,",
        "",
        f"Laporan Anda dengan kode pelacakan {case.tracking_code} belum lengkap. Batas waktu "
        f"melengkapinya: {day} ({zone_label()}).",
        "",
        f"Yang masih perlu dilengkapi: {missing}.",
        "",
        f"Lengkapi dengan datang ke kantor {office}.",
        "Jika tidak dilengkapi sampai batas waktu tersebut, laporan tidak dapat diregistrasi.",
        "",
        track,
        "Simpan kode ini dan jangan berikan kepada orang lain.",
        "",
        contact.name,
    ]
    return subject, "\n".join(lines)


def _email(item: DueItem) -> tuple[str, str]:
    """Subject and body: the reminder, the case's title, and its page when the office's address
    is known (``AWAS_PUBLIC_URL``; staff sign in there)."""
    message = _said_as_of(item.message, item.due, today_local())  # read now, not as of a catch-up's day
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(EMAIL_SUBJECT % {"message": message})
        body = str(EMAIL_BODY % {"message": message, "title": item.case.title})
        link = public_url(reverse("cases:detail", args=[item.case.pk]))
        if link:
            body += "\n" + str(EMAIL_LINK % {"link": link})
    return subject, body


def reminders_describe(reminders: list[Reminder], today: dt.date) -> None:
    """Give each reminder ``text``: its message with the day said as it stands ``today``."""
    for reminder in reminders:
        reminder.text = _said_as_of(reminder.message, reminder.due, today)  # type: ignore[attr-defined]


def _said_as_of(message: str, due: dt.date, today: dt.date) -> str:
    """``message`` with its day said as it stands ``today``.

    A message is written as of the day its run acted for ("... jatuh besok, 1 Desember 2026"):
    read two days later "besok" is wrong, and a deadline reminded as due "hari ini" has passed
    since. Which phrase was used is read from the message, not from when it was stored: a
    catch-up run (``awas cases remind --date``) writes as of a day before its own."""
    with translation.override(settings.LANGUAGE_CODE):
        date = tanggal(due)
        now = _when(due, today)
        for then in (DUE_TODAY, DUE_TOMORROW, DUE_PASSED):
            phrase = str(then % {"date": date})
            if phrase in message:
                return message.replace(phrase, now)
        return message.replace(hari_tanggal(due), now)


def reminder_mark_read(*, reminder: Reminder, user: Any) -> None:
    """Only the reminder's own user marks it read (no audit: it changes nothing about a case)."""
    from django.utils import timezone

    if reminder.user_id == user.pk and reminder.read_at is None:
        reminder.read_at = timezone.now()
        reminder.save(update_fields=["read_at"])


def reminders_mark_all_read(*, user: Any, listed: QuerySet[Reminder]) -> int:
    """Every reminder the list shows ``user`` as unread (``listed``: ``selectors.pending_reminders``)
    marked read at once (back after a few days away, the list holds dozens): how many were marked.
    That is the number the officer saw: not the settled ones (their case moved on, the list says
    so beside them) nor those of a case outside the user's area, which the list does not show."""
    from django.utils import timezone

    own = Reminder.objects.filter(pk__in=listed.values("pk"), user=user, read_at__isnull=True)
    return own.update(read_at=timezone.now())
