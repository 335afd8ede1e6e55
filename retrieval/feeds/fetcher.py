"""Every request a poll makes: one client under the fetch policy, the per-host delay, robots.txt for pages.

Kept apart from the poller (what to fetch and what it means) as the one
place that decides *how* newsbot asks a publisher for something. A stop
(the bot shutting down) cuts a wait for a host's turn short and raises
:class:`PollCancelled`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import httpx

from newsbot.settings import Settings
from retrieval.feeds.etiquette import ROBOTS_MAX_BYTES, HostPacer, RobotsRules
from retrieval.fetch_policy import FetchPolicy, guarded_client
from retrieval.fetching import Fetched, Page, fetch, fetch_page, parse_url

T = TypeVar("T")


class PollCancelled(RuntimeError):
    """The poller was told to stop (the bot is shutting down) before its reload began."""


class PoliteFetcher:
    """Requests for one poll at a time (inside :meth:`session`), paced per host, under the fetch policy."""

    def __init__(self, settings: Settings, stop: threading.Event) -> None:
        self.settings, self.stop = settings, stop
        self.policy = FetchPolicy.from_settings(settings)
        self.pacer = HostPacer(settings.feed_host_delay, stop)
        self.robots = RobotsRules(self._robots_txt, self.pacer)  # kept between polls (read once an hour per site)
        self._client: httpx.Client | None = None

    @contextmanager
    def session(self) -> Iterator[None]:
        """One guarded client for a poll's requests, closed after it."""
        self._client = guarded_client(self.policy, timeout=self.settings.fetch_timeout,
                                      user_agent=self.settings.fetch_user_agent)
        try:
            yield
        finally:
            client, self._client = self._client, None
            client.close()

    def get(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        """GET ``url`` (any final status), in its host's turn; ``BadSource`` when it cannot be fetched."""
        return self._paced(parse_url(url).host, lambda: fetch(self._http(), url, timeout=self.settings.fetch_timeout,
                                                              max_bytes=max_bytes, headers=headers))

    def page(self, url: str) -> Page:
        """An article page, if robots.txt lets newsbot fetch it; ``BadSource`` saying why not."""
        target = parse_url(url)
        self.robots.check(target)
        return self._paced(target.host, lambda: fetch_page(url, timeout=self.settings.fetch_timeout,
                                                           max_bytes=self.settings.max_article_bytes,
                                                           client=self._http()))

    def check_stop(self) -> None:
        if self.stop.is_set():
            raise PollCancelled

    def _http(self) -> httpx.Client:
        assert self._client is not None, "requests are made inside session()"
        return self._client

    def _paced(self, host: str, request: Callable[[], T]) -> T:
        if not self.pacer.wait(host):
            raise PollCancelled
        try:
            return request()
        finally:
            self.pacer.done(host)

    def _robots_txt(self, url: str) -> tuple[int, bytes]:
        got = self.get(url, {"Accept": "text/plain"}, ROBOTS_MAX_BYTES)
        return got.status, got.body
