"""The risk score: how likely a person is to be drawn into a campaign, and why.

Each factor has a value between 0 and 1 for a person and a weight the office sets:

* ``position``: the jabatan can mobilise people (camat, kepala dinas, kepala sekolah, lurah,
  kepala desa …), detected from the jabatan with the factor's keyword list unless staff set it;
* ``family``: a family tie to a candidate;
* ``incumbent``: appointed by the incumbent (petahana);
* ``past_violation``: a past neutrality violation;
* ``partisan_posts``: partisan posts found by the cyber team, ``posts / saturation`` up to 1.

The score is the weighted mean on a 0–100 scale::

    score = 100 × Σ weightᵢ × valueᵢ / Σ weightᵢ

so each factor contributes ``100 × weightᵢ × valueᵢ / Σ weight`` points and the contributions add
up to the score exactly; a factor's share is its contribution divided by the score. The same
formula runs in the database (``score_expression``) for lists and the map, and in Python
(``risk_breakdown``) for the page that explains one person's score.

The default weights and keywords below are the project's starting point, not taken from any
regulation or study: the office sets its own (Settings page or the admin).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import Case, Expression, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.functions import Cast

from awas.asn.models import FactorCode

DEFAULT_KEYWORDS = (
    "camat",
    "kepala dinas",
    "kadis",
    "kepala badan",
    "kepala sekolah",
    "kepsek",
    "lurah",
    "kepala desa",
    "kades",
    "kepala puskesmas",
    "kepala uptd",
    "sekretaris daerah",
    "sekda",
)


@dataclass(frozen=True)
class FactorSpec:
    code: str
    weight: float
    saturation: int = 3
    keywords: tuple[str, ...] = field(default=())

    @classmethod
    def from_model(cls, row: Any) -> FactorSpec:
        return cls(
            code=row.code,
            weight=float(row.weight),
            saturation=max(int(row.saturation or 1), 1),
            keywords=tuple(str(k) for k in (row.keywords or ())),
        )


DEFAULT_FACTORS: tuple[FactorSpec, ...] = (
    FactorSpec(FactorCode.POSITION, 30, keywords=DEFAULT_KEYWORDS),
    FactorSpec(FactorCode.FAMILY, 25),
    FactorSpec(FactorCode.INCUMBENT, 15),
    FactorSpec(FactorCode.PAST_VIOLATION, 20),
    FactorSpec(FactorCode.PARTISAN_POSTS, 10, saturation=3),
)

# The person's boolean field behind each yes/no factor.
BOOLEAN_FIELDS: dict[str, str] = {
    FactorCode.FAMILY: "family_tie",
    FactorCode.INCUMBENT: "appointed_by_incumbent",
    FactorCode.PAST_VIOLATION: "past_violation",
}


# --- the mobilising position --------------------------------------------------------------------


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def position_mobilises(position: str, keywords: Iterable[str]) -> bool:
    """The jabatan contains one of the keywords as whole words ("lurah", not "kelurahan")."""
    text = f" {_words(position)} "
    return any(f" {_words(k)} " in text for k in keywords if _words(k))


# --- one person, in Python ----------------------------------------------------------------------


def factor_value(spec: FactorSpec, person: Any) -> float:
    """The factor's value for the person, between 0 and 1."""
    if spec.code == FactorCode.POSITION:
        return 1.0 if person.mobilising else 0.0
    if spec.code == FactorCode.PARTISAN_POSTS:
        return min(float(person.partisan_posts or 0) / spec.saturation, 1.0)
    return 1.0 if getattr(person, BOOLEAN_FIELDS[spec.code]) else 0.0


@dataclass(frozen=True)
class Contribution:
    code: str
    weight: float
    value: float  # 0..1
    max_points: float  # what the factor adds when fully present
    points: float  # what it adds for this person
    share: float  # of the score, 0..1 (0 when the score is 0)


@dataclass(frozen=True)
class Breakdown:
    score: float
    total_weight: float
    contributions: tuple[Contribution, ...]


def _coefficients(factors: Sequence[FactorSpec]) -> dict[str, float]:
    total = sum(f.weight for f in factors)
    if total <= 0:
        return {f.code: 0.0 for f in factors}
    return {f.code: 100.0 * f.weight / total for f in factors}


def risk_breakdown(person: Any, factors: Sequence[FactorSpec]) -> Breakdown:
    """The score of one person and each factor's part in it."""
    coefficients = _coefficients(factors)
    parts = [(f, factor_value(f, person)) for f in factors]
    points = [coefficients[f.code] * value for f, value in parts]
    score = sum(points)
    return Breakdown(
        score=score,
        total_weight=sum(f.weight for f in factors),
        contributions=tuple(
            Contribution(
                code=f.code,
                weight=f.weight,
                value=value,
                max_points=coefficients[f.code],
                points=p,
                share=(p / score) if score > 0 else 0.0,
            )
            for (f, value), p in zip(parts, points, strict=True)
        ),
    )


# --- every person, in the database -------------------------------------------------------------


def _value_expression(spec: FactorSpec) -> Expression:
    one, zero = Value(1.0), Value(0.0)
    if spec.code == FactorCode.POSITION:
        return Case(
            When(mobilising_override=True, then=one),
            When(mobilising_override=False, then=zero),
            When(mobilising_detected=True, then=one),
            default=zero,
            output_field=FloatField(),
        )
    if spec.code == FactorCode.PARTISAN_POSTS:
        return Case(
            When(partisan_posts__gte=spec.saturation, then=one),
            default=Cast(F("partisan_posts"), FloatField()) / Value(float(spec.saturation)),
            output_field=FloatField(),
        )
    return Case(When(**{BOOLEAN_FIELDS[spec.code]: True}, then=one), default=zero, output_field=FloatField())


def score_expression(factors: Sequence[FactorSpec]) -> Expression:
    """The score of ``risk_breakdown`` as an SQL expression, to annotate, filter and aggregate."""
    coefficients = _coefficients(factors)
    terms = [Value(coefficients[f.code]) * _value_expression(f) for f in factors if coefficients[f.code] > 0]
    if not terms:
        return Value(0.0, output_field=FloatField())
    return ExpressionWrapper(reduce(operator.add, terms), output_field=FloatField())
