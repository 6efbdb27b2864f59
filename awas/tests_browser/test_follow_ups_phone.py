"""The officer chasing the bodies' answers on a phone: the overdue follow-ups read as cards, the
letter, its date and how late the answer is on the 390-pixel screen (the columns used to sit past
its right edge, behind a sideways scroll inside the table)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import body, decided_case
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled
from awas.tests_browser.test_cases_phone import PHONE, no_sideways_scroll

pytestmark = pytest.mark.browser


def test_the_overdue_follow_ups_fit_a_phone(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    sent = today_local() - dt.timedelta(days=29)
    case = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=30, terlapor_position="Kepala desa"
    )
    referral = workflow.referral_create(case=case, body=body("kemendagri"), sent_on=sent, actor=staf)

    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, staf, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/tindak-lanjut/")
    width = phone.viewport_size["width"]
    late = phone.get_by_test_id("days-overdue").first
    sent_on = phone.get_by_test_id("sent-on").first
    assert "terlambat" in late.inner_text() and tanggal(sent) in sent_on.inner_text()
    assert referral.letter_number in phone.locator("main").inner_text()
    for shown in (late, sent_on):  # on the screen, not past its right edge
        box = shown.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, box
    screenshot(phone, "phone-follow-ups")
    no_sideways_scroll(phone)
