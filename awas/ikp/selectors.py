"""Reads of the IKP app in the shapes the scoring engine and the pages need: frameworks, kejadian
(always through the user's scope) and stored score runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from awas.core.roles import Level
from awas.core.scope import region_q
from awas.ikp.legend import CATEGORY_COLOURS, category_label, category_legend, ramp_colour, ramp_legend
from awas.ikp.models import (
    Dimension,
    Framework,
    Indicator,
    Kejadian,
    ScoreRun,
    SensitivityRun,
    SeverityLevel,
    SubDimension,
)
from awas.ikp.scoring import CATEGORY_CODES, CategoryRule, FloatArray, FrameworkStructure, normalise
from awas.regions.models import Region, RegionBoundary


def frameworks_published() -> QuerySet[Framework]:
    return Framework.objects.filter(status=Framework.Status.PUBLISHED)


def framework_structure(framework: Framework) -> FrameworkStructure:
    """Indicators in number order (index i = the i-th smallest number), dimensions in number order."""
    dimensions = list(
        Dimension.objects.filter(framework=framework).order_by("number").values_list("pk", "code", "weight")
    )
    position = {pk: i for i, (pk, _, _) in enumerate(dimensions)}
    rows = list(
        Indicator.objects.filter(framework=framework)
        .order_by("number")
        .values_list("number", "subdimension__dimension_id", "weight")
    )
    return FrameworkStructure(
        indicator_dimension=np.array([position[dim] for _, dim, _ in rows], dtype=np.intp),
        indicator_weight=np.array([weight for _, _, weight in rows], dtype=np.float64),
        dimension_weight=np.array([weight for _, _, weight in dimensions], dtype=np.float64),
        indicator_numbers=np.array([number for number, _, _ in rows], dtype=np.intp),
        dimension_codes=tuple(code for _, code, _ in dimensions),
    )


def category_rule(framework: Framework) -> CategoryRule:
    return CategoryRule(
        method="cutoffs" if framework.category_method == Framework.CategoryMethod.CUTOFFS else "mean_sd",
        sd_multiplier=framework.sd_multiplier,
        cutoffs=(framework.cutoff_sedang, framework.cutoff_tinggi),
    )


def severity_weights(framework: Framework) -> dict[str, float]:
    """Weight of each tingkat kejadian by its code (rendah, sedang, tinggi)."""
    return dict(SeverityLevel.objects.filter(framework=framework).values_list("code", "weight"))


# --- frameworks for the pages --------------------------------------------------------------------


def default_framework() -> Framework | None:
    """The framework scores use unless another is chosen: the newest published one."""
    return frameworks_published().order_by("-created_at", "-id").first()


def frameworks_all() -> QuerySet[Framework]:
    return Framework.objects.select_related("based_on").annotate(n_indicators=Count("indicators"))


def indicator_names(framework: Framework | None) -> dict[int, str]:
    if framework is None:
        return {}
    return dict(Indicator.objects.filter(framework=framework).values_list("number", "name"))


def valid_indicator_numbers() -> set[int]:
    """Indicator numbers a kejadian may carry: those of any published framework."""
    return set(
        Indicator.objects.filter(framework__status=Framework.Status.PUBLISHED).values_list(
            "number", flat=True
        )
    )


def indicator_choices(framework: Framework | None) -> list[tuple[str, list[tuple[int, str]]]]:
    """Indicators grouped by dimension, for a select box: [(dimension, [(number, "12. name")])]."""
    if framework is None:
        return []
    groups: dict[str, list[tuple[int, str]]] = {}
    for number, name, dimension in (
        Indicator.objects.filter(framework=framework)
        .order_by("number")
        .values_list("number", "name", "subdimension__dimension__name")
    ):
        groups.setdefault(dimension, []).append((number, f"{number}. {name}"))
    return list(groups.items())


def framework_tree(framework: Framework) -> list[dict[str, Any]]:
    """Dimensions with their sub-dimensions and indicators, each with its share of the composite.

    ``share`` of an indicator is its weight within its dimension; ``effective`` its weight in the
    composite (both fractions of 1), as the engine computes them (``FrameworkStructure``).
    """
    dimensions = list(Dimension.objects.filter(framework=framework).order_by("number"))
    total_dim = sum(d.weight for d in dimensions) or 1.0
    subs: dict[int, list[SubDimension]] = {}
    for sub in SubDimension.objects.filter(dimension__framework=framework).order_by("number"):
        subs.setdefault(sub.dimension_id, []).append(sub)
    inds: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(framework=framework).order_by("number"):
        inds.setdefault(ind.subdimension_id, []).append(ind)
    tree = []
    for dim in dimensions:
        dim_share = dim.weight / total_dim
        dim_total = sum(i.weight for s in subs.get(dim.pk, []) for i in inds.get(s.pk, [])) or 1.0
        sub_rows = []
        for sub in subs.get(dim.pk, []):
            ind_rows: list[dict[str, Any]] = [
                {
                    "indicator": ind,
                    "share": ind.weight / dim_total,
                    "effective": dim_share * ind.weight / dim_total,
                }
                for ind in inds.get(sub.pk, [])
            ]
            sub_rows.append(
                {
                    "subdimension": sub,
                    "share": sum(i["share"] for i in ind_rows),
                    "indicators": ind_rows,
                }
            )
        tree.append({"dimension": dim, "share": dim_share, "subdimensions": sub_rows})
    return tree


# --- kejadian ------------------------------------------------------------------------------------


def kejadian_entry_regions(user: Any) -> QuerySet[Region]:
    """The desa/kelurahan ``user`` may record kejadian for (None: the system, anywhere).

    A PTPS records for the desa of its TPS; everyone else for the desa in their scope.
    """
    desa = Region.objects.filter(level=Level.DESA)
    if user is None:
        return desa
    if getattr(user, "scope_tps_id", None):
        return desa.filter(code=user.scope_tps.desa_id)
    if not getattr(user, "is_authenticated", False) or not user.scope_region_id:
        return desa.none()
    return desa.filter(region_q("code", user.scope_region_id))


def kejadian_visible(user: Any) -> QuerySet[Kejadian]:
    """Kejadian ``user`` may see: in scope; a PTPS (scoped to a TPS, which kejadian do not name)
    sees the ones it recorded itself."""
    if getattr(user, "scope_tps_id", None):
        return Kejadian.objects.filter(created_by=user, region_id=user.scope_tps.desa_id)
    return Kejadian.objects.visible_to(user)


def kejadian_list(
    user: Any,
    *,
    under: str = "",
    indicator: int | None = None,
    tahapan: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[Kejadian]:
    qs = kejadian_visible(user).select_related("region", "region__parent", "created_by")
    if under:
        qs = qs.filter(region_q("region__code", under))
    if indicator:
        qs = qs.filter(indicator_number=indicator)
    if tahapan:
        qs = qs.filter(tahapan=tahapan)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs.order_by("-date", "-id")


# --- score runs ----------------------------------------------------------------------------------


def score_area(user: Any, level: int) -> Region | None:
    """The region whose sub-regions of ``level`` are scored together for ``user``.

    Scores are relative (normalised across the regions scored together), so they are always
    computed over the whole kabupaten (for kecamatan and desa) or province (for kabupaten), even for
    a user who sees only part of it; what the user is shown is then cut to their scope.
    """
    scope = getattr(user, "scope_region_id", None) or ""
    if not scope:
        return None
    parts = scope.split(".")
    keep = 1 if level <= Level.KABUPATEN else 2
    return Region.objects.filter(code=".".join(parts[:keep]), level__lt=level).first()


@dataclass
class RunData:
    """A score run's stored results as arrays, indexed by region (run order = code order)."""

    run: ScoreRun
    codes: list[str]
    names: list[str]
    composite: FloatArray
    categories: list[str]
    ranks: list[int]
    dimensions: FloatArray  # (R, D)
    dimension_codes: list[str]
    dimension_names: list[str]
    top: list[list[tuple[int, float]]]
    counts: list[int]
    indicator_numbers: list[int]
    values: FloatArray  # (R, K) severity-weighted kejadian counts
    months: list[str]
    monthly: FloatArray  # (R, M)
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.index = {code: i for i, code in enumerate(self.codes)}

    @property
    def thresholds(self) -> tuple[float, float]:
        low, high = self.run.results.get("thresholds", [0.0, 0.0])
        return float(low), float(high)

    def indicator_column(self, number: int) -> FloatArray:
        """One indicator's normalised values (0-100) across the run's regions."""
        if number not in self.indicator_numbers:
            return np.zeros(len(self.codes))
        column = self.values[:, [self.indicator_numbers.index(number)]]
        method = self.run.parameters.get("normalisation", "minmax")
        return normalise(column, method)[:, 0]

    def raw_column(self, number: int) -> FloatArray:
        if number not in self.indicator_numbers:
            return np.zeros(len(self.codes))
        return self.values[:, self.indicator_numbers.index(number)]


