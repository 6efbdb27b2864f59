"""Forms of prevention and participation. They check what people type; the services store it.

Places are a select grouped by kecamatan (<optgroup>), so the forms work without JavaScript on an
old phone. Files are checked by content (``check_evidence``) while the form is validated, so a
refused file is named with the reason and the form comes back with everything else as typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from awas.cases.formatting import today_local
from awas.cases.forms_public import election_field
from awas.core.models import User
from awas.core.roles import Level, Role
from awas.core.services.deadlines import office_election_types
from awas.core.services.evidence import EvidenceRejected, check_evidence
from awas.outreach import permissions, selectors
from awas.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Cadre,
    Category,
    EvidenceRole,
    Institution,
    MonitoringOrganisation,
    RecipientKind,
    SchoolType,
    SosialisasiMode,
)
from awas.outreach.services import (
    ActivityData,
    LetterData,
    ParticipantData,
    PatrolData,
    SchoolData,
    Upload,
)
from awas.regions.models import Region, Tps

MAX_FILES = 10
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
ACCEPT = "image/*,application/pdf,.docx,.xlsx,.txt,audio/*,video/*"

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ().-]{5,30}$", _("Enter a phone number, e.g. 0812 3456 7890.")
)
nik_validator = RegexValidator(r"^\d{16}$", _("A NIK has 16 digits."))


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


# --- files ---------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def checked_files(files: Sequence[UploadedFile]) -> list[UploadedFile]:
    """Every file checked by its content; all refusals named at once, each with its reason."""
    if len(files) > MAX_FILES:
        raise ValidationError(_("Send at most %(n)s files at a time.") % {"n": MAX_FILES})
    errors = []
    for upload in files:
        try:
            check_evidence(upload, upload.size or 0, upload.name or "")
        except EvidenceRejected as refused:
            errors.append(
                ValidationError(
                    _("%(name)s was not accepted: %(reason)s")
                    % {"name": upload.name, "reason": refused.messages[0]}
                )
            )
    if errors:
        raise ValidationError(errors)
    return list(files)


class EvidenceFilesField(forms.FileField):
    """Several files in one input (photos or materials), each checked by content."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        single = super().clean
        return checked_files([single(f, initial) for f in files if f])


def uploads_of(files: Sequence[UploadedFile], role: str, description: str = "") -> list[Upload]:
    return [Upload(data=f, name=f.name or "berkas", role=role, description=description) for f in files]


# --- places --------------------------------------------------------------------------------------


class PlaceField(forms.ChoiceField):
    """A kecamatan or desa (or the kabupaten) the user may record at, as a Region."""

    def __init__(
        self, *, user: Any, levels: Sequence[int] = (Level.KECAMATAN, Level.DESA), **kwargs: Any
    ) -> None:
        kwargs.setdefault("label", _("Place (kecamatan or desa)"))
        super().__init__(choices=[("", "—"), *selectors.place_choices(user, levels=levels)], **kwargs)

    def clean(self, value: Any) -> Region | None:
        code = super().clean(value)
        return Region.objects.filter(code=code).first() if code else None


# --- activities ----------------------------------------------------------------------------------


