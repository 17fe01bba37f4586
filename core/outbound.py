"""Outbound HTTP with an SSRF guard: the only way Launchdeck fetches a URL it was given.

Every request's host is resolved here, every resolved address is checked (private,
loopback, link-local, CGNAT, multicast, reserved, cloud metadata; IPv4-mapped IPv6 and
decimal/hex/octal spellings included, since they all resolve to the same address), and the
connection is pinned to an address that was checked, so a DNS answer that changes between
check and connect (rebinding) cannot slip through. Redirects are followed by hand, each
hop checked again. `LAUNCHDECK_FETCH_ALLOW_HOSTS` names hosts allowed anyway (tests and
local demos use 127.0.0.1 and localhost); a caller may also trust the host of a URL an
operator configured (a provider's base URL), never one a user typed.
"""

import ipaddress
import socket
import time
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

USER_AGENT = "LaunchdeckBot/1.0 (+https://launchdeck.dev/bot; campaign research)"
# The product token robots.txt rules are matched against.
ROBOTS_USER_AGENT = "LaunchdeckBot"
DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=10.0, write=10.0, pool=5.0)
MAX_REDIRECTS = 5
# A read timeout bounds each wait for bytes, not the whole body: a server dripping one byte
# every few seconds would never trip it. This bounds one response from start to finish.
DEFAULT_DEADLINE_SECONDS = 30.0

_BLOCKED_NETWORKS = [
    ipaddress.ip_network(net)
    for net in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
        # IPv6: unspecified, loopback, IPv4-compatible (deprecated, still routed to IPv4 by
        # some stacks), unique-local, link-local, site-local, multicast, NAT64, discard,
        # documentation, and the AWS metadata service's IPv6 address.
        "::/96", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "64:ff9b::/96",
        "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fd00:ec2::254/128",
    )
]


class OutboundRefused(Exception):
    """The destination is not one Launchdeck may fetch."""


class Fetched(NamedTuple):
    response: httpx.Response  # already closed; headers and status are what callers read
    body: bytes
    url: str  # the URL that answered, after redirects

    @property
    def truncated(self) -> bool:
        return bool(self.response.extensions.get("truncated"))


def _normalise_host(host: str) -> str:
    return host.strip().lower().strip("[]").rstrip(".")


def _allowed_hosts(extra: Iterable[str] = ()) -> set[str]:
    return {_normalise_host(host) for host in (*settings.LAUNCHDECK_FETCH_ALLOW_HOSTS, *extra)}


def address_is_public(address: str) -> bool:
    """Whether `address` is one a fetch may reach without being allow-listed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    if any(ip in net for net in _BLOCKED_NETWORKS if net.version == ip.version):
        return False
    return ip.is_global


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundRefused(f"{host} does not resolve") from exc
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise OutboundRefused(f"{host} does not resolve")
    return addresses


def check_url(url: str, *, allow_hosts: Iterable[str] = ()) -> tuple[str, list[str]]:
    """Validate `url` and return (host, addresses it may connect to); raise OutboundRefused.

    Every address the name resolves to must be public: connecting to "the first public one"
    would let a name that also points inside the network through on a retry."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise OutboundRefused(f"only http and https URLs can be fetched, not {parts.scheme or 'none'}")
    if parts.username or parts.password:
        raise OutboundRefused("URLs with credentials are not fetched")
    host = _normalise_host(parts.hostname or "")
    if not host:
        raise OutboundRefused("the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise OutboundRefused("the URL has an invalid port") from exc
    addresses = resolve(host, port)
    if host in _allowed_hosts(allow_hosts):
        return host, addresses
    blocked = [a for a in addresses if not address_is_public(a)]
    if blocked:
        raise OutboundRefused(f"{host} resolves to a private or reserved address ({blocked[0]})")
    return host, addresses


class _PinnedTransport(httpx.HTTPTransport):
    """Connects to an address that was checked, whatever DNS says a moment later."""

    def __init__(self, *, allow_hosts: Iterable[str] = (), **kwargs):
        super().__init__(**kwargs)
        self._allow_hosts = tuple(allow_hosts)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        host, addresses = check_url(str(request.url), allow_hosts=self._allow_hosts)
        # Keep the Host header and the TLS server name (certificates are verified against
        # the name); change only where the socket goes.
        request.extensions = {**request.extensions, "sni_hostname": host}
        request.headers.setdefault("Host", request.url.netloc.decode("ascii"))
        original_url = request.url
        for index, address in enumerate(addresses):
            request.url = original_url.copy_with(host=address)
            try:
                return super().handle_request(request)
            except httpx.ConnectError:
                # A dual-stack name whose IPv6 address is unreachable from here: try the next
                # checked address rather than failing the whole fetch.
                if index == len(addresses) - 1:
                    raise
            finally:
                request.url = original_url
        raise AssertionError("unreachable: resolve() never returns an empty list")


def client(
    *, timeout: httpx.Timeout | float | None = None, headers: dict | None = None,
    allow_hosts: Iterable[str] = (),
) -> httpx.Client:
    """An httpx client whose every connection passes the SSRF guard. Redirects are not
    followed automatically: use `get_following_redirects`, which checks each hop.

    `allow_hosts` is for hosts an operator configured (a provider's base URL), never for
    anything derived from user input."""
    return httpx.Client(
        transport=_PinnedTransport(retries=0, allow_hosts=allow_hosts),
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        # Compressed bodies are decompressed chunk by chunk without a size limit, so one
        # small gzip chunk can become hundreds of megabytes before the byte cap sees it.
        headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})},
        follow_redirects=False,
        # No proxies, .netrc credentials or CA bundles picked up from the environment.
        trust_env=False,
    )


def _read_capped(response: httpx.Response, *, max_bytes: int | None, deadline: float) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body.extend(chunk)
        if max_bytes is not None and len(body) > max_bytes:
            del body[max_bytes:]
            response.extensions = {**response.extensions, "truncated": True}
            break
        if time.monotonic() > deadline:
            raise httpx.ReadTimeout("the response took too long to arrive", request=response.request)
    return bytes(body)


def get_following_redirects(
    http: httpx.Client, url: str, *, max_redirects: int = MAX_REDIRECTS, max_bytes: int | None = None,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS, accept: Iterable[str] = (),
) -> Fetched:
    """GET `url`, following at most `max_redirects` redirects (each checked), reading at most
    `max_bytes` of the body. Returns (response, body, final_url); `.truncated` says whether
    the body was cut at `max_bytes`.

    `accept` lists the content types wanted (e.g. "text/html"): a response of another type is
    returned with an empty body, unread, so a binary download costs nothing.

    Raises OutboundRefused for a destination the guard refuses, httpx.TooManyRedirects past
    the cap, and httpx's other errors (timeouts, connection failures) as they come."""
    wanted = tuple(accept)
    current = url
    for _hop in range(max_redirects + 1):
        try:
            httpx.URL(current)
        except httpx.InvalidURL as exc:
            raise OutboundRefused(f"not a URL that can be fetched: {exc}") from exc
        deadline = time.monotonic() + deadline_seconds
        with http.stream("GET", current) as response:
            if response.is_redirect and response.headers.get("location"):
                current = urljoin(current, response.headers["location"])
                continue
            if wanted and not _content_type_in(response, wanted):
                return Fetched(response, b"", current)
            body = _read_capped(response, max_bytes=max_bytes, deadline=deadline)
            return Fetched(response, body, current)
    raise httpx.TooManyRedirects(f"more than {max_redirects} redirects", request=response.request)


def content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _content_type_in(response: httpx.Response, wanted: tuple[str, ...]) -> bool:
    return content_type(response) in wanted
