"""IKP records in the Django admin, read-only: frameworks, kejadian and score runs change only
through the services (rules and audit), on the IKP pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from awas.ikp.models import Framework, Kejadian, ScoreRun, SensitivityRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "status", "read_only", "created_at")
    list_filter = ("status", "read_only")


@admin.register(Kejadian)
class KejadianAdmin(ReadOnlyAdmin):
    list_display = (
        "date",
        "indicator_number",
        "region",
        "tahapan",
        "severity",
        "counted",
        "is_demo",
        "source_ref",
    )
    list_filter = ("tahapan", "severity", "counted", "is_demo")
    search_fields = ("region__code", "region__name", "source_ref", "note")
    date_hierarchy = "date"
    list_select_related = ("region",)


@admin.register(ScoreRun)
class ScoreRunAdmin(ReadOnlyAdmin):
    list_display = (
        "pk",
        "framework",
        "framework_version",
        "level",
        "area",
        "date_from",
        "date_to",
        "tahapan",
        "n_regions",
        "n_kejadian",
        "created_at",
    )
    list_filter = ("level", "framework")
    exclude = ("results",)


@admin.register(SensitivityRun)
class SensitivityRunAdmin(ReadOnlyAdmin):
    list_display = ("pk", "score_run", "created_at")
    exclude = ("results",)
