"""The imbauan letter as PDF (WeasyPrint) and DOCX (python-docx), always in Indonesian.

Official letters are written in Indonesian whatever the language of the screen (UU 24/2009 Pasal
33), so nothing here goes through gettext. Both formats are built from one context
(``letter_context``) so that they say the same thing.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from awas.cases.formatting import tanggal
from awas.core.documents import office_letterhead
from awas.core.text import printable_all
from awas.outreach.models import ImbauanLetter
from awas.outreach.services import office_region

# The address line to fill in by hand when the office has not set one (as on case letters).
NO_ADDRESS = "...................................."
OPENING = "Dengan hormat,"
CLOSING = (
    "Demikian imbauan ini kami sampaikan. Atas perhatian dan kerja sama Saudara, kami ucapkan terima kasih."
)


def letter_context(letter: ImbauanLetter) -> dict[str, Any]:
    activity = letter.activity
    office = office_region(activity.region_id)
    office_name = office.display_name if office else ""
    own = office_letterhead(office_name)
    return {
        "kop": f"BADAN PENGAWAS PEMILIHAN UMUM {office_name.upper()}".strip(),
        # Printed on two lines, as on the office's letterhead.
        "kop_lines": ["BADAN PENGAWAS PEMILIHAN UMUM", office_name.upper()],
        "address": own.address or NO_ADDRESS,
        "city": own.city,
        "draft": not letter.number,
        "number": letter.number or "…",
        "date": tanggal(letter.letter_date) if letter.letter_date else "…",
        "subject": letter.subject,
        "recipient": letter.recipient,
        "recipient_place": letter.recipient_place or "Tempat",
        "opening": OPENING,
        "paragraphs": [line.strip() for line in letter.body.splitlines() if line.strip()],
        "closing": CLOSING,
        "signer_title": f"{letter.signer_title or 'Ketua'} Bawaslu {office_name}".strip(),
        "signer_name": letter.signer_name,
    }


def letter_filename(letter: ImbauanLetter, extension: str) -> str:
    number = (letter.number or f"draf-{letter.pk}").replace("/", "-").replace(" ", "")
    return f"imbauan-{number}.{extension}"


def letter_pdf(letter: ImbauanLetter) -> bytes:
    from weasyprint import HTML  # slow to import; only letter downloads need it

    html = render_to_string("outreach/letter.html", letter_context(letter))
    return bytes(HTML(string=html).write_pdf())


def letter_docx(letter: ImbauanLetter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    context = printable_all(letter_context(letter))
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    for line in context["kop_lines"]:
        kop = document.add_paragraph()
        kop.alignment = WD_ALIGN_PARAGRAPH.CENTER
        kop.paragraph_format.space_after = Pt(0)
        run = kop.add_run(line)
        run.bold = True
        run.font.size = Pt(14)
    address = document.add_paragraph(context["address"])
    address.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The rule under the kop: a bottom border on the address paragraph.
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    address._p.get_or_add_pPr().append(borders)

    if context["draft"]:
        draft = document.add_paragraph()
        draft.add_run("DRAF — belum bernomor").bold = True

    dated = document.add_paragraph(f"{context['city']}, {context['date']}")
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for label, value in (
        ("Nomor", context["number"]),
        ("Sifat", "Penting"),
        ("Lampiran", "-"),
        ("Perihal", context["subject"]),
    ):
        line = document.add_paragraph(f"{label}\t: {value}")
        line.paragraph_format.tab_stops.add_tab_stop(Cm(2.5))
        line.paragraph_format.space_after = Pt(0)

    document.add_paragraph()
    for text in ("Yth.", context["recipient"], "di-", context["recipient_place"]):
        line = document.add_paragraph(text)
        line.paragraph_format.space_after = Pt(0)
    document.add_paragraph()
    document.add_paragraph(context["opening"])
    for text in context["paragraphs"]:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.add_paragraph(context["closing"]).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    signature = document.add_paragraph(f"{context['signer_title']},")
    signature.paragraph_format.left_indent = Cm(9)
    for _ in range(3):
        document.add_paragraph().paragraph_format.left_indent = Cm(9)
    name = document.add_paragraph()
    name.paragraph_format.left_indent = Cm(9)
    name.add_run(context["signer_name"] or "………………………").bold = True

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
