"""The feed subscriptions and every entry seen, in SQLite beside the store (``<data dir>/feeds.sqlite3``).

A subscription remembers what polite polling needs between polls — the
validators for a conditional GET (ETag, Last-Modified), when it is due next,
how many polls failed in a row and until when the server asked us to wait —
and what moderators read: the last poll, its result and the next one. An
entry seen is remembered by its URL with a fingerprint of what the feed said
about it, so an unchanged entry is neither fetched nor embedded again, and
with the hash of its text, so the same story under another URL is not held
twice. A poll's changes are written in one transaction, and only after its
reload has switched: a poll that fails leaves the book as it was, so the next
one fetches the same entries again.

Blocking and safe across threads and processes (one SQLite connection per
call; the CLI may add a feed while the bot runs).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    key TEXT PRIMARY KEY, url TEXT NOT NULL UNIQUE, title TEXT NOT NULL, every REAL NOT NULL,
    added_at REAL NOT NULL, added_by TEXT NOT NULL, etag TEXT, last_modified TEXT,
    last_poll_at REAL, last_result TEXT, last_ok INTEGER, next_poll_at REAL NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0, held_until REAL);
CREATE TABLE IF NOT EXISTS entries (
    url TEXT PRIMARY KEY, feed TEXT NOT NULL, article_id TEXT NOT NULL, fingerprint TEXT NOT NULL,
    text_hash TEXT NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL, published_at REAL, seen_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS entries_text ON entries (text_hash);
CREATE INDEX IF NOT EXISTS entries_article ON entries (article_id);
"""
FORGET_AFTER = 90 * 86400.0  # an entry no feed has listed for this long is forgotten (unless its article is held)


class FeedError(ValueError):
    """A subscription request that cannot be done as asked; ``str(exc)`` says why, in words to act on."""


@dataclass(frozen=True)
class Feed:
    """One subscription, with the state its polling keeps."""

    key: str  # stable id, from the feed's URL; the ``feed`` of its articles
    url: str
    title: str
    every: float  # seconds between polls
    added_at: float
    added_by: str
    etag: str | None = None
    last_modified: str | None = None
    last_poll_at: float | None = None
    last_result: str | None = None
    last_ok: bool | None = None
    next_poll_at: float = 0.0
    failures: int = 0  # polls failed in a row (backoff)
    held_until: float | None = None  # the server said 429/5xx: not asked again before this, even by "poll --all"

    def due(self, now: float) -> bool:
        return self.next_poll_at <= now

    def held(self, now: float) -> bool:
        return self.held_until is not None and self.held_until > now


@dataclass(frozen=True)
class SeenEntry:
    """An entry a poll dealt with: held as an article, failed for good, too old, or a duplicate of another."""

    url: str  # the entry's link (or feed key and guid for an entry without one)
    feed: str
    article_id: str
    fingerprint: str  # what the feed said about it; another fingerprint means the entry changed
    text_hash: str  # of the article text ("" when none was made)
    state: str  # "held" | "failed" | "old" | "duplicate"
    reason: str
    published_at: float | None  # the entry's date (None: the feed gave none)
    seen_at: float  # when it was first taken (retention counts from here when the feed gave no date)


@dataclass(frozen=True)
class FeedState:
    """What one poll learnt about one feed, to write with the poll's entries."""

    key: str
    result: str
    ok: bool
    next_poll_at: float
    failures: int
    held_until: float | None
    etag: str | None
    last_modified: str | None
    keep_validators: bool  # True: the stored ETag/Last-Modified stay (a 304, a failure); False: these replace them


