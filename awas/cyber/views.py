"""Pages of cyber supervision: the review queue, capture and import, a post with its captures,
labels and author matches, escalation to a temuan, take-down requests and their letters, sources,
campaign accounts and the classifier's versions. Who may open which is in
``awas.cyber.permissions``; every record is read through the user's region scope."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from awas.asn.services import import_kabupaten, persons_listed
from awas.cases import permissions as case_permissions
from awas.cases.formatting import today_local
from awas.cases.models import Case
from awas.core.access import allow
from awas.core.documents import document_response, file_safe
from awas.core.services.deadlines import office_election_type
from awas.core.services.evidence import EvidenceRejected, evidence_open
from awas.cyber import forms, permissions, selectors
from awas.cyber.labels import LABEL_TITLES, label_title
from awas.cyber.letters import takedown_docx, takedown_pdf
from awas.cyber.models import (
    AuthorMatch,
    Capture,
    ClassifierModel,
    LabelDecision,
    MatchStatus,
    Post,
    PostLabel,
    SourceKind,
    TakedownRequest,
    TakedownStatus,
)
from awas.cyber.services import posts as post_services
from awas.cyber.services import review
from awas.cyber.sources import COLUMNS, ImportProblems, SourceError

PAGE_SIZE = 50

# The app's sub-menu: (URL name, title, roles).
PAGES = (
    ("cyber:queue", gettext_lazy("Review queue"), permissions.VIEW),
    ("cyber:capture", gettext_lazy("Capture a post"), permissions.ACT),
    ("cyber:import", gettext_lazy("Import a file"), permissions.ACT),
    ("cyber:takedowns", gettext_lazy("Take-down requests"), permissions.VIEW),
    ("cyber:sources", gettext_lazy("Sources"), permissions.ACT),
    ("cyber:campaign_accounts", gettext_lazy("Campaign accounts"), permissions.ACT),
    ("cyber:models", gettext_lazy("Classifier models"), permissions.MODELS),
)


def _user(request: HttpRequest) -> Any:
    return request.user


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    role = getattr(_user(request), "role", None)
    nav = []
    for name, label, roles in PAGES:
        if role in roles:
            url = reverse(name)
            nav.append({"url": url, "label": label, "active": request.path == url})
    context = {"cyber_nav": nav, "acts": permissions.acts_on_posts(_user(request)), **context}
    return render(request, template, context, status=status)


def _errors(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def _office(request: HttpRequest) -> Any:
    """The kabupaten/kota of the user's office: where new posts, sources and accounts belong."""
    return import_kabupaten(_user(request))


# --- the review queue ----------------------------------------------------------------------------


