"""Uploading many Form A files at once: drafts to check, reasons for what could not be read,
duplicates recognised by the file's SHA-256."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.models import EvidenceFile
from awas.regions.models import Region
from awas.supervision import parsing, services
from awas.supervision.models import FormA, FormAStatus
from awas.supervision.tests import samples
from awas.supervision.tests.conftest import UREK_UREK
from awas.supervision.tests.samples import created

PDF_NAME = "LHP_Gondanglegi_Putat Kidul_TPS01_16102024.pdf"


@pytest.fixture
def awas_pdf(malang) -> bytes:
    form = samples.form_a_unsaved(Region.objects.get(code=PUTAT_KIDUL))
    return samples.awas_template_pdf(form)


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_batch_gives_drafts_reasons_and_duplicates(panwascam, awas_pdf, monkeypatch):
    monkeypatch.setattr(
        parsing, "ocr_status", lambda: (False, "program OCR (tesseract) tidak terpasang di server")
    )
    docx = samples.docx_bytes(
        ["I. Data Pengawas", "Nama: Anang", "III. Uraian Singkat Hasil Pengawasan", "Aman."]
    )
    files = [
        upload(PDF_NAME, awas_pdf),
        upload("LHP_Gondanglegi_Urek-Urek_TPS3.docx", docx, "application/octet-stream"),
        upload("scan_Gondanglegi_Putat Kidul.pdf", samples.scanned_pdf(samples.SCANNED_LINES)),
        upload("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200, "image/jpeg"),
        upload("surat.pdf", samples.html_pdf("<p>Surat undangan rapat koordinasi tanpa bagian Form A.</p>")),
        upload("copy_of_" + PDF_NAME, awas_pdf),
    ]
    results = services.form_a_upload(actor=panwascam, files=files)
    outcomes = [(r.name, r.outcome) for r in results]
    assert outcomes == [
        (PDF_NAME, "created"),
        ("LHP_Gondanglegi_Urek-Urek_TPS3.docx", "created"),
        ("scan_Gondanglegi_Putat Kidul.pdf", "refused"),
        ("foto.jpg", "refused"),
        ("surat.pdf", "refused"),
        ("copy_of_" + PDF_NAME, "duplicate"),
    ]
    first, docx_result, scan, photo, letter, duplicate = results
    assert "tidak memiliki lapisan teks" in scan.reason and "tesseract" in scan.reason
    assert photo.reason == "bukan berkas PDF atau Word (DOCX)"
    assert "apakah ini Form A" in letter.reason
    assert duplicate.earlier == created(first) and duplicate.earlier_visible

    report = created(first)
    assert report.status == FormAStatus.DRAFT
    assert (report.region_id, report.tps_number) == (PUTAT_KIDUL, 1)
    assert report.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"  # printed on the file: kept
    assert report.pelaksana_nama == "Siti Aminah"
    assert report.source_file is not None
    assert report.source_file.sha256 == EvidenceFile.objects.get(original_name=PDF_NAME).sha256
    assert report.extraction_method == "pdf_text"
    assert not report.suggestions.exists()  # suggestions come once a person has checked and filed it

    other = created(docx_result)
    assert (other.region_id, other.tps_number) == (UREK_UREK, 3)
    assert any("II Kegiatan Pengawasan" in n for n in other.parse_notes)
    assert EvidenceFile.objects.count() == 2  # refused files are not kept


def test_a_file_uploaded_again_later_names_the_earlier_form_a(pkd, pkd_lor, awas_pdf):
    (first,) = services.form_a_upload(actor=pkd, files=[upload(PDF_NAME, awas_pdf)])
    (again,) = services.form_a_upload(actor=pkd, files=[upload("lagi.pdf", awas_pdf)])
    assert again.outcome == "duplicate" and again.earlier == created(first) and again.earlier_visible
    # Someone who cannot see the earlier report is told it exists, not what it is.
    (elsewhere,) = services.form_a_upload(actor=pkd_lor, files=[upload("x.pdf", awas_pdf)])
    assert elsewhere.outcome == "duplicate" and not elsewhere.earlier_visible
    # A discarded draft does not block a new upload of the same file.
    services.form_a_discard(form=created(first), actor=pkd, reason="salah unggah")
    (fresh,) = services.form_a_upload(actor=pkd, files=[upload("lagi.pdf", awas_pdf)])
    assert fresh.outcome == "created"


def test_a_pkd_upload_stays_in_its_desa_whatever_the_file_name(pkd_lor, awas_pdf):
    (result,) = services.form_a_upload(actor=pkd_lor, files=[upload(PDF_NAME, awas_pdf)])
    assert created(result).region_id == "35.07.10.2009"
    assert created(result).tps_number is None
    assert any("desa lain" in note for note in result.notes)


def test_a_recap_file_of_a_panwascam_is_marked_rekap(panwascam, malang):
    lines = [
        "I. DATA PENGAWAS",
        "Nama : Dewi",
        "III. URAIAN SINGKAT HASIL PENGAWASAN",
        "Rekap kejadian se-kecamatan.",
    ]
    pdf = samples.html_pdf(samples.paragraphs(lines))
    (result,) = services.form_a_upload(actor=panwascam, files=[upload("REKAP_LHP_Gondanglegi.pdf", pdf)])
    assert created(result).region_id == GONDANGLEGI
    assert created(result).is_rekap


def test_filing_a_checked_draft_numbers_it_and_makes_suggestions(pkd, malang):
    lines = [
        "I. DATA PENGAWAS",
        "Nama : Siti",
        "III. URAIAN SINGKAT HASIL PENGAWASAN",
        "Kepala desa memberi like pada unggahan paslon 01.",
        "Putat Kidul, 16 Oktober 2024",
    ]
    pdf = samples.html_pdf(samples.paragraphs(lines))
    (result,) = services.form_a_upload(actor=pkd, files=[upload("LHP_Putat Kidul.pdf", pdf)])
    report = created(result)
    assert report.number == ""
    data = {name: getattr(report, name) for name in services.FORM_FIELDS}
    filed = services.form_a_update(
        form=report, actor=pkd, location=services.Location(region=report.region), data=data
    )
    assert filed.status == FormAStatus.FILED
    assert re.fullmatch(r"001/LHP/PM\.01\.02/35\.07\.10\.2001/10/2024", filed.number)
    assert list(filed.suggestions.values_list("suggested_indicator", "source", "decision")) == [
        (12, "lexicon", "pending")
    ]
    assert FormA.objects.filter(status=FormAStatus.FILED).count() == 1
