"""Rate limits per client address, counted in the database (``AttemptWindow``)."""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from awas.core.models import AttemptWindow


def limited_subject(address: str | None) -> str:
    """Who a limit counts: the IPv4 address, or the IPv6 /64 network.

    One phone or home gets a whole /64 from its carrier and may use any address in it, so counting
    single IPv6 addresses would let a guesser take a fresh one for every try.
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _window_key(purpose: str, address: str | None) -> str:
    # Keyed with the secret key: the hash of an IPv4 address could otherwise be reversed by
    # trying all 2^32 of them.
    value = f"{purpose}:{limited_subject(address)}"
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
