"""A laporan the pelapor did not complete in time (DOMAIN.md §2.4 item 4), as the officer meets it:
the case page, the deadlines at risk and the reminders all say that the time ran out and that the
next step is "tidak diregistrasi", with a reason ready to send; and the requirements check says
what it did (registered with its number, or until when the pelapor may complete)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseStatus, Reminder
from awas.cases.services import reminders, workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    record_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role

MISSING_SIGNATURE = {**ALL_MET, "formal_signature": False}


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def incomplete_laporan(staf, *, told_days_ago: int) -> Case:
    """A laporan found short of its signature ``told_days_ago`` days ago (Pilkada: 3 calendar days
    to complete it, so it lapsed once ``told_days_ago`` is 4 or more)."""
    told = today_local() - dt.timedelta(days=told_days_ago)
    case = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=told_days_ago))
    workflow.requirements_check(case=case, checks=MISSING_SIGNATURE, actor=staf, today=told)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    assert case.completion_due == told + dt.timedelta(days=3)
    return case


def not_registered_step(page: str) -> str:
    found = re.search(r'<details class="step" id="not-registered"[^>]*>.*?</details>', page, re.S)
    assert found, "no not-registered step"
    return found.group(0)


def supplement_step(page: str) -> str:
    found = re.search(r'<details class="step"[^>]*><summary>Tambah bukti atau saksi.*?</details>', page, re.S)
    assert found, "no supplement step"
    return found.group(0)


def test_the_case_page_says_the_time_ran_out_and_offers_not_registered_with_its_reason(staf):
    case = incomplete_laporan(staf, told_days_ago=5)
    assert workflow.completion_lapsed(case)

    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()

    notice = re.search(r'data-testid="completion-lapsed">(.*?)</p>', page, re.S)
    assert notice, "the page does not say the completion time ran out"
    assert tanggal(case.completion_due) in notice.group(1) and 'href="#not-registered"' in notice.group(1)
    step = not_registered_step(page)
    assert re.match(r'<details class="step" id="not-registered" open>', step)  # opened, not folded away
    reason = re.search(r'<textarea name="reason"[^>]*>\s*(.*?)</textarea>', step, re.S)
    assert reason and tanggal(case.completion_due) in reason.group(1)
    assert "tanda tangan sesuai KTP-el" in reason.group(1)  # what was missing, in the pelapor's words
    assert " open>" not in supplement_step(page).split("<summary>")[0]  # no longer the step in front
    assert "berakhir pada" in supplement_step(page)  # says the time ended, not "complete it by"
    assert 'data-testid="lapsed-next"' in page  # the deadline row points to the step too

    # The reason as offered is accepted: no plenary decision is needed for a lapsed laporan.
    response = verified_client(staf).post(
        reverse("cases:not_registered", args=[case.pk]), {"reason": reason.group(1).strip()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED
    note = case.history.get(to_status=CaseStatus.NOT_REGISTERED).public_note
    assert tanggal(case.completion_due) in note


def test_on_the_last_day_the_pelapor_may_still_complete_it(staf):
    case = incomplete_laporan(staf, told_days_ago=3)
    assert case.completion_due == today_local()
    assert not workflow.completion_lapsed(case)
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="completion-lapsed"' not in page and 'data-testid="lapsed-next"' not in page
    assert re.match(r'<details class="step"[^>]* open>', supplement_step(page))
    assert not re.match(r'<details class="step" id="not-registered" open>', not_registered_step(page))
    assert "Laporan tidak dilengkapi" not in not_registered_step(page)  # no reason offered yet


def test_the_deadlines_at_risk_name_the_next_step_to_those_who_take_it(staf, make_user):
    case = incomplete_laporan(staf, told_days_ago=5)
    page = verified_client(staf).get(reverse("cases:at_risk")).content.decode()
    assert f'href="/perkara/{case.pk}/#not-registered" data-testid="lapsed-next"' in page

    # A PKD sees the list but records nothing: no step offered to them.
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    page = verified_client(pkd).get(reverse("cases:at_risk")).content.decode()
    assert f"/perkara/{case.pk}/" in page and 'data-testid="lapsed-next"' not in page


def test_a_lapsed_completion_is_reminded_once_even_after_its_day_was(staf, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    case = incomplete_laporan(staf, told_days_ago=3)  # due today
    today = today_local()
    reminders.reminders_create(today=today)
    assert set(Reminder.objects.filter(case=case).values_list("deadline", flat=True)) == {"completion_due"}

    tomorrow = today + dt.timedelta(days=1)  # it lapsed at midnight
    reminders.reminders_create(today=tomorrow)
    reminders.reminders_create(today=tomorrow)  # run twice: nothing more
    lapsed = Reminder.objects.filter(case=case, deadline=reminders.LAPSED)
    assert {r.user_id for r in lapsed} == {staf.pk, panwascam.pk}
    message = lapsed.get(user=staf).message
    assert str(case) in message and tanggal(case.completion_due) in message
    assert "tidak diregistrasi" in message

    # On the list it is pending, with the step beside it, until the laporan is recorded.
    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    row = re.search(rf"<tr class=\"unread\">(?:(?!</tr>).)*{re.escape(message)}.*?</tr>", page, re.S)
    assert row and f"/perkara/{case.pk}/#not-registered" in row.group(0)
    case.completion_due = today - dt.timedelta(days=1)  # as on the day after (the page counts from today)
    Case.objects.filter(pk=case.pk).update(completion_due=case.completion_due)
    Reminder.objects.filter(case=case).update(due=case.completion_due)
    workflow.case_not_registered(case=case, reason="Tidak dilengkapi.", actor=staf)
    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    assert 'data-testid="lapsed-next"' not in page


def test_the_reminder_list_says_the_day_as_it_stands_today(staf):
    case = incomplete_laporan(staf, told_days_ago=4)  # due yesterday
    due = case.completion_due
    assert due is not None
    made_two_days_ago = timezone.now() - dt.timedelta(days=2)
    reminder = Reminder.objects.create(
        user=staf,
        case=case,
        deadline="completion_due",
        due=due,
        message=f"Batas kelengkapan oleh pelapor untuk {case} jatuh besok, {tanggal(due)}.",
    )
    Reminder.objects.filter(pk=reminder.pk).update(created_at=made_two_days_ago)

    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()

    assert f"jatuh besok, {tanggal(due)}" not in page  # written the day before it was due
    assert f"jatuh {tanggal(due)}, sudah lewat." in page


def test_a_catch_up_run_says_the_day_as_it_stands_when_read_and_mailed(staf, mailoutbox):
    # The office missed yesterday's run and runs it today for yesterday (awas cases remind --date):
    # the reminder it writes says the deadline is "besok" as of yesterday; the officer reads it
    # today, in the app and in the e-mail sent now, as due today.
    staf.email = "staf@bawaslu.example"
    staf.save(update_fields=["email"])
    case = incomplete_laporan(staf, told_days_ago=3)  # due today
    due = case.completion_due
    assert due == today_local()
    mailoutbox.clear()

    reminders.reminders_create(today=due - dt.timedelta(days=1))

    reminder = Reminder.objects.get(user=staf, case=case, deadline="completion_due")
    assert f"besok, {tanggal(due)}" in reminder.message  # as of the day the run acted for
    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    assert f"besok, {tanggal(due)}" not in page
    assert f"jatuh hari ini, {tanggal(due)}." in page
    sent = [m for m in mailoutbox if m.to == [staf.email]]
    assert len(sent) == 1
    assert f"hari ini, {tanggal(due)}" in sent[0].subject and f"hari ini, {tanggal(due)}" in sent[0].body
    assert "besok" not in sent[0].subject + sent[0].body


def test_the_requirements_check_says_what_it_did(staf):
    client = verified_client(staf)
    incomplete = record_laporan(staf, PUTAT_KIDUL)
    response = client.post(
        reverse("cases:requirements", args=[incomplete.pk]),
        {name: "on" for name, met in MISSING_SIGNATURE.items() if met},
        follow=True,
    )
    incomplete.refresh_from_db()
    page = response.content.decode()
    assert "Pelapor diberi tahu kekurangannya dan dapat melengkapinya sampai" in page
    assert tanggal(incomplete.completion_due) in page

    complete = record_laporan(staf, PUTAT_KIDUL)
    response = client.post(
        reverse("cases:requirements", args=[complete.pk]), {name: "on" for name in ALL_MET}, follow=True
    )
    complete.refresh_from_db()
    assert complete.registration_number
    assert f"Syarat lengkap: laporan diregistrasi dengan nomor {complete.registration_number}." in (
        response.content.decode()
    )
    # The office's format (DOMAIN.md A.4): NNN/LP/PL/Kab/<kode wilayah>/<bulan Romawi>/<tahun>.
    assert re.fullmatch(r"\d{3}/LP/PL/Kab/35\.07/[IVX]+/\d{4}", complete.registration_number)


def test_checked_again_after_the_time_ran_out_the_page_gives_no_time_left(staf):
    case = incomplete_laporan(staf, told_days_ago=5)
    response = verified_client(staf).post(
        reverse("cases:requirements", args=[case.pk]),
        {name: "on" for name, met in MISSING_SIGNATURE.items() if met},
        follow=True,
    )
    page = response.content.decode()
    assert "Pemeriksaan syarat disimpan." in page
    assert "dapat melengkapinya sampai" not in page  # a day already past
    assert 'data-testid="completion-lapsed"' in page  # the step that is left


def test_the_checklist_names_its_two_groups_as_the_law_does(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    checklist = page[page.index('class="checklist"') :]
    assert "Syarat formal" in checklist and "Syarat materiel" in checklist
    assert ">Materi<" not in checklist  # outreach's "Materi" (teaching material) is another word


def test_the_lapse_takes_over_the_deadline_s_own_reminder(staf):
    # Reminded the day before ("besok"), unread, then lapsed: the officer's list shows one unread
    # line for the case, the step to take, not "due tomorrow" beside "passed: record it".
    case = incomplete_laporan(staf, told_days_ago=2)  # due tomorrow
    today = today_local()
    reminders.reminders_create(today=today)
    reminders.reminders_create(today=today + dt.timedelta(days=2))  # the day after it lapsed

    unread = Reminder.objects.filter(user=staf, case=case, read_at__isnull=True)
    assert list(unread.values_list("deadline", flat=True)) == [reminders.LAPSED]
    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    assert page.count('<tr class="unread">') == 1
    assert "tidak diregistrasi" in page


def test_completed_after_the_deadline_it_is_not_registered_but_completed_in_time_and_entered_later_it_is(
    staf,
):
    # DOMAIN.md §2.4 item 4: a laporan not completed within the time given is not registered. What
    # the pelapor brought on the last day may be entered a day or two later: the day it was
    # brought decides, and the page asks it once the deadline has passed.
    case = incomplete_laporan(staf, told_days_ago=5)  # due two days ago
    due = case.completion_due
    assert due is not None
    client = verified_client(staf)
    url = reverse("cases:requirements", args=[case.pk])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    asked = re.search(r'data-testid="completed-on">(.*?)</div>\s*<button', page, re.S)
    assert asked and "Tanggal pelapor melengkapi" in asked.group(1)
    assert f"Batas kelengkapan adalah {tanggal(due)}" in asked.group(1)
    assert f'max="{today_local().isoformat()}"' in asked.group(1)
    all_met = {name: "on" for name in ALL_MET}

    # Every requirement ticked, no day given: nothing saved, the day is asked, the ticks kept.
    response = client.post(url, all_met)
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Batas kelengkapan {tanggal(due)} sudah lewat. Isi tanggal pelapor membawa kekurangannya" in page
    assert re.search(r'<input type="checkbox" name="formal_signature"[^>]*checked', page)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE and not case.registration_number

    # Brought the day after the deadline: refused, pointing to "not registered".
    late = due + dt.timedelta(days=1)
    page = client.post(url, {**all_met, "completed_on": late.isoformat()}).content.decode()
    assert f"Dilengkapi pada {tanggal(late)}, setelah batas kelengkapan {tanggal(due)}" in page
    assert "Catat sebagai tidak diregistrasi" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE and not case.registration_number
    assert case.requirements.formal_signature is False  # the refused check was not kept

    # Brought on the last day, entered now: registered, and its history says so.
    response = client.post(url, {**all_met, "completed_on": due.isoformat()}, follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.registration_number
    assert f"Syarat lengkap: laporan diregistrasi dengan nomor {case.registration_number}." in (
        response.content.decode()
    )
    reason = case.history.get(to_status=CaseStatus.REGISTERED).reason
    assert reason == (
        f"Syarat formal dan materiel lengkap: dilengkapi pelapor pada {tanggal(due)}, dalam batas "
        f"kelengkapan {tanggal(due)}."
    )


def test_before_the_deadline_passes_the_day_completed_is_not_asked(staf):
    case = incomplete_laporan(staf, told_days_ago=3)  # due today
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="completed-on"' not in page
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_the_day_a_lapsed_laporan_was_completed_is_in_the_audit_log(staf):
    # Registered only on the officer's word that the pelapor completed it in time: that word, the
    # day, is what the audit log must keep (the status history is not its hash chain).
    case = incomplete_laporan(staf, told_days_ago=5)  # due two days ago
    due = case.completion_due
    assert due is not None
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf, completed_on=due)
    entry = AuditEntry.objects.get(action="case.registered", object_id=str(case.pk))
    assert entry.after is not None and entry.after["completed_on"] == due.isoformat()
    assert entry.actor == staf
