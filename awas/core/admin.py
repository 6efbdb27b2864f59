"""The Django admin, for administrators only; every change made here lands in the audit log."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.core.models import AuditEntry, DeadlineRule, EvidenceFile, Holiday, User
from awas.core.selectors import audit_entries_visible_to
from awas.core.services.audit import audit_record, snapshot
from awas.core.services.deadlines import holidays_changed


class AuditedModelAdmin(admin.ModelAdmin):
    """Writes an audit entry in the admin's own transaction for each add, change and delete."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(
            action=f"admin.{'changed' if change else 'added'}",
            obj=obj,
            actor=request.user,
            before=before,
            after=snapshot(obj),
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        before = snapshot(obj)
        audit_record(action="admin.deleted", obj=obj, actor=request.user, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_record(action="admin.deleted", obj=obj, actor=request.user, before=snapshot(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The rows of an inline (a cadre's trainings, an activity's evidence) like the object."""
        model = formset.model
        stored = model.objects.in_bulk([f.instance.pk for f in formset.forms if f.instance.pk])
        before = {pk: snapshot(obj) for pk, obj in stored.items()}  # as they were, not as typed
        # A deleted row's object loses its pk: remembered by the object itself.
        deleted_pk = {id(f.instance): f.instance.pk for f in formset.deleted_forms if f.instance.pk}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(action="admin.added", obj=obj, actor=request.user, after=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            audit_record(
                action="admin.changed",
                obj=obj,
                actor=request.user,
                before=before.get(obj.pk),
                after=snapshot(obj),
            )
        for obj in formset.deleted_objects:
            pk = deleted_pk.get(id(obj))
            audit_record(
                action="admin.deleted",
                actor=request.user,
                before=before.get(pk),
                object_type=model._meta.label,
                object_id=str(pk or ""),
                object_repr=str(obj)[:255],
            )


@admin.register(User)
class AwasUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "scope_region", "scope_tps", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("scope_region",)
    raw_id_fields = ("scope_tps",)
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Awas", {"fields": ("role", "scope_region", "scope_tps", "phone")}),
    )

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        """Setting another user's password is Django's own view, which saves no model through the
        admin: audited here once it succeeded (it redirects)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            with transaction.atomic():
                audit_record(action="admin.password_set", obj=User.objects.get(pk=id), actor=request.user)
        return response


def _audited(model: type[Model]) -> None:
    """Register the admin another app gave ``model`` again, with the audit entries of ours: the
    groups, the authenticator devices (adding one for someone else takes over their second
    factor) and the login lock-outs (deleting one lets a guesser go on)."""
    if model not in admin.site._registry:  # e.g. axes' admin turned off (AXES_ENABLE_ADMIN)
        return
    given = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{given.__name__}", (AuditedModelAdmin, given), {}))


for _model in (Group, TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog):
    _audited(_model)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "created_at", "actor_name", "action", "object_type", "object_repr", "ip_address")
    list_filter = ("action",)
    search_fields = ("object_repr", "actor_name", "action")

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        return audit_entries_visible_to(request.user)  # an office's own area, as on its log page

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ("sha256", "original_name", "content_type", "size", "uploaded_at")
    search_fields = ("sha256", "original_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # evidence arrives through the evidence store, which checks and hashes it

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    """The holiday calendar the working-day clocks skip; seeded for 2024-2026, kept by the admin."""

    list_display = ("date", "weekday", "name", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description=_("day"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        return date_format(obj.date, "l")

    # Every edit moves the working-day clocks (UU 7/2017 Pasal 454: hari kerja) of the open cases
    # that span the day: their stored due dates are recomputed in the admin's transaction.

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            old = Holiday.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
            super().save_model(request, obj, form, change)
            moved = holidays_changed(
                dates={obj.date} | ({old} if old else set()), actor=request.user, reason="holiday saved"
            )
        self._tell_moved(request, moved)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with transaction.atomic():
            day = obj.date  # type: ignore[attr-defined]
            super().delete_model(request, obj)
            moved = holidays_changed(dates={day}, actor=request.user, reason="holiday deleted")
        self._tell_moved(request, moved)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            days = set(queryset.values_list("date", flat=True))
            super().delete_queryset(request, queryset)
            moved = holidays_changed(dates=days, actor=request.user, reason="holidays deleted")
        self._tell_moved(request, moved)

    def _tell_moved(self, request: HttpRequest, moved: int) -> None:
        """The admin sees what the edit did to running clocks (each case's change is in the log)."""
        if moved:
            message = ngettext(
                "The due dates of %(n)s open case were counted again with this calendar.",
                "The due dates of %(n)s open cases were counted again with this calendar.",
                moved,
            ) % {"n": number_format(moved, force_grouping=True)}
            self.message_user(request, message, messages.WARNING)
        else:
            self.message_user(request, _("No due date of an open case moved."), messages.INFO)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Read-only: rules come from awas/core/deadline_rules.yaml (deadline_rules_load), each with
    its article, so a changed legal clock is reviewed in version control, not edited here."""

    list_display = ("election_type", "key", "days", "day_type", "legal_basis")
    list_filter = ("election_type", "day_type")
    search_fields = ("key", "label", "legal_basis")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
