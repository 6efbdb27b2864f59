"""Monte Carlo sensitivity of ranks and categories to weights and normalisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from awas.ikp.scoring import (
    RENDAH,
    SEDANG,
    TINGGI,
    CategoryRule,
    FrameworkStructure,
    ScoringError,
    categorise,
    normalise,
    rank_descending,
    score_values,
)
from awas.ikp.sensitivity import draw_weights, sensitivity

STRUCTURE = FrameworkStructure(
    indicator_dimension=np.array([0, 0, 0, 1, 1, 2, 2, 2, 3]),
    indicator_weight=np.array([1.0, 1, 2, 1, 1, 1, 3, 1, 1]),
    dimension_weight=np.array([1.0, 2, 1, 1]),
)


def _values(n_regions: int = 120, seed: int = 3) -> np.ndarray:
    """Severity-weighted counts with many zeros, as desa data look."""
    rng = np.random.default_rng(seed)
    return rng.poisson(0.8, size=(n_regions, STRUCTURE.n_indicators)) * rng.integers(
        1, 4, size=(n_regions, 1)
    )


def test_same_seed_same_result_whatever_the_batch_size():
    values = _values()
    first = sensitivity(values, STRUCTURE, n_draws=200, seed=11)
    again = sensitivity(values, STRUCTURE, n_draws=200, seed=11, batch_size=7)
    other = sensitivity(values, STRUCTURE, n_draws=200, seed=12)
    for name in ("rank_p05", "rank_p50", "rank_p95", "category_share", "unstable"):
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert first.draws_per_method == again.draws_per_method
    assert not np.array_equal(first.category_share, other.category_share)


def test_matches_a_plain_loop_over_the_draws():
    """The vectorised engine against the definition, draw by draw, in float64."""
    values = _values(60)
    rule = CategoryRule()
    result = sensitivity(values, STRUCTURE, n_draws=150, seed=5, concentration=20, dtype=np.float64)

    rng = np.random.default_rng(5)  # the engine's order: weights, then the normalisation per draw
    weights = draw_weights(STRUCTURE, 150, concentration=20, rng=rng)
    methods = rng.choice(2, size=150)
    ranks, counts = [], np.zeros((60, 3))
    for w, method in zip(weights, methods, strict=True):
        composite = normalise(values, ("minmax", "percentile")[method]) @ w
        category, _ = categorise(composite, rule)
        counts[np.arange(60), category] += 1
        ranks.append(rank_descending(composite))
    ranks_by_region = np.array(ranks).T
    np.testing.assert_allclose(result.category_share, counts / 150)
    np.testing.assert_allclose(result.rank_p05, np.percentile(ranks_by_region, 5, axis=1))
    np.testing.assert_allclose(result.rank_p50, np.percentile(ranks_by_region, 50, axis=1))
    np.testing.assert_allclose(result.rank_p95, np.percentile(ranks_by_region, 95, axis=1))
    assert result.draws_per_method == {
        "minmax": int((methods == 0).sum()),
        "percentile": int((methods == 1).sum()),
    }


def test_drawn_weights_centre_on_the_set_weights():
    draws = draw_weights(STRUCTURE, 4000, concentration=50, rng=np.random.default_rng(1))
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    np.testing.assert_allclose(draws.mean(axis=0), STRUCTURE.effective_weights(), rtol=0.05)
    exact = draw_weights(STRUCTURE, 3, concentration=math.inf, rng=np.random.default_rng(1))
    np.testing.assert_allclose(exact, np.tile(STRUCTURE.effective_weights(), (3, 1)))


def test_a_zero_weight_stays_zero():
    structure = FrameworkStructure(np.array([0, 0, 1]), np.array([1.0, 0.0, 1.0]), np.ones(2))
    draws = draw_weights(structure, 50, concentration=5, rng=np.random.default_rng(0))
    assert (draws[:, 1] == 0).all()


@pytest.mark.parametrize("concentration", [1e9, math.inf])
def test_near_infinite_concentration_reproduces_the_base(concentration):
    values = _values(200)
    for rule in (CategoryRule(), CategoryRule("cutoffs", cutoffs=(11.11, 31.37))):
        result = sensitivity(
            values,
            STRUCTURE,
            n_draws=100,
            concentration=concentration,
            methods=("minmax",),
            rule=rule,
            seed=2,
        )
        base = score_values(values, STRUCTURE, rule=rule)
        assert result.base_category.tolist() == base.category.tolist()
        np.testing.assert_array_equal(result.base_share, 1.0)
        assert result.modal_category.tolist() == base.category.tolist()
        assert not result.unstable.any()
        assert result.draws_per_method == {"minmax": 100}
        if math.isinf(concentration):
            # At 1e9 weights still move by ~1e-4 relative, enough to swap composites that differ in
            # the third decimal, so ranks are compared only when the weights are exactly the set ones.
            np.testing.assert_array_equal(result.rank_p05, result.base_rank)
            np.testing.assert_array_equal(result.rank_p95, result.base_rank)


def test_a_region_on_a_category_boundary_is_unstable():
    # One dimension of two equally weighted indicators; min-max puts region 0 at (100, 0), region 1
    # at (0, 100), region 2 at (30, 30), region 3 at (0, 0). Base composites 50, 50, 30, 0. With
    # tinggi from 50, regions 0 and 1 sit on the boundary: any drawn weight other than exactly half
    # moves one of them below it. Region 2 stays at 30 (sedang) whatever the weights.
    structure = FrameworkStructure(np.array([0, 0]), np.ones(2), np.ones(1))
    values = np.array([[10.0, 0], [0, 10], [3, 3], [0, 0]])
    rule = CategoryRule("cutoffs", cutoffs=(13.47, 50))
    result = sensitivity(
        values, structure, n_draws=400, concentration=50, methods=("minmax",), rule=rule, seed=4
    )
    assert result.base_category.tolist() == [TINGGI, TINGGI, SEDANG, RENDAH]
    assert result.unstable.tolist() == [True, True, False, False]
    assert 0.3 < result.category_share[0, TINGGI] < 0.7
    np.testing.assert_allclose(result.category_share[0, TINGGI] + result.category_share[1, TINGGI], 1.0)
    assert result.category_share[2, SEDANG] == 1.0 and result.category_share[3, RENDAH] == 1.0
    # Rank 1 or 2 for the two leaders, depending on the draw; 3 and 4 never move.
    assert result.rank_p05[:2].tolist() == [1, 1] and result.rank_p95[:2].tolist() == [2, 2]
    assert result.rank_p05[2:].tolist() == [3, 4] and result.rank_p95[2:].tolist() == [3, 4]


def test_rank_band_and_shares_are_consistent():
    values = _values(300)
    result = sensitivity(values, STRUCTURE, n_draws=300, seed=9)
    assert (result.rank_p05 >= 1).all() and (result.rank_p05 <= result.rank_p50).all()
    assert (result.rank_p50 <= result.rank_p95).all() and (result.rank_p95 <= 300).all()
    np.testing.assert_allclose(result.category_share.sum(axis=1), 1.0)
    np.testing.assert_array_equal(result.unstable, result.modal_share < 0.8)
    assert sum(result.draws_per_method.values()) == 300
    # Regions without any event rank last together in every draw and are always the lowest.
    empty = values.sum(axis=1) == 0
    if empty.any():
        assert len(set(result.rank_p05[empty])) == 1


def test_method_probabilities_and_validation():
    values = _values(20)
    only_percentile = sensitivity(values, STRUCTURE, n_draws=50, method_probabilities=[0, 1], seed=1)
    assert only_percentile.draws_per_method == {"minmax": 0, "percentile": 50}
    with pytest.raises(ScoringError, match="methods"):
        sensitivity(values, STRUCTURE, methods=("zscore",))  # type: ignore[arg-type]
    with pytest.raises(ScoringError, match="concentration"):
        sensitivity(values, STRUCTURE, concentration=0)
    with pytest.raises(ScoringError, match="regions x 9"):
        sensitivity(values[:, :3], STRUCTURE)
