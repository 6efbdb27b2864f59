from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from awas.core.access import allow
from awas.core.roles import FIELD_ROLES, OFFICE_ROLES
from awas.regions import selectors

STAFF = OFFICE_ROLES | FIELD_ROLES


@allow(STAFF)
def region_list(request: HttpRequest) -> HttpResponse:
    """Browse the wilayah tree down from the user's scope, with TPS at the bottom."""
    user: Any = request.user
    region = selectors.region_for_browsing(user, request.GET.get("kode"))
    children = selectors.child_summaries(user, region) if region else []
    tps = selectors.tps_visible(user, under=region.code if region else "")
    context = {
        "region": region,
        "children": children,
        "totals": selectors.tps_totals(tps),
        "tps_page": Paginator(tps, 100).get_page(request.GET.get("page")) if not children else None,
    }
    return render(request, "regions/list.html", context)


@allow(STAFF)
def region_map(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    geojson = selectors.kecamatan_geojson(user)
    return render(
        request,
        "regions/map.html",
        {
            "geojson": geojson,
            "has_boundaries": bool(geojson["features"]),
            "kecamatan": selectors.kecamatan_list(user),
            "scope_code": user.scope_region_id,
        },
    )


@allow(STAFF)
def kecamatan_geojson(request: HttpRequest) -> JsonResponse:
    return JsonResponse(selectors.kecamatan_geojson(request.user))
