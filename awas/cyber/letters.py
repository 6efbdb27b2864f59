"""The take-down request letter (Permohonan Penurunan Konten) as PDF and DOCX.

Bawaslu cannot take content down itself: under DOMAIN.md (cyber supervision) a take-down is a
*request* to Komdigi (formerly Kominfo) or BSSN, which hold that power; the office records the
request and the answer (``TakedownRequest``). This letter is that request.

Official letters are always in Indonesian (UU 24/2009 Pasal 33), whatever language the staff
member's screen is in, so the text here does not go through gettext (label titles are rendered
with the Indonesian translation). The page is F4 (folio, 215 × 330 mm) as government offices
print; the layout follows the house style of ``awas.cases.documents`` and ``awas.asn.letters``:
the kop, Nomor / Sifat / Lampiran / Perihal with the place and date, the addressee, the body,
the signature block of the Ketua. WeasyPrint loads nothing from outside (``html_to_pdf``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from awas.cases.documents import DOTS, KOP_TITLE, html_to_pdf
from awas.cases.formatting import office_region_name, pukul, tanggal
from awas.core.documents import docx_bytes, docx_new, docx_paragraph, docx_rule_below
from awas.core.text import printable_all
from awas.cyber.labels import label_title
from awas.cyber.models import LabelDecision, TakedownAddressee, TakedownRequest

ADDRESSEES: dict[str, tuple[str, str, str]] = {
    # code: (addressee, how the body names them, place)
    TakedownAddressee.KOMDIGI: (
        "Menteri Komunikasi dan Digital Republik Indonesia",
        "Kementerian Komunikasi dan Digital",
        "Jakarta",
    ),
    TakedownAddressee.BSSN: (
        "Kepala Badan Siber dan Sandi Negara",
        "Badan Siber dan Sandi Negara",
        "Jakarta",
    ),
}
SUBJECT = "Permohonan Penurunan Konten"


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    code: bool = False  # printed in a fixed-width font (hashes, links)


def _when(moment: Any) -> str:
    return f"{tanggal(moment)} pukul {pukul(moment)}" if moment else "-"


def takedown_context(request: TakedownRequest) -> dict[str, Any]:
    post, capture = request.post, request.capture
    office = office_region_name(post)
    city = office.removeprefix("Kabupaten ").removeprefix("Kota ")
    addressee, body_name, place = ADDRESSEES.get(request.addressee, ADDRESSEES[TakedownAddressee.KOMDIGI])
    with translation.override("id"):
        labels = [
            label_title(lbl.label)
            for lbl in post.labels.filter(decision=LabelDecision.CONFIRMED).order_by("-score")
        ]
    handle = capture.author_handle.lstrip("@")
    account = " ".join(
        p
        for p in (f"@{handle}" if handle else "", f"({capture.author_name})" if capture.author_name else "")
        if p
    )
    rows = [
        Row("Platform", post.get_platform_display()),
        Row("Tautan (URL)", post.url or "-", code=True),
        Row("Akun", account or "-"),
        Row("Waktu unggah", _when(capture.posted_at)),
        Row("Waktu penangkapan", f"{_when(capture.captured_at)} (versi {capture.version})"),
        Row("SHA-256 tangkapan", capture.sha256, code=True),
    ]
    if capture.screenshot is not None:
        rows.append(Row("SHA-256 tangkapan layar", capture.screenshot.sha256, code=True))
    return {
        "request": request,
        "kop": (KOP_TITLE, office.upper()),
        "address": str(getattr(settings, "AWAS_OFFICE_ADDRESS", "") or ""),
        "bawaslu": f"Bawaslu {office}",
        "nomor": request.number,
        "sifat": "Segera",
        "lampiran": "1 (satu) berkas tangkapan layar" if capture.screenshot_id else "-",
        "perihal": SUBJECT,
        "place_date": f"{city}, {tanggal(request.letter_date)}",
        "addressee": addressee,
        "addressee_body": body_name,
        "addressee_place": place,
        "rows": rows,
        "labels": labels,
        "grounds": [line.strip() for line in request.reason.splitlines() if line.strip()],
        "excerpt": capture.text,
        "answer_due": tanggal(request.answer_due),
        "head_title": f"Ketua Bawaslu {office}",
        "head_name": str(getattr(settings, "AWAS_OFFICE_HEAD_NAME", "") or ""),
        "dots": DOTS,
    }


def _paragraphs(ctx: dict[str, Any]) -> tuple[str, str, str]:
    """The opening, the sentence on the labels, and the closing (shared by PDF and DOCX)."""
    opening = (
        f"Dalam rangka pengawasan penyelenggaraan Pemilihan, {ctx['bawaslu']} melalui pengawasan siber "
        "menemukan konten di media sosial yang diduga melanggar ketentuan peraturan perundang-undangan "
        "Pemilihan, dengan keterangan sebagai berikut:"
    )
    labels = (
        "Konten tersebut telah diperiksa oleh tim pengawasan siber dan dinilai memuat: "
        f"{', '.join(ctx['labels'])}."
        if ctx["labels"]
        else ""
    )
    closing = (
        f"Mengingat {ctx['bawaslu']} tidak berwenang menurunkan konten secara langsung, kami mohon "
        f"{ctx['addressee_body']} berkenan melakukan penurunan (take down) atau pemutusan akses atas konten "
        "tersebut sesuai dengan kewenangannya, dan menyampaikan hasilnya kepada "
        f"{ctx['bawaslu']} paling lambat tanggal {ctx['answer_due']}. Atas perhatian dan kerja samanya "
        "diucapkan terima kasih."
    )
    return opening, labels, closing


def takedown_html(request: TakedownRequest) -> str:
    ctx = takedown_context(request)
    ctx["opening"], ctx["labels_sentence"], ctx["closing"] = _paragraphs(ctx)
    return render_to_string("cyber/letters/takedown.html", ctx)


def takedown_pdf(request: TakedownRequest) -> bytes:
    return html_to_pdf(takedown_html(request))


def takedown_docx(request: TakedownRequest) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    ctx = printable_all(takedown_context(request))
    opening, labels_sentence, closing = _paragraphs(ctx)
    document = docx_new("F4", (2, 2.2, 2.5, 2.2))

    def paragraph(text: str = "", **style: Any) -> Any:
        return docx_paragraph(document, text, **style)

    for line in ctx["kop"]:
        paragraph(line, bold=True, center=True, size=14)
    kop_end = paragraph(ctx["address"], center=True, size=10)
    docx_rule_below(kop_end)
    paragraph()

    head = document.add_table(rows=4, cols=3)
    for row, (label, value, right) in zip(
        head.rows,
        (
            ("Nomor", ctx["nomor"], ctx["place_date"]),
            ("Sifat", ctx["sifat"], ""),
            ("Lampiran", ctx["lampiran"], ""),
            ("Perihal", ctx["perihal"], ""),
        ),
        strict=True,
    ):
        row.cells[0].text, row.cells[1].text, row.cells[2].text = label, f": {value}", right
        row.cells[0].width, row.cells[1].width, row.cells[2].width = Cm(2.5), Cm(9), Cm(5.3)
    paragraph()
    paragraph("Kepada Yth.")
    paragraph(ctx["addressee"], bold=True)
    paragraph("di –")
    paragraph(f"        {ctx['addressee_place']}")
    paragraph()
    document.add_paragraph(opening).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    data = document.add_table(rows=0, cols=2)
    data.style = "Table Grid"
    for item in ctx["rows"]:
        cells = data.add_row().cells
        cells[0].text, cells[1].text = item.label, item.value
        cells[0].width, cells[1].width = Cm(4.5), Cm(12.3)
    paragraph()
    if labels_sentence:
        document.add_paragraph(labels_sentence).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if ctx["grounds"]:
        paragraph("Adapun alasan permohonan ini adalah sebagai berikut:")
        for line in ctx["grounds"]:
            document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph()
    document.add_paragraph(closing).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph()
    for text in (f"{ctx['head_title']},", "", "", ""):
        paragraph(text).paragraph_format.left_indent = Cm(9)
    signer = paragraph(ctx["head_name"] or f"({DOTS})", bold=bool(ctx["head_name"]))
    signer.paragraph_format.left_indent = Cm(9)
    paragraph()
    paragraph("Tembusan:", size=10)
    paragraph("1. Ketua Bawaslu Provinsi;", size=10)
    paragraph("2. Arsip.", size=10)

    document.core_properties.title = f"{SUBJECT} {ctx['nomor']}"
    document.core_properties.author = ctx["bawaslu"]
    return docx_bytes(document)
