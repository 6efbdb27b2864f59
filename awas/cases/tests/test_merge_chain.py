"""Merges in a chain: laporan A merged into B, then B into C. C carries the handling of all three:
its page lists A's pelapor and evidence, A's pelapor hears of C's decision under A's own code,
and undoing B's merge brings A back with B (issue 4 item 8)."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseLink, CaseStatus, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    decide,
    jpeg,
    registered_laporan,
)
from awas.cases.tests.test_case_page_queries import CASE_PAGE_QUERIES, page_queries
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.core.tests.smtp_servers import refusing_smtp


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def three_laporan(staf) -> tuple[Case, Case, Case]:
    """C the oldest, then B, then A, each with its pelapor's address and a photo."""
    now = timezone.now()
    c, b, a = (
        registered_laporan(
            staf,
            PUTAT_KIDUL,
            received_at=now - dt.timedelta(days=days),
            email=f"{name}@example.id",
            evidence=[jpeg(f"foto-{name}.jpg", salt=name.encode())],
        )
        for days, name in ((3, "c"), (2, "b"), (1, "a"))
    )
    return a, b, c


def chain(staf) -> tuple[Case, Case, Case]:
    """A merged into B, then B into C (each time the newer into the older)."""
    a, b, c = three_laporan(staf)
    workflow.case_merge(case=a, other=b, reason="A dan B peristiwa sama.", actor=staf)
    workflow.case_merge(case=b, other=c, reason="B dan C peristiwa sama.", actor=staf)
    for case in (a, b, c):
        case.refresh_from_db()
    return a, b, c


def case_page(user, case: Case) -> str:
    response = verified_client(user).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, testid: str, end: str = "</ul>") -> str:
    found = re.search(rf'data-testid="{testid}">(.*?){end}', page, re.S)
    return found.group(1) if found else ""


def merged_status(client, case: Case) -> str:
    page = client.get(reverse("public:track_detail", args=[case.tracking_code])).content.decode()
    shown = re.search(r'data-testid="merged-status"><strong>([^<]*)<', page)
    return shown.group(1) if shown else ""


def test_merging_b_into_c_takes_the_laporan_merged_into_b_along(staf, make_user):
    a, b, c = chain(staf)
    # A is handled with C; its own merge (into B, with its reason) is still on record.
    assert (a.status, a.merged_into_id) == (CaseStatus.MERGED, c.pk)
    assert CaseLink.objects.get(from_case=a, kind=CaseLink.Kind.MERGED).to_case_id == b.pk
    moved = AuditEntry.objects.get(action="case.merge_followed", object_id=str(a.pk))
    assert moved.before == {"into": b.pk} and moved.after is not None and moved.after["into"] == c.pk

    page = case_page(staf, c)
    reporters = section(page, "merged-reporters")
    assert "a@example.id" in reporters and "b@example.id" in reporters
    evidence = section(page, "merged-evidence", "</table>")
    assert "foto-a.jpg" in evidence and "foto-b.jpg" in evidence
    # The links say A came with B, and why A was merged.
    [row_a] = [row for row in re.findall(r"<li>(.*?)</li>", section(page, "links"), re.S) if str(a) in row]
    assert row_a.startswith(f"Digabungkan ke kasus ini (bersama {b}):")
    assert "A dan B peristiwa sama." in row_a
    # A's page says where it is handled now.
    assert f'Digabungkan ke <a href="{reverse("cases:detail", args=[c.pk])}">' in case_page(staf, a)

    # A PKD of the desa opens C but never reads a pelapor's contact.
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    assert "a@example.id" not in case_page(pkd, c)


