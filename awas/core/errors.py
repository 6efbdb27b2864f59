from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from awas.core.language import office_language_active


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", {"reason": "role"}, status=403)


def _way_back(request: HttpRequest) -> dict[str, str]:
    """Where the person can go on from: the reporting pages for the public who were on them (the
    staff home page only leads the public to a login form), the home page for everyone."""
    public_index = reverse("public:index")
    return {"public_index": public_index if request.path.startswith(public_index) else ""}


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Also what staff get for a record outside their region scope (``visible_to``), on purpose:
    the page must not say the record does not exist, and never shows the exception's text."""
    return render(request, "core/404.html", _way_back(request), status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A request Django refuses (SuspiciousOperation, BadRequest, an unknown Host header). An unknown
    host is refused before the auth middleware runs: the layout then shows the page signed out."""
    return render(request, "core/400.html", _way_back(request), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context, request or database: whatever broke may be any of them."""
    return HttpResponseServerError(loader.get_template("core/500.html").render())


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
