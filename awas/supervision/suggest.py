"""Offline suggestions of IKP indicators for a Form A: a phrase list, plus the office's own model.

Nothing here leaves the machine and nothing here decides: the suggestions are shown to a reviewer,
who accepts, changes or removes each (``services.kejadian_review``).

Two sources, each giving its reason:

* **Phrase list** (``lexicon/indikator.yaml``), written for Awas from the 61 indicator definitions.
  An indicator is suggested when one of its phrases occurs in the report, or when one word of every
  group of one of its combinations occurs in the same sentence (an actor and an action: "ASN" and
  "like"). The reason names the words found.
* **Trained model**: TF-IDF of word 1–2 grams and one logistic regression per indicator, trained on
  the office's own reviewed reports once there are enough of them: at least
  :data:`MIN_REVIEWED_REPORTS` reviewed reports, and only indicators with at least
  :data:`MIN_POSITIVES` reports that have them and as many that do not (others are left to the
  phrase list). Retrain with ``awas supervision train`` (``services.suggestion_model_train``). The
  reason is the probability; an indicator is suggested from :data:`MODEL_THRESHOLD` on.

The fitted model is a handful of arrays (vocabulary, idf, coefficients) kept as ``.npz`` and loaded
with ``allow_pickle=False``: loading a model cannot run code.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

LEXICON_RESOURCE = "lexicon/indikator.yaml"
LEXICON_FORMAT = "awas-ikp-lexicon/1"
INDICATOR_NUMBERS = range(1, 62)

MIN_REVIEWED_REPORTS = 40
MIN_POSITIVES = 5
MODEL_THRESHOLD = 0.5
MAX_REASON_TERMS = 6

SOURCE_LEXICON = "lexicon"
SOURCE_MODEL = "model"
SOURCE_BOTH = "both"

# --- normalising report text -------------------------------------------------------------------

MONEY_TOKEN = "nominaluang"  # noqa: S105 (a word, not a password)
_MONEY = re.compile(
    r"\brp\.?\s?\d[\d.,]*(?:\s?(?:rb|ribu|k|jt|juta|m|miliar))?(?:,-)?"
    r"|\b\d+(?:[.,]\d+)?\s?(?:rb|ribu|rebu|jt|juta|perak)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?;:\n]+(?=\s|$)|\n")
_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, money amounts as one word, ``bagi2`` → ``bagi bagi``, words separated by one space."""
    text = _MONEY.sub(f" {MONEY_TOKEN} ", text.lower())
    text = _REDUPLICATION.sub(r"\1 \1", text)
    return _NOT_WORD.sub(" ", text).strip()


def sentences(text: str) -> list[str]:
    """The text as normalised sentences (split at . ! ? ; : and line ends, before normalising)."""
    text = _MONEY.sub(f" {MONEY_TOKEN} ", text)  # "Rp 50.000" is not two sentences
    return [s for s in (normalise(part) for part in _SENTENCE_END.split(text)) if s]


# --- the phrase list -----------------------------------------------------------------------------


class LexiconError(ValueError):
    """The phrase list file breaks a rule; the message says where."""


@dataclass(frozen=True)
class Term:
    """A word or phrase of the list: normalised words, a trailing ``*`` meaning "any ending"."""

    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @classmethod
    def compile(cls, raw: str) -> Term:
        words: list[str] = []
        for raw_word in raw.split():
            pieces = normalise(raw_word.rstrip("*")).split()
            if pieces and raw_word.endswith("*"):
                pieces[-1] += "*"
            words.extend(pieces)
        if not words:
            raise LexiconError(f"empty phrase {raw!r}")
        return cls(tuple(words))


