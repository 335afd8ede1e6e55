"""NewsBot: the discord.py client, a thin shell over :class:`newsbot.service.NewsService`.

It adds nothing to how answers are found, only how they reach people: slash commands, mentions,
replies, follow-up threads and configured channels all end in :meth:`NewsBot.answer`, which runs
the blocking service in a worker thread so the event loop never waits on embedding or Chroma.
Every message is sent with ``AllowedMentions.none()``.

Stopping (:meth:`NewsBot.close`, on SIGTERM) lets answers and a reload in flight finish within
the grace period; a reload still running then is cancelled at its next step, the moderator is
told which of the two happened, and only then are the gateway and the store closed — so no
reload outlives the process's hold on the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import discord
from discord import app_commands

from bot.feeds import FeedScheduler
from bot.limits import RateLimits
from bot.render import CONTENT, answer_embed, clip, plain
from bot.replies import NONE, answer_error, apology, error_text, send_private
from bot.storage import BotStore
from bot.views import DYNAMIC_ITEMS, answer_view
from newsbot.service import NewsService
from newsbot.settings import Settings
from retrieval.store import EmbeddingModelMismatch, IngestReport
from retrieval.store_lock import LONG_LIVED

log = logging.getLogger("newsbot.bot")
GRACE_SECONDS = 10.0
WORKERS = 3  # one for a reload, two for questions: more threads only fight over the GIL on 2 cores
SWITCH_INTERVAL = 0.001


class Shown(NamedTuple):
    """An answer as the bot shows it: the embed, its buttons, and the id they carry."""

    embed: discord.Embed
    view: discord.ui.View
    answer_id: str


class ReloadCancelled(Exception):
    """A reload stopped before its switch because the bot is stopping; the corpus is unchanged."""


class NewsBot(discord.Client):
    """The bot. ``service`` may be injected (tests share one); otherwise it is built from settings."""

    def __init__(self, settings: Settings, service: NewsService | None = None, *, shard_count: int | None = None,
                 **client_options: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True  # privileged: needed to read mentions, follow-ups and forum posts
        super().__init__(intents=intents, allowed_mentions=NONE, shard_count=shard_count, **client_options)
        if settings.embedding_threads == 0:  # leave a core to the event loop: it must answer Discord's heartbeats
            settings = settings.model_copy(update={"embedding_threads": max(1, (os.cpu_count() or 2) - 1)})
        self.settings = settings
        # The bot keeps an embedded store for its whole life; it waits for a command that has it open.
        self.service = service or NewsService(settings, role=LONG_LIVED, wait=math.inf, read_ahead=True)
        assert settings.feedback_db is not None  # Settings puts it beside the data dir when unset
        self.store = BotStore(settings.feedback_db)
        self.limits = RateLimits(settings.cooldown_seconds)
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.reload_lock = asyncio.Lock()
        self.in_flight: set[asyncio.Task] = set()
        self.feeds = FeedScheduler(self)  # /feeds, and the polls of the subscribed feeds (bot/feeds.py)
        self.grace_seconds = GRACE_SECONDS
        self.stopping = False
        self._corpus_work: dict[asyncio.Task, threading.Event] = {}  # /reload and /add in flight, their cancel flags

    async def setup_hook(self) -> None:
        """Start-up work runs once here (on_ready fires again after every reconnect)."""
        from bot.commands import moderator_setup_note, register

        # Blocking work runs in a few worker threads, and Python hands the GIL back to the event loop
        # every millisecond: many concurrent questions then cannot starve the gateway heartbeat.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="newsbot-work"))
        sys.setswitchinterval(SWITCH_INTERVAL)

        register(self)
        self.feeds.register()
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        try:
            report = await asyncio.to_thread(self.service.ensure_corpus)
        except EmbeddingModelMismatch as exc:  # stay up: /status, /reload and questions say what to do
            log.error("%s", exc)
            report = None
        if report is not None:
            log.info("ingested %d articles on first start", report.articles)
        if self.settings.discord_guild_id:
            guild = discord.Object(id=self.settings.discord_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        log.info("%s", moderator_setup_note(self.settings.moderator_role_id))

    async def on_ready(self) -> None:
        log.info("connected as %s to %d guilds", self.user, len(self.guilds))
        role_id = self.settings.moderator_role_id
        for guild in self.guilds:
            if role_id is not None and guild.get_role(role_id) is None:
                log.warning("NEWSBOT_MODERATOR_ROLE_ID %d is no role of the server %r: only members with Manage "
                            "Server can run /reload and /add there", role_id, guild.name)

    # --- answering -------------------------------------------------------
    @contextlib.contextmanager
    def in_flight_work(self) -> Iterator[None]:
        """Marks the current task as answering someone, so a graceful stop waits for it."""
        task = asyncio.current_task()
        if task is not None:
            self.in_flight.add(task)
        try:
            yield
        finally:
            if task is not None:
                self.in_flight.discard(task)

    async def answer(self, question: str, user_id: int | None, *, asked: str | None = None,
                     follow_up: bool = True) -> Shown:
        """The embed and buttons for ``question`` (QuestionError for an unusable question).

        ``asked`` is the person's own words when ``question`` is their follow-up made to stand alone;
        ``follow_up`` is False where a thread cannot be opened on the answer.
        """
        answer = await asyncio.to_thread(self.service.ask, question)
        answer_id = await asyncio.to_thread(self.store.save_answer, answer, user_id, asked=asked)
        return Shown(answer_embed(answer, answer_id=answer_id, asked=asked),
                     answer_view(answer_id, has_sources=bool(answer.citations), follow_up=follow_up), answer_id)

    async def stream_answer(self, question: str, user_id: int | None, message: discord.WebhookMessage, *,
                            follow_up: bool = True) -> None:
        """LLM mode: edit ``message`` with the model's draft at most once a second, then the verified answer."""
        from newsbot.llm import stream_llm
        from newsbot.service import clean_question

        question = clean_question(question)
        evidence = await asyncio.to_thread(self.service.retrieve, question)
        draft, last, final = "", 0.0, None
        async for item in stream_llm(question, evidence, self.settings):
            if isinstance(item, str):
                draft += item
                if time.monotonic() - last >= 1.0:
                    last = time.monotonic()
                    await message.edit(content=clip("✍️ Drafting (unverified)…\n" + plain(draft), CONTENT),
                                       allowed_mentions=NONE)
            else:
                final = item
        assert final is not None
        answer_id = await asyncio.to_thread(self.store.save_answer, final, user_id)
        await message.edit(content=None, embed=answer_embed(final, answer_id=answer_id),
                           view=answer_view(answer_id, has_sources=bool(final.citations), follow_up=follow_up),
                           allowed_mentions=NONE)

    # --- messages: mentions, replies, follow-up threads, configured channels ----
    async def on_message(self, message: discord.Message) -> None:
        from bot.messages import handle_message

        await handle_message(self, message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Modal submissions are handled by custom id (no modal object is kept in memory across a restart)."""
        if interaction.type is discord.InteractionType.modal_submit:
            from bot.feedback import on_modal_submit

            await on_modal_submit(interaction)

    # --- reloads -----------------------------------------------------------
    @contextlib.contextmanager
    def corpus_work(self) -> Iterator[threading.Event]:
        """Marks the current task as changing the corpus (/reload, /add), from its first step on.

        A stop waits for it to end before the store is closed, however long that takes, and sets the
        flag yielded here once the grace period is over: a reload checks it at each of its steps.
        """
        task = asyncio.current_task()
        assert task is not None
        cancel = threading.Event()
        self._corpus_work[task] = cancel
        try:
            yield cancel
        finally:
            self._corpus_work.pop(task, None)

    async def reload_corpus(self, actor: str, cancel: threading.Event) -> IngestReport:
        """Re-read the corpus folder in a worker thread; :class:`ReloadCancelled` once ``cancel`` is set."""

        def progress(stage: str, done: int, total: int) -> None:
            if cancel.is_set() and stage != "switch":  # after the switch there is nothing left to cancel
                raise ReloadCancelled

        if cancel.is_set() or self.stopping:
            raise ReloadCancelled
        return await asyncio.to_thread(self.service.reload, actor=actor, progress=progress)

    # --- errors ------------------------------------------------------------
    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CheckFailure):
            await send_private(interaction, "Sorry, only moderators can do that.")
            return
        await answer_error(interaction, getattr(error, "original", error))

    async def close(self) -> None:
        """Stop: answers and a reload in flight get the grace period, a reload still running is cancelled
        (and its moderator told), then the gateway, the bot's store and the corpus store close."""
        if self.is_closed():
            return
        self.stopping = True
        await self.feeds.stop()  # a poll in progress stops before its reload and gives the store back
        current = asyncio.current_task()
        pending = {t for t in self.in_flight | set(self._corpus_work) if t is not current}
        if pending:
            log.info("stopping: waiting up to %.0f s for %d answers, reloads or additions in flight",
                     self.grace_seconds, len(pending))
            await asyncio.wait(pending, timeout=self.grace_seconds)
        writes = {t for t in self._corpus_work if t is not current and not t.done()}
        if writes:
            log.info("stopping: cancelling the reload in progress (the corpus stays as it was)")
            for cancel in self._corpus_work.values():
                cancel.set()
            await asyncio.wait(writes)  # a reload's worker stops at its next step; the moderator is told
        await super().close()
        await asyncio.to_thread(self.store.close)
        await asyncio.to_thread(self.service.close)
        log.info("stopped cleanly")


__all__ = ["NewsBot", "ReloadCancelled", "apology", "error_text", "plain"]
