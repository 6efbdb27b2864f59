"""The staff lists as the office uses them: the terlapor filter by words, the day received, the
order, the export's empty cells, the reminders' "mark all as read", and pages that fit a phone."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awas.cases.formatting import today_local
from awas.cases.models import Case, Reminder
from awas.cases.services.reminders import reminders_create
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    _quick_argon2,
    record_laporan,
)
from awas.conftest import KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.roles import Role
from awas.core.services.deadlines import office_timezone


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def _titles(client, **params):
    """The titles the case list shows for ``params``, in the list's order."""
    page = client.get(reverse("cases:list"), params).content.decode()
    return re.findall(r'<td data-label="[^"]*">([^<]*)</td>', page.split("<tbody>", 1)[1])


def _export_titles(client, **params):
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:export"), params).content))["Perkara"]
    header = [cell.value for cell in sheet[1]]
    return [row[header.index("Peristiwa")] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_terlapor_filter_finds_every_word_of_the_name_in_any_order(staf):
    for title, name in (
        ("Amplop", "H. Bambang Sugiarto"),
        ("Baliho", "Drs. Hartono"),
        ("Ibadah", "Sutrisno"),
    ):
        record_laporan(staf, PUTAT_KIDUL, evidence=[], title=title, terlapor_name=name)
    client = verified_client(staf)

    assert _titles(client, terlapor="h bambang") == ["Amplop"]  # without the "H." as written
    assert _titles(client, terlapor="Sugiarto  Bambang") == ["Amplop"]
    assert _titles(client, terlapor="Hartono, Drs.") == ["Baliho"]
    assert _titles(client, terlapor="SUTRISNO") == ["Ibadah"]
    assert _titles(client, terlapor="bambang hartono") == []  # every word, of one terlapor
    assert _export_titles(client, terlapor="h bambang") == ["Amplop"]


def _received(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=office_timezone())


def test_the_list_filters_by_the_day_received_in_office_time(staf):
    day = today_local() - dt.timedelta(days=3)
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Malam", received_at=_received(day, 23, 30))
    # 00.30 WIB is still the day before in UTC: it is counted on the office's day.
    record_laporan(
        staf,
        PUTAT_KIDUL,
        evidence=[],
        title="Dini hari",
        received_at=_received(day + dt.timedelta(days=1), 0, 30),
    )
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Hari ini")
    client = verified_client(staf)
    next_day = (day + dt.timedelta(days=1)).isoformat()

    assert _titles(client, received_from=next_day, received_to=next_day) == ["Dini hari"]
    assert _titles(client, received_to=day.isoformat()) == ["Malam"]
    assert _titles(client, received_from=next_day) == ["Hari ini", "Dini hari"]
    assert _export_titles(client, received_from=day.isoformat(), received_to=next_day) == [
        "Dini hari",
        "Malam",
    ]
    about = load_workbook(
        io.BytesIO(client.get(reverse("cases:export"), {"received_from": next_day}).content)
    )["Keterangan"]
    filters = {row[0]: row[1] for row in about.iter_rows(values_only=True)}["Filter"]
    assert filters == f"Diterima sejak: {(day + dt.timedelta(days=1)):%d/%m/%Y}"

    # Typed the wrong way round: said so, and the end is not applied (nor exported).
    reversed_range = {"received_from": next_day, "received_to": day.isoformat()}
    page = client.get(reverse("cases:list"), reversed_range).content.decode()
    assert "sebelum tanggal" in page and 'data-testid="filter-errors"' in page
    assert _titles(client, **reversed_range) == ["Hari ini", "Dini hari"]
    assert client.get(reverse("cases:export"), reversed_range).status_code == 302
    # The last day a date field takes is not an error (nor a crash).
    assert len(_titles(client, received_to="9999-12-31")) == 3


def test_the_list_and_its_export_sort_by_the_running_deadline_or_the_oldest_first(staf):
    now = today_local()
    record_laporan(
        staf, PUTAT_KIDUL, evidence=[], title="Kemarin", received_at=_received(now - dt.timedelta(days=1), 9)
    )
    record_laporan(
        staf, PUTAT_KIDUL, evidence=[], title="Lalu", received_at=_received(now - dt.timedelta(days=2), 9)
    )
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Baru")
    Case.objects.filter(title="Kemarin").update(decision_due=now + dt.timedelta(days=9))
    client = verified_client(staf)

    assert _titles(client) == ["Baru", "Kemarin", "Lalu"]
    assert _titles(client, order="oldest") == ["Lalu", "Kemarin", "Baru"]
    assert _titles(client, order="deadline") == ["Lalu", "Baru", "Kemarin"]
    assert _export_titles(client, order="deadline") == ["Lalu", "Baru", "Kemarin"]
    # The order is kept on the next page.
    page = client.get(reverse("cases:list"), {"order": "oldest", "page": "1"}).content.decode()
    assert 'value="oldest" selected' in page


def test_the_export_leaves_a_cell_with_nothing_in_it_empty(staf):
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Belum diputus", terlapor_position="")
    sheet = load_workbook(io.BytesIO(verified_client(staf).get(reverse("cases:export")).content))["Perkara"]
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, sheet[2], strict=True))
    # Not an empty text: Excel would count it in COUNTA and not list it under "(Blanks)".
    for title in ("Jabatan terlapor", "Putusan pleno", "Diteruskan kepada", "Surat penerusan", "Sanksi"):
        assert row[title].value is None and row[title].data_type == "n", title