def _word_matches(pattern: str, word: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


class _TextIndex:
    """A report's sentences as word lists, with where each word occurs, for whole-word search."""

    def __init__(self, parts: Sequence[str]) -> None:
        self.tokens = [part.split() for part in parts]
        self.positions: dict[str, list[tuple[int, int]]] = {}
        for s, words in enumerate(self.tokens):
            for k, word in enumerate(words):
                self.positions.setdefault(word, []).append((s, k))
        self._found: dict[tuple[str, ...], dict[int, str]] = {}

    def _starts(self, first: str) -> Iterable[tuple[int, int]]:
        if not first.endswith("*"):
            return self.positions.get(first, ())
        prefix = first[:-1]
        return [p for word, places in self.positions.items() if word.startswith(prefix) for p in places]

    def find(self, term: Term) -> dict[int, str]:
        """{sentence index: the words found} for every sentence where ``term`` occurs."""
        if term.words in self._found:
            return self._found[term.words]
        places: dict[int, str] = {}
        size = len(term.words)
        for s, k in self._starts(term.words[0]):
            if s in places:
                continue
            words = self.tokens[s][k : k + size]
            if len(words) == size and all(
                _word_matches(p, w) for p, w in zip(term.words, words, strict=True)
            ):
                places[s] = " ".join(words)
        self._found[term.words] = places
        return places


@dataclass(frozen=True)
class IndicatorLexicon:
    number: int
    name: str
    phrases: tuple[Term, ...]
    together: tuple[tuple[tuple[Term, ...], ...], ...]

    def terms(self) -> Iterable[Term]:
        yield from self.phrases
        for combination in self.together:
            for group in combination:
                yield from group


def _terms(value: Any, where: str) -> tuple[Term, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: must be a non-empty list of phrases")
    return tuple(Term.compile(v) for v in value)


def lexicon_parse(data: Any) -> dict[int, IndicatorLexicon]:
    """Check a phrase list (the YAML's data) and compile it; raises :class:`LexiconError`."""
    if not isinstance(data, Mapping) or data.get("format") != LEXICON_FORMAT:
        raise LexiconError(f"format: must be '{LEXICON_FORMAT}'")
    indicators = data.get("indicators")
    if not isinstance(indicators, Mapping):
        raise LexiconError("indicators: must be a mapping from indicator number")
    missing = sorted(set(INDICATOR_NUMBERS) - set(indicators))
    extra = sorted(set(indicators) - set(INDICATOR_NUMBERS), key=str)
    if missing or extra:
        raise LexiconError(f"indicators: missing {missing}, unknown {extra}")
    out: dict[int, IndicatorLexicon] = {}
    for number in INDICATOR_NUMBERS:
        entry = indicators[number]
        where = f"indicators.{number}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str):
            raise LexiconError(f"{where}: needs a name")
        unknown = set(entry) - {"name", "phrases", "together"}
        if unknown:
            raise LexiconError(f"{where}: unknown keys {sorted(unknown)}")
        phrases = _terms(entry.get("phrases"), f"{where}.phrases")
        together = []
        for i, combination in enumerate(entry.get("together") or []):
            if not isinstance(combination, list) or len(combination) < 2:
                raise LexiconError(f"{where}.together[{i + 1}]: needs at least two groups")
            together.append(
                tuple(_terms(g, f"{where}.together[{i + 1}][{j + 1}]") for j, g in enumerate(combination))
            )
        out[number] = IndicatorLexicon(number, entry["name"], phrases, tuple(together))
    return out


@cache
def lexicon() -> dict[int, IndicatorLexicon]:
    """The phrase list shipped with Awas, compiled once per process."""
    text = resources.files("awas.supervision").joinpath(LEXICON_RESOURCE).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader is ten times faster
    return lexicon_parse(yaml.load(text, Loader=loader))  # noqa: S506 (a safe loader)


@dataclass(frozen=True)
class LexiconHit:
    indicator: int
    score: int  # phrases found + combinations satisfied
    matched: tuple[str, ...]  # the words as they stand in the (normalised) report


def lexicon_match(text: str, entries: Mapping[int, IndicatorLexicon] | None = None) -> dict[int, LexiconHit]:
    """Every indicator the phrase list finds in ``text``, with the words that were found."""
    entries = entries if entries is not None else lexicon()
    parts = sentences(text)
    if not parts:
        return {}
    index = _TextIndex(parts)
    where = index.find

    hits: dict[int, LexiconHit] = {}
    for number, entry in entries.items():
        score = 0
        matched: list[str] = []
        for phrase in entry.phrases:
            places = where(phrase)
            if places:
                score += 1
                matched.append(next(iter(places.values())))
        for combination in entry.together:
            group_places: list[dict[int, list[str]]] = []
            for group in combination:
                places_of_group: dict[int, list[str]] = {}
                for term in group:
                    for i, text_found in where(term).items():
                        places_of_group.setdefault(i, []).append(text_found)
                group_places.append(places_of_group)
            common = set(group_places[0]).intersection(*group_places[1:])
            if common:
                score += 1
                sentence = min(common)
                for places_of_group in group_places:
                    matched.extend(places_of_group[sentence])
        if score:
            hits[number] = LexiconHit(number, score, tuple(dict.fromkeys(matched)))
    return hits


# --- the trained model ---------------------------------------------------------------------------

VECTORIZER_PARAMS: dict[str, Any] = {
    "analyzer": "word",
    "ngram_range": (1, 2),
    "min_df": 2,
    "token_pattern": r"(?u)\b[a-z0-9]{2,}\b",
    "lowercase": False,
}
LOGISTIC_C = 4.0

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FittedModel:
    """What prediction needs: vocabulary, idf, one weight row and intercept per indicator."""

    terms: tuple[str, ...]
    idf: FloatArray
    coef: FloatArray  # indicators × terms
    intercept: FloatArray
    indicators: tuple[int, ...]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            terms=np.array(self.terms, dtype=str),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
            indicators=np.array(self.indicators, dtype=np.int64),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> FittedModel:
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
            return cls(
                terms=tuple(str(t) for t in arrays["terms"]),
                idf=arrays["idf"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                indicators=tuple(int(i) for i in arrays["indicators"]),
            )

    def _vectorise(self, texts: Sequence[str]) -> Any:
        from sklearn.feature_extraction.text import CountVectorizer
        from sklearn.preprocessing import normalize

        counter = CountVectorizer(
            **{k: v for k, v in VECTORIZER_PARAMS.items() if k != "min_df"},
            vocabulary={t: i for i, t in enumerate(self.terms)},
        )
        counts = counter.transform([normalise(t) for t in texts]).astype(np.float64)
        counts.data = (np.log(counts.data) + 1.0) * self.idf[counts.indices]  # sublinear tf × idf
        return normalize(counts)

    def probabilities(self, texts: Sequence[str]) -> FloatArray:
        """texts × indicators: the probability that a report has each modelled indicator."""
        scores = self._vectorise(texts) @ self.coef.T + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-scores)))


