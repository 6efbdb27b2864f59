"""Taking up an informasi awal as a temuan: the day the penelusuran found the violation starts the
temuan's finding clock, and what it found is read on the temuan's page and in its kajian."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseKind, CaseStatus
from awas.cases.services import workflow
from awas.cases.services.intake import Intake, case_intake
from awas.cases.tests.staff_helpers import _quick_argon2  # noqa: F401 (an autouse fixture)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models.deadlines import ElectionType
from awas.core.roles import Role
from awas.regions.models import Region

PENELUSURAN = "Dua warga RT 03 membenarkan pembagian sembako bergambar calon."


@pytest.fixture
def staf(malang, make_user):
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf")
    user.first_name = "Siti"
    user.save(update_fields=["first_name"])
    return user


def tip_received(days_ago: int) -> Case:
    """An anonymous tip sent from the web ``days_ago`` days ago, about an event the day before."""
    received = timezone.now() - dt.timedelta(days=days_ago)
    event_day = today_local() - dt.timedelta(days=days_ago + 1)
    intake = Intake(
        kind=CaseKind.INFORMASI_AWAL,
        region=Region.objects.get(code=PUTAT_KIDUL),
        title="Ada pembagian sembako",
        chronology="Warga melihat pembagian sembako bergambar calon.",
        idempotency_key="t" * 32,
        event_place="Balai RT 03",
        event_date=event_day,
        known_date=event_day,  # the sender's: not the supervisors' finding
    )
    return case_intake(intake, now=received).case


def take_up(client, tip: Case, found_on: str, reason: str = PENELUSURAN):
    return client.post(reverse("cases:take_up", args=[tip.pk]), {"reason": reason, "found_on": found_on})


def deadline_row(page: str, label: str) -> str:
    rows = [row for row in page.split("<tr") if f"<td>{label}<br>" in row]
    assert len(rows) == 1, label
    return rows[0]


def test_the_temuan_counts_its_finding_clock_from_the_day_the_penelusuran_found_it(staf):
    # It counted from the day the take-up was typed in, whatever the penelusuran had found before.
    tip = tip_received(days_ago=5)
    found = today_local() - dt.timedelta(days=3)
    client = verified_client(staf)

    page = client.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert f'name="found_on" value="{today_local().isoformat()}"' in page  # today unless typed

    response = take_up(client, tip, found.isoformat())
    temuan = Case.objects.get(source_ref=f"informasi_awal:{tip.pk}")
    assert response["Location"] == reverse("cases:detail", args=[temuan.pk])

    page = client.get(response["Location"]).content.decode()
    assert f"<dt>Tanggal ditemukan</dt><dd>{tanggal(found)}</dd>" in page
    row = deadline_row(page, "Penetapan temuan")
    due_cell = re.search(r"<td[^>]*>([^<]*)</td>", row.split("</td>", 1)[1])  # the cell after the label
    assert due_cell and due_cell.group(1) == tanggal(found + dt.timedelta(days=7)) and "4 hari" in row
    # The tip's place and date of the event come with it.
    assert f"<dd>{tanggal(tip.event_date)}</dd>" in page and "Balai RT 03" in page
    assert (temuan.event_date, temuan.event_place) == (tip.event_date, "Balai RT 03")


def test_the_temuan_page_shows_what_the_penelusuran_found(staf, make_user):
    # It was only in the informasi awal's history: the officer working the temuan did not see it.
    tip = tip_received(days_ago=1)
    client = verified_client(staf)
    temuan_url = take_up(client, tip, today_local().isoformat())["Location"]

    page = client.get(temuan_url).content.decode()
    shown = re.search(
        r'<h3>Hasil penelusuran</h3>\s*<div class="prose" data-testid="penelusuran">(.*?)</div>', page
    )
    assert shown and shown.group(1) == PENELUSURAN
    assert "oleh Siti, saat informasi awal ditindaklanjuti sebagai temuan ini." in page

    # Like the tip's history it comes from: not for the roles that do not handle cases.
    pkd = verified_client(make_user(Role.PKD, PUTAT_KIDUL))
    assert 'data-testid="penelusuran"' not in pkd.get(temuan_url).content.decode()


def test_the_kajian_of_the_temuan_starts_from_the_chronology_and_the_penelusuran(staf):
    tip = tip_received(days_ago=1)
    temuan = workflow.informasi_awal_take_up(tip=tip, reason=PENELUSURAN, actor=staf)
    workflow.case_register(case=temuan, actor=staf)

    page = verified_client(staf).get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    facts = re.search(r'<textarea name="facts"[^>]*>(.*?)</textarea>', page, re.S)
    assert facts is not None
    assert facts.group(1).strip() == (
        f"Warga melihat pembagian sembako bergambar calon.\n\nHasil penelusuran:\n{PENELUSURAN}"
    )


def test_a_found_date_in_the_future_is_refused_and_the_typed_text_kept(staf):
    tip = tip_received(days_ago=1)
    tomorrow = (today_local() + dt.timedelta(days=1)).isoformat()

    response = take_up(verified_client(staf), tip, tomorrow)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tanggal tidak boleh melewati hari ini." in page
    assert f">\n{PENELUSURAN}</textarea>" in page and f'value="{tomorrow}"' in page
    tip.refresh_from_db()
    assert tip.status == CaseStatus.RECEIVED
    assert not Case.objects.filter(kind=CaseKind.TEMUAN).exists()


def test_a_found_date_before_the_tip_came_in_is_refused_and_the_typed_text_kept(staf):
    # The penelusuran checks the tip, so it cannot have found the violation before the tip came.
    tip = tip_received(days_ago=2)
    received_on = today_local() - dt.timedelta(days=2)
    too_early = received_on - dt.timedelta(days=1)

    response = take_up(verified_client(staf), tip, too_early.isoformat())
    page = response.content.decode()
    assert (
        f"Tanggal ditemukan ({tanggal(too_early)}) tidak boleh sebelum hari informasi awal diterima "
        f"({tanggal(received_on)})."
    ) in page
    assert f">\n{PENELUSURAN}</textarea>" in page and f'value="{too_early.isoformat()}"' in page
    assert not Case.objects.filter(kind=CaseKind.TEMUAN).exists()

    temuan = workflow.informasi_awal_take_up(tip=tip, reason=PENELUSURAN, found_on=received_on, actor=staf)
    assert temuan.known_date == received_on and temuan.filing_due == received_on + dt.timedelta(days=7)


def test_taken_up_without_a_date_the_temuan_was_found_today_not_when_the_sender_learned_of_it(staf):
    tip = tip_received(days_ago=2)
    with pytest.raises(workflow.WorkflowError):
        workflow.informasi_awal_take_up(
            tip=tip, reason=PENELUSURAN, found_on=today_local() + dt.timedelta(days=1), actor=staf
        )
    temuan = workflow.informasi_awal_take_up(tip=tip, reason=PENELUSURAN, actor=staf)
    assert tip.known_date == today_local() - dt.timedelta(days=3)
    assert temuan.known_date == today_local()


def test_the_found_date_field_says_the_day_the_tip_came_in_and_its_picker_stops_there(staf):
    # The take-up refused a date before the tip was received without saying which day that was.
    tip = tip_received(days_ago=2)
    received_on = today_local() - dt.timedelta(days=2)
    client = verified_client(staf)

    page = client.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert (
        f"tidak boleh sebelum informasi awal diterima, {tanggal(received_on)}, dan tidak melewati hari ini"
        in page
    )
    found_on = re.search(r'<input[^>]*name="found_on"[^>]*>', page)
    assert found_on is not None
    assert f'min="{received_on.isoformat()}"' in found_on.group(0)
    assert f'max="{today_local().isoformat()}"' in found_on.group(0)

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    with translation.override("en"):
        received = date_format(received_on, "j F Y")
    assert f"not before the informasi awal was received, {received}, nor after today" in page

    # Refused, the form comes back with the same help and limits.
    page = take_up(client, tip, (received_on - dt.timedelta(days=1)).isoformat()).content.decode()
    assert f"not before the informasi awal was received, {received}, nor after today" in page
    assert f'min="{received_on.isoformat()}"' in page


@pytest.mark.parametrize(
    ("election_type", "length"), [(ElectionType.PILKADA, "7 hari"), (ElectionType.PEMILU, "7 hari kerja")]
)
def test_the_found_date_says_how_the_plenary_s_deadline_is_counted(staf, election_type, length):
    # It said "batas 7 hari" for both: a Pemilu temuan's clock counts hari kerja (UU 7/2017
    # Pasal 454 ayat (5) as deadline_rules.yaml counts it), past weekends and holidays.
    tip = tip_received(days_ago=1)
    Case.objects.filter(pk=tip.pk).update(election_type=election_type)
    client = verified_client(staf)
    page = client.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert f"Awal hitungan batas penetapan temuan oleh pleno: {length}." in page
    assert "batas 7 hari penetapan temuan" not in page

    # A new temuan: the election is still to be chosen on the form, so both are said.
    page = client.get(reverse("cases:temuan_new")).content.decode()
    assert (
        "Awal hitungan batas penetapan temuan oleh pleno: 7 hari untuk Pilkada, 7 hari kerja untuk Pemilu."
        in page
    )


def test_what_the_penelusuran_gathers_is_kept_with_the_tip_and_goes_into_the_temuan(staf, make_user):
    # The Panwascam traces the tip: a photo of the banner and a resident who saw it are kept with
    # the informasi awal before anyone decides, and the temuan taken up from it has them.
    from awas.cases.tests.staff_helpers import jpeg

    tip = tip_received(days_ago=1)
    panwascam = verified_client(make_user(Role.PANWASCAM, "35.07.10", username="pcam"))
    page = panwascam.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert "Tambah hasil penelusuran (bukti atau saksi)" in page
    response = panwascam.post(
        reverse("cases:supplement", args=[tip.pk]),
        {
            "note": "Foto spanduk dan keterangan warga, dikumpulkan Panwascam.",
            "attachments": [jpeg("spanduk.jpg", salt=b"penelusuran")],
            "witness_name": "Suparmi",
            "witness_address": "RT 03 Putat Kidul",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Ditambahkan ke informasi awal" in page
    assert "spanduk.jpg" in page and "Suparmi" in page
    tip.refresh_from_db()
    assert tip.status == CaseStatus.RECEIVED  # nothing decided by gathering

    temuan = workflow.informasi_awal_take_up(tip=tip, reason=PENELUSURAN, actor=staf)
    assert list(temuan.evidence.values_list("name", flat=True)) == ["spanduk.jpg"]
    assert list(temuan.witnesses.values_list("name", "address")) == [("Suparmi", "RT 03 Putat Kidul")]
    # Taken up, the tip takes no more: what comes later goes to the temuan.
    page = panwascam.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    assert "Tambah hasil penelusuran" not in page
