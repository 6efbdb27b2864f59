"""The demo's cases: a newcomer running ``make demo`` finds each stage of a case filled in."""

from __future__ import annotations

import re

from django.urls import reverse

from awas.cases import selectors
from awas.cases.demo import demo_cases_create
from awas.cases.models import Case, CaseKind, CaseStatus
from awas.cases.tests.staff_helpers import _quick_argon2, seed_bodies  # noqa: F401 (autouse fixture)
from awas.conftest import GONDANGLEGI, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.roles import Role


def test_the_demo_fills_every_stage_and_each_list_once(malang, make_user, client):
    seed_bodies()
    staff = make_user(Role.STAF_PP, "35.07", username="staf.pp")
    chair = make_user(Role.PIMPINAN, "35.07", username="pimpinan")
    made = demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair)
    assert made == Case.objects.count() == 8
    assert set(Case.objects.values_list("status", flat=True)) >= {
        CaseStatus.RECEIVED,
        CaseStatus.INCOMPLETE,
        CaseStatus.CLARIFICATION,
        CaseStatus.REFERRED,
        CaseStatus.CLOSED,
    }
    assert set(Case.objects.values_list("kind", flat=True)) == set(CaseKind.values)
    # The lists the menu counts are not empty: a clarification due tomorrow, BKN late to answer.
    assert selectors.deadlines_at_risk(staff).exists()
    [overdue] = selectors.overdue_follow_ups(staff)
    assert overdue.body.code == "bkn"
    home = verified_client(staff, client).get(reverse("core:home")).content.decode()
    assert re.search(r'data-menu="cases:follow_ups">1<', home)
    # The Panwascam of Gondanglegi sees its kecamatan's cases, not Kepanjen's.
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    visible = set(Case.objects.visible_to(panwascam).values_list("region__parent_id", flat=True))
    assert visible == {GONDANGLEGI}
    # The public can follow the online laporan with its code.
    online = Case.objects.get(kind=CaseKind.LAPORAN, channel="web")
    page = client.get(reverse("public:track_detail", args=[online.tracking_code]))
    assert page.status_code == 200 and "Diterima" in page.content.decode()

    assert (
        demo_cases_create(desa_code=PUTAT_KIDUL, other_kecamatan_code=KEPANJEN, staff=staff, chair=chair) == 0
    )
    assert Case.objects.count() == 8
