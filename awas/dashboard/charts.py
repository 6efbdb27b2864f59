"""Charts as SVG written on the server: bars, a stacked bar, a donut, a monthly line and a map.

No chart library and nothing fetched: each function returns one ``<svg>`` element (a
``SafeString``; every text in it is escaped here) that the page, the PDF (WeasyPrint draws inline
SVG) and a phone all show alike. Every mark carries its number twice: as visible text and as a
``<title>`` tooltip, and the page puts the same numbers in a table beside the picture.

Coordinates are written with a full stop whatever the language; numbers shown to people go through
Django's number formatting (``1.234`` in Indonesian).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from django.utils import formats
from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Arial, sans-serif"
INK = "#1d2733"
MUTED = "#5b6776"
GRID = "#d8dee6"
BACK = "#dfe6ee"
BRAND = "#8b1e1e"
NO_DATA = "#e6e9ed"
LABEL_CHARS = 26


def number(value: float | int, decimals: int | None = None) -> str:
    """``1.234`` / ``12,50`` in Indonesian (``1,234`` / ``12.50`` in English)."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def percent(part: float, whole: float) -> str:
    return f"{round(100 * part / whole) if whole else 0}%"


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _text(x: float, y: float, text: str, **attrs: Any) -> str:
    extra = "".join(f" {key.replace('_', '-')}={quoteattr(str(value))}" for key, value in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


HEADING = 22  # room above a chart for its title


def _svg(
    width: float, height: float, title: str, testid: str, body: list[str], css: str = "chart"
) -> SafeString:
    """The ``<svg>`` element: the title written above the drawing (and as its accessible name)."""
    height += HEADING
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css}" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" style="max-width:{width:.0f}px" role="img"'
        f" aria-label={quoteattr(title)}"
        f' data-testid={quoteattr(testid)} font-family="{FONT}" font-size="12" fill="{INK}">'
        f"<title>{escape(title)}</title>"
        + _text(0, 14, title, font_size=13, font_weight="bold")
        + f'<g transform="translate(0,{HEADING})">'
    )
    # Every text inside was escaped above; the element itself is ours.
    return mark_safe(head + "".join(body) + "</g></svg>")  # noqa: S308


def _empty(width: float, title: str, testid: str, message: str) -> SafeString:
    return _svg(width, 40, title, testid, [_text(0, 24, message, fill=MUTED)])


# --- bars ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar. With ``back`` (e.g. planned) a pale bar of that length is drawn behind ``value``."""

    label: str
    value: float
    colour: str = BRAND
    back: float | None = None
    decimals: int | None = None


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    testid: str,
    empty: str = "",
    width: int = 520,
    label_width: int = 180,
    bar_height: int = 18,
    gap: int = 7,
) -> SafeString:
    """Horizontal bars, label on the left and the number at the end of each bar."""
    if not bars:
        return _empty(width, title, testid, empty)
    number_width = 80 if any(b.back is not None for b in bars) else 56
    scale_width = width - label_width - number_width
    top = max(max(b.value, b.back or 0) for b in bars) or 1
    body = []
    for i, bar in enumerate(bars):
        y = 4 + i * (bar_height + gap)
        text_y = y + bar_height - 5
        shown = number(bar.value, bar.decimals)
        tip = f"{bar.label}: {shown}"
        if bar.back is not None:
            shown = f"{shown}/{number(bar.back, bar.decimals)}"
            tip = f"{bar.label}: {shown}"
            back_w = scale_width * bar.back / top
            body.append(
                f'<rect x="{label_width}" y="{y}" width="{back_w:.1f}" height="{bar_height}" fill="{BACK}"/>'
            )
        value_w = scale_width * bar.value / top
        label = _short(bar.label, int(label_width / 6.8))  # about 6.8 px a character at 12 px
        body.append(_text(label_width - 6, text_y, label, text_anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y}" width="{max(value_w, 0.0):.1f}" height="{bar_height}" '
            f'fill="{bar.colour}"><title>{escape(tip)}</title></rect>'
        )
        end = label_width + max(value_w, (scale_width * (bar.back or 0) / top)) + 5
        body.append(_text(end, text_y, shown, font_weight="bold"))
    height = 8 + len(bars) * (bar_height + gap)
    return _svg(width, height, title, testid, body)


