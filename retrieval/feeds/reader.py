"""Reading a feed document: RSS and Atom with feedparser, JSON Feed from its JSON; one shape for all three.

feedparser (6.x) reads every RSS and Atom version and survives the ill-formed
XML feeds are often served as; it is never given a URL or a path, only the
bytes already fetched under the fetch policy, so it makes no request of its
own. It does not read JSON Feed, which is plain JSON with a published schema
(https://jsonfeed.org/version/1.1): :func:`_json_feed` maps it onto the same
:class:`FeedEntry`. A document that is neither is refused with the reason.

Full content is what the feed carries as the article itself — RSS
``content:encoded``, Atom ``<content>``, JSON Feed ``content_html`` /
``content_text`` — never a summary or description, which are teasers: an
entry without full content is read from its page.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from retrieval.formats import BadSource

_TAG = re.compile(r"<[^>]+>")
JSON_FEED_VERSION = "https://jsonfeed.org/version/"


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed describes it."""

    key: str  # the entry's id or guid, else its link
    url: str  # absolute link to the article's page ("" when the entry has none)
    title: str
    published: datetime | None  # when published (else updated), UTC
    updated: str  # the feed's own "updated" value, as written: a change marks a changed entry
    content_html: str  # full content as HTML ("" when the feed carries none)
    content_text: str  # full content as plain text (JSON Feed's content_text)
    summary: str

    @property
    def has_content(self) -> bool:
        return bool(self.content_html.strip() or self.content_text.strip())

    @property
    def fingerprint(self) -> str:
        """A hash of what the feed says about the entry: another value means the entry changed."""
        said = [self.key, self.url, self.title, self.updated, self.content_html, self.content_text, self.summary,
                self.published.isoformat() if self.published else ""]
        return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class FeedDocument:
    """A feed's title, its site and its entries (in the feed's order, newest first as feeds list them)."""

    title: str
    site: str
    format: str  # "rss20", "atom10", "json" ... (feedparser's version names)
    entries: list[FeedEntry]


def read_feed(body: bytes, *, url: str, content_type: str = "") -> FeedDocument:
    """The feed in ``body`` (fetched from ``url``, which relative links resolve against); ``BadSource`` if none."""
    if not body.strip():
        raise BadSource("the feed is empty")
    if body.lstrip()[:1] in (b"{", b"[") or "json" in content_type.lower():
        return _json_feed(body, url)
    import feedparser  # imported when a feed is read: the CLI's other commands do without it

    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url,
                                                                  "content-type": content_type or "application/xml"})
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({_first_line(str(problem))})" if problem else ""
        raise BadSource(f"not an RSS, Atom or JSON feed{detail}")
    head = parsed.get("feed", {})
    entries = [_xml_entry(e, url) for e in parsed.get("entries", [])]
    return FeedDocument(title=_title(head), site=head.get("link", "") or "",
                        format=parsed["version"], entries=entries)


def _xml_entry(e: Any, base: str) -> FeedEntry:
    content_html = content_text = ""
    for part in e.get("content") or []:
        kind = (part.get("type") or "").lower()
        if kind in ("text/html", "application/xhtml+xml") and not content_html:
            content_html = part.get("value", "")
        elif kind == "text/plain" and not content_text:
            content_text = part.get("value", "")
    summary = e.get("summary", "")
    if summary and summary in (content_html, content_text):  # Atom: feedparser copies the content as summary
        summary = ""
    when = e.get("published_parsed") or e.get("updated_parsed")
    link = urljoin(base, e.get("link", "")) if e.get("link") else ""
    return FeedEntry(key=str(e.get("id") or link or ""), url=link, title=_title(e),
                     published=datetime.fromtimestamp(calendar.timegm(when), UTC) if when else None,
                     updated=str(e.get("updated", "")), content_html=content_html, content_text=content_text,
                     summary=summary)


def _json_feed(body: bytes, base: str) -> FeedDocument:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BadSource(f"not an RSS, Atom or JSON feed (invalid JSON: {_first_line(str(exc))})") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        raise BadSource("not an RSS, Atom or JSON feed (JSON without a JSON Feed version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise BadSource("not a usable JSON Feed ('items' is not a list)")
    entries = [_json_entry(item, base) for item in items if isinstance(item, dict)]
    return FeedDocument(title=_text(data.get("title")), site=_text(data.get("home_page_url")), format="json",
                        entries=entries)


def _json_entry(item: dict[str, Any], base: str) -> FeedEntry:
    raw_url = _text(item.get("url")) or _text(item.get("external_url"))
    link = urljoin(base, raw_url) if raw_url else ""
    when = _iso(item.get("date_published")) or _iso(item.get("date_modified"))
    return FeedEntry(key=_text(item.get("id")) or link, url=link, title=" ".join(_text(item.get("title")).split()),
                     published=when, updated=_text(item.get("date_modified")),
                     content_html=_text(item.get("content_html")), content_text=_text(item.get("content_text")),
                     summary=_text(item.get("summary")))


def _iso(value: Any) -> datetime | None:
    """An RFC 3339 date as UTC (JSON Feed's dates), None when absent or unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else (str(value) if isinstance(value, int | float) else "")


def _title(holder: Any) -> str:
    """The title feedparser read, as plain text: markup dropped when the feed wrote it as HTML."""
    title = holder.get("title", "") or ""
    if (holder.get("title_detail") or {}).get("type") in ("text/html", "application/xhtml+xml"):
        title = html.unescape(_TAG.sub("", title))
    return " ".join(title.split())


def _first_line(text: str) -> str:
    return (text.splitlines() or [""])[0][:200]
