"""The vulnerability map as a picture: SVG (paths written here) and PNG (drawn with Pillow).

No tile server and no browser: each region's GeoJSON boundary (WGS84 lon/lat) is projected with a
plain equirectangular projection, longitudes shrunk by cos(mean latitude) so shapes keep their
proportions at Malang's 8° south, and scaled to fit the picture. Regions without a boundary are
drawn as a labelled schematic grid in code order, as the web map does. Regions whose category is
unstable under the sensitivity analysis get a dashed black outline, as on the web map.

The SVG holds exactly one ``<path>`` per region (the legend is made of ``<rect>`` and ``<text>``),
so it can be embedded in the PDF report and checked by counting paths.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageDraw, ImageFont

from awas.ikp.legend import OUTLINE, UNSTABLE_OUTLINE, LegendItem

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # exterior ring first, then holes

LABEL_LIMIT = 60  # regions above this many are drawn without name labels


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    polygons: list[Polygon]  # in map units (lon, lat) or schematic units; y grows upwards
    fill: str
    unstable: bool = False
    note: str = ""  # tooltip text in the SVG


@dataclass(frozen=True)
class MapPicture:
    title: str
    subtitle: str
    footer: str
    shapes: list[Shape]
    legend: list[LegendItem]
    legend_title: str
    unstable_label: str = ""
    schematic: bool = False
    schematic_label: str = ""


def polygons_of(geometry: dict[str, Any] | None) -> list[Polygon]:
    """The polygons of a GeoJSON Polygon or MultiPolygon (anything else: none)."""
    if not geometry:
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    raw = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[[(float(x), float(y)) for x, y, *_rest in ring] for ring in polygon] for polygon in raw]


def schematic_polygons(count: int) -> list[list[Polygon]]:
    """One box per region in a grid (code order), as ``regions/map.js`` draws it."""
    cols = max(1, math.ceil(math.sqrt(count)))
    boxes = []
    for i in range(count):
        r, c = divmod(i, cols)
        x0, y0 = c * 14.0, -r * 10.0
        boxes.append([[[(x0, y0), (x0 + 13, y0), (x0 + 13, y0 - 9), (x0, y0 - 9), (x0, y0)]]])
    return boxes


# --- projection ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Map units -> pixels inside the box (left, top, width, height), north up."""

    x_min: float
    y_max: float
    x_factor: float  # cos(latitude) for lon/lat, 1 for the schematic
    scale: float
    left: float
    top: float

    def __call__(self, point: Point) -> Point:
        x, y = point
        return (
            self.left + (x - self.x_min) * self.x_factor * self.scale,
            self.top + (self.y_max - y) * self.scale,
        )


def fit(shapes: Sequence[Shape], box: tuple[float, float, float, float], *, geographic: bool) -> Projection:
    points = [p for s in shapes for polygon in s.polygons for ring in polygon for p in ring]
    left, top, width, height = box
    if not points:
        return Projection(0, 0, 1, 1, left, top)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
    factor = math.cos(math.radians((y_min + y_max) / 2)) if geographic else 1.0
    span_x = max((x_max - x_min) * factor, 1e-9)
    span_y = max(y_max - y_min, 1e-9)
    scale = min(width / span_x, height / span_y)
    # Centre the drawing in the box.
    left += (width - span_x * scale) / 2
    top += (height - span_y * scale) / 2
    return Projection(x_min, y_max, factor, scale, left, top)


def label_point(polygons: list[Polygon]) -> Point:
    """The area-weighted centroid of the largest polygon's exterior (a good enough label spot)."""
    best: tuple[float, Point] = (-1.0, (0.0, 0.0))
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > best[0]:
            centre = (cx / (3 * area), cy / (3 * area)) if area else ring[0]
            best = (abs(area), centre)
    return best[1]


def project_ring(project: Projection, ring: Ring, min_step: float = 0.75) -> list[Point]:
    """A ring in pixels, without points closer than ``min_step`` pixels to the last one kept.

    Desa boundaries hold some 54,000 vertices; at map size most of them fall on the same pixel,
    and dropping them makes the SVG (and the PDF that embeds it) several times smaller and faster.
    """
    out: list[Point] = []
    for point in ring:
        x, y = project(point)
        if out and abs(x - out[-1][0]) < min_step and abs(y - out[-1][1]) < min_step:
            continue
        out.append((x, y))
    if len(out) < 4 and len(ring) >= 4:  # keep tiny rings drawable
        out = [project(p) for p in ring]
    return out


# --- SVG -----------------------------------------------------------------------------------------


