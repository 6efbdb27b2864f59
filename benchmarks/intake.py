"""Public intake over HTTP against a bare-Django floor, and the staff case list at 100,000 cases.

    .venv/bin/python benchmarks/intake.py

1. Starts a throwaway PostgreSQL cluster (scripts/run_tests.py's PostgresCluster), migrates, loads
   Kabupaten Malang (35.07) and serves Awas with ``awas serve`` (gunicorn) on a free loopback
   port, with AWAS_BENCHMARK_FLOOR=1 so that /bench/floor/ exists.
2. Floor: 32 client threads POST to /bench/floor/, a bare Django view (same middleware, same
   server, same database) that inserts one row into a table this script creates. For reference
   only, the same view is also sent the very requests of step 3 (it parses the multipart laporan
   with its PNG, then inserts one row): what receiving the request costs before any of our work.
3. Ours: 32 client threads file laporan at /lapor/laporan/ the way a phone does: a multipart POST
   with the CSRF token (one form page per client for the cookie), a fresh one-time key, the
   pelapor, terlapor, one witness and a PNG of a few KB (different bytes each time, so each is
   stored). Counted only when the answer is the 302 to the receipt. Throughput and p50/p99.
4. 100,000 cases are bulk-inserted through the ORM in this process (same database), a pimpinan
   with a confirmed TOTP device gets a verified session, and GET /perkara/ (the staff case list,
   first page) is timed sequentially: p95.

The last line is ``intake_ratio=<ours/floor throughput> intake_p99_ms=<ms> caselist_p95_ms=<ms>``;
the goals are ratio >= 0.5 and caselist_p95_ms <= 150.
"""

from __future__ import annotations

import http.client
import http.cookies
import os
import random
import re
import secrets
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from run_tests import PostgresCluster  # noqa: E402

AWAS = Path(sys.executable).with_name("awas")
CLIENTS = 32
REQUESTS = 2000
WARMUP = 64
CASES = 100_000
LIST_WARMUP = 10
LIST_REQUESTS = 200
STARTUP_TIMEOUT = 120
SEED = 20241127


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def png(seed: int, side: int = 40) -> bytes:
    """A real PNG of side x side random pixels (about 5 KB), different for each seed."""
    rng = random.Random(seed)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = "awasbench" + secrets.token_hex(8)
    out = bytearray()
    for name, value in fields.items():
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, filename, content in files:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def laporan_fields(n: int) -> dict[str, str]:
    today = time.strftime("%Y-%m-%d", time.localtime(time.time() - 86400))
    return {
        "idempotency_key": secrets.token_urlsafe(24),
        "reporter_name": f"Pelapor Uji {n}",
        "birth_place": "Malang",
        "birth_date": "1988-03-14",
        "sex": "L",
        "occupation": "Petani",
        "nationality": "Indonesia",
        "address": f"Jl. Uji {n}, Gondanglegi",
        "phone": "081234567890",
        "email": f"pelapor{n}@example.id",
        "terlapor_name": "Kepala Desa Uji",
        "terlapor_position": "Kepala desa",
        "terlapor_address": "Putat Kidul",
        "title": f"Pembagian uang kepada pemilih {n}",
        "kecamatan": "35.07.10",
        "desa": "35.07.10.2001",
        "event_place": "Balai desa",
        "event_date": today,
        "known_date": today,
        "chronology": "Pada malam hari terlihat amplop dibagikan kepada warga oleh tim sukses. " * 4,
        "witness1_name": "Saksi Uji",
        "witness1_address": "Putat Kidul",
        "witness1_phone": "081298765432",
    }


# --- the server ----------------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def run_awas(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [str(AWAS), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"awas {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def serve(env: dict[str, str], data_dir: Path) -> Server:
    port = free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(AWAS), "serve"],
            cwd=ROOT,
            env={**env, "AWAS_PORT": str(port)},
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"awas serve exited:\n{log.read_text()[-3000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/lapor/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise SystemExit(f"awas serve did not answer:\n{log.read_text()[-3000:]}")


# --- load ----------------------------------------------------------------------------------------


@dataclass
class Result:
    seconds: float
    latencies: list[float]
    failures: int

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


