"""IKP scoring and sensitivity at national scale, against a bare-NumPy floor measured in the same run.

    .venv/bin/python benchmarks/ikp.py

1. 5,000,000 synthetic kejadian (fixed seed) over every desa/kelurahan of Indonesia (83,762, counted
   from ../shared/data/wilayah/wilayah_indonesia_all_levels.csv) and the 61 IKP 2024 indicators.
2. Our pipeline (awas.ikp.scoring.score: indicator values, min-max normalisation, dimension scores,
   composites, mean ± 1 SD categories) beside the floor: the same bincount, reshape, a (61 x 4)
   matrix product and a dot with the dimension weights, on the same arrays. Best of a few repeats.
3. 1,000 Monte Carlo draws (awas.ikp.sensitivity) for the 390 desa of Kabupaten Malang (synthetic
   data at the same density) and for all 83,762 desa.

The last line is ``ikp_ratio=<ours/floor> mc390_s=<seconds> mc_national_s=<seconds>``; the goals are
ratio <= 3 and mc390_s <= 2. No Django is needed: the engine is pure NumPy.
"""

from __future__ import annotations

import csv
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awas.ikp.scoring import FrameworkStructure, score  # noqa: E402
from awas.ikp.sensitivity import sensitivity  # noqa: E402

WILAYAH = ROOT.parent / "shared" / "data" / "wilayah" / "wilayah_indonesia_all_levels.csv"
FRAMEWORK = ROOT / "awas" / "ikp" / "frameworks" / "ikp2024.yaml"
DESA_LEVEL = "desa_kelurahan"
N_KEJADIAN = 5_000_000
KAB_MALANG_DESA = 390
DRAWS = 1000
REPEATS = 7
SEED = 20241127


def count_desa(path: Path) -> int:
    with path.open(newline="", encoding="utf-8") as handle:
        return sum(1 for row in csv.DictReader(handle) if row["level"] == DESA_LEVEL)


def structure_from_yaml(path: Path) -> FrameworkStructure:
    """The engine's view of the shipped framework, read without Django."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    numbers, dimensions, weights = [], [], []
    for d, dimension in enumerate(data["dimensions"]):
        for sub in dimension["subdimensions"]:
            for indicator in sub["indicators"]:
                numbers.append(indicator["number"])
                dimensions.append(d)
                weights.append(indicator["weight"])
    order = np.argsort(numbers)
    return FrameworkStructure(
        indicator_dimension=np.array(dimensions)[order],
        indicator_weight=np.array(weights, dtype=float)[order],
        dimension_weight=np.array([dim["weight"] for dim in data["dimensions"]], dtype=float),
        indicator_numbers=np.array(numbers)[order],
    )


def synthetic_kejadian(
    n_regions: int, n: int, n_indicators: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    regions = rng.integers(0, n_regions, size=n)
    indicators = rng.integers(0, n_indicators, size=n)
    severity = rng.integers(1, 4, size=n).astype(np.float64)  # rendah 1, sedang 2, tinggi 3
    return regions, indicators, severity


def best_of(repeats: int, function: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    if not WILAYAH.exists():
        print(f"ikp benchmark skipped: {WILAYAH} is absent (it gives the number of desa to score).")
        return 0
    n_regions = count_desa(WILAYAH)
    structure = structure_from_yaml(FRAMEWORK)
    k = structure.n_indicators
    print(
        f"IKP benchmark: {n_regions:,} desa/kelurahan x {k} indicators, {N_KEJADIAN:,} kejadian (seed {SEED})"
    )
    if os.environ.get("OPENBLAS_CORETYPE"):
        print(
            f"note: OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is set; it may slow matrix products"
        )
    if hasattr(os, "getloadavg"):
        print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    regions, indicators, severity = synthetic_kejadian(n_regions, N_KEJADIAN, k, SEED)
    dimension_matrix = structure.dimension_matrix()
    dimension_weights = structure.normalised_dimension_weights()

    def floor() -> np.ndarray:
        values = np.bincount(regions * k + indicators, weights=severity, minlength=n_regions * k)
        return (values.reshape(n_regions, k) @ dimension_matrix) @ dimension_weights

    def ours() -> Any:
        return score(regions, indicators, severity, n_regions, structure, top_k=0)

    # Interleaved, so a burst of load hits both alike; the first call of each warms caches.
    floor()
    ours()
    floor_s = ours_s = float("inf")
    result = None
    for _ in range(REPEATS):
        elapsed, _unused = best_of(1, floor)
        floor_s = min(floor_s, elapsed)
        elapsed, result = best_of(1, ours)
        ours_s = min(ours_s, elapsed)
    top_s, _unused = best_of(2, lambda: score(regions, indicators, severity, n_regions, structure, top_k=5))
    ratio = ours_s / floor_s
    assert result is not None
    # The floor skips normalisation and categories, so only the shape of our output is checked here.
    assert (
        result.composite.shape == (n_regions,)
        and 0 <= result.composite.min() <= result.composite.max() <= 100
    )

    # Sensitivity: 390 desa at the national density of kejadian, then all desa.
    n_small = round(N_KEJADIAN * KAB_MALANG_DESA / n_regions)
    small_values = score(
        *synthetic_kejadian(KAB_MALANG_DESA, n_small, k, SEED + 1), KAB_MALANG_DESA, structure
    )
    mc390_s, small = best_of(
        3, lambda: sensitivity(small_values.indicator_values, structure, n_draws=DRAWS, seed=1)
    )
    mc_national_s, national = best_of(
        1, lambda: sensitivity(result.indicator_values, structure, n_draws=DRAWS, seed=1)
    )

    rows = [
        ("floor: bincount + (61x4) product + dot", floor_s, ""),
        ("awas.ikp.scoring.score (to categories)", ours_s, f"{ratio:.2f} x floor (goal <= 3)"),
        ("  same, with top-5 contributors per desa", top_s, "not part of the ratio"),
        (
            f"sensitivity, {DRAWS:,} draws, {KAB_MALANG_DESA} desa",
            mc390_s,
            f"goal <= 2 s; unstable {small.unstable.mean():.0%}",
        ),
        (
            f"sensitivity, {DRAWS:,} draws, {n_regions:,} desa",
            mc_national_s,
            f"unstable {national.unstable.mean():.0%}; methods {national.draws_per_method}",
        ),
    ]
    width = max(len(name) for name, _, _ in rows)
    print()
    print(f"{'step'.ljust(width)}  {'seconds':>8}  note")
    for name, seconds, note in rows:
        print(f"{name.ljust(width)}  {seconds:8.3f}  {note}")
    print()
    print(f"ikp_ratio={ratio:.2f} mc390_s={mc390_s:.2f} mc_national_s={mc_national_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
