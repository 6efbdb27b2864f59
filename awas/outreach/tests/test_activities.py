"""Recording prevention activities: planning everywhere at once, scope, files refused by content,
the calendar, patrol findings for a Form A."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from awas.cases.formatting import today_local
from awas.conftest import GONDANGLEGI, KAB_MALANG, KEPANJEN, PUTAT_KIDUL
from awas.core.models import AuditEntry, EvidenceFile
from awas.core.roles import Level
from awas.outreach import services
from awas.outreach.models import (
    Activity,
    ActivityEvidence,
    ActivityKind,
    ActivityStatus,
    Institution,
    Patrol,
    PatrolParticipant,
    SchoolProgramme,
)
from awas.outreach.tests.conftest import KEPANJEN_DESA, in_indonesian, png_bytes
from awas.regions.models import Region, Tps

# --- plan in all 33 kecamatan at once ------------------------------------------------------------


def test_plan_in_all_33_kecamatan_at_once_creates_33_planned_activities(staf_client):
    page = staf_client.get("/pencegahan/kegiatan/rencana-serentak/")
    ticked = re.findall(r'name="kecamatan" value="([\d.]+)"[^>]*checked', page.content.decode())
    assert len(ticked) == 33, "every kecamatan is ticked at first"

    day = today_local() + dt.timedelta(days=14)
    response = staf_client.post(
        "/pencegahan/kegiatan/rencana-serentak/",
        {
            "title": "Sosialisasi netralitas ASN",
            "mode": "formal",
            "planned_date": day.isoformat(),
            "venue": "Kantor Kecamatan",
            "kecamatan": ticked,
        },
    )

    assert response.status_code == 302
    planned = Activity.objects.filter(kind=ActivityKind.SOSIALISASI)
    assert planned.count() == 33
    assert set(planned.values_list("status", flat=True)) == {ActivityStatus.PLANNED}
    assert set(planned.values_list("planned_date", flat=True)) == {day}
    kecamatan = set(Region.objects.filter(level=Level.KECAMATAN).values_list("code", flat=True))
    assert set(planned.values_list("region_id", flat=True)) == kecamatan
    assert AuditEntry.objects.filter(action="outreach.activity_created").count() == 33


def test_plan_everywhere_only_in_the_chosen_kecamatan(staf_client):
    response = staf_client.post(
        "/pencegahan/kegiatan/rencana-serentak/",
        {
            "title": "Sosialisasi",
            "mode": "informal",
            "planned_date": "2026-12-01",
            "kecamatan": [GONDANGLEGI, KEPANJEN],
        },
    )
    assert response.status_code == 302
    assert sorted(Activity.objects.values_list("region_id", flat=True)) == [GONDANGLEGI, KEPANJEN]


def test_panwascam_cannot_plan_everywhere(panwascam_client):
    assert panwascam_client.get("/pencegahan/kegiatan/rencana-serentak/").status_code == 403


# --- recording one activity -----------------------------------------------------------------------


def test_school_programme_is_recorded_with_its_details(staf_client):
    done = today_local() - dt.timedelta(days=3)
    response = staf_client.post(
        "/pencegahan/kegiatan/baru/?jenis=sekolah",
        {
            "title": "Pendidikan pemilih pemula",
            "region": KEPANJEN_DESA,
            "planned_date": done.isoformat(),
            "status": ActivityStatus.DONE,
            "done_date": done.isoformat(),
            "attendance": "120",
            "school_name": "SMAN 1 Kepanjen",
            "school_type": "SMA",
            "lesson_hours": "2",
            "students_reached": "118",
            "attendees": "Guru PKn\nKepala Sekolah",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert (activity.kind, activity.status, activity.done_date, activity.attendance) == (
        ActivityKind.SCHOOL,
        ActivityStatus.DONE,
        done,
        120,
    )
    school = SchoolProgramme.objects.get(activity=activity)
    assert (school.school_name, school.school_type, school.lesson_hours, school.students_reached) == (
        "SMAN 1 Kepanjen",
        "SMA",
        2,
        118,
    )
    # Attendee names are personal data: masked in the audit log.
    entry = AuditEntry.objects.get(action="outreach.activity_created")
    assert "Kepala Sekolah" not in str(entry.after)


def test_three_lesson_hours_are_refused(staf_client):
    response = staf_client.post(
        "/pencegahan/kegiatan/baru/?jenis=sekolah",
        {
            "title": "Pendidikan pemilih",
            "region": KEPANJEN_DESA,
            "planned_date": "2026-12-01",
            "status": ActivityStatus.PLANNED,
            "school_name": "MA Al-Hikmah",
            "school_type": "MA",
            "lesson_hours": "3",
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_done_needs_a_date(staf, malang):
    data = services.ActivityData(
        kind=ActivityKind.SOSIALISASI,
        title="Sosialisasi",
        region=Region.objects.get(code=KEPANJEN),
        planned_date=dt.date(2026, 11, 1),
        status=ActivityStatus.DONE,
    )
    with pytest.raises(ValidationError):
        services.activity_create(actor=staf, data=data)
    assert not Activity.objects.exists()


def test_marking_done_and_cancelled(staf_client, make_activity):
    activity = make_activity(KEPANJEN, today_local())
    url = f"/pencegahan/kegiatan/{activity.pk}/status/"

    response = staf_client.post(url, {"status": ActivityStatus.CANCELLED})
    assert response.status_code == 400  # a cancellation needs its reason
    response = staf_client.post(
        url, {"status": ActivityStatus.DONE, "done_date": today_local().isoformat(), "attendance": "45"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.done_date, activity.attendance) == (
        ActivityStatus.DONE,
        today_local(),
        45,
    )


# --- files refused by content -------------------------------------------------------------------


def test_a_program_sent_as_a_photo_is_refused_and_the_form_comes_back_as_typed(staf_client):
    program = SimpleUploadedFile(
        "foto_kegiatan.jpg", b"\x7fELF\x02\x01\x01\x00" + bytes(64), content_type="image/jpeg"
    )
    response = staf_client.post(
        "/pencegahan/kegiatan/baru/?jenis=sosialisasi",
        {
            "title": "Sosialisasi tolak politik uang di Balai Desa",
            "region": PUTAT_KIDUL,
            "mode": "informal",
            "venue": "Balai Desa Putat Kidul",
            "planned_date": "2026-12-03",
            "status": ActivityStatus.PLANNED,
            "notes": "Bersama karang taruna",
            "photos": [program],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "foto_kegiatan.jpg" in page
    assert in_indonesian("Programs and scripts are not accepted as evidence.") in page
    # What was typed is still there.
    assert 'value="Sosialisasi tolak politik uang di Balai Desa"' in page
    assert 'value="Balai Desa Putat Kidul"' in page
    assert "Bersama karang taruna" in page
    assert re.search(rf'<option value="{re.escape(PUTAT_KIDUL)}" selected>', page)
    assert not Activity.objects.exists()
    assert not EvidenceFile.objects.exists()


def test_a_web_page_added_later_is_refused_with_the_reason(staf_client, make_activity):
    activity = make_activity(KEPANJEN, today_local())
    page_file = SimpleUploadedFile("materi.pdf", b"<html><script>alert(1)</script></html>")
    response = staf_client.post(
        f"/pencegahan/kegiatan/{activity.pk}/berkas/",
        {"role": "materi", "description": "Bahan paparan", "attachments": [page_file]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "materi.pdf" in page
    assert 'value="Bahan paparan"' in page
    assert not ActivityEvidence.objects.exists()


def test_photos_are_kept_in_the_evidence_store_and_served_in_scope(
    staf_client, panwascam_client, make_activity
):
    activity = make_activity(KEPANJEN, today_local())
    photo = SimpleUploadedFile("dokumentasi.png", png_bytes(), content_type="image/png")
    response = staf_client.post(
        f"/pencegahan/kegiatan/{activity.pk}/berkas/", {"role": "foto", "attachments": [photo]}
    )
    assert response.status_code == 302
    link = ActivityEvidence.objects.get()
    assert link.evidence.content_type == "image/png"
    assert staf_client.get(f"/pencegahan/berkas/{link.pk}/").status_code == 200
    # Kepanjen's file is not Gondanglegi's business.
    assert panwascam_client.get(f"/pencegahan/berkas/{link.pk}/").status_code == 404


# --- scope --------------------------------------------------------------------------------------


def test_a_panwascam_of_gondanglegi_sees_only_gondanglegi_activities(panwascam_client, make_activity):
    day = today_local()
    ours = make_activity(PUTAT_KIDUL, day, title="Patroli Putat Kidul")
    kecamatan = make_activity(GONDANGLEGI, day, title="Sosialisasi Kecamatan Gondanglegi")
    theirs = make_activity(KEPANJEN, day, title="Sosialisasi Kepanjen")
    regency = make_activity(KAB_MALANG, day, title="Imbauan untuk Bupati", kind=ActivityKind.IMBAUAN)

    listing = panwascam_client.get("/pencegahan/?dari=2000-01-01&sampai=2100-01-01").content.decode()
    assert ours.title in listing and kecamatan.title in listing
    assert theirs.title not in listing and regency.title not in listing

    month = f"{day:%Y-%m}"
    calendar = panwascam_client.get(f"/pencegahan/kalender/?bulan={month}").content.decode()
    assert ours.title in calendar and theirs.title not in calendar

    assert panwascam_client.get(f"/pencegahan/kegiatan/{ours.pk}/").status_code == 200
    assert panwascam_client.get(f"/pencegahan/kegiatan/{theirs.pk}/").status_code == 404
    assert panwascam_client.get(f"/pencegahan/kegiatan/{theirs.pk}/ubah/").status_code == 404
    assert (
        panwascam_client.post(f"/pencegahan/kegiatan/{theirs.pk}/status/", {"status": "batal"}).status_code
        == 404
    )


def test_a_panwascam_records_only_in_its_kecamatan(panwascam_client, panwascam):
    form = panwascam_client.get("/pencegahan/kegiatan/baru/?jenis=sosialisasi").content.decode()
    assert f'value="{PUTAT_KIDUL}"' in form
    assert f'value="{KEPANJEN_DESA}"' not in form

    response = panwascam_client.post(
        "/pencegahan/kegiatan/baru/?jenis=sosialisasi",
        {
            "title": "Sosialisasi",
            "region": KEPANJEN_DESA,
            "mode": "formal",
            "planned_date": "2026-12-01",
            "status": "rencana",
        },
    )
    assert response.status_code == 200
    assert not Activity.objects.exists()
    # The service checks the place too, whoever calls it.
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=panwascam,
            data=services.ActivityData(
                kind=ActivityKind.SOSIALISASI,
                title="x",
                region=Region.objects.get(code=KEPANJEN_DESA),
                planned_date=dt.date(2026, 12, 1),
            ),
        )


# --- calendar -----------------------------------------------------------------------------------


def test_the_calendar_shows_planned_and_done_on_their_days(staf_client, make_activity):
    first = today_local().replace(day=1)
    planned = make_activity(
        KEPANJEN, first + dt.timedelta(days=20), title="Rencana sosialisasi pemilih pemula"
    )
    done = make_activity(
        GONDANGLEGI, first + dt.timedelta(days=2), status=ActivityStatus.DONE, title="Patroli selesai"
    )
    cancelled = make_activity(
        GONDANGLEGI, first + dt.timedelta(days=5), status=ActivityStatus.CANCELLED, title="Batal"
    )
    make_activity(KEPANJEN, first - dt.timedelta(days=40), title="Bulan lalu")

    page = staf_client.get(f"/pencegahan/kalender/?bulan={first:%Y-%m}").content.decode()

    def cell_of(activity):
        match = re.search(rf'data-status="(\w+)" href="/pencegahan/kegiatan/{activity.pk}/"', page)
        return match.group(1) if match else None

    assert cell_of(planned) == ActivityStatus.PLANNED
    assert cell_of(done) == ActivityStatus.DONE
    assert cell_of(cancelled) == ActivityStatus.CANCELLED
    assert "Bulan lalu" not in page
    # The planned one sits on its own day.
    day_cell = page.split(f'<div class="day">{planned.planned_date.day}</div>')
    assert any(planned.title in part.split("</td>")[0] for part in day_cell[1:])

    filtered = staf_client.get(
        f"/pencegahan/kalender/?bulan={first:%Y-%m}&kecamatan={GONDANGLEGI}"
    ).content.decode()
    assert done.title in filtered and planned.title not in filtered


# --- patrols ------------------------------------------------------------------------------------


def test_a_patrol_keeps_route_participants_and_findings_for_a_form_a(staf_client, malang):
    tps = Tps.objects.create(desa_id=PUTAT_KIDUL, number=3)
    done = today_local() - dt.timedelta(days=1)
    response = staf_client.post(
        "/pencegahan/kegiatan/baru/?jenis=patroli",
        {
            "title": "Patroli masa tenang",
            "region": GONDANGLEGI,
            "planned_date": done.isoformat(),
            "status": ActivityStatus.DONE,
            "done_date": done.isoformat(),
            "route_desa": [PUTAT_KIDUL, "35.07.10.2002"],
            "route_tps": [str(tps.pk)],
            "findings": "Ditemukan amplop berisi uang di posko tim pemenangan.",
            "polri_count": "4",
            "polri_names": "Bripka A\nBrigadir B",
            "tni_count": "2",
            "satpol_pp_count": "3",
            "pemantau_count": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    patrol = Patrol.objects.get()
    counts = dict(PatrolParticipant.objects.values_list("institution", "count"))
    assert counts == {
        Institution.POLRI: 4,
        Institution.TNI: 2,
        Institution.SATPOL_PP: 3,
        Institution.PEMANTAU: 1,
    }

    data = services.patrol_findings_for_form_a(patrol)
    assert data["source_ref"] == f"patroli:{patrol.pk}"
    assert data["date"] == done
    assert data["kecamatan_code"] == GONDANGLEGI
    assert [d["code"] for d in data["route_desa"]] == [PUTAT_KIDUL, "35.07.10.2002"]
    assert data["route_tps"] == [{"desa_code": PUTAT_KIDUL, "number": 3, "label": str(tps)}]
    assert data["findings"].startswith("Ditemukan amplop")
    assert {p["institution"]: p["count"] for p in data["participants"]}[Institution.POLRI] == 4
    assert "Bripka A" not in str(data), "participants' names stay out of the Form A data"

    services.patrol_mark_form_a(patrol, ref="form_a:7")
    patrol.refresh_from_db()
    assert patrol.form_a_ref == "form_a:7"
