"""The public's forms: a laporan (Perbawaslu 9/2024 formulir laporan) and an informasi awal.

The place is a kecamatan select plus a desa select grouped by kecamatan (<optgroup>), so it works
without JavaScript. Evidence files are not form fields: the view stores each upload at once and
the form carries the accepted ones back as signed tokens (``kept``), so a correction never asks a
phone on a slow link to send the same photo again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from django import forms
from django.core import signing
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awas.cases.models import CaseKind, Sex
from awas.cases.services.intake import (
    IDEMPOTENCY_KEY_RE,
    SHA_PREFIX,
    EvidenceItem,
    Intake,
    PlaceChoices,
    ReporterData,
    WitnessData,
    filing_is_late,
    filing_rule,
    office_today,
    public_places,
)
from awas.cases.validators import birth_date_plausible, case_date_plausible
from awas.core.forms import PlainSelect, PrintableTextForm
from awas.core.models import EvidenceFile
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Level
from awas.core.services.deadlines import Deadline, office_election_type, office_election_types
from awas.core.services.evidence import evidence_prepare_kept
from awas.regions.models import Region

WITNESS_ROWS = 3
KEPT_SALT = "awas.cases.public.kept-evidence"
KEPT_MAX_AGE = 2 * 24 * 60 * 60  # seconds a received upload may wait for its form
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"]

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ().-]{5,30}$", _("Enter a phone number, e.g. 0812 3456 7890.")
)


# --- evidence already received, carried through the form ---------------------------------------


def _kept_salt(holder: str) -> str:
    return f"{KEPT_SALT}:{holder}" if holder else KEPT_SALT


@dataclass(frozen=True)
class KeptEvidence:
    sha256: str
    name: str
    size: int
    # The stored record when it was received in this very request (saves a look-up).
    evidence: EvidenceFile | None = field(default=None, compare=False, repr=False)
    # The secret of the browser the file came from (views_public.kept_holder: an HttpOnly cookie,
    # never in the page), signed into the token: a token copied into another browser's form does
    # not read there, so whoever learns one (a shared link, the page's source) cannot attach
    # someone else's photo to their own report. On the staff forms, the officer signed in
    # (forms.staff_kept_holder).
    holder: str = field(default="", compare=False, repr=False)

    @property
    def token(self) -> str:
        return signing.dumps([self.sha256, self.name, self.size], salt=_kept_salt(self.holder))

    @property
    def sha_prefix(self) -> str:
        return self.sha256[:SHA_PREFIX]

    @classmethod
    def from_evidence(cls, evidence: EvidenceFile, name: str, *, holder: str = "") -> KeptEvidence:
        return cls(sha256=evidence.sha256, name=name, size=evidence.size, evidence=evidence, holder=holder)

    @classmethod
    def from_token(cls, token: str, *, holder: str = "") -> KeptEvidence | None:
        """The file a token names, if it was made for ``holder`` less than two days ago."""
        try:
            sha256, name, size = signing.loads(token, salt=_kept_salt(holder), max_age=KEPT_MAX_AGE)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return cls(sha256=str(sha256), name=str(name), size=int(size), holder=holder)


def evidence_items(kept: list[KeptEvidence], *, uploaded_by: Any = None) -> list[EvidenceItem]:
    """The records of the kept files (those received earlier are looked up, in one query); a file
    whose form was sent back kept only its bytes gets a record not saved yet, made from them. A
    file whose bytes are gone (pruned) is left out: compare the lengths to tell the sender."""
    files: dict[str, EvidenceFile | None] = {k.sha256: k.evidence for k in kept if k.evidence is not None}
    if missing := [k.sha256 for k in kept if k.sha256 not in files]:
        files.update({e.sha256: e for e in EvidenceFile.objects.filter(sha256__in=missing)})
    for k in kept:
        if files.get(k.sha256) is None:
            files[k.sha256] = evidence_prepare_kept(k.sha256, original_name=k.name, uploaded_by=uploaded_by)
    return [EvidenceItem(evidence=evidence, name=k.name) for k in kept if (evidence := files[k.sha256])]


# --- fields --------------------------------------------------------------------------------------


def text_field(
    label: Any, *, required: bool = False, max_length: int = 200, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, **kwargs)


def date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def phone_field(label: Any, *, own: bool = True) -> forms.CharField:
    """A phone number with the phone's number keypad. ``own``: the filer's own number, which the
    browser may offer to fill in; another person's (terlapor, witness) is never filled with it."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=32,
        validators=[phone_validator],
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel" if own else "off", "inputmode": "tel"}
        ),
    )


