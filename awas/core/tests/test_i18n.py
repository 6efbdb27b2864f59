"""The interface speaks Indonesian: the catalogue is complete and the compiled .mo is current."""

import re
from pathlib import Path

import polib  # type: ignore[import-untyped]
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(catalogue: polib._BaseFile) -> dict[str, str]:
    return {
        entry.msgid: entry.msgstr or "|".join(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        for entry in catalogue
        if not entry.obsolete
    }


def test_every_message_is_translated_to_indonesian():
    po = polib.pofile(str(LOCALE / "id/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy (needs review): {fuzzy}"


def test_compiled_catalogue_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "id/LC_MESSAGES/django.po"))
    mo = polib.mofile(str(LOCALE / "id/LC_MESSAGES/django.mo"))
    assert _entries(mo) == _entries(po), "run: .venv/bin/python scripts/compilemessages.py"


def test_django_uses_the_catalogue():
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


# A placeholder such as %(date)s or %d; "%%" is a percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?([diouxXeEfFgGcrsa%])")


def _placeholders(text: str) -> list[str]:
    return sorted(f"{name}:{kind}" for name, kind in PLACEHOLDER.findall(text) if kind != "%")


def test_every_translation_keeps_the_placeholders_of_its_message():
    # A translation that drops or renames %(tanggal)s shows a pelapor a sentence without its date,
    # or fails the page (KeyError); a stray "% s" in one marked python-format does the reverse.
    po = polib.pofile(str(LOCALE / "id/LC_MESSAGES/django.po"))
    wrong = []
    for entry in po:
        if entry.obsolete or "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:  # Indonesian has one form, said of any number: the plural's words
            wanted = _placeholders(entry.msgid_plural)
            said = [_placeholders(text) for text in entry.msgstr_plural.values()]
        else:
            wanted, said = _placeholders(entry.msgid), [_placeholders(entry.msgstr)]
        if any(placeholders != wanted for placeholders in said):
            wrong.append(entry.msgid)
    assert not wrong, f"placeholders differ from the message's: {wrong}"


# The messages whose Indonesian keeps "e-mail": a field's label (the pelapor's, as the Perbawaslu
# formulir laporan writes it, "E-Mail"; a cadre's and an organisation's contact), or the fields
# named by their labels. Everywhere else the interface says "surel" (KBBI), as the notices to the
# pelapor do (``cases.services.notify``).
EMAIL_LABELS = {
    "E-mail",
    "E-mail (optional)",
    "e-mail",
    "Contact e-mail",
    "contact e-mail",
    "Name, NIK, phone and e-mail are personal data (UU 27/2022): only the office's prevention staff "
    "and the commissioners see them.",
}


def test_running_text_says_surel_and_only_field_labels_say_e_mail():
    po = polib.pofile(str(LOCALE / "id/LC_MESSAGES/django.po"))
    mixed = [
        msgid
        for msgid, msgstr in _entries(po).items()
        if msgid not in EMAIL_LABELS and re.search(r"\be-?mail", msgstr, re.I)
    ]
    assert not mixed, f"'e-mail' in running text (say 'surel'): {mixed}"
