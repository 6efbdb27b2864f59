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
