"""Every write of prevention and participation, each in one transaction with its audit entry.

Views and forms validate what people type; these functions check what must hold whatever the
caller (the place lies in the actor's scope, a letter is numbered once) and store it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from awas.cases.formatting import today_local
from awas.cases.models import Case, CaseEvidence, CaseKind, CaseStatus, Channel
from awas.cases.services.common import (
    ROMAN_MONTHS,
    case_compute_deadlines,
    case_set_status,
    counter_next,
    tracking_code_new,
)
from awas.core.roles import Level
from awas.core.services.audit import audit_record, changed, snapshot
from awas.core.services.deadlines import office_election_type, office_election_types
from awas.core.services.evidence import evidence_store
from awas.outreach.models import (
    Activity,
    ActivityEvidence,
    ActivityKind,
    ActivityStatus,
    Cadre,
    CadreTraining,
    EvidenceRole,
    FieldReport,
    ImbauanLetter,
    Institution,
    ManualCategory,
    MonitoringOrganisation,
    Patrol,
    PatrolParticipant,
    RecipientKind,
    SchoolProgramme,
)
from awas.regions.models import Region, Tps

# Error messages, kept as constants so tests and callers can name them.
OUTSIDE_SCOPE = gettext_noop("The place %(place)s is outside your area.")
WRONG_LEVEL = gettext_noop("Choose a kecamatan or a desa/kelurahan.")
DONE_NEEDS_DATE = gettext_noop("An activity marked done needs the date it was done.")
ALREADY_ISSUED = gettext_noop("This letter already has number %(number)s.")
CANCELLED_LETTER = gettext_noop("A cancelled letter cannot be issued.")
ISSUE_TO_SEND = gettext_noop("Issue the letter to mark it sent: it then gets its number.")
CADRE_INACTIVE = gettext_noop("Your cadre record is not active; ask the office.")

# The letter number of an imbauan. The office's real classification code is unverified; the
# default follows the case registration numbers (``NNN/LP/PL/Kab/35.07/XI/2024``) with PM for
# pencegahan. An office sets its own with AWAS_IMBAUAN_NUMBER_FORMAT (same placeholders).
IMBAUAN_NUMBER_FORMAT = "{seq:03d}/PM/Kab/{office}/{month_roman}/{year}"


# --- inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: photo or material of an activity, or a cadre's photo."""

    data: IO[bytes]
    name: str
    role: str = EvidenceRole.PHOTO
    description: str = ""


@dataclass(frozen=True)
class ActivityData:
    kind: str
    title: str
    region: Region
    planned_date: dt.date
    mode: str = ""
    venue: str = ""
    notes: str = ""
    status: str = ActivityStatus.PLANNED
    done_date: dt.date | None = None
    attendance: int = 0
    # None: leave the stored list as it is (the editor may not see personal data).
    attendees: str | None = ""


@dataclass(frozen=True)
class SchoolData:
    school_name: str
    school_type: str
    lesson_hours: int
    students_reached: int = 0


@dataclass(frozen=True)
class ParticipantData:
    count: int = 0
    names: str | None = ""  # None: keep the stored names (the editor may not see personal data)


@dataclass(frozen=True)
class PatrolData:
    route_desa: Sequence[Region] = ()
    route_tps: Sequence[Tps] = ()
    findings: str = ""
    participants: dict[str, ParticipantData] = field(default_factory=dict)


@dataclass(frozen=True)
class LetterData:
    region: Region
    planned_date: dt.date
    recipient_kind: str
    recipient: str
    subject: str
    body: str
    recipient_place: str = "Tempat"
    signer_name: str = ""
    signer_title: str = "Ketua"
    notes: str = ""


# --- checks --------------------------------------------------------------------------------------


def check_place(actor: Any, region: Region, *, levels: Iterable[int] = (Level.KECAMATAN, Level.DESA)) -> None:
    """The place must be of an allowed level and at or below the actor's scope."""
    if region.level not in set(levels):
        raise ValidationError(_(WRONG_LEVEL), code="level")
    if not Region.objects.visible_to(actor).filter(code=region.code).exists():
        raise ValidationError(_(OUTSIDE_SCOPE) % {"place": region.display_name}, code="scope")


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- activities ----------------------------------------------------------------------------------