class ActivityForm(forms.Form):
    """Sosialisasi, school programme or patrol: the common part plus the kind's own fields."""

    title = forms.CharField(label=_("Topic"), max_length=200)
    venue = forms.CharField(label=_("Venue"), max_length=200, required=False)
    planned_date = date_field(_("Planned date"))
    status = forms.ChoiceField(
        label=_("Status"), choices=ActivityStatus.choices, initial=ActivityStatus.PLANNED
    )
    done_date = date_field(_("Date done"), required=False, help_text=_("Needed when the status is Done."))
    attendance = forms.IntegerField(label=_("Attendance (people)"), min_value=0, initial=0, required=False)
    notes = forms.CharField(label=_("Notes"), widget=textarea(), required=False)
    photos = EvidenceFilesField(label=_("Photos"))
    materials = EvidenceFilesField(label=_("Materials (slides, handouts, attendance sheet)"))

    def __init__(
        self, *args: Any, user: Any, kind: str, instance: Activity | None = None, **kwargs: Any
    ) -> None:
        self.user, self.kind, self.instance = user, kind, instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self._initial_from(instance)
        super().__init__(*args, **kwargs)
        self.fields["region"] = PlaceField(user=user)
        self.order_fields(["title", "region"])
        self.personal = permissions.sees_personal_data(user)
        if self.personal:
            self.fields["attendees"] = forms.CharField(
                label=_("Attendees"),
                widget=textarea(4),
                required=False,
                help_text=_("One name per line (optional). Personal data: only the office sees it."),
            )
        if kind == ActivityKind.SOSIALISASI:
            self.fields["mode"] = forms.ChoiceField(
                label=_("Format"), choices=SosialisasiMode.choices, initial=SosialisasiMode.FORMAL
            )
        elif kind == ActivityKind.SCHOOL:
            self.fields["school_name"] = forms.CharField(label=_("School"), max_length=200)
            self.fields["school_type"] = forms.ChoiceField(label=_("School type"), choices=SchoolType.choices)
            self.fields["lesson_hours"] = forms.TypedChoiceField(
                label=_("Lesson hours (JP)"), choices=[(1, "1 JP"), (2, "2 JP")], coerce=int, initial=2
            )
            self.fields["students_reached"] = forms.IntegerField(
                label=_("Students reached"), min_value=0, initial=0, required=False
            )
        elif kind == ActivityKind.PATROL:
            self._add_patrol_fields()

    # Sections of the page, in order.

    def _section(self, names: Sequence[str]) -> list[forms.BoundField]:
        return [self[name] for name in names if name in self.fields]

    @property
    def common_fields(self) -> list[forms.BoundField]:
        return self._section(
            [
                "title",
                "region",
                "mode",
                "venue",
                "planned_date",
                "status",
                "done_date",
                "attendance",
                "attendees",
                "notes",
            ]
        )

    @property
    def kind_fields(self) -> list[forms.BoundField]:
        return self._section(
            [
                "school_name",
                "school_type",
                "lesson_hours",
                "students_reached",
                "route_desa",
                "route_tps",
                "findings",
            ]
        )

    @property
    def participant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.endswith(("_count", "_names"))]

    @property
    def file_fields(self) -> list[forms.BoundField]:
        return self._section(["photos", "materials"])

    @staticmethod
    def _initial_from(activity: Activity) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": activity.title,
            "region": activity.region_id,
            "venue": activity.venue,
            "planned_date": activity.planned_date,
            "status": activity.status,
            "done_date": activity.done_date,
            "attendance": activity.attendance,
            "attendees": activity.attendees,
            "notes": activity.notes,
            "mode": activity.mode,
        }
        school = getattr(activity, "school", None)
        if school is not None:
            initial.update(
                school_name=school.school_name,
                school_type=school.school_type,
                lesson_hours=school.lesson_hours,
                students_reached=school.students_reached,
            )
        patrol = getattr(activity, "patrol", None)
        if patrol is not None:
            initial["route_desa"] = list(patrol.route_desa.values_list("code", flat=True))
            initial["route_tps"] = [str(pk) for pk in patrol.route_tps.values_list("pk", flat=True)]
            initial["findings"] = patrol.findings
            for p in patrol.participants.all():
                initial[f"{p.institution}_count"] = p.count
                initial[f"{p.institution}_names"] = p.names
        return initial

    def _add_patrol_fields(self) -> None:
        desa_groups = selectors.place_choices(self.user, levels=(Level.DESA,))
        self.fields["route_desa"] = forms.MultipleChoiceField(
            label=_("Desa on the route"),
            choices=desa_groups,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("Hold Ctrl (on a phone: tap each one) to choose several."),
        )
        self.fields["route_tps"] = forms.MultipleChoiceField(
            label=_("TPS on the route"),
            choices=self._tps_choices(),
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text=_("The TPS of the desa on the route; choose the desa and save to see their TPS here."),
        )
        self.fields["findings"] = forms.CharField(
            label=_("Findings"),
            widget=textarea(5),
            required=False,
            help_text=_("What the patrol found. A finding can later become a Form A."),
        )
        for value, label in Institution.choices:
            self.fields[f"{value}_count"] = forms.IntegerField(
                label=_("%(institution)s: people") % {"institution": label}, min_value=0, required=False
            )
            if self.personal:
                self.fields[f"{value}_names"] = forms.CharField(
                    label=_("%(institution)s: names (optional)") % {"institution": label},
                    widget=textarea(2),
                    required=False,
                )

    def _tps_choices(self) -> list[tuple[str, str]]:
        desa: set[str] = set()
        if self.is_bound:
            desa.update(self.data.getlist("route_desa") if hasattr(self.data, "getlist") else [])
        if self.instance is not None and hasattr(self.instance, "patrol"):
            desa.update(self.instance.patrol.route_desa.values_list("code", flat=True))
        tps = Tps.objects.visible_to(self.user).select_related("desa")
        if desa:
            tps = tps.filter(desa_id__in=desa)
        elif self.user.scope_region is None or self.user.scope_region.level < Level.KECAMATAN:
            return []  # the whole kabupaten has thousands of TPS: choose the desa first
        return [
            (str(t.pk), f"{t.desa.name} · {t.label}") for t in tps.order_by("desa__name", "number")[:2000]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActivityStatus.DONE and not data.get("done_date"):
            self.add_error("done_date", _("An activity marked done needs the date it was done."))
        if data.get("done_date") and data["done_date"] > today_local():
            self.add_error("done_date", _("The date done cannot be in the future."))
        return data

    # What the services take.

    def activity_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            kind=self.kind,
            title=data["title"],
            region=data["region"],
            planned_date=data["planned_date"],
            mode=data.get("mode", ""),
            venue=data.get("venue", ""),
            notes=data.get("notes", ""),
            status=data["status"],
            done_date=data.get("done_date"),
            attendance=data.get("attendance") or 0,
            attendees=data.get("attendees", "") if self.personal else None,
        )

    def school_data(self) -> SchoolData | None:
        if self.kind != ActivityKind.SCHOOL:
            return None
        data = self.cleaned_data
        return SchoolData(
            school_name=data["school_name"],
            school_type=data["school_type"],
            lesson_hours=data["lesson_hours"],
            students_reached=data.get("students_reached") or 0,
        )

    def patrol_data(self) -> PatrolData | None:
        if self.kind != ActivityKind.PATROL:
            return None
        data = self.cleaned_data
        desa = list(
            Region.objects.visible_to(self.user).filter(code__in=data.get("route_desa", []), level=Level.DESA)
        )
        tps = list(Tps.objects.visible_to(self.user).filter(pk__in=data.get("route_tps", [])))
        return PatrolData(
            route_desa=desa,
            route_tps=tps,
            findings=data.get("findings", ""),
            participants={
                value: ParticipantData(
                    count=data.get(f"{value}_count") or 0,
                    names=data.get(f"{value}_names", "") if self.personal else None,
                )
                for value in Institution.values
            },
        )

    def uploads(self) -> list[Upload]:
        data = self.cleaned_data
        return uploads_of(data.get("photos", []), EvidenceRole.PHOTO) + uploads_of(
            data.get("materials", []), EvidenceRole.MATERIAL
        )


