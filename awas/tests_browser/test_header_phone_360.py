"""The header on a 360-pixel phone: one row ("Awas", "Menu", "Akun") before the page, not three.

The account's entries (who is signed in, the language, the password, log out) took some 170 px of a
740 px screen on every staff page, beside "Menu". They fold under "Akun" on a phone, each a 44 px
target when open; without script they stay in the page, every one still there. On an office screen
they are in the header, no "Akun" to open. The public's header is the office's name and the
language switch, on one row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awas.conftest import GONDANGLEGI, TEST_PASSWORD
from awas.core.models import User
from awas.core.roles import Role
from awas.tests_browser.support import ARTIFACTS, sign_in_enrolled
from awas.tests_browser.test_staff_pages_phone_360 import PHONE_360, _assert_fits, _assert_tappable

pytestmark = pytest.mark.browser

HEADER_MAX = 64  # px: one row of 44 px targets and its padding; it was 229 px on a staff page


def _screen(page: Any, name: str) -> None:
    # The screen as the phone shows it: a full-page capture drops the touch screen's 44 px targets.
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _header_height(page: Any) -> float:
    return float(page.locator("header.topbar").bounding_box()["height"])


def _account_entries(page: Any) -> dict[str, Any]:
    account = page.locator("header .account")
    return {
        "language": account.get_by_role("button", name="English"),
        "password": account.get_by_role("link", name="Kata sandi"),
        "log out": account.get_by_role("button", name="Keluar"),
    }


@pytest.fixture
def panwascam(make_user: Callable[..., User], malang: Any) -> User:
    return make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")


def test_on_a_phone_the_staff_header_is_one_row_and_the_account_opens_under_akun(
    live_server: Any, panwascam: User, new_page: Callable[..., Any]
) -> None:
    phone = new_page(**PHONE_360)
    sign_in_enrolled(phone, live_server.url, panwascam, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/laporan-baru/")

    assert _header_height(phone) <= HEADER_MAX
    _assert_fits(phone, "the record page with its header")
    menu, akun = phone.locator("#menu-fold > summary"), phone.locator("#account-fold > summary")
    assert akun.inner_text().strip() == "Akun"
    assert menu.bounding_box()["y"] == akun.bounding_box()["y"]  # side by side
    for entry in _account_entries(phone).values():
        assert not entry.is_visible()
    assert not phone.get_by_test_id("who").is_visible()
    _assert_tappable(phone, akun, "Akun")
    _assert_tappable(phone, menu, "Menu")

    akun.click()
    assert "panwascam.gondanglegi" in phone.get_by_test_id("who").inner_text()
    for what, entry in _account_entries(phone).items():
        _assert_tappable(phone, entry, what)  # over the page, nothing of it on top
    assert _header_height(phone) <= HEADER_MAX  # the page below did not move down
    _screen(phone, "phone-360-header-akun-open")

    # One fold at a time: the menu's entries would lie over the account's.
    menu.click()
    assert phone.locator('nav.menu a[href="/perkara/"]').is_visible()
    _account_entries(phone)["log out"].wait_for(state="hidden")  # closed when the menu opened
    _assert_tappable(phone, phone.locator('nav.menu a[href="/perkara/"]'), "a menu entry")
    _screen(phone, "phone-360-header-menu-open")

    # A tap on the page below them closes them.
    menu_bottom = phone.locator("nav.menu").bounding_box()
    phone.touchscreen.tap(180, min(menu_bottom["y"] + menu_bottom["height"] + 40, 730))
    phone.locator('nav.menu a[href="/perkara/"]').wait_for(state="hidden")

    # Each entry does what it says.
    akun.click()
    _account_entries(phone)["password"].click()
    phone.wait_for_url(f"{live_server.url}/akun/kata-sandi/")
    phone.locator("#account-fold > summary").click()
    _account_entries(phone)["language"].click()
    phone.wait_for_function("document.documentElement.lang === 'en'")
    assert phone.locator("#account-fold > summary").inner_text().strip() == "Account"
    phone.locator("#account-fold > summary").click()
    phone.locator("header .account").get_by_role("button", name="Log out").click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server.url}/perkara/")
    assert "/masuk/" in phone.url  # signed out


def test_on_an_old_phone_browser_the_header_still_folds_one_at_a_time(
    live_server: Any, panwascam: User, new_page: Callable[..., Any]
) -> None:
    # A cheap phone's old WebView has no NodeList.forEach nor MediaQueryList.addEventListener: the
    # header must still fold into one row, with the menu and the account each opening alone.
    phone = new_page(**PHONE_360)
    phone.add_init_script(
        "delete NodeList.prototype.forEach; MediaQueryList.prototype.addEventListener = undefined;"
        "window.__errors = [];"
        "window.addEventListener('error', function (e) { window.__errors.push(e.message); });"
    )
    sign_in_enrolled(phone, live_server.url, panwascam, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/")
    assert phone.evaluate("window.__errors") == []
    assert _header_height(phone) <= HEADER_MAX
    phone.locator("#account-fold > summary").click()
    _account_entries(phone)["log out"].wait_for(state="visible")
    phone.locator("#menu-fold > summary").click()
    _account_entries(phone)["log out"].wait_for(state="hidden")  # one open at a time


def test_without_script_every_account_entry_is_in_the_page(
    live_server: Any, panwascam: User, new_page: Callable[..., Any]
) -> None:
    phone = new_page(**PHONE_360, java_script_enabled=False)
    sign_in_enrolled(phone, live_server.url, panwascam, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/")
    _assert_fits(phone, "the case list without script")
    for what, entry in _account_entries(phone).items():
        _assert_tappable(phone, entry, what)
    _account_entries(phone)["log out"].click()
    phone.wait_for_load_state()
    phone.goto(f"{live_server.url}/perkara/")
    assert "/masuk/" in phone.url


def test_on_an_office_screen_the_account_stays_in_the_header(
    live_server: Any, panwascam: User, new_page: Callable[..., Any]
) -> None:
    desk = new_page(locale="id-ID")
    sign_in_enrolled(desk, live_server.url, panwascam, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/perkara/")
    assert not desk.locator("#account-fold > summary").is_visible()  # nothing to open
    who = desk.get_by_test_id("who")
    assert who.is_visible()
    for entry in _account_entries(desk).values():
        assert entry.is_visible()
        assert entry.bounding_box()["y"] == pytest.approx(who.bounding_box()["y"], abs=6)  # one line
    assert _header_height(desk) < 200


def test_the_public_header_is_one_row_on_a_phone(live_server: Any, malang: Any, new_page: Any) -> None:
    phone = new_page(**PHONE_360)
    for path in ("/lapor/", "/lapor/laporan/", "/lapor/lacak/"):
        phone.goto(live_server.url + path)
        assert _header_height(phone) <= HEADER_MAX, path
        _assert_tappable(phone, phone.locator("header .account").get_by_role("button", name="English"), path)
