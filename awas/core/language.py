"""The office's language (Indonesian) unless the person chose another on a page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

View = Callable[..., HttpResponse]


def office_language_active(request: HttpRequest) -> None:
    """Indonesian whatever the phone's language, unless a language was chosen on the page."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE


def indonesian_by_default(view: View) -> View:
    """The public reads Indonesian whatever the phone's language, unless they chose one on the page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        office_language_active(request)
        return view(request, *args, **kwargs)

    return wrapper


# --- the switch pressed on a form being filled in ------------------------------------------------

# The header's switch (core/base.html) posts to Django's set_language, which redirects: what was
# typed on the page is lost. On a page that names its form (``language_keeps_form`` in the
# context), the switch buttons are that form's own submit buttons instead (``form=``), so that the
# browser sends what was typed with the language chosen, without any script; the page's view shows
# it again in that language (``language_switch_asked``).
LANGUAGE_FIELD = "language"


def language_switch_asked(request: HttpRequest) -> str | None:
    """The language a switch button sent with the form, if it is one the site speaks."""
    code = request.POST.get(LANGUAGE_FIELD, "")
    return code if code in dict(settings.LANGUAGES) else None


def language_switch(request: HttpRequest, code: str) -> None:
    """Speak ``code`` for the rest of this request (the page drawn again)."""
    translation.activate(code)
    request.LANGUAGE_CODE = code


def language_remember(response: HttpResponse, code: str) -> HttpResponse:
    """The choice kept for the next pages, as Django's set_language keeps it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    response["Content-Language"] = code
    return response
