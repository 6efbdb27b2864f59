"""From figures to what people see: each dashboard panel as pictures (SVG) and tables.

The same ``Section`` feeds the page, the Excel file (its tables and lists) and the PDF (its
pictures, tables and lists), so the three always show the same numbers. No database access here:
the whole lists an export holds are read by the view and handed in (``FullLists``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awas.dashboard import charts
from awas.dashboard.charts import Bar, MapShape, Segment, Series
from awas.dashboard.exports import Section, Table
from awas.dashboard.selectors import (
    CATEGORY_ORDER,
    SOURCE_IKP,
    SOURCE_MANUAL,
    AsnOverdueRow,
    AtRiskRow,
    LabelledCount,
    MonthlyReport,
    OverdueReferralRow,
    Overview,
    PublicFigures,
    Vulnerability,
    category_label,
)
from awas.ikp import selectors as ikp_selectors

NO_CATEGORY = "#e6e9ed"
RISK_COLOURS = {"overdue": "#b3261e", "soon": "#e0a030", "ok": "#1b7f3b"}
TREND_COLOURS = {"cases": "#8b1e1e", "kejadian": "#b26a00", "activities": "#1b7f3b"}


def _bars(counts: list[LabelledCount]) -> list[Bar]:
    return [Bar(c.label, c.value, c.colour) for c in counts]


def _segments(counts: list[LabelledCount]) -> list[Segment]:
    return [Segment(c.label, c.value, c.colour) for c in counts]


def _count_table(title: str, label: str, counts: list[LabelledCount]) -> Table:
    total = sum(c.value for c in counts)
    return Table(title, [label, _("Count")], [*([c.label, c.value] for c in counts), [_("Total"), total]])


def category_counts(rows: Any) -> list[LabelledCount]:
    """How many of ``rows`` (anything with a ``category``) fall in each category, tinggi first."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.category] = counts.get(row.category, 0) + 1
    out = [LabelledCount(c, category_label(c), counts.get(c, 0), category_fill(c)) for c in CATEGORY_ORDER]
    out.append(LabelledCount("", _("no category yet"), counts.get("", 0), NO_CATEGORY))
    return out


def category_fill(category: str) -> str:
    return ikp_selectors.CATEGORY_COLOURS.get(category, NO_CATEGORY)


def legend(vulnerability: Vulnerability | None = None) -> list[tuple[str, str]]:
    """(colour, label) of the map's categories; with IKP scores, each with its bounds."""
    if vulnerability is not None and vulnerability.thresholds is not None:
        items = ikp_selectors.category_legend(vulnerability.thresholds, vulnerability.method)
        out = [(item.colour, str(item.label)) for item in items]
    else:
        out = [(category_fill(c), category_label(c)) for c in CATEGORY_ORDER]
    out.append((NO_CATEGORY, _("no category yet")))
    return out


# --- the office dashboard ------------------------------------------------------------------------

SECTION_KEYS = ("kerawanan", "perkara", "tenggat", "tindak-lanjut", "tren", "pencegahan", "asn", "siber")


@dataclass
class FullLists:
    """The whole lists an export holds (the page shows the first ten)."""

    at_risk: list[AtRiskRow] | None = None
    overdue_referrals: list[OverdueReferralRow] | None = None
    asn_overdue: list[AsnOverdueRow] | None = None


def _map_note(row: Any) -> str:
    parts = [row.category_label or _("no category yet")]
    if row.composite is not None:
        parts.append(_("IKP %(score)s") % {"score": charts.number(row.composite, 2)})
    parts.append(_("%(n)s kejadian") % {"n": charts.number(row.kejadian)})
    parts.append(_("%(n)s reports") % {"n": charts.number(row.cases)})
    parts.append(_("%(done)s/%(planned)s activities") % {"done": row.done, "planned": row.planned})
    return "; ".join(parts)


