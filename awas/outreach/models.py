"""Pencegahan and pengawasan partisipatif: what the office does to prevent violations, and who helps.

One ``Activity`` table holds every prevention activity (sosialisasi, school programme, patroli
pengawasan, imbauan letter) with what they all share: kind, place, planned and done dates, status,
attendance, evidence. The calendar, the coverage page and the dashboard read only this table.
What only one kind has lives in a one-to-one table beside it (``SchoolProgramme``, ``Patrol``,
``ImbauanLetter``), so that no column is blank for three kinds out of four and no kind needs a
join to be counted.

Cadres (kader pengawasan partisipatif) and the contacts of monitoring organisations are personal
data (UU 27/2022): ``personal_fields`` masks them in the audit log, and the selectors show them
only to the roles in ``awas.outreach.permissions.PERSONAL``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.scope import ScopedQuerySet


class ActivityKind(models.TextChoices):
    SOSIALISASI = "sosialisasi", _("Sosialisasi")
    SCHOOL = "sekolah", _("School programme")
    PATROL = "patroli", _("Patroli pengawasan")
    IMBAUAN = "imbauan", _("Imbauan letter")


class ActivityStatus(models.TextChoices):
    PLANNED = "rencana", _("Planned")
    DONE = "terlaksana", _("Done")
    CANCELLED = "batal", _("Cancelled")


class SosialisasiMode(models.TextChoices):
    FORMAL = "formal", _("Formal")
    INFORMAL = "informal", _("Informal")


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices, db_index=True)
    title = models.CharField(_("topic"), max_length=200)
    mode = models.CharField(
        _("format"),
        max_length=10,
        choices=SosialisasiMode.choices,
        blank=True,
        help_text=_("Sosialisasi only."),
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("place (kecamatan or desa)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    planned_date = models.DateField(_("planned date"), db_index=True)
    done_date = models.DateField(_("date done"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    attendees = models.TextField(_("attendees"), blank=True, help_text=_("One name per line (optional)."))
    notes = models.TextField(_("notes"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    personal_fields = frozenset({"attendees"})

    class Meta:
        ordering = ["-planned_date", "-id"]
        verbose_name = _("prevention activity")
        verbose_name_plural = _("prevention activities")
        indexes = [
            models.Index(fields=["status", "planned_date"]),
            models.Index(fields=["region", "planned_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="terlaksana") | models.Q(done_date__isnull=False),
                name="outreach_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def date(self) -> Any:
        """The day the activity sits on in the calendar and in coverage: done date, else planned date."""
        return self.done_date or self.planned_date


class EvidenceRole(models.TextChoices):
    PHOTO = "foto", _("Photo")
    MATERIAL = "materi", _("Material")


class ActivityEvidence(models.Model):
    """A photo or material of an activity, kept in the evidence store (content-addressed)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="evidence")
    evidence = models.ForeignKey("core.EvidenceFile", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("kind of file"), max_length=8, choices=EvidenceRole.choices)
    name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        constraints = [
            models.UniqueConstraint(fields=["activity", "evidence"], name="outreach_evidence_once")
        ]

    def __str__(self) -> str:
        return self.name


class SchoolType(models.TextChoices):
    SMA = "SMA", "SMA"
    SMK = "SMK", "SMK"
    MA = "MA", "MA"


