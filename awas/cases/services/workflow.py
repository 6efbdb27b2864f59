"""Every staff step of violation handling, from recording a laporan to closing the case.

Each function is one transaction: it locks the case row, checks that the case's kind and status
allow the step (``available_actions``), makes the change, writes an audit entry, and changes the
status only through ``common.case_set_status`` (which adds the ``StatusChange`` row). The pelapor
is e-mailed about each status change after the commit (``notify``). Callers check the role
(``awas.cases.permissions``) and the region scope (``Case.objects.visible_to``).

The order of steps (Perbawaslu 8/2020 jo. 9/2024; DOMAIN.md §2.4 and Addendum A.4):

    laporan:  diterima ─► (perlu kelengkapan ─►) diregistrasi | tidak diregistrasi
    temuan:   diterima ─► diregistrasi | tidak diregistrasi
    informasi awal: diterima ─► ditindaklanjuti (a new temuan) | diarsipkan
    diregistrasi ─► klarifikasi ─► kajian ─► diputus ─► diteruskan ─► selesai
                                             └► selesai (bukan pelanggaran, dihentikan)
    a case before the decision ─► digabung (into another case about the same event, itself still
    before the decision: ``merge_problem``) ─► back to the status before it, if the merge was
    wrong (``case_unmerge``)

Notes for the pelapor (``public_note``, shown on the tracking page) are written in Indonesian,
whatever the staff member's screen language.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import IO, TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from awas.cases.formatting import local, office_code, tanggal, today_local, zone_label
from awas.cases.models import (
    Case,
    CaseEvidence,
    CaseKind,
    CaseLink,
    CaseStatus,
    Channel,
    Clarification,
    Decision,
    DecisionOutcome,
    Referral,
    ReferralBody,
    ReferralProgress,
    Reporter,
    RequirementCheck,
    StatusChange,
    Study,
    Witness,
    outcome_label,
)
from awas.cases.services.common import (
    BEFORE_DECISION,
    BEFORE_REGISTRATION,
    ROMAN_MONTHS,
    ReporterData,
    WitnessData,
    case_compute_deadlines,
    case_set_status,
    counter_next,
    filed_late,
    registration_number,
    tracking_code_new,
)
from awas.cases.services.intake import EvidenceItem
from awas.cases.services.notify import (
    CLOSING_OUTCOMES,
    MERGE_DEPTH,
    invitation_mail_take_back,
    invitation_message,
    invitation_withdrawn_message,
    invited_pelapor_case,
    laporan_received_note,
    office_signature,
    pelapor_message_on_commit,
    pelapor_notify_on_commit,
)
from awas.core.models.deadlines import ElectionType
from awas.core.models.evidence import EvidenceFile
from awas.core.scope import code_within
from awas.core.services.audit import audit_record, snapshot, text_digest
from awas.core.services.deadlines import (
    EXTENSION_SUFFIX,
    add_days,
    due_date,
    holiday_dates,
    office_day_end,
    office_timezone,
    rule_get,
)
from awas.core.services.evidence import EvidenceRejected, evidence_keep, evidence_store
from awas.regions.models import Region, Tps

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# --- errors ------------------------------------------------------------------------------------


class WorkflowError(ValidationError):
    """A step the case's kind or status does not allow, or input it cannot accept; says why."""


NOT_ALLOWED_NOW = _("This step is not possible for a %(kind)s with the status “%(status)s”.")
REQUIREMENTS_INCOMPLETE = _("The requirements are not complete: %(missing)s.")
COMPLETION_NOT_PASSED = _(
    "The pelapor may still complete the laporan until %(due)s. Before then it can only be "
    "declared not registered by a decision of the plenary."
)
REASON_REQUIRED = _("Give the reason.")
NOT_REFERRED_OUTCOME = _("A decision of “%(outcome)s” is not referred to another body.")
OPEN_REFERRAL_EXISTS = _("This case is already with %(body)s and its answer is still awaited.")
ALREADY_ANSWERED = _("This referral already has an answer.")
INACTIVE_BODY = _("%(body)s is no longer an active referral body.")
SAME_CASE = _("A case cannot be linked to itself.")
ALREADY_LINKED = _("These cases are already linked.")
CANNOT_MERGE = _("Only a case still being handled (before the decision) can be merged into another.")
MERGED_CASE = _("A case that was merged into another cannot be linked or merged again.")
ALREADY_RECORDED = _(
    "The berita acara of invitation %(number)s was already recorded (held on %(held)s) and is not "
    "rewritten. Invite again for a further clarification, or add what came later as a supplement."
)
UNKNOWN_CHANNEL = _("A laporan recorded by staff comes in person or by e-mail.")
FUTURE_TIME = _("The time cannot be in the future.")
FUTURE_DATE = _("The date cannot be in the future.")
FILED_LATE = _(
    "This laporan was received on %(received)s, after its filing deadline of %(due)s (known on "
    "%(known)s): it was not filed in time and cannot be registered. If the date it became known was "
    "recorded wrong, correct the case's data first."
)


def _fail(message: StrOrPromise, code: str, **params: Any) -> WorkflowError:
    return WorkflowError(message, code=code, params=params or None)


# Each step happens on or after the one it follows: a backdated pleno or referral would hide
# whether the statutory deadline was met, and would go out in letters and notices to the pelapor.
DATE_ORDER = _("%(later)s (%(later_date)s) cannot be before %(earlier)s (%(earlier_date)s).")


def _not_before(
    later_date: dt.date, later: StrOrPromise, earlier_date: dt.date | None, earlier: StrOrPromise
) -> None:
    if earlier_date is not None and later_date < earlier_date:
        raise _fail(
            DATE_ORDER,
            "date_order",
            later=later,
            later_date=tanggal(later_date),
            earlier=earlier,
            earlier_date=tanggal(earlier_date),
        )


def _not_before_receipt(at: dt.datetime, later: StrOrPromise, case: Case) -> None:
    """``at`` is not before the moment the case came in: on the day itself, the hour counts (an
    invitation for 13.00 to a laporan received at 20.13 would say a hearing came first)."""
    if at < case.received_at.replace(second=0, microsecond=0):  # times are typed to the minute

        def moment(when: dt.datetime) -> str:
            return f"{tanggal(local(when).date())} {local(when):%H.%M} {zone_label()}"

        raise _fail(
            DATE_ORDER,
            "date_order",
            later=later,
            later_date=moment(at),
            earlier=_("the time it was received"),
            earlier_date=moment(case.received_at),
        )


# --- which steps a case allows now -------------------------------------------------------------

# Statuses in which a case is still being handled (its clocks matter).
OPEN_STATUSES = BEFORE_REGISTRATION | BEFORE_DECISION | {CaseStatus.DECIDED, CaseStatus.REFERRED}
# The decision clock (Pasal 134(5)/(6)) runs until the plenary decides: a laporan's from its receipt,
# a temuan's from its establishing (registration; see common._decision_clock_start). An informasi
# awal ("diterima" too) has none; it is not a laporan (DOMAIN.md A.5) and its clocks start when it
# is taken up as a temuan, a new case.
DECISION_CLOCK_STATUSES = frozenset({CaseStatus.RECEIVED}) | BEFORE_DECISION
DECISION_CLOCK_RUNS = Q(kind=CaseKind.LAPORAN, status__in=DECISION_CLOCK_STATUSES) | Q(
    kind=CaseKind.TEMUAN, status__in=BEFORE_DECISION
)


def decision_clock_runs(case: Case) -> bool:
    """The case's decision clock runs now (the same test as ``DECISION_CLOCK_RUNS``)."""
    if case.kind == CaseKind.TEMUAN:
        return case.status in BEFORE_DECISION
    return case.kind == CaseKind.LAPORAN and case.status in DECISION_CLOCK_STATUSES


# The finding clock (UU 10/2016 Pasal 134 ayat (4) "ditemukan"; UU 7/2017 Pasal 454 ayat (5)): a
# temuan is established within 7 days of the finding, so its clock (stored in ``filing_due``)
# runs until the temuan is registered.
FINDING_CLOCK_RUNS = Q(kind=CaseKind.TEMUAN, status__in=BEFORE_REGISTRATION, filing_due__isnull=False)


# The kajian awal clock (Pemilu, Perbawaslu 7/2022 Pasal 15 ayat (1)): a laporan received and not
# yet checked (registered, found incomplete or not registered).
REVIEW_CLOCK_RUNS = Q(kind=CaseKind.LAPORAN, status=CaseStatus.RECEIVED, review_due__isnull=False)


def review_clock_runs(case: Case) -> bool:
    """The kajian awal clock runs now (the same test as ``REVIEW_CLOCK_RUNS``)."""
    return (
        case.kind == CaseKind.LAPORAN and case.status == CaseStatus.RECEIVED and case.review_due is not None
    )


def finding_clock_runs(case: Case) -> bool:
    """The temuan's finding clock runs now (the same test as ``FINDING_CLOCK_RUNS``)."""
    return case.kind == CaseKind.TEMUAN and case.status in BEFORE_REGISTRATION and case.filing_due is not None


REFERRED_OUTCOMES = frozenset(
    {DecisionOutcome.ADMINISTRASI, DecisionOutcome.PIDANA, DecisionOutcome.KODE_ETIK, DecisionOutcome.LAINNYA}
)


def _decision_outcome(case: Case) -> str | None:
    try:
        return str(case.decision.outcome)
    except Decision.DoesNotExist:
        return None


def available_actions(case: Case) -> set[str]:
    """The steps the case's kind and status allow now (roles are checked by the caller)."""
    status, kind = case.status, case.kind
    actions: set[str] = set()
    if kind == CaseKind.INFORMASI_AWAL:
        if status == CaseStatus.RECEIVED:
            # "supplement": what the penelusuran gathers (photos, a resident who saw it) is kept
            # with the tip before the decision to take it up, and goes with it into the temuan.
            actions |= {"take_up", "archive", "correct", "supplement"}
    else:
        if status in BEFORE_REGISTRATION | BEFORE_DECISION:
            actions |= {"supplement", "correct"}
        if status in BEFORE_REGISTRATION:
            actions.add("not_registered")
            # A laporan is registered by a complete requirements check; a temuan directly.
            actions.add("requirements" if kind == CaseKind.LAPORAN else "register")
        if status in BEFORE_DECISION:
            actions |= {"clarification", "study"}
            # The extension for more information: a laporan's pelapor is asked (Pasal 134(6),
            # Pasal 454(8)); under Pemilu a temuan gets it too (Pasal 454(8): "temuan dan laporan").
            extendable = kind == CaseKind.LAPORAN or case.election_type == ElectionType.PEMILU
            if extendable and not case.decision_extended:
                actions.add("more_info")
        if status == CaseStatus.STUDY:
            actions.add("decide")
        # Referred again after every answer came in (closed): a kepala desa's case goes to the
        # Pemkab, then to Kemendagri; a body answers that another is competent.
        if (
            status in {CaseStatus.DECIDED, CaseStatus.REFERRED, CaseStatus.CLOSED}
            and _decision_outcome(case) in REFERRED_OUTCOMES
        ):
            actions.add("refer")
        if status == CaseStatus.REFERRED:
            actions.add("respond")
        # A decision typed in wrong (a mis-clicked outcome, a wrong plenary date) is corrected
        # until a referral letter went out on it; after that the body holds the letter.
        decided = status in {CaseStatus.DECIDED, CaseStatus.CLOSED} and _decision_outcome(case) is not None
        if decided and not case.referrals.exists():
            actions.add("correct_decision")
    if status != CaseStatus.MERGED:
        actions.add("link")
    else:
        actions.add("unmerge")
    return actions


