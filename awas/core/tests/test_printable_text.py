"""Control characters pasted from a phone never break an Excel export or a Word letter."""

from __future__ import annotations

import dataclasses
import io

from openpyxl import load_workbook

from awas.core.spreadsheets import cell_value, sheet_title, xlsx_tables
from awas.core.text import printable, printable_all


def test_printable_drops_what_xml_cannot_hold_and_keeps_the_rest():
    assert printable("Bagi\x0buang\x00 amplop\x1b") == "Bagiuang amplop"
    # Tabs and line breaks are text; so are letters from any script and emoji.
    assert (
        printable("baris 1\nbaris 2\r\n\tberjarak — Rp1.000 ✓ 🙂")
        == "baris 1\nbaris 2\r\n\tberjarak — Rp1.000 ✓ 🙂"
    )
    assert printable("a\ufffeb\uffffc") == "abc"
    # A right-to-left override would print "Kantor" backwards in a letter; joiners in emoji stay.
    assert printable("Kantor\u202e Bawaslu\u2066") == "Kantor Bawaslu"
    assert printable("👨\u200d👩") == "👨\u200d👩"


def test_a_text_area_takes_at_most_twenty_thousand_characters():
    """A megabyte of kajian would keep a worker making its PDF for minutes: refused, with the limit."""
    from django import forms

    from awas.core.forms import LONG_TEXT_MAX, PrintableTextForm

    class Kajian(PrintableTextForm):
        facts = forms.CharField(widget=forms.Textarea)

    assert Kajian({"facts": "x" * LONG_TEXT_MAX}).is_valid()
    too_long = Kajian({"facts": "x" * (LONG_TEXT_MAX + 1)})
    assert not too_long.is_valid() and "20000" in str(too_long.errors["facts"]).replace(".", "")
    assert 'maxlength="20000"' in str(too_long["facts"])


def test_printable_all_goes_through_a_letter_context():
    @dataclasses.dataclass(frozen=True)
    class Row:
        label: str
        value: str

    context = {"title": "Surat\x0c", "rows": [Row("Nama\x07", "Budi")], "lines": ("a\x01",), "count": 3}
    assert printable_all(context) == {
        "title": "Surat",
        "rows": [Row("Nama", "Budi")],
        "lines": ("a",),
        "count": 3,
    }


def test_a_cell_is_never_a_formula_and_reads_as_typed():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    risky = ['=HYPERLINK("http://x")', "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\x0b=1+1", "@akun_resmi"]
    plain = ["-", "+62 812-3456-7890", "Bagi\x0buang", 12]  # a lone dash, a phone number, a number
    sheet.append([cell_value(value, sheet) for value in [*risky, *plain]])
    sheet.append([cell_value(value, sheet) for value in risky])
    saved = io.BytesIO()
    workbook.save(saved)
    read = load_workbook(io.BytesIO(saved.getvalue())).active
    first = [cell for cell in read[1]]
    # Exactly the text that was sent (no visible apostrophe), as text with the quote prefix: Excel
    # shows it and never runs it, even after someone edits the cell.
    assert [c.value for c in first] == [
        '=HYPERLINK("http://x")',
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1)",
        "=1+1",
        "@akun_resmi",
        "-",
        "+62 812-3456-7890",
        "Bagiuang",
        12,
    ]
    assert all(c.data_type == "s" and c.quotePrefix for c in first[: len(risky)])
    assert not any(c.quotePrefix for c in first[len(risky) :])
    assert [c.value for c in read[2][: len(risky)]] == [c.value for c in first[: len(risky)]]


def test_a_workbook_with_control_characters_opens_with_the_text_kept():
    @dataclasses.dataclass(frozen=True)
    class Table:
        title: str
        columns: list[str]
        rows: list[list[object]]

    content = xlsx_tables(
        [Table("Daftar\x0b: kegiatan", ["Nama", "Jumlah"], [["Bagi\x0buang", 3], ["-", 0]])], text=str
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Daftar  kegiatan"
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Nama", "Jumlah"],
        ["Bagiuang", 3],
        ["-", 0],
    ]


def test_sheet_titles_are_unique_and_short():
    used: set[str] = set()
    assert sheet_title("A" * 40, used) == "A" * 31
    assert sheet_title("A" * 40, used) == "A" * 28 + " 2"
