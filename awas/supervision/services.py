"""Every write of the supervision app: Form A typed in or uploaded, filed and numbered, its suggested
indicators reviewed into kejadian, a temuan draft from its section IV, and the suggestion model.

Each function is one transaction with its audit entry. Callers (views, the ``supervision``
command) check the role; the services check what depends on the data (region scope, status).

Numbering (``form_a_number``): ``NNN/LHP/PM.01.02/<kode wilayah>/<MM>/<YYYY>``, e.g.
``001/LHP/PM.01.02/35.07.10.2001/10/2024``. DOMAIN.md §2.4 gives only ``…/LHP/PM.01.0x/…`` for
Form A; Awas uses PM.01.02 (the classification code that Form A numbers of field supervisors
commonly carry), the dotted Kemendagri code of the report's region (desa for PTPS and PKD,
kecamatan for Panwascam) so that numbers of different desa never collide, the month as two digits
and a sequence per region and year. An uploaded report keeps the number printed on it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awas.core.models import AuditEntry
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Level, Role
from awas.core.services.audit import audit_record, snapshot
from awas.core.services.evidence import EvidenceRejected, check_evidence, evidence_store, sniff_content_type
from awas.ikp import services as ikp_services
from awas.ikp.models import Kejadian, Tahapan
from awas.regions.models import Region
from awas.supervision import parsing, selectors, suggest
from awas.supervision.models import (
    Decision,
    ExtractionMethod,
    FormA,
    FormAAttachment,
    FormACounter,
    FormASource,
    FormAStatus,
    SuggestionDecision,
    SuggestionModel,
    SuggestionSource,
    is_blank_entry,
)

NUMBER_CLASSIFICATION = "PM.01.02"

# The fields of the official form a person fills in (and an upload prefills).
FORM_FIELDS = (
    "report_date",
    "place_signed",
    "tahapan",
    "pelaksana_nama",
    "pelaksana_jabatan",
    "nomor_surat_tugas",
    "pelaksana_alamat",
    "kegiatan_bentuk",
    "kegiatan_tujuan",
    "kegiatan_sasaran",
    "kegiatan_waktu_tempat",
    "kegiatan_tanggal",
    "uraian",
    "pelanggaran_peristiwa",
    "pelanggaran_tempat",
    "pelanggaran_waktu",
    "pelaku_nama",
    "pelaku_alamat",
    "saksi",
    "alat_bukti",
    "pelanggaran_uraian",
    "sengketa_peristiwa",
    "sengketa_tempat",
    "sengketa_waktu",
    "sengketa_pihak",
    "sengketa_uraian",
)
AUDITED_FIELDS = ("number", "status", "source", "region", "tps", "tps_number", "is_rekap", *FORM_FIELDS)
TEXT_LIMITS: dict[str, int] = {
    name: limit for name in FORM_FIELDS if (limit := getattr(FormA._meta.get_field(name), "max_length", None))
}

OUTSIDE_SCOPE = gettext_lazy("This place is outside your area.")
REKAP_NEEDS_KECAMATAN = gettext_lazy("Only a report for a whole kecamatan can be a recap report.")
TPS_NEEDS_DESA = gettext_lazy("A TPS belongs to a desa: choose the desa.")
NEEDS_DESA_OR_KECAMATAN = gettext_lazy("Choose the desa or kecamatan the report is about.")
NOT_A_DRAFT = gettext_lazy("This report is no longer a draft.")
ALREADY_REVIEWED = gettext_lazy("The indicators of this report have already been reviewed.")
NOT_FILED = gettext_lazy("Only a filed report can be reviewed.")
FUTURE_DATE = gettext_lazy("The date cannot be in the future.")


def _today() -> dt.date:
    return timezone.localdate()


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- location ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    region: Region
    tps_number: int | None = None
    is_rekap: bool = False


def location_check(actor: Any, location: Location) -> Location:
    """The place as the actor may report it; raises ValidationError otherwise.

    A PTPS always reports for its own TPS; a TPS is kept only for a desa; a recap only for a kecamatan.
    """
    region = location.region
    if actor.role == Role.PTPS and actor.scope_tps_id:
        tps = actor.scope_tps
        return Location(region=tps.desa, tps_number=tps.number, is_rekap=False)
    if not selectors.location_choices(actor).filter(code=region.code).exists():
        raise ValidationError(OUTSIDE_SCOPE, code="outside_scope")
    if region.level not in (Level.KECAMATAN, Level.DESA):
        raise ValidationError(NEEDS_DESA_OR_KECAMATAN, code="level")
    if location.is_rekap and region.level != Level.KECAMATAN:
        raise ValidationError(REKAP_NEEDS_KECAMATAN, code="rekap_level")
    if location.tps_number and region.level != Level.DESA:
        raise ValidationError(TPS_NEEDS_DESA, code="tps_level")
    return location


def _apply_location(form: FormA, location: Location) -> None:
    form.region = location.region
    form.tps_number = location.tps_number or None
    form.tps = selectors.tps_of(location.region, form.tps_number)
    form.is_rekap = location.is_rekap


def _apply_fields(form: FormA, data: Mapping[str, Any]) -> None:
    for name in FORM_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
            limit = TEXT_LIMITS.get(name)
            if limit:
                value = value[:limit]
        if value is None and name not in ("report_date", "kegiatan_tanggal"):
            value = ""
        setattr(form, name, value)
    if not form.report_date:
        form.report_date = _today()
    if not form.kegiatan_tanggal:
        form.kegiatan_tanggal = form.report_date
    if form.tahapan not in Tahapan.values:
        form.tahapan = Tahapan.LAINNYA


# --- numbering -----------------------------------------------------------------------------------


def _counter_next(key: str, year: int) -> int:
    with transaction.atomic():
        counter, _created = FormACounter.objects.select_for_update().get_or_create(key=key, year=year)
        FormACounter.objects.filter(pk=counter.pk).update(value=F("value") + 1)
        counter.refresh_from_db(fields=["value"])
        return counter.value


def form_a_number(form: FormA, when: dt.date | None = None) -> str:
    """The next number for this report's region: ``001/LHP/PM.01.02/35.07.10.2001/10/2024``."""
    when = when or form.report_date or _today()
    sequence = _counter_next(f"lhp:{form.region_id}", when.year)
    return f"{sequence:03d}/LHP/{NUMBER_CLASSIFICATION}/{form.region_id}/{when.month:02d}/{when.year}"


