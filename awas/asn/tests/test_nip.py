"""The NIP's structure: date of birth, appointment, sex, serial."""

import datetime as dt

import pytest

from awas.asn.nip import NipError, nip_parse
from awas.asn.tests.helpers import TODAY, make_nip


def reasons(nip: str, today: dt.date = TODAY) -> list[str]:
    with pytest.raises(NipError) as caught:
        nip_parse(nip, today)
    return caught.value.reasons


def test_a_valid_nip_gives_its_parts():
    info = nip_parse(make_nip("19850510", "201001", "1", "001"), TODAY)
    assert info.birth_date == dt.date(1985, 5, 10)
    assert (info.appointment_year, info.appointment_month) == (2010, 1)
    assert info.sex == "L"
    assert info.serial == "001"
    assert not info.pppk


def test_a_woman_and_the_printed_spaces():
    info = nip_parse("19920229 201503 2 017", TODAY)  # 1992 is a leap year
    assert info.nip == "199202292015032017"
    assert info.birth_date == dt.date(1992, 2, 29)
    assert info.sex == "P"


def test_appointed_in_the_month_of_turning_18_is_accepted():
    assert nip_parse(make_nip("19900815", "200808"), TODAY).appointment_month == 8


def test_appointed_this_month_is_accepted():
    assert nip_parse(make_nip("19900815", "202409"), TODAY).appointment_year == 2024


def test_pppk_marker_instead_of_a_month():
    info = nip_parse(make_nip("19880101", "202221", "2", "005"), TODAY)
    assert info.pppk
    assert info.appointment_year == 2022
    assert info.appointment_month is None


def test_wrong_length():
    assert reasons("19850510201001100") == ["NIP has 17 digits, not 18."]
    assert reasons("1985051020100110011") == ["NIP has 19 digits, not 18."]


def test_non_digits():
    assert "only digits" in reasons("19850510-201001-1-001")[0]
    assert "only digits" in reasons("1985O510201001100l")[0]


def test_empty():
    assert reasons("  ") == ["NIP is empty."]


def test_not_a_real_date_of_birth():
    assert "not a real date" in reasons(make_nip(birth="19850230"))[0]  # 30 February
    assert "not a real date" in reasons(make_nip(birth="19851310"))[0]  # month 13
    assert "not a real date" in reasons(make_nip(birth="19850500"))[0]  # day 0


def test_implausible_age():
    assert "age of 17" in reasons(make_nip(birth="20070101", appointed="202401"))[0]
    too_old = reasons(make_nip(birth="19500101", appointed="197501"))
    assert "age of 74" in too_old[0]


def test_bad_appointment_month():
    assert reasons(make_nip(appointed="201013")) == [
        "Digits 13–14 (appointment month) are 13: not a month (01–12, or 21 for PPPK)."
    ]
    assert "are 00" in reasons(make_nip(appointed="201000"))[0]


def test_appointment_before_age_18():
    found = reasons(make_nip(birth="19850510", appointed="200304"))
    assert found == ["Appointment 2003-04 is before the age of 18 (born 1985-05-10)."]


def test_appointment_in_the_future():
    assert reasons(make_nip(appointed="202410")) == ["Appointment 2024-10 is in the future."]


def test_bad_sex_digit():
    assert reasons(make_nip(sex="3")) == ["Digit 15 (sex) is 3: it must be 1 (male) or 2 (female)."]
    assert "is 0" in reasons(make_nip(sex="0"))[0]


def test_every_reason_is_reported_at_once():
    found = reasons(make_nip(birth="19850510", appointed="201015", sex="9"))
    assert len(found) == 2
