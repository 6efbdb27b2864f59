"""An office handling a Pemilu and a Pilkada at once (AWAS_ELECTION_TYPE=pemilu,pilkada), as in 2024
and again in 2029: the pelapor says which election a report is about, and its law's clock applies
(UU 7/2017 Pasal 454 ayat (6): 7 hari kerja; UU 10/2016 Pasal 134 ayat (4): 7 days).

Worked week, with the holidays the administrator enters: Thursday 15 February 2029, 09.00 WIB;
Monday 12 (cuti bersama), Tuesday 13 and Wednesday 14 February are holidays. A Pemilu laporan is
in time if known on 1 February or later (its 7th working day is today); a Pilkada one if known on
8 February or later (7 calendar days).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from awas.cases.models import Case
from awas.cases.tests.test_public_views import form_key, laporan_data
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.models import Holiday
from awas.core.models.deadlines import ElectionType, HolidayKind
from awas.core.roles import Role
from awas.core.services.deadlines import deadline_reference_pinned

WIB = ZoneInfo("Asia/Jakarta")
BOTH = "pemilu,pilkada"
PEMILU_LABEL = "Pemilu (Presiden dan Wakil Presiden, DPR, DPD, DPRD)"
PILKADA_LABEL = "Pemilihan kepala daerah (Gubernur, Bupati/Wali Kota)"
CHOOSE = "Pilih pemilihan yang dimaksud."


@pytest.fixture
def office(settings: Any, malang: Any) -> Iterator[Any]:
    """The office on Thursday 15 February 2029, 09.00 WIB, after a long weekend; both elections."""
    settings.AWAS_ELECTION_TYPE = BOTH
    for day, kind in (
        (dt.date(2029, 2, 12), HolidayKind.CUTI_BERSAMA),
        (dt.date(2029, 2, 13), HolidayKind.LIBUR_NASIONAL),
        (dt.date(2029, 2, 14), HolidayKind.LIBUR_NASIONAL),
    ):
        Holiday.objects.create(date=day, kind=kind, name=f"Libur {day.isoformat()}", source="test")
    with time_machine.travel(dt.datetime(2029, 2, 15, 9, tzinfo=WIB), tick=False):
        yield settings


def _file(client: Client, election: str | None, known: str, **overrides: Any) -> Any:
    page = client.get("/lapor/laporan/")
    data = laporan_data(form_key(page), event_date=known, known_date=known, **overrides)
    if election is not None:
        data["election_type"] = election
    return client.post("/lapor/laporan/", data)


def _checked(html: str, value: str) -> bool:
    found = re.search(rf'<input type="radio" name="election_type" value="{value}"[^>]*>', html)
    assert found, f"the choice {value} is on the page"
    return " checked" in found.group(0)


def test_the_landing_page_states_the_rules_of_both_elections(office, client):
    landing = client.get("/lapor/").content.decode()
    assert (
        "menerima laporan pelanggaran pemilihan umum (Pemilu) dan pemilihan kepala daerah (Pilkada)"
        in landing
    )
    pemilu = landing[
        landing.index('data-testid="rules-pemilu"') : landing.index('data-testid="rules-pilkada"')
    ]
    assert PEMILU_LABEL in pemilu
    assert (
        "paling lama 7 hari kerja sejak Anda mengetahui pelanggaran (UU 7/2017 Pasal 454 ayat (6))" in pemilu
    )
    pilkada = landing[landing.index('data-testid="rules-pilkada"') :]
    # Beside UU 7/2017 Pasal 454 the reader is told which law this Pasal 134 is.
    assert PILKADA_LABEL in pilkada and "(UU 10/2016 Pasal 134 ayat (4))" in pilkada
    assert "hari kerja" not in pilkada.split("</ul>")[0]


def test_the_form_asks_which_election_and_warns_live_by_its_clock(office, client):
    for path in ("/lapor/laporan/", "/lapor/informasi/"):
        html = client.get(path).content.decode()
        assert "Tentang pemilihan yang mana?" in html, path
        assert PEMILU_LABEL in html and PILKADA_LABEL in html, path
        assert not _checked(html, "pemilu") and not _checked(html, "pilkada"), path  # nothing guessed
    html = client.get("/lapor/laporan/").content.decode()
    # The live warning: per election, the earliest known date in time today, as the server counts it.
    assert '<p data-election="pemilu" data-since="2029-02-01" hidden>' in html
    assert '<p data-election="pilkada" data-since="2029-02-08" hidden>' in html
    assert html.count('name="late_ok"') == 1


def test_the_date_learned_says_the_filing_limit_of_each_election_handled(office, client):
    """Under "Tanggal Anda mengetahuinya" a Pemilu pelapor read "7 hari": 7 hari kerja is theirs."""
    limits = {
        BOTH: "Laporan harus disampaikan paling lama 7 hari kerja sejak tanggal ini untuk Pemilu, "
        "7 hari untuk pemilihan kepala daerah.",
        "pemilu": "Laporan harus disampaikan paling lama 7 hari kerja sejak tanggal ini.",
        "pilkada": "Laporan harus disampaikan paling lama 7 hari sejak tanggal ini.",
    }
    for setting, limit in limits.items():
        office.AWAS_ELECTION_TYPE = setting
        assert limit in client.get("/lapor/laporan/").content.decode(), setting


def test_a_pemilu_laporan_known_9_working_days_ago_is_late_a_pilkada_one_known_6_days_ago_is_not(
    office, client
):
    late = _file(client, "pemilu", "2029-01-30")  # 9 working days before today
    assert late.status_code == 200 and not Case.objects.exists()
    page = late.content.decode()
    assert 'data-testid="late-notice"' in page
    assert "Sudah lewat dari 7 hari kerja" in page and "UU 7/2017 Pasal 454 ayat (6)" in page
    assert _checked(page, "pemilu")  # the choice is shown again with the notice

    in_time = _file(client, "pilkada", "2029-02-09")  # 6 calendar days before today
    assert in_time.status_code == 302
    case = Case.objects.get()
    assert case.election_type == ElectionType.PILKADA
    assert case.filing_due == dt.date(2029, 2, 16)


def test_a_laporan_known_on_7_february_is_in_time_for_the_pemilu_and_late_for_the_pilkada(office, client):
    pilkada = _file(client, "pilkada", "2029-02-07")
    page = pilkada.content.decode()
    assert pilkada.status_code == 200 and 'data-testid="late-notice"' in page
    assert "Sudah lewat dari 7 hari" in page and "hari kerja" not in page.split('id="late-notice"')[1][:400]

    pemilu = _file(client, "pemilu", "2029-02-07")
    assert pemilu.status_code == 302
    case = Case.objects.get()
    assert case.election_type == ElectionType.PEMILU
    # 7 working days: 8, 9, 15, 16, 19, 20, 21 February (12-14 are holidays).
    assert case.filing_due == dt.date(2029, 2, 21)
    receipt = client.get(pemilu["Location"]).content.decode()
    assert re.search(r'data-testid="receipt-election">Pemilu \(Presiden', receipt)
    # The receipt's next step counts the Pemilu's days: no calendar date promised for the decision.
    assert "hari kerja" in receipt


def test_the_choice_is_required_and_everything_typed_comes_back(office, client):
    sent = _file(client, None, "2029-01-30")
    page = sent.content.decode()
    assert sent.status_code == 200 and not Case.objects.exists()
    assert CHOOSE in page
    # Without an election there is no clock to warn by: the choice is asked first, nothing else.
    assert 'data-testid="late-notice"' not in page
    assert "Pembagian amplop di balai desa" in page

    wrong = _file(client, "pemilu", "2029-02-09", title="")
    assert wrong.status_code == 200 and _checked(wrong.content.decode(), "pemilu")

    nonsense = _file(client, "dprd", "2029-02-09")
    assert nonsense.status_code == 200 and not Case.objects.exists()


def test_the_language_switch_keeps_the_choice(office):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/lapor/informasi/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert csrf
    switched = browser.post(
        "/lapor/informasi/",
        {
            "csrfmiddlewaretoken": csrf.group(1),
            "idempotency_key": form_key(page),
            "election_type": "pilkada",
            "title": "Spanduk di pohon",
            "language": "en",
        },
    )
    html = switched.content.decode()
    assert switched.status_code == 200 and '<html lang="en">' in html
    assert "Which election is it about?" in html and "Regional head election (Governor, Regent/Mayor)" in html
    assert _checked(html, "pilkada") and not _checked(html, "pemilu")
    assert "Choose which election it is about." not in html  # nothing checked on a switch


def test_an_informasi_awal_takes_the_chosen_election(office, client):
    page = client.get("/lapor/informasi/")
    data = {
        "idempotency_key": form_key(page),
        "title": "Spanduk calon bupati di pohon",
        "kecamatan": GONDANGLEGI,
        "desa": PUTAT_KIDUL,
        "event_date": "2029-02-10",
    }
    refused = client.post("/lapor/informasi/", data)
    assert refused.status_code == 200 and CHOOSE in refused.content.decode()
    assert client.post("/lapor/informasi/", {**data, "election_type": "pilkada"}).status_code == 302
    assert Case.objects.get().election_type == ElectionType.PILKADA


def test_with_one_election_no_question_is_asked(office, client):
    office.AWAS_ELECTION_TYPE = "pemilu"
    for path in ("/lapor/laporan/", "/lapor/informasi/", "/lapor/"):
        html = client.get(path).content.decode()
        assert 'name="election_type"' not in html and "Tentang pemilihan yang mana?" not in html, path
        assert PILKADA_LABEL not in html, path
    html = client.get("/lapor/laporan/").content.decode()
    assert 'id="late-live" hidden data-days="7" data-since="2029-02-01"' in html
    assert _file(client, None, "2029-02-07").status_code == 302
    case = Case.objects.get()
    assert case.election_type == ElectionType.PEMILU
    assert (
        'data-testid="receipt-election"'
        not in client.get(f"/lapor/terima/{case.tracking_code}/").content.decode()
    )


def test_both_elections_cost_the_filing_no_extra_query(office, client):
    """The public filing path (benchmarks/intake.py): offering the choice reads nothing more. The
    rules and holidays are read as a running server reads them, from its cache (inside the test's
    transaction nothing is cached: pinned instead)."""
    counts = {}
    for setting in ("pemilu", BOTH):
        office.AWAS_ELECTION_TYPE = setting
        page = client.get("/lapor/laporan/")
        with deadline_reference_pinned(), CaptureQueriesContext(connection) as form_page:
            client.get("/lapor/laporan/")
        data = laporan_data(
            form_key(page), event_date="2029-02-07", known_date="2029-02-07", election_type="pemilu"
        )
        with deadline_reference_pinned(), CaptureQueriesContext(connection) as filing:
            assert client.post("/lapor/laporan/", data).status_code == 302
        counts[setting] = (len(form_page), len(filing))
    assert counts[BOTH] == counts["pemilu"]


def test_the_desk_form_starts_from_no_election_while_the_office_handles_both(office, make_user):
    staff = verified_client(make_user(Role.STAF_PP, KAB_MALANG))
    html = staff.get("/perkara/laporan-baru/").content.decode()
    select = re.search(r'<select name="election_type"[^>]*>.*?</select>', html, re.S)
    assert select and '<option value="" selected>— pilih pemilihan —</option>' in select.group(0)


@pytest.mark.parametrize(
    ("value", "starts"),
    [("pemilu,pilkada", True), (" Pilkada , PEMILU ", True), ("pemilu,dprd", False), ("", False)],
)
def test_any_other_setting_stops_awas_from_starting(value, starts):
    env = {**os.environ, "AWAS_ELECTION_TYPE": value, "DJANGO_SETTINGS_MODULE": "awas.settings"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode == 0) is starts, done.stderr[-500:]
    if not starts:
        assert "AWAS_ELECTION_TYPE must be 'pilkada', 'pemilu' or both" in done.stderr
