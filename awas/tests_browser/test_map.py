"""The kecamatan map: real polygons when boundaries are loaded, a labelled schematic otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import GONDANGLEGI, KAB_MALANG, TEST_PASSWORD, shared_data
from awas.core.models import User
from awas.core.roles import Role
from awas.regions.services import regions_attach_boundaries
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser

KECAMATAN_BOUNDARIES = "boundaries/kab_malang_3507_kecamatan_from_desa.geojson"


def record_requests(page: Any) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def open_map(page: Any, base_url: str) -> Any:
    page.locator('nav.menu a[href="/wilayah/peta/"]').click()
    page.wait_for_url(f"{base_url}/wilayah/peta/")
    page.wait_for_selector("#map[data-drawn]", state="attached")
    page.wait_for_load_state("networkidle")
    return page.locator("#map")


def assert_stayed_on_host(urls: list[str], base_url: str) -> None:
    outside = [u for u in urls if not u.startswith(base_url + "/") and not u.startswith("data:")]
    assert not outside, f"requests left the host: {outside}"
    assert any(u.startswith(f"{base_url}/static/vendor/leaflet/leaflet.js") for u in urls), urls
    assert any(u.startswith(f"{base_url}/static/vendor/leaflet/leaflet.css") for u in urls), urls


def test_map_draws_33_kecamatan_polygons(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    result = regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES))
    assert result.matched == 33
    user = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    urls = record_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)

    map_el = open_map(page, live_server.url)
    assert map_el.get_attribute("data-drawn") == "33"
    assert map_el.locator("path.leaflet-interactive").count() == 33
    assert page.get_by_test_id("schematic-notice").count() == 0
    box = map_el.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300, box
    assert not errors, errors
    assert_stayed_on_host(urls, live_server.url)
    screenshot(page, "map-33-kecamatan")

    # The tooltip names the kecamatan under the pointer.
    map_el.locator("path.leaflet-interactive").first.hover()
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "35.07." in tooltip.inner_text()


def test_map_schematic_without_boundaries(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    user = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    urls = record_requests(page)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)

    map_el = open_map(page, live_server.url)
    assert page.get_by_test_id("schematic-notice").is_visible()
    assert map_el.get_attribute("data-drawn") == "33"
    assert map_el.locator("path.leaflet-interactive").count() == 33
    labels = map_el.locator(".schematic-label")
    assert labels.count() == 33
    assert "Gondanglegi" in map_el.inner_text()
    assert not errors, errors
    assert_stayed_on_host(urls, live_server.url)
    screenshot(page, "map-schematic")


def test_panwascam_map_shows_only_own_kecamatan(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES))
    user = make_user(Role.PANWASCAM, GONDANGLEGI)
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)

    map_el = open_map(page, live_server.url)
    assert map_el.get_attribute("data-drawn") == "1"
    assert map_el.locator("path.leaflet-interactive").count() == 1
    screenshot(page, "map-panwascam-gondanglegi")
