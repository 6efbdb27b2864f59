"""An invitation to a clarification withdrawn is told to the invitee: an invited pelapor with an
e-mail address by e-mail (which invitation, that they need not come, that a new day comes with a
new invitation; never the reason, which may name others); anyone else by the officer, whom the
case page tells so, since Awas has no address for a terlapor or a saksi."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Reporter
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    record_laporan,
    registered_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry, OutgoingMail
from awas.core.roles import Role

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
PELAPOR = "pelapor@example.id"
# Written for the file: it names the terlapor, which the pelapor is never sent.
REASON = "Salah jam; terlapor Sutrisno diundang pada jam yang sama."


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf.budi")


def invited(staf, case, name: str, role: str):
    tomorrow_ten = dt.datetime.combine(today_local() + dt.timedelta(days=1), dt.time(10), tzinfo=WIB)
    return workflow.clarification_schedule(
        case=case,
        invitee_name=name,
        invitee_role=role,
        scheduled_at=tomorrow_ten,
        place="Kantor Bawaslu Kabupaten Malang",
        actor=staf,
    )


def withdraw(client, case, invitation):
    return client.post(
        reverse("cases:clarification_cancel", args=[case.pk]),
        {"clarification": invitation.pk, "reason": REASON},
        follow=True,
    )


def withdrawn_listed(page: str) -> str:
    found = re.search(r'data-testid="withdrawn-invitations">(.*?)</ul>', page, re.S)
    assert found, "the withdrawn invitation is not listed"
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def to(mailoutbox, address: str) -> list:
    return [mail for mail in mailoutbox if mail.to == [address]]


def yesterday_s_laporan(staf, **kwargs):
    return registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1), **kwargs)


def test_the_invited_pelapor_is_told_by_e_mail_that_they_need_not_come(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    invitation = invited(staf, case, "Siti Aminah", "pelapor")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(verified_client(staf), case, invitation)

    [told] = to(mailoutbox, PELAPOR)
    assert told.subject == f"Undangan klarifikasi dibatalkan: laporan {case.tracking_code}"
    day = tanggal(today_local() + dt.timedelta(days=1))
    assert (
        f"Undangan klarifikasi kepada Anda nomor {invitation.letter_number} tentang laporan dengan kode "
        f"pelacakan {case.tracking_code}, untuk {day} pukul 10.00 WIB di Kantor Bawaslu Kabupaten Malang, "
        "dibatalkan."
    ) in told.body
    assert "Anda tidak perlu datang pada jadwal tersebut." in told.body
    assert "Anda akan menerima undangan baru" in told.body
    assert told.body.endswith("Bawaslu Kabupaten Malang")
    assert "Sutrisno" not in told.body and "Salah jam" not in told.body  # the reason stays in the office
    assert len(mailoutbox) == 1  # nobody else is written to

    page = html.unescape(response.content.decode())
    assert "Undangan dibatalkan. Pelapor diberi tahu lewat surel bahwa ia tidak perlu datang." in page
    listed = withdrawn_listed(page)
    assert invitation.letter_number in listed and "pelapor sudah diberi tahu lewat surel" in listed
    assert "tidak diberi tahu oleh Awas" not in listed
    entry = AuditEntry.objects.get(action="case.clarification_cancelled", object_id=str(case.pk))
    assert entry.after is not None and entry.after["invitee_emailed"] is True


def test_an_invited_terlapor_is_told_by_the_officer_as_the_page_says(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    invitation = invited(staf, case, "Sutrisno", "terlapor")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(verified_client(staf), case, invitation)

    assert mailoutbox == []  # not the pelapor: it was not their invitation
    page = html.unescape(response.content.decode())
    assert (
        "Undangan dibatalkan. Awas tidak dapat memberi tahu yang diundang (Terlapor): beri tahu lewat "
        "surat atau telepon bahwa ia tidak perlu datang."
    ) in page
    listed = withdrawn_listed(page)
    assert "Terlapor" in listed
    assert "tidak diberi tahu oleh Awas: beri tahu yang diundang lewat surat atau telepon" in listed
    # Still said when the page is opened again later.
    later = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "tidak diberi tahu oleh Awas" in withdrawn_listed(html.unescape(later))
    entry = AuditEntry.objects.get(action="case.clarification_cancelled", object_id=str(case.pk))
    assert entry.after is not None and entry.after["invitee_emailed"] is False


def test_a_pelapor_without_an_e_mail_address_is_told_by_the_officer(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email="")
    invitation = invited(staf, case, "Siti Aminah", "pelapor")
    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(verified_client(staf), case, invitation)
    assert mailoutbox == []
    page = html.unescape(response.content.decode())
    assert "Awas tidak dapat memberi tahu yang diundang (Pelapor)" in page
    assert "tidak diberi tahu oleh Awas" in withdrawn_listed(page)


def test_the_pelapor_of_a_merged_laporan_invited_by_name_is_told_under_their_own_code(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    kept = yesterday_s_laporan(staf, email="pertama@example.id")
    merged = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    Reporter.objects.filter(case=merged).update(name="Budi Santoso")
    workflow.case_merge(case=merged, other=kept, reason="Peristiwa sama.", actor=staf)
    invitation = invited(staf, kept, "budi  santoso", "pelapor")  # as typed at the desk
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.clarification_cancel(clarification=invitation, reason=REASON, actor=staf)

    assert to(mailoutbox, "pertama@example.id") == []  # not the first pelapor's invitation
    [told] = to(mailoutbox, PELAPOR)
    assert merged.tracking_code in told.subject and merged.tracking_code in told.body
    assert kept.tracking_code not in told.body  # another case's code is never passed on

    # A pelapor the invitation does not name: not clear whom, so nobody is e-mailed.
    other = invited(staf, kept, "Bu Siti", "pelapor")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = workflow.clarification_cancel(clarification=other, reason=REASON, actor=staf)
    assert mailoutbox == [] and withdrawn.emailed is False


def test_an_invitation_to_a_day_gone_is_withdrawn_without_telling_anyone_not_to_come(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    """An invitation typed in after a meeting held on paper, then withdrawn as recorded in error:
    the pelapor is not e-mailed that they need not come to a day gone (a meeting they may have
    attended), and the officer is not told to tell them so either."""
    case = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=4), email=PELAPOR
    )
    yesterday = today_local() - dt.timedelta(days=1)
    invitation = workflow.clarification_schedule(
        case=case,
        invitee_name="Siti Aminah",
        invitee_role="pelapor",
        scheduled_at=dt.datetime.combine(yesterday, dt.time(10), tzinfo=WIB),
        place="Kantor Bawaslu Kabupaten Malang",
        actor=staf,
        letter_date=yesterday - dt.timedelta(days=1),
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = withdraw(verified_client(staf), case, invitation)

    assert mailoutbox == []
    page = html.unescape(response.content.decode())
    assert "Undangan dibatalkan." in page
    assert "tidak perlu datang" not in page
    listed = withdrawn_listed(page)
    assert invitation.letter_number in listed and "tidak diberi tahu oleh Awas" not in listed
    entry = AuditEntry.objects.get(action="case.clarification_cancelled", object_id=str(case.pk))
    assert entry.after is not None and entry.after["invitee_emailed"] is False


def test_a_withdrawal_the_mail_server_has_not_taken_by_the_hour_of_the_meeting_is_not_sent_after(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    case = yesterday_s_laporan(staf, email=PELAPOR)
    invitation = invited(staf, case, "Siti Aminah", "pelapor")
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(verified_client(staf), case, invitation)
    told = OutgoingMail.objects.get(subject__startswith="Undangan klarifikasi dibatalkan")
    assert told.send_until == invitation.scheduled_at
