"""Pages of prevention and participation. Thin: read through selectors, write through services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awas.cases.formatting import BULAN, today_local
from awas.core.access import allow
from awas.core.compression import compressed_page
from awas.core.documents import document_response
from awas.core.roles import Level
from awas.core.services.evidence import EvidenceRejected, evidence_open
from awas.outreach import documents, exports, permissions, selectors, services
from awas.outreach.forms import (
    ActivityForm,
    CadreForm,
    CategoryForm,
    EvidenceForm,
    FieldReportForm,
    LetterForm,
    OrganisationForm,
    PlanEverywhereForm,
    StatusForm,
    TrainingForm,
)
from awas.outreach.models import (
    Activity,
    ActivityEvidence,
    ActivityKind,
    ActivityStatus,
    Cadre,
    CadreKind,
    CadreTraining,
    ImbauanLetter,
    MonitoringOrganisation,
    RecipientKind,
)

RECORDED_KINDS = (ActivityKind.SOSIALISASI, ActivityKind.SCHOOL, ActivityKind.PATROL)
REPORT_MONTHS = 3  # months of cadre reports shown on the registry


def _user(request: HttpRequest) -> Any:
    return request.user


def _date(value: str | None) -> dt.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """The period asked for (?dari=, ?sampai=), by default the current year."""
    today = today_local()
    start = _date(request.GET.get("dari")) or dt.date(today.year, 1, 1)
    end = _date(request.GET.get("sampai")) or dt.date(today.year, 12, 31)
    return (start, end) if start <= end else (end, start)


def _export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("ekspor", "")
    return fmt if fmt in exports.FORMATS else ""


def _common(request: HttpRequest, **context: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "may_record": permissions.may_record(user),
        "may_manage": permissions.may_manage(user),
        "personal": permissions.sees_personal_data(user),
        **context,
    }


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    activity = selectors.activity_detail(_user(request), pk)
    if activity is None:
        raise Http404
    return activity


# --- activities ----------------------------------------------------------------------------------


@allow(permissions.VIEW)
def activity_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = {
        "kind": request.GET.get("jenis", ""),
        "status": request.GET.get("status", ""),
        "kecamatan": request.GET.get("kecamatan", ""),
        "text": request.GET.get("q", "").strip(),
    }
    start, end = _date(request.GET.get("dari")), _date(request.GET.get("sampai"))
    activities = selectors.activities_for(user, start=start, end=end, **filters)
    if fmt := _export_format(request):
        rows = list(activities.select_related("school", "patrol", "letter"))
        return exports.export_response(
            fmt,
            stem="kegiatan-pencegahan",
            title=_("Prevention activities"),
            tables=[exports.activity_table(rows, personal=permissions.sees_personal_data(user))],
        )
    page = Paginator(activities, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/activity_list.html",
        _common(
            request,
            page=page,
            filters=filters,
            start=start,
            end=end,
            query=query.urlencode(),
            kinds=ActivityKind.choices,
            statuses=ActivityStatus.choices,
            kecamatan=selectors.kecamatan_choices(user),
            recorded_kinds=[(k.value, k.label) for k in RECORDED_KINDS],
        ),
    )


def _save_activity(request: HttpRequest, form: ActivityForm, activity: Activity | None) -> Activity | None:
    """Call the service; a refusal it raises lands on the form, which then comes back as typed."""
    user = _user(request)
    try:
        if activity is None:
            return services.activity_create(
                actor=user,
                data=form.activity_data(),
                school=form.school_data(),
                patrol=form.patrol_data(),
                uploads=form.uploads(),
            )
        return services.activity_update(
            activity,
            actor=user,
            data=form.activity_data(),
            school=form.school_data(),
            patrol=form.patrol_data(),
            uploads=form.uploads(),
        )
    except EvidenceRejected as refused:
        form.add_error("photos", refused.messages[0])
    except ValidationError as refused:
        form.add_error(None, refused)
    return None


@allow(permissions.RECORD)
def activity_create(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("jenis", "")
    if kind == ActivityKind.IMBAUAN:
        return redirect("outreach:letter_create")
    if kind not in RECORDED_KINDS:
        return render(
            request,
            "outreach/activity_kind.html",
            _common(request, recorded_kinds=[(k.value, k.label) for k in RECORDED_KINDS]),
        )
    user = _user(request)
    form = ActivityForm(request.POST or None, request.FILES or None, user=user, kind=kind)
    if request.method == "POST" and form.is_valid():
        activity = _save_activity(request, form, None)
        if activity is not None:
            messages.success(request, _("The activity is recorded."))
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(
        request,
        "outreach/activity_form.html",
        _common(request, form=form, kind=kind, kind_label=ActivityKind(kind).label, activity=None),
    )


@allow(permissions.RECORD)
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    if activity.kind == ActivityKind.IMBAUAN:
        return redirect("outreach:letter_edit", pk=activity.pk)
    user = _user(request)
    form = ActivityForm(
        request.POST or None, request.FILES or None, user=user, kind=activity.kind, instance=activity
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_activity(request, form, activity)
        if saved is not None:
            messages.success(request, _("The activity is updated."))
            return redirect("outreach:activity_detail", pk=saved.pk)
    return render(
        request,
        "outreach/activity_form.html",
        _common(
            request, form=form, kind=activity.kind, kind_label=activity.get_kind_display(), activity=activity
        ),
    )


@allow(permissions.MANAGE)
def activity_plan_all(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PlanEverywhereForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.activity_plan_everywhere(
                actor=user,
                kecamatan=form.kecamatan_regions(),
                title=data["title"],
                planned_date=data["planned_date"],
                mode=data["mode"],
                venue=data.get("venue", ""),
                notes=data.get("notes", ""),
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("%(n)s sosialisasi planned, one in each chosen kecamatan.") % {"n": len(created)},
            )
            return redirect(f"{reverse('outreach:activity_list')}?jenis={ActivityKind.SOSIALISASI}")
    return render(request, "outreach/plan_all.html", _common(request, form=form))


def _detail_context(request: HttpRequest, activity: Activity, **forms: Any) -> dict[str, Any]:
    user = _user(request)
    patrol = getattr(activity, "patrol", None)
    status_initial = {
        "status": activity.status,
        "done_date": activity.done_date or today_local(),
        "attendance": activity.attendance,
    }
    return _common(
        request,
        activity=activity,
        files=activity.evidence.select_related("evidence"),
        school=getattr(activity, "school", None),
        patrol=patrol,
        participants=patrol.participants.all() if patrol else [],
        route_desa=patrol.route_desa.order_by("name") if patrol else [],
        route_tps=patrol.route_tps.select_related("desa").order_by("desa__name", "number") if patrol else [],
        letter=getattr(activity, "letter", None),
        status_form=forms.get("status_form") or StatusForm(initial=status_initial),
        evidence_form=forms.get("evidence_form") or EvidenceForm(),
        attendees=[line for line in activity.attendees.splitlines() if line.strip()]
        if permissions.sees_personal_data(user)
        else [],
    )


@allow(permissions.VIEW)
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    return render(request, "outreach/activity_detail.html", _detail_context(request, activity))


@require_POST
@allow(permissions.RECORD)
def activity_status(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_set_status(
                activity,
                actor=_user(request),
                status=data["status"],
                done_date=data.get("done_date"),
                attendance=data.get("attendance"),
                reason=data.get("reason", ""),
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request, _("The status is now: %(status)s.") % {"status": activity.get_status_display()}
            )
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(
        request,
        "outreach/activity_detail.html",
        _detail_context(request, activity, status_form=form),
        status=400,
    )


@require_POST
@allow(permissions.RECORD)
def activity_evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            links = services.activity_attach(activity, actor=_user(request), uploads=form.uploads())
        except EvidenceRejected as refused:
            form.add_error("attachments", refused.messages[0])
        else:
            messages.success(request, _("%(n)s file(s) added.") % {"n": len(links)})
            return redirect("outreach:activity_detail", pk=activity.pk)
    return render(
        request,
        "outreach/activity_detail.html",
        _detail_context(request, activity, evidence_form=form),
        status=400,
    )


@allow(permissions.VIEW)
def activity_evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    link = get_object_or_404(
        ActivityEvidence.objects.select_related("evidence"),
        pk=pk,
        activity__in=Activity.objects.visible_to(_user(request)),
    )
    evidence = link.evidence
    inline = evidence.content_type.startswith("image/") or evidence.content_type == "application/pdf"
    return FileResponse(
        evidence_open(evidence),
        as_attachment=not inline,
        filename=link.name,
        content_type=evidence.content_type,
    )


# --- calendar ------------------------------------------------------------------------------------


@allow(permissions.VIEW)
def activity_calendar(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = today_local()
    year, month = today.year, today.month
    if raw := request.GET.get("bulan", ""):
        try:
            year, month = (int(part) for part in raw.split("-", 1))
            dt.date(year, month, 1)
        except (TypeError, ValueError):
            year, month = today.year, today.month
    kind, kecamatan = request.GET.get("jenis", ""), request.GET.get("kecamatan", "")
    weeks = selectors.calendar_month(user, year, month, kind=kind, kecamatan=kecamatan, today=today)
    previous = dt.date(year, month, 1) - dt.timedelta(days=1)
    following = dt.date(year, month, 28) + dt.timedelta(days=4)
    keep = "&".join(f"{k}={v}" for k, v in (("jenis", kind), ("kecamatan", kecamatan)) if v)
    return render(
        request,
        "outreach/calendar.html",
        _common(
            request,
            weeks=weeks,
            month_label=f"{BULAN[month - 1]} {year}",
            previous=f"{previous:%Y-%m}",
            following=f"{following:%Y-%m}",
            current=f"{year:04d}-{month:02d}",
            keep=keep,
            kind=kind,
            kecamatan_code=kecamatan,
            kinds=ActivityKind.choices,
            kecamatan=selectors.kecamatan_choices(user),
        ),
    )


# --- coverage ------------------------------------------------------------------------------------


@allow(permissions.VIEW)
@compressed_page  # 27 KB: counts per kecamatan or desa, nothing personal
def coverage(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    start, end = _period(request)
    # A PKD's area is one desa: it has no kecamatan row to show.
    own_level = user.scope_region.level if user.scope_region else Level.KABUPATEN
    wants_desa = request.GET.get("tingkat") == "desa" or own_level >= Level.DESA
    level = Level.DESA if wants_desa else Level.KECAMATAN
    kind, kecamatan = request.GET.get("jenis", ""), request.GET.get("kecamatan", "")
    rows = selectors.coverage_rows(user, level=level, start=start, end=end, kind=kind, kecamatan=kecamatan)
    uncovered = selectors.uncovered_high(rows)
    ranking = selectors.where_next(rows)
    if fmt := _export_format(request):
        return exports.export_response(
            fmt,
            stem="cakupan-pencegahan",
            title=_("Prevention coverage"),
            subtitle=_("Period %(start)s – %(end)s")
            % {"start": f"{start:%d-%m-%Y}", "end": f"{end:%d-%m-%Y}"},
            tables=exports.coverage_tables(rows, uncovered, ranking),
        )
    return render(
        request,
        "outreach/coverage.html",
        _common(
            request,
            rows=rows,
            uncovered=uncovered,
            ranking=ranking[:15],
            chart=selectors.coverage_chart(rows) if level == Level.KECAMATAN else None,
            level=level,
            start=start,
            end=end,
            kind=kind,
            kecamatan_code=kecamatan,
            kinds=ActivityKind.choices,
            kecamatan=selectors.kecamatan_choices(user),
            weights=selectors.CATEGORY_WEIGHT,
            unmapped_weight=selectors.UNMAPPED_WEIGHT,
            mapped=sum(1 for r in rows if r.category),
            from_ikp=sum(1 for r in rows if r.category_source == selectors.SOURCE_IKP),
        ),
    )


@allow(permissions.VIEW)
@compressed_page  # 28 KB: the office's categories and its staff's notes on them, nothing personal
def categories(request: HttpRequest) -> HttpResponse:
    """The office's own vulnerability categories, typed in until the IKP scores replace them."""
    user = _user(request)
    form = CategoryForm(request.POST or None, user=user)
    if request.method == "POST":
        if not permissions.may_manage(user):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["category"]:
                    services.manual_category_set(
                        actor=user,
                        region=data["region"],
                        category=data["category"],
                        source_note=data["source_note"],
                    )
                else:
                    services.manual_category_clear(actor=user, region=data["region"])
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request, _("The category of %(place)s is saved.") % {"place": data["region"].display_name}
                )
                return redirect("outreach:categories")
    rows = selectors.manual_categories_for(user)
    if fmt := _export_format(request):
        return exports.export_response(
            fmt,
            stem="kategori-kerawanan",
            title=_("Vulnerability categories entered by the office"),
            tables=[exports.category_table(list(rows))],
        )
    return render(request, "outreach/categories.html", _common(request, form=form, rows=rows))


