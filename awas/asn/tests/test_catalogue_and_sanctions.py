"""The SKB 2022 catalogue, cases about an ASN, and the sanction's follow-up with its overdue list."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from awas.asn import selectors, services
from awas.asn.models import AsnCaseLink, Sanction, SanctionKind, Stage, Violation
from awas.asn.seed import catalogue_read
from awas.asn.tests.helpers import person
from awas.cases.models import Case, CaseKind
from awas.conftest import GONDANGLEGI, KAB_MALANG
from awas.core.models import AuditEntry
from awas.core.roles import Role


def test_the_catalogue_is_loaded_with_its_sanctions(db):
    items = {v.code: v for v in Violation.objects.all()}
    assert sorted(items, key=lambda c: (c[0] == "D", int(c[1:]))) == [
        *(f"K{i}" for i in range(1, 8)),
        *(f"D{i}" for i in range(1, 14)),
    ]
    # Kode etik: all sanksi moral under PP 42/2004 Pasal 15.
    assert {items[f"K{i}"].sanction_kind for i in range(1, 8)} == {SanctionKind.MORAL}
    assert "PP 42/2004 Pasal 15" in items["K4"].legal_basis
    assert "like" in items["K4"].act and "follow" in items["K4"].act
    # Disiplin, as Addendum B gives it.
    assert (items["D1"].sanction_kind, items["D1"].level) == (SanctionKind.DISIPLIN, "berat")
    assert items["D3"].level == "sedang"
    assert items["D5"].sanction_kind == SanctionKind.PTDH
    assert "Pasal 87" in items["D5"].legal_basis
    assert items["D6"].level == "berat"
    # Conflicting and unverified levels are not resolved, only recorded.
    assert (items["D8"].level, items["D8"].level_status) == ("", "conflict")
    assert "Kompas" in items["D8"].level_note and "Tribun" in items["D8"].level_note
    assert items["D9"].level_status == "conflict"
    assert items["D10"].level_status == "unverified"
    assert items["D11"].level_status == items["D12"].level_status == "single_source"
    assert items["D13"].sanction_kind == SanctionKind.SATGAS
    assert all(v.sources for v in items.values())


def test_the_data_file_and_the_table_agree(db):
    specs = catalogue_read()
    assert len(specs) == 20
    assert services.catalogue_load() == (0, 0)  # already loaded by the migration, nothing changes


def test_a_catalogue_row_changed_by_hand_is_restored_from_the_file(db):
    Violation.objects.filter(code="D3").update(level="berat")
    assert services.catalogue_load() == (0, 1)
    assert Violation.objects.get(code="D3").level == "sedang"
    assert AuditEntry.objects.filter(action="asn.catalogue_loaded").exists()


# --- cases and follow-up -------------------------------------------------------------------------


def make_case(region: str = GONDANGLEGI, code: str = "AWS-TEST-0001") -> Case:
    return Case.objects.create(
        kind=CaseKind.TEMUAN,
        tracking_code=code,
        registration_number=f"001/TM/PL/Kab/35.07/IX/2024-{code}",
        region_id=region,
        title="ASN like unggahan calon",
        received_at=timezone.now(),
        terlapor_position="ASN",
    )


@pytest.fixture
def link(malang) -> AsnCaseLink:
    guru = person(GONDANGLEGI, "Budi Santoso", position="Guru")
    return services.case_link_create(
        case=make_case(),
        person=guru,
        violation=Violation.objects.get(code="K4"),
        stage=Stage.BAKAL_CALON,
        sbt_number="SBT-2024-0042",
        actor=None,
    )


def test_a_case_records_the_act(link):
    assert link.violation.code == "K4"
    assert AsnCaseLink.objects.get().sbt_number == "SBT-2024-0042"
    assert AuditEntry.objects.filter(action="asn.case_linked").exists()
    with pytest.raises(ValidationError):
        services.case_link_create(
            case=link.case, person=link.person, violation=link.violation, stage=Stage.CALON, actor=None
        )


def test_the_ppk_due_date_is_14_working_days_after_the_recommendation(link):
    follow_up = services.follow_up_save(
        link=link,
        values={
            "recommendation_number": "B-123/KR.II/2024",
            "recommendation_date": dt.date(2024, 9, 2),
            "ppk": "Bupati Malang",
        },
        actor=None,
    )
    # Monday 2 Sep 2024 + 14 hari kerja, skipping weekends and Maulid Nabi (16 Sep 2024).
    assert follow_up.ppk_due == dt.date(2024, 9, 23)


def test_the_overdue_list(link, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG)
    services.follow_up_save(link=link, values={"recommendation_date": dt.date(2024, 9, 2)}, actor=user)

    assert list(selectors.follow_ups(user, overdue_on=dt.date(2024, 9, 23))) == []  # due today: in time
    assert list(selectors.follow_ups(user, overdue_on=dt.date(2024, 9, 24))) == [link]

    services.follow_up_save(
        link=link,
        values={
            "decision_date": dt.date(2024, 9, 30),
            "decision_number": "800/123/2024",
            "sanction": Sanction.MORAL_TERBUKA,
        },
        actor=user,
    )
    assert list(selectors.follow_ups(user, overdue_on=dt.date(2024, 10, 1))) == []
    link.person.refresh_from_db()
    assert link.person.past_violation  # a sanction imposed is a past violation for the risk score


def test_no_sanction_imposed_is_not_a_past_violation(link):
    services.follow_up_save(
        link=link,
        values={
            "recommendation_date": dt.date(2024, 9, 2),
            "decision_date": dt.date(2024, 9, 5),
            "sanction": Sanction.NONE,
        },
        actor=None,
    )
    link.person.refresh_from_db()
    assert not link.person.past_violation


def test_the_follow_up_must_be_consistent(link):
    with pytest.raises(ValidationError) as caught:
        services.follow_up_save(link=link, values={"sanction": Sanction.BERAT_TURUN}, actor=None)
    assert "decision_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.follow_up_save(link=link, values={"decision_date": dt.date(2024, 9, 5)}, actor=None)
    assert "sanction" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.follow_up_save(
            link=link,
            values={
                "recommendation_date": dt.date(2024, 9, 10),
                "decision_date": dt.date(2024, 9, 5),
                "sanction": Sanction.NONE,
            },
            actor=None,
        )
    assert "decision_date" in caught.value.message_dict


def test_the_office_sets_the_ppk_deadline(link):
    services.risk_settings_update(
        factors=[], settings_fields={"ppk_days": 10, "ppk_day_type": "calendar"}, actor=None
    )
    follow_up = services.follow_up_save(
        link=link, values={"recommendation_date": dt.date(2024, 9, 2)}, actor=None
    )
    assert follow_up.ppk_due == dt.date(2024, 9, 12)


def test_follow_ups_are_for_case_handlers_only(link, make_user):
    assert list(selectors.follow_ups(make_user(Role.PIMPINAN, KAB_MALANG))) == [link]
    assert list(selectors.follow_ups(make_user(Role.STAF_PENCEGAHAN, KAB_MALANG))) == []
    assert list(selectors.follow_ups(make_user(Role.PANWASCAM, GONDANGLEGI))) == []
