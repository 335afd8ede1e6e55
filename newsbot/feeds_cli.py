"""``newsbot feeds add|list|remove|poll``: the corpus's feed subscriptions from the terminal.

Registered on the main CLI group by :mod:`newsbot.cli`. ``add``, ``list`` and
``remove`` need only the subscriptions file, so they work while the bot runs
(it polls a new feed within a minute); ``poll`` reloads the corpus and so,
with the embedded store, is refused while another process has it open — as
``ingest`` is. Every fetch obeys the fetch policy (``NEWSBOT_FETCH_ALLOW_HOSTS``),
as in Discord. Errors are one line and exit status 2; a poll in which a feed or
a page failed exits with 3, as ``ingest`` does for a bad file.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newsbot.render import fail
from newsbot.settings import Settings
from retrieval.feeds import Feed, FeedBook, FeedError, FeedPoller, PollReport, describe, parse_every

_err = Console(stderr=True)


@click.group("feeds")
def feeds_group() -> None:
    """Subscribe the corpus to news feeds (RSS, Atom, JSON Feed) and poll them."""


@feeds_group.command("add")
@click.argument("url")
@click.option("--every", default="30m", show_default=True,
              help="How often to poll it: 30m, 2h, 1d (at least 5m).")
@click.pass_obj
def add(settings: Settings, url: str, every: str) -> None:
    """Subscribe to the feed at URL (checked first: it must be a feed newsbot may fetch)."""
    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from None
    try:
        feed, doc = FeedPoller(settings, FeedBook(settings.feeds_db)).subscribe(url, every=seconds, added_by="cli")
    except FeedError as exc:
        fail(str(exc))
    click.echo(f"Subscribed to {feed.title} ({feed.url}) as {feed.key}: {len(doc.entries)} entries listed now, "
               f"polled every {describe(feed.every)}. `newsbot feeds poll` polls it now; a running bot polls it "
               "within a minute.")


@feeds_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the subscriptions as JSON.")
@click.pass_obj
def list_feeds(settings: Settings, as_json: bool) -> None:
    """The subscriptions, with their last poll, its result and the next one."""
    feeds = FeedBook(settings.feeds_db).feeds()
    if as_json:
        click.echo(json.dumps([feed_dict(f) for f in feeds], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(feeds)} feeds")
    for col in ("feed", "title", "every", "last poll", "result", "next poll"):
        table.add_column(col, overflow="fold")
    for f in feeds:
        table.add_row(f"{f.key}\n{f.url}", f.title, describe(f.every), _when(f.last_poll_at), f.last_result or "—",
                      _when(f.next_poll_at))
    Console().print(table)


@feeds_group.command("remove")
@click.argument("feed")
@click.pass_obj
def remove(settings: Settings, feed: str) -> None:
    """Unsubscribe FEED (its key or URL, as `feeds list` shows) and drop its articles from the corpus."""
    book = FeedBook(settings.feeds_db)
    gone = book.remove(feed)
    if gone is None:
        known = ", ".join(f.key for f in book.feeds()) or "none"
        fail(f"no feed {feed!r} is subscribed (subscribed: {known})")
    click.echo(f"Unsubscribed from {gone.title} ({gone.url}).")
    from newsbot.service import NewsService

    service = NewsService(settings, role="newsbot feeds remove", wait=0)
    try:
        report = FeedPoller(settings, book, service).poll(only=set(), actor="cli")
    finally:
        service.close()
    if report.error:
        click.echo("Its articles leave the corpus at the next poll (the store is busy now).")
    else:
        click.echo(f"{len(report.expired)} of its articles were dropped from the corpus.")


@feeds_group.command("poll")
@click.option("--all", "everything", is_flag=True, help="Poll every feed now, not only those due.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def poll(settings: Settings, everything: bool, as_json: bool) -> None:
    """Poll the feeds that are due (or all) now, reload what changed, and print what each did."""
    from newsbot.service import NewsService

    service = NewsService(settings, role="newsbot feeds poll")
    try:
        service.ensure_corpus()  # as `ask` does: a first poll must not leave the corpus folder unread
        report = FeedPoller(settings, FeedBook(settings.feeds_db), service).poll(everything=everything, actor="cli")
    except Exception as exc:  # noqa: BLE001 - one clear line (the store held by another process, ...)
        fail(str(exc))
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(poll_dict(report), indent=2, ensure_ascii=False))
    else:
        _print_poll(report)
    if report.error:
        sys.exit(2)
    if report.page_failures or report.failed_feeds:
        sys.exit(3)


def feed_dict(f: Feed) -> dict:
    """A subscription as plain JSON-able data (the validators left out)."""
    return {"key": f.key, "url": f.url, "title": f.title, "every_seconds": f.every, "added_by": f.added_by,
            "last_poll_at": _iso(f.last_poll_at), "last_result": f.last_result, "last_ok": f.last_ok,
            "next_poll_at": _iso(f.next_poll_at), "failures": f.failures, "held_until": _iso(f.held_until)}


def poll_dict(report: PollReport) -> dict:
    """A poll report as plain JSON-able data."""
    from newsbot.cli import report_dict

    return {"feeds": [{"key": o.feed.key, "title": o.feed.title, "status": o.status, "reason": o.reason,
                       "entries": o.entries, "new_or_changed": [a.id for a in o.articles]} for o in report.feeds],
            "page_failures": [{"url": f.source, "reason": f.reason} for f in report.page_failures],
            "dropped": report.expired, "error": report.error,
            "reload": report_dict(report.ingest) if report.ingest is not None else None}


def _print_poll(report: PollReport) -> None:
    console = Console()
    if report.error:
        _err.print(f"[red]error:[/red] {escape(report.error)}", highlight=False)
    if not report.feeds and not report.error:
        console.print("No feed is due (`newsbot feeds poll --all` polls every feed now).")
    for outcome in report.feeds:
        colour = {"failed": "red", "held back": "yellow"}.get(outcome.status, "green")
        console.print(f"[{colour}]{escape(outcome.status)}[/{colour}] {escape(outcome.line)}", highlight=False)
    for failure in report.page_failures:
        console.print(f"[red]failed[/red] {escape(failure.source)}: {escape(failure.reason)}", highlight=False)
    ingest = report.ingest
    if ingest is not None:
        console.print(f"Added {len(ingest.added)}, updated {len(ingest.updated)}, dropped {len(ingest.removed)}; "
                      f"{ingest.articles} articles, {ingest.chunks} passages (embedded {ingest.chunks_embedded} new "
                      f"passages in {ingest.seconds:.1f}s).", highlight=False)


def _when(ts: float | None) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else "—"


def _iso(ts: float | None) -> str | None:
    return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds") if ts else None
