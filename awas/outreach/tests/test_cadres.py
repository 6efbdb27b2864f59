"""Cadres and monitoring organisations: personal data for the office's prevention roles only, and
a cadre's field information arriving as an informasi awal in the cases app."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import today_local
from awas.cases.models import Case, CaseEvidence, CaseKind, CaseStatus, Channel, StatusChange
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.outreach import selectors, services
from awas.outreach.models import Cadre, CadreKind, CadreTraining, FieldReport, MonitoringOrganisation
from awas.outreach.tests.conftest import in_indonesian, pdf_text, png_bytes, xlsx_text
from awas.regions.models import Region

NAME, NIK, PHONE, EMAIL = "Siti Rahmawati", "3507104101990002", "0812 3456 7890", "siti.r@example.org"


@pytest.fixture
def cadre(staf) -> Cadre:
    cadre = Cadre(
        kind=CadreKind.SKPP,
        name=NAME,
        nik=NIK,
        phone=PHONE,
        email=EMAIL,
        region=Region.objects.get(code=PUTAT_KIDUL),
    )
    return services.cadre_save(cadre, actor=staf)


@pytest.fixture
def kader_user(cadre, make_user, staf):
    user = make_user(Role.KADER, KAB_MALANG, username="kader-siti")
    cadre.user = user
    services.cadre_save(cadre, actor=staf)
    return user


def test_the_registry_shows_personal_data_to_the_prevention_staff(staf_client, cadre):
    page = staf_client.get("/pencegahan/kader/").content.decode()
    assert NAME in page and "0812 3456 7890" in page
    detail = staf_client.get(f"/pencegahan/kader/{cadre.pk}/").content.decode()
    assert NIK in detail and EMAIL in detail


def test_personal_data_of_cadres_is_not_shown_to_a_panwascam(panwascam_client, cadre):
    page = panwascam_client.get("/pencegahan/kader/").content.decode()
    assert 'data-testid="counts-only"' in page
    for personal in (NAME, NIK, PHONE, EMAIL):
        assert personal not in page
    assert '<div class="stat" data-testid="cadres-active">1</div>' in page  # counted, not named
    assert panwascam_client.get(f"/pencegahan/kader/{cadre.pk}/").status_code == 403
    excel = xlsx_text(panwascam_client.get("/pencegahan/kader/?ekspor=xlsx").content)
    pdf = pdf_text(panwascam_client.get("/pencegahan/kader/?ekspor=pdf").content)
    for text in (excel, pdf):
        assert NAME not in text and NIK not in text and PHONE not in text
    assert "Gondanglegi | 1" in excel  # the count by kecamatan


def test_personal_data_is_masked_in_the_audit_log(cadre):
    entry = AuditEntry.objects.get(action="outreach.cadre_created")
    assert NAME not in str(entry.after) and NIK not in str(entry.after) and str(cadre.pk) == entry.object_id
    assert NAME not in entry.object_repr


def test_a_cadre_record_with_training_history(staf_client, make_user):
    account = make_user(Role.KADER, KAB_MALANG, username="kader-budi")
    response = staf_client.post(
        "/pencegahan/kader/baru/",
        {
            "kind": CadreKind.STUDENT,
            "name": "Budi Santoso",
            "nik": "",
            "phone": "081234567891",
            "email": "",
            "region": GONDANGLEGI,
            "user": account.pk,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    cadre = Cadre.objects.get(name="Budi Santoso")
    assert cadre.user == account
    response = staf_client.post(
        f"/pencegahan/kader/{cadre.pk}/pelatihan/",
        {
            "name": "SKPP 2024",
            "start_date": "2024-06-10",
            "end_date": "2024-06-12",
            "organiser": "Bawaslu RI",
        },
    )
    assert response.status_code == 302
    assert list(CadreTraining.objects.values_list("name", flat=True)) == ["SKPP 2024"]
    assert "SKPP 2024" in staf_client.get(f"/pencegahan/kader/{cadre.pk}/").content.decode()


def test_a_nik_has_16_digits(staf_client):
    response = staf_client.post(
        "/pencegahan/kader/baru/",
        {"kind": CadreKind.OTHER, "name": "X", "nik": "1234", "region": GONDANGLEGI, "active": "on"},
    )
    assert response.status_code == 200
    assert in_indonesian("A NIK has 16 digits.") in response.content.decode()
    assert not Cadre.objects.exists()


# --- field information from a cadre --------------------------------------------------------------


def test_the_cadres_field_form_creates_an_informasi_awal_with_channel_kader(kader_user, cadre, staf_client):
    client = verified_client(kader_user)
    form = client.get("/pencegahan/lapor/").content.decode()
    assert 'data-testid="field-report-form"' in form
    when = today_local() - dt.timedelta(days=1)

    response = client.post(
        "/pencegahan/lapor/",
        {
            "what": "Pembagian amplop di rumah tim sukses\nSekitar 20 warga menerima amplop.",
            "desa": PUTAT_KIDUL,
            "when": when.isoformat(),
            "photo": SimpleUploadedFile("amplop.png", png_bytes(), content_type="image/png"),
        },
    )

    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.channel, case.status) == (
        CaseKind.INFORMASI_AWAL,
        Channel.KADER,
        CaseStatus.RECEIVED,
    )
    assert case.region_id == PUTAT_KIDUL
    assert case.title == "Pembagian amplop di rumah tim sukses"
    assert case.event_date == when and case.created_by == kader_user
    assert case.source_ref == f"kader:{cadre.pk}"
    assert case.tracking_code.startswith("AWS-")
    assert StatusChange.objects.filter(case=case, to_status=CaseStatus.RECEIVED).count() == 1
    assert CaseEvidence.objects.get(case=case).evidence.content_type == "image/png"
    assert AuditEntry.objects.filter(action="case.received", object_id=str(case.pk)).exists()
    assert FieldReport.objects.get().cadre == cadre

    # The cadre sees it on the own page; the registry counts it.
    mine = client.get("/pencegahan/lapor/").content.decode()
    assert case.tracking_code in mine
    registry = staf_client.get("/pencegahan/kader/").content.decode()
    assert '<td class="num" data-testid="report-total">1</td>' in registry
    months = selectors.recent_months(3)
    assert selectors.cadre_report_counts([cadre.pk], months)[cadre.pk] == {"months": [0, 0, 1], "total": 1}


def test_with_both_elections_the_cadre_says_which_one_the_information_is_about(kader_user, cadre, settings):
    # Handling Pemilu and Pilkada at once, a tip is not taken for the first listed: the temuan
    # taken up from it keeps its election, and a Pilkada tip as Pemilu would count hari kerja.
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    client = verified_client(kader_user)
    form = client.get("/pencegahan/lapor/").content.decode()
    assert "Tentang pemilihan yang mana?" in form
    assert "Pemilihan kepala daerah (Gubernur, Bupati/Wali Kota)" in form
    data = {
        "what": "Pembagian amplop di rumah tim sukses",
        "desa": PUTAT_KIDUL,
        "when": today_local().isoformat(),
    }
    refused = client.post("/pencegahan/lapor/", data)
    assert refused.status_code == 200 and "Pilih pemilihan yang dimaksud." in refused.content.decode()
    assert not Case.objects.exists()
    assert client.post("/pencegahan/lapor/", {**data, "election_type": "pilkada"}).status_code == 302
    assert Case.objects.get().election_type == "pilkada"


def test_with_one_election_the_cadre_is_not_asked(kader_user, cadre, settings):
    settings.AWAS_ELECTION_TYPE = "pemilu"
    client = verified_client(kader_user)
    assert "Tentang pemilihan yang mana?" not in client.get("/pencegahan/lapor/").content.decode()
    data = {
        "what": "Pembagian amplop di rumah tim sukses",
        "desa": PUTAT_KIDUL,
        "when": today_local().isoformat(),
    }
    assert client.post("/pencegahan/lapor/", data).status_code == 302
    assert Case.objects.get().election_type == "pemilu"


def test_a_cadre_s_tip_starts_as_the_election_the_office_is_handling(kader_user, make_user, settings):
    # While the office handles Pemilu 2029, a cadre's field information taken up as a temuan is a
    # Pemilu one (its plenary's clock in hari kerja), not Pilkada's calendar days by an oversight.
    settings.AWAS_ELECTION_TYPE = "pemilu"
    client = verified_client(kader_user)
    when = today_local() - dt.timedelta(days=1)
    client.post(
        "/pencegahan/lapor/", {"what": "Amplop di pasar", "desa": PUTAT_KIDUL, "when": when.isoformat()}
    )
    tip = Case.objects.get()

    handler = verified_client(make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp"))
    page = handler.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert "Awal hitungan batas penetapan temuan oleh pleno: 7 hari kerja." in page
    handler.post(
        reverse("cases:take_up", args=[tip.pk]),
        {"reason": "Penelusuran menemukan amplop.", "found_on": today_local().isoformat()},
    )
    temuan = Case.objects.get(kind=CaseKind.TEMUAN)
    assert temuan.election_type == "pemilu"


def test_reports_are_counted_per_month(cadre, kader_user, malang):
    desa = Region.objects.get(code=PUTAT_KIDUL)
    now = timezone.now()
    for days_ago in (0, 0, 40):
        services.field_report_submit(
            user=kader_user,
            what="Baliho di pohon",
            desa=desa,
            when=today_local(),
            now=now - dt.timedelta(days=days_ago),
        )
    counts = selectors.cadre_report_counts([cadre.pk], selectors.recent_months(12))[cadre.pk]
    assert counts["total"] == 3 and sum(counts["months"]) == 3 and counts["months"][-1] == 2


def test_a_refused_photo_keeps_what_the_cadre_typed(kader_user):
    client = verified_client(kader_user)
    response = client.post(
        "/pencegahan/lapor/",
        {
            "what": "Kampanye di tempat ibadah",
            "desa": PUTAT_KIDUL,
            "when": today_local().isoformat(),
            "photo": SimpleUploadedFile("foto.jpg", b"#!/bin/sh\nrm -rf /\n"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert in_indonesian("Programs and scripts are not accepted as evidence.") in page
    assert "Kampanye di tempat ibadah" in page
    assert not Case.objects.exists()


def test_a_kader_without_a_cadre_record_is_told_what_to_do(make_user, malang):
    client = verified_client(make_user(Role.KADER, KAB_MALANG, username="kader-baru"))
    page = client.get("/pencegahan/lapor/").content.decode()
    assert 'data-testid="no-cadre"' in page
    assert (
        client.post(
            "/pencegahan/lapor/", {"what": "x", "desa": PUTAT_KIDUL, "when": "2026-11-01"}
        ).status_code
        == 200
    )
    assert not Case.objects.exists()


def test_a_kader_reaches_only_the_field_form(kader_user):
    client = verified_client(kader_user)
    for url in ("/pencegahan/", "/pencegahan/kader/", "/pencegahan/cakupan/", "/perkara/"):
        assert client.get(url).status_code in {403, 404}, url


# --- monitoring organisations --------------------------------------------------------------------


def test_organisation_contacts_are_shown_only_to_the_prevention_staff(staf_client, panwascam_client):
    response = staf_client.post(
        "/pencegahan/pemantau/baru/",
        {
            "name": "JPPR Kabupaten Malang",
            "accreditation_number": "12/PM.01/K1/2024",
            "accreditation_date": "2024-08-01",
            "contact_person": "Ahmad Fauzi",
            "contact_phone": "0813 1111 2222",
            "region": GONDANGLEGI,
            "members_count": "25",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MonitoringOrganisation.objects.get().members_count == 25
    assert "Ahmad Fauzi" in staf_client.get("/pencegahan/pemantau/").content.decode()
    page = panwascam_client.get("/pencegahan/pemantau/").content.decode()
    assert "JPPR Kabupaten Malang" in page and "Ahmad Fauzi" not in page
    excel = xlsx_text(panwascam_client.get("/pencegahan/pemantau/?ekspor=xlsx").content)
    assert "JPPR Kabupaten Malang" in excel and "Ahmad Fauzi" not in excel
    assert "Ahmad Fauzi" in xlsx_text(staf_client.get("/pencegahan/pemantau/?ekspor=xlsx").content)
