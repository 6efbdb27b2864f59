"""Form A files the tests make themselves: PDFs from Awas's own template and from other layouts,
DOCX written with python-docx, and a scanned (image-only) PDF drawn with Pillow."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from awas.ikp.models import Tahapan
from awas.regions.models import Region, Tps
from awas.supervision.models import FormA, FormASource, FormAStatus

ASN_VALUES: dict[str, Any] = {
    "tahapan": Tahapan.KAMPANYE,
    "pelaksana_nama": "Siti Aminah",
    "pelaksana_jabatan": "Panwaslu Kelurahan/Desa Putat Kidul",
    "nomor_surat_tugas": "012/PM.01.02/K.JI-35.07.10/10/2024",
    "pelaksana_alamat": "Jl. Raya Putat Kidul No. 5, Gondanglegi",
    "kegiatan_bentuk": "Pengawasan langsung kegiatan kampanye tatap muka",
    "kegiatan_tujuan": "Memastikan kampanye sesuai ketentuan dan netralitas ASN terjaga",
    "kegiatan_sasaran": "Pasangan calon, tim kampanye, ASN",
    "kegiatan_waktu_tempat": "Rabu, 16 Oktober 2024, pukul 09.00 WIB, Balai Dusun Krajan, Desa Putat Kidul",
    "kegiatan_tanggal": dt.date(2024, 10, 16),
    "report_date": dt.date(2024, 10, 16),
    "uraian": (
        "Pada saat kampanye tatap muka paslon nomor urut 01 di Balai Dusun Krajan, PKD menemukan seorang "
        "ASN guru SDN Putat Kidul 02 ikut berkampanye dan mengajak warga memilih paslon 01. "
        "Yang bersangkutan juga "
        "mengunggah foto bersama paslon di Facebook dan memberi like serta komentar dukungan."
    ),
    "pelanggaran_peristiwa": "ASN berkampanye untuk paslon 01",
    "pelanggaran_tempat": "Balai Dusun Krajan, Desa Putat Kidul",
    "pelanggaran_waktu": "Rabu, 16 Oktober 2024 pukul 09.30 WIB",
    "pelaku_nama": "Budi Santoso",
    "pelaku_alamat": "Dusun Krajan RT 02 RW 01, Putat Kidul",
    "saksi": "1. Ahmad Fauzi\n2. Rina Wati",
    "alat_bukti": "Foto kegiatan dan tangkapan layar unggahan Facebook",
    "pelanggaran_uraian": (
        "ASN aktif terlibat dalam kampanye paslon 01 dan menunjukkan keberpihakan di media sosial."
    ),
    "sengketa_peristiwa": "",
    "sengketa_uraian": "Nihil",
}

MONEY_VALUES: dict[str, Any] = {
    **ASN_VALUES,
    "uraian": (
        "Pada malam hari menjelang pemungutan suara, tim sukses paslon 02 membagikan amplop berisi uang "
        "Rp 50.000 kepada warga Dusun Krajan agar memilih paslon 02. Warga menyebutnya serangan fajar."
    ),
    "pelanggaran_peristiwa": "Pembagian uang kepada pemilih",
    "pelanggaran_uraian": "Politik uang oleh tim sukses paslon 02.",
}


def created(result: Any) -> FormA:
    """The draft an upload made (failing the test if the file was not read)."""
    assert result.form is not None, (result.name, result.outcome, result.reason)
    form: FormA = result.form
    return form


def form_a_unsaved(
    region: Region,
    values: dict[str, Any] | None = None,
    *,
    tps: Tps | None = None,
    number: str = "001/LHP/PM.01.02/35.07.10.2001/10/2024",
) -> FormA:
    form = FormA(source=FormASource.TYPED, status=FormAStatus.FILED, region=region, tps=tps, number=number)
    for key, value in (values or ASN_VALUES).items():
        setattr(form, key, value)
    return form


def awas_template_pdf(form: FormA) -> bytes:
    """A PDF from Awas's own Form A template (the official layout)."""
    from awas.supervision.documents import form_a_pdf

    return form_a_pdf(form, show_personal=True)


def html_pdf(body: str) -> bytes:
    from weasyprint import HTML

    html = (
        "<html><head><meta charset='utf-8'><style>body{font-family:'DejaVu Sans';font-size:10pt}"
        ".page{page-break-after:always}</style></head><body>" + body + "</body></html>"
    )
    return bytes(HTML(string=html).write_pdf())


def paragraphs(lines: Iterable[str]) -> str:
    from html import escape

    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def docx_bytes(blocks: Sequence[str | list[list[str]]]) -> bytes:
    """A Word document: each block a paragraph (str) or a table (rows of cells)."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=max(len(r) for r in block))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def scanned_pdf(lines: Sequence[str]) -> bytes:
    """An image-only PDF (no text layer), as a scanner makes: text drawn on a white page."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = 1654, 2339  # A4 at 200 dpi
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    try:
        font: Any = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 34)
    except OSError:  # no DejaVu fonts on this machine
        font = ImageFont.load_default(size=34)
    y = 120
    for line in lines:
        draw.text((120, y), line, fill=0, font=font)
        y += 56
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=200.0)
    return buffer.getvalue()


SCANNED_LINES = [
    "FORMULIR MODEL A",
    "LAPORAN HASIL PENGAWASAN PEMILIHAN",
    "I. DATA PENGAWAS",
    "1. Tahapan yang diawasi : Kampanye",
    "2. Nama Pelaksana : Siti Aminah",
    "II. KEGIATAN PENGAWASAN",
    "1. Bentuk : Pengawasan langsung",
    "III. URAIAN SINGKAT HASIL PENGAWASAN",
    "Tim sukses membagikan amplop berisi uang",
    "kepada warga agar memilih paslon 02.",
    "IV. INFORMASI DUGAAN PELANGGARAN",
    "1. Peristiwa : Politik uang",
]
