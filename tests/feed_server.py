"""A news site on 127.0.0.1 for the feed tests: a real aiohttp server in its own thread.

It serves whatever a test puts at a path — RSS 2.0, Atom and JSON feeds, article pages, robots.txt —
and the ways real sites misbehave: an answer of 304 to a matching conditional GET, 429 with
Retry-After, 500, a slow answer, a body that is not a feed, a page over the size cap, a redirect.
Every request is recorded (path, headers, arrival time) so tests can check what the poller asked.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from aiohttp import web


@dataclass
class Route:
    """What one path answers."""

    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answers 304 to If-None-Match with this value
    last_modified: str | None = None  # answers 304 to If-Modified-Since with this value
    delay: float = 0.0  # seconds before answering


@dataclass(frozen=True)
class Seen:
    """One request the site received."""

    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() on arrival


class FeedSite:
    """The site. ``put(path, ...)`` sets what a path answers; ``requests`` lists what was asked, in order."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Seen] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> FeedSite:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def put(self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8",
            **options: object) -> str:
        """Serve ``body`` at ``path`` (options: status, headers, etag, last_modified, delay); its URL."""
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, content_type, **options)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, location: str) -> str:
        return self.put(path, b"", status=302, headers={"Location": location})

    def asked(self, path: str) -> list[Seen]:
        """The requests for ``path`` (query strings included in the path as asked)."""
        return [r for r in self.requests if r.path == path]

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("GET", "/{tail:.*}", self._answer)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _answer(self, request: web.Request) -> web.Response:
        self.requests.append(Seen(request.path_qs, dict(request.headers), time.monotonic()))
        route = self.routes.get(request.path_qs) or self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not here")
        if route.delay:
            await asyncio.sleep(route.delay)
        not_modified = ((route.etag and request.headers.get("If-None-Match") == route.etag)
                        or (route.last_modified and request.headers.get("If-Modified-Since") == route.last_modified))
        validators = {k: v for k, v in (("ETag", route.etag), ("Last-Modified", route.last_modified)) if v}
        if not_modified and route.status == 200:
            return web.Response(status=304, headers=validators)
        return web.Response(status=route.status, body=route.body, headers={
            "Content-Type": route.content_type, **validators, **route.headers})


# --- documents ---------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """A feed entry: its page link (absolute or site-relative), and full content if the feed carries it."""

    title: str
    link: str
    published: datetime
    content: str = ""  # HTML the feed carries in full ("" = read the page)
    summary: str = "A short teaser."
    guid: str = ""


def rss(title: str, items: list[Item], *, site: str = "https://courier.example/") -> str:
    """An RSS 2.0 feed (content:encoded for full content)."""
    out = []
    for it in items:
        full = f"<content:encoded><![CDATA[{it.content}]]></content:encoded>" if it.content else ""
        out.append(f"<item><title>{escape(it.title)}</title><link>{escape(it.link)}</link>"
                   f"<guid>{escape(it.guid or it.link)}</guid><pubDate>{format_datetime(it.published, usegmt=True)}"
                   f"</pubDate><description>{escape(it.summary)}</description>{full}</item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            f"<title>{escape(title)}</title><link>{escape(site)}</link><description>News</description>"
            + "".join(out) + "</channel></rss>")


def atom(title: str, items: list[Item], *, site: str = "https://wire.example/") -> str:
    """An Atom 1.0 feed (<content type="html"> for full content)."""
    out = []
    for it in items:
        when = it.published.isoformat()
        full = f'<content type="html">{escape(it.content)}</content>' if it.content else ""
        out.append(f'<entry><title>{escape(it.title)}</title><link rel="alternate" href="{escape(it.link)}"/>'
                   f"<id>{escape(it.guid or it.link)}</id><published>{when}</published><updated>{when}</updated>"
                   f"<summary>{escape(it.summary)}</summary>{full}</entry>")
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>{escape(title)}</title><link href="{escape(site)}"/><id>urn:feed:{escape(title)}</id>'
            f"<updated>{datetime.now(UTC).isoformat()}</updated>" + "".join(out) + "</feed>")


def json_feed(title: str, items: list[Item], *, site: str = "https://digest.example/", text: bool = False) -> str:
    """A JSON Feed 1.1 (content_html, or content_text when ``text``, for full content)."""
    rows = []
    for it in items:
        row = {"id": it.guid or it.link, "url": it.link, "title": it.title, "summary": it.summary,
               "date_published": it.published.isoformat()}
        if it.content:
            row["content_text" if text else "content_html"] = it.content
        rows.append(row)
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title, "home_page_url": site,
                       "items": rows})


def page(title: str, text: str) -> str:
    """An article page with the clutter trafilatura leaves out (menu, script)."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n\n"))
    return (f"<html><head><title>{escape(title)}</title><script>track()</script></head><body>"
            f"<nav>Home | World | Sport</nav><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>")
