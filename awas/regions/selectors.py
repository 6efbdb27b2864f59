"""Reads of the wilayah tree and TPS, always through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from awas.core.roles import Level
from awas.core.scope import region_q
from awas.regions.models import Region, Tps


def region_for_browsing(user: Any, code: str | None) -> Region | None:
    """The region to show: the one asked for if the user may see it, else the user's scope."""
    visible = Region.objects.visible_to(user)
    if code:
        region = visible.filter(code=code).first()
        if region is not None:
            return region
    return visible.filter(code=user.scope_region_id).first()


def child_summaries(user: Any, region: Region) -> QuerySet[Region]:
    """The regions directly below ``region``, each with its number of visible TPS and voters."""
    children = Region.objects.visible_to(user).filter(parent=region)
    if region.level == Level.KABUPATEN:
        tps_path, desa_count = "children__tps_set", Count("children", distinct=True)
    elif region.level == Level.KECAMATAN:
        tps_path, desa_count = "tps_set", Count("code", distinct=True)
    else:
        return children.none()
    return children.annotate(
        desa_count=desa_count,
        tps_count=Count(tps_path, distinct=True),
        voters=Sum(f"{tps_path}__registered_voters"),
    ).order_by("code")


def tps_visible(user: Any, *, under: str = "") -> QuerySet[Tps]:
    tps = Tps.objects.visible_to(user).select_related("desa", "desa__parent")
    if under:
        tps = tps.filter(region_q("desa__code", under))
    return tps


def tps_totals(tps: QuerySet[Tps]) -> dict[str, int]:
    totals = tps.aggregate(
        count=Count("id"), voters=Sum("registered_voters"), demo=Count("id", filter=Q(is_demo=True))
    )
    return {key: value or 0 for key, value in totals.items()}


def kecamatan_geojson(user: Any) -> dict[str, Any]:
    """A FeatureCollection of the visible kecamatan that have polygons."""
    regions = (
        Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN, boundary__isnull=False)
        .values_list("code", "name", "boundary__geometry")
    )
    features = [
        {"type": "Feature", "geometry": geometry, "properties": {"kode": code, "nama": name}}
        for code, name, geometry in regions
    ]
    return {"type": "FeatureCollection", "features": features}


def kecamatan_list(user: Any) -> list[dict[str, str]]:
    """The visible kecamatan (for the schematic map when no polygons are loaded)."""
    return [
        {"kode": code, "nama": name}
        for code, name in Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN)
        .values_list("code", "name")
    ]
