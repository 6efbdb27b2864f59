"""Intake from the public: a laporan or an informasi awal filed on the web, its receipt, its tracking.

The public has no account. A filing is one transaction: the case, the pelapor, the witnesses, the
evidence links, the first status (through ``case_set_status``, which writes the history row the
tracking page shows) and an audit entry. Each rendered form carries a one-time key; a second
submit with the same key, or two racing ones, give back the first case and never a second.

What the public sees again is limited on purpose: the tracking page shows status history only;
the receipt names the pelapor (and says what the report is about) only to the browser that filed
it and to staff who may see the pelapor; anyone else holding the code gets a receipt that names
nobody (the code is printed on staff pages and may be forwarded). Evidence is stored before
the case (``evidence_store``, content-addressed), so a form that is sent back for a correction
keeps the files already received; files whose form is never completed stay unlinked. When the form
is complete at once, the new files' records are stored in the filing's transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awas.cases.formatting import today_local
from awas.cases.models import (
    Case,
    CaseEvidence,
    CaseKind,
    CaseLink,
    CaseStatus,
    Channel,
    Reporter,
    StatusChange,
    Witness,
)
from awas.cases.services.common import (
    BEFORE_DECISION,
    TRACKING_ALPHABET,
    ReporterData,
    WitnessData,
    case_compute_deadlines,
    case_set_status,
    filed_late,
    tracking_code_new,
)
from awas.cases.services.notify import (
    MERGE_DEPTH,
    joint_decision_note,
    laporan_received_note,
    pelapor_message_on_commit,
    status_message,
)
from awas.core.models import EvidenceFile
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Level, Role
from awas.core.services.audit import audit_batch, audit_record
from awas.core.services.deadlines import (
    EXTENSION_SUFFIX,
    Deadline,
    RuleSpec,
    add_days,
    due_date,
    holiday_dates,
    office_election_type,
    office_election_types,
    office_timezone,
    rule_get,
)
from awas.core.services.evidence import evidence_save
from awas.core.services.limits import attempt_count, attempts_made
from awas.regions.models import Region

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
SHA_PREFIX = 16  # hex digits of a SHA-256 shown to the public: enough to match a file, short to read
MAX_EVIDENCE_FILES = 10
RECEIVED_WITH_REPORT = dt.timedelta(seconds=10)  # evidence linked this soon after the case came with it
TRACKING_MISS_LIMIT = 100  # wrong codes per address per window; the code space is 31^8
TRACKING_MISS_WINDOW = dt.timedelta(minutes=15)
TRACKING_MISS = "tracking-miss"  # the purpose counted in AttemptWindow


# --- what the public sends -----------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceItem:
    evidence: EvidenceFile
    name: str  # the file name as the sender's device called it


@dataclass(frozen=True)
class Intake:
    kind: str  # CaseKind.LAPORAN or CaseKind.INFORMASI_AWAL
    idempotency_key: str
    title: str
    region: Region
    chronology: str = ""
    event_place: str = ""
    event_date: dt.date | None = None
    # An informasi awal whose sender does not know the exact day: when, in their words (no date).
    event_time_note: str = ""
    known_date: dt.date | None = None
    terlapor_name: str = ""
    terlapor_address: str = ""
    terlapor_phone: str = ""
    terlapor_position: str = ""
    reporter: ReporterData | None = None
    witnesses: Sequence[WitnessData] = ()
    evidence: Sequence[EvidenceItem] = ()
    late_confirmed: bool = False  # filed after the filing deadline, and the pelapor said "send anyway"
    # The election it is about (ElectionType), as the pelapor chose while the office handles both;
    # empty: the office's only one.
    election_type: str = ""


@dataclass(frozen=True)
class IntakeResult:
    case: Case
    created: bool  # False: the key had been used; this is the case of the first submit


class IntakeError(ValueError):
    """The intake cannot be stored as given (a programming error: forms validate first)."""


# --- the filing deadline -----------------------------------------------------------------------


def office_today() -> dt.date:
    return timezone.localtime(timezone.now(), office_timezone()).date()


def filing_deadline(known_date: dt.date, election_type: str = ElectionType.PILKADA) -> Deadline:
    """A laporan is filed within 7 days of the violation becoming known: calendar days under
    UU 10/2016 Pasal 134 ayat (4), hari kerja under UU 7/2017 Pasal 454 ayat (6)."""
    return due_date(election_type, "report_filing", known_date)


def filing_is_late(
    known_date: dt.date | None, *, today: dt.date | None = None, election_type: str = ElectionType.PILKADA
) -> Deadline | None:
    """The filing deadline if it has passed (today is after its due date), else None."""
    if known_date is None:
        return None
    deadline = filing_deadline(known_date, election_type)
    return deadline if (today or office_today()) > deadline.due_date else None


def filing_in_time_since(today: dt.date, election_type: str) -> dt.date:
    """The earliest day the violation may have become known for a laporan filed ``today`` to be in
    time (``filing_is_late`` is None from this day on). The public form's live warning compares the
    date typed with it: a page script cannot count hari kerja past the office's holidays."""
    rule = rule_get(election_type, "report_filing")
    if rule.day_type != DayType.WORKING:
        return today - dt.timedelta(days=rule.days)
    holidays = holiday_dates(since=today - dt.timedelta(days=rule.days * 7 + 60))
    since = today
    # Each working day back moves the limit one working day: a few weeks at most (cuti bersama).
    while add_days(since - dt.timedelta(days=1), rule.days, rule.day_type, holidays) >= today:
        since -= dt.timedelta(days=1)
    return since