@allow(permissions.VIEW)
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.QueueFilterForm(request.GET or None)
    filters = selectors.QueueFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            review_status=data["status"], label=data["label"], platform=data["platform"], q=data["q"]
        )
    page = Paginator(selectors.post_queue(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    for post in page:
        post.top_label_title = label_title(post.top_label) if post.top_label else ""  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    return _render(request, "cyber/queue.html", {"form": form, "page": page, "query": query.urlencode()})


# --- capture and import --------------------------------------------------------------------------


@allow(permissions.ACT)
def capture(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    office = _office(request)
    form = forms.CaptureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if office is None:
            form.add_error(None, _("Your scope is not a kabupaten/kota office; ask the administrator."))
        else:
            upload = form.cleaned_data["screenshot"]
            try:
                result = post_services.post_capture(
                    raw=form.raw(),
                    region=office,
                    actor=user,
                    screenshot=upload,
                    screenshot_name=upload.name if upload else "",
                )
            except EvidenceRejected as error:
                form.add_error("screenshot", error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if result.capture is None:
                    messages.info(request, _("This post was captured before and has not changed."))
                elif result.new_post:
                    messages.success(request, _("Post captured."))
                else:
                    messages.success(
                        request,
                        _("The post had changed: version %(version)d captured.")
                        % {"version": result.capture.version},
                    )
                return redirect("cyber:post", pk=result.post.pk)
    return _render(request, "cyber/capture.html", {"form": form, "office": office})


TEMPLATE_CSV = (
    "platform,url,author_handle,author_name,text,posted_at,likes,comments,shares,views\r\n"
    "facebook,https://www.facebook.com/contoh/posts/1,contoh.akun,Nama Pemilik Akun,"
    '"Isi unggahan persis seperti terlihat, termasuk ejaan dan emoji",26/11/2026 14:05,120,15,3,\r\n'
    "tiktok,https://www.tiktok.com/@contoh/video/2,contoh,,Teks video,"
    "2026-11-26T19:30:00+07:00,2.5rb,40,,10rb\r\n"
)


@allow(permissions.ACT)
def batch_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    office = _office(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and office is not None:
        upload = form.cleaned_data["file"]
        try:
            result = post_services.batch_import(
                data=upload.read(), filename=upload.name, region=office, actor=user
            )
        except ImportProblems as error:
            problems = list(error.problems)
        except ValidationError as error:
            problems = list(error.messages)
        else:
            messages.success(
                request,
                _(
                    "File imported: %(rows)d rows, %(new_posts)d new posts, %(new_versions)d new versions, "
                    "%(unchanged)d unchanged."
                )
                % {
                    "rows": result.posts,
                    "new_posts": result.new_posts,
                    "new_versions": result.new_versions,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("cyber:queue")
    return _render(
        request,
        "cyber/import.html",
        {"form": form, "problems": problems, "office": office, "columns": list(COLUMNS)},
    )


@allow(permissions.ACT)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(TEMPLATE_CSV.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-unggahan-siber.csv"'
    return response


# --- one post ------------------------------------------------------------------------------------


def _post(request: HttpRequest, pk: int) -> Post:
    return get_object_or_404(selectors.posts_visible(_user(request)).select_related("case"), pk=pk)


def _has_sign(label: PostLabel) -> bool:
    """A label worth the reviewer's eye: some score, a flag, or a decision already made."""
    return label.score > 0 or label.flagged or label.decision != LabelDecision.PENDING


def _post_page(
    request: HttpRequest,
    post: Post,
    *,
    escalate_form: forms.EscalateForm | None = None,
    takedown_form: forms.TakedownForm | None = None,
    correction_form: forms.CorrectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    captures = list(selectors.post_captures(post))
    latest = captures[0] if captures else None
    labels = list(selectors.post_labels(post))
    for label in labels:
        label.title = label_title(label.label)  # type: ignore[attr-defined]
    case = post.case
    case_url = ""
    if (
        case is not None
        and user.role in case_permissions.VIEW
        and Case.objects.visible_to(user).filter(pk=case.pk).exists()
    ):
        case_url = reverse("cases:detail", kwargs={"pk": case.pk})
    matches = list(selectors.post_matches(post))
    # The persons of the ASN register the author was matched to, by name, jabatan and instansi:
    # a read of the register, in the audit log as the register's own pages are (UU 27/2022).
    persons_listed(persons=[m.person for m in matches if m.person], actor=user, listing="post_matches")
    return _render(
        request,
        "cyber/post.html",
        {
            "post": post,
            "captures": captures,
            "latest": latest,
            # Labels with a sign (a score, a flag or a decision) first; the rest folded away.
            "labels": [lbl for lbl in labels if _has_sign(lbl)],
            "other_labels": [lbl for lbl in labels if not _has_sign(lbl)],
            "matches": matches,
            "takedowns": list(post.takedowns.order_by("-letter_date", "-pk")),
            "case": case,
            "case_url": case_url,
            "risk_boost": round(post_services.MATCHED_AUTHOR_BOOST * 100),
            "case_evidence": selectors.post_case_evidence(post),
            "has_confirmed": any(lbl.decision == LabelDecision.CONFIRMED for lbl in labels),
            "escalate_form": escalate_form or forms.EscalateForm(),
            "takedown_form": takedown_form or forms.TakedownForm(),
            "correction_form": correction_form
            or forms.CorrectionForm(initial={"text": latest.text if latest else ""}),
            "decisions": LabelDecision,
            "match_status": MatchStatus,
            "today": today_local(),
        },
        status=status,
    )


@allow(permissions.VIEW)
def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_page(request, _post(request, pk))


@allow(permissions.VIEW)
def screenshot(request: HttpRequest, pk: int, capture_pk: int) -> HttpResponseBase:
    post = _post(request, pk)
    item = get_object_or_404(
        Capture.objects.select_related("screenshot"), pk=capture_pk, post=post, screenshot__isnull=False
    )
    evidence = item.screenshot
    assert evidence is not None
    post_services.screenshot_opened(capture=item, actor=_user(request))
    response = FileResponse(
        evidence_open(evidence),
        content_type=evidence.content_type,
        filename=evidence.original_name or f"tangkapan-{evidence.sha256[:12]}",
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline")
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _back(post: Post, anchor: str = "") -> HttpResponse:
    return redirect(reverse("cyber:post", kwargs={"pk": post.pk}) + (f"#{anchor}" if anchor else ""))


@allow(permissions.ACT)
@require_POST
def label_decide(request: HttpRequest, pk: int, label_pk: int) -> HttpResponse:
    post = _post(request, pk)
    label = get_object_or_404(PostLabel, pk=label_pk, post=post)
    try:
        review.label_decide(label=label, decision=request.POST.get("decision", ""), actor=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("“%(label)s”: decision saved.") % {"label": label_title(label.label)})
    return _back(post, "labels")


@allow(permissions.ACT)
@require_POST
def match_decide(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    post = _post(request, pk)
    match = get_object_or_404(AuthorMatch, pk=match_pk, post=post)
    try:
        review.match_decide(match=match, status=request.POST.get("status", ""), actor=_user(request))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Author match: decision saved."))
    return _back(post, "matches")


@allow(permissions.ACT)
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = forms.EscalateForm(request.POST)
    if form.is_valid():
        try:
            case = review.post_escalate(
                post=post,
                actor=_user(request),
                note=form.cleaned_data["note"],
                election_type=form.cleaned_data["election_type"] or office_election_type(),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("Escalated: temuan %(number)s created.") % {"number": case})
            return _back(post, "temuan")
    post.refresh_from_db()
    return _post_page(request, post, escalate_form=form)


@allow(permissions.ACT)
@require_POST
def takedown_create(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = forms.TakedownForm(request.POST)
    if form.is_valid():
        try:
            created = review.takedown_request(
                post=post,
                addressee=form.cleaned_data["addressee"],
                reason=form.cleaned_data["reason"],
                actor=_user(request),
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request,
                _("Take-down request %(number)s recorded; print the letter, sign it and send it.")
                % {"number": created.number},
            )
            return _back(post, "takedowns")
    return _post_page(request, post, takedown_form=form)


@allow(permissions.ACT)
@require_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    form = forms.CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["screenshot"]
        try:
            corrected = post_services.capture_correct(
                post=post,
                text=form.cleaned_data["text"].replace("\r\n", "\n"),
                reason=form.cleaned_data["reason"],
                actor=_user(request),
                screenshot=upload,
                screenshot_name=upload.name if upload else "",
            )
        except EvidenceRejected as error:
            form.add_error("screenshot", error)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(
                request, _("Correction saved as version %(version)d.") % {"version": corrected.version}
            )
            return _back(post, "captures")
    return _post_page(request, post, correction_form=form)


# --- take-down requests ------------------------------------------------------------------------


@allow(permissions.VIEW)
def takedowns(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    today = today_local()
    overdue = request.GET.get("terlambat") == "1"
    rows = selectors.takedown_list(user, overdue_on=today if overdue else None)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        "cyber/takedowns.html",
        {
            "page": page,
            "overdue": overdue,
            "today": today,
            "sent": TakedownStatus.SENT,
            "overdue_count": selectors.takedown_list(user, overdue_on=today).count(),
        },
    )


def _takedown(request: HttpRequest, pk: int) -> TakedownRequest:
    return get_object_or_404(
        selectors.takedowns_visible(_user(request)).select_related("post", "capture", "capture__screenshot"),
        pk=pk,
    )


@allow(permissions.ACT)
def takedown_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _takedown(request, pk)
    form = forms.TakedownAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review.takedown_answer(
                request=item,
                status=data["status"],
                answered_on=data["answered_on"],
                note=data["note"],
                actor=_user(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Answer to %(number)s recorded.") % {"number": item.number})
            return redirect("cyber:takedowns")
    return _render(request, "cyber/takedown_answer.html", {"form": form, "item": item})


@allow(permissions.VIEW)
def takedown_letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = _takedown(request, pk)
    review.takedown_letter_generated(request=item, document="pdf", actor=_user(request))
    return document_response(takedown_pdf(item), f"penurunan-konten-{file_safe(item.number)}.pdf")


@allow(permissions.VIEW)
def takedown_letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    item = _takedown(request, pk)
    review.takedown_letter_generated(request=item, document="docx", actor=_user(request))
    return document_response(takedown_docx(item), f"penurunan-konten-{file_safe(item.number)}.docx")


# --- sources and campaign accounts ---------------------------------------------------------------


@allow(permissions.ACT)
def sources(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    office = _office(request)
    form = forms.FeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if office is None:
            form.add_error(None, _("Your scope is not a kabupaten/kota office; ask the administrator."))
        else:
            data = form.cleaned_data
            try:
                source = post_services.feed_add(
                    name=data["name"], url=data["url"], platform=data["platform"], region=office, actor=user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Feed “%(name)s” added.") % {"name": source.name})
                return redirect("cyber:sources")
    return _render(
        request,
        "cyber/sources.html",
        {"form": form, "sources": selectors.sources_visible(user), "feed_kind": SourceKind.RSS},
    )


@allow(permissions.ACT)
@require_POST
def source_fetch(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(selectors.sources_visible(_user(request)), pk=pk, kind=SourceKind.RSS)
    try:
        result = post_services.source_fetch(source, actor=_user(request))
    except SourceError as error:
        messages.error(
            request, _("“%(name)s” could not be fetched: %(error)s") % {"name": source.name, "error": error}
        )
    else:
        messages.success(
            request,
            _(
                "“%(name)s” fetched: %(rows)d posts read, %(new_posts)d new, %(new_versions)d changed, "
                "%(unchanged)d unchanged."
            )
            % {
                "name": source.name,
                "rows": result.posts,
                "new_posts": result.new_posts,
                "new_versions": result.new_versions,
                "unchanged": result.unchanged,
            },
        )
    return redirect("cyber:sources")


@allow(permissions.ACT)
def campaign_accounts(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    office = _office(request)
    form = forms.CampaignAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if office is None:
            form.add_error(None, _("Your scope is not a kabupaten/kota office; ask the administrator."))
        else:
            data = form.cleaned_data
            try:
                account = post_services.campaign_account_add(
                    region=office,
                    platform=data["platform"],
                    handle=data["handle"],
                    holder=data["holder"],
                    url=data["url"],
                    registered_on=data["registered_on"],
                    actor=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Campaign account @%(handle)s added.") % {"handle": account.handle}
                )
                return redirect("cyber:campaign_accounts")
    return _render(
        request,
        "cyber/campaign_accounts.html",
        {"form": form, "accounts": selectors.campaign_accounts_visible(user)},
    )


# --- classifier models (read-only; training and activation are operator commands) -----------------


@allow(permissions.MODELS)
def models(request: HttpRequest) -> HttpResponse:
    rows = list(ClassifierModel.objects.select_related("created_by").order_by("name", "-version"))
    return _render(request, "cyber/models.html", {"rows": rows})


@allow(permissions.MODELS)
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = ClassifierModel.objects.select_related("created_by", "previous").filter(pk=pk).first()
    if model is None:
        raise Http404
    metrics = model.metrics if isinstance(model.metrics, dict) else {}
    per_label = metrics.get("labels", {}) if isinstance(metrics.get("labels"), dict) else {}
    labels = [
        {"code": code, "title": label_title(code) if code in LABEL_TITLES else code, **values}
        for code, values in per_label.items()
        if isinstance(values, dict)
    ]
    source = model.training_source if isinstance(model.training_source, dict) else {}
    return _render(
        request,
        "cyber/model_detail.html",
        {
            "model": model,
            "labels": labels,
            "metrics": metrics,
            "source": sorted((k, v) for k, v in source.items() if k != "model"),
            "activations": selectors.model_activations(model),
        },
    )
