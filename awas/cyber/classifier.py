"""The trainable multi-label text classifier of cyber supervision.

Design (measured against :mod:`awas.cyber.baseline` by ``benchmarks/cyber.py``):

* **Features** (:class:`~awas.cyber.features.FeatureSpace`): the Awas normaliser's words, word 1–2
  grams and per-word character 2–5 grams, TF-IDF; mentions, URLs, punctuation and emoji kept as
  marker words. Each distinct token is normalised and cut into n-grams once; a batch of posts is two
  sparse products, so prediction runs far faster than per-post character slicing.
* **One head per label**: the average of a class-balanced logistic regression (C=4) and an NB-LR
  (logistic regression on features scaled by Naive Bayes log-count ratios, C=16; Wang & Manning
  2012). Both are linear, so the average folds into one weight vector: the ensemble costs nothing
  at prediction time.
* **Label implications**: when every training positive of label A is also positive for label B
  (for example SARA hate speech ⇒ hate speech), A is modelled as P(B) · P(A | B), with the second
  factor trained on B's positives only. This is found in the training data, never assumed.
* **Calibration**: each head's score is mapped to a probability by Platt scaling fitted on
  out-of-fold scores (an inner stratified K-fold of the training set only). A label is flagged
  where its balanced model's boundary lies (score 0); for an implied label, the threshold on the
  product is tuned on the out-of-fold predictions for macro-F1.

A saved model is two files: ``model.json`` (labels, settings, calibration, vocabularies) and
``arrays.npz`` (weights and sparse matrices), loaded without pickle.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from awas.cyber.features import FeatureSpace
from awas.cyber.textnorm import Normaliser

FORMAT = "awas-cyber-classifier/1"
LR_C = 4.0
NB_C = 16.0
NB_ALPHA = 1.0
IMPLICATION_TOLERANCE = 0.01  # share of A's positives allowed to break "A ⇒ B" (labelling slips)
MIN_POSITIVES = 2


class TrainingError(ValueError):
    """The labels cannot train a model (too few examples of a class, and the like)."""


def lexicon_fingerprint() -> str:
    """SHA-256 over the shipped lexicon files: a model records the lexicon it was trained with."""
    digest = hashlib.sha256()
    folder = resources.files("awas.cyber").joinpath("lexicon")
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt")):
        digest.update(name.encode())
        digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0)))


def _nb_ratio(X: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    pos = NB_ALPHA + np.asarray(X[y == 1].sum(axis=0)).ravel()
    neg = NB_ALPHA + np.asarray(X[y == 0].sum(axis=0)).ravel()
    return np.log((pos / pos.sum()) / (neg / neg.sum()))


def _linear(C: float) -> LogisticRegression:
    return LogisticRegression(
        C=C, class_weight="balanced", solver="liblinear", dual=True, max_iter=1000, random_state=0
    )


def fit_head(X: sp.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, float]:
    """One label's weights: the average of LR and NB-LR, folded into one linear function."""
    lr = _linear(LR_C).fit(X, y)
    ratio = _nb_ratio(X, y)
    nb = _linear(NB_C).fit(X @ sp.diags(ratio), y)
    weights = (lr.coef_[0] + ratio * nb.coef_[0]) / 2.0
    bias = float(lr.intercept_[0] + nb.intercept_[0]) / 2.0
    return weights, bias


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(a, c) with P(y=1 | s) = sigmoid(a s + c), fitted with Platt's smoothed targets."""
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    targets = np.where(y == 1, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))
    a, c = 1.0, 0.0
    s = scores.astype(np.float64)
    for _ in range(100):  # Newton's method on the cross-entropy; two parameters
        p = _sigmoid(a * s + c)
        g = p - targets
        w = np.maximum(p * (1 - p), 1e-12)
        grad = np.array([np.dot(g, s), g.sum()])
        hess = np.array([[np.dot(w, s * s) + 1e-9, np.dot(w, s)], [np.dot(w, s), w.sum() + 1e-9]])
        step = np.linalg.solve(hess, grad)
        a, c = a - step[0], c - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(c)


def macro_f1(y: np.ndarray, predicted: np.ndarray) -> float:
    return float(f1_score(y, predicted, average="macro", labels=[0, 1], zero_division=0))


def _best_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    grid = np.round(np.arange(0.10, 0.901, 0.01), 2)
    scores = [macro_f1(y, (prob >= t).astype(int)) for t in grid]
    return float(grid[int(np.argmax(scores))])


