"""Public intake as a service: one transaction per filing, one case per form, a receipt that names nobody
but the pelapor, a tracking view that names nobody at all."""

from __future__ import annotations

import datetime as dt
import struct
import threading
import zlib
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from awas.cases.models import Case, CaseEvidence, CaseKind, CaseStatus, Reporter, StatusChange, Witness
from awas.cases.services import intake as intake_module
from awas.cases.services.common import case_set_status
from awas.cases.services.intake import (
    EvidenceItem,
    Intake,
    IntakeError,
    ReporterData,
    WitnessData,
    case_intake,
    filing_is_late,
    office_name,
    office_today,
    receipt_context,
    receipt_pdf,
    tracking_find,
    tracking_normalise,
    tracking_public,
)
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.models import AuditEntry, EvidenceFile
from awas.core.services.audit import audit_verify
from awas.core.services.evidence import evidence_keep, evidence_prepare, evidence_store_bytes
from awas.regions.models import Region

# --- shared by the public tests -------------------------------------------------------------------


def png_bytes(seed: int = 0, size: int = 2) -> bytes:
    """A real PNG image, different for each seed (``size`` x ``size`` pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    row = bytes((seed + i) % 256 for i in range(size * 3))
    pixels = zlib.compress(b"".join(b"\x00" + row for _ in range(size)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


SECRET_BITS = {
    "reporter": "Siti Rahmawati Pelapor",
    "reporter_address": "Jl. Melati 12 Gondanglegi",
    "reporter_phone": "081234500001",
    "reporter_email": "siti.pelapor@example.id",
    "terlapor": "Bambang Terlapor",
    "witness": "Joko Saksi Pertama",
    "chronology": "Pada pukul 19.00 amplop dibagikan di balai desa",
    "file_name": "foto-rahasia-amplop.png",
}


def sample_intake(key: str = "k" * 24, **overrides: Any) -> Intake:
    evidence = evidence_store_bytes(png_bytes(1), original_name=SECRET_BITS["file_name"])
    values: dict[str, Any] = {
        "kind": CaseKind.LAPORAN,
        "idempotency_key": key,
        "title": "Pembagian uang di balai desa",
        "region": Region.objects.get(code=PUTAT_KIDUL),
        "chronology": SECRET_BITS["chronology"],
        "event_place": "Balai Desa Putat Kidul",
        "event_date": office_today() - dt.timedelta(days=2),
        "known_date": office_today() - dt.timedelta(days=1),
        "terlapor_name": SECRET_BITS["terlapor"],
        "terlapor_position": "Kepala desa",
        "reporter": ReporterData(
            name=SECRET_BITS["reporter"],
            address=SECRET_BITS["reporter_address"],
            birth_place="Malang",
            birth_date=dt.date(1990, 5, 17),
            sex="P",
            occupation="Guru",
            phone=SECRET_BITS["reporter_phone"],
            email=SECRET_BITS["reporter_email"],
        ),
        "witnesses": [
            WitnessData(name=SECRET_BITS["witness"], address="Jl. Mawar 1"),
            WitnessData(name="Sri"),
        ],
        "evidence": [EvidenceItem(evidence=evidence, name=SECRET_BITS["file_name"])],
    }
    values.update(overrides)
    return Intake(**values)


# --- storing ---------------------------------------------------------------------------------------


def test_a_laporan_is_stored_whole_with_its_first_status_and_audit(malang):
    result = case_intake(sample_intake())

    assert result.created
    case = Case.objects.get()
    assert case.kind == CaseKind.LAPORAN and case.channel == "web"
    assert case.status == CaseStatus.RECEIVED
    assert case.region_id == PUTAT_KIDUL
    assert case.tracking_code.startswith("AWS-") and len(case.tracking_code) == 13
    assert Reporter.objects.get(case=case).name == SECRET_BITS["reporter"]
    assert Witness.objects.filter(case=case).count() == 2
    assert CaseEvidence.objects.get(case=case).name == SECRET_BITS["file_name"]
    history = list(StatusChange.objects.filter(case=case))
    assert [(h.from_status, h.to_status, h.public_note) for h in history] == [
        (
            "",
            CaseStatus.RECEIVED,
            "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa. Bila ada yang "
            "kurang, Anda akan diberi tahu apa yang harus dilengkapi dan paling lambat kapan.",
        )
    ]
    # Pilkada clocks: filing 7 calendar days after it became known, decision 3 days after receipt.
    assert case.known_date is not None
    assert case.filing_due == case.known_date + dt.timedelta(days=7)
    assert case.decision_due == office_today() + dt.timedelta(days=3)
    actions = list(AuditEntry.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert "case.received" in actions and "case.status_changed" in actions
    received = AuditEntry.objects.get(action="case.received")
    assert SECRET_BITS["reporter"] not in str(received.after)  # the log carries no personal data
    assert audit_verify() is None


def test_the_same_key_gives_back_the_first_case(malang):
    first = case_intake(sample_intake(key="same-key-0123456789"))
    second = case_intake(sample_intake(key="same-key-0123456789", title="Dikirim dua kali"))

    assert not second.created
    assert second.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert Case.objects.get().title == "Pembagian uang di balai desa"


def test_a_used_key_rolls_back_everything_of_the_second_attempt(malang):
    first = case_intake(sample_intake(key="race-key-0123456789")).case
    audit_before = AuditEntry.objects.count()

    result = case_intake(sample_intake(key="race-key-0123456789", title="Kedua"))

    assert not result.created and result.case.pk == first.pk
    assert (Case.objects.count(), Reporter.objects.count(), StatusChange.objects.count()) == (1, 1, 1)
    assert AuditEntry.objects.count() == audit_before
    assert audit_verify() is None


def test_a_tracking_code_clash_gets_a_new_code(malang, monkeypatch):
    first = case_intake(sample_intake(key="first-key-0123456789")).case
    codes = iter([first.tracking_code, "AWS-ZZZZ-2222"])
    monkeypatch.setattr(intake_module, "tracking_code_new", lambda: next(codes))

    second = case_intake(sample_intake(key="second-key-0123456789"))

    assert second.created and second.case.tracking_code == "AWS-ZZZZ-2222"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_with_one_key_make_one_case(malang):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): no race to observe; see the used-key test")
    barrier = threading.Barrier(4)
    results: list[Any] = []
    errors: list[BaseException] = []
    data = sample_intake(key="burst-key-0123456789")

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(case_intake(data))
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    assert len({r.case.pk for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert Case.objects.count() == 1


def test_informasi_awal_may_be_anonymous(malang):
    result = case_intake(
        Intake(
            kind=CaseKind.INFORMASI_AWAL,
            idempotency_key="anon-0123456789abcdef",
            title="Baliho di luar jadwal",
            region=Region.objects.get(code=GONDANGLEGI),
            event_date=office_today(),
        )
    )

    case = result.case
    assert case.kind == CaseKind.INFORMASI_AWAL
    assert not Reporter.objects.filter(case=case).exists()
    assert case.history.get().public_note == "Informasi awal diterima"


def test_malformed_intakes_are_refused(malang):
    with pytest.raises(IntakeError):
        case_intake(sample_intake(key="short"))
    with pytest.raises(IntakeError):
        case_intake(sample_intake(kind=CaseKind.TEMUAN))
    assert Case.objects.count() == 0


def test_a_late_laporan_is_stored_with_the_reason(malang):
    known = office_today() - dt.timedelta(days=10)
    case = case_intake(sample_intake(event_date=known, known_date=known, late_confirmed=True)).case

    assert case.filing_due == known + dt.timedelta(days=7)
    # Stored in the office's language, whatever language the filer's page was in.
    due = known + dt.timedelta(days=7)
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli"]
    months += ["Agustus", "September", "Oktober", "November", "Desember"]
    reason = case.history.get().reason
    assert "setelah batas waktu pelaporan" in reason
    assert f"{due.day} {months[due.month - 1]} {due.year}" in reason
    assert (AuditEntry.objects.get(action="case.received").after or {})["late_confirmed"] is True


def _prepared(content: bytes, name: str = "bukti.png") -> EvidenceFile:
    import io

    return evidence_prepare(data=io.BytesIO(content), original_name=name)


def test_new_evidence_is_stored_in_the_filing_transaction(malang, monkeypatch):
    fresh = _prepared(png_bytes(7))
    assert fresh.pk is None  # checked and its bytes kept; no record yet

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("gagal di tengah")

    monkeypatch.setattr(intake_module, "case_set_status", broken)
    with pytest.raises(RuntimeError):
        case_intake(sample_intake(evidence=[EvidenceItem(evidence=fresh, name="bukti.png")]))
    # The filing failed: neither the case nor the record of its new file is stored.
    assert not EvidenceFile.objects.filter(sha256=fresh.sha256).exists()
    assert not AuditEntry.objects.filter(action="evidence.stored", after__sha256=fresh.sha256).exists()
    monkeypatch.undo()

    fresh = _prepared(png_bytes(7))
    case = case_intake(sample_intake(evidence=[EvidenceItem(evidence=fresh, name="bukti.png")])).case

    stored = EvidenceFile.objects.get(sha256=fresh.sha256)
    assert CaseEvidence.objects.get(case=case).evidence == stored
    assert AuditEntry.objects.filter(action="evidence.stored", object_id=str(stored.pk)).count() == 1
    assert audit_verify() is None


def test_new_evidence_stored_meanwhile_by_another_request_is_linked_not_stored_twice(malang):
    mine = _prepared(png_bytes(8), "punyaku.png")
    theirs = evidence_keep(_prepared(png_bytes(8), "punya-orang-lain.png"))  # the same bytes, first

    case = case_intake(sample_intake(evidence=[EvidenceItem(evidence=mine, name="punyaku.png")])).case

    assert EvidenceFile.objects.filter(sha256=theirs.sha256).count() == 1
    link = CaseEvidence.objects.get(case=case)
    assert (link.evidence_id, link.name) == (theirs.pk, "punyaku.png")
    assert AuditEntry.objects.filter(action="evidence.stored", object_id=str(theirs.pk)).count() == 1
    assert audit_verify() is None


# --- the filing deadline -----------------------------------------------------------------------------


def test_the_seven_day_rule_counts_calendar_days(db):
    today = dt.date(2024, 11, 20)
    assert filing_is_late(dt.date(2024, 11, 13), today=today) is None  # day 7: still in time
    late = filing_is_late(dt.date(2024, 11, 12), today=today)  # day 8
    assert late is not None
    assert late.due_date == dt.date(2024, 11, 19)
    assert "Pasal 134 ayat (4)" in late.legal_basis
    assert filing_is_late(None) is None


# --- receipt -----------------------------------------------------------------------------------------


def test_the_receipt_names_only_the_pelapor(malang):
    case = case_intake(sample_intake()).case
    case.received_at = dt.datetime(2024, 8, 17, 3, 5, tzinfo=dt.UTC)  # 10.05 WIB
    case.save(update_fields=["received_at"])
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("id"):
        html = render_to_string("cases/public/tanda_terima.html", receipt_context(case, personal=True))

    assert "BAWASLU KABUPATEN MALANG" in html
    assert case.tracking_code in html
    assert "17 Agustus 2024, 10.05 WIB" in html
    assert "Sabtu" in html  # the day name, in Indonesian
    sha = CaseEvidence.objects.get(case=case).evidence.sha256
    assert sha[:16] in html and sha not in html
    assert SECRET_BITS["reporter"] in html
    for key in ("reporter_address", "reporter_phone", "reporter_email", "terlapor", "witness", "chronology"):
        assert SECRET_BITS[key] not in html, key
    assert SECRET_BITS["file_name"] not in html


def test_the_receipt_pdf_is_a_pdf(malang):
    case = case_intake(sample_intake()).case
    pdf = receipt_pdf(case)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 1000


def test_the_receipt_pdf_is_set_in_one_family_of_type(malang):
    """The page number line at the foot fell back to a serif face: a page box does not inherit
    the body's font."""
    import io

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(receipt_pdf(case_intake(sample_intake()).case)))
    fonts: set[str] = set()
    for page in pdf.pages:
        resources: Any = page["/Resources"]
        fonts |= {str(font["/BaseFont"]).split("+")[-1] for font in resources["/Font"].values()}
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts), fonts


