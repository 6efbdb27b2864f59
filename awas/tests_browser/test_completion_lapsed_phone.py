"""The officer on a phone, the day after a pelapor's completion time ran out: the deadlines at
risk show the clock, how late it is and the step to take on the 390-pixel screen (the columns
used to sit past its right edge), the link opens the case at its "not registered" step with the
reason ready, and the case's own deadlines fit its card."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import CaseStatus
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import ALL_MET, record_laporan
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled
from awas.tests_browser.test_cases_phone import PHONE, no_sideways_scroll

pytestmark = pytest.mark.browser


def test_a_lapsed_laporan_is_recorded_not_registered_from_the_deadlines_list_on_a_phone(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    told = today_local() - dt.timedelta(days=4)  # Pilkada: 3 calendar days, so it ended yesterday
    case = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=4))
    unsigned = {**ALL_MET, "formal_signature": False}
    workflow.requirements_check(case=case, checks=unsigned, actor=staf, today=told)
    case.refresh_from_db()
    assert case.completion_due is not None and case.completion_due < today_local()

    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, staf, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/tenggat/")
    late = phone.get_by_test_id("days-left").first
    step = phone.get_by_test_id("lapsed-next").first
    width = phone.viewport_size["width"]
    for shown in (late, step):  # on the screen, not past its right edge
        box = shown.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, box
    screenshot(phone, "phone-at-risk-lapsed")
    no_sideways_scroll(phone)

    step.click()
    phone.wait_for_url(f"{live_server.url}/perkara/{case.pk}/#not-registered")
    assert tanggal(case.completion_due) in phone.get_by_test_id("completion-lapsed").inner_text()
    reason = phone.locator("#not-registered textarea[name=reason]")
    assert reason.is_visible()  # the step is open
    assert tanggal(case.completion_due) in reason.input_value()
    deadlines = phone.get_by_test_id("deadlines")
    card = deadlines.locator("xpath=ancestor::section[1]").bounding_box()
    table = deadlines.bounding_box()
    assert card and table and table["x"] + table["width"] <= card["x"] + card["width"]
    no_sideways_scroll(phone)
    screenshot(phone, "phone-case-lapsed")

    phone.locator("#not-registered button[type=submit]").click()
    phone.wait_for_url(re.compile(rf"/perkara/{case.pk}/(#.*)?$"))  # (a step's form keeps its mark)
    case.refresh_from_db()
    assert case.status == CaseStatus.NOT_REGISTERED
