"""Every write of the ASN register, each in one transaction with its audit entry.

Views and forms check what people type; these functions check what must hold whatever the caller
(an ASN has a valid NIP, a sanction comes with the PPK's decision date) and store it.

Roster imports are all or nothing: every row is checked first (``awas.asn.roster``) and nothing is
stored unless every row passes. A row whose NIP is already registered **updates** that person
(name, kind, agency, jabatan, unit, place and what the NIP says; the mobilising position is
detected again unless staff set it); the risk facts, accounts, notes and case links stay. A row
without NIP updates the person of the same kind, name (ignoring case) and place, if any. The
import itself is one audit entry with the file's SHA-256 and the counts, and every person it
touched points to it (``Person.source_import``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from awas.asn.models import (
    Agency,
    AsnCaseLink,
    AsnSettings,
    AsnStatus,
    FactorCode,
    ImbauanLetter,
    PartisanPost,
    Person,
    PersonKind,
    RecipientKind,
    RiskFactor,
    RosterImport,
    Sanction,
    SanctionFollowUp,
    SocialAccount,
    Violation,
)
from awas.asn.nip import NipInfo, nip_parse
from awas.asn.risk import position_mobilises
from awas.asn.roster import (
    Place,
    PlaceMatcher,
    RosterFileError,
    RowError,
    name_key,
    read_roster,
    rows_check,
)
from awas.asn.seed import CATALOGUE_PATH, catalogue_read, catalogue_sync_into
from awas.asn.selectors import (
    BKN_CODE,
    PERSONAL_VIEWED,
    bkn_referral_of,
    handle_normalise,
    persons_read_today,
    position_keywords,
    settings_get,
)
from awas.cases.formatting import today_local
from awas.cases.services.common import ROMAN_MONTHS, counter_next
from awas.core.models.deadlines import DayType
from awas.core.roles import Level
from awas.core.services.audit import audit_record, changed, snapshot
from awas.core.services.deadlines import add_days, holiday_dates
from awas.regions.models import Region

NEEDS_NIP = "An ASN needs a NIP."
SANCTION_NEEDS_DECISION = "A sanction is recorded with the date of the PPK's decision."
DECISION_NEEDS_SANCTION = "Choose the sanction the PPK imposed (or 'no sanction imposed')."
DECISION_BEFORE_RECOMMENDATION = "The PPK's decision cannot come before BKN's recommendation."
RECOMMENDATION_BEFORE_FORWARDING = "BKN's recommendation cannot come before the case was forwarded."
ALREADY_LINKED = "This case is already linked to this person for this act."
NO_RECIPIENTS = "Choose at least one addressee."


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


# --- the mobilising position --------------------------------------------------------------------


def detect_mobilising(kind: str, position: str, keywords: Sequence[str]) -> bool:
    """A kepala desa always can; anyone else when the jabatan has one of the keywords."""
    return kind == PersonKind.KEPALA_DESA or position_mobilises(position, keywords)


def mobilising_redetect(keywords: Sequence[str] | None = None) -> int:
    """Detect the mobilising position of every person again (after the keywords changed)."""
    keywords = position_keywords() if keywords is None else keywords
    changed_persons = []
    for person in Person.objects.only("id", "kind", "position", "mobilising_detected").iterator(
        chunk_size=2000
    ):
        detected = detect_mobilising(person.kind, person.position, keywords)
        if detected != person.mobilising_detected:
            person.mobilising_detected = detected
            changed_persons.append(person)
    Person.objects.bulk_update(changed_persons, ["mobilising_detected"], batch_size=1000)
    return len(changed_persons)


# --- agencies ----------------------------------------------------------------------------------


def agency_for_name(name: str, cache: dict[str, Agency] | None = None) -> Agency | None:
    """The agency of this name (ignoring case and spacing), created when new."""
    name = " ".join(name.split())
    if not name:
        return None
    key = name.lower()
    if cache is not None and key in cache:
        return cache[key]
    agency = Agency.objects.filter(name__iexact=name).first() or Agency.objects.create(name=name)
    if cache is not None:
        cache[key] = agency
    return agency


# --- roster import -----------------------------------------------------------------------------


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    record: RosterImport | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def import_kabupaten(user: Any) -> Region | None:
    """The kabupaten/kota a user's roster belongs to: that of the scope, or the only one under it."""
    scope = getattr(user, "scope_region_id", None)
    if not scope:
        return None
    parts = scope.split(".")
    if len(parts) >= 2:
        return Region.objects.filter(code=".".join(parts[:2])).first()
    found = list(Region.objects.filter(level=Level.KABUPATEN, code__startswith=scope + ".")[:2])
    return found[0] if len(found) == 1 else None