@dataclass(frozen=True)
class Segment:
    label: str
    value: int
    colour: str


def _legend_rows(segments: Sequence[Segment], x: float, y: float, total: int) -> list[str]:
    body = []
    for i, seg in enumerate(segments):
        row_y = y + i * 20
        body.append(f'<rect x="{x:.1f}" y="{row_y - 11:.1f}" width="13" height="13" fill="{seg.colour}"/>')
        body.append(_text(x + 19, row_y, f"{seg.label}: {number(seg.value)} ({percent(seg.value, total)})"))
    return body


def stacked_bar(segments: Sequence[Segment], *, title: str, testid: str, width: int = 520) -> SafeString:
    """One bar split into parts of a whole, with a legend line per part."""
    total = sum(s.value for s in segments)
    body = []
    x = 0.0
    if total:
        for seg in segments:
            w = width * seg.value / total
            if w > 0:
                body.append(
                    f'<rect x="{x:.1f}" y="4" width="{w:.1f}" height="28" fill="{seg.colour}">'
                    f"<title>{escape(seg.label)}: {number(seg.value)}</title></rect>"
                )
                if w > 34:
                    body.append(_text(x + w / 2, 23, number(seg.value), text_anchor="middle", fill="#ffffff"))
            x += w
    else:
        body.append(f'<rect x="0" y="4" width="{width}" height="28" fill="{NO_DATA}"/>')
    body += _legend_rows(segments, 0, 56, total)
    return _svg(width, 50 + 20 * len(segments), title, testid, body)


def _arc(cx: float, cy: float, r_out: float, r_in: float, start: float, end: float) -> str:
    """A ring sector from ``start`` to ``end`` (fractions of a turn, clockwise from the top)."""

    def point(r: float, turn: float) -> tuple[float, float]:
        angle = 2 * math.pi * turn - math.pi / 2
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    large = 1 if end - start > 0.5 else 0
    x1, y1 = point(r_out, start)
    x2, y2 = point(r_out, end)
    x3, y3 = point(r_in, end)
    x4, y4 = point(r_in, start)
    return (
        f"M{x1:.2f},{y1:.2f} A{r_out},{r_out} 0 {large} 1 {x2:.2f},{y2:.2f} "
        f"L{x3:.2f},{y3:.2f} A{r_in},{r_in} 0 {large} 0 {x4:.2f},{y4:.2f} Z"
    )


def donut(
    segments: Sequence[Segment], *, title: str, testid: str, centre_label: str = "", width: int = 520
) -> SafeString:
    """Parts of a whole as a ring, the total in the middle, a legend line per part beside it."""
    total = sum(s.value for s in segments)
    cx = cy = 80.0
    r_out, r_in = 74.0, 44.0
    body = []
    if total:
        turn = 0.0
        for seg in segments:
            share = seg.value / total
            if share <= 0:
                continue
            # A full ring cannot be one arc (start = end): draw it as two halves.
            parts = (
                [(turn, turn + share / 2), (turn + share / 2, turn + share)]
                if share > 0.999
                else [(turn, turn + share)]
            )
            for start, end in parts:
                tip = f"{seg.label}: {number(seg.value)} ({percent(seg.value, total)})"
                body.append(
                    f'<path d="{_arc(cx, cy, r_out, r_in, start, end)}" fill="{seg.colour}">'
                    f"<title>{escape(tip)}</title></path>"
                )
            turn += share
    else:
        body.append(f'<circle cx="{cx}" cy="{cy}" r="{(r_out + r_in) / 2}" fill="none" stroke="{NO_DATA}" '
                    f'stroke-width="{r_out - r_in}"/>')  # fmt: skip
    body.append(_text(cx, cy + 6, number(total), text_anchor="middle", font_size=20, font_weight="bold"))
    if centre_label:
        body.append(_text(cx, cy + 22, centre_label, text_anchor="middle", font_size=10, fill=MUTED))
    legend_y = max(cy - 10 * len(segments) + 12, 16)
    body += _legend_rows(segments, 2 * cx + 18, legend_y, total)
    return _svg(width, max(2 * cy, legend_y + 20 * len(segments)), title, testid, body)


