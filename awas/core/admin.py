"""The Django admin, for administrators only; every change made here lands in the audit log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.core.models import AuditEntry, DeadlineRule, EvidenceFile, Holiday, HolidayKind, User
from awas.core.selectors import audit_entries_visible_to
from awas.core.services.audit import audit_record, snapshot
from awas.core.services.deadlines import (
    HolidaySpec,
    holiday_years_allowed,
    holidays_changed,
    holidays_import,
)


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


# What a holiday edit changes, said on the form (and in the same words on the delete pages,
# templates admin/core/holiday/_effect.html).
HOLIDAY_EDIT_EFFECT = _(
    "Clocks counted in working days (Pemilu, UU 7/2017 Pasal 454) skip every day listed here, "
    "libur nasional and cuti bersama alike. Saving or deleting a day counts the due dates of the "
    "open Pemilu cases again at once, and each change is written to the audit log; decided and "
    "closed cases keep their dates, and Pilkada clocks, counted in calendar days, do not change."
)


class HolidayForm(forms.ModelForm):
    """A day of the calendar: a year far from now is a typing slip (2062 for 2026), and a date
    already in the calendar is named, so the administrator edits that day instead."""

    class Meta:
        model = Holiday
        fields = ("date", "name", "kind", "source")

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        first, last = holiday_years_allowed(timezone.localdate())
        if not first <= day.year <= last:
            raise forms.ValidationError(
                _(
                    "The year %(year)s is too far from now: the calendar takes the years %(first)s "
                    "to %(last)s. Check the date."
                ),
                params={"year": day.year, "first": first, "last": last},
            )
        taken = Holiday.objects.filter(date=day).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _(
                    "%(date)s is already in the calendar as %(name)s (%(kind)s). Change that day "
                    "instead if its name or kind is to change."
                ),
                params={
                    "date": date_format(day, "j F Y"),
                    "name": taken.name,
                    "kind": taken.get_kind_display(),
                },
            )
        return day


HOLIDAY_KIND_WORDS = {
    "libur nasional": HolidayKind.LIBUR_NASIONAL,
    "libur_nasional": HolidayKind.LIBUR_NASIONAL,
    "cuti bersama": HolidayKind.CUTI_BERSAMA,
    "cuti_bersama": HolidayKind.CUTI_BERSAMA,
}
# 2027-01-01, or 01/01/2027 and 1-1-2027 as Indonesian lists write it (day first).
HOLIDAY_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
HOLIDAY_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
# The next year's SKB 3 Menteri is usually signed in September: from October the holiday list
# warns while the next year has no day yet.
NEXT_YEAR_EXPECTED_FROM = 10


class HolidayImportForm(forms.Form):
    """A year's holidays pasted at once, one a line: ``date; kind; name; source`` (semicolons, or
    the tabs of cells copied from a spreadsheet). Nothing is added while any line is wrong."""

    lines = forms.CharField(
        label=_("Holidays, one a line"),
        widget=forms.Textarea(attrs={"rows": 20, "cols": 90}),
        help_text=_(
            "date; kind; name; source — e.g. 2027-01-01; libur nasional; Tahun Baru 2027 Masehi; "
            "SKB 3 Menteri. The date as 2027-01-01 or 01/01/2027; the kind libur nasional or cuti "
            "bersama; the source may be left out when given below. Cells copied from a spreadsheet "
            "(separated by tabs) work too."
        ),
    )
    source = forms.CharField(
        label=_("Source of the lines without one"),
        max_length=255,
        required=False,
        help_text=_("The decree that sets the days, e.g. SKB 3 Menteri No. …/2026."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        text, default_source = cleaned.get("lines", ""), cleaned.get("source", "").strip()
        first, last = holiday_years_allowed(timezone.localdate())
        days: list[HolidaySpec] = []
        seen: dict[dt.date, int] = {}
        errors: list[str] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in raw.split("\t" if "\t" in raw else ";")]
            if len(cells) < 3 or not cells[2]:
                errors.append(
                    str(_("Line %(line)s: give the date, the kind and the name, separated by semicolons."))
                    % {"line": number}
                )
                continue
            day = _holiday_date(cells[0])
            kind = HOLIDAY_KIND_WORDS.get(" ".join(cells[1].lower().split()))
            if day is None:
                errors.append(
                    str(_("Line %(line)s: '%(value)s' is not a date (2027-01-01 or 01/01/2027)."))
                    % {"line": number, "value": cells[0]}
                )
            elif not first <= day.year <= last:
                errors.append(
                    str(_("Line %(line)s: the year %(year)s is too far from now (%(first)s to %(last)s)."))
                    % {"line": number, "year": day.year, "first": first, "last": last}
                )
            elif day in seen:
                errors.append(
                    str(_("Line %(line)s: %(date)s is already on line %(other)s."))
                    % {"line": number, "date": date_format(day, "j F Y"), "other": seen[day]}
                )
            if kind is None:
                errors.append(
                    str(_("Line %(line)s: the kind '%(value)s' is neither libur nasional nor cuti bersama."))
                    % {"line": number, "value": cells[1]}
                )
            if day is None or kind is None or day in seen or not first <= day.year <= last:
                if day is not None:
                    seen.setdefault(day, number)
                continue
            seen[day] = number
            source = cells[3] if len(cells) > 3 and cells[3] else default_source
            days.append(HolidaySpec(date=day, name=cells[2][:200], kind=kind, source=source[:255]))
        if errors:
            raise forms.ValidationError(errors)
        if not days:
            raise forms.ValidationError(_("There is no holiday in the lines."))
        cleaned["days"] = days
        return cleaned


def _holiday_date(text: str) -> dt.date | None:
    if match := HOLIDAY_ISO_DATE.fullmatch(text):
        year, month, day = match.groups()
    elif match := HOLIDAY_DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


@admin.register(Holiday)
class HolidayAdmin(AuditedModelAdmin):
    """The holiday calendar the working-day clocks skip; seeded for 2024-2026, kept by the admin."""

    form = HolidayForm
    fieldsets = ((None, {"fields": ("date", "name", "kind", "source"), "description": HOLIDAY_EDIT_EFFECT}),)
    list_display = ("date", "weekday", "name", "kind", "source")
    list_filter = ("kind",)
    search_fields = ("name", "source")
    date_hierarchy = "date"
    ordering = ("-date",)

    @admin.display(description=_("day"), ordering="date")
    def weekday(self, obj: Holiday) -> str:
        return date_format(obj.date, "l")

    def get_urls(self) -> list[Any]:
        own = [path("import/", self.admin_site.admin_view(self.import_view), name="core_holiday_import")]
        return own + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """A year's holidays at once: the new SKB 3 Menteri has some 25 days."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = HolidayImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            days = form.cleaned_data["days"]
            there = set(
                Holiday.objects.filter(date__in=[d.date for d in days]).values_list("date", flat=True)
            )
            added, moved = holidays_import(days, actor=request.user)
            message = ngettext(
                "%(n)s holiday was added to the calendar.",
                "%(n)s holidays were added to the calendar.",
                added,
            ) % {"n": number_format(added, force_grouping=True)}
            if there:
                message += " " + str(
                    _("Already in the calendar, left as they are: %(dates)s.")
                    % {"dates": ", ".join(date_format(day, "j F Y") for day in sorted(there))}
                )
            self.message_user(request, message, messages.SUCCESS)
            self._tell_moved(request, moved)
            return redirect("admin:core_holiday_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": _("Import holidays"),
            "effect": HOLIDAY_EDIT_EFFECT,
        }
        return TemplateResponse(request, "admin/core/holiday/import.html", context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """Says when a year the clocks will soon count through has no holiday yet: a Pemilu clock
        would run through its Tahun Baru and Idul Fitri as working days."""
        today = timezone.localdate()
        years = {today.year} | ({today.year + 1} if today.month >= NEXT_YEAR_EXPECTED_FROM else set())
        entered = {day.year for day in Holiday.objects.filter(date__year__in=years).dates("date", "year")}
        for year in sorted(years - entered):
            self.message_user(
                request,
                _(
                    "The calendar has no holiday in %(year)s yet: clocks counted in working days "
                    "count its libur nasional and cuti bersama as working days. Enter them from the "
                    "SKB 3 Menteri (Import holidays)."
                )
                % {"year": year},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)

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


# The rule file names each clock and its start in English (for the developers who keep it); the
# administrator reads them in the office's language. A key not listed shows the file's words.
RULE_NAMES = {
    "report_filing": _("Filing a laporan"),
    "finding": _("Establishing the temuan"),
    "initial_review": _("Kajian awal (formal and material check)"),
    "completion": _("The pelapor completes missing requirements"),
    "decision": _("Decision"),
    "decision_extension": _("Extra time for the decision when more information is needed"),
}
RULE_STARTS = {
    "report_filing": _("the day the violation became known (tanggal diketahui)"),
    "finding": _("the day the supervisor found the suspected violation (tanggal ditemukan)"),
    "initial_review": _("the day the laporan was received"),
    "completion": _("the day the pelapor is told which requirements are missing"),
    "decision": _("the day the laporan was received"),
    ("pemilu", "decision"): _("the day the temuan or laporan was received and registered"),
    "decision_extension": _("added to the decision clock, counted from the same day"),
}
RULE_FIELDS = (
    "election_type",
    "clock",
    "days",
    "day_type",
    "counted_from",
    "legal_basis",
    "source_url",
    "note",
)
RULE_SOURCE = _(
    "Deadline rules follow the law and are not edited here: each is written with its article in "
    "the file awas/core/deadline_rules.yaml, so that a change is reviewed in the version history. "
    "When the law changes, the developers change that file; the next 'awas migrate' of the upgrade "
    "brings it into force, writes it to the audit log and counts the due dates of the open cases "
    "again (decided and closed cases keep their dates)."
)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Read-only: rules come from awas/core/deadline_rules.yaml (deadline_rules_load), each with
    its article, so a changed legal clock is reviewed in version control, not edited here."""

    list_display = ("clock", "election_type", "days", "day_type", "legal_basis")
    list_filter = ("election_type", "day_type")
    search_fields = ("key", "label", "legal_basis")
    fieldsets = (
        (
            None,
            {
                "fields": RULE_FIELDS,
                "description": RULE_SOURCE,
            },
        ),
    )
    readonly_fields = ("clock", "counted_from")

    @admin.display(description=_("clock"), ordering="key")
    def clock(self, obj: DeadlineRule) -> str:
        return str(RULE_NAMES.get(obj.key, obj.label))

    @admin.display(description=_("clock starts at"))
    def counted_from(self, obj: DeadlineRule) -> str:
        start = RULE_STARTS.get((obj.election_type, obj.key)) or RULE_STARTS.get(obj.key)
        return str(start) if start is not None else obj.start_event

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return super().changelist_view(request, {**(extra_context or {}), "rule_source": RULE_SOURCE})

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> Any:
        rule = self.get_object(request, object_id)
        subtitle = (
            f"{self.clock(rule)} ({rule.get_election_type_display()}): {rule.days} "
            f"{rule.get_day_type_display()}"
            if rule is not None
            else None
        )
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "subtitle": subtitle}
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
