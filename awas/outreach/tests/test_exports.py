"""Every list exports to Excel and PDF with its rows; personal data only for the roles allowed."""

from __future__ import annotations

import datetime as dt

from awas.cases.formatting import today_local
from awas.conftest import GONDANGLEGI, KEPANJEN, PUTAT_KIDUL
from awas.outreach import services
from awas.outreach.models import ActivityKind, ActivityStatus, Cadre, CadreKind, Category
from awas.outreach.tests.conftest import pdf_text, xlsx_sheets, xlsx_text
from awas.regions.models import Region


def test_the_activity_list_exports_its_rows(staf_client, make_activity):
    day = today_local()
    make_activity(PUTAT_KIDUL, day, title="Sosialisasi tolak politik uang", attendees="Pak Lurah\nBu Camat")
    make_activity(
        KEPANJEN, day, title="Patroli pengawasan malam", kind=ActivityKind.PATROL, status=ActivityStatus.DONE
    )
    make_activity(KEPANJEN, day - dt.timedelta(days=400), title="Tahun lalu")

    query = f"dari={day - dt.timedelta(days=30):%Y-%m-%d}&sampai={day + dt.timedelta(days=30):%Y-%m-%d}"
    excel = staf_client.get(f"/pencegahan/?{query}&ekspor=xlsx")
    assert excel["Content-Disposition"].startswith('attachment; filename="kegiatan-pencegahan-')
    (rows,) = xlsx_sheets(excel.content).values()
    titles = {row[1] for row in rows[1:]}
    assert titles == {"Sosialisasi tolak politik uang", "Patroli pengawasan malam"}
    sosialisasi = next(row for row in rows if row[1] == "Sosialisasi tolak politik uang")
    assert sosialisasi[2] == "Putat Kidul" and sosialisasi[3] == "Gondanglegi"
    assert isinstance(sosialisasi[5], dt.datetime) and sosialisasi[5].date() == day  # a real date cell
    assert sosialisasi[-1] == "Pak Lurah, Bu Camat"  # attendees: the office's prevention staff may see them

    pdf = staf_client.get(f"/pencegahan/?{query}&ekspor=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert (
        "Sosialisasi tolak politik uang" in text
        and "Patroli pengawasan malam" in text
        and "Tahun lalu" not in text
    )


def test_attendees_stay_out_of_a_panwascam_export(panwascam_client, make_activity):
    make_activity(PUTAT_KIDUL, today_local(), title="Sosialisasi desa", attendees="Pak Lurah")
    text = xlsx_text(panwascam_client.get("/pencegahan/?ekspor=xlsx").content)
    assert "Sosialisasi desa" in text and "Pak Lurah" not in text


def test_the_coverage_export_has_the_three_lists(staf, staf_client, make_activity):
    services.manual_category_set(
        actor=staf, region=Region.objects.get(code=GONDANGLEGI), category=Category.TINGGI
    )
    make_activity(KEPANJEN, today_local(), status=ActivityStatus.DONE)
    sheets = xlsx_sheets(staf_client.get("/pencegahan/cakupan/?ekspor=xlsx").content)
    coverage, uncovered, ranking = sheets.values()
    assert len(coverage) == 1 + 33
    kepanjen = next(row for row in coverage if row[0] == KEPANJEN)
    assert kepanjen[4:7] == [1, 1, 100]
    assert [row[1] for row in uncovered[1:]] == ["Gondanglegi"]
    assert ranking[1][2] == "Gondanglegi" and ranking[1][0] == 1
    assert "Gondanglegi" in pdf_text(staf_client.get("/pencegahan/cakupan/?ekspor=pdf").content)


def test_the_registers_export_their_rows(staf, staf_client):
    cadre = Cadre(kind=CadreKind.COMMUNITY, name="Haji Mukhlis", region=Region.objects.get(code=GONDANGLEGI))
    services.cadre_save(cadre, actor=staf)
    services.cadre_training_add(
        cadre, actor=staf, name="Bimtek Pengawasan Partisipatif", start_date=dt.date(2024, 7, 1)
    )
    text = xlsx_text(staf_client.get("/pencegahan/kader/?ekspor=xlsx").content)
    assert "Haji Mukhlis" in text and "Bimtek Pengawasan Partisipatif (01-07-2024)" in text
    assert "Haji Mukhlis" in pdf_text(staf_client.get("/pencegahan/kader/?ekspor=pdf").content)

    services.manual_category_set(
        actor=staf, region=Region.objects.get(code=KEPANJEN), category="sedang", source_note="Peta 2024"
    )
    text = xlsx_text(staf_client.get("/pencegahan/kategori-kerawanan/?ekspor=xlsx").content)
    assert f"{KEPANJEN} | Kepanjen" in text and "Peta 2024" in text
    assert "Kepanjen" in pdf_text(staf_client.get("/pencegahan/kategori-kerawanan/?ekspor=pdf").content)
