"""A case about an ASN and the ASN register: the case's page shows its links to the register and
offers to link it; a referral to BKN dates the forwarding of the links' sanction follow-up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from awas.asn import services
from awas.asn.models import AsnCaseLink, SanctionFollowUp, Stage, Violation
from awas.asn.tests.helpers import person
from awas.cases.formatting import today_local
from awas.cases.models import Case, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    body,
    decided_case,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role
from awas.dashboard.selectors import asn_for


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def guru_pns_case(staf) -> Case:
    """A teacher (PNS) campaigning, decided "pelanggaran peraturan perundang-undangan lainnya"."""
    return decided_case(
        staf,
        PUTAT_KIDUL,
        DecisionOutcome.LAINNYA,
        days_ago=3,
        evidence=[],
        title="Guru PNS mengajak wali murid memilih paslon",
        terlapor_name="Budi Santoso",
        terlapor_position="Guru PNS",
    )


def link_to(case: Case, actor) -> AsnCaseLink:
    guru = person(GONDANGLEGI, "Budi Santoso", position="Guru")
    return services.case_link_create(
        case=case, person=guru, violation=Violation.objects.get(code="K4"), stage=Stage.CALON, actor=actor
    )


def on_screen(text: str) -> str:
    """``text`` as the page shows it (staff pages are in Indonesian)."""
    with translation.override("id"):
        return escape(translation.gettext(text))


def page(user, case: Case) -> str:
    response = verified_client(user).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_of_an_asn_case_offers_to_link_it_to_the_register(staf):
    case = guru_pns_case(staf)

    html = page(staf, case)

    assert 'data-testid="asn-panel"' in html
    assert f"{reverse('asn:persons')}?perkara={case.pk}&amp;q=Budi%20Santoso" in html
    # The register, opened from there, links each person to this case with the case filled in.
    guru = person(GONDANGLEGI, "Budi Santoso", position="Guru")
    client = verified_client(staf)
    listing = client.get(f"{reverse('asn:persons')}?perkara={case.pk}&q=Budi+Santoso").content.decode()
    form_url = f"{reverse('asn:case_link_create', args=[guru.pk])}?perkara={case.pk}"
    assert form_url in listing
    form = client.get(form_url).context["form"]
    assert form.initial["case_number"] == case.registration_number


def test_the_page_lists_the_links_with_their_stage(staf):
    case = guru_pns_case(staf)
    link = link_to(case, staf)

    html = page(staf, case)

    assert "Budi Santoso" in html and "19850510 201001 1 001" in html
    assert reverse("asn:follow_up_edit", args=[link.pk]) in html
    assert on_screen("Not yet forwarded to BKN") in html


def test_a_case_not_about_an_asn_has_no_asn_section(staf):
    kades = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, evidence=[])  # "Kepala desa"

    html = page(staf, kades)

    assert 'data-testid="asn-panel"' not in html
    assert "?perkara=" not in html


def test_roles_that_do_not_follow_asn_sanctions_do_not_see_the_section(staf, make_user):
    case = guru_pns_case(staf)
    link_to(case, staf)

    html = page(make_user(Role.PANWASCAM, GONDANGLEGI), case)  # handles cases, not the register

    assert 'data-testid="asn-panel"' not in html
    assert "19850510 201001 1 001" not in html


def test_a_referral_to_bkn_dates_the_forwarding_and_the_dashboard_counts_it(staf):
    case = guru_pns_case(staf)
    link = link_to(case, staf)
    sent_on = today_local() - dt.timedelta(days=1)

    workflow.referral_create(case=case, body=body("bkn"), sent_on=sent_on, actor=staf)

    assert SanctionFollowUp.objects.get(link=link).forwarded_on == sent_on
    entry = AuditEntry.objects.filter(action="asn.follow_up_saved").latest("pk")
    assert entry.actor == staf and entry.after is not None
    assert entry.after["forwarded_on"] == sent_on.isoformat()
    figures = asn_for(staf, today_local(), lists=False)
    assert figures is not None
    stages = {s.key: s.value for s in figures.stages}
    assert (figures.cases, stages["at_bkn"], stages["not_forwarded"]) == (1, 1, 0)
    assert on_screen("Waiting for BKN's recommendation") in page(staf, case)


def test_a_link_made_after_the_referral_takes_its_date(staf):
    case = guru_pns_case(staf)
    referral = workflow.referral_create(case=case, body=body("bkn"), actor=staf)

    link = link_to(case, staf)

    assert SanctionFollowUp.objects.get(link=link).forwarded_on == referral.sent_on


def test_a_forwarding_date_already_recorded_stays_and_other_bodies_change_nothing(staf):
    case = guru_pns_case(staf)
    link = link_to(case, staf)
    typed = today_local() - dt.timedelta(days=2)
    services.follow_up_save(link=link, values={"forwarded_on": typed}, actor=staf)

    workflow.referral_create(case=case, body=body("pemkab-malang"), actor=staf)
    workflow.referral_create(case=case, body=body("bkn"), actor=staf)

    assert SanctionFollowUp.objects.get(link=link).forwarded_on == typed
