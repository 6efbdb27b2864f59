"""Official documents in the house style: a DOCX page set up as offices print letters, and the HTTP
answers that serve generated PDF and DOCX files (PDF opens in the browser, DOCX downloads for
editing in Word)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header

PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Page sizes in cm (height, width). Government offices print letters on F4 (folio).
PAGES = {"F4": (33.0, 21.5), "A4": (29.7, 21.0)}


@dataclass(frozen=True)
class OfficeLetterhead:
    address: str  # "" when not set: the letter leaves a line to fill in by hand
    city: str  # the town on the date line
    head_name: str  # the Ketua who signs; "" when not set


def office_letterhead(office: str) -> OfficeLetterhead:
    """What the office's letters print from the settings, for the office named ``office``
    ("Kabupaten Malang"). One place, so an imbauan and a case letter of the same office agree.
    No built-in address: another office's letters must not carry Kab. Malang's. The date line
    falls back to the kabupaten/kota's own name (``Malang``)."""
    own_name = office.removeprefix("Kabupaten ").removeprefix("Kota ")
    return OfficeLetterhead(
        address=str(getattr(settings, "AWAS_OFFICE_ADDRESS", "") or ""),
        city=str(getattr(settings, "AWAS_OFFICE_CITY", "") or "") or own_name,
        head_name=str(getattr(settings, "AWAS_OFFICE_HEAD_NAME", "") or ""),
    )


def file_safe(text: str) -> str:
    """A letter number as part of a file name: ``001/PS/SIBER/35.07`` → ``001-PS-SIBER-35-07``."""
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


def document_response(content: bytes, filename: str) -> HttpResponse:
    pdf = filename.lower().endswith(".pdf")
    response = HttpResponse(content, content_type=PDF_TYPE if pdf else DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(not pdf, filename) or "inline"
    return response


def docx_new(page: str = "F4", margins_cm: tuple[float, float, float, float] = (2, 2, 2.5, 2)) -> Any:
    """A python-docx document: the page (top, bottom, left, right margins), Times New Roman 12 pt,
    no space after paragraphs."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    height, width = PAGES[page]
    section.page_height, section.page_width = Cm(height), Cm(width)
    top, bottom, left, right = margins_cm
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    style.paragraph_format.space_after = Pt(0)
    return document


def docx_paragraph(
    document: Any, text: str = "", *, bold: bool = False, center: bool = False, size: int | None = None
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def docx_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_rule_below(paragraph: Any) -> None:
    """The thick rule under a letterhead (kop surat): a bottom border on its last paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "thick"), ("w:sz", "18"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
