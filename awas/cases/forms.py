"""Forms of the staff pages. They only read and check input; every write is a workflow service.

A form that fails validation is shown again bound, so what was typed stays (files excepted:
browsers never re-send a chosen file).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from awas.cases.formatting import today_local
from awas.cases.forms_public import KeptEvidence, evidence_items
from awas.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    Channel,
    Clarification,
    DecisionOutcome,
    Referral,
    ReferralBody,
    RequirementCheck,
    Sex,
    outcome_label,
)
from awas.cases.services.intake import EvidenceItem
from awas.cases.services.notify import TOLD_HOW_CHOICES, TOLD_NOTE_MAX
from awas.cases.services.workflow import RECEIVED_AT_TYPED_CHANNELS, CaseFacts, ReporterData, WitnessData
from awas.cases.validators import birth_date_plausible, case_date_plausible, clarification_time_plausible
from awas.core.forms import PlainSelect, PrintableTextForm, PrintableTextMixin
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Level
from awas.core.services.deadlines import office_election_default, rule_get
from awas.core.services.evidence import EvidenceRejected, check_evidence
from awas.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def staff_kept_holder(user: Any) -> str:
    """Whom the tokens of a staff form's kept files are signed for (``KeptEvidence.holder``): the
    officer signed in, by their account's number. A token is in the page's source, which may be
    forwarded or left on a shared computer; read in another officer's form, it attaches nothing
    and names no file. Not the CSRF token, which changes at every sign-in (a form sent back, the
    officer signed in again, must still keep its files); never a public holder, which is 32 hex
    digits (``views_public.KEPT_HOLDER_RE``)."""
    return f"staff:{user.pk}" if user is not None and user.pk is not None else "staff:"


class ReceivedEvidenceMixin:
    """The evidence files of a recording form (``evidence``), checked by content while the form is
    validated, so a refused file is named with the other mistakes and not only after they are
    corrected. A form sent back keeps the files it received: the view keeps their bytes and the
    form carries them as signed tokens (``kept``, as the public forms do), so the officer does not
    choose the pelapor's photos again; unticking one leaves it out. Their records are made with
    the case (``kept_items``): the files of a form never sent again are bytes no record points
    to, which ``awas evidence prune`` deletes (the pelapor's photos are not kept for nothing)."""

    data: Any
    cleaned_data: dict[str, Any]
    accepted_uploads: list[Any]
    kept_items: list[EvidenceItem]
    uploader: Any
    kept_holder: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.uploader = kwargs.get("user")  # the officer recording it, who sent the files
        self.kept_holder = staff_kept_holder(self.uploader)  # their files only (``staff_kept_holder``)
        super().__init__(*args, **kwargs)

    def clean_evidence(self) -> list[Any]:
        files = self.cleaned_data["evidence"]
        self.accepted_uploads = []
        refused = []
        for upload in files:
            try:
                check_evidence(upload, upload.size or 0, upload.name or "")
            except EvidenceRejected as rejection:
                refused.append(f"{upload.name}: {' '.join(rejection.messages)}")
            else:
                self.accepted_uploads.append(upload)
        if refused:
            raise forms.ValidationError(refused)
        return files

    def kept_evidence(self) -> list[KeptEvidence]:
        """The files received by an earlier submit of this form and still ticked."""
        if not self.data:
            return []
        tokens = self.data.getlist("kept") if hasattr(self.data, "getlist") else []
        items: dict[str, KeptEvidence] = {}
        for token in tokens:
            item = KeptEvidence.from_token(token, holder=self.kept_holder)
            if item is not None:
                items.setdefault(item.sha256, item)
        return list(items.values())

    def lost_evidence(self) -> bool:
        """A kept file whose token no longer reads (older than two days, altered, or another
        officer's)."""
        tokens = self.data.getlist("kept") if self.data and hasattr(self.data, "getlist") else []
        return any(KeptEvidence.from_token(token, holder=self.kept_holder) is None for token in tokens)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        kept = self.kept_evidence()
        self.kept_items = evidence_items(kept, uploaded_by=self.uploader)
        # A token that no longer reads, or a file whose bytes were pruned meanwhile: said, never
        # recorded without it.
        if self.lost_evidence() or len(self.kept_items) < len(kept):
            cast(forms.Form, self).add_error(
                "evidence",
                _("A file received earlier could not be kept (the form is too old). Choose it again."),
            )
        return data


class RegionChoiceField(forms.ModelChoiceField):
    widget = PlainSelect  # some 420 kecamatan and desa

    def label_from_instance(self, obj: Any) -> str:
        if obj.level == Level.KECAMATAN:
            return f"{_('Kecamatan')} {obj.name.title()}"
        return f"— {obj.name.title()}"


def _not_future(value: dt.date | None) -> None:
    case_date_plausible(value)
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


def _not_future_time(value: dt.datetime) -> dt.datetime:
    case_date_plausible(value)  # first: comparing a year-1 time with now would overflow
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise forms.ValidationError(_("The time cannot be in the future."))
    return value


# --- filters -----------------------------------------------------------------------------------


# A search longer than this is a page pasted in by mistake: each word is a condition, and a thousand
# of them exceed what the database parses (SQLite: an expression 1000 deep). 200 characters hold
# any name, title or code an officer types.
SEARCH_MAX_LENGTH = 200


class CaseFilterForm(PrintableTextForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text=_(
            "Words of the title, the chronology or the terlapor's name (every word must appear), "
            "a tracking code (or part of one) or a number"
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    # An office may handle a Pilkada and a Pemilu at once (their clocks count different days).
    election_type = forms.ChoiceField(
        label=_("Election"), required=False, choices=[("", _("All")), *ElectionType.choices]
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    terlapor = forms.CharField(label=_("Terlapor"), required=False, max_length=SEARCH_MAX_LENGTH)
    deadline = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("All")),
            ("at_risk", _("At risk (due tomorrow or sooner)")),
            ("overdue", _("Overdue")),
        ],
    )
    # The day received, in office time (WIB), both days included: a month's cases for a report.
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=DATE, validators=[case_date_plausible]
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=DATE, validators=[case_date_plausible]
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Newest received first")),
            ("oldest", _("Oldest received first")),
            ("deadline", _("Soonest running deadline first")),
        ],
    )

    def __init__(self, *args: Any, kecamatan: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["status"].choices = [("", _("All")), *CaseStatus.choices]
        fields["kind"].choices = [("", _("All")), *CaseKind.choices]
        fields["kecamatan"].choices = [("", _("All")), *kecamatan]
        if len(kecamatan) <= 1:  # a Panwascam, PKD or PTPS: the list holds one kecamatan at most
            fields["kecamatan"].widget = forms.HiddenInput()

    def filters(self) -> dict[str, str]:
        """The filters that are valid. A bad one (a stale link, a kecamatan outside the user's area)
        is left out and shown with its error on the page; the others still apply, so a bad value
        never quietly widens the list to everything."""
        if not self.is_bound:
            return {}
        self.is_valid()  # fills cleaned_data with the fields that pass, errors with the others
        return {
            k: v.isoformat() if isinstance(v, dt.date) else v
            for k, v in self.cleaned_data.items()
            if v and k not in self.errors
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and end < start:  # typed the wrong way round: nothing would be found
            self.add_error("received_to", _("This day is before the 'received from' day."))
        return cleaned

    def more_filters_set(self) -> int:
        """How many filters besides the search are typed or chosen (or wrong): the list folds them
        away on a phone unless one is."""
        if not self.is_bound:
            return 0
        return sum(
            1
            for field in self.visible_fields()
            if field.name != "q" and (self.data.get(field.name) or field.errors)
        )

    def describe(self) -> str:
        """The filters applied, as the page names them: "Status: Selesai; Kecamatan: Gondanglegi"."""
        parts = []
        for name, value in self.filters().items():
            field: Any = self.fields[name]
            if isinstance(field, forms.DateField):
                shown = dt.date.fromisoformat(value).strftime("%d/%m/%Y")  # as the workbook's dates
            else:
                shown = dict(field.choices).get(value, value) if hasattr(field, "choices") else value
            parts.append(f"{field.label}: {shown}")
        return "; ".join(parts)


# --- recording ---------------------------------------------------------------------------------


class CaseFactsForm(PrintableTextForm):
    # Starts as the election the office is handling (AWAS_ELECTION_TYPE): while it
    # handles Pemilu 2029, a laporan typed in at the desk is not a Pilkada one by an oversight.
    # Handling both, it starts from none (office_election_default), and the officer must choose.
    election_type = forms.ChoiceField(
        label=_("Election"), choices=ElectionType.choices, initial=office_election_default
    )
    region = RegionChoiceField(label=_("Place (kecamatan or desa)"), queryset=Region.objects.none())
    title = forms.CharField(label=_("What happened (short)"), max_length=255)
    event_place = forms.CharField(label=_("Place of the event"), max_length=255, required=False)
    event_date = forms.DateField(
        label=_("Date of the event"), required=False, widget=DATE, validators=[_not_future]
    )
    known_date = forms.DateField(
        label=_("Date it became known"),
        required=False,
        widget=DATE,
        validators=[_not_future],
        help_text=_("Starts the filing deadline: 7 days for Pilkada, 7 working days for Pemilu."),
    )
    chronology = forms.CharField(label=_("Chronology"), widget=_text(8))
    terlapor_name = forms.CharField(label=_("Reported person (terlapor)"), max_length=200, required=False)
    terlapor_position = forms.CharField(
        label=_("Terlapor position"),
        max_length=200,
        required=False,
        help_text=_("e.g. ASN, kepala desa, paslon"),
    )
    terlapor_address = forms.CharField(label=_("Terlapor address"), max_length=255, required=False)
    terlapor_phone = forms.CharField(label=_("Terlapor phone"), max_length=32, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if office_election_default() is None:
            election: Any = self.fields["election_type"]
            election.choices = [("", _("— choose the election —")), *ElectionType.choices]
        regions = (
            Region.objects.visible_to(user).filter(level__in=[Level.KECAMATAN, Level.DESA]).order_by("code")
        )
        region_field: Any = self.fields["region"]
        region_field.queryset = regions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event, known = data.get("event_date"), data.get("known_date")
        if event and known and known < event:
            self.add_error("known_date", _("It cannot become known before it happened."))
        return data

    def facts(self) -> CaseFacts:
        data = self.cleaned_data
        return CaseFacts(
            region=data["region"],
            title=data["title"],
            chronology=data["chronology"],
            event_place=data["event_place"],
            event_date=data["event_date"],
            known_date=data["known_date"],
            terlapor_name=data["terlapor_name"],
            terlapor_address=data["terlapor_address"],
            terlapor_phone=data["terlapor_phone"],
            terlapor_position=data["terlapor_position"],
            election_type=data["election_type"],
        )


class LaporanForm(ReceivedEvidenceMixin, CaseFactsForm):
    channel = forms.ChoiceField(
        label=_("Received"),
        choices=[(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.EMAIL, Channel.EMAIL.label)],
        initial=Channel.IN_PERSON,
    )
    received_at = forms.DateTimeField(label=_("Received at (WIB)"), widget=DATETIME)
    pelapor_name = forms.CharField(label=_("Name of the pelapor"), max_length=200)
    pelapor_birth_place = forms.CharField(label=_("Place of birth"), max_length=100, required=False)
    pelapor_birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE, validators=[birth_date_plausible]
    )
    pelapor_sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    pelapor_occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    pelapor_nationality = forms.CharField(label=_("Nationality"), max_length=60, initial="Indonesia")
    pelapor_address = forms.CharField(label=_("Address of the pelapor"), max_length=255)
    pelapor_phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    pelapor_email = forms.EmailField(
        label=_("E-mail"), required=False, help_text=_("Status changes are sent here.")
    )
    evidence = MultipleFileField(label=_("Evidence files"))
    evidence_description = forms.CharField(
        label=_("Description of the evidence"), max_length=255, required=False
    )

    field_order = ["channel", "received_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["known_date"].required = True  # formulir laporan; it starts the 7 days (Pasal 134(4))
        if not self.is_bound:
            self.initial.setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_received_at(self) -> dt.datetime:
        return _not_future_time(self.cleaned_data["received_at"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("channel") == Channel.EMAIL
            and not data.get("pelapor_email")
            and not self.has_error("pelapor_email")
        ):
            # Sent by e-mail, it came from an address: without it the pelapor, who was never at the
            # desk, gets neither the tracking code nor any status change, and has no tanda terima.
            self.add_error(
                "pelapor_email",
                _(
                    "Received by e-mail: give the address it came from. The tracking code and every "
                    "change of status are sent there."
                ),
            )
        return data

    def reporter(self) -> ReporterData:
        data = self.cleaned_data
        return ReporterData(
            name=data["pelapor_name"],
            address=data["pelapor_address"],
            birth_place=data["pelapor_birth_place"],
            birth_date=data["pelapor_birth_date"],
            sex=data["pelapor_sex"],
            occupation=data["pelapor_occupation"],
            nationality=data["pelapor_nationality"],
            phone=data["pelapor_phone"],
            email=data["pelapor_email"],
        )


class WitnessForm(PrintableTextForm):
    name = forms.CharField(label=_("Name of the witness"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("address") or data.get("phone")) and not data.get("name"):
            # Not dropped without a word: a phone number typed in the row would be lost.
            self.add_error("name", _("Give the witness's name, or clear the row."))
        return data

    def witness(self) -> WitnessData | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("name"):
            return None
        return WitnessData(name=data["name"], address=data.get("address", ""), phone=data.get("phone", ""))


WitnessFormSet = forms.formset_factory(WitnessForm, extra=3, max_num=10)


def finding_length(election_type: str) -> str:
    """How long the plenary has to establish a temuan under ``election_type``, as its clock counts
    it (deadline_rules.yaml ``finding``): "7 days", "7 working days"."""
    rule = rule_get(election_type, "finding")
    if rule.day_type == DayType.WORKING:
        return ngettext("%(n)s working day", "%(n)s working days", rule.days) % {"n": rule.days}
    return ngettext("%(n)s day", "%(n)s days", rule.days) % {"n": rule.days}


def found_date_help(election_type: str | None = None) -> str:
    """The help of a temuan's "Date it was found": the day it was found starts the clock of its
    establishment by the plenary (UU 10/2016 Pasal 134 ayat (4) "diketahui dan/atau ditemukan",
    7 calendar days as every Pilkada clock; UU 7/2017 Pasal 454 ayat (5), "7 hari", counted in
    hari kerja like the rest of Pasal 454, a day type deadline_rules.yaml marks unverified). Said
    as the clock counts it, for ``election_type``, or for both while the form still asks which."""
    if election_type is None:
        return _(
            "Starts the deadline for the plenary to establish the temuan: %(pilkada)s for Pilkada, "
            "%(pemilu)s for Pemilu."
        ) % {
            "pilkada": finding_length(ElectionType.PILKADA),
            "pemilu": finding_length(ElectionType.PEMILU),
        }
    return _("Starts the deadline for the plenary to establish the temuan: %(length)s.") % {
        "length": finding_length(election_type)
    }


class TemuanForm(ReceivedEvidenceMixin, CaseFactsForm):
    evidence = MultipleFileField(label=_("Evidence files"))
    evidence_description = forms.CharField(
        label=_("Description of the evidence"), max_length=255, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["known_date"].label = _("Date it was found")
        self.fields["known_date"].help_text = found_date_help()
        self.fields["known_date"].required = True


class CaseCorrectionForm(CaseFactsForm):
    """The facts of a recorded case, to correct them (``workflow.case_correct``)."""

    received_at = forms.DateTimeField(label=_("Received at (WIB)"), widget=DATETIME)
    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=_text(2),
        help_text=_("Kept in the audit log with what was there before."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        facts = {name: getattr(case, name) for name in CaseFacts.__dataclass_fields__ if name != "tps"}
        kwargs.setdefault("initial", {**facts, "received_at": timezone.localtime(case.received_at)})
        super().__init__(*args, **kwargs)
        self.case = case
        if case.kind == CaseKind.TEMUAN:
            self.fields["known_date"].label = _("Date it was found")
            self.fields["known_date"].help_text = found_date_help()  # the election may be corrected too
        elif case.kind == CaseKind.INFORMASI_AWAL:
            self.fields["known_date"].help_text = ""  # no clock: it is not a laporan (DOMAIN.md A.5)
        if case.kind != CaseKind.INFORMASI_AWAL:
            self.fields["known_date"].required = True  # it starts the filing or finding clock
        if case.channel not in RECEIVED_AT_TYPED_CHANNELS:
            del self.fields["received_at"]  # the server's time of a web filing or Form A

    def facts(self) -> CaseFacts:
        return dataclasses.replace(super().facts(), tps=self.case.tps)


# --- steps on one case -------------------------------------------------------------------------


class RequirementsForm(PrintableTextMixin, forms.ModelForm):
    # Asked only once the completion deadline has passed (``workflow._completed_in_time``): what the
    # pelapor brought on the last day may be entered later, and still counts as in time.
    completed_on = forms.DateField(
        label=_("Day the pelapor completed it"), widget=DATE, required=False, validators=[_not_future]
    )

    class Meta:
        model = RequirementCheck
        fields = [*RequirementCheck.FORMAL, *RequirementCheck.MATERIAL, "notes"]
        widgets = {"notes": _text(3)}

    def __init__(
        self,
        *args: Any,
        lapsed_due: dt.date | None = None,
        last_brought: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        """``lapsed_due``: the completion deadline, when it has passed; else the day is not asked.
        ``last_brought``: the day the last kelengkapan entered since the last check was brought
        (``case_supplement``), offered as the day completed so that both say the same day."""
        super().__init__(*args, **kwargs)
        if lapsed_due is None:
            del self.fields["completed_on"]
            return
        field = self.fields["completed_on"]
        field.help_text = _(
            "The completion deadline was %(due)s. If every requirement is now met, give the day the pelapor "
            "brought what was missing: the laporan is registered only if that was by the deadline."
        ) % {"due": date_format(lapsed_due, "j F Y")}
        if last_brought is not None:
            field.initial = last_brought
            field.help_text += " " + _("Filled in from the kelengkapan recorded as brought on %(day)s.") % {
                "day": date_format(last_brought, "j F Y")
            }
        field.widget.attrs.update(max=today_local().isoformat())


class NotRegisteredForm(PrintableTextForm):
    reason = forms.CharField(
        label=_("Reason"),
        widget=_text(3),
        help_text=_(
            "Sent to the pelapor and shown on the tracking page, which anyone holding the code can "
            "open: name nobody."
        ),
    )
    by_decision = forms.BooleanField(
        label=_("Decided by the plenary"),
        required=False,
        help_text=_("Needed unless the laporan was filed late or was not completed within the time given."),
    )

    def __init__(self, *args: Any, kind: str = CaseKind.LAPORAN, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == CaseKind.TEMUAN:  # the office's own finding: no pelapor, no completion deadline
            self.fields["reason"].help_text = _("Kept in the case's history.")
            del self.fields["by_decision"]


class MoreInfoForm(PrintableTextForm):
    what = forms.CharField(
        label=_("Information needed from the pelapor"),
        widget=_text(3),
        help_text=_(
            "Extends the decision deadline once (UU 10/2016 Pasal 134 ayat (6); Pemilu: UU 7/2017 Pasal 454 "
            "ayat (8)); e-mailed to the pelapor."
        ),
    )

    def __init__(self, *args: Any, kind: str = CaseKind.LAPORAN, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == CaseKind.TEMUAN:  # a Pemilu temuan: the supervisors gather it themselves
            self.fields["what"].label = _("Information still needed")
            self.fields["what"].help_text = _(
                "Extends the decision deadline once (UU 7/2017 Pasal 454 ayat (8)); kept on the case."
            )


class TakeUpForm(PrintableTextForm):
    reason = forms.CharField(label=_("What the penelusuran found"), widget=_text(3))
    # The temuan's "ditemukan": the day the penelusuran confirmed the violation, which may be before
    # the take-up is typed in; it starts the finding clock (see workflow.informasi_awal_take_up).
    found_on = forms.DateField(
        label=_("Date it was found"),
        widget=DATE,
        validators=[_not_future],
    )

    # Asked only when the sender did not know the day (``Case.event_time_note``): the penelusuran
    # may have established it, and the temuan should carry it rather than "roughly when".
    event_date = forms.DateField(
        label=_("Date of the event, if the penelusuran established it"),
        widget=DATE,
        required=False,
        validators=[_not_future],
    )

    def __init__(
        self,
        *args: Any,
        received_on: dt.date | None = None,
        roughly_when: str | None = None,
        election_type: str | None = None,
        **kwargs: Any,
    ) -> None:
        """``received_on``: the day (WIB) the informasi awal came in, which the finding may not
        precede (``workflow.informasi_awal_take_up``): the help says which day that was, and the
        phone's date picker offers nothing before it nor after today. ``roughly_when``: what the
        sender wrote instead of the day of the event, when they did not know it (else the event
        date is not asked: the tip has it). ``election_type``: the informasi awal's, which the
        temuan keeps (``workflow.informasi_awal_take_up``): the help says how its clock counts."""
        super().__init__(*args, **kwargs)
        if roughly_when is None:
            del self.fields["event_date"]
        else:
            self.fields["event_date"].help_text = _(
                "The sender did not know the day and wrote: “%(when)s”. Leave it empty if still unknown."
            ) % {"when": roughly_when}
            self.fields["event_date"].widget.attrs.update(max=today_local().isoformat())
        field = self.fields["found_on"]
        clock = found_date_help(election_type)
        if received_on is None:
            field.help_text = "{} {}".format(
                _(
                    "The day the penelusuran found the violation, on or after the day the informasi "
                    "awal was received."
                ),
                clock,
            )
            return
        when = _(
            "The day the penelusuran found the violation: not before the informasi awal was received, "
            "%(received)s, nor after today."
        ) % {"received": date_format(received_on, "j F Y")}
        field.help_text = f"{when} {clock}"
        field.widget.attrs.update(min=received_on.isoformat(), max=today_local().isoformat())


class ArchiveForm(PrintableTextForm):
    reason = forms.CharField(label=_("Reason (internal)"), widget=_text(3))
    public_reason = forms.CharField(
        label=_("Reason for the sender"),
        widget=_text(2),
        required=False,
        help_text=_("Shown on the tracking page if the sender left a contact; leave empty to say nothing."),
    )


def _only_choice_chosen(field: Any, rows: list[Any] | None = None) -> None:
    """With a single invitation or referral to choose from, it is chosen: no blank line above it
    that the step refuses ("This field is required") after the rest was typed.

    ``rows``: what the field's queryset holds, as the page already read it; else it is read here,
    once. Either way the select shows these rows (a model choice field would read its queryset
    again to show them); a posted choice is still checked against the queryset."""
    rows = list(field.queryset) if rows is None else rows
    if len(rows) == 1:
        field.empty_label = None
        field.initial = rows[0].pk
    _choices_shown(field, rows)


def _choices_shown(field: Any, rows: list[Any]) -> None:
    """The select of a model choice field lists ``rows`` (already read) without a query."""
    blank = [] if field.empty_label is None else [("", field.empty_label)]
    field.choices = [*blank, *((row.pk, field.label_from_instance(row)) for row in rows)]


class ClarificationScheduleForm(PrintableTextForm):
    invitee_name = forms.CharField(
        label=_("Invited person"),
        max_length=200,
        help_text=_("The name only, without Bapak, Ibu or Sdr.: the letter adds “Sdr.”."),
    )
    invitee_role = forms.ChoiceField(
        label=_("As"), choices=cast(Any, Clarification._meta.get_field("invitee_role").choices)
    )
    scheduled_at = forms.DateTimeField(
        label=_("Scheduled for (WIB)"), widget=DATETIME, validators=[clarification_time_plausible]
    )
    place = forms.CharField(label=_("Place"), max_length=255)
    letter_date = forms.DateField(
        label=_("Date of the invitation letter"),
        required=False,
        widget=DATE,
        validators=[_not_future],
        help_text=_("Today's, unless the letter was sent before it was typed in here."),
    )

    def __init__(self, *args: Any, kind: str = CaseKind.LAPORAN, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == CaseKind.TEMUAN:  # the office's own finding: nobody to invite as its pelapor
            field: Any = self.fields["invitee_role"]
            field.choices = [(value, label) for value, label in field.choices if value != "pelapor"]


class _UnheldInvitationForm(PrintableTextForm):
    """A form about one of the case's invitations whose berita acara is still to be made."""

    clarification = forms.ModelChoiceField(label=_("Invitation"), queryset=Clarification.objects.none())

    def __init__(
        self, *args: Any, case: Case, unheld: list[Clarification] | None = None, **kwargs: Any
    ) -> None:
        """``unheld``: the invitations below, as the case page already read them."""
        super().__init__(*args, **kwargs)
        field: Any = self.fields["clarification"]
        # Only the invitations whose berita acara is still to be made (a made one is not rewritten).
        field.queryset = Clarification.objects.filter(case=case, held_at__isnull=True).order_by(
            "scheduled_at"
        )
        field.label_from_instance = lambda c: (
            f"{c.letter_number} · {c.get_invitee_role_display()} · {c.invitee_name}"
        )
        _only_choice_chosen(field, unheld)


class ClarificationRecordForm(_UnheldInvitationForm):
    held_at = forms.DateTimeField(label=_("Held at (WIB)"), widget=DATETIME)
    statement = forms.CharField(label=_("Record of statements (berita acara)"), widget=_text(8))
    attachments = MultipleFileField(label=_("Attachments"))
    attachment_description = forms.CharField(
        label=_("Description of the attachments"), max_length=255, required=False
    )

    def clean_held_at(self) -> dt.datetime:
        return _not_future_time(self.cleaned_data["held_at"])


class ClarificationCancelForm(_UnheldInvitationForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=_text(2),
        help_text=_(
            "E.g. the wrong day, hour or person typed. The letter number stays void; then invite "
            "again as it should be."
        ),
    )


class PelaporToldForm(PrintableTextForm):
    """On the case page's "e-mail to the pelapor not delivered": the office told them another way.
    ``mail``: the messages the warning listed (hidden), so that one failing after the page was
    opened is not marked told unseen."""

    mail = forms.TypedMultipleChoiceField(coerce=int, widget=forms.MultipleHiddenInput)
    how = forms.ChoiceField(label=_("How"), choices=TOLD_HOW_CHOICES, widget=forms.RadioSelect)
    told_on = forms.DateField(label=_("Day they were told"), widget=DATE, validators=[_not_future])
    note = forms.CharField(
        label=_("Note"),
        max_length=TOLD_NOTE_MAX,
        required=False,
        help_text=_("Short, e.g. “Told by phone of the registration; asked for a new e-mail address.”"),
    )

    def __init__(self, *args: Any, mail_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["mail"]
        field.choices = [(pk, pk) for pk in mail_ids]
        field.initial = mail_ids
        self.fields["told_on"].initial = today_local()
        self.fields["told_on"].widget.attrs.update(max=today_local().isoformat())


class SupplementForm(PrintableTextForm):
    """What the pelapor brings later (to complete a laporan) or staff gather before the decision."""

    note = forms.CharField(
        label=_("What was brought, by whom and when"),
        max_length=255,
        help_text=_("e.g. Photos of the envelopes and a second witness, brought by the pelapor on 26-11."),
    )
    # The day it was brought, not the day it is entered, decides whether a laporan was completed
    # in time (``workflow.case_supplement``): the desk may enter on Monday what came on Friday.
    brought_on = forms.DateField(
        label=_("Day it was brought"),
        widget=DATE,
        required=False,
        validators=[_not_future],
        help_text=_(
            "Today if left empty. What the pelapor brought by the completion deadline counts as in time."
        ),
    )
    attachments = MultipleFileField(label=_("Evidence (bukti)"))
    witness_name = forms.CharField(label=_("Name of the witness"), max_length=200, required=False)
    witness_address = forms.CharField(label=_("Address of the witness"), max_length=255, required=False)
    witness_phone = forms.CharField(label=_("Phone of the witness"), max_length=32, required=False)

    def __init__(self, *args: Any, kind: str = CaseKind.LAPORAN, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"brought_on": today_local()})
        super().__init__(*args, **kwargs)
        self.fields["brought_on"].widget.attrs.update(max=today_local().isoformat())
        if kind != CaseKind.LAPORAN:  # no pelapor brings anything: the supervisors gather it
            self.fields["note"].help_text = _(
                "e.g. Photos of the banner and a statement of a resident, gathered by the Panwascam on 26-11."
            )
            self.fields["brought_on"].label = _("Day it was gathered")
            self.fields["brought_on"].help_text = _("Today if left empty.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("witness_name") and (data.get("witness_address") or data.get("witness_phone")):
            self.add_error("witness_name", _("Give the witness's name."))
        if not data.get("attachments") and not data.get("witness_name") and not self.errors:
            raise forms.ValidationError(_("Attach a file or name a witness."))
        return data

    @staticmethod
    def witness_from(data: dict[str, Any]) -> WitnessData | None:
        if not data.get("witness_name"):
            return None
        return WitnessData(
            name=data["witness_name"],
            address=data.get("witness_address", ""),
            phone=data.get("witness_phone", ""),
        )


class StudyForm(PrintableTextForm):
    facts = forms.CharField(label=_("Facts"), widget=_text(6))
    analysis = forms.CharField(label=_("Analysis"), widget=_text(6))
    article_violated = forms.CharField(label=_("Article violated"), max_length=255, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=_text(4))


class TemuanRegisterForm(forms.Form):
    established_on = forms.DateField(
        label=_("Date of the plenary that established it"),
        widget=DATE,
        validators=[_not_future],
        help_text=_(
            "The registration number takes this month; the finding deadline is measured on this day, "
            "and the decision deadline counts from it."
        ),
    )


class DecisionForm(PrintableTextForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DecisionOutcome.choices)
    reasons = forms.CharField(label=_("Reasons"), widget=_text(4))
    public_reason = forms.CharField(
        label=_("Reason for the pelapor"),
        widget=_text(2),
        max_length=400,
        required=False,
        help_text=_(
            "Shown on the tracking page and in the status notice, e.g. why it is not a violation. "
            "Name nobody. Empty: the pelapor reads the outcome only."
        ),
    )
    plenary_date = forms.DateField(label=_("Date of the plenary"), widget=DATE, validators=[_not_future])
    without_pending = forms.BooleanField(
        label=_("Decided without the invited clarification"),
        required=False,
        help_text=_(
            "Only when someone is invited for after the plenary and it decided without hearing them; "
            "the invitation is then shown as not held."
        ),
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked only while someone invited has not been heard.
        if case is None or not case.clarifications.filter(held_at__isnull=True).exists():
            self.fields.pop("without_pending", None)
        # A temuan has no pelapor: nobody reads a reason written for one (its history keeps none).
        if case is not None and case.kind == CaseKind.TEMUAN:
            self.fields.pop("public_reason", None)
        if case is not None:  # in its election law's words: "Tindak pidana Pemilu" under UU 7/2017
            outcome = cast(forms.ChoiceField, self.fields["outcome"])
            outcome.choices = [
                (value, outcome_label(value, case.election_type)) for value in DecisionOutcome.values
            ]


class DecisionCorrectionForm(DecisionForm):
    """The decision as typed in, to correct it (before any referral letter went out on it)."""

    def __init__(self, *args: Any, kind: str = "", **kwargs: Any) -> None:
        """``kind``: the case's (a temuan's correction has no reason for a pelapor either)."""
        super().__init__(*args, **kwargs)
        if kind == CaseKind.TEMUAN:
            self.fields.pop("public_reason", None)

    correction = forms.CharField(
        label=_("Why it is corrected"),
        widget=_text(2),
        max_length=500,
        help_text=_(
            "e.g. the wrong outcome was chosen; the plenary's minutes say otherwise. Kept in the history."
        ),
    )


class ReferralForm(PrintableTextForm):
    body = forms.ModelChoiceField(label=_("Refer to"), queryset=ReferralBody.objects.filter(active=True))
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, validators=[_not_future])
    other_body = forms.BooleanField(
        label=_("Refer to this body although it is not the one suggested for the decision"), required=False
    )

    def __init__(
        self,
        *args: Any,
        suggested: list[ReferralBody],
        bodies: list[ReferralBody] | None = None,
        **kwargs: Any,
    ) -> None:
        """``bodies``: the active bodies, as the case page already read them for ``suggested``."""
        super().__init__(*args, **kwargs)
        if bodies is not None:
            _choices_shown(self.fields["body"], bodies)
        if not self.is_bound:
            self.initial.setdefault("sent_on", timezone.localdate())
            if suggested:
                self.initial.setdefault("body", suggested[0].pk)
        self.suggested = suggested
        if suggested:
            names = ", ".join(b.name for b in suggested)
            self.fields["body"].help_text = _("Suggested for this decision: %(names)s") % {"names": names}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body = data.get("body")
        # A slip of the select (a tindak pidana sent to KPU instead of Sentra Gakkumdu) is caught;
        # a deliberate choice is confirmed.
        if body is not None and self.suggested and body not in self.suggested and not data.get("other_body"):
            self.add_error(
                "body",
                _(
                    "%(body)s does not handle a decision of this kind. "
                    "Choose %(names)s, or tick the box below."
                )
                % {"body": body.name, "names": ", ".join(b.name for b in self.suggested)},
            )
        return data


class _AwaitedReferralForm(PrintableTextForm):
    """A form about one of the case's referrals still awaiting the body's answer."""

    referral = forms.ModelChoiceField(label=_("Referral"), queryset=Referral.objects.none())

    def __init__(self, *args: Any, case: Case, awaited: list[Referral] | None = None, **kwargs: Any) -> None:
        """``awaited``: the referrals below, with their bodies, as the case page already read them."""
        super().__init__(*args, **kwargs)
        field: Any = self.fields["referral"]
        field.queryset = Referral.objects.filter(case=case, responded_on__isnull=True).select_related("body")
        field.label_from_instance = lambda r: f"{r.letter_number} → {r.body.name}"
        _only_choice_chosen(field, awaited)


class ResponseForm(_AwaitedReferralForm):
    response = forms.CharField(label=_("Answer of the body"), widget=_text(4))
    sanction = forms.CharField(label=_("Sanction imposed"), max_length=255, required=False)
    responded_on = forms.DateField(label=_("Answered on"), widget=DATE, validators=[_not_future])


class ReferralProgressForm(_AwaitedReferralForm):
    note = forms.CharField(
        label=_("What the body reported"),
        widget=_text(3),
        help_text=_("A step before its answer, e.g. the case went on to investigation (penyidikan)."),
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE, validators=[_not_future])
    answer_expected_by = forms.DateField(
        label=_("Answer now expected by"),
        widget=DATE,
        required=False,
        help_text=_("Moves the follow-up date: the referral leaves the overdue list until then."),
    )


class ReferralCancelForm(_AwaitedReferralForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=_text(2),
        help_text=_(
            "E.g. the wrong body was chosen or the wrong date typed. The letter number stays void; "
            "then record the referral as it should be. The pelapor is told it was withdrawn."
        ),
    )


class UnmergeForm(PrintableTextForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=_text(2),
        help_text=_(
            "Why the two cases are not about the same event after all. "
            "The pelapor is told it is handled on its own."
        ),
    )


class UnlinkForm(PrintableTextForm):
    # Asked before a link is removed: the form is the confirmation, the log keeps the reason.
    reason = forms.CharField(
        label=_("Reason for removing the link"),
        max_length=500,
        error_messages={"required": _("Give the reason for removing the link.")},
    )


class LinkForm(PrintableTextForm):
    other = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=[("link", _("Link as related")), ("merge", _("Merge"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == "merge" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the merge."))
        return data