def _matchers(kabupaten: Region, with_desa: bool) -> tuple[PlaceMatcher, dict[str, PlaceMatcher]]:
    kecamatan = Region.objects.filter(level=Level.KECAMATAN, parent=kabupaten).values_list("code", "name")
    desa_by_kecamatan: dict[str, PlaceMatcher] = {}
    if with_desa:
        grouped: dict[str, list[Place]] = {}
        for code, name, parent in Region.objects.filter(
            level=Level.DESA, code__startswith=kabupaten.code + "."
        ).values_list("code", "name", "parent_id"):
            grouped.setdefault(parent, []).append(Place(code, name))
        desa_by_kecamatan = {code: PlaceMatcher(places) for code, places in grouped.items()}
    return PlaceMatcher(Place(c, n) for c, n in kecamatan), desa_by_kecamatan


def _apply_nip(person: Person, info: NipInfo | None) -> None:
    if info is None:
        return
    person.nip = info.nip
    person.birth_date = info.birth_date
    person.sex = info.sex
    person.appointment_year = info.appointment_year
    person.appointment_month = info.appointment_month
    person.asn_status = AsnStatus.PPPK if info.pppk else AsnStatus.PNS


IMPORT_FIELDS = [
    "kind",
    "name",
    "nip",
    "birth_date",
    "sex",
    "appointment_year",
    "appointment_month",
    "asn_status",
    "agency",
    "position",
    "unit",
    "region",
    "mobilising_detected",
    "active",
    "source_import",
]


def _chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def roster_import(
    *,
    data: bytes,
    file_name: str,
    actor: Any,
    kabupaten: Region,
    default_kind: str = PersonKind.ASN,
    today: dt.date | None = None,
) -> ImportResult:
    """Check every row of a roster file, then store all of them, or none when any row is wrong."""
    today = today or today_local()
    try:
        raw_rows = read_roster(data, file_name)
    except RosterFileError as error:
        return ImportResult(errors=[RowError(0, str(error))])
    kecamatan, desa = _matchers(kabupaten, with_desa=any(r.cells.get("desa") for r in raw_rows))
    check = rows_check(
        raw_rows,
        kecamatan=kecamatan,
        desa_by_kecamatan=desa,
        kabupaten_code=kabupaten.code,
        default_kind=default_kind,
        today=today,
    )
    if check.errors:
        return ImportResult(rows=len(raw_rows), errors=check.errors)
    if not check.rows:
        return ImportResult(errors=[RowError(0, _("The file has no data rows."))])

    keywords = position_keywords()
    with transaction.atomic():
        record = RosterImport.objects.create(
            file_name=file_name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(check.rows),
            imported_by=_actor(actor),
        )
        nips = [row.nip.nip for row in check.rows if row.nip]
        by_nip: dict[str, Person] = {}
        for chunk in _chunks(nips):
            by_nip.update({p.nip: p for p in Person.objects.filter(nip__in=chunk) if p.nip})
        without_nip = [row for row in check.rows if row.nip is None]
        by_key: dict[tuple[str, str, str], Person] = {}
        if without_nip:
            names = {row.name.lower() for row in without_nip}
            for person in Person.objects.filter(nip__isnull=True, kind__in={r.kind for r in without_nip}):
                if person.name.lower() in names:
                    by_key[(person.kind, name_key(person.name), person.region_id)] = person

        agencies: dict[str, Agency] = {}
        to_create: list[Person] = []
        to_update: list[Person] = []
        for row in check.rows:
            existing = (
                by_nip.get(row.nip.nip)
                if row.nip
                else by_key.get((row.kind, name_key(row.name), row.region_code))
            )
            person = existing or Person()
            person.kind = row.kind
            person.name = row.name
            _apply_nip(person, row.nip)
            if person.kind != PersonKind.ASN and row.nip is None:
                person.asn_status = ""
            person.agency = agency_for_name(row.agency, agencies) if row.agency else None
            person.position = row.position
            person.unit = row.unit
            person.region_id = row.region_code
            person.mobilising_detected = detect_mobilising(row.kind, row.position, keywords)
            person.active = True
            person.source_import = record
            (to_update if existing else to_create).append(person)
        Person.objects.bulk_create(to_create, batch_size=1000)
        Person.objects.bulk_update(to_update, IMPORT_FIELDS, batch_size=1000)
        record.created, record.updated = len(to_create), len(to_update)
        record.save(update_fields=["created", "updated"])
        audit_record(
            action="asn.roster_imported",
            obj=record,
            actor=_actor(actor),
            after={
                "file_name": record.file_name,
                "sha256": record.sha256,
                "rows": record.rows,
                "created": record.created,
                "updated": record.updated,
                "kabupaten": kabupaten.code,
            },
        )
    return ImportResult(rows=len(check.rows), created=record.created, updated=record.updated, record=record)


