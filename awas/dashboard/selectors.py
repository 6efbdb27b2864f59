"""The figures of the office dashboard, the public page and the monthly report.

Every figure is an aggregate query (``values().annotate(Count())``) or one row per kecamatan, so a
page costs the same handful of queries whatever the amount of data: no query runs per case,
kejadian or activity. Staff figures start from ``Model.objects.visible_to(user)`` (region scope);
the public figures are counts over the whole office and never read a personal field.

Sources: the apps' own selectors and services where they exist (cases: deadlines at risk and
overdue follow-ups; ikp: the default framework, score runs, scope of scoring; outreach: coverage);
the ASN register is read through ``django.apps.apps.get_model`` so that the dashboard still
works, without that panel, while that app changes; the cyber panel reads the cyber app's posts.

Labels are translated when the figures are computed: callers that cache them key by language.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awas.cases import selectors as case_selectors
from awas.cases.models import Case, CaseKind, CaseStatus, Decision, DecisionOutcome, Referral, StatusChange
from awas.cases.services.workflow import DECISION_CLOCK_RUNS, FINDING_CLOCK_RUNS
from awas.core.roles import Level
from awas.core.scope import region_q
from awas.core.services.deadlines import office_timezone
from awas.cyber.models import Post, ReviewStatus
from awas.ikp import selectors as ikp_selectors
from awas.ikp import services as ikp_services
from awas.ikp.models import Indicator, Kejadian, ScoreRun
from awas.outreach import selectors as outreach_selectors
from awas.outreach.models import Activity, ActivityKind, ActivityStatus, Category, ManualCategory
from awas.regions.models import Region, RegionBoundary

TREND_MONTHS = 12
LIST_LIMIT = 10

# Short names of the three kinds of report, as the office says them.
KIND_LABELS: dict[str, Any] = {
    CaseKind.LAPORAN: gettext_lazy("Laporan"),
    CaseKind.TEMUAN: gettext_lazy("Temuan"),
    CaseKind.INFORMASI_AWAL: gettext_lazy("Informasi awal"),
}
KIND_COLOURS: dict[str, str] = {
    CaseKind.LAPORAN: "#8b1e1e",
    CaseKind.TEMUAN: "#b26a00",
    CaseKind.INFORMASI_AWAL: "#4f74a8",
}
# Statuses by phase: before registration blue, being handled amber, decided red, ended green/grey.
STATUS_COLOURS: dict[str, str] = {
    CaseStatus.RECEIVED: "#4f74a8",
    CaseStatus.INCOMPLETE: "#7d9cc6",
    CaseStatus.NOT_REGISTERED: "#9aa3ad",
    CaseStatus.REGISTERED: "#b26a00",
    CaseStatus.CLARIFICATION: "#cf8a1f",
    CaseStatus.STUDY: "#e3a84a",
    CaseStatus.DECIDED: "#8b1e1e",
    CaseStatus.REFERRED: "#b3261e",
    CaseStatus.CLOSED: "#1b7f3b",
    CaseStatus.FOLLOWED_UP: "#4f9d69",
    CaseStatus.ARCHIVED: "#b8c0c8",
    CaseStatus.MERGED: "#d3d8de",
}
OUTCOME_COLOURS: dict[str, str] = {
    DecisionOutcome.ADMINISTRASI: "#b26a00",
    DecisionOutcome.PIDANA: "#8b1e1e",
    DecisionOutcome.KODE_ETIK: "#4f74a8",
    DecisionOutcome.LAINNYA: "#6b5b95",
    DecisionOutcome.BUKAN_PELANGGARAN: "#1b7f3b",
    DecisionOutcome.DIHENTIKAN: "#9aa3ad",
}
ACTIVITY_COLOURS: dict[str, str] = {
    ActivityKind.SOSIALISASI: "#1b7f3b",
    ActivityKind.SCHOOL: "#4f74a8",
    ActivityKind.PATROL: "#b26a00",
    ActivityKind.IMBAUAN: "#8b1e1e",
}
CATEGORY_ORDER = (Category.TINGGI.value, Category.SEDANG.value, Category.RENDAH.value)
SOURCE_IKP, SOURCE_MANUAL = "ikp", "manual"


# --- time ----------------------------------------------------------------------------------------


def office_today() -> dt.date:
    return timezone.localtime(timezone.now(), office_timezone()).date()


@dataclass(frozen=True)
class Period:
    """Whole months, ``start`` (first day) to ``end`` (last day), in office time."""

    months: tuple[tuple[int, int], ...]

    @property
    def start(self) -> dt.date:
        year, month = self.months[0]
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        year, month = self.months[-1]
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as [start, end) moments in office time, for datetime fields."""
        tz = office_timezone()
        start = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return start, end

    @property
    def labels(self) -> list[str]:
        """``Des 2024`` (month names in the current language)."""
        return [dateformat.format(dt.date(y, m, 1), "M Y") for y, m in self.months]

    @property
    def short_labels(self) -> list[str]:
        """``Des 24``, ``Jan 25``, ``Feb``…: the year only where it starts and on the first month."""
        return [
            dateformat.format(dt.date(y, m, 1), "M y" if i == 0 or m == 1 else "M")
            for i, (y, m) in enumerate(self.months)
        ]


