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