def filing_rule(election_type: str = ElectionType.PILKADA) -> RuleSpec:
    """The filing limit (``report_filing``) the public pages state: its days, day type and article."""
    return rule_get(election_type, "report_filing")


# --- places the public may choose ----------------------------------------------------------------


@dataclass(frozen=True)
class PlaceChoices:
    kecamatan: list[tuple[str, str]]
    desa_by_kecamatan: list[tuple[str, list[tuple[str, str]]]]


def public_places() -> PlaceChoices:
    """Every loaded kecamatan, and its desa/kelurahan grouped under it (for an <optgroup> select)."""
    kecamatan = list(
        Region.objects.filter(level=Level.KECAMATAN).order_by("name").values_list("code", "name")
    )
    desa: dict[str, list[tuple[str, str]]] = {}
    for code, name, parent in (
        Region.objects.filter(level=Level.DESA).order_by("name").values_list("code", "name", "parent_id")
    ):
        desa.setdefault(parent, []).append((code, name))
    return PlaceChoices(
        kecamatan=kecamatan,
        desa_by_kecamatan=[(name, desa[code]) for code, name in kecamatan if code in desa],
    )


# --- storing a filing ----------------------------------------------------------------------------


def _public_note(case: Case) -> str:
    # Stored once, read by the public: written in the office's language whatever the page's.
    with translation.override(settings.LANGUAGE_CODE):
        if case.kind == CaseKind.INFORMASI_AWAL:
            return _("Initial information received")
        # As at the desk: what happens next, not only that it arrived; for a laporan sent after
        # the filing deadline, that it was, and no completion or registration it will not get.
        return laporan_received_note(case)


def _late_reason(filing_due: dt.date) -> str:
    # Stored in the case history and read by staff: in the office's language, like _public_note.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Filed after the filing deadline (%(due)s); the pelapor chose to send it.") % {
            "due": date_format(filing_due, "j F Y")
        }


