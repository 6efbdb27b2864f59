"""Data for the dashboard tests: a few exact records, or a whole year of generated ones."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from awas.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    Decision,
    DecisionOutcome,
    Referral,
    ReferralBody,
    StatusChange,
)
from awas.conftest import KAB_MALANG, verified_client
from awas.core.roles import Level, Role
from awas.core.services.deadlines import office_timezone
from awas.dashboard.selectors import office_today
from awas.ikp.models import Kejadian, Tahapan
from awas.ikp.services import framework_load_builtin
from awas.outreach.models import Activity, ActivityKind, ActivityStatus
from awas.regions.models import Region


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Figures are cached between requests: every test starts (and leaves) the cache empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def today() -> dt.date:
    return office_today()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware moment on ``day`` in office time."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=office_timezone())


_codes = itertools.count(1)
_blocks = itertools.count(1)


def make_case(
    region: str,
    *,
    kind: str = CaseKind.LAPORAN,
    status: str = CaseStatus.RECEIVED,
    received: dt.datetime | None = None,
    **fields: Any,
) -> Case:
    n = next(_codes)
    return Case.objects.create(
        kind=kind,
        status=status,
        region_id=region,
        tracking_code=f"AWS-T{n:07d}",
        title=fields.pop("title", f"Dugaan pelanggaran {n}"),
        received_at=received or timezone.now(),
        **fields,
    )


def referral_body() -> ReferralBody:
    body, _created = ReferralBody.objects.get_or_create(
        code="kpu-kab-malang", defaults={"name": "KPU Kabupaten Malang", "outcomes": ["administrasi"]}
    )
    return body


@pytest.fixture
def office_client(malang: Any, make_user: Callable[..., Any]) -> Callable[..., Client]:
    """``office_client(Role.PIMPINAN)``: a verified client of a kabupaten-wide office user."""

    def make(role: str = Role.PIMPINAN) -> Client:
        return verified_client(make_user(role, KAB_MALANG, username=f"{role}-dasbor"))

    return make


# --- a year of generated data --------------------------------------------------------------------


@dataclass
class YearOfData:
    cases: int
    kejadian: int
    activities: int
    asn_links: int


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.REGISTERED, CaseStatus.CLARIFICATION, CaseStatus.STUDY)
DECIDED_STATUSES = (CaseStatus.DECIDED, CaseStatus.REFERRED, CaseStatus.CLOSED)
REGISTERED_STATUSES = (
    CaseStatus.REGISTERED,
    CaseStatus.CLARIFICATION,
    CaseStatus.STUDY,
    *DECIDED_STATUSES,
)


def generate_year(
    *, cases: int = 2500, kejadian: int = 3000, activities: int = 900, asn_links: int = 60, seed: int = 7
) -> YearOfData:
    """Twelve months of plausible records over every desa of Kabupaten Malang, written in bulk."""
    rng = random.Random(seed)
    today = office_today()
    desa = list(
        Region.objects.filter(level=Level.DESA, code__startswith=KAB_MALANG + ".").values_list(
            "code", flat=True
        )
    )
    kecamatan = list(
        Region.objects.filter(level=Level.KECAMATAN, code__startswith=KAB_MALANG + ".").values_list(
            "code", flat=True
        )
    )
    framework_load_builtin()
    body = referral_body()

    def day_in_year() -> dt.date:
        return today - dt.timedelta(days=rng.randrange(0, 360))

    block = next(_blocks)
    rows = []
    finished = (*DECIDED_STATUSES, CaseStatus.ARCHIVED, CaseStatus.NOT_REGISTERED, CaseStatus.FOLLOWED_UP)
    for i in range(cases):
        received_day = day_in_year()
        # As in an office: cases of the last weeks are still being handled, older ones mostly ended.
        young = (today - received_day).days < 20
        status = rng.choice(
            (*OPEN_STATUSES, CaseStatus.INCOMPLETE) if young or rng.random() < 0.03 else finished
        )
        rows.append(
            Case(
                kind=rng.choice(CaseKind.values),
                status=status,
                region_id=rng.choice(desa),
                tracking_code=f"AWS-Y{block}-{i:05d}",
                title=f"Kejadian {i}",
                received_at=at(received_day, rng.randrange(7, 20)),
                decision_due=received_day + dt.timedelta(days=14),
                completion_due=received_day + dt.timedelta(days=3),
            )
        )
    created = Case.objects.bulk_create(rows, batch_size=500)
    if not created[0].pk:  # a backend that does not return keys: read them back
        created = list(Case.objects.filter(tracking_code__startswith=f"AWS-Y{block}-").order_by("pk"))
    decisions, referrals, changes = [], [], []
    for case in created:
        received_day = case.received_at.astimezone(office_timezone()).date()
        if case.status in REGISTERED_STATUSES:
            changes.append(
                StatusChange(
                    case=case,
                    from_status=CaseStatus.RECEIVED,
                    to_status=CaseStatus.REGISTERED,
                    at=case.received_at + dt.timedelta(days=2),
                )
            )
        if case.status in DECIDED_STATUSES:
            decided = min(received_day + dt.timedelta(days=10), today)
            decisions.append(
                Decision(
                    case=case, outcome=rng.choice(DecisionOutcome.values), reasons="-", plenary_date=decided
                )
            )
            if case.status == CaseStatus.REFERRED:
                answered = rng.random() < 0.5
                referrals.append(
                    Referral(
                        case=case,
                        body=body,
                        letter_number=f"R/{case.pk}",
                        sent_on=decided,
                        follow_up_due=decided + dt.timedelta(days=7),
                        responded_on=min(decided + dt.timedelta(days=5), today) if answered else None,
                        sanction="teguran" if answered and rng.random() < 0.5 else "",
                    )
                )
    Decision.objects.bulk_create(decisions, batch_size=500)
    Referral.objects.bulk_create(referrals, batch_size=500)
    StatusChange.objects.bulk_create(changes, batch_size=500)

    Kejadian.objects.bulk_create(
        [
            Kejadian(
                indicator_number=rng.randrange(1, 62),
                region_id=rng.choice(desa),
                date=day_in_year(),
                tahapan=rng.choice(Tahapan.values),
                severity=rng.randrange(1, 4),
                counted=rng.random() < 0.95,
            )
            for _ in range(kejadian)
        ],
        batch_size=1000,
    )
    acts = []
    for i in range(activities):
        planned = today + dt.timedelta(days=rng.randrange(-360, 30))
        state: str = (
            ActivityStatus.DONE
            if planned <= today and rng.random() < 0.7
            else rng.choice(ActivityStatus.values)
        )
        if state == ActivityStatus.DONE and planned > today:
            state = ActivityStatus.PLANNED
        acts.append(
            Activity(
                kind=rng.choice(ActivityKind.values),
                title=f"Kegiatan {i}",
                region_id=rng.choice(kecamatan + desa[:60]),
                planned_date=planned,
                done_date=planned if state == ActivityStatus.DONE else None,
                status=state,
                attendance=rng.randrange(0, 80) if state == ActivityStatus.DONE else 0,
            )
        )
    Activity.objects.bulk_create(acts, batch_size=500)
    links = generate_asn(created[:asn_links], desa, rng, today, block) if asn_links else 0
    return YearOfData(cases=cases, kejadian=kejadian, activities=activities, asn_links=links)


def generate_asn(cases: list[Case], desa: list[str], rng: random.Random, today: dt.date, block: int) -> int:
    from awas.asn.models import AsnCaseLink, Person, SanctionFollowUp, Violation

    violation = Violation.objects.order_by("order").first()
    if violation is None:
        return 0
    persons = Person.objects.bulk_create(
        [
            Person(
                name=f"ASN {block}-{i}", nip=f"19800101200501{block % 10}{i:03d}", region_id=rng.choice(desa)
            )
            for i in range(min(len(cases), 40))
        ]
    )
    if not persons[0].pk:
        persons = list(Person.objects.filter(name__startswith=f"ASN {block}-").order_by("pk"))
    links = AsnCaseLink.objects.bulk_create(
        [
            AsnCaseLink(case=case, person=persons[i % len(persons)], violation=violation, stage="calon")
            for i, case in enumerate(cases)
        ]
    )
    if not links[0].pk:
        links = list(AsnCaseLink.objects.filter(person__in=persons).order_by("pk"))
    follow_ups = []
    for link in links:
        step = rng.randrange(0, 4)
        follow_ups.append(
            SanctionFollowUp(
                link=link,
                forwarded_on=today - dt.timedelta(days=40) if step >= 1 else None,
                recommendation_date=today - dt.timedelta(days=30) if step >= 2 else None,
                ppk_due=today + dt.timedelta(days=rng.randrange(-10, 10)) if step >= 2 else None,
                decision_date=today - dt.timedelta(days=2) if step >= 3 else None,
                sanction="moral_terbuka" if step >= 3 else "",
            )
        )
    SanctionFollowUp.objects.bulk_create(follow_ups)
    return len(links)


@pytest.fixture
def year_of_data(malang: Any) -> YearOfData:
    return generate_year()