def vulnerability_section(overview: Overview, *, links: bool = True) -> Section:
    v = overview.vulnerability
    shapes = [
        MapShape(
            code=r.code,
            name=r.name,
            geometry=v.boundaries.get(r.code),
            fill=category_fill(r.category),
            note=_map_note(r),
            href=reverse("ikp:region_detail", kwargs={"kode": r.code}) if links else "",
        )
        for r in v.rows
    ]
    picture = charts.choropleth(shapes, title=_("Vulnerability by kecamatan"), testid="vuln-map")
    category_bars = charts.bar_chart(
        _bars([c for c in category_counts(v.rows) if c.value or c.key]),
        title=_("Kecamatan by vulnerability category"),
        testid="vuln-categories",
        width=420,
        label_width=150,
    )
    if v.source == SOURCE_IKP:
        note = _("IKP categories from %(framework)s, %(n)s kejadian counted (score run #%(run)s).") % {
            "framework": v.framework,
            "n": charts.number(v.kejadian),
            "run": v.run_id,
        }
    elif v.source == SOURCE_MANUAL:
        note = _("No kejadian recorded yet: categories entered by the office by hand.")
    else:
        note = _("No kejadian recorded yet and no category entered: the map is grey.")
    ordered = sorted(v.rows, key=lambda r: (r.rank or 10**6, r.code))
    table = Table(
        _("Vulnerability by kecamatan"),
        [
            _("Code"),
            _("Kecamatan"),
            _("Category"),
            _("IKP composite"),
            _("Rank"),
            _("Kejadian"),
            _("Reports (12 months)"),
            _("Activities done"),
            _("Activities planned"),
        ],
        [
            [
                r.code,
                r.name.title(),
                r.category_label,
                r.composite,
                r.rank,
                r.kejadian,
                r.cases,
                r.done,
                r.planned,
            ]
            for r in ordered
        ],
        note=note,
        links=[reverse("ikp:region_detail", kwargs={"kode": r.code}) if links else "" for r in ordered],
    )
    compact = Table(
        _("Vulnerability by kecamatan"),
        [_("Kecamatan"), _("Category"), _("IKP"), _("Kejadian"), _("Reports"), _("Activities")],
        [
            [r.name.title(), r.category_label, r.composite, r.kejadian, r.cases, f"{r.done}/{r.planned}"]
            for r in ordered
        ],
        links=table.links,
    )
    return Section(
        _("Vulnerability map"), [picture, category_bars], [table], note, "kerawanan", screen_tables=[compact]
    )


def cases_section(overview: Overview) -> Section:
    c = overview.cases
    period = _("received %(start)s – %(end)s") % _period_words(overview)
    status = charts.bar_chart(
        _bars(c.by_status),
        title=_("Cases by status"),
        testid="case-status",
        empty=_("No case in the period."),
    )
    kinds = charts.donut(
        _segments(c.by_kind), title=_("Cases by type"), testid="case-kinds", centre_label=_("cases")
    )
    return Section(
        _("Cases by status and type"),
        [status, kinds],
        [
            _count_table(_("Cases by status"), _("Status"), c.by_status),
            _count_table(_("Cases by type"), _("Type"), c.by_kind),
        ],
        period,
        "perkara",
    )


def risk_segments(overview: Overview) -> list[Segment]:
    c = overview.cases
    return [
        Segment(_("Overdue"), c.overdue, RISK_COLOURS["overdue"]),
        Segment(_("Due today or tomorrow"), c.due_soon, RISK_COLOURS["soon"]),
        Segment(_("On track"), c.on_track, RISK_COLOURS["ok"]),
    ]


def _first_of(shown: int, total: int) -> str:
    """The note under a list the page cuts short."""
    if shown >= total:
        return ""
    return _("The first %(shown)s of %(total)s; the Excel and PDF files hold them all.") % {
        "shown": shown,
        "total": charts.number(total),
    }


