"""Excel (openpyxl) and PDF (WeasyPrint) exports of the lists of this app.

Each list is first turned into ``Table`` rows by a builder below, which decides what the user may
see (personal data only for ``permissions.PERSONAL``); the two writers only lay the rows out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from awas.cases.formatting import local
from awas.core.roles import Level
from awas.core.spreadsheets import xlsx_tables
from awas.outreach.models import Activity, Cadre, ManualCategory, MonitoringOrganisation
from awas.outreach.selectors import CoverageRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "pdf")


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]

    @property
    def text_rows(self) -> list[list[dict[str, Any]]]:
        return [[{"text": _text(v), "num": isinstance(v, int | float)} for v in row] for row in self.rows]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    return xlsx_tables(tables, text=_text)


def pdf_bytes(title: str, tables: Sequence[Table], subtitle: str = "") -> bytes:
    from weasyprint import HTML  # slow to import; only exports need it

    html = render_to_string("outreach/export.html", {"title": title, "subtitle": subtitle, "tables": tables})
    return bytes(HTML(string=html).write_pdf())


def export_response(
    fmt: str, *, stem: str, title: str, tables: Sequence[Table], subtitle: str = ""
) -> HttpResponse:
    stamp = local(timezone.now()).strftime("%Y%m%d-%H%M")
    subtitle = subtitle or _("Exported %(time)s") % {"time": local(timezone.now()).strftime("%d-%m-%Y %H.%M")}
    if fmt == "pdf":
        response = HttpResponse(pdf_bytes(title, tables, subtitle), content_type="application/pdf")
        extension = "pdf"
    else:
        response = HttpResponse(xlsx_bytes(tables), content_type=XLSX)
        extension = "xlsx"
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{extension}"'
    return response


# --- tables --------------------------------------------------------------------------------------


def activity_table(activities: Sequence[Activity], *, personal: bool) -> Table:
    columns = [
        _("Kind"),
        _("Topic"),
        _("Place"),
        _("Kecamatan"),
        _("Venue"),
        _("Planned date"),
        _("Date done"),
        _("Status"),
        _("Attendance"),
        _("Details"),
        _("Notes"),
    ]
    if personal:
        columns.append(_("Attendees"))
    rows = []
    for a in activities:
        region = a.region
        kecamatan = ""
        if region.level == Level.KECAMATAN:
            kecamatan = region.display_name
        elif region.level == Level.DESA and region.parent is not None:
            kecamatan = region.parent.display_name
        row = [
            a.get_kind_display(),
            a.title,
            region.display_name,
            kecamatan,
            a.venue,
            a.planned_date,
            a.done_date,
            a.get_status_display(),
            a.attendance,
            _details(a),
            a.notes,
        ]
        if personal:
            row.append(", ".join(line.strip() for line in a.attendees.splitlines() if line.strip()))
        rows.append(row)
    return Table(_("Prevention activities"), columns, rows)


def _details(activity: Activity) -> str:
    if activity.mode:
        return activity.get_mode_display()
    school = getattr(activity, "school", None)
    if school is not None:
        return _("%(school)s (%(type)s), %(hours)s JP, %(students)s students") % {
            "school": school.school_name,
            "type": school.school_type,
            "hours": school.lesson_hours,
            "students": school.students_reached,
        }
    letter = getattr(activity, "letter", None)
    if letter is not None:
        return f"{letter.number or _('draft')} → {letter.recipient}"
    patrol = getattr(activity, "patrol", None)
    if patrol is not None:
        return patrol.findings[:200]
    return ""


def coverage_tables(
    rows: Sequence[CoverageRow], uncovered: Sequence[CoverageRow], ranking: Sequence[CoverageRow]
) -> list[Table]:
    def base(r: CoverageRow) -> list[Any]:
        return [r.code, r.name, r.parent_name, r.category_label or _("not mapped")]

    head = [_("Code"), _("Name"), _("Kecamatan"), _("Category")]
    return [
        Table(
            _("Coverage"),
            [*head, _("Planned"), _("Done"), _("Coverage (%)"), _("Last activity")],
            [[*base(r), r.planned, r.done, r.percent, r.last_done] for r in rows],
        ),
        Table(_("High vulnerability, nothing planned"), head, [base(r) for r in uncovered]),
        Table(
            _("Where next"),
            [_("Rank"), *head, _("Coverage (%)"), _("Days since last activity"), _("Score")],
            [
                [i, *base(r), r.percent, r.days_since if r.days_since is not None else _("never"), r.score]
                for i, r in enumerate(ranking, start=1)
            ],
        ),
    ]


def cadre_table(
    cadres: Sequence[Cadre], counts: dict[int, dict[str, Any]], months: Sequence[tuple[int, int]]
) -> Table:
    """The registry with personal data: only for the roles in ``permissions.PERSONAL``."""
    month_columns = [f"{month:02d}/{year}" for year, month in months]
    columns = [
        _("Name"),
        _("Type"),
        _("NIK"),
        _("Phone"),
        _("E-mail"),
        _("Area"),
        _("Member of (pemantau)"),
        _("Active"),
        _("Trainings"),
        *[_("Reports %(month)s") % {"month": m} for m in month_columns],
        _("Reports, total"),
    ]
    rows = []
    for c in cadres:
        trainings = "; ".join(f"{t.name} ({t.start_date:%d-%m-%Y})" for t in c.trainings.all())
        count = counts.get(c.pk, {"months": [0] * len(months), "total": 0})
        rows.append(
            [
                c.name,
                c.get_kind_display(),
                c.nik,
                c.phone,
                c.email,
                c.region.display_name,
                c.organisation.name if c.organisation else "",
                c.active,
                trainings,
                *count["months"],
                count["total"],
            ]
        )
    return Table(_("Cadres"), columns, rows)


def cadre_summary_tables(summary: dict[str, Any]) -> list[Table]:
    """Counts only: the registry as the roles without access to personal data see it."""
    return [
        Table(
            _("Active cadres by type"),
            [_("Type"), _("Cadres")],
            [[k["label"], k["count"]] for k in summary["by_kind"]],
        ),
        Table(
            _("Active cadres by kecamatan"),
            [_("Kecamatan"), _("Cadres")],
            [[k["name"], k["count"]] for k in summary["by_kecamatan"]],
        ),
    ]


def organisation_table(organisations: Sequence[MonitoringOrganisation], *, personal: bool) -> Table:
    columns = [
        _("Name"),
        _("Accreditation number"),
        _("Accreditation date"),
        _("Area"),
        _("Members"),
        _("Active"),
    ]
    if personal:
        columns += [_("Contact person"), _("Contact phone"), _("Contact e-mail")]
    rows = []
    for o in organisations:
        row = [
            o.name,
            o.accreditation_number,
            o.accreditation_date,
            o.region.display_name,
            o.members_count,
            o.active,
        ]
        if personal:
            row += [o.contact_person, o.contact_phone, o.contact_email]
        rows.append(row)
    return Table(_("Monitoring organisations (pemantau)"), columns, rows)


def category_table(categories: Sequence[ManualCategory]) -> Table:
    return Table(
        _("Vulnerability categories entered by the office"),
        [_("Code"), _("Name"), _("Category"), _("Source"), _("Set by"), _("Set on")],
        [
            [
                c.region_id,
                c.region.display_name,
                c.get_category_display(),
                c.source_note,
                c.set_by.get_username() if c.set_by else "",
                local(c.set_at).date(),
            ]
            for c in categories
        ],
    )
