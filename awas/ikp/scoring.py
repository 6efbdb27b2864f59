"""IKP scoring engine: from kejadian (events) to indicator values, dimension scores, composites,
categories and each region's top contributing indicators.

Pure NumPy, no ORM: callers turn kejadian rows into three arrays (region, indicator, severity weight)
and a framework into a :class:`FrameworkStructure`. The steps follow Bawaslu's description of IKP
2024 (design/DOMAIN.md §1.1):

1. indicator value = number of events per region and indicator, each weighted by its tingkat
   kejadian (severity);
2. every indicator is normalised across the regions scored together onto 0-100 (min-max by default;
   the published 100s suggest "worst region = 100", which is unverified);
3. a dimension's score is the weighted mean of its indicators' normalised values;
4. the composite is the sum of dimension scores, each weighted by its "kontribusi dimensi";
5. the category is rendah / sedang / tinggi by mean ± 1 SD of the composites (Bawaslu's stated
   rule) or by fixed cut-offs (the published kab/kota bands 13.47 and 49.33).

Weights are relative: indicator weights are normalised within their dimension and dimension weights
to sum 1, so the composite stays in 0-100 and multiplying every weight by a constant changes nothing.

Everything runs on a dense (regions x indicators) matrix and matrix products, never a Python loop
over regions: 83,762 desa x 61 indicators is 5.1 million cells, a few tens of megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

Normalisation = Literal["minmax", "percentile"]
NORMALISATIONS: tuple[Normalisation, ...] = ("minmax", "percentile")

RENDAH, SEDANG, TINGGI = 0, 1, 2
CATEGORY_CODES: tuple[str, str, str] = ("rendah", "sedang", "tinggi")

# Bawaslu publishes IKP scores to three decimals (Kab. Malang 64.007, data/SOURCES.md §4): regions
# equal at that precision share a rank, so float noise never orders them.
RANK_DECIMALS = 3


class ScoringError(ValueError):
    """Inputs the engine cannot score (wrong shapes, indices out of range, bad weights)."""


@dataclass(frozen=True)
class CategoryRule:
    """How composites become categories.

    ``mean_sd``: rendah below mean - k*SD, tinggi above mean + k*SD, sedang otherwise (k =
    ``sd_multiplier``; population SD). A region exactly on a boundary is sedang ("within ±1 SD").
    ``cutoffs``: composite >= ``cutoffs[1]`` is tinggi, >= ``cutoffs[0]`` is sedang, else rendah.
    """

    method: Literal["mean_sd", "cutoffs"] = "mean_sd"
    sd_multiplier: float = 1.0
    cutoffs: tuple[float, float] = (13.47, 49.33)

    def __post_init__(self) -> None:
        if self.method not in ("mean_sd", "cutoffs"):
            raise ScoringError(f"unknown category rule {self.method!r} (use 'mean_sd' or 'cutoffs')")
        if not (np.isfinite(self.sd_multiplier) and self.sd_multiplier > 0):
            raise ScoringError("sd_multiplier must be a positive number")
        low, high = self.cutoffs
        if not (np.isfinite(low) and np.isfinite(high) and low <= high):
            raise ScoringError("cut-offs must be two finite numbers, the sedang one not above the tinggi one")


@dataclass(frozen=True, eq=False)  # arrays: compare fields explicitly
class FrameworkStructure:
    """The parts of a framework the arithmetic needs, indicators in a fixed order (index 0..K-1).

    ``indicator_dimension[i]`` is the dimension index (0..D-1) of indicator i; weights are relative
    (any non-negative scale). ``indicator_numbers`` maps index to the framework's indicator number,
    for reporting.
    """

    indicator_dimension: IntArray
    indicator_weight: FloatArray
    dimension_weight: FloatArray
    indicator_numbers: IntArray = field(default_factory=lambda: np.empty(0, dtype=np.intp))
    dimension_codes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        dims = np.asarray(self.indicator_dimension, dtype=np.intp)
        ind_w = np.asarray(self.indicator_weight, dtype=np.float64)
        dim_w = np.asarray(self.dimension_weight, dtype=np.float64)
        numbers = np.asarray(self.indicator_numbers, dtype=np.intp)
        if numbers.size == 0:
            numbers = np.arange(1, dims.size + 1, dtype=np.intp)
        object.__setattr__(self, "indicator_dimension", dims)
        object.__setattr__(self, "indicator_weight", ind_w)
        object.__setattr__(self, "dimension_weight", dim_w)
        object.__setattr__(self, "indicator_numbers", numbers)
        if dims.ndim != 1 or ind_w.shape != dims.shape or numbers.shape != dims.shape or dim_w.ndim != 1:
            raise ScoringError(
                "indicator_dimension, indicator_weight and indicator_numbers must be 1-D, equal length"
            )
        if dims.size == 0 or dim_w.size == 0:
            raise ScoringError("a framework needs at least one indicator and one dimension")
        if dims.min() < 0 or dims.max() >= dim_w.size:
            raise ScoringError("an indicator points to a dimension that does not exist")
        for name, weights in (("indicator", ind_w), ("dimension", dim_w)):
            if not np.all(np.isfinite(weights)) or np.any(weights < 0):
                raise ScoringError(f"{name} weights must be finite and non-negative")
        if dim_w.sum() <= 0:
            raise ScoringError("at least one dimension needs a positive weight")
        totals = np.bincount(dims, weights=ind_w, minlength=dim_w.size)
        empty = np.flatnonzero(totals <= 0)
        if empty.size:
            raise ScoringError(
                "every dimension needs an indicator with a positive weight; dimension(s) "
                + ", ".join(str(d + 1) for d in empty)
                + " have none"
            )

    @property
    def n_indicators(self) -> int:
        return int(self.indicator_dimension.size)

    @property
    def n_dimensions(self) -> int:
        return int(self.dimension_weight.size)

    def indicator_index(self, numbers: npt.ArrayLike) -> IntArray:
        """Engine indices (0..K-1) of indicator numbers as kejadian carry them (e.g. 1..61)."""
        wanted = np.asarray(numbers, dtype=np.intp)
        order = np.argsort(self.indicator_numbers, kind="stable")
        ordered = self.indicator_numbers[order]
        slots = np.clip(np.searchsorted(ordered, wanted), 0, ordered.size - 1)
        if wanted.size and not np.array_equal(ordered[slots], wanted):
            unknown = np.unique(wanted[ordered[slots] != wanted])[:10]
            raise ScoringError(f"unknown indicator number(s): {', '.join(map(str, unknown))}")
        return order[slots]

    def within_dimension_weights(self) -> FloatArray:
        """Each indicator's share of its dimension (sums to 1 within each dimension)."""
        totals = np.bincount(
            self.indicator_dimension, weights=self.indicator_weight, minlength=self.n_dimensions
        )
        return self.indicator_weight / totals[self.indicator_dimension]

    def dimension_matrix(self) -> FloatArray:
        """(indicators x dimensions): normalised values @ this = dimension scores."""
        matrix = np.zeros((self.n_indicators, self.n_dimensions))
        matrix[np.arange(self.n_indicators), self.indicator_dimension] = self.within_dimension_weights()
        return matrix

    def normalised_dimension_weights(self) -> FloatArray:
        return self.dimension_weight / self.dimension_weight.sum()

    def effective_weights(self) -> FloatArray:
        """Each indicator's weight in the composite (sums to 1): composite = normalised @ this."""
        return self.within_dimension_weights() * self.normalised_dimension_weights()[self.indicator_dimension]


