"""`awas backup` then `awas restore` into an empty data folder gives back the same records, audit chain
and evidence.

The end-to-end tests run the real ``awas`` command in subprocesses, each with its own data folder
(and, on the PostgreSQL run, its own fresh database), as an operator moving to a new server would.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awas.conftest import SHARED_DATA, database_vendor
from awas.core.models import AuditEntry
from awas.regions.models import Region

AWAS = Path(sys.executable).with_name("awas")
REPO = Path(__file__).resolve().parents[3]

# Two evidence files as a field supervisor sends them: a photo and a typed statement.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
EVIDENCE = {
    "foto-tps-001.png": PNG,
    "keterangan-saksi.txt": b"Keterangan saksi: pembagian amplop di dekat TPS 001 Putat Kidul.\n",
}

STORE_EVIDENCE = """
from pathlib import Path
from awas.core.services.evidence import evidence_store_bytes
for path in sorted(Path({folder!r}).iterdir()):
    evidence_store_bytes(path.read_bytes(), original_name=path.name)
"""

# A gap in the user ids (an account removed, or an insert rolled back), then a new PKD who uploads
# evidence: the audit entry hashes that PKD's id, so the restore must keep ids as they were.
NEW_PKD_UPLOADS = """
from pathlib import Path
from awas.core.models import User
from awas.core.services.evidence import evidence_store_bytes
from awas.core.services.users import user_create
from awas.regions.models import Region
User.objects.create(username="salah.ketik").delete()
pkd = user_create(
    username="pkd.sukosari", password="Sukosari-Awas-2024", role="pkd",
    scope_region=Region.objects.get(code="35.07.10.2003"),
)
for path in sorted(Path({folder!r}).iterdir()):
    evidence_store_bytes(path.read_bytes(), original_name=path.name, uploaded_by=pkd)
"""

# What an operator would compare after moving: counts, contents, the audit chain, evidence.
STATE = """
import hashlib, json, os
from awas.core.models import AuditEntry, EvidenceFile, User
from awas.regions.models import Region, Tps

def digest(rows):
    return hashlib.sha256(json.dumps(list(rows), sort_keys=True, default=str).encode()).hexdigest()

