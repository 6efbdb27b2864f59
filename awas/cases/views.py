"""Staff pages of violation handling: thin, every write through ``services.workflow``.

Who may open which page is declared with ``allow`` from the role sets of
``awas.cases.permissions`` (the matrix is in that module's docstring); every case is read through
``selectors.case_get`` (``visible_to``: a case outside the user's scope is a 404). A step is
offered, and accepted, only when ``actions_for(user, case)`` contains it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from awas.cases import documents, exports, selectors
from awas.cases.formatting import local, tanggal, today_local
from awas.cases.forms import (
    ArchiveForm,
    CaseCorrectionForm,
    CaseFilterForm,
    ClarificationCancelForm,
    ClarificationRecordForm,
    ClarificationScheduleForm,
    DecisionCorrectionForm,
    DecisionForm,
    LaporanForm,
    LinkForm,
    MoreInfoForm,
    NotRegisteredForm,
    PelaporToldForm,
    ReferralCancelForm,
    ReferralForm,
    ReferralProgressForm,
    RequirementsForm,
    ResponseForm,
    StudyForm,
    SupplementForm,
    TakeUpForm,
    TemuanForm,
    TemuanRegisterForm,
    UnlinkForm,
    UnmergeForm,
    WitnessFormSet,
)
from awas.cases.forms_public import KeptEvidence
from awas.cases.models import (
    Case,
    CaseEvidence,
    CaseKind,
    CaseStatus,
    Channel,
    Clarification,
    Referral,
    Reminder,
    Reporter,
    Study,
    Witness,
)
from awas.cases.permissions import HANDLING, RECORD, ROLE_ACTIONS, VIEW, actions_for, handles_cases
from awas.cases.services import intake as intake_services
from awas.cases.services import notify, workflow
from awas.cases.services import reminders as reminder_services
from awas.cases.services.common import filed_late
from awas.cases.views_public import tracking_page_url
from awas.core.access import allow
from awas.core.compression import compressed_page
from awas.core.documents import DOCX_TYPE, PDF_TYPE, document_response, file_safe
from awas.core.services.audit import audit_record
from awas.core.services.evidence import EvidenceRejected, evidence_open, evidence_prepare

PAGE_SIZE = 50


class CountedPaginator(Paginator):
    """A paginator whose total comes from ``count`` (a cheaper query giving the same number)."""

    def __init__(self, object_list: Any, per_page: int, *, count: Callable[[], int]) -> None:
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def _user(request: HttpRequest) -> Any:
    return request.user


# --- lists -------------------------------------------------------------------------------------


def _filter_form(request: HttpRequest) -> CaseFilterForm:
    return CaseFilterForm(request.GET or None, kecamatan=selectors.kecamatan_choices(_user(request)))


@allow(VIEW)
def case_list(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    user, filters = _user(request), form.filters()
    paginator = CountedPaginator(
        selectors.case_list_page(user, filters), PAGE_SIZE, count=lambda: selectors.case_count(user, filters)
    )
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.with_labels(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today_local(),
            "can_record": _user(request).role in RECORD,
        },
    )


@allow(VIEW)
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as Excel; the pelapor's columns only for the roles that handle cases."""
    user = _user(request)
    form = _filter_form(request)
    filters = form.filters()
    if form.errors:  # an export is not checked on screen: no file unless every filter applies
        return redirect(f"{reverse('cases:list')}?{request.GET.urlencode()}")
    personal = handles_cases(user)
    with translation.override("id"):  # the workbook is in Indonesian whatever the page's language
        described = form.describe()
    export = exports.cases_workbook(
        selectors.case_list(user, filters), personal=personal, filters=described, area=exports.area_name(user)
    )
    with transaction.atomic():
        audit_record(
            action="cases.exported",
            actor=user,
            object_type="cases.Case",
            object_repr=f"{export.rows} rows",
            after={
                "filters": filters,
                "rows": export.rows,
                "pelapor_columns": personal,
                "truncated": export.truncated,
            },
        )
    stamp = local(timezone.now()).strftime("%Y%m%d-%H%M")
    response = _file(
        export.content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"perkara-{stamp}.xlsx",
    )
    if export.truncated:
        response["X-Awas-Truncated"] = str(exports.EXPORT_LIMIT)
    return response


