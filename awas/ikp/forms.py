"""Forms of the IKP pages. They only collect and type the input; every rule lives in the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awas.core.roles import Level
from awas.ikp import selectors
from awas.ikp.models import Framework, Tahapan

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


LEVEL_CHOICES = [
    (Level.KECAMATAN, _("Kecamatan")),
    (Level.DESA, _("Desa/kelurahan")),
    (Level.KABUPATEN, _("Kabupaten/kota")),
]


@dataclass(frozen=True)
class ScoreQuery:
    framework: Framework
    level: int
    date_from: dt.date | None
    date_to: dt.date | None
    tahapan: str
    colour: str


class ScoreQueryForm(forms.Form):
    """What to score and show: framework version, level, period, stage, colouring (GET)."""

    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), required=False, empty_label=None
    )
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVEL_CHOICES, coerce=int, required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    tahapan = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("all stages")), *Tahapan.choices], required=False
    )
    colour = forms.ChoiceField(label=_("Colour by"), required=False)

    def __init__(self, data: Any, *, default: Framework, default_level: int = Level.KECAMATAN) -> None:
        super().__init__(data)
        self.default_level = default_level
        self.fields["level"].initial = default_level
        published = selectors.frameworks_published().order_by("-created_at", "-id")
        self.fields["framework"].queryset = published  # type: ignore[attr-defined]
        self.default = default
        chosen = default
        wanted = str(self.data.get("framework") or "")
        if wanted.isdigit():
            chosen = published.filter(pk=int(wanted)).first() or default
        choices: list[Any] = [("composite", _("Composite score (category)"))]
        dims = [(f"dim:{d['dimension'].code}", d["dimension"].name) for d in selectors.framework_tree(chosen)]
        choices.append((_("Dimension"), dims))
        choices.append(
            (
                _("One indicator"),
                [
                    (f"ind:{number}", name)
                    for _dim, group in selectors.indicator_choices(chosen)
                    for number, name in group
                ],
            )
        )
        self.fields["colour"].choices = choices  # type: ignore[attr-defined]
        self.fields["framework"].initial = default.pk

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return cleaned

    def query(self) -> ScoreQuery:
        """The valid parts of the input, defaults elsewhere (an invalid field never blocks the map)."""
        ok = self.is_valid()
        cleaned = self.cleaned_data if ok else {k: v for k, v in getattr(self, "cleaned_data", {}).items()}
        return ScoreQuery(
            framework=cleaned.get("framework") or self.default,
            level=cleaned.get("level") or self.default_level,
            date_from=cleaned.get("date_from") if ok else None,
            date_to=cleaned.get("date_to") if ok else None,
            tahapan=cleaned.get("tahapan") or "",
            colour=cleaned.get("colour") or "composite",
        )


class SensitivityForm(forms.Form):
    draws = forms.IntegerField(label=_("Draws"), min_value=50, max_value=10000, initial=1000)
    concentration = forms.FloatField(
        label=_("Concentration of indicator weights"),
        min_value=0.01,
        initial=50.0,
        localize=True,
        help_text=_("Larger: draws closer to the set weights."),
    )
    dimension_concentration = forms.FloatField(
        label=_("Concentration of dimension weights"), min_value=0.01, initial=50.0, localize=True
    )
    percentile_share = forms.FloatField(
        label=_("Share of draws normalised by percentile"),
        min_value=0,
        max_value=1,
        initial=0.5,
        localize=True,
        help_text=_("0: all min-max; 1: all percentile."),
    )
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, initial=0)


SEVERITY_CHOICES = [(1, _("1 — low (rendah)")), (2, _("2 — medium (sedang)")), (3, _("3 — high (tinggi)"))]


class KejadianForm(forms.Form):
    indicator_number = forms.TypedChoiceField(label=_("IKP indicator"), coerce=int)
    region = forms.ChoiceField(label=_("Desa/kelurahan"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    tahapan = forms.ChoiceField(label=_("Stage"), choices=Tahapan.choices)
    severity = forms.TypedChoiceField(
        label=_("Severity level (tingkat kejadian)"), choices=SEVERITY_CHOICES, coerce=int, initial=1
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    counted = forms.BooleanField(
        label=_("Count in the index"),
        required=False,
        initial=True,
        help_text=_("Untick for a kecamatan recap that repeats what a desa already reported."),
    )

    def __init__(self, *args: Any, user: Any, framework: Framework, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_number"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *selectors.indicator_choices(framework),
        ]
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, name, kecamatan in (
            selectors.kejadian_entry_regions(user)
            .order_by("code")
            .values_list("code", "name", "parent__name")
        ):
            groups.setdefault(kecamatan or "", []).append((code, f"{name} ({code})"))
        choices: list[Any] = list(groups.items()) if len(groups) > 1 else next(iter(groups.values()), [])
        self.fields["region"].choices = choices if len(choices) == 1 else [("", "—"), *choices]  # type: ignore[attr-defined]
        self.fields["date"].widget.attrs["max"] = timezone.localdate().strftime(ISO_DATE)


class KejadianDeleteForm(forms.Form):
    reason = forms.CharField(label=_("Why is it deleted?"), max_length=500)


def _upload(file: Any, extensions: tuple[str, ...]) -> bytes:
    name = (file.name or "").lower()
    if not name.endswith(extensions):
        raise forms.ValidationError(_("Choose a file ending in %(ext)s.") % {"ext": " / ".join(extensions)})
    if file.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("The file is larger than 5 MB."))
    return bytes(file.read())


class KejadianImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        self.content = _upload(file, (".xlsx",))
        return file


class FrameworkCopyForm(forms.Form):
    version = forms.CharField(label=_("New version"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label=_("File (.yaml or .xlsx)"))
    version = forms.CharField(
        label=_("Version"),
        max_length=50,
        required=False,
        help_text=_("Leave empty to keep the file's version."),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        self.content = _upload(file, (".yaml", ".yml", ".xlsx"))
        self.is_excel = (file.name or "").lower().endswith(".xlsx")
        return file


class FrameworkEditForm(forms.Form):
    """A draft's settings and every weight on one page."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    normalisation = forms.ChoiceField(label=_("Normalisation"), choices=Framework.Normalisation.choices)
    category_method = forms.ChoiceField(label=_("Category rule"), choices=Framework.CategoryMethod.choices)
    sd_multiplier = forms.FloatField(label=_("Standard deviations (k)"), min_value=0.01, localize=True)
    cutoff_sedang = forms.FloatField(label=_("sedang from"), min_value=0, max_value=100, localize=True)
    cutoff_tinggi = forms.FloatField(label=_("tinggi from"), min_value=0, max_value=100, localize=True)

    SETTINGS = (
        "name",
        "description",
        "normalisation",
        "category_method",
        "sd_multiplier",
        "cutoff_sedang",
        "cutoff_tinggi",
    )

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any) -> None:
        self.framework = framework
        self.tree = selectors.framework_tree(framework)
        initial = {name: getattr(framework, name) for name in self.SETTINGS}
        for dim in self.tree:
            initial[f"dim_{dim['dimension'].code}"] = dim["dimension"].weight
            for sub in dim["subdimensions"]:
                for ind in sub["indicators"]:
                    initial[f"ind_{ind['indicator'].number}"] = ind["indicator"].weight
        self.levels = list(framework.severity_levels.order_by("level"))
        for level in self.levels:
            initial[f"sev_{level.code}"] = level.weight
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        for key in initial:
            if key.startswith(("dim_", "ind_", "sev_")):
                self.fields[key] = forms.FloatField(
                    min_value=0,
                    localize=True,
                    widget=forms.TextInput(attrs={"size": 5, "inputmode": "decimal"}),
                )

    def weight_changes(self) -> dict[str, dict[Any, float]]:
        data = self.cleaned_data
        out: dict[str, dict[Any, float]] = {"dimensions": {}, "indicators": {}, "severity_levels": {}}
        for dim in self.tree:
            code = dim["dimension"].code
            if data[f"dim_{code}"] != dim["dimension"].weight:
                out["dimensions"][code] = data[f"dim_{code}"]
            for sub in dim["subdimensions"]:
                for ind in sub["indicators"]:
                    number = ind["indicator"].number
                    if data[f"ind_{number}"] != ind["indicator"].weight:
                        out["indicators"][number] = data[f"ind_{number}"]
        for level in self.levels:
            if data[f"sev_{level.code}"] != level.weight:
                out["severity_levels"][level.code] = data[f"sev_{level.code}"]
        return out

    def setting_changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.SETTINGS
            if self.cleaned_data[name] != getattr(self.framework, name)
        }

    def tree_with_fields(self) -> list[dict[str, Any]]:
        """The framework tree with each weight's bound field, for the template."""
        tree = []
        for dim in self.tree:
            subs = [
                {
                    **sub,
                    "indicators": [
                        {**ind, "field": self[f"ind_{ind['indicator'].number}"]} for ind in sub["indicators"]
                    ],
                }
                for sub in dim["subdimensions"]
            ]
            tree.append({**dim, "field": self[f"dim_{dim['dimension'].code}"], "subdimensions": subs})
        return tree

    def severity_fields(self) -> list[tuple[Any, Any]]:
        return [(level, self[f"sev_{level.code}"]) for level in self.levels]
