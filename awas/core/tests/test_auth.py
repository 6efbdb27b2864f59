"""Logging in and out, the interface language, passwords, lock-out and two-step login."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.conftest import KAB_MALANG, TEST_PASSWORD, verified_client
from awas.core.models import AuditEntry, User
from awas.core.roles import Role

NEW_PASSWORD = "Baru-Awas-2025!"


def indonesian(msgid: str) -> str:
    """The Indonesian translation of ``msgid`` in the project's compiled catalogue."""
    with translation.override("id"):
        text = translation.gettext(msgid)
    assert text != msgid, f"'{msgid}' has no Indonesian translation (awas/locale/id/LC_MESSAGES)"
    return text


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


def log_in(client: Client, username: str, password: str = TEST_PASSWORD, **extra):
    return client.post("/masuk/", {"username": username, "password": password}, **extra)


@pytest.fixture
def kader(malang, make_user) -> User:
    """A user without a second factor, so logging in ends on the home page."""
    return make_user(Role.KADER, KAB_MALANG, username="kader1")


@pytest.fixture
def staff(malang, make_user) -> User:
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf1")


# --- language ------------------------------------------------------------------------------------


def test_login_page_is_indonesian_by_default(client):
    response = client.get("/masuk/")

    assert response.status_code == 200
    assert html_lang(response) == "id"
    page = response.content.decode()
    assert indonesian("Log in to Awas") in page
    assert "Log in to Awas" not in page


def test_english_can_be_chosen_and_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/masuk/"})
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"

    response = client.get("/masuk/")
    assert html_lang(response) == "en"
    assert "Log in to Awas" in response.content.decode()

    client.post("/i18n/setlang/", {"language": "id", "next": "/masuk/"})
    assert html_lang(client.get("/masuk/")) == "id"


# --- logging in and out --------------------------------------------------------------------------


