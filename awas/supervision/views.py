"""Form A pages: list, type in, upload and review, read, print, suggested indicators, statistics."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awas.cases.permissions import VIEW as CASE_VIEW
from awas.core.access import allow
from awas.core.models.deadlines import ElectionType
from awas.core.services.deadlines import office_election_default
from awas.core.services.evidence import evidence_open
from awas.supervision import documents, permissions, selectors, services
from awas.supervision.forms import (
    AdditionForm,
    DiscardForm,
    FormAForm,
    SuggestionReviewForm,
    UploadForm,
)
from awas.supervision.models import Decision, FormA, FormAStatus

ADDITION_ROWS = 3


def _add_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@allow(permissions.VIEW)
def form_a_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    status = request.GET.get("status", "")
    if status not in FormAStatus.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    forms = selectors.form_a_list(user, status=status, query=query)
    context = {
        "page": Paginator(forms, 50).get_page(request.GET.get("page")),
        "status": status,
        "query": query,
        "statuses": FormAStatus.choices,
        "awaiting_review": selectors.form_a_awaiting_review(user).count()
        if user.role in permissions.REVIEW
        else 0,
        "can_create": user.role in permissions.ENTRY,
        "can_upload": user.role in permissions.UPLOAD,
        "can_stats": user.role in permissions.STATS,
    }
    return render(request, "supervision/list.html", context)


@allow(permissions.ENTRY)
def form_a_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = FormAForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.form_a_create(
                actor=user,
                location=form.location(),
                data=form.form_data(),
                attachments=form.cleaned_data.get("lampiran") or [],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Form A %(number)s is filed.") % {"number": report.number})
            if permissions.can_review(user, report):
                return redirect("supervision:review", pk=report.pk)
            return redirect("supervision:detail", pk=report.pk)
    return render(request, "supervision/form.html", {"form": form, "report": None})


@allow(permissions.UPLOAD)
def form_a_upload(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = UploadForm(request.POST or None, request.FILES or None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = services.form_a_upload(actor=user, files=form.cleaned_data["reports"])
        form = UploadForm()
    drafts = selectors.form_a_visible(user).filter(status=FormAStatus.DRAFT, created_by=user)[:50]
    return render(request, "supervision/upload.html", {"form": form, "results": results, "drafts": drafts})


@allow(permissions.VIEW)
def form_a_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    show_personal = permissions.can_see_personal(user, report)
    if show_personal:
        services.form_a_personal_read(form=report, actor=user, read="page")
    context = {
        "report": report,
        "show_personal": show_personal,
        "can_edit": permissions.can_edit(user, report),
        "can_review": permissions.can_review(user, report),
        "can_temuan": permissions.can_make_temuan(user, report),
        "can_open_temuan": user.role in CASE_VIEW,
        "election_types": ElectionType.choices,
        # Handling both elections, none is chosen beforehand: the officer must choose.
        "election_type": office_election_default(),
        "suggestions": selectors.suggestions_of(report),
        "attachments": report.attachments.select_related("evidence"),
        "indicator_names": selectors.indicator_names(),
        "discard_form": DiscardForm(),
        "sections": _sections(report),
    }
    return render(request, "supervision/detail.html", context)


def _sections(report: FormA) -> list[tuple[str, str, list[tuple[str, str, bool]]]]:
    """(roman, title, [(label, value, personal)]) for the read-only page."""
    from awas.supervision.forms import PERSONAL_FIELDS, SECTIONS

    out = []
    for roman, title, names in SECTIONS:
        rows = []
        for name in names:
            field = FormA._meta.get_field(name)
            value = getattr(report, f"get_{name}_display")() if name == "tahapan" else getattr(report, name)
            if isinstance(value, dt.date):
                value = date_format(value, "j F Y")  # as the report date above it, not "26 Nov. 2026"
            rows.append((str(getattr(field, "verbose_name", name)), value, name in PERSONAL_FIELDS))
        out.append((roman, str(title), rows))
    return out


@allow(permissions.UPLOAD | permissions.ENTRY | permissions.REVIEW)
def form_a_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    if not permissions.can_edit(user, report):
        raise PermissionDenied
    show_personal = permissions.can_see_personal(user, report)
    if show_personal and request.method == "GET":
        services.form_a_personal_read(form=report, actor=user, read="page")
    form = FormAForm(
        request.POST or None, request.FILES or None, instance=report, user=user, show_personal=show_personal
    )
    if request.method == "POST" and form.is_valid():
        was_draft = report.status == FormAStatus.DRAFT
        try:
            report = services.form_a_update(
                form=report,
                actor=user,
                location=form.location(),
                data=form.form_data(),
                attachments=form.cleaned_data.get("lampiran") or [],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if was_draft:
                messages.success(request, _("Form A %(number)s is filed.") % {"number": report.number})
            else:
                messages.success(request, _("The changes are saved."))
            if permissions.can_review(user, report):
                return redirect("supervision:review", pk=report.pk)
            return redirect("supervision:detail", pk=report.pk)
    return render(request, "supervision/form.html", {"form": form, "report": report})


@allow(permissions.UPLOAD | permissions.ENTRY)
def form_a_discard(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    if not permissions.can_edit(user, report) or report.status != FormAStatus.DRAFT:
        raise PermissionDenied
    form = DiscardForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    services.form_a_discard(form=report, actor=user, reason=reason)
    messages.success(request, _("The draft is set aside."))
    return redirect("supervision:upload")


@allow(permissions.VIEW)
def form_a_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    show_personal = permissions.can_see_personal(user, report)
    if show_personal:
        services.form_a_personal_read(form=report, actor=user, read="pdf")
    pdf = documents.form_a_pdf(report, show_personal=show_personal)
    name = f"form-a-{report.pk}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@allow(permissions.VIEW)
def form_a_source_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The uploaded original, byte for byte (it holds personal data: handling roles and the uploader)."""
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    if report.source_file is None:
        raise Http404
    if not permissions.can_see_personal(user, report):
        raise PermissionDenied
    services.form_a_personal_read(form=report, actor=user, read="source_file")
    evidence = report.source_file
    extension = ".pdf" if evidence.content_type == "application/pdf" else ".docx"
    return FileResponse(
        evidence_open(evidence),
        content_type=evidence.content_type,
        as_attachment=True,
        filename=f"form-a-{report.pk}-asli{extension}",
    )


