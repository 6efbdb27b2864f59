"""Violation handling in the Django admin (administrators only; every change is audited).

Only the referral bodies are kept here: recipients change (KASN became BKN in 2024) and the
office keeps them current. Cases are not in the admin: they change only through the workflow
services, on the staff pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from awas.cases.models import ReferralBody
from awas.core.admin import AuditedModelAdmin


@admin.register(ReferralBody)
class ReferralBodyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "outcomes", "position_keywords", "follow_up_days", "priority", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
    ordering = ("priority", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A body that has referrals is kept (PROTECT); deactivate it instead of deleting.
        return bool(obj is None or not obj.referrals.exists()) and super().has_delete_permission(request, obj)