# --- a monthly line ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]
    colour: str


def _nice_top(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10^k at or above ``value`` (at least 4, for whole ticks)."""
    if value <= 4:
        return 4
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def line_chart(
    series: Sequence[Series],
    labels: Sequence[str],
    *,
    title: str,
    testid: str,
    width: int = 640,
    height: int = 240,
) -> SafeString:
    """One line per series over the months in ``labels``; the last value of each line is written."""
    left, right, top_pad, bottom = 44.0, 44.0, 34.0, 26.0
    inner_w, inner_h = width - left - right, height - top_pad - bottom
    top = _nice_top(max((max(s.values, default=0) for s in series), default=0))
    step = inner_w / max(len(labels) - 1, 1)
    body = []
    for k in range(5):
        value = top * k / 4
        y = top_pad + inner_h * (1 - k / 4)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, number(value, 0 if value == int(value) else 1), text_anchor="end",
                          font_size=10, fill=MUTED))  # fmt: skip
    for i, label in enumerate(labels):
        body.append(_text(left + i * step, height - 8, label, text_anchor="middle", font_size=10, fill=MUTED))
    x = left
    for s in series:
        body.append(f'<rect x="{x:.1f}" y="8" width="14" height="4" fill="{s.colour}"/>')
        body.append(_text(x + 19, 15, s.label, font_size=11))
        x += 30 + 7 * len(s.label)
    for s in series:
        points = [(left + i * step, top_pad + inner_h * (1 - v / top)) for i, v in enumerate(s.values)]
        if not points:
            continue
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.2"/>')
        for (px, py), value, label in zip(points, s.values, labels, strict=False):
            body.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{s.colour}">'
                f"<title>{escape(s.label)}, {escape(label)}: {number(value)}</title></circle>"
            )
        last_x, last_y = points[-1]
        body.append(_text(last_x + 6, last_y + 4, number(s.values[-1]), font_size=11, font_weight="bold",
                          fill=s.colour))  # fmt: skip
    return _svg(width, height, title, testid, body)


# --- the map -------------------------------------------------------------------------------------

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class MapShape:
    code: str
    name: str
    geometry: dict[str, Any] | None  # GeoJSON Polygon / MultiPolygon, [lon, lat]
    fill: str
    note: str = ""
    href: str = ""


def _rings(geometry: dict[str, Any] | None) -> list[Ring]:
    if not geometry:
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(p[0]), float(p[1])) for p in ring] for polygon in polygons for ring in polygon]


def _centre(rings: list[Ring]) -> Point:
    """The centroid of the largest ring (where the name goes)."""
    best: tuple[float, Point] = (-1.0, (0.0, 0.0))
    for ring in rings:
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > best[0]:
            best = (abs(area), (cx / (3 * area), cy / (3 * area)) if area else ring[0])
    return best[1]


def _simplified(points: list[Point], tolerance: float) -> list[Point]:
    """Ramer–Douglas–Peucker: drop points closer than ``tolerance`` (pixels) to the simplified line."""
    if len(points) < 4 or tolerance <= 0:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        worst, worst_at = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = math.hypot(px - x1, py - y1)
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def choropleth(
    shapes: Sequence[MapShape],
    *,
    title: str,
    testid: str,
    width: int = 560,
    max_height: int = 560,
    labels: bool = True,
) -> SafeString:
    """Regions filled by their category; real boundaries when loaded, else a grid in code order.

    One ``<path>`` per region (``data-kode``), its name and figures in a ``<title>`` tooltip, a link
    when ``href`` is set. Boundaries are projected equirectangularly with longitudes shrunk by
    cos(latitude), then simplified to about half a pixel (the detailed kecamatan boundaries of Kab.
    Malang: some 170 kB of SVG unsimplified, 75 kB simplified, 24 kB gzipped).
    """
    if not shapes:
        return _empty(width, title, testid, "")
    pad = 6.0
    rings = {s.code: _rings(s.geometry) for s in shapes}
    geographic = any(rings.values())
    if not geographic:
        cols = max(1, math.ceil(math.sqrt(len(shapes))))
        cell_w, cell_h = (width - 2 * pad) / cols, 34.0
        for i, s in enumerate(shapes):
            r, c = divmod(i, cols)
            x0, y0 = pad + c * cell_w, pad + r * cell_h
            box = [(x0, y0), (x0 + cell_w - 3, y0), (x0 + cell_w - 3, y0 + cell_h - 3), (x0, y0 + cell_h - 3)]
            rings[s.code] = [box]
        height = 2 * pad + math.ceil(len(shapes) / cols) * cell_h

        def project(p: Point) -> Point:
            return p

        min_step = tolerance = 0.0  # boxes: nothing to simplify
    else:
        points = [p for rs in rings.values() for ring in rs for p in ring]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        x_min, x_max, y_min, y_max = min(xs), max(xs), min(ys), max(ys)
        factor = math.cos(math.radians((y_min + y_max) / 2))
        span_x, span_y = max((x_max - x_min) * factor, 1e-9), max(y_max - y_min, 1e-9)
        scale = min((width - 2 * pad) / span_x, (max_height - 2 * pad) / span_y)
        height = 2 * pad + span_y * scale
        offset_x = pad + ((width - 2 * pad) - span_x * scale) / 2

        def project(p: Point) -> Point:
            return offset_x + (p[0] - x_min) * factor * scale, pad + (y_max - p[1]) * scale

        # At map size most boundary points fall on the same pixel or on a straight run of pixels.
        min_step, tolerance = 0.6, 0.6
    body = ['<g class="regions" stroke="#ffffff" stroke-width="0.8" stroke-linejoin="round">']
    label_marks = []
    for s in shapes:
        parts = []
        for ring in rings[s.code]:
            out: list[Point] = []
            for p in ring:
                x, y = project(p)
                if out and abs(x - out[-1][0]) < min_step and abs(y - out[-1][1]) < min_step:
                    continue
                out.append((x, y))
            out = _simplified(out, tolerance)
            if len(out) >= 3:
                parts.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in out) + " Z")
        tip = f"{s.name}: {s.note}" if s.note else s.name
        path = (
            f'<path d="{" ".join(parts)}" fill="{s.fill}" fill-rule="evenodd" data-kode={quoteattr(s.code)}>'
            f"<title>{escape(tip)}</title></path>"
        )
        body.append(f"<a href={quoteattr(s.href)}>{path}</a>" if s.href else path)
        if labels:
            cx, cy = project(_centre(rings[s.code])) if rings[s.code] else (0.0, 0.0)
            label_marks.append(_text(cx, cy + 3, s.name.title() if s.name.isupper() else s.name,
                                     text_anchor="middle"))  # fmt: skip
    body.append("</g>")
    if labels:
        # A white halo under each name, drawn as a first copy (paint-order is not in every renderer).
        names = "".join(label_marks)
        body.append(
            '<g class="labels" font-size="8" pointer-events="none">'
            '<g fill="#ffffff" stroke="#ffffff" stroke-width="2.2" stroke-linejoin="round" opacity="0.85">'
            f"{names}</g>"
            f'<g fill="{INK}">{names}</g></g>'
        )
    return _svg(width, height, title, testid, body, css="chart map")
