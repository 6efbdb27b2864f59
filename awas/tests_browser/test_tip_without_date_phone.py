"""A villager who saw envelopes handed out "sometime last week" sends an informasi awal from a
390-pixel phone without inventing a day: the page's script hides the date once "Tanggal pastinya
tidak tahu" is ticked and asks roughly when; the officer reads the approximate time on the case."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest

from awas.cases.models import Case, CaseKind
from awas.cases.services.intake import office_today
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled
from awas.tests_browser.test_cases_phone import PHONE, no_sideways_scroll

pytestmark = pytest.mark.browser

ROUGHLY = "akhir pekan lalu, malam hari"


def test_a_tip_without_the_day_is_sent_from_a_phone_and_staff_see_roughly_when(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/lapor/informasi/")
    phone.get_by_test_id("informasi-form").wait_for()
    date, note = phone.locator("#id_event_date"), phone.locator("#id_event_time_note")
    # The exact date is the normal way: "roughly when" waits until the box is ticked.
    assert date.is_visible() and not note.is_visible()

    phone.fill("#id_title", "Amplop dibagikan dari rumah ke rumah")
    phone.select_option("#id_kecamatan", GONDANGLEGI)
    phone.select_option("#id_desa", PUTAT_KIDUL)
    # A day typed, then the sender thinks better of it: ticked, the date is hidden and not sent.
    phone.fill("#id_event_date", (office_today() - dt.timedelta(days=3)).isoformat())
    phone.check("#id_event_date_unknown")
    date.wait_for(state="hidden")
    assert note.is_visible() and note.evaluate("el => el === document.activeElement")
    phone.fill("#id_event_time_note", ROUGHLY)
    phone.fill("#id_chronology", "Dua orang membagikan amplop berisi uang kepada warga.")
    no_sideways_scroll(phone)
    screenshot(phone, "phone-informasi-tanggal-tidak-tahu")
    phone.get_by_test_id("send").click()
    phone.wait_for_url(re.compile(r"/lapor/terima/AWS-[A-Z0-9-]+/$"))

    tip = Case.objects.get(kind=CaseKind.INFORMASI_AWAL)
    assert (tip.event_date, tip.event_time_note) == (None, ROUGHLY)

    staff = new_page(**PHONE)
    sign_in_enrolled(staff, live_server.url, make_user(Role.STAF_PP, KAB_MALANG), TEST_PASSWORD)
    staff.goto(f"{live_server.url}/perkara/{tip.pk}/")
    shown = staff.get_by_test_id("event-date-approximate").first
    assert "Tanggal pastinya tidak diketahui" in shown.inner_text() and ROUGHLY in shown.inner_text()
    no_sideways_scroll(staff)
    screenshot(staff, "staff-informasi-tanggal-perkiraan")