def _require(case: Case, action: str) -> None:
    if action not in available_actions(case):
        raise _fail(
            NOT_ALLOWED_NOW,
            "not_allowed",
            kind=str(CaseKind(case.kind).label),
            status=str(CaseStatus(case.status).label),
        )


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock (two staff members clicking at once do one step)."""
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    return case


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def _indonesian(message: StrOrPromise, **params: Any) -> str:
    """A note for the pelapor, in the office's language (Indonesian), at most 500 characters."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return _note_sized(text)


def _note_sized(text: str) -> str:
    """At most the 500 characters a public note holds."""
    return text if len(text) <= 500 else text[:499] + "…"


def _set_status(
    case: Case,
    to_status: str,
    *,
    actor: Any,
    reason: str = "",
    public_note: str = "",
    at: dt.datetime | None = None,
    told: Collection[int] = (),
) -> StatusChange:
    """``told``: cases whose pelapor another e-mail of this step tells of the change
    (``notify.pelapor_notify_on_commit``)."""
    if case.kind == CaseKind.TEMUAN:
        # The office's own finding has no pelapor: nothing is written to one ("Your laporan has
        # been registered" read oddly in a temuan's history).
        public_note = ""
    change = case_set_status(
        case, to_status, actor=_actor(actor), reason=reason, public_note=public_note, at=at
    )
    pelapor_notify_on_commit(case=case, change=change, told=told)
    return change


# --- what staff type in ------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseFacts:
    """What happened: the part of a laporan, temuan or informasi awal that is not about the pelapor."""

    region: Region
    title: str
    chronology: str = ""
    event_place: str = ""
    event_date: dt.date | None = None
    known_date: dt.date | None = None  # diketahui (laporan) or ditemukan (temuan): starts the 7 days
    terlapor_name: str = ""
    terlapor_address: str = ""
    terlapor_phone: str = ""
    terlapor_position: str = ""
    tps: Tps | None = None
    election_type: str = ElectionType.PILKADA


# An uploaded file (Django UploadedFile, File or ContentFile): readable, seekable, with a name.
Upload = Any

CASE_FIELDS_AUDITED = (
    "kind",
    "election_type",
    "channel",
    "region",
    "tps",
    "title",
    "event_date",
    "event_time_note",
    "known_date",
    "received_at",
    "terlapor_name",
    "terlapor_position",
    "filing_due",
    "decision_due",
    "source_ref",
)


def _check_fact_dates(kind: str, facts: CaseFacts, received_at: dt.datetime) -> None:
    received_on = local(received_at).date()
    known = _("the date it became known") if kind != CaseKind.TEMUAN else _("the date it was found")
    if facts.known_date is not None:
        _not_before(facts.known_date, known.capitalize(), facts.event_date, _("the date of the event"))
        _not_before(received_on, _("The date it was received"), facts.known_date, known)
    _not_before(received_on, _("The date it was received"), facts.event_date, _("the date of the event"))


def _case_new(
    *,
    kind: str,
    facts: CaseFacts,
    channel: str,
    received_at: dt.datetime,
    actor: Any,
    source_ref: str = "",
    event_time_note: str = "",
) -> Case:
    _check_fact_dates(kind, facts, received_at)
    case = Case(
        kind=kind,
        channel=channel,
        received_at=received_at,
        source_ref=source_ref,
        event_time_note=event_time_note,
        created_by=_actor(actor),
        **{name: getattr(facts, name) for name in CaseFacts.__dataclass_fields__},
    )
    case_compute_deadlines(case)
    for _attempt in range(5):
        case.tracking_code = tracking_code_new()
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            # 31^8 codes make a collision rare; a fresh code is drawn. Anything else re-raises.
            if not Case.objects.filter(tracking_code=case.tracking_code).exists():
                raise
            case.pk = None
            case._state.adding = True
    else:  # pragma: no cover - five collisions in a row
        raise RuntimeError("could not draw a free tracking code")
    return case


def _attach_evidence(
    case: Case,
    files: Sequence[Upload],
    *,
    actor: Any,
    description: str = "",
    clarification: Clarification | None = None,
) -> list[CaseEvidence]:
    """Store each file in the evidence store (SHA-256) and attach it; raises EvidenceRejected."""
    attached = []
    for upload in files:
        name = str(getattr(upload, "name", "") or "").rsplit("/", 1)[-1]
        try:
            stored = evidence_store(
                data=cast(IO[bytes], upload), original_name=name, uploaded_by=_actor(actor)
            )
        except EvidenceRejected as rejected:  # which of several files, said with the reason
            raise EvidenceRejected([f"{name}: {message}" for message in rejected.messages]) from rejected
        attached.append(
            _evidence_link(
                case, stored, name=name, description=description, actor=actor, clarification=clarification
            )
        )
    return attached


def _link_kept(
    case: Case, kept: Sequence[EvidenceItem], *, actor: Any, description: str
) -> list[CaseEvidence]:
    """Attach the files a form sent back kept, each with its name as sent: their records are
    stored now if the form kept only their bytes (``evidence_prepare``)."""
    return [
        _evidence_link(
            case, evidence_keep(item.evidence), name=item.name, description=description, actor=actor
        )
        for item in kept
    ]


def _evidence_link(
    case: Case,
    stored: EvidenceFile,
    *,
    name: str,
    description: str,
    actor: Any,
    clarification: Clarification | None = None,
) -> CaseEvidence:
    """Attach a file of the evidence store to the case (once), in the audit log with its hash."""
    item, created = CaseEvidence.objects.get_or_create(
        case=case,
        evidence=stored,
        clarification=clarification,
        defaults={
            "name": name[:255] or stored.sha256[:12],
            "description": description[:255],
            "added_by": _actor(actor),
        },
    )
    if created:
        audit_record(
            action="case.evidence_added",
            obj=case,
            actor=_actor(actor),
            after={
                "sha256": stored.sha256,
                "name": item.name,
                "clarification": clarification.pk if clarification else None,
            },
        )
    return item


# --- completing a case --------------------------------------------------------------------------


def case_supplement(
    *,
    case: Case,
    files: Sequence[Upload],
    witness: WitnessData | None,
    note: str,
    actor: Any,
    brought_on: dt.date | None = None,
) -> list[CaseEvidence]:
    """Add what the pelapor brings later, or what staff gather, before the decision: evidence
    (through the evidence store) and a witness, with a note of what was brought and the day it was
    brought (``brought_on``; today if not given).

    This is how a laporan found incomplete is completed within its completion clock (rule
    ``completion``); the requirements are then checked again (``requirements_check``), which
    registers it. Brought after that clock ran out, it is still kept, and the audit entry says so.
    Late or not is judged by the day it was brought, not the day it was entered: what the pelapor
    brought on the last day (a Friday before a long weekend) and the desk enters on the Tuesday
    after was completed in time (DOMAIN.md §2.4 item 4), as the requirements check then holds it
    (``_completed_in_time``, by the same day). Not in the future, not before the case was received.
    Raises ValidationError when nothing is brought, EvidenceRejected for a refused file.
    """
    if not files and witness is None:
        raise _fail(_("Attach a file or name a witness."), "empty")
    today = today_local()
    brought_on = brought_on or today
    if brought_on > today:
        raise _fail(FUTURE_DATE, "future")
    with transaction.atomic():
        case = _lock(case)
        _require(case, "supplement")
        _not_before(
            brought_on, _("The day it was brought"), local(case.received_at).date(), _("the day received")
        )
        attached = _attach_evidence(case, files, actor=actor, description=note)
        if witness is not None:
            Witness.objects.create(case=case, **witness.__dict__)
        # The completion clock it is measured against: only while the pelapor is completing it.
        due = case.completion_due if case.status == CaseStatus.INCOMPLETE else None
        audit_record(
            action="case.supplemented",
            obj=case,
            actor=_actor(actor),
            after={
                "evidence": [item.evidence.sha256 for item in attached],
                "witness": witness is not None,
                "note": note,
                "brought_on": brought_on.isoformat(),
                "completion_due": due.isoformat() if due else None,
                "after_completion_due": bool(due and brought_on > due),
            },
        )
    return attached


# --- correcting what was recorded ---------------------------------------------------------------

# Only a time staff typed in can be corrected: a web filing's time is the server's, a Form A's
# temuan is recorded when it is made.
RECEIVED_AT_TYPED_CHANNELS = frozenset({Channel.IN_PERSON, Channel.EMAIL})
PLACE_OUT_OF_SCOPE = _("The place must be within your own area.")
CORRECTED_FIELDS = (*CaseFacts.__dataclass_fields__, "received_at")


def case_correct(
    *, case: Case, facts: CaseFacts, reason: str, actor: Any, received_at: dt.datetime | None = None
) -> list[str]:
    """Correct the facts of a case before its decision (a typo, the wrong desa, a date found out
    later, the terlapor named after a penelusuran), with the reason. The deadlines are counted
    again from the corrected dates; the audit entry keeps what was there before.

    Returns the names of the fields that changed (none: nothing is written)."""
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        case = _lock(case)
        _require(case, "correct")
        _within_scope(actor, case)
        if (
            _actor(actor) is not None
            and not Region.objects.visible_to(actor).filter(pk=facts.region.pk).exists()
        ):
            raise _fail(PLACE_OUT_OF_SCOPE, "scope")
        if received_at is None or case.channel not in RECEIVED_AT_TYPED_CHANNELS:
            received_at = case.received_at
        if received_at > timezone.now() + dt.timedelta(minutes=5):
            raise _fail(FUTURE_TIME, "future")
        _check_fact_dates(case.kind, facts, received_at)
        # A registered temuan was found before the plenary that established it: its finding clock
        # is measured on that day, and a later finding would make it established before it existed.
        if case.established_on is not None:
            _not_before(case.established_on, _("The plenary"), facts.known_date, _("the finding"))
        first_step = case.history.exclude(from_status="").order_by("at", "id").first()
        if first_step is not None:
            _not_before(
                local(first_step.at).date(),
                first_step.get_to_status_display().capitalize(),
                local(received_at).date(),
                _("the date it was received"),
            )
        if facts.tps is not None and not code_within(facts.tps.desa_id, facts.region.code):
            # The TPS of the old place would keep its PTPS (scoped by TPS) on a case moved elsewhere.
            facts = dataclasses.replace(facts, tps=None)
        wanted = {
            **{name: getattr(facts, name) for name in CaseFacts.__dataclass_fields__},
            "received_at": received_at,
        }
        changed_fields = [name for name, value in wanted.items() if getattr(case, name) != value]
        if not changed_fields:
            return []
        # Imported here: that module builds on this one.
        from awas.cases.services.deadlines import STORED_DUE_DATES, case_deadlines_recompute

        audited = [*CORRECTED_FIELDS, *STORED_DUE_DATES]
        before = snapshot(case, audited)
        for name in changed_fields:
            setattr(case, name, wanted[name])
        case_deadlines_recompute(case)  # the completion clock too (another election type counts it)
        case.save(update_fields=[*changed_fields, *STORED_DUE_DATES])
        if "received_at" in changed_fields:
            # The first history row says when the case was received; it follows the corrected time
            # (the audit entry below keeps the old one) so the case and tracking pages agree.
            case.history.filter(from_status="").update(at=received_at)
        audit_record(
            action="case.corrected",
            obj=case,
            actor=_actor(actor),
            before=before,
            # The reason in words: the case page lists the corrections from these entries.
            after={**snapshot(case, audited), "reason": reason.strip(), "fields": changed_fields},
        )
    return changed_fields


