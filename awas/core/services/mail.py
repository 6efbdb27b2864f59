"""Outgoing e-mail through a queue in the database (``OutgoingMail``).

``mail_queue`` stores the message in the caller's transaction and sends it once that commits. A
message the mail server does not take (the office's connection is down, the server refuses) is
kept, and ``awas mail send`` (cron, every few minutes) tries it again, backing off, for up to
``GIVE_UP_AFTER``. Before, such a message was logged and lost: a pelapor was never told their
laporan's news, and every step taken while the server was unreachable waited its full timeout.

Right after a failure, this process does not try the mail server again for ``PAUSE_AFTER_FAILURE``:
the messages queued meanwhile wait for ``awas mail send``, instead of each request that causes one
waiting ``EMAIL_TIMEOUT`` seconds on a server known to be down.

At least once: a sender that dies after the server took a message and before marking it sent
leaves it to be sent again once its claim runs out (``CLAIM``). Never a message lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from awas.core.models import OutgoingMail
from awas.core.selectors import MAIL_GIVE_UP_AFTER, mail_worth_sending

logger = logging.getLogger(__name__)

# A sender's hold on a message it is sending: longer than any send takes (EMAIL_TIMEOUT, 10 s).
CLAIM = dt.timedelta(minutes=10)
PAUSE_AFTER_FAILURE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(minutes=5)
LONGEST_RETRY = dt.timedelta(hours=1)
GIVE_UP_AFTER = MAIL_GIVE_UP_AFTER  # then left (``selectors.mail_worth_sending``)
# Sent messages are deleted after this long (address and text are personal data, UU 27/2022).
# Those never sent (refused, given up) are deleted this long after they were queued: never kept
# longer than a sent one (sent after it was queued), and long enough for the case page to warn
# the officer that the pelapor was not told (``selectors.mail_undelivered``) while the case is
# handled: a Pilkada decision is due within 3 + 2 days, a Pemilu one within 7 + 7 hari kerja
# (about three weeks; DOMAIN.md §2), within this. A case that waits longer (a referral's answer)
# stops warning of what failed more than KEEP_FOR ago: the message itself is gone by then.
KEEP_FOR = dt.timedelta(days=30)
BATCH = 200  # messages one ``mail_send_waiting`` run takes at most

_last_failure: dt.datetime | None = None  # this process's last failed send
_failure_lock = threading.Lock()


def mail_queue(
    subject: str,
    body: str,
    recipients: list[str],
    *,
    send_on_commit: bool = True,
    send_until: dt.datetime | None = None,
    topic: str = "",
) -> OutgoingMail:
    """Queue a message in the current transaction; sent once it commits (``send_on_commit``),
    else by whoever calls ``mail_send`` or ``awas mail send``; never after ``send_until``.
    ``topic``: what it is about, to find it again if it never goes out (``OutgoingMail.topic``)."""
    now = timezone.now()
    mail = OutgoingMail.objects.create(
        subject=subject,
        body=body,
        recipients=list(recipients),
        created_at=now,
        send_until=send_until,
        topic=topic,
        # Held for the sender after the commit, so that a concurrent ``awas mail send`` leaves it.
        next_try_at=now + CLAIM if send_on_commit else now,
    )
    if send_on_commit:
        transaction.on_commit(lambda: mail_send(mail, claimed=True), robust=True)
    return mail


def mail_take_back(*, topic: str, subject: str, containing: str) -> int:
    """Delete the messages of ``topic`` with ``subject`` whose body holds ``containing`` and that
    have not gone out: what they say was taken back (an invitation withdrawn while its e-mail
    waited for the mail server), and sent after the correction they would undo it. How many. One
    a sender holds this very moment may still go: the correction's own message follows it."""
    deleted, _per_model = OutgoingMail.objects.filter(
        topic=topic, subject=subject, body__contains=containing, sent_at__isnull=True
    ).delete()
    return deleted


def _server_failing() -> bool:
    with _failure_lock:
        return _last_failure is not None and timezone.now() - _last_failure < PAUSE_AFTER_FAILURE


def _note_failure(at: dt.datetime | None) -> None:
    global _last_failure  # one process-wide memory, under its lock
    with _failure_lock:
        _last_failure = at


def mail_server_failure_forgotten() -> None:
    """Try the mail server again at the next message (``awas mail send`` does, as it starts)."""
    _note_failure(None)


