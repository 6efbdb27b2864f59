"""The printed Form A: the official layout as a PDF (WeasyPrint), always in Indonesian."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from awas.cases.formatting import hari_tanggal, tanggal
from awas.core.roles import Level
from awas.regions.models import Region
from awas.supervision.models import FormA

# Official documents are in Indonesian whatever the screen language (UU 24/2009 Pasal 33).
TAHAPAN_ID = {
    "pemutakhiran_data": "Pemutakhiran Data dan Penyusunan Daftar Pemilih",
    "pencalonan": "Pencalonan",
    "kampanye": "Kampanye",
    "masa_tenang": "Masa Tenang",
    "pungut_hitung": "Pemungutan dan Penghitungan Suara",
    "rekapitulasi": "Rekapitulasi Hasil Penghitungan Suara",
    "lainnya": "Lainnya",
}
HIDDEN_TEXT = "(data pribadi, hanya untuk penanganan pelanggaran)"


def kop_lines(form: FormA) -> list[str]:
    """The letterhead: Bawaslu of the kabupaten, then the supervising body of the report's level."""
    region = form.region
    office = Region.objects.filter(code=".".join(region.code.split(".")[:2])).first()
    lines = ["BADAN PENGAWAS PEMILIHAN UMUM", (office.display_name if office else region.code).upper()]
    if region.level == Level.DESA:
        kecamatan = region.parent.name.upper() if region.parent_id and region.parent else ""
        if form.tps_label:
            lines.append(f"PENGAWAS {form.tps_label} DESA/KELURAHAN {region.name.upper()}")
        else:
            lines.append(f"PANWASLU KELURAHAN/DESA {region.name.upper()}")
        if kecamatan:
            lines.append(f"KECAMATAN {kecamatan}")
    elif region.level == Level.KECAMATAN:
        lines.append(f"PANITIA PENGAWAS PEMILIHAN KECAMATAN {region.name.upper()}")
    return lines


def form_a_html(form: FormA, *, show_personal: bool) -> str:
    place = form.place_signed or form.region.name
    context: dict[str, Any] = {
        "form": form,
        "kop": kop_lines(form),
        "tahapan": TAHAPAN_ID.get(form.tahapan, form.tahapan),
        "waktu_tempat": form.kegiatan_waktu_tempat or hari_tanggal(form.kegiatan_tanggal),
        "place": place,
        "report_date": tanggal(form.report_date),
        "show_personal": show_personal,
        "hidden_text": HIDDEN_TEXT,
        "attachments": list(form.attachments.select_related("evidence")) if form.pk else [],
        "printed": tanggal(timezone.now()),
    }
    return render_to_string("supervision/form_a_pdf.html", context)


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the Form A loads nothing from outside ({url[:60]})")


def form_a_pdf(form: FormA, *, show_personal: bool) -> bytes:
    from weasyprint import HTML  # slow to import; only downloads need it

    pdf = HTML(string=form_a_html(form, show_personal=show_personal), url_fetcher=_refuse_fetch).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target returns bytes
        raise RuntimeError("WeasyPrint returned no PDF")
    return bytes(pdf)