# --- reads of the register (personal data) ----------------------------------------------------

# The lists that name the register's persons (name, NIP, jabatan, unit or sanction): the
# register's own pages, and a captured post's page in cyber, which names the persons its author
# was matched to (name, jabatan, instansi).
PERSON_LISTS = ("register", "follow_ups", "post_matches")


def person_read(*, person: Person, actor: Any) -> None:
    """Log that ``actor`` was shown ``person``'s record (name, NIP, jabatan, unit, risk, case links
    and sanctions) on one of the person's pages: their page, its edit form, the form linking them
    to a case, their sanction follow-up (UU 27/2022: the office can say who read whose record, as
    for a case's pelapor). Once a day for each user and person, whichever of those pages: one
    reloaded all afternoon is one entry."""
    if person.pk in persons_read_today(actor).on_pages:
        return
    with transaction.atomic():
        audit_record(action=PERSONAL_VIEWED, obj=person, actor=_actor(actor), after={"read": "page"})


def persons_listed(*, persons: Sequence[Person], actor: Any, listing: str) -> None:
    """Log that ``actor`` was shown the names of ``persons`` in one of the ``PERSON_LISTS``: one
    entry naming the persons of the page (their ids), when at least one of them was not logged
    today for this user, by the same list or their own page (which shows all a list does). Paging
    through the register logs each page once a day; a page of persons all read already, or of no
    one, logs nothing."""
    if listing not in PERSON_LISTS:
        raise ValueError(listing)
    shown = sorted({person.pk for person in persons})
    if not shown:
        return
    read = persons_read_today(actor)
    if not set(shown) - read.on_pages - read.in_lists.get(listing, set()):
        return
    with transaction.atomic():
        audit_record(
            action=PERSONAL_VIEWED,
            object_type=Person._meta.label,
            object_repr=listing,
            actor=_actor(actor),
            after={"read": listing, "persons": shown},
        )


# --- one person --------------------------------------------------------------------------------


def person_save(*, person: Person, actor: Any, today: dt.date | None = None) -> Person:
    """Store a person added or edited by staff (fields already set); what the NIP says is derived."""
    today = today or today_local()
    if person.nip:
        _apply_nip(person, nip_parse(person.nip, today))
    else:
        person.nip = None
        if person.kind == PersonKind.ASN:
            raise ValidationError({"nip": _(NEEDS_NIP)})
        person.birth_date = None
        person.sex = ""
        person.appointment_year = person.appointment_month = None
        person.asn_status = ""
    person.mobilising_detected = detect_mobilising(person.kind, person.position, position_keywords())
    with transaction.atomic():
        before = snapshot(Person.objects.get(pk=person.pk)) if person.pk else None
        if person.agency is not None and person.agency.pk is None:
            person.agency = agency_for_name(person.agency.name)
        person.full_clean()
        person.save()
        old, new = changed(before, snapshot(person)) if before else (None, snapshot(person))
        audit_record(
            action="asn.person_changed" if before else "asn.person_added",
            obj=person,
            actor=_actor(actor),
            before=old,
            after=new,
        )
    return person


def account_add(*, person: Person, platform: str, handle: str, url: str = "", actor: Any) -> SocialAccount:
    account = SocialAccount(
        person=person, platform=platform, handle=handle_normalise(handle), url=url.strip()
    )
    account.full_clean()
    try:
        with transaction.atomic():
            account.added_by = _actor(actor)
            account.save()
            audit_record(
                action="asn.account_added", obj=account, actor=_actor(actor), after=snapshot(account)
            )
    except IntegrityError as error:
        raise ValidationError(_("This account is already recorded for this person.")) from error
    return account


def account_remove(*, account: SocialAccount, actor: Any) -> None:
    with transaction.atomic():
        audit_record(action="asn.account_removed", obj=account, actor=_actor(actor), before=snapshot(account))
        account.delete()