class FeedBook:
    """The subscriptions and seen entries in the SQLite file at ``path`` (created with its folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One connection, one transaction (committed on success, rolled back on an error)."""
        with closing(sqlite3.connect(str(self.path), timeout=30)) as db:
            db.row_factory = sqlite3.Row
            with db:
                yield db

    # --- subscriptions -----------------------------------------------------
    def add(self, feed: Feed) -> Feed:
        """Store a new subscription; ``FeedError`` if its URL (or key) is already subscribed."""
        existing = self.find(feed.url) or self.find(feed.key)
        if existing is not None:
            raise FeedError(f"already subscribed: {existing.title} ({existing.url})")
        names = [f.name for f in fields(Feed)]
        with self._db() as db:
            db.execute(f"INSERT INTO feeds ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                       [_column(getattr(feed, n)) for n in names])
        return feed

    def remove(self, ref: str) -> Feed | None:
        """Drop the subscription ``ref`` (its key or URL) and the entries it brought; the feed, or None."""
        feed = self.find(ref)
        if feed is None:
            return None
        with self._db() as db:
            db.execute("DELETE FROM feeds WHERE key = ?", (feed.key,))
            db.execute("DELETE FROM entries WHERE feed = ?", (feed.key,))
        return feed

    def feeds(self) -> list[Feed]:
        """Every subscription, in the order they were added."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM feeds ORDER BY added_at, key").fetchall()
        return [_feed(r) for r in rows]

    def find(self, ref: str) -> Feed | None:
        """The subscription whose key or URL is ``ref`` (surrounding spaces ignored)."""
        ref = ref.strip()
        with self._db() as db:
            row = db.execute("SELECT * FROM feeds WHERE key = ? OR url = ?", (ref, ref)).fetchone()
        return _feed(row) if row else None

    # --- entries -----------------------------------------------------------
    def entries(self, urls: Iterable[str]) -> dict[str, SeenEntry]:
        """The seen entries among ``urls``, by URL."""
        wanted = list(dict.fromkeys(urls))
        out: dict[str, SeenEntry] = {}
        with self._db() as db:
            for lo in range(0, len(wanted), 500):
                part = wanted[lo : lo + 500]
                rows = db.execute(f"SELECT * FROM entries WHERE url IN ({', '.join('?' * len(part))})", part)
                out.update((r["url"], _entry(r)) for r in rows)
        return out

    def held_entries(self) -> dict[str, SeenEntry]:
        """The entries held as articles, by article id (their dates decide retention)."""
        with self._db() as db:
            rows = db.execute("SELECT * FROM entries WHERE state = 'held'").fetchall()
        return {r["article_id"]: _entry(r) for r in rows}

    def url_with_text(self, text_hash: str) -> str | None:
        """The URL of an entry held with this very text, if any."""
        with self._db() as db:
            row = db.execute("SELECT url FROM entries WHERE text_hash = ? AND state = 'held' LIMIT 1",
                             (text_hash,)).fetchone()
        return row["url"] if row else None

    # --- a poll's outcome ----------------------------------------------------
    def record(self, states: Iterable[FeedState], seen: Iterable[SeenEntry], *, polled_at: float,
               dropped: Iterable[str] = ()) -> None:
        """Write what a poll did, in one transaction: each feed's state, the entries it saw, and which
        articles it dropped (their entries stay known, so a feed that still lists them does not bring
        them back)."""
        with self._db() as db:
            subscribed = {row["key"] for row in db.execute("SELECT key FROM feeds")}  # one may be removed meanwhile
            for s in states:
                db.execute(
                    "UPDATE feeds SET last_poll_at = ?, last_result = ?, last_ok = ?, next_poll_at = ?, failures = ?, "
                    "held_until = ?, etag = CASE WHEN ? THEN etag ELSE ? END, "
                    "last_modified = CASE WHEN ? THEN last_modified ELSE ? END WHERE key = ?",
                    (polled_at, s.result, int(s.ok), s.next_poll_at, s.failures, s.held_until,
                     s.keep_validators and s.etag is None, s.etag,
                     s.keep_validators and s.last_modified is None, s.last_modified, s.key))
            for e in seen:
                if e.feed not in subscribed:
                    continue
                db.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                    "article_id = excluded.article_id, fingerprint = excluded.fingerprint, "
                    "text_hash = excluded.text_hash, state = excluded.state, reason = excluded.reason, "
                    "published_at = excluded.published_at",
                    [_column(getattr(e, f.name)) for f in fields(SeenEntry)])
            for article_id in dropped:
                db.execute("UPDATE entries SET state = 'expired' WHERE article_id = ? AND state = 'held'",
                           (article_id,))
            db.execute("DELETE FROM entries WHERE state != 'held' AND seen_at < ?", (polled_at - FORGET_AFTER,))

    def make_due(self, keys: Iterable[str], at: float) -> None:
        """These feeds are due at ``at`` at the latest (a poll asked for them did not happen)."""
        with self._db() as db:
            for key in keys:
                db.execute("UPDATE feeds SET next_poll_at = MIN(next_poll_at, ?) WHERE key = ?", (at, key))

    def note(self, feeds: Iterable[Feed], result: str, *, polled_at: float, retry_after: float) -> None:
        """A poll that failed as a whole (its reload did not switch): say so, and poll these feeds again after
        ``retry_after`` seconds, or their interval if longer (so moderators hear of it once an interval).

        Nothing else changes: the validators and the entries stay as they were, so nothing is skipped next time.
        """
        with self._db() as db:
            for feed in feeds:
                db.execute("UPDATE feeds SET last_poll_at = ?, last_result = ?, last_ok = 0, next_poll_at = ? "
                           "WHERE key = ?", (polled_at, result, polled_at + max(retry_after, feed.every), feed.key))


def _column(value: object) -> object:
    return int(value) if isinstance(value, bool) else value


def _feed(row: sqlite3.Row) -> Feed:
    data = dict(row)
    data["last_ok"] = None if data["last_ok"] is None else bool(data["last_ok"])
    return Feed(**data)


def _entry(row: sqlite3.Row) -> SeenEntry:
    return SeenEntry(**dict(row))
