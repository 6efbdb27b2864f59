"""Attaching GeoJSON boundaries to regions (``awas regions boundaries FILE``) and serving them to the map."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils.translation import gettext

from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, Role, shared_data
from awas.core.models import AuditEntry
from awas.core.roles import Level
from awas.regions.models import Region, RegionBoundary

pytestmark = pytest.mark.django_db

KECAMATAN_FILE = "boundaries/kab_malang_3507_kecamatan_from_desa.geojson"
DESA_FILE = "boundaries/kab_malang_3507_desa_kelurahan.geojson"
SQUARE = [[112.6, -8.1], [112.7, -8.1], [112.7, -8.2], [112.6, -8.2], [112.6, -8.1]]


def polygon(ring: list[list[float]] | None = None) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring or SQUARE]}


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry or polygon()}


def geojson_file(tmp_path: Path, *features: dict[str, Any], name: str = "test.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def boundaries(path: Path) -> str:
    out = StringIO()
    call_command("regions", "boundaries", str(path), stdout=out)
    return out.getvalue()


def geometry(code: str) -> dict[str, Any] | None:
    """The region's polygon as the maps read it, None when it has none."""
    return RegionBoundary.objects.filter(region_id=code).values_list("geometry", flat=True).first()


def with_boundary(level: int) -> int:
    return Region.objects.under(KAB_MALANG).filter(level=level, boundary__isnull=False).count()


def test_the_shared_files_give_every_kecamatan_and_desa_a_boundary(malang: Region) -> None:
    kecamatan_output = boundaries(shared_data(KECAMATAN_FILE))
    desa_output = boundaries(shared_data(DESA_FILE))

    assert with_boundary(Level.KECAMATAN) == 33
    assert with_boundary(Level.DESA) == 390
    assert "33 regions now have a boundary" in kecamatan_output
    assert "390 regions now have a boundary" in desa_output
    for output in (kecamatan_output, desa_output):
        assert "match no loaded region" not in output
        assert "still have no boundary" not in output
    gondanglegi = geometry(GONDANGLEGI)
    assert gondanglegi is not None and gondanglegi["type"] in {"Polygon", "MultiPolygon"}
    assert AuditEntry.objects.filter(action="regions.boundaries_attached").count() == 2


def test_features_with_undotted_codes_match(malang: Region, tmp_path: Path) -> None:
    path = geojson_file(
        tmp_path,
        feature({"kode_nodot": "350710", "nama": "Gondanglegi"}),
        feature({"kode_nodot": 3507102001, "nama": "Putat Kidul"}),  # a number, as some tools write it
    )

    output = boundaries(path)

    assert geometry(GONDANGLEGI) == polygon()
    assert geometry(PUTAT_KIDUL) == polygon()
    assert "2 regions now have a boundary" in output


def test_a_file_loaded_again_replaces_the_polygons_it_holds(malang: Region, tmp_path: Path) -> None:
    boundaries(geojson_file(tmp_path, feature({"kode": GONDANGLEGI}), feature({"kode": KEPANJEN})))
    moved = [[lng + 0.01, lat] for lng, lat in SQUARE]

    boundaries(geojson_file(tmp_path, feature({"kode": GONDANGLEGI}, polygon(moved)), name="fixed.geojson"))

    assert geometry(GONDANGLEGI) == polygon(moved)
    assert geometry(KEPANJEN) == polygon()  # not in the second file: kept
    assert with_boundary(Level.KECAMATAN) == 2


def test_unmatched_features_and_regions_left_without_boundary_are_reported(
    malang: Region, tmp_path: Path
) -> None:
    path = geojson_file(
        tmp_path,
        feature({"kode": GONDANGLEGI}),
        feature({"kode": "35.73.01", "nama": "Kedungkandang"}),  # Kota Malang is not loaded
    )

    output = boundaries(path)

    assert "1 regions now have a boundary" in output
    assert "1 features match no loaded region: 35.73.01" in output
    assert "32 regions still have no boundary" in output
    assert "35.07.01" in output  # Donomulyo, the first kecamatan still without one
    assert geometry(GONDANGLEGI) is not None
    assert with_boundary(Level.KECAMATAN) == 1