def find_implications(Y: np.ndarray, labels: Sequence[str]) -> dict[str, str]:
    """{A: B} where (nearly) every positive of A is a positive of B and B is strictly wider."""
    parents: dict[str, str] = {}
    positives = Y.sum(axis=0)
    for a in range(Y.shape[1]):
        candidates = []
        for b in range(Y.shape[1]):
            if a == b or positives[a] < MIN_POSITIVES * 2 or positives[b] <= positives[a]:
                continue
            broken = int(((Y[:, a] == 1) & (Y[:, b] == 0)).sum())
            if broken <= IMPLICATION_TOLERANCE * positives[a]:
                candidates.append((positives[b], b))
        if candidates:
            parents[labels[a]] = labels[min(candidates)[1]]  # the narrowest wider label
    # keep chains one level deep: a parent is never itself implied
    return {a: b for a, b in parents.items() if b not in parents}


@dataclass
class Head:
    """One linear scorer: a label's own, or its conditional part given its parent label."""

    label: str
    parent: str | None = None
    platt: tuple[float, float] = (1.0, 0.0)


@dataclass
class TextClassifier:
    labels: list[str]
    space: FeatureSpace = field(default_factory=FeatureSpace)
    heads: list[Head] = field(default_factory=list)
    weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    bias: np.ndarray = field(default_factory=lambda: np.zeros(0))
    thresholds: dict[str, float] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    _folded: tuple[np.ndarray, ...] | None = field(default=None, repr=False)

    # --- training ------------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        texts: Sequence[str],
        Y: np.ndarray,
        labels: Sequence[str],
        *,
        inner_folds: int | None = None,
        seed: int = 0,
        implications: bool = True,
    ) -> TextClassifier:
        """Fit on ``texts`` with the 0/1 matrix ``Y`` (posts × labels)."""
        Y = np.asarray(Y, dtype=np.int64)
        labels = list(labels)
        if Y.shape != (len(texts), len(labels)):
            raise TrainingError(f"labels matrix is {Y.shape}, expected ({len(texts)}, {len(labels)})")
        for j, label in enumerate(labels):
            pos = int(Y[:, j].sum())
            if pos < MIN_POSITIVES or len(texts) - pos < MIN_POSITIVES:
                raise TrainingError(
                    f"label {label!r} has {pos} positive and {len(texts) - pos} negative posts; "
                    f"each class needs at least {MIN_POSITIVES}"
                )
        model = cls(labels=labels, space=FeatureSpace(normaliser=Normaliser(markers=True)))
        X = model.space.fit_transform(texts)
        parents = find_implications(Y, labels) if implications else {}
        heads = [Head(label) for label in labels] + [Head(a, parent=b) for a, b in parents.items()]
        k = inner_folds or (3 if len(texts) >= 3000 else 5)

        column = {label: j for j, label in enumerate(labels)}
        oof = np.zeros((len(texts), len(heads)))
        weights = np.zeros((X.shape[1], len(heads)))
        bias = np.zeros(len(heads))
        for h, head in enumerate(heads):
            y = Y[:, column[head.label]]
            rows = np.arange(len(texts))
            if head.parent is not None:
                rows = np.flatnonzero(Y[:, column[head.parent]] == 1)
                y = y[rows]
            Xh = X[rows]
            folds = min(k, int(y.sum()), int(len(y) - y.sum()))
            if folds >= 2:
                splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
                for train_idx, test_idx in splitter.split(Xh, y):
                    w, b = fit_head(Xh[train_idx], y[train_idx])
                    oof[rows[test_idx], h] = Xh[test_idx] @ w + b
                head.platt = _platt(oof[rows, h], y)
            weights[:, h], bias[h] = fit_head(Xh, y)
            if head.parent is not None:
                # posts outside the parent label were never trained on: their scores are out-of-fold
                outside = np.setdiff1d(np.arange(len(texts)), rows)
                oof[outside, h] = X[outside] @ weights[:, h] + bias[h]
        model.heads, model.weights, model.bias = heads, weights, bias

        # thresholds, from the out-of-fold probabilities
        probs = model._probabilities(oof)
        for j, label in enumerate(labels):
            own = model._own_head(label)
            if own.parent is None:
                a, c = own.platt
                model.thresholds[label] = float(_sigmoid(np.array(c))) if a > 0 else 0.5
            else:
                model.thresholds[label] = _best_threshold(Y[:, j], probs[:, j])
        model.info = {
            "n_train": len(texts),
            "positives": {label: int(Y[:, j].sum()) for j, label in enumerate(labels)},
            "implications": parents,
            "inner_folds": k,
            "n_features": int(X.shape[1]),
            "lexicon_sha256": lexicon_fingerprint(),
            "settings": {"lr_C": LR_C, "nb_C": NB_C, "nb_alpha": NB_ALPHA},
        }
        return model

    def _own_head(self, label: str) -> Head:
        """The head that gives ``label`` its probability (the conditional one when implied)."""
        conditional = [h for h in self.heads if h.label == label and h.parent is not None]
        if conditional:
            return conditional[0]
        return next(h for h in self.heads if h.label == label and h.parent is None)

    # --- prediction ----------------------------------------------------------------------------
    def _probabilities(self, scores: np.ndarray) -> np.ndarray:
        """Head scores (posts × heads) → calibrated label probabilities (posts × labels)."""
        calibrated = np.empty_like(scores)
        for h, head in enumerate(self.heads):
            a, c = head.platt
            calibrated[:, h] = _sigmoid(a * scores[:, h] + c)
        out = np.empty((scores.shape[0], len(self.labels)))
        direct = {head.label: h for h, head in enumerate(self.heads) if head.parent is None}
        for j, label in enumerate(self.labels):
            out[:, j] = calibrated[:, direct[label]]
        for h, head in enumerate(self.heads):
            if head.parent is not None:
                j = self.labels.index(head.label)
                out[:, j] = calibrated[:, direct[head.parent]] * calibrated[:, h]
        return out

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Head scores (posts × heads): ``transform(texts) @ weights + bias``, computed fast."""
        if self._folded is None:
            self._folded = self.space.fold(self.weights)
        return self.space.score(texts, self._folded) + self.bias

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, posts × labels, in [0, 1]."""
        return self._probabilities(self.scores(texts))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """0/1 flags, posts × labels."""
        probs = self.predict_proba(texts)
        limits = np.array([self.thresholds[label] for label in self.labels])
        return (probs >= limits).astype(np.int64)

    def evaluate(self, texts: Sequence[str], Y: np.ndarray) -> dict[str, dict[str, float]]:
        """Macro-F1 and more per label on labelled posts (for held-out metrics)."""
        Y = np.asarray(Y, dtype=np.int64)
        predicted = self.predict(texts)
        out = {}
        for j, label in enumerate(self.labels):
            y, p = Y[:, j], predicted[:, j]
            out[label] = {
                "macro_f1": round(macro_f1(y, p), 4),
                "f1_positive": round(float(f1_score(y, p, zero_division=0)), 4),
                "positives": int(y.sum()),
                "n": len(y),
            }
        return out

    # --- persistence ---------------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta, arrays = self.space.to_arrays()
        document = {
            "format": FORMAT,
            "labels": self.labels,
            "heads": [{"label": h.label, "parent": h.parent, "platt": list(h.platt)} for h in self.heads],
            "thresholds": self.thresholds,
            "normaliser": {"markers": self.space.normaliser.markers, "stem": self.space.normaliser.stem},
            "info": self.info,
            "space": meta,
        }
        (folder / "model.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        with (folder / "arrays.npz").open("wb") as handle:
            payload: dict[str, Any] = {"weights": self.weights, "bias": self.bias, **arrays}
            save: Any = np.savez_compressed  # its stubs type every keyword as allow_pickle
            save(handle, **payload)

    @classmethod
    def load(cls, folder: Path) -> TextClassifier:
        document = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError(f"{folder}: not an Awas classifier ({document.get('format')!r})")
        with np.load(folder / "arrays.npz", allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        normaliser = Normaliser(
            markers=bool(document["normaliser"]["markers"]), stem=bool(document["normaliser"]["stem"])
        )
        space = FeatureSpace.from_arrays(document["space"], arrays, normaliser=normaliser)
        heads = [
            Head(h["label"], parent=h["parent"], platt=(float(h["platt"][0]), float(h["platt"][1])))
            for h in document["heads"]
        ]
        return cls(
            labels=list(document["labels"]),
            space=space,
            heads=heads,
            weights=arrays["weights"],
            bias=arrays["bias"],
            thresholds={k: float(v) for k, v in document["thresholds"].items()},
            info=document.get("info", {}),
        )


def is_probability(values: np.ndarray) -> bool:
    return bool(
        np.all(np.isfinite(values)) and values.min(initial=0.0) >= 0.0 and values.max(initial=0.0) <= 1.0
    )


__all__ = ["Head", "TextClassifier", "TrainingError", "find_implications", "fit_head", "macro_f1"]
