"""The monthly report for Bawaslu Provinsi: the month's counts, in Indonesian, on the letterhead."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awas.cases.models import CaseKind, CaseStatus, Decision, DecisionOutcome, Referral, StatusChange
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.roles import Role
from awas.dashboard.tests.conftest import at, make_case, referral_body
from awas.dashboard.tests.test_dashboard import kepanjen_desa, pdf_text, squeezed
from awas.dashboard.views import BULAN, monthly_report_html
from awas.ikp.models import Kejadian
from awas.ikp.services import framework_load_builtin
from awas.outreach.models import Activity, ActivityKind, ActivityStatus


def month_before(day: dt.date) -> dt.date:
    """The first day of the month before ``day``'s."""
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def month(malang: Any, today: dt.date) -> dt.date:
    """Last month: 7 cases received (3 laporan, 2 temuan, 2 informasi awal), 3 registered, 7 open at its end,
    2 decided (administrasi, pidana), 2 referrals sent and 1 answered with a sanction, 11 kejadian
    counted, 4 of 5 prevention activities done with 80 people; plus records of other months."""
    first = month_before(today)
    other = month_before(first)
    day = dt.timedelta(days=1)
    kepanjen = kepanjen_desa()
    cases = [
        make_case(PUTAT_KIDUL, kind=kind, status=status, received=at(first + n * day))
        for n, (kind, status) in enumerate(
            (
                (CaseKind.LAPORAN, CaseStatus.REGISTERED),
                (CaseKind.LAPORAN, CaseStatus.DECIDED),
                (CaseKind.LAPORAN, CaseStatus.INCOMPLETE),
                (CaseKind.TEMUAN, CaseStatus.REFERRED),
                (CaseKind.TEMUAN, CaseStatus.STUDY),
                (CaseKind.INFORMASI_AWAL, CaseStatus.RECEIVED),
                (CaseKind.INFORMASI_AWAL, CaseStatus.ARCHIVED),
            )
        )
    ]
    make_case(PUTAT_KIDUL, received=at(today))  # this month
    # Received the month before, registered then, closed only this month: still open at the end of last month.
    early = make_case(kepanjen, received=at(other), status=CaseStatus.CLOSED)
    for case in (cases[0], cases[1], cases[3]):
        StatusChange.objects.create(
            case=case, from_status="diterima", to_status=CaseStatus.REGISTERED, at=at(first + 10 * day)
        )
    StatusChange.objects.create(
        case=early, from_status="diterima", to_status=CaseStatus.REGISTERED, at=at(other)
    )
    StatusChange.objects.create(case=early, from_status="kajian", to_status=CaseStatus.CLOSED, at=at(today))
    Decision.objects.create(
        case=cases[1], outcome=DecisionOutcome.ADMINISTRASI, reasons="-", plenary_date=first + 20 * day
    )
    Decision.objects.create(
        case=cases[3], outcome=DecisionOutcome.PIDANA, reasons="-", plenary_date=first + 21 * day
    )
    body = referral_body()
    Referral.objects.create(
        case=cases[1],
        body=body,
        letter_number="R/1",
        sent_on=first + 21 * day,
        follow_up_due=first + 24 * day,
        responded_on=first + 23 * day,
        sanction="teguran",
    )
    Referral.objects.create(
        case=cases[3],
        body=body,
        letter_number="R/2",
        sent_on=first + 22 * day,
        follow_up_due=first + 25 * day,
    )

    framework_load_builtin()
    Kejadian.objects.bulk_create(
        [Kejadian(indicator_number=5, region_id=PUTAT_KIDUL, date=first + day, severity=2) for _ in range(7)]
        + [Kejadian(indicator_number=20, region_id=kepanjen, date=first + 2 * day) for _ in range(4)]
        + [Kejadian(indicator_number=20, region_id=kepanjen, date=first + 2 * day, counted=False)]
        + [Kejadian(indicator_number=5, region_id=PUTAT_KIDUL, date=today) for _ in range(3)]
    )
    for kind, status in (
        (ActivityKind.SOSIALISASI, ActivityStatus.DONE),
        (ActivityKind.SOSIALISASI, ActivityStatus.DONE),
        (ActivityKind.SOSIALISASI, ActivityStatus.DONE),
        (ActivityKind.SCHOOL, ActivityStatus.DONE),
        (ActivityKind.PATROL, ActivityStatus.PLANNED),
    ):
        Activity.objects.create(
            kind=kind,
            title="Sosialisasi",
            region_id=GONDANGLEGI,
            planned_date=first + 5 * day,
            done_date=first + 5 * day if status == ActivityStatus.DONE else None,
            status=status,
            attendance=20 if status == ActivityStatus.DONE else 0,
        )
    return first


def test_the_monthly_report_holds_the_months_counts(month, office_client):
    response = office_client(Role.PIMPINAN).get(f"/dasbor/laporan-bulanan/?bulan={month:%Y-%m}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"laporan-bulanan-{month:%Y-%m}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    flat = squeezed(text)
    assert "BADANPENGAWASPEMILIHANUMUM" in flat and "KABUPATENMALANG" in flat
    assert squeezed(f"BULAN {BULAN[month.month - 1]} {month.year}").upper() in flat
    for line in (
        "Dugaan pelanggaran diterima (laporan, temuan, informasi awal) 7",
        "Diregistrasi 3",
        "Diputus dalam rapat pleno 2",
        "Diteruskan kepada instansi berwenang 2",
        "Jawaban tindak lanjut diterima 1",
        "Kejadian kerawanan (IKP) tercatat 11",
        "Kegiatan pencegahan terlaksana / direncanakan 4 / 5",
        "Peserta kegiatan pencegahan 80",
        "Perkara masih berjalan pada akhir bulan 7",  # 6 of the month (one archived) and the early one
    ):
        assert squeezed(line) in flat, line
    # By type: laporan received 3, registered 2, decided 1; temuan 2, 1, 1; informasi awal 2, 0, 0.
    assert squeezed("Laporan 3 2 1") in flat
    assert squeezed("Temuan 2 1 1") in flat
    assert squeezed("Jumlah 7 3 2") in flat
    assert squeezed("KPU Kabupaten Malang 2") in flat
    assert "Gondanglegi" in text and "Kepanjen" in text  # the kecamatan with the most kejadian


def test_the_report_embeds_its_charts_and_speaks_indonesian(month, office_client, make_user):
    from awas.conftest import KAB_MALANG

    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf-laporan")
    html = monthly_report_html(user, month.year, month.month)
    for testid in (
        "report-received",
        "report-outcomes",
        "report-dimensions",
        "report-activities",
        "report-trend",
    ):
        assert f'data-testid="{testid}"' in html
    assert "Pelanggaran administrasi" in html  # the outcome's label, in Indonesian
    assert 'lang="id"' in html


def test_a_missing_or_future_month_gives_last_month(month, office_client, today):
    client = office_client(Role.PIMPINAN)
    for query in ("", "?bulan=kemarin", "?bulan=2999-01", "?bulan=2024-13"):
        response = client.get(f"/dasbor/laporan-bulanan/{query}")
        assert response.status_code == 200
        assert f"laporan-bulanan-{month:%Y-%m}.pdf" in response["Content-Disposition"], query
