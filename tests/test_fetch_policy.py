"""The fetch policy against a real HTTP server on 127.0.0.1: loopback, private, link-local and metadata
addresses are refused — written as an address, as a DNS name that resolves to one, or behind a redirect —
unless NEWSBOT_FETCH_ALLOW_HOSTS lists the host."""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from newsbot.settings import Settings
from retrieval.fetch_policy import FetchPolicy, refusal
from retrieval.loaders import load_url

PAGE = ("<html><head><title>Harbour reopens</title></head><body><article><p>"
        + "The harbour reopened on Monday after the storm had closed it for a week. " * 6
        + "</p></article></body></html>").encode()
ALLOW_TEST_SERVER = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))


class _Site(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []
    port: ClassVar[int] = 0

    def do_GET(self) -> None:  # noqa: N802
        self.requests.append(self.path)
        redirects = {"/to-localhost": f"http://localhost:{self.port}/page",
                     "/to-metadata": "http://169.254.169.254/latest/meta-data/iam/",
                     "/to-private": "http://10.20.30.40/admin",
                     "/to-mapped": f"http://[::ffff:127.0.0.1]:{self.port}/page",
                     "/hop": "/page"}
        if self.path in redirects:
            self.send_response(302)
            self.send_header("Location", redirects[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    server.daemon_threads = True
    _Site.requests, _Site.port = [], server.server_address[1]
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield _Site.port
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.1", "a loopback address"), ("127.8.9.10", "a loopback address"), ("::1", "a loopback address"),
    ("10.1.2.3", "a private address"), ("172.16.0.9", "a private address"), ("192.168.1.1", "a private address"),
    ("fd12:3456::1", "a private address"), ("169.254.10.20", "a link-local address"),
    ("fe80::1", "a link-local address"), ("169.254.169.254", "a cloud metadata address"),
    ("fd00:ec2::254", "a cloud metadata address"), ("100.100.100.200", "a cloud metadata address"),
    ("0.0.0.0", "an unspecified address"), ("::", "an unspecified address"),
    ("100.64.0.1", "not a public address"), ("224.0.0.251", "not a public address"),
    ("::ffff:127.0.0.1", "a loopback address"), ("::ffff:10.0.0.1", "a private address"),
    ("2002:a00:1::", "a private address"), ("64:ff9b::a9fe:a9fe", "a cloud metadata address"),
])
def test_addresses_in_the_refused_ranges_are_named_by_kind(address: str, kind: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_not_refused(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(("host", "said"), [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
    ("2130706433", "2130706433 resolves to 127.0.0.1, a loopback address"),  # 127.0.0.1 as one number
    ("0x7f.1", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
    ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1 is a loopback address"),
    ("0.0.0.0", "0.0.0.0 is an unspecified address"),
])
def test_a_loopback_server_is_refused_before_any_connection(port: int, host: str, said: str) -> None:
    url = f"http://{host}:{port}/page"
    result = load_url(url)
    assert result.articles == [] and len(result.failures) == 1
    reason = result.failures[0].reason
    assert reason.startswith(f"refused: {said}") and "NEWSBOT_FETCH_ALLOW_HOSTS" in reason
    assert _Site.requests == []  # never connected


def test_a_host_the_allow_list_names_is_fetched(port: int) -> None:
    (article,) = load_url(f"http://127.0.0.1:{port}/page", policy=ALLOW_TEST_SERVER).articles
    assert article.title == "Harbour reopens" and _Site.requests == ["/page"]
    named = FetchPolicy(allow_hosts=frozenset({"localhost"}))
    assert load_url(f"http://LOCALHOST:{port}/page", policy=named).articles  # the case is ignored
    assert load_url(f"http://127.0.0.1:{port}/page", policy=FetchPolicy.unrestricted()).articles


def test_the_allow_list_is_read_from_the_environment_as_json(port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_HOSTS", '["127.0.0.1", "feeds.intranet.example"]')
    policy = FetchPolicy.from_settings(Settings())
    assert policy.allow_hosts == {"127.0.0.1", "feeds.intranet.example"}
    assert load_url(f"http://127.0.0.1:{port}/page", policy=policy).failures == []


@pytest.mark.parametrize(("path", "said"), [
    ("/to-localhost", "refused: localhost resolves to 127.0.0.1, a loopback address"),
    ("/to-metadata", "refused: 169.254.169.254 is a cloud metadata address"),
    ("/to-private", "refused: 10.20.30.40 is a private address"),
    ("/to-mapped", "refused: ::ffff:127.0.0.1 is a loopback address"),
])
def test_a_redirect_from_an_allowed_host_to_a_refused_address_is_refused(port: int, path: str, said: str) -> None:
    result = load_url(f"http://127.0.0.1:{port}{path}", policy=ALLOW_TEST_SERVER)
    assert result.articles == [] and len(result.failures) == 1
    reason = result.failures[0].reason
    assert reason.startswith("redirected to http") and said in reason
    assert _Site.requests == [path]  # the redirect's target was never asked


def test_a_redirect_within_the_allowed_host_is_followed(port: int) -> None:
    (article,) = load_url(f"http://127.0.0.1:{port}/hop", policy=ALLOW_TEST_SERVER).articles
    assert article.title == "Harbour reopens" and _Site.requests == ["/hop", "/page"]


def test_every_fetch_names_newsbot(port: int) -> None:
    seen: list[str] = []

    class Recorder(_Site):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.headers.get("User-Agent", ""))
            super().do_GET()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        load_url(f"http://127.0.0.1:{server.server_address[1]}/page", policy=ALLOW_TEST_SERVER)
    finally:
        server.shutdown()
        server.server_close()
    assert seen and seen[0].startswith("newsbot/")
