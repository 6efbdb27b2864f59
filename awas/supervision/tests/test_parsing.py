"""Reading Form A files the tests make: Awas's own PDF, other PDF layouts, DOCX, scans."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from awas.conftest import PUTAT_KIDUL
from awas.regions.models import Region
from awas.supervision import parsing
from awas.supervision.tests import samples


def parse_pdf(pdf: bytes) -> parsing.ParsedFormA:
    return parsing.parse_form_a(parsing.read_document(pdf, parsing.PDF).text)


def test_pdf_from_awas_template_round_trips(malang):
    form = samples.form_a_unsaved(Region.objects.get(code=PUTAT_KIDUL))
    parsed = parse_pdf(samples.awas_template_pdf(form))

    assert parsed.found == [1, 2, 3, 4, 5]
    assert parsed.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"
    f = parsed.fields
    assert f["pelaksana_nama"] == "Siti Aminah"
    assert f["pelaksana_jabatan"] == "Panwaslu Kelurahan/Desa Putat Kidul"
    assert f["nomor_surat_tugas"] == "012/PM.01.02/K.JI-35.07.10/10/2024"
    assert f["kegiatan_sasaran"] == "Pasangan calon, tim kampanye, ASN"
    assert f["uraian"].startswith("Pada saat kampanye tatap muka") and f["uraian"].endswith(
        "komentar dukungan."
    )
    assert "\n" not in f["uraian"]  # the PDF's line wrapping is undone
    assert f["pelaku_nama"] == "Budi Santoso"
    assert f["saksi"] == "1. Ahmad Fauzi\n2. Rina Wati"
    assert f["alat_bukti"] == "Foto kegiatan dan tangkapan layar unggahan Facebook"
    assert f["pelanggaran_uraian"].startswith("ASN aktif terlibat")
    assert f["sengketa_uraian"] == "Nihil"
    assert parsed.tahapan == "kampanye"
    assert parsed.kegiatan_tanggal == dt.date(2024, 10, 16)
    assert parsed.report_date == dt.date(2024, 10, 16)
    assert parsed.place_signed == "Putat Kidul"


ARABIC_LOWER = [
    "laporan hasil pengawasan pemilihan",
    "1. data pengawas",
    "a. Tahapan yang diawasi: pemungutan dan penghitungan suara",
    "b. Nama pelaksana: Joko Widodo Santoso",
    "2. kegiatan pengawasan",
    "a. Bentuk: pengawasan melekat di TPS 03",
    "b. Waktu dan tempat: 27 November 2024, TPS 03 Desa Putat Kidul",
    "3. uraian singkat hasil pengawasan",
    "Saksi paslon 01 mengajukan keberatan atas penghitungan suara.",
    "4. informasi dugaan pelanggaran",
    "Nihil",
]


def test_arabic_numbers_lower_case_and_lettered_items():
    parsed = parse_pdf(samples.html_pdf(samples.paragraphs(ARABIC_LOWER)))
    assert parsed.found == [1, 2, 3, 4]
    assert parsed.missing == [5]
    assert parsed.fields["pelaksana_nama"] == "Joko Widodo Santoso"
    assert parsed.fields["kegiatan_bentuk"] == "pengawasan melekat di TPS 03"
    assert parsed.fields["uraian"].startswith("Saksi paslon 01")
    assert parsed.tahapan == "pungut_hitung"
    assert parsed.kegiatan_tanggal == dt.date(2024, 11, 27)


def test_bagian_headings_without_wording_and_content_on_the_heading_line():
    lines = [
        "BAGIAN I",
        "Tahapan yang diawasi : Masa Tenang",
        "BAGIAN II",
        "Bentuk : Patroli pengawasan masa tenang",
        "BAGIAN III: Ditemukan alat peraga kampanye yang belum dibersihkan di jalan desa.",
        "BAGIAN IV",
        "Peristiwa : APK tidak diturunkan",
        "Uraian : Tim kampanye tidak menurunkan baliho pada masa tenang.",
    ]
    parsed = parse_pdf(samples.html_pdf(samples.paragraphs(lines)))
    assert parsed.found == [1, 2, 3, 4]
    assert parsed.tahapan == "masa_tenang"
    assert parsed.fields["uraian"] == "Ditemukan alat peraga kampanye yang belum dibersihkan di jalan desa."
    assert parsed.fields["pelanggaran_peristiwa"] == "APK tidak diturunkan"
    assert parsed.fields["pelanggaran_uraian"] == "Tim kampanye tidak menurunkan baliho pada masa tenang."


def test_roman_numerals_alone_and_headings_without_numbers():
    lines = [
        "I.",
        "Nama : Rudi",
        "KEGIATAN PENGAWASAN",
        "Sasaran : Kantor PPS",
        "III",
        "Pemutakhiran data pemilih berjalan lancar.",
        "Informasi Potensi Sengketa",
        "Tidak ada",
    ]
    parsed = parse_pdf(samples.html_pdf(samples.paragraphs(lines)))
    assert parsed.found == [1, 2, 3, 5]
    assert parsed.missing == [4]
    assert parsed.fields["pelaksana_nama"] == "Rudi"
    assert parsed.fields["kegiatan_sasaran"] == "Kantor PPS"
    assert parsed.fields["uraian"] == "Pemutakhiran data pemilih berjalan lancar."


def test_extra_pages_before_and_after_the_form_are_ignored():
    cover = samples.paragraphs(["Kepada Yth. Ketua Bawaslu Kabupaten Malang", "Perihal: Penyampaian LHP"])
    form = samples.paragraphs(
        [
            "I. DATA PENGAWAS",
            "1. Nama Pelaksana : Siti",
            "II. KEGIATAN PENGAWASAN",
            "1. Bentuk : Pengawasan langsung",
            "III. URAIAN SINGKAT HASIL PENGAWASAN",
            "Kampanye berjalan tertib.",
            "IV. INFORMASI DUGAAN PELANGGARAN",
            "Nihil",
            "V. INFORMASI POTENSI SENGKETA",
            "Nihil",
            "Gondanglegi, 3 Oktober 2024",
        ]
    )
    photos = samples.paragraphs(["DOKUMENTASI", "Foto 1: suasana kampanye", "I. DATA PENGAWAS", "ulangan"])
    pdf = samples.html_pdf(
        f"<div class='page'>{cover}</div><div class='page'>{form}</div><div>{photos}</div>"
    )
    parsed = parse_pdf(pdf)
    assert parsed.found == [1, 2, 3, 4, 5]
    assert parsed.fields["sengketa_uraian"] == "Nihil"
    assert parsed.fields["uraian"] == "Kampanye berjalan tertib."
    assert parsed.report_date == dt.date(2024, 10, 3)
    assert parsed.place_signed == "Gondanglegi"
    assert "Foto" not in str(parsed.fields)


def test_docx_with_a_table_layout():
    data = samples.docx_bytes(
        [
            "FORMULIR MODEL A",
            "Nomor : 007/LHP/PM.01.02/35.07.10/10/2024",
            "I. Data Pengawas",
            [
                ["1.", "Tahapan yang diawasi", ":", "Kampanye"],
                ["2.", "Nama Pelaksana Tugas Pengawasan", ":", "Dewi Lestari"],
                ["3.", "Jabatan", ":", "Ketua Panwaslu Kecamatan Gondanglegi"],
            ],
            "II. Kegiatan Pengawasan",
            [["1.", "Bentuk", ":", "Patroli"], ["4.", "Waktu dan Tempat", ":", "12/10/2024, Desa Sepanjang"]],
            "III. Uraian Singkat Hasil Pengawasan",
            "Ditemukan pembagian sembako oleh tim sukses paslon 02.",
            "IV. Informasi Dugaan Pelanggaran",
            [["1.", "Peristiwa", ":", "Pembagian sembako"], ["4.", "Nama Pelaku", ":", "Hadi"]],
        ]
    )
    parsed = parsing.parse_form_a(parsing.read_document(data, parsing.DOCX).text)
    assert parsed.found == [1, 2, 3, 4]
    assert parsed.number == "007/LHP/PM.01.02/35.07.10/10/2024"
    assert parsed.fields["pelaksana_nama"] == "Dewi Lestari"
    assert parsed.fields["pelaksana_jabatan"] == "Ketua Panwaslu Kecamatan Gondanglegi"
    assert parsed.fields["pelaku_nama"] == "Hadi"
    assert parsed.kegiatan_tanggal == dt.date(2024, 10, 12)
    assert parsed.tahapan == "kampanye"


def test_docx_paragraphs_with_mixed_headings():
    data = samples.docx_bytes(
        [
            "Bagian I - DATA PENGAWAS",
            "Nama: Anang",
            "bagian ii - kegiatan pengawasan",
            "Tujuan: mencegah politik uang",
            "Bagian III - Uraian singkat hasil pengawasan",
            "Tidak ditemukan politik uang.",
        ]
    )
    parsed = parsing.parse_form_a(parsing.read_document(data, parsing.DOCX).text)
    assert parsed.found == [1, 2, 3]
    assert parsed.fields["kegiatan_tujuan"] == "mencegah politik uang"
    assert parsed.fields["uraian"] == "Tidak ditemukan politik uang."


def test_scanned_pdf_is_refused_with_the_reason_when_ocr_is_missing(monkeypatch):
    monkeypatch.setattr(parsing.shutil, "which", lambda name: None)
    parsing.ocr_status.cache_clear()
    try:
        with pytest.raises(parsing.UnreadableFile) as refused:
            parsing.read_document(samples.scanned_pdf(samples.SCANNED_LINES), parsing.PDF)
    finally:
        parsing.ocr_status.cache_clear()
    message = str(refused.value)
    assert "tidak memiliki lapisan teks" in message
    assert "tesseract" in message


def test_scanned_pdf_is_read_by_ocr():
    available, why = parsing.ocr_status()
    if not available:
        pytest.skip(f"OCR not available here: {why} (install tesseract-ocr and tesseract-ocr-ind)")
    document = parsing.read_document(samples.scanned_pdf(samples.SCANNED_LINES), parsing.PDF)
    assert document.method == "pdf_ocr"
    parsed = parsing.parse_form_a(document.text)
    assert {1, 2, 3, 4} <= set(parsed.found)
    assert "amplop" in parsed.fields["uraian"].lower()
    assert parsed.tahapan == "kampanye"


def test_password_protected_and_broken_pdfs_are_refused():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("rahasia")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(parsing.UnreadableFile, match="kata sandi"):
        parsing.read_document(buffer.getvalue(), parsing.PDF)
    with pytest.raises(parsing.UnreadableFile, match="rusak"):
        parsing.read_document(b"%PDF-1.4\n1 0 obj garbage", parsing.PDF)
    with pytest.raises(parsing.UnreadableFile, match="rusak"):
        parsing.read_document(b"PK\x03\x04 not really a docx", parsing.DOCX)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("I. DATA PENGAWAS", (1, "")),
        ("i. data pengawas", (1, "")),
        ("1. Data Pengawas", (1, "")),
        ("BAGIAN IV", (4, "")),
        ("Bagian 5: Informasi Potensi Sengketa", (5, "")),
        ("III", (3, "")),
        ("IV. INFORMASI DUGAAN PELANGGARAN (jika ada)", (4, "")),
        ("Uraian Singkat Hasil Pengawasan: Aman.", (3, "Aman.")),
        ("1. Tahapan yang diawasi : Kampanye", None),
        ("iii", None),  # a lower-case numeral alone is a list item
        ("Dugaan pelanggaran yang ditemukan adalah politik uang", None),
        ("LAPORAN HASIL PENGAWASAN PEMILIHAN", None),
    ],
)
def test_heading_of(line, expected):
    assert parsing.heading_of(line) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rabu, 16 Oktober 2024, pukul 09.00", dt.date(2024, 10, 16)),
        ("16 Okt 2024", dt.date(2024, 10, 16)),
        ("tanggal 1 Nopember 2024", dt.date(2024, 11, 1)),
        ("16/10/2024", dt.date(2024, 10, 16)),
        ("2024-10-16", dt.date(2024, 10, 16)),
        ("31 Februari 2024 atau 2 Maret 2024", dt.date(2024, 3, 2)),
        ("tanpa tanggal", None),
    ],
)
def test_parse_date(text, expected):
    assert parsing.parse_date(text) == expected
