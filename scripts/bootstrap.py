"""Create .venv and install Awas from pyproject.toml; reinstall only when pyproject.toml changed."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


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
    ensure_venv(test="--test" in sys.argv)
