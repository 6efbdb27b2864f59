"""The admin site (administrators only): for repairs. Day-to-day work goes through the pages,
whose services write the audit log."""

from django.contrib import admin

from awas.core.admin import AuditedModelAdmin
from awas.outreach.models import (
    Activity,
    ActivityEvidence,
    Cadre,
    CadreTraining,
    FieldReport,
    ImbauanLetter,
    ManualCategory,
    MonitoringOrganisation,
    Patrol,
    PatrolParticipant,
    SchoolProgramme,
)


class EvidenceInline(admin.TabularInline):
    model = ActivityEvidence
    extra = 0
    raw_id_fields = ["evidence", "added_by"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["id", "kind", "title", "region", "planned_date", "done_date", "status", "attendance"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "region__name"]
    raw_id_fields = ["region", "created_by"]
    date_hierarchy = "planned_date"
    inlines = [EvidenceInline]


@admin.register(SchoolProgramme)
class SchoolProgrammeAdmin(AuditedModelAdmin):
    list_display = ["activity", "school_name", "school_type", "lesson_hours", "students_reached"]
    raw_id_fields = ["activity"]


class ParticipantInline(admin.TabularInline):
    model = PatrolParticipant
    extra = 0


@admin.register(Patrol)
class PatrolAdmin(AuditedModelAdmin):
    list_display = ["activity", "form_a_ref"]
    raw_id_fields = ["activity", "route_desa", "route_tps"]
    inlines = [ParticipantInline]


@admin.register(ImbauanLetter)
class ImbauanLetterAdmin(AuditedModelAdmin):
    list_display = ["activity", "number", "letter_date", "recipient_kind", "recipient", "subject"]
    raw_id_fields = ["activity"]
    search_fields = ["number", "recipient", "subject"]


@admin.register(ManualCategory)
class ManualCategoryAdmin(AuditedModelAdmin):
    list_display = ["region", "category", "source_note", "set_by", "set_at"]
    list_filter = ["category"]
    raw_id_fields = ["region", "set_by"]


class TrainingInline(admin.TabularInline):
    model = CadreTraining
    extra = 0


@admin.register(Cadre)
class CadreAdmin(AuditedModelAdmin):
    list_display = ["id", "name", "kind", "region", "organisation", "user", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    raw_id_fields = ["region", "user", "organisation"]
    inlines = [TrainingInline]


@admin.register(MonitoringOrganisation)
class MonitoringOrganisationAdmin(AuditedModelAdmin):
    list_display = ["name", "accreditation_number", "accreditation_date", "region", "members_count", "active"]
    search_fields = ["name", "accreditation_number"]
    raw_id_fields = ["region"]


@admin.register(FieldReport)
class FieldReportAdmin(AuditedModelAdmin):
    list_display = ["id", "cadre", "case", "sent_at"]
    raw_id_fields = ["cadre", "case"]
