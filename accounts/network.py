"""Where a request comes from, as far as the portal can trust it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or, behind TRUSTED_PROXY_COUNT proxies that each
    append to X-Forwarded-For, the entry the nearest of them added for the client. Entries
    further left are the client's to write, so they are never trusted. None if unreadable."""
    address = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
