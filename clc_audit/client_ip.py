"""The client's address as the login lockout counts it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def parse_networks(raw: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The networks of a comma-separated list of addresses or networks ("10.0.0.1,
    192.168.0.0/16"); raises ValueError naming the first that is neither."""
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or network") from None
    return networks


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that made this request.

    X-Forwarded-For is read only when the connection comes from a trusted proxy
    (settings.TRUSTED_PROXIES): then, walking it from the right, the first address that
    is not itself a trusted proxy is the client. A client that connects directly is its
    connection's address, whatever it sends, so it can neither escape the lockout nor
    lock out an address of its choosing."""
    remote = request.META.get("REMOTE_ADDR")
    if not remote or not _trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a proxy of ours never writes that: nothing to trust
    return remote
