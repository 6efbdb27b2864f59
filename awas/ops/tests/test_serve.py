"""``awas serve`` as a phone on a weak connection meets it: the static files come compressed and cached.

The server runs as a subprocess on a SQLite data folder of its own (static files do not depend on the
database, so the PostgreSQL run skips it).
"""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
from pathlib import Path

import pytest

from awas.cases.tests.test_durability import AWAS, REPO, free_port, serve_started
from awas.conftest import database_vendor

KIRIM_JS = REPO / "awas" / "cases" / "static" / "cases" / "kirim.js"


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()


@pytest.mark.timeout(300)
def test_the_reporting_page_script_comes_compressed_and_cached_for_good(tmp_path: Path) -> None:
    if database_vendor() != "sqlite":
        pytest.skip("static files do not depend on the database: checked on the SQLite run")
    if not AWAS.exists():
        pytest.skip(f"{AWAS} is missing (the package is not installed in this environment)")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(AWAS_DATA_DIR=str(tmp_path / "data"), AWAS_PORT=str(port), AWAS_WORKERS="1")
    server = serve_started(env, port, tmp_path / "serve.log")
    try:
        status, _, page = get(port, "/lapor/laporan/")
        assert status == 200
        found = re.search(rb'src="(/static/cases/kirim\.[0-9a-f]{12}\.js)"', page)
        assert found, "the page names the script by its content hash, so a new version is fetched anew"

        status, headers, body = get(port, found.group(1).decode(), **{"Accept-Encoding": "gzip"})

        assert status == 200
        assert headers.get("content-encoding") == "gzip"
        assert gzip.decompress(body) == KIRIM_JS.read_bytes()
        assert len(body) < KIRIM_JS.stat().st_size / 2
        assert "max-age=315360000" in headers["cache-control"] and "immutable" in headers["cache-control"]
        # A page a browser cached before an upgrade may still ask for the plain name.
        status, headers, _ = get(port, "/static/cases/kirim.js")
        assert status == 200 and "immutable" not in headers["cache-control"]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
