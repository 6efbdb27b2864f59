"""The staff case list's search (``/perkara/?q=``): every word must be found, a tracking code is
found however it is typed, and a code never tells a role that may not see it which case it is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awas.cases import selectors
from awas.cases.models import Case
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    facts,
    record_laporan,
)
from awas.conftest import KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def _laporan(staf, title, *, code=None, region=PUTAT_KIDUL, **overrides):
    case = record_laporan(
        staf, region, evidence=[], title=title, chronology=overrides.pop("chronology", ""), **overrides
    )
    if code is not None:
        Case.objects.filter(pk=case.pk).update(tracking_code=code)
        case.refresh_from_db()
    return case


def _page(client, q):
    return client.get(reverse("cases:list"), {"q": q}).content.decode()


def _found(client, q, *titles):
    """Which of ``titles`` the list shows for the search ``q``."""
    page = _page(client, q)
    return {title for title in titles if f">{title}</td>" in page}


ALL = ("Pembagian uang kepada warga", "Baliho di depan sekolah", "Kampanye di tempat ibadah")


@pytest.fixture
def cases(staf):
    money = _laporan(
        staf,
        ALL[0],
        code="AWS-XJVJ-ZMMM",
        terlapor_name="Sutrisno",
        terlapor_position="Sekretaris Desa Putat Kidul",
    )
    banner = _laporan(
        staf,
        ALL[1],
        code="AWS-QRST-2345",
        chronology="Baliho paslon dipasang di pagar.",
        terlapor_name="Wahyudi",
    )
    worship = _laporan(
        staf, ALL[2], code="AWS-HHHH-KKKK", terlapor_name="Bambang", region=another_desa(KEPANJEN)
    )
    return money, banner, worship


def test_every_word_must_be_found_wherever_it_is(staf, cases):
    client = verified_client(staf)
    # The words are apart in the title: found, as the help text promises.
    assert _found(client, "uang warga", *ALL) == {ALL[0]}
    assert _found(client, "  WARGA   uang ", *ALL) == {ALL[0]}
    # Each word may be in another place: the title, the chronology, the terlapor's name.
    assert _found(client, "baliho pagar", *ALL) == {ALL[1]}
    assert _found(client, "kampanye bambang", *ALL) == {ALL[2]}
    # Every word, not any: one word that is nowhere in the case leaves it out.
    assert _found(client, "uang baliho", *ALL) == set()
    assert _found(client, "uang sekolah", *ALL) == set()
    # The terlapor's position, and a name typed with its punctuation.
    assert _found(client, "sekretaris desa", *ALL) == {ALL[0]}
    assert _found(client, "Sutrisno, S.Pd.", *ALL) == set()  # "S.Pd" is nowhere
    assert _found(client, "Sutrisno,", *ALL) == {ALL[0]}
    assert _found(client, "(Wahyudi)", *ALL) == {ALL[1]}


def test_a_word_of_the_registration_number_is_found(staf, cases):
    money, _banner, _worship = cases
    workflow.requirements_check(case=money, checks=ALL_MET, actor=staf)
    money.refresh_from_db()
    assert money.registration_number
    number = money.registration_number
    client = verified_client(staf)
    assert _found(client, number, *ALL) == {ALL[0]}
    assert _found(client, f"uang {number}", *ALL) == {ALL[0]}
    assert _found(client, f"baliho {number}", *ALL) == set()


@pytest.mark.parametrize(
    "typed",
    [
        "AWS-XJVJ-ZMMM",  # as printed on the receipt
        "aws-xjvj-zmmm",
        "AWSXJVJZMMM",  # without the dashes
        "XJVJZMMM",  # without the prefix
        "XJVJ-ZMMM",
        "AWS XJVJ ZMMM",  # read out in groups
        "xjvj zmmm",
        "XJVJ",  # one group of four
        "zmmm",
        "AWS-XJVJ",
    ],
)
def test_a_tracking_code_is_found_however_it_is_typed(staf, cases, typed):
    assert _found(verified_client(staf), typed, *ALL) == {ALL[0]}


def test_part_of_a_code_that_is_not_a_group_finds_nothing(staf, cases):
    client = verified_client(staf)
    # "AWS" is the start of every code, "VJZM" spans the dash: neither says which case it is.
    assert _found(client, "AWS", *ALL) == set()
    assert _found(client, "AWS-", *ALL) == set()
    assert _found(client, "VJZM", *ALL) == set()


@pytest.mark.parametrize("role", [Role.PKD, Role.PTPS])
def test_roles_that_may_not_see_a_pelapor_s_code_cannot_find_the_case_by_it(make_user, staf, role):
    laporan = _laporan(staf, "Pembagian uang kepada warga", code="AWS-XJVJ-ZMMM")
    temuan = workflow.temuan_create(
        facts=facts(PUTAT_KIDUL, title="Kaos paslon dibagikan", chronology=""), actor=staf
    )
    Case.objects.filter(pk=temuan.pk).update(tracking_code="AWS-TTTT-NNNN")
    if role == Role.PTPS:
        user = make_user(role, PUTAT_KIDUL, tps_number=1)
        Case.objects.filter(pk__in=[laporan.pk, temuan.pk]).update(tps=user.scope_tps)
    else:
        user = make_user(role, PUTAT_KIDUL)
    client = verified_client(user)
    titles = ("Pembagian uang kepada warga", "Kaos paslon dibagikan")

    # The case is theirs to see, by its words...
    assert _found(client, "uang warga", *titles) == {titles[0]}
    # ...but not by the pelapor's code, whole or in part, however typed.
    for typed in ("AWS-XJVJ-ZMMM", "awsxjvjzmmm", "XJVJ ZMMM", "XJVJ", "AWS-XJVJ"):
        page = _page(client, typed)
        assert titles[0] not in page
        assert selectors.case_count(user, {"q": typed}) == 0
    # A temuan's code is shown to them, so it finds the temuan.
    assert _found(client, "AWS-TTTT-NNNN", *titles) == {titles[1]}
    assert _found(client, "tttt", *titles) == {titles[1]}
    # The roles that handle cases find the laporan by its code.
    assert _found(verified_client(staf), "XJVJ", *titles) == {titles[0]}


def test_the_count_matches_the_rows_for_every_role(make_user, staf, cases):
    pkd = make_user(Role.PKD, PUTAT_KIDUL)
    for user in (staf, pkd):
        for q in ("uang warga", "XJVJ", "AWS XJVJ ZMMM", "kampanye", "uang baliho"):
            assert selectors.case_count(user, {"q": q}) == selectors.case_list(user, {"q": q}).count()
    assert selectors.case_count(staf, {"q": "XJVJ"}) == 1
    assert selectors.case_count(pkd, {"q": "XJVJ"}) == 0


def test_a_search_of_many_words_is_one_query_for_the_rows(staf, cases):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(staf)
    client.get(reverse("cases:list"))  # warm the session and the menu
    with CaptureQueriesContext(connection) as plain:
        client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as searched:
        page = client.get(reverse("cases:list"), {"q": "pembagian uang kepada warga XJVJ sutrisno"})
    assert f">{ALL[0]}</td>" in page.content.decode()
    assert len(searched) == len(plain)


def test_staff_find_a_laporan_by_its_pelapor_and_a_pkd_does_not(make_user, staf, cases):
    """ "The laporan Siti brought": the handling roles see the pelapor, so they find by the name;
    a PKD, who may not see who reported, cannot learn it by searching names."""
    assert _found(verified_client(staf), "aminah", *ALL) == set(ALL)  # every one was brought by Siti Aminah
    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL))
    assert _found(pkd, "uang", *ALL) == {ALL[0]}  # the PKD sees the case...
    assert _found(pkd, "aminah", *ALL) == set()  # ...but not who reported it