def asn_record_partisan_post(person: Person, post_ref: str, *, actor: Any = None) -> int:
    """The cyber team attributed a partisan post to ``person``: count it once. Returns the count.

    For the cyber app (``post_ref`` is its own reference, e.g. ``post:40``); recording the same
    post again changes nothing.
    """
    post_ref = post_ref.strip()[:100]
    with transaction.atomic():
        _post, created = PartisanPost.objects.get_or_create(person=person, post_ref=post_ref)
        if created:
            Person.objects.filter(pk=person.pk).update(partisan_posts=F("partisan_posts") + 1)
            person.refresh_from_db(fields=["partisan_posts"])
            audit_record(
                action="asn.partisan_post_recorded",
                obj=person,
                actor=_actor(actor),
                after={"post_ref": post_ref, "partisan_posts": person.partisan_posts},
            )
    return person.partisan_posts


def asn_withdraw_partisan_post(person: Person, post_ref: str, *, actor: Any = None) -> int:
    """The cyber team withdrew an attribution (review found it wrong). Returns the count."""
    with transaction.atomic():
        deleted, _rows = PartisanPost.objects.filter(person=person, post_ref=post_ref.strip()).delete()
        if deleted:
            Person.objects.filter(pk=person.pk, partisan_posts__gt=0).update(
                partisan_posts=F("partisan_posts") - 1
            )
            person.refresh_from_db(fields=["partisan_posts"])
            audit_record(
                action="asn.partisan_post_withdrawn",
                obj=person,
                actor=_actor(actor),
                after={"post_ref": post_ref, "partisan_posts": person.partisan_posts},
            )
    return person.partisan_posts


# --- weights and settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class FactorChange:
    code: str
    weight: Decimal | float
    saturation: int | None = None
    keywords: Sequence[str] | None = None


def risk_settings_update(
    *, factors: Sequence[FactorChange], settings_fields: dict[str, Any], actor: Any
) -> AsnSettings:
    """Change the weights (and keywords, saturation) and the office settings; audited per row."""
    keywords_changed = False
    with transaction.atomic():
        for change in factors:
            row = RiskFactor.objects.select_for_update().get(code=change.code)
            before = snapshot(row)
            row.weight = Decimal(str(change.weight))
            if change.saturation is not None:
                row.saturation = change.saturation
            if change.keywords is not None:
                cleaned = [" ".join(k.lower().split()) for k in change.keywords if k.strip()]
                keywords_changed |= row.code == FactorCode.POSITION and cleaned != row.keywords
                row.keywords = cleaned
            row.full_clean()
            row.save()
            old, new = changed(before, snapshot(row))
            if new:
                audit_record(
                    action="asn.risk_factor_changed", obj=row, actor=_actor(actor), before=old, after=new
                )
        current = settings_get()
        before = snapshot(current)
        for name, value in settings_fields.items():
            setattr(current, name, value)
        current.full_clean()
        current.save()
        old, new = changed(before, snapshot(current))
        if new:
            audit_record(
                action="asn.settings_changed", obj=current, actor=_actor(actor), before=old, after=new
            )
        if keywords_changed:
            mobilising_redetect()
    return current


def catalogue_load() -> tuple[int, int]:
    """Make the SKB 2022 catalogue match ``awas/asn/data/skb2022.yaml`` (created, updated)."""
    specs = catalogue_read(CATALOGUE_PATH)
    with transaction.atomic():
        created, updated = catalogue_sync_into(Violation, specs)
        if created or updated:
            audit_record(
                action="asn.catalogue_loaded",
                object_type="asn.Violation",
                object_repr="SKB 2022",
                after={"created": created, "updated": updated},
            )
    return created, updated


# --- cases and sanctions -------------------------------------------------------------------------


def case_link_create(
    *,
    case: Any,
    person: Person,
    violation: Violation,
    stage: str,
    sbt_number: str = "",
    note: str = "",
    actor: Any,
) -> AsnCaseLink:
    """Record that ``case`` concerns ``person`` for an act of the SKB 2022 catalogue."""
    link = AsnCaseLink(
        case=case, person=person, violation=violation, stage=stage, sbt_number=sbt_number.strip(), note=note
    )
    link.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            link.created_by = _actor(actor)
            link.save()
            audit_record(action="asn.case_linked", obj=link, actor=_actor(actor), after=snapshot(link))
            referral = bkn_referral_of(case)
            if referral is not None:  # linked after the case went to BKN: it was forwarded then
                forwarded_fill(link, referral=referral, actor=actor)
    except IntegrityError as error:
        raise ValidationError(_(ALREADY_LINKED)) from error
    return link


