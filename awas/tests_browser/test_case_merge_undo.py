"""Staff merge two laporan about what looks like one event, then find it was two, and undo it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from awas.cases.models import Case, CaseStatus
from awas.cases.tests.staff_helpers import jpeg, registered_laporan
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.models import User
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser


def test_a_wrong_merge_is_undone_on_the_case_page(
    live_server: Any, page: Any, make_user: Callable[..., User], malang: Any
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.merge")
    older = registered_laporan(
        staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(hours=6), title="Amplop di balai desa"
    )
    newer = registered_laporan(
        staf, PUTAT_KIDUL, evidence=[jpeg(salt=b"b")], title="Amplop di balai desa lagi"
    )
    sign_in_enrolled(page, live_server.url, staf, TEST_PASSWORD)

    # Merged from the related cases page, with the reason.
    page.goto(f"{live_server.url}/perkara/{newer.pk}/terkait/")
    candidate = page.get_by_test_id("candidate").filter(
        has=page.locator(f'input[name=other][value="{older.pk}"]')
    )
    assert candidate.locator("input[name=reason]").count() == 1, page.locator("main").inner_text()
    candidate.locator("input[name=reason]").fill("Peristiwa yang sama")
    candidate.locator("form:has(input[name=mode][value=merge]) button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/perkara/{older.pk}/$"))

    # On the merged case's page, the next step is to undo it; a reason is asked first.
    page.goto(f"{live_server.url}/perkara/{newer.pk}/")
    assert "Digabungkan ke" in page.locator("main").inner_text()
    page.locator("#unmerge summary").click()
    form = page.locator(f'form[action="/perkara/{newer.pk}/pisahkan/#refused"]')  # where a refusal returns
    form.locator("textarea[name=reason]").fill("Ternyata dua peristiwa: hari yang berbeda")
    screenshot(page, "case-unmerge")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/perkara/{newer.pk}/(#refused)?$"))  # the redirect keeps the mark
    main = page.locator("main").inner_text()
    assert "Penggabungan dibatalkan" in main
    assert "Digabungkan ke" not in main
    assert Case.objects.get(pk=newer.pk).status == CaseStatus.REGISTERED
