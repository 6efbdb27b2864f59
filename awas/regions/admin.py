from django.contrib import admin

from awas.core.admin import AuditedModelAdmin
from awas.regions.models import Region, Tps


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    readonly_fields = ("boundary",)


@admin.register(Tps)
class TpsAdmin(AuditedModelAdmin):
    list_display = ("desa", "number", "address", "registered_voters", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("desa__name", "desa__code", "address")
    raw_id_fields = ("desa",)
