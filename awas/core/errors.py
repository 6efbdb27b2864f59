from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from awas.core.language import office_language_active


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/403.html", {"reason": "role"}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an expired or missing security token (a page left open for hours, cookies
    cleared): say so plainly and send the person back to the form. The public forms keep what was
    typed in the tab (cases/kirim.js), so going back loses nothing but the attached files."""
    office_language_active(request)  # like the public pages it is sent from
    return render(request, "core/403.html", {"reason": "csrf", "back": request.path}, status=403)