def _status_fields(status: str, done_date: dt.date | None) -> dt.date | None:
    if status == ActivityStatus.DONE and done_date is None:
        raise ValidationError(_(DONE_NEEDS_DATE), code="done_date")
    return done_date if status == ActivityStatus.DONE else None


def _store_uploads(activity: Activity, uploads: Sequence[Upload], actor: Any) -> list[ActivityEvidence]:
    """Keep each file in the evidence store and link it; raises EvidenceRejected for a bad file."""
    links = []
    for upload in uploads:
        evidence = evidence_store(data=upload.data, original_name=upload.name, uploaded_by=_actor(actor))
        link, created = ActivityEvidence.objects.get_or_create(
            activity=activity,
            evidence=evidence,
            defaults={
                "role": upload.role,
                "name": upload.name[:255],
                "description": upload.description[:255],
                "added_by": _actor(actor),
            },
        )
        if created:
            links.append(link)
    return links


def _save_school(activity: Activity, school: SchoolData | None) -> None:
    if activity.kind != ActivityKind.SCHOOL or school is None:
        return
    SchoolProgramme.objects.update_or_create(activity=activity, defaults=school.__dict__)


def _save_patrol(activity: Activity, patrol: PatrolData | None) -> None:
    if activity.kind != ActivityKind.PATROL or patrol is None:
        return
    row, _created = Patrol.objects.update_or_create(activity=activity, defaults={"findings": patrol.findings})
    row.route_desa.set(patrol.route_desa)
    row.route_tps.set(patrol.route_tps)
    stored = {p.institution: p.names for p in PatrolParticipant.objects.filter(patrol=row)}
    PatrolParticipant.objects.filter(patrol=row).delete()
    rows = []
    for institution, p in patrol.participants.items():
        names = stored.get(institution, "") if p.names is None else p.names.strip()
        if institution in Institution.values and (p.count or names):
            rows.append(PatrolParticipant(patrol=row, institution=institution, count=p.count, names=names))
    PatrolParticipant.objects.bulk_create(rows)


def activity_create(
    *,
    actor: Any,
    data: ActivityData,
    school: SchoolData | None = None,
    patrol: PatrolData | None = None,
    uploads: Sequence[Upload] = (),
) -> Activity:
    """Record an activity (planned, or already done) with its kind's details and its files."""
    check_place(actor, data.region)
    done_date = _status_fields(data.status, data.done_date)
    with transaction.atomic():
        activity = Activity.objects.create(
            kind=data.kind,
            title=data.title,
            mode=data.mode if data.kind == ActivityKind.SOSIALISASI else "",
            region=data.region,
            venue=data.venue,
            planned_date=data.planned_date,
            done_date=done_date,
            status=data.status,
            attendance=data.attendance,
            attendees=data.attendees or "",
            notes=data.notes,
            created_by=_actor(actor),
        )
        _save_school(activity, school)
        _save_patrol(activity, patrol)
        links = _store_uploads(activity, uploads, actor)
        audit_record(
            action="outreach.activity_created",
            obj=activity,
            actor=_actor(actor),
            after={**snapshot(activity), "files": [link.evidence.sha256 for link in links]},
        )
    return activity


def activity_update(
    activity: Activity,
    *,
    actor: Any,
    data: ActivityData,
    school: SchoolData | None = None,
    patrol: PatrolData | None = None,
    uploads: Sequence[Upload] = (),
) -> Activity:
    check_place(actor, data.region)
    done_date = _status_fields(data.status, data.done_date)
    with transaction.atomic():
        before = snapshot(activity)
        activity.title = data.title
        activity.mode = data.mode if activity.kind == ActivityKind.SOSIALISASI else ""
        activity.region = data.region
        activity.venue = data.venue
        activity.planned_date = data.planned_date
        activity.status = data.status
        activity.done_date = done_date
        activity.attendance = data.attendance
        if data.attendees is not None:
            activity.attendees = data.attendees
        activity.notes = data.notes
        if data.status != ActivityStatus.CANCELLED:
            activity.cancel_reason = ""
        activity.save()
        _save_school(activity, school)
        _save_patrol(activity, patrol)
        links = _store_uploads(activity, uploads, actor)
        old, new = changed(before, snapshot(activity))
        audit_record(
            action="outreach.activity_updated",
            obj=activity,
            actor=_actor(actor),
            before=old,
            after={**new, "files": [link.evidence.sha256 for link in links]},
        )
    return activity


