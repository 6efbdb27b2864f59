"""How many queries the case page and the menu's counts cost: officers open them many times a
day over a weak office connection, on one office machine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awas.cases import selectors
from awas.cases.formatting import today_local
from awas.cases.models import Case, DecisionOutcome, ReferralBody, Reminder
from awas.cases.services import workflow
from awas.cases.services.common import case_set_status
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    jpeg,
    pdf,
    record_laporan,
    seed_bodies,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.roles import Role
from awas.core.services.audit import audit_seal


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def referred_case(staf, make_user, n: int) -> Case:
    """A laporan taken to its referrals with ``n`` of everything the page lists: evidence files,
    witnesses, clarifications held (each with a file), history rows by ``n`` officers, referrals
    (each with a body's progress report), laporan merged into it and cases linked to it."""
    received = timezone.now() - dt.timedelta(days=4)
    case = record_laporan(
        staf,
        PUTAT_KIDUL,
        received_at=received,
        witnesses=n,
        evidence=[jpeg(f"foto-{i}.jpg", salt=f"{n}-{i}".encode()) for i in range(n)],
    )
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    for i in range(n):  # reported the same day at the same place: merged into the first
        other = record_laporan(staf, PUTAT_KIDUL, received_at=received, evidence=[], email=f"p{i}@example.id")
        workflow.case_merge(case=case, other=other, reason="Peristiwa yang sama.", actor=staf)
        linked = record_laporan(staf, another_desa(GONDANGLEGI, PUTAT_KIDUL), evidence=[], title=f"Lain {i}")
        workflow.case_link(case=case, other=linked, actor=staf)
    case.refresh_from_db()
    for i in range(n):
        invited = workflow.clarification_schedule(
            case=case,
            invitee_name=f"Saksi {i}",
            invitee_role="saksi",
            scheduled_at=timezone.now() - dt.timedelta(hours=2 * n - i),
            place="Kantor Bawaslu Kabupaten Malang",
            letter_date=today_local() - dt.timedelta(days=1),
            actor=staf,
        )
        workflow.clarification_record(
            clarification=invited,
            statement=f"Keterangan saksi {i}.",
            held_at=invited.scheduled_at,
            attachments=[pdf(f"ba-{i}.pdf", salt=f"{n}-{i}".encode())],
            actor=staf,
        )
    workflow.study_save(case=case, facts="Fakta.", analysis="Analisis.", conclusion="Kesimpulan.", actor=staf)
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.LAINNYA,
        reasons="Terbukti.",
        plenary_date=today_local(),
        actor=staf,
    )
    case.refresh_from_db()
    seed_bodies()
    for i in range(n - ReferralBody.objects.filter(active=True).count()):
        ReferralBody.objects.create(code=f"badan-{i}", name=f"Badan {i}", follow_up_days=14)
    for body in ReferralBody.objects.filter(active=True).order_by("pk")[:n]:
        referral = workflow.referral_create(case=case, body=body, actor=staf)
        workflow.referral_record_progress(
            referral=referral, note=f"{body.name} memeriksa.", reported_on=today_local(), actor=staf
        )
    case.refresh_from_db()
    for i in range(n):  # the history as several officers wrote it
        officer = make_user(Role.STAF_PP, KAB_MALANG, username=f"petugas-{n}-{i}")
        case_set_status(case, case.status, actor=officer, reason=f"Catatan {i}.")
    return case


# What the case page may cost: the session, its user and the second factor (3), the menu's
# counts (3), the deadline rules and holidays (2: read again inside a test's transaction, cached
# between requests otherwise), and the page's own reads (about 20: the case with its decision,
# kajian and requirements check, then one or two queries a section).
CASE_PAGE_QUERIES = 30


def page_queries(client, case: Case) -> tuple[int, str]:
    """The queries of the case page opened again the same day (the first opening logs the
    personal data shown, once a day), and the page."""
    url = reverse("cases:detail", args=[case.pk])
    assert client.get(url).status_code == 200
    audit_seal()  # as after the commit (a test's transaction never commits)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_referred_case_page_reads_as_much_with_six_of_everything_as_with_two(staf, make_user):
    client = verified_client(staf)
    counts = {}
    for n in (2, 6):
        case = referred_case(staf, make_user, n)
        counts[n], page = page_queries(client, case)
        # Everything is on the page, n times.
        assert page.count('data-testid="referral-progress"') == n
        assert page.count('data-testid="berita-acara-pdf"') == n
        assert page.count('data-testid="history-actor"') == case.history.count() >= n
        assert all(f"foto-{i}.jpg" in page and f"ba-{i}.pdf" in page for i in range(n))
        assert all(f"p{i}@example.id" in page for i in range(n))  # the pelapor of each merged laporan
        assert page.count(f"Lain {n - 1}") == 1  # the last linked case
    assert counts[2] == counts[6] <= CASE_PAGE_QUERIES, counts


def test_an_open_case_page_with_related_candidates_reads_as_much_for_more_of_them(staf):
    """Before the decision the page also compares the case with the recent ones of its office."""
    client = verified_client(staf)
    counts = {}
    for n in (2, 6):
        case = record_laporan(
            staf,
            PUTAT_KIDUL,
            witnesses=n,
            evidence=[jpeg(f"foto-{i}.jpg", salt=f"open-{n}-{i}".encode()) for i in range(n)],
            terlapor_name=f"Hartono {n}",
        )
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
        for _i in range(n):  # the same terlapor at the same place: candidates to merge
            record_laporan(staf, PUTAT_KIDUL, evidence=[], terlapor_name=f"Hartono {n}")
        case.refresh_from_db()
        counts[n], page = page_queries(client, case)
        assert page.count('data-testid="related-candidates"') == 1
        assert page.count('data-testid="reporter"') == 1
    assert counts[2] == counts[6] <= CASE_PAGE_QUERIES, counts


