"""Sensitivity of IKP ranks and categories to the choices Bawaslu has not published.

Bawaslu's weights (of dimensions and indicators) and its normalisation are unpublished
(design/DOMAIN.md §1.1), so any score Awas computes rests on assumptions. This Monte Carlo analysis
shows how much a region's standing depends on them: each draw

- takes dimension weights from a Dirichlet distribution centred on the framework's dimension weights
  (parameters = ``dimension_concentration`` x normalised weight),
- takes, for each dimension, its indicators' weights from a Dirichlet centred on their share of the
  dimension (parameters = ``concentration`` x that share; an indicator weighted 0 stays 0),
- picks the normalisation at random among ``methods`` (min-max and percentile by default),

and recomputes composites, categories (the framework's rule; mean ± k SD is recomputed per draw)
and ranks from the indicator values already computed. Larger concentrations mean draws closer to
the set weights; ``math.inf`` means exactly the set weights.

Per region the result gives the 5th-95th percentile of its rank (1 = most vulnerable), the share of
draws in each category and an ``unstable`` flag: **a region is unstable when no category holds at
least ``stability_threshold`` (default 0.8) of the draws**, i.e. its category is a matter of the
assumptions rather than of the data.

Speed: both normalised matrices are computed once; draws run in batches, each one matrix product
(draws x indicators) @ (indicators x regions) in float32 by default; then each draw's categories
and ranks are whole-array operations on one row (a loop over draws, never over regions). Memory:
the ranks of every region in every draw are kept to take percentiles (int32: 335 MB for 83,762
desa x 1,000 draws), plus two batches of at most 64 MB each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from awas.ikp.scoring import (
    NORMALISATIONS,
    RANK_DECIMALS,
    CategoryRule,
    FloatArray,
    FrameworkStructure,
    IntArray,
    Normalisation,
    ScoringError,
    normalise,
    rank_descending,
    score_values,
)

# Quantisation of composites for ranking: 0-100 at RANK_DECIMALS decimals, as integers.
_QUANTUM = 10**RANK_DECIMALS
_Q_MAX = 100 * _QUANTUM
# Composites per batch (draws x regions, float32: 64 MB): bounds memory whatever the region count.
_BATCH_CELLS = 2**24


@dataclass(frozen=True, eq=False)  # arrays: compare fields explicitly
class SensitivityResult:
    n_draws: int
    seed: int | None
    concentration: float
    dimension_concentration: float
    stability_threshold: float
    draws_per_method: dict[str, int]
    base_rank: IntArray  # (R,) rank under the set weights and base normalisation
    base_category: npt.NDArray[np.int8]  # (R,)
    rank_p05: FloatArray  # (R,) 5th percentile of the rank over the draws (linear interpolation)
    rank_p50: FloatArray  # (R,)
    rank_p95: FloatArray  # (R,)
    category_share: FloatArray  # (R, 3) share of draws rendah / sedang / tinggi
    modal_category: npt.NDArray[np.int8]  # (R,) most frequent category (lowest on a tie)
    modal_share: FloatArray  # (R,)
    unstable: npt.NDArray[np.bool_]  # (R,) modal_share < stability_threshold

    @property
    def base_share(self) -> FloatArray:
        """Share of draws that agree with the base category."""
        return np.take_along_axis(self.category_share, self.base_category[:, None].astype(np.intp), axis=1)[
            :, 0
        ]


def _dirichlet(
    rng: np.random.Generator, centre: FloatArray, concentration: float, n_draws: int
) -> FloatArray:
    """(n_draws x len(centre)) draws whose mean is ``centre`` (which sums to 1); zeros stay zero."""
    out = np.zeros((n_draws, centre.size))
    positive = np.flatnonzero(centre > 0)
    if positive.size == 1 or math.isinf(concentration):
        out[:, positive] = centre[positive]
        return out
    out[:, positive] = rng.dirichlet(concentration * centre[positive], size=n_draws)
    return out


def draw_weights(
    structure: FrameworkStructure,
    n_draws: int,
    *,
    concentration: float = 50.0,
    dimension_concentration: float | None = None,
    rng: np.random.Generator,
) -> FloatArray:
    """(n_draws x indicators) effective weights; each row sums to 1."""
    dim_conc = concentration if dimension_concentration is None else dimension_concentration
    dimension_draws = _dirichlet(rng, structure.normalised_dimension_weights(), dim_conc, n_draws)
    within = structure.within_dimension_weights()
    within_draws = np.zeros((n_draws, structure.n_indicators))
    for dimension in range(structure.n_dimensions):  # a loop over 4 dimensions, not over regions
        members = np.flatnonzero(structure.indicator_dimension == dimension)
        within_draws[:, members] = _dirichlet(rng, within[members], concentration, n_draws)
    return within_draws * dimension_draws[:, structure.indicator_dimension]


def _rank_into(composite: npt.NDArray[np.floating], out: npt.NDArray[np.int32]) -> None:
    """Ranks (1 = highest) of one draw's composites into ``out``.

    Composites are quantised to RANK_DECIMALS decimals (ties share the better rank). With many
    regions, a histogram of the quantised values (at most 100,001 bins) and its cumulative sum give
    "how many are at or below" for every region in linear time; with few regions, where the bins
    would dominate, a sort and a binary search are cheaper. One draw at a time keeps the arrays in
    the CPU cache (a draw of 83,762 regions is ~330 kB; a batch of draws is not).
    """
    n_regions = composite.size
    # Composites lie in 0..100 (non-negative values, weights summing to 1): no clipping is needed,
    # and float32 holds the integers up to 100,000 exactly.
    scaled = np.multiply(composite, _QUANTUM)
    np.rint(scaled, out=scaled)
    quantised = scaled.astype(np.intp)
    if 8 * n_regions >= _Q_MAX:
        at_or_below = np.cumsum(np.bincount(quantised), dtype=np.int32)
        np.subtract(n_regions + 1, at_or_below[quantised], out=out)
    else:
        at_or_below_sorted = np.searchsorted(np.sort(quantised), quantised, side="right")
        np.subtract(n_regions + 1, at_or_below_sorted, out=out, casting="unsafe")


def _percentiles_of_sorted(ordered: npt.NDArray[np.int32], q: float) -> FloatArray:
    """NumPy's default ("linear") percentile of each row of an already sorted matrix."""
    n = ordered.shape[1]
    position = (n - 1) * q / 100.0
    low = math.floor(position)
    high = min(low + 1, n - 1)
    fraction = position - low
    return ordered[:, low] + (ordered[:, high].astype(np.float64) - ordered[:, low]) * fraction