def activity_set_status(
    activity: Activity,
    *,
    actor: Any,
    status: str,
    done_date: dt.date | None = None,
    attendance: int | None = None,
    reason: str = "",
) -> Activity:
    """Mark an activity done (with its date and attendance), cancelled (with a reason) or planned again.

    A letter is marked sent only by issuing it (``letter_issue``), and an issued letter stays sent.
    """
    done_date = _status_fields(status, done_date)
    letter = getattr(activity, "letter", None) if activity.kind == ActivityKind.IMBAUAN else None
    if letter is not None and letter.number and status != ActivityStatus.DONE:
        raise ValidationError(_(ALREADY_ISSUED) % {"number": letter.number}, code="issued")
    if letter is not None and not letter.number and status == ActivityStatus.DONE:
        raise ValidationError(_(ISSUE_TO_SEND), code="not_issued")
    with transaction.atomic():
        before = snapshot(activity, ["status", "done_date", "attendance", "cancel_reason"])
        activity.status = status
        activity.done_date = done_date
        if attendance is not None:
            activity.attendance = attendance
        activity.cancel_reason = reason[:255] if status == ActivityStatus.CANCELLED else ""
        activity.save(update_fields=["status", "done_date", "attendance", "cancel_reason", "updated_at"])
        audit_record(
            action="outreach.activity_status",
            obj=activity,
            actor=_actor(actor),
            before=before,
            after=snapshot(activity, ["status", "done_date", "attendance", "cancel_reason"]),
        )
    return activity


def activity_attach(activity: Activity, *, actor: Any, uploads: Sequence[Upload]) -> list[ActivityEvidence]:
    """Add photos or materials to an activity. Raises EvidenceRejected with the reason."""
    with transaction.atomic():
        links = _store_uploads(activity, uploads, actor)
        if links:
            audit_record(
                action="outreach.activity_files_added",
                obj=activity,
                actor=_actor(actor),
                after={"files": [{"sha256": link.evidence.sha256, "role": link.role} for link in links]},
            )
    return links


def activity_plan_everywhere(
    *,
    actor: Any,
    kecamatan: Sequence[Region],
    title: str,
    planned_date: dt.date,
    mode: str = "",
    venue: str = "",
    notes: str = "",
) -> list[Activity]:
    """Plan one sosialisasi per kecamatan ("in all 33 kecamatan at once"), each its own record."""
    for region in kecamatan:
        check_place(actor, region, levels=(Level.KECAMATAN,))
    with transaction.atomic():
        created = []
        for region in sorted(kecamatan, key=lambda r: r.code):
            activity = Activity.objects.create(
                kind=ActivityKind.SOSIALISASI,
                title=title,
                mode=mode,
                region=region,
                venue=venue,
                planned_date=planned_date,
                status=ActivityStatus.PLANNED,
                notes=notes,
                created_by=_actor(actor),
            )
            created.append(activity)
            # One entry per activity, so each record's own trail starts with its planning.
            audit_record(
                action="outreach.activity_created",
                obj=activity,
                actor=_actor(actor),
                after={**snapshot(activity), "planned_in_kecamatan": len(kecamatan)},
            )
    return created


# --- imbauan letters -----------------------------------------------------------------------------

