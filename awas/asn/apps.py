from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AsnConfig(AppConfig):
    """The ASN register: civil servants and village officials, their risk, cases and sanctions."""

    name = "awas.asn"
    label = "asn"
    verbose_name = _("ASN neutrality")

    def ready(self) -> None:
        # cases tells, asn listens (cases imports nothing of asn, ARCHITECTURE.md): a referral to
        # BKN dates the forwarding of the case's ASN links, in the referral's transaction; one
        # withdrawn as recorded in error takes the date back.
        from awas.asn.services import case_referral_to_bkn_cancelled, case_referred_to_bkn
        from awas.cases.services.workflow import case_referred, referral_cancelled

        case_referred.connect(case_referred_to_bkn, dispatch_uid="awas-asn-forwarded-on-bkn-referral")
        referral_cancelled.connect(
            case_referral_to_bkn_cancelled, dispatch_uid="awas-asn-forwarded-on-bkn-referral-cancelled"
        )
