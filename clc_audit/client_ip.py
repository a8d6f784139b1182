"""The client's address as the login lockout counts it."""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client that made this request.

    Without proxies (settings.PROXY_COUNT, from AXES_PROXY_COUNT in the environment, is
    0): the connection's address. Behind N proxies that each append the address they
    received the request from to X-Forwarded-For: the entry N places from the right, the
    one the outermost proxy you run saw. Entries further left are whatever the client
    chose to send and are never trusted. A request with fewer entries than proxies did
    not come through them: its connection's address.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.PROXY_COUNT
    if not proxies:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    return hops[-proxies] if len(hops) >= proxies else remote
