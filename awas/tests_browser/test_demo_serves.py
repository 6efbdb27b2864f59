"""`make demo` serves the login page: run `awas demo` as an operator would and log in as a printed account."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from awas.tests_browser.support import REPO_ROOT, enrol_totp, log_in, screenshot

# `awas demo` runs in its own process, at the real time (its TOTP codes, its dates).
pytestmark = [pytest.mark.browser, pytest.mark.real_clock]

STARTUP_TIMEOUT = 120  # seconds: migrate, 390 desa, 4,042 demo TPS, boundaries, 9 accounts, gunicorn


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_login_page(url: str, process: subprocess.Popen[bytes], log: Path) -> str:
    """The HTML of ``url`` once it answers 200, failing early if the server exits."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"awas demo exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (our own http://127.0.0.1)
                if response.status == 200:
                    return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"{url} did not answer within {STARTUP_TIMEOUT} s:\n{log.read_text()[-4000:]}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the server and its gunicorn workers (they share its process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_awas_demo_serves_the_login_page(tmp_path: Path, new_page: Callable[..., Any]) -> None:
    awas = Path(sys.executable).parent / "awas"
    if not awas.exists():
        pytest.skip(f"{awas} is missing (the package is not installed in this environment)")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    # The demo is SQLite in its own data folder by definition: drop the test run's AWAS_* settings
    # (AWAS_DATABASE_URL on the PostgreSQL run) so nothing leaks in.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        AWAS_DATA_DIR=str(tmp_path / "data"),
        AWAS_PORT=str(port),
        AWAS_WORKERS="2",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "demo.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(awas), "demo"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        html = wait_for_login_page(f"{base_url}/masuk/", process, log)
        assert re.search(r"<form[^>]*method=\"post\"", html)
        assert 'name="username"' in html
        assert 'name="password"' in html
        assert '<html lang="id">' in html

        printed = log.read_text()
        assert f"http://127.0.0.1:{port}/" in printed
        for username in ("admin", "pimpinan", "panwascam.gondanglegi", "pkd.putatkidul", "kader.gondanglegi"):
            assert re.search(rf"^\s+{re.escape(username)}\s", printed, re.MULTILINE), username
        found = re.search(r"password:\s*(\S+)", printed)
        assert found, printed
        password = found.group(1)
        assert (tmp_path / "data" / "awas.sqlite3").exists(), "the demo uses SQLite in its data folder"

        page = new_page(locale="id-ID")
        page.goto(f"{base_url}/masuk/")
        assert page.locator("input[name=username]").is_visible()
        screenshot(page, "demo-login")

        log_in(page, base_url, "panwascam.gondanglegi", password)
        enrol_totp(page, screenshot_name="demo-totp-enrolment")
        page.wait_for_url(f"{base_url}/")
        assert "panwascam.gondanglegi" in page.get_by_test_id("who").inner_text()
        assert page.locator('nav.menu a[href="/wilayah/"]').is_visible()
        screenshot(page, "demo-home")

        # The demo loads the shared boundaries when they sit beside the checkout.
        page.locator('nav.menu a[href="/wilayah/peta/"]').click()
        page.wait_for_selector("#map[data-drawn]", state="attached")
        assert page.locator("#map").get_attribute("data-drawn") == "1"
        boundaries = REPO_ROOT.parent / "shared" / "data" / "boundaries"
        schematic = page.get_by_test_id("schematic-notice").count() == 1
        assert schematic != boundaries.is_dir(), "polygons exactly when the shared boundaries exist"
        screenshot(page, "demo-map-panwascam")
    finally:
        stop(process)
