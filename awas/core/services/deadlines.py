"""The deadline clock: statutory time limits in calendar or working days, used by every app.

Counting convention ("within N days", *paling lama N hari*):

* The day of the start event (the violation became known, the laporan was received, ...) is
  **day 0**: it is never counted, because the event happens partway through it.
* The deadline is the **end of day N**: ``due_at`` is 23:59:59 office time (WIB, Asia/Jakarta by
  default) on the due date; anything done on the due date is in time.
* **Calendar days** (Pilkada, UU 10/2016; DOMAIN §2.1): ``due = start + N``. A calendar-day
  deadline is *not* moved when it lands on a weekend or holiday; Bawaslu counts hari kalender
  for Pilkada handling and keeps receiving reports on non-working days.
* **Working days** (Pemilu, UU 7/2017 Pasal 454): Saturdays, Sundays and every ``Holiday`` (libur
  nasional and cuti bersama alike) are skipped. Day 1 is the first working day *after* the start
  day; so when the start day is itself not a working day, the count starts from the next working
  day (a report known on Saturday or Sunday has Monday as day 1, the same as one known on Friday).
  The due date of a working-day clock is always a working day. With N = 0 the due date is the
  start day if it is a working day, otherwise the next working day.
* An extension (``decision_extension``) adds its days to the base rule's, counted from the same
  start (Pasal 134(5)+(6): 3 + 2 calendar days; Pasal 454(7)+(8): 7 + 7 = 14 working days).

The arithmetic is in pure functions (``add_days``, ``deadline_for``, ``days_remaining``,
``is_at_risk``, ``reminder_due``) that take the holiday set as an argument, so they are tested
without a database; ``due_date`` is the database-backed wrapper that reads the rule and the
holiday calendar.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from awas.core.models.deadlines import DayType, DeadlineRule, ElectionType, Holiday, HolidayKind
from awas.core.services.audit import audit_record, changed, snapshot

SEED_PATH = Path(__file__).resolve().parent.parent / "deadline_rules.yaml"
EXTENSION_SUFFIX = "_extension"
END_OF_DAY = dt.time(23, 59, 59)
SATURDAY = 5  # date.weekday(): Monday is 0


# --- the rules and holidays as plain data -----------------------------------------------------


@dataclass(frozen=True)
class RuleSpec:
    """One deadline rule, independent of the database (from the data file or a DeadlineRule row)."""

    election_type: str
    key: str
    label: str
    days: int
    day_type: str
    start_event: str
    legal_basis: str
    source_url: str = ""
    note: str = ""

    @classmethod
    def from_model(cls, rule: Any) -> RuleSpec:
        return cls(**{name: getattr(rule, name) for name in _RULE_FIELDS})

    def as_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _RULE_FIELDS if name not in ("election_type", "key")}


_RULE_FIELDS = (
    "election_type",
    "key",
    "label",
    "days",
    "day_type",
    "start_event",
    "legal_basis",
    "source_url",
    "note",
)


@dataclass(frozen=True)
class HolidaySpec:
    date: dt.date
    name: str
    kind: str
    source: str = ""


@dataclass(frozen=True)
class Seed:
    rules: tuple[RuleSpec, ...]
    holidays: tuple[HolidaySpec, ...]


class RuleFileError(ValueError):
    """The rule file is malformed: a wrong type, a missing field, an unknown day type."""


def read_seed(path: Path | str = SEED_PATH) -> Seed:
    """Parse and check ``deadline_rules.yaml``. Pure: touches no database."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    rules: list[RuleSpec] = []
    for election_type, by_key in (data.get("rules") or {}).items():
        if election_type not in ElectionType.values:
            raise RuleFileError(f"unknown election type {election_type!r}")
        for key, raw in by_key.items():
            try:
                spec = RuleSpec(
                    election_type=election_type,
                    key=key,
                    label=str(raw["label"]),
                    days=int(raw["days"]),
                    day_type=str(raw["day_type"]),
                    start_event=str(raw["start_event"]),
                    legal_basis=str(raw["legal_basis"]),
                    source_url=str(raw.get("source_url", "")),
                    note=str(raw.get("note", "")).strip(),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise RuleFileError(f"rule {election_type}/{key}: {error!r}") from error
            if spec.day_type not in DayType.values:
                raise RuleFileError(f"rule {election_type}/{key}: unknown day type {spec.day_type!r}")
            if spec.days < 0:
                raise RuleFileError(f"rule {election_type}/{key}: negative days")
            rules.append(spec)
    by_id = {(r.election_type, r.key): r for r in rules}
    for rule in rules:
        if rule.key.endswith(EXTENSION_SUFFIX):
            base = by_id.get((rule.election_type, rule.key.removesuffix(EXTENSION_SUFFIX)))
            if base is None or base.day_type != rule.day_type:
                raise RuleFileError(
                    f"rule {rule.election_type}/{rule.key}: no base rule with the same day type"
                )
    holidays: list[HolidaySpec] = []
    for raw in data.get("holidays") or []:
        if not isinstance(raw.get("date"), dt.date) or raw.get("kind") not in HolidayKind.values:
            raise RuleFileError(f"holiday {raw!r}: needs a date (YYYY-MM-DD) and a known kind")
        holidays.append(HolidaySpec(raw["date"], str(raw["name"]), raw["kind"], str(raw.get("source", ""))))
    dates = [h.date for h in holidays]
    if len(dates) != len(set(dates)):
        raise RuleFileError("a holiday date appears twice")
    return Seed(rules=tuple(rules), holidays=tuple(holidays))


# --- pure arithmetic ---------------------------------------------------------------------------


def is_working_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    """Monday to Friday and not a libur nasional or cuti bersama."""
    return day.weekday() < SATURDAY and day not in holidays


def days_after(
    start: dt.date, end: dt.date, day_type: str, holidays: Collection[dt.date] = frozenset()
) -> int:
    """How many days of ``day_type`` come after ``start`` up to ``end`` (0 when ``end`` is not
    after it): the inverse of ``add_days``. From Friday to Monday is 3 calendar days, 1 working day."""
    if end <= start:
        return 0
    if day_type == DayType.CALENDAR:
        return (end - start).days
    span = range(1, (end - start).days + 1)
    return sum(1 for n in span if is_working_day(start + dt.timedelta(days=n), holidays))


def add_days(
    start: dt.date, days: int, day_type: str, holidays: Collection[dt.date] = frozenset()
) -> dt.date:
    """The due date of "within ``days`` days of ``start``": ``start`` is day 0, the result is day N.

    Calendar days count every day and ignore ``holidays``. Working days skip Saturdays, Sundays
    and ``holidays``; day 1 is the first working day after ``start``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    if day_type == DayType.CALENDAR:
        return start + dt.timedelta(days=days)
    if day_type != DayType.WORKING:
        raise ValueError(f"unknown day type {day_type!r}")
    day = start
    if days == 0:
        while not is_working_day(day, holidays):
            day += dt.timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            counted += 1
    return day


def office_election_types() -> tuple[str, ...]:
    """The elections the office is handling (setting ``AWAS_ELECTION_TYPE``, in its order): one, or
    Pemilu and Pilkada while their stages overlap (2024, 2029). A filing on the public pages falls
    under the law of the one its pelapor chooses, which sets the filing limit the form warns of
    (UU 10/2016 Pasal 134 ayat (4): 7 days; UU 7/2017 Pasal 454 ayat (6): 7 hari kerja) and every
    clock of the case it becomes."""
    value = str(getattr(settings, "AWAS_ELECTION_TYPE", "") or ElectionType.PILKADA)
    chosen = tuple(
        dict.fromkeys(part.strip() for part in value.split(",") if part.strip() in ElectionType.values)
    )
    return chosen or (ElectionType.PILKADA,)


def office_election_type() -> str:
    """The election a case takes where nobody chose one: the office's only election (with both,
    every form that makes a case asks, and this first listed one is only a fallback). Staff forms
    start from ``office_election_default``."""
    return office_election_types()[0]


def office_election_default() -> str | None:
    """The election a staff form starts from: the office's only one; None while it handles both,
    so the officer must choose (a preselected one kept by an oversight would set the wrong clock)."""
    elections = office_election_types()
    return elections[0] if len(elections) == 1 else None


def office_timezone() -> dt.tzinfo:
    """The office's legal clock: settings.TIME_ZONE (Asia/Jakarta, WIB, unless configured)."""
    return ZoneInfo(settings.TIME_ZONE)


