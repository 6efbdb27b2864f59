"""The ``awas`` command as an operator meets it: help, looking up codes, creating the first administrator."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext

from awas.conftest import GONDANGLEGI, KAB_MALANG, TEST_PASSWORD
from awas.core.models import AuditEntry, User
from awas.core.roles import Role
from awas.regions.models import Region

AWAS = Path(sys.executable).with_name("awas")
REPO = Path(__file__).resolve().parents[3]


def awas(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """Run ``awas`` on a data folder of its own (SQLite there, whatever database the tests use)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
    env["AWAS_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [str(AWAS), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("args", [["--help"], ["-h"], []])
def test_help_prints_the_operator_summary(args: list[str], tmp_path: Path) -> None:
    result = awas(*args, data_dir=tmp_path)

    assert result.returncode == 0
    for command in (
        "awas demo",
        "awas serve",
        "awas createadmin NAME CODE",
        "awas regions load CODE",
        "awas tps import FILE.csv",
        "awas audit verify",
        "awas evidence verify",
        "awas backup FILE",
        "awas restore FILE",
    ):
        assert command in result.stdout
    assert "AWAS_DATA_DIR" in result.stdout and "AWAS_DATABASE_URL" in result.stdout


def test_regions_list_answers_from_the_registry_on_a_fresh_data_folder(tmp_path: Path) -> None:
    result = awas("regions", "list", "35.07.10", data_dir=tmp_path / "fresh")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 14  # the desa and kelurahan of Gondanglegi
    assert lines[0] == "35.07.10.2001\tPutat Kidul"
    assert all(line.startswith("35.07.10.") and line.count("\t") == 1 for line in lines)


def test_an_unknown_code_gets_a_clear_message_not_a_traceback(tmp_path: Path) -> None:
    result = awas("regions", "list", "35.7", data_dir=tmp_path)

    assert result.returncode == 1
    assert "35.07 KAB. MALANG" in result.stderr
    assert "Traceback" not in result.stderr


def test_first_install_migrate_load_and_createadmin(tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    for args in (["migrate"], ["regions", "load", "3507"]):
        result = awas(*args, data_dir=data_dir)
        assert result.returncode == 0, result.stderr

    created = awas("createadmin", "admin.kab", "35.07", "--password", TEST_PASSWORD, data_dir=data_dir)

    assert created.returncode == 0, created.stderr
    assert "admin.kab" in created.stdout and "Kabupaten Malang" in created.stdout
    check = awas(
        "shell",
        "--no-imports",
        "-c",
        "from awas.core.models import User; u = User.objects.get(username='admin.kab'); "
        f"print(u.role, u.scope_region_id, u.is_superuser, u.check_password({TEST_PASSWORD!r}))",
        data_dir=data_dir,
    )
    assert check.stdout.strip().splitlines()[-1] == "admin 35.07 True True"


# --- createadmin against the test database (both SQLite and PostgreSQL) --------------------------


def createadmin(*args: str) -> str:
    out = StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_createadmin_creates_an_administrator_of_the_kabupaten(malang: Region) -> None:
    output = createadmin("admin.kab", "35.07", "--password", TEST_PASSWORD, "--email", "admin@example.org")

    user = User.objects.get(username="admin.kab")
    assert (user.role, user.scope_region_id, user.is_staff, user.is_superuser) == (
        Role.ADMIN,
        KAB_MALANG,
        True,
        True,
    )
    assert user.email == "admin@example.org"
    assert user.check_password(TEST_PASSWORD)
    assert user.needs_otp
    assert "Kabupaten Malang" in output
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.object_id == str(user.pk)
    assert entry.after is not None
    assert entry.after["email"] != "admin@example.org"  # personal data is masked in the log


@pytest.mark.django_db
def test_createadmin_accepts_the_undotted_code(malang: Region) -> None:
    createadmin("admin.kab", "3507", "--password", TEST_PASSWORD)

    assert User.objects.get(username="admin.kab").scope_region_id == KAB_MALANG


@pytest.mark.django_db
def test_createadmin_refuses_an_unknown_scope_with_the_closest_matches(malang: Region) -> None:
    with pytest.raises(CommandError) as raised:
        createadmin("admin.kab", "35.7", "--password", TEST_PASSWORD)

    assert "'35.7'" in str(raised.value)
    assert "35.07 KAB. MALANG" in str(raised.value)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_says_how_to_load_a_known_but_unloaded_region(malang: Region) -> None:
    with pytest.raises(CommandError, match=r"35\.73 .*not loaded.*awas regions load 35\.73"):
        createadmin("admin.kota", "35.73", "--password", TEST_PASSWORD)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_refuses_a_kecamatan_scope(malang: Region) -> None:
    with pytest.raises(CommandError) as raised:
        createadmin("admin.kec", GONDANGLEGI, "--password", TEST_PASSWORD)

    assert str(raised.value) == gettext(
        "A %(role)s account must be scoped to a kabupaten/kota or province."
    ) % {"role": Role.ADMIN.label}
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password_and_a_taken_name(malang: Region) -> None:
    with pytest.raises(CommandError):
        createadmin("admin.kab", "35.07", "--password", "12345")
    assert not User.objects.exists()

    createadmin("admin.kab", "35.07", "--password", TEST_PASSWORD)
    with pytest.raises(CommandError):
        createadmin("admin.kab", "35.07", "--password", TEST_PASSWORD)
    assert User.objects.count() == 1
