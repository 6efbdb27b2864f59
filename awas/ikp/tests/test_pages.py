"""The IKP pages: the map's GeoJSON, exports (PNG, SVG, Excel, PDF), the region breakdown,
sensitivity on request, and the framework pages (copy, edit, publish, YAML and Excel round trips)."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, shared_data
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.ikp import outputs, services
from awas.ikp.legend import CATEGORY_COLOURS, RAMP, ZERO
from awas.ikp.models import Framework, Indicator, SensitivityRun, Tahapan
from awas.ikp.services import KejadianInput, framework_definition
from awas.regions.services import regions_attach_boundaries

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KECAMATAN_BOUNDARIES = "boundaries/kab_malang_3507_kecamatan_from_desa.geojson"


@pytest.fixture
def ikp2024(malang):
    return services.framework_load_builtin()


@pytest.fixture
def scored(ikp2024):
    """Kejadian in several kecamatan, Gondanglegi the busiest (ASN neutrality)."""
    items = [KejadianInput(12, PUTAT_KIDUL, dt.date(2024, 10, 1), Tahapan.KAMPANYE, 3) for _ in range(4)]
    items += [
        KejadianInput(n, PUTAT_KIDUL, dt.date(2024, 11, 5), Tahapan.KAMPANYE, 2) for n in (5, 7, 54, 54)
    ]
    items += [
        KejadianInput(number, f"35.07.{kec:02d}.2001", dt.date(2024, 11, 2), Tahapan.KAMPANYE, 1)
        for kec, number in [(1, 54), (5, 3), (13, 54), (13, 20), (24, 45), (26, 3), (30, 31)]
    ]
    services.kejadian_bulk_create(actor=None, items=items)
    return ikp2024


@pytest.fixture
def analyst(role_client):
    return role_client(Role.STAF_PENCEGAHAN, KAB_MALANG)


# --- the map -------------------------------------------------------------------------------------


def test_the_map_geojson_has_33_kecamatan_with_colours_and_categories(scored, analyst):
    data = analyst.get("/ikp/peta.geojson").json()
    features = data["features"]
    assert len(features) == 33
    assert data["schematic"] is True  # no boundaries loaded in this test
    assert all(f["geometry"] is None for f in features)
    for feature in features:
        props = feature["properties"]
        assert props["category"] in CATEGORY_COLOURS
        assert props["fill"] == CATEGORY_COLOURS[props["category"]]
        assert 0 <= props["value"] <= 100 and props["rank"] >= 1
    by_code = {f["properties"]["kode"]: f["properties"] for f in features}
    assert by_code[GONDANGLEGI]["rank"] == 1 and by_code[GONDANGLEGI]["kejadian"] == 8
    assert [item["colour"] for item in data["legend"]] == [
        CATEGORY_COLOURS["tinggi"],
        CATEGORY_COLOURS["sedang"],
        CATEGORY_COLOURS["rendah"],
    ]
    assert data["run"]["framework_version"] == "2024"
    assert all(isinstance(f["properties"]["unstable"], bool) for f in features)  # sensitivity ran


def test_the_map_geojson_carries_the_boundaries(scored, analyst):
    regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES))
    data = analyst.get("/ikp/peta.geojson").json()
    assert data["schematic"] is False
    assert sum(1 for f in data["features"] if f["geometry"]["type"] in ("Polygon", "MultiPolygon")) == 33


def test_the_map_geojson_gives_each_kecamatan_its_own_polygon_and_null_without_one(scored, analyst, tmp_path):
    kecamatan = json.loads(shared_data(KECAMATAN_BOUNDARIES).read_text())["features"]
    gondanglegi = next(f for f in kecamatan if f["properties"]["kode"] == GONDANGLEGI)
    only_gondanglegi = tmp_path / "gondanglegi.geojson"
    only_gondanglegi.write_text(json.dumps({"type": "FeatureCollection", "features": [gondanglegi]}))
    regions_attach_boundaries(only_gondanglegi)

    data = analyst.get("/ikp/peta.geojson").json()

    assert data["schematic"] is False
    geometry = {f["properties"]["kode"]: f["geometry"] for f in data["features"]}
    assert len(geometry) == 33  # the 32 without a polygon are still on the map's list and ranking
    assert geometry.pop(GONDANGLEGI) == gondanglegi["geometry"]
    assert set(geometry.values()) == {None}


def test_colouring_by_one_indicator(scored, analyst):
    data = analyst.get("/ikp/peta.geojson?colour=ind:12").json()
    fills = {f["properties"]["kode"]: f["properties"]["fill"] for f in data["features"]}
    assert fills[GONDANGLEGI] == RAMP[-1]  # the only kecamatan with indicator 12: 100
    assert fills["35.07.13"] == ZERO
    assert data["legend"][-1]["colour"] == ZERO
    by_dimension = analyst.get("/ikp/peta.geojson?colour=dim:sospol").json()
    assert {f["properties"]["fill"] for f in by_dimension["features"]} <= {*RAMP, ZERO}


def test_the_map_page_shows_ranking_and_exports(scored, analyst):
    page = analyst.get("/ikp/").content.decode()
    assert 'data-testid="ikp-map"' in page and "/static/ikp/map.js" in page
    assert 'data-testid="ranking"' in page and page.count("<tr data-kode=") == 33
    assert "/ikp/laporan.pdf" in page and "/ikp/peta.png" in page


def test_the_png_export_is_a_picture_of_the_map(scored, analyst):
    regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES))
    response = analyst.get("/ikp/peta.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('attachment; filename="ikp-kecamatan-run')
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1600, 1200)
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1_000_000) or []}
    for code in ("tinggi", "sedang"):
        hex_colour = CATEGORY_COLOURS[code].lstrip("#")
        assert tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)) in colours, code


def test_the_svg_export_has_one_path_per_kecamatan(scored, analyst):
    regions_attach_boundaries(shared_data(KECAMATAN_BOUNDARIES))
    response = analyst.get("/ikp/peta.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)  # noqa: S314 - our own server's SVG
    paths = root.findall(".//{http://www.w3.org/2000/svg}path")
    assert len(paths) == 33
    assert {p.get("data-kode") for p in paths} == {f"35.07.{n:02d}" for n in range(1, 34)}
    assert all(p.get("fill") in CATEGORY_COLOURS.values() for p in paths)


def test_the_svg_export_without_boundaries_is_a_schematic(scored, analyst):
    root = ET.fromstring(analyst.get("/ikp/peta.svg").content)  # noqa: S314 - our own SVG
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) == 33


def test_the_excel_export_holds_every_score(scored, analyst):
    response = analyst.get("/ikp/skor.xlsx")
    assert response["Content-Type"] == XLSX
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:3] == ["Ringkasan", "Skor", "Nilai indikator"]
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True)}
    assert "2024" in summary.values()
    scores = list(wb["Skor"].iter_rows(min_row=2, values_only=True))
    assert len(scores) == 33 and scores[0][1] == GONDANGLEGI and scores[0][0] == 1
    assert wb["Nilai indikator"].max_column == 2 + 61


def test_the_pdf_report(scored, analyst, make_user):
    response = analyst.get("/ikp/laporan.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 20_000

    # Its text, read from WeasyPrint's layout of the same HTML.
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    from awas.ikp import views

    request = analyst.get("/ikp/").wsgi_request
    page = views._score_request(request).page
    assert page is not None
    document = HTML(string=outputs.report_html(page)).render()

    def texts(box):
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", []):
            yield from texts(child)

    text = " ".join(t for p in document.pages for t in texts(p._page_box))
    for expected in (
        "Laporan Pemetaan Kerawanan",
        "Metodologi",
        "Analisis sensitivitas",
        "versi 2024",
        "tidak mempublikasikan bobot",
        "Gondanglegi",
    ):
        assert expected in text, expected


def test_the_region_breakdown(scored, role_client):
    client = role_client(Role.PANWASCAM, GONDANGLEGI)
    page = client.get(f"/ikp/wilayah/{GONDANGLEGI}/").content.decode()
    assert 'data-testid="region-breakdown"' in page and 'data-testid="dimension-scores"' in page
    assert page.count("<tr><td>") >= 4  # the four dimensions
    assert 'data-indikator="12"' in page
    assert 'data-testid="trend"' in page and "<polyline" in page
    partial = client.get(f"/ikp/wilayah/{GONDANGLEGI}/?partial=1").content.decode()
    assert "<html" not in partial and 'data-kode="35.07.10"' in partial
    assert client.get("/ikp/wilayah/35.07.13/").status_code == 404  # Kepanjen: not in its scope


def test_a_panwascam_sees_its_kecamatan_scored_against_all_33(scored, role_client):
    data = role_client(Role.PANWASCAM, GONDANGLEGI).get("/ikp/peta.geojson").json()
    assert [f["properties"]["kode"] for f in data["features"]] == [GONDANGLEGI]
    assert data["features"][0]["properties"]["rank"] == 1


def test_a_pkd_sees_its_desa(scored, role_client):
    data = role_client(Role.PKD, PUTAT_KIDUL).get("/ikp/peta.geojson").json()
    assert [f["properties"]["kode"] for f in data["features"]] == [PUTAT_KIDUL]


def test_sensitivity_on_request(scored, analyst):
    response = analyst.post(
        "/ikp/sensitivitas/?level=3",
        {
            "draws": 300,
            "concentration": "10,5",
            "dimension_concentration": "20",
            "percentile_share": "0,25",
            "seed": 4,
        },
    )
    assert response.status_code == 302 and response["Location"] == "/ikp/?level=3"
    run = SensitivityRun.objects.get(parameters__draws=300)
    assert run.parameters["concentration"] == 10.5 and run.parameters["percentile_share"] == 0.25
    assert analyst.get("/ikp/").context["page"].sensitivity == run  # the newest analysis is shown


# --- frameworks ----------------------------------------------------------------------------------


@pytest.fixture
def admin(role_client):
    return role_client(Role.ADMIN, KAB_MALANG)


def test_copy_edit_and_publish_through_the_pages(ikp2024, admin):
    assert "IKP Pemilu dan Pemilihan Serentak 2024" in admin.get("/ikp/kerangka/").content.decode()
    assert admin.get(f"/ikp/kerangka/{ikp2024.pk}/ubah/").status_code == 302  # read-only: copy first

    response = admin.post(f"/ikp/kerangka/{ikp2024.pk}/salin/", {"version": "2024-kantor", "name": ""})
    draft = Framework.objects.get(version="2024-kantor")
    assert response["Location"] == f"/ikp/kerangka/{draft.pk}/"
    assert draft.status == Framework.Status.DRAFT and draft.based_on == ikp2024

    form = admin.get(f"/ikp/kerangka/{draft.pk}/ubah/").context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"ind_12": "2,5", "dim_sospol": "1,5", "sev_tinggi": "4", "category_method": "cutoffs"})
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = admin.post(f"/ikp/kerangka/{draft.pk}/ubah/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.indicators.get(number=12).weight == 2.5
    assert draft.dimensions.get(code="sospol").weight == 1.5
    assert draft.severity_levels.get(code="tinggi").weight == 4.0
    assert draft.category_method == "cutoffs"
    assert AuditEntry.objects.filter(action="ikp_framework.weights_changed", object_id=str(draft.pk)).exists()
    detail = admin.get(f"/ikp/kerangka/{draft.pk}/").content.decode()
    assert "2,50" in detail  # Indonesian decimal comma

    response = admin.post(f"/ikp/kerangka/{draft.pk}/terbitkan/")
    draft.refresh_from_db()
    assert draft.status == Framework.Status.PUBLISHED and not draft.editable
    # The newest published framework is now the one scores use.
    assert admin.get("/ikp/").context["page"].run.framework == draft


def test_a_bad_edit_shows_the_problem(ikp2024, admin):
    draft = services.framework_copy(ikp2024, "draf", None)
    form = admin.get(f"/ikp/kerangka/{draft.pk}/ubah/").context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update({"cutoff_sedang": "60", "cutoff_tinggi": "40"})
    response = admin.post(f"/ikp/kerangka/{draft.pk}/ubah/", data)
    assert response.status_code == 200
    assert response.context["problems"]
    draft.refresh_from_db()
    assert draft.cutoff_sedang == 13.47


def test_only_the_admin_changes_frameworks(ikp2024, role_client):
    pimpinan = role_client(Role.PIMPINAN, KAB_MALANG)
    assert pimpinan.get(f"/ikp/kerangka/{ikp2024.pk}/").status_code == 200
    assert pimpinan.post(f"/ikp/kerangka/{ikp2024.pk}/salin/", {"version": "x"}).status_code == 403
    assert Framework.objects.count() == 1


def test_yaml_round_trip_through_the_pages(ikp2024, admin):
    text = admin.get(f"/ikp/kerangka/{ikp2024.pk}/ekspor.yaml").content
    upload = SimpleUploadedFile("ikp.yaml", text, content_type="application/yaml")
    response = admin.post("/ikp/kerangka/impor/", {"file": upload, "version": "yaml-1"})
    imported = Framework.objects.get(version="yaml-1")
    assert response["Location"] == f"/ikp/kerangka/{imported.pk}/"
    original, copy = framework_definition(ikp2024), framework_definition(imported)
    assert {**copy, "version": "2024"} == original
    assert yaml.safe_load(text)["version"] == "2024"


def test_excel_round_trip_through_the_pages(ikp2024, admin):
    response = admin.get(f"/ikp/kerangka/{ikp2024.pk}/ekspor.xlsx")
    assert response["Content-Type"] == XLSX
    upload = SimpleUploadedFile("ikp.xlsx", response.content, content_type=XLSX)
    admin.post("/ikp/kerangka/impor/", {"file": upload, "version": "excel-1"})
    imported = Framework.objects.get(version="excel-1")
    assert {**framework_definition(imported), "version": "2024"} == framework_definition(ikp2024)
    assert Indicator.objects.filter(framework=imported).count() == 61


def test_excel_import_names_the_sheet_and_row_of_each_problem(ikp2024, admin):
    wb = load_workbook(io.BytesIO(services.framework_export_xlsx(ikp2024)))
    indicators = wb["Indikator"]
    indicators["E14"] = "satu"  # a weight that is not a number (row 14: indicator 13)
    indicators["C20"] = 9  # a sub-dimension that does not exist
    wb["Dimensi"]["D3"] = -1  # a negative dimension weight
    out = io.BytesIO()
    wb.save(out)
    response = admin.post(
        "/ikp/kerangka/impor/", {"file": SimpleUploadedFile("rusak.xlsx", out.getvalue(), content_type=XLSX)}
    )
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("Indikator" in p and "20" in p for p in problems), problems
    assert Framework.objects.count() == 1

    indicators["C20"] = indicators["C19"].value  # fix the structure: the field problems remain
    out = io.BytesIO()
    wb.save(out)
    response = admin.post(
        "/ikp/kerangka/impor/", {"file": SimpleUploadedFile("rusak.xlsx", out.getvalue(), content_type=XLSX)}
    )
    problems = response.context["problems"]
    assert len(problems) == 2, problems
    assert any("Indikator" in p and "14" in p and "bobot" in p for p in problems), problems
    assert any("Dimensi" in p and "3" in p and "bobot" in p for p in problems), problems
    assert Framework.objects.count() == 1


def test_the_kabupaten_level_scores_the_kabupaten_of_the_province(scored, analyst):
    page = analyst.get("/ikp/?level=2")
    assert page.status_code == 200
    assert page.context["single_region"] is True  # only Kabupaten Malang is loaded
    data = analyst.get("/ikp/peta.geojson?level=2").json()
    assert [f["properties"]["kode"] for f in data["features"]] == [KAB_MALANG]
    assert data["features"][0]["properties"]["kejadian"] == 15
    assert analyst.get("/ikp/peta.png?level=2").status_code == 200
    assert analyst.get(f"/ikp/wilayah/{KAB_MALANG}/").status_code == 200
