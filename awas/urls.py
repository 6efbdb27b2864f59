import os

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from awas.core.access import public

urlpatterns = [
    path("", include("awas.core.urls")),
    path("wilayah/", include("awas.regions.urls")),
    path("lapor/", include("awas.cases.urls_public")),
    path("perkara/", include("awas.cases.urls")),
    path("pengawasan/", include("awas.supervision.urls")),
    path("pencegahan/", include("awas.outreach.urls")),
    path("ikp/", include("awas.ikp.urls")),
    path("asn/", include("awas.asn.urls")),
    path("siber/", include("awas.cyber.urls")),
    path("dasbor/", include("awas.dashboard.urls")),
    path("publik/", include("awas.dashboard.urls_public")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

if os.environ.get("AWAS_BENCHMARK_FLOOR") == "1":  # benchmarks/intake.py only: a bare one-row insert
    from awas.cases.views_public import benchmark_floor

    urlpatterns.append(path("bench/floor/", benchmark_floor, name="bench_floor"))

handler400 = "awas.core.errors.bad_request"
handler403 = "awas.core.errors.forbidden"
handler404 = "awas.core.errors.page_not_found"
handler500 = "awas.core.errors.server_error"