def test_office_name_comes_from_the_region(malang):
    assert office_name() == "Bawaslu Kabupaten Malang"
    case = case_intake(sample_intake()).case
    assert office_name(case) == "Bawaslu Kabupaten Malang"


# --- tracking ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("AWS-ABCD-EFGH", "AWS-ABCD-EFGH"),
        ("aws-abcd-efgh", "AWS-ABCD-EFGH"),
        (" aws abcd efgh ", "AWS-ABCD-EFGH"),
        ("ABCDEFGH", "AWS-ABCD-EFGH"),
        ("abcd-2345", "AWS-ABCD-2345"),
        ("AWS-ABCD-EFG0", None),  # 0 is not in the alphabet
        ("AWS-ABCD", None),
        ("", None),
        ("<script>", None),
    ],
)
def test_typed_codes_are_normalised(typed: str, expected: str | None):
    assert tracking_normalise(typed) == expected


def test_tracking_shows_statuses_and_nothing_personal(malang):
    case = case_intake(sample_intake()).case
    case_set_status(
        case, CaseStatus.REGISTERED, public_note="Laporan diregistrasi", reason="rahasia internal"
    )

    found = tracking_find(case.tracking_code.lower())
    assert found is not None and found.pk == case.pk
    tracking = tracking_public(case)
    assert [h.status for h in tracking.history] == [CaseStatus.RECEIVED, CaseStatus.REGISTERED]
    assert tracking.history[1].note == "Laporan diregistrasi"
    assert tracking.history[0].at.tzinfo is not None and tracking.history[0].at.utcoffset() == dt.timedelta(
        hours=7
    )
    flat = repr(tracking)
    for value in SECRET_BITS.values():
        assert value not in flat
    assert "rahasia internal" not in flat


def test_timestamps_are_aware(malang):
    case = case_intake(sample_intake(), now=timezone.now()).case
    assert timezone.is_aware(case.received_at)