def at_risk_table(rows: list[AtRiskRow], total: int = 0) -> Table:
    clock = {
        "completion": _("completion by the pelapor"),
        "review": _("kajian awal"),
        "finding": _("establishing the temuan"),
        "decision": _("decision"),
    }
    return Table(
        _("Cases at risk"),
        [_("Case"), _("Type"), _("Status"), _("Place"), _("Deadline"), _("Due"), _("Days left")],
        [
            [r.number, r.kind, r.status, r.place, clock.get(r.clock, r.clock), r.due, r.days_left]
            for r in rows
        ],
        links=[reverse("cases:detail", kwargs={"pk": r.pk}) for r in rows],
        note=_first_of(len(rows), total),
    )


def overdue_words(row: OverdueReferralRow) -> str:
    """How late an answer is, in the days the letter gave, in the follow-ups page's words (an
    answer owed in hari kerja and due on Friday is not yet late by a working day on Sunday)."""
    if not row.working:
        return ngettext("%(n)s day overdue", "%(n)s days overdue", row.days_overdue) % {"n": row.days_overdue}
    if not row.days_overdue:
        return _("overdue (no working day since)")
    return ngettext("%(n)s working day overdue", "%(n)s working days overdue", row.days_overdue) % {
        "n": row.days_overdue
    }


def deadlines_section(overview: Overview, lists: FullLists | None = None) -> Section:
    c = overview.cases
    picture = charts.stacked_bar(
        risk_segments(overview), title=_("Open cases by deadline risk"), testid="case-risk"
    )
    counts = Table(
        _("Deadline risk"),
        [_("Open cases whose clock runs"), _("Count")],
        [[s.label, s.value] for s in risk_segments(overview)] + [[_("Total"), c.running]],
    )
    rows = lists.at_risk if lists and lists.at_risk is not None else c.at_risk
    records = [at_risk_table(rows, c.at_risk_total)] if rows is not None else []
    note = _(
        "At risk: the running clock (the decision, completion by the pelapor, or establishing a "
        "temuan) is due tomorrow, today or has passed."
    )
    return Section(_("Deadline risk"), [picture], [counts], note, "tenggat", records)


def referral_segments(overview: Overview) -> list[Segment]:
    c = overview.cases
    return [
        Segment(_("Answered"), c.referrals_answered, RISK_COLOURS["ok"]),
        Segment(_("Waiting, in time"), c.referrals_waiting, "#4f74a8"),
        Segment(_("Waiting, overdue"), c.referrals_overdue, RISK_COLOURS["overdue"]),
    ]


def follow_ups_section(overview: Overview, lists: FullLists | None = None) -> Section:
    c = overview.cases
    picture = charts.stacked_bar(
        referral_segments(overview), title=_("Referrals and their follow-up"), testid="referrals"
    )
    counts = Table(
        _("Referral follow-ups"),
        [_("Referrals"), _("Count")],
        [[s.label, s.value] for s in referral_segments(overview)]
        + [[_("Total"), c.referrals], [_("Answers with a sanction"), c.sanctions]],
    )
    records = []
    rows = lists.overdue_referrals if lists and lists.overdue_referrals is not None else c.overdue_referrals
    if rows is not None:
        records.append(
            Table(
                _("Overdue follow-ups"),
                [
                    _("Case"),
                    _("Referred to"),
                    _("Letter"),
                    _("Sent"),
                    _("Answer expected by"),
                    _("Overdue by"),
                ],
                [[r.number, r.body, r.letter_number, r.sent_on, r.due, overdue_words(r)] for r in rows],
                links=[reverse("cases:detail", kwargs={"pk": r.case_pk}) for r in rows],
                note=_first_of(len(rows), c.referrals_overdue),
            )
        )
    return Section(_("Referral follow-ups"), [picture], [counts], "", "tindak-lanjut", records)


def trend_series(trend: Any) -> list[Series]:
    return [
        Series(_("Reports received"), trend.cases, TREND_COLOURS["cases"]),
        Series(_("Kejadian"), trend.kejadian, TREND_COLOURS["kejadian"]),
        Series(_("Activities done"), trend.activities, TREND_COLOURS["activities"]),
    ]


