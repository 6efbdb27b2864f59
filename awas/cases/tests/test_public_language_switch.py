"""Switching language halfway through a public form, on a phone without script, loses nothing.

The header's switch on the laporan and informasi awal forms is a button of the form itself
(``form="filing-form"``): the browser sends what was typed, and the same form comes back in the
other language with every field and every file received, no list of mistakes, nothing filed.
These post as the browser does (CSRF checked, the switch's own name and value with the fields).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.test import Client

from awas.cases.models import Case, CaseEvidence
from awas.cases.tests.test_intake import png_bytes
from awas.cases.tests.test_public_views import form_key, kept_tokens, laporan_data, upload
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.models import EvidenceFile

# A long chronology typed on a phone, with a line break and characters to escape.
CHRONOLOGY = "\n".join(
    f'{n}. Pukul 19.{n:02d} kepala desa membagikan amplop "Rp50.000" kepada warga RT 0{n} & tetangganya.'
    for n in range(1, 40)
)


@pytest.fixture
def browser(malang: Any) -> Client:
    return Client(enforce_csrf_checks=True)


def _csrf(response: Any) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert found
    return found.group(1)


def _switch_button(html: str) -> str:
    found = re.search(r'<button name="language"[^>]*>', html)
    assert found, "the page has a language switch"
    return found.group(0)


def _post(browser: Client, path: str, page: Any, data: dict[str, Any]) -> Any:
    return browser.post(path, {**data, "csrfmiddlewaretoken": _csrf(page)})


def test_the_switch_on_the_laporan_form_keeps_everything_typed_and_attached(browser):
    page = browser.get("/lapor/laporan/")
    html = page.content.decode()
    assert '<html lang="id">' in html
    switch = _switch_button(html)
    assert 'value="en"' in switch and 'form="filing-form"' in switch and "formnovalidate" in switch
    assert 'id="filing-form"' in html

    # Half-way: the pelapor and a long chronology typed, a photo chosen, the terlapor not yet.
    key = form_key(page)
    typed = laporan_data(key, chronology=CHRONOLOGY, terlapor_name="", title="")
    english = _post(
        browser,
        "/lapor/laporan/",
        page,
        {**typed, "language": "en", "bukti": [upload("amplop.png", png_bytes(21))]},
    )
    html = english.content.decode()

    assert english.status_code == 200
    assert '<html lang="en">' in html and "File a laporan" in html
    assert browser.cookies["django_language"].value == "en"  # the next pages too
    assert 'value="Siti Rahmawati Pelapor"' in html and 'value="Malang"' in html
    assert "Pada pukul" not in html  # the test's own chronology replaced the sample one
    assert (
        "19.39 kepala desa membagikan amplop &quot;Rp50.000&quot; kepada warga RT 039 &amp; tetangganya."
        in html
    )
    assert (
        f'<option value="{PUTAT_KIDUL}" selected>' in html
        and f'<option value="{GONDANGLEGI}" selected>' in html
    )
    assert 'name="sex" value="P"' in html and re.search(r'value="P"[^>]*checked', html)
    assert form_key(english) == key  # the same report: a later double tap still gives one receipt
    assert (
        'data-testid="form-errors"' not in html and 'class="errorlist' not in html
    )  # nothing was asked to be sent
    assert "amplop.png" in html and len(kept_tokens(english)) == 1
    assert not Case.objects.exists()
    switch = _switch_button(html)
    assert 'value="id"' in switch and 'form="filing-form"' in switch

    # Back to Indonesian: still all there, the photo included.
    indonesian = _post(
        browser, "/lapor/laporan/", english, {**typed, "language": "id", "kept": kept_tokens(english)}
    )
    html = indonesian.content.decode()
    assert '<html lang="id">' in html and "Kirim laporan" in html
    assert "19.39 kepala desa membagikan amplop" in html and "amplop.png" in html
    assert 'data-testid="form-errors"' not in html
    assert browser.cookies["django_language"].value == "id"
    assert not Case.objects.exists()

    # Completed and sent: one laporan, with the chronology as typed and the photo.
    sent = _post(
        browser,
        "/lapor/laporan/",
        indonesian,
        {**laporan_data(key, chronology=CHRONOLOGY), "kept": kept_tokens(indonesian)},
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    assert case.chronology == CHRONOLOGY
    assert list(CaseEvidence.objects.values_list("evidence__sha256", flat=True)) == [
        hashlib.sha256(png_bytes(21)).hexdigest()
    ]


def test_the_switch_on_the_informasi_form_keeps_it_and_files_nothing(browser):
    page = browser.get("/lapor/informasi/")
    key = form_key(page)
    typed = {
        "idempotency_key": key,
        "title": "Spanduk calon di sekolah",
        "kecamatan": GONDANGLEGI,
        "event_date_unknown": "on",
        "event_time_note": "akhir pekan lalu",
        "chronology": CHRONOLOGY,
        "contact_phone": "0812 3456 7890",
    }
    english = _post(browser, "/lapor/informasi/", page, {**typed, "language": "en"})
    html = english.content.decode()

    assert english.status_code == 200 and '<html lang="en">' in html
    assert 'value="Spanduk calon di sekolah"' in html and 'value="akhir pekan lalu"' in html
    assert re.search(r'name="event_date_unknown" id="id_event_date_unknown" checked', html)
    assert "19.39 kepala desa membagikan amplop" in html and 'value="0812 3456 7890"' in html
    assert 'data-testid="form-errors"' not in html
    assert not Case.objects.exists() and not EvidenceFile.objects.exists()


def test_a_switch_not_pressed_leaves_the_form_as_sent(browser):
    # Enter in a field sends the form as its own button does: the page's first button of the form
    # (a hidden one before the switch) carries no language, and the form is checked as usual.
    html = browser.get("/lapor/laporan/").content.decode()
    buttons = re.findall(r'<button [^>]*form="filing-form"[^>]*>', html)
    assert len(buttons) == 2 and 'name="language"' not in buttons[0] and 'name="language"' in buttons[1]


def test_a_language_the_site_does_not_speak_is_a_normal_send(browser):
    page = browser.get("/lapor/laporan/")
    response = _post(browser, "/lapor/laporan/", page, laporan_data(form_key(page), language="fr"))
    assert response.status_code == 302 and Case.objects.count() == 1


def test_elsewhere_the_switch_still_goes_through_the_site_wide_view(browser):
    html = browser.get("/lapor/").content.decode()
    assert 'form="filing-form"' not in _switch_button(html)
    page = browser.get("/lapor/")
    answer = browser.post(
        "/i18n/setlang/", {"language": "en", "next": "/lapor/", "csrfmiddlewaretoken": _csrf(page)}
    )
    assert answer.status_code == 302 and answer["Location"] == "/lapor/"
    assert '<html lang="en">' in browser.get("/lapor/").content.decode()