def run_data(run: ScoreRun) -> RunData:
    res = run.results
    codes = list(res.get("codes", []))
    numbers = list(res.get("indicator_numbers", []))
    values = np.zeros((len(codes), len(numbers)))
    position = {n: k for k, n in enumerate(numbers)}
    for r, number, value in res.get("values", []):
        values[r, position[number]] = value
    n_dims = len(res.get("dimension_codes", []))
    months = list(res.get("months", []))
    return RunData(
        run=run,
        codes=codes,
        names=list(res.get("names", [])),
        composite=np.asarray(res.get("composite", []), dtype=np.float64),
        categories=[CATEGORY_CODES[c] for c in res.get("category", [])],
        ranks=list(res.get("rank", [])),
        dimensions=np.asarray(res.get("dimensions", []), dtype=np.float64).reshape(len(codes), n_dims),
        dimension_codes=list(res.get("dimension_codes", [])),
        dimension_names=list(res.get("dimension_names", [])),
        top=[[(int(n), float(c)) for n, c in row] for row in res.get("top", [])],
        counts=list(res.get("counts", [])),
        indicator_numbers=numbers,
        values=values,
        months=months,
        monthly=np.asarray(res.get("monthly", []), dtype=np.float64).reshape(len(codes), len(months)),
    )


