"""The reference classifier Awas's own is measured against (``benchmarks/cyber.py``).

Exactly the baseline of the issue: a ``FeatureUnion`` of ``TfidfVectorizer`` word 1–2 grams and
``char_wb`` 2–5 grams (``min_df=2``, ``sublinear_tf=True``) on the raw text, and one
``LogisticRegression(C=4, class_weight="balanced")`` per label. It is kept for comparison only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion


class BaselineClassifier:
    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self.vectorizer = FeatureUnion(
            [
                ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True)),
                (
                    "char",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
                ),
            ]
        )
        self.models: list[LogisticRegression] = []

    def fit(self, texts: Sequence[str], Y: np.ndarray) -> BaselineClassifier:
        X = self.vectorizer.fit_transform(list(texts))
        Y = np.asarray(Y)
        self.models = [
            LogisticRegression(C=4, class_weight="balanced", max_iter=1000).fit(X, Y[:, j])
            for j in range(len(self.labels))
        ]
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        X = self.vectorizer.transform(list(texts))
        return np.stack([m.predict_proba(X)[:, 1] for m in self.models], axis=1)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        X = self.vectorizer.transform(list(texts))
        return np.stack([m.predict(X) for m in self.models], axis=1).astype(np.int64)
