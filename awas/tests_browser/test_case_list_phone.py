"""The case list on a Panwascam's phone: the first cases show without scrolling past every filter;
on an office screen the filters are all open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awas.cases.tests.staff_helpers import record_laporan
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.models import User
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser


def test_on_a_phone_the_filters_fold_under_the_search_and_open_when_one_is_set(
    live_server: Any, new_page: Callable[..., Any], make_user: Callable[..., User], malang: Any
) -> None:
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam.list")
    record_laporan(panwascam, PUTAT_KIDUL, evidence=[], title="Amplop di balai desa")
    phone = new_page(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    sign_in_enrolled(phone, live_server.url, panwascam, TEST_PASSWORD)

    phone.goto(f"{live_server.url}/perkara/")
    # The main menu folds under "Menu" on a phone too, and opens on a tap.
    assert not phone.locator('nav.menu a[href="/perkara/"]').is_visible()
    assert phone.locator("input[name=q]").is_visible()
    assert not phone.locator("select[name=status]").is_visible()
    first_case = phone.get_by_role("link", name="AWS-", exact=False).first
    screenshot(phone, "case-list-phone")
    assert first_case.bounding_box()["y"] < 844  # on the first screen
    # Each case reads as a card: what happened and its running deadline are on the screen, not in
    # columns past its right edge (they were, behind a sideways scroll of eight columns).
    title = phone.get_by_text("Amplop di balai desa")
    deadline = phone.get_by_test_id("running-deadline").first
    for cell in (title, deadline):
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    # Each value says what it is, with the column's heading before it.
    assert title.evaluate("cell => getComputedStyle(cell, '::before').content") == '"Peristiwa: "'

    phone.locator("#menu-fold summary").click()
    assert phone.locator('nav.menu a[href="/perkara/"]').is_visible()
    phone.locator("#menu-fold summary").click()  # its entries lie over the page: closed again
    phone.locator("#more-filters summary").click()
    phone.select_option("select[name=status]", "diterima")
    phone.locator("main form.filters button[type=submit]").click()
    phone.wait_for_load_state()
    assert phone.locator("select[name=status]").is_visible()  # a filter is set: shown open
    assert "(1 diatur)" in phone.locator("#more-filters summary").inner_text()

    desk = new_page(locale="id-ID")
    sign_in_enrolled(desk, live_server.url, panwascam, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/perkara/")
    assert desk.locator("select[name=status]").is_visible()
    assert desk.locator('nav.menu a[href="/perkara/"]').is_visible()
    assert not desk.locator("#menu-fold summary").is_visible()  # no "Menu" to open on a wide screen
