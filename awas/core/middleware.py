from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

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