def model_fit(texts: Sequence[str], labels: Sequence[set[int]]) -> tuple[FittedModel, dict[int, int]]:
    """Fit on reviewed reports; only indicators with enough positives *and* negatives get a model.

    Returns the model and the number of reports per modelled indicator. Raises ``ValueError`` when
    no indicator qualifies.
    """
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    n = len(texts)
    counts = {i: sum(1 for ls in labels if i in ls) for i in INDICATOR_NUMBERS}
    modelled = [i for i, c in counts.items() if c >= MIN_POSITIVES and n - c >= MIN_POSITIVES]
    if not modelled:
        raise ValueError("no indicator has enough reviewed reports with and without it")
    vectorizer = TfidfVectorizer(**VECTORIZER_PARAMS, sublinear_tf=True, smooth_idf=True, norm="l2")
    matrix = vectorizer.fit_transform([normalise(t) for t in texts])
    coef = np.zeros((len(modelled), matrix.shape[1]))
    intercept = np.zeros(len(modelled))
    for row, indicator in enumerate(modelled):
        y = np.array([indicator in ls for ls in labels], dtype=int)
        classifier = LogisticRegression(
            C=LOGISTIC_C, class_weight="balanced", max_iter=1000, solver="liblinear"
        )
        classifier.fit(matrix, y)
        coef[row] = classifier.coef_[0]
        intercept[row] = classifier.intercept_[0]
    vocabulary = vectorizer.vocabulary_
    terms = tuple(sorted(vocabulary, key=vocabulary.__getitem__))
    fitted = FittedModel(terms, vectorizer.idf_.astype(np.float64), coef, intercept, tuple(modelled))
    return fitted, {i: counts[i] for i in modelled}


# --- suggestions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    indicator: int
    source: str  # lexicon, model or both
    score: float  # phrase-list score, or the model's probability when only the model suggests
    reason: str
    matched: tuple[str, ...] = ()
    probability: float | None = None


def _reason(matched: Sequence[str], probability: float | None) -> str:
    parts = []
    if matched:
        shown = ", ".join(f"“{m}”" for m in matched[:MAX_REASON_TERMS])
        more = len(matched) - MAX_REASON_TERMS
        parts.append(f"frasa: {shown}" + (f" (+{more})" if more > 0 else ""))
    if probability is not None:
        parts.append(f"model: {probability:.0%}")
    return "; ".join(parts)


def suggest(text: str, model: FittedModel | None = None) -> list[Suggestion]:
    """Indicators the phrase list and (when given) the model find in ``text``, strongest first.

    The reason is written in Indonesian (it is stored with the decision and read in reviews).
    """
    hits = lexicon_match(text)
    probabilities: dict[int, float] = {}
    if model is not None and text.strip():
        row = model.probabilities([text])[0]
        probabilities = {i: float(p) for i, p in zip(model.indicators, row, strict=True)}
    out: list[Suggestion] = []
    for indicator in INDICATOR_NUMBERS:
        hit = hits.get(indicator)
        probability = probabilities.get(indicator)
        by_model = probability is not None and probability >= MODEL_THRESHOLD
        if hit is None and not by_model:
            continue
        if hit is not None and by_model:
            source = SOURCE_BOTH
        else:
            source = SOURCE_LEXICON if hit is not None else SOURCE_MODEL
        matched = hit.matched if hit else ()
        score = float(hit.score) if hit else float(probability or 0.0)
        out.append(
            Suggestion(
                indicator=indicator,
                source=source,
                score=score,
                reason=_reason(matched, probability),
                matched=matched,
                probability=probability,
            )
        )
    out.sort(key=lambda s: (-len(s.matched), -(s.probability or 0.0), s.indicator))
    return out
