"""Pages a phone on a slow link fetches come gzipped, where compressing cannot leak them (BREACH).

The public's forms and the staff's forms are mostly their lists of desa: 30-40 KB of HTML, 6-9 KB
gzipped. A page asked with a query string carries it back (the language switch's ``next``), and
the case list shows its search and the reports the public wrote: those go uncompressed, as do the
PDFs (compressed already). See awas/core/compression.py.
"""

from __future__ import annotations

import gzip
import re
from typing import Any

from django.test import Client

from awas.cases.models import Case
from awas.cases.tests.staff_helpers import record_laporan
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import KAB_MALANG, PUTAT_KIDUL
from awas.core.roles import Role

GZIP: dict[str, Any] = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
# Drawn anew for each response: the CSRF token (masked each time) and the form's one-time key.
PER_RESPONSE = re.compile(r'(name="(?:csrfmiddlewaretoken|idempotency_key)" value=")[^"]+"')


def _same_page(html: str) -> str:
    return PER_RESPONSE.sub(r'\1…"', html)


def _assert_gzipped_as_the_page(client: Client, url: str) -> bytes:
    plain = client.get(url)
    zipped = client.get(url, **GZIP)
    assert plain.status_code == zipped.status_code == 200, url
    assert "Content-Encoding" not in plain, url  # a browser that asks for none gets none
    assert zipped["Content-Encoding"] == "gzip", url
    assert "Accept-Encoding" in zipped["Vary"], url  # no cache hands the gzipped copy to the other
    page = gzip.decompress(zipped.content)
    assert _same_page(page.decode()) == _same_page(plain.content.decode()), url
    assert len(zipped.content) * 2 < len(page), (url, len(zipped.content), len(page))
    return page


def _assert_not_compressed(response: Any, what: str) -> None:
    assert response.status_code == 200, what
    assert "Content-Encoding" not in response, what


def test_the_public_forms_come_gzipped_and_read_the_same(malang, client):
    for url in ("/lapor/", "/lapor/laporan/", "/lapor/informasi/", "/lapor/lacak/"):
        page = _assert_gzipped_as_the_page(client, url)
        assert b"<!doctype html>" in page


def test_a_form_sent_back_for_a_correction_comes_gzipped_the_filing_s_redirect_as_before(malang, client):
    key = form_key(client.get("/lapor/laporan/"))
    refused = client.post("/lapor/laporan/", laporan_data(key, reporter_name=""), **GZIP)
    assert refused.status_code == 200 and refused["Content-Encoding"] == "gzip"
    page = gzip.decompress(refused.content).decode()
    assert 'value="Pembagian amplop di balai desa"' in page  # what was typed, back to correct

    filed = client.post("/lapor/laporan/", laporan_data(key), **GZIP)
    case = Case.objects.get()
    assert filed.status_code == 302 and filed["Location"] == f"/lapor/terima/{case.tracking_code}/"
    assert "Content-Encoding" not in filed


def test_a_page_asked_with_a_query_string_is_not_compressed(malang, client, role_client):
    """The query string comes back in the page (the language switch's 'next'): text someone else
    chose, beside what the page holds, in one compressed response is what BREACH reads."""
    public = client.get("/lapor/laporan/?sumber=poster", **GZIP)
    _assert_not_compressed(public, "public form with a query string")
    assert "sumber=poster" in public.content.decode()

    staf = role_client(Role.STAF_PP, KAB_MALANG)
    for url in ("/perkara/laporan-baru/", "/perkara/temuan-baru/"):
        page = _assert_gzipped_as_the_page(staf, url)
        assert b'name="region"' in page and b"Putat Kidul" in page, url  # its desa list
        _assert_not_compressed(staf.get(url + "?tebak=rahasia", **GZIP), url + " with a query string")


def test_the_case_list_is_never_compressed(malang, role_client, make_user):
    """Its search comes back in the page beside the names of terlapor and the titles the public
    wrote; without a search, still the titles anyone can file beside the rest."""
    staf_user = make_user(Role.STAF_PP, KAB_MALANG, username="staf.list")
    record_laporan(staf_user, PUTAT_KIDUL, title="Amplop di balai desa")
    staf = role_client(Role.STAF_PP, KAB_MALANG)
    searched = staf.get("/perkara/?q=amplop", **GZIP)
    _assert_not_compressed(searched, "case list searched")
    assert 'value="amplop"' in searched.content.decode()
    _assert_not_compressed(staf.get("/perkara/", **GZIP), "case list")


def test_the_filer_s_receipt_is_gzipped_only_without_a_query_string_and_its_pdf_never(malang, client):
    """The receipt shown to the browser that filed names what was reported."""
    key = form_key(client.get("/lapor/laporan/"))
    receipt_url = client.post("/lapor/laporan/", laporan_data(key))["Location"]

    page = _assert_gzipped_as_the_page(client, receipt_url)
    assert b"Pembagian amplop di balai desa" in page  # the filer's own copy
    asked = client.get(receipt_url + "?x=Pembagian", **GZIP)
    _assert_not_compressed(asked, "receipt with a query string")
    assert "Pembagian amplop di balai desa" in asked.content.decode()

    pdf = client.get(receipt_url + "tanda-terima.pdf", **GZIP)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert "Content-Encoding" not in pdf
