from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from awas.core.admin import AuditedModelAdmin
from awas.regions.models import Region, RegionBoundary, Tps


class RegionBoundaryInline(admin.StackedInline):
    """The polygon as loaded, read-only: it changes by ``awas regions boundaries FILE``."""

    model = RegionBoundary
    readonly_fields = ("geometry",)
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    inlines = (RegionBoundaryInline,)


@admin.register(Tps)
class TpsAdmin(AuditedModelAdmin):
    list_display = ("desa", "number", "address", "registered_voters", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("desa__name", "desa__code", "address")
    raw_id_fields = ("desa",)
