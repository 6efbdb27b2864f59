"""The pages, by role: who sees names and NIPs, who sees only counts, who sees nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from awas.asn import services
from awas.asn.models import (
    AsnCaseLink,
    FactorCode,
    ImbauanLetter,
    Person,
    RiskFactor,
    SanctionFollowUp,
    SocialAccount,
    Stage,
    Violation,
)
from awas.asn.tests.helpers import csv_bytes, make_nip, person
from awas.asn.tests.test_catalogue_and_sanctions import make_case
from awas.conftest import GONDANGLEGI, KAB_MALANG, verified_client
from awas.core.roles import Role
from awas.regions.models import Region

NIP = make_nip("19850510", "201001", "1", "001")


@pytest.fixture
def client_for(make_user):
    """A verified client for a new user of ``role``, its screens in English unless asked."""
    made = itertools.count(1)

    def make(role: str, scope: str = KAB_MALANG, language: str = "en") -> Client:
        client = verified_client(make_user(role, scope, username=f"{role}-{next(made)}"))
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
        return client

    return make


@pytest.fixture
def camat(malang) -> Person:
    p = person(
        GONDANGLEGI,
        "Hartono Wibisono",
        nip=NIP,
        position="Camat Gondanglegi",
        mobilising_detected=True,
        appointed_by_incumbent=True,
    )
    services.account_add(person=p, platform="facebook", handle="hartono.wibisono", actor=None)
    return p


def test_staf_pencegahan_sees_counts_but_no_names_or_nip(camat, client_for):
    client = client_for(Role.STAF_PENCEGAHAN, KAB_MALANG)

    response = client.get("/asn/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Gondanglegi" in page
    assert 'data-testid="at-risk-total">1<' in page
    assert "Hartono" not in page and NIP not in page and "hartono.wibisono" not in page

    assert client.get("/asn/daftar/").status_code == 403
    assert client.get(f"/asn/daftar/{camat.pk}/").status_code == 403
    assert client.get("/asn/impor/").status_code == 403


def test_panwascam_cannot_open_the_register(camat, client_for):
    client = client_for(Role.PANWASCAM, GONDANGLEGI)
    for url in ("/asn/", "/asn/daftar/", f"/asn/daftar/{camat.pk}/", "/asn/tindak-lanjut/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Hartono" not in response.content
    assert client.get("/asn/katalog/").status_code == 200  # the law is for everyone


def test_staf_pp_sees_the_register_and_the_score(camat, client_for):
    client = client_for(Role.STAF_PP, KAB_MALANG)
    listing = client.get("/asn/daftar/?q=hartono").content.decode()
    assert "Hartono Wibisono" in listing and NIP in listing
    Person.objects.filter(pk=camat.pk).update(
        birth_date=dt.date(1985, 5, 10), appointment_year=2010, appointment_month=1
    )  # as read from the NIP
    detail = client.get(f"/asn/daftar/{camat.pk}/").content.decode()
    assert "19850510 201001 1 001" in detail
    assert "1/2010<" in detail  # appointed January 2010: a year, not "2,010"
    assert 'data-testid="score">45.0<' in detail  # camat 30 + incumbent 15
    assert "@hartono.wibisono" in detail


def test_a_person_of_another_kabupaten_is_not_found(malang, client_for):
    Region.objects.create(code="35.79", name="KOTA BATU", level=2, parent_id="35")
    elsewhere = person("35.79", "Orang Batu")
    assert client_for(Role.STAF_PP, KAB_MALANG).get(f"/asn/daftar/{elsewhere.pk}/").status_code == 404


def test_import_page_lists_the_problems_by_line(malang, client_for):
    client = client_for(Role.STAF_PP, KAB_MALANG)
    data = csv_bytes(
        [["nama", "nip", "kecamatan"], ["Budi", NIP, "Turen"], ["Siti", make_nip(sex="7"), "Turen"]]
    )
    response = client.post("/asn/impor/", {"file": SimpleUploadedFile("d.csv", data), "default_kind": "asn"})
    assert response.status_code == 200
    assert b'data-testid="import-errors"' in response.content
    assert b"Digit 15 (sex) is 7" in response.content
    assert not Person.objects.exists()

    good = csv_bytes([["nama", "nip", "kecamatan"], ["Budi", NIP, "Turen"]])
    response = client.post("/asn/impor/", {"file": SimpleUploadedFile("d.csv", good), "default_kind": "asn"})
    assert response.status_code == 302
    assert Person.objects.get().nip == NIP


def test_tim_siber_adds_an_account_and_pimpinan_cannot(camat, client_for):
    data = {"platform": "tiktok", "handle": "@hartono_w", "url": ""}
    assert (
        client_for(Role.PIMPINAN, KAB_MALANG).post(f"/asn/daftar/{camat.pk}/akun/", data).status_code == 403
    )
    response = client_for(Role.TIM_SIBER, KAB_MALANG).post(f"/asn/daftar/{camat.pk}/akun/", data)
    assert response.status_code == 302
    assert SocialAccount.objects.filter(person=camat, platform="tiktok", handle="hartono_w").exists()


def test_staff_edit_a_person_and_a_kepala_desa_needs_no_nip(malang, client_for):
    client = client_for(Role.STAF_PP, KAB_MALANG)
    response = client.post(
        "/asn/daftar/tambah/",
        {
            "kind": "kepala_desa",
            "name": "Slamet Riyadi",
            "nip": "",
            "position": "Kepala Desa",
            "region": "35.07.10.2001",
            "active": "on",
            "mobilising": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    kades = Person.objects.get(name="Slamet Riyadi")
    assert kades.nip is None and kades.mobilising

    response = client.post(
        "/asn/daftar/tambah/",
        {"kind": "asn", "name": "Tanpa NIP", "nip": "", "region": GONDANGLEGI, "active": "on"},
    )
    assert response.status_code == 200
    assert b"An ASN needs a NIP." in response.content
    response = client.post(
        "/asn/daftar/tambah/",
        {
            "kind": "asn",
            "name": "NIP Salah",
            "nip": make_nip(appointed="201099"),
            "region": GONDANGLEGI,
            "active": "on",
        },
    )
    assert b"appointment month" in response.content


def test_admin_sets_the_weights(camat, client_for):
    client = client_for(Role.ADMIN, KAB_MALANG)
    assert client.get("/asn/pengaturan/").status_code == 200
    data = {
        "risk_threshold": "50",
        "ppk_days": "14",
        "ppk_day_type": "working",
        "letter_city": "Kepanjen",
        "office_address": "",
        "letter_number_format": "{seq:03d}/PM/{office}/{month_roman}/{year}",
        "signer_name": "",
        "signer_title": "Ketua",
        "position-weight": "60",
        "position-keywords": "camat\nkepala desa",
        "family-weight": "25",
        "incumbent-weight": "15",
        "past_violation-weight": "0",
        "partisan_posts-weight": "0",
        "partisan_posts-saturation": "3",
    }
    response = client.post("/asn/pengaturan/", data)
    assert response.status_code == 302
    assert RiskFactor.objects.get(code=FactorCode.POSITION).weight == Decimal(60)
    detail = client.get(f"/asn/daftar/{camat.pk}/").content.decode()
    assert 'data-testid="score">75.0<' in detail  # (60 + 15) / 100


def test_letters_by_role(malang, client_for):
    writer = client_for(Role.STAF_PENCEGAHAN, KAB_MALANG)
    assert writer.get("/asn/imbauan/tulis/?sasaran=camat").status_code == 200
    response = writer.post(
        "/asn/imbauan/tulis/",
        {
            "recipient_kind": "camat",
            "other_recipients": "Camat Gondanglegi\nCamat Turen\n",
            "recipient_place": "Tempat",
            "letter_date": "2024-07-03",
            "subject": "Imbauan Menjaga Netralitas",
            "body": "Paragraf satu.\na. butir pertama;",
            "signer_name": "",
            "signer_title": "Ketua",
        },
    )
    assert response.status_code == 302
    letter = ImbauanLetter.objects.get(recipient="Camat Turen")
    pdf = client_for(Role.PIMPINAN, KAB_MALANG).get(f"/asn/imbauan/{letter.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = client_for(Role.STAF_PP, KAB_MALANG).get(f"/asn/imbauan/{letter.pk}.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert client_for(Role.TIM_SIBER, KAB_MALANG).get(f"/asn/imbauan/{letter.pk}.pdf").status_code == 403
    assert client_for(Role.STAF_PP, KAB_MALANG).get("/asn/imbauan/tulis/").status_code == 403


def test_link_a_case_and_record_the_follow_up(camat, client_for):
    case = make_case()
    client = client_for(Role.STAF_PP, KAB_MALANG)
    response = client.post(
        f"/asn/daftar/{camat.pk}/kasus/",
        {
            "case_number": case.tracking_code.lower(),
            "violation": Violation.objects.get(code="D12").pk,
            "stage": Stage.CALON,
        },
    )
    assert response.status_code == 302
    link = AsnCaseLink.objects.get()
    response = client.post(
        f"/asn/tindak-lanjut/{link.pk}/",
        {
            "recommendation_number": "B-1/2024",
            "recommendation_date": "2024-09-02",
            "ppk": "Bupati Malang",
            "bkn_status": "",
        },
    )
    assert response.status_code == 302
    assert SanctionFollowUp.objects.get().ppk_due == dt.date(2024, 9, 23)

    overdue = client_for(Role.PIMPINAN, KAB_MALANG).get("/asn/tindak-lanjut/terlambat/")
    assert overdue.status_code == 200 and b"Hartono Wibisono" in overdue.content  # past 23 Sep 2024
    assert client_for(Role.PIMPINAN, KAB_MALANG).get(f"/asn/tindak-lanjut/{link.pk}/").status_code == 403


def test_the_pages_speak_indonesian(camat, client_for):
    page = client_for(Role.STAF_PENCEGAHAN, language="id").get("/asn/").content.decode()
    assert "Netralitas ASN" in page