def test_a_file_that_is_not_json_is_refused(malang: Region, tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')

    with pytest.raises(CommandError, match="GeoJSON"):
        boundaries(path)
    assert with_boundary(Level.KECAMATAN) == 0


def test_a_file_that_is_not_a_feature_collection_is_refused(malang: Region, tmp_path: Path) -> None:
    path = tmp_path / "single.geojson"
    path.write_text(json.dumps(feature({"kode": GONDANGLEGI})))

    with pytest.raises(CommandError) as raised:
        boundaries(path)
    assert str(raised.value) == gettext("The file is not a GeoJSON FeatureCollection.")
    assert geometry(GONDANGLEGI) is None


@pytest.mark.parametrize(
    ("bad", "reason", "label"),
    [
        (
            feature({"kode": KEPANJEN}, {"type": "Point", "coordinates": [112.57, -8.13]}),
            gettext("geometry type %(type)s is not a polygon") % {"type": "Point"},
            f"2 ({KEPANJEN})",
        ),
        (
            feature({"kode": KEPANJEN}, polygon([[112.5, -8.1], [112.6, -8.1]])),
            gettext("a ring has fewer than 4 points"),
            f"2 ({KEPANJEN})",
        ),
        (
            feature({"nama": "Kepanjen"}),
            gettext("feature %(label)s has no region code property") % {"label": "2"},
            "2",
        ),
        (
            feature(
                {"kode": KEPANJEN}, polygon([[112.5, -8.1], [112.6, -8.1], [200.0, -8.2], [112.5, -8.1]])
            ),
            gettext("a point lies outside longitude/latitude range"),
            f"2 ({KEPANJEN})",
        ),
    ],
    ids=["point", "ring-of-2-points", "no-code", "outside-lng-lat"],
)
def test_a_bad_feature_is_named_and_nothing_is_saved(
    malang: Region, tmp_path: Path, bad: dict[str, Any], reason: str, label: str
) -> None:
    path = geojson_file(tmp_path, feature({"kode": GONDANGLEGI}), bad)
    entries_before = AuditEntry.objects.count()

    with pytest.raises(CommandError) as raised:
        boundaries(path)

    message = str(raised.value)
    assert reason in message
    assert label in message
    assert GONDANGLEGI not in message  # the good feature is not blamed
    # All or nothing: the good feature before the bad one was not saved either.
    assert geometry(GONDANGLEGI) is None
    assert AuditEntry.objects.count() == entries_before


def test_every_bad_feature_is_listed_at_once(malang: Region, tmp_path: Path) -> None:
    path = geojson_file(
        tmp_path,
        feature({"kode": "35.07.01"}, {"type": "LineString", "coordinates": [[112.5, -8.1], [112.6, -8.1]]}),
        feature({"kode": GONDANGLEGI}),
        feature({"kode": KEPANJEN}, polygon([[112.5, -8.1], [112.6, -8.1]])),
    )

    with pytest.raises(CommandError) as raised:
        boundaries(path)

    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert "1 (35.07.01)" in lines[0]
    assert f"3 ({KEPANJEN})" in lines[1]
    assert with_boundary(Level.KECAMATAN) == 0


def test_a_missing_file_is_named(malang: Region, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"nowhere\.geojson"):
        boundaries(tmp_path / "nowhere.geojson")


def test_the_map_serves_all_33_kecamatan_to_pimpinan(
    malang: Region, role_client: Callable[..., Client]
) -> None:
    boundaries(shared_data(KECAMATAN_FILE))

    response = role_client(Role.PIMPINAN, KAB_MALANG).get("/wilayah/peta/kecamatan.geojson")

    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 33
    codes = {f["properties"]["kode"] for f in data["features"]}
    assert GONDANGLEGI in codes
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in data["features"])


def test_a_panwascam_map_holds_only_its_own_kecamatan(
    malang: Region, role_client: Callable[..., Client]
) -> None:
    boundaries(shared_data(KECAMATAN_FILE))

    data = role_client(Role.PANWASCAM, GONDANGLEGI).get("/wilayah/peta/kecamatan.geojson").json()

    assert [f["properties"]["kode"] for f in data["features"]] == [GONDANGLEGI]


def test_the_map_page_says_when_no_boundaries_are_loaded(
    malang: Region, role_client: Callable[..., Client]
) -> None:
    client = role_client(Role.PIMPINAN, KAB_MALANG)

    assert client.get("/wilayah/peta/kecamatan.geojson").json()["features"] == []
    page = client.get("/wilayah/peta/")
    assert page.status_code == 200
    assert page.context["has_boundaries"] is False
    assert len(page.context["kecamatan"]) == 33


def test_the_admin_shows_the_polygon_and_a_region_saved_there_keeps_it(
    malang: Region, role_client: Callable[..., Client], tmp_path: Path
) -> None:
    boundaries(geojson_file(tmp_path, feature({"kode": GONDANGLEGI})))
    admin = role_client(Role.ADMIN, KAB_MALANG)
    url = f"/admin/regions/region/{GONDANGLEGI}/change/"

    page = admin.get(url).content.decode()
    saved = admin.post(
        url,
        {
            "code": GONDANGLEGI,
            "name": "GONDANGLEGI",
            "level": Level.KECAMATAN,
            "parent": KAB_MALANG,
            "boundary-TOTAL_FORMS": 1,
            "boundary-INITIAL_FORMS": 1,
            "boundary-0-region": GONDANGLEGI,
        },
    )

    assert "[112.6, -8.1]" in page  # the polygon, read-only
    assert 'name="boundary-0-geometry"' not in page
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert geometry(GONDANGLEGI) == polygon()
    change = AuditEntry.objects.get(action="admin.changed", object_id=GONDANGLEGI)
    assert "coordinates" not in json.dumps([change.before, change.after])