# --- imbauan letters -----------------------------------------------------------------------------


def _letter_or_404(request: HttpRequest, pk: int) -> ImbauanLetter:
    activity = _activity_or_404(request, pk)
    letter = getattr(activity, "letter", None)
    if letter is None:
        raise Http404
    return letter


@allow(permissions.MANAGE)
@compressed_page  # 30 KB, mostly the desa list: a blank letter (a template chosen comes by query string)
def letter_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    initial: dict[str, Any] = {"planned_date": today_local(), "region": user.scope_region_id}
    recipient_kind = request.GET.get("penerima", "")
    if recipient_kind in RecipientKind.values and user.scope_region is not None:
        subject, body = services.letter_template(
            recipient_kind, region=user.scope_region, year=today_local().year
        )
        initial.update(recipient_kind=recipient_kind, subject=subject, body=body)
        if recipient_kind == RecipientKind.BUPATI:
            office = services.office_region(user.scope_region_id)
            initial["recipient"] = f"Bupati {office.name.replace('Kabupaten ', '')}" if office else "Bupati"
    form = LetterForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_create(actor=user, data=form.letter_data())
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The letter is saved as a draft. Issue it to give it a number."))
            return redirect("outreach:activity_detail", pk=letter.pk)
    return render(
        request,
        "outreach/letter_form.html",
        _common(
            request, form=form, letter=None, recipient_kinds=RecipientKind.choices, chosen=recipient_kind
        ),
    )


