"""Related reports as staff meet them: a merge never buries a case in a finished one, linked cases
outside the user's area stay hidden, and the case page shows possible duplicates by itself."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from awas.cases import selectors
from awas.cases.models import Case, CaseKind, CaseLink, CaseStatus, DecisionOutcome, StatusChange
from awas.cases.services import workflow
from awas.cases.services.common import case_set_status
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    another_desa,
    decided_case,
    informasi_awal,
    jpeg,
    record_laporan,
    registered_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Level, Role
from awas.core.services.audit import text_digest
from awas.regions.models import Region

ACCOUNT = (
    "Sabtu malam kepala desa membagikan amplop berisi uang Rp50.000 kepada warga RT 03 "
    "dan meminta memilih paslon nomor 2."
)
PARAPHRASE = (
    "Pada Sabtu malam kades bagi-bagi amplop isi uang 50 ribu ke warga RT 3, minta pilih paslon nomor 2."
)


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def untouched(case: Case) -> tuple[str, int | None, int, int]:
    case.refresh_from_db()
    return (
        case.status,
        case.merged_into_id,
        StatusChange.objects.filter(case=case).count(),
        CaseLink.objects.filter(from_case=case).count() + CaseLink.objects.filter(to_case=case).count(),
    )


# --- 1. a merge goes only into a case that can still carry the handling --------------------------


def test_merge_into_a_closed_case_is_refused_on_the_page_and_changes_nothing(staf):
    closed = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, received_at=days_ago(3), evidence=[]
    )
    assert closed.status == CaseStatus.CLOSED
    newer = registered_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"n")])
    before = untouched(newer), untouched(closed)
    audits = AuditEntry.objects.filter(action__startswith="case.merge").count()

    client = english(verified_client(staf))
    response = client.post(
        reverse("cases:link", args=[newer.pk]),
        {"other": closed.pk, "mode": "merge", "reason": "Peristiwa yang sama, alasan panjang."},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "can no longer take in another case" in page and str(closed) in page
    assert 'value="Peristiwa yang sama, alasan panjang."' in page  # what was typed is still there
    assert (untouched(newer), untouched(closed)) == before
    assert AuditEntry.objects.filter(action__startswith="case.merge").count() == audits


@pytest.mark.parametrize("final", [CaseStatus.NOT_REGISTERED, CaseStatus.DECIDED, CaseStatus.REFERRED])
def test_no_merge_into_a_decided_or_not_registered_case(staf, final):
    older = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(2), evidence=[])
    case_set_status(older, final, reason="test")
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_merge(case=newer, other=older, reason="Sama.", actor=staf)
    assert refused.value.code == "target_not_open"
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.RECEIVED


def test_no_merge_into_a_merged_case(staf):
    oldest = registered_laporan(staf, PUTAT_KIDUL, received_at=days_ago(3), evidence=[])
    middle = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(2), evidence=[])
    workflow.case_merge(case=middle, other=oldest, reason="Sama.", actor=staf)
    newest = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_merge(case=newest, other=middle, reason="Sama.", actor=staf)
    assert refused.value.code == "merged"


@pytest.mark.parametrize("from_the_older", [False, True])
def test_a_registered_laporan_never_goes_into_an_unregistered_one(staf, from_the_older):
    # Filed first but never completed (no signature), the older duplicate joins the registered one
    # being handled: the officer was told to register the incomplete one first, which could not be.
    older = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(2), evidence=[])
    workflow.requirements_check(case=older, checks={"formal_in_time": True}, actor=staf)
    assert older.status == CaseStatus.INCOMPLETE
    newer = registered_laporan(staf, PUTAT_KIDUL, evidence=[])
    assert workflow.merge_problem(older, newer) is None and workflow.merge_problem(newer, older) is None
    assert workflow.merge_plan(older, newer) == (newer, older)

    one, two = (older, newer) if from_the_older else (newer, older)
    kept = workflow.case_merge(case=one, other=two, reason="Sama.", actor=staf)

    assert kept.pk == newer.pk
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.REGISTERED
    older.refresh_from_db()
    assert (older.status, older.merged_into_id) == (CaseStatus.MERGED, newer.pk)
    assert older.completion_due is not None  # kept as it was; its clock no longer runs
    assert not selectors.deadlines_at_risk(staf, today=older.completion_due).filter(pk=older.pk).exists()


def test_each_candidate_says_which_case_would_go_into_which(staf):
    older = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(2), evidence=[])
    registered = registered_laporan(staf, PUTAT_KIDUL, received_at=days_ago(1), evidence=[])
    newest = registered_laporan(staf, PUTAT_KIDUL, evidence=[])
    client = verified_client(staf)

    page = client.get(reverse("cases:related", args=[registered.pk])).content.decode()
    said = dict(
        re.findall(
            r'name="other" value="(\d+)"><input type="hidden" name="mode" value="merge">.*?'
            r'data-testid="merge-direction">(.*?)</span>',
            page,
            re.S,
        )
    )
    # The older one, not registered, goes into this one; this one goes into the older registered.
    assert said[str(older.pk)] == f"{older} digabungkan ke {registered}, yang melanjutkan penanganannya."
    assert said[str(newest.pk)] == f"{newest} digabungkan ke {registered}, yang melanjutkan penanganannya."
    assert "yang lebih baru ke yang lebih lama" not in page.split("<section")[0]  # the intro says no rule


def test_nothing_goes_into_an_unregistered_case(staf):
    older = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(2), evidence=[])
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_merge(case=newer, other=older, reason="Sama.", actor=staf)
    assert refused.value.code == "target_not_registered"
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.RECEIVED

    # Nor a tip: if the laporan ends "tidak diregistrasi" the lead could no longer be taken up.
    tip = informasi_awal(PUTAT_KIDUL)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_merge(case=tip, other=older, reason="Sama.", actor=staf)
    assert Case.objects.get(pk=tip.pk).status == CaseStatus.RECEIVED


def test_an_archived_tip_takes_in_nothing(staf):
    tip = informasi_awal(PUTAT_KIDUL)
    workflow.informasi_awal_archive(tip=tip, reason="Tidak ada indikasi.", actor=staf)
    laporan = registered_laporan(staf, PUTAT_KIDUL, evidence=[])
    assert tip.received_at < laporan.received_at
    with pytest.raises(workflow.WorkflowError):
        workflow.case_merge(case=laporan, other=tip, reason="Sama.", actor=staf)
    laporan.refresh_from_db()
    assert laporan.status == CaseStatus.REGISTERED and laporan.merged_into_id is None


def test_an_open_tip_goes_into_the_laporan_even_when_older(staf):
    tip = informasi_awal(PUTAT_KIDUL)
    laporan = registered_laporan(staf, PUTAT_KIDUL, evidence=[])
    kept = workflow.case_merge(case=laporan, other=tip, reason="Peristiwa sama.", actor=staf)
    tip.refresh_from_db()
    laporan.refresh_from_db()
    assert kept.pk == laporan.pk and laporan.status == CaseStatus.REGISTERED
    assert tip.status == CaseStatus.MERGED and tip.merged_into_id == laporan.pk
    assert tip.kind == CaseKind.INFORMASI_AWAL
    # Audited on both sides, with the reason.
    merged = AuditEntry.objects.get(action="case.merged", object_id=str(tip.pk))
    assert merged.after == {"into": laporan.pk, "reason": text_digest("Peristiwa sama.")}
    assert AuditEntry.objects.filter(action="case.merge_received", object_id=str(laporan.pk)).exists()


def test_merging_and_linking_stay_within_the_users_area(staf, make_user):
    """Staff of Kabupaten Malang cannot reach a case of Kota Batu, by the page or the service."""
    province = Region.objects.get(code="35")
    batu = Region.objects.create(code="35.79", name="KOTA BATU", level=Level.KABUPATEN, parent=province)
    kecamatan = Region.objects.create(code="35.79.01", name="BATU", level=Level.KECAMATAN, parent=batu)
    Region.objects.create(code="35.79.01.1001", name="SISIR", level=Level.DESA, parent=kecamatan)
    admin = make_user(Role.ADMIN, "35", username="admin-jatim")
    elsewhere = record_laporan(admin, "35.79.01.1001", received_at=days_ago(1), evidence=[])
    own = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    before = untouched(own), untouched(elsewhere)
    client = verified_client(staf)
    for mode in ("merge", "link"):
        response = client.post(
            reverse("cases:link", args=[own.pk]), {"other": elsewhere.pk, "mode": mode, "reason": "Sama."}
        )
        assert response.status_code == 404
    for call in (
        lambda: workflow.case_merge(case=own, other=elsewhere, reason="Sama.", actor=staf),
        lambda: workflow.case_link(case=own, other=elsewhere, actor=staf),
    ):
        with pytest.raises(workflow.WorkflowError) as refused:
            call()
        assert refused.value.code == "scope"
    assert (untouched(own), untouched(elsewhere)) == before


# --- 2. linked cases outside the user's area -----------------------------------------------------


def test_panwascam_sees_no_code_or_title_of_a_linked_case_elsewhere(staf, make_user):
    own = record_laporan(staf, PUTAT_KIDUL, title="Amplop di Putat Kidul", evidence=[])
    elsewhere = record_laporan(
        staf, another_desa(KEPANJEN), title="Baliho di sekolah Kepanjen", received_at=days_ago(1), evidence=[]
    )
    workflow.case_link(case=own, other=elsewhere, actor=staf)
    panwascam = english(verified_client(make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")))

    page = panwascam.get(reverse("cases:detail", args=[own.pk])).content.decode()
    assert elsewhere.tracking_code not in page and "Baliho di sekolah Kepanjen" not in page
    assert "a case outside your area" in page

    # Staff of the whole kabupaten see it in full.
    page = verified_client(staf).get(reverse("cases:detail", args=[own.pk])).content.decode()
    assert elsewhere.tracking_code in page and "Baliho di sekolah Kepanjen" in page


def test_merged_into_a_case_elsewhere_names_no_code(staf, make_user):
    older = registered_laporan(
        staf, another_desa(KEPANJEN), received_at=days_ago(1), evidence=[], title="Baliho di Kepanjen"
    )
    own = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    workflow.case_merge(case=own, other=older, reason="Sama.", actor=staf)
    panwascam = english(verified_client(make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")))
    page = panwascam.get(reverse("cases:detail", args=[own.pk])).content.decode()
    assert "Merged into a case outside your area." in page
    assert older.tracking_code not in page and older.title not in page


# --- 3. the case page shows possible duplicates by itself ----------------------------------------


def test_case_page_lists_a_candidate_with_the_same_terlapor_and_a_similar_account(staf):
    earlier = record_laporan(
        staf,
        another_desa(KEPANJEN),
        received_at=days_ago(20),
        title="Kepala desa membagikan uang kepada warga",
        chronology=ACCOUNT,
        terlapor_name="Sutrisno",
        evidence=[],
    )
    other = record_laporan(
        staf,
        another_desa(KEPANJEN),
        received_at=days_ago(21),
        title="Baliho",
        terlapor_name="Wahyudi",
        evidence=[],
    )
    client = english(verified_client(staf))

    # Recorded at the desk: the page staff land on already shows the earlier report.
    from awas.cases.tests.test_staff_views import _laporan_post

    response = client.post(
        reverse("cases:record"),
        _laporan_post(
            title="Kades bagi-bagi amplop uang", chronology=PARAPHRASE, terlapor_name="H. Sutrisno, S.Pd."
        ),
    )
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="related-candidates"' in page
    assert earlier.tracking_code in page and "Kepala desa membagikan uang kepada warga" in page
    assert "same terlapor (name match 100%)" in page and "similar account of events" in page
    assert f'name="other" value="{earlier.pk}"' in page  # link and merge go to the existing flow
    assert other.tracking_code not in page


def test_candidates_leave_the_page_once_linked_and_closed_cases_show_none(staf):
    earlier = record_laporan(
        staf, PUTAT_KIDUL, received_at=days_ago(1), terlapor_name="Sutrisno", evidence=[]
    )
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    client = verified_client(staf)
    detail = reverse("cases:detail", args=[case.pk])
    assert 'data-testid="related-candidates"' in client.get(detail).content.decode()

    client.post(reverse("cases:link", args=[case.pk]), {"other": earlier.pk, "mode": "link"})
    assert CaseLink.objects.filter(from_case=case, to_case=earlier).exists()
    assert 'data-testid="related-candidates"' not in client.get(detail).content.decode()

    third = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    case_set_status(third, CaseStatus.CLOSED, reason="test")
    page = client.get(reverse("cases:detail", args=[third.pk])).content.decode()
    assert 'data-testid="related-candidates"' not in page


def test_a_candidate_that_cannot_be_merged_offers_only_the_link(staf):
    closed = decided_case(
        staf,
        PUTAT_KIDUL,
        DecisionOutcome.DIHENTIKAN,
        received_at=days_ago(2),
        terlapor_name="Sutrisno",
        evidence=[],
    )
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    page = english(verified_client(staf)).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert closed.registration_number and closed.registration_number in page
    assert 'data-testid="merge-problem"' in page and "can no longer take in another case" in page
    assert 'value="merge"' not in page and 'value="link"' in page


def test_at_most_three_candidates_and_only_within_scope(staf, make_user):
    for n in range(4):
        record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(n + 1), terlapor_name="Sutrisno", evidence=[])
    elsewhere = record_laporan(
        staf, another_desa(KEPANJEN), received_at=days_ago(1), terlapor_name="Sutrisno", evidence=[]
    )
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    assert len(selectors.related_for_page(staf, case)) == 3
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    shown = selectors.related_for_page(panwascam, case)
    assert len(shown) == 3 and elsewhere.pk not in {c.case.pk for c in shown}
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    assert selectors.related_for_page(pkd, case) == []  # no handling role: nothing computed


def test_the_page_compares_few_texts(staf, monkeypatch):
    """The case page compares the account only with the best name/place matches and the most
    recent reports (the related cases page compares them all)."""
    monkeypatch.setattr(selectors, "PAGE_SHORTLIST", 1)
    monkeypatch.setattr(selectors, "PAGE_RECENT", 2)
    named = record_laporan(
        staf, another_desa(KEPANJEN), received_at=days_ago(60), terlapor_name="Sutrisno", evidence=[]
    )
    for n in range(4):
        record_laporan(
            staf, another_desa(KEPANJEN), received_at=days_ago(n + 30), terlapor_name="", evidence=[]
        )
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    compared: list[int] = []
    real = selectors._text_scores

    def counting(text, others):
        compared.append(len(others))
        return real(text, others)

    monkeypatch.setattr(selectors, "_text_scores", counting)
    found = selectors.related_candidates(case, text_limit=2)
    assert compared == [3]  # the one name match and the two most recent
    assert found[0].case.pk == named.pk and "text" in found[0].signals
    selectors.related_candidates(case)
    assert compared[-1] == 5


def test_pkd_sees_linked_and_related_cases_without_their_tracking_codes(staf, make_user):
    """A laporan's tracking code is its pelapor's key: not shown to a PKD, even within its desa."""
    one = record_laporan(staf, PUTAT_KIDUL, received_at=days_ago(1), terlapor_name="Sutrisno", evidence=[])
    two = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    three = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    workflow.case_link(case=two, other=one, actor=staf)
    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd"))
    detail = pkd.get(reverse("cases:detail", args=[two.pk])).content.decode()
    related = pkd.get(reverse("cases:related", args=[two.pk])).content.decode()
    for page in (detail, related):
        assert one.tracking_code not in page and three.tracking_code not in page
    assert f"#{one.pk}" in detail and f"#{three.pk}" in related


def test_a_case_related_by_the_kecamatan_alone_is_not_pushed_on_the_case_page(staf):
    """Another desa of Gondanglegi, another terlapor, another story, two days apart: the related
    cases page lists it, the case page does not put it before the officer as a likely duplicate."""
    other_desa = another_desa(GONDANGLEGI, but=PUTAT_KIDUL)
    neighbour = record_laporan(
        staf,
        other_desa,
        received_at=days_ago(2),
        terlapor_name="Kepala Dusun Wagiman",
        title="Baliho calon di pos ronda",
        chronology="Sebuah baliho pasangan calon dipasang di pos ronda dusun.",
        evidence=[],
    )
    case = record_laporan(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", evidence=[])
    client = verified_client(staf)

    assert selectors.related_for_page(staf, case) == []
    assert neighbour.title not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    related = client.get(reverse("cases:related", args=[case.pk])).content.decode()
    assert neighbour.title in related
