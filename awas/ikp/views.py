"""IKP pages: the vulnerability map and its exports, kejadian entry and import, frameworks.

Who may open which page: ``awas.ikp.permissions``. Every read goes through the selectors (scope),
every write through the services (rules and audit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awas.core.access import allow
from awas.core.compression import compressed_page
from awas.core.roles import Level
from awas.ikp import outputs, selectors, services
from awas.ikp.forms import (
    FrameworkCopyForm,
    FrameworkEditForm,
    FrameworkImportForm,
    KejadianDeleteForm,
    KejadianForm,
    KejadianImportForm,
    ScoreQueryForm,
    SensitivityForm,
)
from awas.ikp.mapimage import render_sparkline
from awas.ikp.models import Framework, Kejadian, Tahapan
from awas.ikp.permissions import (
    ANALYST_ROLES,
    FRAMEWORK_EDITORS,
    FRAMEWORK_READERS,
    KEJADIAN_IMPORTERS,
    KEJADIAN_READERS,
    KEJADIAN_WRITERS,
    MAP_ROLES,
)
from awas.ikp.services import FrameworkDefinitionError, FrameworkReadOnly, KejadianImportError
from awas.regions.models import Region

# Regions up to which the default sensitivity analysis runs by itself when a run is first shown
# (a few hundred milliseconds); above it, only on request.
AUTO_SENSITIVITY_LIMIT = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the map and its scores ----------------------------------------------------------------------


@dataclass
class ScoreRequest:
    form: ScoreQueryForm
    page: outputs.ScorePage | None
    problem: str = ""


def _score_request(request: HttpRequest, *, level: int | None = None) -> ScoreRequest:
    """The score run the query asks for (computed and stored when new), cut to the user's scope."""
    user: Any = request.user
    # A PKD or PTPS sees only its desa: the desa level is the one that shows it.
    scope = getattr(user, "scope_region_id", None) or ""
    default_level = Level.DESA if scope.count(".") >= 3 else Level.KECAMATAN
    form = ScoreQueryForm(
        request.GET, default=services.framework_default(actor=user), default_level=default_level
    )
    query = form.query()
    level = level or query.level
    area = selectors.score_area(user, level)
    if area is None:
        return ScoreRequest(form, None, _("Your account has no area at this level to score."))
    run = services.score_run_get_or_create(
        framework=query.framework,
        level=level,
        area=area,
        date_from=query.date_from,
        date_to=query.date_to,
        tahapan=query.tahapan,
        actor=user,
    )
    sensitivity = selectors.latest_sensitivity(run)
    if sensitivity is None and 1 < run.n_regions <= AUTO_SENSITIVITY_LIMIT:
        sensitivity = services.sensitivity_run_get_or_create(score_run=run, actor=user)
    data = selectors.run_data(run)
    colouring = selectors.Colouring.parse(query.colour, data)
    names = selectors.indicator_names(run.framework)
    rows = selectors.region_scores(data, selectors.visible_codes(user, data), colouring, names, sensitivity)
    return ScoreRequest(form, outputs.ScorePage(run, data, rows, colouring, names, sensitivity))


def _file_stem(page: outputs.ScorePage) -> str:
    level = {Level.KABUPATEN: "kabupaten", Level.KECAMATAN: "kecamatan", Level.DESA: "desa"}.get(
        Level(page.run.level), "wilayah"
    )
    return f"ikp-{level}-run{page.run.pk}"


