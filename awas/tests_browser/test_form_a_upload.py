"""A PKD uploads a Form A PDF, checks what was read, accepts the suggested indicator, and the
kecamatan's colour on the IKP map changes.

The PDF is made by Awas's own Form A template (an ASN campaigning in Putat Kidul, Gondanglegi),
its file name encoding kecamatan, desa and TPS as the field offices name their files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, SHARED_DATA, TEST_PASSWORD
from awas.core.models import User
from awas.core.roles import Role
from awas.ikp.models import Kejadian
from awas.regions.models import Region
from awas.regions.services import regions_attach_boundaries
from awas.supervision.models import FormA, FormAStatus
from awas.supervision.tests import samples
from awas.tests_browser.support import screenshot, sign_in_enrolled

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread

pytestmark = pytest.mark.browser

FILE_NAME = "LHP_Gondanglegi_Putat Kidul_TPS01_16102024.pdf"
KECAMATAN_BOUNDARIES = SHARED_DATA / "boundaries" / "kab_malang_3507_kecamatan_from_desa.geojson"


def kecamatan_colour(page: Any, base_url: str) -> str:
    """The fill of Gondanglegi on the IKP map (kecamatan level), as the map script exposes it."""
    page.goto(f"{base_url}/ikp/?level=3")
    page.wait_for_selector("#ikp-map[data-drawn]", state="attached")
    assert page.locator("#ikp-map").get_attribute("data-error") is None
    colour = page.evaluate(f"window.awasMap[{GONDANGLEGI!r}]")
    assert isinstance(colour, str) and colour.startswith("#"), colour
    return colour


def test_pkd_uploads_form_a_accepts_indicator_12_and_the_map_changes(
    live_server: Any, new_page: Callable[..., Any], make_user: Callable[..., User], malang: Any
) -> None:
    if KECAMATAN_BOUNDARIES.exists():
        regions_attach_boundaries(KECAMATAN_BOUNDARIES)  # real polygons; without them the map is schematic
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd-putat-kidul")
    office = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="staf-pencegahan")
    pdf = samples.awas_template_pdf(samples.form_a_unsaved(Region.objects.get(code=PUTAT_KIDUL), number=""))

    # The office's view of the map before the report.
    watcher = new_page(locale="id-ID")
    sign_in_enrolled(watcher, live_server.url, office, TEST_PASSWORD)
    before = kecamatan_colour(watcher, live_server.url)
    screenshot(watcher, "form-a-map-before")

    page = new_page(locale="id-ID")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_enrolled(page, live_server.url, pkd, TEST_PASSWORD)

    # Upload (the file input takes many files at once).
    page.locator('nav.menu a[href="/pengawasan/"]').click()
    page.wait_for_url(f"{live_server.url}/pengawasan/")
    page.locator('a[href="/pengawasan/unggah/"]').click()
    upload = page.locator("input[name=reports]")
    assert upload.get_attribute("multiple") is not None
    upload.set_input_files([{"name": FILE_NAME, "mimeType": "application/pdf", "buffer": pdf}])
    page.get_by_test_id("upload-submit").click()
    results = page.get_by_test_id("upload-results")
    results.wait_for()
    row = results.locator('tr[data-outcome="created"]')
    assert row.count() == 1 and FILE_NAME in row.inner_text()
    assert "Putat Kidul" in row.inner_text() and "TPS 001" in row.inner_text()
    screenshot(page, "form-a-upload-results")

    # Check what was read from the file, then file it.
    row.locator("a.btn").click()
    page.wait_for_url(re.compile(r"/pengawasan/\d+/ubah/$"))
    assert page.locator("input[name=pelaksana_nama]").input_value() == "Siti Aminah"
    assert page.locator("input[name=tps_number]").input_value() == "1"
    assert "ASN guru" in page.locator("textarea[name=uraian]").input_value()
    assert page.locator("select[name=tahapan]").input_value() == "kampanye"
    screenshot(page, "form-a-review-draft")
    page.get_by_test_id("save-form-a").click()
    page.wait_for_url(re.compile(r"/pengawasan/\d+/kejadian/$"))

    report = FormA.objects.get()
    assert report.status == FormAStatus.FILED
    assert report.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"

    # The suggestions, each with its reason; accept 12 (ASN neutrality), remove the others.
    suggestion = page.locator('[data-testid=suggestion][data-indicator="12"]')
    assert suggestion.count() == 1
    assert "asn" in suggestion.inner_text().lower()
    suggestion.locator('input[value="keep"]').check()
    suggestion.locator("select[name$=-severity]").select_option("2")
    others = page.locator('[data-testid=suggestion]:not([data-indicator="12"])')
    for i in range(others.count()):
        others.nth(i).locator('input[value="remove"]').check()
    screenshot(page, "form-a-suggestions")
    assert not Kejadian.objects.exists()  # nothing until the reviewer saves
    page.get_by_test_id("save-review").click()
    page.wait_for_url(re.compile(r"/pengawasan/\d+/$"))
    assert "kejadian" in page.locator(".messages").inner_text().lower()
    screenshot(page, "form-a-reviewed")

    kejadian = Kejadian.objects.get()
    assert (kejadian.indicator_number, kejadian.region_id, kejadian.severity) == (12, PUTAT_KIDUL, 2)
    assert kejadian.counted and kejadian.source_ref == f"form_a:{report.pk}"
    assert not errors, errors

    # Gondanglegi now has a kejadian the other kecamatan do not: its colour on the map changes.
    after = kecamatan_colour(watcher, live_server.url)
    screenshot(watcher, "form-a-map-after")
    assert after != before, (before, after)
