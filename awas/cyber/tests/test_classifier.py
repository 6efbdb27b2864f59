"""The trainable classifier: training, calibrated probabilities, saving and loading, fast scoring."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from awas.cyber.classifier import TextClassifier, TrainingError, find_implications, is_probability
from awas.cyber.features import FeatureSpace
from awas.cyber.tests.conftest import synthetic_rows


@pytest.fixture(scope="module")
def trained() -> tuple[TextClassifier, list[str], np.ndarray]:
    rows = synthetic_rows(300)
    texts = [r["text"] for r in rows]
    Y = np.array([[int(r["uang"]), int(r["asn"])] for r in rows])
    model = TextClassifier.train(texts[:220], Y[:220], ["uang", "asn"])
    return model, texts[220:], Y[220:]


def test_probabilities_are_calibrated_values_in_0_1(
    trained: tuple[TextClassifier, list[str], np.ndarray],
) -> None:
    model, texts, Y = trained
    probs = model.predict_proba(texts)
    assert probs.shape == (len(texts), 2)
    assert is_probability(probs)
    # positives get clearly higher probabilities than negatives
    for j in range(2):
        assert probs[Y[:, j] == 1, j].mean() > 0.6 > 0.4 > probs[Y[:, j] == 0, j].mean()
    scores = model.evaluate(texts, Y)
    assert scores["uang"]["macro_f1"] > 0.9 and scores["asn"]["macro_f1"] > 0.9


def test_saved_model_loads_and_predicts_the_same(
    trained: tuple[TextClassifier, list[str], np.ndarray], tmp_path: Path
) -> None:
    model, texts, _ = trained
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["arrays.npz", "model.json"]
    loaded = TextClassifier.load(tmp_path / "m")
    model.space.reset_runtime()
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-12)
    assert loaded.thresholds == model.thresholds
    # unseen words at prediction time do not change later predictions, and the cache resets
    loaded.predict_proba(["kata2 baru sekali xyzzy qwerty"])
    np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-12)


def test_fast_scoring_equals_the_tfidf_matrix_times_the_weights(
    trained: tuple[TextClassifier, list[str], np.ndarray],
) -> None:
    model, texts, _ = trained
    texts = [*texts, "", "!!!", "USER URL", "kata yang belum pernah muncul sama sekali"]
    model.space.reset_runtime()
    fast = model.scores(texts)
    model.space.reset_runtime()
    slow = np.asarray(model.space.transform(texts) @ model.weights) + model.bias
    np.testing.assert_allclose(fast, slow, atol=1e-10)


def test_feature_space_counts_word_and_character_ngrams() -> None:
    space = FeatureSpace(min_df=1)
    X = space.fit_transform(["asn dukung paslon", "asn netral"])
    assert X.shape[0] == 2
    assert space.n_unigrams == 4 and len(space.bigram_keys) == 3
    assert np.allclose(np.asarray(X.multiply(X).sum(axis=1)).ravel(), 2.0)  # two L2-normalised blocks


def test_implied_labels_are_found_in_the_data() -> None:
    Y = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0], [1, 1, 0]])
    assert find_implications(Y, ["hs", "sara", "other"]) == {"sara": "hs"}


def test_too_few_examples_are_refused() -> None:
    with pytest.raises(TrainingError, match="at least 2"):
        TextClassifier.train(["a b", "c d", "e f"], np.array([[1], [0], [0]]), ["x"])