def test_log_in_and_out(kader, client):
    response = log_in(client, "kader1")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200

    response = client.post("/keluar/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/"
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    assert AuditEntry.objects.filter(action="auth.logout", actor=kader).count() == 1


def test_wrong_password_is_refused(kader, client):
    response = log_in(client, "kader1", "bukan-sandinya")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert client.get("/").status_code == 302


def test_login_returns_to_the_page_asked_for(kader, client):
    response = client.post(
        "/masuk/", {"username": "kader1", "password": TEST_PASSWORD, "next": "/akun/kata-sandi/"}
    )
    assert response["Location"] == "/akun/kata-sandi/"


def test_login_does_not_send_the_user_to_another_site(kader, client):
    response = client.post(
        "/masuk/", {"username": "kader1", "password": TEST_PASSWORD, "next": "https://phishing.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


# --- passwords -----------------------------------------------------------------------------------


def test_passwords_are_stored_with_argon2(kader):
    assert kader.password.startswith("argon2$argon2id$")
    assert TEST_PASSWORD not in kader.password


def test_an_older_password_hash_is_upgraded_to_argon2_at_login(kader, client):
    User.objects.filter(pk=kader.pk).update(
        # e.g. an account imported from another system (few iterations: the cost is not the point here)
        password=PBKDF2PasswordHasher().encode(TEST_PASSWORD, "garam-acak-123", iterations=1000)
    )

    assert log_in(client, "kader1").status_code == 302
    kader.refresh_from_db()
    assert kader.password.startswith("argon2$")


def test_password_change(staff):
    client = verified_client(staff)
    form = {"old_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    response = client.post("/akun/kata-sandi/", {**form, "old_password": "bukan-sandi-lama"})
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    response = client.post("/akun/kata-sandi/", {**form, "new_password1": "awas", "new_password2": "awas"})
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]  # too short
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)

    response = client.post("/akun/kata-sandi/", form)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200, "changing the password must not end this session"
    staff.refresh_from_db()
    assert staff.password.startswith("argon2$")
    assert staff.check_password(NEW_PASSWORD)
    assert log_in(Client(), "staf1", TEST_PASSWORD).status_code == 200  # the old one is refused
    assert log_in(Client(), "staf1", NEW_PASSWORD).status_code == 302

    [entry] = AuditEntry.objects.filter(action="user.password_changed")
    assert entry.actor == staff
    assert entry.object_id == str(staff.pk)
    assert NEW_PASSWORD not in str([entry.before, entry.after])


# --- lock-out ------------------------------------------------------------------------------------


def test_fewer_failures_than_the_limit_do_not_lock(kader, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "kader1", "salah-ketik").status_code == 200
    assert log_in(client, "kader1").status_code == 302


def test_repeated_failures_lock_the_account(kader, make_user, client, settings):
    make_user(Role.KADER, KAB_MALANG, username="kader2")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "kader1", "salah-ketik")

    assert response.status_code == 429

    response = log_in(client, "kader1")  # the right password, too late
    assert response.status_code == 429
    assert "core/locked_out.html" in [t.name for t in response.templates]
    assert indonesian("Account temporarily locked") in response.content.decode()
    assert client.get("/").status_code == 302, "a locked-out user must not be signed in"

    # The lock is per account: a colleague behind the same address can still log in.
    assert log_in(Client(), "kader2").status_code == 302
    # And per address: whoever typed the wrong passwords cannot keep the owner out elsewhere.
    assert log_in(Client(REMOTE_ADDR="10.20.30.40"), "kader1").status_code == 302
    assert log_in(Client(), "kader1").status_code == 429, "the failing address stays locked"


def test_a_guesser_cannot_dodge_the_lock_out_with_fresh_ipv6_addresses(kader, settings):
    """A phone has a whole /64: five wrong passwords from five of its addresses lock it out."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(Client(REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}"), "kader1", "tebakan")
    assert log_in(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1"), "kader1").status_code == 429
    assert log_in(Client(REMOTE_ADDR="2001:db8:1:3::1"), "kader1").status_code == 302  # another network


# --- two-step login ------------------------------------------------------------------------------


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed in from the enrolment page."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def another_code(code: str) -> str:
    return f"{(int(code) + 500_000) % 1_000_000:06d}"


def shown_secret(response) -> str:
    match = re.search(r'data-testid="otp-secret">([A-Z2-7]+)<', response.content.decode())
    assert match, "the enrolment page shows no key"
    return match.group(1)


def test_staff_enrol_an_authenticator_app_at_first_login(staff, client):
    response = client.post("/masuk/", {"username": "staf1", "password": TEST_PASSWORD}, follow=True)

    assert response.redirect_chain[-1][0] == "/akun/2fa/daftar/?next=%2F"
    assert response.status_code == 200
    assert "<svg" in response.content.decode()  # the QR code
    secret = shown_secret(response)

    response = client.post("/akun/2fa/daftar/", {"token": code_for(secret), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert AuditEntry.objects.filter(action="user.otp_enrolled", actor=staff).count() == 1

    # From now on every login asks for a code from that app.
    client.post("/keluar/")
    response = client.post("/masuk/", {"username": "staf1", "password": TEST_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/akun/2fa/?next=%2F"
    response = client.post("/akun/2fa/", {"token": code_for(secret, steps_ahead=1), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_enrolment_code_keeps_the_user_on_the_page(staff, client):
    log_in(client, "staf1")
    secret = shown_secret(client.get("/akun/2fa/daftar/?next=/"))

    response = client.post("/akun/2fa/daftar/", {"token": another_code(code_for(secret)), "next": "/"})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert 'class="errorlist"' in response.content.decode()
    assert shown_secret(response) == secret, "the key already typed into the app must stay valid"
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get("/")["Location"].startswith("/akun/2fa/daftar/")


def test_a_wrong_login_code_keeps_the_user_out(staff, client):
    device = TOTPDevice.objects.create(user=staff, name="ponsel", confirmed=True)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    log_in(client, "staf1")

    response = client.post("/akun/2fa/", {"token": another_code(code_for(secret)), "next": "/"})

    assert response.status_code == 200
    assert response.context["form"].errors["token"]
    assert client.get("/")["Location"].startswith("/akun/2fa/?next=")


def test_pages_of_a_signed_in_user_are_not_kept_by_the_browser(make_user, malang):
    """An office PC is shared: after logging out, the back button or the cache must not show a
    page with personal data again."""
    client = verified_client(make_user(Role.STAF_PP, KAB_MALANG))
    for url in (reverse("cases:list"), reverse("cases:export"), reverse("cases:reminders")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    # The public dashboard's page, seen signed in, carries the user's name and menu.
    assert "no-store" in client.get("/publik/")["Cache-Control"]
