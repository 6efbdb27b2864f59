"""Who the tanda terima names: the pelapor's browser and the staff who may see the pelapor, nobody else.

The tracking code is not a password: it is printed on receipts and forwarded. So the public receipt
(page and PDF) names the pelapor, and says what the report is about, only in the browser that filed
it; anyone else with the code gets a receipt that names nobody. PKD and PTPS (no access to the
pelapor) do not get the code on staff pages. Staff print the tanda terima of a laporan they recorded
(in person, by e-mail), with its real channel, and the download is audited.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from awas.cases.models import Case, CaseKind, Channel
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    facts,
    jpeg,
    record_laporan,
    registered_laporan,
)
from awas.cases.tests.test_intake import SECRET_BITS
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role

TITLE = "Pembagian amplop di balai desa"  # what laporan_data files


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-")
    return " ".join(
        " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(content)).pages).split()
    )


def file_laporan(client: Client) -> Case:
    response = client.post("/lapor/laporan/", laporan_data(form_key(client.get("/lapor/laporan/"))))
    assert response.status_code == 302
    return Case.objects.get(idempotency_key__isnull=False, tracking_code=response["Location"].split("/")[-2])


def receipt(client: Client, case: Case) -> tuple[str, str]:
    page = client.get(f"/lapor/terima/{case.tracking_code}/")
    pdf = client.get(f"/lapor/terima/{case.tracking_code}/tanda-terima.pdf")
    assert page.status_code == pdf.status_code == 200
    return page.content.decode(), pdf_text(pdf.content)


# --- the public receipt ----------------------------------------------------------------------------


def test_the_browser_that_filed_gets_the_receipt_with_the_pelapor_name(malang, client):
    case = file_laporan(client)
    page, pdf = receipt(client, case)

    assert case.tracking_code in page and TITLE in page
    assert case.tracking_code in pdf
    assert SECRET_BITS["reporter"] in pdf and TITLE in pdf
    assert "Formulir web publik" in pdf  # the channel, in Indonesian
    for secret in ("reporter_address", "reporter_phone", "reporter_email", "terlapor", "witness"):
        assert SECRET_BITS[secret] not in pdf, secret


def test_anyone_else_with_the_code_gets_a_receipt_that_names_nobody(malang, client):
    case = file_laporan(client)
    stranger = Client()  # another phone, a PKD at home, whoever the code was forwarded to
    page, pdf = receipt(stranger, case)

    assert case.tracking_code in page and case.tracking_code in pdf
    assert 'data-testid="receipt-without-names"' in page
    assert "Formulir web publik" in pdf
    for text in (page, pdf):
        assert SECRET_BITS["reporter"] not in text
        assert TITLE not in text  # what it is about often names people: the filer's browser only
        for secret in ("reporter_address", "reporter_phone", "terlapor", "witness", "chronology"):
            assert SECRET_BITS[secret] not in text, secret
    # The tracking page still works with the code, and shows the status only.
    tracking = stranger.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert (
        "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa." in tracking
        and SECRET_BITS["reporter"] not in tracking
    )


def test_a_forged_cookie_does_not_unlock_the_name(malang, client):
    case = file_laporan(client)
    forger = Client()
    forger.cookies["awas_filed"] = case.tracking_code  # not signed by the server
    _page, pdf = receipt(forger, case)
    assert SECRET_BITS["reporter"] not in pdf


def test_a_retry_after_a_lost_answer_still_gets_the_named_receipt(malang, client):
    data = laporan_data(form_key(client.get("/lapor/laporan/")))
    first = client.post("/lapor/laporan/", data)
    client.cookies.pop("awas_filed")  # the answer (and its cookie) never reached the phone
    again = client.post("/lapor/laporan/", data)

    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert Case.objects.count() == 1
    _page, pdf = receipt(client, Case.objects.get())
    assert SECRET_BITS["reporter"] in pdf


def test_the_filed_cookie_stays_on_the_public_pages(malang, client):
    data = laporan_data(form_key(client.get("/lapor/laporan/")))
    response = client.post("/lapor/laporan/", data)
    cookie = response.cookies["awas_filed"]
    assert cookie["path"] == "/lapor/" and cookie["httponly"] and not cookie["max-age"]


# --- the tracking code on staff pages --------------------------------------------------------------


@pytest.fixture
def staf(malang, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    user.first_name, user.last_name = "Rina", "Petugas"
    user.save()
    return user


def test_pkd_gets_no_tracking_code_on_case_pages_staff_do(staf, make_user):
    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd"))
    ptps_user = make_user(Role.PTPS, PUTAT_KIDUL, username="ptps", tps_number=1)
    ptps = verified_client(ptps_user)
    case = record_laporan(staf, PUTAT_KIDUL, title="Amplop di Putat Kidul", tps=ptps_user.scope_tps)
    temuan = workflow.temuan_create(
        facts=facts(PUTAT_KIDUL, title="Temuan PKD", tps=ptps_user.scope_tps), actor=staf
    )

    for client in (pkd, ptps):
        detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        listing = client.get(reverse("cases:list")).content.decode()
        assert "Amplop di Putat Kidul" in listing
        assert case.tracking_code not in detail and case.tracking_code not in listing
        assert f">#{case.pk}</a>" in listing  # named by its record number until registered
        assert 'data-testid="staff-receipt"' not in detail
        # A temuan has no pelapor: its code is the office's own reference.
        assert temuan.tracking_code in listing
        assert client.get(reverse("cases:receipt_pdf", args=[case.pk])).status_code == 403

    staff = verified_client(staf)
    assert case.tracking_code in staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.tracking_code in staff.get(reverse("cases:list")).content.decode()


# --- the staff tanda terima ------------------------------------------------------------------------


def email_laporan(staf: Any) -> Case:
    return workflow.case_record_in_person(
        facts=facts(PUTAT_KIDUL, title="Laporan lewat surel"),
        reporter=workflow.ReporterData(
            name="Siti Aminah", address="Jl. Melati 5", phone="081234567890", email="siti@example.id"
        ),
        evidence=[jpeg()],
        channel=Channel.EMAIL,
        actor=staf,
    )


def test_staff_print_the_tanda_terima_of_an_email_laporan_and_it_is_audited(staf):
    case = email_laporan(staf)
    client = verified_client(staf)
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:receipt_pdf", args=[case.pk]) in detail
    assert reverse("cases:receipt", args=[case.pk]) in detail

    response = client.get(reverse("cases:receipt_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert case.tracking_code in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "TANDA TERIMA LAPORAN",
        case.tracking_code,
        "E-mail",
        "Siti Aminah",
        "Rina Petugas",  # who received it
        "Laporan lewat surel",
        "WIB",
    ):
        assert expected in text, expected
    assert "Formulir web publik" not in text
    assert "081234567890" not in text and "siti@example.id" not in text  # contact details stay inside

    page = client.get(reverse("cases:receipt", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="receipt-channel">E-mail<' in html and "Siti Aminah" in html
    assert reverse("cases:detail", args=[case.pk]) in html  # back to the case (hidden when printed)

    audited = AuditEntry.objects.filter(
        action="case.document_generated", object_id=str(case.pk), actor=staf
    ).values_list("after", flat=True)
    assert sorted((entry or {})["document"] for entry in audited) == ["tanda-terima.html", "tanda-terima.pdf"]


def test_the_public_copy_of_an_in_person_laporan_says_in_person_and_names_nobody(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    assert case.channel == Channel.IN_PERSON
    _page, pdf = receipt(Client(), case)
    assert "Langsung di kantor" in pdf
    assert "Siti Aminah" not in pdf and "Rina Petugas" not in pdf


def test_a_laporan_received_by_a_panwascam_says_so_on_its_tanda_terima(malang, make_user):
    # It read "Diterima oleh Siti" under the kabupaten's letterhead: the pelapor who came to the
    # Panwaslu Kecamatan's office could not tell from the paper where the laporan was received.
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam")
    panwascam.first_name = "Siti"
    panwascam.save(update_fields=["first_name"])
    case = record_laporan(panwascam, PUTAT_KIDUL)
    page = verified_client(panwascam).get(reverse("cases:receipt", args=[case.pk])).content.decode()
    assert "<th>Diterima oleh</th><td>Siti, Panwaslu Kecamatan Gondanglegi</td>" in page


def test_a_temuan_has_no_tanda_terima(staf):
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    assert temuan.kind == CaseKind.TEMUAN
    client = verified_client(staf)
    assert client.get(reverse("cases:receipt_pdf", args=[temuan.pk])).status_code == 404
    assert client.get(reverse("cases:receipt", args=[temuan.pk])).status_code == 404
    detail = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert 'data-testid="staff-receipt"' not in detail


def test_the_public_pages_do_not_answer_a_temuan_code(staf, client):
    """PKD and PTPS see a temuan's code on their lists: outside, it must not open the office's own
    finding (its statuses, its outcome, its evidence fingerprints)."""
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL, title="Temuan PKD"), actor=staf)
    tracked = client.get(reverse("public:track_detail", args=[temuan.tracking_code]))
    assert tracked.status_code == 404 and "Temuan PKD" not in tracked.content.decode()
    assert client.get(reverse("public:receipt", args=[temuan.tracking_code])).status_code == 404
    assert client.get(reverse("public:receipt_pdf", args=[temuan.tracking_code])).status_code == 404
    laporan = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    assert client.get(reverse("public:receipt", args=[laporan.tracking_code])).status_code == 200


def test_a_receipt_printed_after_an_extension_shows_the_deadline_it_was_issued_with(staf):
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    issued_due = case.decision_due
    workflow.request_more_information(case=case, what="Mohon bawa saksi kedua.", actor=staf)
    case.refresh_from_db()
    assert issued_due is not None and case.decision_due == issued_due + dt.timedelta(days=2)

    html = verified_client(staf).get(reverse("cases:receipt", args=[case.pk])).content.decode()
    with translation.override("id"):
        assert date_format(issued_due, "j F Y") in html
        assert date_format(case.decision_due, "j F Y") not in html
    assert "3 hari setelah diterima; paling lama 2 hari lagi" in html


def test_a_pemilu_receipt_counts_working_days(staf):
    case = record_laporan(staf, PUTAT_KIDUL, election_type="pemilu")
    html = verified_client(staf).get(reverse("cases:receipt", args=[case.pk])).content.decode()
    # Its letterhead named the Pilkada on every receipt, a Pemilu laporan's too.
    assert "Penanganan pelanggaran · Pemilu" in html and "Pilkada" not in html
    assert "Penanganan pelanggaran · Pemilu" in pdf_text(
        verified_client(staf).get(reverse("cases:receipt_pdf", args=[case.pk])).content
    )
    assert "7 hari kerja setelah laporan diterima dan diregistrasi" in html
    # Pasal 454(7) counts from registration too: no decision date is printed that registration
    # would move. A Pilkada receipt has its "Batas putusan" row (Pasal 134(5): from receipt).
    assert "Batas putusan" not in html
    pilkada = record_laporan(staf, PUTAT_KIDUL, title="Pilkada")
    html = verified_client(staf).get(reverse("cases:receipt", args=[pilkada.pk])).content.decode()
    assert "Batas putusan" in html and "Penanganan pelanggaran · Pilkada" in html
