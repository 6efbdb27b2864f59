"""A Pemilu 2029 laporan walked through as the office handles it (UU 7/2017 Pasal 454; Perbawaslu
7/2022): its clocks count hari kerja past the holiday calendar the administrator keeps.

The holiday table has no 2029 yet (the SKB 3 Menteri of a year comes out the autumn before): each
test enters the days it needs as the administrator would, named as the calendar would name them.
Worked week: Friday 9 February 2029 is followed by a long weekend, cuti bersama on Monday 12, Imlek
on Tuesday 13 and polling day on Wednesday 14; the next working day is Thursday 15 February.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from awas.cases.models import Case, CaseStatus, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.services.notify import status_message
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    decide,
    record_laporan,
    registered_laporan,
)
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import Holiday
from awas.core.models.deadlines import ElectionType, HolidayKind
from awas.core.roles import Role

WIB = ZoneInfo("Asia/Jakarta")


def long_weekend_2029() -> None:
    for day, kind, name in (
        (dt.date(2029, 2, 12), HolidayKind.CUTI_BERSAMA, "Cuti bersama Tahun Baru Imlek 2580 Kongzili"),
        (dt.date(2029, 2, 13), HolidayKind.LIBUR_NASIONAL, "Tahun Baru Imlek 2580 Kongzili"),
        (dt.date(2029, 2, 14), HolidayKind.LIBUR_NASIONAL, "Hari pemungutan suara Pemilu 2029"),
    ):
        Holiday.objects.create(date=day, kind=kind, name=name, source="test")


@pytest.fixture
def pemilu_office(settings, malang) -> Iterator[None]:
    """The office takes Pemilu laporan on its public pages, on Thursday 15 February 2029, 09.00 WIB."""
    settings.AWAS_ELECTION_TYPE = ElectionType.PEMILU
    long_weekend_2029()
    with time_machine.travel(dt.datetime(2029, 2, 15, 9, tzinfo=WIB), tick=False):
        yield


def test_the_public_files_a_pemilu_laporan_under_its_working_day_limit(pemilu_office, client):
    # The landing page states the Pemilu limit: 7 hari kerja, UU 7/2017 Pasal 454 ayat (6).
    landing = client.get("/lapor/").content.decode()
    assert "pemilihan umum (Pemilu)" in landing
    assert (
        "paling lama 7 hari kerja sejak Anda mengetahui pelanggaran (UU 7/2017 Pasal 454 ayat (6))" in landing
    )
    assert "libur nasional, dan cuti bersama tidak dihitung" in landing
    assert "Pasal 134" not in landing  # the Pilkada law says nothing here

    # Known on Thursday 1 February: the 7th working day is today, Thursday 15 (9 February is the
    # 6th; 12, 13 and 14 February are holidays). The live warning starts from that day.
    page = client.get("/lapor/laporan/")
    html = page.content.decode()
    assert 'data-since="2029-02-01"' in html
    assert "Sudah lebih dari 7 hari kerja sejak tanggal itu." in html

    sent = client.post(
        "/lapor/laporan/", laporan_data(form_key(page), event_date="2029-02-01", known_date="2029-02-01")
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    assert case.election_type == ElectionType.PEMILU
    assert case.filing_due == dt.date(2029, 2, 15)
    tracking = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert "Syarat formal dan materielnya akan diperiksa" in tracking  # in time: not told it is late

    # Known on Wednesday 31 January: due Friday 9 February, before the long weekend. Late: the
    # pelapor is told so in working days, with the date, and asked to confirm.
    page = client.get("/lapor/laporan/")
    late = client.post(
        "/lapor/laporan/", laporan_data(form_key(page), event_date="2029-01-31", known_date="2029-01-31")
    )
    text = re.sub(r"\s+", " ", late.content.decode())
    assert late.status_code == 200 and Case.objects.count() == 1
    assert "Sudah lewat dari 7 hari kerja" in text
    assert "paling lama 7 hari kerja sejak pelanggaran diketahui" in text
    assert "paling lambat 9 Februari 2029" in text
    assert "Batas 7 hari kerja sudah lewat" in text


def at(day: dt.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=WIB), tick=False)


def test_an_officer_handles_a_pemilu_laporan_across_the_long_weekend(malang, make_user, mailoutbox):
    staff = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    staff.email = "staf@example.id"
    staff.save(update_fields=["email"])
    long_weekend_2029()
    friday, thursday = dt.date(2029, 2, 9), dt.date(2029, 2, 15)

    # Friday 9 February: recorded at the desk, known the day before; short of a witness.
    with at(friday):
        case = record_laporan(
            staff,
            PUTAT_KIDUL,
            election_type=ElectionType.PEMILU,
            event_date=dt.date(2029, 2, 8),
            known_date=dt.date(2029, 2, 8),
        )
        assert case.filing_due == dt.date(2029, 2, 22)  # 7 hari kerja: 9, 15, 16, 19, 20, 21, 22
        assert case.review_due == dt.date(2029, 2, 16)  # kajian awal, 2 hari kerja: 15, 16
        workflow.requirements_check(case=case, checks={**ALL_MET, "material_witness": False}, actor=staff)
        case.refresh_from_db()
        assert case.status == CaseStatus.INCOMPLETE
        assert case.completion_due == dt.date(2029, 2, 19)  # 3 hari kerja: 15, 16, 19
        note = case.history.get(to_status=CaseStatus.INCOMPLETE).public_note
        assert "19 Februari 2029" in note

    # Friday 16 February: the pelapor's time ends on Monday. Staff and the pelapor are reminded on
    # the Friday, by the day's name: not "besok", and nothing more over the weekend.
    with at(dt.date(2029, 2, 16), 7):
        mailoutbox.clear()
        reminders_create()
        to_pelapor = [m for m in mailoutbox if m.to == ["pelapor@example.id"]]
        [pelapor_mail] = to_pelapor
        assert "Senin, 19 Februari 2029" in pelapor_mail.body and "besok" not in pelapor_mail.body
        assert any("Senin, 19 Februari 2029" in m.subject for m in mailoutbox if m.to == [staff.email])
    for weekend_day in (dt.date(2029, 2, 17), dt.date(2029, 2, 18)):
        with at(weekend_day, 7):
            mailoutbox.clear()
            reminders_create()
            assert mailoutbox == []

    # Monday 19 February: completed and registered; the decision is due 7 hari kerja later.
    with at(dt.date(2029, 2, 19)):
        mailoutbox.clear()
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staff)
        case.refresh_from_db()
        assert case.status == CaseStatus.REGISTERED
        assert re.fullmatch(r"\d{3}/LP/PL/Kab/35\.07/II/2029", case.registration_number or "")
        assert case.decision_due == dt.date(2029, 2, 28)  # 20, 21, 22, 23, 26, 27, 28
        change = case.history.get(to_status=CaseStatus.REGISTERED)
        _subject, body = status_message(case, change)
        assert "paling lambat 28 Februari 2029" in body
        assert "diperpanjang paling lama 7 hari kerja" in body

        # More information needed: 7 more hari kerja (Pasal 454 ayat (8)), asked by the staf.
        workflow.request_more_information(case=case, what="Rekaman video pembagian amplop.", actor=staff)
        case.refresh_from_db()
        assert case.decision_due == dt.date(2029, 3, 9)  # Mar 1, 2, 5, 6, 7, 8, 9

    # The export says how its "Batas putusan" was counted: from registration, extended.
    sheet = load_workbook(io.BytesIO(verified_client(staff).get(reverse("cases:export")).content))["Perkara"]
    titles, *rows = list(sheet.values)
    [row] = [dict(zip(titles, r, strict=True)) for r in rows if r[titles.index("Nomor registrasi")]]
    assert row["Tanggal registrasi"] == dt.datetime(2029, 2, 19)
    assert row["Batas putusan"] == dt.datetime(2029, 3, 9) and row["Batas putusan diperpanjang"] == "Ya"

    # A laporan registered on Thursday 1 February is due on Thursday 15 February, the first
    # working day after the long weekend: at risk, and reminded, on Friday 9 February.
    with at(dt.date(2029, 2, 1)):
        early = registered_laporan(
            staff, PUTAT_KIDUL, election_type=ElectionType.PEMILU, email="lain@example.id"
        )
        assert early.decision_due == thursday
    with at(friday, 7):
        mailoutbox.clear()
        reminders_create()
        reminded = [m for m in mailoutbox if early.registration_number in m.subject]
        assert len(reminded) == 1 and "Kamis, 15 Februari 2029" in reminded[0].subject
        assert "besok" not in reminded[0].subject


def test_the_export_marks_an_unregistered_pemilu_laporan_s_decision_date_provisional(malang, make_user):
    # Pasal 454 ayat (7): counted from receipt and registration. Until registered, the date is
    # counted from receipt; the case page says "sementara", and so does the sheet.
    staff = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    long_weekend_2029()
    with at(dt.date(2029, 2, 9)):
        pemilu = record_laporan(
            staff, PUTAT_KIDUL, election_type=ElectionType.PEMILU, title="Amplop Pemilu", email="a@example.id"
        )
        record_laporan(staff, PUTAT_KIDUL, title="Amplop Pilkada", email="b@example.id")
    client = verified_client(staff)

    def export() -> tuple[dict[str, dict], dict]:
        workbook = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content))
        titles, *rows = list(workbook["Perkara"].values)
        about = {r[0]: r[1] for r in workbook["Keterangan"].iter_rows(values_only=True)}
        return {r[titles.index("Peristiwa")]: dict(zip(titles, r, strict=True)) for r in rows}, about

    page = client.get(reverse("cases:detail", args=[pemilu.pk])).content.decode()
    assert 'data-testid="decision-provisional"' in page
    rows, about = export()
    assert rows["Amplop Pemilu"]["Batas putusan"] == dt.datetime(2029, 2, 23)  # 15, 16, 19, ..., 23
    assert rows["Amplop Pemilu"]["Batas putusan sementara"] == "Ya"
    assert rows["Amplop Pilkada"]["Batas putusan"] is not None  # from receipt, final (Pasal 134 ayat (5))
    assert rows["Amplop Pilkada"]["Batas putusan sementara"] is None
    assert "dihitung ulang dari hari registrasi" in about["Batas putusan sementara"]

    # Registered on Thursday 15 February: counted again from that day, and no longer provisional.
    with at(dt.date(2029, 2, 15)):
        workflow.requirements_check(case=pemilu, checks=ALL_MET, actor=staff)
    rows, _about = export()
    assert rows["Amplop Pemilu"]["Batas putusan"] == dt.datetime(2029, 2, 26)  # 16, 19, 20, 21, 22, 23, 26
    assert rows["Amplop Pemilu"]["Batas putusan sementara"] is None


def test_a_pemilu_crime_is_named_as_the_pemilu_law_names_it(malang, make_user):
    # UU 7/2017 names it "tindak pidana Pemilu"; "tindak pidana pemilihan" is the Pilkada law's.
    staff = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    with at(dt.date(2029, 2, 1)):
        case = registered_laporan(staff, PUTAT_KIDUL, election_type=ElectionType.PEMILU)
        decide(case, DecisionOutcome.PIDANA, staff, plenary_date=dt.date(2029, 2, 1))
    # What the pelapor reads in the e-mail and on the tracking page:
    told = case.history.get(to_status=CaseStatus.DECIDED).public_note
    assert "memutuskan: Tindak pidana Pemilu" in told and "pemilihan" not in told

    client = verified_client(staff)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "<strong>Tindak pidana Pemilu</strong>" in page
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content))["Perkara"]
    rows = list(sheet.values)
    assert rows[1][rows[0].index("Putusan pleno")] == "Tindak pidana Pemilu"


def test_the_desk_starts_from_the_office_s_election_and_decides_in_its_words(settings, malang, make_user):
    # An office handling Pemilu 2029: a laporan typed in at the desk starts as Pemilu (calendar days
    # by an oversight would let its 7 hari kerja run out unseen), and says what its date starts.
    settings.AWAS_ELECTION_TYPE = ElectionType.PEMILU
    staff = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    client = verified_client(staff)
    form = client.get(reverse("cases:record")).content.decode()
    assert re.search(r'<option value="pemilu" selected>', form)
    assert "7 hari kerja untuk Pemilu" in form

    with at(dt.date(2029, 2, 1)):
        case = registered_laporan(staff, PUTAT_KIDUL, election_type=ElectionType.PEMILU)
        workflow.study_save(
            case=case, facts="Fakta.", analysis="Analisis.", conclusion="Kesimpulan.", actor=staff
        )
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '<option value="pidana">Tindak pidana Pemilu</option>' in page
    assert "Tindak pidana pemilihan" not in page
