"""The office dashboard (/dasbor/), its exports and the monthly report; the public page (/publik/).

Both pages are built from a handful of aggregate queries (``awas.dashboard.selectors``) and kept in
Django's cache: the office's figures for a minute per region scope and role's view (the same for
everyone who shares them), the public figures for five minutes. The cached value holds the figures
and the finished pictures, never a rendered page: each response still carries its own CSRF token,
menu and language switch.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page

from awas.cases.formatting import BULAN, tanggal
from awas.core.access import allow, public
from awas.core.compression import compressed_page
from awas.core.documents import office_letterhead
from awas.core.roles import Level
from awas.core.services.deadlines import office_timezone
from awas.dashboard import exports, panels, permissions, selectors
from awas.dashboard.exports import Section
from awas.regions.models import Region

CACHE_SECONDS = 60
PUBLIC_CACHE_SECONDS = 300
CACHE_VERSION = "v1"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, office_timezone())


def _stamp(moment: dt.datetime) -> str:
    return _local(moment).strftime("%d-%m-%Y %H.%M")


def _letterhead(office: str) -> list[str]:
    """The office's name as on its letters (always Indonesian: it is the office's name)."""
    return ["BADAN PENGAWAS PEMILIHAN UMUM", office.upper()] if office else []


def _office_name(code: str) -> str:
    """``Kabupaten Malang`` for any code at or below it (the kabupaten/kota of the office)."""
    office = ".".join(code.split(".")[:2])
    region = Region.objects.filter(code=office).first() if office else None
    return region.display_name if region is not None else office


# --- the office dashboard ------------------------------------------------------------------------


@dataclass
class DashboardPage:
    overview: selectors.Overview
    sections: dict[str, Section]
    headline: list[dict[str, Any]]
    computed_at: dt.datetime = field(default_factory=timezone.now)


def _dashboard_key(user: Any, today: dt.date) -> str:
    view = f"{int(permissions.sees_case_lists(user))}{int(permissions.sees_asn_lists(user))}"
    scope = f"{user.scope_region_id}:{user.scope_tps_id or ''}"
    return f"dashboard:{CACHE_VERSION}:{scope}:{view}:{get_language()}:{today.isoformat()}"


def dashboard_page(user: Any) -> DashboardPage:
    """The figures and pictures for ``user``, from the cache when computed less than a minute ago."""
    today = selectors.office_today()
    key = _dashboard_key(user, today)
    page = cache.get(key)
    if page is None:
        overview = selectors.office_overview(
            user,
            today=today,
            lists=permissions.sees_case_lists(user),
            asn_lists=permissions.sees_asn_lists(user),
        )
        sections = {k: panels.section(overview, k) for k in panels.SECTION_KEYS}
        overview.vulnerability.boundaries = {}  # drawn already; the geometry is large
        page = DashboardPage(overview, sections, panels.headline(overview))
        cache.set(key, page, CACHE_SECONDS)
    return page


def _previous_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


@allow(permissions.DASHBOARD)
@compressed_page  # 50-110 KB (map, charts): counts, case numbers and places, no one's free text
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = dashboard_page(user)
    overview = page.overview
    return render(
        request,
        "dashboard/dashboard.html",
        {
            "page": page,
            "overview": overview,
            "sections": [page.sections[k] for k in panels.SECTION_KEYS],
            "legend": panels.legend(overview.vulnerability),
            "period_start": overview.period.labels[0],
            "period_end": overview.period.labels[-1],
            "computed": _stamp(page.computed_at),
            "report_month": _previous_month(overview.today),
            "this_month": f"{overview.today.year:04d}-{overview.today.month:02d}",
        },
    )


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    user: Any = request.user
    page = dashboard_page(user)
    wanted = request.GET.get("bagian", "")
    keys = [wanted] if wanted in panels.SECTION_KEYS else list(panels.SECTION_KEYS)
    lists = panels.FullLists()
    today = page.overview.today
    if permissions.sees_case_lists(user):
        if "tenggat" in keys:
            lists.at_risk = selectors.at_risk_rows(user, today, limit=None)
        if "tindak-lanjut" in keys:
            lists.overdue_referrals = selectors.overdue_referral_rows(user, today, limit=None)
    if "asn" in keys and permissions.sees_asn_lists(user):
        full = selectors.asn_for(user, today, lists=True, limit=None)
        lists.asn_overdue = full.overdue_rows if full is not None else None
    # The page's sections hold the first ten rows of each list; exports hold them all.
    sections = [
        panels.section(page.overview, k, lists) if k in panels.TAKES_LISTS else page.sections[k] for k in keys
    ]
    scope = user.scope_region_id or ""
    title = _("Dashboard") if len(keys) > 1 else sections[0].title
    subtitle = _("%(scope)s · period %(start)s – %(end)s · figures of %(time)s WIB") % {
        "scope": page.overview.scope_name,
        "start": page.overview.period.labels[0],
        "end": page.overview.period.labels[-1],
        "time": _stamp(page.computed_at),
    }
    stem = f"dasbor-{wanted if len(keys) == 1 else 'semua'}-{_local(page.computed_at):%Y%m%d-%H%M}"
    if fmt == "pdf":
        content = exports.pdf_bytes(
            title=title, subtitle=subtitle, sections=sections, heading_lines=_letterhead(_office_name(scope))
        )
    else:
        content = exports.xlsx_bytes(
            [t for s in sections for t in s.all_tables], heading=f"{title} — {subtitle}"
        )
    return exports.attachment(content, fmt=fmt, stem=stem)


@allow(permissions.DASHBOARD)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@allow(permissions.DASHBOARD)
def export_pdf(request: HttpRequest) -> HttpResponse:
    return _export(request, "pdf")


# --- the monthly report --------------------------------------------------------------------------


def _asked_month(value: str, today: dt.date) -> tuple[int, int]:
    """The month of ``?bulan=YYYY-MM``; anything else (or a month to come): the last full month."""
    match = MONTH.match(value or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and year >= 2000 and (year, month) <= (today.year, today.month):
            return year, month
    year, month = map(int, _previous_month(today).split("-"))
    return year, month


def monthly_report_html(user: Any, year: int, month: int) -> str:
    """The report in Indonesian (an official document, whatever the language of the screen)."""
    with translation.override("id"):
        report = selectors.monthly_report(user, year, month)
        office = _office_name(user.scope_region_id or "")
        letterhead = office_letterhead(office)  # as the office's letters print it
        context = {
            "report": report,
            "charts": panels.monthly_charts(report),
            "month_name": f"{BULAN[month - 1]} {year}",
            "office": office,
            "office_upper": office.upper(),
            "scope_name": user.scope_region.display_name if user.scope_region else "",
            "address": letterhead.address,
            "city": letterhead.city,
            "printed": tanggal(selectors.office_today()),
            "printed_at": _stamp(timezone.now()),
            "author": user.get_full_name() or user.get_username(),
            "first_day": tanggal(report.period.start),
            "last_day": tanggal(report.period.end),
        }
        return render_to_string("dashboard/report_monthly.html", context)


@allow(permissions.DASHBOARD)
def monthly_report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    year, month = _asked_month(request.GET.get("bulan", ""), selectors.office_today())
    content = exports.pdf_from_html(monthly_report_html(user, year, month))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-bulanan-{year:04d}-{month:02d}.pdf"'
    return response


# --- the public page -----------------------------------------------------------------------------


@dataclass
class PublicPage:
    figures: selectors.PublicFigures
    sections: dict[str, Section]
    office: str
    computed_at: dt.datetime = field(default_factory=timezone.now)


def _public_office() -> str:
    kabupaten = list(Region.objects.filter(level=Level.KABUPATEN).order_by("code")[:2])
    return kabupaten[0].display_name if len(kabupaten) == 1 else ""


def public_page() -> PublicPage:
    key = f"dashboard:public:{CACHE_VERSION}:{get_language()}"
    page = cache.get(key)
    if page is None:
        figures = selectors.public_figures()
        sections = panels.public_sections(figures)
        figures.boundaries = {}
        page = PublicPage(figures, sections, _public_office())
        cache.set(key, page, PUBLIC_CACHE_SECONDS)
    return page


def _public_cached(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    return response


@public
@gzip_page
def public_index(request: HttpRequest) -> HttpResponse:
    page = public_page()
    return render(
        request,
        "dashboard/public.html",
        {
            "page": page,
            "figures": page.figures,
            "map": page.sections["kerawanan"],
            "reports": page.sections["laporan"],
            "prevention": page.sections["pencegahan"],
            "legend": panels.legend(),
            "computed": _stamp(page.computed_at),
        },
    )


def _public_file(fmt: str) -> bytes:
    key = f"dashboard:public-{fmt}:{CACHE_VERSION}:{get_language()}"
    content = cache.get(key)
    if content is None:
        page = public_page()
        sections = [page.sections[k] for k in ("laporan", "pencegahan", "kerawanan")]
        title = _("Public figures") + (f" — Bawaslu {page.office}" if page.office else "")
        subtitle = _("Figures of %(time)s WIB. Counts only: no personal data.") % {
            "time": _stamp(page.computed_at)
        }
        if fmt == "pdf":
            content = exports.pdf_bytes(
                title=title, subtitle=subtitle, sections=sections, heading_lines=_letterhead(page.office)
            )
        else:
            content = exports.xlsx_bytes(
                [t for s in sections for t in s.all_tables], heading=f"{title} — {subtitle}"
            )
        cache.set(key, content, PUBLIC_CACHE_SECONDS)
    return bytes(content)


@public
def public_xlsx(request: HttpRequest) -> HttpResponse:
    return _public_cached(exports.attachment(_public_file("xlsx"), fmt="xlsx", stem="angka-publik"))


@public
def public_pdf(request: HttpRequest) -> HttpResponse:
    return _public_cached(exports.attachment(_public_file("pdf"), fmt="pdf", stem="angka-publik"))


@public
@gzip_page
def public_geojson(request: HttpRequest) -> HttpResponse:
    """The kecamatan with their vulnerability category (and nothing else) as GeoJSON."""
    key = f"dashboard:public-geojson:{CACHE_VERSION}:{get_language()}"
    data = cache.get(key)
    if data is None:
        figures = selectors.public_figures()
        data = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": figures.boundaries.get(k.code),
                    "properties": {
                        "kode": k.code,
                        "nama": k.name,
                        "kategori": k.category,
                        "kategori_label": k.category_label,
                    },
                }
                for k in figures.kecamatan
            ],
        }
        cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return _public_cached(JsonResponse(data))
