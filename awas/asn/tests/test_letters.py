"""Imbauan letters: numbered from a yearly counter, printed as PDF and DOCX with the office's kop."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError

from awas.asn import services
from awas.asn.letters import imbauan_default, imbauan_docx, imbauan_pdf
from awas.asn.models import Agency, ImbauanLetter, RecipientKind
from awas.conftest import KAB_MALANG
from awas.regions.models import Region

KOP = "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN MALANG"


@pytest.fixture
def letters(malang) -> list[ImbauanLetter]:
    dinas = Agency.objects.create(
        name="Dinas Pendidikan", head_title="Kepala Dinas Pendidikan Kabupaten Malang"
    )
    subject, body = imbauan_default(
        RecipientKind.OPD_HEAD, "Pemilihan Bupati dan Wakil Bupati Malang Tahun 2024", "Kabupaten Malang"
    )
    return services.imbauan_issue(
        recipients=[
            services.Recipient(RecipientKind.OPD_HEAD, dinas.addressee, dinas),
            services.Recipient(RecipientKind.CAMAT, "Camat Gondanglegi"),
        ],
        subject=subject,
        body=body,
        letter_date=dt.date(2024, 7, 3),
        office=Region.objects.get(code=KAB_MALANG),
        actor=None,
        signer_name="Nama Ketua",
    )


def test_each_addressee_gets_the_next_number_of_the_year(letters, malang):
    assert [letter.number for letter in letters] == [
        "001/PM.ASN/Kab/35.07/VII/2024",
        "002/PM.ASN/Kab/35.07/VII/2024",
    ]
    more = services.imbauan_issue(
        recipients=[services.Recipient(RecipientKind.OTHER, "Sekretaris Daerah")],
        subject="s",
        body="b",
        letter_date=dt.date(2025, 1, 6),
        office=Region.objects.get(code=KAB_MALANG),
        actor=None,
    )
    assert more[0].number == "001/PM.ASN/Kab/35.07/I/2025"  # a new year starts again


def test_no_addressee_no_letter(malang):
    with pytest.raises(ValidationError):
        services.imbauan_issue(
            recipients=[],
            subject="s",
            body="b",
            letter_date=dt.date(2024, 7, 3),
            office=Region.objects.get(code=KAB_MALANG),
            actor=None,
        )


def test_the_default_text_cites_the_rules():
    subject, body = imbauan_default(
        RecipientKind.CAMAT, "Pemilihan Bupati dan Wakil Bupati Malang Tahun 2024", "Kabupaten Malang"
    )
    assert "Netralitas" in subject
    assert "Badan Pengawas Pemilihan Umum Kabupaten Malang mengimbau Saudara selaku Camat" in body
    assert "Nomor 20 Tahun 2023" in body and "Nomor 94 Tahun 2021" in body and "Nomor 42 Tahun 2004" in body
    assert "like" in body
    _subject, village = imbauan_default(RecipientKind.KEPALA_DESA, "Pemilihan 2024", "Kabupaten Malang")
    assert "Pasal 70 ayat (1) dan Pasal 71 ayat (1)" in village


def test_the_pdf(letters):
    from pypdf import PdfReader

    pdf = imbauan_pdf(letters[0])
    assert pdf.startswith(b"%PDF")
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert KOP in text
    assert "001/PM.ASN/Kab/35.07/VII/2024" in text
    assert "Malang, 3 Juli 2024" in text  # Indonesian date
    assert "Kepala Dinas Pendidikan Kabupaten Malang" in text
    assert "Nama Ketua" in text


def test_the_docx(letters):
    from docx import Document

    document = Document(io.BytesIO(imbauan_docx(letters[1])))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for row in document.tables[0].rows for cell in row.cells]
    assert paragraphs[0] == KOP
    assert "Malang, 3 Juli 2024" in paragraphs
    assert "002/PM.ASN/Kab/35.07/VII/2024" in cells
    assert "Camat Gondanglegi" in paragraphs
    assert any(p.startswith("c. tidak melakukan sosialisasi") for p in paragraphs)
    assert any("Nama Ketua" in p for p in paragraphs)
