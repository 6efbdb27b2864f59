"""Fixtures of the cyber tests: a synthetic labelled CSV, a private model folder, and the test data
folder served over HTTP on a free local port (feeds)."""

from __future__ import annotations

import csv
import functools
import random
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

MONEY = [
    "amplop",
    "serangan fajar",
    "uang transport",
    "sembako",
    "bagi bagi duit",
    "50rb per orang",
    "beras 5kg",
    "voucher pulsa",
    "uang saku",
    "isi 100rb",
    "minyak goreng gratis",
    "sarung baru",
    "dikasih duit",
    "wani piro",
]
ASN = ["asn", "pns", "pak camat", "pak kades", "kepala desa", "perangkat desa", "guru pns", "sekdes", "lurah"]
SUPPORT = ["dukung paslon", "ikut kampanye", "ajak pilih nomor 2", "pose dua jari", "share postingan cabup"]
FILLER = [
    "hari ini",
    "di desa",
    "tadi malam",
    "katanya",
    "lur",
    "wkwk",
    "jalan rusak",
    "hujan deras",
    "pasar ramai",
    "bakso enak",
    "macet parah",
    "rapat rt",
    "kerja bakti",
    "pengajian",
    "sekolah libur",
    "panen jagung",
]


def synthetic_rows(n: int = 240, seed: int = 7) -> list[dict[str, str]]:
    """Posts where 'uang' is about money for votes and 'asn' about officials taking sides."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        money, asn = i % 3 == 0, i % 4 == 1
        words = rng.sample(FILLER, 3)
        if money:
            words += [rng.choice(MONEY), "biar pilih paslon"]
        if asn:
            words += [rng.choice(ASN), rng.choice(SUPPORT)]
        rng.shuffle(words)
        rows.append({"text": " ".join(words), "uang": str(int(money)), "asn": str(int(asn))})
    return rows


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    def write(rows: list[dict[str, Any]] | None = None, name: str = "posts.csv", **kwargs: Any) -> Path:
        rows = synthetic_rows() if rows is None else rows
        path = tmp_path / name
        with path.open("w", newline="", encoding=kwargs.pop("encoding", "utf-8")) as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), **kwargs)
            writer.writeheader()
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    settings.DATA_DIR = folder
    return folder


DATA = Path(__file__).resolve().parent / "data"


class FeedHandler(SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path in ("/to-file", "/to-ftp"):
            self.send_response(302)
            self.send_header(
                "Location", {"/to-file": "file:///etc/passwd", "/to-ftp": "ftp://127.0.0.1/"}[self.path]
            )
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


@pytest.fixture(autouse=True)
def allow_local_feeds(settings: Any) -> None:
    """The test feeds are served on 127.0.0.1, which production refuses (AWAS_FEEDS_ALLOW_PRIVATE)."""
    settings.AWAS_FEEDS_ALLOW_PRIVATE = True


@pytest.fixture(scope="module")
def feed_server() -> Iterator[str]:
    """The data folder over HTTP on a free local port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(FeedHandler, directory=str(DATA)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