def test_the_search_says_what_it_searches_and_one_page_has_no_page_links(staf):
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    client = verified_client(staf)
    page = client.get(reverse("cases:list")).content.decode()
    assert 'id="id_q_helptext"' in page and "kode pelacakan" in page
    for name in ("cases:list", "cases:at_risk", "cases:follow_ups", "cases:reminders"):
        assert "Halaman 1 dari 1" not in client.get(reverse(name)).content.decode(), name


@pytest.mark.parametrize("name", ["cases:list", "cases:at_risk", "cases:follow_ups", "cases:reminders"])
def test_the_tables_of_the_lists_scroll_on_their_own_on_a_phone(staf, name):
    """A wide table scrolls inside its box (``.table-wrap``): the page itself stays 390 px wide."""
    record_laporan(
        staf, PUTAT_KIDUL, evidence=[], received_at=_received(today_local() - dt.timedelta(days=3), 9)
    )
    reminders_create()
    page = verified_client(staf).get(reverse(name)).content.decode()
    assert page.count("<table") == page.count('<div class="table-wrap">\n<table') > 0


def _reminded(staf, count):
    for n in range(count):
        received = _received(today_local() - dt.timedelta(days=3), 9, n)
        record_laporan(staf, PUTAT_KIDUL, evidence=[], title=f"Kasus {n}", received_at=received)
    reminders_create()
    return Reminder.objects.filter(user=staf)


def test_every_reminder_is_marked_read_at_once(staf, make_user):
    reminders = _reminded(staf, 3)
    panwascam = make_user(Role.PANWASCAM, "35.07.10", username="pw")
    reminders_create()
    client = verified_client(staf)
    page = client.get(reverse("cases:reminders")).content.decode()
    assert 'data-testid="read-all"' in page

    response = client.post(reverse("cases:reminders_read_all"), follow=True)
    assert not reminders.filter(read_at__isnull=True).exists()
    assert Reminder.objects.filter(user=panwascam, read_at__isnull=True).count() == 3  # only one's own
    assert "3 pengingat ditandai sudah dibaca" in response.content.decode()
    assert 'data-testid="read-all"' not in response.content.decode()


