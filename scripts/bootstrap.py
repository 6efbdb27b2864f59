"""Create .venv and install Awas from pyproject.toml; reinstall only when pyproject.toml changed."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


# System libraries Awas needs at run time: WeasyPrint renders PDFs with Pango; DejaVu has the
# glyphs of Indonesian text and is the fallback font of the documents.
RUNTIME_PACKAGES = {
    "libpango-1.0-0": "/usr/lib/*/libpango-1.0.so.0",
    "libpangoft2-1.0-0": "/usr/lib/*/libpangoft2-1.0.so.0",
    "fonts-dejavu-core": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    # Metric-compatible with Times New Roman, the letters' font in Word: the PDF and the DOCX of
    # a letter then break their lines alike (DejaVu Serif, the fallback, runs a fifth wider).
    "fonts-liberation2": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
}


def ensure_system_packages(packages: dict[str, str], *, purpose: str) -> list[str]:
    """Install missing Debian packages when running as root with apt; return what is still missing."""
    missing = [name for name, probe in packages.items() if not glob.glob(probe)]
    if missing and os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"Installing {', '.join(missing)} with apt-get …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]
        subprocess.run(install, check=False, env=env)
        missing = [name for name, probe in packages.items() if not glob.glob(probe)]
    if missing:
        print(f"Missing system packages: {', '.join(missing)}; {purpose}.", flush=True)
    return missing


def ensure_venv(*, test: bool) -> Path:
    python = VENV / "bin" / "python"
    extras = "[test]" if test else ""
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    base_digest = hashlib.sha256(pyproject).hexdigest()
    test_digest = hashlib.sha256(pyproject + b"[test]").hexdigest()
    stamp = VENV / ".awas-installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if python.exists() and (test_digest if test else base_digest) in installed:
        return python
    if sys.version_info[:2] != (3, 11):
        print(f"Awas needs Python 3.11; this is {sys.version.split()[0]}.", file=sys.stderr)
    if not python.exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"Installing Awas{extras} and its pinned dependencies into .venv …", flush=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", f".{extras}"], check=True, cwd=ROOT)
    stamp.write_text(f"{base_digest} {test_digest}" if test else base_digest)
    return python


if __name__ == "__main__":
    ensure_system_packages(RUNTIME_PACKAGES, purpose="PDF documents cannot be made until they are installed")
    ensure_venv(test="--test" in sys.argv)