@allow(permissions.MANAGE)
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    user = _user(request)
    activity = letter.activity
    initial = {
        "recipient_kind": letter.recipient_kind,
        "recipient": letter.recipient,
        "recipient_place": letter.recipient_place,
        "region": activity.region_id,
        "planned_date": activity.planned_date,
        "subject": letter.subject,
        "body": letter.body,
        "signer_name": letter.signer_name,
        "signer_title": letter.signer_title,
        "notes": activity.notes,
    }
    form = LetterForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(letter, actor=user, data=form.letter_data())
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The letter is updated."))
            return redirect("outreach:activity_detail", pk=letter.pk)
    return render(
        request,
        "outreach/letter_form.html",
        _common(request, form=form, letter=letter, recipient_kinds=RecipientKind.choices, chosen=""),
    )


@require_POST
@allow(permissions.MANAGE)
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    try:
        letter = services.letter_issue(letter, actor=_user(request))
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, _("The letter is issued as number %(number)s.") % {"number": letter.number})
    return redirect("outreach:activity_detail", pk=pk)


@allow(permissions.VIEW)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    return document_response(documents.letter_pdf(letter), documents.letter_filename(letter, "pdf"))


@allow(permissions.VIEW)
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    return document_response(documents.letter_docx(letter), documents.letter_filename(letter, "docx"))