def months_ending(year: int, month: int, count: int = TREND_MONTHS) -> Period:
    months = []
    for _i in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return Period(tuple(reversed(months)))


def _by_month(rows: Iterable[tuple[Any, int]], period: Period) -> list[int]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for moment, n in rows:
        if moment is not None:
            counts[(moment.year, moment.month)] += n
    return [counts.get(month, 0) for month in period.months]


# --- shared shapes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledCount:
    key: str
    label: str
    value: int
    colour: str = "#8b1e1e"


def kecamatan_of(code: str) -> str:
    """The kecamatan code of a kecamatan or desa code (a shorter code stays as it is)."""
    return ".".join(code.split(".")[:3])


def _kecamatan_counts(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for code, n in rows:
        totals[kecamatan_of(code)] += n
    return dict(totals)


def _choice_counts(
    counts: dict[str, int], choices: Iterable[tuple[str, Any]], colours: dict[Any, str], *, keep_zero: bool
) -> list[LabelledCount]:
    return [
        LabelledCount(value, str(label), counts.get(value, 0), colours.get(value, "#8b1e1e"))
        for value, label in choices
        if keep_zero or counts.get(value, 0)
    ]


def kind_counts(counts: dict[str, int]) -> list[LabelledCount]:
    return [LabelledCount(k, str(KIND_LABELS[k]), counts.get(k, 0), KIND_COLOURS[k]) for k in CaseKind.values]


def category_label(category: str) -> str:
    return str(Category(category).label) if category in Category.values else ""


# --- vulnerability -------------------------------------------------------------------------------


@dataclass
class KecamatanRow:
    code: str
    name: str
    category: str = ""  # rendah / sedang / tinggi, "" when none
    composite: float | None = None
    rank: int | None = None
    kejadian: int = 0
    cases: int = 0
    planned: int = 0
    done: int = 0

    @property
    def category_label(self) -> str:
        return category_label(self.category)


@dataclass
class Vulnerability:
    rows: list[KecamatanRow]
    boundaries: dict[str, Any]  # code -> GeoJSON geometry (dropped before caching the page)
    source: str  # ikp / manual / ""
    framework: str = ""
    run_id: int | None = None
    thresholds: tuple[float, float] | None = None
    method: str = "mean_sd"
    kejadian: int = 0

    @property
    def categorised(self) -> int:
        return sum(1 for r in self.rows if r.category)


def _manual_categories(level: int) -> dict[str, str]:
    return dict(ManualCategory.objects.filter(region__level=level).values_list("region_id", "category"))


def _scores(area: Region | None, actor: Any) -> tuple[ScoreRun, ikp_selectors.RunData] | None:
    """The IKP scores of the kecamatan under ``area`` from every counted kejadian, with the default
    framework: the IKP map's default view, computed and stored by the IKP app's service when the
    data changed since (otherwise its stored run). None when the area has no kejadian yet: a score
    of zero everywhere would only say "sedang" for all."""
    if area is None:
        return None
    if not Kejadian.objects.filter(counted=True).filter(region_q("region__code", area.code)).exists():
        return None
    framework = ikp_services.framework_default(actor=actor)
    run = ikp_services.score_run_get_or_create(
        framework=framework, level=Level.KECAMATAN, area=area, actor=actor
    )
    return run, ikp_selectors.run_data(run)


def vulnerability_for(user: Any) -> Vulnerability:
    """The kecamatan the user sees, with the IKP composite and category of the whole kabupaten.

    With no kejadian in the area yet, the categories the office entered by hand are shown instead.
    """
    regions = list(
        Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN)
        .order_by("code")
        .values_list("code", "name")
    )
    rows = {code: KecamatanRow(code, name) for code, name in regions}
    result = Vulnerability(rows=list(rows.values()), boundaries={}, source="")
    scored = _scores(ikp_selectors.score_area(user, Level.KECAMATAN), user)
    if scored is not None:
        run, data = scored
        for code, row in rows.items():
            i = data.index.get(code)
            if i is None:
                continue
            row.category = data.categories[i]
            row.composite = float(data.composite[i])
            row.rank = int(data.ranks[i])
            row.kejadian = int(data.counts[i])
        result.source = SOURCE_IKP
        result.framework = str(run.framework)
        result.run_id = run.pk
        result.thresholds = data.thresholds
        result.method = str(run.parameters.get("category_rule", {}).get("method", "mean_sd"))
        result.kejadian = run.n_kejadian
    else:
        manual = _manual_categories(Level.KECAMATAN)
        for code, row in rows.items():
            row.category = manual.get(code, "")
        result.source = SOURCE_MANUAL if any(r.category for r in rows.values()) else ""
    return result


