"""Related cases: same terlapor, same place within days, similar account; each with its reasons."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from awas.cases.models import Case
from awas.cases.selectors import related_candidates, related_for_page
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (  # noqa: F401 (_quick_argon2 is an autouse fixture)
    ALL_MET,
    _quick_argon2,
    another_desa,
    record_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL, verified_client
from awas.core.roles import Role

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def staf(malang, make_user):
    return make_user(Role.STAF_PP, KAB_MALANG, username="staf")


def report(staf, region, *, days_ago=0, event_days_ago=None, **fields):
    defaults: dict[str, Any] = {
        "title": "Laporan",
        "chronology": "",
        "terlapor_name": "",
        "terlapor_position": "",
        "event_date": TODAY - dt.timedelta(days=event_days_ago if event_days_ago is not None else days_ago),
        "known_date": None,
    }
    defaults.update(fields)
    received = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10)))
    return record_laporan(staf, region, evidence=[], witnesses=0, received_at=received, **defaults)


def signals_for(case, candidates):
    return next((c.signals for c in candidates if c.case.pk == case.pk), None)


def test_same_terlapor_by_name_even_with_titles_and_typos(staf):
    case = report(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", title="A")
    titled = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="H. Sutrisno, S.Pd.", title="B")
    typo = report(staf, another_desa(KEPANJEN), days_ago=40, terlapor_name="Sutrisna", title="C")
    other = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Wahyudi", title="D")
    found = related_candidates(case)
    assert signals_for(titled, found) == ["terlapor"]
    assert signals_for(typo, found) == ["terlapor"]
    assert signals_for(other, found) is None
    reasons = next(c.reasons for c in found if c.case.pk == titled.pk)
    with translation.override("id"):
        assert reasons == ["terlapor sama (kemiripan nama 100%)"]


def test_same_place_within_seven_days(staf):
    case = report(staf, PUTAT_KIDUL, title="Pembagian sembako")
    same_desa = report(staf, PUTAT_KIDUL, days_ago=3, title="Baliho rusak")
    same_kecamatan = report(
        staf, another_desa(GONDANGLEGI, but=PUTAT_KIDUL), days_ago=7, title="Kampanye di masjid"
    )
    too_far_in_time = report(staf, PUTAT_KIDUL, days_ago=20, title="Rapat kades")
    elsewhere = report(staf, another_desa(KEPANJEN), days_ago=1, title="Perusakan APK")
    found = related_candidates(case)
    assert signals_for(same_desa, found) == ["desa"]
    assert signals_for(same_kecamatan, found) == ["kecamatan"]
    assert signals_for(too_far_in_time, found) is None
    assert signals_for(elsewhere, found) is None
    with translation.override("en"):
        assert related_candidates(case)[0].reasons == ["same place, 3 days apart"]


def test_the_reason_counts_days_in_words_that_read_right(staf):
    # It said "same place, 0 day(s) apart" for two events on one day.
    case = report(staf, PUTAT_KIDUL, title="Pembagian sembako")
    same_day = report(staf, PUTAT_KIDUL, title="Baliho rusak")
    day_before = report(staf, another_desa(GONDANGLEGI, but=PUTAT_KIDUL), days_ago=1, title="Kampanye")
    found = related_candidates(case)
    reasons = {c.case.pk: c.reasons for c in found}
    assert reasons[same_day.pk] == ["tempat sama, pada hari yang sama"]
    assert reasons[day_before.pk] == ["kecamatan sama, selisih 1 hari"]
    with translation.override("en"):
        reasons = {c.case.pk: c.reasons for c in related_candidates(case)}
    assert reasons[same_day.pk] == ["same place, the same day"]
    assert reasons[day_before.pk] == ["same kecamatan, 1 day apart"]


def test_similar_account_of_events(staf):
    case = report(
        staf,
        PUTAT_KIDUL,
        title="Pembagian amplop uang oleh kades",
        chronology=(
            "Sabtu malam kades Putat Kidul bagi-bagi amplop isi uang 50 ribu ke warga RT 3, "
            "minta pilih paslon 02."
        ),
    )
    paraphrase = report(
        staf,
        another_desa(KEPANJEN),
        days_ago=60,
        title="Kepala desa membagikan uang kepada warga",
        chronology=(
            "Pada hari Sabtu malam, kepala desa Putat Kidul membagikan amplop berisi uang Rp50.000 kepada "
            "warga RT 03 dan meminta memilih paslon nomor 2."
        ),
    )
    unrelated = report(
        staf,
        another_desa(KEPANJEN),
        days_ago=60,
        title="Guru PNS unggah foto dengan cabup",
        chronology="Guru berstatus PNS posting foto bareng calon bupati pakai pose dua jari di Facebook.",
    )
    found = related_candidates(case)
    assert signals_for(paraphrase, found) == ["text"]
    assert signals_for(unrelated, found) is None


def test_strongest_first_and_linked_or_merged_cases_left_out(staf):
    case = report(staf, PUTAT_KIDUL, terlapor_name="Sutrisno", title="Satu")
    linked = report(staf, PUTAT_KIDUL, days_ago=1, terlapor_name="Sutrisno", title="Dua")
    duplicate = report(staf, PUTAT_KIDUL, days_ago=-1, terlapor_name="Sutrisno", title="Tiga")
    name_only = report(staf, another_desa(KEPANJEN), days_ago=50, terlapor_name="Sutrisno", title="Empat")
    found = related_candidates(case)
    assert {c.case.pk for c in found[:2]} == {linked.pk, duplicate.pk}  # name and place
    assert found[2].case.pk == name_only.pk  # name only

    workflow.case_link(case=case, other=linked, actor=staf)
    workflow.requirements_check(case=case, checks=ALL_MET, actor=staf)  # only a registered case takes one in
    kept = workflow.case_merge(case=duplicate, other=case, reason="Peristiwa sama.", actor=staf)
    assert kept.pk == case.pk
    assert [c.case.pk for c in related_candidates(case)] == [name_only.pk]


def test_candidates_only_from_what_the_user_may_see(staf, make_user):
    case = report(staf, PUTAT_KIDUL, terlapor_name="Sutrisno")
    report(staf, another_desa(KEPANJEN), days_ago=2, terlapor_name="Sutrisno")
    panwascam = make_user(Role.PANWASCAM, GONDANGLEGI, username="pcam")
    assert related_candidates(case, within=Case.objects.visible_to(panwascam)) == []
    assert len(related_candidates(case)) == 1


def test_what_a_terlapor_is_does_not_make_two_the_same(staf):
    case = report(staf, PUTAT_KIDUL, terlapor_name="Tim Sukses Paslon 01", title="A")
    rival = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Tim Sukses Paslon 02", title="B")
    same = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Timses paslon 01", title="C")
    found = related_candidates(case)
    assert signals_for(rival, found) is None
    assert signals_for(same, found) == ["terlapor"]

    unknown = report(staf, PUTAT_KIDUL, terlapor_name="Tidak diketahui", title="D")
    other_unknown = report(
        staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Tidak diketahui", title="E"
    )
    assert signals_for(other_unknown, related_candidates(unknown)) is None

    rizki = report(staf, PUTAT_KIDUL, terlapor_name="Muhammad Rizki", title="F")
    rizal = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Muhammad Rizal", title="G")
    asn = report(
        staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Oknum ASN Dinas Pendidikan", title="H"
    )
    found = related_candidates(rizki)
    assert signals_for(rizal, found) is None and signals_for(asn, found) is None


def test_numbers_are_compared_as_numbers_and_a_name_of_common_parts_as_it_is(staf):
    case = report(staf, PUTAT_KIDUL, terlapor_name="Paslon 01", title="A")
    same = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Paslon nomor urut 1", title="B")
    assert signals_for(same, related_candidates(case)) == ["terlapor"]

    siti = report(staf, PUTAT_KIDUL, terlapor_name="Siti Nur", title="C")
    same_siti = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Hj. Siti Nur", title="D")
    assert signals_for(same_siti, related_candidates(siti)) == ["terlapor"]


def test_old_spelling_and_the_office_named_instead_of_the_person(staf):
    """Two pelapor report the same kepala desa: one writes "Kades Putat Kidul", the other his
    name in the old spelling with the office as position; a third the name as spelt today. The
    officer sees each of them as the same terlapor, and why."""
    case = report(staf, PUTAT_KIDUL, terlapor_name="Kades Putat Kidul", title="A")
    named = report(
        staf,
        another_desa(KEPANJEN),
        days_ago=30,
        terlapor_name="Bapak Soetrisno",
        terlapor_position="Kepala Desa Putat Kidul",
        title="B",
    )
    today_spelling = report(staf, another_desa(KEPANJEN), days_ago=40, terlapor_name="Sutrisno", title="C")
    found = related_candidates(case)
    assert signals_for(named, found) == ["terlapor"]
    assert signals_for(today_spelling, found) is None  # "Sutrisno" alone says nothing of Putat Kidul
    with translation.override("id"):
        reasons = next(c.reasons for c in related_candidates(case) if c.case.pk == named.pk)
        assert reasons == ["terlapor sama (kemiripan nama dan jabatan 100%)"]
    assert signals_for(named, related_candidates(today_spelling)) == ["terlapor"]  # Soetrisno is Sutrisno
    djoko = report(staf, PUTAT_KIDUL, terlapor_name="Djoko Santoso", title="D")
    joko = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Joko Santoso", title="E")
    assert signals_for(joko, related_candidates(djoko)) == ["terlapor"]

    page = verified_client(staf).get(reverse("cases:related", args=[case.pk])).content.decode()
    assert "Bapak Soetrisno (Kepala Desa Putat Kidul)" in page
    assert "terlapor sama (kemiripan nama dan jabatan 100%)" in page


def test_two_people_holding_the_same_kind_of_post_stay_two(staf):
    """Two teachers of one school, each named: the school they share does not make them one
    terlapor (only a report naming no one but the post is matched by the post)."""
    case = report(
        staf, PUTAT_KIDUL, terlapor_name="Budi Hartono", terlapor_position="Guru SDN 1 Kepanjen", title="A"
    )
    colleague = report(
        staf,
        another_desa(KEPANJEN),
        days_ago=30,
        terlapor_name="Ani Lestari",
        terlapor_position="Guru SDN 1 Kepanjen",
    )
    other_school = report(
        staf,
        another_desa(KEPANJEN),
        days_ago=30,
        terlapor_name="Budi Hartono",
        terlapor_position="Guru SDN 2 Kepanjen",
    )
    found = related_candidates(case)
    assert signals_for(colleague, found) is None
    assert signals_for(other_school, found) == ["terlapor"]  # the same name: the officer decides


def test_two_reports_naming_only_the_kecamatan_are_not_the_same_place(staf):
    """Two reports of the same week that give only the kecamatan (no desa) share the kecamatan,
    not a place: the officer reads "kecamatan sama", and the case page does not put one before
    the other unasked; the same desa stays "tempat sama"."""
    case = report(staf, GONDANGLEGI, terlapor_name="Wahyudi", title="Baliho di jembatan")
    other = report(staf, GONDANGLEGI, days_ago=1, terlapor_name="Sunarti", title="Politik uang di pasar")
    found = related_candidates(case)
    assert signals_for(other, found) == ["kecamatan"]
    with translation.override("id"):
        reasons = next(c.reasons for c in related_candidates(case) if c.case.pk == other.pk)
        assert reasons == ["kecamatan sama, selisih 1 hari"]
    assert related_for_page(staf, case) == []

    in_desa = report(staf, PUTAT_KIDUL, terlapor_name="Wahyudi", title="Baliho di jembatan")
    same_desa = report(staf, PUTAT_KIDUL, days_ago=1, terlapor_name="Sunarti", title="Politik uang di pasar")
    assert signals_for(same_desa, related_candidates(in_desa)) == ["desa"]


def test_a_common_name_part_in_the_old_spelling_is_still_common(staf):
    """ "Achmad" is the old spelling of "Ahmad", a name part shared by too many to tell anyone
    apart: "Achmad Hadi" and "Achmad Hari" are two terlapor, as "Ahmad Hadi" and "Ahmad Hari" are,
    while "H. Achmad Hadi" is still found as "Ahmad Hadi"."""
    case = report(staf, PUTAT_KIDUL, terlapor_name="Achmad Hadi", title="A")
    other = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="Achmad Hari", title="B")
    same = report(staf, another_desa(KEPANJEN), days_ago=30, terlapor_name="H. Ahmad Hadi", title="C")
    found = related_candidates(case)
    assert signals_for(other, found) is None
    assert signals_for(same, found) == ["terlapor"]