# --- attachments ---------------------------------------------------------------------------------


def _attach(
    form: FormA, uploads: Sequence[Any], *, actor: Any, description: str = ""
) -> list[FormAAttachment]:
    """Keep each lampiran in the evidence store (content-checked, SHA-256) and link it once."""
    items = []
    for upload in uploads:
        evidence = evidence_store(
            data=upload, original_name=getattr(upload, "name", "") or "", uploaded_by=actor
        )
        item, _created = FormAAttachment.objects.get_or_create(
            form=form,
            evidence=evidence,
            defaults={"description": description[:255], "added_by": _actor(actor)},
        )
        items.append(item)
    return items


def attachments_check(uploads: Sequence[Any]) -> None:
    """Refuse, before anything is saved, a lampiran the evidence store would refuse (with its reason)."""
    problems = []
    for upload in uploads:
        size = getattr(upload, "size", None)
        if size is None:
            upload.seek(0, 2)
            size = upload.tell()
            upload.seek(0)
        try:
            check_evidence(upload, size, getattr(upload, "name", "") or "")
        except EvidenceRejected as exc:
            problems.append(f"{getattr(upload, 'name', '')}: {' '.join(exc.messages)}")
    if problems:
        raise ValidationError(problems, code="attachment")


# --- suggestions ---------------------------------------------------------------------------------


_MODEL_CACHE: dict[int, suggest.FittedModel] = {}