def sensitivity(
    values: FloatArray,
    structure: FrameworkStructure,
    *,
    n_draws: int = 1000,
    concentration: float = 50.0,
    dimension_concentration: float | None = None,
    methods: Sequence[Normalisation] = NORMALISATIONS,
    method_probabilities: Sequence[float] | None = None,
    rule: CategoryRule | None = None,
    base_normalisation: Normalisation = "minmax",
    stability_threshold: float = 0.8,
    seed: int | None = 0,
    dtype: type[np.floating] = np.float32,
    batch_size: int | None = None,
) -> SensitivityResult:
    """Monte Carlo over weights and normalisation; see the module docstring.

    ``values`` is the (regions x indicators) matrix of indicator values (``ScoreResult.
    indicator_values``). The same ``seed`` gives the same result, whatever ``batch_size``.
    """
    rule = rule or CategoryRule()
    values = np.asarray(values, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != structure.n_indicators:
        raise ScoringError(f"indicator values must be (regions x {structure.n_indicators})")
    if n_draws < 1:
        raise ScoringError("n_draws must be at least 1")
    dim_conc = concentration if dimension_concentration is None else dimension_concentration
    if not (concentration > 0 and dim_conc > 0):
        raise ScoringError("concentrations must be positive (math.inf: no perturbation)")
    methods = tuple(methods)
    if not methods or any(m not in NORMALISATIONS for m in methods):
        raise ScoringError(f"methods must be a non-empty selection of {NORMALISATIONS}")
    if not 0 < stability_threshold <= 1:
        raise ScoringError("stability_threshold must lie in (0, 1]")
    n_regions = values.shape[0]

    base = score_values(values, structure, normalisation=base_normalisation, rule=rule, top_k=0)

    rng = np.random.default_rng(seed)
    weights = draw_weights(
        structure, n_draws, concentration=concentration, dimension_concentration=dim_conc, rng=rng
    )
    probabilities = None if method_probabilities is None else np.asarray(method_probabilities, dtype=float)
    if probabilities is not None:
        if probabilities.shape != (len(methods),) or probabilities.min() < 0 or probabilities.sum() <= 0:
            raise ScoringError("method_probabilities needs one non-negative value per method")
        probabilities = probabilities / probabilities.sum()
    method_of_draw = rng.choice(len(methods), size=n_draws, p=probabilities)

    # Each normalisation once, transposed so a batch is (draws x K) @ (K x R) -> (draws x R) rows.
    normalised_t: dict[int, npt.NDArray[np.floating]] = {}
    # Category thresholds per draw. Under mean ± k SD they come from the weights alone, exactly and in
    # float64: a draw's mean is w . (column means) and its mean square w' (N'N / R) w.
    low = np.empty(n_draws)
    high = np.empty(n_draws)
    for m in np.unique(method_of_draw).tolist():
        full = normalise(values, methods[m])
        normalised_t[m] = np.ascontiguousarray(full.T, dtype=dtype)
        chosen = method_of_draw == m
        if rule.method == "mean_sd" and n_regions:
            w = weights[chosen]
            mean = w @ full.mean(axis=0)
            square = np.einsum("dk,kl,dl->d", w, (full.T @ full) / n_regions, w)
            spread = rule.sd_multiplier * np.sqrt(np.maximum(square - mean**2, 0.0))
            low[chosen], high[chosen] = mean - spread, mean + spread
        else:
            low[chosen], high[chosen] = rule.cutoffs
        del full
    # mean_sd: tinggi is strictly above mean + k SD; cutoffs: tinggi from the cut-off on.
    above = np.greater_equal if rule.method == "cutoffs" else np.greater

    if batch_size is None:
        batch_size = max(1, _BATCH_CELLS // max(n_regions, 1))
    batch_size = min(batch_size, n_draws)

    # Region-major for the percentiles; each batch is ranked draw by draw (contiguous rows), then
    # transposed into the next block of columns (the column order does not matter).
    ranks = np.empty((n_regions, n_draws), dtype=np.int32)
    ranks_of_batch = np.empty((batch_size, n_regions), dtype=np.int32)
    done = 0
    rendah = np.zeros(n_regions, dtype=np.int32)
    tinggi = np.zeros(n_regions, dtype=np.int32)
    buffer = np.empty((batch_size, n_regions), dtype=dtype)
    flags = np.empty(n_regions, dtype=bool)
    # Draws are independent, so they are processed grouped by normalisation: each batch is then one
    # plain matrix product. Every result below is a count or a percentile, blind to draw order.
    for m, matrix in normalised_t.items():
        draws = np.flatnonzero(method_of_draw == m)
        for start in range(0, draws.size, batch_size):
            batch = draws[start : start + batch_size]
            composites = buffer[: batch.size]
            np.matmul(weights[batch].astype(dtype), matrix, out=composites)
            # Thresholds in the composites' own dtype: comparing float32 with a float64 scalar would
            # convert every element first (five times slower).
            low_cast, high_cast = low[batch].astype(dtype), high[batch].astype(dtype)
            for j in range(batch.size):  # whole-array work per draw
                row = composites[j]
                np.add(rendah, np.less(row, low_cast[j], out=flags), out=rendah)
                np.add(tinggi, above(row, high_cast[j], out=flags), out=tinggi)
                _rank_into(row, ranks_of_batch[j])
            ranks[:, done : done + batch.size] = ranks_of_batch[: batch.size].T
            done += batch.size

    ranks.sort(axis=1)
    counts = np.stack([rendah, n_draws - rendah - tinggi, tinggi], axis=1)
    share = counts / n_draws
    modal = np.argmax(counts, axis=1).astype(np.int8)
    modal_share = share.max(axis=1) if n_regions else np.zeros(0)
    return SensitivityResult(
        n_draws=n_draws,
        seed=seed,
        concentration=float(concentration),
        dimension_concentration=float(dim_conc),
        stability_threshold=stability_threshold,
        draws_per_method={methods[m]: int((method_of_draw == m).sum()) for m in range(len(methods))},
        base_rank=rank_descending(base.composite),
        base_category=base.category,
        rank_p05=_percentiles_of_sorted(ranks, 5) if n_regions else np.zeros(0),
        rank_p50=_percentiles_of_sorted(ranks, 50) if n_regions else np.zeros(0),
        rank_p95=_percentiles_of_sorted(ranks, 95) if n_regions else np.zeros(0),
        category_share=share,
        modal_category=modal,
        modal_share=modal_share,
        unstable=modal_share < stability_threshold,
    )