@allow(VIEW)
def at_risk(request: HttpRequest) -> HttpResponse:
    today = today_local()
    page = Paginator(selectors.deadlines_at_risk(_user(request), today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.at_risk_rows(page, today)
    context = {
        "page": page,
        "rows": rows,
        "today": today,
        # A lapsed completion names its next step to those who may take it.
        "can_not_register": _user(request).role in ROLE_ACTIONS["not_registered"],
    }
    return render(request, "cases/at_risk.html", context)


@allow(VIEW)
def follow_ups(request: HttpRequest) -> HttpResponse:
    today = today_local()
    page = Paginator(selectors.overdue_follow_ups(_user(request), today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.follow_up_rows(page, today)
    return render(request, "cases/follow_ups.html", {"page": page, "rows": rows, "today": today})


@allow(VIEW)
def reminder_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(selectors.reminders_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    reminder_services.reminders_describe(page.object_list, today_local())
    context = {
        "page": page,
        "pending": selectors.unread_reminder_count(user) > 0,
        # PKD, PTPS and the administrator are not reminded (``reminders.RESPONSIBLE_ROLES``).
        "reminded": user.role in reminder_services.RESPONSIBLE_ROLES,
    }
    return render(request, "cases/reminders.html", context)


def _reminders_page(request: HttpRequest) -> HttpResponse:
    """Back to the page of the list the reminder was marked on."""
    page = request.POST.get("page", "")
    url = reverse("cases:reminders")
    return redirect(f"{url}?page={page}" if page.isdigit() and page != "1" else url)


@allow(VIEW)
@require_POST
def reminder_read(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(Reminder, pk=pk, user=_user(request))
    reminder_services.reminder_mark_read(reminder=reminder, user=_user(request))
    return _reminders_page(request)


@allow(VIEW)
@require_POST
def reminders_read_all(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    marked = reminder_services.reminders_mark_all_read(user=user, listed=selectors.pending_reminders(user))
    messages.success(
        request,
        ngettext("%(n)d reminder marked as read.", "%(n)d reminders marked as read.", marked) % {"n": marked},
    )
    return redirect("cases:reminders")


# --- recording ---------------------------------------------------------------------------------


def _show_errors(form: forms.BaseForm, error: ValidationError, field: str | None = None) -> None:
    form.add_error(field, error.messages)


def _not_saved(request: HttpRequest, *bound: Any) -> None:
    """Say at the top of the page that nothing was saved, and why: the form with its marks may be
    far down the page (a step of the case page, the file field at the end of a long form)."""
    reasons: list[str] = []
    for form in bound:
        for each in getattr(form, "forms", [form]):  # a formset: its forms
            reasons += [str(error) for error in each.non_field_errors()]
            reasons += [f"{field.label}: {error}" for field in each for error in field.errors]
    text = _("Nothing was saved.")
    messages.error(request, f"{text} {' '.join(reasons)}" if reasons else text)


def _kept_after_refusal(form: LaporanForm | TemuanForm, user: Any) -> list[KeptEvidence]:
    """A form sent back keeps the files it received: the bytes of the accepted new ones are kept
    now (checked, not yet recorded: ``awas evidence prune`` deletes them if the form is never sent
    again) and listed with those kept before, to be ticked for the next submit."""
    holder = form.kept_holder  # the officer's: another's form does not read them
    kept = {
        item.evidence.sha256: KeptEvidence.from_evidence(item.evidence, item.name, holder=holder)
        for item in form.kept_items
    }
    for upload in getattr(form, "accepted_uploads", []):
        name = str(upload.name or "").rsplit("/", 1)[-1]
        try:
            prepared = evidence_prepare(data=upload, original_name=name, uploaded_by=user)
        except EvidenceRejected:  # checked with the form; refused now only if it changed meanwhile
            continue
        kept.setdefault(prepared.sha256, KeptEvidence.from_evidence(prepared, name, holder=holder))
    return list(kept.values())


def _material_gap_warning(case: Case) -> str | None:
    """The warning shown when the laporan just recorded has no saksi or no bukti; None if it has both.

    It is saved all the same: the pelapor may complete it after the requirements check (DOMAIN.md
    §2.4 item 4). But that check will find its syarat materiel incomplete (item 3: saksi and
    bukti), and the desk, or the reply to the e-mail, is the easiest moment to ask for them."""
    gaps = selectors.material_gaps(case)
    if not gaps:
        return None
    if gaps.no_witness and gaps.no_evidence:
        text = _(
            "No saksi and no bukti were recorded: the syarat materiel of this laporan will be incomplete. "
            "Ask the pelapor %(when)s for the name and address of someone who saw it happen, and for "
            "photos, videos or documents that show it; add them under “%(step)s”."
        )
    elif gaps.no_witness:
        text = _(
            "No saksi was recorded: the syarat materiel of this laporan will be incomplete. Ask the pelapor "
            "%(when)s for the name and address of someone who saw it happen; add them under “%(step)s”."
        )
    else:
        text = _(
            "No bukti was recorded: the syarat materiel of this laporan will be incomplete. Ask the pelapor "
            "%(when)s for photos, videos or documents that show it; add them under “%(step)s”."
        )
    if case.channel == Channel.EMAIL:
        when = _("in your reply to their e-mail")
    else:
        when = _("while they are still at the desk")
    return text % {"when": when, "step": _("Add evidence or a witness (kelengkapan)")}


def _filed_late_warning(case: Case) -> str | None:
    """The warning shown when the laporan just recorded came after its filing deadline, or None.

    Recorded all the same, and its pelapor is told (``notify.laporan_received_note``); but it fails
    the syarat formal "within the deadline", which no completion mends (UU 10/2016 Pasal 134 ayat
    (4); UU 7/2017 Pasal 454 ayat (6)). Said now, while the pelapor is at the desk or the e-mail is
    answered, and so that a date typed wrong is corrected before anyone acts on it."""
    if not filed_late(case) or case.filing_due is None or case.known_date is None:
        return None
    return _(
        "This laporan came after its filing deadline: it became known on %(known)s, so the deadline "
        "was %(due)s. It is recorded, but it cannot be registered. If a date was typed wrong, "
        "correct it under “%(correct)s”."
    ) % {"known": tanggal(case.known_date), "due": tanggal(case.filing_due), "correct": _("Correct the data")}


@allow(RECORD)
@compressed_page  # 32 KB, mostly the desa list: a blank form with nothing written by others
def case_record(request: HttpRequest) -> HttpResponse:
    """Record a laporan received in person or by e-mail (with pelapor, saksi and evidence)."""
    user = _user(request)
    form = LaporanForm(request.POST or None, request.FILES or None, user=user)
    witnesses = WitnessFormSet(request.POST or None, prefix="saksi")
    kept: list[KeptEvidence] = []
    if request.method == "POST" and form.is_valid() and witnesses.is_valid():
        try:
            case = workflow.case_record_in_person(
                facts=form.facts(),
                reporter=form.reporter(),
                witnesses=[w for w in (f.witness() for f in witnesses) if w is not None],
                evidence=form.cleaned_data["evidence"],
                evidence_description=form.cleaned_data["evidence_description"],
                channel=form.cleaned_data["channel"],
                received_at=form.cleaned_data["received_at"],
                kept_evidence=form.kept_items,
                actor=user,
            )
        except EvidenceRejected as error:
            _show_errors(form, error, "evidence")
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _("Laporan recorded. Tracking code for the pelapor: %(code)s") % {"code": case.tracking_code},
            )
            late = _filed_late_warning(case)
            if late:
                messages.warning(request, late)
            gap = _material_gap_warning(case)
            if gap:
                messages.warning(request, gap)
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        _not_saved(request, form, witnesses)
        kept = _kept_after_refusal(form, user)
    return render(request, "cases/record.html", {"form": form, "witnesses": witnesses, "kept": kept})


@allow(RECORD)
@compressed_page  # as the laporan form
def temuan_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TemuanForm(request.POST or None, request.FILES or None, user=user)
    kept: list[KeptEvidence] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = workflow.temuan_create(
                facts=form.facts(),
                evidence=form.cleaned_data["evidence"],
                evidence_description=form.cleaned_data["evidence_description"],
                kept_evidence=form.kept_items,
                actor=user,
            )
        except EvidenceRejected as error:
            _show_errors(form, error, "evidence")
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Temuan recorded as a draft for the plenary."))
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST":
        _not_saved(request, form)
        kept = _kept_after_refusal(form, user)
    return render(request, "cases/temuan_form.html", {"form": form, "kept": kept})


@allow(ROLE_ACTIONS["correct"])
def case_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the facts of a case before its decision, with the reason (Perbaiki data)."""
    user = _user(request)
    case = selectors.case_get(user, pk)
    if "correct" not in actions_for(user, case):
        return _not_now(request, case)
    form = CaseCorrectionForm(request.POST or None, user=user, case=case)
    if request.method == "GET":
        _audit_personal_view(user, case, ["terlapor"] if case.terlapor_address or case.terlapor_phone else [])
    if request.method == "POST" and form.is_valid():
        try:
            changed = workflow.case_correct(
                case=case,
                facts=form.facts(),
                received_at=form.cleaned_data.get("received_at"),
                reason=form.cleaned_data["reason"],
                actor=user,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if not changed:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(request, _("The case is corrected; its deadlines are counted again."))
            if "tps" in changed:
                messages.warning(request, _("The TPS was removed: it is not within the corrected place."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/correct.html", {"case": case, "form": form})


# --- one case ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Recorded:
    """What the case page read of the pelapor, the saksi and the evidence (the requirements
    step, offered only to roles that see them, guesses its checklist from these)."""

    reporter: Reporter | None
    witnesses: list[Witness]
    evidence: list[CaseEvidence]  # with the berita acara's attachments


def _requirements_initial(case: Case, recorded: _Recorded) -> dict[str, bool]:
    """A first guess of the checklist from what was recorded; staff confirm each item."""
    received = local(case.received_at).date()
    return {
        "formal_identity": recorded.reporter is not None,
        "formal_terlapor": bool(case.terlapor_name),
        "formal_in_time": bool(case.filing_due and received <= case.filing_due),
        "material_event": bool(case.chronology.strip()),
        "material_place_time": bool(case.event_place and case.event_date),
        "material_witness": bool(recorded.witnesses),
        "material_evidence": bool(recorded.evidence),
    }


def _forms_for(
    case: Case,
    actions: set[str],
    bound: dict[str, forms.BaseForm],
    *,
    clarifications: list[Clarification],
    referrals: list[Referral],
    recorded: _Recorded,
    penelusuran: selectors.Penelusuran | None = None,
    logged: selectors.LoggedChanges | None = None,
) -> dict[str, forms.BaseForm]:
    """The forms of the steps on offer. ``clarifications`` and ``referrals``: the case's, as the
    page read them (the forms choose among them without reading them again); ``penelusuran``:
    what the penelusuran of the informasi awal found, which a temuan's new kajian starts from;
    ``logged``: what the audit log keeps of the case (the kelengkapan with the day each was brought)."""
    built: dict[str, forms.BaseForm] = {}
    if "requirements" in actions:
        check = selectors.requirements_of(case)
        lapsed_due = _lapsed_due(case)
        built["requirements"] = RequirementsForm(
            instance=check,
            initial=None if check else _requirements_initial(case, recorded),
            lapsed_due=lapsed_due,
            # What was brought since the last check completed it: the day it was brought.
            last_brought=logged.last_brought_since(check.checked_at if check else None)
            if logged and lapsed_due
            else None,
        )
    if "supplement" in actions:
        built["supplement"] = SupplementForm(kind=case.kind)
    if "not_registered" in actions:
        # The pelapor's time ran out: the reason is offered as the notice to them will read it.
        initial = None
        if workflow.completion_lapsed(case):
            initial = {"reason": workflow.completion_lapsed_reason(case, selectors.requirements_of(case))}
        built["not_registered"] = NotRegisteredForm(kind=case.kind, initial=initial)
    if "more_info" in actions:
        built["more_info"] = MoreInfoForm(kind=case.kind)
    if "register" in actions:
        built["register"] = TemuanRegisterForm(initial={"established_on": today_local()})
    if "take_up" in actions:
        built["take_up"] = TakeUpForm(
            initial={"found_on": today_local()},
            received_on=local(case.received_at).date(),
            election_type=case.election_type,
            **_roughly(case),
        )
    if "archive" in actions:
        built["archive"] = ArchiveForm()
    if "clarification" in actions:
        built["clarification"] = ClarificationScheduleForm(
            initial={"letter_date": today_local()}, kind=case.kind
        )
        unheld = [c for c in clarifications if c.held_at is None]
        if unheld:
            built["clarification_record"] = ClarificationRecordForm(case=case, unheld=unheld)
            built["cancel_clarification"] = ClarificationCancelForm(case=case, unheld=unheld)
    if "study" in actions:
        study = selectors.study_of(case)
        built["study"] = StudyForm(
            initial={
                "facts": study.facts if study else selectors.kajian_facts_start(case, penelusuran),
                "analysis": study.analysis if study else "",
                "article_violated": study.article_violated if study else "",
                "conclusion": study.conclusion if study else "",
            }
        )
    if "decide" in actions:
        built["decide"] = DecisionForm(case=case, initial={"plenary_date": today_local()})
    if "correct_decision" in actions:
        decision = selectors.decision_of(case)
        built["correct_decision"] = DecisionCorrectionForm(
            initial={
                "outcome": decision.outcome if decision else "",
                "reasons": decision.reasons if decision else "",
                "plenary_date": decision.plenary_date if decision else None,
            },
            kind=case.kind,
        )
    if "refer" in actions:
        bodies = selectors.active_referral_bodies()
        built["refer"] = ReferralForm(suggested=selectors.referral_suggestions(case, bodies), bodies=bodies)
    if "respond" in actions:
        awaited = [r for r in referrals if r.responded_on is None]
        built["respond"] = ResponseForm(case=case, awaited=awaited, initial={"responded_on": today_local()})
        built["progress"] = ReferralProgressForm(
            case=case, awaited=awaited, initial={"reported_on": today_local()}
        )
        built["cancel_referral"] = ReferralCancelForm(case=case, awaited=awaited)
    if "unmerge" in actions:
        built["unmerge"] = UnmergeForm()  # shown unless the page says why it cannot be undone now
    built.update(bound)
    # Several of these forms share field names ("reason", "statement"): each gets ids of its own,
    # so that every label points at its own field.
    for key, form in built.items():
        form.auto_id = f"id_{key}_%s"
    return built


def _detail(request: HttpRequest, case: Case, bound: dict[str, forms.BaseForm] | None = None) -> HttpResponse:
    """The case page. Each section's rows are read once, in a fixed number of queries whatever
    their number (``test_case_page_queries``): officers open it many times a day."""
    user = _user(request)
    handles = handles_cases(user)
    actions = actions_for(user, case)
    merged_reporters = selectors.merged_reporters_for(user, case)
    links = selectors.case_links(case, user)
    referrals = selectors.case_referrals(case)
    clarifications = selectors.case_clarifications(case) if handles or "clarification" in actions else []
    reporter = selectors.reporter_for(user, case)
    witnesses = selectors.witnesses_for(user, case)
    evidence, brought = selectors.evidence_with_merged(user, case) if handles else ([], [])
    # Each merged case's files say which case they came with (read with the links, no query more).
    linked = {link["case"].pk: link["case"] for link in links if link["case"] is not None}
    merged_evidence = [(item, linked.get(item.case_id)) for item in brought]
    attachments = [a for c in clarifications for a in c.attachments.all()]
    recorded = _Recorded(reporter, witnesses, evidence + attachments)
    # Like the tip's history, where it is kept: for the roles that handle cases.
    penelusuran = selectors.penelusuran_of(case) if handles else None
    logged = selectors.case_logged_changes(case, user) if handles else None
    undelivered = selectors.pelapor_mail_undelivered(case, reporter, merged_reporters)
    shown_by_other_apps: list[str] = []
    context = {
        "case": case,
        "actions": actions,
        # The next steps section, unless correcting the data (a button above) is all there is.
        "has_steps": bool(actions - {"correct"}),
        "forms": _forms_for(
            case,
            actions,
            bound or {},
            clarifications=clarifications,
            referrals=referrals,
            recorded=recorded,
            penelusuran=penelusuran,
            logged=logged,
        ),
        "penelusuran": penelusuran,
        "handles": handles,
        "history": case.history.select_related("actor"),
        "corrections": logged.corrections if logged else [],
        # Shown with the linked cases: a link removed, by whom, when and why.
        "removed_links": logged.removed_links if logged else [],
        "withdrawn_invitations": logged.withdrawn_invitations if logged else [],
        "supplements": logged.supplements if logged else [],
        "source_url": selectors.case_source_url(case),
        "deadlines": selectors.case_deadlines(case, referrals=referrals),
        "pending_clocks": selectors.case_pending_clocks(case),
        "reporter": reporter,
        "witnesses": witnesses,
        "evidence": evidence,
        "merged_evidence": merged_evidence,
        "clarifications": clarifications if handles else [],
        "requirements": selectors.requirements_of(case),
        # The kajian quotes the pelapor and the saksi: for the handling roles only (UU 27/2022).
        "study": selectors.study_of(case) if handles else None,
        "decision": selectors.decision_of(case),
        "referrals": referrals,
        "links": links,
        "merged_into": selectors.merged_into_for(user, case),
        # Compared only for those who can act on it (the text comparison costs tens of ms).
        "related": selectors.related_for_page(user, case) if "link" in actions else [],
        "can_link": "link" in actions,
        # Removing a link as related is the same people's step, in any status.
        "can_unlink": user.role in ROLE_ACTIONS["link"],
        "unmerge_problem": workflow.unmerge_problem(case) if "unmerge" in actions else None,
        # Incomplete past its completion deadline: the page says the next step is "not registered".
        "completion_lapsed": workflow.completion_lapsed(case),
        "merged_reporters": merged_reporters,
        # Status e-mails that never reached a pelapor: they must be told otherwise (issue 4); once
        # the office did, listed as told.
        "undelivered_mail": [m for m in undelivered if m.told is None],
        "told_mail": [m for m in undelivered if m.told is not None],
        "pelapor_told_form": _pelapor_told_form(bound, undelivered),
        # What the parts other apps render into the page show of people, each adding its name here
        # while the page renders (the ASN app's panel: "asn", a person of its register with their
        # NIP): logged with the rest below. This app imports none of them (ARCHITECTURE.md), and
        # the panel reads what it shows only as it renders, so it tells rather than being asked.
        "personal_shown": shown_by_other_apps,
    }
    shown = [
        name
        for name, present in (
            ("pelapor", context["reporter"]),
            ("saksi", context["witnesses"]),
            ("terlapor", case.terlapor_address or case.terlapor_phone),
            # Who was heard and what they said (the berita acara), and the kajian that quotes the
            # pelapor and the saksi: personal data too, on a temuan that has no pelapor as well.
            ("klarifikasi", context["clarifications"]),
            ("kajian", context["study"]),
        )
        if handles and present
    ]
    response = render(request, "cases/detail.html", context)
    shown += shown_by_other_apps
    # Each merged laporan's pelapor is logged against their own laporan: asked who saw their data,
    # the office finds it under the case they filed.
    _audit_personal_views(user, [(case, shown), *((r.case, ["pelapor"]) for r in merged_reporters)])
    return response


def _pelapor_told_form(
    bound: dict[str, forms.BaseForm] | None, undelivered: list[selectors.UndeliveredMail]
) -> forms.BaseForm:
    """The step on "e-mail to the pelapor not delivered": the messages still a warning."""
    form = (bound or {}).get("pelapor_told") or PelaporToldForm(
        mail_ids=[m.pk for m in undelivered if m.told is None]
    )
    form.auto_id = "id_pelapor_told_%s"  # the supplement form has a "note" too: ids of its own
    return form


@allow(VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.case_page_get(_user(request), pk))


@allow(HANDLING)  # the roles that see the pelapor's contact (UU 27/2022)
@require_POST
def pelapor_told(request: HttpRequest, pk: int) -> HttpResponse:
    """On "e-mail to the pelapor not delivered": the office told the pelapor another way. Any
    status: the e-mail of a closed case's decision fails as well."""
    user = _user(request)
    case = selectors.case_get(user, pk)
    # The messages this user is shown (their pelapor, in their area), as on the case page.
    shown = selectors.pelapor_mail_undelivered(
        case, selectors.reporter_for(user, case), selectors.merged_reporters_for(user, case)
    )
    form = PelaporToldForm(request.POST, mail_ids=[m.pk for m in shown])
    if form.is_valid():
        data = form.cleaned_data
        try:
            count = notify.pelapor_told_otherwise(
                case=case,
                mail_ids=data["mail"],
                how=data["how"],
                told_on=data["told_on"],
                note=data["note"],
                actor=user,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Recorded: the pelapor was told of %(count)d undelivered e-mail another way.",
                    "Recorded: the pelapor was told of %(count)d undelivered e-mails another way.",
                    count,
                )
                % {"count": count},
            )
            return redirect("cases:detail", pk=case.pk)
    _not_saved(request, form)
    return _detail(request, case, bound={"pelapor_told": form})


def _not_now(request: HttpRequest, case: Case) -> HttpResponse:
    """A step the case's status (or the user's role) does not allow, e.g. from a page left open
    while a colleague moved the case on: say which status it is in, and show the case."""
    messages.error(
        request,
        _("This step is not possible for this case now: it is “%(status)s”.")
        % {"status": case.get_status_display()},
    )
    return redirect("cases:detail", pk=case.pk)


def _step(
    request: HttpRequest,
    pk: int,
    action: str,
    form_key: str,
    build: Callable[[Case], forms.BaseForm],
    perform: Callable[[Case, Any], Any],
    done: str,
) -> HttpResponse:
    """Run one step from a posted form: check it is allowed now, validate, call the service,
    and on any refusal show the case again with the form as typed and the reason."""
    case = selectors.case_get(_user(request), pk)
    if action not in actions_for(_user(request), case):
        return _not_now(request, case)
    form = build(case)
    if form.is_valid():
        try:
            perform(case, form.cleaned_data)
        except EvidenceRejected as error:
            _show_errors(form, error, "attachments" if "attachments" in form.fields else None)
        except ValidationError as error:
            _show_errors(form, error)
        else:
            if done:
                messages.success(request, done)
            return redirect("cases:detail", pk=case.pk)
    _not_saved(request, form)
    case.refresh_from_db()
    return _detail(request, case, bound={form_key: form})


def _lapsed_due(case: Case) -> dt.date | None:
    """The pelapor's completion deadline, once it has passed with the laporan still incomplete."""
    return case.completion_due if workflow.completion_lapsed(case) else None


@allow(ROLE_ACTIONS["requirements"])
@require_POST
def case_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> None:
        check = workflow.requirements_check(
            case=case,
            checks=data,
            notes=data.get("notes", ""),
            actor=_user(request),
            completed_on=data.get("completed_on"),
        )
        case.refresh_from_db(fields=["status", "registration_number", "completion_due"])
        if case.status == CaseStatus.REGISTERED:
            messages.success(
                request,
                _("The requirements are complete: the laporan is registered as %(number)s.")
                % {"number": case.registration_number},
            )
        elif (
            case.status == CaseStatus.INCOMPLETE
            and case.completion_due is not None
            # Checked again after the time ran out: no "until" a past day (the page says it ran out).
            and not workflow.completion_lapsed(case)
        ):
            messages.success(
                request,
                _(
                    "Requirements saved. The pelapor is told what is missing and has until %(due)s to "
                    "complete it."
                )
                % {"due": tanggal(case.completion_due)},
            )
        else:
            messages.success(request, _("Requirements saved."))
        if not check.formal_in_time:
            messages.warning(
                request,
                _(
                    "Filed after the filing deadline: nothing the pelapor adds can cure that, so no time to "
                    "complete it is given. Record it as not registered, with the reason; the supervisors may "
                    "still follow the matter up as their own finding (temuan)."
                ),
            )

    return _step(
        request,
        pk,
        "requirements",
        "requirements",
        lambda case: RequirementsForm(request.POST, lapsed_due=_lapsed_due(case)),
        perform,
        "",  # said by ``perform``: registered with its number, or until when the pelapor may complete
    )


@allow(ROLE_ACTIONS["supplement"])
@require_POST
def case_supplement(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> None:
        workflow.case_supplement(
            case=case,
            files=data["attachments"],
            witness=SupplementForm.witness_from(data),
            note=data["note"],
            actor=_user(request),
            brought_on=data.get("brought_on"),
        )
        brought = data.get("brought_on") or today_local()
        if workflow.completion_lapsed(case):  # the state before the step: ``case`` is not reread
            assert case.completion_due is not None  # what makes it lapsed
            days = {"brought": tanggal(brought), "due": tanggal(case.completion_due)}
            if brought <= case.completion_due:
                messages.success(
                    request,
                    _(
                        "Added to the case as brought on %(brought)s, within the completion deadline of "
                        "%(due)s. Check the requirements again: the day completed is filled in."
                    )
                    % days,
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Added to the case as brought on %(brought)s, after the completion deadline of "
                        "%(due)s: it is kept, but the laporan was not completed in time. Record it as not "
                        "registered, with the reason."
                    )
                    % days,
                )
        elif case.kind == CaseKind.INFORMASI_AWAL:
            messages.success(
                request, _("Added to the informasi awal: it goes with it into the temuan if taken up.")
            )
        else:
            messages.success(
                request, _("Added to the case. Check the requirements again if it was incomplete.")
            )

    return _step(
        request,
        pk,
        "supplement",
        "supplement",
        lambda case: SupplementForm(request.POST, request.FILES, kind=case.kind),
        perform,
        "",  # said by ``perform``, by the kind of case
    )


@allow(ROLE_ACTIONS["register"])
@require_POST
def case_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "register",
        "register",
        lambda case: TemuanRegisterForm(request.POST),
        lambda case, data: workflow.case_register(
            case=case, established_on=data["established_on"], actor=_user(request)
        ),
        _("Registered."),
    )


@allow(ROLE_ACTIONS["not_registered"])
@require_POST
def case_not_registered(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "not_registered",
        "not_registered",
        lambda case: NotRegisteredForm(request.POST, kind=case.kind),
        lambda case, data: workflow.case_not_registered(
            case=case, reason=data["reason"], by_decision=data.get("by_decision", False), actor=_user(request)
        ),
        _("Recorded as not registered."),
    )


@allow(ROLE_ACTIONS["more_info"])
@require_POST
def case_more_info(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> None:
        asked = workflow.request_more_information(case=case, what=data["what"], actor=_user(request))
        if asked.overdue_since is not None:
            messages.warning(
                request,
                _(
                    "The decision deadline had already passed on %(date)s: the extension does not undo "
                    "that, and the audit log keeps the date."
                )
                % {"date": tanggal(asked.overdue_since)},
            )
        if asked.emailed or case.kind != CaseKind.LAPORAN:  # told, or a temuan: nobody to tell
            return
        if not notify.pelapor_emails_on():
            messages.warning(
                request,
                _(
                    "This office sends the pelapor no e-mail, so nobody has been told yet: tell them by "
                    "phone or by letter what is asked."
                ),
            )
        else:
            messages.warning(
                request,
                _(
                    "The pelapor gave no e-mail address, so nobody has been told yet: tell them by phone "
                    "or by letter what is asked."
                ),
            )

    return _step(
        request,
        pk,
        "more_info",
        "more_info",
        lambda case: MoreInfoForm(request.POST, kind=case.kind),
        perform,
        _("More information requested; the decision deadline is extended."),
    )


def _roughly(case: Case) -> dict[str, str]:
    """The take-up form asks the day of the event only of a tip sent without it."""
    return {"roughly_when": case.event_time_note} if case.event_date is None and case.event_time_note else {}


@allow(ROLE_ACTIONS["take_up"])
@require_POST
def informasi_awal_take_up(request: HttpRequest, pk: int) -> HttpResponse:
    created: dict[str, Case] = {}

    def perform(case: Case, data: dict[str, Any]) -> None:
        created["temuan"] = workflow.informasi_awal_take_up(
            tip=case,
            reason=data["reason"],
            found_on=data["found_on"],
            event_date=data.get("event_date"),
            actor=_user(request),
        )

    response = _step(
        request,
        pk,
        "take_up",
        "take_up",
        lambda case: TakeUpForm(
            request.POST,
            received_on=local(case.received_at).date(),
            election_type=case.election_type,
            **_roughly(case),
        ),
        perform,
        _("Taken up as a temuan."),
    )
    if "temuan" in created:
        return redirect("cases:detail", pk=created["temuan"].pk)
    return response


@allow(ROLE_ACTIONS["archive"])
@require_POST
def informasi_awal_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "archive",
        "archive",
        lambda case: ArchiveForm(request.POST),
        lambda case, data: workflow.informasi_awal_archive(
            tip=case, reason=data["reason"], public_reason=data["public_reason"], actor=_user(request)
        ),
        _("Archived."),
    )


@allow(ROLE_ACTIONS["clarification"])
@require_POST
def clarification_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> None:
        invitation = workflow.clarification_invite(case=case, actor=_user(request), **data)
        clarification = invitation.clarification
        if invitation.emailed:
            messages.success(
                request,
                _(
                    "Clarification scheduled. The pelapor is told its day, hour and place by e-mail; print "
                    "the invitation below and send the signed letter too."
                ),
            )
        elif clarification.scheduled_at > timezone.now():
            role = dict(Clarification._meta.get_field("invitee_role").choices or []).get(
                clarification.invitee_role, clarification.invitee_role
            )
            # Awas has no address for a terlapor or saksi (nor for a pelapor who gave none): the
            # printed letter is all that reaches them.
            messages.success(
                request,
                _(
                    "Clarification scheduled. Awas could not tell the invitee (%(role)s): print the "
                    "invitation below and deliver it to them."
                )
                % {"role": role},
            )
        else:
            messages.success(request, _("Clarification scheduled; print the invitation below."))
        # The plenary decides by the decision deadline (UU 10/2016 Pasal 134 ayat (5); UU 7/2017
        # Pasal 454): an invitation for a later day is a mistyped date (2027 for 2026) or a hearing
        # the plenary will not wait for. Said now, while the letter is still unprinted.
        held_on = local(clarification.scheduled_at).date()
        if case.decision_due and held_on > case.decision_due:
            messages.warning(
                request,
                _(
                    "The clarification (%(date)s) is after the decision deadline (%(due)s). Check the "
                    "date before printing the invitation; if it is right, the plenary decides without "
                    "hearing them unless the deadline is extended."
                )
                % {"date": tanggal(held_on), "due": tanggal(case.decision_due)},
            )

    return _step(
        request,
        pk,
        "clarification",
        "clarification",
        lambda case: ClarificationScheduleForm(request.POST, kind=case.kind),
        perform,
        "",  # said by ``perform``: whether the pelapor was e-mailed, or who delivers the letter
    )


@allow(ROLE_ACTIONS["clarification"])
@require_POST
def clarification_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "clarification",
        "clarification_record",
        lambda case: ClarificationRecordForm(request.POST, request.FILES, case=case),
        lambda case, data: workflow.clarification_record(actor=_user(request), **data),
        _("Berita acara saved."),
    )


@allow(ROLE_ACTIONS["clarification"])
@require_POST
def clarification_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(case: Case, data: dict[str, Any]) -> None:
        withdrawn = workflow.clarification_cancel(actor=_user(request), **data)
        if withdrawn.emailed:
            messages.success(
                request, _("Invitation withdrawn. The pelapor is told by e-mail that they need not come.")
            )
            return
        if withdrawn.meeting_past:  # its day is gone: nobody would come to it now
            messages.success(request, _("Invitation withdrawn."))
            return
        role = dict(Clarification._meta.get_field("invitee_role").choices or []).get(
            withdrawn.invitee_role, withdrawn.invitee_role
        )
        # Awas has no address for a terlapor or saksi (nor for a pelapor who gave none): an invitee
        # not told would come on the day of a meeting that is not held.
        messages.warning(
            request,
            _(
                "Invitation withdrawn. Awas could not tell the invitee (%(role)s): tell them by letter or "
                "phone that they need not come."
            )
            % {"role": role},
        )

    return _step(
        request,
        pk,
        "clarification",
        "cancel_clarification",
        lambda case: ClarificationCancelForm(request.POST, case=case),
        perform,
        "",  # said by ``perform``: whether the invitee was told, or must be
    )


@allow(ROLE_ACTIONS["study"])
@require_POST
def case_study(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "study",
        "study",
        lambda case: StudyForm(request.POST),
        lambda case, data: workflow.study_save(case=case, actor=_user(request), **data),
        _("Kajian saved."),
    )


@allow(ROLE_ACTIONS["decide"])
@require_POST
def case_decision(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "decide",
        "decide",
        lambda case: DecisionForm(request.POST, case=case),
        lambda case, data: workflow.decision_record(case=case, actor=_user(request), **data),
        _("Decision recorded."),
    )


@allow(ROLE_ACTIONS["correct_decision"])
@require_POST
def case_decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "correct_decision",
        "correct_decision",
        lambda case: DecisionCorrectionForm(request.POST, kind=case.kind),
        lambda case, data: workflow.decision_correct(case=case, actor=_user(request), **data),
        _("Decision corrected."),
    )


@allow(ROLE_ACTIONS["refer"])
@require_POST
def case_referral(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "refer",
        "refer",
        lambda case: ReferralForm(request.POST, suggested=selectors.referral_suggestions(case)),
        lambda case, data: workflow.referral_create(
            case=case, body=data["body"], sent_on=data["sent_on"], actor=_user(request)
        ),
        _("Referral recorded; print the letter below."),
    )


@allow(ROLE_ACTIONS["respond"])
@require_POST
def referral_response(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "respond",
        "respond",
        lambda case: ResponseForm(request.POST, case=case),
        lambda case, data: workflow.referral_record_response(actor=_user(request), **data),
        _("Answer recorded."),
    )


@allow(ROLE_ACTIONS["respond"])
@require_POST
def referral_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "respond",
        "progress",
        lambda case: ReferralProgressForm(request.POST, case=case),
        lambda case, data: workflow.referral_record_progress(actor=_user(request), **data),
        _("Progress recorded."),
    )


@allow(ROLE_ACTIONS["respond"])
@require_POST
def referral_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "respond",
        "cancel_referral",
        lambda case: ReferralCancelForm(request.POST, case=case),
        lambda case, data: workflow.referral_cancel(actor=_user(request), **data),
        _("Referral withdrawn."),
    )


