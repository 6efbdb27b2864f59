"""core tells the apps that store due dates when the calendar or the rules change (a signal: core
imports no domain app), inside the edit's transaction and with the new calendar already in use."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from awas.core.models import Holiday, HolidayKind
from awas.core.models.deadlines import DeadlineRule, ElectionType
from awas.core.services.deadlines import (
    deadline_calendar_changed,
    deadline_rules_load,
    due_date,
    holidays_changed,
    holidays_seed,
)

D = dt.date
PEMILU = ElectionType.PEMILU


@pytest.fixture
def heard() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        # The receiver already counts with the new calendar (the cache was emptied first).
        calls.append(
            {"sender": sender, **kwargs, "due": due_date(PEMILU, "decision", D(2025, 5, 9)).due_date}
        )

    deadline_calendar_changed.connect(receiver, dispatch_uid="test-heard")
    yield calls
    deadline_calendar_changed.disconnect(dispatch_uid="test-heard")


@pytest.mark.django_db
def test_holidays_changed_tells_with_the_dates_and_the_new_calendar(heard):
    assert due_date(PEMILU, "decision", D(2025, 5, 9)).due_date == D(2025, 5, 22)
    Holiday.objects.create(date=D(2025, 5, 21), name="Tambahan", kind=HolidayKind.CUTI_BERSAMA)
    holidays_changed(dates={D(2025, 5, 21)}, reason="uji")
    assert len(heard) == 1
    assert heard[0]["sender"] is Holiday and heard[0]["dates"] == frozenset({D(2025, 5, 21)})
    assert heard[0]["due"] == D(2025, 5, 23) and heard[0]["reason"] == "uji"
    holidays_changed(dates=set())
    assert len(heard) == 1  # nothing changed, nothing said


@pytest.mark.django_db
def test_seeding_and_loading_tell_only_when_something_changed(heard):
    assert holidays_seed() == 0 and deadline_rules_load().created == 0
    assert heard == []
    Holiday.objects.filter(date=D(2025, 5, 13)).delete()
    assert holidays_seed() == 1
    assert heard[-1]["dates"] == frozenset({D(2025, 5, 13)})
    DeadlineRule.objects.filter(election_type=PEMILU, key="decision").update(days=1)
    deadline_rules_load()
    assert heard[-1]["sender"] is DeadlineRule and heard[-1]["dates"] is None
    assert heard[-1]["due"] == D(2025, 5, 22)