def test_marking_one_reminder_read_goes_back_to_its_page(staf, monkeypatch):
    from awas.cases import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    reminders = _reminded(staf, 3)
    client = verified_client(staf)
    last = client.get(reverse("cases:reminders"), {"page": 2}).content.decode()
    (pk,) = re.findall(r'action="/perkara/pengingat/(\d+)/dibaca/"', last)
    response = client.post(reverse("cases:reminder_read", args=[pk]), {"page": "2"})
    assert response["Location"] == f"{reverse('cases:reminders')}?page=2"
    assert reminders.get(pk=pk).read_at is not None


def test_a_role_that_is_never_reminded_is_told_where_to_look(staf, make_user):
    _reminded(staf, 1)
    pkd = make_user(Role.PKD, PUTAT_KIDUL, username="pkd")
    page = verified_client(pkd).get(reverse("cases:reminders")).content.decode()
    assert 'data-testid="no-reminders"' in page
    assert "tidak menerima pengingat" in page and reverse("cases:at_risk") in page
    page = verified_client(staf).get(reverse("cases:reminders")).content.decode()
    assert "tidak menerima pengingat" not in page


def test_a_user_of_one_kecamatan_or_less_is_not_offered_a_kecamatan_to_choose(staf, make_user):
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    for role, scope in ((Role.PANWASCAM, "35.07.10"), (Role.PKD, PUTAT_KIDUL)):
        client = verified_client(make_user(role, scope, username=role))
        page = client.get(reverse("cases:list")).content.decode()
        assert '<select name="kecamatan"' not in page and 'for="id_kecamatan"' not in page, role
        # A link made for another kecamatan says so, and the next filtering drops it.
        page = client.get(reverse("cases:list"), {"kecamatan": "35.07.13"}).content.decode()
        assert 'data-testid="filter-errors"' in page and 'value="35.07.13"' not in page, role
        assert _titles(client, kecamatan="35.07.10") == ["Amplop"], role
    page = verified_client(staf).get(reverse("cases:list")).content.decode()
    assert '<select name="kecamatan"' in page


def test_the_at_risk_page_says_a_working_day_clock_is_listed_by_the_next_working_day(staf):
    page = verified_client(staf).get(reverse("cases:at_risk")).content.decode()
    assert "pada hari kerja berikutnya" in page and "hari Jumat sebelumnya" in page