def forwarded_fill(link: AsnCaseLink, *, referral: Any, actor: Any) -> SanctionFollowUp | None:
    """The case went to BKN with ``referral``: its date is when the link was forwarded, unless
    staff recorded a forwarding date already (or a recommendation before it: left as typed).
    Returns the follow-up changed, if any. Call inside the caller's transaction."""
    follow_up = SanctionFollowUp.objects.select_for_update().filter(link=link).first()
    if follow_up is not None and (
        follow_up.forwarded_on is not None
        or (follow_up.recommendation_date and follow_up.recommendation_date < referral.sent_on)
    ):
        return None
    follow_up = follow_up or SanctionFollowUp(link=link)
    before = snapshot(follow_up) if follow_up.pk else None
    follow_up.forwarded_on = referral.sent_on
    follow_up.updated_by = _actor(actor)
    follow_up.save()
    old, new = changed(before, snapshot(follow_up)) if before else (None, snapshot(follow_up))
    audit_record(
        action="asn.follow_up_saved",
        obj=follow_up,
        actor=_actor(actor),
        before=old,
        after={**new, "reason": f"referral {referral.letter_number} to BKN"},
    )
    return follow_up


def case_referred_to_bkn(*, referral: Any, actor: Any = None, **_signal: Any) -> int:
    """Receiver of ``awas.cases.services.workflow.case_referred``: a referral to BKN dates the
    forwarding of every ASN link of its case. Returns how many follow-ups changed.

    A signal rather than a call from the cases workflow: cases imports nothing of this app
    (ARCHITECTURE.md, "Which app may import which"), so it announces the referral and this app,
    connected in ``AsnConfig.ready``, follows it up in the same transaction (the referral and the
    forwarding date are stored together, or neither is).
    """
    if referral.body.code != BKN_CODE:
        return 0
    links = AsnCaseLink.objects.filter(case_id=referral.case_id).order_by("pk")
    return sum(forwarded_fill(link, referral=referral, actor=actor) is not None for link in links)


def case_referral_to_bkn_cancelled(*, referral: Any, actor: Any = None, **_signal: Any) -> int:
    """Receiver of ``awas.cases.services.workflow.referral_cancelled``: a referral to BKN withdrawn
    as recorded in error takes back the forwarding date it gave the case's links (the dashboard
    counted them as at BKN), unless staff typed another date or BKN's recommendation is recorded
    since. Returns how many follow-ups changed."""
    if referral.body.code != BKN_CODE:
        return 0
    dated = SanctionFollowUp.objects.select_for_update().filter(
        link__case_id=referral.case_id, forwarded_on=referral.sent_on, recommendation_date__isnull=True
    )
    count = 0
    for follow_up in dated.order_by("pk"):
        before = snapshot(follow_up)
        follow_up.forwarded_on = None
        follow_up.updated_by = _actor(actor)
        follow_up.save()
        old, new = changed(before, snapshot(follow_up))
        audit_record(
            action="asn.follow_up_saved",
            obj=follow_up,
            actor=_actor(actor),
            before=old,
            after={**new, "reason": f"referral {referral.letter_number} to BKN withdrawn"},
        )
        count += 1
    return count


def ppk_due_date(recommendation_date: dt.date, current: AsnSettings | None = None) -> dt.date:
    """When the PPK must have decided: the office's setting counted from BKN's recommendation.

    Default 14 hari kerja: under the SKB 2022, BKN escalated (peringatan, teguran, blocking of
    personnel data) when the PPK had not acted within 14 working days (DOMAIN.md Addendum C,
    jpnn.com). Whether that still applies since BKN took over from KASN (24 Aug 2024) is
    **unverified**; a 2020 Kemendagri statement gave 10 days. The office sets its own figure.
    """
    current = current or settings_get()
    holidays = (
        holiday_dates(since=recommendation_date) if current.ppk_day_type == DayType.WORKING else frozenset()
    )
    return add_days(recommendation_date, current.ppk_days, current.ppk_day_type, holidays)


FOLLOW_UP_FIELDS = (
    "forwarded_on",
    "recommendation_number",
    "recommendation_date",
    "ppk",
    "decision_number",
    "decision_date",
    "sanction",
    "bkn_status",
    "note",
)
FOLLOW_UP_DATES = frozenset({"forwarded_on", "recommendation_date", "decision_date"})