def boundaries_of(codes: list[str]) -> dict[str, Any]:
    return dict(RegionBoundary.objects.filter(region_id__in=codes).values_list("region_id", "geometry"))


# --- cases ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtRiskRow:
    pk: int
    number: str
    kind: str
    status: str
    place: str
    due: dt.date
    clock: str  # "completion" or "decision"
    days_left: int


@dataclass(frozen=True)
class OverdueReferralRow:
    case_pk: int
    number: str
    body: str
    letter_number: str
    sent_on: dt.date
    due: dt.date
    days_overdue: int  # in the days the letter gave: hari kerja when ``working``
    working: bool = False


@dataclass
class CaseFigures:
    received: int
    by_status: list[LabelledCount]
    by_kind: list[LabelledCount]
    running: int  # open cases whose statutory clock runs
    overdue: int
    due_soon: int  # due today or tomorrow
    referrals: int
    referrals_answered: int
    referrals_overdue: int
    sanctions: int
    at_risk: list[AtRiskRow] | None = None  # None: the role does not see case lists
    overdue_referrals: list[OverdueReferralRow] | None = None

    @property
    def at_risk_total(self) -> int:
        return self.overdue + self.due_soon

    @property
    def on_track(self) -> int:
        return max(self.running - self.at_risk_total, 0)

    @property
    def referrals_waiting(self) -> int:
        return max(self.referrals - self.referrals_answered - self.referrals_overdue, 0)


def _case_number(case: Case) -> str:
    return case.registration_number or case.tracking_code


def _place(region: Region) -> str:
    if region.level == Level.DESA and region.parent is not None:
        return f"{region.name.title()}, {region.parent.name.title()}"
    return region.name.title()


def at_risk_rows(user: Any, today: dt.date, limit: int | None = LIST_LIMIT) -> list[AtRiskRow]:
    cases = case_selectors.deadlines_at_risk(user, today)
    if limit is not None:
        cases = cases[:limit]
    rows = []
    for c in cases:
        due: dt.date = getattr(c, "clock_due")  # noqa: B009 (an annotation of the selector)
        rows.append(
            AtRiskRow(
                pk=c.pk,
                number=_case_number(c),
                kind=str(KIND_LABELS.get(c.kind, c.kind)),
                status=c.get_status_display(),
                place=_place(c.region),
                due=due,
                clock=str(getattr(c, "clock")),  # noqa: B009
                days_left=(due - today).days,
            )
        )
    return rows


def overdue_referral_rows(
    user: Any, today: dt.date, limit: int | None = LIST_LIMIT
) -> list[OverdueReferralRow]:
    referrals = case_selectors.overdue_follow_ups(user, today)
    if limit is not None:
        referrals = referrals[:limit]
    # Late as the follow-ups page says it: an answer owed in hari kerja is late by working days.
    return [
        OverdueReferralRow(
            case_pk=r.case_id,
            number=_case_number(r.case),
            body=r.body.name,
            letter_number=r.letter_number,
            sent_on=r.sent_on,
            due=r.follow_up_due,
            days_overdue=late.days_overdue,
            working=late.working,
        )
        for r, late in case_selectors.follow_up_rows(referrals, today)
    ]


def _received_in(cases: QuerySet[Case], period: Period) -> QuerySet[Case]:
    start, end = period.moments()
    return cases.filter(received_at__gte=start, received_at__lt=end)


