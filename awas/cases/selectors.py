"""Every read of violation handling that is more than a ``.get``.

Everything starts from ``Case.objects.visible_to(user)``: a user never reads a case outside their
region scope. The pelapor's identity is read only through ``reporter_for`` (UU 27/2022).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models import Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat, Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz, utils

from awas.cases.formatting import local, office_code, today_local
from awas.cases.models import (
    Case,
    CaseEvidence,
    CaseKind,
    CaseLink,
    CaseStatus,
    Clarification,
    Decision,
    Referral,
    ReferralBody,
    Reminder,
    Reporter,
    RequirementCheck,
    StatusChange,
    Study,
    Witness,
    pelapor_mail_topic,
)
from awas.cases.permissions import handles_cases
from awas.cases.services import workflow
from awas.cases.services.common import (
    BEFORE_DECISION,
    BEFORE_REGISTRATION,
    DECISION_CLOCK_KINDS,
    KNOWN_DATE_RULES,
    REVIEW_RULE,
    TRACKING_ALPHABET,
)
from awas.cases.services.intake import tracking_normalise
from awas.cases.services.notify import TOLD_HOW_WORDS
from awas.cases.services.workflow import (
    DECISION_CLOCK_RUNS,
    FINDING_CLOCK_RUNS,
    REVIEW_CLOCK_RUNS,
    decision_clock_runs,
    finding_clock_runs,
    review_clock_runs,
)
from awas.core.models import AuditEntry, OutgoingMail
from awas.core.models.deadlines import DayType, ElectionType
from awas.core.roles import Level
from awas.core.scope import in_scope, region_q, scope_q
from awas.core.selectors import mail_undelivered
from awas.core.services.deadlines import (
    RuleSpec,
    UnknownRule,
    at_risk_until,
    days_after,
    deadline_reference_pinned,
    holiday_dates,
    last_day_at_risk,
    office_timezone,
    rule_find,
    rule_get,
)
from awas.core.text import mentions

DEADLINE_FILTERS = ("overdue", "at_risk")
KEMENDAGRI_CODE = re.compile(r"^\d{2}(\.\d{2}){0,2}(\.\d{4})?$")


# --- the case list -----------------------------------------------------------------------------


# A temuan not yet registered runs two clocks (finding and decision): the sooner one is its clock.
_FINDING_FIRST = FINDING_CLOCK_RUNS & (Q(decision_due__isnull=True) | Q(filing_due__lte=F("decision_due")))


def _clock_due() -> models.Case:
    """The due date of the clock that runs now: completion while incomplete, the kajian awal of a
    Pemilu laporan not yet checked (due before its decision), the temuan's finding clock if it is
    due first, else the decision."""
    return models.Case(
        When(status=CaseStatus.INCOMPLETE, then=F("completion_due")),
        When(REVIEW_CLOCK_RUNS, then=F("review_due")),
        When(_FINDING_FIRST, then=F("filing_due")),
        When(DECISION_CLOCK_RUNS, then=F("decision_due")),
        default=None,
        output_field=models.DateField(),
    )


def _clock_name() -> models.Case:
    """Which clock ``_clock_due`` is: ``completion``, ``review``, ``finding`` or ``decision``."""
    return models.Case(
        When(status=CaseStatus.INCOMPLETE, then=models.Value("completion")),
        When(REVIEW_CLOCK_RUNS, then=models.Value("review")),
        When(_FINDING_FIRST, then=models.Value("finding")),
        default=models.Value("decision"),
        output_field=models.CharField(),
    )


def _due_by(day: dt.date, *, strictly_before: bool) -> Q:
    lookup = "lt" if strictly_before else "lte"
    return (
        Q(status=CaseStatus.INCOMPLETE, **{f"completion_due__{lookup}": day})
        | (REVIEW_CLOCK_RUNS & Q(**{f"review_due__{lookup}": day}))
        | (FINDING_CLOCK_RUNS & Q(**{f"filing_due__{lookup}": day}))
        | (DECISION_CLOCK_RUNS & Q(**{f"decision_due__{lookup}": day}))
    )


def _at_risk_q(today: dt.date) -> Q:
    """A running clock due by tomorrow, or by the next working day for an election type counted
    in working days (``at_risk_until``, the same days the reminders cover), or overdue."""
    until = at_risk_until(today)
    at_risk = ~Q(election_type__in=list(until)) & _due_by(today + dt.timedelta(days=1), strictly_before=False)
    for election_type, day in until.items():
        at_risk |= Q(election_type=election_type) & _due_by(day, strictly_before=False)
    return at_risk


def case_list(
    user: Any, filters: Mapping[str, str] | None = None, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """The cases ``user`` may see, filtered, newest first; ready to paginate (one query a page).

    ``filters``: ``status``, ``kind``, ``election_type``, ``kecamatan`` (a Kemendagri code: the
    kecamatan and its desa), ``terlapor`` (words of the name), ``deadline`` (``overdue``,
    ``at_risk``; anything else: all), ``received_from`` and ``received_to`` (ISO days, office time,
    both included), ``order`` (``oldest``, ``deadline``: the running clock's due date; else newest
    first), ``q`` (words, each found in the title, the chronology, the terlapor's name, the
    registration number or the tracking code: ``search_q``).
    """
    cases = _filtered(Case.objects.visible_to(user), filters, today, handles=handles_cases(user))
    order = (filters or {}).get("order")
    if order == "deadline":  # the clock that runs now, soonest first; cases without one last
        ordering: tuple[Any, ...] = (_clock_due().asc(nulls_last=True), "-received_at", "-pk")
    elif order == "oldest":
        ordering = ("received_at", "pk")
    else:
        ordering = ("-received_at", "-pk")
    return cases.select_related("region", "region__parent").order_by(*ordering)


def _filtered(
    cases: QuerySet[Case], filters: Mapping[str, str] | None, today: dt.date | None, *, handles: bool
) -> QuerySet[Case]:
    filters = filters or {}
    today = today or today_local()
    if (status := filters.get("status")) in CaseStatus.values:
        cases = cases.filter(status=status)
    if (kind := filters.get("kind")) in CaseKind.values:
        cases = cases.filter(kind=kind)
    if (election_type := filters.get("election_type")) in ElectionType.values:
        cases = cases.filter(election_type=election_type)
    kecamatan = (filters.get("kecamatan") or "").strip()
    if kecamatan and KEMENDAGRI_CODE.match(kecamatan):
        cases = cases.filter(region_q("region__code", kecamatan))
    # Every word of the name, in any order, without its punctuation: "h bambang" finds
    # "H. Bambang Sugiarto", "Hartono, Drs." finds "Drs. Hartono".
    for word in search_words(filters.get("terlapor") or ""):
        cases = cases.filter(terlapor_name__icontains=word)
    if received_from := _day(filters.get("received_from")):
        cases = cases.filter(received_at__gte=_office_midnight(received_from))
    if (received_to := _day(filters.get("received_to"))) and received_to < dt.date.max:
        cases = cases.filter(received_at__lt=_office_midnight(received_to + dt.timedelta(days=1)))
    deadline = filters.get("deadline")
    if deadline == "overdue":
        cases = cases.filter(_due_by(today, strictly_before=True))
    elif deadline == "at_risk":
        cases = cases.filter(_at_risk_q(today))
    if q := (filters.get("q") or "").strip():
        cases = cases.filter(search_q(q, handles=handles))
    return cases


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _office_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in office time (WIB): a case received at 00.30 WIB is of that day."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time()), office_timezone())


def search_words(text: str) -> list[str]:
    """The words of a search, without the punctuation around them, each once."""
    stripped = (word.strip(",.;:!?()[]\"'") for word in text.split())
    return list({word.lower(): word for word in stripped if word}.values())


def search_q(text: str, *, handles: bool) -> Q:
    """The list's search: every word of ``text`` must be found (``uang warga`` finds "Pembagian
    uang kepada warga"), each in the title, the chronology ("amplop" finds the case whose account
    tells of amplop), the terlapor's name or position ("kepala desa"), the registration number or
    the tracking code, and for the roles that handle cases the pelapor's name. Punctuation around
    a word does not count ("Hartono, Drs." finds Hartono).

    A tracking code is found however it is typed (``awsxjvjzmmm``, ``XJVJ-ZMMM``) and by one of
    its two groups of four (``XJVJ``). The roles that do not handle cases do not see the tracking
    code of a laporan or an informasi awal (``sees_tracking_code``), so for them a code finds only
    a temuan: a search must not tell them which case a pelapor's code belongs to.
    """

    def code_q(word: str) -> Q | None:
        code = _tracking_q(word)
        if code is None or handles:
            return code
        return code & Q(kind=CaseKind.TEMUAN)

    words = search_words(text)
    found = Q()
    for word in words:
        in_text = (
            Q(title__icontains=word)
            | Q(chronology__icontains=word)
            | Q(terlapor_name__icontains=word)
            | Q(terlapor_position__icontains=word)
            | Q(registration_number__icontains=word)
        )
        if handles:  # the pelapor's name, for those who may see it ("the laporan Siti brought")
            in_text |= Q(reporter__name__icontains=word)
        if (code := code_q(word)) is not None:
            in_text |= code
        found &= in_text
    # A code read out in groups ("AWS XJVJ ZMMM") is one code, not three words.
    if len(words) > 1 and (code := code_q("".join(words))) is not None:
        found |= code
    return found


def _tracking_q(word: str) -> Q | None:
    """The tracking codes ``word`` may stand for: the whole code (``AWS-XXXX-XXXX``, with or without
    the dashes or the prefix), or one group of four; None if it cannot be part of a code."""
    if (code := tracking_normalise(word)) is not None:
        return Q(tracking_code=code)
    symbols = re.sub(r"[^A-Z0-9]", "", word.upper())
    if symbols.startswith("AWS") and len(symbols) == 7:  # "AWS-XJVJ": the first group
        symbols, first = symbols[3:], True
    else:
        first = False
    if len(symbols) != 4 or any(ch not in TRACKING_ALPHABET for ch in symbols):
        return None
    if first:
        return Q(tracking_code__startswith=f"AWS-{symbols}-")
    # A group is whole between dashes: "-XJVJ" is the first or the second one, never "AWS-".
    return Q(tracking_code__contains=f"-{symbols}")


def case_count(user: Any, filters: Mapping[str, str] | None = None, *, today: dt.date | None = None) -> int:
    """How many cases ``case_list`` gives, without testing every case against the scope when no
    case lies outside it (one office's server: a kabupaten-wide user sees every case).

    One statement, so one snapshot: when some case lies outside the user's scope the scoped count
    is taken, otherwise the count without the scope condition, which is then the same number.
    Whether a case lies outside is asked of the few regions outside the scope, through the
    case table's region index, not of every case.
    """
    handles = handles_cases(user)
    scoped = _filtered(Case.objects.visible_to(user), filters, today, handles=handles)
    if (
        not getattr(user, "is_authenticated", False)
        or user.scope_tps_id is not None
        or not user.scope_region_id
    ):
        return scoped.count()
    from awas.regions.models import Region

    outside_regions = Region.objects.exclude(region_q("code", user.scope_region_id)).values("code")
    outside = Case.objects.filter(region__in=outside_regions).order_by().values("pk")[:1]
    unscoped = _filtered(Case.objects.all(), filters, today, handles=handles)
    outside_sql, outside_params = outside.query.sql_with_params()
    scoped_sql, scoped_params = scoped.order_by().values("pk").query.sql_with_params()
    all_sql, all_params = unscoped.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT CASE WHEN EXISTS ({outside_sql}) "  # noqa: S608  (SQL of querysets; values are parameters)
            f"THEN (SELECT COUNT(*) FROM ({scoped_sql}) AS scoped) "
            f"ELSE (SELECT COUNT(*) FROM ({all_sql}) AS every_case) END",
            (*outside_params, *scoped_params, *all_params),
        )
        row = cursor.fetchone()
    return int(row[0])


# The columns the case list page shows (and the keys that join them): a page reads nothing else,
# in particular not the chronology.
LIST_COLUMNS = (
    "id",
    "kind",
    "election_type",  # which day type the running clock counts in
    "status",
    "tracking_code",
    "registration_number",
    "title",
    "terlapor_name",
    "received_at",
    "decision_due",
    "region__code",
    "region__name",
    "region__level",
    "region__parent__code",
    "region__parent__name",
)


def case_list_page(user: Any, filters: Mapping[str, str] | None = None) -> QuerySet[Case]:
    """``case_list`` with only the columns the list page shows (the export reads them all), and
    the clock that runs now: ``clock_due`` and ``clock`` as in ``deadlines_at_risk``."""
    return case_list(user, filters).only(*LIST_COLUMNS).annotate(clock_due=_clock_due(), clock=_clock_name())


def with_labels(cases: Iterable[Case]) -> list[Case]:
    """The cases, each with ``kind_label`` and ``status_label`` (one look-up table for a page;
    ``get_FOO_display`` rebuilds one from the choices for every row)."""
    kinds, statuses = dict(CaseKind.choices), dict(CaseStatus.choices)
    rows = list(cases)
    for case in rows:
        case.kind_label = kinds.get(case.kind, case.kind)  # type: ignore[attr-defined]
        case.status_label = statuses.get(case.status, case.status)  # type: ignore[attr-defined]
    return rows


def _on_case(test: Q) -> Q:
    """``test`` (a condition on a case) as a condition on the case of a reminder."""
    children: list[Any] = []
    for child in test.children:
        if isinstance(child, Q):
            children.append(_on_case(child))
        else:
            lookup, value = cast(tuple[str, Any], child)
            children.append((f"case__{lookup}", value))
    return Q(*children, _connector=test.connector, _negated=test.negated)


# A reminder is still due while its clock runs with the due date it named. Once the case moved on
# (decided, registered, completed, answered) or the date moved (an extension, a holiday edited),
# it is settled: kept in the list, but no longer in the menu's count nor among the unread.
REMINDER_STILL_DUE = (
    (Q(deadline="decision_due", due=F("case__decision_due")) & _on_case(DECISION_CLOCK_RUNS))
    | Q(deadline="completion_due", due=F("case__completion_due"), case__status=CaseStatus.INCOMPLETE)
    # The completion time ran out: due until the laporan is recorded as not registered (or, brought
    # in time after all, registered).
    | Q(deadline="completion_lapsed", due=F("case__completion_due"), case__status=CaseStatus.INCOMPLETE)
    | (Q(deadline="review_due", due=F("case__review_due")) & _on_case(REVIEW_CLOCK_RUNS))
    | (Q(deadline="filing_due", due=F("case__filing_due")) & _on_case(FINDING_CLOCK_RUNS))
    | Q(
        # The very referral the reminder names ("follow_up:<pk>"), still unanswered, due that day.
        Exists(
            Referral.objects.annotate(
                reminder_key=Concat(Value("follow_up:"), Cast("pk", output_field=models.CharField()))
            ).filter(
                reminder_key=OuterRef("deadline"), responded_on__isnull=True, follow_up_due=OuterRef("due")
            )
        ),
        deadline__startswith="follow_up:",
    )
)


def reminders_for(user: Any) -> QuerySet[Reminder]:
    """The user's reminders of cases still within their area (a Panwascam moved elsewhere no
    longer reads the old ones): unread and still due first, then by the deadline's due date,
    soonest first (a deadline due today before Monday's reminded on Friday), then newest. Each
    has ``pending``: unread and still due (``REMINDER_STILL_DUE``).

    Pending or not is sorted as 0 or 1, not by ``read_at``: no NULL to place (PostgreSQL sorts
    NULLs last, SQLite first), and the read ones are not ordered by when they were read.
    """
    if not handles_cases(user):
        # A reminder names its case by the tracking code until registration, and the pelapor's
        # deadline: for the roles that handle cases only. An account moved to a role that does
        # not (a Panwascam become PKD) no longer reads those it got before.
        return Reminder.objects.none()
    pending = Q(read_at__isnull=True) & REMINDER_STILL_DUE
    return (
        Reminder.objects.filter(user=user, case__in=Case.objects.visible_to(user))
        .select_related("case")
        .annotate(pending=ExpressionWrapper(pending, output_field=models.BooleanField()))
        .order_by(
            models.Case(When(pending, then=models.Value(0)), default=models.Value(1)),
            "due",
            "-created_at",
            "-pk",
        )
    )


def personal_shown_today(user: Any, cases: Iterable[Case], action: str) -> dict[int, set[str]]:
    """For each of ``cases`` (by pk), what ``user`` was already logged as shown of its personal
    data since midnight (WIB): the union of the ``shown`` lists of today's ``action`` entries. One
    query for all of them (the case page also logs the pelapor of every laporan merged into it)."""
    midnight = local(timezone.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    shown: dict[int, set[str]] = {case.pk: set() for case in cases}
    if not shown:
        return shown
    entries = AuditEntry.objects.filter(
        action=action,
        object_type=Case._meta.label,
        object_id__in=[str(pk) for pk in shown],
        actor=user,
        created_at__gte=midnight,
    )
    for object_id, after in entries.values_list("object_id", "after"):
        shown[int(object_id)].update((after or {}).get("shown", []))
    return shown


# A reminder can still be due only while its case runs a clock or waits for a body's answer.
REMINDED_STATUSES = BEFORE_REGISTRATION | BEFORE_DECISION | {CaseStatus.REFERRED}


def pending_reminders(user: Any) -> QuerySet[Reminder]:
    """The reminders the list shows ``user`` as unread: not read, still due, of a case within
    their area (what "Mark all as read" marks, and the menu's badge counts)."""
    return reminders_for(user).filter(read_at__isnull=True).filter(REMINDER_STILL_DUE)


def unread_reminder_count(user: Any) -> int:
    """The menu's badge: the user's reminders not read and still due."""
    if not handles_cases(user):
        return 0  # their list is empty (``reminders_for``)
    # On every page: most of the time nothing unread can still be due, and one plain query says so
    # (the full test, with each clock's rule, costs several milliseconds to build and run).
    # Reminders nobody opened stay unread after their case moved on, or after the user's area
    # changed: the case's status and region leave them out (read from the case's row, which the
    # status joins anyway), or they would send every page down the full test for good.
    candidates = Reminder.objects.filter(
        _on_case(scope_q(Case, user)), user=user, read_at__isnull=True, case__status__in=REMINDED_STATUSES
    )
    if not candidates.exists():
        return 0
    return pending_reminders(user).count()


def deadlines_at_risk(user: Any, today: dt.date | None = None) -> QuerySet[Case]:
    """Open cases whose running clock is at risk (``_at_risk_q``), soonest first.

    Each row has ``clock_due`` (the date) and ``clock`` (``completion``, ``finding`` or ``decision``).
    """
    today = today or today_local()
    return (
        Case.objects.visible_to(user)
        .filter(_at_risk_q(today))
        .select_related("region", "region__parent")
        .only(*LIST_COLUMNS)  # not the chronology
        .annotate(
            clock_due=_clock_due(),
            clock=_clock_name(),
        )
        .order_by("clock_due", "received_at")
    )


# The rule behind each clock ``_clock_name`` names: its day type says how lateness is counted.
CLOCK_RULES = {
    "completion": "completion",
    "review": REVIEW_RULE,
    "finding": KNOWN_DATE_RULES[CaseKind.TEMUAN],
    "decision": "decision",
}


@dataclass(frozen=True)
class Lateness:
    """How a running clock or an awaited answer stands today: the calendar days left (negative
    when past), and, when past, how late in the clock's own days (``working``: hari kerja)."""

    days_left: int
    days_overdue: int
    working: bool


def lateness(due: dt.date, day_type: str | None, today: dt.date) -> Lateness:
    working = day_type == DayType.WORKING
    overdue = days_after(due, today, DayType.WORKING if working else DayType.CALENDAR, holiday_dates(due))
    return Lateness((due - today).days, overdue, working)


def at_risk_rows(cases: Iterable[Case], today: dt.date) -> list[tuple[Case, Lateness]]:
    """The at-risk list's cases (``deadlines_at_risk``) with how late each clock is, in its days."""
    rows = []
    with deadline_reference_pinned(fresh=False):  # the rules and holidays read once for the page
        for case in cases:
            rule = rule_find(case.election_type, CLOCK_RULES[getattr(case, "clock")])  # noqa: B009 (annotation)
            day_type = rule.day_type if rule is not None else None
            rows.append((case, lateness(getattr(case, "clock_due"), day_type, today)))  # noqa: B009
    return rows


def follow_up_rows(referrals: Iterable[Referral], today: dt.date) -> list[tuple[Referral, Lateness]]:
    """The overdue follow-ups with how late each answer is, in the days the letter gave."""
    with deadline_reference_pinned(fresh=False):  # the holidays read once for the page
        return [(r, lateness(r.follow_up_due, r.follow_up_day_type, today)) for r in referrals]


# What the follow-up list and the dashboard show of an overdue referral.
FOLLOW_UP_COLUMNS = (
    "id",
    "letter_number",
    "sent_on",
    "follow_up_due",
    "follow_up_day_type",
    "responded_on",
    "body__name",
    "case__id",
    "case__kind",
    "case__status",
    "case__title",
    "case__tracking_code",
    "case__registration_number",
)


def overdue_follow_ups(user: Any, today: dt.date | None = None) -> QuerySet[Referral]:
    """Referrals without an answer after the body's expected answer date, oldest first."""
    today = today or today_local()
    return (
        Referral.objects.filter(
            case__in=Case.objects.visible_to(user).values("pk"),
            responded_on__isnull=True,
            follow_up_due__lt=today,
        )
        .select_related("case", "body")
        .only(*FOLLOW_UP_COLUMNS)
        .order_by("follow_up_due", "pk")
    )


# A menu badge counts to this and says "99+" beyond: it is read on every page, and counting a
# province's backlog to the last case would cost more than the number tells.
MENU_COUNT_CAP = 99


def at_risk_count(user: Any) -> int:
    """The menu's badge beside "Deadlines at risk": the cases that list shows (up to the cap)."""
    # The status condition is implied by the at-risk one; said outright, it lets the database
    # start from the status index, with the few cases whose clocks can still run.
    running = Case.objects.visible_to(user).filter(status__in=BEFORE_REGISTRATION | BEFORE_DECISION)
    return running.filter(_at_risk_q(today_local()))[: MENU_COUNT_CAP + 1].count()


def overdue_follow_up_count(user: Any) -> int:
    """The menu's badge beside "Overdue follow-ups": the referrals that list shows (up to the cap)."""
    return overdue_follow_ups(user)[: MENU_COUNT_CAP + 1].count()


def kecamatan_choices(user: Any) -> list[tuple[str, str]]:
    """The kecamatan the case list may be filtered by: those in ``user``'s area, or for a PKD or a
    PTPS the kecamatan their desa lies in. A link the office made for that kecamatan then shows
    them their own cases instead of an error; the scope still keeps the list to their desa or TPS."""
    from awas.regions.models import Region

    rows = Region.objects.visible_to(user).filter(level=Level.KECAMATAN).order_by("name")
    choices = [(code, name.title()) for code, name in rows.values_list("code", "name")]
    scope = getattr(user, "scope_region_id", None) or ""
    if not choices and scope:
        parts = scope.split(".")
        above = [".".join(parts[:n]) for n in range(1, len(parts))]
        rows = Region.objects.filter(code__in=above, level=Level.KECAMATAN)
        choices = [(code, name.title()) for code, name in rows.values_list("code", "name")]
    return choices


# --- one case ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    by: str
    fields: list[str]  # the labels of the fields corrected
    reason: str


@dataclass(frozen=True)
class RemovedLink:
    """A link as related removed from the case (``workflow.case_unlink``)."""

    at: dt.datetime
    by: str
    case: Case | None  # the other case; None when outside the user's scope (or deleted since)
    # "" for a link removed before a reason was asked, and when the other case is not shown: the
    # reason speaks of that case (its people and places), which the page never names (``case_links``)
    reason: str
    linked_at: dt.datetime | None = None  # when the link had been made (None: not logged)
    linked_by: str = ""  # who had made it ("" for a link removed before this was logged)


@dataclass(frozen=True)
class WithdrawnInvitation:
    """An invitation to a clarification withdrawn before its berita acara
    (``workflow.clarification_cancel``): its letter number stays void."""

    at: dt.datetime
    by: str
    letter_number: str
    invitee_role: str  # its label ("Terlapor"); the name is not in the log (personal data)
    scheduled_at: dt.datetime | None
    reason: str
    # Awas e-mailed the invited pelapor that it is withdrawn; else staff must tell the invitee.
    emailed: bool = False


@dataclass(frozen=True)
class Supplement:
    """What was added to the case later (``workflow.case_supplement``), as the audit log keeps it:
    the day it was brought, which decides whether a laporan was completed in time, beside the day
    it was entered."""

    at: dt.datetime  # entered
    by: str
    brought_on: dt.date
    note: str
    files: int
    witness: bool
    completion_due: dt.date | None  # the completion deadline it was measured against, if any
    late: bool  # brought after that deadline


@dataclass(frozen=True)
class LoggedChanges:
    corrections: list[Correction]
    removed_links: list[RemovedLink]
    withdrawn_invitations: list[WithdrawnInvitation]
    supplements: list[Supplement] = field(default_factory=list)

    def last_brought_since(self, moment: dt.datetime | None) -> dt.date | None:
        """The latest day something was brought among what was entered after ``moment`` (the
        last requirements check): the day a laporan was completed, as the supplements say it."""
        days = [s.brought_on for s in self.supplements if moment is None or s.at > moment]
        return max(days, default=None)


def case_logged_changes(case: Case, user: Any) -> LoggedChanges:
    """What the audit log alone keeps of the case, oldest first: the corrections made to its facts
    (``workflow.case_correct``), the links as related removed from it and the invitations
    withdrawn, with their reasons (the link or invitation row itself is gone), and what was added
    later with the day it was brought. One query for all; one more for the other cases of removed
    links, only when there are any."""
    labels = {f.name: str(f.verbose_name) for f in Case._meta.concrete_fields}
    roles = dict(Clarification._meta.get_field("invitee_role").choices or [])
    entries = AuditEntry.objects.filter(
        action__in=("case.corrected", "case.unlinked", "case.clarification_cancelled", "case.supplemented"),
        object_type=Case._meta.label,
        object_id=str(case.pk),
    ).select_related("actor")
    corrections: list[Correction] = []
    unlinks: list[tuple[AuditEntry, int | None]] = []
    withdrawn: list[WithdrawnInvitation] = []
    supplements: list[Supplement] = []
    for entry in entries.order_by("created_at", "pk"):
        by = str(entry.actor) if entry.actor else entry.actor_name
        if entry.action == "case.supplemented":
            added = entry.after or {}
            due = _logged_day(added.get("completion_due"))
            supplements.append(
                Supplement(
                    at=entry.created_at,
                    by=by,
                    # Entered before the day brought was asked: the day it was entered.
                    brought_on=_logged_day(added.get("brought_on")) or local(entry.created_at).date(),
                    note=str(added.get("note", "")),
                    files=len(added.get("evidence") or []),
                    witness=bool(added.get("witness")),
                    completion_due=due,
                    late=bool(added.get("after_completion_due")),
                )
            )
            continue
        if entry.action == "case.unlinked":
            unlinks.append((entry, (entry.before or {}).get("related")))
            continue
        if entry.action == "case.clarification_cancelled":
            invitation = entry.before or {}
            reason = (entry.after or {}).get("reason", "")
            withdrawn.append(
                WithdrawnInvitation(
                    at=entry.created_at,
                    by=by,
                    letter_number=str(invitation.get("letter_number", "")),
                    invitee_role=str(
                        roles.get(invitation.get("invitee_role"), invitation.get("invitee_role", ""))
                    ),
                    scheduled_at=_logged_time(invitation.get("scheduled_at")),
                    # Withdrawn before the reason was kept in words: its digest says nothing to read.
                    reason=reason if isinstance(reason, str) else "",
                    emailed=bool((entry.after or {}).get("invitee_emailed")),
                )
            )
            continue
        corrections.append(
            Correction(
                at=entry.created_at,
                by=by,
                fields=[labels.get(name, name) for name in (entry.after or {}).get("fields", [])],
                reason=str((entry.after or {}).get("reason", "")),
            )
        )
    others = Case.objects.in_bulk([pk for _entry, pk in unlinks if pk is not None]) if unlinks else {}
    removed = []
    for entry, pk in unlinks:
        other = others.get(pk) if pk is not None else None
        shown = other is not None and in_scope(user, other)
        removed.append(
            RemovedLink(
                at=entry.created_at,
                by=str(entry.actor) if entry.actor else entry.actor_name,
                case=other if shown else None,
                reason=str((entry.after or {}).get("reason", "")) if shown else "",
                linked_at=_logged_time((entry.before or {}).get("linked_at")),
                linked_by=str((entry.before or {}).get("linked_by", "")),
            )
        )
    return LoggedChanges(
        corrections=corrections,
        removed_links=removed,
        withdrawn_invitations=withdrawn,
        supplements=supplements,
    )


def _logged_day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _logged_time(value: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def case_corrections(case: Case) -> list[Correction]:
    """The corrections made to the case's facts (``workflow.case_correct``), oldest first, from
    the audit log that keeps them."""
    return case_logged_changes(case, None).corrections


def case_source_url(case: Case) -> str:
    """The page of the Form A a temuan was drafted from ("" for any other source). By URL name:
    cases imports nothing of supervision; the Form A page checks its own permissions."""
    kind, _sep, ref = case.source_ref.partition(":")
    return reverse("supervision:detail", args=[int(ref)]) if kind == "form_a" and ref.isdigit() else ""


@dataclass(frozen=True)
class Penelusuran:
    """What the penelusuran of an informasi awal found, as typed when it was taken up as a temuan."""

    result: str
    at: dt.datetime
    by: str


def penelusuran_of(case: Case) -> Penelusuran | None:
    """For a temuan taken up from an informasi awal, what the penelusuran found (None for any other
    case). The take-up keeps it once, in the tip's history (``workflow.informasi_awal_take_up``):
    read from there, in one query, and none for any other case."""
    source, _sep, ref = case.source_ref.partition(":")
    if case.kind != CaseKind.TEMUAN or source != workflow.TIP_SOURCE or not ref.isdigit():
        return None
    change = (
        StatusChange.objects.filter(case_id=int(ref), to_status=CaseStatus.FOLLOWED_UP)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if change is None:
        return None
    by = (change.actor.get_full_name() or change.actor.get_username()) if change.actor else ""
    return Penelusuran(result=change.reason, at=change.at, by=by)


def kajian_facts_start(case: Case, penelusuran: Penelusuran | None) -> str:
    """What a new kajian's facts start from: the chronology and, for a temuan taken up from an
    informasi awal, what the penelusuran found, the facts the kajian (and its document) weighs."""
    if penelusuran is None or not penelusuran.result.strip():
        return case.chronology
    with translation.override(settings.LANGUAGE_CODE):  # the kajian is written in Indonesian
        heading = str(_("What the penelusuran found"))
    return f"{case.chronology.rstrip()}\n\n{heading}:\n{penelusuran.result.strip()}".lstrip()


CASE_GET_RELATED = ("region", "region__parent", "tps", "created_by", "merged_into", "more_info_requested_by")
# What the case page shows of the case's own one-to-one rows, read with the case in its one
# query: the decision (which the steps on offer ask for too), the kajian, the requirements check.
CASE_PAGE_RELATED = ("decision", "study", "requirements")


def case_get(user: Any, pk: int) -> Case:
    """The case if ``user`` may see it; 404 otherwise (never a hint that it exists)."""
    return get_object_or_404(Case.objects.visible_to(user).select_related(*CASE_GET_RELATED), pk=pk)


def case_page_get(user: Any, pk: int) -> Case:
    """``case_get`` for the case page: with its decision, kajian and requirements check
    (``decision_of``, ``study_of``, ``requirements_of`` then read no more), and for the roles
    that may see the pelapor, the pelapor (``reporter_for`` then reads no more: the query it
    saves pays for ``pelapor_mail_undelivered``)."""
    related = (*CASE_GET_RELATED, *CASE_PAGE_RELATED, *(("reporter",) if handles_cases(user) else ()))
    cases = Case.objects.visible_to(user).select_related(*related)
    return get_object_or_404(cases, pk=pk)


def _own_row(case: Case, name: str) -> Any:
    """The case's one-to-one row ``name``, or None: read once for the case object (none at all
    when ``case_page_get`` read it with the case). A step refused on the page reads the case
    again (``refresh_from_db``), which forgets what was read."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def reporter_for(user: Any, case: Case) -> Reporter | None:
    """The pelapor, only for the roles that handle cases and only within their scope (UU 27/2022)."""
    if not handles_cases(user) or not in_scope(user, case):
        return None
    return cast(Reporter | None, _own_row(case, "reporter"))  # read with the case by case_page_get


def merged_reporters_for(user: Any, case: Case) -> list[Reporter]:
    """The pelapor of each laporan merged into ``case`` (with ``.case``), under the pelapor's rule:
    the joint case answers to all of them, and the officer calls them from here."""
    if not handles_cases(user):
        return []
    visible = Case.objects.visible_to(user).filter(merged_into=case)
    return list(
        Reporter.objects.filter(case__in=visible).select_related("case").order_by("case__received_at")
    )


@dataclass(frozen=True)
class UndeliveredMail:
    """An e-mail to a pelapor that never reached them: the office must tell them otherwise."""

    subject: str
    address: str
    queued_at: dt.datetime  # when it was written: the step it told of
    refused: bool  # the mail server refused the address; else given up unsent
    merged_case: Case | None  # the laporan merged into this case whose pelapor it was for; None: this case's
    pk: int = 0  # the queued message (``notify.pelapor_told_otherwise`` is given the ones shown)
    # The office told the pelapor another way (``notify.pelapor_told_otherwise``): no longer a warning.
    told: ToldOtherwise | None = None


@dataclass(frozen=True)
class ToldOtherwise:
    how: str  # "lewat telepon" (``notify.TOLD_HOW_WORDS``)
    on: dt.date
    by: str
    note: str


def pelapor_mail_told(mail: OutgoingMail) -> ToldOtherwise | None:
    """What the office recorded of telling the pelapor another way of ``mail``, or None."""
    if mail.told_otherwise_on is None:
        return None
    who = mail.told_otherwise_by
    return ToldOtherwise(
        how=str(TOLD_HOW_WORDS.get(mail.told_otherwise_how, mail.told_otherwise_how)),
        on=mail.told_otherwise_on,
        by=str(who) if who is not None else "",
        note=mail.told_otherwise_note,
    )


def pelapor_mail_undelivered(
    case: Case, reporter: Reporter | None, merged_reporters: Iterable[Reporter] = ()
) -> list[UndeliveredMail]:
    """The e-mails to the pelapor of ``case`` and of the laporan merged into it (as
    ``reporter_for`` and ``merged_reporters_for`` gave them to this user: the permission is theirs)
    that the mail server refused or that were given up unsent, oldest first, with whether and how
    the office told the pelapor another way; one query, none when none of them gave an address.
    Only those sent to the address on record now: were it corrected, the next messages go to the
    new one, and what failed at the old one would no longer say that the address does not work."""
    everyone = [r for r in (reporter, *merged_reporters) if r is not None and r.email]
    by_topic = {pelapor_mail_topic(r.case_id): r for r in everyone}
    if not by_topic:
        return []
    found = []
    rows = (
        mail_undelivered(by_topic)
        .select_related("told_otherwise_by")  # who recorded it: in the same query
        .only(*UNDELIVERED_FIELDS)
    )
    for mail in rows:
        pelapor = by_topic[mail.topic]
        if pelapor.email.casefold() not in {str(a).casefold() for a in mail.recipients}:
            continue
        found.append(
            UndeliveredMail(
                subject=mail.subject,
                address=pelapor.email,
                queued_at=mail.created_at,
                refused=mail.refused,
                # merged_reporters_for read each one's case with it.
                merged_case=None if pelapor.case_id == case.pk else pelapor.case,
                pk=mail.pk,
                told=pelapor_mail_told(mail),
            )
        )
    return found


UNDELIVERED_FIELDS = (
    "subject",
    "recipients",
    "created_at",
    "last_error",
    "topic",
    "told_otherwise_how",
    "told_otherwise_on",
    "told_otherwise_note",
    "told_otherwise_by__username",
    "told_otherwise_by__first_name",
    "told_otherwise_by__last_name",
)


def evidence_with_merged(user: Any, case: Case) -> tuple[list[CaseEvidence], list[CaseEvidence]]:
    """The evidence files of ``case`` (not a clarification's: listed with it), and those of each
    case merged into it that ``user`` may open: they stay on the case they came with (their hash,
    their log), and the joint handling weighs them with its own. One query for both."""
    merged = Case.objects.visible_to(user).filter(merged_into=case, status=CaseStatus.MERGED)
    rows = CaseEvidence.objects.filter(
        Q(case=case) | Q(case__in=merged.values("pk")), clarification__isnull=True
    ).select_related("evidence", "added_by")
    own: list[CaseEvidence] = []
    brought: list[CaseEvidence] = []
    for item in rows.order_by("pk"):
        (own if item.case_id == case.pk else brought).append(item)
    return own, brought


def witnesses_for(user: Any, case: Case) -> list[Witness]:
    """The saksi: personal data, under the same rule as the pelapor."""
    if not handles_cases(user) or not in_scope(user, case):
        return []
    return list(Witness.objects.filter(case_id=case.pk).order_by("pk"))


def decision_of(case: Case) -> Decision | None:
    return cast(Decision | None, _own_row(case, "decision"))


def study_of(case: Case) -> Study | None:
    return cast(Study | None, _own_row(case, "study"))


def requirements_of(case: Case) -> RequirementCheck | None:
    return cast(RequirementCheck | None, _own_row(case, "requirements"))


@dataclass(frozen=True)
class MaterialGaps:
    """What a laporan came without of the syarat materiel that a desk can still ask for: saksi and
    bukti (DOMAIN.md §2.4 item 3; the event, place and time are in the form itself)."""

    no_witness: bool
    no_evidence: bool

    def __bool__(self) -> bool:
        return self.no_witness or self.no_evidence


def material_gaps(case: Case) -> MaterialGaps:
    """Whether the laporan has no saksi, and no evidence file (its own, not a klarifikasi's)."""
    return MaterialGaps(
        no_witness=not case.witnesses.exists(),
        no_evidence=not case.evidence.filter(clarification__isnull=True).exists(),
    )


def case_referrals(case: Case) -> list[Referral]:
    """The case's referrals, oldest first, each with its body and the progress the body reported:
    read once for the page (its table, its deadlines, the forms that choose an awaited one)."""
    return list(case.referrals.select_related("body").prefetch_related("progress"))


def case_clarifications(case: Case) -> list[Clarification]:
    """The case's clarifications in their order, each with its berita acara's attachments and
    their files (two queries, whatever their number)."""
    attachments = Prefetch("attachments", queryset=CaseEvidence.objects.select_related("evidence"))
    return list(case.clarifications.prefetch_related(attachments).order_by("scheduled_at"))


@dataclass(frozen=True)
class NowWith:
    """The case a laporan merged into another is handled with since that one was merged in turn."""

    case: Case | None  # None: outside the user's scope (never its code, as for a linked case)


def case_links(case: Case, user: Any) -> list[dict[str, Any]]:
    """Links in both directions, each as {kind, label, case, outgoing, via, now_with, at, by,
    reason}: ``at`` and ``by`` when and by whom it was linked, merged or taken up, ``reason`` why
    they were merged (read with the link row, no query more); ``via``, beside a laporan merged into
    a case that was merged into this one in turn, that case (None when outside ``user``'s scope);
    ``now_with``, beside a laporan merged into this one that went on with another since (this one
    was merged in turn), the case it is handled with now: a ``NowWith``, its case None when outside
    ``user``'s scope.

    A linked case outside ``user``'s scope comes with ``case`` None: the page says only that a
    linked case exists elsewhere (so the officer knows the case is not handled alone), never its
    code (before registration the tracking code, the other pelapor's key to their case) nor its
    title (which names people and places), as opening it would be a 404 anyway.
    """
    # With them, in the same query, the merges of the laporan that came with a case merged into
    # this one (A merged into B, then B into this: A is handled here, ``workflow._merges_follow``).
    links = (
        CaseLink.objects.filter(
            Q(from_case=case)
            | Q(to_case=case)
            | Q(kind=CaseLink.Kind.MERGED, from_case__merged_into=case, from_case__status=CaseStatus.MERGED)
        )
        # The case a merged one is handled with now, in the same query: A merged into this one
        # went on with C when this one was merged into C (``workflow._merges_follow``).
        .select_related("from_case", "from_case__merged_into", "to_case", "created_by")
        .order_by("pk")
    )
    rows: list[dict[str, Any]] = []
    for link in links:  # one query for both directions; the outgoing ones are listed first
        outgoing = link.from_case_id == case.pk
        other = link.to_case if outgoing else link.from_case
        # Merged into a case that was then merged into this one: which, beside it.
        via = link.to_case if not outgoing and link.to_case_id != case.pk else None
        now_with = None
        if (
            link.kind == CaseLink.Kind.MERGED
            and not outgoing
            and other.status == CaseStatus.MERGED
            and other.merged_into is not None
            and other.merged_into_id != case.pk
        ):
            # Listed here as merged into this case, but handled with another since.
            now_with = NowWith(other.merged_into if in_scope(user, other.merged_into) else None)
        label = str(link.get_kind_display())
        if link.kind == CaseLink.Kind.ORIGIN and not outgoing:
            # Read from the informasi awal: the temuan it became, not the one it came from.
            label = str(_("Taken up as"))
        elif link.kind == CaseLink.Kind.MERGED and outgoing:
            # Read from the merged case: the case it went into, not one merged into it.
            label = str(_("Merged into"))
        elif link.kind == CaseLink.Kind.MERGED:
            # Read from the case that goes on: a case that was merged into it.
            label = str(_("Merged into this case"))
        other_visible = in_scope(user, other)
        rows.append(
            {
                "pk": link.pk,
                "kind": link.kind,
                "label": label,
                # The case was read within the user's scope; the other is checked as it was read.
                "case": other if other_visible else None,
                "outgoing": outgoing,
                "via": via if via is not None and in_scope(user, via) else None,
                "now_with": now_with,
                "at": link.created_at,
                "by": str(link.created_by) if link.created_by else "",
                # Why they were merged: only beside a case the user may open (the reason speaks
                # of that case's people and places, as a removed link's does), and only to the
                # roles handling cases, who alone read the reasons of the history.
                "reason": link.reason if other_visible and handles_cases(user) else "",
            }
        )
    rows.sort(key=lambda row: not row["outgoing"])  # stable: each direction keeps its order
    return rows


def case_link_get(case: Case, link_pk: int) -> CaseLink:
    """One link of ``case`` (either direction), or 404."""
    links = CaseLink.objects.select_related("from_case", "to_case").filter(
        Q(from_case=case) | Q(to_case=case)
    )
    return get_object_or_404(links, pk=link_pk)


def merged_into_for(user: Any, case: Case) -> Case | None:
    """The case this one was merged into, if ``user`` may see it (else the page says only that
    it was merged into a case elsewhere)."""
    if case.merged_into_id is None:
        return None
    merged_into = case.merged_into  # read with the case (``case_get``)
    return merged_into if merged_into is not None and in_scope(user, merged_into) else None


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    label: str
    due: dt.date
    legal_basis: str
    days_left: int
    running: bool  # the clock applies to the case's current status
    at_risk_by: dt.date  # at risk when due by this day (``at_risk_until``)
    working_days_left: int | None = None  # a clock counted in working days: how many are left
    done_on: dt.date | None = None  # the day the step it measures was done (the plenary, the answer)
    # How late it was done (0: in time), in the clock's own days: working days for a clock
    # counted in working days (Pemilu), else calendar days.
    days_late: int = 0

    @property
    def overdue(self) -> bool:
        return self.running and self.days_left < 0

    @property
    def at_risk(self) -> bool:
        return self.running and self.due <= self.at_risk_by

    @property
    def working(self) -> bool:
        """Counted in working days (hari kerja)."""
        return self.working_days_left is not None

    @property
    def days_overdue(self) -> int:
        """How late the running clock is today, in its own days: working days for a clock
        counted in working days ("terlambat 1 hari kerja" on the Monday after a Friday)."""
        if not self.overdue:
            return 0
        today = self.due - dt.timedelta(days=self.days_left)
        return lateness(self.due, DayType.WORKING if self.working else None, today).days_overdue


def _legal_basis(election_type: str, key: str, extended: bool = False) -> str:
    try:
        basis = rule_get(election_type, key).legal_basis
        if extended:
            extension = rule_get(election_type, f"{key}_extension").legal_basis
            if extension != basis:
                basis = f"{basis}; {extension}"
    except UnknownRule:
        return ""
    return basis


def _registered_on(case: Case) -> dt.date | None:
    at = case.history.filter(to_status=CaseStatus.REGISTERED).values_list("at", flat=True).first()
    return local(at).date() if at else None


# What the kajian awal of a laporan ends in: its requirements checked, one way or the other.
REQUIREMENTS_CHECKED = (CaseStatus.REGISTERED, CaseStatus.INCOMPLETE, CaseStatus.NOT_REGISTERED)


def _checked_on(case: Case) -> dt.date | None:
    """The day the laporan's requirements were first checked (it left "diterima" for one of
    ``REQUIREMENTS_CHECKED``), or None (merged, or never checked)."""
    at = (
        case.history.filter(from_status=CaseStatus.RECEIVED, to_status__in=REQUIREMENTS_CHECKED)
        .order_by("at", "id")
        .values_list("at", flat=True)
        .first()
    )
    return local(at).date() if at else None


@dataclass(frozen=True)
class PendingClock:
    """A statutory clock that has not started yet: how long it will run, and from what."""

    label: str
    legal_basis: str
    days: int
    working: bool  # counted in working days (hari kerja)
    extension_days: int | None = None  # the most it may be extended by, when more information is needed
    extension_working: bool = False  # the extension counted in working days


def case_pending_clocks(case: Case) -> list[PendingClock]:
    """The decision clock of a temuan not yet established: it starts on the day the plenary
    establishes (registers) the temuan (common._decision_clock_start), so the draft has no date
    for it. Shown beside the dated clocks so the officer sees why there is none, and how long the
    plenary will have."""
    if case.kind != CaseKind.TEMUAN or case.status not in BEFORE_REGISTRATION or case.decision_due:
        return []
    try:
        rule = rule_get(case.election_type, "decision")
    except UnknownRule:
        return []
    try:
        # Told now too, as on the dated row once extended: the plenary may take longer when more
        # information is needed (UU 10/2016 Pasal 134 ayat (6); UU 7/2017 Pasal 454 ayat (8)).
        extension: RuleSpec | None = rule_get(case.election_type, "decision_extension")
    except UnknownRule:
        extension = None
    return [
        PendingClock(
            str(_("Decision")),
            rule.legal_basis,
            rule.days,
            rule.day_type == DayType.WORKING,
            extension.days if extension else None,
            extension is not None and extension.day_type == DayType.WORKING,
        )
    ]


def case_deadlines(
    case: Case, today: dt.date | None = None, *, referrals: list[Referral] | None = None
) -> list[DeadlineRow]:
    """The case's statutory clocks (and referral follow-ups) with their legal basis and the days
    left, counted in office time (WIB). The rules and holidays are read once for all of them.
    ``referrals``: the case's, with their bodies, when already read (``case_referrals``)."""
    if referrals is None:
        referrals = list(case.referrals.select_related("body"))
    with deadline_reference_pinned(fresh=False):
        return _case_deadlines(case, today or today_local(), referrals)


def _case_deadlines(case: Case, today: dt.date, referrals: list[Referral]) -> list[DeadlineRow]:
    rows: list[DeadlineRow] = []
    horizon = at_risk_until(today).get(case.election_type, today + dt.timedelta(days=1))

    def working_between(day_type: str | None, start: dt.date, end: dt.date) -> int | None:
        """The working days after ``start`` up to ``end``, for a clock counted in working days
        (Pemilu, a body working to hari kerja): from Friday to Monday is one. None for a clock
        counted in calendar days."""
        if day_type != DayType.WORKING:
            return None
        return days_after(start, end, DayType.WORKING, holiday_dates(start))

    def day_type(rule_key: str) -> str | None:
        rule = rule_find(case.election_type, rule_key)
        return None if rule is None else rule.day_type

    def working_left(rule_key: str, due: dt.date) -> int | None:
        return working_between(day_type(rule_key), today, due)

    def late_by(days: str | None, due: dt.date, done_on: dt.date | None) -> int:
        """How many days (of ``days``, the clock's day type) after ``due`` it was done."""
        if done_on is None or done_on <= due:
            return 0
        working = working_between(days, due, done_on)
        return (done_on - due).days if working is None else working

    if case.filing_due and case.kind == CaseKind.TEMUAN:
        registered_on = case.established_on or _registered_on(case)
        # UU 7/2017 Pasal 454 ayat (5) (Pilkada: Pasal 134 ayat (4)): the temuan is established
        # within 7 days of finding the violation; the clock runs until it is registered.
        rows.append(
            DeadlineRow(
                "finding",
                str(_("Establishing the temuan")),
                case.filing_due,
                _legal_basis(case.election_type, KNOWN_DATE_RULES[CaseKind.TEMUAN]),
                (case.filing_due - today).days,
                running=finding_clock_runs(case),
                at_risk_by=horizon,
                working_days_left=working_left(KNOWN_DATE_RULES[CaseKind.TEMUAN], case.filing_due),
                done_on=registered_on,
                days_late=late_by(
                    day_type(KNOWN_DATE_RULES[CaseKind.TEMUAN]), case.filing_due, registered_on
                ),
            )
        )
    elif case.filing_due and case.kind == CaseKind.LAPORAN:
        rows.append(
            DeadlineRow(
                "filing",
                str(_("Report filing deadline")),
                case.filing_due,
                _legal_basis(case.election_type, KNOWN_DATE_RULES[CaseKind.LAPORAN]),
                (case.filing_due - local(case.received_at).date()).days,
                running=False,
                at_risk_by=horizon,
            )
        )
    if case.review_due:
        review_runs = review_clock_runs(case)
        # The kajian awal is done when its check is: the laporan registered, its pelapor told what
        # is missing, or recorded as not registered (Perbawaslu 7/2022 Pasal 15-16). Said as the
        # decision's row says it, in time or how late; it read "not running" once checked.
        checked_on = None if review_runs else _checked_on(case)
        rows.append(
            DeadlineRow(
                "review",
                str(_("Kajian awal (formal and material check)")),
                case.review_due,
                _legal_basis(case.election_type, REVIEW_RULE),
                (case.review_due - today).days,
                running=review_runs,
                at_risk_by=horizon,
                working_days_left=working_left(REVIEW_RULE, case.review_due),
                done_on=checked_on,
                days_late=late_by(day_type(REVIEW_RULE), case.review_due, checked_on),
            )
        )
    if case.completion_due:
        rows.append(
            DeadlineRow(
                "completion",
                str(_("Completion by the pelapor")),
                case.completion_due,
                _legal_basis(case.election_type, "completion"),
                (case.completion_due - today).days,
                running=case.status == CaseStatus.INCOMPLETE,
                at_risk_by=horizon,
                working_days_left=working_left("completion", case.completion_due),
            )
        )
    if case.decision_due and case.kind in DECISION_CLOCK_KINDS:
        decision = decision_of(case)
        decision_date = decision.plenary_date if decision is not None else None
        rows.append(
            DeadlineRow(
                "decision",
                str(_("Decision (with the extension)") if case.decision_extended else _("Decision")),
                case.decision_due,
                _legal_basis(case.election_type, "decision", case.decision_extended),
                (case.decision_due - today).days,
                running=decision_clock_runs(case),
                at_risk_by=horizon,
                working_days_left=working_left("decision", case.decision_due),
                done_on=decision_date,
                days_late=late_by(day_type("decision"), case.decision_due, decision_date),
            )
        )
    for referral in referrals:
        answer_days = referral.follow_up_day_type  # as when it was sent, not as the body is now
        rows.append(
            DeadlineRow(
                f"follow_up:{referral.pk}",
                str(_("Answer from %(body)s") % {"body": referral.body.name}),
                referral.follow_up_due,
                str(_("Expected answer time set for this body (not a statutory deadline)")),
                (referral.follow_up_due - today).days,
                running=referral.responded_on is None,
                # As the reminders count it: an answer in hari kerja due Monday is at risk on Friday.
                at_risk_by=max(horizon, last_day_at_risk(today, answer_days)),
                working_days_left=working_between(answer_days, today, referral.follow_up_due),
                done_on=referral.responded_on,
                days_late=late_by(answer_days, referral.follow_up_due, referral.responded_on),
            )
        )
    return rows


# --- referral suggestions ----------------------------------------------------------------------


def active_referral_bodies() -> list[ReferralBody]:
    """The bodies a case may be referred to, in their order (``ReferralForm``'s choices)."""
    return list(ReferralBody.objects.filter(active=True))


def referral_suggestions(case: Case, bodies: list[ReferralBody] | None = None) -> list[ReferralBody]:
    """The active bodies fitting the decision, best first (DOMAIN.md §2.3 routing):
    administrasi → KPU, pidana → Sentra Gakkumdu, kode etik → DKPP, lainnya → the body whose
    position words the terlapor's position mentions (ASN/PNS → BKN; kepala desa → Pemkab, then
    Kemendagri). Empty when nothing fits (staff then choose any active body)."""
    decision = decision_of(case)
    if decision is None:
        return []
    bodies = active_referral_bodies() if bodies is None else bodies
    fitting = [b for b in bodies if decision.outcome in (b.outcomes or [])]
    position = f"{case.terlapor_position} {case.terlapor_name}"
    matched = [b for b in fitting if b.position_keywords and mentions(position, b.position_keywords)]
    general = [b for b in fitting if not b.position_keywords]
    return matched + general


# --- related cases -----------------------------------------------------------------------------

# Thresholds, chosen on the office's kind of text (short Indonesian reports) and kept loose:
# a candidate is only shown to staff, who decide whether to link or merge.
#
# * Names: rapidfuzz ``token_set_ratio`` ≥ 85 on the processed terlapor names (lower case, no
#   punctuation, old spelling as today's (``OLD_SPELLING``), ``ROLE_WORDS`` and
#   ``COMMON_NAME_PARTS`` removed, numbers equal). A name whose words are all inside the other
#   scores 100, so "H. Sutrisno, S.Pd." finds "Sutrisno"; one typo in a two-word name still
#   scores ≥ 85. A name is also compared with the other's position and name together (and the
#   other way round), not the two positions with each other: "Kades Ngadirejo" finds "Sutrisno",
#   position "Kepala Desa Ngadirejo", while "Budi" and "Ani", both "Guru SDN 1 Kepanjen", stay two.
# * Place and time: the same desa, or the same kecamatan, and event dates (else the receipt
#   dates, WIB) at most 7 days apart.
# * Text: cosine similarity ≥ 0.35 of TF-IDF vectors of title + chronology, character 3–5-grams
#   within word boundaries (robust to Indonesian affixes, slang spelling and typos), fitted on
#   the candidate pool. Measured on a sample (two paraphrased accounts each of a kades handing out
#   money and of a PNS teacher's Facebook post, against 240 template reports of six other kinds
#   in twelve desa): the same event scored 0.42 and 0.59 (0.37 when the pool holds only three
#   reports, as the IDF weights are then rough); other events 0.26 at the 95th percentile, 0.37
#   at the 99th, at most 0.43 (a different money-politics report). Text alone is therefore a
#   weak signal: it is one reason among the three, and candidates with more reasons come first.
# The pool: cases of the same office (kabupaten/kota) received within 180 days of the case,
# not merged, not already linked, at most the 2,000 most recent, read as plain values (no
# model objects). Names, places and days are compared for the whole pool (cheap: rapidfuzz on
# short strings). The text comparison is the costly part (TF-IDF of character n-grams, about
# 1.3 ms per report of 800 characters on one core): the "Related cases" page compares every
# text of the pool (1.5 to 2.5 s for 2,000 such reports); the case page (``related_for_page``)
# compares only the best name/place matches and the most recent reports, each cut to its first
# characters: about 55 ms in all for a pool of 2,000 such reports (SQLite, one quiet core).
NAME_THRESHOLD = 85
# Words that say what someone is, not who: left out before names are compared, or "Oknum ASN"
# would match every ASN and "Tidak diketahui" every unknown terlapor. Numbers must agree: "Paslon
# 01" is not "Paslon 02". The most common name parts are left out too ("Muhammad Rizki" is not
# "Muhammad Rizal"), unless the name has nothing else ("Siti Nur" is compared as it is).
ROLE_WORDS = frozenset(
    """
    paslon pasangan calon cabup cawabup cagub cawagub bupati wakil tim sukses timses pendukung
    relawan partai oknum kades kepala desa kelurahan lurah camat sekdes perangkat asn pns pppk
    guru kpps ppk pps warga tidak diketahui belum anonim pak bu bapak ibu sdr saudara saudari
    h hj haji hajjah no nomor urut dan s pd spd sh se st mm mh dr drs ir amd
    ketua anggota kasun kadus dusun dsn ds kec kecamatan kab kabupaten selaku
    """.split()  # noqa: SIM905  (a word list reads best as words)
)
COMMON_NAME_PARTS = frozenset(
    "muhammad mohammad mohamad muhamad moh muh m ahmad achmad siti nur abdul".split()  # noqa: SIM905
)
# The old spelling (Ejaan Soewandi and before), still in many Javanese names: "Soetrisno" is
# "Sutrisno", "Djoko" "Joko", "Tjipto" "Cipto". Both names are rewritten the same way, so a
# name spelt today with these letters ("Panji") compares as it should.
OLD_SPELLING = (("oe", "u"), ("dj", "j"), ("tj", "c"), ("sj", "sy"), ("nj", "ny"), ("ch", "kh"))
PLACE_DAYS = 7
TEXT_THRESHOLD = 0.35
POOL_DAYS = 180
POOL_LIMIT = 2000
MIN_NAME_LENGTH = 3
# The case page: at most 3 candidates, texts of the 10 best name/place matches and of the 20
# most recent reports, each report's account cut to 3,000 characters.
PAGE_CANDIDATES = 3
PAGE_SHORTLIST = 10
PAGE_RECENT = 20
PAGE_TEXT_CHARS = 3000
# What the pool reads of each case (the page shows these; the chronology, which can be long, is
# left in the database unless the text is compared).
POOL_COLUMNS = (
    "id",
    "kind",
    "election_type",  # whether it can be merged (``with_merge_problems``)
    "status",
    "tracking_code",
    "registration_number",
    "title",
    "terlapor_name",
    "terlapor_position",
    "event_date",
    "received_at",
    "region__code",
    "region__name",
    "region__level",
)


@dataclass
class RelatedCandidate:
    case: Case
    reasons: list[str] = field(default_factory=list)  # for people, in the page's language
    signals: list[str] = field(default_factory=list)  # "terlapor", "desa", "kecamatan", "text"
    name_score: float = 0.0
    text_score: float = 0.0
    # Why the two cannot be merged now ("" when they can): filled by ``with_merge_problems``.
    merge_problem: str = ""
    # When they can: which of the two would be merged into which (``workflow.merge_plan``).
    merge_kept: Case | None = None
    merge_merged: Case | None = None

    @property
    def strength(self) -> tuple[int, float]:
        return (len(self.reasons), max(self.name_score / 100, self.text_score))

    @property
    def kecamatan_only(self) -> bool:
        """Related by nothing but the kecamatan and a few days: in a busy kecamatan most cases of
        the week are, so the case page does not put these before the officer unasked."""
        return self.signals == ["kecamatan"]


@dataclass
class _PoolRow:
    """What the comparison reads of a case of the pool (plain values: no model objects for the
    2,000 rows; the few candidates shown are read afterwards)."""

    pk: int
    terlapor_name: str
    terlapor_position: str
    region_id: str
    event_date: dt.date | None
    received_at: dt.datetime
    title: str = ""
    chronology: str = ""


def _event_day(case: Case | _PoolRow) -> dt.date:
    return case.event_date or local(case.received_at).date()


def _is_desa(region_code: str) -> bool:
    return region_code.count(".") >= 3  # "35.07.10.2001"; a kecamatan is "35.07.10"


def _kecamatan_of(region_code: str) -> str:
    return ".".join(region_code.split(".")[:3])


def _text_of(case: Case | _PoolRow, chars: int | None = None) -> str:
    return f"{case.title}\n{case.chronology[:chars]}".strip()


def _text_scores(text: str, others: list[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import linear_kernel

    if not text or not others:
        return [0.0] * len(others)
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    try:
        matrix = vectorizer.fit_transform([text, *others])
    except ValueError:  # no usable n-grams at all
        return [0.0] * len(others)
    # Rows are L2-normalised, so the dot product is the cosine.
    return [float(x) for x in linear_kernel(matrix[0:1], matrix[1:]).ravel()]


def _todays_spelling(word: str) -> str:
    for old, new in OLD_SPELLING:
        word = word.replace(old, new)
    return word


# The word lists as a name's words are compared with them, in today's spelling: "Achmad" becomes
# "akhmad", which must still be a common part ("Achmad Hadi" and "Achmad Hari" are two people, as
# "Ahmad Hadi" and "Ahmad Hari" are), and an old-spelt post ("Tjamat") is still a post.
_ROLE_WORDS_SPELT = frozenset(map(_todays_spelling, ROLE_WORDS)) | ROLE_WORDS
_COMMON_NAME_PARTS_SPELT = frozenset(map(_todays_spelling, COMMON_NAME_PARTS)) | COMMON_NAME_PARTS


@functools.lru_cache(maxsize=16384)  # the pool's names come again on every case page
def terlapor_key(name: str) -> str:
    """The words of a terlapor's name that tell who it is (lower case, no punctuation, today's
    spelling)."""
    spelt = [
        str(int(w)) if w.isdigit() else _todays_spelling(w)  # "01" is "1"
        for w in utils.default_process(name or "").split()
    ]
    words = [w for w in spelt if w not in _ROLE_WORDS_SPELT]
    distinctive = [w for w in words if w not in _COMMON_NAME_PARTS_SPELT]
    return " ".join(distinctive or words)


def _name_score(key: str, other_key: str) -> float:
    if not key or not other_key:
        return 0.0
    numbers = {w for w in key.split() if w.isdigit()}
    other_numbers = {w for w in other_key.split() if w.isdigit()}
    if numbers and other_numbers and numbers != other_numbers:
        return 0.0
    if key == other_key:
        return 100.0
    if min(len(key), len(other_key)) < MIN_NAME_LENGTH:
        return 0.0
    return float(fuzz.token_set_ratio(key, other_key))


@dataclass(frozen=True)
class _TerlaporKeys:
    name: str  # terlapor_key of the name
    named: str  # terlapor_key of the position and the name together

    @classmethod
    def of(cls, case: Case | _PoolRow) -> _TerlaporKeys:
        return cls(
            terlapor_key(case.terlapor_name), terlapor_key(f"{case.terlapor_position} {case.terlapor_name}")
        )


def _name_and_place(
    candidate: RelatedCandidate, other: _PoolRow, case: Case, keys: _TerlaporKeys, day: dt.date
) -> None:
    other_keys = _TerlaporKeys.of(other)
    candidate.name_score = _name_score(keys.name, other_keys.name)
    if candidate.name_score >= NAME_THRESHOLD:
        candidate.signals.append("terlapor")
        candidate.reasons.append(
            str(_("same terlapor (name match %(score)d%%)") % {"score": round(candidate.name_score)})
        )
    else:
        # "Kades Ngadirejo" and "Sutrisno", position "Kepala Desa Ngadirejo": one report names the
        # office, the other the person holding it. A name against the other's position and name,
        # never the two positions alone (two teachers of one school are not one terlapor).
        score = max(
            _name_score(keys.name, other_keys.named) if other_keys.named != other_keys.name else 0.0,
            _name_score(keys.named, other_keys.name) if keys.named != keys.name else 0.0,
        )
        if score >= NAME_THRESHOLD:
            candidate.name_score = score
            candidate.signals.append("terlapor")
            candidate.reasons.append(
                str(_("same terlapor (name and position match %(score)d%%)") % {"score": round(score)})
            )
    gap = abs((_event_day(other) - day).days)
    if gap <= PLACE_DAYS:
        # The same desa is the same place; two reports that name only the kecamatan (a temuan of
        # its Panwascam, a pelapor who left the desa out) share no more than the kecamatan.
        if other.region_id == case.region_id and _is_desa(case.region_id):
            candidate.signals.append("desa")
            candidate.reasons.append(
                str(_("same place, the same day"))
                if gap == 0
                else ngettext("same place, %(days)d day apart", "same place, %(days)d days apart", gap)
                % {"days": gap}
            )
        elif _kecamatan_of(other.region_id) == _kecamatan_of(case.region_id):
            candidate.signals.append("kecamatan")
            candidate.reasons.append(
                str(_("same kecamatan, the same day"))
                if gap == 0
                else ngettext(
                    "same kecamatan, %(days)d day apart", "same kecamatan, %(days)d days apart", gap
                )
                % {"days": gap}
            )


def related_candidates(
    case: Case,
    *,
    within: QuerySet[Case] | None = None,
    text_limit: int | None = None,
    limit: int | None = None,
) -> list[RelatedCandidate]:
    """Cases that may be about the same thing as ``case``, each with the reasons why, strongest
    first (at most ``limit``). ``within`` restricts the pool (pass
    ``Case.objects.visible_to(user)``).

    ``text_limit``: compare the account of events only with the ``PAGE_SHORTLIST`` best
    name/place matches and the ``text_limit`` most recent cases of the pool (each cut to
    ``PAGE_TEXT_CHARS``), not with every case of the pool (``None``, the default).
    """
    base = within if within is not None else Case.objects.all()
    window = dt.timedelta(days=POOL_DAYS)
    ends = CaseLink.objects.filter(Q(from_case=case) | Q(to_case=case)).values_list("from_case", "to_case")
    linked = {pk for pair in ends for pk in pair} - {case.pk}
    columns = ["pk", "terlapor_name", "terlapor_position", "region_id", "event_date", "received_at"]
    if text_limit is None:
        columns += ["title", "chronology"]
    pool_rows = (
        base.filter(
            region_q("region__code", office_code(case)),
            received_at__gte=case.received_at - window,
            received_at__lte=case.received_at + window,
        )
        .exclude(pk=case.pk)
        .exclude(pk__in=linked)
        .exclude(status=CaseStatus.MERGED)
        .exclude(merged_into=case)
        .order_by("-received_at", "-pk")
        .values_list(*columns)[:POOL_LIMIT]
    )
    pool = [_PoolRow(*row) for row in pool_rows]
    if not pool:
        return []
    keys = _TerlaporKeys.of(case)
    day = _event_day(case)
    candidates: dict[int, RelatedCandidate] = {}
    for row in pool:
        candidate = RelatedCandidate(case=case)  # the other case is read once it is kept
        _name_and_place(candidate, row, case, keys, day)
        candidates[row.pk] = candidate

    if text_limit is None:
        compared = pool
        own_text = _text_of(case)
    else:
        matched = sorted(
            (r for r in pool if candidates[r.pk].reasons), key=lambda r: candidates[r.pk].strength
        )
        chosen = {r.pk: r for r in [*reversed(matched[-PAGE_SHORTLIST:]), *pool[:text_limit]]}
        texts = (
            Case.objects.filter(pk__in=chosen)
            .annotate(start=Substr("chronology", 1, PAGE_TEXT_CHARS))
            .values_list("pk", "title", "start")
        )
        for pk, title, start in texts:
            chosen[pk].title, chosen[pk].chronology = title, start or ""
        compared = list(chosen.values())
        own_text = _text_of(case, PAGE_TEXT_CHARS)
    scores = _text_scores(own_text, [_text_of(row) for row in compared])
    for row, text_score in zip(compared, scores, strict=True):
        candidate = candidates[row.pk]
        candidate.text_score = text_score
        if text_score >= TEXT_THRESHOLD:
            candidate.signals.append("text")
            candidate.reasons.append(
                str(_("similar account of events (%(score)d%%)") % {"score": round(text_score * 100)})
            )

    # Strongest first; among equals the most recent (the pool's order: sorting is stable).
    found = [(pk, c) for pk, c in candidates.items() if c.reasons]
    found.sort(key=lambda item: item[1].strength, reverse=True)
    found = found[:limit]
    shown = Case.objects.filter(pk__in=[pk for pk, _c in found]).select_related("region").only(*POOL_COLUMNS)
    cases = {other.pk: other for other in shown}
    result = []
    for pk, candidate in found:
        if pk in cases:  # else deleted in between
            candidate.case = cases[pk]
            result.append(candidate)
    return result


def with_merge_problems(case: Case, candidates: list[RelatedCandidate]) -> list[RelatedCandidate]:
    """Each candidate with why it cannot be merged with ``case`` now (the page then offers only
    the link), by the rule ``case_merge`` applies, or else which of the two would go into which
    (the page says so beside the button: it is not always the one open)."""
    for candidate in candidates:
        problem = workflow.merge_problem(case, candidate.case)
        candidate.merge_problem = " ".join(problem.messages) if problem is not None else ""
        if problem is None:
            candidate.merge_kept, candidate.merge_merged = workflow.merge_plan(case, candidate.case)
    return candidates


def related_for_page(user: Any, case: Case) -> list[RelatedCandidate]:
    """The few strongest related candidates the case page shows by itself, so that an officer
    opening a case just recorded sees the reports it may duplicate without looking for them.

    Only for a case still being handled before the decision (when linking or merging still
    changes how it is handled), only to the roles that handle cases, only within their scope;
    cases already linked or merged are left out, and so are those related by the kecamatan alone
    (the related cases page lists them). Bounded: see ``related_candidates(text_limit)``.
    """
    if not handles_cases(user) or case.status not in workflow.MERGEABLE_STATUSES:
        return []
    found = related_candidates(case, within=Case.objects.visible_to(user), text_limit=PAGE_RECENT)
    return with_merge_problems(case, [c for c in found if not c.kecamatan_only][:PAGE_CANDIDATES])
