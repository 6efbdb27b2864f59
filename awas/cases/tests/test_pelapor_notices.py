"""What the pelapor reads in the e-mails about their laporan, step by step: where to follow it
and where to reach the office, in words a pelapor without the office's web address can use."""

from __future__ import annotations

import pytest

from awas.cases.models import CaseStatus
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.roles import Role

PELAPOR = "pelapor@example.id"


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf.budi")


def to_pelapor(mailoutbox) -> list:
    return [mail for mail in mailoutbox if mail.to == [PELAPOR]]


def test_without_the_public_address_the_status_email_says_how_to_find_the_tracking_page(
    staf, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.AWAS_PUBLIC_URL = ""
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    [received] = to_pelapor(mailoutbox)
    assert case.tracking_code in received.subject
    # Not just "the tracking page": the end of its address and the code to type in.
    assert (
        "Perkembangannya dapat diikuti di halaman pelacakan laporan (alamatnya berakhiran /lapor/lacak/) "
        f"dengan kode pelacakan {case.tracking_code}, atau ditanyakan ke kantor."
    ) in received.body
    assert "http" not in received.body

    settings.AWAS_PUBLIC_URL = "https://lapor.example.id/"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    registered = to_pelapor(mailoutbox)[-1]
    assert (
        "Perkembangannya dapat diikuti di halaman pelacakan laporan: "
        f"https://lapor.example.id/lapor/lacak/{case.tracking_code}/"
    ) in registered.body
    assert "alamatnya berakhiran" not in registered.body