def latest_sensitivity(run: ScoreRun) -> SensitivityRun | None:
    return run.sensitivity_runs.order_by("-created_at", "-id").first()


def visible_codes(user: Any, data: RunData) -> list[str]:
    """The run's regions ``user`` may see, in code order."""
    visible = set(Region.objects.visible_to(user).filter(code__in=data.codes).values_list("code", flat=True))
    return [code for code in data.codes if code in visible]


@dataclass(frozen=True)
class Colouring:
    """What the map is coloured by: ``composite``, ``dim:<code>`` or ``ind:<number>``."""

    kind: str  # composite | dimension | indicator
    key: str = ""

    @classmethod
    def parse(cls, value: str | None, data: RunData | None = None) -> Colouring:
        value = (value or "").strip()
        if value.startswith("dim:") and (data is None or value[4:] in data.dimension_codes):
            return cls("dimension", value[4:])
        if value.startswith("ind:") and value[4:].isdigit():
            return cls("indicator", value[4:])
        return cls("composite")

    @property
    def param(self) -> str:
        return {"composite": "composite", "dimension": f"dim:{self.key}", "indicator": f"ind:{self.key}"}[
            self.kind
        ]

    def values(self, data: RunData) -> FloatArray:
        if self.kind == "dimension":
            return data.dimensions[:, data.dimension_codes.index(self.key)]
        if self.kind == "indicator":
            return data.indicator_column(int(self.key))
        return data.composite

    def title(self, data: RunData, names: dict[int, str]) -> str:
        if self.kind == "dimension":
            name = data.dimension_names[data.dimension_codes.index(self.key)]
            return _("Dimension score: %(name)s") % {"name": name}
        if self.kind == "indicator":
            number = int(self.key)
            return _("Indicator %(n)s: %(name)s") % {"n": number, "name": names.get(number, "")}
        return _("IKP composite score and category")

    def short_title(self, data: RunData) -> str:
        """For a legend: "Category", the dimension's name or "Indicator 12"."""
        if self.kind == "dimension":
            return data.dimension_names[data.dimension_codes.index(self.key)]
        if self.kind == "indicator":
            return _("Indicator %(n)s") % {"n": self.key}
        return _("Category")


