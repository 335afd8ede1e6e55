"""Buttons that keep working after a restart: dynamic items whose custom id carries the state.

``nb:src:<answer>`` shows the full quotes, ``nb:vote:<answer>:<1|0>`` records
Helpful / Not helpful, ``nb:follow:<answer>`` opens a follow-up thread and
``nb:page:<n>`` pages through the corpus listing. The answer itself is read
back from the bot's SQLite store, so no in-memory view has to survive.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.render import articles_embed, clip, sources_embeds
from newsbot.models import Answer

if TYPE_CHECKING:
    from bot.client import NewsBot

NONE = discord.AllowedMentions.none()


def _bot(interaction: discord.Interaction) -> NewsBot:
    return interaction.client  # type: ignore[return-value]


async def _stored_answer(interaction: discord.Interaction, answer_id: str) -> Answer | None:
    """The stored answer a button refers to; tells the clicker (and returns None) when it is gone."""
    answer = await asyncio.to_thread(_bot(interaction).store.answer, answer_id)
    if answer is None:
        await interaction.response.send_message("That answer is no longer stored.", ephemeral=True,
                                                allowed_mentions=NONE)
    return answer


class SourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=r"nb:src:(?P<aid>[0-9a-f]{1,32})"):
    """Shows every cited quote in full, only to the person who clicked."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(discord.ui.Button(label="Sources", emoji="📚", style=discord.ButtonStyle.secondary,
                                           custom_id=f"nb:src:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> SourcesButton:
        return cls(match["aid"])

    async def callback(self, interaction: discord.Interaction) -> None:
        answer = await _stored_answer(interaction, self.answer_id)
        if answer is None:
            return
        first, *rest = sources_embeds(answer)  # one embed per message: 6000 characters is a per-message limit
        await interaction.response.send_message(embed=first, ephemeral=True, allowed_mentions=NONE)
        for embed in rest:
            await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=NONE)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=r"nb:vote:(?P<aid>[0-9a-f]{1,32}):(?P<up>[01])"):
    """Helpful / Not helpful, stored with the question and answer."""

    def __init__(self, answer_id: str, helpful: bool) -> None:
        super().__init__(discord.ui.Button(
            label="Helpful" if helpful else "Not helpful", emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.danger,
            custom_id=f"nb:vote:{answer_id}:{int(helpful)}"))
        self.answer_id, self.helpful = answer_id, helpful

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> VoteButton:
        return cls(match["aid"], match["up"] == "1")

    async def callback(self, interaction: discord.Interaction) -> None:
        ok = await asyncio.to_thread(_bot(interaction).store.vote, self.answer_id, interaction.user.id, self.helpful)
        text = "Thanks for the feedback." if ok else "That answer is no longer stored."
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)


class FollowUpButton(discord.ui.DynamicItem[discord.ui.Button], template=r"nb:follow:(?P<aid>[0-9a-f]{1,32})"):
    """Opens a thread on the answer where the bot answers every message, no mention needed."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(discord.ui.Button(label="Follow up", emoji="🧵", style=discord.ButtonStyle.primary,
                                           custom_id=f"nb:follow:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> FollowUpButton:
        return cls(match["aid"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        answer = await _stored_answer(interaction, self.answer_id)
        if answer is None or interaction.message is None:
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        thread = await interaction.message.create_thread(name=clip(f"Follow-up: {answer.question}", 100),
                                                         auto_archive_duration=1440)
        await asyncio.to_thread(bot.store.open_thread, thread.id, self.answer_id, answer.question)
        await thread.send("Ask follow-up questions here; I answer every message in this thread.",
                          allowed_mentions=NONE)
        await interaction.followup.send(f"Thread opened: {thread.mention}", ephemeral=True, allowed_mentions=NONE)


class PageButton(discord.ui.DynamicItem[discord.ui.Button], template=r"nb:page:(?P<page>\d{1,6}):(?P<label>prev|next)"):
    """Previous / next page of /sources."""

    def __init__(self, page: int, label: str, disabled: bool = False) -> None:
        super().__init__(discord.ui.Button(label="◀ Previous" if label == "prev" else "Next ▶", disabled=disabled,
                                           style=discord.ButtonStyle.secondary, custom_id=f"nb:page:{page}:{label}"))
        self.page = page

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> PageButton:
        return cls(int(match["page"]), match["label"])

    async def callback(self, interaction: discord.Interaction) -> None:
        articles = await asyncio.to_thread(_bot(interaction).service.articles)
        await interaction.response.edit_message(embed=articles_embed(articles, self.page),
                                                view=pages_view(self.page, len(articles)), allowed_mentions=NONE)


def answer_view(answer_id: str, *, has_sources: bool) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    if has_sources:
        view.add_item(SourcesButton(answer_id))
    view.add_item(VoteButton(answer_id, True))
    view.add_item(VoteButton(answer_id, False))
    view.add_item(FollowUpButton(answer_id))
    return view


def pages_view(page: int, total: int, per_page: int = 10) -> discord.ui.View:
    pages = max(1, -(-total // per_page))
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(max(page - 1, 0), "prev", disabled=page <= 0))
    view.add_item(PageButton(min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
    return view


DYNAMIC_ITEMS: tuple[type[Any], ...] = (SourcesButton, VoteButton, FollowUpButton, PageButton)
