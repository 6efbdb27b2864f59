"""Violation handling in the Django admin (administrators only; every change is audited).

Only the referral bodies are kept here: recipients change (KASN became BKN in 2024) and the
office keeps them current. Cases are not in the admin: they change only through the workflow
services, on the staff pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from awas.cases.models import DecisionOutcome, ReferralBody
from awas.core.admin import AuditedModelAdmin


class ReferralBodyForm(forms.ModelForm):
    """The routing as choices and lines, not raw JSON: a label typed for a code ("Pelanggaran
    administrasi"), or a word typed as a bare string, saved silently and never matched."""

    outcomes = forms.MultipleChoiceField(
        label=_("handles outcomes"),
        choices=DecisionOutcome.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Decision outcomes routed to this body."),
    )
    position_keywords = forms.CharField(
        label=_("terlapor position words"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "One word or phrase a line (e.g. ASN, PNS, kepala desa): suggested when the terlapor's "
            "position contains one of them. Empty: suggested by outcome alone."
        ),
    )

    class Meta:
        model = ReferralBody
        fields = (
            "code",
            "name",
            "addressee",
            "address",
            "outcomes",
            "position_keywords",
            "follow_up_days",
            "follow_up_day_type",
            "priority",
            "active",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["position_keywords"] = "\n".join(self.instance.position_keywords or [])

    def clean_position_keywords(self) -> list[str]:
        lines = str(self.cleaned_data.get("position_keywords") or "").splitlines()
        return list(dict.fromkeys(line.strip() for line in lines if line.strip()))


@admin.register(ReferralBody)
class ReferralBodyAdmin(AuditedModelAdmin):
    form = ReferralBodyForm
    list_display = (
        "name",
        "code",
        "outcomes",
        "position_keywords",
        "follow_up_days",
        "follow_up_day_type",
        "priority",
        "active",
    )
    list_filter = ("active",)
    search_fields = ("name", "code")
    ordering = ("priority", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A body that has referrals is kept (PROTECT); deactivate it instead of deleting.
        return bool(obj is None or not obj.referrals.exists()) and super().has_delete_permission(request, obj)
