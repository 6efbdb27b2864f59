"""The rule classifier: reasons for every flag, the campaign calendar, and the regression corpus."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any

import pytest
import yaml

from awas.cyber.rules import RuleClassifier, RulesError, default_rules
from awas.cyber.schedule import PILKADA_2024, to_wib_date


@pytest.fixture(scope="module")
def rules() -> RuleClassifier:
    return default_rules()


def test_asn_partisanship_with_its_reasons(rules: RuleClassifier) -> None:
    result = rules.classify("Pak Kades ngajakin warga pilih paslon no 2, pake seragam dinas pula")
    asn = result["asn_partisanship"]
    assert asn.flagged
    assert 0.5 <= asn.score <= 1.0
    reasons = [str(r) for r in asn.reasons]
    assert any('"aparat + dukungan"' in r and "kades + ajak warga pilih" in r for r in reasons), reasons
    assert asn.as_dict()["reasons"] == reasons


def test_imbauan_is_not_a_violation(rules: RuleClassifier) -> None:
    result = rules.classify("Bawaslu ingatkan ASN dilarang like dan share postingan paslon")
    asn = result["asn_partisanship"]
    assert not asn.flagged
    assert any(r.kind == "against" and r.matched == "dilarang" for r in asn.reasons)


def test_politik_uang_reasons_name_the_phrases(rules: RuleClassifier) -> None:
    money = rules.classify("td mlm ada serangan fajar, amplop 50rb per KK")["politik_uang"]
    assert money.flagged
    assert {r.rule for r in money.reasons} >= {"serangan fajar", "amplop"}


@pytest.mark.parametrize(
    ("posted_at", "flagged", "stage"),
    [
        ("2024-11-24", True, "masa tenang"),
        ("2024-11-26", True, "masa tenang"),
        ("2024-11-27", True, "hari pemungutan suara"),
        ("2024-09-23", True, "sebelum masa kampanye"),
        ("2024-11-23", False, "masa kampanye"),
        ("2024-10-01", False, "masa kampanye"),
        (None, False, "no date"),
    ],
)
def test_campaign_in_the_masa_tenang_is_flagged(
    rules: RuleClassifier, posted_at: str | None, flagged: bool, stage: str
) -> None:
    result = rules.classify("Ayo besok coblos nomor 2, jangan lupa!", posted_at)["kampanye_luar_jadwal"]
    assert result.flagged is flagged
    schedule = [r for r in result.reasons if r.kind == "schedule"]
    assert schedule and stage in schedule[0].rule
    assert (result.score > 0) is flagged


def test_dates_are_read_in_wib() -> None:
    # 23:30 WIB on the last campaign day, and half past midnight WIB in the masa tenang
    assert to_wib_date("2024-11-23T16:30:00+00:00") == dt.date(2024, 11, 23)
    assert to_wib_date(dt.datetime(2024, 11, 23, 17, 30, tzinfo=dt.UTC)) == dt.date(2024, 11, 24)
    assert PILKADA_2024.no_campaign_stage("2024-11-23T17:30:00+00:00") is not None
    assert PILKADA_2024.no_campaign_stage("2024-11-23T16:30:00+00:00") is None
    with pytest.raises(ValueError, match="ISO"):
        to_wib_date("24/11/2024")


def test_a_broken_definition_is_refused() -> None:
    with pytest.raises(RulesError, match="format"):
        RuleClassifier({"format": "x", "labels": {}})
    with pytest.raises(RulesError, match="unknown group"):
        RuleClassifier({"format": "awas-cyber-labels/1", "labels": {"a": {"phrases": ["@nope"]}}})


def _corpus() -> list[dict[str, Any]]:
    text = resources.files("awas.cyber.tests").joinpath("corpus_id.yaml").read_text(encoding="utf-8")
    return list(yaml.safe_load(text)["posts"])


def test_regression_corpus_is_classified_exactly(rules: RuleClassifier) -> None:
    """Every post of the team's corpus gets exactly its expected labels (no error budget)."""
    posts = _corpus()
    assert len(posts) >= 60
    wrong = []
    for post in posts:
        got = rules.flagged(post["text"], post.get("posted_at"))
        if got != set(post["labels"]):
            wrong.append(f"{post['id']}: expected {sorted(post['labels'])}, got {sorted(got)}")
    assert not wrong, "\n".join(wrong)


def test_corpus_covers_the_labels_and_negatives() -> None:
    posts = _corpus()
    labels = {label for p in posts for label in p["labels"]}
    assert {"asn_partisanship", "politik_uang", "kampanye_luar_jadwal"} <= labels
    assert sum(1 for p in posts if not p["labels"]) >= 20
    assert sum(1 for p in posts if "asn_partisanship" in p["labels"]) >= 12
    assert sum(1 for p in posts if "politik_uang" in p["labels"]) >= 10
    assert sum(1 for p in posts if "posted_at" in p) >= 10