def test_the_pelapor_of_a_hears_of_c_s_decision_and_the_tracking_page_shows_it(
    staf, client, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = chain(staf)
    mailoutbox.clear()
    plenary = today_local()
    with django_capture_on_commit_callbacks(execute=True):
        decide(c, DecisionOutcome.BUKAN_PELANGGARAN, staf, plenary_date=plenary)
    decided = (
        f"Rapat pleno tanggal {tanggal(plenary)} memutuskan: Bukan pelanggaran. Penanganan laporan selesai."
    )
    for merged, address in ((a, "a@example.id"), (b, "b@example.id")):
        mail = [m for m in mailoutbox if m.to == [address]][-1]  # after the kajian's notice
        assert merged.tracking_code in mail.subject and mail.subject.endswith(": Selesai")
        assert decided in mail.body and c.tracking_code not in mail.body
        assert merged_status(client, merged) == "Selesai"  # as for a laporan merged straight into C


def test_c_s_page_warns_of_an_e_mail_that_never_reached_the_pelapor_of_a(
    staf, settings, django_capture_on_commit_callbacks
):
    a, b, c = three_laporan(staf)
    workflow.case_merge(case=a, other=b, reason="Sama.", actor=staf)
    with refusing_smtp(settings), django_capture_on_commit_callbacks(execute=True):
        workflow.case_merge(case=b, other=c, reason="Sama.", actor=staf)
        workflow.study_save(
            case=Case.objects.get(pk=c.pk), facts="Fakta.", analysis="Analisis.", conclusion="K.", actor=staf
        )
    # C went to kajian: its pelapor and the pelapor of B and A were written to, all refused.
    warning = section(case_page(staf, c), "pelapor-mail-undelivered", "</div>")
    assert "a@example.id" in warning and reverse("cases:detail", args=[a.pk]) in warning


def test_undoing_b_s_merge_brings_a_back_with_b(staf, client, mailoutbox, django_capture_on_commit_callbacks):
    a, b, c = chain(staf)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.case_unmerge(case=b, reason="B ternyata peristiwa lain.", actor=staf)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.status == CaseStatus.REGISTERED and b.merged_into_id is None
    assert (a.status, a.merged_into_id) == (CaseStatus.MERGED, b.pk)
    assert AuditEntry.objects.filter(action="case.merge_followed", object_id=str(a.pk)).count() == 2
    # A's pelapor hears that the case theirs is handled with is B again (its status), not C.
    [mail] = [m for m in mailoutbox if m.to == ["a@example.id"]]
    assert a.tracking_code in mail.subject and "ditangani bersama" in mail.body
    assert merged_status(client, a) == str(CaseStatus.REGISTERED.label)

    assert "a@example.id" not in case_page(staf, c)
    assert "a@example.id" in section(case_page(staf, b), "merged-reporters")


def test_undoing_a_s_merge_leaves_b_with_c(staf):
    a, b, c = chain(staf)
    workflow.case_unmerge(case=a, reason="A ternyata peristiwa lain.", actor=staf)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == CaseStatus.REGISTERED and a.merged_into_id is None
    assert not CaseLink.objects.filter(from_case=a, kind=CaseLink.Kind.MERGED).exists()
    assert (b.status, b.merged_into_id) == (CaseStatus.MERGED, c.pk)
    page = case_page(staf, c)
    assert "a@example.id" not in page and "b@example.id" in page


def test_the_joint_case_page_of_a_chain_stays_within_the_query_budget(staf):
    """As many queries as for the same three laporan merged straight into C."""
    _a, _b, c = chain(staf)
    a2, b2, c2 = three_laporan(staf)
    workflow.case_merge(case=a2, other=c2, reason="Sama.", actor=staf)
    workflow.case_merge(case=b2, other=c2, reason="Sama.", actor=staf)
    client = verified_client(staf)
    (chained, page), (direct, _page) = page_queries(client, c), page_queries(client, c2)
    assert "a@example.id" in page and chained == direct <= CASE_PAGE_QUERIES


def test_chains_merged_before_are_flattened_by_the_migration(staf):
    a, b, c = chain(staf)
    # As merges left it before: A merged into B while B was open, then B into C, A still into B.
    Case.objects.filter(pk=a.pk).update(merged_into=b.pk)
    assert "a@example.id" not in case_page(staf, c)
    importlib.import_module("awas.cases.migrations.0021_flatten_merge_chains").flatten(apps, None)
    a.refresh_from_db()
    assert a.merged_into_id == c.pk
    assert AuditEntry.objects.filter(action="case.merge_followed", object_id=str(a.pk)).count() == 2
    assert "a@example.id" in section(case_page(staf, c), "merged-reporters")


def test_b_s_page_says_a_is_now_handled_with_c(staf):
    a, b, c = chain(staf)
    page = case_page(staf, b)
    [row_a] = [row for row in re.findall(r"<li>(.*?)</li>", section(page, "links"), re.S) if str(a) in row]
    assert row_a.startswith("Digabungkan ke kasus ini:")
    now_with = section(row_a, "link-now-with", "</span>")
    assert now_with == f'· kini ditangani bersama <a href="{reverse("cases:detail", args=[c.pk])}">{c}</a>'
    # C's own page lists A as come with B, handled there: nothing more beside it.
    assert "kini ditangani bersama" not in case_page(staf, c)
    # Undoing B's merge brings A back with B: the note goes.
    workflow.case_unmerge(case=b, reason="B ternyata peristiwa lain.", actor=staf)
    assert "kini ditangani bersama" not in case_page(staf, b)


def test_the_case_a_went_on_with_is_not_named_to_who_may_not_open_it(staf, make_user):
    a, b, _c = three_laporan(staf)
    c = registered_laporan(staf, KEPANJEN, received_at=timezone.now() - dt.timedelta(days=5))
    workflow.case_merge(case=a, other=b, reason="A dan B peristiwa sama.", actor=staf)
    workflow.case_merge(case=b, other=c, reason="B dan C peristiwa sama.", actor=staf)
    c.refresh_from_db()
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam")
    now_with = section(case_page(panwascam, b), "link-now-with", "</span>")
    assert now_with == "· kini ditangani bersama perkara di luar wilayah Anda"
    assert reverse("cases:detail", args=[c.pk]) not in case_page(panwascam, b) and str(c) not in now_with


def test_b_s_page_with_a_gone_on_to_c_stays_within_the_query_budget(staf):
    """As many queries as for B merged into C with nothing merged into B."""
    _a, b, _c = chain(staf)
    _a2, b2, c2 = three_laporan(staf)
    workflow.case_merge(case=b2, other=c2, reason="Sama.", actor=staf)
    client = verified_client(staf)
    (chained, page), (alone, _page) = page_queries(client, b), page_queries(client, b2)
    assert "kini ditangani bersama" in page and chained == alone <= CASE_PAGE_QUERIES