# --- intake by staff ---------------------------------------------------------------------------

RECEIVED_REASON = _("Recorded by staff (%(channel)s).")


def case_record_in_person(
    *,
    facts: CaseFacts,
    reporter: ReporterData,
    witnesses: Sequence[WitnessData] = (),
    evidence: Sequence[Upload] = (),
    evidence_description: str = "",
    channel: str = Channel.IN_PERSON,
    received_at: dt.datetime | None = None,
    kept_evidence: Sequence[EvidenceItem] = (),
    actor: Any,
) -> Case:
    """A laporan brought to the office or sent by e-mail, typed in by staff (Formulir laporan).
    ``kept_evidence``: files received by the form's earlier submit (``forms_public.evidence_items``)."""
    if channel not in {Channel.IN_PERSON, Channel.EMAIL}:
        raise _fail(UNKNOWN_CHANNEL, "channel")
    received_at = received_at or timezone.now()
    if received_at > timezone.now() + dt.timedelta(minutes=5):
        raise _fail(FUTURE_TIME, "future")
    with transaction.atomic():
        case = _case_new(
            kind=CaseKind.LAPORAN, facts=facts, channel=channel, received_at=received_at, actor=actor
        )
        pelapor = Reporter.objects.create(case=case, **asdict(reporter))
        for witness in witnesses:
            if witness.name.strip():
                Witness.objects.create(case=case, **asdict(witness))
        items = _link_kept(case, kept_evidence, actor=actor, description=evidence_description)
        items += _attach_evidence(case, evidence, actor=actor, description=evidence_description)
        audit_record(
            action="case.recorded",
            obj=case,
            actor=_actor(actor),
            after={
                **snapshot(case, CASE_FIELDS_AUDITED),
                "reporter": snapshot(pelapor),
                "witnesses": case.witnesses.count(),
                "evidence": [item.evidence.sha256 for item in items],
            },
        )
        _set_status(
            case,
            CaseStatus.RECEIVED,
            actor=actor,
            reason=_indonesian(RECEIVED_REASON, channel=str(Channel(channel).label)),
            public_note=laporan_received_note(case),  # the same as online (intake), late or not
            at=received_at,  # typed in later: the history says when it was received, as the case does
        )
    return case


TEMUAN_REASON = _("Temuan recorded by a supervisor.")


def temuan_create(
    *,
    facts: CaseFacts,
    channel: str = Channel.FORM_A,
    source_ref: str = "",
    evidence: Sequence[Upload] = (),
    evidence_description: str = "",
    kept_evidence: Sequence[EvidenceItem] = (),
    actor: Any,
) -> Case:
    """A temuan (a supervisor's own finding), as a draft for the plenary to register.
    ``kept_evidence``: files received by the form's earlier submit (``forms_public.evidence_items``)."""
    with transaction.atomic():
        case = _case_new(
            kind=CaseKind.TEMUAN,
            facts=facts,
            channel=channel,
            received_at=timezone.now(),
            actor=actor,
            source_ref=source_ref,
        )
        items = _link_kept(case, kept_evidence, actor=actor, description=evidence_description)
        items += _attach_evidence(case, evidence, actor=actor, description=evidence_description)
        audit_record(
            action="case.temuan_created",
            obj=case,
            actor=_actor(actor),
            after={**snapshot(case, CASE_FIELDS_AUDITED), "evidence": [i.evidence.sha256 for i in items]},
        )
        _set_status(case, CaseStatus.RECEIVED, actor=actor, reason=_indonesian(TEMUAN_REASON))
    return case


@dataclass(frozen=True)
class StoredEvidence:
    """A file already in the evidence store, to attach to a case as it is."""

    evidence_id: int
    name: str
    description: str = ""


def temuan_from_form_a(
    *,
    region_code: str,
    title: str,
    chronology: str,
    found_date: dt.date,
    form_a_ref: str,
    event_date: dt.date | None = None,
    event_place: str = "",
    terlapor_name: str = "",
    terlapor_position: str = "",
    terlapor_address: str = "",
    tps_id: int | None = None,
    election_type: str = ElectionType.PILKADA,
    witnesses: Sequence[str] = (),
    evidence: Sequence[StoredEvidence] = (),
    actor: Any = None,
) -> Case:
    """A temuan draft from a Form A (LHP), in plain fields: cases imports nothing of supervision.
    ``witnesses``: the names of the Form A's saksi. ``evidence``: the Form A's files, already in
    the evidence store, attached with the same hash.

    Idempotent per Form A: calling it again with the same ``form_a_ref`` returns the first temuan.
    """
    source_ref = f"form_a:{form_a_ref}"[:100]
    existing = Case.objects.filter(kind=CaseKind.TEMUAN, source_ref=source_ref).first()
    if existing is not None:
        return existing
    facts = CaseFacts(
        region=Region.objects.get(code=region_code),
        title=title[:255],
        chronology=chronology,
        event_place=event_place[:255],
        event_date=event_date,
        known_date=found_date,
        terlapor_name=terlapor_name[:200],
        terlapor_address=terlapor_address[:255],
        terlapor_position=terlapor_position[:200],
        tps=Tps.objects.get(pk=tps_id) if tps_id is not None else None,
        election_type=election_type,
    )
    with transaction.atomic():
        case = temuan_create(facts=facts, channel=Channel.FORM_A, source_ref=source_ref, actor=actor)
        Witness.objects.bulk_create([Witness(case=case, name=name[:200]) for name in witnesses])
        stored = EvidenceFile.objects.in_bulk([item.evidence_id for item in evidence])
        for item in evidence:
            _evidence_link(
                case, stored[item.evidence_id], name=item.name, description=item.description, actor=actor
            )
    return case


# --- informasi awal ----------------------------------------------------------------------------

TAKEN_UP_NOTE = _("The information you sent has been followed up by the supervisors as their own finding.")
TAKEN_UP_REASON = _("Taken up from an informasi awal after penelusuran.")
ARCHIVED_NOTE = _("The information you sent was examined and not followed up: %(reason)s")
TIP_RECEIVED = _("the day the informasi awal was received")
# A temuan's ``source_ref`` names the informasi awal it was taken up from: "informasi_awal:<pk>".
TIP_SOURCE = "informasi_awal"


def informasi_awal_take_up(
    *,
    tip: Case,
    reason: str,
    found_on: dt.date | None = None,
    event_date: dt.date | None = None,
    actor: Any,
) -> Case:
    """Turn an informasi awal into a temuan after the penelusuran; the tip is marked followed up.

    ``reason`` is what the penelusuran found (kept in the tip's history; the temuan's page reads it
    from there, ``selectors.penelusuran_of``). ``found_on``: the day the penelusuran found the
    violation (today if not given), the temuan's "ditemukan". Returns the new temuan, linked to the
    tip (ORIGIN); it keeps the tip's place, event date (or the sender's "roughly when") and chronology.
    ``event_date``: for a tip sent without the day, the day the penelusuran established (not after
    the finding); the temuan then carries it instead of "roughly when".
    """
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    found_on = found_on or today_local()
    if found_on > today_local():
        raise _fail(FUTURE_DATE, "future")
    with transaction.atomic():
        tip = _lock(tip)
        _require(tip, "take_up")
        # The temuan is found by the penelusuran of the tip, which follows its receipt: an
        # informasi awal is first assessed, and only then traced (DOMAIN.md A.5), so the finding
        # is not before the day the tip came in. The day it was found starts the finding clock,
        # the 7 days for the plenary to establish the temuan (UU 10/2016 Pasal 134 ayat (4)
        # "diketahui dan/atau ditemukan"; Pemilu: UU 7/2017 Pasal 454 ayat (5)); not the day the
        # sender says they learned of it (the tip's known_date), nor the day the take-up is typed.
        # A finding by other means before the tip came in: a correction, with its reason.
        _not_before(found_on, _("Date it was found"), local(tip.received_at).date(), TIP_RECEIVED)
        facts = CaseFacts(**{name: getattr(tip, name) for name in CaseFacts.__dataclass_fields__})
        facts = dataclasses.replace(facts, known_date=found_on)
        roughly_when = tip.event_time_note
        if event_date is not None and tip.event_date is None:  # not after found_on: _case_new
            facts, roughly_when = dataclasses.replace(facts, event_date=event_date), ""
        temuan = _case_new(
            kind=CaseKind.TEMUAN,
            facts=facts,
            channel=tip.channel,
            received_at=timezone.now(),
            actor=actor,
            source_ref=f"{TIP_SOURCE}:{tip.pk}",
            # A sender who did not know the day said roughly when: the temuan's page says so too,
            # until a correction gives the day the penelusuran established. Its clock counts from
            # found_on, never from the event.
            event_time_note=roughly_when,
        )
        for item in tip.evidence.filter(clarification__isnull=True):
            CaseEvidence.objects.create(
                case=temuan,
                evidence_id=item.evidence_id,
                name=item.name,
                description=item.description,
                added_by=_actor(actor),
            )
        # The witnesses the penelusuran found (``case_supplement``): the temuan's saksi.
        Witness.objects.bulk_create(
            Witness(case=temuan, name=w.name, address=w.address, phone=w.phone) for w in tip.witnesses.all()
        )
        CaseLink.objects.create(
            from_case=temuan, to_case=tip, kind=CaseLink.Kind.ORIGIN, created_by=_actor(actor)
        )
        audit_record(
            action="case.informasi_awal_taken_up",
            obj=tip,
            actor=_actor(actor),
            after={"temuan": temuan.pk, "reason": text_digest(reason)},
        )
        audit_record(
            action="case.temuan_created",
            obj=temuan,
            actor=_actor(actor),
            after={**snapshot(temuan, CASE_FIELDS_AUDITED), "from_informasi_awal": tip.pk},
        )
        _set_status(temuan, CaseStatus.RECEIVED, actor=actor, reason=_indonesian(TAKEN_UP_REASON))
        _set_status(
            tip, CaseStatus.FOLLOWED_UP, actor=actor, reason=reason, public_note=_indonesian(TAKEN_UP_NOTE)
        )
    return temuan


def informasi_awal_archive(*, tip: Case, reason: str, public_reason: str = "", actor: Any) -> Case:
    """Close an informasi awal that is not taken up. ``public_reason`` is what the sender reads."""
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        tip = _lock(tip)
        _require(tip, "archive")
        note = _indonesian(ARCHIVED_NOTE, reason=public_reason.strip()) if public_reason.strip() else ""
        _set_status(tip, CaseStatus.ARCHIVED, actor=actor, reason=reason, public_note=note)
    return tip


# --- requirements and registration -------------------------------------------------------------

INCOMPLETE_NOTE = _(
    "Your laporan is not complete yet. Complete it at the office by %(due)s with: %(missing)s. "
    "Otherwise it cannot be registered."
)
INCOMPLETE_REASON = _("Requirements missing: %(missing)s.")
REGISTERED_NOTE = _("Your laporan has been registered with number %(number)s and is being handled.")
TEMUAN_REGISTERED_REASON = _("Temuan established by the plenary of %(date)s.")
LAPORAN_REGISTERED_REASON = _("Formal and material requirements complete.")
LAPORAN_COMPLETED_REASON = _(
    "Formal and material requirements complete: completed by the pelapor on %(completed)s, within the "
    "completion deadline of %(due)s."
)
# Checked after the completion deadline: registered only if the pelapor completed it in time
# (entered a day or two later, as happens at a busy desk); else it is not registered (DOMAIN.md §2.4
# item 4; the issue: "has 3 days (Pilkada) to complete, else the report is 'tidak diregistrasi'").
COMPLETED_ON_NEEDED = _(
    "The completion deadline of %(due)s has passed. Give the day the pelapor brought what was missing: "
    "the laporan is registered only if it was completed by then."
)
COMPLETED_TOO_LATE = _(
    "Completed on %(completed)s, after the completion deadline of %(due)s: a laporan not completed in "
    "time is not registered. Record it as not registered, with the reason."
)