# Someone else's name or address: the browser must not offer the filer's own.
NOT_MINE = {"autocomplete": "off"}

# While the office handles both, the pelapor says which election the report is about, in words a
# villager knows: the offices each elects, not the names of the laws.
PUBLIC_ELECTION_LABELS: dict[str, Promise] = {
    ElectionType.PEMILU: _("Pemilu (President and Vice President, DPR, DPD, DPRD)"),
    ElectionType.PILKADA: _("Regional head election (Governor, Regent/Mayor)"),
}


def election_field() -> forms.ChoiceField:
    """Which election a public filing is about, among those the office handles (in its order);
    nothing chosen beforehand: a guess kept by an oversight would set the wrong law's clocks."""
    return forms.ChoiceField(
        label=_("Which election is it about?"),
        choices=[(value, PUBLIC_ELECTION_LABELS[value]) for value in office_election_types()],
        widget=forms.RadioSelect,
        help_text=_("The time limits of that election's law apply to your report."),
        error_messages={"required": _("Choose which election it is about.")},
    )


def known_date_help() -> str:
    """The filing limit said under "the date you learned of it", by the law of each election the
    office handles: 7 days under UU 10/2016 Pasal 134 ayat (4) (Pilkada), 7 hari kerja under UU 7/2017
    Pasal 454 ayat (6) (Pemilu). A Pemilu pelapor read "7 days" and could think a laporan known 8
    days ago over a weekend too late to send, though still in time."""
    elections = office_election_types()
    if ElectionType.PEMILU not in elections:
        return str(_("A laporan must be filed within 7 days of this date."))
    pemilu = filing_rule(ElectionType.PEMILU)
    if ElectionType.PILKADA not in elections:
        return _("A laporan must be filed within %(days)d working days of this date.") % {"days": pemilu.days}
    return _(
        "A laporan must be filed within %(pemilu)d working days of this date for a Pemilu, within "
        "%(pilkada)d days for a regional head election."
    ) % {"pemilu": pemilu.days, "pilkada": filing_rule(ElectionType.PILKADA).days}