# Default texts per recipient, in Indonesian (the language of official letters, UU 24/2009 Pasal
# 33). Staff edit them before issuing; the legal references are those of design/DOMAIN.md §3.
LETTER_TEMPLATES: dict[str, tuple[str, str]] = {
    RecipientKind.BUPATI: (
        "Imbauan Netralitas Aparatur Sipil Negara",
        "Dalam rangka pencegahan pelanggaran pada penyelenggaraan Pemilihan Tahun {year}, Badan Pengawas "
        "Pemilihan Umum {office} mengimbau Saudara untuk:\n"
        "1. memastikan seluruh Aparatur Sipil Negara di lingkungan Pemerintah {office} menjaga netralitas "
        "sesuai Keputusan Bersama tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai ASN dalam "
        "Penyelenggaraan Pemilu dan Pemilihan;\n"
        "2. tidak membuat keputusan dan/atau tindakan yang menguntungkan atau merugikan salah satu pasangan "
        "calon sebagaimana dilarang Pasal 71 ayat (1) Undang-Undang Nomor 10 Tahun 2016;\n"
        "3. memerintahkan kepala perangkat daerah, camat dan kepala desa di wilayah {office} untuk "
        "melakukan hal yang sama.",
    ),
    RecipientKind.OPD: (
        "Imbauan Netralitas Aparatur Sipil Negara",
        "Dalam rangka pencegahan pelanggaran pada penyelenggaraan Pemilihan Tahun {year}, Badan Pengawas "
        "Pemilihan Umum {office} mengimbau Saudara untuk memastikan seluruh Aparatur Sipil Negara di "
        "lingkungan perangkat daerah yang Saudara pimpin:\n"
        "1. tidak terlibat dalam kegiatan kampanye dan tidak menunjukkan keberpihakan kepada pasangan calon, "
        "termasuk melalui media sosial;\n"
        "2. tidak menggunakan fasilitas, anggaran dan program pemerintah untuk kepentingan pasangan calon;\n"
        "3. tidak membuat keputusan dan/atau tindakan yang menguntungkan atau merugikan salah satu pasangan "
        "calon (Pasal 71 ayat (1) Undang-Undang Nomor 10 Tahun 2016).",
    ),
    RecipientKind.CAMAT: (
        "Imbauan Netralitas Aparatur Sipil Negara, Kepala Desa dan Perangkat Desa",
        "Dalam rangka pencegahan pelanggaran pada penyelenggaraan Pemilihan Tahun {year}, Badan Pengawas "
        "Pemilihan Umum {office} mengimbau Saudara untuk:\n"
        "1. menjaga netralitas Aparatur Sipil Negara di lingkungan kantor kecamatan;\n"
        "2. meneruskan imbauan ini kepada kepala desa/lurah dan perangkat desa di wilayah Saudara;\n"
        "3. tidak membuat keputusan dan/atau tindakan yang menguntungkan atau merugikan salah satu pasangan "
        "calon (Pasal 71 ayat (1) Undang-Undang Nomor 10 Tahun 2016).",
    ),
    RecipientKind.KEPALA_DESA: (
        "Imbauan Netralitas Kepala Desa dan Perangkat Desa",
        "Dalam rangka pencegahan pelanggaran pada penyelenggaraan Pemilihan Tahun {year}, Badan Pengawas "
        "Pemilihan Umum {office} mengimbau Saudara beserta perangkat desa untuk:\n"
        "1. tidak terlibat dalam kegiatan kampanye pasangan calon (Pasal 70 ayat (1) Undang-Undang Nomor 1 "
        "Tahun 2015 jo. Undang-Undang Nomor 10 Tahun 2016);\n"
        "2. tidak membuat keputusan dan/atau tindakan yang menguntungkan atau merugikan salah satu pasangan "
        "calon (Pasal 71 ayat (1));\n"
        "3. tidak menggunakan fasilitas dan program desa untuk kepentingan pasangan calon.",
    ),
    RecipientKind.OTHER: (
        "Imbauan Pencegahan Pelanggaran Pemilihan",
        "Dalam rangka pencegahan pelanggaran pada penyelenggaraan Pemilihan Tahun {year}, Badan Pengawas "
        "Pemilihan Umum {office} mengimbau Saudara untuk ...",
    ),
}


def office_code_of(region_code: str) -> str:
    """The kabupaten/kota of a place: the first two parts of its Kemendagri code."""
    return ".".join(region_code.split(".")[:2])


def office_region(region_code: str) -> Region | None:
    return Region.objects.filter(code=office_code_of(region_code)).first()


def letter_template(recipient_kind: str, *, region: Region, year: int) -> tuple[str, str]:
    """(subject, text) of the default letter for this kind of recipient."""
    subject, body = LETTER_TEMPLATES.get(recipient_kind, LETTER_TEMPLATES[RecipientKind.OTHER])
    office = office_region(region.code)
    return subject, body.format(year=year, office=office.display_name if office else "")


