"""Coverage against vulnerability: the places in category tinggi with nothing planned, the "where
next" ranking, and where the categories come from (the IKP when it offers them, else the office)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from awas.cases.formatting import today_local
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.roles import Level
from awas.ikp import selectors as ikp_selectors
from awas.ikp.scoring import CATEGORY_CODES
from awas.outreach import selectors, services
from awas.outreach.models import ActivityStatus, Category
from awas.regions.models import Region

DONOMULYO = "35.07.01"
PAGAK = "35.07.03"
SINGOSARI = "35.07.25"


def set_category(actor, code: str, category: str) -> None:
    services.manual_category_set(actor=actor, region=Region.objects.get(code=code), category=category)


def uncovered_names(page: str) -> list[str]:
    section = page.split('data-testid="uncovered"')[1].split("</div>")[0]
    return re.findall(r"<li><strong>([^<]+)</strong>", section)


def test_the_coverage_list_names_a_high_vulnerability_kecamatan_until_an_activity_is_planned(
    staf, staf_client
):
    set_category(staf, GONDANGLEGI, Category.TINGGI)
    set_category(staf, KEPANJEN, Category.SEDANG)
    start = today_local().replace(day=1)
    period = f"dari={start:%Y-%m-%d}&sampai={start + dt.timedelta(days=60):%Y-%m-%d}"

    page = staf_client.get(f"/pencegahan/cakupan/?{period}").content.decode()
    assert uncovered_names(page) == ["Gondanglegi"]

    response = staf_client.post(
        "/pencegahan/kegiatan/baru/?jenis=sosialisasi",
        {
            "title": "Sosialisasi netralitas kepala desa",
            "region": PUTAT_KIDUL,  # a desa of Gondanglegi counts for the kecamatan
            "mode": "formal",
            "planned_date": (start + dt.timedelta(days=10)).isoformat(),
            "status": ActivityStatus.PLANNED,
        },
    )
    assert response.status_code == 302

    page = staf_client.get(f"/pencegahan/cakupan/?{period}").content.decode()
    assert uncovered_names(page) == []


def test_an_activity_outside_the_period_or_cancelled_does_not_cover(staf, make_activity):
    set_category(staf, GONDANGLEGI, Category.TINGGI)
    start, end = dt.date(2026, 10, 1), dt.date(2026, 10, 31)
    make_activity(GONDANGLEGI, dt.date(2026, 9, 30))
    make_activity(PUTAT_KIDUL, dt.date(2026, 10, 15), status=ActivityStatus.CANCELLED)

    rows = selectors.coverage_rows(staf, level=Level.KECAMATAN, start=start, end=end)
    assert [r.code for r in selectors.uncovered_high(rows)] == [GONDANGLEGI]


def test_where_next_ranks_by_weight_times_uncovered_share_then_days_without_activity(staf, make_activity):
    today = dt.date(2026, 11, 26)
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    for code in (GONDANGLEGI, KEPANJEN, DONOMULYO, PAGAK):
        set_category(staf, code, Category.TINGGI)
    set_category(staf, SINGOSARI, Category.SEDANG)
    # Gondanglegi: two planned, one done in the period -> coverage 0.5 -> 3 x 0.5 = 1.5
    make_activity(GONDANGLEGI, dt.date(2026, 11, 10), status=ActivityStatus.DONE)
    make_activity(GONDANGLEGI, dt.date(2026, 11, 28))
    # Kepanjen, Donomulyo, Pagak: nothing in the period -> 3. Ties: never (Pagak) first, then the
    # longest since the last activity done: Donomulyo (300 days) before Kepanjen (40 days).
    make_activity(KEPANJEN, today - dt.timedelta(days=40), status=ActivityStatus.DONE)
    make_activity(DONOMULYO, today - dt.timedelta(days=300), status=ActivityStatus.DONE)
    # Singosari (sedang), nothing -> 2.

    rows = selectors.coverage_rows(staf, level=Level.KECAMATAN, start=start, end=end, today=today)
    ranking = [(r.code, r.score, r.days_since) for r in selectors.where_next(rows) if r.category]

    assert ranking == [
        (PAGAK, 3.0, None),
        (DONOMULYO, 3.0, 300),
        (KEPANJEN, 3.0, 40),
        (SINGOSARI, 2.0, None),
        (GONDANGLEGI, 1.5, 16),
    ]
    gondanglegi = next(r for r in rows if r.code == GONDANGLEGI)
    assert (gondanglegi.planned, gondanglegi.done, gondanglegi.percent) == (2, 1, 50)
    # A kecamatan not mapped yet weighs as sedang: after the tinggi ones, before Gondanglegi.
    unmapped = next(r for r in selectors.where_next(rows) if not r.category)
    assert unmapped.score == 2.0


def test_the_page_shows_the_formula_the_ranking_and_the_chart(staf, staf_client, make_activity):
    set_category(staf, GONDANGLEGI, Category.TINGGI)
    set_category(staf, KEPANJEN, Category.TINGGI)
    make_activity(KEPANJEN, today_local(), status=ActivityStatus.DONE)
    page = staf_client.get("/pencegahan/cakupan/").content.decode()
    assert "× (1 −" in page
    assert 'data-testid="coverage-chart"' in page
    assert page.count("<rect ") == 2 * 33  # planned and done bars for every kecamatan
    widths = re.findall(r'<rect [^>]*width="([^"]+)"', page)
    assert all(re.fullmatch(r"\d+(\.\d+)?", w) for w in widths), "SVG numbers are never localised (1,5)"
    assert any(float(w) > 0 for w in widths)
    ranking = page.split('data-testid="where-next"')[1]
    first = re.search(r'<td class="num">1</td><td>([^<]+)<', ranking)
    assert first is not None and first.group(1).strip() == "Gondanglegi"
    assert "Kepanjen" not in ranking  # fully covered: score 0, below the first 15


def test_desa_level_coverage(staf, staf_client, make_activity):
    set_category(staf, PUTAT_KIDUL, Category.TINGGI)
    page = staf_client.get(f"/pencegahan/cakupan/?tingkat=desa&kecamatan={GONDANGLEGI}").content.decode()
    assert uncovered_names(page) == ["Putat Kidul"]
    make_activity(PUTAT_KIDUL, today_local())
    page = staf_client.get(f"/pencegahan/cakupan/?tingkat=desa&kecamatan={GONDANGLEGI}").content.decode()
    assert uncovered_names(page) == []


# --- where categories come from -------------------------------------------------------------------


def test_categories_are_the_ikp_codes():
    assert tuple(Category.values) == CATEGORY_CODES


def test_vulnerability_categories_use_the_office_entries_without_an_ikp_selector(staf, monkeypatch):
    monkeypatch.delattr(ikp_selectors, selectors.IKP_SELECTOR, raising=False)
    set_category(staf, GONDANGLEGI, Category.TINGGI)
    set_category(staf, PUTAT_KIDUL, Category.RENDAH)
    assert selectors.vulnerability_categories(Level.KECAMATAN) == {GONDANGLEGI: "tinggi"}
    assert selectors.vulnerability_categories(Level.DESA) == {PUTAT_KIDUL: "rendah"}


def test_the_ikp_categories_replace_the_office_entries_where_they_exist(staf, monkeypatch):
    set_category(staf, GONDANGLEGI, Category.RENDAH)
    set_category(staf, KEPANJEN, Category.SEDANG)

    def latest_categories(level: int) -> dict[str, str]:
        assert level == Level.KECAMATAN
        return {GONDANGLEGI: "tinggi", DONOMULYO: "sedang", "35.07.99": "unknown"}

    monkeypatch.setattr(ikp_selectors, selectors.IKP_SELECTOR, latest_categories, raising=False)
    assert selectors.vulnerability_categories(Level.KECAMATAN) == {
        GONDANGLEGI: "tinggi",  # IKP wins
        KEPANJEN: "sedang",  # office entry where the IKP has none
        DONOMULYO: "sedang",
    }
    assert selectors.category_sources(Level.KECAMATAN)[KEPANJEN] == ("sedang", selectors.SOURCE_MANUAL)
    assert selectors.category_sources(Level.KECAMATAN)[GONDANGLEGI] == ("tinggi", selectors.SOURCE_IKP)


def test_office_categories_are_entered_by_the_prevention_staff_only(staf_client, role_client):
    response = staf_client.post(
        "/pencegahan/kategori-kerawanan/",
        {"region": GONDANGLEGI, "category": "tinggi", "source_note": "Pemetaan Kerawanan Pilkada 2024"},
    )
    assert response.status_code == 302
    assert selectors.vulnerability_categories(Level.KECAMATAN)[GONDANGLEGI] == "tinggi"

    pimpinan = role_client("pimpinan", KAB_MALANG)
    assert pimpinan.get("/pencegahan/kategori-kerawanan/").status_code == 200
    assert (
        pimpinan.post(
            "/pencegahan/kategori-kerawanan/", {"region": KEPANJEN, "category": "tinggi"}
        ).status_code
        == 403
    )

    response = staf_client.post("/pencegahan/kategori-kerawanan/", {"region": GONDANGLEGI, "category": ""})
    assert response.status_code == 302
    assert GONDANGLEGI not in selectors.vulnerability_categories(Level.KECAMATAN)


@pytest.mark.parametrize("level", [Level.KECAMATAN, Level.DESA])
def test_a_panwascam_sees_coverage_of_its_own_area_only(panwascam, level):
    rows = selectors.coverage_rows(
        panwascam, level=level, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)
    )
    assert rows
    assert all(r.code.startswith(GONDANGLEGI) for r in rows)
