"""When e-mail stops going out (the office's connection or mail settings), the people who answer
for the pelapor's news read it on their home page: how many, since when; the administrator also
reads the mail server's last answer. Nobody's address is shown."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import OutgoingMail
from awas.core.roles import Role
from awas.core.services.mail import mail_queue


def stuck_mail(minutes_ago: int) -> OutgoingMail:
    mail = mail_queue("Status laporan AWS-1", "Diregistrasi.", ["pelapor@example.id"], send_on_commit=False)
    OutgoingMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        attempts=3,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    return mail


def notice(client) -> str | None:
    page = client.get(reverse("core:home")).content.decode()
    start = page.find('data-testid="mail-stuck"')
    return None if start < 0 else page[start : page.index("</p>", start)]


def test_staff_read_that_e_mail_is_not_going_out_and_the_administrator_reads_why(malang, make_user):
    staf = verified_client(make_user(Role.STAF_PP, KAB_MALANG, username="staf"))
    admin = verified_client(make_user(Role.ADMIN, KAB_MALANG, username="admin"))
    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd"))

    fresh = stuck_mail(minutes_ago=2)  # between two tries of a slow server: nothing to say yet
    assert notice(staf) is None

    OutgoingMail.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    stuck_mail(minutes_ago=30)
    shown = notice(staf)
    assert shown and "2 surel belum terkirim sejak" in shown and "Beri tahu administrator" in shown
    assert "pelapor@example.id" not in shown and "Connection refused" not in shown
    shown = notice(admin)
    assert shown and "awas mail send" in shown and "Connection refused" in shown
    assert notice(pkd) is None  # not theirs to answer for

    OutgoingMail.objects.update(sent_at=timezone.now())  # the server is back
    assert notice(staf) is None