def active_model() -> tuple[SuggestionModel | None, suggest.FittedModel | None]:
    """The model in use and its fitted numbers (read from the database once per process)."""
    row = SuggestionModel.objects.filter(active=True).defer("weights").order_by("-created_at", "-id").first()
    if row is None:
        return None, None
    if row.pk not in _MODEL_CACHE:
        weights = SuggestionModel.objects.values_list("weights", flat=True).get(pk=row.pk)
        _MODEL_CACHE.clear()  # one model in memory at a time
        _MODEL_CACHE[row.pk] = suggest.FittedModel.from_bytes(bytes(weights))
    return row, _MODEL_CACHE[row.pk]


def suggestions_make(form: FormA) -> list[SuggestionDecision]:
    """(Re)make the pending suggestions of a filed report from its text; decided rows stay."""
    with transaction.atomic():
        form.suggestions.filter(decision=Decision.PENDING).delete()
        row, model = active_model()
        rows = [
            SuggestionDecision(
                form=form,
                suggested_indicator=item.indicator,
                source=item.source,
                score=item.score,
                reason=item.reason[:500],
                model=row if item.probability is not None else None,
            )
            for item in suggest.suggest(form.report_text(), model)
        ]
        return SuggestionDecision.objects.bulk_create(rows)


# --- typing in, editing, filing ------------------------------------------------------------------


def form_a_create(
    *, actor: Any, location: Location, data: Mapping[str, Any], attachments: Sequence[Any] = ()
) -> FormA:
    """A Form A typed in by a field supervisor: filed and numbered at once, its suggestions made."""
    location = location_check(actor, location)
    attachments_check(attachments)
    with transaction.atomic():
        form = FormA(source=FormASource.TYPED, status=FormAStatus.FILED, created_by=_actor(actor))
        _apply_location(form, location)
        _apply_fields(form, data)
        form.number = form_a_number(form)
        form.filed_by = _actor(actor)
        form.filed_at = timezone.now()
        form.save()
        _attach(form, attachments, actor=actor)
        audit_record(
            action="form_a.filed", obj=form, actor=_actor(actor), after=snapshot(form, AUDITED_FIELDS)
        )
        suggestions_make(form)
    return form


def form_a_update(
    *,
    form: FormA,
    actor: Any,
    location: Location,
    data: Mapping[str, Any],
    attachments: Sequence[Any] = (),
    file: bool = True,
) -> FormA:
    """Save a person's review of an uploaded draft (and file it), or a correction of a filed report
    whose indicators are not yet reviewed. A report gets its number when it is filed, unless it
    already carries the number printed on the uploaded file."""
    location = location_check(actor, location)
    attachments_check(attachments)
    with transaction.atomic():
        form = FormA.objects.select_for_update().get(pk=form.pk)
        if form.status == FormAStatus.DISCARDED:
            raise ValidationError(NOT_A_DRAFT, code="discarded")
        if form.kejadian_reviewed_at is not None:
            raise ValidationError(ALREADY_REVIEWED, code="reviewed")
        before = snapshot(form, AUDITED_FIELDS)
        _apply_location(form, location)
        _apply_fields(form, data)
        action = "form_a.changed"
        if file and form.status == FormAStatus.DRAFT:
            form.status = FormAStatus.FILED
            form.filed_by = _actor(actor)
            form.filed_at = timezone.now()
            action = "form_a.filed"
        if form.status == FormAStatus.FILED and not form.number:
            form.number = form_a_number(form)
        form.save()
        _attach(form, attachments, actor=actor)
        audit_record(
            action=action, obj=form, actor=_actor(actor), before=before, after=snapshot(form, AUDITED_FIELDS)
        )
        if form.status == FormAStatus.FILED:
            suggestions_make(form)
    return form


def form_a_discard(*, form: FormA, actor: Any, reason: str = "") -> FormA:
    """Set aside an uploaded draft that is not a report (kept, with its file, for the record)."""
    with transaction.atomic():
        form = FormA.objects.select_for_update().get(pk=form.pk)
        if form.status != FormAStatus.DRAFT:
            raise ValidationError(NOT_A_DRAFT, code="not_draft")
        form.status = FormAStatus.DISCARDED
        form.save(update_fields=["status", "updated_at"])
        audit_record(
            action="form_a.discarded",
            obj=form,
            actor=_actor(actor),
            before={"status": FormAStatus.DRAFT},
            after={"status": FormAStatus.DISCARDED, "reason": reason[:500]},
        )
    return form