# --- cadres --------------------------------------------------------------------------------------


@allow(permissions.VIEW)
def cadre_list(request: HttpRequest) -> HttpResponse:
    """With personal data for the office's prevention roles; as counts for everyone else (UU 27/2022)."""
    user = _user(request)
    personal = permissions.sees_personal_data(user)
    summary = selectors.cadre_summary(user)
    months = selectors.recent_months(REPORT_MONTHS)
    fmt = _export_format(request)
    if not personal:
        if fmt:
            return exports.export_response(
                fmt,
                stem="kader-rekap",
                title=_("Cadres (counts)"),
                tables=exports.cadre_summary_tables(summary),
            )
        return render(request, "outreach/cadre_list.html", _common(request, summary=summary, page=None))
    active = {"1": True, "0": False}.get(request.GET.get("aktif", ""))
    filters = {
        "kind": request.GET.get("jenis", ""),
        "kecamatan": request.GET.get("kecamatan", ""),
        "text": request.GET.get("q", "").strip(),
    }
    cadres = selectors.cadres_for(user, active=active, **filters)
    if fmt:
        rows = list(
            cadres.prefetch_related(
                Prefetch("trainings", queryset=CadreTraining.objects.order_by("start_date"))
            )
        )
        counts = selectors.cadre_report_counts([c.pk for c in rows], months)
        return exports.export_response(
            fmt, stem="kader", title=_("Cadres"), tables=[exports.cadre_table(rows, counts, months)]
        )
    page = Paginator(cadres, 50).get_page(request.GET.get("page"))
    counts = selectors.cadre_report_counts([c.pk for c in page], months)
    for cadre in page:
        cadre.report_counts = counts[cadre.pk]  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "outreach/cadre_list.html",
        _common(
            request,
            summary=summary,
            page=page,
            months=[f"{BULAN[m - 1][:3]} {y}" for y, m in months],
            filters=filters,
            active=request.GET.get("aktif", ""),
            kinds=CadreKind.choices,
            kecamatan=selectors.kecamatan_choices(user),
            query=query.urlencode(),
        ),
    )


