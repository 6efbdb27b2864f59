"""Score runs: scores from stored kejadian equal the engine's on the same data, the run records its
framework version and inputs, is reused while nothing changes, and sensitivity is stored with it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.models import AuditEntry
from awas.core.roles import Level, Role
from awas.ikp import selectors, services
from awas.ikp.models import Kejadian, ScoreRun, SensitivityRun, Tahapan
from awas.ikp.scoring import CATEGORY_CODES, score
from awas.ikp.services import KejadianInput, ScoreRunError
from awas.regions.models import Region

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 10, 1)


@pytest.fixture
def ikp2024(malang):
    return services.framework_load_builtin()


@pytest.fixture
def kabupaten(malang):
    return Region.objects.get(code=KAB_MALANG)


def desa_of(kecamatan: str, n: int = 0) -> str:
    return list(Region.objects.filter(parent_id=kecamatan).order_by("code").values_list("code", flat=True))[n]


def add(items: list[tuple[int, str, int]], *, date: dt.date = DAY, tahapan: str = Tahapan.KAMPANYE, **kw):
    """(indicator, desa, severity) rows, stored as kejadian."""
    return services.kejadian_bulk_create(
        actor=None, items=[KejadianInput(n, code, date, tahapan, sev) for n, code, sev in items], **kw
    )


def scattered_kejadian() -> list[tuple[int, str, int]]:
    """Some 200 kejadian over every kecamatan, reproducible."""
    rng = np.random.default_rng(5)
    kecamatan = list(
        Region.objects.filter(level=Level.KECAMATAN).order_by("code").values_list("code", flat=True)
    )
    rows = []
    for _ in range(200):
        kec = kecamatan[rng.integers(len(kecamatan))]
        rows.append(
            (int(rng.integers(1, 62)), desa_of(kec, int(rng.integers(0, 3))), int(rng.integers(1, 4)))
        )
    return rows


def test_scores_from_the_database_equal_the_engine(ikp2024, kabupaten):
    rows = scattered_kejadian()
    add(rows)
    run = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    data = selectors.run_data(run)

    # The same arithmetic by hand: desa rolled up to kecamatan, severity 1/2/3 weighs 1/2/3.
    codes = list(Region.objects.filter(level=Level.KECAMATAN).order_by("code").values_list("code", flat=True))
    structure = selectors.framework_structure(ikp2024)
    region_index = [codes.index(desa.rsplit(".", 1)[0]) for _n, desa, _s in rows]
    expected = score(
        region_index,
        structure.indicator_index([n for n, _d, _s in rows]),
        [float(s) for _n, _d, s in rows],
        len(codes),
        structure,
        rule=selectors.category_rule(ikp2024),
        top_k=5,
    )
    assert data.codes == codes and run.n_regions == 33 and run.n_kejadian == 200
    np.testing.assert_allclose(data.composite, expected.composite, atol=1e-4)
    np.testing.assert_allclose(data.dimensions, expected.dimension_scores, atol=1e-4)
    assert data.categories == expected.category_codes()
    assert data.ranks == expected.rank().tolist()
    for r in range(33):
        wanted = [int(structure.indicator_numbers[k]) for k in expected.top_indicators[r] if k >= 0]
        assert [n for n, _points in data.top[r]] == wanted
    assert data.counts == np.bincount(region_index, minlength=33).tolist()
    np.testing.assert_allclose(data.values, expected.indicator_values)


def test_asn_neutrality_tops_the_region_where_it_dominates(ikp2024, kabupaten, role_client):
    gondanglegi = [desa_of(GONDANGLEGI, i) for i in range(3)]
    others = [desa_of(code) for code in ("35.07.13", "35.07.14", "35.07.24", "35.07.09")]
    # Gondanglegi: ASN neutrality (12) again and again; a little politik uang (54), where others have more.
    add([(12, gondanglegi[i % 3], 3) for i in range(8)] + [(54, gondanglegi[0], 1)])
    add([(54, desa, 3) for desa in others for _ in range(3)] + [(12, others[0], 1)] + [(5, others[1], 2)])
    run = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    data = selectors.run_data(run)
    top = data.top[data.index[GONDANGLEGI]]
    assert top[0][0] == 12
    assert data.ranks[data.index[GONDANGLEGI]] <= 3

    page = (
        role_client(Role.PIMPINAN, KAB_MALANG).get(f"/ikp/wilayah/{GONDANGLEGI}/?partial=1").content.decode()
    )
    first = page.index('data-indikator="')
    assert page[first : first + 20].startswith('data-indikator="12"')


def test_a_run_records_its_framework_version_and_is_reused_until_data_change(ikp2024, kabupaten, make_user):
    user = make_user(Role.PIMPINAN, KAB_MALANG)
    add([(12, PUTAT_KIDUL, 2)])
    run = services.score_run_get_or_create(
        framework=ikp2024, level=Level.KECAMATAN, area=kabupaten, actor=user
    )
    assert run.framework == ikp2024 and run.framework_version == "2024"
    assert run.parameters["normalisation"] == "minmax"
    assert run.parameters["category_rule"]["method"] == "mean_sd"
    assert run.parameters["severity_weights"] == {"1": 1.0, "2": 2.0, "3": 3.0}
    assert run.created_by == user
    entry = AuditEntry.objects.get(action="ikp_score.computed")
    assert entry.object_id == str(run.pk) and (entry.after or {})["framework"] == "ikp2024 2024"

    again = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    assert again.pk == run.pk and ScoreRun.objects.count() == 1

    add([(54, PUTAT_KIDUL, 3)])
    newer = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    assert newer.pk != run.pk and newer.n_kejadian == 2
    run.refresh_from_db()
    assert run.n_kejadian == 1  # the old run keeps what it computed

    # Another version of the framework gives its own run, which names that version.
    draft = services.framework_copy(ikp2024, "2024-kantor", user)
    services.framework_set_weights(draft, user, dimensions={"sospol": 3.0})
    draft = services.framework_publish(draft, user)
    own = services.score_run_get_or_create(framework=draft, level=Level.KECAMATAN, area=kabupaten)
    assert own.framework_version == "2024-kantor" and own.pk != newer.pk
    assert own.parameters["dimension_weights"]["sospol"] == 3.0


def test_a_draft_framework_does_not_score(ikp2024, kabupaten, make_user):
    draft = services.framework_copy(ikp2024, "draf", make_user(Role.PIMPINAN, KAB_MALANG))
    with pytest.raises(ScoreRunError):
        services.score_run_get_or_create(framework=draft, level=Level.KECAMATAN, area=kabupaten)


def test_period_stage_and_counted_filter_the_kejadian(ikp2024, kabupaten):
    add([(12, PUTAT_KIDUL, 1)], date=dt.date(2024, 9, 30), tahapan=Tahapan.PENCALONAN)
    add([(12, PUTAT_KIDUL, 1), (54, PUTAT_KIDUL, 1)], date=dt.date(2024, 10, 15))
    recap = add([(12, PUTAT_KIDUL, 3)], date=dt.date(2024, 10, 15))[0]
    Kejadian.objects.filter(pk=recap.pk).update(counted=False)

    def counted(**kw):
        return services.score_run_get_or_create(
            framework=ikp2024, level=Level.KECAMATAN, area=kabupaten, **kw
        ).n_kejadian

    assert counted() == 3
    assert counted(tahapan=Tahapan.KAMPANYE) == 2
    assert counted(date_from=dt.date(2024, 10, 1)) == 2
    assert counted(date_to=dt.date(2024, 9, 30)) == 1
    assert counted(date_from=dt.date(2024, 10, 1), date_to=dt.date(2024, 10, 31), tahapan="pencalonan") == 0


def test_desa_level_and_the_monthly_trend(ikp2024, kabupaten):
    add([(12, PUTAT_KIDUL, 3)], date=dt.date(2024, 9, 3))
    add([(54, PUTAT_KIDUL, 1), (54, "35.07.10.2002", 3)], date=dt.date(2024, 11, 20))
    run = services.score_run_get_or_create(framework=ikp2024, level=Level.DESA, area=kabupaten)
    data = selectors.run_data(run)
    assert run.n_regions == 390 and data.months == ["2024-09", "2024-10", "2024-11"]
    trend = dict(selectors.monthly_trend(data, PUTAT_KIDUL))
    assert trend["2024-09"] > 0 and trend["2024-10"] == 0
    # In November Putat Kidul has less politik uang than its neighbour: lower than in September.
    assert 0 < trend["2024-11"] < trend["2024-09"]


def test_sensitivity_is_stored_with_its_parameters_and_reused(ikp2024, kabupaten):
    add(scattered_kejadian())
    run = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    params = {"draws": 200, "concentration": 20.0, "percentile_share": 0.3, "seed": 3}
    first = services.sensitivity_run_get_or_create(score_run=run, parameters=params)
    assert services.sensitivity_run_get_or_create(score_run=run, parameters=params).pk == first.pk
    assert SensitivityRun.objects.count() == 1
    assert first.parameters["draws"] == 200 and first.parameters["dimension_concentration"] == 20.0
    results = first.results
    assert len(results["unstable"]) == len(results["rank_p05"]) == 33
    assert all(abs(sum(shares) - 1) < 1e-3 for shares in results["shares"])
    assert all(low <= high for low, high in zip(results["rank_p05"], results["rank_p95"], strict=True))
    assert sum(results["draws_per_method"].values()) == 200
    assert AuditEntry.objects.filter(action="ikp_sensitivity.computed").count() == 1
    with pytest.raises(ScoreRunError):
        services.sensitivity_run_get_or_create(score_run=run, parameters={"draws": 5})


def test_latest_categories_for_other_apps(ikp2024, kabupaten):
    assert selectors.latest_categories(Level.KECAMATAN) == {}
    add([(12, PUTAT_KIDUL, 3)])
    run = services.score_run_get_or_create(framework=ikp2024, level=Level.KECAMATAN, area=kabupaten)
    services.score_run_get_or_create(
        framework=ikp2024, level=Level.KECAMATAN, area=kabupaten, tahapan=Tahapan.PENCALONAN
    )  # a filtered run is not the overall picture
    categories = selectors.latest_categories(Level.KECAMATAN)
    assert len(categories) == 33 and set(categories.values()) <= set(CATEGORY_CODES)
    assert (
        categories[GONDANGLEGI]
        == CATEGORY_CODES[run.results["category"][run.results["codes"].index(GONDANGLEGI)]]
    )
    assert categories[GONDANGLEGI] == "tinggi" and categories[KEPANJEN] == "sedang"
