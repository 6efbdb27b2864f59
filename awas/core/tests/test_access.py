"""Deny by default: every page says who may open it, and the site behaves exactly as declared.

This module is also a URL configuration (``urlpatterns`` below): the whole site plus one page whose
view forgot its access declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas import urls as site_urls
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, verified_client
from awas.core.checks import iter_patterns
from awas.core.roles import FIELD_ROLES, OFFICE_ROLES, OTP_ROLES, Role


def forgotten_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("data rahasia")


urlpatterns = [path("lupa-deklarasi/", forgotten_view, name="forgotten"), *site_urls.urlpatterns]
THIS_URLCONF = __name__


# --- the access table ----------------------------------------------------------------------------

ANONYMOUS = "anonymous"
EVERYONE = (ANONYMOUS, *Role)


@dataclass(frozen=True)
class Redirect:
    """A 302 to the path ``to`` (any query string), or, when ``to`` has a query, to a URL starting so."""

    to: str


TO_LOGIN = Redirect("/masuk/?next=")


def each(outcome: Any) -> dict[str, Any]:
    """The same outcome for every role (not for the anonymous visitor)."""
    return dict.fromkeys(Role, outcome)


def granted(roles: frozenset[str] | set[str], outcome: Any = 200, *, others: Any = 403) -> dict[str, Any]:
    return {role: outcome if role in roles else others for role in Role}


STAFF = OFFICE_ROLES | FIELD_ROLES
# Prevention and participation (awas/outreach/permissions.py): PTPS and kader are left out, a
# kader has only the field form; personal data of cadres for the office's prevention roles only.
PREVENTION_VIEW = (OFFICE_ROLES | FIELD_ROLES) - {Role.PTPS}
PREVENTION_RECORD = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN, Role.PANWASCAM, Role.PKD})
PREVENTION_MANAGE = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN})
PREVENTION_PERSONAL = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN})
# ASN register (awas/asn/permissions.py): names, NIP and accounts for the roles that act on them;
# staf pencegahan sees the map and counts only; field roles and kader nothing but the catalogue.
ASN_REGISTER = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.TIM_SIBER})
ASN_EDIT = frozenset({Role.ADMIN, Role.STAF_PP, Role.TIM_SIBER})
ASN_IMPORT = frozenset({Role.ADMIN, Role.STAF_PP})
ASN_AGGREGATE = ASN_REGISTER | {Role.STAF_PENCEGAHAN}
ASN_FOLLOW_UP = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP})
ASN_FOLLOW_UP_EDIT = frozenset({Role.ADMIN, Role.STAF_PP})
ASN_LETTERS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.STAF_PENCEGAHAN})
ASN_LETTERS_WRITE = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN})
# Violation handling (awas/cases/permissions.py): PKD and PTPS read the cases of their desa or TPS
# without the pelapor; the pelapor, evidence files and letters for the handling roles only;
# Panwascam handles up to the clarification, pimpinan reads and decides, staf PP does every step.
CASES_VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.PANWASCAM, Role.PKD, Role.PTPS})
CASES_HANDLING = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.PANWASCAM})
CASES_RECORD = frozenset({Role.ADMIN, Role.STAF_PP, Role.PANWASCAM})
CASES_NOT_REGISTERED = CASES_RECORD | {Role.PIMPINAN}
CASES_DECIDE = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP})
CASES_OFFICE = frozenset({Role.ADMIN, Role.STAF_PP})
# IKP (awas/ikp/permissions.py): the map for every staff role (the scope cuts what is shown);
# report, Excel and sensitivity for the office's analysts; kejadian entered in scope; frameworks
# read by the analysts and changed by the admin only.
IKP_ANALYSTS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN, Role.STAF_PP})
IKP_KEJADIAN = IKP_ANALYSTS | FIELD_ROLES
IKP_KEJADIAN_WRITE = IKP_KEJADIAN - {Role.PIMPINAN}
IKP_KEJADIAN_IMPORT = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN, Role.STAF_PP, Role.PANWASCAM})

# Form A (awas/supervision/permissions.py): field supervisors type in; staff and field roles upload;
# PKD, Panwascam and office staff review the suggested indicators; pelaku/saksi for handling roles.
FORM_A_VIEW = OFFICE_ROLES | FIELD_ROLES
FORM_A_ENTRY = FIELD_ROLES
FORM_A_UPLOAD = FIELD_ROLES | {Role.ADMIN, Role.STAF_PENCEGAHAN, Role.STAF_PP}
FORM_A_REVIEW = frozenset({Role.ADMIN, Role.STAF_PP, Role.STAF_PENCEGAHAN, Role.PANWASCAM, Role.PKD})
FORM_A_TEMUAN = frozenset({Role.ADMIN, Role.STAF_PP, Role.PANWASCAM})
FORM_A_STATS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN})
# Cyber supervision (awas/cyber/permissions.py): posts carry personal data, read by the roles that act
# on them; the cyber team (and admin) captures, reviews, escalates and asks for take-downs; the
# classifier's versions are read by admin, pimpinan and the cyber team.
CYBER_VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.TIM_SIBER})
CYBER_ACT = frozenset({Role.ADMIN, Role.TIM_SIBER})
CYBER_MODELS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.TIM_SIBER})
# The office dashboard (awas/dashboard/permissions.py): every office role; the public figures for all.
DASHBOARD = OFFICE_ROLES

# Every page of the site, with what each role (signed in, second factor proved) gets from a GET.
# A page missing here fails the test: decide who may open it, then add it.
EXPECTED: dict[str, dict[str, Any]] = {
    "core:home": {ANONYMOUS: TO_LOGIN, **each(200)},
    "core:login": {ANONYMOUS: 200, **each(Redirect("/"))},
    "core:logout": {ANONYMOUS: TO_LOGIN, **each(405)},  # POST only
    "core:password_change": {ANONYMOUS: TO_LOGIN, **each(200)},
    # Enrolled users are sent on to the code page; cadres need no second factor and have no device.
    "core:otp_setup": {ANONYMOUS: TO_LOGIN, **granted(OTP_ROLES, Redirect("/akun/2fa/"), others=200)},
    "core:otp_verify": {ANONYMOUS: TO_LOGIN, **each(200)},
    "core:audit_log": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN, Role.PIMPINAN})},
    "regions:list": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "regions:map": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "regions:kecamatan_geojson": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "set_language": {ANONYMOUS: Redirect("/"), **each(Redirect("/"))},
    "admin:index": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN})},
    # The public's reporting pages: open to everyone, with or without an account.
    "public:index": {ANONYMOUS: 200, **each(200)},
    "public:laporan": {ANONYMOUS: 200, **each(200)},
    "public:informasi": {ANONYMOUS: 200, **each(200)},
    "public:track": {ANONYMOUS: 200, **each(200)},
    # Keyed by a tracking code; the sample code belongs to no case: the friendly "not found" page.
    "public:receipt": {ANONYMOUS: 404, **each(404)},
    "public:receipt_pdf": {ANONYMOUS: 404, **each(404)},
    "public:track_detail": {ANONYMOUS: 404, **each(404)},
    # Prevention and participation; keyed pages get a sample id that matches nothing: 404.
    "outreach:activity_list": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:activity_create": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_RECORD)},
    "outreach:activity_plan_all": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE)},
    "outreach:activity_detail": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW, 404)},
    "outreach:activity_edit": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_RECORD, 404)},
    "outreach:activity_status": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_RECORD, 405)},  # POST only
    "outreach:activity_evidence_add": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_RECORD, 405)},  # POST only
    "outreach:activity_evidence_file": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW, 404)},
    "outreach:calendar": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:coverage": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:categories": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:letter_create": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE)},
    "outreach:letter_edit": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE, 404)},
    "outreach:letter_issue": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE, 405)},  # POST only
    "outreach:letter_pdf": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW, 404)},
    "outreach:letter_docx": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW, 404)},
    "outreach:cadre_list": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:cadre_create": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE)},
    "outreach:cadre_detail": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_PERSONAL, 404)},
    "outreach:cadre_edit": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE, 404)},
    "outreach:cadre_training_add": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE, 405)},  # POST only
    "outreach:organisation_list": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_VIEW)},
    "outreach:organisation_create": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE)},
    "outreach:organisation_edit": {ANONYMOUS: TO_LOGIN, **granted(PREVENTION_MANAGE, 404)},
    "outreach:field_report": {ANONYMOUS: TO_LOGIN, **granted({Role.KADER})},
    # ASN register; keyed pages get a sample id that matches nothing: 404.
    "asn:overview": {ANONYMOUS: TO_LOGIN, **granted(ASN_AGGREGATE)},
    "asn:persons": {ANONYMOUS: TO_LOGIN, **granted(ASN_REGISTER)},
    "asn:person_create": {ANONYMOUS: TO_LOGIN, **granted(ASN_EDIT)},
    "asn:person_detail": {ANONYMOUS: TO_LOGIN, **granted(ASN_REGISTER, 404)},
    "asn:person_edit": {ANONYMOUS: TO_LOGIN, **granted(ASN_EDIT, 404)},
    "asn:account_add": {ANONYMOUS: TO_LOGIN, **granted(ASN_EDIT, 405)},  # POST only
    "asn:account_remove": {ANONYMOUS: TO_LOGIN, **granted(ASN_EDIT, 405)},  # POST only
    "asn:case_link_create": {ANONYMOUS: TO_LOGIN, **granted(ASN_FOLLOW_UP_EDIT, 404)},
    "asn:import": {ANONYMOUS: TO_LOGIN, **granted(ASN_IMPORT)},
    "asn:import_template": {ANONYMOUS: TO_LOGIN, **granted(ASN_IMPORT)},
    "asn:catalogue": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "asn:follow_ups": {ANONYMOUS: TO_LOGIN, **granted(ASN_FOLLOW_UP)},
    "asn:overdue": {ANONYMOUS: TO_LOGIN, **granted(ASN_FOLLOW_UP)},
    "asn:follow_up_edit": {ANONYMOUS: TO_LOGIN, **granted(ASN_FOLLOW_UP_EDIT, 404)},
    "asn:letters": {ANONYMOUS: TO_LOGIN, **granted(ASN_LETTERS)},
    "asn:letter_create": {ANONYMOUS: TO_LOGIN, **granted(ASN_LETTERS_WRITE)},
    "asn:letter_pdf": {ANONYMOUS: TO_LOGIN, **granted(ASN_LETTERS, 404)},
    "asn:letter_docx": {ANONYMOUS: TO_LOGIN, **granted(ASN_LETTERS, 404)},
    "asn:settings": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN})},
    # Violation handling (staff side); keyed pages get a sample id that matches nothing: 404.
    "cases:list": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW)},
    "cases:export": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW)},
    "cases:at_risk": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW)},
    "cases:follow_ups": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW)},
    "cases:reminders": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW)},
    "cases:reminder_read": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW, 405)},  # POST only
    "cases:reminders_read_all": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW, 405)},  # POST only
    "cases:record": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD)},
    "cases:temuan_new": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD)},
    "cases:detail": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW, 404)},
    "cases:related": {ANONYMOUS: TO_LOGIN, **granted(CASES_VIEW, 404)},
    "cases:link": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:unlink": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:unmerge": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:requirements": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:supplement": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:register": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:not_registered": {ANONYMOUS: TO_LOGIN, **granted(CASES_NOT_REGISTERED, 405)},  # POST only
    "cases:more_info": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:take_up": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:archive": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    # The roles that see the pelapor's contact record that they told the pelapor another way.
    "cases:pelapor_told": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 405)},  # POST only
    "cases:clarification_schedule": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:clarification_record": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:clarification_cancel": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 405)},  # POST only
    "cases:study": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:decision": {ANONYMOUS: TO_LOGIN, **granted(CASES_DECIDE, 405)},  # POST only
    "cases:decision_correct": {ANONYMOUS: TO_LOGIN, **granted(CASES_DECIDE, 405)},  # POST only
    "cases:referral": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:referral_response": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:referral_progress": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:referral_cancel": {ANONYMOUS: TO_LOGIN, **granted(CASES_OFFICE, 405)},  # POST only
    "cases:invitation_pdf": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:invitation_docx": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:referral_letter": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:referral_letter_docx": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:status_notice": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:berita_acara_pdf": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:kajian_pdf": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:correct": {ANONYMOUS: TO_LOGIN, **granted(CASES_RECORD, 404)},
    "cases:receipt": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:receipt_pdf": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    "cases:evidence": {ANONYMOUS: TO_LOGIN, **granted(CASES_HANDLING, 404)},
    # IKP; keyed pages get a sample id that matches nothing (404), the region page Gondanglegi,
    # which the PKD and PTPS of Putat Kidul do not see (404).
    "ikp:map": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "ikp:map_data": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "ikp:export_png": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "ikp:export_svg": {ANONYMOUS: TO_LOGIN, **granted(STAFF)},
    "ikp:export_xlsx": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS)},
    "ikp:report_pdf": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS)},
    "ikp:sensitivity": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS, 405)},  # POST only
    "ikp:region_detail": {ANONYMOUS: TO_LOGIN, **granted(STAFF), Role.PKD: 404, Role.PTPS: 404},
    "ikp:kejadian_list": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN)},
    "ikp:kejadian_create": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN_WRITE)},
    "ikp:kejadian_import": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN_IMPORT)},
    "ikp:kejadian_template": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN_IMPORT)},
    "ikp:kejadian_edit": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN_WRITE, 404)},
    "ikp:kejadian_delete": {ANONYMOUS: TO_LOGIN, **granted(IKP_KEJADIAN_WRITE, 405)},  # POST only
    "ikp:framework_list": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS)},
    "ikp:framework_import": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN})},
    "ikp:framework_detail": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS, 404)},
    "ikp:framework_edit": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN}, 404)},
    "ikp:framework_copy": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN}, 405)},  # POST only
    "ikp:framework_publish": {ANONYMOUS: TO_LOGIN, **granted({Role.ADMIN}, 405)},  # POST only
    "ikp:framework_export_yaml": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS, 404)},
    "ikp:framework_export_xlsx": {ANONYMOUS: TO_LOGIN, **granted(IKP_ANALYSTS, 404)},
    # Form A (LHP); keyed pages get a sample id that matches nothing: 404.
    "supervision:list": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_VIEW)},
    "supervision:create": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_ENTRY)},
    "supervision:upload": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_UPLOAD)},
    "supervision:stats": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_STATS)},
    "supervision:detail": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_VIEW, 404)},
    "supervision:edit": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_UPLOAD | FORM_A_REVIEW, 404)},
    "supervision:discard": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_UPLOAD, 405)},  # POST only
    "supervision:pdf": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_VIEW, 404)},
    "supervision:source_file": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_VIEW, 404)},
    "supervision:review": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_REVIEW, 404)},
    "supervision:temuan": {ANONYMOUS: TO_LOGIN, **granted(FORM_A_TEMUAN, 405)},  # POST only
    # Cyber supervision; keyed pages get a sample id that matches nothing: 404.
    "cyber:queue": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW)},
    "cyber:capture": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT)},
    "cyber:import": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT)},
    "cyber:import_template": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT)},
    "cyber:post": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW, 404)},
    "cyber:screenshot": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW, 404)},
    "cyber:label_decide": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:match_decide": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:escalate": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:takedown_create": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:correct": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:takedowns": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW)},
    "cyber:takedown_answer": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 404)},
    "cyber:takedown_pdf": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW, 404)},
    "cyber:takedown_docx": {ANONYMOUS: TO_LOGIN, **granted(CYBER_VIEW, 404)},
    "cyber:sources": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT)},
    "cyber:source_fetch": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT, 405)},  # POST only
    "cyber:campaign_accounts": {ANONYMOUS: TO_LOGIN, **granted(CYBER_ACT)},
    "cyber:models": {ANONYMOUS: TO_LOGIN, **granted(CYBER_MODELS)},
    "cyber:model_detail": {ANONYMOUS: TO_LOGIN, **granted(CYBER_MODELS, 404)},
    # The office dashboard, its exports and the monthly report; the public figures and their files.
    "dashboard:index": {ANONYMOUS: TO_LOGIN, **granted(DASHBOARD)},
    "dashboard:export_xlsx": {ANONYMOUS: TO_LOGIN, **granted(DASHBOARD)},
    "dashboard:export_pdf": {ANONYMOUS: TO_LOGIN, **granted(DASHBOARD)},
    "dashboard:monthly_report": {ANONYMOUS: TO_LOGIN, **granted(DASHBOARD)},
    "transparency:index": {ANONYMOUS: 200, **each(200)},
    "transparency:xlsx": {ANONYMOUS: 200, **each(200)},
    "transparency:pdf": {ANONYMOUS: 200, **each(200)},
    "transparency:geojson": {ANONYMOUS: 200, **each(200)},
}

# Keyword arguments for patterns that take parameters (none yet outside the admin site).
SAMPLE_KWARGS: dict[str, dict[str, Any]] = {
    "public:receipt": {"code": "AWS-ABCD-EFGH"},
    "public:receipt_pdf": {"code": "AWS-ABCD-EFGH"},
    "public:track_detail": {"code": "AWS-ABCD-EFGH"},
    "outreach:activity_detail": {"pk": 999999},
    "outreach:activity_edit": {"pk": 999999},
    "outreach:activity_status": {"pk": 999999},
    "outreach:activity_evidence_add": {"pk": 999999},
    "outreach:activity_evidence_file": {"pk": 999999},
    "outreach:letter_edit": {"pk": 999999},
    "outreach:letter_issue": {"pk": 999999},
    "outreach:letter_pdf": {"pk": 999999},
    "outreach:letter_docx": {"pk": 999999},
    "outreach:cadre_detail": {"pk": 999999},
    "outreach:cadre_edit": {"pk": 999999},
    "outreach:cadre_training_add": {"pk": 999999},
    "outreach:organisation_edit": {"pk": 999999},
    "asn:person_detail": {"pk": 999999},
    "asn:person_edit": {"pk": 999999},
    "asn:account_add": {"pk": 999999},
    "asn:account_remove": {"pk": 999999},
    "asn:case_link_create": {"pk": 999999},
    "asn:follow_up_edit": {"pk": 999999},
    "asn:letter_pdf": {"pk": 999999},
    "asn:letter_docx": {"pk": 999999},
    "cases:reminder_read": {"pk": 999999},
    "cases:detail": {"pk": 999999},
    "cases:related": {"pk": 999999},
    "cases:link": {"pk": 999999},
    "cases:unlink": {"pk": 999999, "link_pk": 999999},
    "cases:unmerge": {"pk": 999999},
    "cases:requirements": {"pk": 999999},
    "cases:supplement": {"pk": 999999},
    "cases:register": {"pk": 999999},
    "cases:not_registered": {"pk": 999999},
    "cases:more_info": {"pk": 999999},
    "cases:take_up": {"pk": 999999},
    "cases:archive": {"pk": 999999},
    "cases:clarification_schedule": {"pk": 999999},
    "cases:clarification_record": {"pk": 999999},
    "cases:clarification_cancel": {"pk": 999999},
    "cases:pelapor_told": {"pk": 999999},
    "cases:study": {"pk": 999999},
    "cases:decision": {"pk": 999999},
    "cases:decision_correct": {"pk": 999999},
    "cases:referral": {"pk": 999999},
    "cases:referral_response": {"pk": 999999},
    "cases:referral_progress": {"pk": 999999},
    "cases:referral_cancel": {"pk": 999999},
    "cases:status_notice": {"pk": 999999},
    "cases:berita_acara_pdf": {"pk": 999999, "clarification_pk": 999999},
    "cases:kajian_pdf": {"pk": 999999},
    "cases:correct": {"pk": 999999},
    "cases:receipt": {"pk": 999999},
    "cases:receipt_pdf": {"pk": 999999},
    "cases:invitation_pdf": {"pk": 999999, "clarification_pk": 999999},
    "cases:invitation_docx": {"pk": 999999, "clarification_pk": 999999},
    "cases:referral_letter": {"pk": 999999, "referral_pk": 999999},
    "cases:referral_letter_docx": {"pk": 999999, "referral_pk": 999999},
    "cases:evidence": {"pk": 999999, "evidence_pk": 999999},
    "ikp:region_detail": {"kode": GONDANGLEGI},
    "ikp:kejadian_edit": {"pk": 999999},
    "ikp:kejadian_delete": {"pk": 999999},
    "ikp:framework_detail": {"pk": 999999},
    "ikp:framework_edit": {"pk": 999999},
    "ikp:framework_copy": {"pk": 999999},
    "ikp:framework_publish": {"pk": 999999},
    "ikp:framework_export_yaml": {"pk": 999999},
    "ikp:framework_export_xlsx": {"pk": 999999},
    "supervision:detail": {"pk": 999999},
    "supervision:edit": {"pk": 999999},
    "supervision:discard": {"pk": 999999},
    "supervision:pdf": {"pk": 999999},
    "supervision:source_file": {"pk": 999999},
    "supervision:review": {"pk": 999999},
    "supervision:temuan": {"pk": 999999},
    "cyber:post": {"pk": 999999},
    "cyber:screenshot": {"pk": 999999, "capture_pk": 999999},
    "cyber:label_decide": {"pk": 999999, "label_pk": 999999},
    "cyber:match_decide": {"pk": 999999, "match_pk": 999999},
    "cyber:escalate": {"pk": 999999},
    "cyber:takedown_create": {"pk": 999999},
    "cyber:correct": {"pk": 999999},
    "cyber:takedown_answer": {"pk": 999999},
    "cyber:takedown_pdf": {"pk": 999999},
    "cyber:takedown_docx": {"pk": 999999},
    "cyber:source_fetch": {"pk": 999999},
    "cyber:model_detail": {"pk": 999999},
}

SCOPES: dict[str, dict[str, Any]] = {
    Role.ADMIN: {"scope": KAB_MALANG},
    Role.PIMPINAN: {"scope": KAB_MALANG},
    Role.STAF_PP: {"scope": KAB_MALANG},
    Role.STAF_PENCEGAHAN: {"scope": KAB_MALANG},
    Role.TIM_SIBER: {"scope": KAB_MALANG},
    Role.PANWASCAM: {"scope": GONDANGLEGI},
    Role.PKD: {"scope": PUTAT_KIDUL},
    Role.PTPS: {"scope": PUTAT_KIDUL, "tps_number": 1},
    Role.KADER: {"scope": KAB_MALANG},
}


def site_pages() -> dict[str, str]:
    """Every page of the site as {name: concrete URL}; the admin site is represented by its index."""
    pages: dict[str, str] = {}
    for route, namespace, pattern in iter_patterns():
        if namespace == "admin" or namespace.startswith("admin:"):
            continue  # the whole admin site shares one declaration; /admin/ stands for it
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name or route
        if pattern.pattern.regex.groups and name not in SAMPLE_KWARGS:
            pytest.fail(f"the page '{route}' takes parameters: add sample values to SAMPLE_KWARGS")
        pages[name] = reverse(name, kwargs=SAMPLE_KWARGS.get(name)) if pattern.name else "/" + route
    pages["admin:index"] = reverse("admin:index")
    return pages


def outcome_of(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 302:
        return response["Location"]
    return response.status_code


def matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, Redirect):
        if not isinstance(actual, str):
            return False
        if "?" in expected.to:
            return actual.startswith(expected.to)
        return actual.split("?")[0] == expected.to
    return bool(expected == actual)


def test_every_page_is_in_the_access_table(db):
    pages = set(site_pages())
    missing = sorted(pages - set(EXPECTED))
    stale = sorted(set(EXPECTED) - pages)
    assert not missing, f"add the new page(s) to the access table EXPECTED: {missing}"
    assert not stale, f"remove the page(s) that no longer exist from EXPECTED: {stale}"
    for name, outcomes in EXPECTED.items():
        assert set(outcomes) == set(EVERYONE), f"{name}: give an outcome for every role and anonymous"


def test_every_page_answers_every_role_as_declared(malang, make_user):
    clients: dict[str, Client] = {ANONYMOUS: Client()}
    for role, scope in SCOPES.items():
        clients[role] = verified_client(make_user(role, scope["scope"], tps_number=scope.get("tps_number")))
    assert set(clients) == set(EVERYONE), "give every role a scope in SCOPES"

    wrong = []
    for name, url in site_pages().items():
        if name not in EXPECTED:
            wrong.append(f"{url} ({name}) is not in the access table EXPECTED")
        for who, expected in EXPECTED.get(name, {}).items():
            actual = outcome_of(clients[who], url)
            if not matches(expected, actual):
                wrong.append(f"{url} ({name}) as {who}: expected {expected}, got {actual}")
    assert not wrong, "\n".join(wrong)


# --- undeclared pages ----------------------------------------------------------------------------


@pytest.fixture
def with_forgotten_page(settings: Any) -> None:
    settings.ROOT_URLCONF = THIS_URLCONF


def test_a_page_without_declaration_is_refused_to_everyone(with_forgotten_page, malang, role_client):
    for client in (Client(), role_client(Role.ADMIN, KAB_MALANG), role_client(Role.KADER, KAB_MALANG)):
        response = client.get("/lupa-deklarasi/")
        assert response.status_code == 403
        assert b"data rahasia" not in response.content


def test_the_system_check_names_a_page_without_declaration(with_forgotten_page):
    errors = [e for e in checks.run_checks() if e.id == "awas.E001"]
    assert len(errors) == 1
    assert "lupa-deklarasi/" in errors[0].msg
    assert "forgotten_view" in errors[0].msg


def test_the_real_site_passes_the_system_check():
    assert [e for e in checks.run_checks() if e.id == "awas.E001"] == []


# --- second factor -------------------------------------------------------------------------------


def _signed_in_without_second_factor(make_user: Any, role: str) -> Client:
    scope = SCOPES[role]
    client = Client()
    client.force_login(make_user(role, scope["scope"], tps_number=scope.get("tps_number")))
    return client


@pytest.mark.parametrize("role", sorted(OTP_ROLES))
def test_staff_without_second_factor_are_sent_to_enrol(malang, make_user, role):
    client = _signed_in_without_second_factor(make_user, role)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/daftar/?next=%2F"
    # Account pages stay open so the user can enrol, change the password or log out.
    assert client.get("/akun/kata-sandi/").status_code == 200


def test_staff_with_a_device_are_asked_for_a_code(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.PIMPINAN)
    user = client.get("/akun/kata-sandi/").wsgi_request.user
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)

    for url in ("/audit/", "/wilayah/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/akun/2fa/?next=")


def test_admin_site_needs_the_second_factor(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.ADMIN)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/akun/2fa/daftar/?next=%2Fadmin%2F"


def test_kader_needs_no_second_factor(malang, make_user):
    client = _signed_in_without_second_factor(make_user, Role.KADER)
    assert client.get("/").status_code == 200


def test_a_deactivated_account_is_shut_out_at_once(malang, make_user):
    user = make_user(Role.PIMPINAN, KAB_MALANG)
    client = verified_client(user)
    assert client.get("/audit/").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