def _review_forms(
    request: HttpRequest, report: FormA
) -> tuple[list[SuggestionReviewForm], list[AdditionForm]]:
    data = request.POST if request.method == "POST" else None
    pending = list(report.suggestions.filter(decision=Decision.PENDING).order_by("id"))
    suggestion_forms = [
        SuggestionReviewForm(data, prefix=f"s{s.pk}", suggestion=s, report=report) for s in pending
    ]
    additions = [AdditionForm(data, prefix=f"add{i}", report=report) for i in range(ADDITION_ROWS)]
    return suggestion_forms, additions


@allow(permissions.REVIEW)
def kejadian_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer decides each suggested indicator and may add others; only then are kejadian made."""
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    if not permissions.can_review(user, report):
        messages.info(
            request, _("The indicators of this report are already reviewed, or it is not filed yet.")
        )
        return redirect("supervision:detail", pk=report.pk)
    suggestion_forms, additions = _review_forms(request, report)
    errors: list[str] = []
    if request.method == "POST":
        valid = all(f.is_valid() for f in suggestion_forms) & all(f.is_valid() for f in additions)
        if valid:
            items = [
                services.ReviewItem(
                    suggestion=f.suggestion, keep=f.keep, choice=f.choice() if f.keep else None
                )
                for f in suggestion_forms
            ]
            extra = [f.choice() for f in additions if f.filled]
            try:
                made = services.kejadian_review(form=report, actor=user, items=items, additions=extra)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if report.is_rekap:
                    message = _("%(n)s kejadian recorded (recap report: kept, not counted in the IKP).")
                else:
                    message = _("%(n)s kejadian recorded.")
                messages.success(request, message % {"n": len(made)})
                return redirect("supervision:detail", pk=report.pk)
        else:
            errors = [_("Some rows need attention; see the messages below.")]
    context = {
        "report": report,
        "suggestion_forms": suggestion_forms,
        "additions": additions,
        "errors": errors,
        "indicator_names": selectors.indicator_names(),
        "show_personal": permissions.can_see_personal(user, report),
    }
    return render(request, "supervision/review.html", context)


@allow(permissions.TEMUAN)
def form_a_temuan(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    user: Any = request.user
    report = selectors.form_a_get(user, pk)
    made = report.temuan
    if made is not None and user.role in permissions.TEMUAN:
        # Clicked twice (or a colleague was quicker): the draft exists once; lead to it rather than
        # refuse, so nobody makes it again by hand or thinks the first click was lost.
        messages.info(
            request,
            _("A temuan draft was already made from this Form A (%(code)s).") % {"code": made.tracking_code},
        )
        return redirect("cases:detail", pk=made.pk)
    if not permissions.can_make_temuan(user, report):
        raise PermissionDenied
    try:
        # The Form A does not say under which law it was supervised: the officer says.
        chosen = request.POST.get("election_type", "")
        election_type = chosen if chosen in ElectionType.values else office_election_default()
        if election_type is None:  # handling both, the officer chose none
            raise ValidationError(_("Choose which election it is about."))
        case = services.form_a_to_temuan(form=report, election_type=election_type, actor=user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("A temuan draft is recorded in violation handling (%(code)s).")
            % {"code": getattr(case, "tracking_code", case.pk)},
        )
        return redirect("cases:detail", pk=case.pk)  # where the temuan is handled next
    return redirect("supervision:detail", pk=report.pk)


@allow(permissions.STATS)
def suggestion_stats(request: HttpRequest) -> HttpResponse:
    from awas.supervision.models import SuggestionModel, SuggestionSource

    stats = selectors.suggestion_stats()
    context = {
        "stats": stats,
        "sources": dict(SuggestionSource.choices),
        "indicator_names": selectors.indicator_names(),
        "model": SuggestionModel.objects.filter(active=True).order_by("-created_at").first(),
        "min_reports": services.suggest.MIN_REVIEWED_REPORTS,
        "min_positives": services.suggest.MIN_POSITIVES,
        "threshold": services.suggest.MODEL_THRESHOLD,
    }
    return render(request, "supervision/stats.html", context)
