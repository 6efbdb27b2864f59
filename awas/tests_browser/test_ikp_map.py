"""The IKP vulnerability map: 33 kecamatan in the category colours, a click shows a region's
breakdown, and a kejadian recorded through the entry form changes Gondanglegi's colour."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD, shared_data
from awas.core.models import User
from awas.core.roles import Role
from awas.ikp import services
from awas.ikp.legend import CATEGORY_COLOURS
from awas.ikp.models import Kejadian, Tahapan
from awas.ikp.services import KejadianInput
from awas.regions.services import regions_attach_boundaries
from awas.tests_browser.support import screenshot, sign_in_enrolled, submit

pytestmark = pytest.mark.browser

KECAMATAN_BOUNDARIES = "boundaries/kab_malang_3507_kecamatan_from_desa.geojson"
# One kejadian in each of ten kecamatan (not Gondanglegi), each a different indicator of the
# socio-political dimension: those ten score above mean + 1 SD (tinggi), the rest sedang.
SEEDED = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (13, 13), (14, 24)]


def open_ikp_map(page: Any, base_url: str) -> Any:
    page.locator('nav.menu a[href="/ikp/"]').click()
    page.wait_for_url(f"{base_url}/ikp/")
    page.wait_for_selector("#ikp-map[data-drawn]", state="attached")
    page.wait_for_load_state("networkidle")
    return page.locator("#ikp-map")


def fills(page: Any) -> dict[str, str]:
    return dict(page.evaluate("() => window.awasMap"))


def test_the_map_colours_33_kecamatan_and_follows_a_new_kejadian(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    assert regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES)).matched == 33
    services.framework_load_builtin()
    services.kejadian_bulk_create(
        actor=None,
        items=[
            KejadianInput(indicator, f"35.07.{kec:02d}.2001", dt.date(2024, 10, 1), Tahapan.KAMPANYE, 1)
            for indicator, kec in SEEDED
        ],
    )
    user = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="staf.pencegahan")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)

    # 33 kecamatan, each in a category colour; Gondanglegi (no kejadian yet) sedang.
    map_el = open_ikp_map(page, live_server.url)
    assert map_el.get_attribute("data-drawn") == "33"
    assert map_el.locator("path.leaflet-interactive").count() == 33
    before = fills(page)
    assert len(before) == 33 and set(before.values()) <= set(CATEGORY_COLOURS.values())
    assert before[GONDANGLEGI] == CATEGORY_COLOURS["sedang"]
    assert sum(1 for fill in before.values() if fill == CATEGORY_COLOURS["tinggi"]) == 10
    polygon = map_el.locator(f'path[data-kode="{GONDANGLEGI}"]')
    assert polygon.get_attribute("data-fill") == before[GONDANGLEGI]
    assert page.get_by_test_id("legend").locator(".swatch").count() >= 3
    assert page.get_by_test_id("ranking").locator("tbody tr").count() == 33
    screenshot(page, "ikp-map-33-kecamatan")

    # A click shows the region's breakdown beside the map.
    polygon.click()
    detail = page.locator(f'[data-testid="region-breakdown"][data-kode="{GONDANGLEGI}"]')
    detail.wait_for()
    assert "Gondanglegi" in detail.inner_text()
    assert detail.get_by_test_id("dimension-scores").locator("tr").count() == 4
    screenshot(page, "ikp-map-gondanglegi-breakdown")

    # Record ASN neutrality (indicator 12, tinggi) in Putat Kidul, Gondanglegi, through the form.
    page.get_by_test_id("record-kejadian").first.click()
    page.wait_for_url(f"{live_server.url}/ikp/kejadian/baru/")
    form = page.get_by_test_id("kejadian-form")
    form.locator("select[name=indicator_number]").select_option("12")
    form.locator("select[name=region]").select_option(PUTAT_KIDUL)
    form.locator("input[name=date]").fill("2024-10-10")
    form.locator("select[name=tahapan]").select_option(Tahapan.KAMPANYE)
    form.locator("select[name=severity]").select_option("3")
    form.locator("textarea[name=note]").fill("Camat mengarahkan ASN mendukung paslon")
    screenshot(page, "ikp-kejadian-form")
    submit(page)
    page.wait_for_url(f"{live_server.url}/ikp/kejadian/")
    assert Kejadian.objects.filter(region_id=PUTAT_KIDUL, indicator_number=12, severity=3).count() == 1

    # The map now shows Gondanglegi in another colour (tinggi).
    map_el = open_ikp_map(page, live_server.url)
    after = fills(page)
    assert after[GONDANGLEGI] != before[GONDANGLEGI]
    assert after[GONDANGLEGI] == CATEGORY_COLOURS["tinggi"]
    assert map_el.locator(f'path[data-kode="{GONDANGLEGI}"]').get_attribute("data-fill") == after[GONDANGLEGI]
    screenshot(page, "ikp-map-after-kejadian")

    assert not errors, errors
    outside = [u for u in requests if not u.startswith(live_server.url + "/") and not u.startswith("data:")]
    assert not outside, f"requests left the host: {outside}"
