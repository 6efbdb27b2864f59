"""An invitation to a clarification addressed to the pelapor reaches them by e-mail too: its letter
number, day, hour and place, what to bring and that the signed letter follows on paper; never the
case's title or anyone else's name. Anyone else invited gets the printed letter only, and the step
tells the officer to deliver it. A new day is a withdrawal and a new invitation: the pelapor hears
of both."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import hari_tanggal, today_local
from awas.cases.models import Reporter
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    record_laporan,
    registered_laporan,
)
from awas.cases.tests.test_invitation_withdrawn import PELAPOR, WIB, yesterday_s_laporan
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.core.tests.smtp_servers import smtp_back, smtp_down

PLACE = "Kantor Bawaslu Kabupaten Malang, Jl. Panji 119 Kepanjen"


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf.budi")


def at_ten(days_ahead: int) -> dt.datetime:
    return dt.datetime.combine(today_local() + dt.timedelta(days=days_ahead), dt.time(10), tzinfo=WIB)


def invite(client, case, name: str, role: str, when: dt.datetime, **extra):
    return client.post(
        reverse("cases:clarification_schedule", args=[case.pk]),
        {
            "invitee_name": name,
            "invitee_role": role,
            "scheduled_at": when.astimezone(WIB).strftime("%Y-%m-%dT%H:%M"),
            "place": PLACE,
            **extra,
        },
        follow=True,
    )


def invited_at(staf, case, name: str, role: str, when: dt.datetime) -> workflow.InvitationSent:
    return workflow.clarification_invite(
        case=case, invitee_name=name, invitee_role=role, scheduled_at=when, place=PLACE, actor=staf
    )


def invitations_to(mailoutbox, address: str) -> list:
    return [m for m in mailoutbox if m.to == [address] and m.subject.startswith("Undangan klarifikasi:")]


def scheduled_entry(case) -> AuditEntry:
    return AuditEntry.objects.filter(action="case.clarification_scheduled", object_id=str(case.pk)).latest(
        "pk"
    )


def test_the_invited_pelapor_is_e_mailed_the_day_hour_and_place(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(verified_client(staf), case, "Siti Aminah", "pelapor", at_ten(2))

    [letter] = case.clarifications.all()
    [told] = invitations_to(mailoutbox, PELAPOR)
    assert told.subject == f"Undangan klarifikasi: laporan {case.tracking_code}"
    body = told.body
    assert f"Nomor surat undangan: {letter.letter_number}" in body
    assert f"Hari/tanggal: {hari_tanggal(at_ten(2))}" in body
    assert "Pukul: 10.00 WIB" in body
    assert f"Tempat: {PLACE}" in body
    assert "membawa kartu tanda penduduk elektronik (KTP-el) serta dokumen dan bukti" in body
    assert "Surat undangan resmi yang ditandatangani akan disampaikan kepada Anda dalam bentuk cetak" in body
    assert "surel ini memberitahukan jadwalnya lebih dahulu" in " ".join(body.split())
    assert case.tracking_code in body and body.endswith("Bawaslu Kabupaten Malang")
    # Neither the terlapor (in the title and the facts) nor the case's title reaches the pelapor.
    assert "Sutrisno" not in body and case.title not in body
    # The first invitation also moves the case to klarifikasi: the invitation says so, and no
    # status notice comes beside it at the same moment.
    assert "Status laporan Anda kini: Klarifikasi." in body
    assert mailoutbox == [told]

    page = html.unescape(response.content.decode())
    assert (
        "Klarifikasi dijadwalkan. Pelapor diberi tahu hari, jam, dan tempatnya lewat surel; cetak "
        "undangan di bawah dan kirimkan juga surat yang ditandatangani."
    ) in page
    entry = scheduled_entry(case)
    assert entry.after is not None and entry.after["invitee_emailed"] is True
    assert PELAPOR not in str(entry.after)  # whether, not where
    # The tracking page still shows the step, with its note.
    tracked = html.unescape(
        verified_client(staf).get(reverse("public:track_detail", args=[case.tracking_code])).content.decode()
    )
    assert "Klarifikasi" in tracked and "Pengawas sedang melakukan klarifikasi atas laporan Anda." in tracked


def test_an_invitation_typed_in_shortly_before_the_meeting_is_not_e_mailed(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    # Tuesday 8 December 2026, 08.00 WIB: a meeting at 09.00. An e-mail now would ask the pelapor to
    # come when they no longer can, and the office would believe them told: the officer is told to
    # reach them, and the status notice goes as it does for anyone not e-mailed.
    eight = dt.datetime(2026, 12, 8, 8, tzinfo=WIB)
    with time_machine.travel(eight, tick=False):
        case = yesterday_s_laporan(staf, email=PELAPOR)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = invite(
                verified_client(staf), case, "Siti Aminah", "pelapor", eight + dt.timedelta(hours=1)
            )
    assert invitations_to(mailoutbox, PELAPOR) == []
    assert [m.subject for m in mailoutbox] == [f"Status laporan {case.tracking_code}: Klarifikasi"]
    assert "Awas tidak dapat memberi tahu yang diundang" in html.unescape(response.content.decode())
    entry = scheduled_entry(case)
    assert entry.after is not None and entry.after["invitee_emailed"] is False


@pytest.mark.parametrize(("server_back_at", "sent"), [(dt.time(7, 30), True), (dt.time(8, 30), False)])
def test_an_invitation_the_mail_server_takes_only_shortly_before_the_meeting_is_given_up(
    staf, mailoutbox, settings, django_capture_on_commit_callbacks, server_back_at, sent
):
    # Invited at 07.00 to a meeting at 10.00 while the mail server is down. Back by 07.30, the
    # invitation goes out; back only at 08.30, it would reach the pelapor too late to come: it is
    # given up, and the case page warns that it never reached them, so the officer calls instead.
    day = dt.date(2026, 12, 8)
    with time_machine.travel(dt.datetime.combine(day, dt.time(7), tzinfo=WIB), tick=False):
        case = yesterday_s_laporan(staf, email=PELAPOR)
        mailoutbox.clear()
        smtp_down(settings)
        with django_capture_on_commit_callbacks(execute=True):
            invited_at(
                staf, case, "Siti Aminah", "pelapor", dt.datetime.combine(day, dt.time(10), tzinfo=WIB)
            )
    assert mailoutbox == []
    with time_machine.travel(dt.datetime.combine(day, server_back_at, tzinfo=WIB), tick=False):
        smtp_back(settings)
        call_command("mail", "send")
        page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    warned = f"“Undangan klarifikasi: laporan {case.tracking_code}”" in html.unescape(page)
    assert (len(invitations_to(mailoutbox, PELAPOR)), warned) == ((1, False) if sent else (0, True))


def test_a_first_invitation_to_someone_else_still_sends_the_pelapor_the_status_notice(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(verified_client(staf), case, "Sutrisno", "terlapor", at_ten(2))
    [notice] = mailoutbox
    assert notice.subject == f"Status laporan {case.tracking_code}: Klarifikasi"
    assert "Pengawas sedang melakukan klarifikasi atas laporan Anda." in notice.body

    # The pelapor invited afterwards: the invitation alone, with no status news (nothing changed).
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(verified_client(staf), case, "Siti Aminah", "pelapor", at_ten(3))
    [told] = mailoutbox
    assert told.subject.startswith("Undangan klarifikasi:") and "Status laporan Anda kini" not in told.body


def test_an_invitation_typed_in_after_the_meeting_leaves_the_status_notice(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=3), email=PELAPOR
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            verified_client(staf),
            case,
            "Siti Aminah",
            "pelapor",
            timezone.now() - dt.timedelta(hours=3),
            letter_date=(today_local() - dt.timedelta(days=1)).isoformat(),
        )
    # No invitation to a day gone, so the status change is told the usual way.
    assert [m.subject for m in mailoutbox] == [f"Status laporan {case.tracking_code}: Klarifikasi"]


def test_an_invited_terlapor_gets_the_letter_the_officer_delivers(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    invited_at(staf, case, "Saksi 0", "saksi", at_ten(1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(verified_client(staf), case, "Sutrisno", "terlapor", at_ten(2))

    assert mailoutbox == []  # not the pelapor's invitation; the case was already in klarifikasi
    page = html.unescape(response.content.decode())
    assert (
        "Klarifikasi dijadwalkan. Awas tidak dapat memberi tahu yang diundang (Terlapor): cetak undangan "
        "di bawah dan sampaikan kepadanya."
    ) in page
    assert "Pelapor diberi tahu hari, jam" not in page
    entry = scheduled_entry(case)
    assert entry.after is not None and entry.after["invitee_emailed"] is False


def test_a_pelapor_without_an_address_gets_the_letter_only(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email="")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(verified_client(staf), case, "Siti Aminah", "pelapor", at_ten(2))
    assert mailoutbox == []
    assert "Awas tidak dapat memberi tahu yang diundang (Pelapor)" in html.unescape(response.content.decode())
    assert scheduled_entry(case).after["invitee_emailed"] is False  # type: ignore[index]


def test_an_invitation_typed_in_after_the_meeting_is_not_e_mailed(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=3), email=PELAPOR
    )
    mailoutbox.clear()
    held = timezone.now() - dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            verified_client(staf),
            case,
            "Siti Aminah",
            "pelapor",
            held,
            letter_date=(today_local() - dt.timedelta(days=1)).isoformat(),
        )
    assert case.clarifications.count() == 1
    assert invitations_to(mailoutbox, PELAPOR) == []  # a day gone: no invitation to it
    page = html.unescape(response.content.decode())
    assert "Klarifikasi dijadwalkan; cetak undangannya di bawah." in page
    assert "Awas tidak dapat memberi tahu" not in page


def test_a_new_day_reaches_the_pelapor_as_a_withdrawal_and_a_new_invitation(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    client = verified_client(staf)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, case, "Siti Aminah", "pelapor", at_ten(1))
    [first] = case.clarifications.all()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cases:clarification_cancel", args=[case.pk]),
            {"clarification": first.pk, "reason": "Pelapor meminta hari lain."},
        )
        invite(client, case, "Siti Aminah", "pelapor", at_ten(3))

    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Undangan klarifikasi dibatalkan",
        "Undangan klarifikasi",
    ]
    [again] = invitations_to(mailoutbox, PELAPOR)
    assert f"Hari/tanggal: {hari_tanggal(at_ten(3))}" in again.body
    assert first.letter_number not in again.body  # a new letter, with its own number


def test_the_pelapor_of_a_merged_laporan_invited_by_name_is_told_under_their_own_code(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    kept = yesterday_s_laporan(staf, email="pertama@example.id")
    merged = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    Reporter.objects.filter(case=merged).update(name="Budi Santoso")
    workflow.case_merge(case=merged, other=kept, reason="Peristiwa sama.", actor=staf)
    invited_at(staf, kept, "Sutrisno", "terlapor", at_ten(1))
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = invited_at(staf, kept, "budi  santoso", "pelapor", at_ten(2))  # as typed at the desk

    assert sent.emailed is True
    assert invitations_to(mailoutbox, "pertama@example.id") == []  # not the first pelapor's invitation
    [told] = invitations_to(mailoutbox, PELAPOR)
    assert merged.tracking_code in told.subject and merged.tracking_code in told.body
    assert kept.tracking_code not in told.body  # another case's code is never passed on

    # A pelapor the invitation does not name: not clear whom, so nobody is e-mailed.
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        unclear = invited_at(staf, kept, "Bu Siti", "pelapor", at_ten(2))
    assert mailoutbox == [] and unclear.emailed is False


def test_a_merged_pelapor_invited_first_reads_the_joint_case_s_status_in_the_invitation(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    kept = yesterday_s_laporan(staf, email="pertama@example.id")
    merged = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    Reporter.objects.filter(case=merged).update(name="Budi Santoso")
    workflow.case_merge(case=merged, other=kept, reason="Peristiwa sama.", actor=staf)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        invited_at(staf, kept, "Budi Santoso", "pelapor", at_ten(2))

    [told] = [m for m in mailoutbox if m.to == [PELAPOR]]
    assert told.subject == f"Undangan klarifikasi: laporan {merged.tracking_code}"
    assert "Status perkara gabungan itu kini: Klarifikasi." in told.body
    assert kept.tracking_code not in told.body
    # The joint case's own pelapor, not invited, hears of the status as before.
    [notice] = [m for m in mailoutbox if m.to == ["pertama@example.id"]]
    assert notice.subject == f"Status laporan {kept.tracking_code}: Klarifikasi"


def test_an_invitation_withdrawn_while_its_e_mail_waits_never_reaches_the_pelapor(
    staf, settings, mailoutbox, django_capture_on_commit_callbacks
):
    # The office's connection is down when the invitation is made and when it is withdrawn (the
    # wrong day): once it is back, the pelapor must hear of the withdrawal only, not be called by
    # the stale invitation to a meeting not held.
    case = yesterday_s_laporan(staf, email=PELAPOR)
    mailoutbox.clear()
    smtp_down(settings)
    with django_capture_on_commit_callbacks(execute=True):
        invited_at(staf, case, "Siti Aminah", "pelapor", at_ten(2))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.clarification_cancel(
            clarification=case.clarifications.get(), reason="Salah tanggal.", actor=staf
        )
    smtp_back(settings)
    call_command("mail", "send")
    assert invitations_to(mailoutbox, PELAPOR) == []
    (withdrawn,) = [m for m in mailoutbox if m.to == [PELAPOR]]
    assert withdrawn.subject == f"Undangan klarifikasi dibatalkan: laporan {case.tracking_code}"
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Undangan klarifikasi: laporan" not in html.unescape(page)  # dropped, not "tidak terkirim"
