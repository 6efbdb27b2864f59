"""Personal data on the staff side (UU 27/2022): what each role may read of the people in a case,
and that every disclosure to a role that may read it is in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases.services import workflow
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (autouse fixture)
    _quick_argon2,
    facts,
    record_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry, User
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


def test_an_account_moved_to_pkd_no_longer_reads_the_reminders_it_got_as_panwascam(staf, make_user):
    """A reminder names a laporan by its tracking code (the pelapor's key) and speaks of the
    pelapor's deadline: for the roles that handle cases. A Panwascam's account given the role of
    PKD of a desa in its kecamatan does not keep reading those it got before."""
    laporan = record_laporan(staf, PUTAT_KIDUL, received_at=timezone.now() - dt.timedelta(days=2))
    user = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    reminders_create()
    client = verified_client(user)
    assert laporan.tracking_code in client.get(reverse("cases:reminders")).content.decode()

    User.objects.filter(pk=user.pk).update(role=Role.PKD, scope_region=PUTAT_KIDUL)
    page = client.get(reverse("cases:reminders"))
    assert page.status_code == 200
    assert laporan.tracking_code not in page.content.decode()
    assert 'data-testid="no-reminders"' in page.content.decode()