class Client:
    """One keep-alive connection with the CSRF cookie and token of one form page."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.conn.request("GET", "/lapor/laporan/")
        page = self.conn.getresponse()
        html = page.read().decode()
        cookie = http.cookies.SimpleCookie(page.getheader("Set-Cookie") or "")
        self.cookie = f"csrftoken={cookie['csrftoken'].value}"
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token on the form page"
        self.token = found.group(1)

    def post(self, path: str, body: bytes, content_type: str) -> tuple[int, str]:
        headers = {
            "Content-Type": content_type,
            "Cookie": self.cookie,
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""


def hammer(
    port: int, requests: list[Any], send: Callable[[Client, Any], bool], clients: int = CLIENTS
) -> Result:
    """Send ``requests`` from ``clients`` threads, each item once; wall time from first to last."""
    pool = [Client(port) for _ in range(clients)]
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    queue = list(reversed(requests))
    start_line = threading.Barrier(clients + 1)

    def work(client: Client) -> None:
        nonlocal failures
        start_line.wait()
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop()
            began = time.perf_counter()
            ok = send(client, item)
            took = time.perf_counter() - began
            with lock:
                if ok:
                    latencies.append(took)
                else:
                    failures += 1

    threads = [threading.Thread(target=work, args=(c,)) for c in pool]
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    for client in pool:
        client.conn.close()
    return Result(seconds, latencies, failures)


def floor_requests(count: int) -> list[tuple[bytes, str]]:
    return [(f"payload=row-{n}".encode(), "application/x-www-form-urlencoded") for n in range(count)]


def send_floor(client: Client, item: tuple[bytes, str]) -> bool:
    status, _ = client.post("/bench/floor/", *item)
    return status == 200


def send_floor_same_request(client: Client, item: tuple[dict[str, str], bytes]) -> bool:
    fields, image = item
    body, content_type = multipart(
        {"csrfmiddlewaretoken": client.token, **fields}, [("bukti", "foto-bukti.png", image)]
    )
    status, _ = client.post("/bench/floor/", body, content_type)
    return status == 200


def intake_requests(count: int, offset: int) -> list[tuple[dict[str, str], bytes]]:
    return [(laporan_fields(offset + n), png(SEED + offset + n)) for n in range(count)]


def send_intake(client: Client, item: tuple[dict[str, str], bytes]) -> bool:
    fields, image = item
    body, content_type = multipart(
        {"csrfmiddlewaretoken": client.token, **fields}, [("bukti", "foto-bukti.png", image)]
    )
    status, location = client.post("/lapor/laporan/", body, content_type)
    return status == 302 and location.startswith("/lapor/terima/AWS-")


# --- the case list -------------------------------------------------------------------------------


def django_setup(env: dict[str, str]) -> None:
    os.environ.update({k: v for k, v in env.items() if k.startswith("AWAS_")})
    os.environ["DJANGO_SETTINGS_MODULE"] = "awas.settings"
    import django

    django.setup()


def insert_cases(count: int) -> None:
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from awas.cases.models import Case, CaseKind, CaseStatus
    from awas.cases.services.common import tracking_code_new
    from awas.core.roles import Level
    from awas.regions.models import Region

    rng = random.Random(SEED)
    places = list(Region.objects.filter(level__gte=Level.KECAMATAN).values_list("code", flat=True))
    statuses = list(CaseStatus.values)
    kinds = [CaseKind.LAPORAN, CaseKind.LAPORAN, CaseKind.INFORMASI_AWAL, CaseKind.TEMUAN]
    codes: set[str] = set(Case.objects.values_list("tracking_code", flat=True))
    now = timezone.now()
    batch = 5000
    for start in range(0, count, batch):
        rows = []
        for n in range(start, min(count, start + batch)):
            code = tracking_code_new()
            while code in codes:
                code = tracking_code_new()
            codes.add(code)
            received = now - dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
            rows.append(
                Case(
                    kind=rng.choice(kinds),
                    tracking_code=code,
                    status=rng.choice(statuses),
                    region_id=rng.choice(places),
                    title=f"Dugaan pelanggaran nomor {n}",
                    received_at=received,
                    event_date=received.date(),
                    known_date=received.date(),
                    terlapor_name=f"Terlapor {n % 977}",
                    filing_due=received.date() + dt.timedelta(days=7),
                    decision_due=received.date() + dt.timedelta(days=3),
                )
            )
        with transaction.atomic():
            Case.objects.bulk_create(rows)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_case")


def pimpinan_session() -> str:
    """A session cookie of a pimpinan who has passed the second factor (a confirmed TOTP device)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from awas.core.roles import Role
    from awas.core.services.users import user_create
    from awas.regions.models import Region

    user = user_create(
        username="pimpinan.bench",
        password=secrets.token_urlsafe(16) + "Aa1!",
        role=Role.PIMPINAN,
        scope_region=Region.objects.get(code="35.07"),
    )
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]  # the password backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session.create()
    return f"sessionid={session.session_key}"


