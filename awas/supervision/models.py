"""Form A (Laporan Hasil Pengawasan, LHP): the field supervisors' report, and what it yields.

A Form A is written by a PTPS (for its TPS), a PKD (its desa) or a Panwascam (its kecamatan), typed
in or uploaded as the PDF/DOCX the field office already produced. Its sections follow the official
form: I data pengawas, II kegiatan pengawasan, III uraian singkat hasil pengawasan, IV informasi
dugaan pelanggaran, V informasi potensi sengketa, and the lampiran (evidence store files).

From the report text Awas *suggests* IKP indicators (``suggest.py``); a person decides each
suggestion, and only then does a kejadian exist (``awas.ikp.models.Kejadian``). Every decision is
kept as a :class:`SuggestionDecision`, which is also the training data of the office's own model
(:class:`SuggestionModel`). All writes go through ``awas.supervision.services``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.scope import ScopedQuerySet
from awas.ikp.models import Tahapan

# Section IV / V entries that mean "nothing to report".
EMPTY_MARKERS = frozenset({"", "-", "--", "nihil", "tidak ada", "tidak ditemukan", "n/a", "na", "none"})


def is_blank_entry(value: str) -> bool:
    return value.strip().strip(".").strip().lower() in EMPTY_MARKERS


class FormAStatus(models.TextChoices):
    DRAFT = "draft", _("to review")  # read from an uploaded file, not yet checked by a person
    FILED = "filed", _("filed")
    DISCARDED = "discarded", _("discarded")


class FormASource(models.TextChoices):
    TYPED = "typed", _("typed in")
    UPLOADED = "uploaded", _("uploaded file")


class ExtractionMethod(models.TextChoices):
    NONE = "", _("none")
    PDF_TEXT = "pdf_text", _("PDF text layer")
    PDF_OCR = "pdf_ocr", _("PDF read by OCR")
    DOCX = "docx", _("Word document")


class FormA(models.Model):
    """One Laporan Hasil Pengawasan. Numbered when filed (see ``services.form_a_number``)."""

    number = models.CharField(_("number"), max_length=100, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FormAStatus.choices, default=FormAStatus.DRAFT
    )
    source = models.CharField(_("source"), max_length=10, choices=FormASource.choices)

    # Where: a desa (PTPS with its TPS, PKD) or a kecamatan (Panwascam).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    tps = models.ForeignKey(
        "regions.Tps",
        verbose_name=_("TPS"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The TPS number as reported, also when that TPS is not (yet) in the TPS register.
    tps_number = models.PositiveSmallIntegerField(_("TPS number"), null=True, blank=True)
    is_rekap = models.BooleanField(
        _("kecamatan recap report"),
        default=False,
        help_text=_(
            "A Panwascam report that sums up what the desa reported. Its kejadian are kept for the "
            "record but not counted again in the IKP."
        ),
    )
    report_date = models.DateField(_("report date"))
    place_signed = models.CharField(_("signed at"), max_length=100, blank=True)

    # I. Data pengawas
    tahapan = models.CharField(
        _("stage supervised"), max_length=20, choices=Tahapan.choices, default=Tahapan.LAINNYA
    )
    pelaksana_nama = models.CharField(_("name of the supervisor"), max_length=200, blank=True)
    pelaksana_jabatan = models.CharField(_("position"), max_length=200, blank=True)
    nomor_surat_tugas = models.CharField(_("assignment letter number"), max_length=200, blank=True)
    pelaksana_alamat = models.CharField(_("office address"), max_length=300, blank=True)

    # II. Kegiatan pengawasan
    kegiatan_bentuk = models.TextField(_("form of supervision"), blank=True)
    kegiatan_tujuan = models.TextField(_("purpose"), blank=True)
    kegiatan_sasaran = models.TextField(_("target"), blank=True)
    kegiatan_waktu_tempat = models.TextField(_("time and place"), blank=True)
    kegiatan_tanggal = models.DateField(_("date of the supervision"))

    # III. Uraian singkat hasil pengawasan
    uraian = models.TextField(_("short account of the results"), blank=True)

    # IV. Informasi dugaan pelanggaran
    pelanggaran_peristiwa = models.TextField(_("event"), blank=True)
    pelanggaran_tempat = models.CharField(_("place of the event"), max_length=300, blank=True)
    pelanggaran_waktu = models.CharField(_("time of the event"), max_length=200, blank=True)
    pelaku_nama = models.TextField(_("perpetrator"), blank=True)
    pelaku_alamat = models.TextField(_("perpetrator's address"), blank=True)
    saksi = models.TextField(_("witnesses"), blank=True)
    alat_bukti = models.TextField(_("evidence"), blank=True)
    pelanggaran_uraian = models.TextField(_("account of the alleged violation"), blank=True)

    # V. Informasi potensi sengketa
    sengketa_peristiwa = models.TextField(_("event"), blank=True)
    sengketa_tempat = models.CharField(_("place of the event"), max_length=300, blank=True)
    sengketa_waktu = models.CharField(_("time of the event"), max_length=200, blank=True)
    sengketa_pihak = models.TextField(_("parties involved"), blank=True)
    sengketa_uraian = models.TextField(_("account of the potential dispute"), blank=True)

    # An uploaded report: the original file (evidence store) and what was read from it.
    source_file = models.ForeignKey(
        "core.EvidenceFile",
        verbose_name=_("uploaded file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    extraction_method = models.CharField(
        _("read by"), max_length=10, choices=ExtractionMethod.choices, blank=True, default=""
    )
    extracted_text = models.TextField(_("text read from the file"), blank=True)
    parse_notes = models.JSONField(_("notes from reading the file"), default=list, blank=True)

    kejadian_reviewed_at = models.DateTimeField(_("indicators reviewed"), null=True, blank=True)
    kejadian_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    temuan = models.ForeignKey(
        "cases.Case",
        verbose_name=_("temuan"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_tps_field = "tps"

    # Personal data of third parties (UU 27/2022): shown only to handling roles, masked in the audit log.
    personal_fields = frozenset({"pelaku_nama", "pelaku_alamat", "saksi"})

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Form A (LHP)")
        verbose_name_plural = _("Form A (LHP)")
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.number or f"Form A #{self.pk} ({self.get_status_display()})"

    @property
    def tps_label(self) -> str:
        return f"TPS {self.tps_number:03d}" if self.tps_number else ""

    @property
    def has_violation_info(self) -> bool:
        return any(
            not is_blank_entry(getattr(self, name))
            for name in ("pelanggaran_peristiwa", "pelanggaran_uraian", "pelaku_nama")
        )

    @property
    def has_dispute_info(self) -> bool:
        return any(
            not is_blank_entry(getattr(self, name)) for name in ("sengketa_peristiwa", "sengketa_uraian")
        )

    def report_text(self) -> str:
        """What the indicator suggestions read: the findings (sections III to V). Sections I and II
        say who supervised what ("Sasaran: paslon, ASN"), which is not an event."""
        parts = [
            self.uraian,
            self.pelanggaran_peristiwa,
            self.pelanggaran_tempat,
            self.pelaku_nama,
            self.alat_bukti,
            self.pelanggaran_uraian,
            self.sengketa_peristiwa,
            self.sengketa_pihak,
            self.sengketa_uraian,
        ]
        return "\n".join(p for p in parts if p and not is_blank_entry(p))


class FormAAttachment(models.Model):
    """A lampiran of a Form A: a photo, document or recording kept in the evidence store."""

    form = models.ForeignKey(FormA, on_delete=models.CASCADE, related_name="attachments")
    evidence = models.ForeignKey("core.EvidenceFile", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.UniqueConstraint(fields=["form", "evidence"], name="supervision_attachment_once"),
        ]

    def __str__(self) -> str:
        return str(self.evidence)


class FormACounter(models.Model):
    """The yearly sequence of Form A numbers of one region."""

    key = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "year"], name="supervision_counter_key_year"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.value}"


class SuggestionSource(models.TextChoices):
    LEXICON = "lexicon", _("phrase list")
    MODEL = "model", _("trained model")
    BOTH = "both", _("phrase list and model")
    REVIEWER = "reviewer", _("added by the reviewer")


class Decision(models.TextChoices):
    PENDING = "pending", _("not yet decided")
    ACCEPTED = "accepted", _("accepted")
    CHANGED = "changed", _("changed")
    REMOVED = "removed", _("removed")
    ADDED = "added", _("added by the reviewer")


class SuggestionModel(models.Model):
    """A classifier trained on the office's own reviewed reports (TF-IDF + logistic regression).

    The fitted numbers are kept as a NumPy ``.npz`` archive (arrays only, loaded with
    ``allow_pickle=False``), never as a pickle, so loading a model cannot run code.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    n_reports = models.PositiveIntegerField(_("reviewed reports used"))
    indicators = models.JSONField(_("indicators modelled"), default=list)
    positives = models.JSONField(_("reports per indicator"), default=dict)
    params = models.JSONField(default=dict)
    weights = models.BinaryField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")

    def __str__(self) -> str:
        return f"model #{self.pk} ({self.n_reports} reports, {len(self.indicators)} indicators)"


class SuggestionDecision(models.Model):
    """What was suggested for a Form A, and what the reviewer made of it.

    Created ``pending`` when the suggestions are made; the review sets the decision and the final
    values. Rows the reviewer adds (``source=reviewer``, ``decision=added``) record indicators no
    suggestion named; they are training data but not part of the acceptance statistics.
    """

    form = models.ForeignKey(FormA, on_delete=models.PROTECT, related_name="suggestions")
    suggested_indicator = models.PositiveSmallIntegerField(_("suggested indicator"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=SuggestionSource.choices)
    score = models.FloatField(_("score"), default=0.0)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    model = models.ForeignKey(
        SuggestionModel, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    final_indicator = models.PositiveSmallIntegerField(_("final indicator"), null=True, blank=True)
    final_severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True)
    final_date = models.DateField(_("date"), null=True, blank=True)
    final_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kejadian = models.ForeignKey(
        "ikp.Kejadian", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "id"]
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        indexes = [models.Index(fields=["decision", "source"])]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.suggested_indicator} → {self.final_indicator} ({self.decision})"
