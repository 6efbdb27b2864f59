"""The scoring engine: a worked example checked by hand, properties, category rules, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awas.ikp.scoring import (
    RENDAH,
    SEDANG,
    TINGGI,
    CategoryRule,
    FrameworkStructure,
    ScoreResult,
    ScoringError,
    categorise,
    indicator_values,
    normalise,
    rank_descending,
    score,
    score_values,
)

# --- a worked example, every number computed by hand ---------------------------------------------
#
# Three desa A, B, C (regions 0, 1, 2); four indicators; two dimensions:
#   dimension 0 = indicators 0 (weight 1) and 1 (weight 3) -> shares 1/4 and 3/4
#   dimension 1 = indicators 2 (weight 2) and 3 (weight 2) -> shares 1/2 and 1/2
#   dimension weights 3 and 1 -> 3/4 and 1/4
# Severity (tingkat kejadian) weights: rendah 1, sedang 2, tinggi 3.
#
# Kejadian (region, indicator, severity weight):
#   A: (0,0,3 tinggi) (0,0,1 rendah) (0,1,3) (0,1,3) (0,2,2 sedang)
#   B: (1,0,2) (1,1,1) (1,1,2) (1,3,3)
#   C: (2,0,1) (2,2,3) (2,2,1)
REGIONS = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
INDICATORS = [0, 0, 1, 1, 2, 0, 1, 1, 3, 0, 2, 2]
SEVERITY = [3, 1, 3, 3, 2, 2, 1, 2, 3, 1, 3, 1]
STRUCTURE = FrameworkStructure(
    indicator_dimension=np.array([0, 0, 1, 1]),
    indicator_weight=np.array([1.0, 3.0, 2.0, 2.0]),
    dimension_weight=np.array([3.0, 1.0]),
)

# Indicator values = sums of severity weights:
#        i0        i1        i2        i3
#   A  3+1=4    3+3=6       2         0
#   B    2      1+2=3       0         3
#   C    1        0       3+1=4       0
VALUES = [[4, 6, 2, 0], [2, 3, 0, 3], [1, 0, 4, 0]]

# Min-max per column, (x - min) / (max - min) x 100:
#   i0: min 1, max 4 -> A (4-1)/3 = 100, B (2-1)/3 = 33.333..., C 0
#   i1: min 0, max 6 -> A 100, B 3/6 = 50, C 0
#   i2: min 0, max 4 -> A 2/4 = 50, B 0, C 100
#   i3: min 0, max 3 -> A 0, B 100, C 0
NORMALISED: list[list[float]] = [[100, 100, 50, 0], [100 / 3, 50, 0, 100], [0, 0, 100, 0]]

# Dimension scores (weighted means):
#   d0 = 1/4 i0 + 3/4 i1: A 25 + 75 = 100;  B 8.333... + 37.5 = 45.8333...;  C 0
#   d1 = 1/2 i2 + 1/2 i3: A 25 + 0 = 25;    B 0 + 50 = 50;                    C 50 + 0 = 50
DIMENSIONS: list[list[float]] = [[100, 25], [25 / 3 + 37.5, 50], [0, 50]]

# Composite = 3/4 d0 + 1/4 d1: A 75 + 6.25 = 81.25;  B 34.375 + 12.5 = 46.875;  C 0 + 12.5 = 12.5
COMPOSITE = [81.25, 46.875, 12.5]

# mean = 140.625 / 3 = 46.875 (B sits exactly on it); deviations 34.375, 0, -34.375;
# population variance = 2 x 34.375^2 / 3 = 787.7604166...; SD = 28.0670699694...
# bounds 46.875 ∓ 28.0670699694 = 18.8079300306 and 74.9420699694
#   -> A 81.25 > 74.94: tinggi;  B: sedang;  C 12.5 < 18.81: rendah
SD = math.sqrt(2 * 34.375**2 / 3)

# Effective weights in the composite: i0 3/4 x 1/4 = 0.1875, i1 3/4 x 3/4 = 0.5625,
# i2 1/4 x 1/2 = 0.125, i3 0.125. Contributions (normalised x effective weight):
#   A: i0 18.75, i1 56.25, i2 6.25, i3 0      -> i1, i0, i2, none (sum 81.25 = composite)
#   B: i0 6.25, i1 28.125, i2 0, i3 12.5      -> i1, i3, i0, none
#   C: i2 12.5, the others 0                   -> i2, none, none, none


def test_worked_example_every_step():
    result = score(REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE, top_k=4)

    np.testing.assert_allclose(result.indicator_values, VALUES, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.normalised, NORMALISED, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.dimension_scores, DIMENSIONS, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.composite, COMPOSITE, rtol=0, atol=1e-9)
    np.testing.assert_allclose(result.thresholds, [46.875 - SD, 46.875 + SD], rtol=0, atol=1e-9)
    assert result.category.tolist() == [TINGGI, SEDANG, RENDAH]
    assert result.category_codes() == ["tinggi", "sedang", "rendah"]
    np.testing.assert_allclose(result.effective_weights, [0.1875, 0.5625, 0.125, 0.125], rtol=0, atol=1e-12)
    assert result.top_indicators.tolist() == [[1, 0, 2, -1], [1, 3, 0, -1], [2, -1, -1, -1]]
    np.testing.assert_allclose(
        result.top_contributions,
        [[56.25, 18.75, 6.25, 0], [28.125, 12.5, 6.25, 0], [12.5, 0, 0, 0]],
        atol=1e-9,
    )
    np.testing.assert_allclose(result.top_contributions.sum(axis=1), result.composite, atol=1e-9)
    assert result.rank().tolist() == [1, 2, 3]


def test_worked_example_with_percentile_normalisation():
    # Share of the other two desa strictly lower, x 100:
    #   i0 (4, 2, 1) -> 100, 50, 0;  i1 (6, 3, 0) -> 100, 50, 0;  i2 (2, 0, 4) -> 50, 0, 100;
    #   i3 (0, 3, 0) -> 0, 100, 0 (A and C tie at the bottom: nobody is lower).
    # d0: A 100, B 1/4 x 50 + 3/4 x 50 = 50, C 0;  d1: A 25, B 50, C 50
    # composite: A 75 + 6.25 = 81.25, B 37.5 + 12.5 = 50, C 12.5
    result = score(REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE, normalisation="percentile")
    np.testing.assert_allclose(
        result.normalised, [[100, 100, 50, 0], [50, 50, 0, 100], [0, 0, 100, 0]], rtol=0, atol=1e-9
    )
    np.testing.assert_allclose(result.dimension_scores, [[100, 25], [50, 50], [0, 50]], atol=1e-9)
    np.testing.assert_allclose(result.composite, [81.25, 50, 12.5], atol=1e-9)


def test_worked_example_with_cutoffs():
    # Published kab/kota bands: sedang from 13.47, tinggi from 49.33 (DOMAIN.md §1.1).
    published = score(REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE, rule=CategoryRule("cutoffs"))
    assert published.category.tolist() == [TINGGI, SEDANG, RENDAH]
    # Other bands change the verdict: 50 and 80 make B (46.875) rendah; a bound is inclusive.
    other = score(REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE, rule=CategoryRule("cutoffs", cutoffs=(50, 80)))
    assert other.category.tolist() == [TINGGI, RENDAH, RENDAH]
    exact = score(
        REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE, rule=CategoryRule("cutoffs", cutoffs=(12.5, 81.25))
    )
    assert exact.category.tolist() == [TINGGI, SEDANG, SEDANG]


def test_published_kabkota_bands():
    composites = np.array([0, 13.46, 13.47, 49.32, 49.33, 64.007, 100])
    category, thresholds = categorise(composites, CategoryRule("cutoffs", cutoffs=(13.47, 49.33)))
    assert category.tolist() == [RENDAH, RENDAH, SEDANG, SEDANG, TINGGI, TINGGI, TINGGI]
    assert thresholds == (13.47, 49.33)
    # Kab. Malang's reported 64.007 is tinggi under the kab/kota bands (data/SOURCES.md §4).


def test_mean_sd_boundary_is_sedang_and_equal_composites_are_all_sedang():
    # Values -1, 0, 1 around mean 0 with SD sqrt(2/3): the outer two are beyond 1 SD.
    category, _ = categorise(np.array([-1.0, 0.0, 1.0]), CategoryRule())
    assert category.tolist() == [RENDAH, SEDANG, TINGGI]
    # With SD 0 nobody is more than 0 away from the mean.
    category, thresholds = categorise(np.full(4, 7.0), CategoryRule())
    assert category.tolist() == [SEDANG] * 4
    assert thresholds == (7.0, 7.0)
    # Two SDs instead of one.
    category, _ = categorise(np.array([-1.0, 0.0, 1.0]), CategoryRule(sd_multiplier=2))
    assert category.tolist() == [SEDANG] * 3


def test_an_indicator_nobody_reported_scores_zero_everywhere():
    values = np.array([[0.0, 5.0], [0.0, 1.0], [0.0, 3.0]])
    normalised = normalise(values, "minmax")
    assert normalised[:, 0].tolist() == [0, 0, 0]
    assert normalise(values, "percentile")[:, 0].tolist() == [0, 0, 0]
    assert normalised[:, 1].tolist() == [100, 0, 50]


def test_kejadian_without_severity_count_one_each():
    values = indicator_values([0, 0, 1], [1, 1, 0], None, 2, 2)
    assert values.tolist() == [[0, 2], [1, 0]]


def test_no_kejadian_at_all():
    result = score(np.array([], dtype=int), np.array([], dtype=int), np.array([]), 3, STRUCTURE)
    assert result.composite.tolist() == [0, 0, 0]
    assert result.category.tolist() == [SEDANG] * 3
    assert (result.top_indicators == -1).all()


def test_indicator_numbers_map_to_engine_indices():
    structure = FrameworkStructure(
        np.array([0, 0, 1]), np.ones(3), np.ones(2), indicator_numbers=np.array([5, 7, 9])
    )
    assert structure.indicator_index([9, 5, 7, 7]).tolist() == [2, 0, 1, 1]
    with pytest.raises(ScoringError, match="unknown indicator number"):
        structure.indicator_index([6])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region_index": [0, 3]}, "region_index must lie in 0..2"),
        ({"region_index": [0, -1]}, "region_index must lie in 0..2"),
        ({"indicator_index": [0, 4]}, "indicator_index must lie in 0..3"),
        ({"severity_weight": [1, -1]}, "non-negative"),
        ({"severity_weight": [1]}, "one value per kejadian"),
        ({"region_index": [0.5, 1]}, "integers"),
    ],
)
def test_bad_kejadian_are_refused(kwargs, message):
    arguments = {"region_index": [0, 1], "indicator_index": [0, 1], "severity_weight": [1, 1]}
    arguments.update(kwargs)
    with pytest.raises(ScoringError, match=message):
        score(
            arguments["region_index"],
            arguments["indicator_index"],
            arguments["severity_weight"],
            3,
            STRUCTURE,
        )


def test_bad_structures_are_refused():
    with pytest.raises(ScoringError, match="non-negative"):
        FrameworkStructure(np.array([0, 1]), np.array([1.0, -1.0]), np.ones(2))
    with pytest.raises(ScoringError, match="dimension\\(s\\) 2 have none"):
        FrameworkStructure(np.array([0, 1]), np.array([1.0, 0.0]), np.ones(2))
    with pytest.raises(ScoringError, match="does not exist"):
        FrameworkStructure(np.array([0, 2]), np.ones(2), np.ones(2))
    with pytest.raises(ScoringError, match="positive weight"):
        FrameworkStructure(np.array([0, 1]), np.ones(2), np.zeros(2))
    with pytest.raises(ScoringError, match="cut-offs"):
        CategoryRule("cutoffs", cutoffs=(50, 10))


def test_ties_share_the_better_rank():
    # 30 and 30.0004 are equal at three decimals; each 10 has two regions above it.
    assert rank_descending([10.0, 30.0, 10.0, 30.0004, 5.0]).tolist() == [3, 1, 3, 1, 5]


# --- properties -----------------------------------------------------------------------------------


@st.composite
def scenarios(draw):
    """A random framework (1-3 dimensions, 1-6 indicators) and 0-40 kejadian over 1-8 regions."""
    n_dimensions = draw(st.integers(1, 3))
    n_indicators = draw(st.integers(n_dimensions, 6))
    # every dimension gets at least one indicator
    extra = draw(st.lists(st.integers(0, n_dimensions - 1), min_size=n_indicators - n_dimensions,
                          max_size=n_indicators - n_dimensions))  # fmt: skip
    membership = np.array(list(range(n_dimensions)) + extra)
    indicator_weight = np.array(
        draw(st.lists(st.floats(0.1, 10), min_size=n_indicators, max_size=n_indicators))
    )
    dimension_weight = np.array(
        draw(st.lists(st.floats(0.1, 10), min_size=n_dimensions, max_size=n_dimensions))
    )
    structure = FrameworkStructure(membership, indicator_weight, dimension_weight)
    n_regions = draw(st.integers(1, 8))
    kejadian = draw(
        st.lists(
            st.tuples(
                st.integers(0, n_regions - 1),
                st.integers(0, n_indicators - 1),
                st.sampled_from([1.0, 2.0, 3.0]),
            ),
            max_size=40,
        )
    )
    return structure, n_regions, kejadian


def _arrays(kejadian: list[tuple[int, int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if not kejadian:
        return np.array([], dtype=int), np.array([], dtype=int), np.array([])
    regions, indicators, severity = zip(*kejadian, strict=True)
    return np.array(regions), np.array(indicators), np.array(severity)


def _off_the_boundaries(result: ScoreResult) -> np.ndarray:
    """Regions clearly away from a category bound. With two regions, for instance, both sit exactly
    one SD from the mean, where the last bit of rounding decides; such ties are not compared."""
    low, high = result.thresholds
    return (np.abs(result.composite - low) > 1e-9) & (np.abs(result.composite - high) > 1e-9)


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.data())
def test_adding_a_kejadian_never_lowers_its_region(scenario, data):
    structure, n_regions, kejadian = scenario
    region = data.draw(st.integers(0, n_regions - 1))
    indicator = data.draw(st.integers(0, structure.n_indicators - 1))
    severity = data.draw(st.sampled_from([1.0, 2.0, 3.0]))
    for method in ("minmax", "percentile"):
        before = score(*_arrays(kejadian), n_regions, structure, normalisation=method)
        after = score(
            *_arrays([*kejadian, (region, indicator, severity)]), n_regions, structure, normalisation=method
        )
        assert (
            after.indicator_values[region, indicator] == before.indicator_values[region, indicator] + severity
        )
        assert after.normalised[region, indicator] >= before.normalised[region, indicator] - 1e-9


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_permuting_regions_permutes_the_scores(scenario, random):
    structure, n_regions, kejadian = scenario
    permutation = list(range(n_regions))
    random.shuffle(permutation)  # region r becomes permutation[r]
    regions, indicators, severity = _arrays(kejadian)
    moved = np.array(permutation, dtype=int)[regions] if regions.size else regions
    for method in ("minmax", "percentile"):
        original = score(regions, indicators, severity, n_regions, structure, normalisation=method)
        permuted = score(moved, indicators, severity, n_regions, structure, normalisation=method)
        np.testing.assert_allclose(permuted.composite[permutation], original.composite, atol=1e-9)
        np.testing.assert_allclose(
            permuted.dimension_scores[permutation], original.dimension_scores, atol=1e-9
        )
        clear = _off_the_boundaries(original)
        assert permuted.category[permutation][clear].tolist() == original.category[clear].tolist()


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.floats(1e-3, 1e3))
def test_scaling_every_weight_changes_nothing(scenario, factor):
    structure, n_regions, kejadian = scenario
    scaled = FrameworkStructure(
        structure.indicator_dimension,
        structure.indicator_weight * factor,
        structure.dimension_weight * factor,
    )
    original = score(*_arrays(kejadian), n_regions, structure)
    rescaled = score(*_arrays(kejadian), n_regions, scaled)
    np.testing.assert_allclose(rescaled.dimension_scores, original.dimension_scores, atol=1e-9)
    np.testing.assert_allclose(rescaled.composite, original.composite, atol=1e-9)
    clear = _off_the_boundaries(original)
    assert rescaled.category[clear].tolist() == original.category[clear].tolist()


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_scores_stay_within_0_and_100_and_contributions_add_up(scenario):
    structure, n_regions, kejadian = scenario
    for method in ("minmax", "percentile"):
        result = score(
            *_arrays(kejadian), n_regions, structure, normalisation=method, top_k=structure.n_indicators
        )
        assert (result.normalised >= 0).all() and (result.normalised <= 100 + 1e-9).all()
        assert (result.composite >= 0).all() and (result.composite <= 100 + 1e-9).all()
        np.testing.assert_allclose(result.top_contributions.sum(axis=1), result.composite, atol=1e-9)


def test_score_values_matches_score():
    from_kejadian = score(REGIONS, INDICATORS, SEVERITY, 3, STRUCTURE)
    from_values = score_values(np.array(VALUES, dtype=float), STRUCTURE)
    np.testing.assert_array_equal(from_values.composite, from_kejadian.composite)