def missing_text(check: RequirementCheck) -> str:
    """The requirements ``check`` found missing, in Indonesian, as the pelapor is told them."""
    with translation.override(settings.LANGUAGE_CODE):
        return "; ".join(check.missing())


def requirements_check(
    *,
    case: Case,
    checks: Mapping[str, bool],
    notes: str = "",
    actor: Any,
    today: dt.date | None = None,
    completed_on: dt.date | None = None,
) -> RequirementCheck:
    """Save the syarat formal and materiel checklist of a laporan.

    Complete: the laporan is registered. Incomplete: the status becomes "perlu kelengkapan", the
    completion clock starts (rule ``completion``: 3 calendar days for Pilkada, 3 hari kerja for
    Pemilu under Perbawaslu 7/2022, both unverified, see deadline_rules.yaml), and the pelapor is
    told exactly what is missing. Checking again while
    incomplete keeps the first deadline: the clock starts when the pelapor is first told. Filed
    too late: the checklist is kept and the status stays, since lateness cannot be completed;
    the next step is "not registered". Complete after the completion deadline: ``completed_on``,
    the day the pelapor brought what was missing, decides (``_completed_in_time``).
    """
    today = today or today_local()
    with transaction.atomic():
        case = _lock(case)
        _require(case, "requirements")
        if checks.get("formal_in_time") and filed_late(case):
            assert case.known_date is not None and case.filing_due is not None  # what makes it late
            raise _fail(
                FILED_LATE,
                "filed_late",
                known=tanggal(case.known_date),
                due=tanggal(case.filing_due),
                received=tanggal(local(case.received_at).date()),
            )
        check, created = RequirementCheck.objects.get_or_create(case=case)
        before = None if created else snapshot(check)
        for name in (*RequirementCheck.FORMAL, *RequirementCheck.MATERIAL):
            setattr(check, name, bool(checks.get(name, False)))
        check.notes = notes
        check.checked_by = _actor(actor)
        check.checked_at = timezone.now()
        check.save()
        audit_record(
            action="case.requirements_checked",
            obj=case,
            actor=_actor(actor),
            before=before,
            after=snapshot(check),
        )
        missing = missing_text(check)
        if not missing:
            in_time = _completed_in_time(case, completed_on, today)
            case_register(case=case, actor=actor, completed_on=in_time)
        elif not check.formal_in_time:
            # Filed after the 7 days: nothing the pelapor adds can cure it, so no completion clock
            # starts; staff record it as not registered, with the reason.
            pass
        elif case.status != CaseStatus.INCOMPLETE:
            deadline = due_date(case.election_type, "completion", today)
            case.completion_due = deadline.due_date
            case.save(update_fields=["completion_due"])
            _set_status(
                case,
                CaseStatus.INCOMPLETE,
                actor=actor,
                reason=_indonesian(INCOMPLETE_REASON, missing=missing),
                public_note=_indonesian(INCOMPLETE_NOTE, due=tanggal(deadline.due_date), missing=missing),
            )
    return check


def _completed_in_time(case: Case, completed_on: dt.date | None, today: dt.date) -> dt.date | None:
    """For a laporan whose completion deadline has passed: the day it was completed, once checked to
    be by the deadline (else refused, says why). None while the deadline has not passed."""
    if not completion_lapsed(case, today):
        return None
    assert case.completion_due is not None  # what makes it lapsed
    due = tanggal(case.completion_due)
    if completed_on is None:
        raise _fail(COMPLETED_ON_NEEDED, "completed_on", due=due)
    if completed_on > today:
        raise _fail(FUTURE_DATE, "future")
    _not_before(completed_on, _("The day completed"), local(case.received_at).date(), _("the day received"))
    if completed_on > case.completion_due:
        raise _fail(COMPLETED_TOO_LATE, "completed_late", completed=tanggal(completed_on), due=due)
    return completed_on


def case_register(
    *, case: Case, actor: Any, established_on: dt.date | None = None, completed_on: dt.date | None = None
) -> Case:
    """Register a laporan with complete requirements, or a temuan: number, status, decision clock.
    ``completed_on``: the day a laporan checked after its completion deadline was completed, in time
    (``_completed_in_time``), said in its history.

    A temuan is registered as established by the plenary of ``established_on`` (today if not
    given): its number takes that month, its finding clock is measured on that day, and its
    decision clock starts there (common._decision_clock_start)."""
    if established_on is not None and established_on > today_local():
        raise _fail(FUTURE_DATE, "future")
    with transaction.atomic():
        case = _lock(case)
        if case.kind == CaseKind.INFORMASI_AWAL or case.status not in BEFORE_REGISTRATION:
            raise _fail(
                NOT_ALLOWED_NOW,
                "not_allowed",
                kind=str(CaseKind(case.kind).label),
                status=str(CaseStatus(case.status).label),
            )
        if case.kind == CaseKind.LAPORAN:
            check = RequirementCheck.objects.filter(case=case).first()
            missing = missing_text(check) if check else _indonesian(_("the requirements were not checked"))
            if missing:
                raise _fail(REQUIREMENTS_INCOMPLETE, "incomplete", missing=missing)
        now = timezone.now()
        numbered_at = now
        if case.kind == CaseKind.TEMUAN:
            case.established_on = established_on or today_local()
            _not_before(case.established_on, _("The plenary"), case.known_date, _("the finding"))
            if case.established_on < local(now).date():
                numbered_at = dt.datetime.combine(case.established_on, dt.time(12), tzinfo=office_timezone())
            reason = _indonesian(TEMUAN_REGISTERED_REASON, date=tanggal(case.established_on))
        elif completed_on is not None and case.completion_due is not None:
            reason = _indonesian(
                LAPORAN_COMPLETED_REASON, completed=tanggal(completed_on), due=tanggal(case.completion_due)
            )
        else:
            reason = _indonesian(LAPORAN_REGISTERED_REASON)
        audited = ["registration_number", "decision_due", "established_on"]
        before = snapshot(case, audited)
        case.registration_number = registration_number(case, numbered_at)
        case_compute_deadlines(case)
        case.save(update_fields=["registration_number", "decision_due", "filing_due", "established_on"])
        after = snapshot(case, audited)
        if completed_on is not None:
            # The officer's word that a lapsed laporan was completed in time is what registers it:
            # kept in the audit log, not only in the status history.
            after["completed_on"] = completed_on.isoformat()
        audit_record(action="case.registered", obj=case, actor=_actor(actor), before=before, after=after)
        _set_status(
            case,
            CaseStatus.REGISTERED,
            actor=actor,
            reason=reason,
            public_note=_indonesian(REGISTERED_NOTE, number=case.registration_number),
        )
    return case


NOT_REGISTERED_NOTE = _("Your laporan was not registered. Reason: %(reason)s")
LAPSED_REASON = _("It was not completed by the completion deadline of %(due)s (missing: %(missing)s).")


def completion_lapsed(case: Case, today: dt.date | None = None) -> bool:
    """The pelapor's time to complete the laporan ended and it is still incomplete: what remains
    is to record it as not registered (DOMAIN.md §2.4 item 4), which ``case_not_registered``
    now allows without a plenary decision."""
    today = today or today_local()
    due = case.completion_due
    return case.status == CaseStatus.INCOMPLETE and due is not None and today > due


def completion_lapsed_reason(case: Case, check: RequirementCheck | None) -> str:
    """The reason offered for recording a lapsed laporan as not registered, in Indonesian (it is
    sent to the pelapor): the deadline and what was still missing (``check``, the case's
    requirements check), naming nobody."""
    assert case.completion_due is not None
    return _indonesian(
        LAPSED_REASON, due=tanggal(case.completion_due), missing=missing_text(check) if check else "—"
    )


NO_GROUND_YET = _(
    "A laporan filed in time is not registered only when it was not completed within the time "
    "given, or by a decision of the plenary. Check the requirements first, or record the plenary's "
    "decision."
)


def case_not_registered(
    *, case: Case, reason: str, actor: Any, by_decision: bool = False, today: dt.date | None = None
) -> Case:
    """ "Tidak diregistrasi": after the completion deadline passed without completion, or by a
    decision of the plenary. The reason is sent to the pelapor and shown on the tracking page."""
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    today = today or today_local()
    with transaction.atomic():
        case = _lock(case)
        _require(case, "not_registered")
        if case.kind == CaseKind.LAPORAN and not by_decision:
            # The grounds (DOMAIN.md §2.4 items 2 and 4): filed after the deadline, or left
            # incomplete past the completion time; anything else is for the plenary to decide.
            if case.status == CaseStatus.INCOMPLETE and case.completion_due is not None:
                if today <= case.completion_due:
                    raise _fail(COMPLETION_NOT_PASSED, "completion_running", due=tanggal(case.completion_due))
            elif not (
                filed_late(case) or RequirementCheck.objects.filter(case=case, formal_in_time=False).exists()
            ):
                raise _fail(NO_GROUND_YET, "no_ground")
        audit_record(
            action="case.not_registered",
            obj=case,
            actor=_actor(actor),
            after={"reason": text_digest(reason), "by_decision": by_decision},
        )
        _set_status(
            case,
            CaseStatus.NOT_REGISTERED,
            actor=actor,
            reason=reason,
            public_note=_indonesian(NOT_REGISTERED_NOTE, reason=reason.strip()),
        )
    return case


MORE_INFO_SUBJECT = _("Additional information needed for laporan %(code)s")
MORE_INFO_BODY = _(
    "Dear pelapor,\n\nTo handle your laporan %(code)s we need additional information from you "
    "(%(basis)s):\n\n%(what)s\n\nPlease bring or send it to the "
    "office as soon as possible; the time for the decision has been extended to %(due)s.\n\n%(office)s"
)


@dataclass(frozen=True)
class MoreInformation:
    case: Case
    emailed: bool  # False: the pelapor gave no e-mail address; staff tell them by phone or letter
    # The decision deadline had already passed when the extension was asked (it stays on record as
    # late: the extension is for information needed within the deadline, Pasal 134(6)/454(8)).
    overdue_since: dt.date | None = None


