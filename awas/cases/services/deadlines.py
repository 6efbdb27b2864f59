"""Keeping the due dates stored on open cases true to the holiday calendar and the rules.

A case's due dates (``filing_due``, ``completion_due``, ``decision_due``) are computed by the
deadline clocks (``awas.core.services.deadlines``) when it is received, registered, found
incomplete or extended, and stored to list, filter and remind fast. Pemilu clocks count hari
kerja (UU 7/2017 Pasal 454 ayat (6)-(8)): they skip every libur nasional and cuti bersama the
administrator keeps in the admin. So when a holiday is added, moved or removed, or a rule changes,
core sends ``deadline_calendar_changed`` inside the edit's transaction and
``open_case_deadlines_recompute`` (connected in ``CasesConfig.ready``) recomputes the stored
dates of the cases still being handled, in that same transaction, with one audit entry.

Only cases whose clocks still run are recomputed: before registration and before the decision.
A decided, referred or closed case keeps its dates: they are the record of the clocks it was
handled under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from awas.cases.models import Case, CaseStatus
from awas.cases.services.common import case_compute_deadlines
from awas.cases.services.workflow import BEFORE_DECISION, BEFORE_REGISTRATION
from awas.core.services.audit import audit_record
from awas.core.services.deadlines import (
    deadline_reference_pinned,
    due_date,
    office_timezone,
    working_day_election_types,
)

STORED_DUE_DATES = ("filing_due", "completion_due", "decision_due", "review_due")
AUDITED_CASES = 500  # the audit entry lists the changes of at most this many cases (and always the count)
RUNNING_CLOCKS = BEFORE_REGISTRATION | BEFORE_DECISION


def _completion_start(case: Case) -> dt.date | None:
    """The day the pelapor was told what is missing: the case became "perlu kelengkapan"."""
    told = (
        case.history.filter(to_status=CaseStatus.INCOMPLETE).order_by("at", "id").values_list("at", flat=True)
    )
    first = told.first()
    return timezone.localtime(first, office_timezone()).date() if first is not None else None


def case_deadlines_recompute(case: Case) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """Recompute the stored due dates of ``case`` in place (not saved); returns the changes as
    ``{field: (old, new)}``. The completion clock is recomputed only while it runs."""
    before = {name: getattr(case, name) for name in STORED_DUE_DATES}
    case_compute_deadlines(case)
    if case.status == CaseStatus.INCOMPLETE and case.completion_due is not None:
        start = _completion_start(case)
        if start is not None:
            # Never earlier than the date the pelapor was told (a holiday taken out of the
            # calendar): they may rely on it, and "tidak diregistrasi" must wait for it.
            recomputed = due_date(case.election_type, "completion", start).due_date
            told = before["completion_due"]
            case.completion_due = max(recomputed, told) if told is not None else recomputed
    return {
        name: (before[name], getattr(case, name))
        for name in STORED_DUE_DATES
        if before[name] != getattr(case, name)
    }


def open_case_deadlines_recompute(
    *, dates: Collection[dt.date] | None = None, actor: Any = None, reason: str = "", **_signal: Any
) -> int:
    """Recompute the stored due dates of every open case a calendar or rule change can move;
    returns how many cases changed. One transaction, one audit entry (``deadlines.recomputed``).

    ``dates``: the holiday dates that changed. Only cases of an election type that counts working
    days and with a stored due date on or after the earliest of them can move (a holiday after a
    due date does not lie inside that clock). ``None``: a rule changed, every open case is checked.
    Also a receiver of ``awas.core.services.deadlines.deadline_calendar_changed``.
    """
    with transaction.atomic(), deadline_reference_pinned():
        cases = Case.objects.filter(status__in=RUNNING_CLOCKS)
        if dates is not None:
            if not dates:
                return 0
            earliest = min(dates)
            cases = cases.filter(election_type__in=working_day_election_types()).filter(
                Q(filing_due__gte=earliest)
                | Q(completion_due__gte=earliest)
                | Q(decision_due__gte=earliest)
                | Q(review_due__gte=earliest)
            )
        moved: dict[int, dict[str, list[str | None]]] = {}
        for case in cases.select_for_update().order_by("pk"):
            changes = case_deadlines_recompute(case)
            if changes:
                case.save(update_fields=list(changes))
                moved[case.pk] = {
                    name: [old.isoformat() if old else None, new.isoformat() if new else None]
                    for name, (old, new) in changes.items()
                }
        if moved:
            audit_record(
                action="deadlines.recomputed",
                object_type="cases.Case",
                object_repr=f"{len(moved)} open case(s)",
                actor=actor if getattr(actor, "pk", None) else None,
                after={
                    "count": len(moved),
                    "cases": dict(list(moved.items())[:AUDITED_CASES]),
                    "holidays": sorted(day.isoformat() for day in dates) if dates is not None else None,
                    "reason": reason,
                },
            )
    return len(moved)
