"""Correcting what was recorded on a case before its decision ("Perbaiki data"): the reason is
required, the deadlines are counted again, the old values stay in the audit log, the place stays
within the officer's area."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.formatting import today_local
from awas.cases.models import Case, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    decided_case,
    facts,
    informasi_awal,
    record_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.core.services.deadlines import due_date
from awas.regions.models import Region


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def facts_of(case: Case) -> workflow.CaseFacts:
    return workflow.CaseFacts(
        **{name: getattr(case, name) for name in workflow.CaseFacts.__dataclass_fields__}
    )


def test_a_mistyped_receipt_time_is_corrected_and_the_decision_clock_counted_again(staf):
    # Typed as received ten days ago: the decision (3 days, Pasal 134(5)) looks long overdue.
    typo = timezone.now() - dt.timedelta(days=10)
    case = record_laporan(
        staf, PUTAT_KIDUL, received_at=typo, event_date=None, known_date=today_local() - dt.timedelta(days=12)
    )
    assert case.decision_due == today_local() - dt.timedelta(days=7)

    with pytest.raises(workflow.WorkflowError):
        workflow.case_correct(
            case=case, facts=facts_of(case), received_at=timezone.now(), reason=" ", actor=staf
        )

    changed = workflow.case_correct(
        case=case,
        facts=dataclasses.replace(facts_of(case), known_date=today_local() - dt.timedelta(days=1)),
        received_at=timezone.now(),
        reason="Salah ketik tanggal terima.",
        actor=staf,
    )
    case.refresh_from_db()
    assert set(changed) == {"received_at", "known_date"}
    assert case.decision_due == today_local() + dt.timedelta(days=3)
    assert case.filing_due == today_local() + dt.timedelta(days=6)
    entry = AuditEntry.objects.get(action="case.corrected")
    assert (entry.after or {})["reason"] == "Salah ketik tanggal terima."
    assert (entry.before or {})["decision_due"] == (today_local() - dt.timedelta(days=7)).isoformat()


def test_the_place_stays_within_the_officers_area_and_dates_stay_in_order(staf, make_user):
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam")
    case = record_laporan(panwascam, PUTAT_KIDUL)
    elsewhere = another_desa(KEPANJEN)
    with pytest.raises(workflow.WorkflowError, match="wilayah"):
        workflow.case_correct(case=case, facts=facts(elsewhere), reason="Salah kecamatan.", actor=panwascam)
    with pytest.raises(workflow.WorkflowError, match="tanggal peristiwa"):
        workflow.case_correct(
            case=case,
            facts=dataclasses.replace(facts_of(case), event_date=today_local() + dt.timedelta(days=1)),
            reason="Tanggal peristiwa.",
            actor=panwascam,
        )
    # The kabupaten's officer may move it to the right kecamatan.
    workflow.case_correct(case=case, facts=facts(elsewhere), reason="Salah kecamatan.", actor=staf)
    assert Case.objects.get(pk=case.pk).region_id == elsewhere


def test_no_correction_after_the_decision(staf):
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, evidence=[])
    with pytest.raises(workflow.WorkflowError):
        workflow.case_correct(case=case, facts=facts_of(case), reason="Terlambat.", actor=staf)


def test_a_temuan_from_an_informasi_awal_gets_its_finding_clock_and_a_terlapor_later(staf):
    tip = informasi_awal(PUTAT_KIDUL, known_date=None, event_date=None, terlapor_name="")
    temuan = workflow.informasi_awal_take_up(tip=tip, reason="Dua warga membenarkan.", actor=staf)
    assert temuan.known_date == today_local() and temuan.filing_due == today_local() + dt.timedelta(days=7)

    client = verified_client(staf)
    page = client.get(reverse("cases:correct", args=[temuan.pk])).content.decode()
    assert "Tanggal ditemukan" in page and 'name="received_at"' not in page  # recorded when made
    data = {
        "election_type": "pilkada",
        "region": PUTAT_KIDUL,
        "title": temuan.title,
        "chronology": temuan.chronology,
        "known_date": (today_local() - dt.timedelta(days=2)).isoformat(),
        "terlapor_name": "Sutrisno",
        "terlapor_position": "Kepala desa",
        "reason": "",
    }
    again = client.post(reverse("cases:correct", args=[temuan.pk]), data)
    assert again.status_code == 200  # no reason: shown again, as typed
    assert 'value="Sutrisno"' in again.content.decode()
    data["reason"] = "Terlapor diketahui dari penelusuran."
    response = client.post(reverse("cases:correct", args=[temuan.pk]), data, follow=True)
    page = response.content.decode()
    temuan.refresh_from_db()
    assert temuan.terlapor_name == "Sutrisno"
    assert temuan.filing_due == today_local() + dt.timedelta(days=5)
    assert 'data-testid="corrections"' in page and "Terlapor diketahui dari penelusuran." in page
    assert 'data-testid="correct-link"' in page


def test_a_temuan_page_speaks_of_no_pelapor(staf):
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    page = verified_client(staf).get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    assert "Disimpan dalam riwayat perkara." in page and "dihimpun Panwascam" in page
    assert 'name="by_decision"' not in page and "dibawa pelapor" not in page


def test_moving_a_case_to_another_desa_drops_the_old_tps_so_its_ptps_no_longer_sees_it(staf, make_user):
    ptps = make_user(Role.PTPS, PUTAT_KIDUL, username="ptps", tps_number=3)
    case = record_laporan(staf, PUTAT_KIDUL, tps=ptps.scope_tps)
    assert Case.objects.visible_to(ptps).filter(pk=case.pk).exists()

    elsewhere = another_desa(KEPANJEN)
    changed = workflow.case_correct(
        case=case,
        facts=dataclasses.replace(facts_of(case), region=Region.objects.get(pk=elsewhere)),
        reason="Salah desa.",
        actor=staf,
    )
    case.refresh_from_db()
    assert set(changed) == {"region", "tps"} and case.tps is None
    assert not Case.objects.visible_to(ptps).filter(pk=case.pk).exists()

    # Through the page: the officer is told the TPS went, and nothing claims "nothing was changed".
    again = record_laporan(staf, PUTAT_KIDUL, tps=ptps.scope_tps)
    data = {
        name: getattr(again, name)
        for name in ("election_type", "title", "chronology", "terlapor_name", "terlapor_position")
    }
    data |= {
        "region": elsewhere,
        "known_date": again.known_date.isoformat() if again.known_date else "",
        "received_at": timezone.localtime(again.received_at).strftime("%Y-%m-%dT%H:%M"),
        "reason": "Salah desa.",
    }
    page = (
        verified_client(staf)
        .post(reverse("cases:correct", args=[again.pk]), data, follow=True)
        .content.decode()
    )
    again.refresh_from_db()
    assert again.region_id == elsewhere and again.tps is None
    assert "TPS dihapus" in page and "Tidak ada yang diubah" not in page

    # Corrected within the same desa, the TPS stays.
    other = record_laporan(staf, PUTAT_KIDUL, tps=ptps.scope_tps)
    workflow.case_correct(
        case=other,
        facts=dataclasses.replace(facts_of(other), title="Judul baru"),
        reason="Judul.",
        actor=staf,
    )
    other.refresh_from_db()
    assert other.tps == ptps.scope_tps


def test_a_corrected_receipt_time_moves_the_first_history_row_but_not_past_a_later_step(staf):
    typo = timezone.now() - dt.timedelta(days=10)
    case = record_laporan(staf, PUTAT_KIDUL, received_at=typo)
    assert case.history.get().at == typo

    fixed = timezone.now() - dt.timedelta(days=2)
    known = timezone.localdate() - dt.timedelta(days=3)  # the day before, as first typed
    workflow.case_correct(
        case=case,
        facts=dataclasses.replace(facts_of(case), known_date=known),
        received_at=fixed,
        reason="Salah ketik.",
        actor=staf,
    )
    assert case.history.get().at == fixed

    # Registered eight days ago (the receipt was first typed ten days ago): a receipt two days ago
    # would come after its registration.
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.history.exclude(from_status="").update(at=timezone.now() - dt.timedelta(days=8))
    with pytest.raises(workflow.WorkflowError, match="tanggal diterima"):
        workflow.case_correct(
            case=case,
            facts=facts_of(case),
            received_at=timezone.now() - dt.timedelta(days=2),
            reason="Salah ketik lagi.",
            actor=staf,
        )


def test_a_case_corrected_to_pemilu_while_incomplete_counts_its_completion_in_working_days(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    workflow.requirements_check(case=case, checks={**ALL_MET, "material_witness": False}, actor=staf)
    case.refresh_from_db()
    assert case.completion_due == today_local() + dt.timedelta(days=3)  # Pilkada: calendar days

    workflow.case_correct(
        case=case,
        facts=dataclasses.replace(facts_of(case), election_type="pemilu"),
        reason="Laporan Pemilu, bukan Pilkada.",
        actor=staf,
    )
    case.refresh_from_db()
    assert case.completion_due == due_date("pemilu", "completion", today_local()).due_date
    entry = AuditEntry.objects.get(action="case.corrected")
    assert "completion_due" in (entry.before or {})