@dataclass(frozen=True, eq=False)  # arrays: compare fields explicitly
class ScoreResult:
    """Every intermediate of one scoring run, as arrays indexed by region (rows) and indicator."""

    indicator_values: FloatArray  # (R, K) severity-weighted event counts
    dimension_scores: FloatArray  # (R, D) 0-100
    composite: FloatArray  # (R,) 0-100
    category: npt.NDArray[np.int8]  # (R,) RENDAH / SEDANG / TINGGI
    thresholds: tuple[float, float]  # composite bounds used: sedang from, tinggi above/from
    effective_weights: FloatArray  # (K,) each indicator's weight in the composite, sum 1
    top_indicators: IntArray  # (R, k) indicator indices, biggest contribution first; -1 = none
    top_contributions: FloatArray  # (R, k) normalised value x effective weight (composite points)
    normalisation: Normalisation
    rule: CategoryRule
    precomputed_normalised: FloatArray | None = field(default=None, repr=False)

    @cached_property
    def normalised(self) -> FloatArray:
        """(R, K) normalised indicator values, 0-100.

        Under min-max the scores are computed without this matrix (see ``score_values``), so it is
        built on first use: a national run that only wants composites saves a 41 MB pass.
        """
        if self.precomputed_normalised is not None:
            return self.precomputed_normalised
        return normalise(self.indicator_values, self.normalisation)

    @property
    def n_regions(self) -> int:
        return int(self.composite.size)

    def rank(self) -> IntArray:
        """1 = most vulnerable; regions equal to three decimals share the better rank."""
        return rank_descending(self.composite)

    def category_codes(self) -> list[str]:
        return [CATEGORY_CODES[c] for c in self.category.tolist()]


