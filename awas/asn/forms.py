"""Forms of the ASN pages: they check what people type; the services store it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awas.asn import selectors
from awas.asn.models import (
    Agency,
    AsnSettings,
    BknStatus,
    FactorCode,
    Person,
    PersonKind,
    Platform,
    RecipientKind,
    Sanction,
    Stage,
    Violation,
)
from awas.asn.nip import NipError, nip_clean, nip_parse
from awas.cases.formatting import today_local
from awas.core.roles import Level
from awas.regions.models import Region

MAX_ROSTER_BYTES = 10 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file"),
        help_text=_("Excel (.xlsx) or CSV (comma or semicolon; UTF-8 or Windows-1252)."),
    )
    default_kind = forms.ChoiceField(
        label=_("Rows without a 'jenis' column are"), choices=PersonKind.choices, initial=PersonKind.ASN
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name, NIP, jabatan or agency"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *PersonKind.choices])
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    at_risk = forms.BooleanField(label=_("At or above the risk threshold only"), required=False)
    include_inactive = forms.BooleanField(label=_("Include inactive"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kecamatan: Any = self.fields["kecamatan"]
        kecamatan.choices = [("", _("All")), *kecamatan_choices(user)]


def kecamatan_choices(user: Any) -> list[tuple[str, str]]:
    return list(
        Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN)
        .order_by("name")
        .values_list("code", "name")
    )


class PersonForm(forms.ModelForm):
    agency_name = forms.CharField(
        label=_("Agency (instansi/OPD)"),
        required=False,
        max_length=200,
        help_text=_("A new name adds the agency."),
    )
    mobilising = forms.TypedChoiceField(
        label=_("Position that can mobilise people"),
        choices=[("", _("Detect from the jabatan")), ("1", _("Yes")), ("0", _("No"))],
        required=False,
        coerce=lambda value: value == "1",
        empty_value=None,
    )

    class Meta:
        model = Person
        fields = [
            "kind",
            "name",
            "nip",
            "position",
            "unit",
            "region",
            "family_tie",
            "appointed_by_incumbent",
            "past_violation",
            "risk_note",
            "active",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field: Any = self.fields["region"]
        region_field.queryset = (
            Region.objects.visible_to(user)
            .filter(level__gte=Level.KABUPATEN, level__lte=Level.DESA)
            .order_by("code")
        )
        region_field.label_from_instance = lambda r: f"{r.code} {r.display_name}"
        if self.instance.pk:
            self.fields["agency_name"].initial = self.instance.agency.name if self.instance.agency else ""
            override = self.instance.mobilising_override
            self.fields["mobilising"].initial = "" if override is None else ("1" if override else "0")

    def clean_nip(self) -> str | None:
        raw = self.cleaned_data.get("nip") or ""
        if not raw.strip():
            return None
        try:
            nip = nip_parse(raw, today_local()).nip
        except NipError as error:
            raise ValidationError(error.reasons) from error
        if Person.objects.exclude(pk=self.instance.pk).filter(nip=nip).exists():
            raise ValidationError(_("This NIP is already registered."))
        return nip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == PersonKind.ASN and not data.get("nip") and "nip" not in self.errors:
            self.add_error("nip", _("An ASN needs a NIP."))
        return data

    def apply(self) -> Person:
        """The person with the form's values set, not saved (the service saves)."""
        person: Person = self.instance
        for name in self.Meta.fields:
            if name in self.cleaned_data:
                setattr(person, name, self.cleaned_data[name])
        agency_name = " ".join((self.cleaned_data.get("agency_name") or "").split())
        person.agency = (
            (Agency.objects.filter(name__iexact=agency_name).first() or Agency(name=agency_name))
            if agency_name
            else None
        )
        person.mobilising_override = self.cleaned_data.get("mobilising")
        return person


class AccountForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    handle = forms.CharField(label=_("Handle"), max_length=100, help_text=_("With or without @"))
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")


