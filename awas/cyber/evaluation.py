"""The evaluation of the cyber classifier: Awas's model beside the baseline, same folds, same run.

Used by ``awas cyber evaluate`` and ``benchmarks/cyber.py`` (the same code). Tasks:

* HS, Abusive and SARA (``HS_Religion`` or ``HS_Race``) on Ibrohim & Budi 2019's tweets, one
  multi-label model per fold (the baseline: one logistic regression per label on shared features);
* hoax against valid news on Pratiwi et al. 2017's 600 articles.

Stratified K-fold CV with a fixed seed gives each task's macro-F1 (mean over folds). Prediction
throughput (texts/s, one core, vectorisation included, probabilities for the three tweet labels) is
measured on the first fold's held-out tweets with the first fold's models: the two are timed in
turn 15 times and the best time of each counts, so that a busy machine does not decide the
ratio. Awas's model starts each timing from its state as loaded from disk (words first seen while
predicting are forgotten).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold, train_test_split
from threadpoolctl import threadpool_limits

from awas.cyber.baseline import BaselineClassifier
from awas.cyber.classifier import TextClassifier, macro_f1
from awas.cyber.datasets import Dataset, read_labelled_csv
from awas.cyber.textnorm import default_shared_data

TWEETS = Path("text") / "ibrohim2019_hatespeech" / "re_dataset.csv"
HOAX = Path("text") / "pratiwi2017_hoax" / "600_news_with_valid_hoax_label.csv"
TWEET_LABELS = "HS=HS,Abusive=Abusive,SARA=HS_Religion|HS_Race"
HOAX_LABELS = "hoax=tagging:Hoax"


class DataMissing(FileNotFoundError):
    pass


def load_tweets(shared: Path) -> Dataset:
    path = shared / TWEETS
    if not path.exists():
        raise DataMissing(str(path))
    return read_labelled_csv(path, label_map=TWEET_LABELS, text_column="Tweet", encoding="latin-1")


def load_hoax(shared: Path) -> Dataset:
    path = shared / HOAX
    if not path.exists():
        raise DataMissing(str(path))
    return read_labelled_csv(path, label_map=HOAX_LABELS, text_column="berita", encoding="latin-1", sep=";")


@dataclass
class TaskResult:
    task: str
    dataset: str
    n: int
    positives: int
    baseline_folds: list[float] = field(default_factory=list)
    ours_folds: list[float] = field(default_factory=list)

    @property
    def baseline(self) -> float:
        return float(np.mean(self.baseline_folds))

    @property
    def ours(self) -> float:
        return float(np.mean(self.ours_folds))

    @property
    def gain(self) -> float:
        return self.ours - self.baseline


@dataclass
class Report:
    tasks: list[TaskResult]
    folds: int
    seed: int
    baseline_rate: float = 0.0  # texts/s
    ours_rate: float = 0.0
    timed_texts: int = 0
    seconds: float = 0.0

    @property
    def min_gain(self) -> float:
        return min(t.gain for t in self.tasks)

    @property
    def speedup(self) -> float:
        return self.ours_rate / self.baseline_rate if self.baseline_rate else 0.0

    def summary_line(self) -> str:
        return f"cyber_min_f1_gain={self.min_gain:.4f} cyber_speedup={self.speedup:.2f}"

    def table(self) -> str:
        lines = [
            f"Cyber classifier: {self.folds}-fold stratified CV (seed {self.seed}), "
            "macro-F1, mean over folds",
            "",
            f"{'task':<9} {'data':<34} {'n':>6} {'pos':>6} {'baseline':>9} {'awas':>8} {'gain':>8}",
        ]
        for t in self.tasks:
            lines.append(
                f"{t.task:<9} {t.dataset:<34} {t.n:>6} {t.positives:>6} "
                f"{t.baseline:>9.4f} {t.ours:>8.4f} {t.gain:>+8.4f}"
            )
        lines += [
            "",
            f"prediction throughput, 1 core, {self.timed_texts} held-out tweets, vectorisation included:",
            f"  baseline {self.baseline_rate:>9,.0f} texts/s",
            f"  awas     {self.ours_rate:>9,.0f} texts/s   ({self.speedup:.2f}x)",
            f"total time {self.seconds:.0f} s",
        ]
        return "\n".join(lines)


def _subsample(data: Dataset, size: int | None, seed: int) -> Dataset:
    if size is None or size >= len(data.texts):
        return data
    key = _strata(data.Y)
    idx, _ = train_test_split(np.arange(len(data.texts)), train_size=size, stratify=key, random_state=seed)
    idx = np.sort(idx)
    return Dataset([data.texts[i] for i in idx], data.Y[idx], data.labels, data.source)


def _strata(Y: np.ndarray) -> np.ndarray:
    """One stratum per label combination (the folds keep every label's balance)."""
    key = np.zeros(len(Y), dtype=np.int64)
    for j in range(Y.shape[1]):
        key = key * 2 + Y[:, j]
    return key


def _timed(run: Callable[[], object], before: Callable[[], None] | None = None) -> float:
    if before is not None:
        before()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def evaluate(
    shared: Path | None = None,
    *,
    folds: int = 5,
    seed: int = 42,
    sample: int | None = None,
    timing_rounds: int = 15,
    log: Callable[[str], None] | None = None,
) -> Report:
    """Run the whole evaluation; ``sample`` limits each dataset to that many rows (for tests)."""
    shared = shared or default_shared_data()
    say = log or (lambda _msg: None)
    started = time.perf_counter()
    with threadpool_limits(limits=1):
        tweets = _subsample(load_tweets(shared), sample, seed)
        hoax = _subsample(load_hoax(shared), sample, seed)
        tasks = [
            TaskResult(label, "ibrohim2019 re_dataset (tweets)", len(tweets.texts), int(tweets.Y[:, j].sum()))
            for j, label in enumerate(tweets.labels)
        ]
        hoax_task = TaskResult("hoax", "pratiwi2017 600 news", len(hoax.texts), int(hoax.Y[:, 0].sum()))
        report = Report(tasks=[*tasks, hoax_task], folds=folds, seed=seed)

        timing: tuple[BaselineClassifier, TextClassifier, list[str]] | None = None
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        for number, (train, test) in enumerate(splitter.split(tweets.texts, _strata(tweets.Y)), start=1):
            say(f"tweets fold {number}/{folds}: training")
            train_texts = [tweets.texts[i] for i in train]
            test_texts = [tweets.texts[i] for i in test]
            baseline = BaselineClassifier(tweets.labels).fit(train_texts, tweets.Y[train])
            ours = TextClassifier.train(train_texts, tweets.Y[train], tweets.labels, seed=seed)
            ours.space.reset_runtime()
            base_pred, our_pred = baseline.predict(test_texts), ours.predict(test_texts)
            for j, task in enumerate(tasks):
                task.baseline_folds.append(macro_f1(tweets.Y[test, j], base_pred[:, j]))
                task.ours_folds.append(macro_f1(tweets.Y[test, j], our_pred[:, j]))
            if timing is None:
                timing = (baseline, ours, test_texts)
        for number, (train, test) in enumerate(splitter.split(hoax.texts, hoax.Y[:, 0]), start=1):
            say(f"hoax fold {number}/{folds}")
            train_texts = [hoax.texts[i] for i in train]
            test_texts = [hoax.texts[i] for i in test]
            baseline = BaselineClassifier(hoax.labels).fit(train_texts, hoax.Y[train])
            ours = TextClassifier.train(train_texts, hoax.Y[train], hoax.labels, seed=seed)
            ours.space.reset_runtime()
            hoax_task.baseline_folds.append(macro_f1(hoax.Y[test, 0], baseline.predict(test_texts)[:, 0]))
            hoax_task.ours_folds.append(macro_f1(hoax.Y[test, 0], ours.predict(test_texts)[:, 0]))

        assert timing is not None
        baseline, ours, texts = timing
        say(f"timing on {len(texts)} tweets")
        base_best = our_best = float("inf")
        for _ in range(timing_rounds):
            base_best = min(base_best, _timed(lambda: baseline.predict_proba(texts)))
            our_best = min(our_best, _timed(lambda: ours.predict_proba(texts), ours.space.reset_runtime))
        report.timed_texts = len(texts)
        report.baseline_rate = len(texts) / base_best
        report.ours_rate = len(texts) / our_best
    report.seconds = time.perf_counter() - started
    return report