def _create(intake: Intake, now: dt.datetime, saved: list[EvidenceFile]) -> Case:
    case = Case(
        kind=intake.kind,
        election_type=intake.election_type or office_election_type(),
        channel=Channel.WEB,
        tracking_code=tracking_code_new(),
        status=CaseStatus.RECEIVED,
        region=intake.region,
        title=intake.title,
        event_place=intake.event_place,
        event_date=intake.event_date,
        event_time_note=intake.event_time_note,
        known_date=intake.known_date,
        received_at=now,
        chronology=intake.chronology,
        terlapor_name=intake.terlapor_name,
        terlapor_address=intake.terlapor_address,
        terlapor_phone=intake.terlapor_phone,
        terlapor_position=intake.terlapor_position,
        idempotency_key=intake.idempotency_key,
    )
    case_compute_deadlines(case)
    case.save()
    if intake.reporter is not None:
        Reporter.objects.create(case=case, **intake.reporter.__dict__)
    Witness.objects.bulk_create([Witness(case=case, **w.__dict__) for w in intake.witnesses])
    seen: set[str] = set()
    links = []
    for item in intake.evidence:
        if item.evidence.sha256 in seen:
            continue  # the same bytes attached twice are one piece of evidence
        seen.add(item.evidence.sha256)
        if item.evidence.pk is None:  # received with this filing: its record is stored with it
            saved.append(item.evidence)  # first: if the insert fails, the retry must know it
            evidence_save(item.evidence)
        links.append(CaseEvidence(case=case, evidence=item.evidence, name=item.name[:255]))
    CaseEvidence.objects.bulk_create(links)
    late = ""
    if intake.late_confirmed and case.filing_due is not None:
        late = _late_reason(case.filing_due)
    received = case_set_status(
        case, CaseStatus.RECEIVED, reason=late, public_note=_public_note(case), at=now, initial=True
    )
    if intake.reporter is not None and intake.reporter.email:
        # The tracking code in the filer's own mailbox too: a receipt page closed too soon, or a
        # phone lost, does not lose the way back to the report. (A new case: nothing merged into
        # it yet, and the address is at hand: no query.)
        subject, body = status_message(case, received)
        pelapor_message_on_commit(case=case, subject=subject, body=body, email=intake.reporter.email)
    audit_record(
        action="case.received",
        obj=case,
        after={
            "kind": case.kind,
            "channel": case.channel,
            "tracking_code": case.tracking_code,
            "region": case.region_id,
            "known_date": case.known_date.isoformat() if case.known_date else None,
            "filing_due": case.filing_due.isoformat() if case.filing_due else None,
            "late_confirmed": intake.late_confirmed,
            "identified": intake.reporter is not None,
            "witnesses": len(intake.witnesses),
            "evidence": [link.evidence.sha256 for link in links],
        },
    )
    return case


def case_intake(intake: Intake, *, now: dt.datetime | None = None) -> IntakeResult:
    """Store a public filing in one transaction; a used key returns the first case instead.

    Raises ``IntakeError`` for a malformed key or kind (the forms check both first).
    """
    if intake.kind not in {CaseKind.LAPORAN, CaseKind.INFORMASI_AWAL}:
        raise IntakeError(f"the public files a laporan or an informasi awal, not {intake.kind!r}")
    if intake.event_date is None and (intake.kind == CaseKind.LAPORAN or not intake.event_time_note.strip()):
        # The formulir laporan asks the day of the event; a tip may say roughly when instead.
        raise IntakeError("an event date, or for an informasi awal roughly when")
    if not IDEMPOTENCY_KEY_RE.match(intake.idempotency_key):
        raise IntakeError("malformed idempotency key")
    if intake.election_type and intake.election_type not in office_election_types():
        raise IntakeError(f"the office does not handle {intake.election_type!r}")
    if len(intake.evidence) > MAX_EVIDENCE_FILES:
        raise IntakeError(f"at most {MAX_EVIDENCE_FILES} evidence files")
    # No look-up first: the key's unique index decides (the view has already sent a plain double
    # submit to its receipt; this is for two copies in flight at once).
    for _attempt in range(3):
        saved: list[EvidenceFile] = []
        try:
            with transaction.atomic(), audit_batch():
                case = _create(intake, now or timezone.now(), saved)
            return IntakeResult(case, created=True)
        except IntegrityError:
            # Either a submit with the same key committed first, or another request stored the
            # same new evidence first, or, once in 10^11, a tracking code clash (a new code on the
            # next attempt).
            existing = Case.objects.filter(idempotency_key=intake.idempotency_key).first()
            if existing is not None:
                return IntakeResult(existing, created=False)
            intake = _evidence_after_rollback(intake, saved)
    raise IntakeError("could not store the filing")


