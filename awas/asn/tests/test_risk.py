"""The risk score is transparent: each factor's points add up to it, and the weights drive it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from awas.asn import selectors, services
from awas.asn.models import FactorCode, Person, PersonKind, RiskFactor
from awas.asn.risk import DEFAULT_FACTORS, FactorSpec, position_mobilises, risk_breakdown
from awas.asn.tests.helpers import person
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.roles import Role


def db_score(p: Person) -> float:
    scored: Any = selectors.with_scores(Person.objects.filter(pk=p.pk)).get()
    return float(scored.risk_score)


@pytest.mark.parametrize(
    ("jabatan", "mobilises"),
    [
        ("Camat Gondanglegi", True),
        ("Kepala Dinas Pendidikan", True),
        ("KEPALA SEKOLAH SDN 2 TUREN", True),
        ("Lurah Kepanjen", True),
        ("Kepala Desa", True),
        ("Staf Kelurahan", False),  # "lurah" only as a whole word
        ("Guru Kelas", False),
        ("", False),
    ],
)
def test_mobilising_position_is_detected_from_the_jabatan(jabatan, mobilises):
    assert position_mobilises(jabatan, DEFAULT_FACTORS[0].keywords) is mobilises


def test_default_weights_are_loaded_by_the_migration(db):
    weights = dict(RiskFactor.objects.values_list("code", "weight"))
    assert set(weights) == set(FactorCode.values)
    assert sum(weights.values()) == Decimal(100)


def test_contributions_add_up_to_the_score(malang):
    camat = person(
        GONDANGLEGI,
        position="Camat Gondanglegi",
        mobilising_detected=True,
        appointed_by_incumbent=True,
        partisan_posts=2,
    )
    breakdown = selectors.person_breakdown(camat)

    # Defaults: position 30, family 25, incumbent 15, past violation 20, posts 10 (full at 3).
    assert breakdown.score == pytest.approx(30 + 15 + 10 * 2 / 3)
    assert sum(c.points for c in breakdown.contributions) == pytest.approx(breakdown.score)
    assert sum(c.share for c in breakdown.contributions) == pytest.approx(1.0)
    points = {c.code: c.points for c in breakdown.contributions}
    assert points[FactorCode.POSITION] == pytest.approx(30)
    assert points[FactorCode.FAMILY] == 0
    shares = {c.code: c.share for c in breakdown.contributions}
    assert shares[FactorCode.POSITION] == pytest.approx(30 / breakdown.score)
    # The database computes the same score for lists and the map.
    assert db_score(camat) == pytest.approx(breakdown.score)


def test_changing_a_weight_changes_the_score(malang):
    p = person(GONDANGLEGI, family_tie=True)
    before = selectors.person_breakdown(p).score
    assert before == pytest.approx(25)

    services.risk_settings_update(
        factors=[services.FactorChange(FactorCode.FAMILY, 125)], settings_fields={}, actor=None
    )

    after = selectors.person_breakdown(p).score
    assert after == pytest.approx(100 * 125 / 200)  # total weight is now 200
    assert db_score(p) == pytest.approx(after)


def test_a_zero_weight_leaves_the_factor_out(malang):
    p = person(GONDANGLEGI, past_violation=True)
    services.risk_settings_update(
        factors=[services.FactorChange(FactorCode.PAST_VIOLATION, 0)], settings_fields={}, actor=None
    )
    assert selectors.person_breakdown(p).score == 0
    assert db_score(p) == 0


def test_all_weights_zero_gives_zero_not_an_error():
    specs = [FactorSpec(code, 0) for code in FactorCode.values]

    class Someone:
        mobilising = True
        family_tie = appointed_by_incumbent = past_violation = True
        partisan_posts = 9

    breakdown = risk_breakdown(Someone(), specs)
    assert breakdown.score == 0
    assert all(c.share == 0 for c in breakdown.contributions)


def test_posts_saturate(malang):
    p = person(GONDANGLEGI, partisan_posts=12)
    assert selectors.person_breakdown(p).score == pytest.approx(10)
    assert db_score(p) == pytest.approx(10)


def test_staff_override_beats_the_detection(malang):
    p = person(GONDANGLEGI, position="Camat", mobilising_detected=True, mobilising_override=False)
    assert selectors.person_breakdown(p).score == 0
    assert db_score(p) == 0
    p.mobilising_override = True
    p.mobilising_detected = False
    p.save()
    assert db_score(p) == pytest.approx(30)


def test_new_keywords_detect_everyone_again(malang):
    guru = person(GONDANGLEGI, position="Guru Penggerak")
    services.mobilising_redetect()
    guru.refresh_from_db()
    assert not guru.mobilising_detected

    keywords = [*DEFAULT_FACTORS[0].keywords, "guru penggerak"]
    services.risk_settings_update(
        factors=[services.FactorChange(FactorCode.POSITION, 30, keywords=keywords)],
        settings_fields={},
        actor=None,
    )
    guru.refresh_from_db()
    assert guru.mobilising_detected


# --- the map of ASN berpotensi terlibat ---------------------------------------------------------


def test_risk_per_kecamatan(malang, make_user):
    # Gondanglegi: one at risk (camat + incumbent = 45), one not; a kades in a desa of Gondanglegi
    # at risk (kepala desa 30 + family 25 = 55). Kepanjen: one not at risk. One at kabupaten level.
    person(GONDANGLEGI, "A", position="Camat", mobilising_detected=True, appointed_by_incumbent=True)
    person(GONDANGLEGI, "B")
    person(PUTAT_KIDUL, "C", kind=PersonKind.KEPALA_DESA, mobilising_detected=True, family_tie=True)
    person(KEPANJEN, "D", family_tie=True)
    person(KAB_MALANG, "E", past_violation=True, family_tie=True)
    person(GONDANGLEGI, "F", position="Camat", mobilising_detected=True, family_tie=True, active=False)

    risk = selectors.risk_by_kecamatan(make_user(Role.STAF_PENCEGAHAN, KAB_MALANG))

    assert risk.threshold == 40
    assert len(risk.rows) == 33  # every kecamatan, zeros included
    rows = {row.kode: row for row in risk.rows}
    gondanglegi = rows[GONDANGLEGI]
    assert (gondanglegi.persons, gondanglegi.at_risk) == (3, 2)  # the inactive F is left out
    assert gondanglegi.mean_score == pytest.approx(round((45 + 0 + 55) / 3, 1))
    assert (rows[KEPANJEN].persons, rows[KEPANJEN].at_risk, rows[KEPANJEN].mean_score) == (1, 0, 25.0)
    assert rows["35.07.01"].persons == 0
    assert risk.outside is not None and (risk.outside.persons, risk.outside.at_risk) == (1, 1)
    assert (risk.persons, risk.at_risk) == (5, 3)


def test_the_threshold_is_the_offices(malang, make_user):
    person(KEPANJEN, "D", family_tie=True)  # 25
    user = make_user(Role.ADMIN, KAB_MALANG)
    assert selectors.risk_by_kecamatan(user).at_risk == 0
    services.risk_settings_update(factors=[], settings_fields={"risk_threshold": Decimal(20)}, actor=user)
    assert selectors.risk_by_kecamatan(user).at_risk == 1


def test_field_roles_get_no_aggregates(malang, make_user):
    person(GONDANGLEGI, "A", family_tie=True)
    risk = selectors.risk_by_kecamatan(make_user(Role.PANWASCAM, GONDANGLEGI))
    assert risk.rows == [] and risk.persons == 0