def trend_table(trend: Any) -> Table:
    return Table(
        _("Monthly trend"),
        [_("Month"), _("Reports received"), _("Kejadian"), _("Activities done")],
        [
            [label, a, b, c]
            for label, a, b, c in zip(
                trend.labels, trend.cases, trend.kejadian, trend.activities, strict=True
            )
        ],
    )


def trend_section(overview: Overview) -> Section:
    picture = charts.line_chart(
        trend_series(overview.trend), overview.trend.short_labels, title=_("Monthly trend"), testid="trend"
    )
    return Section(_("Monthly trend"), [picture], [trend_table(overview.trend)], "", "tren")


def prevention_section(overview: Overview) -> Section:
    p = overview.prevention
    kinds = charts.bar_chart(
        [Bar(k.label, k.done, k.colour, back=k.planned) for k in p.by_kind],
        title=_("Prevention activities done of planned, by kind"),
        testid="prevention-kinds",
    )
    by_category = overview.coverage_by_category()
    categories = charts.bar_chart(
        [Bar(c["label"], c["reached"], category_fill(c["category"]), back=c["places"]) for c in by_category],
        title=_("Kecamatan reached by an activity, by category"),
        testid="prevention-categories",
    )
    uncovered = overview.uncovered_high
    tables = [
        Table(
            _("Prevention by kind"),
            [_("Kind"), _("Planned"), _("Done"), _("Done (%)")],
            [
                [k.label, k.planned, k.done, round(100 * k.done / k.planned) if k.planned else 0]
                for k in p.by_kind
            ]
            + [[_("Total"), p.planned, p.done, round(100 * p.done / p.planned) if p.planned else 0]],
        ),
        Table(
            _("Coverage by vulnerability category"),
            [_("Category"), _("Kecamatan"), _("Reached"), _("Planned"), _("Done")],
            [[c["label"], c["places"], c["reached"], c["planned"], c["done"]] for c in by_category],
        ),
        Table(
            _("High vulnerability, no activity"),
            [_("Code"), _("Kecamatan")],
            [[r.code, r.name.title()] for r in uncovered],
        ),
    ]
    note = _("Activities in %(start)s – %(end)s; planned counts every activity scheduled, done or not.") % (
        _period_words(overview)
    )
    return Section(_("Prevention coverage"), [kinds, categories], tables, note, "pencegahan")


def asn_section(overview: Overview, lists: FullLists | None = None) -> Section:
    a = overview.asn
    if a is None:
        return Section(_("ASN neutrality"), [], [], _("The ASN register is not available yet."), "asn")
    picture = charts.bar_chart(
        _bars(a.stages), title=_("Sanction follow-up of ASN cases"), testid="asn-stages"
    )
    tables = [
        Table(
            _("ASN cases"),
            [_("Figure"), _("Count")],
            [
                [_("ASN in the register (active)"), a.register],
                [_("Cases about an ASN"), a.cases],
                [_("Case links (person × act)"), a.links],
                *([s.label, s.value] for s in a.stages),
                [_("Sanctions imposed"), a.sanctioned],
            ],
        )
    ]
    records = []
    rows = lists.asn_overdue if lists and lists.asn_overdue is not None else a.overdue_rows
    if rows is not None:
        records.append(
            Table(
                _("Overdue sanction decisions"),
                [
                    _("Case"),
                    _("Agency"),
                    _("Act (SKB 2022)"),
                    _("PPK"),
                    _("PPK to decide by"),
                    _("Days overdue"),
                ],
                [[r.number, r.agency, r.violation, r.ppk, r.due, r.days_overdue] for r in rows],
                note=_first_of(len(rows), a.overdue),
            )
        )
    return Section(_("ASN neutrality"), [picture], tables, "", "asn", records)


