"""An informasi awal whose sender does not know the exact day of the event: they tick "Tanggal
pastinya tidak tahu" and say roughly when; staff read it wherever the event date is shown, and
no clock or date goes wrong for the missing day. A laporan still needs its date."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from awas.cases import documents
from awas.cases.formatting import tanggal, today_local
from awas.cases.models import Case, CaseKind
from awas.cases.services import workflow
from awas.cases.services.intake import office_today
from awas.cases.tests.staff_helpers import _quick_argon2  # noqa: F401 (an autouse fixture)
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import GONDANGLEGI, KAB_MALANG, verified_client
from awas.core.roles import Role

ROUGHLY = "akhir pekan lalu, malam hari"


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def send_tip(client, **fields):
    page = client.get("/lapor/informasi/")
    data = {
        "idempotency_key": form_key(page),
        "title": "Amplop dibagikan ke warga",
        "kecamatan": GONDANGLEGI,
        "chronology": "Dua orang membagikan amplop dari rumah ke rumah.",
        **fields,
    }
    return client.post("/lapor/informasi/", {k: v for k, v in data.items() if v is not None})


def errors_of(response) -> str:
    html = response.content.decode()
    found = re.search(r'data-testid="form-errors">(.*?)</div>', html, re.S)
    assert found, "the page lists what to check"
    return found.group(1)


def test_a_sender_who_does_not_know_the_day_says_roughly_when(malang, client):
    page = client.get("/lapor/informasi/").content.decode()
    assert "Tanggal pastinya tidak tahu" in page and "Kira-kira kapan?" in page
    assert 'name="event_date_unknown"' in page and 'name="event_time_note"' in page
    # The date keeps its asterisk: it is still the normal way, the box the way out.
    assert '<label for="id_event_date" class="required">' in page

    response = send_tip(client, event_date_unknown="on", event_time_note=f"  {ROUGHLY} ")

    assert response.status_code == 302
    tip = Case.objects.get()
    assert tip.kind == CaseKind.INFORMASI_AWAL
    assert (tip.event_date, tip.event_time_note) == (None, ROUGHLY)
    # No clock of a tip counts from the event: none is set, none goes wrong.
    assert (tip.filing_due, tip.decision_due, tip.completion_due, tip.review_due) == (None,) * 4
    tracked = client.get(f"/lapor/lacak/{tip.tracking_code}/").content.decode()
    assert "Informasi awal diterima" in tracked


def test_a_description_without_the_box_is_taken_as_roughly_when(malang, client):
    # Without the page's script the field shows unticked: what was typed is what they know.
    assert send_tip(client, event_time_note=ROUGHLY).status_code == 302
    assert (Case.objects.get().event_date, Case.objects.get().event_time_note) == (None, ROUGHLY)


def test_a_tip_with_its_date_is_sent_as_before(malang, client):
    day = office_today() - dt.timedelta(days=1)
    assert send_tip(client, event_date=day.isoformat()).status_code == 302
    assert (Case.objects.get().event_date, Case.objects.get().event_time_note) == (day, "")


def test_the_box_without_a_description_asks_for_one_and_keeps_what_was_typed(malang, client):
    response = send_tip(client, event_date_unknown="on", event_time_note="  ")

    assert response.status_code == 200 and not Case.objects.exists()
    assert "Tuliskan kira-kira kapan kejadiannya" in errors_of(response)
    html = response.content.decode()
    assert 'href="#id_event_time_note"' in html
    assert 'value="Amplop dibagikan ke warga"' in html
    assert re.search(
        r'<input type="checkbox" name="event_date_unknown" id="id_event_date_unknown" checked>', html
    )


def test_a_date_and_the_box_ticked_ask_the_sender_to_choose(malang, client):
    day = (office_today() - dt.timedelta(days=3)).isoformat()
    response = send_tip(client, event_date=day, event_date_unknown="on", event_time_note=ROUGHLY)

    assert response.status_code == 200 and not Case.objects.exists()
    assert "kosongkan tanggalnya, atau hapus centangnya" in errors_of(response)
    html = response.content.decode()
    assert f'value="{day}"' in html and f'value="{ROUGHLY}"' in html


def test_neither_a_date_nor_roughly_when_is_named(malang, client):
    response = send_tip(client)

    assert response.status_code == 200 and not Case.objects.exists()
    errors = errors_of(response)
    assert 'href="#id_event_date"' in errors and "Tanggal pastinya tidak tahu" in errors


def test_a_laporan_still_needs_the_date_of_the_event(malang, client):
    page = client.get("/lapor/laporan/")
    html = page.content.decode()
    assert 'name="event_date_unknown"' not in html and 'name="event_time_note"' not in html
    response = client.post("/lapor/laporan/", laporan_data(form_key(page), event_date=""))
    assert response.status_code == 200 and not Case.objects.exists()
    assert 'href="#id_event_date"' in errors_of(response)


def test_staff_read_roughly_when_on_the_tip_the_take_up_the_temuan_and_the_export(staf, client):
    send_tip(client, event_date_unknown="on", event_time_note=ROUGHLY)
    tip = Case.objects.get()
    staff = verified_client(staf)

    page = staff.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    shown = re.search(r"<dt>Tanggal kejadian</dt><dd>(.*?)</dd>", page, re.S)
    assert shown and "Tanggal pastinya tidak diketahui" in shown.group(1) and ROUGHLY in shown.group(1)
    # Where the officer gives the day it was found: not to be taken for the day of the event.
    take_up_note = re.search(r'data-testid="take-up-event-when">(.*?)</p>', page, re.S)
    assert take_up_note and ROUGHLY in take_up_note.group(1)
    assert "dihitung dari tanggal ditemukan" in take_up_note.group(1)

    found = today_local()
    response = staff.post(
        reverse("cases:take_up", args=[tip.pk]),
        {"reason": "Warga membenarkan.", "found_on": found.isoformat()},
    )
    temuan = Case.objects.get(kind=CaseKind.TEMUAN)
    assert response["Location"] == reverse("cases:detail", args=[temuan.pk])
    assert (temuan.event_date, temuan.event_time_note) == (None, ROUGHLY)
    assert temuan.filing_due == found + dt.timedelta(days=7)  # the finding clock, from the day found
    page = staff.get(response["Location"]).content.decode()
    shown = re.search(r"<dt>Tanggal kejadian</dt><dd>(.*?)</dd>", page, re.S)
    assert shown and "Tanggal pastinya tidak diketahui" in shown.group(1) and ROUGHLY in shown.group(1)

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(staff.get(reverse("cases:export")).content))["Perkara"]
    header = [cell.value for cell in sheet[1]]
    rows = {
        line[header.index("Jenis")].value: dict(zip(header, [c.value for c in line], strict=True))
        for line in sheet.iter_rows(min_row=2)
    }
    assert len(rows) == 2
    for row in rows.values():
        assert row["Tanggal kejadian"] is None and row["Perkiraan waktu kejadian"] == ROUGHLY

    # The temuan's kajian says it too, in the office's words.
    workflow.case_register(case=temuan, actor=staf)
    workflow.study_save(case=temuan, facts="F.", analysis="A.", conclusion="K.", actor=staf)
    html = documents.kajian_html(temuan.study)
    assert (
        f"Tanggal kejadian</td><td>:</td><td>tanggal pastinya tidak diketahui (kira-kira: {ROUGHLY})" in html
    )


def test_a_date_the_penelusuran_establishes_is_shown_as_the_date(staf, client):
    send_tip(client, event_date_unknown="on", event_time_note=ROUGHLY)
    tip = Case.objects.get()
    temuan = workflow.informasi_awal_take_up(tip=tip, reason="Warga membenarkan.", actor=staf)
    day = today_local() - dt.timedelta(days=4)
    form_facts = {name: getattr(temuan, name) for name in workflow.CaseFacts.__dataclass_fields__}
    workflow.case_correct(
        case=temuan,
        facts=workflow.CaseFacts(**{**form_facts, "event_date": day}),
        reason="Penelusuran memastikan harinya.",
        actor=staf,
    )
    page = verified_client(staf).get(reverse("cases:detail", args=[temuan.pk])).content.decode()
    shown = re.search(r"<dt>Tanggal kejadian</dt><dd>(.*?)</dd>", page, re.S)
    assert shown and shown.group(1).startswith(tanggal(day)) and "tidak diketahui" not in shown.group(1)


def test_the_take_up_of_an_undated_tip_takes_the_day_the_penelusuran_established(staf, client):
    send_tip(client, event_date_unknown="on", event_time_note=ROUGHLY)
    tip = Case.objects.get()
    staff = verified_client(staf)
    page = staff.get(reverse("cases:detail", args=[tip.pk])).content.decode()
    form = re.search(r'<form method="post" action="[^"]*/tindak-lanjuti/#refused".*?</form>', page, re.S)
    assert form, "no take-up form"
    assert 'name="event_date"' in form.group(0) and f"menulis: “{ROUGHLY}”" in form.group(0)
    found = today_local()
    url = reverse("cases:take_up", args=[tip.pk])

    # After the day it was found: refused, the form as typed, no temuan. (The tip came in three
    # days ago: the finding may not be before it.)
    Case.objects.filter(pk=tip.pk).update(received_at=timezone.now() - dt.timedelta(days=3))
    found = today_local() - dt.timedelta(days=1)
    later = today_local()
    page = staff.post(
        url, {"reason": "Warga membenarkan.", "found_on": found.isoformat(), "event_date": later.isoformat()}
    ).content.decode()
    assert (
        f"Tanggal ditemukan ({tanggal(found)}) tidak boleh sebelum tanggal peristiwa ({tanggal(later)})"
        in page
    )
    assert "Warga membenarkan." in page
    assert not Case.objects.filter(kind=CaseKind.TEMUAN).exists()

    day = found - dt.timedelta(days=3)
    staff.post(
        url, {"reason": "Warga membenarkan.", "found_on": found.isoformat(), "event_date": day.isoformat()}
    )
    temuan = Case.objects.get(kind=CaseKind.TEMUAN)
    assert (temuan.event_date, temuan.event_time_note) == (day, "")
    tip.refresh_from_db()
    assert (tip.event_date, tip.event_time_note) == (None, ROUGHLY)  # what the sender wrote stays theirs
    assert temuan.filing_due == found + dt.timedelta(days=7)  # still from the day found


def test_a_tip_with_its_date_is_not_asked_it_again_at_take_up(staf, client):
    send_tip(client, event_date=(today_local() - dt.timedelta(days=1)).isoformat())
    tip = Case.objects.get()
    page = verified_client(staf).get(reverse("cases:detail", args=[tip.pk])).content.decode()
    form = re.search(r'<form method="post" action="[^"]*/tindak-lanjuti/#refused".*?</form>', page, re.S)
    assert form and 'name="found_on"' in form.group(0) and 'name="event_date"' not in form.group(0)


def test_the_service_stores_no_laporan_without_its_date_and_no_tip_without_either(malang):
    from awas.cases.services.intake import Intake, IntakeError, case_intake
    from awas.regions.models import Region

    place = Region.objects.get(code=GONDANGLEGI)
    for kind, note in ((CaseKind.LAPORAN, ROUGHLY), (CaseKind.INFORMASI_AWAL, " ")):
        with pytest.raises(IntakeError):
            case_intake(
                Intake(
                    kind=kind, idempotency_key="k" * 32, title="Amplop", region=place, event_time_note=note
                )
            )
    assert not Case.objects.exists()
