"""`make test`: build the venv, run the quality gates, then the whole suite on SQLite and on PostgreSQL.

PostgreSQL runs as a throwaway cluster in a temporary folder on a free local port, started as an
unprivileged user (PostgreSQL refuses to run as root) and removed afterwards. When run as root on
Debian, missing system packages (postgresql, chromium, tesseract) are installed with apt; otherwise
what is missing is named and only the tests that need it are skipped.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bootstrap import RUNTIME_PACKAGES, ensure_system_packages, ensure_venv  # noqa: E402

# What the tests need beyond what Awas itself needs (scripts/bootstrap.py RUNTIME_PACKAGES).
TEST_PACKAGES = {
    # package: a file that shows it is installed
    "postgresql": "/usr/lib/postgresql/*/bin/initdb",
    "chromium": "/usr/bin/chromium",
    "tesseract-ocr": "/usr/bin/tesseract",
    "tesseract-ocr-ind": "/usr/share/tesseract-ocr/*/tessdata/ind.traineddata",
}


def step(title: str) -> None:
    print(f"\n=== {title}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """A PostgreSQL server of our own in a temporary folder, removed on exit."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.bin = Path(found[-1]).parent if found else None
        self.dir = Path(tempfile.mkdtemp(prefix="awas-pg-"))
        self.port = free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            for candidate in ("postgres", "nobody"):
                try:
                    pwd.getpwnam(candidate)
                    self.user = candidate
                    break
                except KeyError:
                    continue

    @property
    def available(self) -> bool:
        return self.bin is not None

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd="/")

    def start(self) -> str:
        assert self.bin is not None
        if self.user:
            shutil.chown(self.dir, self.user)
        data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"), "-D", str(data), "-U", "awas", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "start",
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        )  # fmt: skip
        return f"postgres://awas@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if self.bin is not None and (self.dir / "data" / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self._run(str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def main() -> int:
    os.chdir(ROOT)
    python = ensure_venv(test=True)
    bin_dir = python.parent
    ensure_system_packages(
        {**RUNTIME_PACKAGES, **TEST_PACKAGES}, purpose="the tests that need them will be skipped"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "awas.settings", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("AWAS_DATABASE_URL", None)
    failures: list[str] = []

    def run(title: str, cmd: list[str], extra_env: dict[str, str] | None = None) -> None:
        step(title)
        started = time.monotonic()
        result = subprocess.run(cmd, env={**env, **(extra_env or {})})
        print(
            f"--- {title}: {'ok' if result.returncode == 0 else 'FAILED'} ({time.monotonic() - started:.0f}s)"
        )
        if result.returncode != 0:
            failures.append(title)

    with tempfile.TemporaryDirectory(prefix="awas-check-") as data_dir:
        check_env = {"AWAS_DATA_DIR": data_dir}
        run("ruff check", [str(bin_dir / "ruff"), "check", "awas", "scripts", "benchmarks"])
        run(
            "ruff format --check",
            [str(bin_dir / "ruff"), "format", "--check", "awas", "scripts", "benchmarks"],
        )
        run("mypy", [str(bin_dir / "mypy"), "awas"], check_env)
        run("manage.py check", [str(python), "manage.py", "check", "--fail-level", "WARNING"], check_env)
        run(
            "makemigrations --check",
            [str(python), "manage.py", "makemigrations", "--check", "--dry-run"],
            check_env,
        )

    pytest = [str(python), "-m", "pytest", *sys.argv[1:]]
    with tempfile.TemporaryDirectory(prefix="awas-test-") as data_dir:
        run("pytest on SQLite", pytest, {"AWAS_DATA_DIR": data_dir, "AWAS_TEST_DB": "sqlite"})

    cluster = PostgresCluster()
    if not cluster.available:
        print("\nPostgreSQL is not installed: the PostgreSQL run is skipped.")
        failures.append("PostgreSQL not available")
    else:
        step(f"Starting a throwaway PostgreSQL on 127.0.0.1:{cluster.port}")
        try:
            url = cluster.start()
            with tempfile.TemporaryDirectory(prefix="awas-test-") as data_dir:
                run(
                    "pytest on PostgreSQL",
                    pytest,
                    {"AWAS_DATA_DIR": data_dir, "AWAS_DATABASE_URL": url, "AWAS_TEST_DB": "postgresql"},
                )
        finally:
            cluster.stop()

    step("Summary")
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("All checks and both test runs passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