def _evidence_after_rollback(intake: Intake, saved: list[EvidenceFile]) -> Intake:
    """The evidence records saved in a rolled-back attempt are not stored: the record another
    request stored meanwhile for the same bytes, or the unsaved record again."""
    if not saved:
        return intake
    rolled_back = {e.sha256 for e in saved}
    stored = {e.sha256: e for e in EvidenceFile.objects.filter(sha256__in=rolled_back)}
    items = []
    for item in intake.evidence:
        evidence = item.evidence
        if evidence.sha256 in rolled_back:
            evidence = stored.get(evidence.sha256) or _unsaved(evidence)
        items.append(EvidenceItem(evidence=evidence, name=item.name))
    return dataclasses.replace(intake, evidence=items)


def _unsaved(evidence: EvidenceFile) -> EvidenceFile:
    evidence.pk = None
    evidence._state.adding = True
    return evidence


# --- the receipt (tanda terima) ------------------------------------------------------------------


def office_name(case: Case | None = None) -> str:
    """The receiving office: "Bawaslu Kabupaten Malang", from the kabupaten/kota of the case's place,
    or, without a case, of the one kabupaten/kota loaded ("Bawaslu" when there are several)."""
    if case is not None:
        kabupaten = Region.objects.filter(code=".".join(case.region_id.split(".")[:2])).first()
    else:
        loaded = list(Region.objects.filter(level=Level.KABUPATEN)[:2])
        kabupaten = loaded[0] if len(loaded) == 1 else None
    return f"Bawaslu {kabupaten.display_name}" if kabupaten else "Bawaslu"


@dataclass(frozen=True)
class OfficeContact:
    """Where the public reaches the office: a pelapor asked to complete a laporan, or to sign it,
    comes there. Address and phone are settings (``AWAS_OFFICE_ADDRESS``, ``AWAS_OFFICE_PHONE``)."""

    name: str
    address: str
    phone: str


def office_contact(case: Case | None = None) -> OfficeContact:
    return OfficeContact(
        name=office_name(case),
        address=str(getattr(settings, "AWAS_OFFICE_ADDRESS", "") or ""),
        phone=str(getattr(settings, "AWAS_OFFICE_PHONE", "") or ""),
    )


def _received_by(user: Any) -> str:
    """The officer who received the laporan and, for a Panwascam, its office: a pelapor who filed at
    the Panwaslu Kecamatan reads where, under the kabupaten's letterhead (UU 10/2016 Pasal 134
    ayat (1): supervisors at every level receive laporan)."""
    name = str(user)
    region = user.scope_region if user.role == Role.PANWASCAM and user.scope_region_id else None
    return f"{name}, Panwaslu Kecamatan {region.name.title()}" if region is not None else name


SIGN_HERE = "(" + "." * 36 + ")"  # a name to write in by hand under the signature


@dataclass(frozen=True)
class ReceiptSignatures:
    """The foot of a tanda terima handed over at the desk: the place and date, then the pelapor
    and the officer who received the laporan, each over a space to sign in."""

    place_date: str  # "Malang, 28 November 2026": the office's town, the day received (WIB)
    pelapor: str
    receiver: str
    receiver_position: tuple[str, ...]  # the lines under the officer's name


def _signature_name(name: str) -> str:
    return name.strip() or SIGN_HERE


