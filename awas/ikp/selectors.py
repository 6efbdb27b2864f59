"""Reads of IKP frameworks in the shapes the scoring engine and the pages need."""

from __future__ import annotations

import numpy as np
from django.db.models import QuerySet

from awas.ikp.models import Dimension, Framework, Indicator, SeverityLevel
from awas.ikp.scoring import CategoryRule, FrameworkStructure


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