@allow(MAP_ROLES)
@compressed_page  # 28-33 KB: scores and region names, nothing personal, nothing typed by anyone
def ikp_map(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scored = _score_request(request)
    page = scored.page
    context: dict[str, Any] = {
        "form": scored.form,
        "page": page,
        "problem": scored.problem,
        "query": request.GET.urlencode(),
        "can_analyse": user.role in ANALYST_ROLES,
        "can_record": user.role in KEJADIAN_WRITERS,
        "can_read_frameworks": user.role in FRAMEWORK_READERS,
        "sensitivity_form": SensitivityForm(),
    }
    if page is not None:
        context.update(
            {
                "run": page.run,
                "period": outputs.period_label(page.run),
                "tahapan": outputs.tahapan_label(page.run),
                "level_label": outputs.level_label(page.run.level),
                "colour_title": page.colouring.title(page.data, page.names),
                "legend": outputs.legend_items(page),
                "single_region": page.run.n_regions <= 1,
            }
        )
    return render(request, "ikp/map.html", context)


@allow(MAP_ROLES)
def map_data(request: HttpRequest) -> JsonResponse:
    """The map as GeoJSON: one feature per visible region, with its value, category and fill."""
    scored = _score_request(request)
    if scored.page is None:
        return JsonResponse({"type": "FeatureCollection", "features": [], "error": scored.problem})
    page = scored.page
    return JsonResponse(selectors.map_features(page.data, page.rows, page.colouring))


@allow(MAP_ROLES)
def region_detail(request: HttpRequest, kode: str) -> HttpResponse:
    """One region's breakdown: dimension scores, top indicators, monthly trend, sensitivity."""
    user: Any = request.user
    region = get_object_or_404(Region.objects.visible_to(user), code=kode)
    if region.level not in (Level.KABUPATEN, Level.KECAMATAN, Level.DESA):
        raise Http404
    scored = _score_request(request, level=region.level)
    page = scored.page
    if page is None or kode not in page.data.index:
        raise Http404
    row = next(r for r in page.rows if r.code == kode)
    i = page.data.index[kode]
    trend = selectors.monthly_trend(page.data, kode)
    sparkline = ""
    if trend and any(value for _month, value in trend):
        peak = max(value for _month, value in trend)
        sparkline = render_sparkline(
            [value for _month, value in trend],
            [month for month, _value in trend],
            max_label=_("max %(value)s") % {"value": formats.number_format(peak, 2)},
        )
    top = [
        {"number": n, "name": name, "points": points, "weighted": float(page.data.raw_column(n)[i])}
        for n, name, points in row.top
    ]
    context = {
        "row": row,
        "region": region,
        "page": page,
        "run": page.run,
        "dimensions": list(zip(page.data.dimension_names, row.dimensions, strict=True)),
        "top": top,
        "trend": trend,
        "sparkline": sparkline,
        "total": len(page.data.codes),
        "query": request.GET.urlencode(),
        "can_list_kejadian": user.role in KEJADIAN_READERS,
    }
    template = "ikp/_region_detail.html" if request.GET.get("partial") else "ikp/region.html"
    return render(request, template, context)


@allow(MAP_ROLES)
def export_png(request: HttpRequest) -> HttpResponse:
    page = _score_request(request).page
    if page is None:
        raise Http404
    return _attachment(outputs.map_png(page), "image/png", f"{_file_stem(page)}.png")


@allow(MAP_ROLES)
def export_svg(request: HttpRequest) -> HttpResponse:
    page = _score_request(request).page
    if page is None:
        raise Http404
    return _attachment(outputs.map_svg(page), "image/svg+xml", f"{_file_stem(page)}.svg")


@allow(ANALYST_ROLES)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    page = _score_request(request).page
    if page is None:
        raise Http404
    return _attachment(outputs.scores_xlsx(page), XLSX, f"{_file_stem(page)}.xlsx")


@allow(ANALYST_ROLES)
def report_pdf(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = _score_request(request).page
    if page is None:
        raise Http404
    pdf = outputs.report_pdf(page, author=user.get_username())
    return _attachment(pdf, "application/pdf", f"laporan-pemetaan-kerawanan-{_file_stem(page)}.pdf")


@allow(ANALYST_ROLES)
@require_POST
def sensitivity_run(request: HttpRequest) -> HttpResponse:
    """Run the Monte Carlo analysis with the parameters given, for the run the query names."""
    user: Any = request.user
    target = reverse("ikp:map") + (f"?{request.GET.urlencode()}" if request.GET else "")
    form = SensitivityForm(request.POST)
    page = _score_request(request).page
    if page is None or not form.is_valid():
        messages.error(request, _("The sensitivity analysis was not run: check its parameters."))
        return redirect(target)
    try:
        run = services.sensitivity_run_get_or_create(
            score_run=page.run,
            actor=user,
            parameters={
                "draws": form.cleaned_data["draws"],
                "concentration": form.cleaned_data["concentration"],
                "dimension_concentration": form.cleaned_data["dimension_concentration"],
                "percentile_share": form.cleaned_data["percentile_share"],
                "seed": form.cleaned_data["seed"],
            },
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(target)
    unstable = sum(run.results["unstable"])
    messages.success(
        request,
        _("Sensitivity analysis done: %(n)s of %(total)s regions have an unstable category.")
        % {"n": unstable, "total": len(run.results["unstable"])},
    )
    return redirect(target)


# --- kejadian ------------------------------------------------------------------------------------


@allow(KEJADIAN_READERS)
def kejadian_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    framework = services.framework_default(actor=user)
    names = selectors.indicator_names(framework)
    kecamatan = list(
        Region.objects.visible_to(user)
        .filter(level=Level.KECAMATAN)
        .order_by("code")
        .values_list("code", "name")
    )
    under = request.GET.get("wilayah", "")
    if under and not Region.objects.visible_to(user).filter(code=under).exists():
        under = ""
    indicator = request.GET.get("indikator", "")
    tahapan = request.GET.get("tahapan", "")
    qs = selectors.kejadian_list(
        user,
        under=under,
        indicator=int(indicator) if indicator.isdigit() else None,
        tahapan=tahapan if tahapan in Tahapan.values else "",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for kejadian in page:
        setattr(kejadian, "indicator_name", names.get(kejadian.indicator_number, ""))  # noqa: B010
    editable = set(
        selectors.kejadian_entry_regions(user)
        .filter(code__in={k.region_id for k in page})
        .values_list("code", flat=True)
    )
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "ikp/kejadian_list.html",
        {
            "page": page,
            "names": names,
            "kecamatan": kecamatan,
            "indicators": sorted(names.items()),
            "tahapan_choices": Tahapan.choices,
            "selected": {"wilayah": under, "indikator": indicator, "tahapan": tahapan},
            "query": filters.urlencode(),
            "can_record": user.role in KEJADIAN_WRITERS,
            "can_import": user.role in KEJADIAN_IMPORTERS,
            "editable": editable if user.role in KEJADIAN_WRITERS else set(),
        },
    )


def _kejadian_form_view(request: HttpRequest, kejadian: Kejadian | None) -> HttpResponse:
    user: Any = request.user
    framework = services.framework_default(actor=user)
    initial: dict[str, Any] = {}
    if kejadian is not None:
        initial = {
            "indicator_number": kejadian.indicator_number,
            "region": kejadian.region_id,
            "date": kejadian.date,
            "tahapan": kejadian.tahapan,
            "severity": kejadian.severity,
            "note": kejadian.note,
            "counted": kejadian.counted,
        }
    elif request.GET.get("wilayah"):
        initial["region"] = request.GET["wilayah"]
    form = KejadianForm(request.POST or None, initial=initial, user=user, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            if kejadian is None:
                created = services.kejadian_create(actor=user, **form.cleaned_data)
                messages.success(
                    request,
                    _("Kejadian recorded: indicator %(n)s in %(desa)s on %(date)s.")
                    % {
                        "n": created.indicator_number,
                        "desa": created.region.name,
                        "date": formats.date_format(created.date, "j F Y"),
                    },
                )
            else:
                services.kejadian_update(kejadian=kejadian, actor=user, **form.cleaned_data)
                messages.success(request, _("Kejadian changed."))
            return redirect("ikp:kejadian_list")
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "ikp/kejadian_form.html",
        {
            "form": form,
            "kejadian": kejadian,
            "delete_form": KejadianDeleteForm() if kejadian is not None else None,
            "name": selectors.indicator_names(framework).get(kejadian.indicator_number) if kejadian else "",
        },
    )


@allow(KEJADIAN_WRITERS)
@compressed_page  # 38 KB, mostly the desa list: a blank form (the list's notes stay uncompressed)
def kejadian_create(request: HttpRequest) -> HttpResponse:
    return _kejadian_form_view(request, None)


def _kejadian_for_change(request: HttpRequest, pk: int) -> Kejadian:
    user: Any = request.user
    kejadian = get_object_or_404(selectors.kejadian_visible(user), pk=pk)
    if not selectors.kejadian_entry_regions(user).filter(code=kejadian.region_id).exists():
        raise Http404
    return kejadian


@allow(KEJADIAN_WRITERS)
def kejadian_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _kejadian_form_view(request, _kejadian_for_change(request, pk))


@allow(KEJADIAN_WRITERS)
@require_POST
def kejadian_delete(request: HttpRequest, pk: int) -> HttpResponse:
    kejadian = _kejadian_for_change(request, pk)
    form = KejadianDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for deleting the kejadian."))
        return redirect("ikp:kejadian_edit", pk=pk)
    services.kejadian_delete(kejadian=kejadian, actor=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Kejadian deleted; the audit log keeps a copy."))
    return redirect("ikp:kejadian_list")


@allow(KEJADIAN_IMPORTERS)
def kejadian_import(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = KejadianImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.kejadian_import_excel(
                content=form.content, actor=user, filename=form.cleaned_data["file"].name
            )
        except KejadianImportError as exc:
            problems = exc.rows
        else:
            messages.success(
                request,
                _("%(n)s kejadian imported (source %(source)s).")
                % {"n": result.created, "source": result.source_ref},
            )
            return redirect("ikp:kejadian_list")
    return render(request, "ikp/kejadian_import.html", {"form": form, "problems": problems})


@allow(KEJADIAN_IMPORTERS)
def kejadian_template(request: HttpRequest) -> HttpResponse:
    content = services.kejadian_template_xlsx(user=request.user)
    return _attachment(content, XLSX, "templat-kejadian-ikp.xlsx")


# --- frameworks ----------------------------------------------------------------------------------


@allow(FRAMEWORK_READERS)
def framework_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    services.framework_default(actor=user)  # the shipped framework is there from the first visit
    return render(
        request,
        "ikp/framework_list.html",
        {
            "frameworks": selectors.frameworks_all(),
            "default": selectors.default_framework(),
            "can_edit": user.role in FRAMEWORK_EDITORS,
        },
    )


@allow(FRAMEWORK_READERS)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    framework = get_object_or_404(Framework.objects.select_related("based_on"), pk=pk)
    suggestion = f"{framework.version}-{Framework.objects.filter(code=framework.code).count()}"
    return render(
        request,
        "ikp/framework_detail.html",
        {
            "framework": framework,
            "tree": selectors.framework_tree(framework),
            "levels": framework.severity_levels.order_by("level"),
            "can_edit": user.role in FRAMEWORK_EDITORS,
            "copy_form": FrameworkCopyForm(initial={"version": suggestion, "name": framework.name}),
            "runs": framework.score_runs.count(),
        },
    )


def _definition_errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@allow(FRAMEWORK_EDITORS)
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    framework = get_object_or_404(Framework, pk=pk)
    if not framework.editable:
        messages.error(request, _("Only a draft can be changed; copy this framework first."))
        return redirect("ikp:framework_detail", pk=pk)
    form = FrameworkEditForm(request.POST or None, framework=framework)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        weights = form.weight_changes()
        try:
            services.framework_save_edits(framework, user, fields=form.setting_changes(), **weights)
        except (FrameworkDefinitionError, FrameworkReadOnly) as exc:
            problems = _definition_errors(exc)
        else:
            messages.success(request, _("Framework saved."))
            return redirect("ikp:framework_detail", pk=pk)
    return render(
        request,
        "ikp/framework_edit.html",
        {"framework": framework, "form": form, "tree": form.tree_with_fields(), "problems": problems},
    )


@allow(FRAMEWORK_EDITORS)
@require_POST
def framework_copy(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    form = FrameworkCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the copy a version."))
        return redirect("ikp:framework_detail", pk=pk)
    try:
        copy = services.framework_copy(
            framework, form.cleaned_data["version"], request.user, name=form.cleaned_data["name"] or None
        )
    except FrameworkDefinitionError as exc:
        messages.error(request, " ".join(_definition_errors(exc)))
        return redirect("ikp:framework_detail", pk=pk)
    messages.success(
        request, _("Draft %(framework)s created; change its weights, then publish it.") % {"framework": copy}
    )
    return redirect("ikp:framework_detail", pk=copy.pk)


@allow(FRAMEWORK_EDITORS)
@require_POST
def framework_publish(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    try:
        services.framework_publish(framework, request.user)
    except (FrameworkDefinitionError, FrameworkReadOnly) as exc:
        messages.error(request, " ".join(_definition_errors(exc)))
    else:
        messages.success(
            request, _("%(framework)s is published: it is now used for scores.") % {"framework": framework}
        )
    return redirect("ikp:framework_detail", pk=pk)


@allow(FRAMEWORK_READERS)
def framework_export_yaml(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    return _attachment(
        services.framework_export_yaml(framework),
        "application/yaml; charset=utf-8",
        f"{framework.code}-{framework.version}.yaml",
    )


@allow(FRAMEWORK_READERS)
def framework_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=pk)
    return _attachment(
        services.framework_export_xlsx(framework), XLSX, f"{framework.code}-{framework.version}.xlsx"
    )


@allow(FRAMEWORK_EDITORS)
def framework_import(request: HttpRequest) -> HttpResponse:
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or None
        try:
            if form.is_excel:
                framework = services.framework_import_excel(form.content, request.user, version=version)
            else:
                text = form.content.decode("utf-8", errors="replace")
                framework = services.framework_import_yaml(text, request.user, version=version)
        except FrameworkDefinitionError as exc:
            problems = _definition_errors(exc)
        else:
            messages.success(request, _("Draft %(framework)s imported.") % {"framework": framework})
            return redirect("ikp:framework_detail", pk=framework.pk)
    return render(request, "ikp/framework_import.html", {"form": form, "problems": problems})