def _receipt_signatures(case: Case, reporter: str, received_on: dt.date) -> ReceiptSignatures:
    """Who signs the tanda terima of a laporan received in person: the pelapor, who brought it, and
    the officer who received it (its position, and for a Panwascam the kecamatan's office, as on
    its "Diterima oleh" line). An officer without a full name on file, or a pelapor without a name,
    gets a dotted line: a login name is not a name to sign with."""
    from awas.cases.formatting import office_region_name, tanggal
    from awas.core.documents import office_letterhead

    office = office_region_name(case)
    user = case.created_by
    position: tuple[str, ...] = ()
    receiver = ""
    if user is not None:
        receiver = user.get_full_name()
        region = user.scope_region if user.role == Role.PANWASCAM and user.scope_region_id else None
        if region is not None:
            position = (f"Panwaslu Kecamatan {region.name.title()}",)
        elif user.role == Role.ADMIN:
            position = (f"Bawaslu {office}",)
        else:
            position = (user.role_label, f"Bawaslu {office}")
    return ReceiptSignatures(
        place_date=f"{office_letterhead(office).city}, {tanggal(received_on)}",
        pelapor=_signature_name(reporter),
        receiver=_signature_name(receiver),
        receiver_position=position,
    )


def receipt_context(case: Case, *, personal: bool = False) -> dict[str, Any]:
    """What the receipt page and the tanda terima show.

    Without ``personal`` (anyone holding the tracking code) it names nobody and leaves out what the
    report is about (free text that often names people): the code, the kind, when and through
    which channel it was received, the evidence fingerprints and the clocks. With ``personal`` (the
    browser that filed it, or staff who may see the pelapor) it adds the report's title, the
    pelapor's name and the officer who received it; never the pelapor's contact details.
    """
    # What came with the report, stored in its own transaction (so within moments of the case
    # row): a receipt does not change after it is issued, and what staff add later (kelengkapan,
    # what they gathered) is not for whoever holds the code.
    evidence = list(
        CaseEvidence.objects.filter(
            case=case, clarification__isnull=True, added_at__lte=case.created_at + RECEIVED_WITH_REPORT
        )
        .order_by("id")
        .values_list("evidence__sha256", "evidence__size")
    )
    reporter = ""
    received_by = ""
    if personal:
        reporter = Reporter.objects.filter(case=case).values_list("name", flat=True).first() or ""
        if case.created_by_id is not None:
            received_by = _received_by(case.created_by)
    received_local = timezone.localtime(case.received_at, office_timezone())
    decision = extension = filing = None
    if case.kind == CaseKind.LAPORAN:
        # The filing limit as the law of the election counts it: 7 days (UU 10/2016 Pasal 134
        # ayat (4)) or 7 hari kerja (UU 7/2017 Pasal 454 ayat (6)), as the tracking page says.
        filing = rule_get(case.election_type, "report_filing")
        # As on the day it was issued: Pilkada counts from receipt (UU 10/2016 Pasal 134 ayat (5)),
        # before any extension (ayat (6)). Pemilu counts from receipt and registration (UU 7/2017
        # Pasal 454 ayat (7)): no date is known at receipt, so the receipt gives the days only.
        decision = due_date(case.election_type, "decision", received_local.date())
        extension = rule_get(case.election_type, "decision" + EXTENSION_SUFFIX)
    contact = office_contact(case)
    is_laporan = case.kind == CaseKind.LAPORAN
    in_person = case.channel == Channel.IN_PERSON
    signatures = None
    if personal and is_laporan and in_person:
        # Handed over at the desk, it is signed there by both sides, as any receipt of the office;
        # the copy that names nobody has no names to sign over. The Pilkada form code of a tanda
        # terima is unverified (DOMAIN.md §2.4, "Forms"): none is printed.
        signatures = _receipt_signatures(case, reporter, received_local.date())
    return {
        "case": case,
        "office": contact.name,
        "office_contact": contact,
        "is_laporan": is_laporan,
        # Sent from afar (the web form, an e-mail), nobody was there to sign: the receipt says so.
        "received_electronically": case.channel in {Channel.WEB, Channel.EMAIL},
        "signatures": signatures,
        "personal": personal,
        "channel": case.get_channel_display(),
        "received_local": received_local,
        "received_by": received_by,
        "evidence": [{"sha": sha[:SHA_PREFIX], "size": size} for sha, size in evidence],
        "pelapor_name": reporter,
        "filing_due": case.filing_due,
        "filing_limit": _days_text(filing) if filing else "",
        "filing_basis": filing.legal_basis if filing else "",
        "filed_late": filed_late(case),
        "decision_due": decision.due_date if decision and case.election_type != ElectionType.PEMILU else None,
        "decision_days": decision.days if decision else None,
        "decision_extension_days": extension.days if extension else None,
        "working_days": decision is not None and decision.day_type == DayType.WORKING,
    }