def cyber_section(overview: Overview) -> Section:
    c = overview.cyber
    picture = charts.bar_chart(
        _bars(c.by_status),
        title=_("Captured posts by review status"),
        testid="cyber",
        empty=_("No post captured."),
    )
    table = _count_table(_("Captured posts"), _("Review status"), c.by_status)
    return Section(_("Cyber supervision"), [picture], [table], "", "siber")


SECTION_BUILDERS: dict[str, Callable[..., Section]] = {
    "kerawanan": vulnerability_section,
    "perkara": cases_section,
    "tenggat": deadlines_section,
    "tindak-lanjut": follow_ups_section,
    "tren": trend_section,
    "pencegahan": prevention_section,
    "asn": asn_section,
    "siber": cyber_section,
}
TAKES_LISTS = frozenset({"tenggat", "tindak-lanjut", "asn"})


def section(overview: Overview, key: str, lists: FullLists | None = None) -> Section:
    builder = SECTION_BUILDERS[key]
    return builder(overview, lists) if key in TAKES_LISTS else builder(overview)


def _period_words(overview: Overview) -> dict[str, str]:
    return {"start": overview.period.labels[0], "end": overview.period.labels[-1]}


def headline(overview: Overview) -> list[dict[str, Any]]:
    """The figures at the top of the page: (label, number, note, tone)."""
    c, p = overview.cases, overview.prevention
    items: list[dict[str, Any]] = [
        {"label": _("Reports received"), "value": c.received, "note": _("last 12 months"), "key": "received"},
        {
            "label": _("Deadlines at risk"),
            "value": c.at_risk_total,
            "note": _("%(n)s overdue") % {"n": c.overdue},
            "key": "at_risk",
            "tone": "bad" if c.at_risk_total else "",
        },
        {
            "label": _("Overdue follow-ups"),
            "value": c.referrals_overdue,
            "note": _("of %(n)s referrals") % {"n": c.referrals},
            "key": "referrals_overdue",
            "tone": "bad" if c.referrals_overdue else "",
        },
        {
            "label": _("Kejadian (IKP)"),
            "value": sum(overview.trend.kejadian),
            "note": _("last 12 months"),
            "key": "kejadian",
        },
        {
            "label": _("Prevention done"),
            "value": p.done,
            "note": _("of %(n)s planned") % {"n": p.planned},
            "key": "activities",
        },
        {
            "label": _("High vulnerability, no activity"),
            "value": len(overview.uncovered_high),
            "note": _("kecamatan"),
            "key": "uncovered",
            "tone": "bad" if overview.uncovered_high else "",
        },
    ]
    if overview.asn is not None:
        items.append(
            {
                "label": _("ASN sanctions overdue"),
                "value": overview.asn.overdue,
                "note": _("of %(n)s ASN cases") % {"n": overview.asn.cases},
                "key": "asn_overdue",
                "tone": "bad" if overview.asn.overdue else "",
            }
        )
    items.append(
        {
            "label": _("Cyber alerts"),
            "value": overview.cyber.alerts,
            "note": _("flagged posts waiting for review"),
            "key": "cyber_alerts",
            "tone": "bad" if overview.cyber.alerts else "",
        }
    )
    return items


# --- the public page -----------------------------------------------------------------------------


