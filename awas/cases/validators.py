"""Checks on the dates people type, shared by the staff and the public forms.

A date input takes any year: a year typed with two digits becomes 0026, and a slip of a key 2062.
Such a date would be stored, counted into the deadline clocks (a case "730.482 days late") and
printed on letters, so it is refused with a message that says what probably happened.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# No case Awas handles happened before this year (UU 10/2016 and UU 7/2017 are later still).
EARLIEST_CASE_YEAR = 2000
OLDEST_BIRTH_YEAR = 1900
# A clarification is invited for days ahead, not years.
CLARIFICATION_AHEAD = dt.timedelta(days=366)


def case_date_plausible(value: dt.date | None) -> None:
    """A date of a case (event, known, received, letter, plenary, ...) is not from before 2000."""
    if value is not None and value.year < EARLIEST_CASE_YEAR:
        raise ValidationError(
            _("Check the year: %(year)d is too early (was the year typed with two digits?)."),
            code="year",
            params={"year": value.year},
        )


def birth_date_plausible(value: dt.date | None) -> None:
    if value is None:
        return
    if value >= timezone.localdate():
        raise ValidationError(_("The date of birth must be in the past."), code="future")
    if value.year < OLDEST_BIRTH_YEAR:  # a slip of the year, e.g. 1800
        raise ValidationError(
            _("Check the year of birth: %(year)d is not possible."), code="year", params={"year": value.year}
        )


def clarification_time_plausible(value: dt.datetime | None) -> None:
    case_date_plausible(value)
    if value is not None and value > timezone.now() + CLARIFICATION_AHEAD:
        raise ValidationError(
            _("A clarification is not invited more than a year ahead: check the year."), code="year"
        )
