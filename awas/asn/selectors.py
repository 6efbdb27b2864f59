"""Reads of the ASN register, always through the role (``awas.asn.permissions``) and the region scope.

Two reads are for the cyber app, which runs them for its matcher without a user:
``accounts_by_handle`` and ``persons_for_name_matching``. Whatever the cyber app shows from them
must go to the roles of ``permissions.REGISTER_VIEW`` only (tim siber is one of them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from awas.asn import permissions
from awas.asn.models import (
    AsnCaseLink,
    AsnSettings,
    FactorCode,
    ImbauanLetter,
    Person,
    PersonKind,
    Platform,
    RiskFactor,
    RosterImport,
    SocialAccount,
    Violation,
)
from awas.asn.risk import Breakdown, FactorSpec, risk_breakdown, score_expression
from awas.asn.seed import catalogue_read, catalogue_sync_into, risk_factors_seed_into
from awas.core.models import AuditEntry
from awas.core.roles import Level
from awas.core.scope import region_q
from awas.core.text import mentions
from awas.regions.models import Region

KECAMATAN_CODE_LENGTH = len("35.07.10")


# --- settings and factors -----------------------------------------------------------------------


def settings_get() -> AsnSettings:
    """The office's settings row, created with the defaults on first use."""
    row, _ = AsnSettings.objects.get_or_create(pk=1)
    return row


def factor_rows() -> list[RiskFactor]:
    """The risk factors with their weights; the defaults are added when missing (a fresh database)."""
    rows = list(RiskFactor.objects.all())
    if len(rows) < len(FactorCode.values):
        risk_factors_seed_into(RiskFactor)
        rows = list(RiskFactor.objects.all())
    order = {code: i for i, code in enumerate(FactorCode.values)}
    return sorted(rows, key=lambda row: order.get(row.code, len(order)))


def factor_specs() -> list[FactorSpec]:
    return [FactorSpec.from_model(row) for row in factor_rows()]


def position_keywords() -> tuple[str, ...]:
    return next((spec.keywords for spec in factor_specs() if spec.code == FactorCode.POSITION), ())


# --- the register (personal data) ---------------------------------------------------------------


def persons_visible(user: Any) -> QuerySet[Person]:
    """The persons ``user`` may see by name: none unless the role may (UU 27/2022), within scope."""
    if not permissions.sees_register(user):
        return Person.objects.none()
    return Person.objects.visible_to(user)


def with_scores(queryset: QuerySet[Person], factors: Sequence[FactorSpec] | None = None) -> QuerySet[Person]:
    return queryset.annotate(risk_score=score_expression(factors if factors is not None else factor_specs()))


@dataclass(frozen=True)
class PersonFilters:
    q: str = ""
    kind: str = ""
    kecamatan: str = ""
    agency: int | None = None
    at_risk: bool = False
    include_inactive: bool = False


def person_list(user: Any, filters: PersonFilters) -> QuerySet[Person]:
    """The register as ``user`` may see it, each person with ``risk_score``, riskiest first."""
    persons = with_scores(persons_visible(user)).select_related("agency", "region")
    if not filters.include_inactive:
        persons = persons.filter(active=True)
    if filters.q:
        digits = "".join(filters.q.split())
        persons = persons.filter(
            Q(name__icontains=filters.q)
            | Q(nip__startswith=digits)
            | Q(position__icontains=filters.q)
            | Q(agency__name__icontains=filters.q)
        )
    if filters.kind:
        persons = persons.filter(kind=filters.kind)
    if filters.kecamatan:
        persons = persons.filter(region_q("region__code", filters.kecamatan))
    if filters.agency:
        persons = persons.filter(agency_id=filters.agency)
    if filters.at_risk:
        persons = persons.filter(**{"risk_score__gte": float(settings_get().risk_threshold)})
    return persons.order_by("-risk_score", "name")


