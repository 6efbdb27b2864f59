"""Forms of the supervision pages. They check what a person typed; the services decide the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awas.core.roles import Level, Role
from awas.regions.models import Region
from awas.supervision import selectors
from awas.supervision.models import FormA, SuggestionDecision
from awas.supervision.services import FORM_FIELDS, KejadianChoice, Location

# The official sections, for laying out the form.
SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "I",
        _("Details of the supervisor"),
        ("tahapan", "pelaksana_nama", "pelaksana_jabatan", "nomor_surat_tugas", "pelaksana_alamat"),
    ),
    (
        "II",
        _("Supervision activity"),
        (
            "kegiatan_bentuk",
            "kegiatan_tujuan",
            "kegiatan_sasaran",
            "kegiatan_waktu_tempat",
            "kegiatan_tanggal",
        ),
    ),
    ("III", _("Short account of the supervision's results"), ("uraian",)),
    (
        "IV",
        _("Information on an alleged violation"),
        (
            "pelanggaran_peristiwa",
            "pelanggaran_tempat",
            "pelanggaran_waktu",
            "pelaku_nama",
            "pelaku_alamat",
            "saksi",
            "alat_bukti",
            "pelanggaran_uraian",
        ),
    ),
    (
        "V",
        _("Information on a potential dispute"),
        ("sengketa_peristiwa", "sengketa_tempat", "sengketa_waktu", "sengketa_pihak", "sengketa_uraian"),
    ),
)
PERSONAL_FIELDS = ("pelaku_nama", "pelaku_alamat", "saksi")
SHORT_TEXT = {
    "kegiatan_waktu_tempat",
    "alat_bukti",
    "pelaku_alamat",
    "sengketa_pihak",
    "kegiatan_tujuan",
    "kegiatan_sasaran",
    "kegiatan_bentuk",
    "pelanggaran_peristiwa",
    "sengketa_peristiwa",
    "saksi",
    "pelaku_nama",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (``<input type=file multiple>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.level == Level.KECAMATAN:
            return str(_("Kecamatan %(name)s (whole kecamatan)") % {"name": obj.name})
        parent = obj.parent.name if obj.parent_id and obj.parent else ""
        return f"{obj.name} — {parent}" if parent else str(obj.name)


class FormAForm(forms.ModelForm):
    """Form A, sections I–V, with the place the user may report for and the lampiran."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=_("Desa or kecamatan"))
    tps_number = forms.IntegerField(label=_("TPS number"), required=False, min_value=1, max_value=999)
    is_rekap = forms.BooleanField(
        label=_("Kecamatan recap report (covers several desa; its kejadian are not counted again)"),
        required=False,
    )
    lampiran = MultipleFileField(
        label=_("Attachments (photos, documents, recordings)"),
        required=False,
        help_text=_(
            "Each file is kept once with its SHA-256 fingerprint. After an error, choose the files again."
        ),
    )

    class Meta:
        model = FormA
        fields = FORM_FIELDS
        widgets = {
            "report_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kegiatan_tanggal": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "uraian": forms.Textarea(attrs={"rows": 8}),
            "pelanggaran_uraian": forms.Textarea(attrs={"rows": 4}),
            "sengketa_uraian": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 2}) for name in SHORT_TEXT},
        }

    def __init__(self, *args: Any, user: Any, show_personal: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        choices = selectors.location_choices(user)
        region_field: forms.ModelChoiceField = self.fields["region"]  # type: ignore[assignment]
        region_field.queryset = choices
        instance: FormA | None = kwargs.get("instance")
        if instance is not None and instance.pk:
            self.initial.setdefault("region", instance.region_id)
            self.initial.setdefault("tps_number", instance.tps_number)
            self.initial.setdefault("is_rekap", instance.is_rekap)
        elif user.scope_region_id and choices.filter(code=user.scope_region_id).exists():
            self.initial.setdefault("region", user.scope_region_id)
        if user.role == Role.PTPS and user.scope_tps_id:
            # A PTPS reports for its own TPS only: shown, not chosen.
            for name in ("region", "tps_number"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial["region"] = user.scope_tps.desa_id
            self.initial["tps_number"] = user.scope_tps.number
            del self.fields["is_rekap"]
        elif user.role == Role.PKD:
            self.fields["region"].disabled = True
            self.fields["region"].required = False
            self.initial["region"] = user.scope_region_id
            del self.fields["is_rekap"]
        for name in ("report_date", "kegiatan_tanggal"):
            self.fields[name].required = True
        if not show_personal:
            # Another's report: pelaku and saksi are not shown, and stay as they are.
            for name in PERSONAL_FIELDS:
                del self.fields[name]

    def sections(self) -> list[tuple[str, Any, list[Any]]]:
        return [
            (roman, title, [self[name] for name in names if name in self.fields])
            for roman, title, names in SECTIONS
        ]

    def clean_kegiatan_tanggal(self) -> dt.date:
        value: dt.date = self.cleaned_data["kegiatan_tanggal"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def clean_report_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["report_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region: Region | None = data.get("region")
        if self.user.role == Role.PTPS and self.user.scope_tps_id:
            region = self.user.scope_tps.desa
        elif self.user.role == Role.PKD:
            region = self.user.scope_region
        if region is None:
            if "region" not in self.errors:
                self.add_error("region", _("Choose the desa or kecamatan the report is about."))
            return data
        data["region"] = region
        if data.get("is_rekap") and region.level != Level.KECAMATAN:
            self.add_error("is_rekap", _("Only a report for a whole kecamatan can be a recap report."))
        if data.get("tps_number") and region.level != Level.DESA:
            self.add_error("tps_number", _("A TPS belongs to a desa: choose the desa."))
        return data

    def location(self) -> Location:
        data = self.cleaned_data
        return Location(
            region=data["region"], tps_number=data.get("tps_number"), is_rekap=bool(data.get("is_rekap"))
        )

    def form_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FORM_FIELDS if name in self.cleaned_data}


class UploadForm(forms.Form):
    reports = MultipleFileField(
        label=_("Form A files (PDF or Word .docx)"),
        help_text=_(
            "Choose many files at once. The kecamatan, desa and TPS are read from file names like "
            "LHP_Gondanglegi_Putat Kidul_TPS01.pdf."
        ),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
    )

    MAX_FILES = 60

    def clean_reports(self) -> list[Any]:
        files: list[Any] = self.cleaned_data["reports"]
        if len(files) > self.MAX_FILES:
            raise ValidationError(
                _("At most %(n)s files at a time; send the rest in another batch.") % {"n": self.MAX_FILES}
            )
        return files


class DiscardForm(forms.Form):
    reason = forms.CharField(label=_("Why is this not a report?"), max_length=500, required=False)


SEVERITY_CHOICES = [(1, _("1 · low")), (2, _("2 · medium")), (3, _("3 · high"))]


class KejadianFields(forms.Form):
    """Indicator, severity, date and desa of one kejadian."""

    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int)
    severity = forms.TypedChoiceField(label=_("Severity"), coerce=int, choices=SEVERITY_CHOICES, initial=1)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    desa = forms.ModelChoiceField(label=_("Desa"), queryset=Region.objects.none())

    def __init__(self, *args: Any, report: FormA, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        indicator: forms.TypedChoiceField = self.fields["indicator"]  # type: ignore[assignment]
        indicator.choices = [("", "—"), *selectors.indicator_choices()]
        desa: forms.ModelChoiceField = self.fields["desa"]  # type: ignore[assignment]
        desa.queryset = selectors.kejadian_desa_choices(report)
        desa.empty_label = "—"
        self.initial.setdefault("date", report.kegiatan_tanggal)
        if report.region.level == Level.DESA:
            self.initial.setdefault("desa", report.region_id)

    def clean_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("date")
        if value is not None and value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

    def choice(self) -> KejadianChoice:
        data = self.cleaned_data
        return KejadianChoice(
            indicator=data["indicator"], severity=data["severity"], date=data["date"], region=data["desa"]
        )


class SuggestionReviewForm(KejadianFields):
    KEEP = "keep"
    REMOVE = "remove"
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(KEEP, _("Record as kejadian")), (REMOVE, _("Remove"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Decide: record it or remove it.")},
    )

    def __init__(self, *args: Any, suggestion: SuggestionDecision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.initial.setdefault("indicator", suggestion.suggested_indicator)
        self.order_fields(["decision", "indicator", "severity", "date", "desa"])

    def full_clean(self) -> None:
        # Nothing but the decision matters for a suggestion that is removed.
        super().full_clean()
        if self.is_bound and self.cleaned_data.get("decision") == self.REMOVE:
            for name in ("indicator", "severity", "date", "desa"):
                self.errors.pop(name, None)

    @property
    def keep(self) -> bool:
        return self.cleaned_data.get("decision") == self.KEEP


class AdditionForm(KejadianFields):
    """An indicator no suggestion named; a row left without an indicator is ignored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("indicator", "severity", "date", "desa"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("indicator"):
            for name in ("severity", "date", "desa"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("This field is required."))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.cleaned_data.get("indicator"))
