"""Slash commands: /ask for everyone; /sources and /status to look around; /reload and /add for moderators.

Moderator commands are hidden from others by default permissions (Manage
Server) and checked again on every call (the configured moderator role or
Manage Server), so a crafted interaction from anyone else changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.questions import question_text
from bot.render import CONTENT, articles_embed, clip, plain, report_embed
from bot.views import pages_view
from newsbot.service import QuestionError
from retrieval.fetching import too_large
from retrieval.loaders import LoadFailure, LoadResult, load_bytes, load_url
from retrieval.store import EmbeddingModelMismatch, ReloadInProgress

if TYPE_CHECKING:
    from bot.client import NewsBot

log = logging.getLogger("newsbot.bot")
NONE = discord.AllowedMentions.none()


def is_moderator(interaction: discord.Interaction) -> bool:
    """The configured moderator role, or Manage Server (from the interaction's own permissions)."""
    bot: NewsBot = interaction.client  # type: ignore[assignment]
    if interaction.permissions.manage_guild or interaction.permissions.administrator:
        return True
    role_id = bot.settings.moderator_role_id
    roles = getattr(interaction.user, "roles", [])
    return role_id is not None and any(r.id == role_id for r in roles)


def register(bot: NewsBot) -> None:
    """Add every command to ``bot.tree``."""
    tree = bot.tree
    moderators_only = app_commands.check(is_moderator)

    @tree.command(name="ask", description="Ask a question about the news corpus; get a balanced, cited answer.")
    @app_commands.describe(question="What do you want to know? e.g. Did Lukashenko apologize?")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        with bot.in_flight_work():
            await _ask(interaction, question)

    async def _ask(interaction: discord.Interaction, question: str) -> None:
        wait = bot.cooldown_message(interaction.user.id)
        if wait:
            await interaction.response.send_message(wait, ephemeral=True, allowed_mentions=NONE)
            return
        await interaction.response.defer(thinking=True)  # Discord's 3-second deadline
        question = question_text(question)
        try:
            if bot.settings.effective_mode() == "llm":
                message = await interaction.followup.send("✍️ Thinking…", wait=True, allowed_mentions=NONE)
                await bot.stream_answer(question, interaction.user.id, message)
                return
            embed, view = await bot.answer(question, interaction.user.id)
        except QuestionError as exc:
            await interaction.followup.send(clip(str(exc), CONTENT), allowed_mentions=NONE)
            return
        await interaction.followup.send(embed=embed, view=view, allowed_mentions=NONE)

    @tree.command(name="sources", description="List the articles the bot answers from.")
    async def sources(interaction: discord.Interaction) -> None:
        articles = await asyncio.to_thread(bot.service.articles)
        await interaction.response.send_message(embed=articles_embed(articles, 0), view=pages_view(0, len(articles)),
                                                allowed_mentions=NONE)

    @tree.command(name="status", description="Corpus size, last reload, embedding model and answer mode.")
    async def status(interaction: discord.Interaction) -> None:
        stats = await asyncio.to_thread(bot.service.stats)
        configured = bot.service.store.embedder.model_id
        embed = discord.Embed(title="newsbot status", colour=discord.Colour.dark_teal())
        if stats.generation is not None and stats.embedding_model != configured:  # questions would fail
            embed.colour = discord.Colour.red()
            embed.description = f"⚠️ {EmbeddingModelMismatch(stats.embedding_model, configured)}"
        embed.add_field(name="Articles", value=str(stats.articles))
        embed.add_field(name="Passages", value=str(stats.chunks))
        embed.add_field(name="Store", value=f"{stats.mode} · {stats.generation or '—'}")
        embed.add_field(name="Last reload", value=plain(f"{stats.last_reload_at or '—'} by {stats.last_reload_by or '—'}"),
                        inline=False)
        embed.add_field(name="Embedding model", value=stats.embedding_model)
        embed.add_field(name="Answer mode", value=bot.settings.effective_mode())
        embed.add_field(name="Reloading now", value="yes" if bot.reload_lock.locked() else "no")
        await interaction.response.send_message(embed=embed, allowed_mentions=NONE)

    @tree.command(name="reload", description="Moderators: re-read the corpus folder.")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderators_only
    async def reload(interaction: discord.Interaction) -> None:
        if bot.reload_lock.locked():
            await interaction.response.send_message("A reload is already running; I'll keep answering from the "
                                                    "current corpus until it finishes.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with bot.reload_lock:
            actor = f"{interaction.user} ({interaction.user.id})"
            try:
                report = await asyncio.to_thread(bot.service.reload, actor=actor)
            except (ReloadInProgress, EmbeddingModelMismatch) as exc:  # what to do, not an apology
                await interaction.followup.send(str(exc), ephemeral=True, allowed_mentions=NONE)
                return
        log.info("reload by %s: +%d ~%d -%d failed %d", actor, len(report.added), len(report.updated),
                 len(report.removed), len(report.failed))
        await interaction.followup.send(embed=report_embed(report), ephemeral=True, allowed_mentions=NONE)

    @tree.command(name="add", description="Moderators: add an article from a file or a URL.")
    @app_commands.describe(file="An article file (.md, .txt, .html, .json, .jsonl)", url="An article's web address")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @moderators_only
    async def add(interaction: discord.Interaction, file: discord.Attachment | None = None,
                  url: str | None = None) -> None:
        if (file is None) == (url is None):
            await interaction.response.send_message("Give either a file or a URL.", ephemeral=True,
                                                    allowed_mentions=NONE)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        if file is not None:
            limit = bot.settings.max_article_bytes
            if file.size > limit:  # refused before downloading, in the words the loaders use
                result = LoadResult([], [LoadFailure(file.filename, too_large(file.size, limit))])
            else:
                data = await file.read()
                result = await asyncio.to_thread(load_bytes, file.filename, data, max_bytes=limit)
        else:
            result = await asyncio.to_thread(load_url, url or "", max_bytes=bot.settings.max_article_bytes)
        if not result.articles:
            await interaction.followup.send(embed=report_embed(_empty_report(result), title="Nothing added"),
                                            ephemeral=True, allowed_mentions=NONE)
            return
        async with bot.reload_lock:
            report = await asyncio.to_thread(bot.service.add, result, actor=f"{interaction.user} ({interaction.user.id})")
        await interaction.followup.send(embed=report_embed(report, title="Article added"), ephemeral=True,
                                        allowed_mentions=NONE)


def _empty_report(result):  # noqa: ANN001, ANN202
    from retrieval.store import IngestReport

    return IngestReport(failed=list(result.failures))
