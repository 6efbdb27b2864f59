"""What the cyber app uses: accounts by handle, names for matching, counting partisan posts."""

from __future__ import annotations

from awas.asn import selectors, services
from awas.asn.models import PartisanPost, Person, Platform
from awas.asn.tests.helpers import person
from awas.conftest import GONDANGLEGI, KEPANJEN


def test_accounts_by_handle_ignores_at_and_case(malang):
    budi = person(GONDANGLEGI, "Budi Santoso")
    services.account_add(
        person=budi,
        platform=Platform.INSTAGRAM,
        handle="@Budi.Santoso",
        url="https://instagram.com/budi.santoso",
        actor=None,
    )
    gone = person(KEPANJEN, "Pensiunan", active=False)
    services.account_add(person=gone, platform=Platform.INSTAGRAM, handle="pensiunan", actor=None)

    found = list(selectors.accounts_by_handle(Platform.INSTAGRAM, " budi.santoso"))
    assert [a.person for a in found] == [budi]
    assert list(selectors.accounts_by_handle(Platform.TIKTOK, "budi.santoso")) == []
    assert list(selectors.accounts_by_handle(Platform.INSTAGRAM, "pensiunan")) == []  # inactive
    assert list(selectors.accounts_by_handle("myspace", "budi.santoso")) == []


def test_persons_for_name_matching(malang):
    person(GONDANGLEGI, "Budi  SANTOSO", position="Guru")
    person(KEPANJEN, "Pensiunan", active=False)
    candidates = selectors.persons_for_name_matching()
    assert [(c.name_key, c.position, c.region_code) for c in candidates] == [
        ("budi santoso", "Guru", GONDANGLEGI)
    ]


def test_a_partisan_post_counts_once(malang):
    budi = person(GONDANGLEGI, "Budi Santoso")
    assert services.asn_record_partisan_post(budi, "post:40") == 1
    assert services.asn_record_partisan_post(budi, "post:40") == 1  # the same post again
    assert services.asn_record_partisan_post(budi, "post:41") == 2
    assert Person.objects.get(pk=budi.pk).partisan_posts == 2
    assert PartisanPost.objects.filter(person=budi).count() == 2
    before = selectors.person_breakdown(budi).score
    assert services.asn_withdraw_partisan_post(budi, "post:41") == 1
    assert selectors.person_breakdown(budi).score < before
