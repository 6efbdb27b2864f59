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


def test_the_notices_that_ask_the_pelapor_to_come_say_where_the_office_is_and_its_phone(
    staf, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji 158, Kepanjen"
    settings.AWAS_OFFICE_PHONE = "0341-000000"
    signature = "Bawaslu Kabupaten Malang\nJl. Panji 158, Kepanjen\nTelepon 0341-000000"
    case = record_laporan(staf, PUTAT_KIDUL, email=PELAPOR)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks={**ALL_MET, "formal_signature": False}, actor=staf)
    incomplete = to_pelapor(mailoutbox)[-1]
    assert "Lengkapi di kantor paling lambat" in incomplete.body
    assert incomplete.body.endswith(signature)  # which office, where, and whom to call

    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
        workflow.request_more_information(case=case, what="Rekaman video aslinya.", actor=staf)
    asked = to_pelapor(mailoutbox)[-1]
    assert asked.subject == f"Keterangan tambahan diperlukan untuk laporan {case.tracking_code}"
    assert "dibawa atau dikirim ke kantor" in asked.body and asked.body.endswith(signature)

    # An office that set neither signs with its name alone.
    settings.AWAS_OFFICE_ADDRESS = settings.AWAS_OFFICE_PHONE = ""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.study_save(
            case=case, facts="Fakta.", analysis="Analisis.", conclusion="Simpulan.", actor=staf
        )
    assert to_pelapor(mailoutbox)[-1].body.endswith("orang lain.\n\nBawaslu Kabupaten Malang")