class PlanEverywhereForm(forms.Form):
    """One sosialisasi per chosen kecamatan, all on the same day (every kecamatan ticked at first)."""

    title = forms.CharField(label=_("Topic"), max_length=200)
    mode = forms.ChoiceField(
        label=_("Format"), choices=SosialisasiMode.choices, initial=SosialisasiMode.FORMAL
    )
    planned_date = date_field(_("Planned date"))
    venue = forms.CharField(
        label=_("Venue"), max_length=200, required=False, help_text=_("e.g. Kantor Kecamatan")
    )
    notes = forms.CharField(label=_("Notes"), widget=textarea(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = selectors.kecamatan_choices(user)
        self.fields["kecamatan"] = forms.MultipleChoiceField(
            label=_("Kecamatan"),
            choices=choices,
            initial=[code for code, _name in choices],
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one kecamatan.")},
        )

    def kecamatan_regions(self) -> list[Region]:
        return list(Region.objects.filter(code__in=self.cleaned_data["kecamatan"], level=Level.KECAMATAN))


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    done_date = date_field(_("Date done"), required=False)
    attendance = forms.IntegerField(label=_("Attendance (people)"), min_value=0, required=False)
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ActivityStatus.DONE and not data.get("done_date"):
            self.add_error("done_date", _("An activity marked done needs the date it was done."))
        if data.get("status") == ActivityStatus.CANCELLED and not data.get("reason"):
            self.add_error("reason", _("Say why the activity was cancelled."))
        return data


class EvidenceForm(forms.Form):
    role = forms.ChoiceField(label=_("Kind of file"), choices=EvidenceRole.choices)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    attachments = EvidenceFilesField(label=_("Files"), required=True)

    def uploads(self) -> list[Upload]:
        data = self.cleaned_data
        return uploads_of(data["attachments"], data["role"], data.get("description", ""))


# --- imbauan letters -----------------------------------------------------------------------------


class LetterForm(forms.Form):
    recipient_kind = forms.ChoiceField(label=_("Recipient"), choices=RecipientKind.choices)
    recipient = forms.CharField(
        label=_("Addressed to"),
        max_length=200,
        help_text=_("e.g. Bupati Malang; Kepala Desa Putat Kidul"),
    )
    recipient_place = forms.CharField(label=_("At (di-)"), max_length=100, initial="Tempat")
    planned_date = date_field(_("Planned date"))
    subject = forms.CharField(label=_("Subject (perihal)"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=textarea(12),
        help_text=_("In Indonesian. One paragraph or item per line."),
    )
    signer_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    signer_title = forms.CharField(label=_("As"), max_length=100, initial="Ketua")
    notes = forms.CharField(label=_("Notes"), widget=textarea(2), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = PlaceField(
            user=user,
            levels=(Level.KABUPATEN, Level.KECAMATAN, Level.DESA),
            label=_("Area of the recipient"),
            help_text=_(
                "The kabupaten for the Bupati or an OPD head; the kecamatan for a camat; "
                "the desa for a kepala desa."
            ),
        )
        self.order_fields(["recipient_kind", "recipient", "recipient_place", "region"])

    def letter_data(self) -> LetterData:
        data = self.cleaned_data
        return LetterData(
            region=data["region"],
            planned_date=data["planned_date"],
            recipient_kind=data["recipient_kind"],
            recipient=data["recipient"],
            recipient_place=data["recipient_place"],
            subject=data["subject"],
            body=data["body"],
            signer_name=data.get("signer_name", ""),
            signer_title=data["signer_title"],
            notes=data.get("notes", ""),
        )


# --- categories entered by the office ------------------------------------------------------------


class CategoryForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("— remove the category —")), *Category.choices],
        required=False,
    )
    source_note = forms.CharField(label=_("Source"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = PlaceField(user=user, label=_("Kecamatan or desa"))
        self.order_fields(["region", "category", "source_note"])


# --- cadres and monitoring organisations ---------------------------------------------------------


class CadreForm(forms.ModelForm):
    class Meta:
        model = Cadre
        fields = [
            "kind",
            "name",
            "nik",
            "phone",
            "email",
            "region",
            "organisation",
            "user",
            "active",
            "notes",
        ]
        widgets = {"notes": textarea()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = PlaceField(
            user=user, levels=(Level.KABUPATEN, Level.KECAMATAN, Level.DESA), label=_("Area")
        )
        self.order_fields(["kind", "name", "nik", "phone", "email", "region"])
        self.fields["nik"].validators.append(nik_validator)
        self.fields["phone"].validators.append(phone_validator)
        organisation: Any = self.fields["organisation"]
        organisation.queryset = MonitoringOrganisation.objects.visible_to(user).order_by("name")
        account: Any = self.fields["user"]
        linked = Cadre.objects.exclude(pk=self.instance.pk).filter(user__isnull=False).values("user_id")
        account.queryset = (
            User.objects.filter(role=Role.KADER, is_active=True).exclude(pk__in=linked).order_by("username")
        )
        account.label_from_instance = lambda u: u.get_username()
        account.help_text = _("A Kader / Pemantau account; with it the cadre sends field information.")

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region")
        if region is None:
            raise ValidationError(_("Choose the cadre's area."))
        return region


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("Training"), max_length=200)
    start_date = date_field(_("From"))
    end_date = date_field(_("Until"), required=False)
    organiser = forms.CharField(label=_("Organiser"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end is before the start."))
        return data


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = MonitoringOrganisation
        fields = [
            "name",
            "accreditation_number",
            "accreditation_date",
            "contact_person",
            "contact_phone",
            "contact_email",
            "region",
            "members_count",
            "active",
        ]
        widgets = {"accreditation_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = PlaceField(
            user=user, levels=(Level.KABUPATEN, Level.KECAMATAN, Level.DESA), label=_("Area")
        )
        self.order_fields(["name", "accreditation_number", "accreditation_date", "region"])
        self.fields["contact_phone"].validators.append(phone_validator)

    def clean_region(self) -> Region:
        region = self.cleaned_data.get("region")
        if region is None:
            raise ValidationError(_("Choose the organisation's area."))
        return region


# --- a cadre's field information -----------------------------------------------------------------


class FieldReportForm(forms.Form):
    """What, where, when, and a photo if there is one: short enough for a phone on a weak signal."""

    what = forms.CharField(
        label=_("What happened?"),
        widget=textarea(5),
        max_length=5000,
        help_text=_("Who, what, how. e.g. envelopes of money handed out after a campaign meeting."),
    )
    when = date_field(_("When?"))
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, cadre: Cadre, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"when": today_local()})
        super().__init__(*args, **kwargs)
        self.fields["desa"] = forms.ChoiceField(
            label=_("Where? (desa/kelurahan)"), choices=self._desa_choices(cadre)
        )
        if len(office_election_types()) > 1:
            # Handling both, the cadre says which, as the public does: the temuan taken up from it
            # keeps its election, and a Pilkada tip taken for a Pemilu one would count hari kerja.
            self.fields["election_type"] = election_field()
        self.order_fields(["election_type", "what", "desa", "when", "photo"])

    @staticmethod
    def _desa_choices(cadre: Cadre) -> list[Any]:
        """Every desa of the cadre's kabupaten, the cadre's own kecamatan first."""
        office = ".".join(cadre.region_id.split(".")[:2])
        own = ".".join(cadre.region_id.split(".")[:3])
        kecamatan = dict(
            Region.objects.filter(level=Level.KECAMATAN, code__startswith=office + ".").values_list(
                "code", "name"
            )
        )
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, name, parent in (
            Region.objects.filter(level=Level.DESA, code__startswith=office + ".")
            .order_by("name")
            .values_list("code", "name", "parent_id")
        ):
            groups.setdefault(parent, []).append((code, name))
        order = sorted(groups, key=lambda c: (c != own, kecamatan.get(c, c)))
        return [("", "—"), *[(kecamatan.get(c, c), groups[c]) for c in order]]

    def clean_when(self) -> dt.date:
        when: dt.date = self.cleaned_data["when"]
        if when > today_local():
            raise ValidationError(_("The date cannot be in the future."))
        return when

    def clean_photo(self) -> UploadedFile | None:
        photo = self.cleaned_data.get("photo")
        if photo:
            checked_files([photo])
        return photo

    def desa_region(self) -> Region:
        return Region.objects.get(code=self.cleaned_data["desa"])

    def photo_upload(self) -> Upload | None:
        photo = self.cleaned_data.get("photo")
        return Upload(data=photo, name=photo.name or "foto") if photo else None
