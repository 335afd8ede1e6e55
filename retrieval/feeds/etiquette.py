"""Polling a publisher would accept: how often, how far apart, when to back off, and what robots.txt allows.

- **Intervals**: a feed is polled every ``--every`` (30 minutes unless said; never under
  :data:`MIN_EVERY`), and a conditional GET makes an unchanged feed cost a 304.
- **Per-host delay** (:class:`HostPacer`): two requests to one host — the feed, its robots.txt,
  its pages — are at least ``NEWSBOT_FEED_HOST_DELAY`` seconds apart, longer when robots.txt asks
  for a ``Crawl-delay``.
- **Backoff** (:func:`backoff`): each failed poll in a row doubles the wait (up to a day); an
  answer of 429 or 5xx with ``Retry-After`` waits at least that long (:func:`retry_after`).
- **robots.txt** (:class:`RobotsRules`) is read once an hour per host and obeyed for every page a
  feed links (RFC 9309: a missing file allows all, an unreachable one allows nothing for now).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from urllib.robotparser import RobotFileParser

import httpx

from retrieval.fetching import TransientFetch
from retrieval.formats import BadSource

MIN_EVERY = 5 * 60.0
MAX_EVERY = 7 * 86400.0
DEFAULT_EVERY = 30 * 60.0
MAX_BACKOFF = 86400.0
MAX_RETRY_AFTER = 7 * 86400.0  # a Retry-After further away than this is read as this
MAX_CRAWL_DELAY = 60.0
ROBOTS_TTL = 3600.0
ROBOTS_MAX_BYTES = 512_000
ROBOTS_AGENT = "newsbot"  # the name robots.txt rules address newsbot by
_EVERY = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """``30m``, ``2h``, ``1d``, ``1h30m`` as seconds; ``ValueError`` saying what is accepted."""
    spec = text.strip().lower().replace(" ", "")
    parts = _EVERY.findall(spec)
    if not spec or "".join(f"{n}{u}" for n, u in parts) != spec:
        raise ValueError(f"cannot read the interval {text!r}: write it like 30m, 2h or 1d")
    seconds = sum(float(n) * _UNIT[u] for n, u in parts)
    if not MIN_EVERY <= seconds <= MAX_EVERY:
        raise ValueError(f"the interval must be between {describe(MIN_EVERY)} and {describe(MAX_EVERY)}, "
                         f"not {describe(seconds)}")
    return seconds


def describe(seconds: float) -> str:
    """A duration in the largest whole unit that fits ("30 min", "2 h", "1 d", "90 s")."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds // 60)} min" if seconds >= 60 else f"{int(seconds)} s"


def backoff(every: float, failures: int) -> float:
    """Seconds until the next poll after ``failures`` failed polls in a row: the interval, doubled each time."""
    return min(every * 2 ** max(0, failures - 1), max(MAX_BACKOFF, every))


def retry_after(headers: httpx.Headers, now: float) -> float | None:
    """The wait a ``Retry-After`` header asks for (seconds or an HTTP date), capped; None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return min(max(0.0, when.timestamp() - now), MAX_RETRY_AFTER)


class HostPacer:
    """Keeps requests to one host ``delay`` seconds apart, counted from the end of the previous one.

    ``stop`` cuts a wait short (the bot is shutting down); :meth:`turn` then returns False.
    """

    def __init__(self, delay: float, stop: threading.Event) -> None:
        self.delay, self.stop = delay, stop
        self._last: dict[str, float] = {}
        self._delays: dict[str, float] = {}

    def slow_down(self, host: str, delay: float) -> None:
        """A longer delay for ``host`` (its robots.txt's Crawl-delay), capped at :data:`MAX_CRAWL_DELAY`."""
        self._delays[host] = min(max(delay, self.delay), MAX_CRAWL_DELAY)

    def wait(self, host: str) -> bool:
        """Wait for ``host``'s turn; False if stopped meanwhile."""
        last = self._last.get(host)
        if last is not None:
            left = last + self._delays.get(host, self.delay) - time.monotonic()
            if left > 0 and self.stop.wait(left):
                return False
        return not self.stop.is_set()

    def done(self, host: str) -> None:
        """A request to ``host`` has just ended."""
        self._last[host] = time.monotonic()


class RobotsRules:
    """robots.txt per host, read through the caller's fetch (so the fetch policy and the pacer apply)."""

    def __init__(self, fetch_text: Callable[[str], tuple[int, bytes]], pacer: HostPacer) -> None:
        """``fetch_text(url)`` GETs a robots.txt: (status, body), or raises ``BadSource``."""
        self._fetch, self._pacer = fetch_text, pacer
        self._rules: dict[str, tuple[float, RobotFileParser | None, str]] = {}

    def check(self, url: httpx.URL) -> None:
        """Raise ``BadSource`` when robots.txt does not let newsbot fetch ``url``."""
        origin = f"{url.scheme}://{url.netloc.decode()}"
        cached = self._rules.get(origin)
        if cached is None or time.monotonic() - cached[0] > ROBOTS_TTL:
            cached = self._read(origin, url.host)
            self._rules[origin] = cached
        _, rules, unreachable = cached
        if rules is None:
            raise TransientFetch(f"robots.txt of {url.host} could not be read ({unreachable}); not fetched for now")
        if not rules.can_fetch(ROBOTS_AGENT, str(url)):
            raise BadSource(f"robots.txt of {url.host} disallows it for {ROBOTS_AGENT}")

    def _read(self, origin: str, host: str) -> tuple[float, RobotFileParser | None, str]:
        try:
            status, body = self._fetch(f"{origin}/robots.txt")
        except BadSource as exc:
            return time.monotonic(), None, str(exc)
        rules = RobotFileParser()
        if 400 <= status < 500:  # no robots.txt: everything is allowed
            rules.parse([])
        elif status >= 300:
            return time.monotonic(), None, f"HTTP {status}"
        else:
            rules.parse(body.decode("utf-8", "replace").splitlines())
            delay = rules.crawl_delay(ROBOTS_AGENT)
            if delay:
                self._pacer.slow_down(host, float(delay))
        return time.monotonic(), rules, ""