def letter_number(*, seq: int, office: str, on: dt.date) -> str:
    pattern = getattr(settings, "AWAS_IMBAUAN_NUMBER_FORMAT", IMBAUAN_NUMBER_FORMAT)
    return str(pattern).format(
        seq=seq, office=office, month=on.month, month_roman=ROMAN_MONTHS[on.month - 1], year=on.year
    )


def _letter_fields(letter: ImbauanLetter, data: LetterData) -> None:
    letter.recipient_kind = data.recipient_kind
    letter.recipient = data.recipient
    letter.recipient_place = data.recipient_place or "Tempat"
    letter.subject = data.subject
    letter.body = data.body
    letter.signer_name = data.signer_name
    letter.signer_title = data.signer_title or "Ketua"


def letter_create(*, actor: Any, data: LetterData) -> ImbauanLetter:
    """A draft imbauan letter (a planned activity); it gets its number when issued."""
    # To the Bupati or an OPD head the letter belongs to the whole kabupaten.
    check_place(actor, data.region, levels=(Level.KABUPATEN, Level.KECAMATAN, Level.DESA))
    with transaction.atomic():
        activity = Activity.objects.create(
            kind=ActivityKind.IMBAUAN,
            title=data.subject,
            region=data.region,
            planned_date=data.planned_date,
            status=ActivityStatus.PLANNED,
            notes=data.notes,
            created_by=_actor(actor),
        )
        letter = ImbauanLetter(activity=activity)
        _letter_fields(letter, data)
        letter.save()
        audit_record(
            action="outreach.letter_created",
            obj=activity,
            actor=_actor(actor),
            after={**snapshot(letter), "region": activity.region_id},
        )
    return letter


def letter_update(letter: ImbauanLetter, *, actor: Any, data: LetterData) -> ImbauanLetter:
    if letter.number:
        raise ValidationError(_(ALREADY_ISSUED) % {"number": letter.number}, code="issued")
    check_place(actor, data.region, levels=(Level.KABUPATEN, Level.KECAMATAN, Level.DESA))
    with transaction.atomic():
        before = snapshot(letter)
        _letter_fields(letter, data)
        letter.save()
        activity = letter.activity
        activity.title, activity.region, activity.planned_date = data.subject, data.region, data.planned_date
        activity.notes = data.notes
        activity.save(update_fields=["title", "region", "planned_date", "notes", "updated_at"])
        old, new = changed(before, snapshot(letter))
        audit_record(
            action="outreach.letter_updated", obj=activity, actor=_actor(actor), before=old, after=new
        )
    return letter


def letter_issue(letter: ImbauanLetter, *, actor: Any, on: dt.date | None = None) -> ImbauanLetter:
    """Give the letter its number from the office's yearly counter and mark it sent (done)."""
    on = on or today_local()
    with transaction.atomic():
        # Lock the row: two clicks on "issue" must not take two numbers.
        letter = ImbauanLetter.objects.select_for_update().select_related("activity").get(pk=letter.pk)
        if letter.number:
            raise ValidationError(_(ALREADY_ISSUED) % {"number": letter.number}, code="issued")
        activity = letter.activity
        if activity.status == ActivityStatus.CANCELLED:
            raise ValidationError(_(CANCELLED_LETTER), code="cancelled")
        office = office_code_of(activity.region_id)
        seq = counter_next(f"imbauan:{office}", on.year)
        letter.number = letter_number(seq=seq, office=office, on=on)
        letter.letter_date = on
        letter.save(update_fields=["number", "letter_date"])
        activity.status = ActivityStatus.DONE
        activity.done_date = on
        activity.save(update_fields=["status", "done_date", "updated_at"])
        audit_record(
            action="outreach.letter_issued",
            obj=activity,
            actor=_actor(actor),
            after={"number": letter.number, "letter_date": on.isoformat(), "recipient": letter.recipient},
        )
    return letter


# --- patrol findings → Form A --------------------------------------------------------------------


class FormAFindings(TypedDict):
    """What a Form A (LHP) needs from a patrol, as plain data (no model objects)."""

    source_ref: str
    activity_id: int
    date: dt.date
    region_code: str
    region_name: str
    kecamatan_code: str
    title: str
    venue: str
    route_desa: list[dict[str, str]]
    route_tps: list[dict[str, Any]]
    participants: list[dict[str, Any]]
    findings: str
    recorded_by: str
    form_a_ref: str