def request_more_information(*, case: Case, what: str, actor: Any) -> MoreInformation:
    """More information is needed: the decision clock gets its extension (Pasal 134(6): +2
    calendar days for Pilkada, asked of the pelapor; Pasal 454(8) for Pemilu, a temuan's too).
    Once per case. What is needed stays on the case; a laporan's pelapor is e-mailed it, and the
    tracking page says that something was asked, never what."""
    if not what.strip():
        raise _fail(REASON_REQUIRED, "reason")
    fields = ["decision_extended", "decision_due", "more_info_request", "more_info_requested_at"]
    with transaction.atomic():
        case = _lock(case)
        _require(case, "more_info")
        before = snapshot(case, fields)
        overdue_since = case.decision_due if case.decision_due and case.decision_due < today_local() else None
        case.decision_extended = True
        case.more_info_request = what.strip()
        case.more_info_requested_at = timezone.now()
        case.more_info_requested_by = _actor(actor)
        case_compute_deadlines(case)
        case.save(update_fields=[*fields, "more_info_requested_by"])
        audit_record(
            action="case.more_information_requested",
            obj=case,
            actor=_actor(actor),
            before=before,
            after=snapshot(case, fields),
        )
        if case.kind != CaseKind.LAPORAN:  # a temuan: the supervisors gather it, nobody is written to
            return MoreInformation(case=case, emailed=False, overdue_since=overdue_since)
        emailed = pelapor_message_on_commit(
            case=case,
            subject=_indonesian(MORE_INFO_SUBJECT, code=case.tracking_code),
            body=_indonesian(
                MORE_INFO_BODY,
                code=case.tracking_code,
                what=what.strip(),
                # The article of the case's own election type: Pasal 134(6) or Pasal 454(8).
                basis=rule_get(case.election_type, "decision" + EXTENSION_SUFFIX).legal_basis,
                due=tanggal(case.decision_due),
                office=office_signature(case),
            ),
        )
    return MoreInformation(case=case, emailed=emailed, overdue_since=overdue_since)


# --- clarification, study, decision ------------------------------------------------------------

CLARIFICATION_NOTE = _("The supervisors are holding clarification meetings about your laporan.")
CLARIFICATION_REASON = _("Clarification scheduled.")
LETTER_KINDS = {
    "UND": "undangan klarifikasi",
    "TL": "penerusan (tindak lanjut) pelanggaran",
}


def letter_number(kind: str, case: Case, when: dt.datetime | None = None) -> str:
    """The office's next letter number of ``kind`` (``UND``, ``TL``) for the year, in the same
    shape as registration numbers: ``004/UND/PL/Kab/35.07/XI/2026``.

    The secretariat's own classification codes for letters are not confirmed (DOMAIN.md A.2), so
    the shape follows the registration number; change it here if the office uses another.
    """
    if kind not in LETTER_KINDS:
        raise ValueError(f"unknown letter kind {kind!r}")
    moment = local(when or timezone.now())
    office = office_code(case)
    number = counter_next(f"letter:{kind}:{office}", moment.year)
    return f"{number:03d}/{kind}/PL/Kab/{office}/{ROMAN_MONTHS[moment.month - 1]}/{moment.year}"


# An invitation e-mailed goes out no later than this before its meeting: read in the last hours it
# leaves the pelapor no time to come, yet, sent, the office would believe them told. One typed in
# that late is not e-mailed, and one the mail server takes only then is given up (``send_until``):
# the case page warns that it never reached them, and the officer calls instead.
INVITATION_MAIL_LEAD = dt.timedelta(hours=2)


@dataclass(frozen=True)
class InvitationSent:
    clarification: Clarification
    # The invited pelapor was e-mailed the invitation. False: a terlapor, saksi or ahli (Awas has
    # no address for them), a pelapor without one, or a meeting already past or too near
    # (``INVITATION_MAIL_LEAD``): the letter reaches them on paper only, and staff deliver it.
    emailed: bool


def clarification_schedule(
    *,
    case: Case,
    invitee_name: str,
    invitee_role: str,
    scheduled_at: dt.datetime,
    place: str,
    actor: Any,
    letter_date: dt.date | None = None,
) -> Clarification:
    """``clarification_invite``, for a caller that needs only the invitation."""
    return clarification_invite(
        case=case,
        invitee_name=invitee_name,
        invitee_role=invitee_role,
        scheduled_at=scheduled_at,
        place=place,
        actor=actor,
        letter_date=letter_date,
    ).clarification


def clarification_invite(
    *,
    case: Case,
    invitee_name: str,
    invitee_role: str,
    scheduled_at: dt.datetime,
    place: str,
    actor: Any,
    letter_date: dt.date | None = None,
) -> InvitationSent:
    """Invite someone to a clarification; the invitation gets its letter number now. Its date is
    today's, or the date of a letter sent before it was typed in (a clarification held on paper).
    An invited pelapor with an e-mail address is sent its number, day, hour and place
    (``notify.invitation_message``; a merged laporan's pelapor under their own code, as
    ``clarification_cancel`` tells them), not later than ``INVITATION_MAIL_LEAD`` before the
    meeting; the signed letter still goes on paper. The audit entry says whether they were
    e-mailed. There is no changing an invitation:
    a new day is a withdrawal (``clarification_cancel``, which tells the pelapor) and a new
    invitation (this, which tells them the new day)."""
    invited_on = letter_date or today_local()
    if invited_on > today_local():
        raise _fail(FUTURE_DATE, "future")
    _not_before(local(scheduled_at).date(), _("The clarification"), invited_on, _("the invitation's date"))
    with transaction.atomic():
        case = _lock(case)
        _require(case, "clarification")
        _not_before(
            invited_on,
            _("The invitation's date"),
            local(case.received_at).date(),
            _("the date it was received"),
        )
        _not_before_receipt(scheduled_at, _("The clarification"), case)
        clarification = Clarification.objects.create(
            case=case,
            invitee_name=invitee_name.strip(),
            invitee_role=invitee_role,
            scheduled_at=scheduled_at,
            place=place.strip(),
            # Numbered in the month and year of its date (a letter of 28 November typed in
            # December is a November letter).
            letter_number=letter_number(
                "UND", case, when=dt.datetime.combine(invited_on, dt.time(12), tzinfo=office_timezone())
            ),
            letter_date=invited_on,
            created_by=_actor(actor),
        )
        invited = invited_pelapor_case(case, clarification)
        emailed = False
        # The first invitation moves the case to klarifikasi: the invited pelapor reads the new
        # status in their invitation, one e-mail, not a status notice beside it at the same moment.
        to_clarification = case.status == CaseStatus.REGISTERED
        # Typed in after it was held (on paper), an e-mail would invite them to a day gone; typed
        # in within INVITATION_MAIL_LEAD of it, to a meeting they could no longer reach.
        mail_until = scheduled_at - INVITATION_MAIL_LEAD
        if invited is not None and mail_until > timezone.now():
            subject, body = invitation_message(
                invited,
                clarification,
                status_now=CaseStatus.CLARIFICATION if to_clarification else "",
                merged=invited.pk != case.pk,
            )
            emailed = pelapor_message_on_commit(
                case=invited, subject=subject, body=body, send_until=mail_until
            )
        audit_record(
            action="case.clarification_scheduled",
            obj=case,
            actor=_actor(actor),
            # Whether Awas told the invitee, not their address (it is the pelapor's, on their case).
            after={**snapshot(clarification), "invitee_emailed": emailed},
        )
        if to_clarification:
            _set_status(
                case,
                CaseStatus.CLARIFICATION,
                actor=actor,
                reason=_indonesian(CLARIFICATION_REASON),
                public_note=_indonesian(CLARIFICATION_NOTE),
                told=[invited.pk] if emailed and invited is not None else [],
            )
    return InvitationSent(clarification=clarification, emailed=emailed)


def clarification_record(
    *,
    clarification: Clarification,
    statement: str,
    held_at: dt.datetime,
    attachments: Sequence[Upload] = (),
    attachment_description: str = "",
    actor: Any,
) -> Clarification:
    """The berita acara klarifikasi: the statements, when it was held, and attached files
    (stored in the evidence store with their SHA-256 and tied to this clarification)."""
    if not statement.strip():
        raise _fail(REASON_REQUIRED, "statement")
    if held_at > timezone.now() + dt.timedelta(minutes=5):
        raise _fail(FUTURE_TIME, "future")
    with transaction.atomic():
        case = _lock(clarification.case)
        _require(case, "clarification")
        clarification.refresh_from_db()
        if clarification.held_at is not None:
            # A berita acara is signed when it is made: it is not rewritten afterwards. What comes
            # later is a new clarification (a new invitation) or a supplement to the case.
            raise _fail(
                ALREADY_RECORDED,
                "recorded",
                number=clarification.letter_number,
                held=tanggal(local(clarification.held_at).date()),
            )
        # Held on the day it was invited for, or later: held earlier, the invitation on file says
        # another day than the berita acara (a new invitation is made instead).
        _not_before(
            local(held_at).date(),
            _("The clarification"),
            local(clarification.scheduled_at).date(),
            _("the day it was invited for"),
        )
        _not_before_receipt(held_at, _("The clarification"), case)
        before = snapshot(clarification, ["statement", "held_at", "recorded_by"])
        clarification.statement = statement
        clarification.held_at = held_at
        clarification.recorded_by = _actor(actor)
        clarification.save(update_fields=["statement", "held_at", "recorded_by"])
        items = _attach_evidence(
            case, attachments, actor=actor, description=attachment_description, clarification=clarification
        )
        audit_record(
            action="case.clarification_recorded",
            obj=case,
            actor=_actor(actor),
            before=before,
            after={
                **snapshot(clarification, ["statement", "held_at", "recorded_by"]),
                "clarification": clarification.pk,
                "attachments": [i.evidence.sha256 for i in items],
            },
        )
        if case.status == CaseStatus.REGISTERED:
            _set_status(
                case,
                CaseStatus.CLARIFICATION,
                actor=actor,
                reason=_indonesian(_("Clarification held.")),
                public_note=_indonesian(CLARIFICATION_NOTE),
            )
    return clarification


INVITATION_HELD = _(
    "The berita acara of invitation %(number)s is recorded: the clarification was held, and its "
    "invitation is not withdrawn."
)


@dataclass(frozen=True)
class InvitationWithdrawn:
    case: Case
    invitee_role: str
    # The invited pelapor was e-mailed that it is withdrawn. False: nobody was (a terlapor, saksi
    # or ahli has no address in Awas; a pelapor without one): staff tell them by letter or phone.
    emailed: bool
    # Its day was gone when it was withdrawn: nobody is to be told not to come.
    meeting_past: bool = False


def clarification_cancel(*, clarification: Clarification, reason: str, actor: Any) -> InvitationWithdrawn:
    """Take back an invitation recorded in error (the wrong day or hour, the wrong person), before
    its berita acara. Without it the mistaken invitation had to get a berita acara of a meeting
    that was never to be held before the plenary could decide, or be ticked as "decided without
    hearing them". The letter number stays used (void; the audit log keeps the invitation and the
    reason); the case's status stays: the pelapor was told clarifications are being held, and
    the right invitation follows. An invited pelapor with an e-mail address is told it is
    withdrawn and that they need not come (``notify.invitation_withdrawn_message``); the audit
    entry says whether they were, and the case page tells staff to tell anyone else themselves."""
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        case = _lock(clarification.case)
        _require(case, "clarification")
        clarification.refresh_from_db()
        if clarification.held_at is not None:
            raise _fail(INVITATION_HELD, "held", number=clarification.letter_number)
        before = snapshot(clarification)
        invited = invited_pelapor_case(case, clarification)
        emailed = False
        # An invitation e-mail still waiting for the mail server is dropped: sent after this, it
        # would call the pelapor to a meeting not held. The withdrawal still goes (below): the
        # signed letter may have reached them on paper.
        mail_taken_back = invitation_mail_take_back(invited, clarification) if invited else 0
        # Only before the meeting (up to its hour: "you need not come" still spares a trip, where
        # an invitation that late could not bring them, ``INVITATION_MAIL_LEAD``): "you need
        # not come" of a day gone (an invitation typed in after a meeting held on paper, withdrawn
        # as recorded in error) would tell the pelapor a meeting they may have attended was void;
        # and one the mail server takes only after the hour is news too late.
        if invited is not None and clarification.scheduled_at > timezone.now():
            subject, body = invitation_withdrawn_message(invited, clarification)
            emailed = pelapor_message_on_commit(
                case=invited, subject=subject, body=body, send_until=clarification.scheduled_at
            )
        clarification.delete()
        audit_record(
            action="case.clarification_cancelled",
            obj=case,
            actor=_actor(actor),
            before=before,
            # The reason in words, as a correction's: the case page lists the invitations withdrawn
            # from these entries (``selectors.case_logged_changes``), the invitation row being gone,
            # and whether Awas told the invitee.
            after={
                "reason": reason.strip(),
                "invitee_emailed": emailed,
                "invitation_mail_taken_back": mail_taken_back,
            },
        )
    return InvitationWithdrawn(
        case=case,
        invitee_role=clarification.invitee_role,
        emailed=emailed,
        meeting_past=clarification.scheduled_at <= timezone.now(),
    )


