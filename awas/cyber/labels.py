"""The labels of cyber supervision as people read them. The codes are those of the rule file
(``lexicon/labels.yaml``); a trained model may bring others (e.g. ``abusive``), shown by code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ASN_LABEL = "asn_partisanship"

LABEL_TITLES = {
    ASN_LABEL: _("ASN partisanship"),
    "politik_uang": _("Vote buying (politik uang)"),
    "sara_hate": _("SARA / hate speech"),
    "hoaks": _("Hoax"),
    "kampanye_hitam": _("Black campaign"),
    "kampanye_luar_jadwal": _("Campaigning outside the schedule"),
}


def label_title(code: str) -> str:
    return str(LABEL_TITLES.get(code, code))