def _cadre_or_404(request: HttpRequest, pk: int) -> Cadre:
    return get_object_or_404(
        Cadre.objects.visible_to(_user(request)).select_related("region", "organisation", "user"), pk=pk
    )


@allow(permissions.MANAGE)
@compressed_page  # 29 KB, mostly the desa list: a blank form
def cadre_create(request: HttpRequest) -> HttpResponse:
    return _cadre_form(request, Cadre())


@allow(permissions.MANAGE)
def cadre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _cadre_form(request, _cadre_or_404(request, pk))


def _cadre_form(request: HttpRequest, cadre: Cadre) -> HttpResponse:
    user = _user(request)
    form = CadreForm(request.POST or None, instance=cadre, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cadre_save(form.instance, actor=user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The cadre record is saved."))
            return redirect("outreach:cadre_detail", pk=form.instance.pk)
    return render(request, "outreach/cadre_form.html", _common(request, form=form, cadre=cadre))


@allow(permissions.PERSONAL)
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre_or_404(request, pk)
    months = selectors.recent_months(12)
    counts = selectors.cadre_report_counts([cadre.pk], months)[cadre.pk]
    return render(
        request,
        "outreach/cadre_detail.html",
        _common(
            request,
            cadre=cadre,
            trainings=cadre.trainings.all(),
            training_form=TrainingForm(),
            reports=selectors.field_reports_of(cadre)[:50],
            monthly=[(f"{BULAN[m - 1]} {y}", n) for (y, m), n in zip(months, counts["months"], strict=True)],
            total_reports=counts["total"],
        ),
    )


@require_POST
@allow(permissions.MANAGE)
def cadre_training_add(request: HttpRequest, pk: int) -> HttpResponse:
    cadre = _cadre_or_404(request, pk)
    form = TrainingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.cadre_training_add(
            cadre,
            actor=_user(request),
            name=data["name"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            organiser=data.get("organiser", ""),
        )
        messages.success(request, _("The training is added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("outreach:cadre_detail", pk=cadre.pk)


# --- monitoring organisations --------------------------------------------------------------------


@allow(permissions.VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    personal = permissions.sees_personal_data(user)
    organisations = selectors.organisations_for(user, text=request.GET.get("q", "").strip())
    if fmt := _export_format(request):
        return exports.export_response(
            fmt,
            stem="lembaga-pemantau",
            title=_("Monitoring organisations (pemantau)"),
            tables=[exports.organisation_table(list(organisations), personal=personal)],
        )
    return render(
        request,
        "outreach/organisation_list.html",
        _common(
            request,
            organisations=organisations,
            summary=selectors.organisation_summary(user),
            q=request.GET.get("q", ""),
        ),
    )


@allow(permissions.MANAGE)
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _organisation_form(request, MonitoringOrganisation())


@allow(permissions.MANAGE)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(MonitoringOrganisation.objects.visible_to(_user(request)), pk=pk)
    return _organisation_form(request, organisation)


def _organisation_form(request: HttpRequest, organisation: MonitoringOrganisation) -> HttpResponse:
    user = _user(request)
    form = OrganisationForm(request.POST or None, instance=organisation, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(form.instance, actor=user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("The organisation is saved."))
            return redirect("outreach:organisation_list")
    return render(
        request, "outreach/organisation_form.html", _common(request, form=form, organisation=organisation)
    )


# --- a cadre's field information -----------------------------------------------------------------


@allow(permissions.FIELD_REPORT)
def field_report(request: HttpRequest) -> HttpResponse:
    """The cadre's own page: send field information, see what was sent and where it stands."""
    user = _user(request)
    cadre = Cadre.objects.filter(user=user).select_related("region").first()
    if cadre is None or not cadre.active:
        return render(request, "outreach/field_report.html", {"cadre": None})
    form = FieldReportForm(request.POST or None, request.FILES or None, cadre=cadre)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.field_report_submit(
                user=user,
                what=form.cleaned_data["what"],
                desa=form.desa_region(),
                when=form.cleaned_data["when"],
                photo=form.photo_upload(),
                election_type=form.cleaned_data.get("election_type", ""),
            )
        except EvidenceRejected as refused:
            form.add_error("photo", refused.messages[0])
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                _("Thank you. Your information is received with code %(code)s.")
                % {"code": report.case.tracking_code},
            )
            return redirect("outreach:field_report")
    return render(
        request,
        "outreach/field_report.html",
        {"cadre": cadre, "form": form, "reports": selectors.field_reports_of(cadre)[:20]},
    )
