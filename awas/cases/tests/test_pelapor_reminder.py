"""The day before their time to complete a laporan runs out (DOMAIN.md §2.4 item 4), the pelapor
is e-mailed what is still missing, by when, where to bring it and their tracking code, once; the
tracking page says the deadline too."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import hari_tanggal, tanggal, today_local
from awas.cases.models import Case, CaseStatus
from awas.cases.services import workflow
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.models import OutgoingMail
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Role
from awas.core.services.deadlines import add_days, holiday_dates

MISSING_SIGNATURE_AND_WITNESS = {**ALL_MET, "formal_signature": False, "material_witness": False}
PELAPOR = "pelapor@example.id"


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def incomplete_laporan(staf, *, told_on: dt.date, **kwargs) -> Case:
    case = record_laporan(staf, PUTAT_KIDUL, **kwargs)
    workflow.requirements_check(case=case, checks=MISSING_SIGNATURE_AND_WITNESS, actor=staf, today=told_on)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    return case


def to_pelapor(mailoutbox) -> list:
    return [mail for mail in mailoutbox if mail.to == [PELAPOR]]


def test_the_pelapor_is_reminded_once_the_day_before_with_what_is_missing_and_where(
    staf, client, mailoutbox, settings
):
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji 158, Kepanjen"
    settings.AWAS_OFFICE_PHONE = "0341-000000"
    today = today_local()
    case = incomplete_laporan(staf, told_on=today - dt.timedelta(days=2))  # Pilkada: 3 calendar days
    assert case.completion_due == today + dt.timedelta(days=1)
    mailoutbox.clear()  # the notice that it is incomplete

    call_command("cases", "remind")
    call_command("cases", "remind")  # run twice a day: still one message

    [mail] = to_pelapor(mailoutbox)
    assert case.tracking_code in mail.subject and "besok" in mail.subject
    assert f"besok, {hari_tanggal(case.completion_due)} (WIB)" in mail.body
    assert "tanda tangan sesuai KTP-el" in mail.body and "saksi" in mail.body  # what is still missing
    assert "kantor Bawaslu Kabupaten Malang, Jl. Panji 158, Kepanjen (telepon 0341-000000)" in mail.body
    assert "tidak dapat diregistrasi" in mail.body
    # No AWAS_PUBLIC_URL: no address made up, but the page's path and the code to type in.
    assert "http" not in mail.body
    assert f"/lapor/lacak/) dengan kode pelacakan {case.tracking_code}" in mail.body

    # The tracking page says it too, with no name in it.
    page = client.get(reverse("public:track_detail", args=[case.tracking_code])).content.decode()
    shown = re.search(r'<dt>([^<]*)</dt><dd data-testid="completion-due"><strong>([^<]*)</strong>', page)
    assert shown and shown.groups() == ("Batas kelengkapan", f"besok, {tanggal(case.completion_due)}")
    assert "Siti Aminah" not in page

    # The next day, the deadline day itself: not again.
    reminders_create(today=today + dt.timedelta(days=1))
    assert len(to_pelapor(mailoutbox)) == 1


def test_the_link_to_the_tracking_page_when_the_office_set_its_address(staf, mailoutbox, settings):
    settings.AWAS_PUBLIC_URL = "https://lapor.bawaslu-malang.example/"
    today = today_local()
    case = incomplete_laporan(staf, told_on=today - dt.timedelta(days=2))
    mailoutbox.clear()
    reminders_create()
    [mail] = to_pelapor(mailoutbox)
    assert f"https://lapor.bawaslu-malang.example/lapor/lacak/{case.tracking_code}/" in mail.body


def test_no_reminder_too_early_without_an_address_once_complete_or_lapsed(staf, mailoutbox):
    today = today_local()
    early = incomplete_laporan(staf, told_on=today - dt.timedelta(days=1))  # due in 2 days
    incomplete_laporan(staf, told_on=today - dt.timedelta(days=2), email="")  # no e-mail address
    lapsed = incomplete_laporan(staf, told_on=today - dt.timedelta(days=4))  # due yesterday
    completed = incomplete_laporan(staf, told_on=today - dt.timedelta(days=2))
    workflow.requirements_check(case=completed, checks=ALL_MET, actor=staf)
    mailoutbox.clear()

    reminders_create()
    assert to_pelapor(mailoutbox) == []
    reminders_create(today=today + dt.timedelta(days=1))  # the early one's day before
    [mail] = to_pelapor(mailoutbox)
    assert early.tracking_code in mail.body and lapsed.tracking_code not in mail.body


def test_a_run_as_if_on_an_earlier_day_never_mails_the_pelapor_a_time_already_past(staf, mailoutbox):
    """'awas cases remind --date' for a day the job missed: the staff's reminders of that day, but
    no e-mail telling the pelapor they have until "besok", a day that has passed."""
    today = today_local()
    lapsed = incomplete_laporan(staf, told_on=today - dt.timedelta(days=4))  # due yesterday
    assert lapsed.completion_due == today - dt.timedelta(days=1)
    mailoutbox.clear()

    reminders_create(today=today - dt.timedelta(days=2))  # its day before, caught up today
    assert to_pelapor(mailoutbox) == []


def _quiet_wednesday() -> dt.date:
    """A Wednesday from next week on with no holiday in the week after it."""
    holidays = holiday_dates()
    day = today_local() + dt.timedelta(days=7)
    day += dt.timedelta(days=(2 - day.weekday()) % 7)
    while any(day + dt.timedelta(days=i) in holidays for i in range(8)):
        day += dt.timedelta(days=7)
    return day


def test_a_pemilu_deadline_on_monday_is_reminded_on_friday(staf, mailoutbox):
    """Pemilu counts the time to complete in hari kerja (Perbawaslu 7/2022): told on Wednesday,
    the pelapor has until Monday, and is reminded on the last working day before, as staff are."""
    wednesday = _quiet_wednesday()
    case = incomplete_laporan(staf, told_on=wednesday, election_type=ElectionType.PEMILU)
    monday = wednesday + dt.timedelta(days=5)
    assert case.completion_due == monday == add_days(wednesday, 3, DayType.WORKING, holiday_dates())
    mailoutbox.clear()

    reminders_create(today=wednesday + dt.timedelta(days=1))  # Thursday: not yet
    assert to_pelapor(mailoutbox) == []
    reminders_create(today=wednesday + dt.timedelta(days=2))  # Friday
    [mail] = to_pelapor(mailoutbox)
    assert f"melengkapinya: {hari_tanggal(monday)} (WIB)" in mail.body and "besok" not in mail.body
    reminders_create(today=wednesday + dt.timedelta(days=3))  # Saturday
    reminders_create(today=wednesday + dt.timedelta(days=4))  # Sunday: Monday is tomorrow
    assert len(to_pelapor(mailoutbox)) == 1


def test_a_reminder_the_mail_server_did_not_take_is_sent_later_but_not_after_its_day(
    staf, mailoutbox, settings
):
    today = today_local()
    case = incomplete_laporan(staf, told_on=today - dt.timedelta(days=2))  # due tomorrow
    mailoutbox.clear()

    # The mail server is down (nothing listens on its port): the reminder is recorded, its message
    # kept in the queue, and the next run does not write it again.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    assert reminders_create().pelapor_emailed == 0
    assert reminders_create().pelapor_emailed == 0
    [waiting] = OutgoingMail.objects.filter(subject__startswith="Pengingat")
    assert waiting.sent_at is None and waiting.attempts == 1 and "Connection" in waiting.last_error

    # Back up: 'awas mail send' (cron) sends it, once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingMail.objects.filter(pk=waiting.pk).update(next_try_at=timezone.now())  # its backoff over
    call_command("mail", "send")
    call_command("mail", "send")
    [mail] = to_pelapor(mailoutbox)
    assert case.tracking_code in mail.subject and "besok" in mail.subject

    # A reminder still waiting when its day is over is not sent: "besok" would then be wrong.
    other = incomplete_laporan(staf, told_on=today - dt.timedelta(days=2))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    reminders_create()
    stale = OutgoingMail.objects.get(subject__startswith="Pengingat", sent_at__isnull=True)
    assert other.tracking_code in stale.subject
    OutgoingMail.objects.filter(pk=stale.pk).update(
        next_try_at=timezone.now(), send_until=timezone.now() - dt.timedelta(minutes=1)
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("mail", "send", stdout=out)
    assert "1 never sent" in out.getvalue()
    assert len(to_pelapor(mailoutbox)) == 1