def office_day_end(day: dt.date) -> dt.datetime:
    """The end of ``day`` in office time: the first moment of the next (aware)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=office_timezone())


@dataclass(frozen=True)
class Deadline:
    """A computed time limit: due at the end of ``due_date`` (``due_at``, aware, office time)."""

    rule: RuleSpec
    start: dt.date
    due_date: dt.date
    due_at: dt.datetime
    days: int  # days counted, the extension included
    legal_basis: str
    extended: bool = False
    extension: RuleSpec | None = field(default=None, compare=False)

    @property
    def day_type(self) -> str:
        return self.rule.day_type


def deadline_for(
    rule: RuleSpec,
    start: dt.date,
    holidays: Collection[dt.date] = frozenset(),
    *,
    extension: RuleSpec | None = None,
    tz: dt.tzinfo | None = None,
) -> Deadline:
    """Pure: the deadline of ``rule`` (plus ``extension`` if given) for an event on ``start``."""
    days = rule.days + (extension.days if extension is not None else 0)
    due = add_days(start, days, rule.day_type, holidays)
    legal_basis = rule.legal_basis
    if extension is not None and extension.legal_basis != rule.legal_basis:
        legal_basis = f"{rule.legal_basis}; {extension.legal_basis}"
    return Deadline(
        rule=rule,
        start=start,
        due_date=due,
        due_at=dt.datetime.combine(due, END_OF_DAY, tzinfo=tz or ZoneInfo("Asia/Jakarta")),
        days=days,
        legal_basis=legal_basis,
        extended=extension is not None,
        extension=extension,
    )


def _local_date(moment: dt.datetime | dt.date, tz: dt.tzinfo) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("pass an aware datetime (timezone.now()), not a naive one")
        return moment.astimezone(tz).date()
    return moment


def days_remaining(deadline: Deadline, today: dt.date | dt.datetime) -> int:
    """Calendar days from ``today`` to the due date: 0 on the due date, negative once overdue.

    Calendar days even for a working-day rule: it reads as "due in 3 days" beside the due date.
    ``today`` may be an aware datetime; it is taken in the deadline's time zone.
    """
    tz = deadline.due_at.tzinfo or ZoneInfo("Asia/Jakarta")
    return (deadline.due_date - _local_date(today, tz)).days


def is_overdue(deadline: Deadline, now: dt.datetime | dt.date) -> bool:
    """True from the first moment after the end of the due date (office time)."""
    return days_remaining(deadline, now) < 0


def is_at_risk(deadline: Deadline, now: dt.datetime | dt.date, threshold_days: int = 1) -> bool:
    """The deadline is ``threshold_days`` or fewer days away, due today, or overdue.

    With the default of 1: the day before the due date, the due date itself, and every day after.
    """
    return days_remaining(deadline, now) <= threshold_days


def reminder_due(deadline: Deadline, today: dt.date | dt.datetime) -> bool:
    """Today is the (calendar) day before the due date: the day the reminder goes out."""
    return days_remaining(deadline, today) == 1


# --- the database-backed side ------------------------------------------------------------------


@dataclass(frozen=True)
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def sync_rules_into(model: Any, specs: Collection[RuleSpec]) -> LoadResult:
    """Make ``model`` (DeadlineRule, or its historical version in a migration) match ``specs``."""
    created = updated = unchanged = 0
    for spec in specs:
        row = model.objects.filter(election_type=spec.election_type, key=spec.key).first()
        if row is None:
            model.objects.create(election_type=spec.election_type, key=spec.key, **spec.as_fields())
            created += 1
            continue
        changes = {name: value for name, value in spec.as_fields().items() if getattr(row, name) != value}
        if changes:
            for name, value in changes.items():
                setattr(row, name, value)
            row.save(update_fields=list(changes))
            updated += 1
        else:
            unchanged += 1
    return LoadResult(created, updated, unchanged)


def seed_holidays_into(model: Any, specs: Collection[HolidaySpec]) -> int:
    """Add the seed holidays whose dates are not in ``model`` yet; never change or remove a row."""
    existing = set(model.objects.values_list("date", flat=True))
    missing = [
        model(date=h.date, name=h.name, kind=h.kind, source=h.source) for h in specs if h.date not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)


def deadline_rules_load(path: Path | str = SEED_PATH) -> LoadResult:
    """Make the DeadlineRule table match the data file. Idempotent; each change is audited.

    Rules in the table that the file no longer has are kept (cases may refer to them). When a
    rule was added or changed, the apps that store due dates recompute those of their open cases
    in the same transaction (``deadline_calendar_changed``).
    """
    specs = read_seed(path).rules
    with transaction.atomic():
        before = {(r.election_type, r.key): snapshot(r) for r in DeadlineRule.objects.all()}
        result = sync_rules_into(DeadlineRule, specs)
        for rule in DeadlineRule.objects.all():
            old = before.get((rule.election_type, rule.key))
            new = snapshot(rule)
            if old != new:
                old_values, new_values = changed(old, new) if old is not None else (None, new)
                audit_record(action="deadline_rule.loaded", obj=rule, before=old_values, after=new_values)
        if result.created or result.updated:
            deadline_calendar_changed_send(sender=DeadlineRule, reason="deadline rules loaded")
    return result


def holidays_seed(path: Path | str = SEED_PATH) -> int:
    """Add the data file's holidays that are missing by date; the administrator's edits are kept.

    Migration core 0003 seeds the same way. Running it again brings back a seeded day that the
    administrator deleted, so nothing runs it automatically afterwards.
    """
    specs = read_seed(path).holidays
    with transaction.atomic():
        existing = set(Holiday.objects.values_list("date", flat=True))
        added = seed_holidays_into(Holiday, specs)
        # bulk_create sends no post_save: forget the cached calendar here, and after the commit.
        _edited()
        if added:
            holidays_changed(
                dates={h.date for h in specs if h.date not in existing}, reason="holidays seeded"
            )
        return added


def holidays_import(specs: Collection[HolidaySpec], *, actor: Any = None) -> tuple[int, int]:
    """Add a year's holidays at once (the administrator pastes the new SKB 3 Menteri's list): the
    dates not yet in the calendar are added, each audited, and the open cases' due dates counted
    again once, all in one transaction. A date already there is left as it is (the administrator
    edits that day). Returns how many days were added and how many cases got new due dates."""
    with transaction.atomic():
        existing = set(Holiday.objects.values_list("date", flat=True))
        added = []
        for spec in sorted(specs, key=lambda spec: spec.date):
            if spec.date in existing:
                continue
            row = Holiday.objects.create(date=spec.date, name=spec.name, kind=spec.kind, source=spec.source)
            audit_record(action="holiday.imported", obj=row, actor=actor, after=snapshot(row))
            existing.add(spec.date)
            added.append(spec.date)
        moved = holidays_changed(dates=added, actor=actor, reason="holidays imported")
    return len(added), moved


# --- telling the apps that store due dates -----------------------------------------------------
#
# Due dates are computed when a case is received, registered or extended, and stored on the case
# to list, filter and remind fast. A change to the holiday calendar (the administrator adds,
# moves or removes a libur nasional or cuti bersama) or to the rules changes what those dates
# should be. core imports no domain app (ARCHITECTURE.md): it sends ``deadline_calendar_changed``
# inside the transaction of the edit, and each app that stores due dates (cases, in its
# AppConfig.ready) recomputes those of its open matters in that same transaction.
#
# Keyword arguments of the signal:
#   dates:  the holiday dates added, removed or moved (a frozenset), or None when a rule changed
#           (then every open case is recomputed, whatever its dates);
#   actor:  the user who made the edit (None for a command or the system);
#   reason: a short text for the audit entry.

deadline_calendar_changed = Signal()


def deadline_calendar_changed_send(
    *,
    sender: Any = Holiday,
    dates: Collection[dt.date] | None = None,
    actor: Any = None,
    reason: str = "",
) -> int:
    """Send ``deadline_calendar_changed``; call inside the edit's transaction, after the edit is
    saved (the cached calendar is forgotten first, so receivers compute with the new one).
    Returns the number the receivers report (how many stored records got new due dates)."""
    deadline_cache_clear()
    responses = deadline_calendar_changed.send(
        sender=sender,
        dates=frozenset(dates) if dates is not None else None,
        actor=actor,
        reason=reason,
    )
    return sum(cast(int, response) for _receiver, response in responses if isinstance(response, int))


def holidays_changed(*, dates: Collection[dt.date], actor: Any = None, reason: str = "") -> int:
    """The holiday calendar changed on ``dates`` (added, removed, or a day moved: both dates).

    Called by the admin after each save or delete, and by ``holidays_seed``, inside the same
    transaction: the stored due dates of open cases whose clocks count working days across one
    of those dates are recomputed before it commits. Returns how many cases got new due dates.
    """
    if not dates:
        return 0
    return deadline_calendar_changed_send(sender=Holiday, dates=dates, actor=actor, reason=reason)


# The years the holiday calendar takes: from the first working-day clock (UU 7/2017) to two years
# ahead (the SKB of next year comes out in the autumn); a year beyond is a typing slip (2062 for
# 2026, 1900), which would leave the real day a working day without a word.
FIRST_HOLIDAY_YEAR = 2017
HOLIDAY_YEARS_AHEAD = 2


def holiday_years_allowed(today: dt.date) -> tuple[int, int]:
    """The first and last year a holiday may be entered for, as of ``today``."""
    return FIRST_HOLIDAY_YEAR, today.year + HOLIDAY_YEARS_AHEAD


def working_day_election_types() -> frozenset[str]:
    """The election types with at least one working-day rule: only their clocks skip holidays."""
    return frozenset(
        r.election_type for r in _reference_data().rules.values() if r.day_type == DayType.WORKING
    )


# --- the rules and holidays, cached per process ------------------------------------------------
#
# Every filing and every step of a case computes due dates; the rules and the holiday calendar
# change a few times a year. Each process keeps them for REFERENCE_TTL seconds:
#
# * an edit in this process (the admin, ``deadline_rules_load``, ``holidays_seed``) empties the
#   cache at once and again when its transaction commits (signals below);
# * another process sees the edit within REFERENCE_TTL seconds;
# * the cache is filled only from reads outside a transaction, so it never holds a change that
#   is later rolled back; inside a transaction an empty cache is read through, uncached (which is
#   also why a test, always inside its transaction, sees the holidays it adds at once).

REFERENCE_TTL = 5.0  # seconds


@dataclass(frozen=True)
class _Reference:
    loaded_at: float
    rules: dict[tuple[str, str], RuleSpec]
    holidays: frozenset[dt.date]


_reference: _Reference | None = None


def deadline_cache_clear(**_kwargs: Any) -> None:
    """Forget the cached rules and holidays (a signal receiver, hence the keyword arguments)."""
    global _reference
    _reference = None


def _edited(**_kwargs: Any) -> None:
    deadline_cache_clear()
    # Again after the commit: a read in between (another request) may have cached the old rows.
    transaction.on_commit(deadline_cache_clear)


for _model in (DeadlineRule, Holiday):
    post_save.connect(_edited, sender=_model, dispatch_uid=f"awas-deadline-cache-{_model.__name__}-save")
    post_delete.connect(_edited, sender=_model, dispatch_uid=f"awas-deadline-cache-{_model.__name__}-delete")


def _load_reference() -> _Reference:
    return _Reference(
        loaded_at=time.monotonic(),
        rules={(r.election_type, r.key): RuleSpec.from_model(r) for r in DeadlineRule.objects.all()},
        holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
    )


# Set by ``deadline_reference_pinned``: the rules and holidays one batch of computations reads.
_pinned: ContextVar[_Reference | None] = ContextVar("awas_deadline_reference", default=None)


@contextmanager
def deadline_reference_pinned(*, fresh: bool = True) -> Iterator[None]:
    """Read the rules and holidays once for a batch of computations (recomputing every open case
    after a holiday edit), also inside a transaction, where nothing is cached: without it each
    due date would read both tables again. ``fresh``: read the tables now (a recomputation after
    an edit: another request may have cached the old rows meanwhile); else the process's cache
    serves when it is fresh (a page showing a case's clocks)."""
    token = _pinned.set(_load_reference() if fresh else _reference_data())
    try:
        yield
    finally:
        _pinned.reset(token)


def _reference_data() -> _Reference:
    global _reference
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    cached = _reference
    if cached is not None and time.monotonic() - cached.loaded_at <= REFERENCE_TTL:
        return cached
    loaded = _load_reference()
    if not transaction.get_connection().in_atomic_block:
        _reference = loaded
    return loaded


def at_risk_until(today: dt.date) -> dict[str, dt.date]:
    """Per election type, the last due date that is "at risk" (and reminded) today: tomorrow, or,
    for a type counted in working days, the next working day (a Pemilu deadline on Monday is at
    risk on Friday: no one works the days between). Types not listed: tomorrow (``.get``)."""
    reference = _reference_data()  # once: inside a transaction nothing is cached
    working = {rule.election_type for rule in reference.rules.values() if rule.day_type == DayType.WORKING}
    return dict.fromkeys(working, last_day_at_risk(today, DayType.WORKING, reference.holidays))


def last_day_at_risk(today: dt.date, day_type: str, holidays: Collection[dt.date] | None = None) -> dt.date:
    """The last due date at risk today for one clock counted in ``day_type``: tomorrow, or the
    next working day (a referral body's answer in hari kerja, whatever the election's count)."""
    tomorrow = today + dt.timedelta(days=1)
    if day_type != DayType.WORKING:
        return tomorrow
    holidays = _reference_data().holidays if holidays is None else holidays
    return max(tomorrow, add_days(today, 1, DayType.WORKING, holidays))


def holiday_dates(since: dt.date | None = None) -> frozenset[dt.date]:
    """The dates of the holiday calendar (from ``since`` on, if given)."""
    dates = _reference_data().holidays
    if since is not None:
        return frozenset(day for day in dates if day >= since)
    return dates


class UnknownRule(LookupError):
    pass


def rule_find(election_type: str, key: str) -> RuleSpec | None:
    """The rule, or None when this election type has none (e.g. no Pilkada kajian awal figure).
    Unlike ``rule_get`` it never reloads the rules file: ask ``rule_get`` for a rule first."""
    return _reference_data().rules.get((election_type, key))


def rule_get(election_type: str, key: str) -> RuleSpec:
    """The rule from the table. If the row is missing (a rule added to the file since the last
    load, a flushed test database), the file is loaded first, so the first use creates it."""
    rule = _reference_data().rules.get((election_type, key))
    if rule is None:
        deadline_rules_load()
        deadline_cache_clear()  # bulk changes send no signal; the load may have added the rule
        rule = _load_reference().rules.get((election_type, key))
    if rule is None:
        raise UnknownRule(f"no deadline rule {election_type}/{key}")
    return rule


def due_date(election_type: str, rule_key: str, start: dt.date, extended: bool = False) -> Deadline:
    """The deadline of rule ``rule_key`` for ``election_type`` for an event on ``start``.

    ``extended=True`` adds the ``<rule_key>_extension`` rule (e.g. more information needed).
    Holidays are read from the calendar the administrator keeps in the admin.
    """
    rule = rule_get(election_type, rule_key)
    extension = rule_get(election_type, rule_key + EXTENSION_SUFFIX) if extended else None
    holidays = holiday_dates(since=start) if rule.day_type == DayType.WORKING else frozenset()
    return deadline_for(rule, start, holidays, extension=extension, tz=office_timezone())
