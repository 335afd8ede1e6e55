"""A feed entry as an article: the feed's own full content when it carries it, else the page the entry links.

The page is read as ``/add url:`` reads one (trafilatura's main text; a page in another supported
format by its parser). Whichever gives the text, title, publisher (the feed's title, else its site's
host), published date and URL come from the entry, so a story reads the same whether the feed or
the page told it. An entry's article id is the id ``/add url:`` gives the same page, so a page added
by hand and then listed by a feed is held once.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from newsbot.models import Article
from retrieval.feeds.reader import FeedDocument, FeedEntry
from retrieval.fetching import Page, decode_page, id_stem, parse_url
from retrieval.formats import BadSource, content_hash, parse_document, parse_html, slugify


def entry_ref(entry: FeedEntry, feed_key: str) -> str:
    """How the entry is remembered between polls: its link, else the feed and the entry's own id."""
    return entry.url or f"{feed_key}#{entry.key}"


def entry_article_id(entry: FeedEntry, feed_key: str) -> str:
    """The article id: from the link as for ``/add url:``; an entry without one gets its feed's key and a hash."""
    if entry.url:
        try:
            return slugify(id_stem(parse_url(entry.url)))
        except BadSource:
            pass
    digest = hashlib.sha256(entry.key.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return slugify(f"{feed_key}/{digest}")


def from_content(entry: FeedEntry, *, label: str) -> Article | None:
    """The article the feed carries in full, or None when its content holds no text (then read the page)."""
    if entry.content_text.strip():
        text = entry.content_text.strip()
        return Article(id="entry", title=entry.title, text=text, source=label)
    wrapped = (f"<html><head><title>{_escape(entry.title)}</title></head>"
               f"<body><article>{entry.content_html}</article></body></html>")
    try:
        return parse_html(wrapped, default_id="entry", source=label)
    except BadSource:
        return None


def from_page(page: Page, *, label: str) -> Article:
    """The article on a fetched page (the first record of a JSON page); ``BadSource`` when there is none."""
    parsed = parse_document(page.kind, decode_page(page), default_id="entry", source=label,
                            default_url=page.final_url)
    if not parsed.articles:
        raise BadSource(parsed.problems[0] if parsed.problems else "no article on the page")
    return parsed.articles[0]


def dressed(base: Article, entry: FeedEntry, doc: FeedDocument, *, feed_key: str, feed_url: str) -> Article:
    """``base``'s text under the entry's metadata, as an article of feed ``feed_key`` (hash filled in)."""
    article_id = entry_article_id(entry, feed_key)
    site = urlsplit(doc.site or feed_url).hostname or ""
    article = Article(
        id=article_id,
        title=entry.title or base.title or article_id,
        text=base.text,
        publisher=doc.title or base.publisher or site,
        published=entry.published.date().isoformat() if entry.published else base.published,
        url=entry.url or base.url,
        language=base.language or "en",
        source=entry_ref(entry, feed_key) if entry.url else f"{feed_url}#{entry.key}",
        feed=feed_key,
    )
    return article.model_copy(update={"content_hash": content_hash(article)})


def text_hash(article: Article) -> str:
    """The hash of an article's text alone: the same story under two URLs has the same one."""
    return hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