def _ticked(page: str, name: str) -> bool:
    """Whether the requirements form's checkbox ``name`` is ticked."""
    (tag,) = re.findall(rf'<input type="checkbox" name="{name}"[^>]*>', page)
    return " checked" in tag


def test_a_new_laporan_page_reads_as_much_with_six_files_and_saksi_and_still_guesses_the_checklist(staf):
    """The page the officer checks a new laporan's requirements on: the checklist's first guess
    comes from the pelapor, saksi and files the page already shows, not from reading them again."""
    client = verified_client(staf)
    record_laporan(staf, PUTAT_KIDUL, evidence=[])  # an earlier report: each is compared with it
    counts = {}
    for n in (2, 6):
        case = record_laporan(
            staf,
            PUTAT_KIDUL,
            witnesses=n,
            evidence=[jpeg(f"foto-{i}.jpg", salt=f"new-{n}-{i}".encode()) for i in range(n)],
        )
        counts[n], page = page_queries(client, case)
        assert all(
            _ticked(page, name) for name in ("formal_identity", "material_witness", "material_evidence")
        )
    assert counts[2] == counts[6] <= CASE_PAGE_QUERIES, counts
    bare = record_laporan(staf, PUTAT_KIDUL, witnesses=0, evidence=[], email="")
    _count, page = page_queries(client, bare)
    assert _ticked(page, "formal_identity")
    assert not _ticked(page, "material_witness") and not _ticked(page, "material_evidence")


# --- the menu's reminders ---------------------------------------------------------------------


def test_an_unread_reminder_of_a_case_outside_the_user_s_area_costs_the_menu_one_plain_query(staf, make_user):
    """A Panwascam moved from Kepanjen to Gondanglegi left a reminder of Kepanjen unread: the list
    no longer shows it, and the badge must not run the full still-due test on every page for it."""
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    kepanjen = record_laporan(staf, another_desa(KEPANJEN), evidence=[])  # its decision clock runs
    assert kepanjen.decision_due is not None
    Reminder.objects.create(
        user=panwascam, case=kepanjen, deadline="decision_due", due=kepanjen.decision_due, message="Kepanjen"
    )
    with CaptureQueriesContext(connection) as queries:
        assert selectors.unread_reminder_count(panwascam) == 0
    assert len(queries) == 1
    own = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    assert own.decision_due is not None
    Reminder.objects.create(
        user=panwascam, case=own, deadline="decision_due", due=own.decision_due, message="Gondanglegi"
    )
    assert selectors.unread_reminder_count(panwascam) == 1


def test_marking_all_read_marks_and_counts_the_reminders_the_list_showed_unread(staf, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")

    def reminded(region_code: str, message: str) -> Case:
        case = record_laporan(staf, region_code, evidence=[], title=message)
        assert case.decision_due is not None
        Reminder.objects.create(
            user=panwascam, case=case, deadline="decision_due", due=case.decision_due, message=message
        )
        return case

    reminded(PUTAT_KIDUL, "Amplop pertama")
    reminded(PUTAT_KIDUL, "Amplop kedua")
    settled = reminded(PUTAT_KIDUL, "Tidak diregistrasi")
    workflow.case_not_registered(case=settled, reason="Di luar wewenang.", by_decision=True, actor=staf)
    reminded(another_desa(KEPANJEN), "Kecamatan lama")  # not on the list: outside the area
    client = verified_client(panwascam)
    page = client.get(reverse("cases:reminders")).content.decode()
    assert page.count('class="unread"') == 2 and page.count('data-testid="reminder-settled"') == 1

    response = client.post(reverse("cases:reminders_read_all"), follow=True)
    page = response.content.decode()
    assert "2 pengingat ditandai sudah dibaca" in page
    assert 'class="unread"' not in page and 'data-testid="read-all"' not in page
    # The settled one still says why it is no longer due.
    assert page.count('data-testid="reminder-settled"') == 1
    assert set(Reminder.objects.filter(read_at__isnull=False).values_list("message", flat=True)) == {
        "Amplop pertama",
        "Amplop kedua",
    }


def test_the_page_s_scope_check_of_a_case_already_read_agrees_with_visible_to(staf, make_user):
    """The page checks the cases it links to as they were read (``in_scope``), not by asking the
    database again: it must give the answer ``visible_to`` gives."""
    from awas.core.scope import in_scope

    cases = [
        record_laporan(staf, PUTAT_KIDUL, evidence=[]),
        record_laporan(staf, another_desa(KEPANJEN), evidence=[]),
    ]
    users = [
        staf,
        make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam-gondanglegi"),
        make_user(Role.PANWASCAM, KEPANJEN, username="pcam-kepanjen"),
        make_user(Role.PKD, PUTAT_KIDUL, username="pkd"),
        make_user(Role.PTPS, PUTAT_KIDUL, tps_number=1, username="ptps"),
    ]
    for user in users:
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert {case.pk for case in cases if in_scope(user, case)} == visible & {case.pk for case in cases}
