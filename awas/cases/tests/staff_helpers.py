"""Helpers shared by the staff-side tests (workflow, views, documents, related cases)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awas.cases.models import Case, CaseKind, Channel, ReferralBody
from awas.cases.seed import referral_bodies_seed_into
from awas.cases.services import workflow
from awas.cases.services.common import case_set_status, tracking_code_new
from awas.regions.models import Region

# A real JPEG header is enough for the evidence store's content sniffing.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id hashes with small parameters (accounts are created in many tests)."""
    for name, value in (("time_cost", 1), ("memory_cost", 1024), ("parallelism", 1)):
        monkeypatch.setattr(Argon2PasswordHasher, name, value)


def seed_bodies() -> None:
    """The referral bodies of migration 0003 (a transactional test elsewhere may have flushed them)."""
    referral_bodies_seed_into(ReferralBody)


def body(code: str) -> ReferralBody:
    seed_bodies()
    return ReferralBody.objects.get(code=code)


def jpeg(name: str = "foto.jpg", salt: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG[:-2] + salt + JPEG[-2:], content_type="image/jpeg")


def pdf(name: str = "lampiran.pdf", salt: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"%" + salt + b"\n", content_type="application/pdf")


def another_desa(kecamatan: str, but: str = "") -> str:
    return str(
        Region.objects.filter(parent_id=kecamatan)
        .exclude(code=but)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


def facts(region_code: str, **overrides: Any) -> workflow.CaseFacts:
    values: dict[str, Any] = {
        "region": Region.objects.get(code=region_code),
        "title": "Kepala desa membagikan uang kepada warga",
        "chronology": "Sabtu malam kepala desa membagikan amplop berisi uang Rp50.000 kepada warga RT 03.",
        "event_place": "Balai RT 03",
        "event_date": timezone.localdate() - dt.timedelta(days=2),
        "known_date": timezone.localdate() - dt.timedelta(days=1),
        "terlapor_name": "Sutrisno",
        "terlapor_position": "Kepala desa",
    }
    values.update(overrides)
    return workflow.CaseFacts(**values)


def record_laporan(
    actor: Any,
    region_code: str,
    *,
    email: str = "pelapor@example.id",
    witnesses: int = 1,
    evidence: list[Any] | None = None,
    received_at: dt.datetime | None = None,
    **fact_overrides: Any,
) -> Case:
    if received_at is not None:  # the event and its discovery come before the receipt
        received_on = timezone.localtime(received_at).date()
        fact_overrides.setdefault("event_date", received_on - dt.timedelta(days=2))
        fact_overrides.setdefault("known_date", received_on - dt.timedelta(days=1))
    return workflow.case_record_in_person(
        facts=facts(region_code, **fact_overrides),
        reporter=workflow.ReporterData(
            name="Siti Aminah", address="Jl. Melati 5, Putat Kidul", phone="081234567890", email=email
        ),
        witnesses=[workflow.WitnessData(name=f"Saksi {i}") for i in range(witnesses)],
        evidence=evidence if evidence is not None else [jpeg()],
        received_at=received_at,
        actor=actor,
    )


ALL_MET = {
    "formal_identity": True,
    "formal_terlapor": True,
    "formal_in_time": True,
    "formal_signature": True,
    "material_event": True,
    "material_place_time": True,
    "material_witness": True,
    "material_evidence": True,
}


def registered_laporan(actor: Any, region_code: str, **kwargs: Any) -> Case:
    case = record_laporan(actor, region_code, **kwargs)
    workflow.requirements_check(case=case, checks=ALL_MET, actor=actor)
    case.refresh_from_db()
    return case


def decided_case(actor: Any, region_code: str, outcome: str, *, days_ago: int = 0, **kwargs: Any) -> Case:
    """Decided ``days_ago`` (received the day before): a referral may be sent from then on."""
    if days_ago:
        kwargs.setdefault("received_at", timezone.now() - dt.timedelta(days=days_ago + 1))
    case = registered_laporan(actor, region_code, **kwargs)
    decide(case, outcome, actor, plenary_date=timezone.localdate() - dt.timedelta(days=days_ago))
    case.refresh_from_db()
    return case


def decide(case: Case, outcome: str, actor: Any, *, plenary_date: dt.date, **decision: Any) -> None:
    """The kajian, then the plenary's decision of ``case`` (``decision``: more of its fields, e.g.
    ``public_reason``)."""
    workflow.study_save(
        case=case, facts="Fakta.", analysis="Analisis.", conclusion="Kesimpulan.", actor=actor
    )
    decision.setdefault("reasons", "Terbukti.")
    workflow.decision_record(case=case, outcome=outcome, plenary_date=plenary_date, actor=actor, **decision)


def informasi_awal(region_code: str, **fact_overrides: Any) -> Case:
    """An anonymous tip as public intake would leave it (received, first history row)."""
    data = facts(region_code, **fact_overrides)
    case = Case.objects.create(
        kind=CaseKind.INFORMASI_AWAL,
        channel=Channel.WEB,
        tracking_code=tracking_code_new(),
        received_at=timezone.now(),
        **{name: getattr(data, name) for name in workflow.CaseFacts.__dataclass_fields__},
    )
    case_set_status(case, "diterima", reason="test")
    return case