@pytest.mark.parametrize("name", ["q", "terlapor"])
def test_a_search_pasted_far_too_long_is_said_so_and_the_other_filters_still_apply(staf, name):
    """A whole page pasted into the search (a thousand words) was a server error: the database
    cannot hold a thousand conditions. It is now a field error like any other bad filter."""
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    client = verified_client(staf)
    pasted = " ".join(f"kata{n}" for n in range(1000))
    response = client.get(reverse("cases:list"), {name: pasted, "kind": "laporan"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="filter-errors"' in page and "paling banyak 200 karakter" in page
    assert "1 perkara" in page  # the kind still applies
    export = client.get(reverse("cases:export"), {name: pasted})
    assert export.status_code == 302  # no file with fewer filters than asked for


def test_the_list_and_its_export_filter_by_the_election(staf):
    """An office handling a Pilkada and a Pemilu at once lists the cases of one election."""
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Pilkada", election_type="pilkada")
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Pemilu", election_type="pemilu")
    client = verified_client(staf)
    assert sorted(_titles(client)) == ["Pemilu", "Pilkada"]
    assert _titles(client, election_type="pemilu") == ["Pemilu"]
    assert _titles(client, election_type="pilkada", q="Pilkada") == ["Pilkada"]
    assert _export_titles(client, election_type="pemilu") == ["Pemilu"]
    book = load_workbook(io.BytesIO(client.get(reverse("cases:export"), {"election_type": "pemilu"}).content))
    about = dict(book["Keterangan"].iter_rows(values_only=True))
    assert about["Filter"] == "Pemilihan: Pemilu (pemilihan umum)"
    page = client.get(reverse("cases:list"), {"election_type": "pilpres"}).content.decode()
    assert 'data-testid="filter-errors"' in page and sorted(_titles(client, election_type="pilpres")) == [
        "Pemilu",
        "Pilkada",
    ]


def test_the_export_names_its_filters_in_indonesian_for_a_user_reading_in_english(staf):
    """The workbook is the office's report, in Indonesian: its note of the filters was in the
    page's language ("Status: Received" beside a Status column reading "Diterima")."""
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    client = verified_client(staf)
    client.cookies["django_language"] = "en"
    params = {"status": "diterima", "deadline": "overdue", "order": "oldest", "received_from": "2026-11-10"}
    book = load_workbook(io.BytesIO(client.get(reverse("cases:export"), params).content))
    about = dict(book["Keterangan"].iter_rows(values_only=True))
    assert about["Filter"] == (
        "Status: Diterima; Tenggat: Lewat tenggat; Diterima sejak: 10/11/2026; Urutan: Terlama diterima dulu"
    )


@pytest.mark.parametrize("role", [Role.PKD, Role.PTPS])
def test_a_link_for_the_kecamatan_a_desa_supervisor_works_in_is_not_an_error_to_them(staf, make_user, role):
    """A list of Gondanglegi's overdue cases sent to its PKD and PTPS (a link made by the office)
    shows them their own cases and exports, instead of calling Gondanglegi not one of the choices."""
    user = make_user(role, PUTAT_KIDUL, username=role, tps_number=1 if role == Role.PTPS else None)
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop", tps=user.scope_tps)
    client = verified_client(user)
    page = client.get(reverse("cases:list"), {"kecamatan": "35.07.10"}).content.decode()
    assert 'data-testid="filter-errors"' not in page and _titles(client, kecamatan="35.07.10") == ["Amplop"]
    assert '<select name="kecamatan"' not in page  # still nothing to choose
    assert client.get(reverse("cases:export"), {"kecamatan": "35.07.10"}).status_code == 200
    page = client.get(reverse("cases:list"), {"kecamatan": "35.07.13"}).content.decode()
    assert 'data-testid="filter-errors"' in page  # another kecamatan is still said to be wrong


def test_the_export_says_whose_area_it_covers(staf, make_user):
    """A Panwascam's workbook holds Gondanglegi's cases only: forwarded to the office, its note
    said 'Filter: -' as if it were every case of the kabupaten."""
    record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    users = {
        "Kabupaten Malang": staf,
        "Kecamatan Gondanglegi": make_user(Role.PANWASCAM, "35.07.10", username="pcam"),
        "Putat Kidul, Kecamatan Gondanglegi": make_user(Role.PKD, PUTAT_KIDUL, username="pkd"),
        "TPS 001 Putat Kidul, Kecamatan Gondanglegi": make_user(
            Role.PTPS, PUTAT_KIDUL, username="ptps", tps_number=1
        ),
    }
    for area, user in users.items():
        book = load_workbook(io.BytesIO(verified_client(user).get(reverse("cases:export")).content))
        about = dict(book["Keterangan"].iter_rows(values_only=True))
        assert about["Wilayah"] == area, user.role


def test_a_pkd_s_export_names_each_case_as_its_list_does(staf, make_user):
    """Without the tracking code (the pelapor's key) a laporan not yet registered had no number
    in a PKD's workbook at all; the list and the case page call it #12, and so does the export."""
    case = record_laporan(staf, PUTAT_KIDUL, evidence=[], title="Amplop")
    client = verified_client(make_user(Role.PKD, PUTAT_KIDUL, username="pkd"))
    assert f">#{case.pk}</a>" in client.get(reverse("cases:list")).content.decode()
    sheet = load_workbook(io.BytesIO(client.get(reverse("cases:export")).content))["Perkara"]
    header, row = ([cell.value for cell in line] for line in sheet.iter_rows(max_row=2))
    assert row[header.index("Nomor catatan")] == f"#{case.pk}"
    assert row[header.index("Kode pelacakan")] is None
