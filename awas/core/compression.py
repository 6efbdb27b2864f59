"""Gzip for the pages a phone on a slow link fetches most, where compressing cannot leak them.

A form page is mostly its lists (the 390 desa of Kabupaten Malang): 30-40 KB of HTML, 6-9 KB
gzipped, some seconds less on a weak 3G link. But compression has a price: BREACH
(breachattack.com). Someone who sees the encrypted traffic and can make the browser ask for pages
that put text of their choosing beside a secret in one compressed response learns the secret from
the responses' sizes, a guess at a time. Django's answers are its CSRF token, masked anew in every
response, and the random bytes (up to 100, "Heal The Breach") that GZipMiddleware and gzip_page add
to each compressed body; its documentation (ref/middleware, "GZip middleware") still warns that
these make the attack harder, not impossible.

So a page is compressed only where no one else's text can stand beside what it holds:

- a GET with no query string. Every page reflects its query string (the header's language switch
  sends the page's full address back as ``next``), the case list its search and filters, so a
  page asked with one goes uncompressed. Its path is matched by the URL patterns (numbers, a
  tracking code whose letters must be the case's own), and a page found there is the server's.
- a POST: the text the page shows again is what its sender typed, and a POST from elsewhere is
  refused by the CSRF check before anything is drawn (the public forms check it after reading the
  body: the only page drawn before, "too large to receive", shows nothing that was sent).
- HTML only. PDFs, spreadsheets, photos and archives are compressed already; each file download
  stays as it is (and a streamed one streams).

A view opts in (``@compressed_page``): the public's pages, which show nothing personal but the
filer's own receipt, and the staff forms that draw nothing written by others. Staff pages that
show personal data beside text the public wrote (a case's page, the case list: titles and
chronologies of reports anyone can file) are left uncompressed, a guess there costing the
attacker one filing, but still the kind of page BREACH reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

F = TypeVar("F", bound=Callable[..., HttpResponse])

# Django's own middleware does the compressing (Vary: Accept-Encoding, a weak ETag, the random
# bytes, streaming, nothing under 200 bytes); this module only decides when it may.
_GZIP = GZipMiddleware(lambda request: HttpResponse())


def compressible(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` may be compressed: see the module's docstring."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if request.method == "POST":
        return True
    return request.method in ("GET", "HEAD") and not request.META.get("QUERY_STRING")


def compressed_page(view: F) -> F:
    """Gzip the view's HTML for a browser that accepts it, when nothing of the request is in it."""

    @wraps(view)
    def compressing(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if compressible(request, response):
            return cast(HttpResponse, _GZIP.process_response(request, response))  # the same, compressed
        return response

    return compressing  # type: ignore[return-value]
