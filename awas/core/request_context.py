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
    """The client's address. Behind a reverse proxy (``AWAS_TRUST_PROXY``) it is the last
    X-Forwarded-For hop, the one the proxy appended: the hops before it are whatever the client
    sent, and taking the first would let anyone choose their address (and dodge a rate limit)."""
    from django.conf import settings

    if getattr(settings, "AWAS_TRUST_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return str(forwarded.split(",")[-1].strip()) or None
    return request.META.get("REMOTE_ADDR") or None
