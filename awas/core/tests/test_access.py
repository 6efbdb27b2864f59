"""Deny by default: every page says who may open it, and the site behaves exactly as declared.

This module is also a URL configuration (``urlpatterns`` below): the whole site plus one page whose
view forgot its access declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas import urls as site_urls
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.checks import iter_patterns
from awas.core.roles import FIELD_ROLES, OFFICE_ROLES, OTP_ROLES, Role


def forgotten_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("data rahasia")


urlpatterns = [path("lupa-deklarasi/", forgotten_view, name="forgotten"), *site_urls.urlpatterns]
THIS_URLCONF = __name__


# --- the access table ----------------------------------------------------------------------------

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *Role)


@dataclass(frozen=True)
class Redirect:
    """A 302 to the path ``to`` (any query string), or, when ``to`` has a query, to a URL starting so."""

    to: str


TO_LOGIN = Redirect("/masuk/?next=")


def each(outcome: Any) -> dict[str, Any]:
    """The same outcome for every role (not for the anonymous visitor)."""
    return dict.fromkeys(Role, outcome)


def granted(roles: frozenset[str] | set[str], outcome: Any = 200, *, others: Any = 403) -> dict[str, Any]:
    return {role: outcome if role in roles else others for role in Role}


STAFF = OFFICE_ROLES | FIELD_ROLES

# Every page of the site, with what each role (signed in, second factor proved) gets from a GET.
# A page missing here fails the test: decide who may open it, then add it.
EXPECTED: dict[str, dict[str, Any]] = {
    "core:home": {ANONYMOUS: TO_LOGIN, **each(200)},
    "core:login": {ANONYMOUS: 200, **each(Redirect("/"))},
    "core:logout": {ANONYMOUS: TO_LOGIN, **each(405)},  # POST only
    "core:password_change": {ANONYMOUS: TO_LOGIN, **each(200)},
    # Enrolled users are sent on to the code page; cadres need no second factor and have no device.
    "core:otp_setup": {ANONYMOUS: TO_LOGIN, **granted(OTP_ROLES, Redirect("/akun/2fa/"), others=200)},
    "core:otp_verify": {ANONYMOUS: TO_LOGIN, **each(200)},
    "core:audit_log": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN, Role.PIMPINAN})},
    "regions:list": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "regions:map": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "regions:kecamatan_geojson": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "set_language": {ANONYMOUS: Redirect("/"), **each(Redirect("/"))},
    "admin:index": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN})},
}

# Keyword arguments for patterns that take parameters (none yet outside the admin site).
SAMPLE_KWARGS: dict[str, dict[str, Any]] = {}

SCOPES: dict[str, dict[str, Any]] = {
    Role.ADMIN: {"scope": KAB_MALANG},
    Role.PIMPINAN: {"scope": KAB_MALANG},
    Role.STAF_PP: {"scope": KAB_MALANG},
    Role.STAF_PENCEGAHAN: {"scope": KAB_MALANG},
    Role.TIM_SIBER: {"scope": KAB_MALANG},
    Role.PANWASCAM: {"scope": GONDANGLEGI},
    Role.PKD: {"scope": PUTAT_KIDUL},
    Role.PTPS: {"scope": PUTAT_KIDUL, "tps_number": 1},
    Role.KADER: {"scope": KAB_MALANG},
}


def site_pages() -> dict[str, str]:
    """Every page of the site as {name: concrete URL}; the admin site is represented by its index."""
    pages: dict[str, str] = {}
    for route, namespace, pattern in iter_patterns():
        if namespace == "admin" or namespace.startswith("admin:"):
            continue  # the whole admin site shares one declaration; /admin/ stands for it
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or route
        if pattern.pattern.regex.groups and name not in SAMPLE_KWARGS:
            pytest.fail(f"the page '{route}' takes parameters: add sample values to SAMPLE_KWARGS")
        pages[name] = reverse(name, kwargs=SAMPLE_KWARGS.get(name)) if pattern.name else "/" + route
    pages["admin:index"] = reverse("admin:index")
    return pages


def outcome_of(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 302:
        return response["Location"]
    return response.status_code


def matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Redirect):
        if not isinstance(actual, str):
            return False
        if "?" in expected.to:
            return actual.startswith(expected.to)
        return actual.split("?")[0] == expected.to
    return bool(expected == actual)


def test_every_page_is_in_the_access_table(db):
    pages = set(site_pages())
    missing = sorted(pages - set(EXPECTED))
    stale = sorted(set(EXPECTED) - pages)
    assert not missing, f"add the new page(s) to the access table EXPECTED: {missing}"
    assert not stale, f"remove the page(s) that no longer exist from EXPECTED: {stale}"
    for name, outcomes in EXPECTED.items():
        assert set(outcomes) == set(EVERYONE), f"{name}: give an outcome for every role and anonymous"


def test_every_page_answers_every_role_as_declared(malang, make_user):
    clients: dict[str, Client] = {ANONYMOUS: Client()}
    for role, scope in SCOPES.items():
        clients[role] = verified_client(make_user(role, scope["scope"], tps_number=scope.get("tps_number")))
    assert set(clients) == set(EVERYONE), "give every role a scope in SCOPES"

    wrong = []
    for name, url in site_pages().items():
        if name not in EXPECTED:
            wrong.append(f"{url} ({name}) is not in the access table EXPECTED")
        for who, expected in EXPECTED.get(name, {}).items():
            actual = outcome_of(clients[who], url)
            if not matches(expected, actual):
                wrong.append(f"{url} ({name}) as {who}: expected {expected}, got {actual}")
    assert not wrong, "\n".join(wrong)


# --- undeclared pages ----------------------------------------------------------------------------


@pytest.fixture
def with_forgotten_page(settings: Any) -> None:
    settings.ROOT_URLCONF = THIS_URLCONF


def test_a_page_without_declaration_is_refused_to_everyone(with_forgotten_page, malang, role_client):
    for client in (Client(), role_client(Role.ADMIN, KAB_MALANG), role_client(Role.KADER, KAB_MALANG)):
        response = client.get("/lupa-deklarasi/")
        assert response.status_code == 403
        assert b"data rahasia" not in response.content


def test_the_system_check_names_a_page_without_declaration(with_forgotten_page):
    errors = [e for e in checks.run_checks() if e.id == "awas.E001"]
    assert len(errors) == 1
    assert "lupa-deklarasi/" in errors[0].msg
    assert "forgotten_view" in errors[0].msg


def test_the_real_site_passes_the_system_check():
    assert [e for e in checks.run_checks() if e.id == "awas.E001"] == []


# --- second factor -------------------------------------------------------------------------------


def _signed_in_without_second_factor(make_user: Any, role: str) -> Client:
    scope = SCOPES[role]
    client = Client()
    client.force_login(make_user(role, scope["scope"], tps_number=scope.get("tps_number")))
    return client


@pytest.mark.parametrize("role", sorted(OTP_ROLES))
def test_staff_without_second_factor_are_sent_to_enrol(malang, make_user, role):
    client = _signed_in_without_second_factor(make_user, role)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/daftar/?next=%2F"
    # Account pages stay open so the user can enrol, change the password or log out.
    assert client.get("/akun/kata-sandi/").status_code == 200


def test_staff_with_a_device_are_asked_for_a_code(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.PIMPINAN)
    user = client.get("/akun/kata-sandi/").wsgi_request.user
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)

    for url in ("/audit/", "/wilayah/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/2fa/?next=")


def test_admin_site_needs_the_second_factor(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.ADMIN)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/daftar/?next=%2Fadmin%2F"


def test_kader_needs_no_second_factor(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.KADER)
    assert client.get("/").status_code == 200


def test_a_deactivated_account_is_shut_out_at_once(malang, make_user):
    user = make_user(Role.PIMPINAN, KAB_MALANG)
    client = verified_client(user)
    assert client.get("/audit/").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
