"""Slash commands: /ask for everyone; /sources and /status to look around; /reload and /add for moderators.

Who sees the moderator commands: with ``NEWSBOT_MODERATOR_ROLE_ID`` set they are synced with no
default permission, so members of that role see them at once (a bot cannot grant a role a
command: only a server admin can, by hand, see :func:`moderator_setup_note`); without it only
members with Manage Server see them. Either way every call is checked again on the server side
(the configured role, or Manage Server), so a crafted interaction from anyone else changes
nothing.

Replies: /ask answers in public; refusals and errors only to the asker (a public "thinking…"
is deleted rather than filled with an error). /sources and /status answer only to the asker
unless ``public`` is set. Everything acknowledges within Discord's 3 seconds.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.client import ReloadCancelled
from bot.messages import mention_names, own_ids
from bot.questions import question_text
from bot.render import articles_embed, report_embed, status_embed
from bot.replies import NONE, RESTARTING, defer_thinking, send, send_private
from bot.views import can_open_thread, pages_view
from newsbot.service import MAX_QUESTION_CHARS, QuestionError, clean_question
from retrieval.fetch_policy import FetchPolicy
from retrieval.fetching import too_large
from retrieval.loaders import LoadFailure, LoadResult, load_bytes, load_url
from retrieval.store import EmbeddingModelMismatch, IngestReport, ReloadInProgress

if TYPE_CHECKING:
    from bot.client import NewsBot
    from newsbot.settings import Settings

log = logging.getLogger("newsbot.bot")


def is_moderator(interaction: discord.Interaction) -> bool:
    """The configured moderator role, or Manage Server (from the interaction's own permissions)."""
    bot: NewsBot = interaction.client  # type: ignore[assignment]
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    role_id = bot.settings.moderator_role_id
    roles = getattr(interaction.user, "roles", [])
    return role_id is not None and any(r.id == role_id for r in roles)


def moderator_setup_note(role_id: int | None) -> str:
    """What a server admin sees and can click for /reload and /add (logged at start-up, also in the README)."""
    if role_id is None:
        return ("/reload and /add are shown only to members with the Manage Server permission. To let a moderator "
                "role use them, set NEWSBOT_MODERATOR_ROLE_ID to that role's id and restart the bot.")
    return (f"/reload and /add are shown to every member and run only for the role {role_id} or Manage Server "
            "(others are told they cannot). To show them to moderators only: Server Settings → Integrations → "
            "newsbot → Manage → click /reload → Add Roles or Members → your moderator role → ✓, and set "
            "@everyone to ✗; then the same for /add.")


def for_moderators(bot: NewsBot, command: app_commands.Command) -> app_commands.Command:
    """Make ``command`` a moderator command: servers only, run only for moderators (the bot checks every
    call), shown as :func:`moderator_setup_note` says — to Manage Server only unless a moderator role is set."""
    app_commands.guild_only(command)
    app_commands.check(is_moderator)(command)
    if bot.settings.moderator_role_id is None:
        command.default_permissions = discord.Permissions(manage_guild=True)
    return command


def actor_of(interaction: discord.Interaction) -> str:
    """How a reload records who ran it: "name (id)" (shown by /status as a mention that does not ping)."""
    return f"{interaction.user} ({interaction.user.id})"


def register(bot: NewsBot) -> None:
    """Add every command to ``bot.tree``."""
    tree = bot.tree

    @tree.command(name="ask", description="Ask a question about the news corpus; get a balanced, cited answer.")
    @app_commands.describe(question="What do you want to know? e.g. Did Lukashenko apologize?")
    async def ask(interaction: discord.Interaction,
                  question: app_commands.Range[str, 1, MAX_QUESTION_CHARS]) -> None:
        with bot.in_flight_work():
            await _ask(interaction, question)

    async def _ask(interaction: discord.Interaction, question: str) -> None:
        if bot.stopping:
            await send_private(interaction, RESTARTING)
            return
        wait = bot.limits.refusal(interaction.user.id)
        if wait:
            await send_private(interaction, wait)
            return
        try:
            clean_question(question_text(question))  # empty (or only mentions): refused before "thinking…", privately
        except QuestionError as exc:
            await send_private(interaction, str(exc))
            return
        await defer_thinking(interaction, ephemeral=False)  # Discord's 3-second deadline
        names = await mention_names(interaction.guild, question)
        text = clean_question(question_text(question, names, drop=own_ids(bot, interaction.guild)))
        follow_up = can_open_thread(interaction.channel)
        if bot.settings.effective_mode() == "llm":
            message = await interaction.followup.send("✍️ Thinking…", wait=True, allowed_mentions=NONE)
            await bot.stream_answer(text, interaction.user.id, message, follow_up=follow_up)
            interaction.extras["thinking"] = None
            return
        shown = await bot.answer(text, interaction.user.id, follow_up=follow_up)  # errors: on_app_command_error
        await send(interaction, embed=shown.embed, view=shown.view, ephemeral=False)

    @tree.command(name="sources", description="List the articles the bot answers from.")
    @app_commands.describe(public="Show the list to everyone in the channel (default: only you)")
    async def sources(interaction: discord.Interaction, public: bool = False) -> None:
        await defer_thinking(interaction, ephemeral=not public)
        articles = await asyncio.to_thread(bot.service.articles)
        await send(interaction, embed=articles_embed(articles, 0), view=pages_view(0, len(articles)),
                   ephemeral=not public)

    @tree.command(name="status", description="Corpus size, last reload, embedding model and answer mode.")
    @app_commands.describe(public="Show the status to everyone in the channel (default: only you)")
    async def status(interaction: discord.Interaction, public: bool = False) -> None:
        await defer_thinking(interaction, ephemeral=not public)
        stats = await asyncio.to_thread(bot.service.stats)
        embed = status_embed(stats, bot.service.store.embedder.model_id, bot.settings.effective_mode(),
                             bot.reload_lock.locked())
        embed.add_field(name="Feeds", value=await bot.feeds.status_value(), inline=False)
        await send(interaction, embed=embed, ephemeral=not public)

    @tree.command(name="reload", description="Moderators: re-read the corpus folder.")
    async def reload(interaction: discord.Interaction) -> None:
        if bot.stopping:
            await send_private(interaction, RESTARTING)
            return
        if bot.reload_lock.locked():
            await send_private(interaction, "A reload is already running; I'll keep answering from the current "
                                            "corpus until it finishes.")
            return
        actor = actor_of(interaction)
        with bot.corpus_work() as cancel:
            await defer_thinking(interaction, ephemeral=True)
            try:
                async with bot.reload_lock:
                    report = await bot.reload_corpus(actor, cancel)
            except ReloadCancelled:
                log.info("reload by %s cancelled: the bot is stopping", actor)
                await send_private(interaction, "⏹️ Reload cancelled: newsbot is stopping. The corpus is unchanged; "
                                                "run /reload again once the bot is back.")
                return
            except (ReloadInProgress, EmbeddingModelMismatch) as exc:  # what to do, not an apology
                await send_private(interaction, str(exc))
                return
            log.info("reload by %s: +%d ~%d -%d failed %d", actor, len(report.added), len(report.updated),
                     len(report.removed), len(report.failed))
            title = "Reload finished (newsbot is now stopping)" if bot.stopping else "Reload finished"
            await send(interaction, embed=report_embed(report, title=title), ephemeral=True)

    @tree.command(name="add", description="Moderators: add an article from a file or a URL.")
    @app_commands.describe(file="An article file (.md, .txt, .html, .json, .jsonl)", url="An article's web address")
    async def add(interaction: discord.Interaction, file: discord.Attachment | None = None,
                  url: str | None = None) -> None:
        if bot.stopping:
            await send_private(interaction, RESTARTING)
            return
        if (file is None) == (url is None):
            await send_private(interaction, "Give either a file or a URL.")
            return
        with bot.corpus_work():  # a stop waits for the article to be added (or refused) and the moderator told
            await defer_thinking(interaction, ephemeral=True)
            result = await _load(file, url, bot.settings)
            if not result.articles:
                await send(interaction, embed=report_embed(IngestReport(failed=list(result.failures)),
                                                           title="Nothing added"), ephemeral=True)
                return
            async with bot.reload_lock:
                report = await asyncio.to_thread(bot.service.add, result, actor=actor_of(interaction))
            await send(interaction, embed=report_embed(report, title="Article added"), ephemeral=True)

    for command in (reload, add):
        for_moderators(bot, command)


async def _load(file: discord.Attachment | None, url: str | None, settings: Settings) -> LoadResult:
    """The article of an attachment (refused by size before downloading) or of a URL, fetched under the fetch
    policy (no private, loopback or metadata address unless ``NEWSBOT_FETCH_ALLOW_HOSTS`` allows the host)."""
    limit = settings.max_article_bytes
    if file is not None:
        if file.size > limit:  # in the words the loaders use
            return LoadResult([], [LoadFailure(file.filename, too_large(file.size, limit))])
        data = await file.read()
        return await asyncio.to_thread(load_bytes, file.filename, data, max_bytes=limit)
    return await asyncio.to_thread(load_url, url or "", max_bytes=limit, timeout=settings.fetch_timeout,
                                   user_agent=settings.fetch_user_agent, policy=FetchPolicy.from_settings(settings))
