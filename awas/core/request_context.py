"""Who is acting and from where, for the audit log, without passing the request everywhere."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    user: Any
    ip_address: str | None


current_request: ContextVar[RequestInfo | None] = ContextVar("awas_current_request", default=None)


def client_ip(request: Any) -> str | None:
    # Behind nginx the real client is the first X-Forwarded-For hop; set AWAS_TRUST_PROXY only then.
    from django.conf import settings

    if getattr(settings, "AWAS_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return str(forwarded.split(",")[0].strip())
    return request.META.get("REMOTE_ADDR") or None
