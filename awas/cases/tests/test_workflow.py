"""The staff workflow: every step, every status change with its history row, audit entry and e-mail."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import re
import socket
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from awas.cases import selectors
from awas.cases.formatting import tanggal, today_local
from awas.cases.models import (
    Case,
    CaseEvidence,
    CaseKind,
    CaseLink,
    CaseStatus,
    Decision,
    DecisionOutcome,
    ReferralBody,
    Reminder,
    RequirementCheck,
    StatusChange,
)
from awas.cases.seed import referral_bodies_working_days_fill
from awas.cases.services import workflow
from awas.cases.services.common import ROMAN_MONTHS
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    body,
    decided_case,
    informasi_awal,
    jpeg,
    pdf,
    record_laporan,
    registered_laporan,
    seed_bodies,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry, OutgoingMail
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role
from awas.core.services.evidence import evidence_store

CASES_DIR = Path(__file__).resolve().parent.parent
NO_WITNESS = {**ALL_MET, "material_witness": False}


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


@pytest.fixture
def pimpinan(malang, make_user):
    return make_user(Role.PIMPINAN, KAB_MALANG, username="ketua")


def last_note(case: Case) -> str:
    change = case.history.last()
    assert change is not None
    return change.public_note


def statuses(case: Case) -> list[str]:
    return list(
        StatusChange.objects.filter(case=case).order_by("at", "pk").values_list("to_status", flat=True)
    )


# --- the whole life of a laporan ------------------------------------------------------------------


def test_laporan_from_receipt_to_closed_by_bkn(
    staf, pimpinan, mailoutbox, django_capture_on_commit_callbacks
):
    seed_bodies()
    today = today_local()
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(
            staf,
            PUTAT_KIDUL,
            terlapor_name="Drs. Bambang Hartono",
            terlapor_position="ASN, guru PNS SDN Putat Kidul 1",
            title="Guru PNS berkampanye untuk paslon 2",
            witnesses=0,
        )
    assert case.kind == CaseKind.LAPORAN and case.status == CaseStatus.RECEIVED
    assert case.reporter.name == "Siti Aminah"
    assert case.evidence.count() == 1
    assert re.fullmatch(r"AWS-[A-Z2-9]{4}-[A-Z2-9]{4}", case.tracking_code)

    # Incomplete: no witness, no signature check. The pelapor is told what is missing and by when.
    checks = {**ALL_MET, "material_witness": False, "formal_signature": False}
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=checks, notes="Belum ada saksi.", actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    assert case.completion_due == today + dt.timedelta(days=3)  # rule "completion": 3 calendar days
    note = last_note(case)
    assert tanggal(case.completion_due) in note
    assert "saksi" in note.lower() and "KTP-el" in note  # the Indonesian labels of what is missing

    # Completed: registered with the office's number and the decision clock.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    now = timezone.localtime()
    assert case.status == CaseStatus.REGISTERED
    assert case.registration_number == f"001/LP/PL/Kab/35.07/{ROMAN_MONTHS[now.month - 1]}/{now.year}"
    received = timezone.localtime(case.received_at).date()
    assert case.decision_due == received + dt.timedelta(days=3)

    # Clarification: invitation numbered, then the berita acara with an attachment (hashed).
    with django_capture_on_commit_callbacks(execute=True):
        clarification = workflow.clarification_schedule(
            case=case,
            invitee_name="Drs. Bambang Hartono",
            invitee_role="terlapor",
            scheduled_at=timezone.now(),
            place="Kantor Bawaslu Kabupaten Malang",
            actor=staf,
        )
    assert clarification.letter_number.startswith("001/UND/PL/Kab/35.07/")
    workflow.clarification_record(
        clarification=clarification,
        statement="Terlapor mengakui hadir dalam kampanye.",
        held_at=timezone.now(),
        attachments=[pdf("ba-klarifikasi.pdf")],
        actor=staf,
    )
    attachment = CaseEvidence.objects.get(clarification=clarification)
    assert attachment.case_id == case.pk and len(attachment.evidence.sha256) == 64

    # More information from the pelapor: the decision deadline moves by 2 days (Pasal 134(6)).
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_more_information(case=case, what="Foto kegiatan kampanye.", actor=staf)
    case.refresh_from_db()
    assert case.decision_extended and case.decision_due == received + dt.timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        workflow.study_save(
            case=case,
            facts="Terlapor hadir dan berorasi.",
            analysis="Melanggar netralitas ASN.",
            article_violated="UU 5/2014 Pasal 9 ayat (2); SKB 2022 (D4)",
            conclusion="Pelanggaran peraturan perundang-undangan lainnya (netralitas ASN).",
            actor=staf,
        )
        decision = workflow.decision_record(
            case=case,
            outcome=DecisionOutcome.LAINNYA,
            reasons="Terbukti menghadiri kampanye.",
            plenary_date=today,
            actor=pimpinan,
        )
    case.refresh_from_db()
    assert decision.decided_by == pimpinan and case.status == CaseStatus.DECIDED

    # Referral: BKN is suggested for an ASN (KASN's successor since 2024).
    suggested = selectors.referral_suggestions(case)
    assert suggested[0].code == "bkn"
    with django_capture_on_commit_callbacks(execute=True):
        referral = workflow.referral_create(case=case, body=suggested[0], sent_on=today, actor=staf)
    assert referral.letter_number.startswith("001/TL/PL/Kab/35.07/")
    # BKN: the PPK's 14 hari kerja, so two weekends at least.
    assert referral.follow_up_due.weekday() < 5 and (referral.follow_up_due - today).days >= 18
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED

    with django_capture_on_commit_callbacks(execute=True):
        workflow.referral_record_response(
            referral=referral,
            response="PPK menjatuhkan hukuman disiplin.",
            sanction="Penurunan jabatan 12 bulan",
            responded_on=today,
            actor=staf,
        )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    expected = [
        CaseStatus.RECEIVED,
        CaseStatus.INCOMPLETE,
        CaseStatus.REGISTERED,
        CaseStatus.CLARIFICATION,
        CaseStatus.STUDY,
        CaseStatus.DECIDED,
        CaseStatus.REFERRED,
        CaseStatus.CLOSED,
    ]
    assert statuses(case) == expected
    history = list(case.history.all())
    assert all(change.actor_id is not None and change.reason for change in history)
    assert [h.from_status for h in history[1:]] == expected[:-1]
    audited = AuditEntry.objects.filter(action="case.status_changed", object_id=str(case.pk))
    assert [(e.after or {})["status"] for e in audited.order_by("seq")] == expected
    for action in (
        "case.recorded",
        "case.requirements_checked",
        "case.registered",
        "case.decided",
        "case.referred",
    ):
        assert AuditEntry.objects.filter(action=action, object_id=str(case.pk)).exists(), action

    # The pelapor got one e-mail per status change, plus the request for more information.
    to_pelapor = [m for m in mailoutbox if m.to == ["pelapor@example.id"]]
    assert len(to_pelapor) == len(expected) + 1
    assert all(case.tracking_code in m.subject or case.tracking_code in m.body for m in to_pelapor)
    assert "Diregistrasi" in to_pelapor[2].subject or "diregistrasi" in to_pelapor[2].subject.lower()


def test_status_is_only_set_through_case_set_status():
    """No code of the cases app assigns or updates ``status`` except services/common.py."""
    offenders = []
    for path in CASES_DIR.rglob("*.py"):
        relative = path.relative_to(CASES_DIR)
        if relative.parts[0] in {"migrations", "tests"} or relative == Path("services/common.py"):
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and target.attr == "status":
                        offenders.append(f"{relative}:{node.lineno} assigns .status")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"update", "update_or_create", "bulk_update"}
                and any(k.arg == "status" for k in node.keywords)
            ):
                offenders.append(f"{relative}:{node.lineno} updates status")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "setattr"
                and len(node.args) > 1
                and getattr(node.args[1], "value", None) == "status"
            ):
                offenders.append(f"{relative}:{node.lineno} setattr status")
    assert not offenders, offenders


# --- single steps --------------------------------------------------------------------------------


def test_checking_again_while_incomplete_keeps_the_first_deadline(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    checks = {**ALL_MET, "formal_signature": False}
    workflow.requirements_check(case=case, checks=checks, actor=staf, today=dt.date(2026, 11, 20))
    workflow.requirements_check(case=case, checks=checks, actor=staf, today=dt.date(2026, 11, 22))
    case.refresh_from_db()
    assert case.completion_due == dt.date(2026, 11, 23)
    assert statuses(case) == [CaseStatus.RECEIVED, CaseStatus.INCOMPLETE]


def test_a_late_laporan_gets_no_completion_clock(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    workflow.requirements_check(case=case, checks={**ALL_MET, "formal_in_time": False}, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.completion_due is None
    workflow.case_not_registered(case=case, reason="Melewati batas 7 hari.", actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED


def test_a_laporan_filed_after_its_deadline_cannot_be_ticked_in_time_and_registered(staf):
    """Pasal 134 ayat (4): known 15 days before it was filed, so not "within the deadline", whatever
    the checkbox says; staff are told the dates and how to fix a wrongly recorded one."""
    case = record_laporan(
        staf,
        PUTAT_KIDUL,
        event_date=timezone.localdate() - dt.timedelta(days=16),
        known_date=timezone.localdate() - dt.timedelta(days=15),
    )
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    assert refused.value.code == "filed_late"
    assert tanggal(timezone.localdate() - dt.timedelta(days=15)) in str(refused.value.params)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and not case.registration_number
    assert not RequirementCheck.objects.filter(case=case).exists()

    workflow.requirements_check(case=case, checks={**ALL_MET, "formal_in_time": False}, actor=staf)
    workflow.case_not_registered(case=case, reason="Melewati batas 7 hari.", actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED


def test_a_laporan_filed_in_time_is_not_refused_registration_without_a_ground(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_not_registered(case=case, reason="Tidak jelas.", actor=staf)
    assert refused.value.code == "no_ground"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert statuses(case) == [CaseStatus.RECEIVED]  # the pelapor was told nothing

    workflow.case_not_registered(case=case, reason="Pelapor tidak berhak.", by_decision=True, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED


def test_not_registered_waits_for_the_completion_deadline_unless_decided(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    workflow.requirements_check(case=case, checks=NO_WITNESS, actor=staf, today=dt.date(2026, 11, 20))
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.case_not_registered(
            case=case, reason="Tidak dilengkapi.", actor=staf, today=dt.date(2026, 11, 23)
        )
    assert refused.value.code == "completion_running"
    workflow.case_not_registered(
        case=case, reason="Tidak dilengkapi.", actor=staf, today=dt.date(2026, 11, 24)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED
    assert "Tidak dilengkapi." in last_note(case)

    other = record_laporan(staf, PUTAT_KIDUL)
    workflow.requirements_check(case=other, checks=NO_WITNESS, actor=staf, today=dt.date(2026, 11, 20))
    workflow.case_not_registered(
        case=other, reason="Daluwarsa.", by_decision=True, actor=staf, today=dt.date(2026, 11, 21)
    )
    other.refresh_from_db()
    assert other.status == CaseStatus.NOT_REGISTERED


def test_registration_needs_a_complete_check(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_register(case=case, actor=staf)
    assert Case.objects.get(pk=case.pk).registration_number is None


def test_more_information_is_requested_once(staf):
    case = registered_laporan(staf, PUTAT_KIDUL)
    workflow.request_more_information(case=case, what="Video.", actor=staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.request_more_information(case=case, what="Lagi.", actor=staf)


def test_steps_out_of_order_are_refused_and_change_nothing(staf):
    case = registered_laporan(staf, PUTAT_KIDUL)
    with pytest.raises(workflow.WorkflowError):
        workflow.decision_record(
            case=case, outcome=DecisionOutcome.PIDANA, reasons="x", plenary_date=dt.date.today(), actor=staf
        )
    with pytest.raises(workflow.WorkflowError):
        workflow.referral_create(case=case, body=body("kpu-kab-malang"), actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not hasattr(case, "decision") or case.decision is None


@pytest.mark.parametrize("outcome", [DecisionOutcome.BUKAN_PELANGGARAN, DecisionOutcome.DIHENTIKAN])
def test_no_violation_closes_the_case_without_referral(staf, outcome):
    case = decided_case(staf, PUTAT_KIDUL, outcome)
    assert case.status == CaseStatus.CLOSED
    assert "refer" not in workflow.available_actions(case)
    with pytest.raises(workflow.WorkflowError):
        workflow.referral_create(case=case, body=body("kpu-kab-malang"), actor=staf)


def test_the_pelapor_reads_why_it_is_not_a_violation_when_the_plenary_says(staf, client):
    """The reasons name the saksi and the terlapor and stay internal; what the pelapor should know
    of them is typed apart and shown on the tracking page."""
    case = registered_laporan(staf, PUTAT_KIDUL)
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        reasons="Saksi Budi tidak melihat sendiri; terlapor Sutrisno bukan ASN.",
        public_reason="Peristiwa terjadi sebelum masa kampanye, sehingga bukan pelanggaran kampanye.",
        plenary_date=today_local(),
        actor=staf,
    )
    page = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert "Alasan: Peristiwa terjadi sebelum masa kampanye" in page
    assert "Sutrisno" not in page and "Budi" not in page


def test_a_second_open_referral_to_the_same_body_is_refused_and_the_case_closes_when_all_answer(staf):
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA)
    first = workflow.referral_create(case=case, body=body("pemkab-malang"), actor=staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.referral_create(case=case, body=body("pemkab-malang"), actor=staf)
    second = workflow.referral_create(case=case, body=body("kemendagri"), actor=staf)
    workflow.referral_record_response(
        referral=first, response="Teguran tertulis.", responded_on=dt.date.today(), actor=staf
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED
    with pytest.raises(workflow.WorkflowError):
        workflow.referral_record_response(
            referral=first, response="Lagi.", responded_on=dt.date.today(), actor=staf
        )
    workflow.referral_record_response(
        referral=second, response="Dibina.", responded_on=dt.date.today(), actor=staf
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    # Closed, it may still go to another body (the Pemkab answered that the Inspektorat decides).
    third = workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REFERRED and "respond" in workflow.available_actions(case)
    workflow.referral_record_response(
        referral=third, response="Diproses.", responded_on=dt.date.today(), actor=staf
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    no_violation = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, title="Bukan")
    assert "refer" not in workflow.available_actions(no_violation)  # closed by the plenary itself


def test_a_body_working_to_hari_kerja_is_expected_to_answer_in_working_days(db):
    # Sent on Friday 4 December 2026: BKN's 14 hari kerja skip two weekends, the cuti bersama of
    # 24 December and Christmas; KPU's 7 days are calendar days.
    friday = dt.date(2026, 12, 4)
    assert workflow.answer_expected_on(body("bkn"), friday) == dt.date(2026, 12, 28)
    assert workflow.answer_expected_on(body("gakkumdu-kab-malang"), friday) == dt.date(2026, 12, 28)
    assert workflow.answer_expected_on(body("kpu-kab-malang"), friday) == dt.date(2026, 12, 11)


def test_a_late_answer_in_working_days_is_shown_late_by_working_days(staf, client):
    # Referred to BKN on Friday 30 October 2026: 14 hari kerja end on Thursday 19 November. An
    # answer on Monday 23 November is 2 working days late (Friday, Monday), not 4.
    sent = dt.date(2026, 10, 30)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=(today_local() - sent).days)
    referral = workflow.referral_create(case=case, body=body("bkn"), sent_on=sent, actor=staf)
    assert referral.follow_up_due == dt.date(2026, 11, 19)
    workflow.referral_record_response(
        referral=referral, response="PPK menjatuhkan teguran.", responded_on=dt.date(2026, 11, 23), actor=staf
    )
    row = next(d for d in selectors.case_deadlines(case) if d.key == f"follow_up:{referral.pk}")
    assert (row.done_on, row.days_late) == (dt.date(2026, 11, 23), 2)
    page = verified_client(staf, client).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "selesai terlambat 2 hari kerja" in page


def test_an_answer_overdue_in_hari_kerja_is_late_by_working_days_on_the_follow_up_list(staf, client):
    # BKN's answer to a letter of Friday 30 October 2026 was due Thursday 19 November: on Monday
    # 23 November it is 2 working days late (Friday, Monday), not 4; KPU's calendar days stay days.
    sent = dt.date(2026, 10, 30)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=(today_local() - sent).days)
    bkn = workflow.referral_create(case=case, body=body("bkn"), sent_on=sent, actor=staf)
    kpu_case = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=(today_local() - sent).days, title="KPU"
    )
    kpu = workflow.referral_create(case=kpu_case, body=body("kpu-kab-malang"), sent_on=sent, actor=staf)
    monday = dt.date(2026, 11, 23)
    rows = {r.pk: late for r, late in selectors.follow_up_rows([bkn, kpu], monday)}
    assert (rows[bkn.pk].days_overdue, rows[bkn.pk].working) == (2, True)
    assert (rows[kpu.pk].days_overdue, rows[kpu.pk].working) == ((monday - kpu.follow_up_due).days, False)
    page = verified_client(staf, client).get(reverse("cases:follow_ups")).content.decode()
    cells = re.findall(r'data-testid="days-overdue"><span data-testid="overdue">([^<]+)<', page)
    assert len(cells) == 2 and any(re.fullmatch(r"terlambat \d+ hari kerja", c) for c in cells), cells


def test_a_working_day_clock_past_on_a_saturday_says_no_working_day_has_passed(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    friday, saturday = dt.date(2026, 11, 20), dt.date(2026, 11, 21)
    late = selectors.lateness(friday, "working", saturday)
    assert (late.days_left, late.days_overdue) == (-1, 0)
    with translation.override("id"):
        assert "lewat (belum ada hari kerja sejak itu)" in render_to_string(
            "cases/_lateness.html", {"late": late}
        )


def test_a_running_working_day_clock_is_late_by_working_days_on_the_case_page(db):
    # A Pemilu decision due Friday 20 November 2026, seen on Tuesday 24 November: 2 hari kerja
    # late (Monday, Tuesday), where the calendar says 4.
    row = selectors.DeadlineRow(
        "decision",
        "Putusan",
        dt.date(2026, 11, 20),
        "",
        days_left=-4,
        running=True,
        at_risk_by=dt.date(2026, 11, 25),
        working_days_left=0,
    )
    assert (row.overdue, row.working, row.days_overdue) == (True, True, 2)
    assert dataclasses.replace(row, working_days_left=None).days_overdue == 4


def test_an_awaited_answer_in_working_days_counts_the_working_days_left(staf):
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA)
    referral = workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    row = next(d for d in selectors.case_deadlines(case) if d.key == f"follow_up:{referral.pk}")
    assert row.working_days_left == 14 and row.running


def test_a_referral_keeps_the_count_of_days_it_was_sent_with_when_the_body_is_edited(staf, client):
    # BKN's 14 hari kerja from Friday 30 October 2026 end on Thursday 19 November. The
    # administrator then counts BKN in calendar days: this letter still asked for working days,
    # so an answer on Monday 23 November is 2 working days late, not 4 days.
    sent = dt.date(2026, 10, 30)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=(today_local() - sent).days)
    referral = workflow.referral_create(case=case, body=body("bkn"), sent_on=sent, actor=staf)
    ReferralBody.objects.filter(code="bkn").update(follow_up_day_type="calendar")
    workflow.referral_record_response(
        referral=referral, response="PPK menjatuhkan teguran.", responded_on=dt.date(2026, 11, 23), actor=staf
    )
    row = next(d for d in selectors.case_deadlines(case) if d.key == f"follow_up:{referral.pk}")
    assert (row.due, row.days_late) == (dt.date(2026, 11, 19), 2)
    page = verified_client(staf, client).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "selesai terlambat 2 hari kerja" in page
    # A letter sent after the edit is counted in calendar days.
    other = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, title="Sesudah diubah")
    later = workflow.referral_create(case=other, body=body("bkn"), actor=staf)
    assert later.follow_up_day_type == "calendar" and later.follow_up_due == today_local() + dt.timedelta(
        days=14
    )


def test_the_upgrade_counts_in_hari_kerja_only_the_bodies_whose_answer_time_the_office_kept(db):
    # An office that gave BKN 10 days of its own keeps them as it counted them; the Sentra
    # Gakkumdu, still at the seeded 14, now counts hari kerja; KPU's 7 days stay calendar days.
    seed_bodies()
    ReferralBody.objects.update(follow_up_day_type="calendar")
    ReferralBody.objects.filter(code="bkn").update(follow_up_days=10)
    assert referral_bodies_working_days_fill(ReferralBody) == 1
    counted = dict(ReferralBody.objects.values_list("code", "follow_up_day_type"))
    assert (counted["gakkumdu-kab-malang"], counted["bkn"], counted["kpu-kab-malang"]) == (
        "working",
        "calendar",
        "calendar",
    )


def test_an_answer_in_hari_kerja_due_on_monday_is_reminded_on_the_friday_before(staf):
    # BKN's 14 hari kerja from Tuesday 3 November 2026 end on Monday 23 November. The case is a
    # Pilkada one (calendar days), but no one at BKN answers on the weekend: Friday's reminder
    # run names it, and the case page shows it at risk that day; Thursday's does not.
    sent = dt.date(2026, 11, 3)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=(today_local() - sent).days)
    referral = workflow.referral_create(case=case, body=body("bkn"), sent_on=sent, actor=staf)
    assert referral.follow_up_due == dt.date(2026, 11, 23)
    key = f"follow_up:{referral.pk}"
    reminders_create(today=dt.date(2026, 11, 19))
    assert not Reminder.objects.filter(deadline=key).exists()
    reminders_create(today=dt.date(2026, 11, 20))
    assert Reminder.objects.filter(user=staf, deadline=key, due=dt.date(2026, 11, 23)).exists()
    row = next(d for d in selectors.case_deadlines(case, today=dt.date(2026, 11, 20)) if d.key == key)
    assert row.at_risk_by == dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("outcome", "position", "expected"),
    [
        (DecisionOutcome.ADMINISTRASI, "", ["kpu-kab-malang"]),
        (DecisionOutcome.PIDANA, "ASN", ["gakkumdu-kab-malang"]),
        (DecisionOutcome.KODE_ETIK, "Ketua PPK", ["dkpp"]),
        (DecisionOutcome.LAINNYA, "Guru PNS", ["bkn"]),
        (DecisionOutcome.LAINNYA, "Aparatur Sipil Negara (PPPK)", ["bkn"]),
        (DecisionOutcome.LAINNYA, "Kepala Desa Putat Kidul", ["pemkab-malang", "kemendagri"]),
        (DecisionOutcome.LAINNYA, "Anggota TNI", []),
    ],
)
def test_referral_suggestions_follow_the_routing_table(staf, outcome, position, expected):
    case = decided_case(staf, PUTAT_KIDUL, outcome, terlapor_position=position)
    assert [b.code for b in selectors.referral_suggestions(case)] == expected


def test_migration_seeded_the_referral_bodies(db):
    seed_bodies()  # idempotent: adds only what a flush removed
    assert set(ReferralBody.objects.values_list("code", flat=True)) >= {
        "kpu-kab-malang",
        "gakkumdu-kab-malang",
        "dkpp",
        "bkn",
        "pemkab-malang",
        "kemendagri",
    }
    assert ReferralBody.objects.get(code="bkn").name == "Badan Kepegawaian Negara (BKN)"
    gakkumdu = ReferralBody.objects.get(code="gakkumdu-kab-malang")
    assert gakkumdu.addressee == "Kepala Kepolisian Resor Malang" and gakkumdu.follow_up_day_type == "working"


# --- informasi awal, temuan, merge ----------------------------------------------------------------


def test_informasi_awal_taken_up_becomes_a_temuan(staf):
    tip = informasi_awal(PUTAT_KIDUL, title="Info: amplop di RT 03")
    CaseEvidence.objects.create(
        case=tip,
        evidence=evidence_store(data=jpeg(), original_name="foto.jpg"),
        name="foto.jpg",
    )
    with pytest.raises(workflow.WorkflowError):
        workflow.informasi_awal_take_up(tip=tip, reason="  ", actor=staf)
    temuan = workflow.informasi_awal_take_up(
        tip=tip, reason="Penelusuran: dua warga membenarkan.", actor=staf
    )
    tip.refresh_from_db()
    assert tip.status == CaseStatus.FOLLOWED_UP
    assert temuan.kind == CaseKind.TEMUAN and temuan.status == CaseStatus.RECEIVED
    assert temuan.title == "Info: amplop di RT 03" and temuan.region_id == PUTAT_KIDUL
    assert CaseLink.objects.filter(from_case=temuan, to_case=tip, kind=CaseLink.Kind.ORIGIN).exists()
    assert temuan.evidence.count() == 1
    with pytest.raises(workflow.WorkflowError):
        workflow.informasi_awal_take_up(tip=tip, reason="lagi", actor=staf)

    workflow.case_register(case=temuan, actor=staf)
    temuan.refresh_from_db()
    assert "/TM/PL/Kab/35.07/" in str(temuan.registration_number)


def test_informasi_awal_archived(staf):
    tip = informasi_awal(PUTAT_KIDUL)
    workflow.informasi_awal_archive(
        tip=tip, reason="Tidak ada indikasi.", public_reason="Tidak cukup petunjuk.", actor=staf
    )
    tip.refresh_from_db()
    assert tip.status == CaseStatus.ARCHIVED
    assert "Tidak cukup petunjuk." in last_note(tip)
    assert "requirements" not in workflow.available_actions(tip)


def test_temuan_from_form_a_is_idempotent(malang):
    first = workflow.temuan_from_form_a(
        region_code=PUTAT_KIDUL,
        title="APK di fasilitas pendidikan",
        chronology="Baliho terpasang di pagar SDN.",
        found_date=dt.date.today(),
        form_a_ref="LHP-17",
    )
    again = workflow.temuan_from_form_a(
        region_code=PUTAT_KIDUL, title="x", chronology="y", found_date=dt.date.today(), form_a_ref="LHP-17"
    )
    assert first.pk == again.pk and first.source_ref == "form_a:LHP-17"
    assert first.channel == "form_a" and statuses(first) == [CaseStatus.RECEIVED]


def test_merge_keeps_the_older_and_hides_its_tracking_code(staf):
    older = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1))
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"2")])
    kept = workflow.case_merge(case=newer, other=older, reason="Peristiwa sama.", actor=staf)
    newer.refresh_from_db()
    assert kept.pk == older.pk
    assert newer.status == CaseStatus.MERGED and newer.merged_into_id == older.pk
    assert newer.evidence.count() == 1  # evidence stays where it was
    note = last_note(newer)
    assert str(older.registration_number) in note and older.tracking_code not in note
    with pytest.raises(workflow.WorkflowError):
        workflow.case_link(case=newer, other=older, actor=staf)


def test_the_pelapor_of_a_merged_laporan_follows_the_case_it_joined(
    staf, client, mailoutbox, django_capture_on_commit_callbacks
):
    older = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=1), email="pertama@example.id"
    )
    newer = record_laporan(staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"3")], email="kedua@example.id")
    workflow.case_merge(case=newer, other=older, reason="Peristiwa sama.", actor=staf)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.study_save(
            case=older, facts="Fakta.", analysis="Analisis.", conclusion="Simpulan.", actor=staf
        )
        workflow.decision_record(
            case=older,
            outcome=DecisionOutcome.BUKAN_PELANGGARAN,
            reasons="Tidak terbukti.",
            plenary_date=timezone.localdate(),
            public_reason="Saksi yang Anda ajukan tidak hadir.",
            actor=staf,
        )
    note = StatusChange.objects.filter(case=older).last()
    assert note is not None and "Saksi yang Anda ajukan" in note.public_note  # to the first pelapor ...
    to_second = [m for m in mailoutbox if m.to == ["kedua@example.id"]]
    assert all("Saksi yang Anda ajukan" not in m.body for m in to_second)  # ... and to nobody else
    assert to_second, "the second pelapor never heard of the decision"
    decided = str(CaseStatus(Case.objects.get(pk=older.pk).status).label)
    assert any(newer.tracking_code in m.body and decided in m.body for m in to_second)
    assert all(older.tracking_code not in m.subject + m.body for m in to_second)  # never the other's key

    page = client.get(f"/lapor/lacak/{newer.tracking_code}/").content.decode()
    merged_status = re.search(r'data-testid="merged-status"><strong>([^<]*)<', page)
    assert merged_status is not None and merged_status.group(1) == decided
    assert "Perkara gabungan" in page and older.tracking_code not in page
    assert note.public_note not in page


def test_link_once(staf):
    one = record_laporan(staf, PUTAT_KIDUL)
    two = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    workflow.case_link(case=one, other=two, actor=staf)
    with pytest.raises(workflow.WorkflowError):
        workflow.case_link(case=two, other=one, actor=staf)


# --- notification and reminders ------------------------------------------------------------------


def test_a_failing_mail_server_never_breaks_the_step(
    staf, settings, django_capture_on_commit_callbacks, caplog
):
    case = record_laporan(staf, PUTAT_KIDUL)
    with socket.socket() as closed:  # a mail server nothing answers for
        closed.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert "failed" in caplog.text
    # The registration notice waits to be sent again (``awas mail send``), not lost.
    waiting = OutgoingMail.objects.get(sent_at__isnull=True, subject__endswith="Diregistrasi")
    assert "Diregistrasi" in waiting.subject and waiting.recipients == [case.reporter.email]


def test_no_email_without_an_address(staf, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = record_laporan(staf, PUTAT_KIDUL, email="")
        workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    assert mailoutbox == []


def test_remind_is_idempotent_and_only_for_tomorrow(malang, make_user, mailoutbox):
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    staf.email = "staf@bawaslu.example"
    staf.save()
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    other_panwascam = make_user(Role.PANWASCAM, KEPANJEN, username="pcam-kepanjen")
    make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    today = today_local()
    due = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2))  # due tomorrow
    not_due = record_laporan(staf, another_desa(KEPANJEN), evidence=[])  # due in 3 days
    assert due.decision_due == today + dt.timedelta(days=1)

    call_command("cases", "remind")
    reminders = Reminder.objects.all()
    assert {r.user_id for r in reminders} == {staf.pk, panwascam.pk}
    assert {r.case_id for r in reminders} == {due.pk}
    assert all(r.deadline == "decision_due" and r.due == today + dt.timedelta(days=1) for r in reminders)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["staf@bawaslu.example"]

    call_command("cases", "remind")
    assert Reminder.objects.count() == 2 and len(mailoutbox) == 1

    # Two days later the Kepanjen case is due: its own Panwascam is reminded, not Gondanglegi's.
    assert reminders_create(today=today + dt.timedelta(days=2)).created == 2
    later = Reminder.objects.filter(case=not_due)
    assert {r.user_id for r in later} == {staf.pk, other_panwascam.pk}
    assert not Reminder.objects.filter(user__role=Role.PKD).exists()


def test_a_deadline_that_passed_unreminded_is_reminded_once_as_overdue(staf, mailoutbox, settings):
    """The job did not run for a few days (or the case was recorded late): the decision fell due
    yesterday while the clock still runs. It is reminded, as passed, with the case and its page."""
    settings.AWAS_PUBLIC_URL = "https://awas.bawaslu-malang.example"
    staf.email = "staf@bawaslu.example"
    staf.save()
    case = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=4))
    assert case.decision_due == today_local() - dt.timedelta(days=1)
    # Overdue for weeks: on the deadlines list already; a first run does not mail every old case.
    ancient = record_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=30), evidence=[]
    )

    assert reminders_create().created == 1
    assert not Reminder.objects.filter(case=ancient).exists()

    reminder = Reminder.objects.get(case=case)
    assert reminder.deadline == "decision_due" and reminder.due == case.decision_due
    assert f"{tanggal(case.decision_due)}, sudah lewat" in reminder.message
    [mail] = mailoutbox
    assert case.title in mail.body
    assert f"https://awas.bawaslu-malang.example/perkara/{case.pk}/" in mail.body
    assert reminders_create().created == 0 and len(mailoutbox) == 1  # once, not every day
    # Decided since: nothing more to remind.
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=case, outcome=DecisionOutcome.DIHENTIKAN, reasons="R.", plenary_date=today_local(), actor=staf
    )
    assert reminders_create(today=today_local() + dt.timedelta(days=1)).created == 0


def test_remind_covers_completion_and_referral_answers(staf):
    case = record_laporan(staf, PUTAT_KIDUL)
    today = today_local()
    workflow.requirements_check(case=case, checks=NO_WITNESS, actor=staf, today=today - dt.timedelta(days=2))
    kpu = body("kpu-kab-malang")
    decided = decided_case(
        staf,
        PUTAT_KIDUL,
        DecisionOutcome.ADMINISTRASI,
        evidence=[jpeg(salt=b"d")],
        days_ago=kpu.follow_up_days,
    )
    workflow.referral_create(
        case=decided, body=kpu, sent_on=today - dt.timedelta(days=kpu.follow_up_days - 1), actor=staf
    )
    reminders_create(today=today)
    deadlines = set(Reminder.objects.filter(user=staf).values_list("deadline", flat=True))
    assert "completion_due" in deadlines
    assert any(d.startswith("follow_up:") for d in deadlines)


def test_each_step_is_dated_on_or_after_the_one_it_follows(staf):
    today = today_local()
    with pytest.raises(workflow.WorkflowError, match="sebelum tanggal peristiwa"):
        record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now(), event_date=today + dt.timedelta(days=1))
    with pytest.raises(workflow.WorkflowError, match="sebelum tanggal diketahui"):
        record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=3), known_date=today)
    assert not Case.objects.exists()

    case = registered_laporan(staf, PUTAT_KIDUL)
    with pytest.raises(
        workflow.WorkflowError, match="Klarifikasi"
    ):  # an invitation dated today, for last week
        workflow.clarification_schedule(
            case=case,
            invitee_name="Sutrisno",
            invitee_role="terlapor",
            scheduled_at=timezone.now() - dt.timedelta(days=7),
            place="Kantor",
            actor=staf,
        )
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    with pytest.raises(workflow.WorkflowError, match="Rapat pleno"):
        workflow.decision_record(
            case=case,
            outcome=DecisionOutcome.ADMINISTRASI,
            reasons="Terbukti.",
            plenary_date=dt.date(2020, 1, 1),
            actor=staf,
        )
    assert not Decision.objects.filter(case=case).exists()
    workflow.decision_record(
        case=case, outcome=DecisionOutcome.ADMINISTRASI, reasons="Terbukti.", plenary_date=today, actor=staf
    )
    kpu = body("kpu-kab-malang")
    with pytest.raises(workflow.WorkflowError, match="Penerusan"):
        workflow.referral_create(case=case, body=kpu, sent_on=today - dt.timedelta(days=1), actor=staf)
    referral = workflow.referral_create(case=case, body=kpu, sent_on=today, actor=staf)
    with pytest.raises(workflow.WorkflowError, match="Jawaban"):
        workflow.referral_record_response(
            referral=referral,
            response="Ditindaklanjuti.",
            responded_on=today - dt.timedelta(days=1),
            actor=staf,
        )
    referral.refresh_from_db()
    assert referral.responded_on is None


def test_a_laporan_typed_in_later_is_in_the_history_at_its_receipt_time(staf, client):
    received = timezone.now() - dt.timedelta(hours=5)
    case = record_laporan(staf, PUTAT_KIDUL, received_at=received)
    assert StatusChange.objects.get(case=case).at == received
    page = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert page.count(timezone.localtime(received).strftime("%H.%M")) >= 2  # received, and its history line


def test_a_clarification_held_on_paper_last_month_is_typed_in_with_its_letter_date(staf, make_user):
    today = today_local()
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=40))
    invite = {
        "case": case,
        "invitee_name": "Sutrisno",
        "invitee_role": "terlapor",
        "scheduled_at": timezone.now() - dt.timedelta(days=33),
        "place": "Kantor",
        "actor": staf,
    }
    with pytest.raises(workflow.WorkflowError, match="melewati hari ini"):
        workflow.clarification_schedule(**invite, letter_date=today + dt.timedelta(days=1))
    with pytest.raises(workflow.WorkflowError, match="Tanggal undangan"):  # before the laporan came in
        workflow.clarification_schedule(**invite, letter_date=today - dt.timedelta(days=42))
    letter_day = today - dt.timedelta(days=35)  # always in an earlier month than today
    clarification = workflow.clarification_schedule(**invite, letter_date=letter_day)
    assert clarification.letter_date == letter_day
    # Numbered in its own month, not in the month it is typed in.
    assert clarification.letter_number.endswith(f"/{ROMAN_MONTHS[letter_day.month - 1]}/{letter_day.year}")

    # Held by another officer than the one who sent the invitation: they are its Pemeriksa.
    examiner = make_user(Role.STAF_PP, KAB_MALANG, username="pemeriksa")
    workflow.clarification_record(
        clarification=clarification,
        statement="Terlapor hadir dan memberi keterangan.",
        held_at=timezone.now() - dt.timedelta(days=33),
        actor=examiner,
    )
    clarification.refresh_from_db()
    assert clarification.recorded_by == examiner


def test_the_plenary_weighs_every_clarification_whose_day_has_come(staf):
    """A berita acara is not dated before the day its invitation named; the plenary waits for the
    berita acara of every clarification whose time has come (also one the invitee did not come
    to) and is not dated before one held; one set for a later day does not take place."""
    today = today_local()
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2))

    def invite(name, when):
        # By a letter of that day, for a time already past (just after midnight WIB, an hour ago
        # is yesterday).
        return workflow.clarification_schedule(
            case=case,
            invitee_name=name,
            invitee_role="saksi",
            scheduled_at=when,
            place="Kantor",
            actor=staf,
            letter_date=min(timezone.localtime(when).date(), today),
        )

    due = invite("Saksi Pertama", timezone.now() - dt.timedelta(hours=1))
    later = invite("Saksi Kedua", timezone.now() + dt.timedelta(days=3))
    with pytest.raises(workflow.WorkflowError, match="tidak boleh sebelum"):
        workflow.clarification_record(
            clarification=later, statement="Hadir.", held_at=timezone.now(), actor=staf
        )

    workflow.study_save(case=case, facts="Fakta.", analysis="Analisis.", conclusion="Simpulan.", actor=staf)
    decide = {
        "case": case,
        "outcome": DecisionOutcome.BUKAN_PELANGGARAN,
        "reasons": "Tidak terbukti.",
        "actor": staf,
    }
    with pytest.raises(workflow.WorkflowError, match="Saksi Pertama") as refused:
        workflow.decision_record(**decide, plenary_date=today)
    assert due.letter_number in str(refused.value)
    workflow.clarification_record(
        clarification=due, statement="Saksi tidak hadir.", held_at=timezone.now(), actor=staf
    )
    with pytest.raises(workflow.WorkflowError, match="tidak boleh sebelum"):
        workflow.decision_record(**decide, plenary_date=today - dt.timedelta(days=1))
    with pytest.raises(workflow.WorkflowError, match="Saksi Kedua"):  # invited for after it
        workflow.decision_record(**decide, plenary_date=today)
    workflow.decision_record(**decide, plenary_date=today, without_pending=True)
    assert Decision.objects.filter(case=case).exists()
    later.refresh_from_db()
    assert later.held_at is None  # set for after the plenary: it does not take place
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert page.count('data-testid="clarification-not-held"') == 1


def test_a_working_day_deadline_on_monday_is_reminded_on_friday_and_a_missed_day_is_caught_up(staf):
    friday, monday = dt.date(2026, 11, 20), dt.date(2026, 11, 23)
    pemilu = record_laporan(staf, PUTAT_KIDUL, election_type="pemilu")
    pilkada = record_laporan(staf, PUTAT_KIDUL, evidence=[])
    Case.objects.filter(pk=pemilu.pk).update(decision_due=monday)
    Case.objects.filter(pk=pilkada.pk).update(decision_due=monday)  # calendar days: Sunday's job

    reminders_create(today=friday)
    reminder = Reminder.objects.get(user=staf)
    assert reminder.case_id == pemilu.pk and reminder.due == monday
    assert "Senin, 23 November 2026" in reminder.message

    # The job did not run on Sunday: on Monday the Pilkada deadline, due that day, is still reminded.
    reminders_create(today=monday)
    late = Reminder.objects.get(user=staf, case=pilkada)
    assert late.due == monday and "hari ini" in late.message
    assert Reminder.objects.filter(user=staf, case=pemilu).count() == 1  # not twice


def test_the_request_for_more_information_cites_the_article_of_the_case_s_election(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    pilkada = registered_laporan(staf, PUTAT_KIDUL, email="a@example.id")
    pemilu = registered_laporan(staf, PUTAT_KIDUL, email="b@example.id", election_type="pemilu", evidence=[])
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_more_information(case=pilkada, what="Saksi kedua.", actor=staf)
        workflow.request_more_information(case=pemilu, what="Saksi kedua.", actor=staf)
    bodies = {m.to[0]: m.body for m in mailoutbox if m.subject.startswith("Keterangan tambahan")}
    assert "Pasal 134 ayat (6)" in bodies["a@example.id"] and "Pasal 454" not in bodies["a@example.id"]
    assert "UU 7/2017 Pasal 454 ayat (8)" in bodies["b@example.id"]


def test_the_admin_routes_a_body_by_ticking_outcomes_and_typing_position_words(malang):
    """Not raw JSON: a label typed for a code, or a word typed as a bare string, was saved and never
    matched. The outcomes are choices; the position words one a line."""
    from awas.conftest import TEST_PASSWORD
    from awas.core.services.users import user_create

    admin = user_create(username="admin", password=TEST_PASSWORD, role=Role.ADMIN, scope_region=malang)
    client = verified_client(admin)
    form = {
        "code": "bupati-malang",
        "name": "Bupati Malang",
        "address": "Kepanjen",
        "outcomes": ["lainnya"],
        "position_keywords": "kepala desa\n  perangkat desa \n\nkepala desa",
        "follow_up_days": "14",
        "follow_up_day_type": "working",
        "priority": "5",
        "active": "on",
    }
    label_for_code = {**form, "outcomes": ["Pelanggaran administrasi"]}
    refused = client.post("/admin/cases/referralbody/add/", label_for_code)
    assert refused.status_code == 200 and not ReferralBody.objects.filter(code="bupati-malang").exists()
    assert client.post("/admin/cases/referralbody/add/", form).status_code == 302
    added = ReferralBody.objects.get(code="bupati-malang")
    assert added.outcomes == ["lainnya"] and added.follow_up_day_type == "working"
    assert added.position_keywords == ["kepala desa", "perangkat desa"]
    edit = client.get(f"/admin/cases/referralbody/{added.pk}/change/").content.decode()
    assert "kepala desa\nperangkat desa</textarea>" in edit


def test_the_audit_log_keeps_a_digest_of_statements_not_the_statements(staf):
    """The log can never be edited: a berita acara, a kajian or a decision's reasons quote the
    pelapor and the saksi, so it keeps their SHA-256 and length, which proves what was written."""
    import hashlib

    case = registered_laporan(staf, PUTAT_KIDUL)
    clarification = workflow.clarification_schedule(
        case=case,
        invitee_name="Budi",
        invitee_role="saksi",
        scheduled_at=timezone.now(),
        place="Kantor",
        actor=staf,
    )
    statement = "Saksi Budi Santoso, NIK 3507123456780001, melihat amplop dibagikan."
    workflow.clarification_record(
        clarification=clarification, statement=statement, held_at=timezone.now(), actor=staf
    )
    workflow.study_save(case=case, facts=statement, analysis="Analisis.", conclusion="Terbukti.", actor=staf)
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        reasons=statement,
        plenary_date=today_local(),
        actor=staf,
    )
    everything = " ".join(
        f"{entry.before} {entry.after} {entry.object_repr}"
        for entry in AuditEntry.objects.filter(object_id=str(case.pk))
    )
    assert "3507123456780001" not in everything and "Santoso" not in everything  # in no entry of the case
    entries = AuditEntry.objects.filter(
        object_id=str(case.pk), action__in=["case.clarification_recorded", "case.study_saved"]
    )
    logged = " ".join(str(entry.after) for entry in entries)
    assert entries.count() == 2 and "3507123456780001" not in logged and "Santoso" not in logged
    digest = {"sha256": hashlib.sha256(statement.encode()).hexdigest(), "chars": len(statement)}
    assert all(digest in (entry.after or {}).values() for entry in entries)


def test_a_status_e_mail_links_to_the_tracking_page_when_the_office_set_its_address(staf, settings):
    from awas.cases.services.notify import status_message

    case = record_laporan(staf, PUTAT_KIDUL)
    change = case.history.get()
    assert "https://" not in status_message(case, change)[1]  # no address known: the words only
    settings.AWAS_PUBLIC_URL = "https://lapor.bawaslu-malang.example/"
    body = status_message(case, change)[1]
    assert f"https://lapor.bawaslu-malang.example/lapor/lacak/{case.tracking_code}/" in body


@pytest.mark.parametrize(
    ("election_type", "extension"),
    [(ElectionType.PILKADA, "paling lama 2 hari."), (ElectionType.PEMILU, "paling lama 7 hari kerja.")],
)
def test_the_registration_e_mail_says_by_when_the_plenary_decides(
    staf, mailoutbox, django_capture_on_commit_callbacks, election_type, extension
):
    with django_capture_on_commit_callbacks(execute=True):
        case = registered_laporan(staf, PUTAT_KIDUL, election_type=election_type)
    assert case.status == CaseStatus.REGISTERED and case.decision_due is not None
    if election_type == ElectionType.PILKADA:  # 3 calendar days from receipt (Pasal 134 ayat (5))
        assert case.decision_due == timezone.localtime(case.received_at).date() + dt.timedelta(days=3)
    (mail,) = [m for m in mailoutbox if "Diregistrasi" in m.subject]
    day = case.decision_due
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
    months += ["September", "Oktober", "November", "Desember"]
    assert (
        f"Sesuai ketentuan, laporan ini diputuskan dalam rapat pleno paling lambat "
        f"{day.day} {months[day.month - 1]} {day.year}. Bila diperlukan keterangan tambahan, batas "
        f"waktu ini dapat diperpanjang {extension}"
    ) in mail.body
    assert mail.body.index("diregistrasi dengan nomor") < mail.body.index("paling lambat")


def test_the_registration_e_mail_gives_no_decision_date_already_past(
    staf, mailoutbox, django_capture_on_commit_callbacks
):
    """A Pilkada laporan's clock counts from receipt: completed and registered after its 3 days,
    the pelapor is not told the plenary decides by a day already gone."""
    received_at = timezone.now() - dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        case = registered_laporan(staf, PUTAT_KIDUL, received_at=received_at)
    assert case.status == CaseStatus.REGISTERED
    assert case.decision_due is not None and case.decision_due < today_local()
    (mail,) = [m for m in mailoutbox if "Diregistrasi" in m.subject]
    assert "diregistrasi dengan nomor" in mail.body
    assert "paling lambat" not in mail.body and "diperpanjang" not in mail.body


def test_a_mis_clicked_decision_is_corrected_until_a_referral_goes_out(staf, client):
    """'Bukan pelanggaran' chosen by mistake closed the case for good and told the pelapor so.
    Corrected to match the minutes, the case waits for its referral again; the history keeps
    both, and the pelapor reads the correction. Once a letter went out, it cannot be corrected."""
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.BUKAN_PELANGGARAN, evidence=[])
    assert case.status == CaseStatus.CLOSED and "correct_decision" in workflow.available_actions(case)
    with pytest.raises(workflow.WorkflowError):
        workflow.decision_correct(
            case=case,
            outcome=DecisionOutcome.LAINNYA,
            reasons="Terbukti.",
            plenary_date=today_local(),
            correction="   ",
            actor=staf,
        )
    workflow.decision_correct(
        case=case,
        outcome=DecisionOutcome.LAINNYA,
        reasons="Terbukti: ASN berkampanye.",
        plenary_date=today_local(),
        correction="Salah pilih putusan; notula pleno menyatakan pelanggaran lainnya.",
        actor=staf,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision.outcome == DecisionOutcome.LAINNYA
    assert case.history.filter(to_status=CaseStatus.CLOSED).exists()  # what was recorded first stays
    corrected = AuditEntry.objects.get(action="case.decision_corrected", object_id=str(case.pk))
    assert (corrected.before or {})["outcome"] == "bukan_pelanggaran"
    assert (corrected.after or {})["outcome"] == "lainnya"
    tracked = client.get(f"/lapor/lacak/{case.tracking_code}/").content.decode()
    assert "menggantikan pemberitahuan putusan" in tracked
    assert "Pelanggaran peraturan perundang-undangan lainnya" in tracked

    workflow.referral_create(case=case, body=body("bkn"), actor=staf)
    case.refresh_from_db()
    assert "correct_decision" not in workflow.available_actions(case)


def test_a_plenary_typed_in_later_does_not_wait_for_a_clarification_set_after_it(staf):
    """The pleno of two days ago is typed in today; an invitation set for yesterday (after the
    pleno) never took place. It does not block the decision, which could never be recorded
    otherwise (a berita acara dated after the pleno would be refused in turn)."""
    today = today_local()
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=5))
    workflow.clarification_schedule(
        case=case,
        invitee_name="Saksi",
        invitee_role="saksi",
        scheduled_at=timezone.now() - dt.timedelta(days=1),
        letter_date=today - dt.timedelta(days=3),
        place="Kantor",
        actor=staf,
    )
    workflow.study_save(case=case, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    workflow.decision_record(
        case=case,
        outcome=DecisionOutcome.DIHENTIKAN,
        reasons="Pelapor mencabut laporan.",
        plenary_date=today - dt.timedelta(days=2),
        without_pending=True,  # the invitation's day came after the plenary
        actor=staf,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    # ... and a correction later does not ask for that berita acara either.
    workflow.decision_correct(
        case=case,
        outcome=DecisionOutcome.BUKAN_PELANGGARAN,
        reasons="Tidak terbukti.",
        plenary_date=today - dt.timedelta(days=2),
        correction="Salah pilih.",
        actor=staf,
    )


def test_a_clarification_is_not_set_or_held_before_the_hour_the_laporan_came_in(staf):
    """Received today at 20.13: an invitation for 13.00 the same day would have the terlapor heard
    before anyone reported anything, and the berita acara would say so."""
    received = timezone.localtime().replace(hour=20, minute=13, second=0, microsecond=0)
    if received > timezone.now():
        received -= dt.timedelta(days=1)
    case = registered_laporan(staf, PUTAT_KIDUL, received_at=received)
    with pytest.raises(workflow.WorkflowError) as refused:
        workflow.clarification_schedule(
            case=case,
            invitee_name="Sutrisno",
            invitee_role="terlapor",
            scheduled_at=received.replace(hour=13, minute=0),
            place="Kantor",
            letter_date=received.date(),
            actor=staf,
        )
    assert "20.13 WIB" in str(refused.value) and "13.00 WIB" in str(refused.value)
    assert not case.clarifications.exists()
    clarification = workflow.clarification_schedule(
        case=case,
        invitee_name="Sutrisno",
        invitee_role="terlapor",
        scheduled_at=received.replace(hour=20, minute=45),
        place="Kantor",
        letter_date=received.date(),
        actor=staf,
    )
    with pytest.raises(workflow.WorkflowError, match=r"20\.13 WIB"):
        workflow.clarification_record(
            clarification=clarification,
            statement="Keterangan.",
            held_at=received.replace(hour=19, minute=0),
            actor=staf,
        )
