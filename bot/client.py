"""NewsBot: the discord.py client, a thin shell over :class:`newsbot.service.NewsService`.

It adds nothing to how answers are found, only how they reach people: slash
commands, mentions, follow-up threads and configured channels all end in
:meth:`NewsBot.answer`, which runs the blocking service in a worker thread so
the event loop never waits on embedding or Chroma. Every message is sent with
``AllowedMentions.none()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import re
import secrets
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import discord
from discord import app_commands

from bot.questions import is_question, question_text, usage_hint
from bot.render import CONTENT, answer_embed, clip, plain
from bot.storage import BotStore
from bot.views import DYNAMIC_ITEMS, answer_view
from newsbot.service import NewsService, QuestionError
from newsbot.settings import Settings
from retrieval.store import EmbeddingModelMismatch
from retrieval.store_lock import LONG_LIVED

log = logging.getLogger("newsbot.bot")
NONE = discord.AllowedMentions.none()
GRACE_SECONDS = 10.0
WORKERS = 3  # one for a reload, two for questions: more threads only fight over the GIL on 2 cores
SWITCH_INTERVAL = 0.001


class Cooldown:
    """At most one question per user every ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def retry_after(self, user_id: int) -> float:
        """Seconds left to wait, or 0 and the question counts now."""
        now = time.monotonic()
        left = self._last.get(user_id, -1e9) + self.seconds - now
        if left > 0:
            return left
        self._last[user_id] = now
        return 0.0


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
        self.service = service or NewsService(settings, role=LONG_LIVED, wait=math.inf)
        self.store = BotStore(settings.feedback_db)
        self.cooldown = Cooldown(settings.cooldown_seconds)
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]
        self.reload_lock = asyncio.Lock()
        self.in_flight: set[asyncio.Task] = set()

    async def setup_hook(self) -> None:
        """Start-up work runs once here (on_ready fires again after every reconnect)."""
        from bot.commands import register

        # Blocking work runs in a few worker threads, and Python hands the GIL back to the event loop
        # every millisecond: many concurrent questions then cannot starve the gateway heartbeat.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="newsbot-work"))
        sys.setswitchinterval(SWITCH_INTERVAL)

        register(self)
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

    async def on_ready(self) -> None:
        log.info("connected as %s to %d guilds", self.user, len(self.guilds))

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

    async def answer(self, question: str, user_id: int | None) -> tuple[discord.Embed, discord.ui.View | None]:
        """The embed and buttons for ``question`` (QuestionError for an unusable question)."""
        answer = await asyncio.to_thread(self.service.ask, question)
        answer_id = await asyncio.to_thread(self.store.save_answer, answer, user_id)
        return answer_embed(answer, answer_id=answer_id), answer_view(answer_id, has_sources=bool(answer.citations))

    async def stream_answer(self, question: str, user_id: int | None, message: discord.WebhookMessage) -> None:
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
                           view=answer_view(answer_id, has_sources=bool(final.citations)), allowed_mentions=NONE)

    def cooldown_message(self, user_id: int) -> str | None:
        left = self.cooldown.retry_after(user_id)
        return f"Please wait {left:.0f} s before asking again." if left > 0 else None

    # --- messages: mentions, follow-up threads, configured channels ----------
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.user is None or not message.content:
            return
        channel = message.channel
        history = None
        if isinstance(channel, discord.Thread):
            history = await asyncio.to_thread(self.store.thread_history, channel.id)
        configured = set(self.settings.answer_channel_ids)
        in_configured = channel.id in configured or getattr(channel, "parent_id", None) in configured
        mentioned = self.user in message.mentions
        if history is None and not in_configured and not mentioned:
            return
        question = question_text(message.content)
        if not is_question(question):  # a bare mention gets a hint; mentions of others or an emoji, nothing
            if mentioned:
                await message.reply(usage_hint(self.user.display_name), allowed_mentions=NONE, mention_author=False)
            return
        if history:
            question = with_context(question, history)
        with self.in_flight_work():
            await self.reply_to(message, question)
        if history is not None and isinstance(channel, discord.Thread):
            await asyncio.to_thread(self.store.add_to_thread, channel.id, question)

    async def reply_to(self, message: discord.Message, question: str) -> None:
        wait = self.cooldown_message(message.author.id)
        if wait:
            await message.reply(wait, allowed_mentions=NONE, mention_author=False)
            return
        try:
            async with message.channel.typing():
                embed, view = await self.answer(question, message.author.id)
        except QuestionError as exc:
            await message.reply(clip(str(exc), CONTENT), allowed_mentions=NONE, mention_author=False)
            return
        except Exception as exc:  # noqa: BLE001 - the user gets an apology with an id, the log the trace
            await message.reply(error_text(exc), allowed_mentions=NONE, mention_author=False)
            return
        await message.reply(embed=embed, view=view, allowed_mentions=NONE, mention_author=False)

    # --- errors ------------------------------------------------------------
    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CheckFailure):
            text = "Sorry, only moderators can do that."
        else:
            text = error_text(getattr(error, "original", error))
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NONE)
        else:
            await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    async def close(self) -> None:
        """Let in-flight answers finish (up to 10 s), then close the gateway, the store and the service."""
        if self.is_closed():
            return
        pending = [t for t in self.in_flight if t is not asyncio.current_task()]
        if pending:
            log.info("stopping: waiting for %d answers in flight", len(pending))
            await asyncio.wait(pending, timeout=GRACE_SECONDS)
        await super().close()
        await asyncio.to_thread(self.store.close)
        await asyncio.to_thread(self.service.close)
        log.info("stopped cleanly")


def apology(exc: BaseException) -> str:
    """A short apology with an id that is also in the log (with the stack trace), never the trace itself."""
    error_id = secrets.token_hex(4)
    log.error("error %s while answering", error_id, exc_info=exc)
    return f"Sorry, something went wrong on my side (error id `{error_id}`). Please try again later."


def error_text(exc: BaseException) -> str:
    """What people see when answering failed: what to do when the corpus needs a rebuild, else an apology."""
    if isinstance(exc, EmbeddingModelMismatch):
        log.error("%s", exc)
        return clip(f"⚠️ {exc}", CONTENT)
    return apology(exc)


def with_context(question: str, history: list[str]) -> str:
    """A follow-up like "Did he say it to RBC?" gains the names from the thread's earlier questions."""
    names = []
    for earlier in history[-3:]:
        for word in re.findall(r"\b[A-Z][\w’'-]+", earlier)[1:]:
            if word.lower() not in question.lower() and word not in names:
                names.append(word)
    return f"{question} ({' '.join(names)})" if names else question


__all__ = ["NewsBot", "apology", "error_text", "plain", "with_context"]
