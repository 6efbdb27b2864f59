"""Reads of Form A and its suggestions; every read of reports goes through ``visible_to(user)``."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from awas.core.roles import Level, Role
from awas.regions.models import Region, Tps
from awas.supervision.models import Decision, FormA, FormAStatus, SuggestionDecision, SuggestionSource
from awas.supervision.parsing import RegionName


@cache
def indicator_names() -> dict[int, str]:
    """Indicator number → name, from the IKP framework Awas ships (awas/ikp/frameworks/ikp2024.yaml)."""
    from awas.ikp.services import builtin_definition

    names: dict[int, str] = {}
    for dimension in builtin_definition()["dimensions"]:
        for sub in dimension["subdimensions"]:
            for indicator in sub["indicators"]:
                names[int(indicator["number"])] = str(indicator["name"])
    return dict(sorted(names.items()))


def indicator_choices() -> list[tuple[int, str]]:
    return [(n, f"{n}. {name}") for n, name in indicator_names().items()]


def form_a_visible(user: Any) -> QuerySet[FormA]:
    return FormA.objects.visible_to(user).select_related("region", "region__parent", "tps", "created_by")


def form_a_list(user: Any, *, status: str = "", query: str = "") -> QuerySet[FormA]:
    forms = form_a_visible(user)
    forms = forms.filter(status=status) if status else forms.exclude(status=FormAStatus.DISCARDED)
    if query:
        forms = forms.filter(
            Q(number__icontains=query)
            | Q(region__name__icontains=query)
            | Q(source_file_name__icontains=query)
            | Q(uraian__icontains=query)
        )
    return forms.order_by("status", "-created_at", "-id")


def form_a_get(user: Any, pk: int) -> FormA:
    """The report if the user's scope reaches it; 404 otherwise (never say that it exists)."""
    return get_object_or_404(form_a_visible(user), pk=pk)


def form_a_awaiting_review(user: Any) -> QuerySet[FormA]:
    return form_a_visible(user).filter(status=FormAStatus.FILED, kejadian_reviewed_at__isnull=True)


def office_code(code: str) -> str:
    """The kabupaten/kota of a region code: ``35.07`` for ``35.07.10.2001``."""
    return ".".join(code.split(".")[:2])


def location_choices(user: Any) -> QuerySet[Region]:
    """Where this user may place a Form A: a PTPS and a PKD their desa, a Panwascam its kecamatan
    and the desa in it, office staff any kecamatan or desa under their scope."""
    scope = user.scope_region_id
    if not scope:
        return Region.objects.none()
    if user.role in (Role.PTPS, Role.PKD):
        return Region.objects.filter(code=scope, level=Level.DESA)
    return (
        Region.objects.under(scope).filter(level__in=(Level.KECAMATAN, Level.DESA)).select_related("parent")
    )


def kejadian_desa_choices(form: FormA) -> QuerySet[Region]:
    """The desa a kejadian of this report may be placed in: its own, or those of its kecamatan."""
    if form.region.level == Level.DESA:
        return Region.objects.filter(code=form.region_id)
    return Region.objects.under(form.region_id).filter(level=Level.DESA).order_by("name")


def tps_of(desa: Region, number: int | None) -> Tps | None:
    if number is None or desa.level != Level.DESA:
        return None
    return Tps.objects.filter(desa=desa, number=number).first()


def region_names(office: str) -> tuple[list[RegionName], list[RegionName]]:
    """The kecamatan and desa of an office's kabupaten/kota, for reading file names."""
    rows = Region.objects.under(office).filter(level__in=(Level.KECAMATAN, Level.DESA))
    kecamatan: list[RegionName] = []
    desa: list[RegionName] = []
    for code, name, level, parent in rows.values_list("code", "name", "level", "parent_id"):
        (kecamatan if level == Level.KECAMATAN else desa).append(RegionName(code, name, parent or ""))
    return kecamatan, desa


def form_a_by_file(sha256: str) -> FormA | None:
    """The earliest report (not discarded) uploaded from a file with these bytes."""
    return (
        FormA.objects.filter(source_file__sha256=sha256)
        .exclude(status=FormAStatus.DISCARDED)
        .order_by("created_at", "id")
        .first()
    )


def suggestions_of(form: FormA) -> QuerySet[SuggestionDecision]:
    return form.suggestions.select_related("final_region", "kejadian").order_by("id")


# --- training data and statistics ----------------------------------------------------------------

KEPT = (Decision.ACCEPTED, Decision.CHANGED, Decision.ADDED)


def training_data() -> tuple[list[str], list[set[int]]]:
    """Reviewed reports' text, and the indicators the reviewer kept or added for each."""
    labels: dict[int, set[int]] = defaultdict(set)
    rows = SuggestionDecision.objects.filter(decision__in=KEPT, form__kejadian_reviewed_at__isnull=False)
    for form_id, indicator in rows.values_list("form_id", "final_indicator"):
        if indicator:
            labels[form_id].add(int(indicator))
    forms = FormA.objects.filter(kejadian_reviewed_at__isnull=False).exclude(status=FormAStatus.DISCARDED)
    texts: list[str] = []
    sets: list[set[int]] = []
    for form in forms.order_by("id").iterator():
        text = form.report_text()
        if text.strip():
            texts.append(text)
            sets.append(labels.get(form.pk, set()))
    return texts, sets


@dataclass
class Tally:
    accepted: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.changed + self.removed

    @property
    def rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


@dataclass
class SuggestionStats:
    overall: Tally = field(default_factory=Tally)
    by_source: dict[str, Tally] = field(default_factory=dict)
    by_indicator: dict[int, Tally] = field(default_factory=dict)
    added_by_reviewers: dict[int, int] = field(default_factory=dict)
    pending: int = 0


def suggestion_stats() -> SuggestionStats:
    """How often suggestions were accepted (indicator kept), changed or removed: overall, per source,
    per suggested indicator; and which indicators reviewers had to add themselves."""
    stats = SuggestionStats()
    rows = (
        SuggestionDecision.objects.exclude(source=SuggestionSource.REVIEWER)
        .values_list("source", "suggested_indicator", "decision")
        .order_by()
    )
    for source, indicator, decision in rows:
        if decision == Decision.PENDING:
            stats.pending += 1
            continue
        for tally in (
            stats.overall,
            stats.by_source.setdefault(source, Tally()),
            stats.by_indicator.setdefault(int(indicator or 0), Tally()),
        ):
            if decision == Decision.ACCEPTED:
                tally.accepted += 1
            elif decision == Decision.CHANGED:
                tally.changed += 1
            elif decision == Decision.REMOVED:
                tally.removed += 1
    added = SuggestionDecision.objects.filter(decision=Decision.ADDED).values_list(
        "final_indicator", flat=True
    )
    stats.added_by_reviewers = dict(sorted(Counter(int(i) for i in added if i).items()))
    stats.by_indicator = dict(sorted(stats.by_indicator.items()))
    return stats
