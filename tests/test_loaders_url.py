"""Adding an article by URL, against a real HTTP server on 127.0.0.1: redirects, errors and limits.

The server's host is allowed as NEWSBOT_FETCH_ALLOW_HOSTS would allow it (``TEST_SERVER``); that
127.0.0.1 is refused otherwise is tests/test_fetch_policy.py's subject.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import httpx
import pytest

from retrieval.fetch_policy import FetchPolicy
from retrieval.loaders import LoadFailure, LoadResult, load_url
from tests.engine_helpers import ROOT

PAGE = (ROOT / "tests" / "fixtures" / "articles" / "council-budget.html").read_bytes()
CYRILLIC = ("<html><head><meta charset='windows-1251'><title>Новости</title></head><body><article>"
            + "<p>Городской совет утвердил новый бюджет в четверг после долгих споров депутатов.</p>" * 3
            + "</article></body></html>")


TEST_SERVER = FetchPolicy(allow_hosts=frozenset({"127.0.0.1"}))


def load(url: str, **options: object) -> LoadResult:
    """``load_url`` with the test server's host allowed."""
    return load_url(url, policy=TEST_SERVER, **options)  # type: ignore[arg-type]


class _Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        if self.path == "/slow":
            time.sleep(3)
        if self.path == "/endless":  # no Content-Length: the body streams until the client stops reading
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(10_000):
                    self.wfile.write(b"<p>" + b"x" * 1000 + b"</p>")
            except OSError:
                pass
            return
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/plain"}, b"not here"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def site() -> Iterator[str]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    _Handler.requests = []
    _Handler.routes = {
        "/news/budget": (200, html, PAGE),
        "/old-link": (302, {"Location": "/news/budget"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-ftp": (302, {"Location": "ftp://127.0.0.1/file.md"}, b""),
        "/gone": (410, html, b"<p>gone</p>"),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/feed.json": (200, {"Content-Type": "application/json"},
                       json.dumps([{"title": "A", "text": "First record."}, {"title": "B"}]).encode()),
        "/notes.md": (200, {"Content-Type": "text/plain; charset=utf-8"},
                      b"---\ntitle: Notes\npublisher: Desk\n---\nPlain notes from the desk."),
        "/big": (200, {"Content-Type": "text/html", "Content-Length": "999999999"}, b""),
        "/cp1251": (200, {"Content-Type": "text/html; charset=windows-1251"}, CYRILLIC.encode("cp1251")),
        "/cp1251-meta-only": (200, {"Content-Type": "text/html"}, CYRILLIC.encode("cp1251")),
        "/empty-page": (200, html, b"<html><body><script>x()</script></body></html>"),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_page_loads_with_its_metadata_and_the_url_as_source(site: str) -> None:
    result = load(f"{site}/news/budget")
    assert result.failures == []
    (article,) = result.articles
    assert "approved the new budget on Thursday" in article.text and "SCRIPT-TEXT" not in article.text
    assert article.source == f"{site}/news/budget" and article.id == "127.0.0.1--news--budget"
    assert (article.title, article.publisher, article.published) == (
        "Council passes budget after long debate", "Pellport Courier", "2024-05-02")
    assert article.url == "https://courier.example/2024/05/02/council-budget"  # the page's canonical address
    assert load(f"{site}/news/budget").articles == [article]  # same id and hash on every load


def test_redirects_are_followed(site: str) -> None:
    (article,) = load(f"{site}/old-link").articles
    assert "approved the new budget" in article.text and article.source == f"{site}/old-link"
    assert _Handler.requests == ["/old-link", "/news/budget"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/gone", "the server answered HTTP 410"),
        ("/missing", "the server answered HTTP 404"),
        ("/loop", "too many redirects"),
        ("/to-ftp", "redirected to an address that is not http:// or https://"),
        ("/image.png", "unsupported content type image/png"),
        ("/big", "too large (1000.0 MB > 5.0 MB)"),
        ("/empty-page", "no text extracted from HTML"),
    ],
)
def test_a_page_that_cannot_be_used_is_one_failure_naming_the_url(site: str, path: str, reason: str) -> None:
    result = load(f"{site}{path}")
    assert result.articles == [] and result.failures == [LoadFailure(f"{site}{path}", reason)]


@pytest.mark.timeout(30)
def test_an_endless_body_is_cut_off_at_the_limit(site: str) -> None:
    started = time.monotonic()
    result = load(f"{site}/endless", max_bytes=50_000)
    assert result.articles == [] and result.failures[0].reason.startswith("too large (")
    assert result.failures[0].reason.endswith("> 50.0 KB)") and time.monotonic() - started < 10


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/a.md", "file:///etc/passwd", "javascript:alert(1)", "/relative/x",
                                 "http://", ""])
def test_only_http_and_https_urls_are_fetched(site: str, url: str) -> None:
    result = load(url)
    assert result.articles == [] and len(result.failures) == 1
    assert result.failures[0].reason in ("only http:// and https:// URLs can be added", "not a valid URL")
    assert _Handler.requests == []


@pytest.mark.timeout(30)
def test_a_slow_server_times_out(site: str) -> None:
    result = load(f"{site}/slow", timeout=0.5)
    assert result.failures == [LoadFailure(f"{site}/slow", "timed out after 0.5 s")]


def test_a_closed_port_is_a_connection_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = load(f"http://127.0.0.1:{port}/x", timeout=2)
    assert result.failures == [LoadFailure(f"http://127.0.0.1:{port}/x", "could not connect to 127.0.0.1")]


def test_json_and_text_responses_use_their_parsers(site: str) -> None:
    feed = load(f"{site}/feed.json")
    assert [a.title for a in feed.articles] == ["A"] and feed.articles[0].id == "127.0.0.1--feed.json-1"
    assert feed.articles[0].url == ""  # the feed's address is not the article's
    assert feed.failures == [LoadFailure(f"{site}/feed.json", "record 2: missing 'text'")]
    (notes,) = load(f"{site}/notes.md").articles
    assert (notes.title, notes.publisher, notes.text) == ("Notes", "Desk", "Plain notes from the desk.")


def test_a_declared_or_meta_charset_is_honoured(site: str) -> None:
    for path in ("/cp1251", "/cp1251-meta-only"):
        result = load(f"{site}{path}")
        assert result.failures == [], path
        assert "Городской совет утвердил новый бюджет" in result.articles[0].text


def test_a_given_client_is_used_and_left_open(site: str) -> None:
    seen: list[str] = []
    with httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]}) as client:
        (article,) = load_url(f"{site}/old-link", client=client).articles
        assert not client.is_closed
    assert seen == [f"{site}/old-link", f"{site}/news/budget"] and article.title


def test_nothing_is_written_to_disk(site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load(f"{site}/news/budget").articles
    assert list(tmp_path.iterdir()) == []
