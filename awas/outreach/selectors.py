"""Reads of prevention and participation, always through the user's region scope.

The dashboard and the public page read these too: ``activities_for``, ``coverage_rows``,
``uncovered_high``, ``where_next``, ``vulnerability_categories``, ``cadre_summary`` and
``organisation_summary`` return plain rows and counts.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from awas.cases.formatting import local
from awas.core.roles import Level
from awas.core.scope import region_q
from awas.outreach.models import (
    Activity,
    ActivityStatus,
    Cadre,
    CadreKind,
    Category,
    FieldReport,
    ManualCategory,
    MonitoringOrganisation,
    Patrol,
)
from awas.regions.models import Region

# --- activities ----------------------------------------------------------------------------------


def in_period(start: dt.date, end: dt.date) -> Q:
    """Activities whose day (done date if done, else planned date) lies in [start, end]."""
    return Q(status=ActivityStatus.DONE, done_date__range=(start, end)) | (
        ~Q(status=ActivityStatus.DONE) & Q(planned_date__range=(start, end))
    )


def activities_for(
    user: Any,
    *,
    kind: str = "",
    status: str = "",
    kecamatan: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    text: str = "",
) -> QuerySet[Activity]:
    activities = Activity.objects.visible_to(user).select_related("region", "region__parent")
    if kind:
        activities = activities.filter(kind=kind)
    if status:
        activities = activities.filter(status=status)
    if kecamatan:
        activities = activities.filter(region_q("region__code", kecamatan))
    if start and end:
        activities = activities.filter(in_period(start, end))
    elif start:
        activities = activities.filter(in_period(start, dt.date.max))
    elif end:
        activities = activities.filter(in_period(dt.date.min, end))
    if text:
        activities = activities.filter(Q(title__icontains=text) | Q(venue__icontains=text))
    return activities.order_by("-planned_date", "-id")


def activity_detail(user: Any, pk: int) -> Activity | None:
    return (
        Activity.objects.visible_to(user)
        .select_related("region", "region__parent", "created_by", "school", "patrol", "letter")
        .filter(pk=pk)
        .first()
    )


def patrols_awaiting_form_a(user: Any) -> QuerySet[Patrol]:
    """Patrols with a finding that has not become a Form A yet (for the supervision app)."""
    return (
        Patrol.objects.filter(activity__in=Activity.objects.visible_to(user), form_a_ref="")
        .exclude(findings="")
        .select_related("activity", "activity__region")
        .order_by("activity__planned_date")
    )


# --- places for forms ----------------------------------------------------------------------------

GroupedChoices = list[tuple[str, list[tuple[str, str]]]]


def place_choices(user: Any, *, levels: Iterable[int] = (Level.KECAMATAN, Level.DESA)) -> GroupedChoices:
    """Places the user may record at, grouped by kecamatan (an <optgroup> each; no JavaScript).

    The kabupaten/kota (for letters to the Bupati or an OPD head) comes first, in its own group.
    """
    wanted = set(levels)
    regions = list(
        Region.objects.visible_to(user)
        .filter(level__in=wanted)
        .order_by("code")
        .values_list("code", "name", "level")
    )
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    top: list[tuple[str, str]] = []
    for code, name, level in regions:
        if level <= Level.KABUPATEN:
            top.append((code, Region(code=code, name=name, level=level).display_name))
        elif level == Level.KECAMATAN:
            groups[code].insert(0, (code, f"Kec. {name}"))
        else:
            groups[".".join(code.split(".")[:3])].append((code, name))
    names = dict(Region.objects.filter(code__in=list(groups)).values_list("code", "name"))
    grouped: GroupedChoices = [
        (names.get(code, code), groups[code]) for code in sorted(groups, key=lambda c: names.get(c, c))
    ]
    return ([("", top)] if top else []) + grouped


def kecamatan_choices(user: Any) -> list[tuple[str, str]]:
    return list(
        Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN)
        .order_by("name")
        .values_list("code", "name")
    )


# --- calendar ------------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


def calendar_month(
    user: Any, year: int, month: int, *, kind: str = "", kecamatan: str = "", today: dt.date | None = None
) -> list[list[CalendarDay]]:
    """The month as weeks (Monday first) with each visible activity on its day."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Activity]] = defaultdict(list)
    for activity in activities_for(user, kind=kind, kecamatan=kecamatan, start=first, end=last).order_by(
        "planned_date", "id"
    ):
        by_day[activity.date].append(activity)
    today = today or local(timezone.now()).date()
    return [
        [CalendarDay(day, day.month == month, day == today, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


# --- vulnerability categories --------------------------------------------------------------------

# The selector the IKP app is expected to offer once scores are stored per region:
# ``awas.ikp.selectors.latest_categories(level: int) -> dict[str, str]`` (Kemendagri code →
# "rendah" / "sedang" / "tinggi", from the newest published scoring run at that level).
IKP_SELECTOR = "latest_categories"
SOURCE_IKP = "ikp"
SOURCE_MANUAL = "manual"


def _ikp_categories(level: int) -> dict[str, str]:
    from awas.ikp import selectors as ikp_selectors

    latest = getattr(ikp_selectors, IKP_SELECTOR, None)
    if not callable(latest):
        return {}
    return {str(code): str(cat) for code, cat in latest(level).items() if cat in Category.values}


def category_sources(level: int) -> dict[str, tuple[str, str]]:
    """{region code: (category, source)}; the IKP's category wins over the office's where both exist."""
    result = {
        code: (category, SOURCE_MANUAL)
        for code, category in ManualCategory.objects.filter(region__level=level).values_list(
            "region_id", "category"
        )
    }
    result.update({code: (category, SOURCE_IKP) for code, category in _ikp_categories(level).items()})
    return result


def vulnerability_categories(level: int) -> dict[str, str]:
    """The vulnerability category (rendah/sedang/tinggi) of each region of ``level`` that has one.

    Asks the IKP app for its latest categories when it offers them (``IKP_SELECTOR``); elsewhere,
    and until then, the category the office entered by hand (``ManualCategory``) is used.
    """
    return {code: category for code, (category, _source) in category_sources(level).items()}


# --- coverage ------------------------------------------------------------------------------------

# "Where next": score = category weight × (1 − coverage); ties broken by days since the last
# activity done (never done counts as longest). A place not mapped yet weighs as sedang: neither
# ignored nor put before places known to be tinggi.
CATEGORY_WEIGHT = {Category.RENDAH.value: 1, Category.SEDANG.value: 2, Category.TINGGI.value: 3}
UNMAPPED_WEIGHT = 2


@dataclass
class CoverageRow:
    code: str
    name: str
    parent_name: str
    category: str
    category_source: str
    planned: int = 0
    done: int = 0
    last_done: dt.date | None = None
    days_since: int | None = None

    @property
    def coverage(self) -> float:
        """Share of the period's activities that were done (0 when none was planned)."""
        return min(1.0, self.done / self.planned) if self.planned else 0.0

    @property
    def percent(self) -> int:
        return round(self.coverage * 100)

    @property
    def weight(self) -> int:
        return CATEGORY_WEIGHT.get(self.category, UNMAPPED_WEIGHT)

    @property
    def score(self) -> float:
        return round(self.weight * (1 - self.coverage), 3)

    @property
    def category_label(self) -> str:
        return str(Category(self.category).label) if self.category in Category.values else ""


def _ancestor(code: str, level: int) -> str | None:
    parts = code.split(".")
    return ".".join(parts[:level]) if len(parts) >= level else None


def coverage_rows(
    user: Any,
    *,
    level: int,
    start: dt.date,
    end: dt.date,
    kind: str = "",
    kecamatan: str = "",
    today: dt.date | None = None,
) -> list[CoverageRow]:
    """Per visible kecamatan (or desa): activities planned and done in the period, its category,
    and its last activity done (ever, up to today)."""
    regions = Region.objects.visible_to(user).filter(level=level).select_related("parent").order_by("code")
    if kecamatan:
        regions = regions.filter(region_q("code", kecamatan))
    categories = category_sources(level)
    rows = {
        r.code: CoverageRow(
            code=r.code,
            name=r.display_name,
            parent_name=r.parent.display_name if r.parent and level == Level.DESA else "",
            category=categories.get(r.code, ("", ""))[0],
            category_source=categories.get(r.code, ("", ""))[1],
        )
        for r in regions
    }
    activities = Activity.objects.visible_to(user).exclude(status=ActivityStatus.CANCELLED)
    if kind:
        activities = activities.filter(kind=kind)
    for region_id, status, count in (
        activities.filter(in_period(start, end))
        .order_by()
        .values_list("region_id", "status")
        .annotate(n=Count("id"))
    ):
        row = rows.get(_ancestor(region_id, level) or "")
        if row is not None:
            row.planned += count
            if status == ActivityStatus.DONE:
                row.done += count
    today = today or local(timezone.now()).date()
    for region_id, last in (
        activities.filter(status=ActivityStatus.DONE, done_date__lte=today)
        .order_by()
        .values_list("region_id")
        .annotate(last=Max("done_date"))
    ):
        row = rows.get(_ancestor(region_id, level) or "")
        if row is not None and (row.last_done is None or last > row.last_done):
            row.last_done = last
    for row in rows.values():
        row.days_since = (today - row.last_done).days if row.last_done else None
    return list(rows.values())


def uncovered_high(rows: Sequence[CoverageRow]) -> list[CoverageRow]:
    """High-vulnerability places with no activity planned or done in the period."""
    return sorted(
        (r for r in rows if r.category == Category.TINGGI and r.planned == 0),
        key=lambda r: (r.parent_name, r.name),
    )


def where_next(rows: Sequence[CoverageRow]) -> list[CoverageRow]:
    """Places ranked for the next activity: highest score first, then longest without an activity."""
    return sorted(
        rows,
        key=lambda r: (-r.score, -(r.days_since if r.days_since is not None else math.inf), r.name),
    )


CATEGORY_COLOURS = {
    Category.RENDAH.value: "#1b7f3b",
    Category.SEDANG.value: "#b26a00",
    Category.TINGGI.value: "#b3261e",
}


def coverage_chart(
    rows: Sequence[CoverageRow], *, width: int = 640, bar: int = 16, gap: int = 6
) -> dict[str, Any]:
    """Geometry of a horizontal bar chart (planned behind, done in front), drawn as SVG by the template."""
    label_width, number_width = 170, 60
    scale_width = width - label_width - number_width
    top = max((r.planned for r in rows), default=0) or 1
    bars = []
    for i, row in enumerate(rows):
        y = 24 + i * (bar + gap)
        bars.append(
            {
                "row": row,
                "y": y,
                "text_y": y + bar - 4,
                "planned_w": round(scale_width * row.planned / top, 1),
                "done_w": round(scale_width * row.done / top, 1),
                "colour": CATEGORY_COLOURS.get(row.category, "#8a94a0"),
            }
        )
    return {
        "width": width,
        "height": 24 + len(rows) * (bar + gap) + 8,
        "bar": bar,
        "label_width": label_width,
        "scale_width": scale_width,
        "number_x": label_width + scale_width + 6,
        "top": top,
        "bars": bars,
    }


# --- cadres and monitoring organisations ---------------------------------------------------------


def cadres_for(
    user: Any, *, kind: str = "", kecamatan: str = "", active: bool | None = None, text: str = ""
) -> QuerySet[Cadre]:
    cadres = Cadre.objects.visible_to(user).select_related("region", "organisation")
    if kind:
        cadres = cadres.filter(kind=kind)
    if kecamatan:
        cadres = cadres.filter(region_q("region__code", kecamatan))
    if active is not None:
        cadres = cadres.filter(active=active)
    if text:
        cadres = cadres.filter(name__icontains=text)
    return cadres.order_by("name", "id")


def recent_months(count: int, *, today: dt.date | None = None) -> list[tuple[int, int]]:
    """The last ``count`` months as (year, month), oldest first, ending with the current one."""
    today = today or local(timezone.now()).date()
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def cadre_report_counts(
    cadre_ids: Sequence[int], months: Sequence[tuple[int, int]]
) -> dict[int, dict[str, Any]]:
    """Reports sent per cadre per month (office time), plus each cadre's total."""
    counts: dict[int, dict[str, Any]] = {pk: {"months": [0] * len(months), "total": 0} for pk in cadre_ids}
    index = {ym: i for i, ym in enumerate(months)}
    for cadre_id, sent_at in FieldReport.objects.filter(cadre_id__in=cadre_ids).values_list(
        "cadre_id", "sent_at"
    ):
        entry = counts[cadre_id]
        entry["total"] += 1
        moment = local(sent_at)
        i = index.get((moment.year, moment.month))
        if i is not None:
            entry["months"][i] += 1
    return counts


def field_reports_of(cadre: Cadre) -> QuerySet[FieldReport]:
    return FieldReport.objects.filter(cadre=cadre).select_related("case", "case__region").order_by("-sent_at")


def _by_kecamatan(rows: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    totals: dict[str, int] = defaultdict(int)
    for code, n in rows:
        totals[_ancestor(code, Level.KECAMATAN) or code] += n
    names = dict(Region.objects.filter(code__in=list(totals)).values_list("code", "name"))
    return [
        {"code": c, "name": names.get(c, c), "count": totals[c]}
        for c in sorted(totals, key=lambda c: names.get(c, c))
    ]


def cadre_summary(user: Any) -> dict[str, Any]:
    """Counts only (no names): what every role that may open the registry sees."""
    cadres = Cadre.objects.visible_to(user)
    kinds = dict(cadres.filter(active=True).order_by().values_list("kind").annotate(n=Count("id")))
    return {
        "total": cadres.count(),
        "active": cadres.filter(active=True).count(),
        "with_account": cadres.filter(user__isnull=False).count(),
        "by_kind": [{"kind": k, "label": label, "count": kinds.get(k, 0)} for k, label in CadreKind.choices],
        "by_kecamatan": _by_kecamatan(
            cadres.filter(active=True).order_by().values_list("region_id").annotate(n=Count("id"))
        ),
        "reports": FieldReport.objects.filter(cadre__in=cadres).count(),
    }


def organisations_for(
    user: Any, *, active: bool | None = None, text: str = ""
) -> QuerySet[MonitoringOrganisation]:
    organisations = MonitoringOrganisation.objects.visible_to(user).select_related("region")
    if active is not None:
        organisations = organisations.filter(active=active)
    if text:
        organisations = organisations.filter(name__icontains=text)
    return organisations.annotate(cadre_count=Count("cadres")).order_by("name")


def organisation_summary(user: Any) -> dict[str, Any]:
    organisations = MonitoringOrganisation.objects.visible_to(user).filter(active=True)
    members = sum(organisations.values_list("members_count", flat=True))
    return {"active": organisations.count(), "members": members}


def manual_categories_for(user: Any) -> QuerySet[ManualCategory]:
    return ManualCategory.objects.visible_to(user).select_related("region", "region__parent", "set_by")
