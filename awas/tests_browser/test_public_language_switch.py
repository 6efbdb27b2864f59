"""Switching language halfway through the laporan form on a phone, with script and without.

A pelapor on a cheap phone with script off who switches Indonesian ↔ English in the middle of a
long chronology keeps all of it, and the photo already chosen; Enter in a field still sends the
form, not the switch.
"""

from __future__ import annotations

from typing import Any

import pytest

from awas.cases.models import Case, CaseEvidence
from awas.tests_browser.support import screenshot
from awas.tests_browser.test_cases_phone import PHONE
from awas.tests_browser.test_public_weak_link import (
    RECEIPT_URL,
    attach,
    noisy_png,
    open_form,
    still_typed,
    type_laporan,
)

pytestmark = pytest.mark.browser

TITLE = "Amplop dibagikan di balai desa"
CHRONOLOGY = "\n".join(
    f"{n}. Pukul 19.{n:02d} kepala desa membagikan amplop berisi uang kepada warga RT 0{n % 9 + 1}."
    for n in range(1, 30)
)


def _half_typed(phone: Any) -> None:
    type_laporan(phone, TITLE)
    phone.fill("#id_terlapor_name", "")  # not typed yet
    phone.fill("#id_chronology", CHRONOLOGY)
    attach(phone, noisy_png(7, 24))


def _all_still_there(phone: Any) -> None:
    still_typed(phone, TITLE)
    assert phone.input_value("#id_chronology") == CHRONOLOGY
    assert phone.get_by_test_id("kept-evidence").inner_text().strip().startswith("foto-amplop.png")
    assert not phone.get_by_test_id("form-errors").is_visible()  # nothing was asked to be sent


def _switch(phone: Any, to: str) -> None:
    phone.get_by_test_id("language-switch").click()
    phone.wait_for_function(f"document.documentElement.lang === {to!r}")
    phone.get_by_test_id("laporan-form").wait_for()


@pytest.mark.parametrize("script", [False, True], ids=["no-script", "script"])
def test_switching_language_halfway_keeps_what_was_typed_and_attached(
    live_server: Any, malang: Any, new_page: Any, script: bool
) -> None:
    phone = new_page(**PHONE, java_script_enabled=script)
    open_form(phone, live_server.url)
    _half_typed(phone)

    _switch(phone, "en")
    assert phone.get_by_role("heading", level=1).inner_text() == "File a laporan"
    _all_still_there(phone)
    screenshot(phone, f"phone-lapor-english-{'script' if script else 'no-script'}")
    assert Case.objects.count() == 0

    _switch(phone, "id")
    assert phone.get_by_role("heading", level=1).inner_text() == "Sampaikan laporan"
    _all_still_there(phone)
    assert Case.objects.count() == 0

    # Completed: Enter in a field sends the form (as its own button does), not the switch.
    phone.fill("#id_terlapor_name", "Kepala Desa Putat Kidul")
    phone.press("#id_terlapor_name", "Enter")
    phone.wait_for_url(RECEIPT_URL)
    case = Case.objects.get()
    assert case.title == TITLE
    assert case.chronology.replace("\r\n", "\n") == CHRONOLOGY  # a browser sends its lines with CR LF
    assert list(CaseEvidence.objects.filter(case=case).values_list("name", flat=True)) == ["foto-amplop.png"]
    assert phone.evaluate("document.documentElement.lang") == "id"
