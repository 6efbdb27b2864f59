"""Logging in through the browser, and seeing only the records of one's own scope."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

import pytest
from django_otp.oath import TOTP

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, TEST_PASSWORD
from awas.core.models import User
from awas.core.roles import Role
from awas.regions.services import tps_generate_demo
from awas.tests_browser.support import enrol_totp, log_in, screenshot, sign_in_enrolled, submit

pytestmark = pytest.mark.browser

GONDANGLEGI_DESA = 14  # desa/kelurahan of Kecamatan Gondanglegi in the Kemendagri registry
MALANG_KECAMATAN = 33


@pytest.fixture
def demo_tps(malang: Any) -> int:
    return tps_generate_demo(KAB_MALANG, total=800)


def test_login_page_indonesian_and_keeps_username_after_wrong_password(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    user = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")
    page.goto(f"{live_server.url}/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("input[name=username]").is_visible()
    assert page.locator("input[name=password]").get_attribute("type") == "password"
    screenshot(page, "login-page")

    log_in(page, live_server.url, user.username, "bukan-sandinya-123")
    assert re.search(r"/masuk/$", page.url), page.url
    error = page.locator("main [role=alert]")
    assert error.is_visible()
    assert "kata sandi salah" in error.inner_text()  # our Indonesian message, not Django's
    assert page.locator("input[name=username]").input_value() == "panwascam.gondanglegi"
    assert page.locator("input[name=password]").input_value() == ""
    screenshot(page, "login-wrong-password")


def test_language_button_switches_to_english_and_back(live_server: Any, page: Any) -> None:
    page.goto(f"{live_server.url}/masuk/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.locator("header button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert re.search(r"/masuk/$", page.url), page.url
    page.locator("header button[name=language][value=id]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "id"


def test_panwascam_enrols_totp_and_sees_only_gondanglegi(
    live_server: Any, page: Any, make_user: Callable[..., User], demo_tps: int
) -> None:
    assert demo_tps > 0
    user = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")

    # First login of a new officer: password, then enrolment of an authenticator app.
    log_in(page, live_server.url, user.username, TEST_PASSWORD)
    enrol_totp(page, screenshot_name="panwascam-totp-enrolment")
    page.wait_for_url(f"{live_server.url}/")
    assert "panwascam.gondanglegi" in page.get_by_test_id("who").inner_text()
    screenshot(page, "panwascam-home")

    # "Wilayah & TPS" from the main menu.
    menu_link = page.locator('nav.menu a[href="/wilayah/"]')
    assert menu_link.inner_text().strip() == "Wilayah & TPS"
    menu_link.click()
    page.wait_for_url(f"{live_server.url}/wilayah/")
    assert "Gondanglegi" in page.get_by_test_id("region-name").inner_text()
    rows = page.get_by_test_id("children").locator("tbody tr")
    assert rows.count() == GONDANGLEGI_DESA
    body = page.locator("body").inner_text()
    assert "Putat Kidul" in body
    for elsewhere in ("Kepanjen", "Singosari", "Turen", "35.07.13"):
        assert elsewhere not in body, elsewhere
    assert int(page.get_by_test_id("tps-count").inner_text().replace(".", "")) > 0
    screenshot(page, "panwascam-wilayah")

    # Asking for another kecamatan by its code still shows only Gondanglegi.
    page.goto(f"{live_server.url}/wilayah/?kode={KEPANJEN}")
    assert "Gondanglegi" in page.get_by_test_id("region-name").inner_text()
    assert page.get_by_test_id("children").locator("tbody tr").count() == GONDANGLEGI_DESA
    body = page.locator("body").inner_text()
    assert "Kepanjen" not in body
    assert "Putat Kidul" in body
    screenshot(page, "panwascam-wilayah-kode-kepanjen")

    # Down to one desa: its TPS, and nothing from elsewhere.
    page.get_by_test_id("children").get_by_role("link", name="Putat Kidul").click()
    page.wait_for_url(re.compile(r"kode=35\.07\.10\.2001"))
    assert page.get_by_test_id("tps").locator("tbody tr").count() > 0
    assert "Kepanjen" not in page.locator("body").inner_text()
    screenshot(page, "panwascam-wilayah-putat-kidul")


def test_pimpinan_sees_all_33_kecamatan(
    live_server: Any, page: Any, make_user: Callable[..., User], demo_tps: int
) -> None:
    user = make_user(Role.PIMPINAN, KAB_MALANG, username="pimpinan")
    sign_in_enrolled(page, live_server.url, user, TEST_PASSWORD)

    page.locator('nav.menu a[href="/wilayah/"]').click()
    page.wait_for_url(f"{live_server.url}/wilayah/")
    assert "Malang" in page.get_by_test_id("region-name").inner_text()
    rows = page.get_by_test_id("children").locator("tbody tr")
    assert rows.count() == MALANG_KECAMATAN
    body = page.locator("body").inner_text()
    for kecamatan in ("Gondanglegi", "Kepanjen", "Singosari", "Kasembon", "Pagelaran"):
        assert kecamatan in body, kecamatan
    screenshot(page, "pimpinan-wilayah-33-kecamatan")


def test_wrong_totp_code_is_refused(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    user = make_user(Role.PANWASCAM, GONDANGLEGI)
    log_in(page, live_server.url, user.username, TEST_PASSWORD)
    page.wait_for_url(re.compile(r"/akun/2fa/daftar/"))
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    valid = set()
    for drift in (-2, -1, 0, 1, 2):
        totp.drift = drift
        valid.add(f"{totp.token():06d}")
    wrong = next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)
    page.fill("input[name=token]", wrong)
    submit(page)
    page.wait_for_load_state()
    assert re.search(r"/akun/2fa/daftar/", page.url)
    assert page.locator("main .errorlist").is_visible()
    screenshot(page, "totp-wrong-code")
    page.goto(f"{live_server.url}/wilayah/")
    assert re.search(r"/akun/2fa/daftar/", page.url), "the second factor is still required"