STUDY_NOTE = _("The supervisors are studying (kajian) your laporan.")


def study_save(
    *, case: Case, facts: str, analysis: str, conclusion: str, article_violated: str = "", actor: Any
) -> Study:
    """Write or revise the kajian; the case moves to "kajian" the first time."""
    with transaction.atomic():
        case = _lock(case)
        _require(case, "study")
        study = Study.objects.filter(case=case).first()
        before = snapshot(study) if study else None
        study = study or Study(case=case)
        study.facts, study.analysis, study.conclusion = facts, analysis, conclusion
        study.article_violated = article_violated
        study.author = _actor(actor)
        study.save()
        audit_record(
            action="case.study_saved", obj=case, actor=_actor(actor), before=before, after=snapshot(study)
        )
        if case.status != CaseStatus.STUDY:
            _set_status(
                case,
                CaseStatus.STUDY,
                actor=actor,
                reason=_indonesian(_("Kajian written.")),
                public_note=_indonesian(STUDY_NOTE),
            )
    return study


DECIDED_NOTE = _("The plenary of %(date)s decided: %(outcome)s. It will be forwarded to the competent body.")
CLARIFICATION_NOT_RECORDED = _(
    "The clarification with %(invitee)s (invitation %(number)s, %(date)s) has no berita acara yet. Record "
    "it first; if the invitee did not come, the berita acara says so."
)
CLARIFICATION_PENDING = _(
    "%(invitee)s is invited to a clarification on %(date)s (invitation %(number)s), after this "
    "plenary: the decision would be taken without hearing them. If the plenary decided so (e.g. as "
    "the deadline fell), tick “Decided without the invited clarification”."
)
CLOSED_NOTE = _("The plenary of %(date)s decided: %(outcome)s. Handling of the laporan is finished.")
DECISION_REASON_NOTE = _("Reason: %(reason)s")


def decision_record(
    *,
    case: Case,
    outcome: str,
    reasons: str,
    plenary_date: dt.date,
    actor: Any,
    public_reason: str = "",
    without_pending: bool = False,
) -> Decision:
    """The plenary's decision. "Bukan pelanggaran" and "dihentikan" close the case; a violation
    waits for its referral. ``public_reason``: what the pelapor reads of the reasons (the reasons
    themselves name the saksi and the terlapor). A clarification set for after the plenary is
    not held; the decision is taken without it only when ``without_pending`` says so."""
    if outcome not in DecisionOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if not reasons.strip():
        raise _fail(REASON_REQUIRED, "reasons")
    with transaction.atomic():
        case = _lock(case)
        _require(case, "decide")
        _plenary_date_check(case, plenary_date)
        unheard = case.clarifications.filter(
            held_at__isnull=True, scheduled_at__gte=office_day_end(plenary_date)
        )
        pending = list(unheard.order_by("scheduled_at"))
        if pending and not without_pending:
            raise _fail(
                CLARIFICATION_PENDING,
                "clarification_pending",
                invitee=pending[0].invitee_name,
                number=pending[0].letter_number,
                date=tanggal(local(pending[0].scheduled_at).date()),
            )
        decision = Decision.objects.create(
            case=case, outcome=outcome, reasons=reasons, plenary_date=plenary_date, decided_by=_actor(actor)
        )
        audit_record(
            action="case.decided",
            obj=case,
            actor=_actor(actor),
            after={**snapshot(decision), "without_invited": [c.letter_number for c in pending]},
        )
        _set_status(
            case,
            CaseStatus.CLOSED if outcome in CLOSING_OUTCOMES else CaseStatus.DECIDED,
            actor=actor,
            reason=reasons,
            public_note=_decision_note(
                outcome, plenary_date, public_reason, election_type=case.election_type
            ),
        )
    return decision


def _plenary_date_check(case: Case, plenary_date: dt.date, *, correcting: bool = False) -> None:
    # Not the registration's date: that is when it was entered here, which may be after the fact.
    _not_before(plenary_date, _("The plenary"), local(case.received_at).date(), _("the receipt"))
    _not_before(plenary_date, _("The plenary"), case.established_on, _("the temuan's establishing"))
    # The plenary weighs the clarifications: each one set for its day or before is on record
    # first (one set for a later day does not take place), and none was held after it. A
    # correction does not ask again: a clarification cannot be recorded once the case is decided.
    unrecorded = case.clarifications.filter(
        held_at__isnull=True, scheduled_at__lt=office_day_end(plenary_date)
    )
    if not correcting and (missing := unrecorded.order_by("scheduled_at").first()) is not None:
        raise _fail(
            CLARIFICATION_NOT_RECORDED,
            "clarification_unrecorded",
            invitee=missing.invitee_name,
            number=missing.letter_number,
            date=tanggal(local(missing.scheduled_at).date()),
        )
    last_held = case.clarifications.filter(held_at__isnull=False).order_by("-held_at").first()
    if last_held is not None and last_held.held_at is not None:
        _not_before(plenary_date, _("The plenary"), local(last_held.held_at).date(), _("the clarification"))


def _decision_note(
    outcome: str, plenary_date: dt.date, public_reason: str, *, election_type: str, corrected: bool = False
) -> str:
    """What the pelapor reads of the decision: the plenary, the outcome in its election law's words
    ("tindak pidana Pemilu" under UU 7/2017), what follows, and the reason typed for them (never
    the internal reasons)."""
    with translation.override(settings.LANGUAGE_CODE):
        outcome_words = outcome_label(outcome, election_type)
    note = _indonesian(
        CLOSED_NOTE if outcome in CLOSING_OUTCOMES else DECIDED_NOTE,
        date=tanggal(plenary_date),
        outcome=outcome_words,
    )
    if public_reason.strip():
        note = f"{note} {_indonesian(DECISION_REASON_NOTE, reason=public_reason.strip())}"
    if corrected:
        note = f"{_indonesian(DECISION_CORRECTED_NOTE)} {note}"
    return _note_sized(note)


# Worded as an official notice reads: it replaces the earlier one (not "our record was edited").
DECISION_CORRECTED_NOTE = _("This notice replaces the earlier notice of the plenary's decision.")


def decision_correct(
    *,
    case: Case,
    outcome: str,
    reasons: str,
    plenary_date: dt.date,
    correction: str,
    actor: Any,
    public_reason: str = "",
) -> Decision:
    """Correct the decision as it was typed in (the outcome, the reasons, the plenary's date), with
    the reason for the correction. Refused once a referral letter went out on it. The case moves
    to what the corrected outcome means (closed, or waiting for its referral); the history gets a
    row and the pelapor is told, because the tracking page showed the old outcome."""
    if outcome not in DecisionOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if not reasons.strip() or not correction.strip():
        raise _fail(REASON_REQUIRED, "reasons")
    with transaction.atomic():
        case = _lock(case)
        _require(case, "correct_decision")
        _plenary_date_check(case, plenary_date, correcting=True)
        decision = Decision.objects.select_for_update().get(case=case)
        before = snapshot(decision)
        decision.outcome, decision.reasons, decision.plenary_date = outcome, reasons, plenary_date
        decision.decided_by = _actor(actor)
        decision.save(update_fields=["outcome", "reasons", "plenary_date", "decided_by"])
        audit_record(
            action="case.decision_corrected",
            obj=case,
            actor=_actor(actor),
            before=before,
            after={**snapshot(decision), "correction": text_digest(correction.strip())},
        )
        _set_status(
            case,
            CaseStatus.CLOSED if outcome in CLOSING_OUTCOMES else CaseStatus.DECIDED,
            actor=actor,
            reason=_indonesian(_("Decision corrected: %(reason)s"), reason=correction.strip()),
            public_note=_decision_note(
                outcome, plenary_date, public_reason, election_type=case.election_type, corrected=True
            ),
        )
    return decision


# --- referral and follow-up --------------------------------------------------------------------

REFERRED_NOTE = _("Forwarded to %(body)s on %(date)s for follow-up.")
ANSWERED_NOTE = _("%(body)s has answered the forwarded case. Handling of the laporan is finished.")


# Sent by ``referral_create`` inside its transaction, once the referral is saved; keyword
# arguments ``referral`` and ``actor``. cases imports no app above it (ARCHITECTURE.md): an app
# that follows referrals up (asn: the sanction follow-up of an ASN referred to BKN) connects in
# its AppConfig.ready and writes in the same transaction, so both stand or fall together.
case_referred = Signal()


def answer_expected_on(body: ReferralBody, sent_on: dt.date) -> dt.date:
    """The day a body's answer is expected: its answer time after the letter's date, in its days
    (hari kerja skip weekends and the office's holidays)."""
    return add_days(sent_on, body.follow_up_days, body.follow_up_day_type, holiday_dates(sent_on))


def referral_create(
    *, case: Case, body: ReferralBody, sent_on: dt.date | None = None, actor: Any
) -> Referral:
    """Forward a decided violation to ``body``: letter number, expected answer date
    (``answer_expected_on``), status "diteruskan"."""
    sent_on = sent_on or today_local()
    with transaction.atomic():
        case = _lock(case)
        _require(case, "refer")
        plenary = Decision.objects.filter(case=case).values_list("plenary_date", flat=True).first()
        _not_before(sent_on, _("The referral"), plenary, _("the plenary"))
        if not body.active:
            raise _fail(INACTIVE_BODY, "inactive", body=body.name)
        if case.referrals.filter(body=body, responded_on__isnull=True).exists():
            raise _fail(OPEN_REFERRAL_EXISTS, "duplicate", body=body.name)
        referral = Referral.objects.create(
            case=case,
            body=body,
            # Numbered in the month and year of its date, like the invitation.
            letter_number=letter_number(
                "TL", case, when=dt.datetime.combine(sent_on, dt.time(12), tzinfo=office_timezone())
            ),
            sent_on=sent_on,
            follow_up_due=(asked := answer_expected_on(body, sent_on)),
            letter_answer_due=asked,
            follow_up_day_type=body.follow_up_day_type,
            created_by=_actor(actor),
        )
        audit_record(action="case.referred", obj=case, actor=_actor(actor), after=snapshot(referral))
        case_referred.send(sender=Referral, referral=referral, actor=_actor(actor))
        if case.status != CaseStatus.REFERRED:
            _set_status(
                case,
                CaseStatus.REFERRED,
                actor=actor,
                reason=_indonesian(_("Referral letter %(number)s."), number=referral.letter_number),
                public_note=_indonesian(REFERRED_NOTE, body=body.name, date=tanggal(sent_on)),
            )
    return referral


