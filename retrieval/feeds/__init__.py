"""Feeds as sources: moderators subscribe the corpus to RSS, Atom and JSON feeds, and polls keep it current.

- :mod:`retrieval.feeds.book` — subscriptions and entries seen (SQLite beside the store);
- :mod:`retrieval.feeds.reader` — feed documents (feedparser for RSS and Atom, JSON Feed from its JSON);
- :mod:`retrieval.feeds.entries` — an entry as an article (the feed's full content, else its page);
- :mod:`retrieval.feeds.etiquette` — intervals, per-host delay, backoff, Retry-After, robots.txt;
- :mod:`retrieval.feeds.poller` — subscribing, and each poll as one reload under the reload lease;
- :mod:`retrieval.feeds.report` — what a poll did, for the CLI and the bot.

Every request goes through :mod:`retrieval.fetch_policy`, from Discord and the CLI alike.
"""

from retrieval.feeds.book import Feed, FeedBook, FeedError
from retrieval.feeds.etiquette import DEFAULT_EVERY, describe, parse_every
from retrieval.feeds.poller import FeedPoller
from retrieval.feeds.report import FeedOutcome, PollReport

__all__ = ["DEFAULT_EVERY", "Feed", "FeedBook", "FeedError", "FeedOutcome", "FeedPoller", "PollReport", "describe",
           "parse_every"]
