"""Imbauan letters: drafted from a template, numbered from a yearly counter when issued, and
produced as PDF and DOCX in Indonesian with the office's kop."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document
from pypdf import PdfReader

from awas.cases import documents as case_documents
from awas.cases.formatting import tanggal, today_local
from awas.cases.tests.staff_helpers import registered_laporan
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.roles import Role
from awas.outreach import documents, services
from awas.outreach.models import ActivityKind, ActivityStatus, ImbauanLetter, RecipientKind
from awas.regions.models import Region

KOP = "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN MALANG"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def docx_text(content: bytes) -> str:
    """The paragraphs' text, white space collapsed (the kop is printed on two lines)."""
    return " ".join(" ".join(p.text for p in Document(io.BytesIO(content)).paragraphs).split())


def draft(
    staf, *, region: str = KAB_MALANG, recipient: str = "Bupati Malang", kind: str = RecipientKind.BUPATI
):
    subject, body = services.letter_template(kind, region=Region.objects.get(code=region), year=2026)
    return services.letter_create(
        actor=staf,
        data=services.LetterData(
            region=Region.objects.get(code=region),
            planned_date=today_local(),
            recipient_kind=kind,
            recipient=recipient,
            subject=subject,
            body=body,
            signer_name="M. Wahyudi",
        ),
    )


def test_a_letter_to_the_bupati_is_drafted_issued_and_printed_with_its_number_and_recipient(staf_client):
    form = staf_client.get("/pencegahan/surat/baru/?penerima=bupati").content.decode()
    assert "Imbauan Netralitas Aparatur Sipil Negara" in form
    assert "Bupati Malang" in form
    assert "Pemerintah Kabupaten Malang" in form  # the template names the office's kabupaten

    response = staf_client.post(
        "/pencegahan/surat/baru/",
        {
            "recipient_kind": "bupati",
            "recipient": "Bupati Malang",
            "recipient_place": "Kepanjen",
            "region": KAB_MALANG,
            "planned_date": today_local().isoformat(),
            "subject": "Imbauan Netralitas Aparatur Sipil Negara",
            "body": "Bawaslu Kabupaten Malang mengimbau Saudara untuk:\n1. menjaga netralitas ASN.",
            "signer_name": "M. Wahyudi",
            "signer_title": "Ketua",
        },
    )
    assert response.status_code == 302
    letter = ImbauanLetter.objects.select_related("activity").get()
    assert letter.number is None
    assert letter.activity.kind == ActivityKind.IMBAUAN and letter.activity.status == ActivityStatus.PLANNED

    assert staf_client.post(f"/pencegahan/surat/{letter.pk}/terbitkan/").status_code == 302
    letter.refresh_from_db()
    today = today_local()
    number = letter.number or ""
    assert number == f"001/PM/Kab/35.07/{ROMAN[today.month - 1]}/{today.year}"
    assert letter.letter_date == today
    letter.activity.refresh_from_db()
    assert (letter.activity.status, letter.activity.done_date) == (ActivityStatus.DONE, today)

    pdf = staf_client.get(f"/pencegahan/surat/{letter.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in (
        KOP,
        number,
        "Bupati Malang",
        f"Malang, {tanggal(today)}",  # AWAS_OFFICE_CITY unset: the kabupaten's name, as case letters
        "M. Wahyudi",
        "Perihal",
    ):
        assert expected in text, expected

    docx = staf_client.get(f"/pencegahan/surat/{letter.pk}/docx/")
    assert docx["Content-Type"].endswith("wordprocessingml.document")
    text = docx_text(docx.content)
    for expected in (KOP, number, "Bupati Malang", f"Malang, {tanggal(today)}", "M. Wahyudi"):
        assert expected in text, expected


def test_indonesian_dates_in_letters():
    assert tanggal(dt.date(2026, 11, 26)) == "26 November 2026"
    assert tanggal(dt.date(2027, 8, 7)) == "7 Agustus 2027"


