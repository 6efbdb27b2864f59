"""Outgoing e-mail waits in the database until the mail server takes it (``services.mail``): a
message written while the office's connection is down reaches its reader later, never twice, and
a step rolled back tells nobody."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from awas.core.models import OutgoingMail
from awas.core.services.mail import CLAIM, KEEP_FOR, mail_queue
from awas.core.tests.smtp_servers import refusing_smtp, smtp_back, smtp_down


@pytest.fixture
def server_down(settings):
    """The SMTP backend pointed at a port nothing listens on: every send is refused at once."""
    return smtp_down(settings)


def server_back(settings) -> None:
    smtp_back(settings)


def send_waiting() -> str:
    out = io.StringIO()
    call_command("mail", "send", stdout=out)
    return out.getvalue()


def test_a_message_is_sent_once_its_step_commits_and_not_if_it_rolls_back(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue("Status laporan AWS-1", "Diterima.", ["pelapor@example.id"])
    [sent] = mailoutbox
    assert sent.subject == "Status laporan AWS-1" and sent.to == ["pelapor@example.id"]
    assert OutgoingMail.objects.get().sent_at is not None

    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        mail_queue("Status laporan AWS-2", "Diregistrasi.", ["pelapor@example.id"])
        raise RuntimeError("the step failed")
    assert len(mailoutbox) == 1
    assert OutgoingMail.objects.count() == 1


def test_a_message_the_server_refused_waits_and_is_sent_once_it_is_back(
    db, mailoutbox, server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_queue("Status laporan AWS-1", "Diterima.", ["pelapor@example.id"])
    first.refresh_from_db()
    assert first.sent_at is None and first.attempts == 1
    assert "ConnectionRefusedError" in first.last_error
    # Right after a failure the next message does not wait on the server: it is left for the
    # queue's next run, due at once.
    with django_capture_on_commit_callbacks(execute=True):
        second = mail_queue("Status laporan AWS-2", "Diterima.", ["lain@example.id"])
    second.refresh_from_db()
    assert second.attempts == 0 and second.next_try_at <= timezone.now()

    # Still down: 'awas mail send' fails loudly (cron mails its owner) and keeps both.
    with pytest.raises(CommandError, match="did not take every message"):
        call_command("mail", "send")
    assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 2

    server_back(server_down)
    OutgoingMail.objects.update(next_try_at=timezone.now())  # their backoff over
    out = send_waiting()
    assert "2 e-mail(s) sent, 0 failed," in out and "; 0 waiting;" in out
    assert sorted(m.to[0] for m in mailoutbox) == ["lain@example.id", "pelapor@example.id"]
    assert "0 e-mail(s) sent" in send_waiting()  # never twice
    assert len(mailoutbox) == 2


def test_a_message_another_sender_holds_is_left_to_it(db, mailoutbox):
    held = mail_queue("Pengingat", "Batas besok.", ["staf@example.id"], send_on_commit=False)
    OutgoingMail.objects.filter(pk=held.pk).update(next_try_at=timezone.now() + dt.timedelta(minutes=5))
    assert "0 e-mail(s) sent" in send_waiting()
    assert mailoutbox == []
    # Its sender died: once the hold runs out, the queue sends it.
    OutgoingMail.objects.filter(pk=held.pk).update(next_try_at=timezone.now())
    assert "1 e-mail(s) sent" in send_waiting()
    assert [m.subject for m in mailoutbox] == ["Pengingat"]


def test_what_is_never_sent_is_counted_and_old_messages_are_deleted(db, mailoutbox):
    now = timezone.now()
    past_its_day = mail_queue(
        "Pengingat",
        "Batas besok.",
        ["p@example.id"],
        send_on_commit=False,
        send_until=now - dt.timedelta(hours=1),
    )
    given_up = mail_queue("Status", "Diterima.", ["q@example.id"], send_on_commit=False)
    OutgoingMail.objects.filter(pk=given_up.pk).update(created_at=now - dt.timedelta(days=4))
    old_sent = mail_queue("Status", "Selesai.", ["r@example.id"], send_on_commit=False)
    OutgoingMail.objects.filter(pk=old_sent.pk).update(sent_at=now - KEEP_FOR - dt.timedelta(days=1))

    out = send_waiting()

    assert "0 e-mail(s) sent, 0 failed," in out and "; 0 waiting; 2 never sent" in out
    assert "1 old ones deleted" in out
    assert mailoutbox == []
    assert set(OutgoingMail.objects.values_list("pk", flat=True)) == {past_its_day.pk, given_up.pk}


def test_a_message_whose_step_outlasted_its_hold_is_sent_once(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    # A step whose transaction lasts longer than the hold its message was queued with: by the time
    # it commits, 'awas mail send' (cron) may have taken the message and sent it. The step's own
    # send after the commit must then leave it.
    with (
        time_machine.travel(timezone.now(), tick=True) as clock,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        mail_queue("Status laporan AWS-1", "Diregistrasi.", ["pelapor@example.id"])
        clock.shift(CLAIM + dt.timedelta(minutes=1))
        assert "1 e-mail(s) sent" in send_waiting()
    assert [m.subject for m in mailoutbox] == ["Status laporan AWS-1"]


def test_a_failed_message_is_logged_without_its_subject_or_address(
    db, mailoutbox, server_down, caplog, django_capture_on_commit_callbacks
):
    # The server's log is kept for good; the tracking code in the subject is the pelapor's key to
    # their laporan's page, and the address is theirs (UU 27/2022).
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue("Status laporan AWS-7Q2K9: Diregistrasi", "Diregistrasi.", ["pelapor@example.id"])
    assert "failed (ConnectionRefusedError)" in caplog.text
    assert "AWS-7Q2K9" not in caplog.text and "pelapor@example.id" not in caplog.text


class MailServerWhileAnotherSenderRuns(locmem.EmailBackend):
    """The mail server, taking each message while another sender ('awas mail send' started twice,
    or the reminders' run) takes the messages still waiting."""

    def send_messages(self, messages: Any) -> int:
        now = timezone.now()
        OutgoingMail.objects.filter(sent_at__isnull=True, next_try_at__lte=now).update(
            next_try_at=now + CLAIM
        )
        return super().send_messages(messages)


def test_a_message_another_sender_took_meanwhile_is_not_a_failure(db, mailoutbox, settings):
    mail_queue("Pengingat 1", "Batas besok.", ["a@example.id"], send_on_commit=False)
    mail_queue("Pengingat 2", "Batas besok.", ["b@example.id"], send_on_commit=False)
    settings.EMAIL_BACKEND = f"{__name__}.MailServerWhileAnotherSenderRuns"
    # Cron is not told the mail server failed (it did not): the other sender sends the second.
    out = send_waiting()
    assert "1 e-mail(s) sent, 0 failed," in out and "; 1 waiting;" in out
    assert [m.subject for m in mailoutbox] == ["Pengingat 1"]


@pytest.fixture
def refusing_server(settings):
    with refusing_smtp(settings):
        yield settings


def test_an_address_the_server_refuses_is_not_tried_again_and_does_not_hold_up_the_others(
    db, mailoutbox, refusing_server, django_capture_on_commit_callbacks
):
    # A pelapor typed their address wrong: the server answers, and refuses that mailbox. That
    # message is left (no later try does better); the server is not taken for down, so the next
    # message is still sent at once, and cron hears of no failure.
    with django_capture_on_commit_callbacks(execute=True):
        refused = mail_queue("Status laporan AWS-1", "Diterima.", ["salah@example.id"])
    refused.refresh_from_db()
    assert refused.sent_at is None and "SMTPRecipientsRefused" in refused.last_error
    server_back(refusing_server)
    with django_capture_on_commit_callbacks(execute=True):
        mail_queue("Status laporan AWS-2", "Diterima.", ["benar@example.id"])
    assert [m.to for m in mailoutbox] == [["benar@example.id"]]

    OutgoingMail.objects.filter(pk=refused.pk).update(next_try_at=timezone.now())
    out = send_waiting()  # no CommandError: the server is up
    assert "0 e-mail(s) sent, 0 failed" in out and "1 never sent" in out
    assert len(mailoutbox) == 1


def test_the_daily_reminder_run_sends_what_waits_too(db, mailoutbox):
    # An office upgraded without adding 'awas mail send' to cron still has its waiting messages
    # retried (and old ones deleted) by the daily 'awas cases remind'.
    mail_queue("Status laporan AWS-1", "Diterima.", ["pelapor@example.id"], send_on_commit=False)
    out = io.StringIO()
    call_command("cases", "remind", stdout=out)
    assert "E-mail waiting from before: 1 sent" in out.getvalue()
    assert [m.to for m in mailoutbox] == [["pelapor@example.id"]]
