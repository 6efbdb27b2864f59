"""The public transparency page: counts only, never personal data, cached, and its files."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awas.asn.models import AsnCaseLink, Person, SocialAccount, Violation
from awas.cases.models import CaseKind, CaseStatus, Clarification, Reporter, StatusChange, Witness
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, shared_data
from awas.core.roles import Role
from awas.dashboard.tests.conftest import make_case
from awas.dashboard.tests.test_dashboard import kepanjen_desa, pdf_text, squeezed, xlsx_rows
from awas.ikp.models import Kejadian
from awas.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Cadre,
    CadreKind,
    FieldReport,
    ManualCategory,
    MonitoringOrganisation,
)
from awas.regions.services import regions_attach_boundaries

NAME = "NAMA-RAHASIA-PELAPOR-7731"
NIK = "3507123456780001"
NIP = "198001012005011001"
PHONE = "081234567890"
EMAIL = "rahasia.pelapor@example.org"
MARKERS = (NAME, NIK, NIP, PHONE, EMAIL)
EVERYTHING = f"{NAME} NIK {NIK} NIP {NIP} HP {PHONE} {EMAIL}"


@pytest.fixture
def marked(malang: Any, today: dt.date) -> dict[str, Any]:
    """Cases, cadres, ASN and prevention records carrying marked personal data everywhere it lives."""
    kepanjen = kepanjen_desa()
    cases = []
    for region, kind, status in (
        (PUTAT_KIDUL, CaseKind.LAPORAN, CaseStatus.REGISTERED),
        (PUTAT_KIDUL, CaseKind.LAPORAN, CaseStatus.CLOSED),
        (GONDANGLEGI, CaseKind.TEMUAN, CaseStatus.REGISTERED),
        (kepanjen, CaseKind.INFORMASI_AWAL, CaseStatus.RECEIVED),
    ):
        case = make_case(
            region,
            kind=kind,
            status=status,
            terlapor_name=NAME,
            terlapor_address=f"Jl. {NAME}",
            terlapor_phone=PHONE,
            terlapor_position=f"ASN NIP {NIP}",
            chronology=f"Kronologi: {EVERYTHING}",
            event_place=f"Rumah {NAME}",
        )
        Reporter.objects.create(
            case=case, name=NAME, birth_place=NAME, address=f"{NAME} NIK {NIK}", phone=PHONE, email=EMAIL
        )
        Witness.objects.create(case=case, name=NAME, address=EVERYTHING, phone=PHONE)
        StatusChange.objects.create(
            case=case, to_status=status, reason=EVERYTHING, public_note=f"Untuk {NAME}", at=case.received_at
        )
        Clarification.objects.create(
            case=case, invitee_name=NAME, invitee_role="pelapor", scheduled_at=case.received_at, place=NAME
        )
        cases.append(case)

    organisation = MonitoringOrganisation.objects.create(
        name="JPPR Malang",
        contact_person=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
        region_id=KAB_MALANG,
    )
    cadre = Cadre.objects.create(
        kind=CadreKind.SKPP,
        name=NAME,
        nik=NIK,
        phone=PHONE,
        email=EMAIL,
        region_id=GONDANGLEGI,
        organisation=organisation,
        notes=EVERYTHING,
    )
    FieldReport.objects.create(cadre=cadre, case=cases[-1], sent_at=cases[-1].received_at)
    for activity_kind, region in (
        (ActivityKind.SOSIALISASI, GONDANGLEGI),
        (ActivityKind.PATROL, PUTAT_KIDUL),
    ):
        Activity.objects.create(
            kind=activity_kind,
            title="Sosialisasi",
            region_id=region,
            planned_date=today,
            done_date=today,
            status=ActivityStatus.DONE,
            attendance=25,
            attendees=f"{NAME}\n{PHONE}",
            notes=EVERYTHING,
        )
    person = Person.objects.create(name=NAME, nip=NIP, region_id=PUTAT_KIDUL, risk_note=EVERYTHING)
    SocialAccount.objects.create(person=person, platform="instagram", handle=EMAIL)
    AsnCaseLink.objects.create(
        case=cases[0],
        person=person,
        violation=Violation.objects.order_by("order")[0],
        stage="calon",
        note=EVERYTHING,
    )
    Kejadian.objects.bulk_create(
        [Kejadian(indicator_number=n, region_id=PUTAT_KIDUL, date=today, note=EVERYTHING) for n in (1, 2, 3)]
    )
    return {"cases": cases}


def assert_unmarked(text: str, where: str) -> None:
    for marker in MARKERS:
        assert marker.lower() not in text.lower(), f"{marker} appears in {where}"
        assert squeezed(marker).lower() not in squeezed(text).lower(), f"{marker} appears in {where}"


def test_no_personal_data_on_the_public_page_nor_in_its_files(marked):
    client = Client()
    page = client.get("/publik/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="public-map"' in html  # the page is not empty: it shows the figures
    assert_unmarked(html, "the public page")

    workbook = xlsx_rows(client.get("/publik/unduh.xlsx").content)
    cells = " ".join(
        str(cell) for rows in workbook.values() for row in rows for cell in row if cell is not None
    )
    assert "Gondanglegi" in cells
    assert_unmarked(cells, "the public Excel file")

    text = pdf_text(client.get("/publik/unduh.pdf").content)
    assert "Gondanglegi" in text
    assert_unmarked(text, "the public PDF")

    geojson = client.get("/publik/peta.geojson")
    assert_unmarked(geojson.content.decode(), "the public GeoJSON")
    data = json.loads(geojson.content)
    assert {key for f in data["features"] for key in f["properties"]} == {
        "kode",
        "nama",
        "kategori",
        "kategori_label",
    }


def test_no_personal_data_on_the_office_dashboard_either(marked, office_client):
    client = office_client(Role.PIMPINAN)
    assert_unmarked(client.get("/dasbor/").content.decode(), "the dashboard")
    workbook = xlsx_rows(client.get("/dasbor/unduh.xlsx").content)
    assert_unmarked(str(workbook), "the dashboard's Excel file")
    assert_unmarked(pdf_text(client.get("/dasbor/unduh.pdf?bagian=tenggat").content), "the dashboard's PDF")


def test_the_public_figures_are_the_data(marked):
    response = Client().get("/publik/")
    figures = response.context["figures"]
    assert figures.total == 4
    assert {c.key: c.value for c in figures.by_kind} == {"laporan": 2, "temuan": 1, "informasi_awal": 1}
    assert {c.key: c.value for c in figures.by_status} == {
        CaseStatus.REGISTERED: 2,
        CaseStatus.CLOSED: 1,
        CaseStatus.RECEIVED: 1,
    }
    kecamatan = {k.code: k for k in figures.kecamatan}
    assert len(kecamatan) == 33
    assert (kecamatan[GONDANGLEGI].reports, kecamatan[KEPANJEN].reports) == (3, 1)
    assert (kecamatan[GONDANGLEGI].activities, figures.activities_done, figures.attendance) == (2, 2, 50)
    assert {c.key: c.value for c in figures.activities_by_kind}[ActivityKind.PATROL] == 1
    assert kecamatan[GONDANGLEGI].category == "tinggi"  # the IKP scores of these kejadian
    assert kecamatan[KEPANJEN].category == "sedang"


def test_without_scores_the_office_categories_are_shown(malang):
    ManualCategory.objects.create(region_id=KEPANJEN, category="tinggi")
    figures = Client().get("/publik/").context["figures"]
    assert {k.code: k.category for k in figures.kecamatan}[KEPANJEN] == "tinggi"
    assert figures.category_source == "manual"


def test_a_second_visit_is_served_from_the_cache(marked):
    client = Client()
    with CaptureQueriesContext(connection) as first:
        client.get("/publik/")
    with CaptureQueriesContext(connection) as second:
        response = client.get("/publik/")
    assert response.status_code == 200
    assert len(first) > 0
    assert len(second) == 0
    with CaptureQueriesContext(connection) as files:
        client.get("/publik/unduh.xlsx")
        client.get("/publik/unduh.xlsx")
    assert len(files) == 0  # built from the cached figures, then itself cached
    assert "max-age=300" in client.get("/publik/unduh.pdf")["Cache-Control"]


def test_the_public_page_is_indonesian_and_light(marked):
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/publik/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Language"] == "id"
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 60_000  # compressed, map included
    assert b"<script" not in response.content  # nothing to run on a phone


def test_the_public_map_draws_the_kecamatan_boundaries(marked):
    result = regions_attach_boundaries(shared_data("boundaries/kab_malang_3507_kecamatan.geojson"))
    assert result.matched == 33
    html = Client().get("/publik/").content.decode()
    assert html.count('data-kode="35.07.') == 33
    assert '<path d="M' in html
    data = json.loads(Client().get("/publik/peta.geojson").content)
    assert sum(1 for f in data["features"] if f["geometry"]) == 33
