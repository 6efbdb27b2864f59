"""Colours of the vulnerability maps, shared by the web map, the PNG and SVG exports and the report.

The composite is shown in the three category colours (rendah / sedang / tinggi, as Bawaslu's maps
do); a dimension score or one indicator, both 0-100, in five equal classes of one hue, with
"no kejadian" (exactly 0) in grey so that an empty region is never mistaken for a low one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

CATEGORY_COLOURS = {"rendah": "#4caf50", "sedang": "#fbc02d", "tinggi": "#d32f2f"}
NO_DATA = "#e0e0e0"  # a region the run has no score for
ZERO = "#eeeeee"  # a dimension or indicator with no kejadian in the region
RAMP = ("#fee6ce", "#fdae6b", "#f16913", "#d94801", "#7f2704")  # 0-20, 20-40, ... 80-100
OUTLINE = "#5b5b5b"
UNSTABLE_OUTLINE = "#111111"


def category_label(code: str) -> str:
    return {"rendah": _("low (rendah)"), "sedang": _("medium (sedang)"), "tinggi": _("high (tinggi)")}.get(
        code, code
    )


def ramp_colour(value: float | None) -> str:
    if value is None:
        return NO_DATA
    if value <= 0:
        return ZERO
    return RAMP[min(int(value // 20), len(RAMP) - 1)]


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str


def category_legend(thresholds: tuple[float, float], method: str = "mean_sd") -> list[LegendItem]:
    """The three category colours with their bounds (mean ± k SD: strict; cut-offs: "from")."""
    low, high = (f"{x:.2f}".replace(".", ",") for x in thresholds)
    if method == "cutoffs":
        labels = (
            _("high (tinggi): %(x)s and above") % {"x": high},
            _("medium (sedang): %(a)s to below %(b)s") % {"a": low, "b": high},
        )
    else:
        labels = (
            _("high (tinggi): above %(x)s") % {"x": high},
            _("medium (sedang): %(a)s to %(b)s") % {"a": low, "b": high},
        )
    return [
        LegendItem(CATEGORY_COLOURS["tinggi"], labels[0]),
        LegendItem(CATEGORY_COLOURS["sedang"], labels[1]),
        LegendItem(CATEGORY_COLOURS["rendah"], _("low (rendah): below %(x)s") % {"x": low}),
    ]


def ramp_legend() -> list[LegendItem]:
    items = [LegendItem(colour, f"{20 * i}–{20 * (i + 1)}") for i, colour in reversed(list(enumerate(RAMP)))]
    items.append(LegendItem(ZERO, _("no kejadian")))
    return items
