"""Imbauan letters on ASN neutrality: the default text, and the letter as PDF and DOCX.

Official letters are always in Indonesian (UU 24/2009 Pasal 33), whatever language the staff
member's screen is in, so the text here does not go through gettext. The default text cites the
rules of DOMAIN.md §3 and Addendum B; staff edit it before the letters are numbered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from awas.asn.models import ImbauanLetter, RecipientKind
from awas.asn.selectors import settings_get
from awas.cases.formatting import tanggal
from awas.core.documents import docx_bytes, docx_new, docx_paragraph
from awas.core.text import printable, printable_all

KOP = "BADAN PENGAWAS PEMILIHAN UMUM"
SKB_2022 = (
    "Keputusan Bersama Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi, Menteri Dalam "
    "Negeri, Kepala Badan Kepegawaian Negara, Ketua Komisi Aparatur Sipil Negara, dan Ketua Badan "
    "Pengawas Pemilihan Umum Nomor 2 Tahun 2022, Nomor 800-5474 Tahun 2022, Nomor 246 Tahun 2022, "
    "Nomor 30 Tahun 2022, Nomor 1447.1/PM.01/K.1/09/2022 tentang Pedoman Pembinaan dan Pengawasan "
    "Netralitas Pegawai Aparatur Sipil Negara dalam Penyelenggaraan Pemilihan Umum dan Pemilihan"
)
UU_PEMILIHAN = (
    "Undang-Undang Nomor 1 Tahun 2015 beserta perubahannya, terakhir Undang-Undang Nomor 6 Tahun 2020"
)

ADDRESSEES: dict[str, str] = {
    RecipientKind.OPD_HEAD: (
        "Saudara selaku Kepala Perangkat Daerah beserta seluruh Aparatur Sipil Negara di lingkungan "
        "instansi yang Saudara pimpin"
    ),
    RecipientKind.CAMAT: (
        "Saudara selaku Camat beserta seluruh Aparatur Sipil Negara di lingkungan kecamatan, serta kepala "
        "desa dan perangkat desa di wilayah Saudara"
    ),
    RecipientKind.SCHOOL_HEAD: (
        "Saudara selaku Kepala Sekolah beserta seluruh pendidik dan tenaga kependidikan berstatus Aparatur "
        "Sipil Negara di lingkungan sekolah yang Saudara pimpin"
    ),
    RecipientKind.KEPALA_DESA: "Saudara selaku Kepala Desa beserta seluruh perangkat desa",
    RecipientKind.OTHER: "Saudara beserta seluruh jajaran",
}


def imbauan_default(kind: str, election: str, office: str) -> tuple[str, str]:
    """The subject and text offered for a new letter to addressees of ``kind``."""
    subject = f"Imbauan Menjaga Netralitas dalam {election}"
    village = kind == RecipientKind.KEPALA_DESA
    basis = (
        f"Pasal 70 ayat (1) dan Pasal 71 ayat (1) {UU_PEMILIHAN}"
        if village
        else f"{UU_PEMILIHAN}, Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara, serta "
        f"{SKB_2022}"
    )
    who = ADDRESSEES.get(kind, ADDRESSEES[RecipientKind.OTHER])
    items = [
        "a. bersikap netral dan tidak berpihak kepada bakal pasangan calon, pasangan calon, maupun partai "
        "politik mana pun;",
        "b. tidak memasang spanduk, baliho, atau alat peraga lainnya terkait bakal calon atau calon;",
        "c. tidak melakukan sosialisasi atau kampanye, termasuk di media sosial, serta tidak membuat "
        "posting, comment, share, like, atau bergabung/follow grup atau akun pemenangan bakal calon atau "
        "calon;",
        "d. tidak menghadiri deklarasi atau kampanye, dan tidak memposting foto bersama bakal calon, calon, "
        "tim sukses, atau alat peraga yang menunjukkan keberpihakan;",
        "e. tidak menggunakan fasilitas negara atau jabatan, dan tidak membuat keputusan atau tindakan yang "
        "menguntungkan atau merugikan salah satu pasangan calon;",
        "f. meneruskan imbauan ini kepada seluruh jajaran di lingkungan Saudara.",
    ]
    sanction = (
        "Kepala desa atau perangkat desa yang melanggar ketentuan tersebut dapat dikenai sanksi "
        f"sebagaimana diatur dalam {UU_PEMILIHAN} dan peraturan perundang-undangan tentang desa."
        if village
        else "Pelanggaran netralitas dapat dikenai sanksi moral berdasarkan Peraturan Pemerintah Nomor 42 "
        "Tahun 2004 atau hukuman disiplin berdasarkan Peraturan Pemerintah Nomor 94 Tahun 2021, serta "
        f"ketentuan pidana dalam {UU_PEMILIHAN}."
    )
    body = "\n".join(
        [
            f"Dalam rangka pengawasan penyelenggaraan {election}, dan berdasarkan {basis}, Badan Pengawas "
            f"Pemilihan Umum {office} mengimbau {who} untuk:",
            *items,
            "",
            sanction,
            "",
            "Demikian imbauan ini disampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan terima "
            "kasih.",
        ]
    )
    return subject, body


# --- the letter as a document --------------------------------------------------------------------


LIST_ITEM = re.compile(r"^[a-z0-9]{1,2}[.)]\s")


@dataclass(frozen=True)
class Paragraph:
    text: str
    item: bool  # a list item ("a. …"), indented


def paragraphs(body: str) -> list[Paragraph]:
    return [
        Paragraph(line.strip(), bool(LIST_ITEM.match(line.strip())))
        for line in body.splitlines()
        if line.strip()
    ]


def letter_context(letter: ImbauanLetter) -> dict[str, Any]:
    return {
        "letter": letter,
        "kop": f"{KOP} {letter.office.upper()}",
        "office_address": settings_get().office_address,
        "date_text": f"{letter.city}, {tanggal(letter.letter_date)}",
        "paragraphs": paragraphs(letter.body),
    }


def imbauan_pdf(letter: ImbauanLetter) -> bytes:
    from weasyprint import HTML  # imported here: it takes a while to load and few requests need it

    with translation.override("id"):
        html = render_to_string("asn/letters/imbauan.html", letter_context(letter))
    return bytes(HTML(string=html).write_pdf())


def imbauan_docx(letter: ImbauanLetter) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    context = printable_all(letter_context(letter))
    # The letter's own fields, as the context does, without what a Word file cannot hold.
    number, subject, recipient, place, signer_title, signer_name, office = (
        printable(text)
        for text in (
            letter.number,
            letter.subject,
            letter.recipient,
            letter.recipient_place,
            letter.signer_title,
            letter.signer_name,
            letter.office,
        )
    )
    document = docx_new("F4", (2.5, 2.5, 2.5, 2.5))
    docx_paragraph(document, context["kop"], bold=True, center=True, size=14)
    if context["office_address"]:
        address = document.add_paragraph(context["office_address"])
        address.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("_" * 70).alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_paragraph(context["date_text"]).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = document.add_table(rows=0, cols=3)
    for label, value in (("Nomor", number), ("Lampiran", "-"), ("Perihal", subject)):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
    document.add_paragraph()
    document.add_paragraph("Kepada Yth.")
    document.add_paragraph(recipient)
    document.add_paragraph(f"di {place}")
    document.add_paragraph()
    for paragraph in context["paragraphs"]:
        written = document.add_paragraph(paragraph.text)
        written.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if paragraph.item:
            written.paragraph_format.left_indent = Cm(1)
    document.add_paragraph()
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run(f"{signer_title} Bawaslu {office}")
    signature.add_run("\n\n\n\n")
    signature.add_run(signer_name or "(nama)").bold = True
    return docx_bytes(document)
