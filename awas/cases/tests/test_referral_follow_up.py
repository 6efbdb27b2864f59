"""The follow-up of a referral as the office works it: the overdue list, and a referral recorded in
error taken back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    body,
    decided_case,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def test_the_overdue_list_says_since_when_the_letter_went_out(staf):
    # "Which body, since when": the letter's date, not only its number (whose month is all it gives).
    sent = today_local() - dt.timedelta(days=30)
    case = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.ADMINISTRASI, days_ago=30)
    workflow.referral_create(case=case, body=body("kpu-kab-malang"), sent_on=sent, actor=staf)
    page = verified_client(staf).get(reverse("cases:follow_ups")).content.decode()
    assert f'data-testid="sent-on">dikirim {tanggal(sent)}<' in page
