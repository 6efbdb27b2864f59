"""The evaluation code of ``awas cyber evaluate`` and ``benchmarks/cyber.py``, on a small sample."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from awas.conftest import SHARED_DATA, shared_data
from awas.cyber.evaluation import HOAX, TWEETS, evaluate


def test_evaluation_runs_on_a_sample_of_the_shared_data() -> None:
    shared_data(str(TWEETS))
    shared_data(str(HOAX))
    report = evaluate(SHARED_DATA, folds=2, sample=240, timing_rounds=1)
    assert [t.task for t in report.tasks] == ["HS", "Abusive", "SARA", "hoax"]
    for task in report.tasks:
        assert len(task.ours_folds) == len(task.baseline_folds) == 2
        assert 0.0 <= task.ours <= 1.0 and 0.0 <= task.baseline <= 1.0
    assert report.ours_rate > 0 and report.baseline_rate > 0
    line = report.summary_line()
    assert line.startswith("cyber_min_f1_gain=") and " cyber_speedup=" in line
    assert "baseline" in report.table() and "texts/s" in report.table()


def test_evaluate_command_says_when_the_data_is_absent(tmp_path: object) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="absent"):
        call_command("cyber", "evaluate", "--data", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
