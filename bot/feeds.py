"""Feeds in Discord: ``/feeds add|list|remove`` for moderators, polls scheduled in the bot, and what moderators see.

The bot polls the due feeds itself (:class:`FeedScheduler`): it wakes when the
next feed is due (at least once a minute, so a feed added from the terminal is
polled within a minute), runs the poll in a worker thread under the bot's
reload lock — a ``/reload`` or ``/add`` meanwhile waits or is told, as for
another reload — and posts a short report to ``NEWSBOT_MOD_CHANNEL_ID`` after
each poll that changed something. ``/feeds add`` checks the feed, subscribes
it and polls it at once. Each subcommand is hidden like ``/reload`` and checked
again on every call. Nothing the bot sends can ping anyone.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Collection
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.render import FIELD_VALUE, clip, fit, plain
from retrieval.feeds import Feed, FeedBook, FeedError, FeedPoller, PollReport, describe, parse_every
from retrieval.store_types import EmbeddingModelMismatch

if TYPE_CHECKING:
    from bot.client import NewsBot

log = logging.getLogger("newsbot.bot.feeds")
NONE = discord.AllowedMentions.none()
TICK = 60.0  # the longest the scheduler sleeps: a feed added from the terminal is polled within this
STOP_GRACE = 10.0  # how long a stop waits for a poll to notice it and give the store back


class FeedScheduler:
    """Polls the subscribed feeds in the bot's process and reports to the moderator channel."""

    def __init__(self, bot: NewsBot) -> None:
        self.bot = bot
        self.book = FeedBook(bot.settings.feeds_db)
        self.stopping = threading.Event()
        self.poller = FeedPoller(bot.settings, self.book, bot.service, stop=self.stopping)
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task | None = None
        self._running: asyncio.Future | None = None

    def register(self) -> None:
        """Add ``/feeds`` to the command tree and start the polling loop (from ``setup_hook``)."""
        self.bot.tree.add_command(_feeds_group(self))
        self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="newsbot-feeds")

    async def stop(self) -> None:
        """Stop polling: a poll in progress stops before its reload (it changes nothing) and gives the store back."""
        self.stopping.set()
        self._wake.set()
        if self._running is not None and not self._running.done():
            log.info("stopping: waiting for the feed poll to give the store back")
            await asyncio.wait([self._running], timeout=STOP_GRACE)
        if self._loop_task is not None:
            self._loop_task.cancel()

    # --- polling -------------------------------------------------------------
    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self.stopping.is_set():
            try:
                if await asyncio.to_thread(self._work_waiting):
                    await self.poll(actor="schedule")
                wait = await asyncio.to_thread(self._seconds_to_next)
            except Exception:  # noqa: BLE001 - the loop must outlive one bad poll; the trace is in the log
                log.exception("feed polling failed")
                wait = TICK
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), wait)
            except TimeoutError:
                pass

    def _work_waiting(self) -> bool:
        """A feed is due, or the corpus holds articles of a feed unsubscribed meanwhile (from the terminal)."""
        now, feeds = time.time(), self.book.feeds()
        if any(f.due(now) for f in feeds):
            return True
        keys = {f.key for f in feeds}
        try:
            return any(a.feed and a.feed not in keys for a in self.bot.service.articles())  # held in memory
        except EmbeddingModelMismatch:  # nothing to poll into until the corpus is rebuilt (/status says so)
            return False

    def _seconds_to_next(self) -> float:
        due = [f.next_poll_at for f in self.book.feeds()]
        return min(TICK, max(1.0, min(due) - time.time())) if due else TICK

    async def poll(self, *, only: Collection[str] | None = None, actor: str, wait: bool = False) -> PollReport | None:
        """One poll now (``only``: these feeds, due or not). None when stopping, or when a reload runs and
        not ``wait`` (the scheduler's next tick polls then); ``wait`` waits for that reload to end."""
        if self.stopping.is_set() or (self.bot.reload_lock.locked() and not wait):
            return None
        async with self.bot.reload_lock:
            if self.stopping.is_set():
                return None
            self._running = asyncio.get_running_loop().run_in_executor(
                None, lambda: self.poller.poll(only=only, actor=actor))
            report = await asyncio.shield(self._running)
        log.info("feed poll by %s: %s", actor, "; ".join(o.line for o in report.feeds) or "no feed polled")
        if report.changed and not self.stopping.is_set():
            await self.tell_moderators(report)
        return report

    async def tell_moderators(self, report: PollReport) -> None:
        """Post the poll's report to the moderator channel, if one is set (a failure to post is only logged)."""
        channel_id = self.bot.settings.mod_channel_id
        if channel_id is None:
            return
        try:
            channel = self.bot.get_channel(channel_id) or await self.bot.fetch_channel(channel_id)
            await channel.send(embed=poll_embed(report), allowed_mentions=NONE)  # type: ignore[union-attr]
        except (discord.HTTPException, AttributeError) as exc:
            log.warning("could not post the feed report to channel %s: %s", channel_id, exc)

    async def status_value(self) -> str:
        """The feeds line of ``/status``: each feed's last poll, its result and the next one."""
        feeds = await asyncio.to_thread(self.book.feeds)
        if not feeds:
            return "none (moderators: /feeds add)"
        lines = [f"• {plain(clip(f.title, 60))}: {_last_poll(f)}" for f in feeds[:8]]
        if len(feeds) > 8:
            lines.append(f"… and {len(feeds) - 8} more (/feeds list)")
        return clip("\n".join(lines), FIELD_VALUE)