# --- the steps ----------------------------------------------------------------------------------


def indicator_values(
    region_index: npt.ArrayLike,
    indicator_index: npt.ArrayLike,
    severity_weight: npt.ArrayLike | None,
    n_regions: int,
    n_indicators: int,
) -> FloatArray:
    """(regions x indicators) sums of severity weights: one bincount over region*K + indicator."""
    regions = np.asarray(region_index)
    indicators = np.asarray(indicator_index)
    if regions.ndim != 1 or indicators.shape != regions.shape:
        raise ScoringError("region_index and indicator_index must be 1-D arrays of equal length")
    if not (np.issubdtype(regions.dtype, np.integer) or regions.size == 0) or not (
        np.issubdtype(indicators.dtype, np.integer) or indicators.size == 0
    ):
        raise ScoringError("region_index and indicator_index must hold integers")
    weights: FloatArray | None = None
    if severity_weight is not None:
        weights = np.asarray(severity_weight, dtype=np.float64)
        if weights.shape != regions.shape:
            raise ScoringError("severity_weight must have one value per kejadian")
        if weights.size and not (np.isfinite(weights).all() and weights.min() >= 0):
            raise ScoringError("severity weights must be finite and non-negative")
    if n_regions < 0 or n_indicators <= 0:
        raise ScoringError("n_regions must be >= 0 and n_indicators > 0")
    size = n_regions * n_indicators
    if regions.size == 0:
        return np.zeros((n_regions, n_indicators))
    # The indicator range must be checked: an index of K would silently land in the next region.
    # Region indices need only the negative check, which bincount does, and the length check below.
    if indicators.min() < 0 or indicators.max() >= n_indicators:
        raise ScoringError(f"indicator_index must lie in 0..{n_indicators - 1}")
    combined = regions.astype(np.intp, copy=False) * n_indicators + indicators
    try:
        counts = np.bincount(combined, weights=weights, minlength=size)
    except ValueError as exc:  # a negative region index
        raise ScoringError(f"region_index must lie in 0..{n_regions - 1}") from exc
    if counts.size != size:
        raise ScoringError(f"region_index must lie in 0..{n_regions - 1}")
    return counts.astype(np.float64, copy=False).reshape(n_regions, n_indicators)