def public_sections(figures: PublicFigures) -> dict[str, Section]:
    shapes = [
        MapShape(
            code=k.code,
            name=k.name,
            geometry=figures.boundaries.get(k.code),
            fill=category_fill(k.category),
            note=k.category_label or _("no category yet"),
        )
        for k in figures.kecamatan
    ]
    vulnerability = Section(
        _("Vulnerability by kecamatan"),
        [charts.choropleth(shapes, title=_("Vulnerability by kecamatan"), testid="public-map", width=520)],
        [
            _count_table(
                _("Kecamatan by vulnerability category"),
                _("Category"),
                [c for c in category_counts(figures.kecamatan) if c.value or c.key],
            ),
            Table(
                _("Vulnerability by kecamatan"),
                [_("Kecamatan"), _("Category")],
                [[k.name, k.category_label or _("no category yet")] for k in figures.kecamatan],
            ),
        ],
        _("Categories of the office's latest IKP scoring.")
        if figures.category_source == SOURCE_IKP
        else _("Categories entered by the office (Pemetaan Kerawanan).")
        if figures.category_source == SOURCE_MANUAL
        else _("No vulnerability category published yet."),
    )
    top_reports = sorted(figures.kecamatan, key=lambda k: (-k.reports, k.name))[:10]
    reports = Section(
        _("Reports"),
        [
            charts.donut(
                _segments(figures.by_kind),
                title=_("Reports by type"),
                testid="public-kinds",
                centre_label=_("in total"),
                width=420,
            ),
            charts.bar_chart(
                _bars(figures.by_status),
                title=_("Reports by status"),
                testid="public-status",
                empty=_("No report yet."),
                width=360,
                label_width=150,
            ),
            charts.bar_chart(
                [Bar(k.name, k.reports, "#8b1e1e") for k in top_reports if k.reports],
                title=_("Kecamatan with the most reports"),
                testid="public-kecamatan",
                empty=_("No report yet."),
                width=360,
                label_width=150,
            ),
        ],
        [
            _count_table(_("Reports by type"), _("Type"), figures.by_kind),
            _count_table(_("Reports by status"), _("Status"), figures.by_status),
            Table(
                _("Reports by kecamatan"),
                [_("Kecamatan"), _("Reports")],
                [[k.name, k.reports] for k in figures.kecamatan],
            ),
        ],
        _("Laporan come from the public, temuan from the supervisors, informasi awal are tips."),
    )
    top_activities = sorted(figures.kecamatan, key=lambda k: (-k.activities, k.name))[:10]
    prevention = Section(
        _("Prevention activities done"),
        [
            charts.bar_chart(
                _bars(figures.activities_by_kind),
                title=_("Prevention activities done, by kind"),
                testid="public-activities",
                width=360,
                label_width=150,
            ),
            charts.bar_chart(
                [Bar(k.name, k.activities, "#1b7f3b") for k in top_activities if k.activities],
                title=_("Kecamatan with the most activities"),
                testid="public-activities-kecamatan",
                empty=_("No activity done yet."),
                width=360,
                label_width=150,
            ),
        ],
        [
            _count_table(_("Activities done by kind"), _("Kind"), figures.activities_by_kind),
            Table(
                _("Activities done by kecamatan"),
                [_("Kecamatan"), _("Activities done")],
                [[k.name, k.activities] for k in figures.kecamatan],
            ),
        ],
        _("%(n)s people took part.") % {"n": charts.number(figures.attendance)},
    )
    return {"kerawanan": vulnerability, "laporan": reports, "pencegahan": prevention}


# --- the monthly report --------------------------------------------------------------------------


def monthly_charts(report: MonthlyReport) -> dict[str, SafeString]:
    """The report's pictures (drawn in the language active at the call: Indonesian)."""
    return {
        "received": charts.bar_chart(
            [Bar(c.label, c.value, c.colour) for c in report.received],
            title=_("Reports received, by type"),
            testid="report-received",
            width=460,
            label_width=150,
        ),
        "outcomes": charts.bar_chart(
            _bars(report.decided_by_outcome),
            title=_("Decisions by outcome"),
            testid="report-outcomes",
            width=460,
            label_width=200,
        ),
        "dimensions": charts.bar_chart(
            _bars(report.kejadian_by_dimension),
            title=_("Kejadian by IKP dimension"),
            testid="report-dimensions",
            empty=_("No kejadian in the month."),
            width=460,
            label_width=200,
        ),
        "activities": charts.bar_chart(
            [Bar(k.label, k.done, k.colour, back=k.planned) for k in report.activities],
            title=_("Prevention activities done of planned"),
            testid="report-activities",
            width=460,
            label_width=150,
        ),
        "trend": charts.line_chart(
            trend_series(report.trend),
            report.trend.short_labels,
            title=_("Twelve months to this one"),
            testid="report-trend",
        ),
    }
