"""The structure of an NIP (Nomor Induk Pegawai), checked before a civil servant is registered.

An NIP has 18 digits in four parts (``19850510 201001 1 001``):

======  ======================================================================================
digits  meaning
======  ======================================================================================
1–8     date of birth, ``YYYYMMDD``: a real date, giving an age of 18 to 70 on the day of import
9–14    appointment (TMT CPNS), ``YYYYMM``: month 01–12, not before the month the person turned
        18, not after the month of import
15      sex: 1 male, 2 female
16–18   serial number within the same birth date, appointment and sex (any three digits)
======  ======================================================================================

PPPK (contract ASN, UU 20/2023) carry an NI PPPK of the same length whose digits 13–14 are
``21`` instead of a month; it is accepted, marked as PPPK, and only its year is checked. That
marker is from practice, not from a text seen by this project (**unverified**): if it proves
wrong, remove ``PPPK_MONTH`` and such numbers are reported as a bad month.

Spaces (as the number is often printed) are removed before checking; any other character is an
error. The check is pure: it touches no database and takes "today" as an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

NIP_LENGTH = 18
MIN_AGE = 18
MAX_AGE = 70
PPPK_MONTH = 21
MALE, FEMALE = "L", "P"  # as cases.models.Sex and Indonesian forms (laki-laki, perempuan)


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: dt.date
    appointment_year: int
    appointment_month: int | None  # None for PPPK
    sex: str  # "L" or "P"
    serial: str
    pppk: bool = False


class NipError(ValueError):
    """The NIP breaks its structure; ``reasons`` says how, one sentence each."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def nip_clean(raw: str) -> str:
    """The NIP without the spaces people print in it."""
    return "".join(str(raw).split())


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def nip_parse(raw: str, today: dt.date) -> NipInfo:
    """The parts of a valid NIP, or NipError with every reason it is not one."""
    nip = nip_clean(raw)
    if not nip:
        raise NipError([_("NIP is empty.")])
    if not nip.isdigit():
        raise NipError([_("NIP may contain only digits (and spaces): %(nip)s") % {"nip": nip}])
    if len(nip) != NIP_LENGTH:
        raise NipError([_("NIP has %(n)d digits, not 18.") % {"n": len(nip)}])

    reasons: list[str] = []
    birth: dt.date | None
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        birth = None
        reasons.append(
            _("Digits 1–8 (date of birth) %(part)s are not a real date (YYYYMMDD).") % {"part": nip[0:8]}
        )
    if birth is not None:
        age = _age_on(birth, today)
        if not MIN_AGE <= age <= MAX_AGE:
            reasons.append(
                _("Date of birth %(birth)s gives an age of %(age)d: outside %(min)d–%(max)d.")
                % {"birth": birth.isoformat(), "age": age, "min": MIN_AGE, "max": MAX_AGE}
            )

    year, month = int(nip[8:12]), int(nip[12:14])
    pppk = month == PPPK_MONTH
    if not pppk and not 1 <= month <= 12:
        reasons.append(
            _("Digits 13–14 (appointment month) are %(part)s: not a month (01–12, or 21 for PPPK).")
            % {"part": nip[12:14]}
        )
    else:
        if pppk:  # only the year is known: any month of a year after turning 18 will do
            label = nip[8:12]
            too_young = birth is not None and year < birth.year + MIN_AGE
            future = year > today.year
        else:
            label = f"{year}-{month:02d}"
            too_young = birth is not None and (year, month) < (birth.year + MIN_AGE, birth.month)
            future = (year, month) > (today.year, today.month)
        if too_young and birth is not None:
            reasons.append(
                _("Appointment %(appointed)s is before the age of 18 (born %(birth)s).")
                % {"appointed": label, "birth": birth.isoformat()}
            )
        if future:
            reasons.append(_("Appointment %(appointed)s is in the future.") % {"appointed": label})

    sex_digit = nip[14]
    if sex_digit not in "12":
        reasons.append(
            _("Digit 15 (sex) is %(digit)s: it must be 1 (male) or 2 (female).") % {"digit": sex_digit}
        )
    if reasons or birth is None:
        raise NipError(reasons)
    return NipInfo(
        nip=nip,
        birth_date=birth,
        appointment_year=year,
        appointment_month=None if pppk else month,
        sex=MALE if sex_digit == "1" else FEMALE,
        serial=nip[15:18],
        pppk=pppk,
    )