def _awaited(referral: Referral) -> Case:
    """Lock ``referral``'s case and the referral itself (read again) for a step on an answer still
    awaited; refused once the body has answered. Returns the locked case."""
    case = _lock(referral.case)
    _require(case, "respond")
    referral.refresh_from_db(from_queryset=Referral.objects.select_for_update())
    if referral.responded_on is not None:
        raise _fail(ALREADY_ANSWERED, "answered")
    return case


def referral_record_response(
    *, referral: Referral, response: str, sanction: str = "", responded_on: dt.date, actor: Any
) -> Referral:
    """The body's answer and any sanction; the case closes when every referral is answered."""
    if not response.strip():
        raise _fail(REASON_REQUIRED, "response")
    with transaction.atomic():
        case = _awaited(referral)
        _not_before(responded_on, _("The answer"), referral.sent_on, _("the referral"))
        referral.response, referral.sanction, referral.responded_on = response, sanction, responded_on
        referral.save(update_fields=["response", "sanction", "responded_on"])
        audit_record(
            action="case.referral_answered",
            obj=case,
            actor=_actor(actor),
            after={"referral": referral.pk, **snapshot(referral, ["response", "sanction", "responded_on"])},
        )
        if not case.referrals.filter(responded_on__isnull=True).exists():
            _set_status(
                case,
                CaseStatus.CLOSED,
                actor=actor,
                reason=_indonesian(_("Every referral has been answered.")),
                public_note=_indonesian(ANSWERED_NOTE, body=referral.body.name),
            )
    return referral


EXPECTED_AFTER_REPORT = _("The answer can only be expected after the day the progress was reported.")


def referral_record_progress(
    *,
    referral: Referral,
    note: str,
    reported_on: dt.date,
    answer_expected_by: dt.date | None = None,
    actor: Any,
) -> ReferralProgress:
    """A step the body reported before its answer. A new expected date moves the follow-up:
    the overdue list and the day-before reminder follow it (the old reminder is settled)."""
    if not note.strip():
        raise _fail(REASON_REQUIRED, "note")
    with transaction.atomic():
        case = _awaited(referral)
        _not_before(reported_on, _("The progress"), referral.sent_on, _("the referral"))
        if answer_expected_by is not None and answer_expected_by <= reported_on:
            raise _fail(EXPECTED_AFTER_REPORT, "expected_date")
        progress = ReferralProgress.objects.create(
            referral=referral,
            reported_on=reported_on,
            note=note,
            answer_expected_by=answer_expected_by,
            created_by=_actor(actor),
        )
        before = {"follow_up_due": referral.follow_up_due.isoformat()}
        if answer_expected_by is not None:
            referral.follow_up_due = answer_expected_by
            referral.save(update_fields=["follow_up_due"])
        audit_record(
            action="case.referral_progress",
            obj=case,
            actor=_actor(actor),
            before=before,
            after={
                "referral": referral.pk,
                "follow_up_due": referral.follow_up_due.isoformat(),
                **snapshot(progress, ["reported_on", "note", "answer_expected_by"]),
            },
        )
    return progress


REFERRAL_CANCELLED_NOTE = _(
    "The forwarding to %(body)s of %(date)s was recorded in error and has been withdrawn."
)
REFERRAL_CANCELLED_AGAIN = _("The case will be forwarded to the competent body.")
REFERRAL_CANCELLED_CLOSED = _("Handling of the laporan is finished.")
REFERRAL_IN_HAND = _(
    "%(body)s has reported progress on letter %(number)s: it has the case, so the referral cannot be "
    "withdrawn. Record its answer instead (e.g. that another body is competent)."
)

# Sent by ``referral_cancel`` inside its transaction, before the referral is deleted; keyword
# arguments ``referral`` and ``actor``: an app that followed the referral up (asn) takes back
# what it filled in from it, in the same transaction.
referral_cancelled = Signal()


def referral_cancel(*, referral: Referral, reason: str, actor: Any) -> Case:
    """Take back a referral recorded in error (the wrong body chosen, the wrong date typed), while
    its answer is awaited and the body has reported nothing on it. Without it the mistaken
    referral stayed awaited for good: on the overdue list, keeping the case open, and an answer
    had to be made up to close it. The letter number stays used (void; the audit log keeps the
    referral and the reason). The case goes back to what its other referrals leave: waiting for
    a referral, for an answer, or closed when each of them is answered; the pelapor, told of the
    forwarding, is told it was withdrawn."""
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        case = _awaited(referral)
        if referral.progress.exists():
            raise _fail(REFERRAL_IN_HAND, "in_hand", body=referral.body.name, number=referral.letter_number)
        before = snapshot(referral)
        body_name, sent_on, number = referral.body.name, referral.sent_on, referral.letter_number
        referral_cancelled.send(sender=Referral, referral=referral, actor=_actor(actor))
        referral.delete()
        audit_record(
            action="case.referral_cancelled",
            obj=case,
            actor=_actor(actor),
            before=before,
            after={"reason": text_digest(reason.strip())},
        )
        answered = [on is not None for on in case.referrals.values_list("responded_on", flat=True)]
        note = _indonesian(REFERRAL_CANCELLED_NOTE, body=body_name, date=tanggal(sent_on))
        if not answered:
            to_status, note = CaseStatus.DECIDED, f"{note} {_indonesian(REFERRAL_CANCELLED_AGAIN)}"
        elif all(answered):
            to_status, note = CaseStatus.CLOSED, f"{note} {_indonesian(REFERRAL_CANCELLED_CLOSED)}"
        else:
            to_status = CaseStatus.REFERRED
        _set_status(
            case,
            to_status,
            actor=actor,
            reason=_indonesian(
                _("Referral letter %(number)s withdrawn: %(reason)s"), number=number, reason=reason.strip()
            ),
            public_note=_note_sized(note),
        )
    return case


# --- related cases -----------------------------------------------------------------------------

MERGED_NOTE = _("Your laporan is about the same event as %(other)s and is handled together with it.")
MERGED_TIP_NOTE = _(
    "Your informasi awal is about the same event as %(other)s and is handled together with it."
)
ANOTHER_CASE = _("another laporan already being handled")
TARGET_NOT_OPEN = _(
    "%(case)s can no longer take in another case (status “%(status)s”): a case can only be merged "
    "into one still being handled, before the decision. Link them as related instead."
)
TARGET_NOT_REGISTERED = _(
    "%(case)s is not registered yet: it may still end “not registered”, and %(other)s with it. "
    "Register %(case)s first, or link them as related."
)
OUT_OF_SCOPE = _("Only cases within your own area can be linked or merged.")
OTHER_ELECTION = _(
    "%(case)s is a %(kind)s case and %(other)s a %(other_kind)s one: they run under different laws and "
    "deadlines and cannot be merged. Link them as related instead."
)
NOT_MERGED = _("This case is not merged into another.")
NOT_UNLINKABLE = _("Only a link as related can be removed; a merge is undone from the merged case.")
UNMERGED_NOTE = _("Your laporan is handled on its own again, no longer together with another laporan.")
UNMERGED_TIP_NOTE = _("Your informasi awal is considered on its own again, no longer with another laporan.")
UNMERGE_TOO_LATE = _(
    "The merge can no longer be undone: the joint case %(case)s is past the decision (status “%(status)s”), "
    "and the pelapor has been told of it. If this case was about another event, the office can take it up "
    "as its own finding (temuan)."
)

# The statuses in which a case can be merged, on either side: still being handled, before the
# plenary's decision. A case merged into a decided, closed, not registered or archived one would
# be handled by nobody, while its pelapor is told it is "handled together" with that case.
MERGEABLE_STATUSES = BEFORE_REGISTRATION | BEFORE_DECISION


def _within_scope(actor: Any, *cases: Case) -> None:
    """A user may link or merge only cases inside their region scope (the views already answer
    404 for any other case; this keeps the service safe for any other caller)."""
    if _actor(actor) is None or not getattr(actor, "is_authenticated", False):
        return
    pks = {case.pk for case in cases}
    if Case.objects.visible_to(actor).filter(pk__in=pks).count() != len(pks):
        raise _fail(OUT_OF_SCOPE, "scope")


def merge_plan(case: Case, other: Case) -> tuple[Case, Case]:
    """``(kept, merged)``: which of two cases goes on and which is merged into it.

    An informasi awal never takes in a laporan or temuan (those carry the statutory handling and,
    for a laporan, a pelapor who is told the outcome): the tip is merged into the other, whatever
    the dates. A case past its registration is never merged into one still before it, whatever the
    dates: a duplicate filed first but still incomplete (its pelapor never signed) joins the one
    registered and handled, rather than the handled one waiting on a registration that may never
    come. Otherwise the newer is merged into the older (by receipt, then by number).
    """
    tips = [c for c in (case, other) if c.kind == CaseKind.INFORMASI_AWAL]
    if len(tips) == 1:
        merged = tips[0]
        return (other if merged is case else case), merged
    unregistered = [c for c in (case, other) if c.status in BEFORE_REGISTRATION]
    if len(unregistered) == 1:
        merged = unregistered[0]
        return (other if merged is case else case), merged
    older, newer = sorted((case, other), key=lambda c: (c.received_at, c.pk))
    return older, newer


def merge_problem(case: Case, other: Case) -> WorkflowError | None:
    """Why the two cases cannot be merged now (``None``: they can). Read by the pages to offer
    the merge only where it is possible; ``case_merge`` asks again under the row locks."""
    if case.pk == other.pk:
        return _fail(SAME_CASE, "same")
    kept, merged = merge_plan(case, other)
    if CaseStatus.MERGED in {kept.status, merged.status}:
        return _fail(MERGED_CASE, "merged")
    if merged.status not in MERGEABLE_STATUSES:
        return _fail(CANNOT_MERGE, "not_open")
    if kept.status not in MERGEABLE_STATUSES:
        return _fail(
            TARGET_NOT_OPEN, "target_not_open", case=str(kept), status=str(CaseStatus(kept.status).label)
        )
    if merged.kind != CaseKind.INFORMASI_AWAL and merged.election_type != kept.election_type:
        # A Pemilu laporan and a Pilkada one run under different laws and clocks (UU 7/2017 Pasal
        # 454, UU 10/2016 Pasal 134): one cannot be handled as part of the other. (A tip has no
        # clock: it joins whatever case takes it up.)
        return _fail(
            OTHER_ELECTION,
            "election_type",
            case=str(merged),
            kind=str(ElectionType(merged.election_type).label),
            other=str(kept),
            other_kind=str(ElectionType(kept.election_type).label),
        )
    if kept.status in BEFORE_REGISTRATION:
        # The merged case would wait on one that may still end "tidak diregistrasi" (filed late,
        # never completed), and nobody would handle it then: a laporan or temuan, or a tip whose
        # lead could no longer be taken up. Linked, both stay open.
        return _fail(TARGET_NOT_REGISTERED, "target_not_registered", case=str(kept), other=str(merged))
    return None


def case_link(*, case: Case, other: Case, actor: Any) -> CaseLink:
    """Mark two cases as related (both stay open)."""
    if case.pk == other.pk:
        raise _fail(SAME_CASE, "same")
    with transaction.atomic():
        first, second = sorted((case, other), key=lambda c: c.pk)  # the order case_merge locks in
        _lock(first)
        _lock(second)
        _within_scope(actor, case, other)
        if CaseStatus.MERGED in {case.status, other.status}:
            raise _fail(MERGED_CASE, "merged")
        if CaseLink.objects.filter(from_case__in=[case, other], to_case__in=[case, other]).exists():
            raise _fail(ALREADY_LINKED, "linked")
        link = CaseLink.objects.create(
            from_case=case, to_case=other, kind=CaseLink.Kind.RELATED, created_by=_actor(actor)
        )
        for one, two in ((case, other), (other, case)):
            audit_record(action="case.linked", obj=one, actor=_actor(actor), after={"related": two.pk})
    return link