def _days_text(rule: RuleSpec) -> str:
    """``7 hari`` or ``7 hari kerja``: a rule's length in its own days."""
    if rule.day_type == DayType.WORKING:
        return _("%(n)s working days") % {"n": rule.days}
    return _("%(n)s days") % {"n": rule.days}


def receipt_html(case: Case, *, personal: bool = False, extra: dict[str, Any] | None = None) -> str:
    """The tanda terima as an HTML page (A4, print styles), always in Indonesian."""
    with translation.override("id"):
        return render_to_string(
            "cases/public/tanda_terima.html", {**receipt_context(case, personal=personal), **(extra or {})}
        )


def receipt_pdf(case: Case, *, personal: bool = False, tracking_url: str = "") -> bytes:
    """The tanda terima as a PDF (WeasyPrint, loading nothing from outside), always in Indonesian.
    ``tracking_url``: the full address of the tracking page, printed for whoever holds the paper."""
    from awas.cases.documents import html_to_pdf  # WeasyPrint takes a while to load; few requests need it

    return html_to_pdf(receipt_html(case, personal=personal, extra={"tracking_url": tracking_url}))


# --- tracking ------------------------------------------------------------------------------------


def tracking_normalise(raw: str) -> str | None:
    """``aws-abcd-efgh``, ``ABCDEFGH`` or ``AWS ABCD EFGH`` → ``AWS-ABCD-EFGH``; None if it cannot be one."""
    text = re.sub(r"[^A-Z0-9]", "", raw.upper())
    if text.startswith("AWS") and len(text) == 11:
        text = text[3:]
    if len(text) != 8 or any(ch not in TRACKING_ALPHABET for ch in text):
        return None
    return f"AWS-{text[:4]}-{text[4:]}"


def tracking_code_for_key(idempotency_key: str) -> str | None:
    """The tracking code of the filing already made with this form's one-time key, if any."""
    codes = (
        Case.objects.filter(idempotency_key=idempotency_key)
        .order_by()
        .values_list("tracking_code", flat=True)
    )
    return next(iter(codes[:1]), None)


def tracking_find(code: str) -> Case | None:
    """The laporan or informasi awal with this code. A temuan is the office's own finding: it has
    no pelapor to follow it, and PKD and PTPS see its code, so the public pages never answer it."""
    normal = tracking_normalise(code)
    if normal is None:
        return None
    public_kinds = (CaseKind.LAPORAN, CaseKind.INFORMASI_AWAL)
    return Case.objects.filter(tracking_code=normal, kind__in=public_kinds).first()


@dataclass(frozen=True)
class PublicStatus:
    """One line of the tracking page: a status label, the note for the pelapor, the time."""

    status: str
    label: str
    note: str
    at: dt.datetime
    merged: bool = False  # a step of the case this one was merged into


