"""What the pelapor brings to complete a laporan is judged by the day they brought it, not the day
the desk entered it (DOMAIN.md §2.4 item 4: 3 days to complete, else "tidak diregistrasi"). The
kelengkapan and the registration that follows say the same day: the case page lists the day each
kelengkapan was brought against the completion deadline, and offers it as the day completed."""

from __future__ import annotations

import datetime as dt
import html
import re
import zoneinfo

import pytest
from django.urls import reverse

from awas.cases.formatting import today_local
from awas.cases.models import Case, CaseStatus, Witness
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    jpeg,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import AuditEntry
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
# The Friday before a long weekend: Saturday 30 May, Waisak on Sunday 31 May, Hari Lahir Pancasila
# on Monday 1 June 2026 (Idul Adha and its cuti bersama on the Wednesday and Thursday before).
TUESDAY = dt.date(2026, 5, 26)
FRIDAY = dt.date(2026, 5, 29)
SATURDAY = dt.date(2026, 5, 30)
NO_EVIDENCE = {**ALL_MET, "material_evidence": False}


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def incomplete_since(staf, told_on: dt.date, **kwargs) -> Case:
    """A laporan received the day before ``told_on`` without evidence, found short of it on
    ``told_on``: the pelapor is told to bring it."""
    received = dt.datetime.combine(told_on - dt.timedelta(days=1), dt.time(10), tzinfo=WIB)
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[], received_at=received, **kwargs)
    workflow.requirements_check(case=case, checks=NO_EVIDENCE, actor=staf, today=told_on)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE
    return case


def bring(client, case: Case, brought_on: dt.date | str, follow: bool = True):
    return client.post(
        reverse("cases:supplement", args=[case.pk]),
        {
            "note": "Foto amplop, dibawa pelapor",
            "brought_on": str(brought_on),
            "attachments": [jpeg("amplop.jpg", salt=str(brought_on).encode())],
        },
        follow=follow,
    )


def supplements_listed(page: str) -> str:
    found = re.search(r'data-testid="supplements">(.*?)</ul>', page, re.S)
    assert found, "the kelengkapan are not listed on the case page"
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())  # the words, as read


def completed_on_asked(page: str) -> str:
    found = re.search(r'data-testid="completed-on">(.*?)</div>\s*<button', page, re.S)
    assert found, "the day completed is not asked"
    return found.group(1)


