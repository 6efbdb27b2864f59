"""Form A in the Django admin (administrators only): read-mostly; writes go through the pages.

The suggestion decisions list links to the acceptance statistics page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from awas.core.admin import AuditedModelAdmin
from awas.supervision.models import FormA, SuggestionDecision, SuggestionModel


@admin.register(FormA)
class FormAAdmin(AuditedModelAdmin):
    list_display = (
        "id",
        "number",
        "status",
        "source",
        "region",
        "tps_number",
        "is_rekap",
        "kegiatan_tanggal",
    )
    list_filter = ("status", "source", "is_rekap", "tahapan")
    search_fields = ("number", "source_file_name", "region__name")
    raw_id_fields = (
        "region",
        "tps",
        "source_file",
        "temuan",
        "created_by",
        "filed_by",
        "kejadian_reviewed_by",
    )
    readonly_fields = ("source_file", "extracted_text", "parse_notes", "created_at", "updated_at")


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(AuditedModelAdmin):
    list_display = ("form", "suggested_indicator", "source", "decision", "final_indicator", "decided_at")
    list_filter = ("source", "decision")
    raw_id_fields = ("form", "final_region", "kejadian", "decided_by", "model")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {**(extra_context or {}), "stats_url": reverse("supervision:stats")}
        return super().changelist_view(request, extra_context)


@admin.register(SuggestionModel)
class SuggestionModelAdmin(AuditedModelAdmin):
    list_display = ("id", "created_at", "n_reports", "active")
    exclude = ("weights",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
