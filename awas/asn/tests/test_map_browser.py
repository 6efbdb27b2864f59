"""The map of ASN berpotensi terlibat draws in a real browser: polygons coloured by count, or boxes."""

from __future__ import annotations

from typing import Any

import pytest

from awas.asn.tests.helpers import person
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, TEST_PASSWORD, shared_data
from awas.core.roles import Role
from awas.regions.services import regions_attach_boundaries
from awas.tests_browser.support import sign_in_enrolled

pytestmark = pytest.mark.browser


def _people() -> None:
    person(GONDANGLEGI, "A", position="Camat", mobilising_detected=True, appointed_by_incumbent=True)
    person(GONDANGLEGI, "B", family_tie=True, past_violation=True)
    person(KEPANJEN, "C", family_tie=True, appointed_by_incumbent=True)


def _open(page: Any, base_url: str, user: Any) -> Any:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, base_url, user, TEST_PASSWORD)
    page.goto(f"{base_url}/asn/")
    page.wait_for_selector("#asn-map[data-drawn]", state="attached")
    assert not errors, errors
    return page.locator("#asn-map")


def test_choropleth_with_boundaries(live_server: Any, page: Any, make_user: Any, malang: Any) -> None:
    regions_attach_boundaries(shared_data("boundaries/kab_malang_3507_kecamatan_from_desa.geojson"))
    _people()
    map_el = _open(page, live_server.url, make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="cegah"))
    assert map_el.get_attribute("data-drawn") == "33"
    fills = [p.get_attribute("fill") for p in map_el.locator("path.leaflet-interactive").all()]
    assert len(fills) == 33
    assert fills.count("#a50f15") == 1  # Gondanglegi, 2 at risk
    assert page.get_by_test_id("at-risk-total").inner_text() == "3"


def test_schematic_without_boundaries(live_server: Any, page: Any, make_user: Any, malang: Any) -> None:
    _people()
    map_el = _open(page, live_server.url, make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan"))
    assert map_el.get_attribute("data-drawn") == "33"
    assert page.get_by_test_id("schematic-notice").count() == 1
    assert map_el.locator("path.leaflet-interactive").count() == 33