def patrol_findings_for_form_a(patrol: Patrol) -> FormAFindings:
    """The patrol's finding in the shape a Form A is filled from; the caller writes the Form A.

    Participants are given as counts per institution: their names are personal data and a Form A
    does not need them. Call ``patrol_mark_form_a`` once the Form A exists.
    """
    activity = patrol.activity
    region = activity.region
    labels = dict(Institution.choices)
    return FormAFindings(
        source_ref=f"patroli:{activity.pk}",
        activity_id=activity.pk,
        date=activity.date,
        region_code=region.code,
        region_name=region.display_name,
        kecamatan_code=".".join(region.code.split(".")[:3]),
        title=activity.title,
        venue=activity.venue,
        route_desa=[{"code": r.code, "name": r.display_name} for r in patrol.route_desa.order_by("code")],
        route_tps=[
            {"desa_code": t.desa_id, "number": t.number, "label": str(t)}
            for t in patrol.route_tps.select_related("desa").order_by("desa_id", "number")
        ],
        participants=[
            {
                "institution": p.institution,
                "label": str(labels.get(p.institution, p.institution)),
                "count": p.count,
            }
            for p in patrol.participants.order_by("institution")
        ],
        findings=patrol.findings,
        recorded_by=activity.created_by.get_username() if activity.created_by else "",
        form_a_ref=patrol.form_a_ref,
    )


def patrol_mark_form_a(patrol: Patrol, *, ref: str, actor: Any = None) -> Patrol:
    """Record that the patrol's finding became a Form A (called by the app that made it)."""
    with transaction.atomic():
        before = patrol.form_a_ref
        patrol.form_a_ref = ref[:100]
        patrol.save(update_fields=["form_a_ref"])
        audit_record(
            action="outreach.patrol_form_a",
            obj=patrol.activity,
            actor=_actor(actor),
            before={"form_a_ref": before},
            after={"form_a_ref": patrol.form_a_ref},
        )
    return patrol


# --- vulnerability categories entered by the office ----------------------------------------------


def manual_category_set(
    *, actor: Any, region: Region, category: str, source_note: str = ""
) -> ManualCategory:
    check_place(actor, region)
    with transaction.atomic():
        row = ManualCategory.objects.filter(region=region).first()
        before = snapshot(row, ["category", "source_note"]) if row else None
        row = row or ManualCategory(region=region)
        row.category, row.source_note, row.set_by = category, source_note, _actor(actor)
        row.save()
        audit_record(
            action="outreach.category_set",
            obj=row,
            actor=_actor(actor),
            before=before,
            after=snapshot(row, ["category", "source_note"]),
        )
    return row


def manual_category_clear(*, actor: Any, region: Region) -> None:
    check_place(actor, region)
    with transaction.atomic():
        row = ManualCategory.objects.filter(region=region).first()
        if row is None:
            return
        before = snapshot(row, ["category", "source_note"])
        audit_record(action="outreach.category_cleared", obj=row, actor=_actor(actor), before=before)
        row.delete()


# --- cadres and monitoring organisations ---------------------------------------------------------

REGISTRY_LEVELS = (Level.KABUPATEN, Level.KECAMATAN, Level.DESA)


def _audited_save(instance: Any, *, actor: Any, action: str) -> None:
    """Save a registry record with an audit entry naming what changed (personal data masked)."""
    previous = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None
    before = snapshot(previous) if previous is not None else None
    with transaction.atomic():
        instance.save()
        old, new = changed(before, snapshot(instance))
        audit_record(
            action=f"outreach.{action}_{'updated' if previous else 'created'}",
            obj=instance,
            actor=_actor(actor),
            before=old if previous else None,
            after=new,
        )


def cadre_save(cadre: Cadre, *, actor: Any) -> Cadre:
    """Create or update a cadre record (from the registry form)."""
    check_place(actor, cadre.region, levels=REGISTRY_LEVELS)
    if cadre.user is not None and cadre.user.role != "kader":
        raise ValidationError(_("Only an account with the role Kader / Pemantau can be linked to a cadre."))
    _audited_save(cadre, actor=actor, action="cadre")
    return cadre


