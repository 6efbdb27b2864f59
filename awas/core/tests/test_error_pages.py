"""The 400, 404 and 500 pages speak the office's language and lead somewhere, not Django's bare
English "Not Found".

This module is also a URL configuration (``urlpatterns`` below): the whole site, its error handlers,
and pages that fail on purpose.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import get_resolver, path
from django.utils import translation

from awas import urls as site_urls
from awas.conftest import GONDANGLEGI, KEPANJEN
from awas.core import errors
from awas.core.access import public
from awas.core.roles import Role


@public
def broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("something broke")


@public
def suspicious_view(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request the server refuses")


urlpatterns = [
    path("uji/rusak/", broken_view),
    path("uji/curiga/", suspicious_view),
    *site_urls.urlpatterns,
]
handler400 = site_urls.handler400
handler404 = site_urls.handler404
handler500 = site_urls.handler500
THIS_URLCONF = __name__

EN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en"}  # what most phones send: the office still speaks Indonesian


def indonesian(message: str) -> str:
    with translation.override("id"):
        return translation.gettext(message)


def english_chosen(client: Client) -> Client:
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_site_names_its_own_error_pages():
    resolver = get_resolver("awas.urls")
    assert resolver.resolve_error_handler(400) is errors.bad_request
    assert resolver.resolve_error_handler(403) is errors.forbidden
    assert resolver.resolve_error_handler(404) is errors.page_not_found
    assert resolver.resolve_error_handler(500) is errors.server_error


# --- 404 ---------------------------------------------------------------------------------------------


def test_an_anonymous_visitor_gets_the_indonesian_page_not_found(db, client):
    response = client.get("/tidak-ada/", **EN_BROWSER)
    html = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="id">' in html
    assert indonesian("Page not found") in html
    assert '<a href="/" data-testid="back-home">Kembali ke beranda</a>' in html
    assert (
        indonesian(
            "The page you asked for does not exist. Check that the address was typed or copied correctly."
        )
        in html
    )
    assert 'data-testid="back-public"' not in html  # not on the reporting pages
    assert "The requested resource was not found on this server" not in html
    assert 'class="topbar"' in html  # the site's layout, with its language switch


def test_signed_in_staff_get_the_page_in_the_layout_and_are_not_told_the_record_is_gone(malang, role_client):
    client = role_client(Role.PANWASCAM, GONDANGLEGI)
    # Kepanjen is outside a Gondanglegi panwascam's scope: 404 on purpose, like a missing record.
    for url in ("/tidak-ada/", f"/ikp/wilayah/{KEPANJEN}/"):
        response = client.get(url, **EN_BROWSER)
        html = response.content.decode()

        assert response.status_code == 404, url
        assert '<html lang="id">' in html
        assert indonesian("Page not found") in html
        assert (
            indonesian("The page or record you asked for does not exist, or it is outside your area of work.")
            in html
        )
        assert "Kembali ke beranda" in html and 'data-testid="back-home"' in html
        assert 'data-testid="who"' in html and 'class="menu"' in html  # signed in, with the menu


def test_on_the_reporting_pages_the_page_leads_back_to_them(db, client):
    # (An unknown tracking code has its own page there, cases/public/track.html.)
    response = client.get("/lapor/laporan/tidak-ada/", **EN_BROWSER)
    html = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="id">' in html
    assert indonesian("Back to the reporting page") in html
    assert 'href="/lapor/" data-testid="back-public"' in html
    assert 'data-testid="back-home"' in html


def test_a_visitor_who_chose_english_reads_english(db):
    response = english_chosen(Client()).get("/lapor/tidak-ada/")
    html = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="en">' in html
    assert "Page not found" in html and "Back to home" in html and "Back to the reporting page" in html
    assert "The page you asked for does not exist." in html


# --- 400 ---------------------------------------------------------------------------------------------


@pytest.mark.urls(THIS_URLCONF)
def test_a_refused_request_gets_the_indonesian_bad_request_page(db, client):
    response = client.get("/uji/curiga/", **EN_BROWSER)
    html = response.content.decode()

    assert response.status_code == 400
    assert '<html lang="id">' in html
    assert indonesian("Bad request") in html and "Kembali ke beranda" in html


def test_an_unknown_host_gets_the_bad_request_page_before_anyone_is_signed_in(db, client):
    # Refused by CommonMiddleware, before the auth middleware has set request.user.
    response = client.get("/", HTTP_HOST="bukan-kantor.example", **EN_BROWSER)

    assert response.status_code == 400
    assert indonesian("Bad request") in response.content.decode()
    assert 'data-testid="who"' not in response.content.decode()


@pytest.mark.urls(THIS_URLCONF)
def test_a_visitor_who_chose_english_gets_the_bad_request_page_in_english(db):
    response = english_chosen(Client()).get("/uji/curiga/")

    assert response.status_code == 400
    assert '<html lang="en">' in response.content.decode()
    assert "Bad request" in response.content.decode()


# --- 500 ---------------------------------------------------------------------------------------------


def _assert_standalone_server_error(response: Any) -> None:
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="id">' in html
    assert html.index("<h1>Terjadi kesalahan pada server</h1>") < html.index(
        "<h2>Server error</h2>"
    )  # Indonesian first
    assert '<a href="/" data-testid="back-home">Kembali ke beranda</a>' in html
    assert 'lang="en"' in html and "Back to home" in html
    assert 'class="topbar"' not in html and "something broke" not in html


@pytest.mark.urls(THIS_URLCONF)
def test_a_crash_gets_the_standalone_bilingual_page(db, client):
    client.raise_request_exception = False
    _assert_standalone_server_error(client.get("/uji/rusak/", **EN_BROWSER))


@pytest.mark.urls(THIS_URLCONF)
def test_the_crash_page_is_the_same_for_a_visitor_who_chose_english(db):
    client = english_chosen(Client(raise_request_exception=False))
    _assert_standalone_server_error(client.get("/uji/rusak/"))


def test_the_crash_page_needs_no_database_and_no_request_context():
    # No ``db`` fixture: any query would fail the test.
    response = errors.server_error(RequestFactory().get("/perkara/"))
    _assert_standalone_server_error(response)
    source = loader.get_template("core/500.html").template.source  # type: ignore[attr-defined]
    assert "{%" not in source and "{{" not in source  # no tags, no variables, no inheritance
