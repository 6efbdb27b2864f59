from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from awas.core.language import office_language_active


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", {"reason": "role"}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing security token (a page left open for hours, cookies
    cleared): say so plainly and send the person back to the form. The public forms keep what was
    typed in the tab (cases/kirim.js), so going back loses nothing but the attached files."""
    office_language_active(request)  # like the public pages it is sent from
    # Back to the page the form was on: many staff forms post to a POST-only address of their own.
    referer = request.headers.get("referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    back = referer if referer and same_site else request.path
    return render(request, "core/403.html", {"reason": "csrf", "back": back}, status=403)
