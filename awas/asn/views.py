"""Pages of the ASN register. Who may open which is in ``awas.asn.permissions``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awas.asn import forms, permissions, selectors, services
from awas.asn.letters import imbauan_default, imbauan_docx, imbauan_pdf
from awas.asn.models import (
    AsnCaseLink,
    FactorCode,
    Person,
    PersonKind,
    RecipientKind,
    SanctionFollowUp,
    SocialAccount,
)
from awas.cases.formatting import today_local
from awas.core.access import allow
from awas.core.compression import compressed_page
from awas.core.documents import document_response, file_safe
from awas.regions import selectors as region_selectors

PAGE_SIZE = 50


def _user(request: HttpRequest) -> Any:
    return request.user


# --- map and counts -------------------------------------------------------------------------------


@allow(permissions.AGGREGATE)
@compressed_page  # 490 KB with the kecamatan boundaries: counts only, no name (pencegahan sees it)
def overview(request: HttpRequest) -> HttpResponse:
    """ASN berpotensi terlibat per kecamatan: a choropleth and the same numbers in a table."""
    user = _user(request)
    risk = selectors.risk_by_kecamatan(user)
    geojson = region_selectors.kecamatan_geojson(user)
    by_code = {row.kode: row for row in risk.rows}
    for feature in geojson["features"]:
        row = by_code.get(feature["properties"]["kode"])
        feature["properties"].update(
            {
                "at_risk": row.at_risk if row else 0,
                "persons": row.persons if row else 0,
                "mean": row.mean_score if row else 0,
            }
        )
    return render(
        request,
        "asn/overview.html",
        {
            "risk": risk,
            "geojson": geojson,
            "has_boundaries": bool(geojson["features"]),
            "kecamatan": [
                {
                    "kode": r.kode,
                    "nama": r.nama,
                    "at_risk": r.at_risk,
                    "persons": r.persons,
                    "mean": r.mean_score,
                }
                for r in risk.rows
            ],
            "by_kind": [(PersonKind(k).label, n) for k, n in selectors.risk_counts_by_kind(user).items()],
            "writes_letters": permissions.writes_letters(user),
            "map_labels": {"at_risk": _("At risk"), "persons": _("Persons"), "mean": _("Mean score")},
        },
    )


# --- the register -----------------------------------------------------------------------------------


@allow(permissions.REGISTER_VIEW)
def person_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.PersonFilterForm(request.GET or None, user=user)
    filters = selectors.PersonFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PersonFilters(
            q=data["q"].strip(),
            kind=data["kind"],
            kecamatan=data["kecamatan"],
            at_risk=data["at_risk"],
            include_inactive=data["include_inactive"],
        )
    page = Paginator(selectors.person_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    # Names, NIPs and jabatan of a page of the register: in the audit log (UU 27/2022).
    services.persons_listed(persons=list(page), actor=user, listing="register")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "asn/person_list.html",
        {
            # "?perkara=<id>" (from the case's page): each person links to that case.
            "linking": _case_to_link(request),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "threshold": float(selectors.settings_get().risk_threshold),
            "edits": permissions.edits_register(user),
            "imports": permissions.imports_rosters(user),
        },
    )


@allow(permissions.REGISTER_VIEW)
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = selectors.person_get(user, pk)
    if person is None:
        raise Http404
    services.person_read(person=person, actor=user)
    breakdown = selectors.person_breakdown(person)
    labels = dict(FactorCode.choices)
    return render(
        request,
        "asn/person_detail.html",
        {
            "person": person,
            "nip": forms.nip_display(person.nip),
            "breakdown": breakdown,
            "contributions": [(labels[c.code], c) for c in breakdown.contributions],
            "threshold": float(selectors.settings_get().risk_threshold),
            "accounts": person.accounts.order_by("platform", "handle"),
            "account_form": forms.AccountForm(),
            "links": selectors.person_case_links(person) if permissions.sees_follow_ups(user) else None,
            "posts": _post_links(person.partisan_post_refs.all()[:20]),
            "edits": permissions.edits_register(user),
            "links_cases": permissions.edits_follow_ups(user),
        },
    )


def _post_links(refs: Any) -> list[tuple[Any, str]]:
    """Each partisan post with the URL of its page in the cyber app ("post:<id>"), or "". The ASN
    app imports nothing of cyber: the page is found by its URL name."""
    out = []
    for ref in refs:
        url = ""
        kind, _sep, key = ref.post_ref.partition(":")
        if kind == "post" and key.isdigit():
            try:
                url = reverse("cyber:post", kwargs={"pk": int(key)})
            except NoReverseMatch:
                url = ""
        out.append((ref, url))
    return out


def _person_form(request: HttpRequest, person: Any) -> HttpResponse:
    user = _user(request)
    form = forms.PersonForm(request.POST or None, instance=person, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_save(person=form.apply(), actor=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("asn:person_detail", pk=saved.pk)
    return render(request, "asn/person_form.html", {"form": form, "person": person})


@allow(permissions.REGISTER_EDIT)
@compressed_page  # 34 KB, mostly the desa list: a blank form
def person_create(request: HttpRequest) -> HttpResponse:
    return _person_form(request, Person())


@allow(permissions.REGISTER_EDIT)
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.persons_visible(_user(request)).filter(pk=pk).first()
    if person is None:
        raise Http404
    if request.method == "GET":  # the form shows the record as its page does
        services.person_read(person=person, actor=_user(request))
    return _person_form(request, person)


@allow(permissions.REGISTER_EDIT)
@require_POST
def account_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = get_object_or_404(selectors.persons_visible(user), pk=pk)
    form = forms.AccountForm(request.POST)
    if form.is_valid():
        try:
            services.account_add(person=person, actor=user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Account added."))
    else:
        messages.error(
            request,
            " ".join(f"{field}: {' '.join(str(e) for e in errs)}" for field, errs in form.errors.items()),
        )
    return redirect("asn:person_detail", pk=person.pk)


@allow(permissions.REGISTER_EDIT)
@require_POST
def account_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    account = get_object_or_404(
        SocialAccount.objects.filter(person__in=selectors.persons_visible(user)), pk=pk
    )
    person_pk = account.person_id
    services.account_remove(account=account, actor=user)
    messages.success(request, _("Account removed."))
    return redirect("asn:person_detail", pk=person_pk)


# --- roster import ----------------------------------------------------------------------------------

TEMPLATE_CSV = (
    "nama;nip;instansi;jabatan;unit;kecamatan;desa;jenis\r\n"
    "Budi Santoso;198505102010011001;Dinas Pendidikan;Kepala Sekolah;SDN 1 Gondanglegi;Gondanglegi;;asn\r\n"
    "Siti Aminah;;Pemerintah Desa Putat Kidul;Kepala Desa;;Gondanglegi;Putat Kidul;kepala desa\r\n"
)


@allow(permissions.ROSTER_IMPORT)
def roster_import(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    kabupaten = services.import_kabupaten(user)
    form = forms.RosterImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid() and kabupaten is not None:
        upload = form.cleaned_data["file"]
        result = services.roster_import(
            data=upload.read(),
            file_name=upload.name,
            actor=user,
            kabupaten=kabupaten,
            default_kind=form.cleaned_data["default_kind"],
        )
        if result.ok:
            messages.success(
                request,
                _("Roster imported: %(created)d added, %(updated)d updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("asn:persons")
    return render(
        request,
        "asn/import.html",
        {"form": form, "result": result, "kabupaten": kabupaten, "imports": selectors.roster_imports()[:10]},
    )


@allow(permissions.ROSTER_IMPORT)
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(TEMPLATE_CSV.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contoh-daftar-asn.csv"'
    return response


# --- catalogue, cases and sanctions ------------------------------------------------------------------


@allow(permissions.CATALOGUE)
@compressed_page  # 21 KB: the SKB 2022 catalogue, public law
def catalogue(request: HttpRequest) -> HttpResponse:
    items = list(selectors.catalogue())
    return render(
        request,
        "asn/catalogue.html",
        {
            "kode_etik": [v for v in items if v.matrix == "kode_etik"],
            "disiplin": [v for v in items if v.matrix == "disiplin"],
        },
    )


def _case_to_link(request: HttpRequest) -> Any:
    """The case of "?perkara=<id>" when the user may link it to a person, else None."""
    user = _user(request)
    if "perkara" not in request.GET or not permissions.edits_follow_ups(user):
        return None
    return selectors.case_for_linking(user, request.GET["perkara"])


@allow(permissions.FOLLOW_UP_EDIT)
def case_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = get_object_or_404(selectors.persons_visible(user), pk=pk)
    if request.method == "GET":
        services.person_read(person=person, actor=user)
    case = _case_to_link(request)
    initial = {"case_number": case.registration_number or case.tracking_code} if case else {}
    form = forms.CaseLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = selectors.case_find(user, data["case_number"])
        if case is None:
            form.add_error("case_number", _("No case with this number in your scope."))
        else:
            try:
                link = services.case_link_create(
                    case=case,
                    person=person,
                    violation=data["violation"],
                    stage=data["stage"],
                    sbt_number=data["sbt_number"],
                    note=data["note"],
                    actor=user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Case linked."))
                return redirect("asn:follow_up_edit", pk=link.pk)
    return render(request, "asn/case_link_form.html", {"form": form, "person": person})


def _follow_up_page(request: HttpRequest, *, overdue: bool) -> HttpResponse:
    user = _user(request)
    today = today_local()
    links = selectors.follow_ups(user, overdue_on=today if overdue else None)
    page = Paginator(links, PAGE_SIZE).get_page(request.GET.get("page"))
    # Who is followed up for which act, and their sanction: in the audit log (UU 27/2022).
    services.persons_listed(persons=[link.person for link in page], actor=user, listing="follow_ups")
    return render(
        request,
        "asn/follow_up_list.html",
        {
            "page": page,
            "overdue": overdue,
            "today": today,
            "edits": permissions.edits_follow_ups(user),
            "settings": selectors.settings_get(),
        },
    )


@allow(permissions.FOLLOW_UP_VIEW)
def follow_up_list(request: HttpRequest) -> HttpResponse:
    return _follow_up_page(request, overdue=False)


@allow(permissions.FOLLOW_UP_VIEW)
def overdue(request: HttpRequest) -> HttpResponse:
    return _follow_up_page(request, overdue=True)


@allow(permissions.FOLLOW_UP_EDIT)
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    link: AsnCaseLink = get_object_or_404(selectors.case_links_visible(user), pk=pk)
    if request.method == "GET":  # the person, their agency and their sanction's course
        services.person_read(person=link.person, actor=user)
    current = SanctionFollowUp.objects.filter(link=link).first()
    initial = {name: getattr(current, name) for name in services.FOLLOW_UP_FIELDS} if current else {}
    form = forms.FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_save(link=link, values=form.cleaned_data, actor=user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Follow-up saved."))
            return redirect("asn:follow_ups")
    return render(
        request,
        "asn/follow_up_form.html",
        {"form": form, "link": link, "follow_up": current, "settings": selectors.settings_get()},
    )


# --- imbauan letters ------------------------------------------------------------------------------


@allow(permissions.LETTERS_VIEW)
def letter_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.letters_visible(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "asn/letter_list.html", {"page": page, "writes": permissions.writes_letters(user)})


ELECTION_DEFAULT = "Pemilihan Bupati dan Wakil Bupati Malang"


@allow(permissions.LETTERS_WRITE)
def letter_create(request: HttpRequest) -> HttpResponse:
    """Write one imbauan and send it to many addressees; "?sasaran=camat" proposes the camat of
    the kecamatan with ASN berpotensi terlibat (from the counts, no names)."""
    user = _user(request)
    office = services.import_kabupaten(user)
    kind = request.GET.get("jenis") or RecipientKind.OPD_HEAD
    if kind not in RecipientKind.values:
        kind = RecipientKind.OPD_HEAD
    office_name = office.display_name if office else ""
    subject, body = imbauan_default(kind, f"{ELECTION_DEFAULT} Tahun {today_local().year}", office_name)
    current = selectors.settings_get()
    initial: dict[str, Any] = {
        "recipient_kind": kind,
        "letter_date": today_local(),
        "subject": subject,
        "body": body,
        "signer_name": current.signer_name,
        "signer_title": current.signer_title,
        "recipient_place": "Tempat",
    }
    if request.GET.get("sasaran") == "camat":
        risk = selectors.risk_by_kecamatan(user)
        targets = sorted((r for r in risk.rows if r.at_risk), key=lambda r: (-r.at_risk, r.nama))
        initial["recipient_kind"] = RecipientKind.CAMAT
        initial["other_recipients"] = "\n".join(f"Camat {r.nama.title()}" for r in targets)
        initial["subject"], initial["body"] = imbauan_default(
            RecipientKind.CAMAT, f"{ELECTION_DEFAULT} Tahun {today_local().year}", office_name
        )
    form = forms.ImbauanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and office is not None:
        data = form.cleaned_data
        recipients = [
            services.Recipient(kind=data["recipient_kind"], name=agency.addressee, agency=agency)
            for agency in data["agencies"]
        ] + [services.Recipient(kind=data["recipient_kind"], name=name) for name in data["other_list"]]
        try:
            letters = services.imbauan_issue(
                recipients=recipients,
                subject=data["subject"],
                body=data["body"],
                letter_date=data["letter_date"],
                office=office,
                actor=user,
                recipient_place=data["recipient_place"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(n)d letter(s) numbered.") % {"n": len(letters)})
            return redirect("asn:letters")
    return render(
        request, "asn/letter_form.html", {"form": form, "office": office, "kinds": RecipientKind.choices}
    )


def _letter(request: HttpRequest, pk: int) -> Any:
    return get_object_or_404(selectors.letters_visible(_user(request)), pk=pk)


@allow(permissions.LETTERS_VIEW)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    return document_response(imbauan_pdf(letter), f"imbauan-{file_safe(letter.number)}.pdf")


@allow(permissions.LETTERS_VIEW)
def letter_docx(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter(request, pk)
    return document_response(imbauan_docx(letter), f"imbauan-{file_safe(letter.number)}.docx")


# --- settings ---------------------------------------------------------------------------------------


@allow(permissions.SETTINGS)
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    rows = {row.code: row for row in selectors.factor_rows()}
    current = selectors.settings_get()
    data = request.POST if request.method == "POST" else None
    weight_forms = [
        forms.WeightForm(
            data,
            prefix=code,
            code=code,
            initial={
                "weight": rows[code].weight,
                "saturation": rows[code].saturation,
                "keywords": "\n".join(rows[code].keywords or []),
            },
        )
        for code in FactorCode.values
        if code in rows
    ]
    settings_form = forms.SettingsForm(data, instance=current)
    if data is not None and settings_form.is_valid() and all(f.is_valid() for f in weight_forms):
        changes = [
            services.FactorChange(
                code=f.code,
                weight=f.cleaned_data["weight"],
                saturation=f.cleaned_data.get("saturation"),
                keywords=f.cleaned_data["keywords"].splitlines() if "keywords" in f.cleaned_data else None,
            )
            for f in weight_forms
        ]
        services.risk_settings_update(
            factors=changes,
            settings_fields={
                name: settings_form.cleaned_data[name] for name in forms.SettingsForm.Meta.fields
            },
            actor=user,
        )
        messages.success(request, _("Settings saved."))
        return redirect("asn:settings")
    total = sum(float(r.weight) for r in rows.values())
    shares = {code: (float(r.weight) / total * 100 if total else 0.0) for code, r in rows.items()}
    return render(
        request,
        "asn/settings.html",
        {
            "weight_forms": [(f, shares.get(f.code, 0.0)) for f in weight_forms],
            "settings_form": settings_form,
        },
    )
