"""The poller: subscribes feeds, and polls them into the corpus, each poll one reload.

A poll holds the reload lease from its first request to its switch
(:meth:`CorpusStore.reload_session`), so only one poll or reload runs at a
time across every process on the store. It fetches each chosen feed with a
conditional GET, takes the entries it has not seen (or that changed), reads
each from the feed's full content or from its page (robots.txt, the per-host
delay and the fetch policy apply), and makes one reload of what is new — the
same build-beside-and-switch as ``/reload`` — that also drops the feed
articles retention or unsubscribing let go. Only once that reload has
switched are the feeds' validators and the entries seen written to the book:
a poll that fails leaves both the corpus and the book as they were. A page
that fails is reported by URL with its reason while the others load.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import httpx

from newsbot.models import Article
from newsbot.settings import Settings
from retrieval.feeds.book import Feed, FeedBook, FeedError, FeedState, SeenEntry
from retrieval.feeds.entries import dressed, entry_ref, from_content, from_page, text_hash
from retrieval.feeds.etiquette import DEFAULT_EVERY, backoff, describe, retry_after
from retrieval.feeds.fetcher import PoliteFetcher, PollCancelled
from retrieval.feeds.reader import FeedDocument, FeedEntry, read_feed
from retrieval.feeds.report import FeedOutcome, PollReport
from retrieval.fetching import Fetched, TransientFetch, id_stem, parse_url, status_failure
from retrieval.formats import BadSource, slugify
from retrieval.loaders import LoadFailure, LoadResult
from retrieval.reload_lease import ReloadLease
from retrieval.store_lock import StoreInUse
from retrieval.store_types import EmbeddingModelMismatch, IngestReport, ReloadInProgress

log = logging.getLogger(__name__)
MAX_ENTRIES = 50  # entries read per feed and poll, newest first as feeds list them
RETRY_FAILED_POLL = 300.0  # at least this long (and a feed's interval) before a poll that failed as a whole is retried
FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
               "text/xml;q=0.9, application/json;q=0.8, */*;q=0.1")


class Corpus(Protocol):
    """What a poll needs of the corpus (:class:`newsbot.service.NewsService` is one)."""

    def reload_session(self) -> AbstractContextManager[ReloadLease]: ...

    def articles(self) -> list[Article]: ...

    def sync_feeds(self, result: LoadResult, *, remove: Collection[str], actor: str | None,
                   lease: ReloadLease) -> IngestReport: ...


@dataclass
class _Taken:
    """What this poll has taken already, across its feeds: entries, texts and article ids."""

    refs: set[str] = field(default_factory=set)
    texts: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)


class FeedPoller:
    """Subscribes and polls the feeds in ``book`` into ``corpus``. One poll at a time; blocking.

    ``stop`` cuts a poll short between two requests (it then changes nothing).
    """

    def __init__(self, settings: Settings, book: FeedBook, corpus: Corpus | None = None, *,
                 stop: threading.Event | None = None) -> None:
        self.settings, self.book, self.corpus = settings, book, corpus
        self.stop = stop or threading.Event()
        self.fetcher = PoliteFetcher(settings, self.stop)
        self._lock = threading.Lock()

    # --- subscribing -------------------------------------------------------
    def subscribe(self, url: str, *, every: float = DEFAULT_EVERY, added_by: str,
                  due_now: bool = True) -> tuple[Feed, FeedDocument]:
        """Check that ``url`` is a feed newsbot may fetch, then subscribe to it: due at once, or (not
        ``due_now``: the caller polls it itself right away) after its first interval.

        Raises :class:`FeedError` saying why not: not a URL, refused by the fetch policy, unreachable,
        not a feed, already subscribed. Nothing is stored then.
        """
        try:
            target = parse_url(url)
        except BadSource as exc:
            raise FeedError(str(exc)) from None
        key = feed_key(target)
        existing = self.book.find(str(target)) or self.book.find(key)
        if existing is not None:
            raise FeedError(f"already subscribed: {existing.title} ({existing.url})")
        try:
            with self.fetcher.session():
                got = self.fetcher.get(str(target), {"Accept": FEED_ACCEPT}, self.settings.feed_max_bytes)
            if got.status >= 300:
                raise status_failure(got.status)
            doc = read_feed(got.body, url=got.url, content_type=got.headers.get("content-type", ""))
        except BadSource as exc:
            raise FeedError(f"{target}: {exc}") from None
        now = time.time()
        feed = Feed(key=key, url=str(target), title=doc.title or target.host, every=every, added_at=now,
                    added_by=added_by, next_poll_at=now if due_now else now + every)
        return self.book.add(feed), doc

    # --- polling -----------------------------------------------------------
    def poll(self, *, everything: bool = False, only: Collection[str] | None = None,
             actor: str = "feeds") -> PollReport:
        """Poll the due feeds (``everything``: all of them; ``only``: these keys) and reload what changed.

        A feed the server asked to wait (429/5xx) is not asked before that time, even by ``everything``.
        Never raises for a feed, a page or the store: what went wrong is in the report.
        """
        if self.corpus is None:
            raise RuntimeError("this poller has no corpus to poll into")
        now = time.time()
        report = PollReport(started_at=now)
        chosen: list[Feed] = []  # filled once the lease is held (another process may just have polled them)
        with self._lock:
            try:
                self._poll(everything, only, chosen, report, now, actor)
            except PollCancelled:  # the feeds asked for stay (or become) due: the next poll takes them
                report.error = "cancelled (newsbot is stopping); the corpus is unchanged"
                self.book.make_due([f.key for f in chosen], now)
            except (ReloadInProgress, StoreInUse) as exc:
                report.error, report.busy = str(exc), True
                self.book.make_due([f.key for f in self.book.feeds() if only is not None and f.key in only], now)
            except EmbeddingModelMismatch as exc:  # the corpus needs `newsbot ingest --rebuild` first
                report.error = str(exc)
                self.book.note(chosen, "poll failed: the corpus needs `newsbot ingest --rebuild`", polled_at=now,
                               retry_after=RETRY_FAILED_POLL)
            except Exception as exc:  # noqa: BLE001 - the old corpus keeps serving; say why in the report
                log.exception("feed poll failed")
                report.error = f"the reload failed ({exc.__class__.__name__}: {exc}); the corpus is unchanged"
                self.book.note(chosen, f"poll failed: {exc}", polled_at=now, retry_after=RETRY_FAILED_POLL)
        return report

    def _poll(self, everything: bool, only: Collection[str] | None, chosen: list[Feed], report: PollReport,
              now: float, actor: str) -> None:
        assert self.corpus is not None
        with self.corpus.reload_session() as lease:
            subscribed = self.book.feeds()
            chosen += self._choose(subscribed, everything, only, report, now)
            held = {a.id: a for a in self.corpus.articles()}
            taken = _Taken()
            with self.fetcher.session():
                for feed in chosen:
                    report.feeds.append(self._poll_feed(feed, held, taken, now))
            report.expired = self._let_go(held, {f.key for f in subscribed}, now)
            fresh = [a for o in report.feeds for a in o.articles]
            self.fetcher.check_stop()
            if fresh or report.expired:
                report.ingest = self.corpus.sync_feeds(LoadResult(fresh, report.page_failures), remove=report.expired,
                                                       actor=actor, lease=lease)
            self.book.record([o.state for o in report.feeds if o.state is not None],
                             [e for o in report.feeds for e in o.seen], polled_at=now, dropped=report.expired)

    @staticmethod
    def _choose(subscribed: list[Feed], everything: bool, only: Collection[str] | None, report: PollReport,
                now: float) -> list[Feed]:
        """The feeds to poll: the due ones, all, or those asked for — less those the server asked to wait."""
        chosen = []
        for feed in subscribed:
            if only is not None and feed.key not in only:
                continue
            if feed.held(now) and (everything or only is not None):
                until = datetime.fromtimestamp(feed.held_until or now, UTC).isoformat(timespec="minutes")
                report.feeds.append(FeedOutcome(feed, "held back", f"the server asked to wait until {until}"))
            elif everything or only is not None or feed.due(now):
                chosen.append(feed)
        return chosen

    def _poll_feed(self, feed: Feed, held: dict[str, Article], taken: _Taken, now: float) -> FeedOutcome:
        headers = {"Accept": FEED_ACCEPT}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            got = self.fetcher.get(feed.url, headers, self.settings.feed_max_bytes)
            if got.status == 304:
                return FeedOutcome(feed, "not modified", state=self._state(feed, now, "not modified", got, keep=True))
            if got.status >= 300:
                return self._failed(feed, now, str(status_failure(got.status)), got)
            doc = read_feed(got.body, url=got.url, content_type=got.headers.get("content-type", ""))
        except PollCancelled:
            raise
        except BadSource as exc:
            return self._failed(feed, now, str(exc))
        except Exception as exc:  # noqa: BLE001 - one odd feed must not stop the others
            log.exception("feed %s could not be read", feed.url)
            return self._failed(feed, now, f"could not be read ({exc.__class__.__name__})")
        outcome = FeedOutcome(feed, "fetched", entries=len(doc.entries))
        retry = self._take_entries(feed, doc, held, taken, now, outcome)
        result = outcome.line if not retry else outcome.line + " (failed pages are tried again next poll)"
        outcome.state = self._state(feed, now, result, None if retry else got, keep=False, ok=not outcome.failures)
        return outcome

    def _take_entries(self, feed: Feed, doc: FeedDocument, held: dict[str, Article], taken: _Taken, now: float,
                      outcome: FeedOutcome) -> bool:
        """Read the new and changed entries into ``outcome``; True when a page failed in a way worth retrying."""
        entries = doc.entries[:MAX_ENTRIES]
        seen = self.book.entries(entry_ref(e, feed.key) for e in entries)
        retention = self.settings.feed_retention_days * 86400.0
        retry = False
        for entry in entries:
            self.fetcher.check_stop()
            ref = entry_ref(entry, feed.key)
            before = seen.get(ref)
            if ref in taken.refs or (before is not None and before.fingerprint == entry.fingerprint
                                     and (before.state != "held" or before.article_id in held)):
                continue  # seen and unchanged (or taken by another feed in this poll): not fetched again
            taken.refs.add(ref)
            published = entry.published.timestamp() if entry.published else None
            first_seen = before.seen_at if before is not None else now
            mark = _marker(ref, feed.key, entry, published, first_seen)
            if retention and (published if published is not None else first_seen) < now - retention:
                outcome.seen.append(mark("", "", "old", "older than NEWSBOT_FEED_RETENTION_DAYS"))
                continue
            try:
                article = self._article(entry, doc, feed)
            except TransientFetch as exc:  # not marked seen: the next poll tries it again
                outcome.failures.append(LoadFailure(ref, str(exc)))
                retry = True
                continue
            except BadSource as exc:
                outcome.failures.append(LoadFailure(ref, str(exc)))
                outcome.seen.append(mark("", "", "failed", str(exc)))
                continue
            except PollCancelled:
                raise
            except Exception as exc:  # noqa: BLE001 - a parser bug on one odd page must not stop the others
                log.exception("entry %s could not be read", ref)
                reason = f"could not be parsed ({exc.__class__.__name__})"
                outcome.failures.append(LoadFailure(ref, reason))
                outcome.seen.append(mark("", "", "failed", reason))
                continue
            digest = text_hash(article)
            twin = taken.texts.get(digest) or self.book.url_with_text(digest)
            if (twin is not None and twin != ref) or article.id in taken.ids:
                outcome.seen.append(mark(article.id, digest, "duplicate", f"the same story as {twin or article.id}"))
                continue
            taken.texts[digest] = ref
            taken.ids.add(article.id)
            outcome.articles.append(article)
            outcome.seen.append(mark(article.id, digest, "held", ""))
        return retry

    def _article(self, entry: FeedEntry, doc: FeedDocument, feed: Feed) -> Article:
        """The entry's article: the feed's full content, else its page (robots.txt permitting)."""
        label = entry_ref(entry, feed.key)
        base = from_content(entry, label=label) if entry.has_content else None
        if base is None:
            if not entry.url:
                raise BadSource("the entry has neither a link nor content")
            base = from_page(self.fetcher.page(entry.url), label=label)
        return dressed(base, entry, doc, feed_key=feed.key, feed_url=feed.url)

    def _let_go(self, held: dict[str, Article], subscribed: set[str], now: float) -> list[str]:
        """Feed articles to drop: those of feeds no longer subscribed, and those older than the retention."""
        retention = self.settings.feed_retention_days * 86400.0
        entries = self.book.held_entries() if retention else {}
        out = []
        for aid, article in held.items():
            if not article.feed:
                continue
            if article.feed not in subscribed:
                out.append(aid)
                continue
            if not retention:
                continue
            entry = entries.get(aid)
            when = (entry.published_at if entry.published_at is not None else entry.seen_at) if entry \
                else _timestamp(article.published)
            if when is not None and when < now - retention:
                out.append(aid)
        return sorted(out)

    # --- feed state ----------------------------------------------------------
    def _state(self, feed: Feed, now: float, result: str, got: Fetched | None, *, keep: bool,
               ok: bool = True) -> FeedState:
        """A poll that reached the feed: next one after the interval; new validators unless ``keep``."""
        headers = got.headers if got is not None else httpx.Headers()
        return FeedState(feed.key, result, ok, now + feed.every, 0, None, headers.get("etag"),
                         headers.get("last-modified"), keep_validators=keep)

    def _failed(self, feed: Feed, now: float, reason: str, got: Fetched | None = None) -> FeedOutcome:
        """A feed that could not be read: back off; a 429 or 5xx also holds it for at least its Retry-After."""
        failures = feed.failures + 1
        wait = backoff(feed.every, failures)
        held_until = None
        if got is not None and (got.status == 429 or got.status >= 500):
            wait = max(wait, retry_after(got.headers, now) or 0.0)
            held_until = now + wait
        said = f"{reason}; next try in {describe(wait)}"
        state = FeedState(feed.key, f"failed: {said}", False, now + wait, failures, held_until, None, None,
                          keep_validators=True)
        return FeedOutcome(feed, "failed", said, state=state)


def feed_key(url: httpx.URL) -> str:
    """A subscription's stable id, from its URL: host (and port, when not the scheme's own), path and query."""
    port = f":{url.port}" if url.port is not None else ""
    return slugify(id_stem(url).replace(url.host, f"{url.host}{port}", 1))


def _marker(ref: str, feed_key: str, entry: FeedEntry, published: float | None,
            first_seen: float) -> Callable[[str, str, str, str], SeenEntry]:
    """Makes the entry's record once its fate is known: (article id, text hash, state, reason)."""
    def mark(article_id: str, digest: str, state: str, reason: str) -> SeenEntry:
        return SeenEntry(ref, feed_key, article_id, entry.fingerprint, digest, state, reason, published, first_seen)

    return mark


def _timestamp(published: str) -> float | None:
    """An article's ISO date as a timestamp (midnight UTC), None when it has none that reads."""
    try:
        when = datetime.fromisoformat(published.strip()[:10])
    except ValueError:
        return None
    return when.replace(tzinfo=UTC).timestamp()
