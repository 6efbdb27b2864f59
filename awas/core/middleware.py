from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from awas.core.request_context import RequestInfo, client_ip, current_request


class RequestContextMiddleware:
    """Makes the acting user and client address available to services (for the audit log)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestInfo(user=getattr(request, "user", None), ip_address=client_ip(request))
        )
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class IndonesianFirstLocaleMiddleware:
    """Indonesian unless the user chose English with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, and most phones and office
    browsers in Indonesia send English: the office's interface must still speak Indonesian.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class PrivatePagesMiddleware:
    """Pages served to a signed-in user are never stored by the browser or a proxy.

    They carry personal data (a pelapor's identity, ASN records, evidence): on an office PC
    shared between staff, the back button after logging out or the browser's cache must not
    show them again (UU 27/2022). A response that set its own caching keeps it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