def test_numbers_follow_a_yearly_counter(staf, malang):
    first, second, third = (
        draft(staf),
        draft(staf, region=PUTAT_KIDUL, recipient="Kepala Desa Putat Kidul"),
        draft(staf),
    )
    services.letter_issue(first, actor=staf, on=dt.date(2026, 11, 26))
    services.letter_issue(second, actor=staf, on=dt.date(2026, 12, 1))
    services.letter_issue(third, actor=staf, on=dt.date(2027, 1, 4))
    numbers = list(ImbauanLetter.objects.order_by("letter_date").values_list("number", flat=True))
    assert numbers == ["001/PM/Kab/35.07/XI/2026", "002/PM/Kab/35.07/XII/2026", "001/PM/Kab/35.07/I/2027"]


def test_the_number_format_is_the_offices_to_set(staf, malang, settings):
    settings.AWAS_IMBAUAN_NUMBER_FORMAT = "{seq:03d}/PM.00.02/K.JI-18/{month:02d}/{year}"
    letter = services.letter_issue(draft(staf), actor=staf, on=dt.date(2026, 11, 26))
    assert letter.number == "001/PM.00.02/K.JI-18/11/2026"


def test_a_letter_is_numbered_once_and_then_stays_as_issued(staf, malang):
    letter = services.letter_issue(draft(staf), actor=staf, on=dt.date(2026, 11, 26))
    with pytest.raises(ValidationError):
        services.letter_issue(letter, actor=staf)
    with pytest.raises(ValidationError):
        services.activity_set_status(
            letter.activity, actor=staf, status=ActivityStatus.CANCELLED, reason="salah"
        )
    data = services.LetterData(
        region=Region.objects.get(code=KAB_MALANG),
        planned_date=today_local(),
        recipient_kind=RecipientKind.BUPATI,
        recipient="Bupati",
        subject="x",
        body="y",
    )
    with pytest.raises(ValidationError):
        services.letter_update(letter, actor=staf, data=data)


def test_a_draft_is_not_marked_sent_without_a_number(staf, malang):
    letter = draft(staf)
    with pytest.raises(ValidationError):
        services.activity_set_status(
            letter.activity, actor=staf, status=ActivityStatus.DONE, done_date=today_local()
        )


def test_a_draft_prints_as_a_draft(staf, staf_client):
    letter = draft(
        staf, region=PUTAT_KIDUL, recipient="Kepala Desa Putat Kidul", kind=RecipientKind.KEPALA_DESA
    )
    text = pdf_text(staf_client.get(f"/pencegahan/surat/{letter.pk}/pdf/").content)
    assert "DRAF" in text and "Kepala Desa Putat Kidul" in text
    assert "Pasal 71 ayat (1)" in docx_text(staf_client.get(f"/pencegahan/surat/{letter.pk}/docx/").content)


def test_an_imbauan_has_the_letterhead_of_the_offices_case_letters(staf, settings, make_user):
    """One letterhead per office: the address line and the town on the date line of an imbauan
    are those of the undangan klarifikasi, whether the office set them or not."""
    letter = draft(staf)
    services.letter_issue(letter, actor=staf, on=today_local())
    letter.refresh_from_db()
    handler = make_user(Role.STAF_PP, KAB_MALANG, username="pp")
    case = registered_laporan(handler, PUTAT_KIDUL)
    dated = f", {tanggal(today_local())}"
    for address, city in (("", ""), ("Jl. Panji No. 158, Kepanjen", "Kepanjen")):
        settings.AWAS_OFFICE_ADDRESS, settings.AWAS_OFFICE_CITY = address, city
        kop_line = address or "...................................."
        town = city or "Malang"
        case_letter = pdf_text(case_documents.status_notice_pdf(case))
        imbauan = pdf_text(documents.letter_pdf(letter))
        assert f"KABUPATEN MALANG {kop_line} {town}{dated}" in case_letter
        assert f"KABUPATEN MALANG {kop_line} {town}{dated}" in imbauan
        assert f"KABUPATEN MALANG {kop_line} {town}{dated}" in docx_text(documents.letter_docx(letter))
        assert "Trunojoyo" not in case_letter + imbauan