def _feeds_group(scheduler: FeedScheduler) -> app_commands.Group:
    from bot.commands import is_moderator  # bot.commands imports the client, which imports this module

    # shown like /reload and /add: to Manage Server only, or to everyone when a moderator role is set (the bot
    # checks every call either way; see bot.commands.for_moderators)
    hidden = None if scheduler.bot.settings.moderator_role_id is not None else discord.Permissions(manage_guild=True)
    group = app_commands.Group(name="feeds", description="Moderators: the news feeds the corpus follows.",
                               guild_only=True, default_permissions=hidden)
    moderators_only = app_commands.check(is_moderator)

    @group.command(name="add", description="Subscribe the corpus to a news feed (RSS, Atom or JSON Feed).")
    @app_commands.describe(url="The feed's address", every="How often to poll it: 30m, 2h, 1d (at least 5m)")
    @moderators_only
    async def add(interaction: discord.Interaction, url: str, every: str = "30m") -> None:
        with scheduler.bot.in_flight_work():  # a stop lets the moderator hear how the first poll ended
            await _add(interaction, url, every)

    async def _add(interaction: discord.Interaction, url: str, every: str) -> None:
        try:
            seconds = parse_every(every)
        except ValueError as exc:
            await interaction.response.send_message(plain(str(exc)), ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        actor = f"{interaction.user} ({interaction.user.id})"
        try:
            feed, doc = await asyncio.to_thread(scheduler.poller.subscribe, url, every=seconds, added_by=actor,
                                                due_now=False)  # polled just below, not by the scheduler too
        except FeedError as exc:
            await interaction.followup.send(f"Not subscribed: {plain(clip(str(exc), 1800))}", ephemeral=True,
                                            allowed_mentions=NONE)
            return
        where = f" The report also goes to <#{scheduler.bot.settings.mod_channel_id}>." \
            if scheduler.bot.settings.mod_channel_id else ""
        await interaction.followup.send(
            f"Subscribed to **{plain(clip(feed.title, 200))}** (<{clip(feed.url, 500)}>): {len(doc.entries)} entries "
            f"listed, polled every {describe(feed.every)}. Polling it now…{where}", ephemeral=True,
            allowed_mentions=NONE)
        report = await scheduler.poll(only={feed.key}, actor=actor, wait=True)
        if report is not None:
            await interaction.followup.send(embed=poll_embed(report, title="First poll"), ephemeral=True,
                                            allowed_mentions=NONE)

    @group.command(name="list", description="The feeds the corpus follows, with their last and next poll.")
    @moderators_only
    async def list_feeds(interaction: discord.Interaction) -> None:
        feeds = await asyncio.to_thread(scheduler.book.feeds)
        await interaction.response.send_message(embed=feeds_embed(feeds), ephemeral=True, allowed_mentions=NONE)

    @group.command(name="remove", description="Unsubscribe a feed and drop its articles from the corpus.")
    @app_commands.describe(feed="The feed's key or URL, as /feeds list shows it")
    @moderators_only
    async def remove(interaction: discord.Interaction, feed: str) -> None:
        with scheduler.bot.in_flight_work():
            await _remove(interaction, feed)

    async def _remove(interaction: discord.Interaction, feed: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        gone = await asyncio.to_thread(scheduler.book.remove, feed)
        if gone is None:
            await interaction.followup.send(f"No feed {plain(clip(feed, 300))!r} is subscribed; /feeds list shows "
                                            "the keys.", ephemeral=True, allowed_mentions=NONE)
            return
        report = await scheduler.poll(only=set(), actor=f"{interaction.user} ({interaction.user.id})", wait=True)
        dropped = "its articles leave the corpus at the next poll" if report is None or report.error \
            else f"{len(report.expired)} of its articles were dropped from the corpus"
        await interaction.followup.send(f"Unsubscribed from **{plain(clip(gone.title, 200))}**; {dropped}.",
                                        ephemeral=True, allowed_mentions=NONE)

    return group


def poll_embed(report: PollReport, *, title: str = "Feed poll") -> discord.Embed:
    """What a poll did, for moderators: added and updated articles (linked), dropped ones, failures with reasons."""
    ingest, articles = report.ingest, report.articles
    added, updated = (ingest.added, ingest.updated) if ingest else ([], [])
    failures = [f"• <{clip(f.source, 300)}>: {plain(f.reason)}" for f in report.page_failures]
    failures += [f"• {plain(o.feed.title)}: {plain(o.reason)}" for o in report.failed_feeds]
    counts = f"{len(added)} added, {len(updated)} updated, {len(report.expired)} dropped, {len(failures)} failed"
    embed = discord.Embed(title=f"{title}: {counts}",
                          colour=discord.Colour.red() if failures or report.error else discord.Colour.green())
    if report.error:
        embed.description = f"⚠️ {plain(report.error)}"
    for name, ids in (("Added", added), ("Updated", updated)):
        if ids:
            embed.add_field(name=f"{name} ({len(ids)})", value=_linked(ids, articles), inline=False)
    if report.expired:
        embed.add_field(name=f"Dropped ({len(report.expired)})", inline=False, value=clip(
            "Past NEWSBOT_FEED_RETENTION_DAYS or from a feed no longer followed: " + plain(", ".join(report.expired)),
            FIELD_VALUE))
    if failures:
        embed.add_field(name=f"Failed ({len(failures)})", value=clip("\n".join(failures), FIELD_VALUE), inline=False)
    if ingest is not None:
        embed.set_footer(text=f"{ingest.articles} articles, {ingest.chunks} passages · {ingest.seconds:.1f}s")
    return fit(embed)


def feeds_embed(feeds: list[Feed]) -> discord.Embed:
    """The subscriptions: one field each with its address, interval, last poll and result, and next poll."""
    embed = discord.Embed(title=f"Feeds followed ({len(feeds)})", colour=discord.Colour.dark_teal())
    if not feeds:
        embed.description = "None yet: `/feeds add url:` subscribes one."
    for f in feeds[:20]:
        value = (f"<{clip(f.url, 300)}>\nkey `{plain(clip(f.key, 120))}` · every {describe(f.every)}\n"
                 f"last poll: {_last_poll(f)}")
        embed.add_field(name=clip(f.title, 200), value=clip(value, FIELD_VALUE), inline=False)
    if len(feeds) > 20:
        embed.set_footer(text=f"… and {len(feeds) - 20} more: newsbot feeds list")
    return fit(embed)


def _last_poll(f: Feed) -> str:
    if f.last_poll_at is None:
        return f"not yet polled · next <t:{int(f.next_poll_at)}:R>"
    mark = "✅" if f.last_ok else "⚠️"
    return (f"{mark} <t:{int(f.last_poll_at)}:R> — {plain(clip(f.last_result or '', 160))} · "
            f"next <t:{int(f.next_poll_at)}:R>")


def _linked(ids: list[str], articles: dict) -> str:
    lines = []
    for aid in ids:
        a = articles.get(aid)
        title = plain(clip(a.title if a else aid, 100))
        lines.append(f"• [{title}](<{clip(a.url, 300)}>) — {plain(clip(a.publisher, 60))}" if a and a.url
                     else f"• {title}")
    return clip("\n".join(lines), FIELD_VALUE, "\n…")


__all__ = ["FeedScheduler", "feeds_embed", "poll_embed"]
