"""The office dashboard (pimpinan, after TOTP) and the public page (anonymous, also on a phone).

Screenshots are kept in test-artifacts/: dashboard.png, publik.png, publik-phone.png.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import KAB_MALANG, TEST_PASSWORD, shared_data
from awas.core.models import User
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop runs in the test thread

pytestmark = pytest.mark.browser

KECAMATAN_BOUNDARIES = "boundaries/kab_malang_3507_kecamatan.geojson"
DASHBOARD_CHARTS = (
    "vuln-map",
    "vuln-categories",
    "case-status",
    "case-kinds",
    "case-risk",
    "referrals",
    "trend",
    "prevention-kinds",
    "prevention-categories",
)


@pytest.fixture
def office_data(malang: Any) -> Any:
    """Kabupaten Malang with its kecamatan boundaries and some months of cases, kejadian, activities."""
    from django.core.cache import cache

    from awas.dashboard.tests.conftest import generate_year
    from awas.regions.services import regions_attach_boundaries

    cache.clear()  # the live server shares this process's cache
    assert regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES)).matched == 33
    data = generate_year(cases=400, kejadian=700, activities=150, asn_links=12, seed=11)
    yield data
    cache.clear()


def record_requests(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def assert_stayed_on_host(urls: list[str], base_url: str) -> None:
    outside = [u for u in urls if not u.startswith(base_url + "/") and not u.startswith("data:")]
    assert not outside, f"requests left the host: {outside}"


def number_of(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_pimpinan_sees_the_dashboard_pictures_with_their_numbers(
    live_server: Any, page: Any, make_user: Callable[..., User], office_data: Any
) -> None:
    from awas.dashboard.selectors import office_overview

    user = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    urls = record_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)  # password, then the TOTP code

    page.locator('nav.menu a[href="/dasbor/"]').click()
    page.wait_for_url(f"{live_server.url}/dasbor/")
    page.wait_for_load_state("networkidle")

    # The map: one region per kecamatan, drawn from the real boundaries, with its legend.
    vuln_map = page.get_by_test_id("vuln-map")
    assert vuln_map.locator("path[data-kode]").count() == 33
    box = vuln_map.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 250, box
    assert page.locator(".legend-list li").count() == 4
    for testid in DASHBOARD_CHARTS:
        chart = page.get_by_test_id(testid)
        assert chart.is_visible(), testid
        assert chart.locator("rect, path, polyline").count() > 0, testid

    # The numbers beside the pictures are those of the data.
    expected = office_overview(user)
    assert (
        number_of(page.get_by_test_id("figure-received").locator(".n").inner_text())
        == expected.cases.received
    )
    assert number_of(page.get_by_test_id("figure-at_risk").locator(".n").inner_text()) == (
        expected.cases.at_risk_total
    )
    kinds_table = page.get_by_test_id("panel-perkara").locator("table").nth(1)
    assert kinds_table.locator("tbody tr").count() == 4  # laporan, temuan, informasi awal, total
    total = number_of(kinds_table.locator("tbody tr").last.locator("td").last.inner_text())
    assert total == expected.cases.received
    kecamatan_rows = page.get_by_test_id("panel-kerawanan").locator("table tbody tr")
    assert kecamatan_rows.count() == 33

    assert not errors, errors
    assert_stayed_on_host(urls, live_server.url)
    screenshot(page, "dashboard")

    # Every list downloads; the monthly report opens as a PDF.
    with page.expect_download() as download:
        page.get_by_test_id("panel-tenggat").get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    response = page.request.get(f"{live_server.url}/dasbor/laporan-bulanan/")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_the_public_sees_the_figures_without_an_account(
    live_server: Any, page: Any, office_data: Any
) -> None:
    from awas.dashboard.selectors import public_figures

    urls = record_requests(page)
    page.goto(f"{live_server.url}/publik/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_test_id("public-map").locator("path[data-kode]").count() == 33
    for testid in ("public-kinds", "public-status", "public-kecamatan", "public-activities"):
        assert page.get_by_test_id(testid).is_visible(), testid
    expected = public_figures()
    assert number_of(page.get_by_test_id("figure-total").locator(".n").inner_text()) == expected.total
    assert number_of(page.get_by_test_id("figure-activities").locator(".n").inner_text()) == (
        expected.activities_done
    )
    assert page.locator("nav.menu").count() == 0  # no staff menu for the public
    assert_stayed_on_host(urls, live_server.url)
    screenshot(page, "publik")


def test_the_public_page_fits_a_phone(
    live_server: Any, new_page: Callable[..., Any], office_data: Any
) -> None:
    phone = new_page(
        locale="id-ID",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone.goto(f"{live_server.url}/publik/")
    # Nothing wider than the screen: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 391
    map_box = phone.get_by_test_id("public-map").bounding_box()
    assert map_box is not None and 300 < map_box["width"] <= 390, map_box
    # The long tables wait behind "Every kecamatan"; opening one shows the rows.
    details = phone.get_by_test_id("panel-laporan").locator("details")
    assert not details.locator("table").is_visible()
    details.locator("summary").click()
    assert details.locator("tbody tr").count() == 33
    screenshot(phone, "publik-phone")
