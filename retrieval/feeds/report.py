"""What a poll did: per feed (fetched, unchanged, failed and why, when next), and the reload it made.

Plain data for the CLI, the bot's moderator-channel report and ``/status``;
no rendering here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsbot.models import Article
from retrieval.feeds.book import Feed, FeedState, SeenEntry
from retrieval.loaders import LoadFailure
from retrieval.store_types import IngestReport


@dataclass
class FeedOutcome:
    """One feed's part of a poll."""

    feed: Feed
    status: str  # "fetched" | "not modified" | "failed" | "held back" | "cancelled"
    reason: str = ""  # why it failed or was held back
    entries: int = 0  # entries the feed listed
    articles: list[Article] = field(default_factory=list)  # new or changed entries' articles, to sync
    failures: list[LoadFailure] = field(default_factory=list)  # pages that could not be used, by URL
    seen: list[SeenEntry] = field(default_factory=list)  # entries dealt with, recorded once the reload switched
    state: FeedState | None = None  # the feed's state after the poll (None: unchanged, it was not polled)

    @property
    def line(self) -> str:
        """One line for people: the feed and what happened to it."""
        if self.status == "fetched":
            what = f"{self.entries} entries, {len(self.articles)} new or changed"
            if self.failures:
                what += f", {len(self.failures)} failed"
        else:
            what = self.status + (f": {self.reason}" if self.reason else "")
        return f"{self.feed.title}: {what}"


@dataclass
class PollReport:
    """A whole poll: each feed's outcome, the articles it dropped, and the reload (None when nothing changed)."""

    feeds: list[FeedOutcome] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)  # article ids dropped by retention or unsubscribing
    ingest: IngestReport | None = None
    error: str | None = None  # the poll as a whole did not happen or did not switch (the corpus is unchanged)
    busy: bool = False  # it did not happen because another reload had the store: not news, the next poll retries
    started_at: float = 0.0

    @property
    def articles(self) -> dict[str, Article]:
        """The articles this poll fetched, by id (for titles and links in reports)."""
        return {a.id: a for o in self.feeds for a in o.articles}

    @property
    def page_failures(self) -> list[LoadFailure]:
        return [f for o in self.feeds for f in o.failures]

    @property
    def failed_feeds(self) -> list[FeedOutcome]:
        return [o for o in self.feeds if o.status == "failed"]

    @property
    def changed(self) -> bool:
        """True when moderators should hear of it: articles added, updated or removed, or anything failed
        (a poll put off because another reload had the store is not news)."""
        ingest = self.ingest
        moved = ingest is not None and bool(ingest.added or ingest.updated or ingest.removed)
        return moved or bool(self.page_failures or self.failed_feeds or (self.error and not self.busy))