def person_get(user: Any, pk: int) -> Person | None:
    return with_scores(persons_visible(user)).select_related("agency", "region").filter(pk=pk).first()


def person_breakdown(person: Person) -> Breakdown:
    return risk_breakdown(person, factor_specs())


def person_case_links(person: Person) -> QuerySet[AsnCaseLink]:
    return (
        AsnCaseLink.objects.filter(person=person)
        .select_related("case", "violation", "follow_up")
        .order_by("-created_at")
    )


# What the audit log calls a read of the register's records (``services.person_read``).
PERSONAL_VIEWED = "asn.personal_viewed"


@dataclass(frozen=True)
class PersonsRead:
    on_pages: set[int]  # read on one of their own pages: the whole record
    in_lists: dict[str, set[int]]  # named in a list, by the list (``services.PERSON_LISTS``)


def persons_read_today(user: Any) -> PersonsRead:
    """The persons whose record ``user`` was already logged as shown since midnight (WIB), on
    their own pages (an entry for the person) and in a list (an entry naming the list's persons).
    One query, however many the list shows."""
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    entries = AuditEntry.objects.filter(
        action=PERSONAL_VIEWED, object_type=Person._meta.label, actor=user, created_at__gte=midnight
    )
    read = PersonsRead(set(), {})
    for object_id, after in entries.values_list("object_id", "after"):
        if object_id:
            read.on_pages.add(int(object_id))
        else:
            after = after or {}
            read.in_lists.setdefault(after.get("read", ""), set()).update(after.get("persons", []))
    return read


def roster_imports() -> QuerySet[RosterImport]:
    """The roster files taken in, newest first (file names and counts only)."""
    return RosterImport.objects.select_related("imported_by").order_by("-imported_at")


# --- aggregates (no names) ----------------------------------------------------------------------


@dataclass(frozen=True)
class KecamatanRisk:
    kode: str
    nama: str
    persons: int
    at_risk: int
    mean_score: float


@dataclass(frozen=True)
class RiskMap:
    threshold: float
    rows: list[KecamatanRisk]  # every visible kecamatan, zeros included, in code order
    outside: KecamatanRisk | None  # persons recorded at kabupaten level (no kecamatan)
    persons: int
    at_risk: int


def risk_by_kecamatan(user: Any) -> RiskMap:
    """Per kecamatan: active persons, persons at or above the threshold, and their mean score.

    Counts only: staf pencegahan reads this to target imbauan letters. The persons are those in
    ``user``'s scope; the role is checked by the caller's page (``permissions.AGGREGATE``).
    """
    threshold = float(settings_get().risk_threshold)
    empty = RiskMap(threshold, [], None, 0, 0)
    if not permissions.sees_aggregates(user):
        return empty
    persons = with_scores(Person.objects.visible_to(user).filter(active=True)).annotate(
        kecamatan_code=Substr(F("region_id"), 1, KECAMATAN_CODE_LENGTH)
    )
    grouped = {
        row["kecamatan_code"]: row
        for row in persons.values("kecamatan_code").annotate(
            n=Count("id"), at_risk=Count("id", filter=Q(risk_score__gte=threshold)), mean=Avg("risk_score")
        )
    }
    kecamatan = Region.objects.visible_to(user).filter(level=Level.KECAMATAN).order_by("code")
    rows = []
    for region in kecamatan:
        found = grouped.pop(region.code, None)
        rows.append(
            KecamatanRisk(
                kode=region.code,
                nama=region.name,
                persons=found["n"] if found else 0,
                at_risk=found["at_risk"] if found else 0,
                mean_score=round(float(found["mean"] or 0), 1) if found else 0.0,
            )
        )
    outside = None
    if grouped:  # persons above kecamatan level (an OPD at the kabupaten office)
        n = sum(r["n"] for r in grouped.values())
        total = sum(float(r["mean"] or 0) * r["n"] for r in grouped.values())
        outside = KecamatanRisk(
            kode="",
            nama="",
            persons=n,
            at_risk=sum(r["at_risk"] for r in grouped.values()),
            mean_score=round(total / n, 1) if n else 0.0,
        )
    all_rows = rows + ([outside] if outside else [])
    return RiskMap(
        threshold=threshold,
        rows=rows,
        outside=outside,
        persons=sum(r.persons for r in all_rows),
        at_risk=sum(r.at_risk for r in all_rows),
    )