def follow_up_save(*, link: AsnCaseLink, values: dict[str, Any], actor: Any) -> SanctionFollowUp:
    """Record the steps from forwarding to the PPK's decision; the PPK's due date follows."""
    follow_up = SanctionFollowUp.objects.filter(link=link).first() or SanctionFollowUp(link=link)
    before = snapshot(follow_up) if follow_up.pk else None
    for name in FOLLOW_UP_FIELDS:
        if name in values:
            value = values[name]
            if value is None and name not in FOLLOW_UP_DATES:
                value = ""
            setattr(follow_up, name, value)
    errors: dict[str, str] = {}
    if follow_up.sanction and not follow_up.decision_date:
        errors["decision_date"] = _(SANCTION_NEEDS_DECISION)
    if follow_up.decision_date and not follow_up.sanction:
        errors["sanction"] = _(DECISION_NEEDS_SANCTION)
    if (
        follow_up.decision_date
        and follow_up.recommendation_date
        and follow_up.decision_date < follow_up.recommendation_date
    ):
        errors["decision_date"] = _(DECISION_BEFORE_RECOMMENDATION)
    if (
        follow_up.recommendation_date
        and follow_up.forwarded_on
        and follow_up.recommendation_date < follow_up.forwarded_on
    ):
        errors["recommendation_date"] = _(RECOMMENDATION_BEFORE_FORWARDING)
    if errors:
        raise ValidationError(errors)
    follow_up.ppk_due = ppk_due_date(follow_up.recommendation_date) if follow_up.recommendation_date else None
    with transaction.atomic():
        follow_up.updated_by = _actor(actor)
        follow_up.full_clean()
        follow_up.save()
        old, new = changed(before, snapshot(follow_up)) if before else (None, snapshot(follow_up))
        audit_record(action="asn.follow_up_saved", obj=follow_up, actor=_actor(actor), before=old, after=new)
        person = link.person
        if follow_up.sanction and follow_up.sanction != Sanction.NONE and not person.past_violation:
            person.past_violation = True
            person.save(update_fields=["past_violation", "updated_at"])
            audit_record(
                action="asn.person_changed",
                obj=person,
                actor=_actor(actor),
                before={"past_violation": False},
                after={"past_violation": True, "reason": f"sanction on link {link.pk}"},
            )
    return follow_up


# --- imbauan letters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    kind: str
    name: str  # as addressed: "Kepala Dinas Pendidikan Kabupaten Malang", "Camat Gondanglegi"
    agency: Agency | None = None


def letter_number(office_code: str, day: dt.date, current: AsnSettings | None = None) -> str:
    """The next number of the office's yearly sequence of ASN imbauan letters."""
    current = current or settings_get()
    seq = counter_next(f"asn_imbauan:{office_code}", day.year)
    return current.letter_number_format.format(
        seq=seq, office=office_code, month_roman=ROMAN_MONTHS[day.month - 1], year=day.year
    )


def imbauan_issue(
    *,
    recipients: Sequence[Recipient],
    subject: str,
    body: str,
    letter_date: dt.date,
    office: Region,
    actor: Any,
    recipient_place: str = "Tempat",
    signer_name: str = "",
    signer_title: str = "",
) -> list[ImbauanLetter]:
    """One numbered letter per addressee, in one transaction (numbers are never skipped)."""
    if not recipients:
        raise ValidationError(_(NO_RECIPIENTS))
    current = settings_get()
    letters = []
    with transaction.atomic():
        for recipient in recipients:
            letter = ImbauanLetter(
                number=letter_number(office.code, letter_date, current),
                letter_date=letter_date,
                recipient_kind=recipient.kind
                if recipient.kind in RecipientKind.values
                else RecipientKind.OTHER,
                agency=recipient.agency,
                recipient=recipient.name[:255],
                recipient_place=recipient_place or "Tempat",
                subject=subject,
                body=body,
                office=office.display_name,
                office_code=office.code,
                city=current.letter_city,
                signer_name=signer_name or current.signer_name,
                signer_title=signer_title or current.signer_title,
                created_by=_actor(actor),
            )
            letter.full_clean()
            letter.save()
            audit_record(action="asn.imbauan_issued", obj=letter, actor=_actor(actor), after=snapshot(letter))
            letters.append(letter)
    return letters