password = os.environ.get("CHECK_PASSWORD", "")
print(json.dumps({
    "regions": Region.objects.count(),
    "boundaries": Region.objects.filter(boundary__isnull=False).count(),
    "regions_digest": digest(
        Region.objects.order_by("code").values_list(
            "code", "name", "level", "parent_id", "boundary__geometry"
        )
    ),
    "tps": Tps.objects.count(),
    "tps_digest": digest(
        Tps.objects.order_by("id").values_list(
            "id", "desa_id", "number", "address", "registered_voters", "is_demo"
        )
    ),
    "users": sorted(User.objects.values_list("username", flat=True)),
    "users_digest": digest(
        User.objects.order_by("id").values_list(
            "id", "username", "role", "scope_region_id", "scope_tps_id", "password", "is_superuser",
            "date_joined",
        )
    ),
    "admin_signs_in": User.objects.get(username="admin").check_password(password),
    "audit": list(AuditEntry.objects.order_by("seq").values_list("entry_hash", flat=True)),
    "audit_actions": list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)),
    "evidence_actors": [
        e.actor and e.actor.username
        for e in AuditEntry.objects.filter(action="evidence.stored").select_related("actor")
    ],
    "evidence": sorted(
        EvidenceFile.objects.values_list("sha256", "storage_name", "size", "content_type", "original_name")
    ),
}))
"""


def awas(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(AWAS), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=240, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"awas {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def awas_env(data_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of an operator's shell: one data folder, one database, nothing of the test run's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWAS_")}
    env["AWAS_DATA_DIR"] = str(data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "awas.settings"
    if database_url:
        env["AWAS_DATABASE_URL"] = database_url
    if (SHARED_DATA / "boundaries").is_dir():
        env["AWAS_BOUNDARIES_DIR"] = str(SHARED_DATA / "boundaries")
    env.update(extra)
    return env


def state(env: dict[str, str]) -> dict[str, Any]:
    output = awas("shell", "--no-imports", "-c", STATE, env=env).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


@contextmanager
def fresh_databases(*names: str) -> Iterator[dict[str, str | None]]:
    """A database URL per name: new empty PostgreSQL databases on the PostgreSQL run, dropped after;
    None on the SQLite run (each data folder then holds its own SQLite file)."""
    if database_vendor() != "postgresql":
        yield dict.fromkeys(names)
        return
    import psycopg
    from psycopg import sql

    server = os.environ["AWAS_DATABASE_URL"]

    def each(statement: str) -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            for name in names:
                conn.execute(sql.SQL(statement).format(sql.Identifier(name)))

    each("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    each("CREATE DATABASE {}")
    try:
        yield {name: urlsplit(server)._replace(path=f"/{name}").geturl() for name in names}
    finally:
        each("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@dataclass
class BackupRun:
    archive: Path
    env_a: dict[str, str]
    env_b: dict[str, str]
    before: dict[str, Any]  # folder A right after the backup
    after: dict[str, Any]  # folder B right after the restore
    restore_output: str
    password: str


@pytest.fixture(scope="module")
def backup_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackupRun]:
    root = tmp_path_factory.mktemp("backup")
    uploads = root / "uploads"
    uploads.mkdir()
    for name, content in EVIDENCE.items():
        (uploads / name).write_bytes(content)
    archive = root / "A.tar.gz"
    with fresh_databases("awas_bk_a", "awas_bk_b") as urls:
        env_a = awas_env(root / "a", urls["awas_bk_a"])
        awas("demo", "--no-serve", env=env_a)
        awas("shell", "--no-imports", "-c", NEW_PKD_UPLOADS.format(folder=str(uploads)), env=env_a)
        awas("backup", str(archive), env=env_a)
        password = (root / "a" / "demo-password.txt").read_text().strip()
        env_a["CHECK_PASSWORD"] = password
        before = state(env_a)
        env_b = awas_env(root / "b", urls["awas_bk_b"], CHECK_PASSWORD=password)
        restored = awas("restore", str(archive), env=env_b)
        after = state(env_b)
        yield BackupRun(archive, env_a, env_b, before, after, restored.stdout, password)


def test_the_backup_is_one_archive_with_the_database_and_the_evidence(backup_run: BackupRun) -> None:
    assert oct(backup_run.archive.stat().st_mode & 0o777) == "0o600"  # it holds personal data
    with tarfile.open(backup_run.archive) as archive:
        names = set(archive.getnames())
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert {"manifest.json", "database.json"} <= names
    assert {n for n in names if n.startswith("evidence/")} == {
        f"evidence/{storage_name}" for _sha, storage_name, *_ in backup_run.before["evidence"]
    }
    assert manifest["users"] == 10
    # The two uploaded here and the demo cases' photos.
    assert manifest["evidence_files"] == len(backup_run.before["evidence"]) > len(EVIDENCE)
    assert manifest["audit_entries"] == len(backup_run.before["audit"])
    assert manifest["database_vendor"] == database_vendor()


def test_restore_gives_back_the_same_records(backup_run: BackupRun) -> None:
    before, after = backup_run.before, backup_run.after

    assert (after["regions"], after["tps"], len(after["users"])) == (425, 4042, 10)
    for key in ("regions", "regions_digest", "boundaries", "tps", "tps_digest", "users", "users_digest"):
        assert after[key] == before[key], key
    # Accounts sign in with the same password on the new server.
    assert after["admin_signs_in"] is before["admin_signs_in"] is True
    assert "Restored:" in backup_run.restore_output


def test_restore_keeps_the_audit_chain_and_appends_one_entry(backup_run: BackupRun) -> None:
    before, after = backup_run.before, backup_run.after

    assert before["audit_actions"][-1] == "backup.created"
    assert after["audit"][:-1] == before["audit"]
    assert after["audit_actions"][-1] == "backup.restored"
    assert len(after["audit"]) == len(before["audit"]) + 1
    assert "user.created" in before["audit_actions"]
    assert before["audit_actions"].count("evidence.stored") == len(before["evidence"])
    assert after["evidence_actors"] == before["evidence_actors"]
    assert before["evidence_actors"][-2:] == ["pkd.sukosari", "pkd.sukosari"]


def test_restore_gives_back_the_evidence_byte_for_byte(backup_run: BackupRun) -> None:
    assert backup_run.after["evidence"] == backup_run.before["evidence"]
    by_name = {row[4]: row[1] for row in backup_run.after["evidence"]}
    assert set(by_name) >= set(EVIDENCE)
    evidence_dir = Path(backup_run.env_b["AWAS_DATA_DIR"]) / "evidence"
    for name, content in EVIDENCE.items():
        assert (evidence_dir / by_name[name]).read_bytes() == content


def test_the_restored_folder_passes_audit_and_evidence_verification(backup_run: BackupRun) -> None:
    audit = awas("audit", "verify", env=backup_run.env_b)
    evidence = awas("evidence", "verify", env=backup_run.env_b)

    assert f"{len(backup_run.after['audit'])} entries" in audit.stdout
    assert f"All {len(backup_run.after['evidence'])} evidence files match" in evidence.stdout


def test_restoring_into_a_folder_in_use_is_refused(backup_run: BackupRun) -> None:
    result = awas("restore", str(backup_run.archive), env=backup_run.env_a, check=False)

    assert result.returncode != 0
    assert "not empty" in result.stderr
    assert "AWAS_DATA_DIR" in result.stderr  # says what to do instead
    assert "Traceback" not in result.stderr
    assert state(backup_run.env_a)["audit"] == backup_run.before["audit"]


@pytest.mark.skipif(database_vendor() != "postgresql", reason="moves a SQLite backup onto PostgreSQL")
def test_a_sqlite_backup_restores_into_postgresql(tmp_path: Path) -> None:
    archive = tmp_path / "sqlite.tar.gz"
    sqlite_env = awas_env(tmp_path / "sqlite", None)
    awas("migrate", env=sqlite_env)
    awas("regions", "load", "35.07", env=sqlite_env)
    awas("createadmin", "admin", "35.07", "--password", "Pengawas-Malang-2024", env=sqlite_env)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "keterangan-saksi.txt").write_bytes(EVIDENCE["keterangan-saksi.txt"])
    awas("shell", "--no-imports", "-c", STORE_EVIDENCE.format(folder=str(uploads)), env=sqlite_env)
    awas("backup", str(archive), env=sqlite_env)
    before = state(sqlite_env)

    with fresh_databases("awas_bk_c") as urls:
        pg_env = awas_env(tmp_path / "pg", urls["awas_bk_c"])
        awas("restore", str(archive), env=pg_env)
        after = state(pg_env)
        awas("audit", "verify", env=pg_env)
        awas("evidence", "verify", env=pg_env)

    assert after["audit"][:-1] == before["audit"]
    for key in ("regions", "regions_digest", "users", "users_digest", "evidence"):
        assert after[key] == before[key], key


# --- refusals, in-process against the test database ---------------------------------------------


def restore(path: Path) -> str:
    out = io.StringIO()
    call_command("restore", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_restore_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"No such file: .*nowhere\.tar\.gz"):
        restore(tmp_path / "nowhere.tar.gz")


@pytest.mark.django_db
def test_restore_refuses_an_archive_that_is_not_an_awas_backup(tmp_path: Path) -> None:
    path = tmp_path / "photos.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("foto.png")
        info.size = len(PNG)
        archive.addfile(info, io.BytesIO(PNG))

    with pytest.raises(CommandError, match="not an Awas backup"):
        restore(path)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_restore_refuses_a_database_in_use(malang: Region, tmp_path: Path) -> None:
    entries = AuditEntry.objects.count()

    with pytest.raises(CommandError, match="not empty"):
        restore(_empty_backup(tmp_path))
    assert AuditEntry.objects.count() == entries
    assert Region.objects.count() == 425


def _empty_backup(tmp_path: Path) -> Path:
    path = tmp_path / "backup.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in (("manifest.json", b'{"format": 1}'), ("database.json", b"[]")):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return path


@pytest.mark.django_db
def test_a_backup_from_an_older_release_restores_with_the_rules_of_this_one(tmp_path: Path) -> None:
    """The backup's rule rows replace the seeded ones; a release that has since changed a clock
    (here the Pemilu decision, 5 days in the old release) brings it into force on restore, as
    'awas migrate' does on an upgrade, and the log says so."""
    from django.core import serializers

    from awas.core.models import DeadlineRule

    rows = json.loads(serializers.serialize("json", DeadlineRule.objects.all()))
    for row in rows:
        if (row["fields"]["election_type"], row["fields"]["key"]) == ("pemilu", "decision"):
            row["fields"]["days"] = 5
    rules = json.dumps(rows).encode()
    path = tmp_path / "older.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        manifest = b'{"format": 1, "audit_entries": 0, "evidence_files": 0}'
        for name, content in (("manifest.json", manifest), ("database.json", rules)):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))

    restore(path)

    assert DeadlineRule.objects.get(election_type="pemilu", key="decision").days == 7
    loaded = AuditEntry.objects.get(action="deadline_rule.loaded")
    assert (loaded.before, loaded.after) == ({"days": 5}, {"days": 7})
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "backup.restored",
        "deadline_rule.loaded",
    ]


@pytest.mark.django_db
def test_a_backup_from_before_the_boundary_table_restores_its_polygons(tmp_path: Path) -> None:
    """Backups of format 1 kept each region's polygon on the region's row; the maps still get it."""
    square = {
        "type": "Polygon",
        "coordinates": [[[112.5, -8.0], [112.8, -8.0], [112.8, -8.3], [112.5, -8.0]]],
    }
    rows = [
        {
            "model": "regions.region",
            "pk": "35",
            "fields": {"name": "JAWA TIMUR", "level": 1, "parent": None, "boundary": None},
        },
        {
            "model": "regions.region",
            "pk": "35.07",
            "fields": {"name": "KAB. MALANG", "level": 2, "parent": "35", "boundary": square},
        },
    ]
    path = tmp_path / "format1.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        manifest = b'{"format": 1, "audit_entries": 0, "evidence_files": 0}'
        for name, content in (("manifest.json", manifest), ("database.json", json.dumps(rows).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))

    restore(path)

    assert list(Region.objects.values_list("code", "boundary__geometry")) == [("35", None), ("35.07", square)]
