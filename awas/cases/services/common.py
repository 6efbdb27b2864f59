"""Shared writes: status changes with history, numbering, tracking codes, statutory due dates."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from awas.cases.models import Case, CaseKind, CaseStatus, Counter, StatusChange
from awas.core.models.deadlines import ElectionType
from awas.core.services.audit import audit_record, text_digest
from awas.core.services.deadlines import due_date, office_timezone, rule_find


@dataclass(frozen=True)
class ReporterData:
    """The pelapor as typed in a form (Perbawaslu formulir laporan), before it is stored."""

    name: str
    address: str
    birth_place: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    occupation: str = ""
    nationality: str = "Indonesia"
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class WitnessData:
    name: str
    address: str = ""
    phone: str = ""


# No 0/O or 1/I/L: the code is read aloud over the phone and typed on small screens.
TRACKING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


BEFORE_REGISTRATION = frozenset({CaseStatus.RECEIVED, CaseStatus.INCOMPLETE})
BEFORE_DECISION = frozenset({CaseStatus.REGISTERED, CaseStatus.CLARIFICATION, CaseStatus.STUDY})


def tracking_code_new() -> str:
    """``AWS-XXXX-XXXX``: 8 random symbols (31^8 ≈ 8.5e11), unguessable and easy to read out."""
    body = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(8))
    return f"AWS-{body[:4]}-{body[4:]}"


def counter_next(key: str, year: int) -> int:
    """The next number of a yearly sequence; safe under concurrent requests (row lock)."""
    with transaction.atomic():
        counter, _ = Counter.objects.select_for_update().get_or_create(key=key, year=year)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value


def registration_number(case: Case, when: dt.datetime) -> str:
    """The office's format, as on SIGAP Lapor (DOMAIN.md A.4): ``NNN/LP/PL/Kab/35.07/XI/2024``.

    LP for a laporan, TM for a temuan; PL = penanganan pelanggaran; the level and the Kemendagri
    code of the office's kabupaten/kota (the first two parts of the case's region code).
    """
    local = timezone.localtime(when, office_timezone())
    kind = "TM" if case.kind == CaseKind.TEMUAN else "LP"
    office_code = ".".join(case.region_id.split(".")[:2])
    number = counter_next(f"registration:{kind}:{office_code}", local.year)
    return f"{number:03d}/{kind}/PL/Kab/{office_code}/{ROMAN_MONTHS[local.month - 1]}/{local.year}"


def case_set_status(
    case: Case,
    to_status: str,
    *,
    actor: Any = None,
    reason: str = "",
    public_note: str = "",
    at: dt.datetime | None = None,
    initial: bool = False,
) -> StatusChange:
    """The only way a case's status changes: a history row, the new current status, an audit entry.

    ``initial=True``: the first status of a case just created with it, inside the caller's
    transaction (intake): no history to look up, no status to update, no savepoint.
    """
    with transaction.atomic(savepoint=not initial):
        if initial:
            if case.status != to_status:
                raise ValueError("a case is created with its first status")
            from_status = ""
        else:
            from_status = case.status if case.pk and case.history.exists() else ""
        change = StatusChange.objects.create(
            case=case,
            from_status=from_status,
            to_status=to_status,
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason,
            public_note=public_note,
            at=at or timezone.now(),
        )
        before = case.status
        if not initial:
            case.status = to_status
            case.save(update_fields=["status"])
        audit_record(
            action="case.status_changed",
            obj=case,
            actor=actor if getattr(actor, "pk", None) else None,
            before={"status": before},
            # The reason is in the history; the log, never edited, keeps its digest (it may name people).
            after={"status": to_status, "reason": text_digest(reason) if reason else ""},
        )
    return change


def _decision_clock_start(case: Case) -> dt.date:
    """The day the decision clock starts (``case_compute_deadlines`` gives a temuan none before):

    * a temuan: the day the plenary established it (its registration), under both laws. UU 7/2017
      Pasal 454 ayat (7) counts from "diterima dan diregistrasi"; Pasal 134 of the Pilkada law
      speaks of laporan only, and a clock started by the draft would fall due before the temuan
      may even be established (its 7 days of ayat (4)), a deadline nobody could keep;
    * a Pilkada laporan: its receipt (UU 10/2016 Pasal 134 ayat (5));
    * a Pemilu laporan: receipt *and* registration (Pasal 454 ayat (7)): the registration day once
      it is registered.
    """
    tz = office_timezone()
    if case.established_on is not None:
        return case.established_on
    received = timezone.localtime(case.received_at, tz).date()
    if case.kind != CaseKind.TEMUAN and (
        case.election_type != ElectionType.PEMILU or not case.registration_number
    ):
        return received
    registered_at = (
        case.history.filter(to_status=CaseStatus.REGISTERED).values_list("at", flat=True).first()
        if case.pk
        else None
    )
    return timezone.localtime(registered_at or timezone.now(), tz).date()


# The clock counted from ``known_date`` (diketahui or ditemukan), stored in ``filing_due``, per kind:
# * a laporan is filed within the filing period: UU 10/2016 Pasal 134 ayat (4) (Pilkada, 7 days),
#   UU 7/2017 Pasal 454 ayat (6) (Pemilu, 7 hari kerja);
# * a temuan is established within the finding period: UU 7/2017 Pasal 454 ayat (5) (Pemilu);
#   Pasal 134 ayat (4) "diketahui dan/atau ditemukan" (Pilkada). A temuan is not filed, so the
#   laporan's filing rule never measures it (DOMAIN.md §2.1, §2.4 item 1);
# * an informasi awal has none: it is not a laporan and does not become one (DOMAIN.md A.5); the
#   clocks start only when it is taken up as a temuan, which is a new case with its own clocks.
KNOWN_DATE_RULES: dict[str, str] = {CaseKind.LAPORAN: "report_filing", CaseKind.TEMUAN: "finding"}
# The decision clock (Pasal 134 ayat (5)-(6); Pasal 454 ayat (7)-(8)) is for a laporan or a temuan;
# an informasi awal has no decision clock (DOMAIN.md A.5), for the same reason.
DECISION_CLOCK_KINDS = frozenset({CaseKind.LAPORAN, CaseKind.TEMUAN})
REVIEW_RULE = "initial_review"


def filed_late(case: Case) -> bool:
    """A laporan received after its filing deadline (Pasal 134 ayat (4); Pasal 454 ayat (6)): it
    cannot be registered, whatever is added to it."""
    if case.kind != CaseKind.LAPORAN or case.filing_due is None:
        return False
    return timezone.localtime(case.received_at, office_timezone()).date() > case.filing_due


def case_compute_deadlines(case: Case) -> None:
    """Fill the statutory due dates from the deadline clocks (rules per election type)."""
    known_rule = KNOWN_DATE_RULES.get(case.kind)
    if known_rule is None:
        case.filing_due = None
    elif case.known_date:
        case.filing_due = due_date(case.election_type, known_rule, case.known_date).due_date
    if case.kind not in DECISION_CLOCK_KINDS or (
        case.kind == CaseKind.TEMUAN and not case.registration_number
    ):
        case.decision_due = None  # a temuan's clock starts when it is established (_decision_clock_start)
    elif case.status not in {CaseStatus.NOT_REGISTERED, CaseStatus.ARCHIVED, CaseStatus.MERGED}:
        case.decision_due = due_date(
            case.election_type, "decision", _decision_clock_start(case), extended=case.decision_extended
        ).due_date
    # The kajian awal of a laporan: Pemilu within 2 (working) days of receipt (Perbawaslu 7/2022
    # Pasal 15 ayat (1)). Pilkada has no such figure (DOMAIN.md A.3, unverified), so no clock.
    case.review_due = None
    if case.kind == CaseKind.LAPORAN and rule_find(case.election_type, REVIEW_RULE) is not None:
        received = timezone.localtime(case.received_at, office_timezone()).date()
        case.review_due = due_date(case.election_type, REVIEW_RULE, received).due_date