def test_brought_on_the_last_friday_and_entered_after_the_long_weekend_it_is_in_time(staf):
    # Pilkada: 3 calendar days from Tuesday 26 May 2026, so the pelapor has until Friday 29 May.
    case = incomplete_since(staf, TUESDAY)
    assert case.completion_due == FRIDAY
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    step = page[page.index("Tambah bukti atau saksi (kelengkapan)") :]
    assert 'data-testid="supplement-lapsed"' in step and "Isi tanggal pelapor membawanya" in step
    assert f'name="brought_on" value="{today_local().isoformat()}"' in step  # today unless told
    assert f'max="{today_local().isoformat()}"' in step

    # The pelapor brought the photo on the Friday; the desk enters it only now.
    response = bring(client, case, FRIDAY)
    page = response.content.decode()
    assert (
        "Ditambahkan ke perkara sebagai dibawa pada 29 Mei 2026, dalam batas kelengkapan 29 Mei 2026. "
        "Periksa kembali syarat: tanggal pelapor melengkapi sudah terisi."
    ) in html.unescape(page)
    listed = supplements_listed(page)
    assert (
        "Dibawa pada 29 Mei 2026, dalam batas kelengkapan 29 Mei 2026: Foto amplop, dibawa pelapor" in listed
    )
    assert "1 berkas" in listed and "oleh staf" in listed and "setelah batas" not in listed
    entry = AuditEntry.objects.get(action="case.supplemented", object_id=str(case.pk))
    assert entry.actor == staf
    assert entry.after is not None
    assert (
        entry.after["brought_on"],
        entry.after["completion_due"],
        entry.after["after_completion_due"],
    ) == (
        "2026-05-29",
        "2026-05-29",
        False,
    )

    # The registration offers the same day, and registers the laporan with it.
    asked = completed_on_asked(page)
    assert 'value="2026-05-29"' in asked
    assert "Diisi dari kelengkapan yang tercatat dibawa pada 29 Mei 2026." in asked
    response = client.post(
        reverse("cases:requirements", args=[case.pk]),
        {**{name: "on" for name in ALL_MET}, "completed_on": "2026-05-29"},
        follow=True,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED and case.registration_number
    assert case.history.get(to_status=CaseStatus.REGISTERED).reason == (
        "Syarat formal dan materiel lengkap: dilengkapi pelapor pada 29 Mei 2026, dalam batas kelengkapan "
        "29 Mei 2026."
    )
    registered = AuditEntry.objects.get(action="case.registered", object_id=str(case.pk))
    assert registered.after is not None and registered.after["completed_on"] == "2026-05-29"
    # The page keeps the kelengkapan with its day after registration.
    assert "Dibawa pada 29 Mei 2026, dalam batas kelengkapan" in supplements_listed(response.content.decode())


def test_brought_on_the_saturday_it_is_late_and_the_registration_says_so_too(staf):
    case = incomplete_since(staf, TUESDAY)
    client = verified_client(staf)

    response = bring(client, case, SATURDAY)
    page = html.unescape(response.content.decode())
    assert "dibawa pada 30 Mei 2026, setelah batas kelengkapan 29 Mei 2026" in page
    assert "Catat sebagai tidak diregistrasi" in page
    assert "Dibawa pada 30 Mei 2026, setelah batas kelengkapan 29 Mei 2026" in supplements_listed(page)
    entry = AuditEntry.objects.get(action="case.supplemented", object_id=str(case.pk))
    assert entry.after is not None and entry.after["after_completion_due"] is True

    # The day offered is the Saturday: registering with it is refused, as the kelengkapan said.
    assert 'value="2026-05-30"' in completed_on_asked(page)
    page = client.post(
        reverse("cases:requirements", args=[case.pk]),
        {**{name: "on" for name in ALL_MET}, "completed_on": "2026-05-30"},
    ).content.decode()
    assert "Dilengkapi pada 30 Mei 2026, setelah batas kelengkapan 29 Mei 2026" in html.unescape(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.INCOMPLETE and not case.registration_number


def test_only_what_was_entered_since_the_last_check_is_offered_as_the_day_completed(staf):
    # A witness brought on the Wednesday, then the requirements checked again: still no evidence.
    # That witness did not complete the laporan; its day is not offered as the day completed.
    case = incomplete_since(staf, TUESDAY)
    workflow.case_supplement(
        case=case,
        files=[],
        witness=workflow.WitnessData(name="Saksi Rabu"),
        note="Saksi",
        actor=staf,
        brought_on=TUESDAY + dt.timedelta(days=1),
    )
    workflow.requirements_check(case=case, checks=NO_EVIDENCE, actor=staf)
    page = verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Dibawa pada 27 Mei 2026, dalam batas kelengkapan 29 Mei 2026: Saksi" in supplements_listed(page)
    asked = completed_on_asked(page)
    assert "value=" not in asked.split('name="completed_on"')[1].split(">")[0]
    assert "Diisi dari kelengkapan" not in asked


def test_a_pemilu_laporan_told_on_the_friday_has_three_working_days_after_the_long_weekend(staf):
    # 3 hari kerja from Friday 29 May 2026: Tuesday 2, Wednesday 3 and Thursday 4 June (Saturday,
    # Sunday and the holiday of Monday 1 June are not counted).
    case = incomplete_since(staf, FRIDAY, election_type=ElectionType.PEMILU)
    thursday = dt.date(2026, 6, 4)
    assert case.completion_due == thursday

    workflow.case_supplement(
        case=case,
        files=[jpeg("a.jpg", salt=b"a")],
        witness=None,
        note="Foto",
        actor=staf,
        brought_on=thursday,
    )
    workflow.case_supplement(
        case=case,
        files=[],
        witness=workflow.WitnessData(name="Saksi Jumat"),
        note="Saksi kedua",
        actor=staf,
        brought_on=thursday + dt.timedelta(days=1),
    )
    entries = AuditEntry.objects.filter(action="case.supplemented", object_id=str(case.pk)).order_by("pk")
    assert [(e.after or {})["after_completion_due"] for e in entries] == [False, True]

    # Registered by the Thursday, the day the evidence came; the late witness is kept all the same.
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf, completed_on=thursday)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert Witness.objects.filter(case=case, name="Saksi Jumat").exists()
    listed = supplements_listed(
        verified_client(staf).get(reverse("cases:detail", args=[case.pk])).content.decode()
    )
    assert "Dibawa pada 4 Juni 2026, dalam batas kelengkapan 4 Juni 2026: Foto" in listed
    assert "Dibawa pada 5 Juni 2026, setelah batas kelengkapan 4 Juni 2026: Saksi kedua" in listed
    assert "seorang saksi" in listed


def test_the_day_brought_is_today_unless_given_and_never_ahead_or_before_the_laporan(staf):
    case = incomplete_since(staf, TUESDAY)
    client = verified_client(staf)

    tomorrow = today_local() + dt.timedelta(days=1)
    page = bring(client, case, tomorrow, follow=False).content.decode()
    assert "Tanggal tidak boleh melewati hari ini." in page
    page = html.unescape(bring(client, case, dt.date(2026, 5, 24), follow=False).content.decode())
    assert "Tanggal dibawa (24 Mei 2026) tidak boleh sebelum tanggal diterima (25 Mei 2026)." in page
    with pytest.raises(workflow.WorkflowError):
        workflow.case_supplement(
            case=case, files=[jpeg()], witness=None, note="x", actor=staf, brought_on=tomorrow
        )
    assert not AuditEntry.objects.filter(action="case.supplemented").exists()
    assert not case.evidence.exists()

    # Left empty: today, which is after the deadline here.
    bring(client, case, "")
    entry = AuditEntry.objects.get(action="case.supplemented", object_id=str(case.pk))
    assert entry.after is not None
    assert (
        entry.after["brought_on"] == today_local().isoformat() and entry.after["after_completion_due"] is True
    )
