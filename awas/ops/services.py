"""Operator work spanning the apps: demo data, backup and restore."""

from __future__ import annotations

import io
import json
import os
import secrets
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from awas.cases.demo import demo_cases_create
from awas.core.models import AuditEntry, EvidenceFile, User
from awas.core.roles import Role
from awas.core.services.audit import audit_record, audit_seal, audit_verify
from awas.core.services.deadlines import deadline_rules_load
from awas.core.services.evidence import evidence_storage, evidence_verify
from awas.core.services.users import user_create
from awas.cyber.services import posts as cyber_posts
from awas.ikp import services as ikp_services
from awas.ops import backup_json
from awas.regions import services as region_services
from awas.regions.models import Region, Tps

DEMO_KABUPATEN = "35.07"  # Kabupaten Malang
DEMO_KECAMATAN = "35.07.10"  # Gondanglegi
DEMO_DESA = "35.07.10.2001"  # Putat Kidul, in Gondanglegi
DEMO_OTHER_KECAMATAN = "35.07.13"  # Kepanjen, the seat of the regency: cases the Panwascam does not see
BOUNDARY_FILES = ("kab_malang_3507_kecamatan_from_desa.geojson", "kab_malang_3507_desa_kelurahan.geojson")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    scope: str
    password: str
    tps_number: int | None = None
    # Made-up names: letters, berita acara and receipts are signed by name, never by login.
    first_name: str = ""
    last_name: str = ""


def _demo_accounts(password: str) -> list[DemoAccount]:
    k, c, d = DEMO_KABUPATEN, DEMO_KECAMATAN, DEMO_DESA
    return [
        DemoAccount("admin", Role.ADMIN, k, password, first_name="Bagus", last_name="Prasetyo"),
        DemoAccount("pimpinan", Role.PIMPINAN, k, password, first_name="Hendra", last_name="Kurniawan"),
        DemoAccount("staf.pp", Role.STAF_PP, k, password, first_name="Rina", last_name="Wulandari"),
        DemoAccount(
            "staf.pencegahan", Role.STAF_PENCEGAHAN, k, password, first_name="Agus", last_name="Setiawan"
        ),
        DemoAccount("tim.siber", Role.TIM_SIBER, k, password, first_name="Fajar", last_name="Nugroho"),
        DemoAccount(
            "panwascam.gondanglegi", Role.PANWASCAM, c, password, first_name="Siti", last_name="Maesaroh"
        ),
        DemoAccount("pkd.putatkidul", Role.PKD, d, password, first_name="Eko", last_name="Susanto"),
        DemoAccount(
            "ptps.putatkidul.001", Role.PTPS, d, password, tps_number=1, first_name="Nur", last_name="Aini"
        ),
        DemoAccount("kader.gondanglegi", Role.KADER, c, password, first_name="Yusuf", last_name="Hidayat"),
    ]


def boundaries_dir() -> Path | None:
    """The shared boundary files, when this checkout sits beside ../shared/data."""
    configured = os.environ.get("AWAS_BOUNDARIES_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path.cwd().parent / "shared" / "data" / "boundaries")
    return next((c for c in candidates if (c / BOUNDARY_FILES[0]).exists()), None)


def demo_setup(*, progress: Any = region_services._no_progress) -> tuple[list[DemoAccount], list[str]]:
    """Load Kabupaten Malang, demo TPS and one account per role. Safe to run again.

    Returns the accounts and notes on what was done.
    """
    notes = []
    result = region_services.regions_load(DEMO_KABUPATEN, progress=progress)
    notes.append(f"Kabupaten Malang: {result.created} regions added.")
    created = region_services.tps_generate_demo(DEMO_KABUPATEN)
    if created:
        notes.append(f"{created} demo TPS generated (marked as demo data).")
    folder = boundaries_dir()
    if (
        folder
        and not Region.objects.filter(code__startswith=DEMO_KABUPATEN + ".", boundary__isnull=False).exists()
    ):
        for name in BOUNDARY_FILES:
            region_services.regions_attach_boundaries(folder / name, progress=progress)
        notes.append(f"Boundaries loaded from {folder}.")
    elif not folder:
        notes.append("No boundary files found: the map is schematic (see README).")
    ikp_services.framework_load_builtin()
    created = ikp_services.kejadian_generate_demo(kabupaten_code=DEMO_KABUPATEN)
    if created:
        notes.append(f"{created} demo IKP kejadian generated (marked as demo data).")
    created = cyber_posts.demo_posts_load(Region.objects.get(code=DEMO_KABUPATEN))
    if created:
        notes.append(f"{created} demo social-media posts captured for the cyber team's queue.")

    password_file = settings.DATA_DIR / "demo-password.txt"
    if password_file.exists():
        password = password_file.read_text().strip()
    else:
        password = "awas-" + secrets.token_urlsafe(9)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)
    accounts = _demo_accounts(password)
    for account in accounts:
        if User.objects.filter(username=account.username).exists():
            continue
        tps = (
            Tps.objects.get(desa_id=account.scope, number=account.tps_number) if account.tps_number else None
        )
        user_create(
            username=account.username,
            password=account.password,
            role=account.role,
            scope_region=Region.objects.get(code=account.scope),
            scope_tps=tps,
            first_name=account.first_name,
            last_name=account.last_name,
        )
    created = demo_cases_create(
        desa_code=DEMO_DESA,
        other_kecamatan_code=DEMO_OTHER_KECAMATAN,
        staff=User.objects.get(username="staf.pp"),
        chair=User.objects.get(username="pimpinan"),
    )
    if created:
        notes.append(f"{created} demo cases recorded, one at each stage (names marked 'contoh').")
    return accounts, notes