def _svg_text(x: float, y: float, text: str, **attrs: Any) -> str:
    """``<text>`` with attributes (underscores in names become dashes) and escaped content."""
    extra = "".join(f' {key.replace("_", "-")}="{value}"' for key, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


SVG_WIDTH, SVG_HEIGHT = 1000, 760


def _layout(width: float, height: float) -> tuple[tuple[float, float, float, float], float]:
    """The map box and the x where the legend column starts."""
    legend_x = width - 270
    return (20, 80, legend_x - 40, height - 120), legend_x


def render_svg(picture: MapPicture, *, width: int = SVG_WIDTH, height: int = SVG_HEIGHT) -> str:
    box, legend_x = _layout(width, height)
    project = fit(picture.shapes, box, geographic=not picture.schematic)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(picture.title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _svg_text(20, 34, picture.title, font_size=22, font_weight="bold", fill="#1d2733"),
        _svg_text(20, 60, picture.subtitle, font_size=13, fill="#5b6776"),
        f'<g id="regions" stroke="{OUTLINE}" stroke-width="0.7" stroke-linejoin="round">',
    ]
    for shape in picture.shapes:
        d = " ".join(
            "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in project_ring(project, ring)) + " Z"
            for polygon in shape.polygons
            for ring in polygon
        )
        extra = ""
        if shape.unstable:
            extra = f' stroke="{UNSTABLE_OUTLINE}" stroke-width="2" stroke-dasharray="5 3"'
        tooltip = escape(f"{shape.name} ({shape.code}){': ' + shape.note if shape.note else ''}")
        out.append(
            f'<path d="{d}" fill="{shape.fill}" fill-rule="evenodd" data-kode={quoteattr(shape.code)}'
            f' data-unstable="{int(shape.unstable)}"{extra}><title>{tooltip}</title></path>'
        )
    out.append("</g>")
    if len(picture.shapes) <= LABEL_LIMIT:
        out.append('<g id="labels" font-size="9" fill="#1d2733" text-anchor="middle">')
        for shape in picture.shapes:
            x, y = project(label_point(shape.polygons))
            out.append(f'<text x="{x:.1f}" y="{y + 3:.1f}">{escape(shape.name)}</text>')
        out.append("</g>")
    y = 100.0
    out.append(f'<g id="legend" font-size="12" fill="#1d2733" transform="translate({legend_x:.0f},0)">')
    out.append(f'<text x="0" y="{y:.0f}" font-weight="bold">{escape(picture.legend_title)}</text>')
    y += 14
    for item in picture.legend:
        out.append(
            f'<rect x="0" y="{y:.0f}" width="22" height="14" fill="{item.colour}" stroke="{OUTLINE}" '
            'stroke-width="0.5"/>'
        )
        out.append(f'<text x="30" y="{y + 11:.0f}">{escape(item.label)}</text>')
        y += 22
    if picture.unstable_label:
        y += 6
        out.append(
            f'<rect x="0" y="{y:.0f}" width="22" height="14" fill="none" stroke="{UNSTABLE_OUTLINE}" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        out.append(f'<text x="30" y="{y + 11:.0f}">{escape(picture.unstable_label)}</text>')
        y += 22
    if picture.schematic and picture.schematic_label:
        out.append(_svg_text(0, y + 20, picture.schematic_label, font_size=10, fill="#b26a00"))
    out.append("</g>")
    out.append(
        f'<text x="20" y="{height - 14}" font-size="10" fill="#5b6776">{escape(picture.footer)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)


# --- PNG -----------------------------------------------------------------------------------------

PNG_WIDTH, PNG_HEIGHT = 1600, 1200
_SUPERSAMPLE = 2  # drawn at twice the size, then reduced: smooth edges without anti-aliasing support


@lru_cache(maxsize=16)
def _font(size: int, bold: bool = False) -> Any:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for candidate in (name, f"/usr/share/fonts/truetype/dejavu/{name}"):
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def _dashed(draw: Any, points: Sequence[Point], *, fill: str, width: int, dash: float, gap: float) -> None:
    """A dashed polyline (Pillow draws only solid lines)."""
    on, remaining = True, dash
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        position = 0.0
        while position < length:
            step = min(remaining, length - position)
            if on:
                t0, t1 = position / length, (position + step) / length
                draw.line(
                    [(x1 + (x2 - x1) * t0, y1 + (y2 - y1) * t0), (x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1)],
                    fill=fill,
                    width=width,
                )
            position += step
            remaining -= step
            if remaining <= 1e-9:
                on = not on
                remaining = dash if on else gap


def render_png(picture: MapPicture, *, width: int = PNG_WIDTH, height: int = PNG_HEIGHT) -> bytes:
    s = _SUPERSAMPLE
    big_w, big_h = width * s, height * s
    image = Image.new("RGB", (big_w, big_h), "white")
    draw = ImageDraw.Draw(image)
    box, legend_x = _layout(width, height)
    project = fit(picture.shapes, tuple(v * s for v in box), geographic=not picture.schematic)  # type: ignore[arg-type]

    for shape in picture.shapes:
        rings_px = [[project_ring(project, ring, s * 0.5) for ring in polygon] for polygon in shape.polygons]
        xs = [x for polygon in rings_px for ring in polygon for x, _y in ring]
        ys = [y for polygon in rings_px for ring in polygon for _x, y in ring]
        if not xs:
            continue
        x0, y0 = max(int(min(xs)) - 1, 0), max(int(min(ys)) - 1, 0)
        x1, y1 = min(int(max(xs)) + 2, big_w), min(int(max(ys)) + 2, big_h)
        if x1 <= x0 or y1 <= y0:
            continue
        # A mask of the region (holes cut out), then the fill pasted through it.
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        mask_draw = ImageDraw.Draw(mask)
        for polygon in rings_px:
            for n, ring in enumerate(polygon):
                if len(ring) >= 3:
                    mask_draw.polygon([(x - x0, y - y0) for x, y in ring], fill=0 if n else 255)
        image.paste(_rgb(shape.fill), (x0, y0, x1, y1), mask)
    for shape in picture.shapes:
        for polygon in shape.polygons:
            for ring in polygon:
                points = project_ring(project, ring, s * 0.5)
                if len(points) >= 2:
                    draw.line(points, fill=OUTLINE, width=max(1, s), joint="curve")
    for shape in picture.shapes:  # unstable outlines last, on top of their neighbours' edges
        if shape.unstable:
            for polygon in shape.polygons:
                points = project_ring(project, polygon[0], s * 0.5)
                _dashed(draw, points, fill=UNSTABLE_OUTLINE, width=3 * s, dash=10 * s, gap=6 * s)

    if len(picture.shapes) <= LABEL_LIMIT:
        font = _font(10 * s)
        for shape in picture.shapes:
            x, y = project(label_point(shape.polygons))
            draw.text((x, y), shape.name, fill="#1d2733", font=font, anchor="mm")

    draw.text((20 * s, 14 * s), picture.title, fill="#1d2733", font=_font(24 * s, bold=True))
    draw.text((20 * s, 48 * s), picture.subtitle, fill="#5b6776", font=_font(14 * s))
    y = 90 * s
    lx = int(legend_x * s)
    draw.text((lx, y), picture.legend_title, fill="#1d2733", font=_font(14 * s, bold=True))
    y += 26 * s
    small = _font(13 * s)
    for item in picture.legend:
        draw.rectangle([lx, y, lx + 26 * s, y + 16 * s], fill=item.colour, outline=OUTLINE, width=s)
        draw.text((lx + 34 * s, y - 1 * s), item.label, fill="#1d2733", font=small)
        y += 26 * s
    if picture.unstable_label:
        y += 6 * s
        corners = [(lx, y), (lx + 26 * s, y), (lx + 26 * s, y + 16 * s), (lx, y + 16 * s), (lx, y)]
        _dashed(draw, corners, fill=UNSTABLE_OUTLINE, width=3 * s, dash=8 * s, gap=5 * s)
        draw.text((lx + 34 * s, y - 1 * s), picture.unstable_label, fill="#1d2733", font=small)
        y += 26 * s
    if picture.schematic and picture.schematic_label:
        draw.text((lx, y + 10 * s), picture.schematic_label, fill="#b26a00", font=_font(11 * s))
    draw.text((20 * s, (height - 22) * s), picture.footer, fill="#5b6776", font=_font(11 * s))

    image = image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# --- sparkline -----------------------------------------------------------------------------------


def render_sparkline(
    values: Sequence[float],
    labels: Sequence[str],
    *,
    width: int = 280,
    height: int = 70,
    colour: str = "#8b1e1e",
    max_label: str = "",
) -> str:
    """A small SVG line chart of a monthly series (0-100 scale kept relative to its own maximum)."""
    if not values:
        return ""
    top = max(max(values), 1e-9)
    pad_x, pad_top, pad_bottom = 6.0, 8.0, 16.0
    inner_w, inner_h = width - 2 * pad_x, height - pad_top - pad_bottom
    step = inner_w / max(len(values) - 1, 1)
    points = [(pad_x + i * step, pad_top + inner_h * (1 - v / top)) for i, v in enumerate(values)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    base = pad_top + inner_h
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="sparkline" role="img" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="9">',
        f'<line x1="{pad_x}" y1="{base}" x2="{width - pad_x}" y2="{base}" stroke="#d8dee6"/>',
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.8"/>',
    ]
    for (x, y), value, label in zip(points, values, labels, strict=True):
        shown = f"{value:.2f}".replace(".", ",")
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}">'
            f"<title>{escape(label)}: {shown}</title></circle>"
        )
    out.append(_svg_text(pad_x, height - 3, labels[0], fill="#5b6776"))
    if len(labels) > 1:
        out.append(_svg_text(width - pad_x, height - 3, labels[-1], fill="#5b6776", text_anchor="end"))
    if max_label:
        out.append(_svg_text(width - pad_x, pad_top, max_label, fill="#5b6776", text_anchor="end"))
    out.append("</svg>")
    return "".join(out)
