"""Undoing a wrong merge or link: the case goes on as before, its pelapor is told, the log keeps it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from awas.cases.formatting import tanggal
from awas.cases.models import Case, CaseLink, CaseStatus, DecisionOutcome, StatusChange
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
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
    assert "ditangani sendiri" in mail.body
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


def test_only_a_merged_case_can_be_unmerged_and_only_by_handling_staff_in_scope(staf, make_user):
    older, newer = merged_pair(staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_unmerge(case=older, reason="Salah.", actor=staf)
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    response = verified_client(pimpinan).post(reverse("cases:unmerge", args=[newer.pk]), {"reason": "Salah."})
    assert response.status_code == 403
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.MERGED


def test_the_service_asks_for_the_scope_of_both_cases(staf, make_user):
    # Whoever calls it (only Panwascam accounts are scoped below the kabupaten): the staff of one
    # kecamatan see only one of the two cases, and cannot undo the merge from either side.
    kept = registered_laporan(staf, another_desa(KEPANJEN), received_at=timezone.now() - dt.timedelta(days=1))
    merged = registered_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"s")])
    workflow.case_merge(case=merged, other=kept, reason="Sama.", actor=staf)
    for kecamatan in (KEPANJEN, GONDANGLEGI):
        outside = make_user(Role.PANWASCAM, kecamatan, username=f"panwascam-{kecamatan}")
        with pytest.raises(workflow.WorkflowError) as refused:
            workflow.case_unmerge(case=Case.objects.get(pk=merged.pk), reason="Salah.", actor=outside)
        assert refused.value.code == "scope"
    assert Case.objects.get(pk=merged.pk).status == CaseStatus.MERGED


def test_a_laporan_merged_while_incomplete_gets_its_completion_period_again(staf):
    older = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[], email="kedua@example.id")
    workflow.requirements_check(case=newer, checks={**ALL_MET, "material_evidence": False}, actor=staf)
    newer.refresh_from_db()
    assert newer.status == CaseStatus.INCOMPLETE and newer.completion_due is not None
    workflow.case_merge(case=newer, other=older, reason="Sama.", actor=staf)
    # Undone a week later: the first completion period has long passed while the pelapor was told
    # their laporan was handled with another one.
    later = newer.completion_due + dt.timedelta(days=7)
    workflow.case_unmerge(case=Case.objects.get(pk=newer.pk), reason="Beda.", actor=staf, today=later)
    newer.refresh_from_db()
    assert newer.status == CaseStatus.INCOMPLETE and newer.completion_due > later
    note = StatusChange.objects.filter(case=newer).last()
    assert note is not None and tanggal(newer.completion_due) in note.public_note
    assert "bukti" in note.public_note.lower()  # what is missing, again
    with pytest.raises(workflow.WorkflowError):  # "not registered" waits for the new period
        workflow.case_not_registered(case=newer, reason="Tidak dilengkapi.", actor=staf, today=later)
    entry = AuditEntry.objects.get(action="case.unmerged", object_id=str(newer.pk))
    assert (entry.after or {})["completion_due"] == newer.completion_due.isoformat()


def test_no_undo_once_the_joint_case_is_decided(staf):
    older, newer = merged_pair(staf)
    workflow.study_save(case=older, facts="Fakta.", analysis="Analisis.", conclusion="Simpulan.", actor=staf)
    workflow.decision_record(
        case=older,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        reasons="Tidak terbukti.",
        plenary_date=timezone.localdate(),
        actor=staf,
    )
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_unmerge(case=Case.objects.get(pk=newer.pk), reason="Beda.", actor=staf)
    assert refused.value.code == "decided"
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.MERGED
    # The case page says so instead of offering a form to fill in for nothing.
    page = verified_client(staf).get(reverse("cases:detail", args=[newer.pk])).content.decode()
    assert 'data-testid="unmerge-problem"' in page and "tidak dapat dibatalkan lagi" in page
    assert reverse("cases:unmerge", args=[newer.pk]) not in page


def test_a_wrong_link_is_removed_from_either_case_with_its_reason_and_logged(staf):
    one = record_laporan(staf, PUTAT_KIDUL)
    two = record_laporan(staf, GONDANGLEGI + ".2001", evidence=[jpeg(salt=b"l")])
    link = workflow.case_link(case=one, other=two, actor=staf)
    staff = verified_client(staf)
    page = staff.get(reverse("cases:detail", args=[two.pk])).content.decode()
    url = reverse("cases:unlink", args=[two.pk, link.pk])
    # The button sits in a form that asks the reason first: one click removes nothing.
    form = re.search(rf'<form method="post" action="{url}">.*?</form>', page, re.S)
    assert form and "Alasan menghapus tautan" in form.group(0)
    assert re.search(r'<input type="text"[^>]*name="reason"[^>]*required', form.group(0))
    # A link of another case is not found through this one.
    third = record_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"m")])
    assert staff.post(reverse("cases:unlink", args=[third.pk, link.pk]), {"reason": "X"}).status_code == 404

    # Without a reason (the button alone, or spaces): nothing is removed, and the page says why.
    for posted in ({}, {"reason": "   "}):
        response = staff.post(url, posted, follow=True)
        assert "Isi alasan menghapus tautan." in response.content.decode()
        assert CaseLink.objects.filter(pk=link.pk).exists()
    assert not AuditEntry.objects.filter(action="case.unlinked").exists()

    response = staff.post(url, {"reason": "Bukan peristiwa yang sama: tempatnya berbeda."})
    assert response["Location"] == reverse("cases:detail", args=[two.pk])
    assert not CaseLink.objects.filter(pk=link.pk).exists()
    logged = AuditEntry.objects.filter(action="case.unlinked")
    assert sorted(logged.values_list("object_id", flat=True)) == sorted([str(one.pk), str(two.pk)])
    assert {(entry.after or {}).get("reason") for entry in logged} == {
        "Bukan peristiwa yang sama: tempatnya berbeda."
    }
    # Twice (a double click): nothing more happens.
    assert staff.post(url, {"reason": "Lagi."}).status_code == 404

    # Both pages still say the link was there, who removed it, when and why.
    for case, other in ((one, two), (two, one)):
        page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
        removed = re.search(r'data-testid="removed-links">(.*?)</ul>', page, re.S)
        assert removed, "the removed link is not shown"
        assert str(other) in removed.group(1) and "Bukan peristiwa yang sama" in removed.group(1)
        assert str(staf) in removed.group(1)
        # ... and when, and by whom, the link had been made: the row itself is gone.
        with translation.override("id"):
            made = date_filter(timezone.localtime(link.created_at), "j F Y H.i")
        assert f"ditautkan {made} WIB oleh {staf}" in removed.group(1)
        assert 'data-testid="links"' not in page  # no link left


def test_a_removed_link_to_a_case_outside_the_area_keeps_that_case_s_people_and_places_out(staf, make_user):
    """A Panwascam reads that a link to a case elsewhere was removed, by whom and when, but not the
    reason typed at the kabupaten: it speaks of that case, whose title the page never shows."""
    own = record_laporan(staf, PUTAT_KIDUL)
    elsewhere = record_laporan(staf, another_desa(KEPANJEN), evidence=[jpeg(salt=b"k")])
    reason = "Laporan Pak Budi Santoso tentang baliho di Desa Talangagung, bukan politik uang."
    workflow.case_unlink(
        link=workflow.case_link(case=own, other=elsewhere, actor=staf), reason=reason, actor=staf
    )

    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    page = verified_client(panwascam).get(reverse("cases:detail", args=[own.pk])).content.decode()
    removed = re.search(r'data-testid="removed-links">(.*?)</ul>', page, re.S)
    assert removed, "the removed link is not shown"
    assert "perkara di luar wilayah Anda" in removed.group(1) and str(staf) in removed.group(1)
    assert "Budi" not in page and "Talangagung" not in page and str(elsewhere) not in page
    # The kabupaten's staff, who see both cases, read the reason.
    page = verified_client(staf).get(reverse("cases:detail", args=[own.pk])).content.decode()
    assert reason in page


def test_the_linked_cases_say_when_and_by_whom_they_were_linked_or_merged(staf, make_user):
    """The case that took in a merge lists it with the day, time and officer, as it lists a link."""
    older, newer = merged_pair(staf)  # merged by staf
    other = record_laporan(staf, GONDANGLEGI + ".2001", evidence=[jpeg(salt=b"w")])
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG, username="ketua")
    pimpinan.first_name, pimpinan.last_name = "Anis", "Suryani"
    pimpinan.save()
    workflow.case_link(case=older, other=other, actor=pimpinan)

    page = verified_client(staf).get(reverse("cases:detail", args=[older.pk])).content.decode()
    listed = re.search(r'data-testid="links">(.*?)</ul>', page, re.S)
    assert listed
    rows = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
    for case, kind, officer in (
        (newer, "Digabungkan ke kasus ini", "staf"),
        (other, "Terkait", "Anis Suryani"),
    ):
        link = CaseLink.objects.get(from_case__in=[older, case], to_case__in=[older, case])
        with translation.override("id"):
            when = date_filter(timezone.localtime(link.created_at), "j F Y H.i")
        [row] = [row for row in rows if str(case) in row]
        assert row.startswith(f"{kind}:")
        assert f'data-testid="link-made">· {when} WIB · {officer}</span>' in row


def test_each_side_of_a_merge_reads_which_case_went_into_which(staf):
    """'Digabungkan: 002/LP/…' on both pages read, on the merged case's own, as if the case that
    carries on had been merged into it."""
    older, newer = merged_pair(staf)  # newer went into older
    staff = verified_client(staf)
    for case, other, label in ((older, newer, "Digabungkan ke kasus ini"), (newer, older, "Digabungkan ke")):
        page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
        listed = re.search(r'data-testid="links">(.*?)</ul>', page, re.S)
        assert listed
        [row] = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
        assert row.startswith(f'{label}: <a href="{reverse("cases:detail", args=[other.pk])}">')


def test_the_case_that_goes_on_says_which_case_was_merged_into_it_and_why(staf, make_user):
    """The officer opening the case that carries the handling reads, beside each case merged
    into it, when, by whom and why; a Panwascam who may open only that case reads neither the
    other case nor the reason (which speaks of its people and places)."""
    kept = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1), email="pertama@example.id"
    )
    elsewhere = registered_laporan(staf, another_desa(KEPANJEN), evidence=[jpeg(salt=b"k")])
    reason = "Pelapor kedua melaporkan kades Putat Kidul di kampanye yang sama."
    workflow.case_merge(case=elsewhere, other=kept, reason=reason, actor=staf)

    for case, label in ((kept, "Digabungkan ke kasus ini"), (elsewhere, "Digabungkan ke")):
        page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
        listed = re.search(r'data-testid="links">(.*?)</ul>', page, re.S)
        assert listed
        [row] = re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)
        assert row.startswith(f"{label}:") and "· staf</span>" in row
        assert f'data-testid="link-reason">· Alasan penggabungan: {reason}</span>' in row

    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    page = verified_client(panwascam).get(reverse("cases:detail", args=[kept.pk])).content.decode()
    listed = re.search(r'data-testid="links">(.*?)</ul>', page, re.S)
    assert listed and "Digabungkan ke kasus ini:" in listed.group(1)
    assert "link-reason" not in page and "kampanye yang sama" not in page

    # A PKD of the desa opens both cases but, as in the history, reads no reason written while
    # handling them.
    both_here = registered_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"p")])
    workflow.case_merge(case=both_here, other=kept, reason="Kades yang sama, hari yang sama.", actor=staf)
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    page = verified_client(pkd).get(reverse("cases:detail", args=[kept.pk])).content.decode()
    assert "Digabungkan ke kasus ini:" in page
    assert "link-reason" not in page and "hari yang sama" not in page

    # Once undone, the link and its reason leave both pages; the history keeps the steps.
    workflow.case_unmerge(case=elsewhere, reason="Keliru: peristiwa lain.", actor=staf)
    page = verified_client(staf).get(reverse("cases:detail", args=[kept.pk])).content.decode()
    assert "kampanye yang sama" not in page and "Kades yang sama, hari yang sama." in page


def test_the_case_that_goes_on_lists_the_evidence_of_the_cases_merged_into_it(staf, make_user):
    """Two pelapor each brought a photo of the same event: the officer weighing the joint case
    sees both on its page (the second with the laporan it came with, and its hash) and can open
    it; a Panwascam who may not open that laporan sees none of its files."""
    kept = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1), evidence=[jpeg("kept.jpg")]
    )
    elsewhere = registered_laporan(staf, another_desa(KEPANJEN), evidence=[jpeg("amplop.jpg", salt=b"m")])
    workflow.case_merge(case=elsewhere, other=kept, reason="Peristiwa sama.", actor=staf)
    item = elsewhere.evidence.get()

    staff = verified_client(staf)
    page = staff.get(reverse("cases:detail", args=[kept.pk])).content.decode()
    listed = re.search(r'data-testid="merged-evidence">(.*?)</table>', page, re.S)
    assert listed
    opened = reverse("cases:evidence", args=[elsewhere.pk, item.pk])
    assert f'<a href="{opened}">amplop.jpg</a>' in listed.group(1)
    assert item.evidence.sha256 in listed.group(1) and str(elsewhere) in listed.group(1)
    assert "kept.jpg" not in listed.group(1)
    assert staff.get(opened).status_code == 200

    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    page = verified_client(panwascam).get(reverse("cases:detail", args=[kept.pk])).content.decode()
    assert "kept.jpg" in page and "amplop.jpg" not in page and 'data-testid="merged-evidence"' not in page

    workflow.case_unmerge(case=elsewhere, reason="Keliru: peristiwa lain.", actor=staf)
    assert "amplop.jpg" not in staff.get(reverse("cases:detail", args=[kept.pk])).content.decode()


def test_the_origin_of_a_temuan_and_a_merge_are_not_removed_as_links(staf):
    older, newer = merged_pair(staf)
    merge_link = CaseLink.objects.get(from_case=newer, to_case=older)
    tip = informasi_awal(PUTAT_KIDUL)
    temuan = workflow.informasi_awal_take_up(tip=tip, reason="Ditelusuri: benar.", actor=staf)
    origin = CaseLink.objects.get(kind=CaseLink.Kind.ORIGIN)
    assert {origin.from_case_id, origin.to_case_id} == {tip.pk, temuan.pk}
    staff = verified_client(staf)
    for link, case in ((merge_link, older), (origin, temuan)):
        with pytest.raises(workflow.WorkflowError):
            workflow.case_unlink(link=link, reason="Keliru.", actor=staf)
        page = staff.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert reverse("cases:unlink", args=[case.pk, link.pk]) not in page
        staff.post(reverse("cases:unlink", args=[case.pk, link.pk]), {"reason": "Keliru."})
        assert CaseLink.objects.filter(pk=link.pk).exists()
