"""The SVG charts: well-formed, escaped, every mark with its number, no fetch of anything."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.utils import translation

from awas.dashboard import charts
from awas.dashboard.charts import Bar, MapShape, Segment, Series

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output)


def texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def test_bars_write_each_number_and_escape_labels():
    svg = charts.bar_chart(
        [Bar("<script>alert(1)</script>", 1234), Bar("Temuan", 7, back=10)],
        title="Perkara & status",
        testid="t",
    )
    root = parse(svg)
    assert root.get("data-testid") == "t"
    assert "<script>" not in svg
    with translation.override("id"):
        again = charts.bar_chart([Bar("Laporan", 1234)], title="x", testid="t")
    assert "1.234" in texts(again)  # Indonesian grouping
    assert "7/10" in texts(svg)  # done of planned
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}title").text == "Perkara & status"  # type: ignore[union-attr]
    assert "Perkara & status" in texts(svg)  # the title is written above the picture too


def test_an_empty_chart_says_so():
    svg = charts.bar_chart([], title="Perkara", testid="t", empty="Belum ada perkara.")
    assert "Belum ada perkara." in texts(svg)


def test_stacked_bar_and_donut_show_shares():
    parts = [Segment("Lewat tenggat", 2, "#b3261e"), Segment("Tepat waktu", 6, "#1b7f3b")]
    assert any("2 (25%)" in t for t in texts(charts.stacked_bar(parts, title="Risiko", testid="r")))
    donut = charts.donut(parts, title="Jenis", testid="d")
    assert "8" in texts(donut)  # the total in the middle
    assert len(list(parse(donut).iter(f"{SVG}path"))) == 2
    whole = charts.donut([Segment("Laporan", 5, "#8b1e1e")], title="Jenis", testid="d")
    assert len(list(parse(whole).iter(f"{SVG}path"))) == 2  # a full ring drawn as two halves
    nothing = charts.donut([Segment("Laporan", 0, "#8b1e1e")], title="Jenis", testid="d")
    assert len(list(parse(nothing).iter(f"{SVG}circle"))) == 1


def test_line_chart_has_a_point_per_month_and_writes_the_last_value():
    labels = [f"M{i}" for i in range(12)]
    svg = charts.line_chart(
        [Series("Perkara", list(range(12)), "#8b1e1e"), Series("Kejadian", [0] * 12, "#b26a00")],
        labels,
        title="Tren",
        testid="trend",
    )
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 24
    assert "11" in texts(svg)


def test_the_map_draws_boundaries_or_a_schematic():
    square = {
        "type": "Polygon",
        "coordinates": [[[112.5, -8.1], [112.6, -8.1], [112.6, -8.0], [112.5, -8.1]]],
    }
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"]]}
    svg = charts.choropleth(
        [
            MapShape(
                "35.07.10", "GONDANGLEGI", square, "#d32f2f", note="Tinggi", href="/ikp/wilayah/35.07.10/"
            ),
            MapShape("35.07.13", "KEPANJEN", multi, "#fbc02d"),
        ],
        title="Peta",
        testid="m",
    )
    paths = [p for p in parse(svg).iter(f"{SVG}path")]
    assert [p.get("data-kode") for p in paths] == ["35.07.10", "35.07.13"]
    assert paths[0].get("d", "").startswith("M")
    assert "Gondanglegi" in texts(svg)  # names as people write them
    assert 'href="/ikp/wilayah/35.07.10/"' in svg
    schematic = charts.choropleth(
        [MapShape("35.07.10", "Gondanglegi", None, "#e6e9ed")], title="Peta", testid="m"
    )
    assert len(list(parse(schematic).iter(f"{SVG}path"))) == 1


def test_boundaries_are_simplified_to_about_half_a_pixel():
    line = [(float(i), 0.01 * (i % 2)) for i in range(200)]  # a straight run with sub-pixel wobble
    assert charts._simplified(line, 0.6) == [line[0], line[-1]]
    corner = [(0.0, 0.0), (5.0, 0.0), (10.0, 0.0), (10.0, 5.0), (10.0, 10.0)]
    assert charts._simplified(corner, 0.6) == [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]
