"""The interface speaks Indonesian: the catalogue is complete and the compiled .mo is current."""

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