def case_merge(*, case: Case, other: Case, reason: str, actor: Any) -> Case:
    """Merge one of two cases about the same event into the other (``merge_plan``: a tip into a
    laporan or temuan, one not registered yet into a registered one, else the newer into the
    older): the merged one gets status "digabung" and
    ``merged_into``; its evidence, pelapor and history stay where they are. Both must be within
    the actor's scope and still being handled before the decision (``merge_problem``).
    Returns the case that goes on."""
    if case.pk == other.pk:
        raise _fail(SAME_CASE, "same")
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        # Lock in a fixed order (two staff merging the same pair the other way round do not wait
        # on each other for ever), then decide on the locked, current rows.
        first, second = sorted((case, other), key=lambda c: c.pk)
        _lock(first)
        _lock(second)
        _within_scope(actor, case, other)
        if (problem := merge_problem(case, other)) is not None:
            raise problem
        kept, merged = merge_plan(case, other)
        merged.merged_into = kept
        merged.save(update_fields=["merged_into"])
        # The laporan merged into this one earlier go on with it (``_merges_follow``). Before its
        # status step: their pelapor are not told that "the joint case" is now "digabung" (it goes
        # on, as the case it joined); they hear of that case's next step, under their own code.
        _merges_follow(merged, into=kept, reason=reason, actor=actor)
        CaseLink.objects.get_or_create(
            from_case=merged,
            to_case=kept,
            kind=CaseLink.Kind.MERGED,
            # The case that goes on shows it beside the merged one (the history shows it only on
            # the merged case, whose step it is).
            defaults={"created_by": _actor(actor), "reason": reason.strip()},
        )
        audit_record(
            action="case.merged",
            obj=merged,
            actor=_actor(actor),
            after={"into": kept.pk, "reason": text_digest(reason)},
        )
        audit_record(action="case.merge_received", obj=kept, actor=_actor(actor), after={"from": merged.pk})
        # Never the other case's tracking code: it is the other pelapor's key to their case.
        other_label = kept.registration_number or _indonesian(ANOTHER_CASE)
        _set_status(
            merged,
            CaseStatus.MERGED,
            actor=actor,
            reason=reason,
            public_note=_indonesian(
                MERGED_TIP_NOTE if merged.kind == CaseKind.INFORMASI_AWAL else MERGED_NOTE, other=other_label
            ),
        )
    return kept


def _merges_follow(case: Case, *, into: Case, reason: str, actor: Any) -> None:
    """Every case merged into ``case`` (``merged_into``, the case that handles it) now goes on with
    ``into``: ``case`` was merged into ``into``, or came back from it (``case_unmerge``). Called
    under the locks of both.

    ``merged_into`` is never more than one step: the case page of the joint case lists the pelapor,
    the evidence and the undelivered e-mails of every laporan handled with it, and its notices
    reach them, reading only the cases whose ``merged_into`` it is. Each merge keeps its own link
    (``CaseLink``, kind "digabung", with its reason): A merged into B stays linked to B when B is
    merged into C, so undoing B's merge knows which cases came with B, and A's tracking page walks
    the links (B's steps while A was with B, then C's). Each case moved is audited with the step
    that moved it (its status stays "digabung": no history row, nothing to its pelapor)."""
    followers = list(Case.objects.filter(merged_into=case, status=CaseStatus.MERGED).order_by("pk"))
    if not followers:
        return
    Case.objects.filter(pk__in=[c.pk for c in followers]).update(merged_into=into)
    for follower in followers:
        audit_record(
            action="case.merge_followed",
            obj=follower,
            actor=_actor(actor),
            before={"into": case.pk},
            after={"into": into.pk, "with": case.pk, "reason": text_digest(reason)},
        )


def _merged_with(case: Case, handling: Case) -> list[Case]:
    """The cases handled with ``handling`` that came with ``case``: those merged into ``case``, into
    those, and so on, as their links keep each merge (``_merges_follow``)."""
    found: list[Case] = []
    seen = {case.pk, handling.pk}
    frontier = [case.pk]
    while frontier:
        joined = [
            c
            for c in Case.objects.filter(
                links_out__kind=CaseLink.Kind.MERGED,
                links_out__to_case_id__in=frontier,
                merged_into=handling,
                status=CaseStatus.MERGED,
            ).order_by("pk")
            if c.pk not in seen
        ]
        seen.update(c.pk for c in joined)
        found += joined
        frontier = [c.pk for c in joined]
    return found


def case_unlink(*, link: CaseLink, reason: str, actor: Any) -> None:
    """Remove a link as related that was made by mistake (both cases must be within the actor's
    scope), with the reason. A merge is undone by ``case_unmerge``; the link of a temuan to the
    informasi awal it was taken up from records where it came from, and stays."""
    if link.kind != CaseLink.Kind.RELATED:
        raise _fail(NOT_UNLINKABLE, "not_related")
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    with transaction.atomic():
        first, second = sorted((link.from_case, link.to_case), key=lambda c: c.pk)
        _lock(first)
        _lock(second)
        _within_scope(actor, first, second)
        deleted, _rows = CaseLink.objects.filter(pk=link.pk).delete()
        if not deleted:  # removed meanwhile (two clicks)
            return
        for one, two in ((first, second), (second, first)):
            # The reason in words, and when the link was made: each case's page lists the links
            # removed from these entries (``selectors.case_logged_changes``), as corrections are.
            audit_record(
                action="case.unlinked",
                obj=one,
                actor=_actor(actor),
                before={
                    "related": two.pk,
                    "linked_at": link.created_at.isoformat(),
                    "linked_by": str(link.created_by) if link.created_by is not None else "",
                },
                after={"reason": reason.strip()},
            )


def _handling_case(case: Case) -> Case:
    """The case that carries the handling of a merged one: the one it joined, or the one that
    joined in turn (a chain of merges, followed as the tracking page follows it)."""
    current = case
    for _depth in range(MERGE_DEPTH):
        if current.status != CaseStatus.MERGED or current.merged_into_id is None:
            break
        current = Case.objects.only("pk", "status", "merged_into_id", "registration_number").get(
            pk=current.merged_into_id
        )
    return current


def unmerge_problem(case: Case) -> WorkflowError | None:
    """Why the merge of ``case`` cannot be undone now (``None``: it can). Read by the case page to
    explain it instead of offering the step; ``case_unmerge`` asks again under the row locks."""
    if case.status != CaseStatus.MERGED or case.merged_into_id is None:
        return _fail(NOT_MERGED, "not_merged")
    handling = _handling_case(case)
    if handling.status not in MERGEABLE_STATUSES:
        return _fail(
            UNMERGE_TOO_LATE, "decided", case=str(handling), status=str(CaseStatus(handling.status).label)
        )
    return None


def case_unmerge(*, case: Case, reason: str, actor: Any, today: dt.date | None = None) -> Case:
    """Undo a merge made by mistake: ``case`` (merged into another) goes back to the status it had
    before the merge, with its own clocks, and its pelapor is told it is handled on its own again.
    Refused once the joint handling has reached the decision (the pelapor has been told of it).

    Back to "perlu kelengkapan": the completion period starts again today and the pelapor is told
    again what is missing and by when (while merged they were told it was handled with another
    case, so they had no reason to complete it). The history keeps both steps; the due dates that
    change are in the audit entry. Both cases must be within the actor's scope. Returns ``case``.

    The laporan merged into ``case`` before ``case`` was merged in turn (``_merges_follow``) come
    back with it, merged into it again, and their pelapor hear of its status under their own code.
    """
    if not reason.strip():
        raise _fail(REASON_REQUIRED, "reason")
    today = today or today_local()
    # Imported here: that module builds on this one.
    from awas.cases.services.deadlines import STORED_DUE_DATES

    with transaction.atomic():
        kept_pk = Case.objects.filter(pk=case.pk).values_list("merged_into_id", flat=True).first()
        if kept_pk is None:
            raise _fail(NOT_MERGED, "not_merged")
        kept = Case(pk=kept_pk)
        for one in sorted((case, kept), key=lambda c: c.pk):  # the order case_link and case_merge lock in
            _lock(one)
        if case.status != CaseStatus.MERGED or case.merged_into_id != kept.pk:  # changed meanwhile
            raise _fail(NOT_MERGED, "not_merged")
        _within_scope(actor, case, kept)
        if (problem := unmerge_problem(case)) is not None:
            raise problem
        merge = case.history.filter(to_status=CaseStatus.MERGED).order_by("-at", "-pk").first()
        restored = merge.from_status if merge is not None and merge.from_status else CaseStatus.RECEIVED
        due_before = snapshot(case, STORED_DUE_DATES)
        # The cases merged into this one before it was merged in turn come back with it: they were
        # merged for being about the same event as this one, and only through it went on with
        # ``kept``; undoing this merge undoes that too, as it was before. (Left with ``kept``,
        # they would be handled with a case this merge has just said is another matter.) A case
        # merged straight into ``kept`` stays. Their pelapor hear of this case's status below.
        came_with = _merged_with(case, kept)
        # Its own merge link, which may lead to a case itself merged into ``kept`` since.
        joined = CaseLink.objects.filter(from_case=case, kind=CaseLink.Kind.MERGED).first()
        case.merged_into = None
        CaseLink.objects.filter(from_case=case, kind=CaseLink.Kind.MERGED).delete()
        if came_with:
            Case.objects.filter(pk__in=[c.pk for c in came_with]).update(merged_into=case)
            for follower in came_with:
                audit_record(
                    action="case.merge_followed",
                    obj=follower,
                    actor=_actor(actor),
                    before={"into": kept.pk},
                    after={"into": case.pk, "reason": text_digest(reason)},
                )
        note = UNMERGED_TIP_NOTE if case.kind == CaseKind.INFORMASI_AWAL else UNMERGED_NOTE
        public_note = _indonesian(note)
        if restored == CaseStatus.INCOMPLETE:
            case.completion_due = due_date(case.election_type, "completion", today).due_date
            check = RequirementCheck.objects.filter(case=case).first()
            missing = missing_text(check) if check is not None else ""
            again = _indonesian(INCOMPLETE_NOTE, due=tanggal(case.completion_due), missing=missing)
            public_note = _note_sized(f"{public_note} {again}")
        _set_status(case, restored, actor=actor, reason=reason, public_note=public_note)
        # Its clocks run again: due dates as the calendar stands now (a holiday edited while the
        # case was merged did not move them).
        case_compute_deadlines(case)
        case.save(update_fields=["merged_into", *STORED_DUE_DATES])
        due_after = snapshot(case, STORED_DUE_DATES)
        audit_record(
            action="case.unmerged",
            obj=case,
            actor=_actor(actor),
            before={
                "into": kept.pk,
                **({"joined": joined.to_case_id} if joined and joined.to_case_id != kept.pk else {}),
                **due_before,
            },
            after={
                "reason": text_digest(reason),
                "status": restored,
                **({"came_back_with_it": [c.pk for c in came_with]} if came_with else {}),
                **due_after,
            },
        )
        audit_record(action="case.unmerge_released", obj=kept, actor=_actor(actor), before={"from": case.pk})
    return case