# --- reads of personal data ----------------------------------------------------------------------

PERSONAL_VIEWED = "form_a.personal_viewed"
PERSONAL_READS = ("page", "pdf", "source_file")


def form_a_personal_read(*, form: FormA, actor: Any, read: str) -> None:
    """Log that ``actor`` was shown the pelaku and the saksi of ``form`` (UU 27/2022: the office
    can say who read whose personal data, as for a case's pelapor and saksi). ``read``: ``page``
    (the report's page, once a day for each user and report: a page reloaded all afternoon is one
    entry), ``pdf`` (its printout) or ``source_file`` (the uploaded original, which holds them
    whatever the form's fields say: every download). A report without a pelaku or saksi written
    down, read as a page or printout, discloses none: nothing is logged."""
    if read not in PERSONAL_READS:
        raise ValueError(read)
    if read != "source_file" and not any(getattr(form, name) for name in FormA.personal_fields):
        return
    if read == "page":
        midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        already = AuditEntry.objects.filter(
            action=PERSONAL_VIEWED,
            object_type=FormA._meta.label,
            object_id=str(form.pk),
            actor=actor,
            created_at__gte=midnight,
            after__read="page",
        )
        if already.exists():
            return
    with transaction.atomic():
        audit_record(action=PERSONAL_VIEWED, obj=form, actor=_actor(actor), after={"read": read})


# --- uploads -------------------------------------------------------------------------------------


@dataclass
class UploadResult:
    name: str
    outcome: str  # created, duplicate, refused
    form: FormA | None = None
    earlier: FormA | None = None  # for a duplicate: the report first made from the same bytes
    earlier_visible: bool = False
    reason: str = ""
    notes: list[str] = field(default_factory=list)
    method: str = ""
    sections_found: list[int] = field(default_factory=list)
    sections_missing: list[int] = field(default_factory=list)

    CREATED = "created"
    DUPLICATE = "duplicate"
    REFUSED = "refused"


SECTION_NAMES_ID = {
    1: "I Data Pengawas",
    2: "II Kegiatan Pengawasan",
    3: "III Uraian Singkat Hasil Pengawasan",
    4: "IV Informasi Dugaan Pelanggaran",
    5: "V Informasi Potensi Sengketa",
}