def case_figures(user: Any, period: Period, today: dt.date, *, lists: bool) -> CaseFigures:
    visible = Case.objects.visible_to(user)
    status_kind = list(
        _received_in(visible, period).order_by().values_list("status", "kind").annotate(n=Count("id"))
    )
    statuses: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    for status, kind, n in status_kind:
        statuses[status] += n
        kinds[kind] += n
    risk = case_selectors.deadlines_at_risk(user, today).aggregate(
        total=Count("id"), overdue=Count("id", filter=Q(clock_due__lt=today))
    )
    # Every clock the at-risk count can hold: a temuan not yet established runs only its finding
    # clock (its decision clock starts at the plenary that establishes it).
    running = visible.filter(
        Q(status=CaseStatus.INCOMPLETE, completion_due__isnull=False)
        | (DECISION_CLOCK_RUNS & Q(decision_due__isnull=False))
        | FINDING_CLOCK_RUNS
    ).count()
    referrals = Referral.objects.filter(case__in=visible.values("pk")).aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(responded_on__isnull=False)),
        overdue=Count("id", filter=Q(responded_on__isnull=True, follow_up_due__lt=today)),
        sanctions=Count("id", filter=Q(responded_on__isnull=False) & ~Q(sanction="")),
    )
    return CaseFigures(
        received=sum(kinds.values()),
        by_status=_choice_counts(statuses, CaseStatus.choices, STATUS_COLOURS, keep_zero=False),
        by_kind=kind_counts(kinds),
        running=running,
        overdue=risk["overdue"] or 0,
        due_soon=(risk["total"] or 0) - (risk["overdue"] or 0),
        referrals=referrals["total"] or 0,
        referrals_answered=referrals["answered"] or 0,
        referrals_overdue=referrals["overdue"] or 0,
        sanctions=referrals["sanctions"] or 0,
        at_risk=at_risk_rows(user, today) if lists else None,
        overdue_referrals=overdue_referral_rows(user, today) if lists else None,
    )


# --- monthly trend -------------------------------------------------------------------------------


@dataclass
class Trend:
    labels: list[str]
    cases: list[int]
    kejadian: list[int]
    activities: list[int]
    short_labels: list[str] = field(default_factory=list)  # for a chart's axis

    @property
    def rows(self) -> list[tuple[str, int, int, int]]:
        return list(zip(self.labels, self.cases, self.kejadian, self.activities, strict=True))


