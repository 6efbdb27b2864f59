"""The rule classifier: transparent phrase rules per label (``lexicon/labels.yaml``) plus the
election calendar for campaigning outside the schedule.

Every label gets a score in [0, 1] and the reasons: which phrase, combination or neutral framing
matched, with its weight. It needs no training, works on a single post, and is what the regression
corpus (``tests/corpus_id.yaml``) pins down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from awas.cyber.schedule import PILKADA_2024, ElectionCalendar, to_wib_date
from awas.cyber.textnorm import Normaliser, stem

FORMAT = "awas-cyber-labels/1"
GAP = 3  # words allowed where a phrase says "..."


class RulesError(ValueError):
    pass


@dataclass(frozen=True)
class Reason:
    kind: str  # phrase | combo | against | schedule
    rule: str  # the phrase or combination as written in labels.yaml (or the calendar stage)
    matched: str  # the words of the post that matched (schedule: the post's WIB date, ISO)
    weight: float
    allowed: bool | None = None  # schedule only: campaigning allowed that day (None: no date)

    def __str__(self) -> str:
        sign = "−" if self.kind == "against" else "+"
        if self.kind == "schedule":
            if not self.matched:
                return "schedule: no date: the calendar cannot be checked"
            day = dt.date.fromisoformat(self.matched)
            return f"schedule: {day:%d %b %Y} is in {self.rule}" + (": allowed" if self.allowed else "")
        return f'{self.kind} "{self.rule}" ({sign}{abs(self.weight):g}): "{self.matched}"'

    def as_dict(self) -> dict[str, Any]:
        """Stored with a post's label; the page words it in the reader's language."""
        return {
            "kind": self.kind,
            "rule": self.rule,
            "matched": self.matched,
            "weight": self.weight,
            "allowed": self.allowed,
        }


@dataclass
class LabelResult:
    label: str
    score: float
    flagged: bool
    reasons: list[Reason] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": round(self.score, 4),
            "flagged": self.flagged,
            "reasons": [str(r) for r in self.reasons],
        }


class _Phrase:
    """One phrase, compiled for the normalised words and for the stemmed words of a post."""

    def __init__(self, text: str, normaliser: Normaliser) -> None:
        self.text = text
        surface: list[tuple[str, bool] | None] = []
        stemmed: list[tuple[str, bool] | None] = []
        for token in text.split():
            if token == "...":  # noqa: S105 (a gap marker, not a password)
                surface.append(None)
                stemmed.append(None)
                continue
            prefix = token.endswith("*")
            words = normaliser.words(token.rstrip("*"))
            if not words:
                raise RulesError(f"phrase {text!r}: {token!r} has no words after normalisation")
            for i, word in enumerate(words):
                last = prefix and i == len(words) - 1
                surface.append((word, last))
                stemmed.append((stem(word, normaliser.lexicon), last))
        self.surface = self._compile(surface)
        stemmed_pattern = self._compile(stemmed)
        self.stemmed = stemmed_pattern if stemmed_pattern.pattern != self.surface.pattern else None

    @staticmethod
    def _compile(parts: list[tuple[str, bool] | None]) -> re.Pattern[str]:
        pattern = ""
        for part in parts:
            if part is None:
                pattern += rf"(?: \S+){{0,{GAP}}}"
                continue
            word, prefix = part
            pattern += (" " if pattern else "") + re.escape(word) + (r"\S*" if prefix else "")
        return re.compile(rf"(?<!\S){pattern}(?!\S)")

    def find(self, surface: str, stemmed: str) -> str | None:
        found = self.surface.search(surface)
        if found is None and self.stemmed is not None:
            found = self.stemmed.search(stemmed)
        return found.group() if found else None


@dataclass
class _Entry:
    phrases: list[_Phrase]  # any of them (a group) or one
    rule: str
    weight: float

    def find(self, surface: str, stemmed: str) -> str | None:
        for phrase in self.phrases:
            found = phrase.find(surface, stemmed)
            if found is not None:
                return found
        return None


@dataclass
class _Combo:
    name: str
    groups: list[_Entry]
    weight: float


@dataclass
class _Label:
    name: str
    title: str
    description: str
    threshold: float
    needs_schedule: bool
    phrases: list[_Entry]
    combos: list[_Combo]
    against: list[_Entry]


def _score(total: float) -> float:
    return 0.0 if total <= 0 else 1.0 - 0.5**total


class RuleClassifier:
    """``classify(text, posted_at=None)`` → {label: LabelResult}."""

    def __init__(
        self,
        definition: dict[str, Any] | None = None,
        *,
        calendar: ElectionCalendar = PILKADA_2024,
        normaliser: Normaliser | None = None,
    ) -> None:
        self.calendar = calendar
        self.normaliser = normaliser or Normaliser()
        self.definition = definition if definition is not None else load_definition()
        self.labels = self._build(self.definition)

    # --- building ------------------------------------------------------------------------------
    def _entry(self, item: Any, groups: dict[str, list[_Phrase]], where: str) -> _Entry:
        if isinstance(item, str):
            text, weight = item, 1.0
        elif isinstance(item, dict) and "text" in item:
            text, weight = str(item["text"]), float(item.get("weight", 1.0))
        elif isinstance(item, list):
            phrases = [p for sub in item for p in self._entry(sub, groups, where).phrases]
            return _Entry(
                phrases, " | ".join(p.text for p in phrases[:3]) + (" …" if len(phrases) > 3 else ""), 1.0
            )
        else:
            raise RulesError(f"{where}: expected a phrase, {{text, weight}} or a list, got {item!r}")
        if text.startswith("@"):
            if text[1:] not in groups:
                raise RulesError(f"{where}: unknown group {text!r}")
            return _Entry(groups[text[1:]], text, weight)
        return _Entry([_Phrase(text, self.normaliser)], text, weight)

    def _build(self, definition: dict[str, Any]) -> list[_Label]:
        if definition.get("format") != FORMAT:
            raise RulesError(f"labels definition: format must be {FORMAT!r}")
        default_threshold = float(definition.get("threshold", 1.0))
        groups: dict[str, list[_Phrase]] = {}
        for name, items in (definition.get("groups") or {}).items():
            groups[name] = [_Phrase(str(text), self.normaliser) for text in items]
        labels = []
        for name, spec in (definition.get("labels") or {}).items():
            where = f"labels.{name}"
            combos = []
            for i, combo in enumerate(spec.get("combos") or []):
                parts = [self._entry(g, groups, f"{where}.combos[{i}]") for g in combo["all_of"]]
                combos.append(
                    _Combo(str(combo.get("name", f"combo {i + 1}")), parts, float(combo.get("weight", 1.0)))
                )
            labels.append(
                _Label(
                    name=name,
                    title=str(spec.get("title", name)),
                    description=" ".join(str(spec.get("description", "")).split()),
                    threshold=float(spec.get("threshold", default_threshold)),
                    needs_schedule=bool(spec.get("needs_schedule", False)),
                    phrases=[self._entry(p, groups, f"{where}.phrases") for p in spec.get("phrases") or []],
                    combos=combos,
                    against=[self._entry(p, groups, f"{where}.against") for p in spec.get("against") or []],
                )
            )
        if not labels:
            raise RulesError("labels definition has no labels")
        return labels

    @property
    def label_names(self) -> list[str]:
        return [label.name for label in self.labels]

    # --- classifying ---------------------------------------------------------------------------
    def classify(
        self, text: str, posted_at: dt.date | dt.datetime | str | None = None
    ) -> dict[str, LabelResult]:
        words = self.normaliser.words(text)
        surface = " ".join(words)
        stemmed = " ".join(stem(w, self.normaliser.lexicon) for w in words)
        day = to_wib_date(posted_at)
        return {label.name: self._label(label, surface, stemmed, day) for label in self.labels}

    def flagged(self, text: str, posted_at: dt.date | dt.datetime | str | None = None) -> set[str]:
        return {name for name, result in self.classify(text, posted_at).items() if result.flagged}

    def _label(self, label: _Label, surface: str, stemmed: str, day: dt.date | None) -> LabelResult:
        reasons: list[Reason] = []
        total = 0.0
        for entry in label.phrases:
            found = entry.find(surface, stemmed)
            if found is not None:
                total += entry.weight
                reasons.append(Reason("phrase", entry.rule, found, entry.weight))
        for combo in label.combos:
            matches = [group.find(surface, stemmed) for group in combo.groups]
            if all(m is not None for m in matches):
                total += combo.weight
                reasons.append(Reason("combo", combo.name, " + ".join(m for m in matches if m), combo.weight))
        if total > 0:  # neutral framing only lowers a label something raised
            for entry in label.against:
                found = entry.find(surface, stemmed)
                if found is not None:
                    total -= entry.weight
                    reasons.append(Reason("against", entry.rule, found, entry.weight))
        flagged = total >= label.threshold
        if label.needs_schedule and total > 0:
            stage = self.calendar.no_campaign_stage(day) if day else None
            if day is None:
                flagged = False
                reasons.append(Reason("schedule", "no date", "", 0.0, None))
            elif stage is None:
                current = self.calendar.stage_on(day)
                where = current.describe() if current else f"di luar tahapan {self.calendar.name}"
                flagged = False
                reasons.append(Reason("schedule", where, day.isoformat(), 0.0, True))
            else:
                reasons.append(Reason("schedule", stage.describe(), day.isoformat(), 0.0, False))
            if not flagged:
                total = min(total, 0.0)
        return LabelResult(label.name, _score(total), flagged, reasons)


@cache
def _shipped_text() -> str:
    return resources.files("awas.cyber").joinpath("lexicon", "labels.yaml").read_text(encoding="utf-8")


def load_definition(path: Path | None = None) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8") if path is not None else _shipped_text()
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise RulesError("labels definition must be a mapping")
    return data


@cache
def default_rules() -> RuleClassifier:
    return RuleClassifier()