# --- related cases -----------------------------------------------------------------------------


def _related_page(
    request: HttpRequest, case: Case, failed: LinkForm | None = None, other: Case | None = None
) -> HttpResponse:
    """The candidates, and after a refused link or merge the form as typed with the reason."""
    user = _user(request)
    candidates = selectors.related_candidates(case, within=Case.objects.visible_to(user), limit=50)
    context = {
        "case": case,
        "candidates": selectors.with_merge_problems(case, candidates),
        "can_link": "link" in actions_for(user, case),
        "failed": failed,
        "failed_other": other,
        # Which of the two a merge would keep, said beside the button offered again.
        "failed_plan": workflow.merge_plan(case, other) if other and other.pk != case.pk else None,
    }
    return render(request, "cases/related.html", context)


@allow(VIEW)
def case_related(request: HttpRequest, pk: int) -> HttpResponse:
    return _related_page(request, selectors.case_get(_user(request), pk))


@allow(ROLE_ACTIONS["link"])
@require_POST
def case_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link or merge (from the case page or the related cases page); a refusal shows the related
    cases page with the reason and the form as typed."""
    user = _user(request)
    case = selectors.case_get(user, pk)
    if "link" not in actions_for(user, case):
        return _not_now(request, case)
    form = LinkForm(request.POST)
    valid = form.is_valid()
    other_pk = form.cleaned_data.get("other")
    # Outside the user's scope the other case is a 404, never a hint that it exists.
    other = selectors.case_get(user, other_pk) if other_pk is not None else None
    if not valid or other is None:
        return _related_page(request, case, form, other)
    try:
        if form.cleaned_data["mode"] == "merge":
            kept = workflow.case_merge(case=case, other=other, reason=form.cleaned_data["reason"], actor=user)
            merged = other if kept.pk == case.pk else case
            messages.success(
                request, _("%(merged)s was merged into %(kept)s.") % {"merged": merged, "kept": kept}
            )
            return redirect("cases:detail", pk=kept.pk)
        workflow.case_link(case=case, other=other, actor=user)
    except ValidationError as error:
        _show_errors(form, error)
        return _related_page(request, case, form, other)
    messages.success(request, _("Linked as related."))
    return redirect("cases:detail", pk=case.pk)


@allow(ROLE_ACTIONS["link"])
@require_POST
def case_unlink(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    """Remove a link as related made by mistake (from either case's page), with the reason asked
    beside the button: no reason, nothing removed (a stray click removes nothing)."""
    user = _user(request)
    case = selectors.case_get(user, pk)
    link = selectors.case_link_get(case, link_pk)
    form = UnlinkForm(request.POST)
    back = redirect(reverse("cases:detail", args=[case.pk]) + "#links")
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return back
    try:
        workflow.case_unlink(link=link, reason=form.cleaned_data["reason"], actor=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(request, _("The link was removed."))
    return redirect("cases:detail", pk=case.pk)


@allow(ROLE_ACTIONS["unmerge"])
@require_POST
def case_unmerge(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "unmerge",
        "unmerge",
        lambda case: UnmergeForm(request.POST),
        lambda case, data: workflow.case_unmerge(case=case, reason=data["reason"], actor=_user(request)),
        _("The merge was undone: the case is handled on its own again, with its own deadlines."),
    )


# --- files -------------------------------------------------------------------------------------


def _audit_read(user: Any, case: Case, action: str, detail: dict[str, Any]) -> None:
    with transaction.atomic():
        audit_record(action=action, obj=case, actor=user, after=detail)


PERSONAL_VIEWED = "case.personal_viewed"


def _audit_personal_view(user: Any, case: Case, shown: list[str]) -> None:
    """A page that shows the pelapor's identity, the saksi or the terlapor's contacts discloses
    personal data (UU 27/2022): logged once a day for each user, case and what was shown (a page
    reloaded all afternoon is one entry, not fifty; the correction page's terlapor first does not
    hide the pelapor seen later)."""
    _audit_personal_views(user, [(case, shown)])


def _audit_personal_views(user: Any, shown_on_page: list[tuple[Case, list[str]]]) -> None:
    """``_audit_personal_view`` for every case one page shows personal data of, asking the log
    once for all of them."""
    shown_on_page = [(case, shown) for case, shown in shown_on_page if shown]
    if not shown_on_page:
        return
    logged = selectors.personal_shown_today(user, [case for case, _shown in shown_on_page], PERSONAL_VIEWED)
    for case, shown in shown_on_page:
        if set(shown) - logged[case.pk]:
            _audit_read(user, case, PERSONAL_VIEWED, {"shown": shown})


@allow(HANDLING)
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    user = _user(request)
    case = selectors.case_get(user, pk)
    item = get_object_or_404(CaseEvidence.objects.select_related("evidence"), pk=evidence_pk, case=case)
    _audit_read(user, case, "case.evidence_opened", {"sha256": item.evidence.sha256})
    response = FileResponse(
        evidence_open(item.evidence),
        as_attachment=True,
        filename=item.name,
        content_type=item.evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _document(
    request: HttpRequest, case: Case, document: str, build: Callable[[], bytes], filename: str, **detail: Any
) -> HttpResponse:
    """A letter or record of the case, generated now, as a download. Generating it is audited
    (``document`` names which, ``detail`` which one): it carries personal data (UU 27/2022)."""
    _audit_read(_user(request), case, "case.document_generated", {"document": document, **detail})
    return _file(build(), PDF_TYPE if filename.endswith(".pdf") else DOCX_TYPE, filename)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    # RFC 6266 (filename*): a name such as "Ṣāliḥ" survives instead of breaking the header.
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _safe_name(text: str) -> str:
    return file_safe(text)[:60] or "dokumen"


@allow(HANDLING)
def invitation_pdf(request: HttpRequest, pk: int, clarification_pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    clarification = get_object_or_404(Clarification, pk=clarification_pk, case=case)
    return _document(
        request,
        case,
        "undangan.pdf",
        lambda: documents.invitation_pdf(clarification),
        f"undangan-klarifikasi-{_safe_name(clarification.letter_number)}.pdf",
        letter=clarification.letter_number,
    )


@allow(HANDLING)
def invitation_docx(request: HttpRequest, pk: int, clarification_pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    clarification = get_object_or_404(Clarification, pk=clarification_pk, case=case)
    return _document(
        request,
        case,
        "undangan.docx",
        lambda: documents.invitation_docx(clarification),
        f"undangan-klarifikasi-{_safe_name(clarification.letter_number)}.docx",
        letter=clarification.letter_number,
    )


@allow(HANDLING)
def berita_acara_pdf(request: HttpRequest, pk: int, clarification_pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    clarification = get_object_or_404(
        Clarification.objects.select_related("recorded_by"),
        pk=clarification_pk,
        case=case,
        held_at__isnull=False,
    )
    return _document(
        request,
        case,
        "berita-acara-klarifikasi.pdf",
        lambda: documents.berita_acara_pdf(clarification),
        f"berita-acara-klarifikasi-{_safe_name(clarification.invitee_name)}-{clarification.pk}.pdf",
        clarification=clarification.pk,
    )


@allow(HANDLING)
def kajian_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    study = get_object_or_404(Study.objects.select_related("author", "case__region__parent"), case=case)
    return _document(
        request,
        case,
        "kajian.pdf",
        lambda: documents.kajian_pdf(study),
        f"kajian-{_safe_name(str(case))}.pdf",
    )


@allow(HANDLING)
def referral_letter_pdf(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    referral = get_object_or_404(Referral.objects.select_related("body", "case"), pk=referral_pk, case=case)
    return _document(
        request,
        case,
        "penerusan.pdf",
        lambda: documents.referral_letter_pdf(referral),
        f"penerusan-{_safe_name(referral.letter_number)}.pdf",
        letter=referral.letter_number,
    )


@allow(HANDLING)
def referral_letter_docx(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    referral = get_object_or_404(Referral.objects.select_related("body", "case"), pk=referral_pk, case=case)
    return _document(
        request,
        case,
        "penerusan.docx",
        lambda: documents.referral_letter_docx(referral),
        f"penerusan-{_safe_name(referral.letter_number)}.docx",
        letter=referral.letter_number,
    )


@allow(HANDLING)
def status_notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(_user(request), pk)
    if case.kind != CaseKind.LAPORAN:
        messages.error(request, _("Only a laporan has a pelapor to notify."))
        return redirect("cases:detail", pk=case.pk)
    return _document(
        request,
        case,
        "pemberitahuan-status.pdf",
        lambda: documents.status_notice_pdf(case),
        f"pemberitahuan-status-{_safe_name(str(case))}.pdf",
    )


def _receipt_case(request: HttpRequest, pk: int) -> Case:
    case = selectors.case_get(_user(request), pk)
    if case.kind != CaseKind.LAPORAN:
        raise Http404("only a laporan has a tanda terima")
    return case


@allow(HANDLING)
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The tanda terima of a laporan, for the pelapor (in person, or attached to an e-mail reply):
    the real channel, the pelapor's name and who received it. Reading it is audited."""
    case = _receipt_case(request, pk)
    _audit_read(_user(request), case, "case.document_generated", {"document": "tanda-terima.pdf"})
    content = intake_services.receipt_pdf(case, personal=True, tracking_url=tracking_page_url(request))
    return document_response(content, f"tanda-terima-{case.tracking_code}.pdf")


@allow(HANDLING)
def receipt_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The same tanda terima as a page to print from the browser."""
    case = _receipt_case(request, pk)
    _audit_read(_user(request), case, "case.document_generated", {"document": "tanda-terima.html"})
    links = {
        "back_url": reverse("cases:detail", args=[case.pk]),
        "pdf_url": reverse("cases:receipt_pdf", args=[case.pk]),
        "tracking_url": tracking_page_url(request),
        "screen_language": translation.get_language(),  # the links above the receipt, not printed
    }
    return HttpResponse(intake_services.receipt_html(case, personal=True, extra=links))