def trend_for(user: Any, period: Period) -> Trend:
    """Per month: cases received, kejadian (counted) and prevention activities done."""
    tz = office_timezone()
    cases = (
        _received_in(Case.objects.visible_to(user), period)
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    kejadian = (
        ikp_selectors.kejadian_visible(user)
        .filter(counted=True, date__range=(period.start, period.end))
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    activities = (
        Activity.objects.visible_to(user)
        .filter(status=ActivityStatus.DONE, done_date__range=(period.start, period.end))
        .annotate(month=TruncMonth("done_date"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("id"))
    )
    return Trend(
        labels=period.labels,
        cases=_by_month(cases, period),
        kejadian=_by_month(kejadian, period),
        activities=_by_month(activities, period),
        short_labels=period.short_labels,
    )


# --- prevention ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindProgress:
    key: str
    label: str
    planned: int  # scheduled in the period, done or not (cancelled ones left out)
    done: int
    colour: str


@dataclass
class Prevention:
    by_kind: list[KindProgress]
    coverage: dict[str, tuple[int, int]]  # kecamatan code -> (planned, done)

    @property
    def planned(self) -> int:
        return sum(k.planned for k in self.by_kind)

    @property
    def done(self) -> int:
        return sum(k.done for k in self.by_kind)


def prevention_for(user: Any, period: Period, today: dt.date) -> Prevention:
    counts = (
        Activity.objects.visible_to(user)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(outreach_selectors.in_period(period.start, period.end))
        .order_by()
        .values_list("kind", "status")
        .annotate(n=Count("id"))
    )
    planned: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    for kind, status, n in counts:
        planned[kind] += n
        if status == ActivityStatus.DONE:
            done[kind] += n
    rows = outreach_selectors.coverage_rows(
        user, level=Level.KECAMATAN, start=period.start, end=period.end, today=today
    )
    return Prevention(
        by_kind=[
            KindProgress(k, str(label), planned.get(k, 0), done.get(k, 0), ACTIVITY_COLOURS[k])
            for k, label in ActivityKind.choices
        ],
        coverage={r.code: (r.planned, r.done) for r in rows},
    )


# --- ASN register (optional app) -----------------------------------------------------------------


@dataclass(frozen=True)
class AsnOverdueRow:
    number: str
    agency: str
    violation: str
    ppk: str
    due: dt.date
    days_overdue: int


@dataclass
class AsnFigures:
    register: int  # active persons in the register
    links: int  # person x case x act
    cases: int
    stages: list[LabelledCount]
    overdue: int
    sanctioned: int
    overdue_rows: list[AsnOverdueRow] | None = None


def _model(app_label: str, name: str) -> Any:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def asn_for(user: Any, today: dt.date, *, lists: bool, limit: int | None = LIST_LIMIT) -> AsnFigures | None:
    """ASN cases and their sanction follow-up, or None while the ASN app offers no such models."""
    person_model = _model("asn", "Person")
    link_model = _model("asn", "AsnCaseLink")
    if person_model is None or link_model is None or not user.scope_region_id:
        return None
    scope = user.scope_region_id
    links = link_model.objects.filter(region_q("person__region__code", scope))
    pending = Q(follow_up__decision_date__isnull=True)
    overdue_q = Q(follow_up__ppk_due__lt=today) & pending
    try:
        agg = links.aggregate(
            links=Count("id"),
            cases=Count("case", distinct=True),
            not_forwarded=Count(
                "id", filter=Q(follow_up__isnull=True) | Q(follow_up__forwarded_on__isnull=True)
            ),
            at_bkn=Count(
                "id",
                filter=Q(follow_up__forwarded_on__isnull=False, follow_up__recommendation_date__isnull=True),
            ),
            at_ppk=Count(
                "id",
                filter=Q(follow_up__recommendation_date__isnull=False) & pending & ~overdue_q,
            ),
            overdue=Count("id", filter=overdue_q),
            decided=Count("id", filter=Q(follow_up__decision_date__isnull=False)),
            sanctioned=Count(
                "id",
                filter=Q(follow_up__decision_date__isnull=False)
                & ~Q(follow_up__sanction__in=["", "tidak_dijatuhi"]),
            ),
        )
        register = person_model.objects.filter(region_q("region__code", scope), active=True).count()
        rows = None
        if lists:
            overdue = (
                links.filter(overdue_q)
                .order_by("follow_up__ppk_due", "pk")
                .values_list(
                    "case__registration_number",
                    "case__tracking_code",
                    "person__agency__name",
                    "violation__code",
                    "follow_up__ppk",
                    "follow_up__ppk_due",
                )
            )
            rows = [
                AsnOverdueRow(
                    number=reg or tracking,
                    agency=agency or "",
                    violation=violation or "",
                    ppk=ppk or "",
                    due=due,
                    days_overdue=(today - due).days,
                )
                for reg, tracking, agency, violation, ppk, due in (
                    overdue if limit is None else overdue[:limit]
                )
            ]
    except (FieldError, FieldDoesNotExist):  # the ASN app's models changed shape
        return None
    stages = [
        LabelledCount("not_forwarded", _("Not yet forwarded to BKN"), agg["not_forwarded"] or 0, "#9aa3ad"),
        LabelledCount("at_bkn", _("Waiting for BKN's recommendation"), agg["at_bkn"] or 0, "#4f74a8"),
        LabelledCount("at_ppk", _("Waiting for the PPK's decision"), agg["at_ppk"] or 0, "#e3a84a"),
        LabelledCount("overdue", _("PPK decision overdue"), agg["overdue"] or 0, "#b3261e"),
        LabelledCount("decided", _("Decided by the PPK"), agg["decided"] or 0, "#1b7f3b"),
    ]
    return AsnFigures(
        register=register,
        links=agg["links"] or 0,
        cases=agg["cases"] or 0,
        stages=stages,
        overdue=agg["overdue"] or 0,
        sanctioned=agg["sanctioned"] or 0,
        overdue_rows=rows,
    )


# --- cyber supervision --------------------------------------------------------------------------


@dataclass
class CyberFigures:
    total: int
    alerts: int  # flagged posts waiting for the cyber team's review
    by_status: list[LabelledCount]


def cyber_for(user: Any) -> CyberFigures:
    """Captured posts by review status, and the flagged ones nobody has reviewed yet."""
    posts = Post.objects.visible_to(user).order_by()
    counts = dict(posts.values_list("review_status").annotate(n=Count("pk")))
    palette = ("#b3261e", "#4f74a8", "#9aa3ad", "#1b7f3b")
    by_status = [
        LabelledCount(str(value), str(label), counts[value], palette[i % len(palette)])
        for i, (value, label) in enumerate(ReviewStatus.choices)
        if counts.get(value)
    ]
    alerts = posts.filter(review_status=ReviewStatus.NEW).exclude(top_label="").count()
    return CyberFigures(total=sum(counts.values()), alerts=alerts, by_status=by_status)


# --- the office overview -------------------------------------------------------------------------


@dataclass
class Overview:
    today: dt.date
    period: Period
    scope_name: str
    vulnerability: Vulnerability
    cases: CaseFigures
    trend: Trend
    prevention: Prevention
    asn: AsnFigures | None
    cyber: CyberFigures
    computed_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def uncovered_high(self) -> list[KecamatanRow]:
        """Kecamatan in category tinggi with no prevention activity in the period."""
        return [r for r in self.vulnerability.rows if r.category == Category.TINGGI and r.planned == 0]

    def coverage_by_category(self) -> list[dict[str, Any]]:
        """Per category: kecamatan, how many had an activity done, activities planned and done."""
        out = []
        for category in (*CATEGORY_ORDER, ""):
            rows = [r for r in self.vulnerability.rows if r.category == category]
            if not rows:
                continue
            out.append(
                {
                    "category": category,
                    "label": category_label(category) or _("no category yet"),
                    "places": len(rows),
                    "reached": sum(1 for r in rows if r.done),
                    "planned": sum(r.planned for r in rows),
                    "done": sum(r.done for r in rows),
                }
            )
        return out


def office_overview(
    user: Any, *, today: dt.date | None = None, lists: bool = True, asn_lists: bool = True
) -> Overview:
    """Everything the dashboard shows for ``user``: a fixed number of queries, whatever the data."""
    today = today or office_today()
    period = months_ending(today.year, today.month)
    vulnerability = vulnerability_for(user)
    cases = case_figures(user, period, today, lists=lists)
    prevention = prevention_for(user, period, today)
    per_kecamatan = _kecamatan_counts(
        _received_in(Case.objects.visible_to(user), period)
        .order_by()
        .values_list("region_id")
        .annotate(n=Count("id"))
    )
    for row in vulnerability.rows:
        row.cases = per_kecamatan.get(row.code, 0)
        row.planned, row.done = prevention.coverage.get(row.code, (0, 0))
    vulnerability.boundaries = boundaries_of([r.code for r in vulnerability.rows])
    scope = getattr(user, "scope_region", None)
    return Overview(
        today=today,
        period=period,
        scope_name=scope.display_name if scope is not None else "",
        vulnerability=vulnerability,
        cases=cases,
        trend=trend_for(user, period),
        prevention=prevention,
        asn=asn_for(user, today, lists=asn_lists),
        cyber=cyber_for(user),
    )


# --- the public figures --------------------------------------------------------------------------


@dataclass
class PublicKecamatan:
    code: str
    name: str
    category: str
    reports: int
    activities: int

    @property
    def category_label(self) -> str:
        return category_label(self.category)


@dataclass
class PublicFigures:
    """Counts only. Nothing here comes from a personal or free-text field."""

    total: int
    by_status: list[LabelledCount]
    by_kind: list[LabelledCount]
    activities_done: int
    attendance: int
    activities_by_kind: list[LabelledCount]
    kecamatan: list[PublicKecamatan]
    boundaries: dict[str, Any]
    category_source: str
    computed_at: dt.datetime = field(default_factory=timezone.now)


def _public_categories() -> tuple[dict[str, str], str]:
    """Each kecamatan's IKP category (the office's current scores, as on the dashboard; computed
    by the IKP app's service as the system when the data changed), else the office's own."""
    categories: dict[str, str] = {}
    for kabupaten in Region.objects.filter(level=Level.KABUPATEN).only("code", "name", "level"):
        scored = _scores(kabupaten, None)
        if scored is not None:
            categories.update(zip(scored[1].codes, scored[1].categories, strict=True))
    if categories:
        return categories, SOURCE_IKP
    manual = _manual_categories(Level.KECAMATAN)
    return manual, SOURCE_MANUAL if manual else ""


def public_figures() -> PublicFigures:
    """What the public page shows: reports by status, type and kecamatan; prevention activities
    done by kind and kecamatan; the kecamatan's vulnerability category."""
    status_kind = Case.objects.order_by().values_list("status", "kind").annotate(n=Count("id"))
    statuses: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    for status, kind, n in status_kind:
        statuses[status] += n
        kinds[kind] += n
    reports_by_kecamatan = _kecamatan_counts(
        Case.objects.order_by().values_list("region_id").annotate(n=Count("id"))
    )
    done = Activity.objects.filter(status=ActivityStatus.DONE)
    by_kind = {k: (n, people or 0) for k, n, people in done.order_by().values_list("kind").annotate(
        n=Count("id"), people=Sum("attendance"))}  # fmt: skip
    activities_by_kecamatan = _kecamatan_counts(
        done.order_by().values_list("region_id").annotate(n=Count("id"))
    )
    categories, source = _public_categories()
    regions = list(Region.objects.filter(level=Level.KECAMATAN).order_by("code").values_list("code", "name"))
    return PublicFigures(
        total=sum(kinds.values()),
        by_status=_choice_counts(statuses, CaseStatus.choices, STATUS_COLOURS, keep_zero=False),
        by_kind=kind_counts(kinds),
        activities_done=sum(n for n, _p in by_kind.values()),
        attendance=sum(p for _n, p in by_kind.values()),
        activities_by_kind=[
            LabelledCount(k, str(label), by_kind.get(k, (0, 0))[0], ACTIVITY_COLOURS[k])
            for k, label in ActivityKind.choices
        ],
        kecamatan=[
            PublicKecamatan(
                code=code,
                name=name.title() if name.isupper() else name,
                category=categories.get(code, ""),
                reports=reports_by_kecamatan.get(code, 0),
                activities=activities_by_kecamatan.get(code, 0),
            )
            for code, name in regions
        ],
        boundaries=boundaries_of([code for code, _name in regions]),
        category_source=source,
    )


# --- the monthly report --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorCount:
    number: int
    name: str
    dimension: str
    count: int


@dataclass
class MonthlyReport:
    year: int
    month: int
    period: Period
    received: list[LabelledCount]
    registered: list[LabelledCount]
    decided_by_outcome: list[LabelledCount]
    decided_by_kind: list[LabelledCount]
    referrals_by_body: list[LabelledCount]
    responses: int
    sanctions: int
    referrals_overdue: int  # at the end of the month, without an answer by then
    open_at_end: int  # cases received by the end of the month and not finished
    kejadian: int
    kejadian_by_dimension: list[LabelledCount]
    kejadian_top: list[IndicatorCount]
    kejadian_by_kecamatan: list[LabelledCount]
    activities: list[KindProgress]
    attendance: int
    asn: dict[str, int] | None
    trend: Trend

    @property
    def received_total(self) -> int:
        return sum(c.value for c in self.received)

    @property
    def registered_total(self) -> int:
        return sum(c.value for c in self.registered)

    @property
    def decided_total(self) -> int:
        return sum(c.value for c in self.decided_by_outcome)

    @property
    def referrals_sent(self) -> int:
        return sum(c.value for c in self.referrals_by_body)

    @property
    def activities_done(self) -> int:
        return sum(k.done for k in self.activities)

    @property
    def activities_planned(self) -> int:
        return sum(k.planned for k in self.activities)


FINISHED_STATUSES = frozenset(
    {
        CaseStatus.NOT_REGISTERED,
        CaseStatus.CLOSED,
        CaseStatus.FOLLOWED_UP,
        CaseStatus.ARCHIVED,
        CaseStatus.MERGED,
    }
)
DIMENSION_COLOURS = ("#8b1e1e", "#b26a00", "#4f74a8", "#1b7f3b", "#6b5b95", "#9aa3ad")


def monthly_report(user: Any, year: int, month: int) -> MonthlyReport:
    """The month's figures for Bawaslu Provinsi, within ``user``'s scope."""
    month_period = months_ending(year, month, 1)
    start, end = month_period.moments()
    first, last = month_period.start, month_period.end
    visible = Case.objects.visible_to(user)
    visible_pks = visible.values("pk")

    received = dict(
        _received_in(visible, month_period).order_by().values_list("kind").annotate(n=Count("id"))
    )
    registered = dict(
        StatusChange.objects.filter(
            case__in=visible_pks, to_status=CaseStatus.REGISTERED, at__gte=start, at__lt=end
        )
        .order_by()
        .values_list("case__kind")
        .annotate(n=Count("case", distinct=True))
    )
    outcomes: dict[str, int] = defaultdict(int)
    decided_kinds: dict[str, int] = defaultdict(int)
    for outcome, kind, n in (
        Decision.objects.filter(case__in=visible_pks, plenary_date__range=(first, last))
        .order_by()
        .values_list("outcome", "case__kind")
        .annotate(n=Count("id"))
    ):
        outcomes[outcome] += n
        decided_kinds[kind] += n
    referrals = Referral.objects.filter(case__in=visible_pks)
    by_body = list(
        referrals.filter(sent_on__range=(first, last))
        .order_by()
        .values_list("body__code", "body__name")
        .annotate(n=Count("id"))
        .order_by("-n", "body__name")
    )
    answers = referrals.aggregate(
        responses=Count("id", filter=Q(responded_on__range=(first, last))),
        sanctions=Count("id", filter=Q(responded_on__range=(first, last)) & ~Q(sanction="")),
        overdue=Count(
            "id",
            filter=Q(sent_on__lte=last, follow_up_due__lt=last)
            & (Q(responded_on__isnull=True) | Q(responded_on__gt=last)),
        ),
    )
    # The status each case had at the end of the month: its last change by then (the current status
    # for a case without recorded history).
    status_then = Coalesce(
        Subquery(
            StatusChange.objects.filter(case=OuterRef("pk"), at__lt=end)
            .order_by("-at", "-id")
            .values("to_status")[:1]
        ),
        F("status"),
    )
    open_at_end = (
        visible.filter(received_at__lt=end)
        .annotate(status_then=status_then)
        .exclude(status_then__in=FINISHED_STATUSES)
        .count()
    )

    framework = ikp_selectors.default_framework()
    indicators: dict[int, tuple[str, int, str]] = {}
    if framework is not None:
        indicators = {
            number: (name, dim_number, dim_name)
            for number, name, dim_number, dim_name in Indicator.objects.filter(
                framework=framework
            ).values_list(
                "number", "name", "subdimension__dimension__number", "subdimension__dimension__name"
            )
        }
    kejadian = ikp_selectors.kejadian_visible(user).filter(counted=True, date__range=(first, last))
    per_indicator = dict(kejadian.order_by().values_list("indicator_number").annotate(n=Count("id")))
    dimensions: dict[tuple[int, str], int] = defaultdict(int)
    for number, n in per_indicator.items():
        _name, dim_number, dim_name = indicators.get(number, ("", 99, _("Indicator not in the framework")))
        dimensions[(dim_number, dim_name)] += n
    top = sorted(per_indicator.items(), key=lambda item: (-item[1], item[0]))[:LIST_LIMIT]
    kecamatan_counts = _kecamatan_counts(kejadian.order_by().values_list("region_id").annotate(n=Count("id")))
    names = dict(Region.objects.filter(code__in=list(kecamatan_counts)).values_list("code", "name"))
    by_kecamatan = sorted(kecamatan_counts.items(), key=lambda item: (-item[1], names.get(item[0], item[0])))

    activity_counts = (
        Activity.objects.visible_to(user)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(outreach_selectors.in_period(first, last))
        .order_by()
        .values_list("kind", "status")
        .annotate(n=Count("id"), people=Sum("attendance"))
    )
    planned: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    attendance = 0
    for kind, status, n, people in activity_counts:
        planned[kind] += n
        if status == ActivityStatus.DONE:
            done[kind] += n
            attendance += people or 0

    return MonthlyReport(
        year=year,
        month=month,
        period=month_period,
        received=kind_counts(received),
        registered=kind_counts(registered),
        decided_by_outcome=_choice_counts(outcomes, DecisionOutcome.choices, OUTCOME_COLOURS, keep_zero=True),
        decided_by_kind=kind_counts(decided_kinds),
        referrals_by_body=[LabelledCount(code, name, n) for code, name, n in by_body],
        responses=answers["responses"] or 0,
        sanctions=answers["sanctions"] or 0,
        referrals_overdue=answers["overdue"] or 0,
        open_at_end=open_at_end,
        kejadian=sum(per_indicator.values()),
        kejadian_by_dimension=[
            LabelledCount(str(number), name, n, DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)])
            for i, ((number, name), n) in enumerate(sorted(dimensions.items()))
        ],
        kejadian_top=[
            IndicatorCount(
                number, indicators.get(number, ("", 0, ""))[0], indicators.get(number, ("", 0, ""))[2], n
            )
            for number, n in top
        ],
        kejadian_by_kecamatan=[
            LabelledCount(code, (names.get(code) or code).title(), n) for code, n in by_kecamatan[:LIST_LIMIT]
        ],
        activities=[
            KindProgress(k, str(label), planned.get(k, 0), done.get(k, 0), ACTIVITY_COLOURS[k])
            for k, label in ActivityKind.choices
        ],
        attendance=attendance,
        asn=_asn_month(user, first, last),
        trend=trend_for(user, months_ending(year, month)),
    )


def _asn_month(user: Any, first: dt.date, last: dt.date) -> dict[str, int] | None:
    link_model = _model("asn", "AsnCaseLink")
    if link_model is None or not user.scope_region_id:
        return None
    tz = office_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    links = link_model.objects.filter(region_q("person__region__code", user.scope_region_id))
    try:
        agg = links.aggregate(
            linked=Count("id", filter=Q(created_at__gte=start, created_at__lt=end)),
            recommendations=Count("id", filter=Q(follow_up__recommendation_date__range=(first, last))),
            decisions=Count("id", filter=Q(follow_up__decision_date__range=(first, last))),
            overdue=Count(
                "id",
                filter=Q(follow_up__ppk_due__lt=last)
                & (Q(follow_up__decision_date__isnull=True) | Q(follow_up__decision_date__gt=last)),
            ),
        )
    except (FieldError, FieldDoesNotExist):
        return None
    return {key: value or 0 for key, value in agg.items()}