def time_list(port: int, cookie: str, path: str = "/perkara/") -> tuple[Result, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    latencies: list[float] = []
    status = 0
    for n in range(LIST_WARMUP + LIST_REQUESTS):
        began = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        response.read()
        took = time.perf_counter() - began
        status = response.status
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        if n >= LIST_WARMUP:
            latencies.append(took)
    conn.close()
    return Result(sum(latencies), latencies, 0), status


def report(title: str, result: Result) -> None:
    print(
        f"{title:32s} {result.throughput:8.1f} req/s  p50 {result.percentile(50):6.1f} ms  "
        f"p99 {result.percentile(99):6.1f} ms  failures {result.failures}",
        flush=True,
    )


# --- main ----------------------------------------------------------------------------------------


def main() -> int:
    if not AWAS.exists():
        raise SystemExit(f"{AWAS} is missing: run `make test` (or scripts/bootstrap.py --test) first")
    cluster = PostgresCluster()
    if not cluster.available:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    server: Server | None = None
    with tempfile.TemporaryDirectory(prefix="awas-bench-") as tmp:
        data_dir = Path(tmp)
        try:
            url = cluster.start()
            env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
            env.update(
                AWAS_DATA_DIR=str(data_dir),
                AWAS_DATABASE_URL=url,
                AWAS_SECRET_KEY=secrets.token_urlsafe(50),
                AWAS_BENCHMARK_FLOOR="1",
                AWAS_LOG_LEVEL="ERROR",
                AWAS_WORKERS=os.environ.get("AWAS_WORKERS", "3"),
                AWAS_THREADS=os.environ.get("AWAS_THREADS", "4"),
            )
            print(f"PostgreSQL at {url}; migrating and loading Kabupaten Malang ...", flush=True)
            run_awas(env, "migrate")
            run_awas(env, "regions", "load", "35.07")
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE TABLE IF NOT EXISTS bench_floor (id serial PRIMARY KEY, payload text)")
            server = serve(env, data_dir)
            print(
                f"awas serve on 127.0.0.1:{server.port} "
                f"(gunicorn {env['AWAS_WORKERS']} workers x {env['AWAS_THREADS']} threads)"
            )

            hammer(server.port, floor_requests(WARMUP), send_floor)
            hammer(server.port, intake_requests(WARMUP, offset=10**6), send_intake)

            floor = hammer(server.port, floor_requests(REQUESTS), send_floor)
            report("floor  (bare view, one INSERT)", floor)
            same = hammer(server.port, intake_requests(REQUESTS, offset=10**7), send_floor_same_request)
            report("floor, the laporan's request", same)
            ours = hammer(server.port, intake_requests(REQUESTS, offset=0), send_intake)
            report("intake (laporan + 5 KB PNG)", ours)
            if ours.failures or floor.failures:
                print(f"WARNING: {ours.failures} intake and {floor.failures} floor requests failed")
                print(server.log.read_text()[-2000:])

            if os.environ.get("BENCH_SKIP_LIST"):
                return 0
            django_setup(env)
            from awas.cases.models import Case

            began = time.perf_counter()
            insert_cases(CASES - Case.objects.count())
            took = time.perf_counter() - began
            print(f"{Case.objects.count():,} cases in the database ({took:.0f} s to insert)")
            cookie = pimpinan_session()
            listing, _ = time_list(server.port, cookie)
            print(
                f"GET /perkara/ as pimpinan, {LIST_REQUESTS} requests: p50 {listing.percentile(50):.1f} ms  "
                f"p95 {listing.percentile(95):.1f} ms  mean {statistics.mean(listing.latencies) * 1e3:.1f} ms"
            )
            ratio = ours.throughput / floor.throughput
            same_ratio = ours.throughput / same.throughput
            print(f"for reference: intake / floor receiving the same request = {same_ratio:.2f}")
            print(
                f"intake_ratio={ratio:.2f} intake_p99_ms={ours.percentile(99):.0f} "
                f"caselist_p95_ms={listing.percentile(95):.0f}"
            )
        finally:
            if server is not None:
                server.stop()
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
