from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from awas.asn.models import (
    Agency,
    AsnCaseLink,
    AsnSettings,
    FactorCode,
    ImbauanLetter,
    Person,
    RiskFactor,
    RosterImport,
    SanctionFollowUp,
    SocialAccount,
    Violation,
)
from awas.asn.services import mobilising_redetect
from awas.core.admin import AuditedModelAdmin


@admin.register(RiskFactor)
class RiskFactorAdmin(AuditedModelAdmin):
    list_display = ("code", "weight", "saturation")
    list_editable = ("weight",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.code == FactorCode.POSITION:
            mobilising_redetect()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per factor the score knows (awas.asn.risk)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AsnSettings)
class AsnSettingsAdmin(AuditedModelAdmin):
    list_display = ("risk_threshold", "ppk_days", "ppk_day_type", "letter_city")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not AsnSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "head_title")
    list_filter = ("kind",)
    search_fields = ("name", "head_title")


class SocialAccountInline(admin.TabularInline):
    model = SocialAccount
    extra = 0
    fields = ("platform", "handle", "url")


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    list_display = ("name", "kind", "nip", "agency", "position", "region", "active")
    list_filter = ("kind", "active", "asn_status")
    search_fields = ("name", "nip", "position", "agency__name")
    raw_id_fields = ("region", "agency", "source_import")
    readonly_fields = ("birth_date", "sex", "appointment_year", "appointment_month", "mobilising_detected")
    inlines = [SocialAccountInline]


@admin.register(Violation)
class ViolationAdmin(AuditedModelAdmin):
    """Read only: the catalogue comes from awas/asn/data/skb2022.yaml."""

    list_display = ("code", "matrix", "sanction_kind", "level", "level_status", "act")
    list_filter = ("matrix", "sanction_kind", "level_status")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AsnCaseLink)
class AsnCaseLinkAdmin(AuditedModelAdmin):
    list_display = ("case", "person", "violation", "stage", "created_at")
    raw_id_fields = ("case", "person")


@admin.register(SanctionFollowUp)
class SanctionFollowUpAdmin(AuditedModelAdmin):
    list_display = ("link", "recommendation_date", "ppk_due", "decision_date", "sanction")
    raw_id_fields = ("link",)


@admin.register(ImbauanLetter)
class ImbauanLetterAdmin(AuditedModelAdmin):
    list_display = ("number", "letter_date", "recipient", "recipient_kind")
    search_fields = ("number", "recipient")


@admin.register(RosterImport)
class RosterImportAdmin(AuditedModelAdmin):
    list_display = ("file_name", "imported_at", "imported_by", "rows", "created", "updated", "sha256")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
