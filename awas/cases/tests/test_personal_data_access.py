"""Personal data on the staff side (UU 27/2022): what each role may read of the people in a case,
and that every disclosure to a role that may read it is in the audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import _quick_argon2, facts  # noqa: F401 (autouse fixture)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.roles import Role


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def _heard_temuan(staf):
    """A temuan (no pelapor, no saksi) whose terlapor was heard in a clarification, with a kajian."""
    temuan = workflow.temuan_create(facts=facts(PUTAT_KIDUL), actor=staf)
    workflow.case_register(case=temuan, actor=staf)
    invited = workflow.clarification_schedule(
        case=temuan,
        invitee_name="Darmo Wiyono",
        invitee_role="terlapor",
        scheduled_at=timezone.now(),
        place="Kantor Bawaslu",
        actor=staf,
    )
    workflow.clarification_record(
        clarification=invited,
        statement="Darmo mengaku membagikan amplop atas suruhan tim sukses.",
        held_at=timezone.now(),
        actor=staf,
    )
    workflow.study_save(
        case=temuan,
        facts="Keterangan Darmo Wiyono di bawah sumpah.",
        analysis="Analisis.",
        conclusion="Terbukti.",
        actor=staf,
    )
    return temuan


def test_reading_who_was_heard_in_a_clarification_is_logged_even_without_a_pelapor(staf, make_user):
    """A temuan has no pelapor, but its page shows who was heard, what they said and the kajian
    that quotes them: a handling role's reading is in the audit log (once a day), and a PKD, who
    sees none of it, leaves no entry."""
    temuan = _heard_temuan(staf)
    viewed = AuditEntry.objects.filter(action="case.personal_viewed", object_id=str(temuan.pk))

    pkd_page = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd")).get(
        reverse("cases:detail", args=[temuan.pk])
    )
    assert pkd_page.status_code == 200
    assert "Darmo" not in pkd_page.content.decode()
    assert not viewed.exists()

    client = verified_client(staf)
    for _reload in range(2):
        page = client.get(reverse("cases:detail", args=[temuan.pk])).content.decode()
        assert "Darmo Wiyono" in page and "atas suruhan tim sukses" in page
    (entry,) = viewed
    assert entry.actor == staf and entry.after == {"shown": ["klarifikasi", "kajian"]}