def risk_counts_by_kind(user: Any) -> dict[str, int]:
    """Active persons in scope per kind (counts only)."""
    if not permissions.sees_aggregates(user):
        return {}
    counts = dict(
        Person.objects.visible_to(user).filter(active=True).values_list("kind").annotate(n=Count("id"))
    )
    return {kind: counts.get(kind, 0) for kind in PersonKind.values}


# --- for the cyber app --------------------------------------------------------------------------


def handle_normalise(handle: str) -> str:
    """``@Budi.Santoso `` → ``budi.santoso``: how handles are stored and compared."""
    return handle.strip().lstrip("@").strip().lower()


def accounts_by_handle(platform: str, handle: str) -> QuerySet[SocialAccount]:
    """The register's accounts with this handle on this platform (active persons), for matching."""
    if platform not in Platform.values:
        return SocialAccount.objects.none()
    return SocialAccount.objects.filter(
        platform=platform, handle=handle_normalise(handle), person__active=True
    ).select_related("person", "person__agency")


@dataclass(frozen=True)
class NameCandidate:
    person_id: int
    name: str
    name_key: str  # lower case, single spaces, for rapidfuzz
    kind: str
    position: str
    agency: str
    region_code: str


def persons_for_name_matching() -> list[NameCandidate]:
    """Every active person's name, for fuzzy matching of post authors (rapidfuzz)."""
    rows = Person.objects.filter(active=True).values_list(
        "id", "name", "kind", "position", "agency__name", "region_id"
    )
    return [
        NameCandidate(
            person_id=pk,
            name=name,
            name_key=" ".join(name.lower().split()),
            kind=kind,
            position=position,
            agency=agency or "",
            region_code=region,
        )
        for pk, name, kind, position, agency, region in rows.order_by("id")
    ]


# --- the catalogue, cases and follow-up --------------------------------------------------------


def catalogue() -> QuerySet[Violation]:
    """The SKB 2022 catalogue; loaded from its data file if the table is empty (a flushed database)."""
    if not Violation.objects.exists():
        catalogue_sync_into(Violation, catalogue_read())
    return Violation.objects.order_by("order")


def case_links_visible(user: Any) -> QuerySet[AsnCaseLink]:
    if not permissions.sees_follow_ups(user) or not user.scope_region_id:
        return AsnCaseLink.objects.none()
    return AsnCaseLink.objects.filter(region_q("person__region__code", user.scope_region_id)).select_related(
        "case", "person", "person__agency", "violation", "follow_up"
    )


def follow_ups(user: Any, *, overdue_on: dt.date | None = None) -> QuerySet[AsnCaseLink]:
    """Case links with their follow-up; with ``overdue_on``, only those whose PPK is late that day."""
    links = case_links_visible(user)
    if overdue_on is not None:
        links = links.filter(
            follow_up__ppk_due__lt=overdue_on, follow_up__decision_date__isnull=True
        ).order_by("follow_up__ppk_due")
    else:
        links = links.order_by("-created_at")
    return links


def case_find(user: Any, number: str) -> Any:
    """A case ``user`` may see, by registration number or tracking code."""
    from awas.cases.models import Case

    number = number.strip()
    if not number:
        return None
    return (
        Case.objects.visible_to(user)
        .filter(Q(registration_number__iexact=number) | Q(tracking_code__iexact=number))
        .first()
    )


