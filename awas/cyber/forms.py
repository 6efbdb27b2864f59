"""Forms of the cyber supervision pages: they check what people type; the services store it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from awas.asn.models import Platform
from awas.cases.formatting import today_local
from awas.core.models.deadlines import ElectionType
from awas.core.services.deadlines import office_election_default
from awas.cyber.labels import LABEL_TITLES
from awas.cyber.models import ReviewStatus, TakedownAddressee, TakedownStatus
from awas.cyber.sources import RawPost

MAX_BATCH_BYTES = 20 * 1024 * 1024
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Review"), required=False, choices=[("", _("All")), *ReviewStatus.choices]
    )
    label = forms.ChoiceField(label=_("Flagged label"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", _("All")), *Platform.choices]
    )
    q = forms.CharField(label=_("Author"), required=False, help_text=_("Handle or name"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label: Any = self.fields["label"]
        label.choices = [("", _("All")), *LABEL_TITLES.items()]


class CaptureForm(forms.Form):
    url = forms.URLField(label=_("Link to the post"), required=False, max_length=1000, assume_scheme="https")
    platform = forms.ChoiceField(label=_("Platform"), choices=[("", "—"), *Platform.choices])
    author_handle = forms.CharField(label=_("Author's handle"), required=False, max_length=100)
    author_name = forms.CharField(label=_("Author's name"), required=False, max_length=200)
    posted_at = forms.DateTimeField(
        label=_("Posted at (WIB)"),
        required=False,
        widget=DATETIME_INPUT,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    text = forms.CharField(
        label=_("Text as seen"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Copy the text exactly, with its spelling and emoji."),
    )
    screenshot = forms.FileField(
        label=_("Screenshot"),
        required=False,
        help_text=_("Optional. A photo or PDF; checked by its content, not its name."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not (data.get("author_handle") or "").strip():
            raise ValidationError(_("Give the link to the post or the author's handle."))
        return data

    def raw(self) -> RawPost:
        data = self.cleaned_data
        return RawPost(
            platform=data["platform"],
            url=data["url"] or "",
            author_handle=data["author_handle"].strip(),
            author_name=data["author_name"].strip(),
            text=data["text"].replace("\r\n", "\n").strip(),
            posted_at=data["posted_at"],
            engagement={},
            metadata={},
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Export file"),
        help_text=_("CSV (comma, semicolon or tab; UTF-8) or JSON, as exported by a monitoring tool."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BATCH_BYTES:
            raise ValidationError(_("The file is larger than 20 MB; split it into smaller files."))
        return upload


class EscalateForm(forms.Form):
    # A post does not say under which law it is handled: the officer says (the clocks differ).
    election_type = forms.ChoiceField(
        label=_("Election (it sets the law and the deadlines)"),
        choices=ElectionType.choices,
        # Handling both elections, none is chosen beforehand and the officer must choose.
        initial=office_election_default,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note for the temuan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what the handling staff should know."),
    )

    def clean_election_type(self) -> str:
        value = str(self.cleaned_data.get("election_type") or "")
        if not value and office_election_default() is None:
            raise forms.ValidationError(_("Choose which election it is about."))
        return value


class TakedownForm(forms.Form):
    addressee = forms.ChoiceField(
        label=_("Addressed to"), choices=TakedownAddressee.choices, initial=TakedownAddressee.KOMDIGI
    )
    reason = forms.CharField(
        label=_("Grounds"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the content should be taken down; printed in the letter (write in Indonesian)."),
    )


class CorrectionForm(forms.Form):
    text = forms.CharField(label=_("Corrected text"), widget=forms.Textarea(attrs={"rows": 6}))
    reason = forms.CharField(
        label=_("Why it is corrected"), max_length=1000, help_text=_("Kept beside the new version.")
    )
    screenshot = forms.FileField(label=_("New screenshot"), required=False)


class TakedownAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"), choices=[c for c in TakedownStatus.choices if c[0] != TakedownStatus.SENT]
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("What they answered"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answered_on"].initial = today_local


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    url = forms.URLField(label=_("Feed URL (RSS or Atom)"), max_length=1000, assume_scheme="https")
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices, initial=Platform.OTHER)


class CampaignAccountForm(forms.Form):
    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    handle = forms.CharField(label=_("Handle"), max_length=100)
    holder = forms.CharField(
        label=_("Registered by"), max_length=200, help_text=_("The paslon or campaign team.")
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")
    registered_on = forms.DateField(label=_("Registered with KPU on"), required=False, widget=DATE_INPUT)
