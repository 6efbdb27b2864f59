"""What a score run becomes outside the web page: the map as SVG and PNG, the Excel of all scores and
the PDF "Laporan Pemetaan Kerawanan". All of them show only the regions the user may see, and all
name the score run and the framework version that produced the numbers.

The report, like the office's letters, is always in Indonesian (UU 24/2009 Pasal 33), whatever the
language of the screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from awas.core.roles import Level
from awas.ikp import excel
from awas.ikp.legend import CATEGORY_COLOURS, LegendItem, category_label, category_legend, ramp_legend
from awas.ikp.mapimage import MapPicture, Shape, polygons_of, render_png, render_svg, schematic_polygons
from awas.ikp.models import ScoreRun, SensitivityRun, Tahapan
from awas.ikp.selectors import Colouring, RegionScore, RunData, ranking
from awas.regions.models import RegionBoundary


@dataclass
class ScorePage:
    """One score run as one user sees it."""

    run: ScoreRun
    data: RunData
    rows: list[RegionScore]  # the visible regions, code order
    colouring: Colouring
    names: dict[int, str]  # indicator number -> name (the run's framework)
    sensitivity: SensitivityRun | None

    @property
    def ranked(self) -> list[RegionScore]:
        return ranking(self.rows)

    @property
    def unstable(self) -> list[RegionScore]:
        return [row for row in self.ranked if row.unstable]

    @property
    def category_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORY_COLOURS, 0)
        for row in self.rows:
            counts[row.category] += 1
        return counts

    @property
    def dimensions(self) -> list[tuple[str, str]]:
        return list(zip(self.data.dimension_codes, self.data.dimension_names, strict=True))

    def indicator_totals(self, limit: int = 10) -> list[tuple[int, str, float, int]]:
        """The indicators with the most (severity-weighted) kejadian over the visible regions:
        (number, name, weighted total, regions where it occurs), largest first."""
        rows = [self.data.index[row.code] for row in self.rows]
        if not rows or not self.data.indicator_numbers:
            return []
        block = self.data.values[rows]
        totals = block.sum(axis=0)
        present = (block > 0).sum(axis=0)
        order = np.argsort(-totals, kind="stable")[:limit]
        return [
            (
                self.data.indicator_numbers[k],
                self.names.get(self.data.indicator_numbers[k], ""),
                float(totals[k]),
                int(present[k]),
            )
            for k in order
            if totals[k] > 0
        ]


def level_label(level: int) -> str:
    return str(Level(level).label) if level in Level.values else str(level)


def date_label(value: dt.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def period_label(run: ScoreRun) -> str:
    if run.date_from and run.date_to:
        return f"{date_label(run.date_from)} – {date_label(run.date_to)}"
    if run.date_from:
        return _("from %(date)s") % {"date": date_label(run.date_from)}
    if run.date_to:
        return _("up to %(date)s") % {"date": date_label(run.date_to)}
    return _("all dates")


def tahapan_label(run: ScoreRun) -> str:
    return str(Tahapan(run.tahapan).label) if run.tahapan else _("all stages")


def run_label(run: ScoreRun) -> str:
    computed = timezone.localtime(run.created_at)
    return _("Score run #%(id)s, computed %(when)s, framework %(framework)s") % {
        "id": run.pk,
        "when": formats.date_format(computed, "j M Y H.i"),
        "framework": run.framework,
    }


# --- the map as a picture ------------------------------------------------------------------------


def legend_items(page: ScorePage) -> list[LegendItem]:
    if page.colouring.kind == "composite":
        method = page.run.parameters.get("category_rule", {}).get("method", "mean_sd")
        return category_legend(page.data.thresholds, method)
    return ramp_legend()


def map_picture(page: ScorePage) -> MapPicture:
    run = page.run
    boundaries = dict(
        RegionBoundary.objects.filter(region_id__in=[row.code for row in page.rows]).values_list(
            "region_id", "geometry"
        )
    )
    drawable = [row for row in page.rows if polygons_of(boundaries.get(row.code))]
    schematic = not drawable
    if schematic:
        polygons = schematic_polygons(len(page.rows))
        geometry = dict(zip([row.code for row in page.rows], polygons, strict=True))
        drawable = page.rows
    else:
        geometry = {row.code: polygons_of(boundaries.get(row.code)) for row in drawable}
    shapes = [
        Shape(
            code=row.code,
            name=row.name,
            polygons=geometry[row.code],
            fill=row.fill,
            unstable=bool(row.unstable),
            note=f"{row.value:.2f} · {category_label(row.category)}",
        )
        for row in drawable
    ]
    return MapPicture(
        title=_("Vulnerability map (IKP): %(level)s, %(area)s")
        % {"level": level_label(run.level), "area": run.area.display_name},
        subtitle=" · ".join(
            [page.colouring.title(page.data, page.names), period_label(run), tahapan_label(run)]
        ),
        footer=f"Awas · {run_label(run)}",
        shapes=shapes,
        legend=legend_items(page),
        legend_title=page.colouring.short_title(page.data),
        unstable_label=_("category unstable (sensitivity)") if page.sensitivity else "",
        schematic=schematic,
        schematic_label=_("Schematic: boundaries not loaded") if schematic else "",
    )


def map_svg(page: ScorePage) -> str:
    return render_svg(map_picture(page))


def map_png(page: ScorePage) -> bytes:
    return render_png(map_picture(page))


# --- Excel ---------------------------------------------------------------------------------------


def scores_xlsx(page: ScorePage) -> bytes:
    run, data = page.run, page.data
    params = run.parameters
    rule = params.get("category_rule", {})
    summary: list[tuple[str, Any]] = [
        (_("Score run"), run.pk),
        (_("Framework"), f"{run.framework.name} ({run.framework.code})"),
        (_("Framework version"), run.framework_version),
        (_("Level"), level_label(run.level)),
        (_("Area scored"), f"{run.area.display_name} ({run.area_id})"),
        (_("Period"), period_label(run)),
        (_("Stage"), tahapan_label(run)),
        (_("Regions scored together"), run.n_regions),
        (_("Kejadian counted"), run.n_kejadian),
        (_("Of which demo data"), params.get("kejadian_demo", 0)),
        (
            _("Kejadian not scored (indicator or region unknown to the framework)"),
            params.get("kejadian_unscored", 0),
        ),
        (_("Normalisation"), params.get("normalisation", "")),
        (_("Category rule"), rule.get("method", "")),
        (_("Standard deviations (k)"), rule.get("sd_multiplier", "")),
        (_("Category thresholds used"), " / ".join(f"{x:.4f}" for x in data.thresholds)),
        (
            _("Severity weights"),
            ", ".join(f"{k}: {v}" for k, v in params.get("severity_weights", {}).items()),
        ),
        (
            _("Dimension weights"),
            ", ".join(f"{k}: {v}" for k, v in params.get("dimension_weights", {}).items()),
        ),
        (_("Computed"), timezone.localtime(run.created_at).strftime("%d-%m-%Y %H:%M")),
        (_("Data hash"), run.data_hash),
    ]
    sens = page.sensitivity
    if sens is not None:
        summary += [(_("Sensitivity analysis"), f"#{sens.pk}")]
        summary += [(f"  {key}", value) for key, value in sens.parameters.items()]
    score_header = [
        _("Rank"),
        _("Code"),
        _("Name"),
        _("Composite"),
        _("Category"),
        *data.dimension_names,
        _("Kejadian"),
        _("Top indicators"),
    ]
    score_rows = [
        [
            row.rank,
            row.code,
            row.name,
            round(row.composite, 4),
            row.category,
            *[round(x, 4) for x in row.dimensions],
            row.count,
            "; ".join(f"{n}. {name} ({points:.2f})" for n, name, points in row.top),
        ]
        for row in page.ranked
    ]
    numbers = data.indicator_numbers
    indicator_header = [_("Code"), _("Name"), *[str(n) for n in numbers]]
    indicator_rows = [
        [row.code, row.name, *[round(float(v), 4) for v in data.values[data.index[row.code]]]]
        for row in page.rows
    ]
    sens_header: list[str] = []
    sens_rows: list[list[Any]] = []
    if sens is not None:
        sens_header = [
            _("Rank"),
            _("Code"),
            _("Name"),
            _("Rank 5%"),
            _("Rank 95%"),
            _("Share rendah"),
            _("Share sedang"),
            _("Share tinggi"),
            _("Unstable"),
        ]
        sens_rows = [
            [
                row.rank,
                row.code,
                row.name,
                row.rank_p05,
                row.rank_p95,
                *(row.shares or []),
                _("yes") if row.unstable else _("no"),
            ]
            for row in page.ranked
        ]
    return excel.scores_workbook(
        summary=summary,
        score_header=score_header,
        score_rows=score_rows,
        indicator_header=indicator_header,
        indicator_rows=indicator_rows,
        sensitivity_header=sens_header,
        sensitivity_rows=sens_rows,
    )


# --- the PDF report ------------------------------------------------------------------------------


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report loads nothing from outside ({url[:60]})")


# Rows of the ranking tables in the PDF. WeasyPrint lays out a few hundred table rows per ten
# seconds, so a desa-level report lists the most vulnerable desa (and every unstable one up to the
# same limit) and leaves the full list to the Excel export.
REPORT_ROWS = 60


def report_html(page: ScorePage, *, author: str = "") -> str:
    run = page.run
    ranked = page.ranked
    with translation.override("id"):
        rule = run.parameters.get("category_rule", {})
        context = {
            "ranked": ranked[:REPORT_ROWS],
            "more_rows": max(len(ranked) - REPORT_ROWS, 0),
            "unstable": page.unstable[:REPORT_ROWS],
            "more_unstable": max(len(page.unstable) - REPORT_ROWS, 0),
            "page": page,
            "run": run,
            "framework": run.framework,
            "level": level_label(run.level),
            "level_code": run.level,
            "area": run.area.display_name,
            "period": period_label(run),
            "tahapan": tahapan_label(run),
            "svg": map_svg(page),
            "rule": rule,
            "thresholds": page.data.thresholds,
            "params": run.parameters,
            "sensitivity": page.sensitivity,
            "indicator_totals": page.indicator_totals(),
            "colours": CATEGORY_COLOURS,
            "generated": timezone.localtime(),
            "author": author,
            "computed": timezone.localtime(run.created_at),
        }
        return render_to_string("ikp/report.html", context)


def report_pdf(page: ScorePage, *, author: str = "") -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=report_html(page, author=author), url_fetcher=_refuse_fetch).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target always returns bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