def case_for_linking(user: Any, pk: Any) -> Any:
    """A case ``user`` may see, by its id (the case page's link to the register), else None."""
    from awas.cases.models import Case

    if not str(pk).isdigit():
        return None
    return Case.objects.visible_to(user).filter(pk=int(pk)).first()


# --- the ASN part of a case's page --------------------------------------------------------------

# The code of BKN among the cases app's referral bodies (``awas.cases.seed``; KASN until Aug 2024).
BKN_CODE = "bkn"
# When that body is missing or has no position words: the words of the ASN status itself.
ASN_WORDS = ("ASN", "PNS", "PPPK")


def bkn_referral_of(case: Any) -> Any:
    """The case's first referral to BKN (when it was forwarded), or None."""
    from awas.cases.models import Referral

    return Referral.objects.filter(case=case, body__code=BKN_CODE).order_by("sent_on", "pk").first()


def terlapor_looks_asn(case: Any) -> bool:
    """The terlapor's position names an ASN, by the words the cases app routes to BKN with
    (``ReferralBody.position_keywords`` of BKN, set by the office: "PNS" in "Guru PNS")."""
    from awas.cases.models import ReferralBody

    words = ReferralBody.objects.filter(code=BKN_CODE).values_list("position_keywords", flat=True).first()
    text = f"{case.terlapor_position} {case.terlapor_name}"
    return mentions(text, words or ASN_WORDS)


def follow_up_stage(follow_up: Any, today: dt.date) -> str:
    """Where a link's sanction stands, in the dashboard's words (its "Sanksi ASN" stages)."""
    if follow_up is None or (follow_up.forwarded_on is None and follow_up.recommendation_date is None):
        return _("Not yet forwarded to BKN")
    if follow_up.decision_date is not None:
        return _("Decided by the PPK")
    if follow_up.recommendation_date is None:
        return _("Waiting for BKN's recommendation")
    if follow_up.ppk_due is not None and follow_up.ppk_due < today:
        return _("PPK decision overdue")
    return _("Waiting for the PPK's decision")


@dataclass(frozen=True)
class CaseLinkRow:
    link: AsnCaseLink
    person: str  # the name, or "" for a role that may not see names
    nip: str
    stage: str


@dataclass(frozen=True)
class CasePanel:
    rows: list[CaseLinkRow]
    referral: Any  # the first referral to BKN, or None
    looks_asn: bool
    shows_persons: bool  # may open the register's pages of the persons
    can_link: bool  # may link the case to a person and record the follow-up


def case_panel(user: Any, case: Any, today: dt.date) -> CasePanel | None:
    """The ASN links of ``case`` for its page, or None when nothing is to be shown: for roles that
    do not follow ASN sanctions (their records are personal data, UU 27/2022), and for a case
    with no link, no referral to BKN and a terlapor whose position does not name an ASN."""
    if not permissions.sees_follow_ups(user):
        return None
    links = list(case_links_visible(user).filter(case=case).order_by("created_at", "pk"))
    referral = bkn_referral_of(case)
    looks_asn = terlapor_looks_asn(case)
    if not links and referral is None and not looks_asn:
        return None
    names = permissions.sees_register(user)
    rows = [
        CaseLinkRow(
            link=link,
            person=link.person.name if names else "",
            nip=(link.person.nip or "") if names else "",
            stage=follow_up_stage(getattr(link, "follow_up", None), today),
        )
        for link in links
    ]
    return CasePanel(
        rows=rows,
        referral=referral,
        looks_asn=looks_asn,
        shows_persons=names,
        can_link=names and permissions.edits_follow_ups(user),
    )


# --- letters --------------------------------------------------------------------------------


def letters_visible(user: Any) -> QuerySet[ImbauanLetter]:
    if not permissions.sees_letters(user) or not user.scope_region_id:
        return ImbauanLetter.objects.none()
    scope = user.scope_region_id
    return ImbauanLetter.objects.filter(region_q("office_code", scope)).select_related("agency")
