from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from awas.core.access import public

urlpatterns = [
    path("", include("awas.core.urls")),
    path("wilayah/", include("awas.regions.urls")),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]

handler403 = "awas.core.errors.forbidden"
