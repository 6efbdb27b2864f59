"""The foot of the tanda terima: signed at the desk, or said to be electronic.

A laporan brought to the office is handed over and received there: its tanda terima carries the
place and date and two signature lines, the pelapor's and the receiving officer's (with the
officer's position and office), on the one A4 page of a typical laporan. A laporan sent from afar
(the public web form, an e-mail) has nobody at the desk to sign: its receipt says it was received
electronically. The public copy that names nobody has no names to sign over.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from awas.cases.formatting import BULAN, today_local
from awas.cases.models import Channel
from awas.cases.services import intake, workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    facts,
    jpeg,
    pdf,
    record_laporan,
)
from awas.cases.tests.test_receipt_privacy import file_laporan, pdf_text, receipt
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role
from awas.core.services.deadlines import office_timezone

SIGNED_HEADINGS = "Pelapor, Yang menerima,"


@pytest.fixture
def staf(malang, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    user.first_name, user.last_name = "Rina", "Petugas"
    user.save()
    return user


def _pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(content)).pages]


def _yesterday_at_one_wib() -> dt.datetime:
    """01.00 WIB yesterday: 18.00 UTC the day before, so a date taken in UTC would be a day early."""
    return dt.datetime.combine(today_local() - dt.timedelta(days=1), dt.time(1, 0), tzinfo=office_timezone())


def _indonesian(day: dt.date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"


def test_an_in_person_laporan_is_signed_by_the_pelapor_and_the_officer_on_one_page(staf, settings):
    # A typical laporan at the desk: an office with its address on file, a title of some length,
    # two saksi and three files (photos and a scanned statement).
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji No. 119, Kepanjen, Kabupaten Malang, Jawa Timur 65163"
    settings.AWAS_OFFICE_PHONE = "(0341) 395100"
    received = _yesterday_at_one_wib()
    case = record_laporan(
        staf,
        PUTAT_KIDUL,
        title="Kepala desa membagikan amplop berisi uang kepada warga di balai desa",
        witnesses=2,
        evidence=[jpeg("foto-1.jpg", b"1"), jpeg("foto-2.jpg", b"2"), pdf("surat-pernyataan.pdf")],
        received_at=received,
    )
    assert case.channel == Channel.IN_PERSON
    client = verified_client(staf)

    pages = _pages(client.get(reverse("cases:receipt_pdf", args=[case.pk])).content)

    assert len(pages) == 1, pages[1:]
    text = pages[0]
    # The place and date: the kabupaten's town and the day it was received, in WIB.
    assert f"Malang, {_indonesian(received.date())}" in text
    assert SIGNED_HEADINGS in text
    assert "Siti Aminah Rina Petugas Staf Penanganan Pelanggaran Bawaslu Kabupaten Malang" in text
    assert "secara elektronik" not in text

    html = client.get(reverse("cases:receipt", args=[case.pk])).content.decode()
    assert 'data-testid="receipt-signatures"' in html  # the printable page is signed the same way


def test_the_signatures_of_a_long_receipt_never_start_a_page_of_their_own(staf, settings):
    # A laporan at the desk with a long title and more and more files: the first sheet fills, and
    # wherever it ends the place and date and the signature lines stay under the last lines above
    # them, never alone at the top of the next sheet.
    settings.AWAS_OFFICE_ADDRESS = "Jl. Panji No. 119, Kepanjen, Kabupaten Malang, Jawa Timur 65163"
    settings.AWAS_OFFICE_PHONE = "(0341) 395100"
    received = _yesterday_at_one_wib()
    place_date = f"Malang, {_indonesian(received.date())}"
    title = ("Kepala desa membagikan amplop berisi uang kepada warga di balai desa " * 4)[:255]
    overleaf = 0
    for files in range(2, 11):
        case = record_laporan(
            staf,
            PUTAT_KIDUL,
            title=title,
            evidence=[jpeg(f"foto-{n}.jpg", bytes([files, n])) for n in range(files)],
            received_at=received,
        )
        pages = _pages(intake.receipt_pdf(case, personal=True))
        signed = [page for page in pages if SIGNED_HEADINGS in page]
        assert len(signed) == 1, files
        assert "Siti Aminah Rina Petugas Staf Penanganan Pelanggaran" in signed[0], files
        above = signed[0].split(place_date)[0]
        above = re.sub(r"AWS-[A-Z0-9-]+ · \d+/\d+", "", above).strip()  # the page's footer
        assert above, f"{files} files: the signatures start page {pages.index(signed[0]) + 1} alone"
        overleaf += pages.index(signed[0]) > 0
    assert overleaf  # some of them did go onto the second sheet, with what came before them


def test_a_panwascam_signs_for_its_kecamatan_office_and_a_login_name_is_not_a_signature(malang, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam.gondanglegi")
    panwascam.first_name = "Siti"
    panwascam.save(update_fields=["first_name"])
    case = record_laporan(panwascam, PUTAT_KIDUL)
    text = " ".join(_pages(intake.receipt_pdf(case, personal=True)))
    assert "Siti Aminah Siti Panwaslu Kecamatan Gondanglegi" in text

    panwascam.first_name = ""
    panwascam.save(update_fields=["first_name"])
    text = " ".join(_pages(intake.receipt_pdf(case, personal=True)))
    assert f"Siti Aminah {intake.SIGN_HERE} Panwaslu Kecamatan Gondanglegi" in text  # written in by hand
    assert "pcam.gondanglegi" not in text.split(SIGNED_HEADINGS)[1]


def test_the_copy_that_names_nobody_has_no_signature_lines(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    _page, text = receipt(Client(), case)
    assert "Langsung di kantor" in text
    assert "Yang menerima" not in text and "Siti Aminah" not in text and "secara elektronik" not in text


def test_a_laporan_sent_from_afar_says_it_was_received_electronically(staf, client):
    web = file_laporan(client)
    _page, text = receipt(client, web)
    assert "Diterima secara elektronik (formulir web publik)" in text
    assert "Yang menerima" not in text

    emailed = workflow.case_record_in_person(
        facts=facts(PUTAT_KIDUL, title="Laporan lewat surel"),
        reporter=workflow.ReporterData(
            name="Siti Aminah", address="Jl. Melati 5", phone="", email="s@example.id"
        ),
        channel=Channel.EMAIL,
        actor=staf,
    )
    text = pdf_text(verified_client(staf).get(reverse("cases:receipt_pdf", args=[emailed.pk])).content)
    assert "Diterima secara elektronik (e-mail)" in text and "Yang menerima" not in text


def test_the_printable_page_links_are_in_the_staff_members_language(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    client = verified_client(staf)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("cases:receipt", args=[case.pk])).content.decode()
    assert "Back to the case" in html and "Print this page with the browser's Print command." in html
    assert "Kembali ke perkara" not in html
    assert "TANDA TERIMA" in html.upper() and "Yang menerima" in html  # the receipt itself stays Indonesian
