"""A receipt is a promise: every filing that got a tracking code survives the server being killed.

``awas serve`` (gunicorn) runs as a subprocess on its own database: SQLite in its own data folder,
or, on the PostgreSQL run, a fresh database created beside the test database and dropped after.
Threads fire public filings over HTTP (the form page first, for the CSRF token and the one-time
key), and the whole server process group is killed with SIGKILL in the middle of the burst. Then
the database is read directly: each code a client was given must be there, whole.
"""

from __future__ import annotations

import http.client
import http.cookies
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from awas.cases.tests.test_intake import png_bytes
from awas.conftest import database_vendor

AWAS = Path(sys.executable).with_name("awas")
REPO = Path(__file__).resolve().parents[3]
STARTUP_TIMEOUT = 120  # seconds
BURST_CLIENTS = 8
KILL_AFTER = 30  # codes received before the kill
BURST_TIMEOUT = 60  # seconds: the whole burst, whatever happens


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- a database of its own -----------------------------------------------------------------------


@dataclass
class Database:
    env: dict[str, str]
    sqlite_path: Path | None = None
    pg_url: str | None = None

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as conn:
                return list(conn.execute(sql).fetchall())
        import psycopg

        assert self.pg_url is not None
        with psycopg.connect(self.pg_url) as conn:
            return list(conn.execute(sql).fetchall())


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(AWAS_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    if database_vendor() != "postgresql":
        yield Database(env=env, sqlite_path=tmp_path / "data" / "awas.sqlite3")
        return
    import psycopg

    base = os.environ["AWAS_DATABASE_URL"]
    name = f"awas_durability_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(base)
    url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    env["AWAS_DATABASE_URL"] = url
    try:
        yield Database(env=env, pg_url=url)
    finally:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def awas(database: Database, *args: str, timeout: int = 180) -> None:
    result = subprocess.run(
        [str(AWAS), *args],
        env=database.env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"awas {' '.join(args)}:\n{result.stdout}\n{result.stderr}"


# --- a client that files one report --------------------------------------------------------------


class Refused(Exception):
    pass


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "awas" + secrets.token_hex(12)
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, content in files:
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def file_one(port: int, n: int, kecamatan: str = "35.07.10") -> str:
    """GET the form, POST a filing; return the tracking code of the receipt it redirects to."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        conn.request("GET", "/lapor/informasi/")
        page = conn.getresponse()
        html = page.read().decode()
        if page.status != 200:
            raise Refused(f"form page {page.status}")
        cookie = http.cookies.SimpleCookie(page.getheader("Set-Cookie") or "")
        csrf_cookie = cookie["csrftoken"].value
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', html)
        assert token and key
        body, content_type = multipart(
            {
                "csrfmiddlewaretoken": token.group(1),
                "idempotency_key": key.group(1),
                "title": f"Uji ketahanan {n}",
                "kecamatan": kecamatan,
                "event_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400)),
            },
            [("bukti", f"foto-{n}.png", png_bytes(n % 251, size=4))],
        )
        conn.request(
            "POST",
            "/lapor/informasi/",
            body=body,
            headers={
                "Content-Type": content_type,
                "Cookie": f"csrftoken={csrf_cookie}",
                "Referer": f"http://127.0.0.1:{port}/lapor/informasi/",
            },
        )
        answer = conn.getresponse()
        answer.read()
        location = answer.getheader("Location") or ""
        found = re.fullmatch(r"/lapor/terima/(AWS-[A-Z0-9]{4}-[A-Z0-9]{4})/", location)
        if answer.status != 302 or not found:
            raise Refused(f"POST answered {answer.status} {location}")
        return found.group(1)
    finally:
        conn.close()


@dataclass
class Burst:
    codes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    broken: int = 0  # connections cut by the kill
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    enough: threading.Event = field(default_factory=threading.Event)


def client_loop(port: int, burst: Burst, worker: int) -> None:
    n = worker * 10_000
    while not burst.stop.is_set():
        n += 1
        try:
            code = file_one(port, n)
        except Refused as refused:
            with burst.lock:
                burst.refused.append(str(refused))
            continue
        except (OSError, http.client.HTTPException):
            with burst.lock:
                burst.broken += 1
            if burst.enough.is_set():
                return  # the server is gone
            time.sleep(0.05)
            continue
        with burst.lock:
            burst.codes.append(code)
            if len(burst.codes) >= KILL_AFTER:
                burst.enough.set()


def wait_until_serving(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"awas serve exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/lapor/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"awas serve did not answer within {STARTUP_TIMEOUT} s:\n{log.read_text()[-4000:]}")


def serve_started(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    """``awas serve`` in a process group of its own (a kill takes gunicorn and its workers), once
    it answers; its output goes to ``log``."""
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(AWAS), "serve"],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_serving(port, server, log)
    except BaseException:
        os.killpg(server.pid, signal.SIGKILL)
        raise
    return server


@pytest.mark.real_clock  # the server under test runs in its own process, at the real time
@pytest.mark.timeout(600)
def test_every_receipt_survives_a_killed_server(database: Database, tmp_path: Path) -> None:
    if not AWAS.exists():
        pytest.skip(f"{AWAS} is missing (the package is not installed in this environment)")
    awas(database, "migrate")
    awas(database, "regions", "load", "35.07")
    port = free_port()
    env = {**database.env, "AWAS_PORT": str(port), "AWAS_WORKERS": "3", "AWAS_THREADS": "4"}
    server = serve_started(env, port, tmp_path / "serve.log")
    try:
        burst = Burst()
        threads = [
            threading.Thread(target=client_loop, args=(port, burst, w), daemon=True)
            for w in range(BURST_CLIENTS)
        ]
        for thread in threads:
            thread.start()
        assert burst.enough.wait(BURST_TIMEOUT), f"too few filings went through: {burst.refused[:5]}"
        os.killpg(server.pid, signal.SIGKILL)  # mid-burst: the other clients have requests in flight
        server.wait(timeout=20)
        time.sleep(0.5)
        burst.stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)

    assert not burst.refused, burst.refused[:5]
    assert len(burst.codes) >= KILL_AFTER
    stored = {
        code: (history, evidence)
        for code, history, evidence in database.rows(
            "SELECT c.tracking_code,"
            " (SELECT COUNT(*) FROM cases_statuschange s WHERE s.case_id = c.id),"
            " (SELECT COUNT(*) FROM cases_caseevidence e WHERE e.case_id = c.id)"
            " FROM cases_case c"
        )
    }
    missing = [code for code in burst.codes if code not in stored]
    assert not missing, f"{len(missing)} of {len(burst.codes)} receipted filings were lost: {missing[:5]}"
    # Nothing half-written either: every stored case has its first status and its evidence.
    assert all(history == 1 and evidence == 1 for history, evidence in stored.values()), stored
    assert len(set(burst.codes)) == len(burst.codes)
    # The audit chain is unbroken after the kill.
    awas(database, "audit", "verify")
