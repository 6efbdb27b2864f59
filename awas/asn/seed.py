"""Reference data of the app: the SKB 2022 catalogue (from a data file) and the default risk factors.

Used by the data migrations (with historical models) and by the services (with the real ones), so
both take the model class as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "skb2022.yaml"

MATRICES = {"kode_etik", "disiplin"}
STAGES = {"bakal_calon", "calon"}
SANCTION_KINDS = {"moral", "disiplin", "ptdh", "satgas"}
LEVELS = {"", "ringan", "sedang", "berat"}
LEVEL_STATUSES = {"agreed", "conflict", "single_source", "unverified", "not_applicable"}


class CatalogueError(ValueError):
    pass


@dataclass(frozen=True)
class ViolationSpec:
    code: str
    matrix: str
    act: str
    stage: str
    sanction_kind: str
    level: str
    level_status: str
    level_note: str
    legal_basis: str
    sources: tuple[str, ...]
    order: int

    def as_fields(self) -> dict[str, Any]:
        return {
            "matrix": self.matrix,
            "act": self.act,
            "stage": self.stage,
            "sanction_kind": self.sanction_kind,
            "level": self.level,
            "level_status": self.level_status,
            "level_note": self.level_note,
            "legal_basis": self.legal_basis,
            "sources": list(self.sources),
            "order": self.order,
        }


def catalogue_read(path: Path | str = CATALOGUE_PATH) -> tuple[ViolationSpec, ...]:
    """Parse and check the catalogue file. Pure: touches no database."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    specs: list[ViolationSpec] = []
    for order, raw in enumerate(data.get("items") or [], start=1):
        try:
            spec = ViolationSpec(
                code=str(raw["code"]),
                matrix=str(raw["matrix"]),
                act=" ".join(str(raw["act"]).split()),
                stage=str(raw["stage"]),
                sanction_kind=str(raw["sanction_kind"]),
                level=str(raw.get("level") or ""),
                level_status=str(raw["level_status"]),
                level_note=" ".join(str(raw.get("level_note") or "").split()),
                legal_basis=str(raw["legal_basis"]),
                sources=tuple(str(s) for s in raw.get("sources") or ()),
                order=order,
            )
        except (KeyError, TypeError) as error:
            raise CatalogueError(f"item {order}: {error!r}") from error
        for value, allowed, name in (
            (spec.matrix, MATRICES, "matrix"),
            (spec.stage, STAGES, "stage"),
            (spec.sanction_kind, SANCTION_KINDS, "sanction_kind"),
            (spec.level, LEVELS, "level"),
            (spec.level_status, LEVEL_STATUSES, "level_status"),
        ):
            if value not in allowed:
                raise CatalogueError(f"{spec.code}: unknown {name} {value!r}")
        if spec.matrix == "kode_etik" and spec.sanction_kind != "moral":
            raise CatalogueError(f"{spec.code}: every kode etik item carries sanksi moral")
        if spec.level and spec.sanction_kind != "disiplin":
            raise CatalogueError(f"{spec.code}: a level belongs to hukuman disiplin only")
        specs.append(spec)
    codes = [s.code for s in specs]
    if len(codes) != len(set(codes)):
        raise CatalogueError("a code appears twice")
    return tuple(specs)


def catalogue_sync_into(model: Any, specs: tuple[ViolationSpec, ...]) -> tuple[int, int]:
    """Make ``model`` (Violation or its historical version) match the file: (created, updated)."""
    created = updated = 0
    for spec in specs:
        row = model.objects.filter(code=spec.code).first()
        if row is None:
            model.objects.create(code=spec.code, **spec.as_fields())
            created += 1
            continue
        changes = {k: v for k, v in spec.as_fields().items() if getattr(row, k) != v}
        if changes:
            for name, value in changes.items():
                setattr(row, name, value)
            row.save(update_fields=list(changes))
            updated += 1
    return created, updated


def risk_factors_seed_into(model: Any) -> int:
    """Add the default factors that are missing; never change the office's weights."""
    from awas.asn.risk import DEFAULT_FACTORS

    existing = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=str(f.code), weight=f.weight, saturation=f.saturation, keywords=list(f.keywords))
        for f in DEFAULT_FACTORS
        if str(f.code) not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)
