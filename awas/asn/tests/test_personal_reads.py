"""Reading the ASN register's records is in the audit log (UU 27/2022), as reading a case's pelapor
and saksi is: the office can say who read whose name, NIP, jabatan and sanction, and when. Pages
once a day for each user and person; the map and the counts, which name no one, leave no entry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awas.asn import services
from awas.asn.models import PersonKind, Stage, Violation
from awas.asn.tests.helpers import make_nip, person
from awas.asn.tests.test_case_page_and_bkn_referral import guru_pns_case, link_to, page
from awas.asn.tests.test_catalogue_and_sanctions import make_case
from awas.cases.tests.staff_helpers import _quick_argon2  # noqa: F401 (autouse fixture)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role

NIP = make_nip("19850510", "201001", "1", "001")


@pytest.fixture
def camat(malang):
    return person(GONDANGLEGI, "Hartono Wibisono", nip=NIP, position="Camat Gondanglegi")


@pytest.fixture
def kades(malang):
    return person(PUTAT_KIDUL, "Siti Aminah", kind=PersonKind.KEPALA_DESA, position="Kepala Desa")


def reads(user) -> list[tuple[str, object]]:
    """``user``'s reads of the register, oldest first: ("page", person id) or (list, person ids)."""
    entries = AuditEntry.objects.filter(action="asn.personal_viewed", actor=user).order_by("pk")
    return [
        ("page", int(entry.object_id)) if entry.object_id else (after["read"], after["persons"])
        for entry in entries
        for after in [entry.after or {}]
    ]


def test_the_register_and_a_person_s_pages_are_logged_once_a_day(camat, kades, make_user):
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    client = verified_client(staf)
    for _reload in range(2):
        listing = client.get(reverse("asn:persons")).content.decode()
        assert "Hartono Wibisono" in listing and NIP in listing and "Siti Aminah" in listing
    for _reload in range(3):
        assert NIP[:8] in client.get(reverse("asn:person_detail", args=[camat.pk])).content.decode()
    assert "Hartono" in client.get(reverse("asn:person_edit", args=[camat.pk])).content.decode()
    # The list once, naming both; the person's pages once, whichever of them.
    assert reads(staf) == [("register", sorted([camat.pk, kades.pk])), ("page", camat.pk)]

    # A person added later is named by the list again, with those on the same page.
    later = person(GONDANGLEGI, "Joko Susilo", nip=make_nip(serial="002"))
    client.get(reverse("asn:persons"))
    assert reads(staf)[-1] == ("register", sorted([camat.pk, kades.pk, later.pk]))
    # Searching shows only persons already listed today: nothing more.
    client.get(reverse("asn:persons"), {"q": "hartono"})
    assert len(reads(staf)) == 3


def test_roles_shown_no_name_leave_no_entry_and_the_map_logs_no_one(camat, make_user):
    pencegahan = make_user(Role.STAF_PENCEGAHAN, KAB_MALANG, username="pencegahan")
    client = verified_client(pencegahan)
    assert client.get(reverse("asn:overview")).status_code == 200  # the counts per kecamatan
    assert client.get(reverse("asn:persons")).status_code == 403
    assert client.get(reverse("asn:person_detail", args=[camat.pk])).status_code == 403
    assert reads(pencegahan) == []

    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    assert verified_client(staf).get(reverse("asn:overview")).status_code == 200
    assert reads(staf) == []
    assert not AuditEntry.objects.filter(action="asn.personal_viewed").exists()


def test_sanction_follow_ups_are_logged_for_who_reads_them(camat, make_user):
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    link = services.case_link_create(
        case=make_case(),
        person=camat,
        violation=Violation.objects.get(code="K4"),
        stage=Stage.CALON,
        actor=staf,
    )
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG, username="ketua")
    for _reload in range(2):
        follow_ups = verified_client(pimpinan).get(reverse("asn:follow_ups")).content.decode()
        assert "Hartono Wibisono" in follow_ups
    assert reads(pimpinan) == [("follow_ups", [camat.pk])]

    # The register's list, which gives the NIP, is another read than the follow-ups' list.
    verified_client(pimpinan).get(reverse("asn:persons"))
    assert reads(pimpinan) == [("follow_ups", [camat.pk]), ("register", [camat.pk])]

    # Read on one of their pages (the follow-up's shows the sanction, the person's all), a person
    # named again in a list that day adds nothing.
    client = verified_client(staf)
    assert "Hartono Wibisono" in client.get(reverse("asn:follow_up_edit", args=[link.pk])).content.decode()
    client.get(reverse("asn:persons"))
    client.get(reverse("asn:follow_ups"))
    assert reads(staf) == [("page", camat.pk)]

    # Tim siber reads the register, not the sanctions: refused, nothing logged.
    siber = make_user(Role.TIM_SIBER, KAB_MALANG, username="siber")
    assert verified_client(siber).get(reverse("asn:follow_ups")).status_code == 403
    assert reads(siber) == []


def test_the_case_page_logs_the_terlapor_s_asn_record_with_its_other_personal_data(malang, make_user):
    """The case page names the person of the register the terlapor was linked to, with the NIP:
    its daily personal-data entry says so ("asn"), for the roles shown the panel only."""
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    case = guru_pns_case(staf)
    link_to(case, staf)
    viewed = AuditEntry.objects.filter(action="case.personal_viewed", object_id=str(case.pk))

    # A Panwascam handles the case but follows no ASN sanction: no panel, no "asn".
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    assert "19850510 201001 1 001" not in page(panwascam, case)
    assert all("asn" not in (entry.after or {})["shown"] for entry in viewed.filter(actor=panwascam))

    for _reload in range(2):
        assert "19850510 201001 1 001" in page(staf, case)
    (entry,) = viewed.filter(actor=staf)
    assert entry.after == {"shown": ["pelapor", "saksi", "kajian", "asn"]}


def test_a_case_page_that_names_no_one_of_the_register_logs_no_asn_read(malang, make_user):
    """The panel of a case about an ASN not yet linked offers the link and names no one."""
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    case = guru_pns_case(staf)

    assert 'data-testid="asn-panel"' in page(staf, case)

    shown = AuditEntry.objects.filter(action="case.personal_viewed", object_id=str(case.pk), actor=staf)
    assert all("asn" not in (entry.after or {})["shown"] for entry in shown)
