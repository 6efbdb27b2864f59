"""Undoing a wrong merge or link: the case goes on as before, its pelapor is told, the log keeps it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.models import Case, CaseLink, CaseStatus, StatusChange
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    informasi_awal,
    jpeg,
    record_laporan,
    registered_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def merged_pair(staf):
    older = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1), email="pertama@example.id"
    )
    newer = registered_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"u")], email="kedua@example.id")
    workflow.case_merge(case=newer, other=older, reason="Peristiwa sama.", actor=staf)
    newer.refresh_from_db()
    assert newer.status == CaseStatus.MERGED
    return older, newer


def test_a_wrong_merge_is_undone_from_the_merged_case_and_its_pelapor_is_told(
    staf, client, mailoutbox, django_capture_on_commit_callbacks
):
    older, newer = merged_pair(staf)
    due_before = newer.decision_due
    staff = verified_client(staf)
    page = staff.get(reverse("cases:detail", args=[newer.pk])).content.decode()
    assert reverse("cases:unmerge", args=[newer.pk]) in page
    url = reverse("cases:unmerge", args=[newer.pk])

    # A reason is needed; without it nothing changes and the form says so.
    refused = staff.post(url, {"reason": "  "})
    assert refused.status_code == 200 and Case.objects.get(pk=newer.pk).status == CaseStatus.MERGED

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(url, {"reason": "Ternyata dua peristiwa berbeda (hari lain)."})
    assert done["Location"] == reverse("cases:detail", args=[newer.pk])
    newer.refresh_from_db()
    assert newer.status == CaseStatus.REGISTERED and newer.merged_into_id is None
    assert newer.decision_due == due_before  # its own clock again, counted from its own receipt
    assert not CaseLink.objects.filter(from_case=newer, to_case=older).exists()
    # The history keeps both steps; the current status was never edited directly.
    steps = list(
        StatusChange.objects.filter(case=newer).order_by("at", "pk").values_list("to_status", flat=True)
    )
    assert steps[-2:] == [CaseStatus.MERGED, CaseStatus.REGISTERED]
    # Its pelapor hears of it (and of nothing about the other case); the tracking page shows it.
    (mail,) = [m for m in mailoutbox if m.to == ["kedua@example.id"]]
    assert "ditangani sendiri" in mail.body and older.tracking_code not in mail.body
    track = client.get(f"/lapor/lacak/{newer.tracking_code}/").content.decode()
    assert 'data-testid="merged-status"' not in track and "ditangani sendiri" in track
    # Both cases' logs name the step and the reason.
    assert AuditEntry.objects.filter(action="case.unmerged", object_id=str(newer.pk)).exists()
    assert AuditEntry.objects.filter(action="case.unmerge_released", object_id=str(older.pk)).exists()
    # The other case goes on as it was, and the two can be linked or merged again.
    assert Case.objects.get(pk=older.pk).status == CaseStatus.REGISTERED
    assert "link" in workflow.available_actions(newer)


def test_an_informasi_awal_goes_back_to_received(staf):
    laporan = registered_laporan(staf, PUTAT_KIDUL)
    tip = informasi_awal(PUTAT_KIDUL)
    workflow.case_merge(case=tip, other=laporan, reason="Sama.", actor=staf)
    workflow.case_unmerge(case=Case.objects.get(pk=tip.pk), reason="Beda.", actor=staf)
    tip.refresh_from_db()
    assert tip.status == CaseStatus.RECEIVED and tip.decision_due is None
    note = StatusChange.objects.filter(case=tip).last()
    assert note is not None and note.public_note.startswith("Informasi awal Anda")


def test_only_a_merged_case_can_be_unmerged_and_only_by_handling_staff(staf, make_user):
    older, newer = merged_pair(staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_unmerge(case=older, reason="Salah.", actor=staf)
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    response = verified_client(pimpinan).post(reverse("cases:unmerge", args=[newer.pk]), {"reason": "Salah."})
    assert response.status_code == 403
    elsewhere = make_user(Role.PANWASCAM, KEPANJEN, username="panwascam-kepanjen")
    response = verified_client(elsewhere).post(
        reverse("cases:unmerge", args=[newer.pk]), {"reason": "Salah."}
    )
    assert response.status_code in {403, 404}
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.MERGED


def test_a_wrong_link_is_removed_from_either_case_and_logged(staf):
    one = record_laporan(staf, PUTAT_KIDUL)
    two = record_laporan(staf, GONDANGLEGI + ".2001", evidence=[jpeg(salt=b"l")])
    link = workflow.case_link(case=one, other=two, actor=staf)
    staff = verified_client(staf)
    page = staff.get(reverse("cases:detail", args=[two.pk])).content.decode()
    url = reverse("cases:unlink", args=[two.pk, link.pk])
    assert url in page
    # A link of another case is not found through this one.
    third = record_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"m")])
    assert staff.post(reverse("cases:unlink", args=[third.pk, link.pk])).status_code == 404

    response = staff.post(url)
    assert response["Location"] == reverse("cases:detail", args=[two.pk])
    assert not CaseLink.objects.filter(pk=link.pk).exists()
    logged = AuditEntry.objects.filter(action="case.unlinked").values_list("object_id", flat=True)
    assert sorted(logged) == sorted([str(one.pk), str(two.pk)])
    # Twice (a double click): nothing more happens.
    assert staff.post(url).status_code == 404


def test_the_origin_of_a_temuan_and_a_merge_are_not_removed_as_links(staf):
    older, newer = merged_pair(staf)
    merge_link = CaseLink.objects.get(from_case=newer, to_case=older)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_unlink(link=merge_link, actor=staf)
    page = verified_client(staf).get(reverse("cases:detail", args=[older.pk])).content.decode()
    assert reverse("cases:unlink", args=[older.pk, merge_link.pk]) not in page
    assert CaseLink.objects.filter(pk=merge_link.pk).exists()
