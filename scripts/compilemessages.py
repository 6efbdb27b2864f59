"""Compile awas/locale/*/LC_MESSAGES/django.po into .mo with polib (no GNU gettext needed).

Run after editing a .po file; the compiled .mo files are committed so `make demo` needs nothing more.
A test checks that every .mo matches its .po.
"""

from __future__ import annotations

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "awas" / "locale"


def main() -> None:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{po_path.relative_to(LOCALE.parent.parent)}: {po.percent_translated()}% translated")


if __name__ == "__main__":
    main()
