"""Buttons that keep working after a restart: dynamic items whose custom id carries the state.

``nb:src:<answer>`` shows the full quotes, ``nb:vote:<answer>:<1|0>`` records Helpful / Not
helpful (Not helpful asks why, see :mod:`bot.feedback`) and shows the counts on the buttons,
``nb:follow:<answer>`` opens a follow-up thread and ``nb:page:<n>`` pages through the corpus
listing. The answer itself is read back from the bot's SQLite store, so no in-memory view has
to survive. Every callback acknowledges first (Discord's 3-second deadline; the store and the
corpus may be busy with a reload) and runs under :func:`bot.replies.guarded`.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.render import articles_embed, clip, sources_embeds
from bot.replies import defer_thinking, guarded, send, send_private
from bot.storage import StoredAnswer

if TYPE_CHECKING:
    from bot.client import NewsBot

GONE = "That answer is no longer stored."
#: Channel types a thread can be started in from a message (text and announcement channels).
THREADABLE = (discord.ChannelType.text, discord.ChannelType.news)
THREAD_EXISTS, NOT_HERE = 160004, 50024  # Discord's error codes for a second thread and a thread in a thread
IN_A_THREAD = ("This answer is already in a thread: ask your follow-up right here (reply to the answer, "
               "or mention me).")
AID = r"(?P<aid>[0-9a-f]{1,32})"


def _bot(interaction: discord.Interaction) -> NewsBot:
    return interaction.client  # type: ignore[return-value]


async def _stored(interaction: discord.Interaction, answer_id: str) -> StoredAnswer | None:
    """The stored answer a button refers to; tells the clicker (and returns None) when it is gone."""
    stored = await asyncio.to_thread(_bot(interaction).store.stored, answer_id)
    if stored is None:
        await send_private(interaction, GONE)
    return stored


def can_open_thread(channel: object) -> bool:
    """True where Follow up can start a thread: a text or announcement channel, not a thread, forum post or DM."""
    return getattr(channel, "type", None) in THREADABLE


class SourcesButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"nb:src:{AID}"):
    """Shows every cited quote in full, only to the person who clicked."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(discord.ui.Button(label="Sources", emoji="📚", style=discord.ButtonStyle.secondary,
                                           custom_id=f"nb:src:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> SourcesButton:
        return cls(match["aid"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await defer_thinking(interaction, ephemeral=True)
        stored = await _stored(interaction, self.answer_id)
        if stored is None:
            return
        for embed in sources_embeds(stored.answer, asked=stored.asked):  # 6000 characters is a per-message limit
            await send(interaction, embed=embed, ephemeral=True)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"nb:vote:{AID}:(?P<up>[01])"):
    """Helpful / Not helpful, stored with the question and answer; the buttons show the counts."""

    def __init__(self, answer_id: str, helpful: bool, count: int = 0) -> None:
        label = "Helpful" if helpful else "Not helpful"
        super().__init__(discord.ui.Button(
            label=f"{label} · {count}" if count else label, emoji="👍" if helpful else "👎",
            style=discord.ButtonStyle.success if helpful else discord.ButtonStyle.danger,
            custom_id=f"nb:vote:{answer_id}:{int(helpful)}"))
        self.answer_id, self.helpful = answer_id, helpful

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> VoteButton:
        return cls(match["aid"], match["up"] == "1")

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        if not self.helpful:  # a modal must be the first response: ask why, and count the vote meanwhile
            from bot.feedback import reason_modal

            await interaction.response.send_modal(reason_modal(self.answer_id))
            await asyncio.to_thread(bot.store.vote, self.answer_id, interaction.user.id, False)
            return
        await interaction.response.defer()  # an update of the message the buttons are on
        if not await asyncio.to_thread(bot.store.vote, self.answer_id, interaction.user.id, True):
            await send_private(interaction, GONE)
            return
        await show_votes(interaction, self.answer_id)
        await send_private(interaction, "Thanks for the feedback: noted as helpful.")


async def show_votes(interaction: discord.Interaction, answer_id: str) -> None:
    """Redraw the buttons of the message ``interaction`` came from with the answer's current vote counts."""
    if interaction.message is None:
        return
    up, down = await asyncio.to_thread(_bot(interaction).store.votes, answer_id)
    ids = [getattr(c, "custom_id", "") for row in interaction.message.components
           for c in getattr(row, "children", [])]
    view = answer_view(answer_id, has_sources=f"nb:src:{answer_id}" in ids,
                       follow_up=f"nb:follow:{answer_id}" in ids, votes=(up, down))
    await interaction.edit_original_response(view=view)


class FollowUpButton(discord.ui.DynamicItem[discord.ui.Button], template=rf"nb:follow:{AID}"):
    """Opens a thread on the answer where the bot answers every question, no mention needed.

    One thread per answer: a second click links to it. Where no thread can be made (the answer
    is in a thread or a forum post) the button is not offered; an old one says so.
    """

    def __init__(self, answer_id: str) -> None:
        super().__init__(discord.ui.Button(label="Follow up", emoji="🧵", style=discord.ButtonStyle.primary,
                                           custom_id=f"nb:follow:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> FollowUpButton:
        return cls(match["aid"])

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        bot = _bot(interaction)
        if not can_open_thread(interaction.channel) or interaction.message is None:
            await send_private(interaction, IN_A_THREAD)
            return
        await defer_thinking(interaction, ephemeral=True)
        stored = await _stored(interaction, self.answer_id)
        if stored is None:
            return
        existing = await asyncio.to_thread(bot.store.thread_of_answer, self.answer_id)
        if existing is not None:
            await send_private(interaction, f"This answer already has a follow-up thread: <#{existing}>")
            return
        try:
            thread = await interaction.message.create_thread(name=clip(f"Follow-up: {stored.asked}", 100),
                                                             auto_archive_duration=1440)
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:  # made meanwhile (a double click, or by hand): it has the message's id
                thread_id = interaction.message.id
                await asyncio.to_thread(bot.store.open_thread, thread_id, self.answer_id, stored.answer.question,
                                        stored.user_id)
                await send_private(interaction, f"This answer already has a follow-up thread: <#{thread_id}>")
                return
            if exc.code == NOT_HERE:
                await send_private(interaction, IN_A_THREAD)
                return
            raise
        await asyncio.to_thread(bot.store.open_thread, thread.id, self.answer_id, stored.answer.question,
                                interaction.user.id)
        await thread.send(f"Ask follow-up questions here, {interaction.user.mention}: I answer every question in "
                          "this thread, and \"he\", \"it\" or \"they\" mean what the last question was about.",
                          allowed_mentions=discord.AllowedMentions.none())
        await send_private(interaction, f"Thread opened: {thread.mention}")


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

    @guarded
    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()  # the listing is edited in place
        articles = await asyncio.to_thread(_bot(interaction).service.articles)
        await interaction.edit_original_response(embed=articles_embed(articles, self.page),
                                                 view=pages_view(self.page, len(articles)))


def answer_view(answer_id: str, *, has_sources: bool, follow_up: bool = True,
                votes: tuple[int, int] = (0, 0)) -> discord.ui.View:
    """The buttons under an answer; no Follow up where a thread cannot be opened."""
    view = discord.ui.View(timeout=None)
    if has_sources:
        view.add_item(SourcesButton(answer_id))
    view.add_item(VoteButton(answer_id, True, votes[0]))
    view.add_item(VoteButton(answer_id, False, votes[1]))
    if follow_up:
        view.add_item(FollowUpButton(answer_id))
    return view


def pages_view(page: int, total: int, per_page: int = 10) -> discord.ui.View:
    pages = max(1, -(-total // per_page))
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton(max(page - 1, 0), "prev", disabled=page <= 0))
    view.add_item(PageButton(min(page + 1, pages - 1), "next", disabled=page >= pages - 1))
    return view


DYNAMIC_ITEMS: tuple[type[Any], ...] = (SourcesButton, VoteButton, FollowUpButton, PageButton)