class PublicFilingForm(PrintableTextForm):
    """What both filings share: the one-time key, what happened, where and when."""

    kind: str = ""
    required_css_class = "required"  # the label gets a red asterisk

    idempotency_key = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        validators=[RegexValidator(IDEMPOTENCY_KEY_RE)],
        error_messages={
            "required": _("This form has expired. Your entries are kept: please send it again."),
            "invalid": _("This form has expired. Your entries are kept: please send it again."),
        },
    )
    title = text_field(
        _("What happened, in one sentence"),
        required=True,
        max_length=255,
        help_text=_("e.g. Money handed out to voters at the village hall"),
    )
    kecamatan = forms.CharField(label=_("Kecamatan"), required=False, widget=PlainSelect)
    desa = forms.CharField(
        label=_("Desa/kelurahan"),
        required=False,
        widget=PlainSelect,
        help_text=_("Optional. The list is grouped by kecamatan."),
    )
    event_place = text_field(
        _("Place (street, building, RT/RW)"),
        max_length=255,
        help_text=_("Optional: where exactly, in your own words."),
    )
    event_date = date_field(_("Date of the event"), required=True)

    def __init__(self, *args: Any, places: Callable[[], PlaceChoices] = public_places, **kwargs: Any) -> None:
        # No colon after a label: Django's form sets one whatever the class says, and a phone
        # shows "Nama lengkap: *" beside labels without it.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if len(office_election_types()) > 1:
            self.fields["election_type"] = election_field()
            self.order_fields(["idempotency_key", "election_type"])
        cached: list[PlaceChoices] = []

        def loaded() -> PlaceChoices:  # one query for both selects, and only when a page is drawn
            if not cached:
                cached.append(places())
            return cached[0]

        kecamatan_widget: Any = self.fields["kecamatan"].widget
        desa_widget: Any = self.fields["desa"].widget
        # Required in effect (clean() asks for a kecamatan unless a desa is chosen), not in the
        # field, so that a desa alone still does: the label shows the asterisk all the same.
        kecamatan_field: Any = self.fields["kecamatan"]
        kecamatan_field.template_name = "cases/public/_field_marked_required.html"
        kecamatan_widget.attrs["aria-required"] = "true"
        kecamatan_widget.choices = lambda: [("", _("— choose the kecamatan —")), *loaded().kecamatan]
        desa_widget.choices = lambda: [
            ("", _("— not known / whole kecamatan —")),
            *loaded().desa_by_kecamatan,
        ]

        # The phone's date picker offers no day after today (the checks below say why, without it).
        today = office_today()
        for name in ("event_date", "known_date"):
            if name in self.fields:
                self.fields[name].widget.attrs["max"] = today.isoformat()
        if "birth_date" in self.fields:
            self.fields["birth_date"].widget.attrs["max"] = (today - dt.timedelta(days=1)).isoformat()

    def clean_event_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("event_date")
        if value is None:  # an informasi awal whose sender does not know the day (InformasiForm)
            return None
        case_date_plausible(value)
        if value > office_today():
            raise forms.ValidationError(_("The date of the event cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kecamatan_code = data.get("kecamatan") or ""
        desa_code = data.get("desa") or ""
        region: Region | None = None
        if desa_code:
            region = Region.objects.filter(code=desa_code, level=Level.DESA).first()
            if region is None:
                self.add_error("desa", _("Choose a desa/kelurahan from the list."))
            elif kecamatan_code and region.parent_id != kecamatan_code:
                self.add_error("desa", _("This desa/kelurahan is not in the chosen kecamatan."))
                region = None
        elif kecamatan_code:
            region = Region.objects.filter(code=kecamatan_code, level=Level.KECAMATAN).first()
            if region is None:
                self.add_error("kecamatan", _("Choose a kecamatan from the list."))
        else:
            self.add_error("kecamatan", _("Choose the kecamatan where it happened."))
        data["region"] = region
        return data

    def chosen_election(self) -> str | None:
        """The election the filing falls under: the one chosen (None until then), or the office's only one."""
        if "election_type" not in self.fields:
            return office_election_type()
        return getattr(self, "cleaned_data", {}).get("election_type") or None

    def intake(self, evidence: list[EvidenceItem]) -> Intake:
        raise NotImplementedError

    def unchecked(self) -> Self:
        """The form as sent, checked for nothing: drawn again in the language the switch asked
        for, where nothing was sent to be filed and a list of mistakes would only alarm."""
        self._errors = ErrorDict()
        return self


class LaporanForm(PublicFilingForm):
    """The formulir laporan: pelapor, terlapor, peristiwa, saksi, bukti, uraian kronologis."""

    kind = CaseKind.LAPORAN

    # Pelapor
    reporter_name = text_field(
        _("Full name"), required=True, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    birth_place = text_field(_("Place of birth"), max_length=100)
    birth_date = date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=Sex.choices, widget=forms.RadioSelect)
    occupation = text_field(_("Occupation"), max_length=100)
    nationality = text_field(_("Nationality"), max_length=60, initial="Indonesia")
    address = text_field(
        _("Address"),
        required=True,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
        help_text=_("As on your KTP-el."),
    )
    phone = phone_field(_("Phone / WhatsApp"))
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    # Terlapor
    terlapor_name = text_field(
        _("Name of the reported person (terlapor)"),
        required=True,
        help_text=_("A name, or a description if you do not know it (e.g. 'the head of Desa X')."),
        widget=forms.TextInput(attrs=NOT_MINE),
    )
    terlapor_position = text_field(
        _("Position or role"), help_text=_("e.g. ASN, kepala desa, candidate, campaign team")
    )
    terlapor_address = text_field(
        _("Address of the terlapor"), max_length=255, widget=forms.TextInput(attrs=NOT_MINE)
    )
    terlapor_phone = phone_field(_("Phone of the terlapor"), own=False)

    # Peristiwa (title, place and event_date come from the base form)
    known_date = date_field(
        _("Date you learned of it"),
        required=True,
        help_text=_("A laporan must be filed within 7 days of this date."),
    )
    chronology = forms.CharField(
        label=_("What happened, step by step (uraian kronologis)"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Who did what, when and where; who saw it; what evidence you have."),
    )
    late_ok = forms.BooleanField(
        label=_("I understand. Send my laporan anyway."),
        required=False,
    )

    # The order of the page (and of the list of errors at its top); the witness rows come last.
    field_order = [
        "idempotency_key",
        "reporter_name",
        "birth_place",
        "birth_date",
        "sex",
        "occupation",
        "nationality",
        "address",
        "phone",
        "email",
        "terlapor_name",
        "terlapor_position",
        "terlapor_address",
        "terlapor_phone",
        "title",
        "kecamatan",
        "desa",
        "event_place",
        "event_date",
        "known_date",
        "chronology",
        "late_ok",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.late_deadline: Deadline | None = None
        self.fields["known_date"].help_text = known_date_help()
        for row in range(1, WITNESS_ROWS + 1):
            number = {"number": row}
            self.fields[f"witness{row}_name"] = text_field(
                _("Name of witness %(number)d") % number, widget=forms.TextInput(attrs=NOT_MINE)
            )
            self.fields[f"witness{row}_address"] = text_field(
                _("Address of witness %(number)d") % number,
                max_length=255,
                widget=forms.TextInput(attrs=NOT_MINE),
            )
            self.fields[f"witness{row}_phone"] = phone_field(
                _("Phone of witness %(number)d") % number, own=False
            )

    def witness_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (row, [self[f"witness{row}_{part}"] for part in ("name", "address", "phone")])
            for row in range(1, WITNESS_ROWS + 1)
        ]

    def clean_birth_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("birth_date")
        birth_date_plausible(value)
        return value

    def clean_known_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["known_date"]
        case_date_plausible(value)
        if value > office_today():
            raise forms.ValidationError(_("This date cannot be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        event, known = data.get("event_date"), data.get("known_date")
        if event and known and known < event:
            self.add_error("known_date", _("You cannot have learned of it before it happened."))
        for row in range(1, WITNESS_ROWS + 1):
            if not data.get(f"witness{row}_name") and (
                data.get(f"witness{row}_address") or data.get(f"witness{row}_phone")
            ):
                self.add_error(f"witness{row}_name", _("Give the witness's name."))
        election_type = self.chosen_election()
        if known and "known_date" not in self.errors and election_type is not None:
            # The law of the election it is about: 7 days under UU 10/2016 Pasal 134 ayat (4), 7 hari
            # kerja under UU 7/2017 Pasal 454 ayat (6). Not chosen yet: said at the choice.
            self.late_deadline = late = filing_is_late(known, election_type=election_type)
            if late is not None and not data.get("late_ok"):
                if late.day_type == DayType.WORKING:
                    message = _(
                        "The %(days)d working days have passed: tick the box if you want to send it anyway."
                    ) % {"days": late.days}
                else:
                    message = str(_("The 7 days have passed: tick the box if you want to send it anyway."))
                self.add_error("late_ok", message)
        return data

    def intake(self, evidence: list[EvidenceItem]) -> Intake:
        d = self.cleaned_data
        witnesses = [
            WitnessData(
                name=d[f"witness{row}_name"],
                address=d[f"witness{row}_address"],
                phone=d[f"witness{row}_phone"],
            )
            for row in range(1, WITNESS_ROWS + 1)
            if d.get(f"witness{row}_name")
        ]
        return Intake(
            kind=CaseKind.LAPORAN,
            idempotency_key=d["idempotency_key"],
            title=d["title"],
            region=d["region"],
            chronology=d["chronology"],
            event_place=d["event_place"],
            event_date=d["event_date"],
            known_date=d["known_date"],
            terlapor_name=d["terlapor_name"],
            terlapor_address=d["terlapor_address"],
            terlapor_phone=d["terlapor_phone"],
            terlapor_position=d["terlapor_position"],
            reporter=ReporterData(
                name=d["reporter_name"],
                address=d["address"],
                birth_place=d["birth_place"],
                birth_date=d["birth_date"],
                sex=d["sex"],
                occupation=d["occupation"],
                nationality=d["nationality"] or "Indonesia",
                phone=d["phone"],
                email=d["email"],
            ),
            witnesses=witnesses,
            evidence=evidence,
            late_confirmed=self.late_deadline is not None,
            election_type=self.chosen_election() or "",
        )


class InformasiForm(PublicFilingForm):
    """An informasi awal: what, where, when, evidence; a contact only if the sender wants one."""

    kind = CaseKind.INFORMASI_AWAL

    chronology = forms.CharField(
        label=_("Tell us more"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who was involved, what you saw or heard. Leave out your own name if you wish."),
    )
    # A villager who saw it "sometime last week" may say so rather than give up or invent a day: a
    # tip has no clock of its own that counts from the event (services/common.py, KNOWN_DATE_RULES).
    event_date_unknown = forms.BooleanField(label=_("I do not know the exact day"), required=False)
    event_time_note = text_field(
        _("Roughly when?"),
        help_text=_("Only if you do not know the exact day, e.g. last weekend, in the evening."),
    )
    contact_name = text_field(
        _("Your name (optional)"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_phone = phone_field(_("Phone / WhatsApp (optional)"))
    contact_email = forms.EmailField(
        label=_("E-mail (optional)"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    field_order = [
        "idempotency_key",
        "title",
        "kecamatan",
        "desa",
        "event_place",
        "event_date",
        "event_date_unknown",
        "event_time_note",
        "chronology",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The date or, when the box is ticked, roughly when (clean()): required in effect, so the
        # label keeps its asterisk, as the kecamatan's does.
        event_date: Any = self.fields["event_date"]
        event_date.required = False
        event_date.template_name = "cases/public/_field_marked_required.html"
        event_date.widget.attrs["aria-required"] = "true"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "event_date" in self.errors:
            return data  # a date that cannot be one: said once, at the date
        date, unknown = data.get("event_date"), data.get("event_date_unknown")
        note = (data.get("event_time_note") or "").strip()
        if unknown and date:
            # Both cannot be true: the sender chooses, nothing typed is dropped unseen.
            self.add_error(
                "event_date_unknown",
                _("You gave a date and ticked that you do not know it: clear the date, or untick the box."),
            )
        elif unknown and not note:
            self.add_error(
                "event_time_note", _("Say roughly when it happened, e.g. last weekend, in the evening.")
            )
        elif not date and not note:
            self.add_error(
                "event_date",
                _("Give the date of the event, or tick “I do not know the exact day” and say roughly when."),
            )
        data["event_time_note"] = note
        return data

    def intake(self, evidence: list[EvidenceItem]) -> Intake:
        d = self.cleaned_data
        contact = None
        if d["contact_name"] or d["contact_phone"] or d["contact_email"]:
            contact = ReporterData(
                name=d["contact_name"], address="", phone=d["contact_phone"], email=d["contact_email"]
            )
        return Intake(
            kind=CaseKind.INFORMASI_AWAL,
            idempotency_key=d["idempotency_key"],
            title=d["title"],
            region=d["region"],
            chronology=d["chronology"],
            event_place=d["event_place"],
            event_date=d["event_date"],
            event_time_note=d["event_time_note"],
            reporter=contact,
            evidence=evidence,
            election_type=self.chosen_election() or "",
        )


TRACKING_CODE_ATTRS = {
    "autocapitalize": "characters",
    "autocomplete": "off",
    "autocorrect": "off",
    "spellcheck": "false",
    "placeholder": "AWS-XXXX-XXXX",
}


class TrackForm(forms.Form):
    kode = forms.CharField(
        label=_("Tracking code"),
        max_length=32,
        widget=forms.TextInput(
            # A phone's keyboard must not "correct" a code into words (typed with spaces, it would).
            attrs=TRACKING_CODE_ATTRS
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # as on the filing forms
        super().__init__(*args, **kwargs)