def cadre_training_add(
    cadre: Cadre,
    *,
    actor: Any,
    name: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    organiser: str = "",
) -> CadreTraining:
    with transaction.atomic():
        training = CadreTraining.objects.create(
            cadre=cadre, name=name, start_date=start_date, end_date=end_date, organiser=organiser
        )
        audit_record(
            action="outreach.cadre_training_added", obj=cadre, actor=_actor(actor), after=snapshot(training)
        )
    return training


def organisation_save(organisation: MonitoringOrganisation, *, actor: Any) -> MonitoringOrganisation:
    check_place(actor, organisation.region, levels=REGISTRY_LEVELS)
    _audited_save(organisation, actor=actor, action="organisation")
    return organisation


# --- field information from a cadre → informasi awal ---------------------------------------------


def _case_title(what: str) -> str:
    first = what.strip().splitlines()[0].strip() if what.strip() else ""
    return first if len(first) <= 120 else first[:119].rstrip() + "…"


def field_report_submit(
    *,
    user: Any,
    what: str,
    desa: Region,
    when: dt.date,
    photo: Upload | None = None,
    now: dt.datetime | None = None,
    election_type: str = "",
) -> FieldReport:
    """A cadre's field information, stored as an informasi awal (channel kader) in the cases app.
    ``election_type``: the one the cadre chose while the office handles both; empty: its only one.

    One transaction: the case, its first status (history row), the photo link, the cadre's report
    record and the audit entries. The photo is checked and kept in the evidence store first, so a
    refused file leaves nothing behind. Written here rather than through the cases app's public
    intake: that one is for the anonymous public (one-time keys, receipts); a cadre is signed in.
    """
    cadre = Cadre.objects.filter(user=user).first()
    if cadre is None or not cadre.active:
        raise ValidationError(_(CADRE_INACTIVE), code="cadre")
    if desa.level != Level.DESA:
        raise ValidationError(_(WRONG_LEVEL), code="level")
    if election_type and election_type not in office_election_types():
        raise ValidationError(f"the office does not handle {election_type!r}", code="election")
    if office_code_of(desa.code) != office_code_of(cadre.region_id):
        raise ValidationError(_(OUTSIDE_SCOPE) % {"place": desa.display_name}, code="scope")
    evidence = evidence_store(data=photo.data, original_name=photo.name, uploaded_by=user) if photo else None
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        # Read later by the case handlers, whatever the cadre's screen language.
        note = _("Field information from a cadre received")
    for attempt in range(3):
        try:
            with transaction.atomic():
                case = Case(
                    kind=CaseKind.INFORMASI_AWAL,
                    # The election the cadre chose, or the office's only one (AWAS_ELECTION_TYPE):
                    # the temuan taken up from it keeps it, so a Pemilu tip must not bring
                    # Pilkada's calendar days, nor a Pilkada tip Pemilu's hari kerja.
                    election_type=election_type or office_election_type(),
                    channel=Channel.KADER,
                    tracking_code=tracking_code_new(),
                    status=CaseStatus.RECEIVED,
                    region=desa,
                    title=_case_title(what),
                    event_place=desa.display_name,
                    event_date=when,
                    known_date=when,
                    received_at=now,
                    chronology=what.strip(),
                    source_ref=f"kader:{cadre.pk}",
                    created_by=user,
                )
                case_compute_deadlines(case)
                case.save()
                if evidence is not None and photo is not None:
                    CaseEvidence.objects.create(
                        case=case, evidence=evidence, name=photo.name[:255], added_by=user
                    )
                report = FieldReport.objects.create(cadre=cadre, case=case, sent_at=now)
                case_set_status(case, CaseStatus.RECEIVED, actor=user, public_note=note, at=now)
                audit_record(
                    action="case.received",
                    obj=case,
                    actor=user,
                    after={
                        "kind": case.kind,
                        "channel": case.channel,
                        "tracking_code": case.tracking_code,
                        "region": case.region_id,
                        "source_ref": case.source_ref,
                        "evidence": [evidence.sha256] if evidence is not None else [],
                    },
                )
                audit_record(
                    action="outreach.field_report_sent",
                    obj=report,
                    actor=user,
                    after={"cadre": cadre.pk, "case": case.pk, "region": desa.code},
                )
                return report
        except IntegrityError:
            # Once in 10^11 a tracking code clashes: try again with a new one.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
