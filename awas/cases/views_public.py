"""The public's pages: file a laporan or an informasi awal, get a receipt, follow it with a code.

No account, a phone, a slow link, Indonesian unless the visitor picked another language. Pages
are server-rendered, gzip-compressed where that leaks nothing (awas.core.compression) and never cached
(each form carries a one-time key).
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import re
import secrets
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awas.cases.forms_public import (
    KEPT_MAX_AGE,
    PUBLIC_ELECTION_LABELS,
    InformasiForm,
    KeptEvidence,
    LaporanForm,
    PublicFilingForm,
    TrackForm,
    evidence_items,
)
from awas.cases.services.intake import (
    IDEMPOTENCY_KEY_RE,
    MAX_EVIDENCE_FILES,
    case_intake,
    filing_in_time_since,
    filing_rule,
    office_contact,
    office_name,
    office_today,
    receipt_context,
    receipt_pdf,
    tracking_blocked,
    tracking_code_for_key,
    tracking_find,
    tracking_miss,
    tracking_normalise,
    tracking_public,
)
from awas.cases.services.notify import public_url
from awas.core.access import public
from awas.core.compression import compressed_page
from awas.core.language import (
    View,
    indonesian_by_default,
    language_remember,
    language_switch,
    language_switch_asked,
)
from awas.core.models.deadlines import ElectionType
from awas.core.request_context import client_ip
from awas.core.services.deadlines import EXTENSION_SUFFIX, office_election_types, rule_get
from awas.core.services.evidence import EvidenceRejected, evidence_prepare


def new_idempotency_key() -> str:
    return secrets.token_urlsafe(24)


# --- the browser that filed ----------------------------------------------------------------------

# The receipt names the pelapor only in the browser that filed the report (UU 27/2022): the
# tracking code is printed on staff pages and receipts and may be forwarded, so holding it is not
# enough. The codes filed are kept in a signed cookie that lasts while the browser is open and is
# accepted for FILED_MAX_AGE seconds: no session row is written on the intake path.
FILED_COOKIE = "awas_filed"
FILED_SALT = "awas.cases.receipt"
FILED_MAX_CODES = 10
FILED_MAX_AGE = 10 * 60 * 60


def _filed_codes(request: HttpRequest) -> list[str]:
    value = request.get_signed_cookie(FILED_COOKIE, default="", salt=FILED_SALT, max_age=FILED_MAX_AGE)
    return [code for code in str(value).split(",") if code]


def filed_here(request: HttpRequest, case_code: str) -> bool:
    """Whether this browser filed the report with this tracking code (recently)."""
    return case_code in _filed_codes(request)


# The page's script (cases/kirim.js) sends the form itself, to show the upload's progress and to
# keep everything on the page when a weak connection drops. It marks its requests with this
# header; for them a filing answers "204, the receipt is there" instead of a redirect, which the
# script could not see (a request from a script follows redirects by itself).
SENT_BY_SCRIPT_HEADER = "X-Awas-Kirim"
RECEIPT_HEADER = "X-Awas-Tanda-Terima"
RECEIPT_PDF_CACHE_SECONDS = 60 * 60
# A kept file whose token no longer reads, or whose bytes were pruned (the form was left for days).
KEPT_LOST = gettext_lazy("A file sent earlier could not be kept (the form is too old). Attach it again.")


def tracking_page_url(request: HttpRequest) -> str:
    """The public tracking page's full address, printed on receipts. ``AWAS_PUBLIC_URL`` when the
    public reaches the office at another address than this request came in on (staff printing)."""
    return public_url(reverse("public:track"), request)


def _to_receipt(request: HttpRequest, code: str) -> HttpResponse:
    url = reverse("public:receipt", kwargs={"code": code})
    if request.headers.get(SENT_BY_SCRIPT_HEADER) == "1":
        response = HttpResponse(status=204)
        response[RECEIPT_HEADER] = url
    else:
        response = redirect(url)
    return _remember_filed(request, response, code)


def _remember_filed(request: HttpRequest, response: HttpResponse, code: str) -> HttpResponse:
    codes = [c for c in _filed_codes(request) if c != code] + [code]
    response.set_signed_cookie(
        FILED_COOKIE,
        ",".join(codes[-FILED_MAX_CODES:]),
        salt=FILED_SALT,
        path=reverse("public:index"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


# --- uploads -------------------------------------------------------------------------------------


class EvidenceLimitHandler(FileUploadHandler):
    """Stop reading a file once it passes the evidence limit, and files beyond the count allowed.

    Runs before Django's own handlers, so an oversized video is never written to a temporary
    file; the view names each skipped file in its message.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int = settings.AWAS_EVIDENCE_MAX_BYTES
        self.too_big: list[str] = []
        self.too_many: list[str] = []
        self.files = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        # Skipping is done on the first chunk, not here: SkipFile raised now would make Django
        # close the previous file's handle, before the other handlers have opened this one.
        super().new_file(*args, **kwargs)
        self.files += 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if self.files > MAX_EVIDENCE_FILES:
            if start == 0:
                self.too_many.append(str(self.file_name))
            raise SkipFile()
        if start + len(raw_data) > self.limit:
            self.too_big.append(str(self.file_name))
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


