"""A laporan recorded at the desk without saksi or bukti is saved, with a warning.

The syarat materiel include saksi and bukti (DOMAIN.md §2.4 item 3); the pelapor may complete a
laporan later (item 4), so nothing is refused. But the gap used to show only at the requirements
check, after the pelapor had gone home: the page the officer lands on after saving now says what is
missing and what to ask the pelapor for while they are still there.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from awas.cases.models import Case, CaseStatus
from awas.cases.tests.staff_helpers import _quick_argon2, jpeg  # noqa: F401 (an autouse fixture)
from awas.cases.tests.test_staff_views import _laporan_post
from awas.conftest import KAB_MALANG, verified_client
from awas.core.roles import Role

NO_WITNESS = {"saksi-0-name": ""}


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def record(client, **overrides) -> tuple[Case, str]:
    response = client.post(reverse("cases:record"), _laporan_post(**overrides), follow=True)
    case = Case.objects.get(title=overrides.get("title", "Pembagian sembako oleh tim sukses"))
    return case, response.content.decode()


def warning(page: str) -> str:
    shown = [item for item in page.split('<li class="warning">')[1:]]
    return shown[0].split("</li>")[0] if shown else ""


def test_without_saksi_or_bukti_it_is_saved_and_the_officer_is_told_what_to_ask_for(staf):
    case, page = record(verified_client(staf), **NO_WITNESS)

    assert case.status == CaseStatus.RECEIVED and not case.witnesses.exists() and not case.evidence.exists()
    assert "Laporan dicatat." in page  # saved, not refused
    said = warning(page)
    assert "Tidak ada saksi maupun bukti yang dicatat: syarat materiel laporan ini belum terpenuhi." in said
    assert "Mintalah kepada pelapor selagi ia masih di meja layanan: nama dan alamat" in said
    assert "nama dan alamat orang yang melihat kejadiannya" in said and "foto, video, atau dokumen" in said
    assert "“Tambah bukti atau saksi (kelengkapan)”" in said  # the step on the page where they go


def test_an_emailed_laporan_with_a_saksi_but_no_bukti_asks_for_the_bukti_in_the_reply(staf):
    client = verified_client(staf)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _case, page = record(client, channel="email", title="Laporan lewat surel")

    said = warning(page)
    assert said.startswith("No bukti was recorded: the syarat materiel of this laporan will be incomplete.")
    assert "in your reply to their e-mail" in said and "photos, videos or documents" in said
    assert "saw it happen" not in said  # the saksi was named


def test_a_saksi_without_bukti_and_bukti_without_saksi_each_name_what_is_missing(staf):
    client = verified_client(staf)
    _case, page = record(client, title="Hanya bukti", evidence=[jpeg()], **NO_WITNESS)
    assert warning(page).startswith("Tidak ada saksi yang dicatat")
    assert "foto" not in warning(page)

    _case, page = record(client, title="Lengkap", evidence=[jpeg(salt=b"2")])
    assert warning(page) == ""  # a saksi and a file: nothing to warn about


def test_a_laporan_recorded_after_its_filing_deadline_is_saved_with_a_warning(staf):
    # Saved with only "Laporan dicatat.": the officer learned it could not be registered at the
    # requirements check, after the pelapor had gone or the e-mail had been answered.
    import datetime as dt

    from django.utils import timezone

    from awas.cases.formatting import tanggal

    received = timezone.localtime() - dt.timedelta(days=1)  # the e-mail came yesterday evening
    known = received.date() - dt.timedelta(days=9)
    case, page = record(
        verified_client(staf),
        channel="email",
        title="Laporan terlambat",
        received_at=received.replace(hour=21, minute=40).strftime("%Y-%m-%dT%H:%M"),
        event_date=(known - dt.timedelta(days=1)).isoformat(),
        known_date=known.isoformat(),
        evidence=[jpeg()],
    )
    assert case.status == CaseStatus.RECEIVED and "Laporan dicatat." in page
    said = warning(page)
    assert said == (
        "Laporan ini masuk setelah batas waktu penyampaiannya: diketahui pada "
        f"{tanggal(known)}, sehingga batasnya {tanggal(known + dt.timedelta(days=7))}. Laporan ini "
        "dicatat, tetapi tidak dapat diregistrasi. Bila ada tanggal yang salah ketik, perbaiki di "
        "“Perbaiki data”."
    )
    # In time (known yesterday), nothing is said of the deadline.
    _case, page = record(verified_client(staf), title="Tepat waktu", evidence=[jpeg(salt=b"3")])
    assert "batas waktu penyampaiannya" not in page