# --- backup and restore ---------------------------------------------------------------------

BACKUP_FORMAT = 2
# Format 1 (before regions migration 0002) carried each region's polygon on the region's row.
FORMATS_RESTORED = (1, BACKUP_FORMAT)
EXCLUDED_FROM_BACKUP = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


# Reference rows that migrations seed; a restore replaces them with the backup's own versions.
SEEDED_BY_MIGRATIONS = ("core.Holiday", "core.DeadlineRule", "cases.ReferralBody")


class RestoreError(Exception):
    pass


def backup_create(path: Path, *, progress: Any = region_services._no_progress) -> dict[str, Any]:
    """Write the database (as portable JSON) and every evidence file into one .tar.gz."""
    with transaction.atomic():
        audit_record(action="backup.created", object_type="backup", object_repr=path.name)
    # Chain what is committed, so the archive holds a sealed log (an entry committed between this
    # and the snapshot below is kept unsealed, and sealed when the backup is restored).
    audit_seal()
    data = io.StringIO()
    serializers.register_serializer(backup_json.FORMAT, backup_json.__name__)
    # One snapshot for every table, so writes on a live server during the backup cannot leave
    # the archive inconsistent (an audit entry without its change, or the reverse).
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        # Primary keys are kept: audit entries hash their actor's id, so users must come back with
        # the same ids. Times are kept to the microsecond for the same reason (see backup_json).
        call_command(
            "dumpdata",
            format=backup_json.FORMAT,
            natural_foreign=True,
            exclude=EXCLUDED_FROM_BACKUP,
            stdout=data,
            verbosity=0,
        )
        evidence = list(EvidenceFile.objects.order_by("id").values_list("storage_name", "sha256"))
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "audit_entries": AuditEntry.objects.count(),
            "evidence_files": len(evidence),
            "users": User.objects.count(),
            "regions": Region.objects.count(),
        }
    payload = data.getvalue().encode()
    storage = evidence_storage()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".partial")
    with tarfile.open(tmp, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2).encode())
        _add_bytes(archive, "database.json", payload)
        for storage_name, _sha in progress(evidence):
            with storage.open(storage_name, "rb") as handle:
                _add_bytes(archive, f"evidence/{storage_name}", handle.read())
    tmp.chmod(0o600)
    tmp.replace(path)  # never leave a half-written backup under the final name
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(content))


def database_is_empty() -> bool:
    return not (User.objects.exists() or AuditEntry.objects.exists() or Region.objects.exists())


def backup_restore(path: Path, *, progress: Any = region_services._no_progress) -> dict[str, Any]:
    """Restore a backup into an empty database and evidence folder, then verify both."""
    if not database_is_empty():
        raise RestoreError(
            "The database is not empty. Restore into a fresh data folder (AWAS_DATA_DIR) or database."
        )
    with tarfile.open(path, "r:gz") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        if "manifest.json" not in members or "database.json" not in members:
            raise RestoreError(f"{path} is not an Awas backup (manifest.json or database.json missing).")
        manifest = json.loads(_read(archive, members["manifest.json"]))
        if manifest.get("format") not in FORMATS_RESTORED:
            raise RestoreError(f"Unsupported backup format {manifest.get('format')}.")
        storage = evidence_storage()
        for name, member in progress(list(members.items())):
            if name.startswith("evidence/"):
                storage_name = name.removeprefix("evidence/")
                if ".." in storage_name.split("/"):
                    raise RestoreError(f"Unsafe path in backup: {name}")
                if not storage.exists(storage_name):
                    storage.save(storage_name, io.BytesIO(_read(archive, member)))
        with tempfile.NamedTemporaryFile("wb", suffix=".json") as dump:
            database = _read(archive, members["database.json"])
            if manifest["format"] == 1:
                database = json.dumps(_polygons_in_their_table(json.loads(database))).encode()
            dump.write(database)
            dump.flush()
            with transaction.atomic():
                # Migrations seed reference rows (holidays, deadline rules, referral bodies); the
                # backup holds the office's own versions of them, which replace the seed.
                for label in SEEDED_BY_MIGRATIONS:
                    apps.get_model(label).objects.all().delete()
                call_command("loaddata", dump.name, verbosity=0)
    problem = audit_verify()
    if problem is not None:
        raise RestoreError(f"Restored audit chain is broken at entry #{problem.seq}: {problem.reason}.")
    broken = list(evidence_verify())
    if broken:
        raise RestoreError(f"{len(broken)} restored evidence files do not match their hash.")
    with transaction.atomic():
        audit_record(action="backup.restored", object_type="backup", object_repr=path.name)
    # The backup's rule rows replaced the file's: one made by an older release would bring back
    # the clocks of that release, which the 'awas migrate' run before the restore cannot see.
    # Brought in line here as on an upgrade (each change audited, open cases' due dates recounted).
    deadline_rules_load()
    return manifest


def _polygons_in_their_table(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A format-1 backup's rows as they are stored now: each region's polygon in a row of its own."""
    boundaries = []
    for row in objects:
        if row["model"] == "regions.region":
            geometry = row["fields"].pop("boundary", None)
            if geometry is not None:
                boundaries.append(
                    {"model": "regions.regionboundary", "pk": row["pk"], "fields": {"geometry": geometry}}
                )
    return objects + boundaries


def _read(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    handle = archive.extractfile(member)
    if handle is None:
        raise RestoreError(f"Cannot read {member.name} from the backup.")
    return handle.read()
