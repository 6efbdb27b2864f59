"""A Panwascam opens a case on a phone: the page fits the 390-pixel screen, its history and
referrals included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from awas.cases.formatting import today_local
from awas.cases.models import DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import body, decided_case, facts, registered_laporan
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled
from awas.tests_browser.test_cases_phone import PHONE, no_sideways_scroll

pytestmark = pytest.mark.browser


def _clarification_tomorrow(case: Any, actor: Any) -> None:
    """A history row by ``actor``: the terlapor invited to a clarification tomorrow."""
    workflow.clarification_schedule(
        case=case,
        invitee_name="Ahmad Fauzi",
        invitee_role="terlapor",
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        place="Kantor Panwaslu Kecamatan Gondanglegi",
        actor=actor,
    )


def test_the_status_history_quoting_the_registration_number_fits_a_phone(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    user = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")
    case = registered_laporan(user, PUTAT_KIDUL)
    _clarification_tomorrow(case, user)
    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, user, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/{case.pk}/")

    # The reasons quote the registration number (…/LP/PL/Kec/35.07.10/XI/2026), one long word.
    history = phone.get_by_test_id("status-history")
    assert case.registration_number in history.inner_text()
    screenshot(phone, "phone-case-history")
    no_sideways_scroll(phone)


def test_the_referrals_table_fits_a_phone(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=1)
    referral = workflow.referral_create(case=case, body=body("bkn"), sent_on=today_local(), actor=staf)
    user = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")
    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, user, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/{case.pk}/")

    referrals = phone.get_by_test_id("referrals")
    assert referral.letter_number in referrals.inner_text()
    assert "Badan Kepegawaian Negara" in referrals.inner_text()
    screenshot(phone, "phone-case-referrals")
    no_sideways_scroll(phone)


def test_a_refused_step_comes_back_scrolled_to_its_form_with_the_reason(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    # The step forms sit below the whole record, thousands of pixels down on a phone: a refused
    # step used to come back at the top of the page, its marked form out of sight.
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    found = today_local() - dt.timedelta(days=2)
    temuan = workflow.temuan_create(facts=facts(GONDANGLEGI, event_date=found, known_date=found), actor=staf)
    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, staf, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/{temuan.pk}/")
    phone.get_by_test_id("to-steps").click()
    phone.locator("#register summary").click()
    too_early = found - dt.timedelta(days=1)  # a plenary before the finding: refused by the server
    phone.fill("#id_register_established_on", too_early.isoformat())
    phone.get_by_role("button", name="Registrasikan").click()
    phone.wait_for_load_state()

    form = phone.locator("#refused")
    assert "tidak boleh sebelum tanggal temuan ditemukan" in form.inner_text()
    assert phone.input_value("#id_register_established_on") == too_early.isoformat()  # kept as typed
    assert phone.evaluate("window.scrollY") > 500
    box = form.bounding_box()
    assert box is not None and 0 <= box["y"] < 844  # the refused form is on screen
    screenshot(phone, "phone-case-step-refused")


# Whether any word of the history's full names is broken across two lines (one Range per word).
NAMES_BROKEN_MID_WORD = """() => {
  const broken = [];
  for (const span of document.querySelectorAll('[data-testid=history-actor] span[title]')) {
    const text = span.firstChild;
    let at = 0;
    for (const word of text.data.split(' ')) {
      const range = document.createRange();
      range.setStart(text, at);
      range.setEnd(text, at + word.length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) broken.push(word);
      at += word.length + 1;
    }
  }
  return broken;
}"""


def test_the_history_wraps_officers_names_between_words_on_a_phone(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    # The history's last columns may break anywhere (long letter numbers, one-word user names);
    # a full name must not: "Rina Wula|ndari" read as two words on a 390-pixel phone.
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    staf.first_name, staf.last_name = "Rina", "Wulandari"
    staf.save(update_fields=["first_name", "last_name"])
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="panwascam.gondanglegi")
    case = registered_laporan(staf, PUTAT_KIDUL)
    _clarification_tomorrow(case, panwascam)
    phone = new_page(**PHONE)
    sign_in_enrolled(phone, live_server.url, panwascam, TEST_PASSWORD)
    phone.goto(f"{live_server.url}/perkara/{case.pk}/")

    actors = phone.get_by_test_id("history-actor").all_inner_texts()
    assert "Rina Wulandari" in " ".join(a.replace("\n", " ") for a in actors)
    assert any("panwascam" in a for a in actors)  # no full name: the account, breakable
    assert phone.evaluate(NAMES_BROKEN_MID_WORD) == []
    no_sideways_scroll(phone)
    screenshot(phone, "phone-case-history-names")
