"""The office dashboard: its numbers are the data's, each list exports, a year of data stays cheap."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awas.asn.models import AsnCaseLink, Person, SanctionFollowUp, Violation
from awas.cases.models import CaseKind, CaseStatus, Decision, DecisionOutcome, Referral
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.roles import Level, Role
from awas.dashboard import selectors
from awas.dashboard.tests.conftest import at, generate_year, make_case, referral_body
from awas.ikp import selectors as ikp_selectors
from awas.ikp.models import Kejadian
from awas.ikp.services import framework_default, framework_load_builtin, score_run_get_or_create
from awas.outreach.models import Activity, ActivityKind, ActivityStatus
from awas.regions.models import Region


def kepanjen_desa() -> str:
    return (
        Region.objects.filter(level=Level.DESA, parent_id=KEPANJEN)
        .order_by("code")
        .values_list("code", flat=True)[0]
    )


@pytest.fixture
def office(malang: Any, today: dt.date) -> dict[str, Any]:
    """A small office whose every figure is known.

    Cases received today: 5 laporan, 2 temuan, 1 informasi awal (6 in Gondanglegi, 2 in Kepanjen).
    Running clocks: 2 overdue, 2 due today or tomorrow, 1 on track. Referrals: 1 answered (with a
    sanction), 1 waiting, 1 overdue. Kejadian in Gondanglegi and Kepanjen only (both tinggi);
    prevention in Gondanglegi only (2 done, 1 planned), so Kepanjen is tinggi without activity.
    One ASN case whose PPK decision is overdue.
    """
    day = dt.timedelta(days=1)
    kepanjen = kepanjen_desa()
    overdue = make_case(PUTAT_KIDUL, status=CaseStatus.REGISTERED, decision_due=today - 2 * day)
    soon = make_case(PUTAT_KIDUL, status=CaseStatus.CLARIFICATION, decision_due=today + day)
    make_case(PUTAT_KIDUL, status=CaseStatus.STUDY, decision_due=today + 6 * day)
    make_case(GONDANGLEGI, status=CaseStatus.CLOSED, decision_due=today - 9 * day)
    incomplete = make_case(kepanjen, status=CaseStatus.INCOMPLETE, completion_due=today - day)
    temuan_soon = make_case(
        PUTAT_KIDUL, kind=CaseKind.TEMUAN, status=CaseStatus.REGISTERED, decision_due=today
    )
    decided = make_case(kepanjen, kind=CaseKind.TEMUAN, status=CaseStatus.DECIDED, decision_due=today - day)
    make_case(PUTAT_KIDUL, kind=CaseKind.INFORMASI_AWAL, status=CaseStatus.RECEIVED)
    Decision.objects.create(
        case=decided, outcome=DecisionOutcome.ADMINISTRASI, reasons="-", plenary_date=today
    )
    body = referral_body()
    for letter, due, answered, sanction in (
        ("R/1", today + 3 * day, None, ""),
        ("R/2", today - 4 * day, None, ""),
        ("R/3", today - 2 * day, today - day, "teguran tertulis"),
    ):
        Referral.objects.create(
            case=decided,
            body=body,
            letter_number=letter,
            sent_on=today - 10 * day,
            follow_up_due=due,
            responded_on=answered,
            sanction=sanction,
        )

    framework_load_builtin()
    Kejadian.objects.bulk_create(
        [Kejadian(indicator_number=n, region_id=PUTAT_KIDUL, date=today, severity=2) for n in (1, 2, 3, 5, 8)]
        + [Kejadian(indicator_number=n, region_id=kepanjen, date=today, severity=3) for n in (4, 6, 7, 10)]
        + [Kejadian(indicator_number=9, region_id=kepanjen, date=today, severity=3, counted=False)]
    )
    for kind, status in (
        (ActivityKind.SOSIALISASI, ActivityStatus.DONE),
        (ActivityKind.SOSIALISASI, ActivityStatus.DONE),
        (ActivityKind.PATROL, ActivityStatus.PLANNED),
        (ActivityKind.SCHOOL, ActivityStatus.CANCELLED),
    ):
        Activity.objects.create(
            kind=kind,
            title="Sosialisasi pengawasan partisipatif",
            region_id=GONDANGLEGI,
            planned_date=today,
            done_date=today if status == ActivityStatus.DONE else None,
            status=status,
            attendance=30 if status == ActivityStatus.DONE else 0,
        )
    person = Person.objects.create(name="Budi", nip="198001012005011001", region_id=PUTAT_KIDUL)
    link = AsnCaseLink.objects.create(
        case=soon, person=person, violation=Violation.objects.order_by("order")[0], stage="calon"
    )
    SanctionFollowUp.objects.create(
        link=link,
        forwarded_on=today - 20 * day,
        recommendation_date=today - 15 * day,
        ppk_due=today - 3 * day,
        ppk="Bupati Malang",
    )
    return {"at_risk": [overdue, soon, incomplete, temuan_soon], "decided": decided}


def overview_of(client: Client) -> selectors.Overview:
    response = client.get("/dasbor/")
    assert response.status_code == 200
    return response.context["overview"]


def test_the_dashboard_numbers_are_the_data(office, office_client):
    overview = overview_of(office_client(Role.PIMPINAN))

    cases = overview.cases
    assert cases.received == 8
    assert {c.key: c.value for c in cases.by_kind} == {"laporan": 5, "temuan": 2, "informasi_awal": 1}
    assert {c.key: c.value for c in cases.by_status} == {
        CaseStatus.RECEIVED: 1,
        CaseStatus.INCOMPLETE: 1,
        CaseStatus.REGISTERED: 2,
        CaseStatus.CLARIFICATION: 1,
        CaseStatus.STUDY: 1,
        CaseStatus.DECIDED: 1,
        CaseStatus.CLOSED: 1,
    }
    assert (cases.running, cases.overdue, cases.due_soon, cases.on_track) == (5, 2, 2, 1)
    assert {r.number for r in cases.at_risk or []} == {c.tracking_code for c in office["at_risk"]}
    assert (cases.referrals, cases.referrals_answered, cases.referrals_waiting, cases.referrals_overdue) == (
        3,
        1,
        1,
        1,
    )
    assert cases.sanctions == 1
    assert [r.letter_number for r in cases.overdue_referrals or []] == ["R/2"]

    rows = {r.code: r for r in overview.vulnerability.rows}
    assert len(rows) == 33
    assert overview.vulnerability.source == selectors.SOURCE_IKP
    assert (rows[GONDANGLEGI].kejadian, rows[KEPANJEN].kejadian) == (5, 4)  # the uncounted one left out
    assert rows[GONDANGLEGI].category == rows[KEPANJEN].category == "tinggi"
    assert sum(1 for r in rows.values() if r.category == "sedang") == 31
    assert (rows[GONDANGLEGI].cases, rows[KEPANJEN].cases) == (6, 2)
    assert (rows[GONDANGLEGI].done, rows[GONDANGLEGI].planned) == (2, 3)  # the cancelled one left out
    # The composite is the IKP app's own, for the same framework and data.
    run = score_run_get_or_create(
        framework=framework_default(),
        level=Level.KECAMATAN,
        area=Region.objects.get(code=KAB_MALANG),
    )
    data = ikp_selectors.run_data(run)
    assert rows[GONDANGLEGI].composite == pytest.approx(float(data.composite[data.index[GONDANGLEGI]]))
    assert overview.vulnerability.run_id == run.pk

    assert (overview.prevention.planned, overview.prevention.done) == (3, 2)
    assert [r.code for r in overview.uncovered_high] == [KEPANJEN]
    month = -1
    assert (
        overview.trend.cases[month],
        overview.trend.kejadian[month],
        overview.trend.activities[month],
    ) == (8, 9, 2)
    assert sum(overview.trend.cases) == 8

    assert overview.asn is not None
    assert (overview.asn.cases, overview.asn.overdue, overview.asn.register) == (1, 1, 1)
    assert [r.ppk for r in overview.asn.overdue_rows or []] == ["Bupati Malang"]


def test_the_page_shows_each_picture_with_its_numbers(office, office_client):
    response = office_client(Role.PIMPINAN).get("/dasbor/")
    html = response.content.decode()
    for testid in (
        "vuln-map",
        "vuln-categories",
        "case-status",
        "case-kinds",
        "case-risk",
        "referrals",
        "trend",
        "prevention-kinds",
        "prevention-categories",
        "asn-stages",
    ):
        assert f'data-testid="{testid}"' in html, testid
    assert html.count('data-kode="35.07.') == 33  # one region per kecamatan on the map
    assert 'data-testid="figure-at_risk"><div class="n">4</div>' in html.replace("\n    ", "")
    assert office["at_risk"][0].tracking_code in html  # the list of cases at risk, with links
    assert f'href="/perkara/{office["at_risk"][0].pk}/"' in html
    for key in ("kerawanan", "perkara", "tenggat", "tindak-lanjut", "tren", "pencegahan", "asn", "siber"):
        assert f"/dasbor/unduh.xlsx?bagian={key}" in html
        assert f"/dasbor/unduh.pdf?bagian={key}" in html


def test_roles_without_case_pages_see_counts_but_no_case_list(office, office_client):
    client = office_client(Role.STAF_PENCEGAHAN)
    response = client.get("/dasbor/")
    overview = response.context["overview"]
    assert overview.cases.at_risk_total == 4
    assert overview.cases.at_risk is None
    assert overview.cases.overdue_referrals is None
    assert overview.asn is not None and overview.asn.overdue_rows is None
    html = response.content.decode()
    assert office["at_risk"][0].tracking_code not in html
    workbook = xlsx_rows(client.get("/dasbor/unduh.xlsx").content)
    assert office["at_risk"][0].tracking_code not in str(workbook)
    assert "Bupati Malang" not in str(workbook)


def test_field_roles_and_the_public_do_not_reach_the_dashboard(office, role_client):
    assert Client().get("/dasbor/").status_code == 302
    assert role_client(Role.PANWASCAM, GONDANGLEGI).get("/dasbor/").status_code == 403
    assert role_client(Role.KADER, KAB_MALANG).get("/dasbor/laporan-bulanan/").status_code == 403


# --- exports -------------------------------------------------------------------------------------


def xlsx_rows(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def squeezed(text: str) -> str:
    """The text without white space: a table cell may wrap inside a word (``AWS-`` / ``T0001``)."""
    return re.sub(r"\s+", "", text)


def test_every_list_exports_to_excel_with_the_page_numbers(office, office_client):
    client = office_client(Role.PIMPINAN)
    response = client.get("/dasbor/unduh.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = xlsx_rows(response.content)
    cells = [row for rows in sheets.values() for row in rows]
    assert len(sheets) >= 13  # every table of every panel (the cyber panel has none yet)
    at_risk = {row[0] for row in cells} & {c.tracking_code for c in office["at_risk"]}
    assert len(at_risk) == 4
    assert any(row[:2] == ("35.07.13", "Kepanjen") and "tinggi" in str(row[2]).lower() for row in cells)
    assert any(row[-2:] == (3, 2) or row[1:3] == (3, 2) for row in cells)  # prevention: planned 3, done 2

    one = xlsx_rows(client.get("/dasbor/unduh.xlsx?bagian=tenggat").content)
    assert len(one) == 2  # the counts and the list
    assert sorted(row[1] for row in next(iter(one.values()))[3:]) == [1, 2, 2, 5]  # 2, 2, 1 and total 5


def test_a_list_exports_to_pdf_with_its_picture(office, office_client):
    client = office_client(Role.PIMPINAN)
    response = client.get("/dasbor/unduh.pdf?bagian=tenggat")
    assert response["Content-Type"] == "application/pdf"
    text = squeezed(pdf_text(response.content))
    for case in office["at_risk"]:
        assert case.tracking_code in text
    text = pdf_text(client.get("/dasbor/unduh.pdf?bagian=kerawanan").content)
    assert "Kepanjen" in text and "Gondanglegi" in text


# --- a year of data ------------------------------------------------------------------------------

# The dashboard's queries, cold (the IKP scores are computed and stored) and warm: a fixed number,
# whatever the amount of data; the session, user and second-factor lookups included.
# The menu's counts on every staff page (deadlines at risk, overdue follow-ups; inside a test's
# transaction also the deadline rules and holidays, which a server keeps for a few seconds).
MENU_COUNTS = 4
MAX_QUERIES_COLD = 55 + MENU_COUNTS
MAX_QUERIES = 40 + MENU_COUNTS


def count_queries(client: Client, url: str = "/dasbor/") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_year_of_data_costs_a_bounded_number_of_queries(
    malang, office_client, django_assert_max_num_queries: Callable[..., Any]
):
    client = office_client(Role.PIMPINAN)
    small = generate_year(cases=30, kejadian=40, activities=12, asn_links=5, seed=1)
    client.get("/dasbor/")  # the IKP scores of these data, stored
    cache.clear()
    queries_small = count_queries(client)

    data = generate_year(seed=2)
    assert data.cases >= 2000 and data.kejadian >= 3000 and data.activities >= 800
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES_COLD):
        response = client.get("/dasbor/")
    overview = response.context["overview"]
    assert overview.cases.received > 2000
    assert len(overview.cases.at_risk) == 10  # the page lists ten; the files hold them all
    assert response.context["page"].sections["tenggat"].lists[0].note
    assert sum(overview.trend.kejadian) > 2500
    assert small.cases > 0
    cache.clear()
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get("/dasbor/")
    cache.clear()
    assert count_queries(client) == queries_small  # no query per row: the same count for 30 or 2,500 cases


def test_the_second_request_within_a_minute_comes_from_the_cache(office, office_client):
    client = office_client(Role.PIMPINAN)
    first = count_queries(client)
    second = count_queries(client)
    # What is left: the session, the user and the second factor (middleware) and the menu's
    # counts, not the figures.
    assert second <= 5 + MENU_COUNTS < first
    # Another user with the same scope and view shares the figures.
    assert count_queries(office_client(Role.ADMIN)) <= 5 + MENU_COUNTS


def test_the_cache_is_kept_per_scope_and_view(office, make_user, today):
    from awas.conftest import verified_client
    from awas.dashboard.views import _dashboard_key

    province = make_user(Role.STAF_PP, "35", username="provinsi")
    kabupaten = make_user(Role.STAF_PP, KAB_MALANG, username="kabupaten")
    pencegahan = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="pencegahan")
    keys = {_dashboard_key(u, today) for u in (province, kabupaten, pencegahan)}
    assert len(keys) == 3
    assert overview_of(verified_client(province)).cases.received == 8


def test_the_monthly_report_form_defaults_to_last_month(office, office_client, today):
    response = office_client(Role.PIMPINAN).get("/dasbor/")
    last = today.replace(day=1) - dt.timedelta(days=1)
    assert f'name="bulan" value="{last:%Y-%m}"' in response.content.decode()


def test_received_at_counts_in_office_time(malang, office_client, today):
    # 23.30 WIB on the first of the month is still that month, though it is the day before in UTC.
    first = today.replace(day=1)
    make_case(PUTAT_KIDUL, received=at(first, 23).replace(minute=30))
    make_case(PUTAT_KIDUL, received=at(first - dt.timedelta(days=400)))  # outside the 12 months
    overview = overview_of(office_client(Role.PIMPINAN))
    assert overview.trend.cases[-1] == 1
    assert overview.cases.received == 1


def test_cyber_alerts_count_flagged_posts_waiting_for_review(office, office_client):
    """The cyber panel counts captured posts by review status; an alert is a flagged post that
    nobody has reviewed yet (a neutral post waiting is no alert)."""
    from awas.cyber.models import LabelDecision
    from awas.cyber.services import posts, review
    from awas.cyber.sources import RawPost

    client = office_client(Role.TIM_SIBER)
    user = client.get("/dasbor/").wsgi_request.user
    texts = [
        "Ayo dukung paslon nomor 2, saya ASN siap memenangkan, coblos nomor 2",
        "Bagi bagi amplop serangan fajar 50rb per orang biar pilih paslon nomor 1",
        "Jalan di desa rusak parah sejak hujan kemarin",
    ]
    captured = [
        posts.post_capture(
            raw=RawPost("facebook", f"https://facebook.com/p/{i}", f"akun{i}", "", text, None, {}, {}),
            region=user.scope_region,
            actor=user,
        ).post
        for i, text in enumerate(texts)
    ]
    flagged = captured[1].labels.get(label="politik_uang", flagged=True)
    review.label_decide(label=flagged, decision=LabelDecision.CONFIRMED, actor=user)
    cache.clear()
    overview = overview_of(client)
    assert overview.cyber.total == 3
    assert overview.cyber.alerts == 1  # the partisan post; the money post is reviewed, the third is neutral
    assert {c.key: c.value for c in overview.cyber.by_status} == {"baru": 2, "ditinjau": 1}


def test_a_temuan_waiting_to_be_established_counts_among_the_running_clocks(malang, office_client, today):
    # A draft runs only its finding clock (its decision clock starts at the establishing plenary):
    # one due tomorrow is at risk, one due next week on track, and both are in the total, which
    # is never smaller than the cases at risk it is made of.
    day = dt.timedelta(days=1)
    for due in (today + day, today + 7 * day):
        make_case(PUTAT_KIDUL, kind=CaseKind.TEMUAN, known_date=today - day, filing_due=due)
    cases = overview_of(office_client(Role.PIMPINAN)).cases
    assert (cases.running, cases.due_soon, cases.on_track) == (2, 1, 1)


def test_an_answer_owed_in_hari_kerja_is_late_by_working_days_on_the_dashboard(malang, make_user):
    # Both answers were due Friday 20 November 2026. On Monday 23 November BKN's, owed in hari
    # kerja, is 1 working day late, as the follow-ups page says; KPU's, in calendar days, 3 days.
    # On Sunday BKN's has passed with no working day since.
    from awas.dashboard.panels import overdue_words

    case = make_case(PUTAT_KIDUL, kind=CaseKind.TEMUAN, status=CaseStatus.REFERRED)
    friday = dt.date(2026, 11, 20)
    for letter, day_type in (("R/BKN", "working"), ("R/KPU", "calendar")):
        Referral.objects.create(
            case=case,
            body=referral_body(),
            letter_number=letter,
            sent_on=friday - dt.timedelta(days=14),
            follow_up_due=friday,
            follow_up_day_type=day_type,
        )
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG)
    monday = {
        r.letter_number: overdue_words(r)
        for r in selectors.overdue_referral_rows(pimpinan, friday + dt.timedelta(days=3))
    }
    assert monday == {"R/BKN": "terlambat 1 hari kerja", "R/KPU": "terlambat 3 hari"}
    sunday = {
        r.letter_number: overdue_words(r)
        for r in selectors.overdue_referral_rows(pimpinan, friday + dt.timedelta(days=2))
    }
    assert sunday["R/BKN"] == "lewat (belum ada hari kerja sejak itu)"


def test_a_pemilu_laporan_awaiting_its_kajian_awal_names_that_clock_on_the_dashboard(
    malang, make_user, today
):
    # Its kajian awal is due before its decision: the at-risk table says which, in words.
    from awas.dashboard.panels import at_risk_table

    make_case(
        PUTAT_KIDUL,
        election_type="pemilu",
        review_due=today,
        decision_due=today + dt.timedelta(days=9),
    )
    rows = selectors.at_risk_rows(make_user(Role.PIMPINAN, KAB_MALANG), today)
    assert [row[4] for row in at_risk_table(rows).rows] == ["kajian awal"]