def normalise(values: FloatArray, method: Normalisation = "minmax") -> FloatArray:
    """Each column (indicator) onto 0-100 across the rows (regions)."""
    if method == "minmax":
        return normalise_minmax(values)
    if method == "percentile":
        return normalise_percentile(values)
    raise ScoringError(f"unknown normalisation {method!r} (use 'minmax' or 'percentile')")


def normalise_minmax(values: FloatArray) -> FloatArray:
    """(x - min) / (max - min) x 100 per column; a column with one value everywhere is 0.

    "All equal → 0" keeps an indicator nobody reported (all zero) from adding to anyone's score.
    """
    low, scale = minmax_parameters(values)
    out = np.subtract(values, low, dtype=np.float64)
    out *= scale
    return out


def minmax_parameters(values: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per column the minimum and 100 / (max - min), or a scale of 0 where max = min."""
    if values.shape[0] == 0:
        return np.zeros(values.shape[1]), np.zeros(values.shape[1])
    low = values.min(axis=0).astype(np.float64, copy=False)
    span = values.max(axis=0) - low
    scale = np.divide(100.0, span, out=np.zeros_like(span, dtype=np.float64), where=span > 0)
    return low, scale


def normalise_percentile(values: FloatArray) -> FloatArray:
    """100 x (regions with a strictly lower value) / (regions - 1), per column.

    The lowest value scores 0 (so regions without events stay at 0, as under min-max), a unique
    highest scores 100, tied regions score alike, and a column with one value everywhere is 0.
    """
    n_regions, n_indicators = values.shape
    if n_regions <= 1:
        return np.zeros((n_regions, n_indicators))
    by_indicator = np.ascontiguousarray(values.T)
    # Any sort will do (ties need no order: only where each tie group starts matters), and the
    # default one is about twice as fast as a stable sort.
    order = np.argsort(by_indicator, axis=1)
    ordered = np.take_along_axis(by_indicator, order, axis=1)
    # In sorted order, "how many are strictly lower" is the position where each tie group starts.
    group_start = np.zeros(ordered.shape, dtype=np.intp)
    positions = np.arange(n_regions, dtype=np.intp)
    new_value = np.empty(ordered.shape, dtype=bool)
    new_value[:, 0] = True
    np.not_equal(ordered[:, 1:], ordered[:, :-1], out=new_value[:, 1:])
    np.copyto(group_start, positions, where=new_value)
    np.maximum.accumulate(group_start, axis=1, out=group_start)
    lower = np.empty_like(group_start)
    np.put_along_axis(lower, order, group_start, axis=1)
    return lower.T * (100.0 / (n_regions - 1))


def categorise(composite: FloatArray, rule: CategoryRule) -> tuple[npt.NDArray[np.int8], tuple[float, float]]:
    """Categories (RENDAH / SEDANG / TINGGI) and the two thresholds used."""
    if rule.method == "cutoffs":
        low, high = rule.cutoffs
        category = np.searchsorted(np.array([low, high]), composite, side="right").astype(np.int8)
        return category, (float(low), float(high))
    if composite.size == 0:
        return np.zeros(0, dtype=np.int8), (0.0, 0.0)
    mean = float(composite.mean())
    spread = rule.sd_multiplier * float(composite.std())
    low, high = mean - spread, mean + spread
    category = np.full(composite.shape, SEDANG, dtype=np.int8)
    category[composite < low] = RENDAH
    category[composite > high] = TINGGI
    return category, (low, high)


def rank_descending(composite: npt.ArrayLike, decimals: int = RANK_DECIMALS) -> IntArray:
    """1 + the number of regions with a higher composite (at ``decimals`` precision): ties share."""
    rounded = np.round(np.asarray(composite, dtype=np.float64), decimals)
    ordered = np.sort(rounded)
    return (rounded.size - np.searchsorted(ordered, rounded, side="right") + 1).astype(np.intp)


def top_contributors(
    normalised: FloatArray, effective_weights: FloatArray, k: int
) -> tuple[IntArray, FloatArray]:
    """Each region's ``k`` indicators with the largest normalised value x effective weight.

    Biggest first, ties by indicator order; a slot without a positive contribution holds index -1 and
    contribution 0, so a region with no events lists nothing.
    """
    n_regions, n_indicators = normalised.shape
    k = max(0, min(k, n_indicators))
    indices = np.full((n_regions, k), -1, dtype=np.intp)
    values = np.zeros((n_regions, k))
    contributions = normalised * effective_weights
    rows = np.arange(n_regions)
    # k rounds of "take the largest, then strike it out": argmax returns the first of equal values,
    # which breaks ties by indicator order, and k is small (a loop over slots, never over regions).
    for slot in range(k):
        best = contributions.argmax(axis=1)
        largest = contributions[rows, best]
        positive = largest > 0
        indices[positive, slot] = best[positive]
        values[positive, slot] = largest[positive]
        contributions[rows, best] = -np.inf
    return indices, values


def score(
    region_index: npt.ArrayLike,
    indicator_index: npt.ArrayLike,
    severity_weight: npt.ArrayLike | None,
    n_regions: int,
    structure: FrameworkStructure,
    *,
    normalisation: Normalisation = "minmax",
    rule: CategoryRule | None = None,
    top_k: int = 5,
) -> ScoreResult:
    """The whole pipeline from kejadian arrays to categories (see the module docstring).

    ``region_index[j]`` and ``indicator_index[j]`` (0-based, indicator order of ``structure``) place
    kejadian j; ``severity_weight[j]`` is the weight of its tingkat kejadian (None counts 1 each).
    ``top_k=0`` skips the per-region contributor ranking.
    """
    values = indicator_values(
        region_index, indicator_index, severity_weight, n_regions, structure.n_indicators
    )
    return score_values(values, structure, normalisation=normalisation, rule=rule, top_k=top_k)


def score_values(
    values: FloatArray,
    structure: FrameworkStructure,
    *,
    normalisation: Normalisation = "minmax",
    rule: CategoryRule | None = None,
    top_k: int = 5,
) -> ScoreResult:
    """Steps 2-5 on an already built (regions x indicators) matrix of indicator values."""
    rule = rule or CategoryRule()
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != structure.n_indicators:
        raise ScoringError(f"indicator values must be (regions x {structure.n_indicators})")
    matrix = structure.dimension_matrix()
    normalised: FloatArray | None = None
    if normalisation == "minmax":
        # ((x - low) * scale) @ M  =  x @ (scale * M)  -  (low * scale) @ M: the min-max step folds
        # into the matrix product, so no normalised (R x K) matrix is written (it is built lazily).
        # Rounding can leave ~1e-14 below 0 or above 100; clipping keeps scores in the stated range.
        low, scale = minmax_parameters(values)
        dimension_scores = values @ (scale[:, None] * matrix)
        dimension_scores -= (low * scale) @ matrix
        np.clip(dimension_scores, 0.0, 100.0, out=dimension_scores)
    else:
        normalised = normalise(values, normalisation)
        dimension_scores = normalised @ matrix
    composite = dimension_scores @ structure.normalised_dimension_weights()
    category, thresholds = categorise(composite, rule)
    effective = structure.effective_weights()
    if top_k > 0:
        normalised = normalise(values, normalisation) if normalised is None else normalised
        top_indicators, top_values = top_contributors(normalised, effective, top_k)
    else:
        top_indicators, top_values = (
            np.empty((values.shape[0], 0), dtype=np.intp),
            np.empty((values.shape[0], 0)),
        )
    return ScoreResult(
        indicator_values=values,
        precomputed_normalised=normalised,
        dimension_scores=dimension_scores,
        composite=composite,
        category=category,
        thresholds=thresholds,
        effective_weights=effective,
        top_indicators=top_indicators,
        top_contributions=top_values,
        normalisation=normalisation,
        rule=rule,
    )