@dataclass(frozen=True)
class RegionScore:
    code: str
    name: str
    composite: float
    category: str
    rank: int
    value: float  # what the map is coloured by
    fill: str
    dimensions: list[float]
    top: list[tuple[int, str, float]]  # (number, name, composite points)
    count: int
    unstable: bool | None  # None: no sensitivity analysis
    rank_p05: float | None
    rank_p95: float | None
    shares: list[float] | None  # rendah, sedang, tinggi

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def region_scores(
    data: RunData,
    codes: list[str],
    colouring: Colouring,
    names: dict[int, str],
    sensitivity: SensitivityRun | None = None,
) -> list[RegionScore]:
    """One row per region in ``codes`` (code order), with its fill colour."""
    values = colouring.values(data)
    sens = sensitivity.results if sensitivity is not None else None
    rows = []
    for code in codes:
        i = data.index[code]
        if colouring.kind == "composite":
            fill = CATEGORY_COLOURS[data.categories[i]]
        else:
            fill = ramp_colour(float(values[i]))
        rows.append(
            RegionScore(
                code=code,
                name=data.names[i],
                composite=float(data.composite[i]),
                category=data.categories[i],
                rank=int(data.ranks[i]),
                value=float(values[i]),
                fill=fill,
                dimensions=[float(x) for x in data.dimensions[i]],
                top=[(n, names.get(n, ""), c) for n, c in data.top[i]],
                count=int(data.counts[i]),
                unstable=bool(sens["unstable"][i]) if sens else None,
                rank_p05=float(sens["rank_p05"][i]) if sens else None,
                rank_p95=float(sens["rank_p95"][i]) if sens else None,
                shares=[float(x) for x in sens["shares"][i]] if sens else None,
            )
        )
    return rows


def ranking(rows: list[RegionScore]) -> list[RegionScore]:
    return sorted(rows, key=lambda r: (r.rank, r.code))


def map_features(
    data: RunData,
    rows: list[RegionScore],
    colouring: Colouring,
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the rows, geometry from ``RegionBoundary`` (null when absent)."""
    boundaries = dict(
        RegionBoundary.objects.filter(region_id__in=[r.code for r in rows]).values_list(
            "region_id", "geometry"
        )
    )
    features = []
    for row in rows:
        features.append(
            {
                "type": "Feature",
                "geometry": boundaries.get(row.code),
                "properties": {
                    "kode": row.code,
                    "nama": row.name,
                    "value": round(row.value, 3),
                    "composite": round(row.composite, 3),
                    "category": row.category,
                    "category_label": category_label(row.category),
                    "rank": row.rank,
                    "fill": row.fill,
                    "unstable": row.unstable,
                    "kejadian": row.count,
                },
            }
        )
    legend = (
        category_legend(
            data.thresholds, data.run.parameters.get("category_rule", {}).get("method", "mean_sd")
        )
        if colouring.kind == "composite"
        else ramp_legend()
    )
    return {
        "type": "FeatureCollection",
        "features": features,
        "schematic": not any(f["geometry"] for f in features),
        "legend": [{"colour": item.colour, "label": item.label} for item in legend],
        "run": {
            "id": data.run.pk,
            "framework": str(data.run.framework),
            "framework_version": data.run.framework_version,
            "level": data.run.level,
            "colour_by": colouring.param,
        },
    }


def monthly_trend(data: RunData, code: str) -> list[tuple[str, float]]:
    i = data.index[code]
    return [(month, float(data.monthly[i, m])) for m, month in enumerate(data.months)]


def latest_categories(level: int) -> dict[str, str]:
    """{region code: rendah/sedang/tinggi} from the newest stored run at ``level`` that covers every
    tahapan and the whole period (the office's overall picture); {} when there is none yet.

    Offered to ``awas.outreach`` (coverage against vulnerability).
    """
    run = (
        ScoreRun.objects.filter(level=level, tahapan="", date_from__isnull=True, date_to__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if run is None:
        return {}
    res = run.results
    return {
        code: CATEGORY_CODES[c] for code, c in zip(res.get("codes", []), res.get("category", []), strict=True)
    }
