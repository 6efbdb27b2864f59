"""An e-mail that never reaches the pelapor (the mail server refused the address, or it was given
up unsent) is shown on the case page to the staff who see the pelapor: else the office believes
the pelapor was told of the step (issue 4: "The pelapor is told of every status change")."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import local, tanggal
from awas.cases.models import Case, Reporter
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import OutgoingMail
from awas.core.roles import Role
from awas.core.selectors import MAIL_GIVE_UP_AFTER
from awas.core.tests.smtp_servers import refusing_smtp, smtp_back, smtp_down

WARNING = 'data-testid="pelapor-mail-undelivered"'


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


@pytest.fixture
def refusing_server(settings):
    """A real mail server that refuses every mailbox (550): ``smtplib.SMTPRecipientsRefused``."""
    with refusing_smtp(settings):
        yield settings


def case_page(user, case: Case) -> str:
    response = verified_client(user).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def undelivered(page: str) -> list[str]:
    """The lines of the warning, as text."""
    start = page.find(WARNING)
    if start < 0:
        return []
    block = page[start : page.index("</div>", start)]
    return [item.split(">", 1)[1] for item in block.split('<li data-testid="undelivered-mail"')[1:]]


def test_an_address_the_mail_server_refused_is_shown_to_staff_who_see_the_pelapor_and_to_nobody_else(
    staf, make_user, refusing_server, django_capture_on_commit_callbacks
):
    # The pelapor typed their address wrong: the mail server refuses the notice that the laporan
    # was received, and the one that it was registered.
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(staf, PUTAT_KIDUL, email="siti.salah@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    refused = list(OutgoingMail.objects.order_by("pk"))
    assert len(refused) == 2 and all(m.sent_at is None and m.refused for m in refused)

    page = case_page(staf, case)
    assert "Surel ke pelapor tidak terkirim" in page
    lines = undelivered(page)
    assert len(lines) == 2
    for line, mail in zip(lines, refused, strict=True):
        # The day and hour in WIB, the message, the address, and why.
        assert f"{tanggal(mail.created_at)} {local(mail.created_at):%H.%M} WIB" in line
        assert f"“{mail.subject}”" in line and "siti.salah@example.id" in line
        assert "server surel menolak alamat tersebut" in line
    assert "Diterima" in lines[0] and "Diregistrasi" in lines[1]
    assert "beri tahu pelapor melalui telepon atau surat" in page

    # The PKD sees the case, never its pelapor (UU 27/2022): no warning, no address.
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    page = case_page(pkd, case)
    assert WARNING not in page and "siti.salah@example.id" not in page
    assert case.tracking_code not in page  # the subject carries it: the pelapor's key

    # A pelapor whose address works: no warning.
    smtp_back(refusing_server)
    with django_capture_on_commit_callbacks(execute=True):
        fine = record_laporan(staf, PUTAT_KIDUL, email="benar@example.id")
    assert WARNING not in case_page(staf, fine)


def test_a_message_given_up_unsent_is_shown_once_awas_stops_trying_and_not_before(
    staf, settings, django_capture_on_commit_callbacks
):
    smtp_down(settings)
    # The office's mail server is down: the notice waits, and is tried again (``awas mail send``).
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(staf, PUTAT_KIDUL)
    [waiting] = OutgoingMail.objects.all()
    assert waiting.sent_at is None and waiting.last_error
    assert WARNING not in case_page(staf, case)  # still being tried: it may yet reach them

    # Never sent before Awas gave it up.
    queued = timezone.now() - MAIL_GIVE_UP_AFTER - dt.timedelta(minutes=1)
    OutgoingMail.objects.filter(pk=waiting.pk).update(created_at=queued)
    [line] = undelivered(case_page(staf, case))
    assert f"{tanggal(queued)} {local(queued):%H.%M} WIB" in line and "pelapor@example.id" in line
    assert "tidak terkirim: server surel tidak menerimanya sampai Awas berhenti mencoba" in line

    # The address on record is no longer the one that failed (no step corrects the pelapor's data
    # yet; were one added, this is what it would do): the next messages go to the new one, and the
    # old failure no longer says the address does not work.
    Reporter.objects.filter(case=case).update(email="pelapor.baru@example.id")
    assert WARNING not in case_page(staf, case)


def test_the_joint_case_shows_what_never_reached_the_pelapor_of_a_laporan_merged_into_it(
    staf, refusing_server, django_capture_on_commit_callbacks
):
    # The joint case's own pelapor gave no address; the mailbox of the merged laporan's is closed.
    case = record_laporan(staf, PUTAT_KIDUL, email="")
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    with django_capture_on_commit_callbacks(execute=True):
        other = record_laporan(staf, PUTAT_KIDUL, evidence=[], email="tutup@example.id")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.case_merge(case=case, other=other, reason="Peristiwa yang sama.", actor=staf)
    lines = undelivered(case_page(staf, case))
    assert len(lines) == OutgoingMail.objects.count() == 2  # received, then merged
    link = reverse("cases:detail", args=[other.pk])
    assert all("tutup@example.id" in line and f'href="{link}"' in line for line in lines)
