"""Rate limits per client address, counted in the database (``AttemptWindow``)."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from awas.core.models import AttemptWindow
from awas.core.request_context import client_ip


def limited_address(address: str | None) -> str | None:
    """Whom a limit counts, as an address: an IPv4 address itself, an IPv6 one by the first address
    of its /64 (``2001:db8:7:1::``).

    One phone or home gets a whole /64 from its carrier and may use any address in it, so counting
    single IPv6 addresses would let a guesser take a fresh one for every try.
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def axes_client_address(request: Any) -> str | None:
    """The address the login lock-out counts (``AXES_CLIENT_IP_CALLABLE``): the client's, as every
    other limit counts it."""
    return limited_address(client_ip(request))


def _window_key(purpose: str, address: str | None) -> str:
    # Keyed with the secret key: the hash of an IPv4 address could otherwise be reversed by
    # trying all 2^32 of them.
    value = f"{purpose}:{limited_address(address) or 'unknown'}"
    return salted_hmac("awas.core.limits", value, algorithm="sha256").hexdigest()


def attempts_made(purpose: str, address: str | None) -> int:
    """The attempts counted for this address in its current window (0 when none is open)."""
    found = AttemptWindow.objects.filter(key=_window_key(purpose, address), expires_at__gt=timezone.now())
    return found.values_list("count", flat=True).first() or 0


def attempt_count(purpose: str, address: str | None, *, window: dt.timedelta) -> None:
    """Count one attempt. The first one opens a window of ``window``; the count starts again
    after it ends."""
    key = _window_key(purpose, address)
    now = timezone.now()
    if AttemptWindow.objects.filter(key=key, expires_at__gt=now).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            # Ended windows go when a new one opens: the table holds only the last quarter hour's.
            AttemptWindow.objects.filter(expires_at__lte=now).delete()
            AttemptWindow.objects.create(key=key, count=1, expires_at=now + window)
    except IntegrityError:  # another request opened this window at the same moment
        AttemptWindow.objects.filter(key=key).update(count=F("count") + 1)