class SchoolProgramme(models.Model):
    """Pendidikan politik at a senior secondary school, in lesson hours (jam pelajaran, JP)."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="school"
    )
    school_name = models.CharField(_("school"), max_length=200)
    school_type = models.CharField(_("school type"), max_length=3, choices=SchoolType.choices)
    lesson_hours = models.PositiveSmallIntegerField(
        _("lesson hours (JP)"), default=2, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    students_reached = models.PositiveIntegerField(_("students reached"), default=0)

    class Meta:
        verbose_name = _("school programme")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lesson_hours__gte=1, lesson_hours__lte=2), name="outreach_school_1_2_jp"
            )
        ]

    def __str__(self) -> str:
        return self.school_name


class Patrol(models.Model):
    """Patroli pengawasan: a route through desa and TPS, with Polri, TNI, Satpol PP and pemantau.

    A finding is kept as text here; another app turns it into a Form A (LHP) through
    ``services.patrol_findings_for_form_a`` and records the Form A's reference in ``form_a_ref``.
    """

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="patrol"
    )
    route_desa = models.ManyToManyField(
        "regions.Region", verbose_name=_("desa on the route"), blank=True, related_name="+"
    )
    route_tps = models.ManyToManyField(
        "regions.Tps", verbose_name=_("TPS on the route"), blank=True, related_name="+"
    )
    findings = models.TextField(_("findings"), blank=True)
    form_a_ref = models.CharField(
        _("Form A"), max_length=100, blank=True, help_text=_("Set when the finding has become a Form A.")
    )

    class Meta:
        verbose_name = _("patrol")

    def __str__(self) -> str:
        return f"patroli {self.activity_id}"


class Institution(models.TextChoices):
    POLRI = "polri", "Polri"
    TNI = "tni", "TNI"
    SATPOL_PP = "satpol_pp", "Satpol PP"
    PEMANTAU = "pemantau", _("Pemantau")
    OTHER = "lainnya", _("Other")


class PatrolParticipant(models.Model):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="participants")
    institution = models.CharField(_("institution"), max_length=10, choices=Institution.choices)
    count = models.PositiveIntegerField(_("people"), default=0)
    names = models.TextField(_("names"), blank=True)

    personal_fields = frozenset({"names"})

    class Meta:
        ordering = ["patrol", "institution"]
        verbose_name = _("patrol participant")
        constraints = [
            models.UniqueConstraint(fields=["patrol", "institution"], name="outreach_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_institution_display()}: {self.count}"


class RecipientKind(models.TextChoices):
    BUPATI = "bupati", _("Bupati")
    OPD = "opd", _("Head of a regional agency (OPD)")
    CAMAT = "camat", _("Camat")
    KEPALA_DESA = "kades", _("Kepala desa")
    OTHER = "lainnya", _("Other")


class ImbauanLetter(models.Model):
    """An imbauan (appeal) letter; its number is taken from a yearly counter when it is issued."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, primary_key=True, related_name="letter"
    )
    recipient_kind = models.CharField(_("recipient"), max_length=8, choices=RecipientKind.choices)
    recipient = models.CharField(_("addressed to"), max_length=200, help_text=_("e.g. Bupati Malang"))
    recipient_place = models.CharField(_("at"), max_length=100, default="Tempat")
    subject = models.CharField(_("subject (perihal)"), max_length=200)
    body = models.TextField(_("text"))
    number = models.CharField(_("letter number"), max_length=64, unique=True, null=True, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("as"), max_length=100, default="Ketua")

    class Meta:
        verbose_name = _("imbauan letter")
        verbose_name_plural = _("imbauan letters")

    def __str__(self) -> str:
        return self.number or f"draft {self.activity_id}"


class Category(models.TextChoices):
    # The IKP's own category codes (awas.ikp.scoring.CATEGORY_CODES).
    RENDAH = "rendah", _("Low (rendah)")
    SEDANG = "sedang", _("Medium (sedang)")
    TINGGI = "tinggi", _("High (tinggi)")


class ManualCategory(models.Model):
    """A vulnerability category the office enters by hand for a kecamatan or desa.

    Kab. Malang's 2024 mapping exists only on paper (DOMAIN.md §1.4; no kecamatan IKP scores are
    published), so the office types it in here. Once the IKP engine offers categories per region
    (``awas.ikp.selectors.latest_categories``), the IKP category replaces this one wherever it
    exists; see ``selectors.vulnerability_categories``.
    """

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("kecamatan or desa"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=8, choices=Category.choices)
    source_note = models.CharField(
        _("source"),
        max_length=255,
        blank=True,
        help_text=_("e.g. Pemetaan Kerawanan Pilkada 2024, 18 Aug 2024"),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("vulnerability category entered by the office")
        verbose_name_plural = _("vulnerability categories entered by the office")

    def __str__(self) -> str:
        return f"{self.region_id}: {self.category}"


class MonitoringOrganisation(models.Model):
    """A lembaga pemantau accredited by Bawaslu."""

    name = models.CharField(_("name"), max_length=200)
    accreditation_number = models.CharField(_("accreditation number"), max_length=100, blank=True)
    accreditation_date = models.DateField(_("accreditation date"), null=True, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    members_count = models.PositiveIntegerField(_("members"), default=0)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    personal_fields = frozenset({"contact_person", "contact_phone", "contact_email"})

    class Meta:
        ordering = ["name"]
        verbose_name = _("monitoring organisation (pemantau)")
        verbose_name_plural = _("monitoring organisations (pemantau)")

    def __str__(self) -> str:
        return self.name


class CadreKind(models.TextChoices):
    SKPP = "skpp", _("SKPP graduate")
    COMMUNITY = "tokoh", _("Community figure")
    STUDENT = "pelajar", _("Student")
    OTHER = "lainnya", _("Other")


class Cadre(models.Model):
    """A kader pengawasan partisipatif; with an account (role kader) they send field information."""

    kind = models.CharField(_("type"), max_length=8, choices=CadreKind.choices)
    name = models.CharField(_("name"), max_length=200)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        MonitoringOrganisation,
        verbose_name=_("member of (pemantau)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadres",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cadre",
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    personal_fields = frozenset({"name", "nik", "phone", "email"})

    class Meta:
        ordering = ["name"]
        verbose_name = _("cadre (kader)")
        verbose_name_plural = _("cadres (kader)")

    def __str__(self) -> str:
        return f"kader {self.pk}"


class CadreTraining(models.Model):
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="trainings")
    name = models.CharField(
        _("training"), max_length=200, help_text=_("e.g. SKPP 2024, Bimtek Pengawasan Partisipatif")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("training")

    def __str__(self) -> str:
        return self.name


class FieldReport(models.Model):
    """Field information a cadre sent; it lives on as an informasi awal in the cases app."""

    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="reports")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), db_index=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("field report of a cadre")

    def __str__(self) -> str:
        return f"{self.cadre_id} → {self.case_id}"
