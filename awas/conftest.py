"""Fixtures shared by every app's tests."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.core.models import User
from awas.core.roles import Role
from awas.core.services.users import user_create
from awas.regions.models import Region, Tps
from awas.regions.services import regions_load

# Headless Chromium fixtures (browser, new_page, page) for every app's browser tests: one
# Playwright per session, so they must be defined once, here.
from awas.tests_browser.support import browser, new_page, page  # noqa: F401

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
KAB_MALANG = "35.07"
GONDANGLEGI = "35.07.10"
PUTAT_KIDUL = "35.07.10.2001"
KEPANJEN = "35.07.13"
TEST_PASSWORD = "uji-Awas-2024!"


def shared_data(relative: str) -> Path:
    """A file of ../shared/data, or skip the test with the reason."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"needs {path} (the shared data folder is absent)")
    return path


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="ISO-DATETIME",
        help=(
            "start every test's clock at this moment, then let it run, e.g. 2026-12-31T17:30:00+00:00 "
            "(00.30 WIB on New Year's Day, still 31 December in UTC): the suite at an hour when "
            "the office's date and the UTC date differ, or at a month's or year's end"
        ),
    )


@pytest.fixture(autouse=True)
def _clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``--clock``, every test runs as if started at that moment (time-machine moves the
    clock of the whole process, live server threads included). Tests that pass only at some
    hours of the day fail here every time, instead of in whichever CI run starts after 17.00 UTC."""
    start = request.config.getoption("--clock")
    if not start or request.node.get_closest_marker("real_clock"):
        yield
        return
    import time_machine
    from django.conf import settings

    # In the office's zone: time-machine also sets the process's local zone to the destination's,
    # and Django runs with TZ set to TIME_ZONE (WIB), as in production.
    moment = dt.datetime.fromisoformat(start).astimezone(ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(autouse=True)
def _quick_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2id hashes, with small parameters: at full cost hashing would dominate the run."""
    for name, value in (("time_cost", 1), ("memory_cost", 1024), ("parallelism", 1)):
        monkeypatch.setattr(Argon2PasswordHasher, name, value)


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A page asked for in English leaves English active in the thread (the locale middleware
    activates it): each test starts in the language the one before it started in."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture(autouse=True)
def _fresh_deadline_cache() -> None:
    """Each test starts without the process's cached rules and holidays (a transactional test
    before it may have filled the cache and then emptied the tables)."""
    from awas.core.services.deadlines import deadline_cache_clear

    deadline_cache_clear()


@pytest.fixture(autouse=True)
def _mail_server_not_failing() -> None:
    """Each test starts as a process whose mail server has not just failed (after a failure the
    process leaves new messages to ``awas mail send`` for a while: ``services.mail``)."""
    from awas.core.services.mail import mail_server_failure_forgotten

    mail_server_failure_forgotten()


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Each test stores evidence in its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence"},
        },
    }


# --- the database between transactional tests ------------------------------------------------------

# On PostgreSQL the audit log refuses TRUNCATE (migration core 0002), and TRUNCATE is how Django
# empties the database after a transactional test such as one using ``live_server``. The guard
# stays on while each test runs and is lifted only for that flush; it is back on at the end.
AUDIT_TRUNCATE_TRIGGER = "awas_audit_no_truncate"


def _audit_truncate_guard(enabled: bool) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE core_auditentry {action} TRIGGER {AUDIT_TRUNCATE_TRIGGER}")


@pytest.fixture(scope="session")
def _audit_truncate_guard_restored(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        _audit_truncate_guard(True)
        connection.close()  # else PostgreSQL refuses to drop the test database: "being accessed"


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _audit_log_flushable(request: pytest.FixtureRequest) -> Iterator[None]:
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")  # set up before, so torn down (flushed) after this
    request.getfixturevalue("_audit_truncate_guard_restored")
    _audit_truncate_guard(True)
    yield
    _audit_truncate_guard(False)


@pytest.fixture
def malang(db: Any) -> Region:
    """Kabupaten Malang with its 33 kecamatan and 390 desa/kelurahan."""
    regions_load(KAB_MALANG)
    return Region.objects.get(code=KAB_MALANG)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    def make(role: str, scope: str, *, username: str | None = None, tps_number: int | None = None) -> User:
        region = Region.objects.get(code=scope)
        tps = None
        if tps_number is not None:
            tps, _ = Tps.objects.get_or_create(desa=region, number=tps_number)
        return user_create(
            username=username or f"{role}-{scope}-{tps_number or ''}".strip("-"),
            password=TEST_PASSWORD,
            role=role,
            scope_region=region,
            scope_tps=tps,
        )

    return make


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client logged in as ``user`` with its second factor already proved."""
    client = client or Client()
    client.force_login(user)
    if user.needs_otp:
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def role_client(make_user: Callable[..., User]) -> Callable[..., Client]:
    """``role_client(Role.PANWASCAM, GONDANGLEGI)``: a verified client for a new user."""

    def make(role: str, scope: str = KAB_MALANG, **kwargs: Any) -> Client:
        return verified_client(make_user(role, scope, **kwargs))

    return make


def database_vendor() -> str:
    return os.environ.get("AWAS_TEST_DB", "sqlite")


__all__ = ["GONDANGLEGI", "KAB_MALANG", "KEPANJEN", "PUTAT_KIDUL", "TEST_PASSWORD", "Role", "shared_data"]