class CaseLinkForm(forms.Form):
    case_number = forms.CharField(
        label=_("Case"), max_length=64, help_text=_("Registration number or tracking code of the case.")
    )
    violation = forms.ModelChoiceField(
        label=_("Act (SKB 2022)"), queryset=Violation.objects.order_by("order")
    )
    stage = forms.ChoiceField(label=_("Stage of the election"), choices=Stage.choices)
    sbt_number = forms.CharField(label=_("SBT complaint number"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        violation_field: Any = self.fields["violation"]
        violation_field.queryset = selectors.catalogue()
        violation_field.label_from_instance = lambda v: f"{v.code} · {v.act[:90]}"


class FollowUpForm(forms.Form):
    forwarded_on = forms.DateField(label=_("Forwarded to BKN / Satgas"), required=False, widget=DATE_INPUT)
    recommendation_number = forms.CharField(
        label=_("BKN recommendation number"), max_length=100, required=False
    )
    recommendation_date = forms.DateField(
        label=_("BKN recommendation date"), required=False, widget=DATE_INPUT
    )
    ppk = forms.CharField(label=_("PPK"), max_length=200, required=False, help_text=_("E.g. Bupati Malang."))
    decision_number = forms.CharField(label=_("PPK decision number"), max_length=100, required=False)
    decision_date = forms.DateField(label=_("PPK decision date"), required=False, widget=DATE_INPUT)
    sanction = forms.ChoiceField(
        label=_("Sanction imposed"), required=False, choices=[("", "—"), *Sanction.choices]
    )
    bkn_status = forms.ChoiceField(label=_("BKN action"), required=False, choices=BknStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ImbauanForm(forms.Form):
    recipient_kind = forms.ChoiceField(label=_("Addressees are"), choices=RecipientKind.choices)
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("One letter to the head of each."),
    )
    other_recipients = forms.CharField(
        label=_("Other addressees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One per line, e.g. "Camat Gondanglegi".'),
    )
    recipient_place = forms.CharField(label=_("At (di …)"), max_length=100, initial="Tempat")
    letter_date = forms.DateField(label=_("Letter date"), widget=DATE_INPUT)
    subject = forms.CharField(label=_("Subject (perihal)"), max_length=255)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_('One paragraph per line; lines starting "a. ", "b. " … are indented as a list.'),
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("As"), max_length=100, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [" ".join(line.split()) for line in (data.get("other_recipients") or "").splitlines()]
        data["other_list"] = [line for line in lines if line]
        if not data.get("agencies") and not data["other_list"]:
            raise ValidationError(_("Choose at least one addressee."))
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = AsnSettings
        fields = [
            "risk_threshold",
            "ppk_days",
            "ppk_day_type",
            "letter_city",
            "office_address",
            "letter_number_format",
            "signer_name",
            "signer_title",
        ]

    def clean_letter_number_format(self) -> str:
        value = self.cleaned_data["letter_number_format"]
        try:
            value.format(seq=1, office="35.07", month_roman="I", year=2024)
        except (KeyError, IndexError, ValueError) as error:
            raise ValidationError(
                _("Use only the placeholders {seq}, {office}, {month_roman} and {year}.")
            ) from error
        if "{seq" not in value:
            raise ValidationError(_("The format needs {seq}, or every letter gets the same number."))
        return value


class WeightForm(forms.Form):
    """One risk factor's weight (and its extra setting) on the settings page."""

    weight = forms.DecimalField(label=_("Weight"), min_value=0, max_value=1000, decimal_places=2)
    saturation = forms.IntegerField(label=_("Full at (posts)"), min_value=1, max_value=1000, required=False)
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )

    def __init__(self, *args: Any, code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code = code
        self.label = FactorCode(code).label
        if code != FactorCode.PARTISAN_POSTS:
            del self.fields["saturation"]
        if code != FactorCode.POSITION:
            del self.fields["keywords"]


def nip_display(nip: str | None) -> str:
    """``19850510 201001 1 001``: the NIP in its four parts, as printed on official documents."""
    nip = nip_clean(nip or "")
    if len(nip) != 18:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