def _backoff(attempts: int) -> dt.timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _claim(mail: OutgoingMail) -> bool:
    """Take ``mail`` to send it (a conditional update: of senders racing for it, one wins); False
    when another sender holds it or sent it, or it is no longer worth sending."""
    now = timezone.now()
    hold = now + CLAIM
    held = (
        mail_worth_sending(now)
        .filter(pk=mail.pk, sent_at__isnull=True, next_try_at__lte=now)
        .update(next_try_at=hold)
    )
    if held:
        mail.next_try_at = hold
    return bool(held)


def mail_send(mail: OutgoingMail, *, claimed: bool = False) -> bool:
    """Try to send ``mail`` now; whether the mail server took it. ``claimed``: the caller holds
    it (just queued), else it is claimed first, and left if another sender holds it or it was
    sent. A failure is recorded on the message, which waits for its next try."""
    now = timezone.now()
    if claimed and now >= mail.next_try_at - CLAIM / 2:
        # The step's transaction outlasted most of the hold set when it was queued: once the hold
        # runs out, ``awas mail send`` may take and send it meanwhile. Claimed like any other.
        claimed = False
    if _server_failing():  # it waits for ``awas mail send``: see the module's docstring
        if claimed:
            OutgoingMail.objects.filter(pk=mail.pk).update(next_try_at=now)  # due at its next run
        return False
    if not claimed and not _claim(mail):
        return False
    try:
        send_mail(mail.subject, mail.body, None, list(mail.recipients), fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        # The server works and refuses this address (a pelapor's typo, a mailbox closed): no later
        # try will do better, and the server is not down for the other messages.
        logger.error("e-mail %d: every recipient refused; not tried again", mail.pk)
        OutgoingMail.objects.filter(pk=mail.pk).update(
            attempts=mail.attempts + 1,
            last_error=f"{type(error).__name__}: {error}"[:255],
            send_until=timezone.now(),
        )
        return False
    except Exception as error:  # any other backend error: server down, bad configuration
        failed = timezone.now()
        _note_failure(failed)
        # Named by its number and the error's kind only: its subject carries the pelapor's tracking
        # code, a refused address is in the error's text, and the server's log is kept for good,
        # where the queue deletes its row (UU 27/2022). The error's text is on the row.
        logger.error(
            "e-mail %d to %d recipient(s) failed (%s): waiting for 'awas mail send'",
            mail.pk,
            len(mail.recipients),
            type(error).__name__,
        )
        attempts = mail.attempts + 1
        OutgoingMail.objects.filter(pk=mail.pk).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:255],
            next_try_at=failed + _backoff(attempts),
        )
        return False
    _note_failure(None)
    OutgoingMail.objects.filter(pk=mail.pk).update(attempts=mail.attempts + 1, sent_at=timezone.now())
    return True


@dataclass(frozen=True)
class MailRun:
    sent: int = 0
    failed: int = 0  # the server did not answer or take them: tried again later
    refused: int = 0  # the server refused the address: not tried again
    waiting: int = 0  # still to be sent after this run
    given_up: int = 0  # never sent: tried for GIVE_UP_AFTER, or past its ``send_until``
    deleted: int = 0


def mail_waiting() -> Iterable[OutgoingMail]:
    """The messages due for a try, oldest first (at most BATCH)."""
    now = timezone.now()
    return mail_worth_sending(now).filter(sent_at__isnull=True, next_try_at__lte=now).order_by("pk")[:BATCH]


def mail_send_waiting() -> MailRun:
    """Send what is due (the server is tried even right after a failure: this is the retry), then
    delete what was sent or given up more than KEEP_FOR ago."""
    mail_server_failure_forgotten()
    sent = failed = refused = 0
    for mail in mail_waiting():
        if not _claim(mail):
            continue  # taken by another sender since it was read: not a failure of the server
        if mail_send(mail, claimed=True):
            sent += 1
        elif not _server_failing():
            refused += 1  # this address only
        else:
            failed += 1
            break  # the server is down: the others would wait their timeout too
    now = timezone.now()
    unsent = OutgoingMail.objects.filter(sent_at__isnull=True)
    old = now - KEEP_FOR
    deleted, _ = OutgoingMail.objects.filter(sent_at__lt=old).delete()
    gone, _ = unsent.filter(created_at__lt=old).delete()  # refused or given up: see KEEP_FOR
    waiting = mail_worth_sending(now).filter(sent_at__isnull=True).count()
    return MailRun(
        sent=sent,
        failed=failed,
        refused=refused,
        waiting=waiting,
        given_up=unsent.count() - waiting,
        deleted=deleted + gone,
    )
