"""Completing a laporan: what the pelapor brings after being told what is missing (bukti, saksi) is
added to the case through the evidence store, and the requirements are checked again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import today_local
from awas.cases.models import Case, CaseEvidence, CaseStatus, Witness
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    decided_case,
    jpeg,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


@pytest.fixture
def incomplete(staf):
    """A laporan with no witness and no evidence: the pelapor was told both are missing."""
    case = record_laporan(staf, PUTAT_KIDUL, witnesses=0, evidence=[])
    checks = {**ALL_MET, "material_witness": False, "material_evidence": False}
    workflow.requirements_check(case=case, checks=checks, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    return case


def test_the_pelapor_brings_a_photo_and_a_witness_and_the_laporan_is_registered(staf, incomplete):
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[incomplete.pk])).content.decode()
    assert reverse("cases:supplement", args=[incomplete.pk]) in page

    response = client.post(
        reverse("cases:supplement", args=[incomplete.pk]),
        {
            "note": "Foto amplop dan saksi kedua, dibawa pelapor",
            "attachments": [jpeg("amplop.jpg", salt=b"1")],
            "witness_name": "Wahyu Saksi",
            "witness_phone": "081200000001",
        },
    )
    assert response.status_code == 302
    item = CaseEvidence.objects.get(case=incomplete)
    assert item.name == "amplop.jpg" and item.description == "Foto amplop dan saksi kedua, dibawa pelapor"
    assert Witness.objects.get(case=incomplete).name == "Wahyu Saksi"
    entry = AuditEntry.objects.get(action="case.supplemented")
    assert entry.actor == staf
    assert entry.after == {
        "evidence": [item.evidence.sha256],
        "witness": True,
        "note": "Foto amplop dan saksi kedua, dibawa pelapor",
        "brought_on": today_local().isoformat(),  # not given: today
        "completion_due": incomplete.completion_due.isoformat(),
        "after_completion_due": False,
    }

    # The case page now shows the evidence with its hash, and the checklist guesses both met.
    page = client.get(reverse("cases:detail", args=[incomplete.pk])).content.decode()
    assert item.evidence.sha256[:16] in page and "Wahyu Saksi" in page
    client.post(reverse("cases:requirements", args=[incomplete.pk]), {**ALL_MET, "notes": ""})
    incomplete.refresh_from_db()
    assert incomplete.status == CaseStatus.REGISTERED


def test_nothing_brought_is_refused_and_what_was_typed_comes_back(staf, incomplete):
    client = verified_client(staf)
    response = client.post(
        reverse("cases:supplement", args=[incomplete.pk]),
        {"note": "Pelapor datang tanpa berkas", "witness_phone": "0812"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pelapor datang tanpa berkas" in html
    assert "Isi nama saksi." in html  # "Give the witness's name.", on the field
    assert not CaseEvidence.objects.filter(case=incomplete).exists()
    assert not AuditEntry.objects.filter(action="case.supplemented").exists()


def test_a_program_disguised_as_a_photo_is_refused(staf, incomplete):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00" + b"\x00" * 200, content_type="image/jpeg")
    response = verified_client(staf).post(
        reverse("cases:supplement", args=[incomplete.pk]), {"note": "Foto", "attachments": [fake]}
    )
    assert response.status_code == 200
    assert "Foto" in response.content.decode()
    assert not CaseEvidence.objects.filter(case=incomplete).exists()


def test_only_before_the_decision_and_only_for_roles_that_record(staf, make_user):
    decided = decided_case(staf, PUTAT_KIDUL, "bukan_pelanggaran", evidence=[])
    response = verified_client(staf).post(
        reverse("cases:supplement", args=[decided.pk]), {"note": "Terlambat", "witness_name": "X"}
    )
    assert response.status_code == 302
    assert not Witness.objects.filter(case=decided, name="X").exists()

    open_case = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    response = verified_client(pkd).post(
        reverse("cases:supplement", args=[open_case.pk]), {"note": "x", "witness_name": "Y"}
    )
    assert response.status_code == 403
    assert not Witness.objects.filter(case=open_case, name="Y").exists()


def test_what_is_added_later_is_not_on_the_receipt_someone_else_opens(staf, incomplete, client):
    # The receipt was issued when the laporan was recorded; later additions are the office's.
    Case.objects.filter(pk=incomplete.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    workflow.case_supplement(
        case=incomplete,
        files=[jpeg("baru.jpg", salt=b"later")],
        witness=None,
        note="Dibawa kemudian",
        actor=staf,
    )
    added = CaseEvidence.objects.get(case=incomplete).evidence.sha256
    receipt = client.get(f"/lapor/terima/{incomplete.tracking_code}/")
    assert receipt.status_code == 200
    assert incomplete.tracking_code in receipt.content.decode()
    assert added[:16] not in receipt.content.decode()
