"""Cyber classifier benchmark: Awas's model against the issue's baseline, same folds, same run.

    .venv/bin/python benchmarks/cyber.py [--folds 5] [--seed 42] [--sample N]

Prints the per-task table (macro-F1, 5-fold stratified CV) and single-core prediction throughput;
the last line is ``cyber_min_f1_gain=<min over tasks of ours − baseline> cyber_speedup=<ours /
baseline texts/s>``. Without ../shared/data it says so and exits 0.
"""

from __future__ import annotations

import os

# One core for every numerical library, before any of them is imported.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awas.cyber.evaluation import DataMissing, evaluate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sample", type=int, default=None, help="rows per dataset (quick runs)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    try:
        report = evaluate(
            args.data,
            folds=args.folds,
            seed=args.seed,
            sample=args.sample,
            log=lambda msg: print(msg, file=sys.stderr, flush=True),
        )
    except DataMissing as missing:
        print(f"cyber benchmark skipped: {missing} is absent (the shared data folder is needed)")
        return 0
    print(report.table())
    print(report.summary_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
