"""The officer who told the pelapor by phone or letter what an undelivered e-mail said records it
on the case page's warning ("Pelapor sudah diberi tahu": how, the day, a short note): those messages
are then listed as told, not as a warning, and a message that fails afterwards warns again. Only
the roles that see the pelapor's contact may record it; audited without the note's words."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry, OutgoingMail
from awas.core.roles import Role
from awas.core.services.audit import audit_seal
from awas.core.tests.smtp_servers import refusing_smtp

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WARNING = 'data-testid="pelapor-mail-undelivered"'
TOLD = 'data-testid="pelapor-mail-told"'
ADDRESS = "siti.salah@example.id"
NOTE = "Ditelepon ke 081234567890; alamat e-mail yang benar siti.aminah@example.id."


@pytest.fixture
def staf(malang, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf.budi")
    user.first_name, user.last_name = "Budi", "Santoso"
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def refused_twice(staf, settings, django_capture_on_commit_callbacks):
    """A laporan whose pelapor typed their address wrong: the mail server refused the notice that
    it was received and the one that it was registered."""
    with refusing_smtp(settings):
        with django_capture_on_commit_callbacks(execute=True):
            case = record_laporan(staf, PUTAT_KIDUL, email=ADDRESS)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)
        assert OutgoingMail.objects.filter(sent_at__isnull=True).count() == 2
        yield case


def page_of(user, case: Case) -> str:
    response = verified_client(user).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def lines(page: str, testid: str) -> list[str]:
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(rf'<li data-testid="{testid}">(.*?)</li>', page, re.S)
    ]


def mail_ids(page: str) -> list[str]:
    return re.findall(r'<input type="hidden" name="mail" value="(\d+)"', page)


def tell(user, case: Case, page: str, **fields):
    data = {"mail": mail_ids(page), "how": "telepon", "told_on": today_local().isoformat(), "note": NOTE}
    data.update(fields)
    return verified_client(user).post(reverse("cases:pelapor_told", args=[case.pk]), data, follow=True)


def test_told_by_phone_the_messages_show_as_told_and_a_later_failure_warns_again(
    staf, refused_twice, settings, django_capture_on_commit_callbacks
):
    case = refused_twice
    page = page_of(staf, case)
    assert len(lines(page, "undelivered-mail")) == 2 and "Pelapor sudah diberi tahu" in page
    assert len(mail_ids(page)) == 2

    response = tell(staf, case, page)

    after = html.unescape(response.content.decode())
    assert "Dicatat: pelapor sudah diberi tahu dengan cara lain tentang 2 surel yang tidak terkirim." in after
    assert WARNING not in after
    told = lines(after, "told-mail")
    assert len(told) == 2
    for line in told:
        assert f"diberi tahu lewat telepon pada {tanggal(today_local())} oleh Budi Santoso" in line
        assert ADDRESS in line and NOTE in line
    assert "Diterima" in told[0] and "Diregistrasi" in told[1]

    entry = AuditEntry.objects.get(action="case.pelapor_told_otherwise", object_id=str(case.pk))
    assert entry.after is not None
    assert entry.after["how"] == "telepon" and entry.after["messages"] == 2
    assert entry.after["told_on"] == today_local().isoformat()
    # The note's words (a phone number, an address) are not in the log, which is never deleted.
    assert "081234567890" not in str(entry.after) and ADDRESS not in str(entry.after)

    # The next step's notice fails too: that one the pelapor has not been told of.
    with refusing_smtp(settings), django_capture_on_commit_callbacks(execute=True):
        workflow.clarification_schedule(
            case=case,
            invitee_name="Sutrisno",
            invitee_role="terlapor",
            scheduled_at=dt.datetime.combine(today_local() + dt.timedelta(days=1), dt.time(10), tzinfo=WIB),
            place="Kantor",
            actor=staf,
        )
    page = page_of(staf, case)
    [again] = lines(page, "undelivered-mail")
    assert "Klarifikasi" in again
    assert len(lines(page, "told-mail")) == 2
    assert len(mail_ids(page)) == 1  # only the new one is offered


def test_the_day_told_cannot_precede_the_message_nor_be_tomorrow_and_another_way_needs_a_note(
    staf, refused_twice
):
    case = refused_twice
    page = page_of(staf, case)
    yesterday = (today_local() - dt.timedelta(days=1)).isoformat()
    for fields, said in (
        (
            {"told_on": yesterday},
            f"tidak boleh sebelum surel yang digantikannya ditulis ({tanggal(today_local())})",
        ),
        (
            {"told_on": (today_local() + dt.timedelta(days=1)).isoformat()},
            "Tanggal tidak boleh melewati hari ini.",
        ),
        ({"how": "lainnya", "note": " "}, "Tuliskan di catatan bagaimana pelapor diberi tahu."),
    ):
        refused = html.unescape(tell(staf, case, page, **fields).content.decode())
        assert "Tidak ada yang disimpan." in refused and said in refused
        assert 'id="refused"' in refused  # the form comes back open at its error
        assert len(lines(refused, "undelivered-mail")) == 2 and TOLD not in refused
    assert not AuditEntry.objects.filter(action="case.pelapor_told_otherwise").exists()

    # Told in person, with what happened in a note.
    response = tell(staf, case, page, how="kantor", note="")
    assert "diberi tahu saat datang ke kantor pada" in html.unescape(response.content.decode())


def test_only_roles_that_see_the_pelapor_record_it_and_only_for_their_case(staf, refused_twice, make_user):
    case = refused_twice
    page = page_of(staf, case)
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    assert tell(pkd, case, page).status_code == 403
    assert "Pelapor sudah diberi tahu" not in page_of(pkd, case)

    # Another case's message cannot be marked told from this one.
    other = record_laporan(staf, PUTAT_KIDUL, email="")
    response = tell(staf, other, page)
    assert "Tidak ada yang disimpan." in html.unescape(response.content.decode())
    assert not OutgoingMail.objects.filter(told_otherwise_on__isnull=False).exists()

    # The pimpinan sees the pelapor: may record it.
    pimpinan = make_user(Role.PIMPINAN, KAB_MALANG, username="ketua")
    tell(pimpinan, case, page, how="surat", note="")
    assert len(lines(page_of(staf, case), "told-mail")) == 2


def test_the_told_messages_cost_the_case_page_no_query_more(staf, refused_twice):
    case = refused_twice
    client = verified_client(staf)
    url = reverse("cases:detail", args=[case.pk])

    def queries() -> int:
        client.get(url)
        audit_seal()  # as after the commit
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    warned = queries()
    # One told, one still a warning: both lists from the one query.
    first = OutgoingMail.objects.order_by("pk").first()
    assert first is not None
    tell(staf, case, page_of(staf, case), mail=[str(first.pk)])
    page = page_of(staf, case)
    assert len(lines(page, "told-mail")) == 1 and len(lines(page, "undelivered-mail")) == 1
    assert queries() == warned