@dataclass(frozen=True)
class PublicTracking:
    code: str
    kind_label: str
    received_at: dt.datetime
    status_label: str
    merged_status_label: str = ""  # merged: the status of the case it goes on with
    is_laporan: bool = True  # else an informasi awal
    history: list[PublicStatus] = field(default_factory=list)
    more_info_requested_at: dt.datetime | None = None  # that something was asked, never what
    # Incomplete: the last day to complete it (its notice says so too) and how many days are left
    # (0 today, 1 tomorrow): a pelapor who lets it pass is not registered (DOMAIN.md §2.4 item 4).
    completion_due: dt.date | None = None
    completion_days_left: int = 0


def _public_history(
    case: Case, *, since: dt.datetime | None = None, merged: bool = False
) -> list[PublicStatus]:
    tz = office_timezone()
    labels = dict(CaseStatus.choices)
    rows = StatusChange.objects.filter(case=case)
    if since is not None:
        rows = rows.filter(at__gte=since)
    return [
        PublicStatus(
            status=row.to_status,
            label=str(labels.get(row.to_status, row.to_status)),
            # The joint case's notes are for its own pelapor; of its decision, the date and outcome.
            note=joint_decision_note(row.case_id, row.to_status) if merged else row.public_note,
            at=timezone.localtime(row.at, tz),
            merged=merged,
        )
        for row in rows.order_by("at", "id").only("case_id", "to_status", "public_note", "at")
    ]


def tracking_public(case: Case) -> PublicTracking:
    """The case as the tracking page shows it: statuses and their public notes, nothing personal.

    A laporan merged into another goes on with that one: its page shows the other case's status
    and its steps from the merge on (their public notes; never the other case's code or number).
    """
    tz = office_timezone()
    labels = dict(CaseStatus.choices)
    history = _public_history(case)
    merged_status = ""
    current = case
    for _depth in range(MERGE_DEPTH):
        if current.status != CaseStatus.MERGED or current.merged_into_id is None:
            break
        merged_at = history[-1].at if history else current.received_at
        # Step by step as it was merged: a laporan merged into one that was merged in turn is
        # handled, by then, with the last (its ``merged_into``), but went on with the first until
        # then, and its pelapor was told of that one's steps (``workflow._merges_follow``).
        fields = ("status", "merged_into_id", "received_at")
        joined = (
            Case.objects.filter(links_in__from_case_id=current.pk, links_in__kind=CaseLink.Kind.MERGED)
            .only(*fields)
            .first()
        )
        current = joined or Case.objects.only(*fields).get(pk=current.merged_into_id)
        history += _public_history(current, since=merged_at, merged=True)
        merged_status = str(labels.get(current.status, current.status))
    completion_due = case.completion_due if case.status == CaseStatus.INCOMPLETE else None
    return PublicTracking(
        code=case.tracking_code,
        kind_label=str(CaseKind(case.kind).label) if case.kind in CaseKind.values else case.kind,
        is_laporan=case.kind == CaseKind.LAPORAN,
        received_at=timezone.localtime(case.received_at, tz),
        status_label=str(labels.get(case.status, case.status)),
        merged_status_label=merged_status,
        history=history,
        # Said only while the decision is awaited: once decided, the request is history.
        more_info_requested_at=(
            timezone.localtime(case.more_info_requested_at, tz)
            if case.more_info_requested_at and case.status in BEFORE_DECISION
            else None
        ),
        completion_due=completion_due,
        completion_days_left=(completion_due - today_local()).days if completion_due else 0,
    )


def tracking_blocked(address: str | None) -> bool:
    """Too many wrong codes from this address lately (guessing, not mistyping)."""
    limit = getattr(settings, "AWAS_TRACKING_MISS_LIMIT", TRACKING_MISS_LIMIT)
    return attempts_made(TRACKING_MISS, address) >= limit


def tracking_miss(address: str | None) -> None:
    attempt_count(TRACKING_MISS, address, window=TRACKING_MISS_WINDOW)