def _read_upload(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _upload_location(
    actor: Any, found: parsing.FileNameLocation, name: str, notes: list[str]
) -> tuple[Region, int | None, bool]:
    """Where an uploaded report belongs: the actor's own place for a PTPS or PKD (the file name
    only checked), else the place the file name gives when it lies in the actor's area."""
    scope: Region = actor.scope_region
    if actor.role == Role.PTPS and actor.scope_tps_id:
        if found.tps_number and found.tps_number != actor.scope_tps.number:
            notes.append(f"nama berkas menyebut TPS {found.tps_number:03d}; laporan dicatat untuk TPS Anda")
        return actor.scope_tps.desa, actor.scope_tps.number, False
    if actor.role in (Role.PTPS, Role.PKD):
        if found.desa and found.desa != scope.code:
            notes.append("nama berkas menyebut desa lain; laporan dicatat untuk desa Anda")
        return scope, found.tps_number if (not found.desa or found.desa == scope.code) else None, False
    choices = selectors.location_choices(actor)
    target = found.desa or found.kecamatan
    if target and choices.filter(code=target).exists():
        region = Region.objects.get(code=target)
        is_rekap = region.level == Level.KECAMATAN and "rekap" in name.lower()
        if is_rekap:
            notes.append("nama berkas menyebut “rekap”: ditandai sebagai laporan rekap kecamatan")
        return region, found.tps_number if region.level == Level.DESA else None, is_rekap
    if target:
        notes.append("tempat dari nama berkas berada di luar wilayah Anda; pilih tempatnya saat memeriksa")
    else:
        notes.append("pilih kecamatan/desa saat memeriksa")
    return scope, None, False


def _upload_one(actor: Any, upload: Any, kecamatan: list, desa: list) -> UploadResult:
    name = (getattr(upload, "name", "") or "berkas")[:255]
    result = UploadResult(name=name, outcome=UploadResult.REFUSED)
    data = _read_upload(upload)
    if not data:
        result.reason = "berkas kosong"
        return result
    content_type = sniff_content_type(upload)
    if content_type not in (parsing.PDF, parsing.DOCX):
        result.reason = "bukan berkas PDF atau Word (DOCX)"
        return result
    try:
        check_evidence(upload, len(data), name)
    except EvidenceRejected as exc:
        result.reason = " ".join(exc.messages)
        return result
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = selectors.form_a_by_file(sha256)
    if earlier is not None:
        result.outcome = UploadResult.DUPLICATE
        result.earlier = earlier
        result.earlier_visible = FormA.objects.visible_to(actor).filter(pk=earlier.pk).exists()
        return result
    try:
        document = parsing.read_document(data, content_type)
    except parsing.UnreadableFile as exc:
        result.reason = str(exc)
        return result
    parsed = parsing.parse_form_a(document.text)
    if not parsed.found:
        result.reason = "tidak ditemukan satu pun bagian Formulir Model A (I–V); apakah ini Form A?"
        return result
    location = parsing.parse_filename(name, kecamatan, desa)
    notes = [*document.notes, *location.notes, *parsed.notes]
    if parsed.missing:
        notes.append("bagian tidak ditemukan: " + ", ".join(SECTION_NAMES_ID[n] for n in parsed.missing))
    region, tps_number, is_rekap = _upload_location(actor, location, name, notes)
    try:
        with transaction.atomic():
            evidence = evidence_store(data=upload, original_name=name, uploaded_by=actor)
            form = FormA(
                source=FormASource.UPLOADED,
                status=FormAStatus.DRAFT,
                created_by=_actor(actor),
                source_file=evidence,
                source_file_name=name,
                extraction_method=document.method or ExtractionMethod.NONE,
                extracted_text=document.text[:200_000],
                number=parsed.number[:100],
            )
            _apply_location(form, Location(region=region, tps_number=tps_number, is_rekap=is_rekap))
            data_fields: dict[str, Any] = dict(parsed.fields)
            data_fields["tahapan"] = parsed.tahapan or Tahapan.LAINNYA
            data_fields["report_date"] = parsed.report_date or parsed.kegiatan_tanggal or _today()
            data_fields["kegiatan_tanggal"] = parsed.kegiatan_tanggal or data_fields["report_date"]
            data_fields["place_signed"] = parsed.place_signed
            if not parsed.kegiatan_tanggal:
                notes.append("tanggal pengawasan tidak terbaca; periksa tanggalnya")
            _apply_fields(form, data_fields)
            form.parse_notes = notes
            form.save()
            audit_record(
                action="form_a.uploaded",
                obj=form,
                actor=_actor(actor),
                after={**snapshot(form, AUDITED_FIELDS), "file_sha256": evidence.sha256},
            )
    except EvidenceRejected as exc:
        result.reason = " ".join(exc.messages)
        return result
    result.outcome = UploadResult.CREATED
    result.form = form
    result.notes = notes
    result.method = document.method
    result.sections_found = parsed.found
    result.sections_missing = parsed.missing
    return result


def form_a_upload(*, actor: Any, files: Sequence[Any]) -> list[UploadResult]:
    """Read many Form A files (PDF or DOCX) into drafts for review, one transaction per file.

    A file that cannot be read is listed with the reason; a file whose bytes were uploaded before
    names the report made from it the first time.
    """
    kecamatan, desa = selectors.region_names(selectors.office_code(actor.scope_region_id or ""))
    return [_upload_one(actor, upload, kecamatan, desa) for upload in files]


# --- review of suggested indicators → kejadian ---------------------------------------------------


@dataclass(frozen=True)
class KejadianChoice:
    """One kejadian as the reviewer wants it recorded."""

    indicator: int
    severity: int
    date: dt.date
    region: Region


@dataclass(frozen=True)
class ReviewItem:
    suggestion: SuggestionDecision
    keep: bool
    choice: KejadianChoice | None = None  # required when kept


def _kejadian_record(
    *,
    indicator_number: int,
    region: Region,
    date: dt.date,
    tahapan: str,
    severity: int,
    note: str,
    source_ref: str,
    counted: bool,
    actor: Any,
) -> Kejadian:
    # awas.ikp owns kejadian: its service checks the indicator, the desa (in the actor's scope) and
    # the date, and writes the audit entry.
    return ikp_services.kejadian_create(
        actor=_actor(actor),
        indicator_number=indicator_number,
        region=region,
        date=date,
        tahapan=tahapan,
        severity=severity,
        note=note,
        source_ref=source_ref,
        counted=counted,
    )


def _choice_check(form: FormA, choice: KejadianChoice) -> None:
    if choice.indicator not in suggest.INDICATOR_NUMBERS:
        raise ValidationError(_("Unknown indicator %(n)s.") % {"n": choice.indicator}, code="indicator")
    if choice.severity not in (1, 2, 3):
        raise ValidationError(_("The severity is 1, 2 or 3."), code="severity")
    if choice.date > _today():
        raise ValidationError(FUTURE_DATE, code="future")
    if not selectors.kejadian_desa_choices(form).filter(code=choice.region.code).exists():
        raise ValidationError(
            _("%(desa)s is not a desa of this report.") % {"desa": choice.region.name}, code="desa"
        )


def kejadian_review(
    *, form: FormA, actor: Any, items: Sequence[ReviewItem], additions: Sequence[KejadianChoice] = ()
) -> list[Kejadian]:
    """Record the reviewer's decision on every suggestion, and a kejadian for each one kept or added.

    Nothing becomes a kejadian without this step. Kejadian of a kecamatan recap report are recorded
    with ``counted=False`` (the desa reports already count them). A suggestion kept with another
    indicator is ``changed``; the same indicator, desa and date twice make one kejadian.
    """
    with transaction.atomic():
        form = FormA.objects.select_for_update().get(pk=form.pk)
        if form.status != FormAStatus.FILED:
            raise ValidationError(NOT_FILED, code="not_filed")
        if form.kejadian_reviewed_at is not None:
            raise ValidationError(ALREADY_REVIEWED, code="reviewed")
        pending = {s.pk for s in form.suggestions.filter(decision=Decision.PENDING)}
        if {item.suggestion.pk for item in items} != pending:
            raise ValidationError(
                _("The suggestions changed while you were reviewing; open the page again."), code="stale"
            )
        for item in items:
            if item.keep:
                if item.choice is None:
                    raise ValidationError(_("Give the indicator of the kejadian."), code="missing")
                _choice_check(form, item.choice)
        for addition in additions:
            _choice_check(form, addition)

        now = timezone.now()
        made: dict[tuple[int, str, dt.date], Kejadian] = {}

        def record(choice: KejadianChoice, reason: str) -> Kejadian:
            key = (choice.indicator, choice.region.code, choice.date)
            if key not in made:
                made[key] = _kejadian_record(
                    indicator_number=choice.indicator,
                    region=choice.region,
                    date=choice.date,
                    tahapan=form.tahapan,
                    severity=choice.severity,
                    note=f"Form A {form.number}" + (f" ({reason})" if reason else ""),
                    source_ref=f"form_a:{form.pk}",
                    counted=not form.is_rekap,
                    actor=actor,
                )
            return made[key]

        for item in items:
            suggestion = item.suggestion
            suggestion.decided_by = _actor(actor)
            suggestion.decided_at = now
            if item.keep and item.choice is not None:
                choice = item.choice
                suggestion.decision = (
                    Decision.ACCEPTED
                    if choice.indicator == suggestion.suggested_indicator
                    else Decision.CHANGED
                )
                suggestion.final_indicator = choice.indicator
                suggestion.final_severity = choice.severity
                suggestion.final_date = choice.date
                suggestion.final_region = choice.region
                suggestion.kejadian = record(choice, suggestion.reason)
            else:
                suggestion.decision = Decision.REMOVED
            suggestion.save()
        for addition in additions:
            SuggestionDecision.objects.create(
                form=form,
                suggested_indicator=None,
                source=SuggestionSource.REVIEWER,
                decision=Decision.ADDED,
                final_indicator=addition.indicator,
                final_severity=addition.severity,
                final_date=addition.date,
                final_region=addition.region,
                kejadian=record(addition, ""),
                decided_by=_actor(actor),
                decided_at=now,
            )
        form.kejadian_reviewed_at = now
        form.kejadian_reviewed_by = _actor(actor)
        form.save(update_fields=["kejadian_reviewed_at", "kejadian_reviewed_by", "updated_at"])
        audit_record(
            action="form_a.indicators_reviewed",
            obj=form,
            actor=_actor(actor),
            after={
                "decisions": {str(i.suggestion.suggested_indicator): i.suggestion.decision for i in items},
                "added": [a.indicator for a in additions],
                "kejadian": sorted(k.pk for k in made.values()),
                "counted": not form.is_rekap,
            },
        )
    return list(made.values())


# --- temuan draft from section IV ----------------------------------------------------------------


def form_a_temuan_fields(form: FormA) -> dict[str, Any]:
    """Section IV as the plain fields ``awas.cases.services.workflow.temuan_from_form_a`` takes
    (cases imports nothing of supervision)."""
    region = form.region
    place = form.pelanggaran_tempat or region.name + (f", {form.tps_label}" if form.tps_label else "")

    def given(text: str) -> str:
        return "" if is_blank_entry(text) else text.strip()

    peristiwa = given(form.pelanggaran_peristiwa)
    title = (peristiwa or given(form.pelanggaran_uraian) or given(form.uraian)).splitlines()
    # Everything section IV says reaches the temuan, which the kajian and the plenary read without
    # the Form A: the whole event (the title holds only its first line), the account of section IV
    # or else of section III, the time as written (its hour; a day no date was read from), the
    # evidence, and which report by which supervisor it comes from. The saksi become the temuan's
    # saksi, shown (as on the Form A) only to the roles that handle it (UU 27/2022), never in the
    # chronology, which PKD and PTPS read.
    reporter = ", ".join(
        part for part in (form.pelaksana_nama.strip(), form.pelaksana_jabatan.strip()) if part
    )
    source = f"Dari Formulir Model A Nomor {form.number}" if form.number else "Dari Formulir Model A"
    chronology = "\n\n".join(
        part
        for part in (
            f"Peristiwa: {peristiwa}" if len(peristiwa.splitlines()) > 1 else "",
            given(form.pelanggaran_uraian) or given(form.uraian),
            f"Waktu kejadian: {given(form.pelanggaran_waktu)}" if given(form.pelanggaran_waktu) else "",
            f"Alat bukti: {given(form.alat_bukti)}" if given(form.alat_bukti) else "",
            f"{source}, dilaporkan oleh {reporter}." if reporter else f"{source}.",
        )
        if part
    )
    event_date = parsing.parse_date(form.pelanggaran_waktu) if form.pelanggaran_waktu else None
    return {
        "region_code": form.region_id,
        "title": (title[0] if title else f"Temuan dari Form A {form.number}")[:255],
        "chronology": chronology,
        "found_date": form.kegiatan_tanggal,
        "form_a_ref": str(form.pk),
        "event_date": event_date or form.kegiatan_tanggal,
        "event_place": place[:255],
        "terlapor_name": form.pelaku_nama[:200],
        "terlapor_address": form.pelaku_alamat[:255],
        "tps_id": form.tps_id,
        "witnesses": form_a_witnesses(form.saksi),
        "evidence": _form_a_evidence(form),
    }


_LIST_MARK = re.compile(r"^\s*(?:\d{1,2}\s*[.)]|[-•*])\s*")


def form_a_witnesses(saksi: str) -> tuple[str, ...]:
    """The saksi of section IV, one per line as the form lists them ("1. Ahmad Fauzi"), without
    the numbering; none for "Nihil" or "-"."""
    if is_blank_entry(saksi):
        return ()
    names = (_LIST_MARK.sub("", line).strip() for line in saksi.splitlines())
    return tuple(name[:200] for name in names if name and not is_blank_entry(name))


def _form_a_evidence(form: FormA) -> list[Any]:
    """The report's lampiran, and the uploaded report itself: evidence of the temuan, same hash."""
    from awas.cases.services import workflow

    files = []
    if form.source_file_id is not None:
        name = form.source_file_name or f"formulir-a-{form.pk}"
        files.append(
            workflow.StoredEvidence(form.source_file_id, name, f"Formulir Model A {form.number}".strip())
        )
    for attachment in form.attachments.select_related("evidence"):
        name = attachment.evidence.original_name or f"lampiran-{attachment.pk}"
        description = attachment.description or f"Lampiran Formulir Model A {form.number}".strip()
        files.append(workflow.StoredEvidence(attachment.evidence_id, name, description))
    return files


def form_a_to_temuan(*, form: FormA, actor: Any, election_type: str = ElectionType.PILKADA) -> Any:
    """A temuan draft in violation handling from this report's section IV (idempotent per report),
    under the law of ``election_type`` (Pilkada or Pemilu: their clocks differ)."""
    from awas.cases.services import workflow

    if not form.has_violation_info:
        raise ValidationError(_("Section IV of this report is empty."), code="no_violation")
    with transaction.atomic():
        form = FormA.objects.select_for_update().get(pk=form.pk)
        case = workflow.temuan_from_form_a(
            **form_a_temuan_fields(form), election_type=election_type, actor=actor
        )
        if form.temuan_id != case.pk:
            form.temuan = case
            form.save(update_fields=["temuan", "updated_at"])
            audit_record(
                action="form_a.temuan_created", obj=form, actor=_actor(actor), after={"case": case.pk}
            )
    return case


# --- the suggestion model ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainResult:
    trained: bool
    n_reports: int
    model: SuggestionModel | None = None
    positives: dict[int, int] = field(default_factory=dict)
    message: str = ""


def suggestion_model_train(*, actor: Any = None) -> TrainResult:
    """Fit the office's own model on its reviewed reports and make it the active one.

    Needs at least ``suggest.MIN_REVIEWED_REPORTS`` reviewed reports; indicators with fewer than
    ``suggest.MIN_POSITIVES`` reports (with and without them) stay with the phrase list alone.
    """
    texts, labels = selectors.training_data()
    if len(texts) < suggest.MIN_REVIEWED_REPORTS:
        return TrainResult(
            trained=False,
            n_reports=len(texts),
            message=_("Not enough reviewed reports yet: %(n)s of the %(min)s needed.")
            % {"n": len(texts), "min": suggest.MIN_REVIEWED_REPORTS},
        )
    try:
        fitted, positives = suggest.model_fit(texts, labels)
    except ValueError:
        return TrainResult(
            trained=False,
            n_reports=len(texts),
            message=_("No indicator has at least %(min)s reviewed reports with it and without it yet.")
            % {"min": suggest.MIN_POSITIVES},
        )
    with transaction.atomic():
        SuggestionModel.objects.filter(active=True).update(active=False)
        model = SuggestionModel.objects.create(
            trained_by=_actor(actor),
            n_reports=len(texts),
            indicators=list(fitted.indicators),
            positives={str(k): v for k, v in positives.items()},
            params={
                "vectorizer": {
                    k: list(v) if isinstance(v, tuple) else v for k, v in suggest.VECTORIZER_PARAMS.items()
                },
                "C": suggest.LOGISTIC_C,
                "threshold": suggest.MODEL_THRESHOLD,
            },
            weights=fitted.to_bytes(),
            active=True,
        )
        audit_record(
            action="supervision.model_trained",
            obj=model,
            actor=_actor(actor),
            after={"n_reports": len(texts), "indicators": list(fitted.indicators)},
        )
    return TrainResult(
        trained=True,
        n_reports=len(texts),
        model=model,
        positives=positives,
        message=_("Model trained on %(n)s reviewed reports for %(k)s indicators.")
        % {"n": len(texts), "k": len(fitted.indicators)},
    )
