"""The site reader against hostile sites and addresses it must not reach."""

import socket
import time

import httpx
import pytest

from core import outbound
from generators.site_reader import read_site
from generators.types import FetchRefused, InsufficientInformation
from tests.generators.local_http import LocalServer, Reply, html, redirect

READABLE = "<p>" + "Relaypoint forecasts revenue from CRM and billing data for B2B teams. " * 5 + "</p>"
PAGE = f"<html><head><title>Relaypoint</title></head><body><h1>Revenue analytics</h1>{READABLE}</body></html>"


@pytest.fixture
def allow_loopback(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["127.0.0.1", "localhost"]


@pytest.fixture
def allow_nothing(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = []


def refused(url: str, **kwargs) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        read_site(url, **kwargs)
    assert caught.value.missing == ["a public website"]
    return caught.value


# --- redirects --------------------------------------------------------------------------


def test_it_refuses_a_redirect_to_a_loopback_address_that_is_not_allowed(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["localhost"]
    with LocalServer({"/private": html(PAGE)}) as server:
        server.routes["/"] = redirect(server.url("/private", host="127.0.0.1"))

        error = refused(server.url("/", host="localhost"))

        assert "127.0.0.1" in error.detail
        assert "/private" not in server.paths()


def test_it_follows_a_redirect_within_the_cap(allow_loopback):
    with LocalServer({"/": redirect("/home"), "/home": html(PAGE)}) as server:
        facts = read_site(server.url())

    assert facts.url == server.url("/home")


def test_it_gives_up_on_a_redirect_loop(allow_loopback):
    with LocalServer({"/": redirect("/a"), "/a": redirect("/")}) as server, pytest.raises(InsufficientInformation) as caught:
        read_site(server.url(), max_redirects=3)

        assert caught.value.missing == ["a reachable website"]
        assert "redirects too many times" in caught.value.detail
        assert len([p for p in server.paths() if p != "/robots.txt"]) == 4


def test_it_refuses_a_redirect_to_another_scheme(allow_loopback):
    with LocalServer({"/": redirect("file:///etc/passwd")}) as server:
        error = refused(server.url())

    assert "only http and https" in error.detail


# --- what a page may be -----------------------------------------------------------------


def _huge_page(handler):
    """Ten megabytes of HTML, sent without a Content-Length."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Connection", "close")
    handler.end_headers()
    handler.wfile.write(PAGE.encode()[:-len("</body></html>")])
    chunk = ("<p>" + "filler text " * 800 + "</p>").encode()
    for _ in range(10_000_000 // len(chunk)):
        handler.wfile.write(chunk)


def test_it_truncates_a_huge_page_at_the_byte_cap(allow_loopback):
    with LocalServer({"/": _huge_page}) as server:
        facts = read_site(server.url(), max_page_bytes=200_000)

    assert facts.pages[0].bytes == 200_000
    assert facts.tagline.value == "Revenue analytics"


def _slow_page(handler):
    time.sleep(2)
    Reply(200, PAGE, {"Content-Type": "text/html"}).send(handler)


def test_it_gives_up_on_a_slow_page_with_a_clear_error(allow_loopback):
    with LocalServer({"/": _slow_page, "/robots.txt": Reply(404)}) as server, pytest.raises(InsufficientInformation) as caught:
        read_site(server.url(), timeout=0.3)

    assert caught.value.missing == ["a reachable website"]
    assert "did not answer in time" in caught.value.detail


def _dripping_page(handler):
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")
    handler.end_headers()
    for _ in range(100):
        handler.wfile.write(b"<p>drip</p>")
        handler.wfile.flush()
        time.sleep(0.05)


def test_a_page_dripping_bytes_cannot_outlast_the_deadline(allow_loopback):
    with LocalServer({"/": _dripping_page}) as server, outbound.client(timeout=1.0) as http, pytest.raises(httpx.ReadTimeout):
        outbound.get_following_redirects(http, server.url(), deadline_seconds=0.5)


def test_it_skips_a_binary_homepage(allow_loopback):
    binary = Reply(200, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, {"Content-Type": "application/octet-stream"})
    with LocalServer({"/": binary}) as server, pytest.raises(InsufficientInformation) as caught:
        read_site(server.url())

    assert caught.value.missing == ["readable text"]
    assert "application/octet-stream, not HTML" in caught.value.detail


def test_it_skips_binary_linked_pages_and_reads_the_rest(allow_loopback):
    home = PAGE.replace("</body>", '<a href="/pricing">Pricing</a><a href="/about">About</a></body>')
    routes = {
        "/": html(home),
        "/pricing": Reply(200, b"\xff\xd8\xff" + bytes(5000), {"Content-Type": "image/jpeg"}),
        "/about": html(PAGE.replace("Revenue analytics", "About us")),
    }
    with LocalServer(routes) as server:
        facts = read_site(server.url())

    assert [page.kind for page in facts.pages] == ["home", "about"]


def test_it_does_not_read_a_homepage_robots_txt_disallows(allow_loopback):
    routes = {"/robots.txt": Reply(200, "User-agent: *\nDisallow: /\n", {"Content-Type": "text/plain"}),
              "/": html(PAGE)}
    with LocalServer(routes) as server, pytest.raises(InsufficientInformation) as caught:
        read_site(server.url())

        assert caught.value.missing == ["permission to read the homepage (robots.txt)"]
        assert server.paths() == ["/robots.txt"]


def test_a_robots_txt_naming_launchdeckbot_applies_to_it(allow_loopback):
    robots = "User-agent: LaunchdeckBot\nDisallow: /pricing\n\nUser-agent: *\nAllow: /\n"
    home = PAGE.replace("</body>", '<a href="/pricing">Pricing</a></body>')
    routes = {"/robots.txt": Reply(200, robots, {"Content-Type": "text/plain"}), "/": html(home),
              "/pricing": html(PAGE)}
    with LocalServer(routes) as server:
        read_site(server.url())

        assert "/pricing" not in server.paths()


# --- addresses that are never fetched ----------------------------------------------------


@pytest.mark.parametrize("url", [
    "ftp://127.0.0.1/", "file:///etc/passwd", "javascript:alert(1)", "gopher://127.0.0.1:70/",
])
def test_it_refuses_schemes_other_than_http(url, allow_loopback):
    refused(url)


def test_it_refuses_credentials_in_the_url(allow_loopback):
    with LocalServer({"/": html(PAGE)}) as server:
        error = refused(server.url().replace("http://", "http://admin:hunter2@"))

        assert server.received == []
    assert "credentials" in error.detail


@pytest.mark.parametrize("host", [
    "127.0.0.1", "2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]",
    "[::ffff:7f00:1]", "[::1]", "localhost",
])
def test_it_refuses_loopback_in_any_spelling(host, allow_nothing):
    with LocalServer({"/": html(PAGE)}) as server:
        refused(f"http://{host}:{server.port}/")

        assert server.received == []


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/", "http://100.100.100.200/",
    "http://0.0.0.0/", "http://10.0.0.1/", "http://192.168.1.1/", "http://172.16.0.1/",
])
def test_it_refuses_metadata_private_and_cgnat_addresses(url, allow_nothing):
    refused(url)


def _fake_dns(monkeypatch, answers: dict[str, list[list[str]]]):
    """getaddrinfo answering from `answers` (one list of addresses per successive call)."""
    real = socket.getaddrinfo
    calls: dict[str, int] = {}

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        index = min(calls.get(host, 0), len(answers[host]) - 1)
        calls[host] = calls.get(host, 0) + 1
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host][index]]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_it_refuses_a_name_that_resolves_to_a_private_address(monkeypatch, allow_nothing):
    _fake_dns(monkeypatch, {"intranet.example": [["10.1.2.3"]]})

    error = refused("https://intranet.example/")

    assert "10.1.2.3" in error.detail


def test_it_refuses_a_name_with_any_private_address_among_its_answers(monkeypatch, allow_nothing):
    _fake_dns(monkeypatch, {"mixed.example": [["93.184.216.34", "192.168.0.10"]]})

    refused("https://mixed.example/")


def test_a_rebinding_name_is_connected_to_the_address_that_was_checked(monkeypatch, allow_nothing):
    """The first answer passes the check, the next points elsewhere: the connection must go
    to the checked address. The "public" address is the local server (declared public for
    the test); the rebound one is another loopback address nothing listens on."""
    monkeypatch.setattr(outbound, "address_is_public", lambda address: address == "127.0.0.1")
    calls = _fake_dns(monkeypatch, {"rebind.example": [["127.0.0.1"], ["127.0.0.3"]]})
    with LocalServer({"/": html(PAGE)}) as server, outbound.client() as http:
        fetched = outbound.get_following_redirects(http, f"http://rebind.example:{server.port}/")

        assert fetched.response.status_code == 200
        assert server.received[0].headers["host"] == f"rebind.example:{server.port}"
    assert calls["rebind.example"] == 1  # resolved once, for the check; never again to connect


def test_it_refuses_a_name_whose_answer_turns_private_between_requests(monkeypatch, allow_nothing):
    monkeypatch.setattr(outbound, "address_is_public", lambda address: address == "127.0.0.1")
    _fake_dns(monkeypatch, {"rebind.example": [["127.0.0.1"], ["127.0.0.3"]]})
    routes = {"/robots.txt": Reply(404), "/": html(PAGE)}
    with LocalServer(routes) as server:
        error = refused(f"http://rebind.example:{server.port}/")

        assert server.paths() == ["/robots.txt"]
    assert "127.0.0.3" in error.detail


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:4700:4700::1111", True), ("127.0.0.1", False), ("::1", False),
    ("::ffff:10.0.0.1", False), ("::127.0.0.1", False), ("2002:7f00:1::", False), ("169.254.169.254", False),
    ("100.64.0.1", False), ("fe80::1%eth0", False), ("fd00:ec2::254", False), ("224.0.0.1", False),
])
def test_address_is_public(address, public):
    assert outbound.address_is_public(address) is public


def test_a_linked_page_redirecting_inside_the_network_is_left_out(settings):
    settings.LAUNCHDECK_FETCH_ALLOW_HOSTS = ["localhost"]
    home = PAGE.replace("</body>", '<a href="/pricing">Pricing</a><a href="/about">About</a></body>')
    with LocalServer({"/": html(home), "/about": html(PAGE), "/secret": html(PAGE)}) as server:
        server.routes["/pricing"] = redirect(server.url("/secret", host="127.0.0.1"))

        facts = read_site(server.url("/", host="localhost"))

        assert [page.kind for page in facts.pages] == ["home", "about"]
        assert "/secret" not in server.paths()
