"""The ``awas`` command: Django's management commands with Awas's settings, for operators."""

from __future__ import annotations

import os
import sys

OPERATOR_HELP = """Awas: election supervision information system.

  awas demo                       set up Kabupaten Malang with demo accounts and serve
  awas serve                      serve on http://127.0.0.1:$AWAS_PORT (default 8000)
  awas migrate                    create or update the database
  awas createadmin NAME CODE      create an administrator scoped to a kabupaten/kota
  awas regions load CODE          load a kabupaten/kota (e.g. 35.07) with its kecamatan and desa
  awas regions list CODE          the regions under CODE, one a line
  awas regions boundaries FILE    attach GeoJSON polygons by Kemendagri code
  awas tps import FILE.csv        import TPS (kode_desa, nomor_tps, alamat, dpt)
  awas cyber train|evaluate       train a post classifier (from a labelled CSV or reviewed posts); evaluate
  awas cyber fetch|import|verify  read the feeds; capture a CSV/JSON export; re-hash every capture
  awas audit verify|seal          check the audit log's hash chain; chain entries still waiting
  awas evidence verify            re-hash every evidence file
  awas cases remind               reminders for deadlines due tomorrow or overdue (run daily)
  awas supervision train          retrain the Form A indicator suggestions from reviewed reports
  awas asn import FILE --kabupaten 35.07   check an ASN roster (CSV/XLSX); --for-real stores it
  awas backup FILE                database and evidence in one .tar.gz
  awas restore FILE               restore a backup into an empty data folder

Settings come from the environment: AWAS_DATA_DIR, AWAS_DATABASE_URL, AWAS_PORT, AWAS_SECRET_KEY.
'awas help' lists every command, 'awas help COMMAND' explains one.
"""


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awas.settings")
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(OPERATOR_HELP)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["awas", *args])


if __name__ == "__main__":
    main()