# The cookie that binds the files kept on a public form to the browser that sent them. Not the CSRF
# cookie: the page's own source carries the form's CSRF token, from which that secret is worked
# out at once (masking only defeats BREACH), so a copied page would carry the binding with it.
# This one is HttpOnly and never written into a page.
KEPT_HOLDER_COOKIE = "awas_kept"
KEPT_HOLDER_RE = re.compile(r"^[0-9a-f]{32}$")


def kept_holder(request: HttpRequest) -> str:
    """The secret of this browser that the tokens of its kept files are signed with: its
    ``KEPT_HOLDER_COOKIE``, set with the form when it is first drawn (``_render_form``), so that
    every post of the form carries it (with or without the page's script, and the same in both
    copies of a double submit); a new one for a browser that had none (its files of this post are
    then kept for the cookie sent back with the page). No session row on the intake path."""
    holder = getattr(request, "_awas_kept_holder", None)
    if holder is None:
        sent = request.COOKIES.get(KEPT_HOLDER_COOKIE, "")
        holder = sent if KEPT_HOLDER_RE.match(sent) else secrets.token_hex(16)
        request._awas_kept_holder = holder  # type: ignore[attr-defined]
    return str(holder)


def filing_key_of(holder: str, key: str) -> str:
    """The form's one-time ``key`` as stored with its filing, bound to the browser's ``holder``."""
    digest = hmac.new(holder.encode(), key.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")  # 43 characters, as keys are


def filing_key(request: HttpRequest, key: str) -> str:
    """The one-time key of the form as stored with the filing: bound to the browser that sent it
    (its ``KEPT_HOLDER_COOKIE``, HttpOnly and never in a page). Sent twice from one browser (a
    double tap, a retry on a slow link) it is one filing, whose receipt comes back; a copy of the
    page (saved, forwarded, left in a shared phone's history) sent from another browser is not
    taken for that filing, and is not shown its receipt, which says what was reported and by
    whom (UU 27/2022). A post without the cookie (a form never drawn: a script) binds to none.
    The cookie lasts ``KEPT_MAX_AGE`` (2 days) from the form's last drawing: a form sent just
    before that and retried after it (its answer lost) binds to none the second time and is a
    second laporan. Accepted: a duplicate is seen and merged by the office, while falling back to
    the bare key would hand the filer's receipt to any copy of the page."""
    holder = request.COOKIES.get(KEPT_HOLDER_COOKIE, "")
    return filing_key_of(holder if KEPT_HOLDER_RE.match(holder) else "", key)


def _kept_holder_remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Send the holder back with every drawing of the form: a browser without one gets it before
    it sends any file, and the cookie lasts as long as the tokens on the page (``KEPT_MAX_AGE``)."""
    response.set_cookie(
        KEPT_HOLDER_COOKIE,
        kept_holder(request),
        max_age=KEPT_MAX_AGE,
        path=reverse("public:index"),
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _collect_evidence(
    request: HttpRequest, limiter: EvidenceLimitHandler
) -> tuple[list[KeptEvidence], list[str]]:
    """Evidence received earlier (signed tokens) plus this request's uploads, each checked and its
    bytes kept at once (their records are saved with the filing).

    Returns what is kept and one message per refused file, naming it. A token made for another
    browser is not taken: it gets the message of a token too old, which names nothing.
    """
    kept: dict[str, KeptEvidence] = {}
    problems: list[str] = []
    holder = kept_holder(request)
    for token in request.POST.getlist("kept"):
        item = KeptEvidence.from_token(token, holder=holder)
        if item is None:
            problems.append(str(KEPT_LOST))
        else:
            kept.setdefault(item.sha256, item)
    for name in limiter.too_big:
        problems.append(_too_big_message(name))
    for upload in request.FILES.getlist("bukti"):
        if len(kept) >= MAX_EVIDENCE_FILES:
            limiter.too_many.append(str(upload.name))
            continue
        try:
            evidence = evidence_prepare(data=upload, original_name=str(upload.name))
        except EvidenceRejected as rejected:
            problems.append(f"{upload.name}: {' '.join(rejected.messages)}")
            continue
        kept.setdefault(
            evidence.sha256, KeptEvidence.from_evidence(evidence, str(upload.name), holder=holder)
        )
    for name in limiter.too_many:
        problems.append(_too_many_message(name))
    return list(kept.values()), problems


def _too_big_message(name: str) -> str:
    return _("%(name)s: the file is larger than the limit of %(limit)s. Send a smaller or shorter file.") % {
        "name": name,
        "limit": filesizeformat(settings.AWAS_EVIDENCE_MAX_BYTES),
    }


def _too_many_message(name: str) -> str:
    return _("%(name)s: at most %(count)d files can be sent with one report.") % {
        "name": name,
        "count": MAX_EVIDENCE_FILES,
    }


# --- pages ---------------------------------------------------------------------------------------


def _public_page(view: View) -> View:
    return public(compressed_page(never_cache(indonesian_by_default(view))))


@_public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    elections = office_election_types()
    context: dict[str, Any] = {
        "office": office_name(),
        # While the office handles both, the rules of each, under the words the form offers.
        "both": len(elections) > 1,
        "election_labels": PUBLIC_ELECTION_LABELS,
    }
    if ElectionType.PILKADA in elections:
        context["filing_rule"] = filing_rule(ElectionType.PILKADA)
    if ElectionType.PEMILU in elections:
        # The page's rules of Pemilu come from the rules table (UU 7/2017 Pasal 454 ayat (6)-(8)).
        decision = rule_get(ElectionType.PEMILU, "decision")
        context.update(
            pemilu=True,
            pemilu_filing_rule=filing_rule(ElectionType.PEMILU),
            completion_rule=rule_get(ElectionType.PEMILU, "completion"),
            decision_rule=decision,
            decision_longest=decision.days
            + rule_get(ElectionType.PEMILU, "decision" + EXTENSION_SUFFIX).days,
        )
    return render(request, "cases/public/index.html", context)


FORM_TEMPLATES = {LaporanForm: "cases/public/laporan.html", InformasiForm: "cases/public/informasi.html"}
FILING_FORM_ID = "filing-form"  # the id of the <form> in both templates


def _render_form(
    request: HttpRequest,
    form: PublicFilingForm,
    *,
    key: str,
    kept: list[KeptEvidence] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    summary: list[dict[str, Any]] = [
        {
            "anchor": "" if field.is_hidden else field.id_for_label,
            "label": field.label,
            "message": " ".join(str(error) for error in field.errors),
        }
        for field in form
        if field.errors and field.name != "late_ok"  # the late notice explains itself
    ]
    summary += [{"anchor": "", "label": "", "message": str(error)} for error in form.non_field_errors()]
    today = office_today()
    context = {
        "form": form,
        "summary": summary,
        "idempotency_key": key,
        "kept": kept or [],
        "evidence_problems": problems or [],
        "max_files": MAX_EVIDENCE_FILES,
        # The header's language switch sends this form (core/base.html): nothing typed is lost.
        "language_keeps_form": FILING_FORM_ID,
        "max_size": settings.AWAS_EVIDENCE_MAX_BYTES,
        # The same messages, for the page's script to show when a file is chosen (cases/kirim.js).
        "too_big_message": _too_big_message("__NAME__"),
        "too_many_message": _too_many_message("__NAME__"),
        # The live warning of a laporan: per election the office handles, its filing limit and the
        # earliest known date still in time today (hari kerja counted past the holiday calendar
        # for Pemilu); the page shows the one of the election chosen (cases/lapor.js).
        "late_live": [
            {
                "election": election,
                "rule": filing_rule(election),
                "since": filing_in_time_since(today, election),
            }
            for election in office_election_types()
        ]
        if isinstance(form, LaporanForm)
        else [],
        "today": today,
        "late_deadline": getattr(form, "late_deadline", None),
    }
    return _kept_holder_remember(request, render(request, FORM_TEMPLATES[type(form)], context, status=status))


def _filing(request: HttpRequest, form_class: type[PublicFilingForm]) -> HttpResponse:
    if request.method != "POST":
        return _render_form(request, form_class(), key=new_idempotency_key())
    limiter = EvidenceLimitHandler(request)
    request.upload_handlers = [limiter, *request.upload_handlers]
    try:
        request.POST  # noqa: B018  read the body now, with the limit in place
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        message = _(
            "What you sent was too large to receive (the text is too long or there are too many files). "
            "Nothing was saved: shorten the text, send at most %(count)d files of at most %(limit)s each, "
            "and try again."
        ) % {"count": MAX_EVIDENCE_FILES, "limit": filesizeformat(settings.AWAS_EVIDENCE_MAX_BYTES)}
        return _render_form(request, form_class(), key=new_idempotency_key(), problems=[message], status=413)
    return _filing_post(request, form_class, limiter)


@csrf_protect
def _filing_post(
    request: HttpRequest, form_class: type[PublicFilingForm], limiter: EvidenceLimitHandler
) -> HttpResponse:
    if (language := language_switch_asked(request)) is not None:
        return _language_switched(request, form_class, limiter, language)
    key = request.POST.get("idempotency_key", "")
    if IDEMPOTENCY_KEY_RE.match(key):
        # Sent twice (a double tap, a retry on a slow link): the first receipt, before the form or
        # any file is checked again. A retry after midnight may no longer pass the 7-day check, or
        # carry a file the checks refuse, and must not get the form back for a laporan already
        # filed. (Two copies in flight at once are told apart by the key's unique index in
        # ``case_intake``.)
        first = tracking_code_for_key(filing_key(request, key))
        if first is not None:
            messages.info(request, _("This form had already been sent. Here is its receipt."))
            return _to_receipt(request, first)
    else:
        key = new_idempotency_key()
    form = form_class(request.POST)
    kept, problems = _collect_evidence(request, limiter)
    if not form.is_valid() or problems:
        # Sent back for a correction: the bytes of the files received are kept (checked, not yet
        # recorded), so that the corrected form (which carries them as tokens) does not ask for
        # them again; a form never sent again leaves only bytes, which 'awas evidence prune' deletes.
        return _render_form(request, form, key=key, kept=kept, problems=problems)
    items = evidence_items(kept)
    if len(items) < len(kept):  # its bytes pruned meanwhile (the form was left for days): said, not lost
        found = {item.evidence.sha256 for item in items}
        kept = [item for item in kept if item.sha256 in found]
        return _render_form(request, form, key=key, kept=kept, problems=[str(KEPT_LOST)])
    # The evidence records are stored in the filing's own transaction.
    intake = form.intake(items)
    result = case_intake(
        dataclasses.replace(intake, idempotency_key=filing_key(request, intake.idempotency_key))
    )
    if not result.created:
        messages.info(request, _("This form had already been sent. Here is its receipt."))
    return _to_receipt(request, result.case.tracking_code)


def _language_switched(
    request: HttpRequest, form_class: type[PublicFilingForm], limiter: EvidenceLimitHandler, language: str
) -> HttpResponse:
    """The language switch pressed halfway through the form: the same form again in the language
    chosen, with everything typed and every file received (kept as on a correction), checked for
    nothing and filing nothing. A pelapor on a phone without script who switches in the middle of
    a long chronology loses none of it."""
    language_switch(request, language)
    key = request.POST.get("idempotency_key", "")
    if not IDEMPOTENCY_KEY_RE.match(key):
        key = new_idempotency_key()
    kept, problems = _collect_evidence(request, limiter)
    form = form_class(request.POST).unchecked()
    return language_remember(_render_form(request, form, key=key, kept=kept, problems=problems), language)


@_public_page
@require_http_methods(["GET", "POST"])
@csrf_exempt  # the upload limit must be in place before the body is read; CSRF is checked after it
def laporan(request: HttpRequest) -> HttpResponse:
    return _filing(request, LaporanForm)


@_public_page
@require_http_methods(["GET", "POST"])
@csrf_exempt  # as above
def informasi(request: HttpRequest) -> HttpResponse:
    return _filing(request, InformasiForm)


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    tracking_miss(client_ip(request))
    form = TrackForm(initial={"kode": code})
    return render(request, "cases/public/track.html", {"form": form, "not_found": code}, status=404)


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "cases/public/track.html", {"form": TrackForm(), "blocked": True}, status=429)


def _tracking_blocked_for(request: HttpRequest, code: str) -> bool:
    """Whether this address is refused for guessing codes, unless this browser filed ``code``.

    Many phones share one carrier address; a filer is never refused their own receipt because
    someone else behind it guessed codes.
    """
    normal = tracking_normalise(code)
    if normal is not None and filed_here(request, normal):
        return False
    return tracking_blocked(client_ip(request))


@_public_page
@require_GET
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    if _tracking_blocked_for(request, code):
        return _too_many(request)
    case = tracking_find(code)
    if case is None:
        return _not_found(request, code)
    personal = filed_here(request, case.tracking_code)
    context = receipt_context(case, personal=personal)
    # While the office handles both, the receipt says which election it was filed under (its law
    # sets the clocks), as the tanda terima always does.
    if len(office_election_types()) > 1:
        context["election_label"] = PUBLIC_ELECTION_LABELS.get(
            case.election_type, case.get_election_type_display()
        )
    return render(request, "cases/public/receipt.html", context)


@public
@never_cache
@require_GET
def receipt_pdf_download(request: HttpRequest, code: str) -> HttpResponse:
    if _tracking_blocked_for(request, code):
        return indonesian_by_default(_too_many)(request)
    case = tracking_find(code)
    if case is None:
        return indonesian_by_default(_not_found)(request, code)
    personal = filed_here(request, case.tracking_code)
    tracking_url = tracking_page_url(request)
    if personal:
        pdf = receipt_pdf(case, personal=True, tracking_url=tracking_url)
    else:
        # The copy that names nobody is the same for everyone holding the code, and a PDF takes
        # a core about 150 ms: made once an hour, not once per request of whoever repeats it.
        pdf = cast(
            bytes,
            cache.get_or_set(
                # What the copy shows: a correction of the receipt time or the clocks makes a new one.
                f"awas:receipt-pdf:{case.tracking_code}:{case.received_at.isoformat()}:{case.filing_due}:"
                f"{case.election_type}:{tracking_url}",
                lambda: receipt_pdf(case, personal=False, tracking_url=tracking_url),
                RECEIPT_PDF_CACHE_SECONDS,
            ),
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{case.tracking_code}.pdf"'
    return response


@_public_page
@require_GET
def track(request: HttpRequest) -> HttpResponse:
    """The code form; a code sent with it (``?kode=``) goes to its page."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        normal = tracking_normalise(form.cleaned_data["kode"])
        if normal is not None:
            return redirect("public:track_detail", code=normal)
        if tracking_blocked(client_ip(request)):
            return _too_many(request)
        return _not_found(request, form.cleaned_data["kode"])
    return render(request, "cases/public/track.html", {"form": form})


@_public_page
@require_GET
def track_detail(request: HttpRequest, code: str) -> HttpResponse:
    if _tracking_blocked_for(request, code):
        return _too_many(request)
    case = tracking_find(code)
    if case is None:
        return _not_found(request, code)
    context = {"tracking": tracking_public(case), "office_contact": office_contact(case)}
    return render(request, "cases/public/track_detail.html", context)


# --- benchmark floor -----------------------------------------------------------------------------


@public
@csrf_exempt
@require_POST
def benchmark_floor(request: HttpRequest) -> HttpResponse:
    """A bare view that inserts one row: the floor benchmarks/intake.py measures intake against.

    Routed only when AWAS_BENCHMARK_FLOOR=1 (awas/urls.py); the benchmark creates the table. Sent a
    laporan's multipart request instead of ``payload``, it parses it all and stores the title.
    """
    payload = request.POST.get("payload") or request.POST.get("title", "")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_floor (payload) VALUES (%s)", [payload])
    return HttpResponse("ok", content_type="text/plain")
