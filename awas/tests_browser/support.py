"""Browser test support: headless Debian Chromium (/usr/bin/chromium) driven by Playwright's sync API.

The fixtures below are registered for every app in awas/conftest.py (one Playwright per session).

Playwright never downloads a browser here; without /usr/bin/chromium the tests are skipped.
Each test gets a fresh browser context; screenshots of key steps go to test-artifacts/.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread, which makes Django refuse
# ORM calls from that thread ("You cannot call this from an async context"). The test code is
# plainly synchronous, so lift the guard.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# --- the browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.skip(f"needs {CHROMIUM} (Debian's chromium package); Playwright must not download one")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """``new_page(locale="id-ID")``: a page in a fresh context (own cookies), closed after the test."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh context whose browser prefers Indonesian, as an office browser in Malang."""
    return new_page(locale="id-ID")


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def totp_code(secret: str | bytes) -> str:
    """The current 6-digit code for a base32 key (as shown on the enrolment page) or a raw key."""
    from django_otp.oath import TOTP

    key = secret if isinstance(secret, bytes) else base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def submit(page: Any) -> None:
    """Press the submit button of the form in the page body (not the header's language/logout forms)."""
    page.locator("main form button[type=submit]").click()


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Fill and send the login form at /masuk/."""
    page.goto(f"{base_url}/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    submit(page)
    page.wait_for_load_state()


def enrol_totp(page: Any, *, screenshot_name: str | None = None) -> str:
    """On /akun/2fa/daftar/, read the key as a person types it into an app, confirm the first code.

    Returns the base32 key.
    """
    page.wait_for_url(re.compile(r"/akun/2fa/daftar/"))
    secret = page.get_by_test_id("otp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    if screenshot_name:
        screenshot(page, screenshot_name)
    page.fill("input[name=token]", totp_code(secret))
    submit(page)
    page.wait_for_load_state()
    return secret


def verify_totp(page: Any, key: bytes) -> None:
    """On /akun/2fa/, enter the current code of an already enrolled device."""
    page.wait_for_url(re.compile(r"/akun/2fa/(\?|$)"))
    page.fill("input[name=token]", totp_code(key))
    submit(page)
    page.wait_for_load_state()


def sign_in_enrolled(page: Any, base_url: str, user: Any, password: str) -> None:
    """Log in a user who already has a confirmed authenticator (created here) and pass /akun/2fa/."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    log_in(page, base_url, user.username, password)
    verify_totp(page, device.bin_key)
    page.wait_for_url(f"{base_url}/")
