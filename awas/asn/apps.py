from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsnConfig(AppConfig):
    """The ASN register: civil servants and village officials, their risk, cases and sanctions."""

    name = "awas.asn"
    label = "asn"
    verbose_name = _("ASN neutrality")
