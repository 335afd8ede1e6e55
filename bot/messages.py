"""Messages the bot answers: mentions, replies to its answers, follow-up threads, configured channels.

A message is for the bot when it is *addressed* (its mention, or the role Discord made for it,
in the text) or when it is in a *conversation* with it: a follow-up thread it opened, a post in a
configured channel or forum, or a reply to one of its answers. An addressed message with no
question gets a usage hint; a conversation message is answered only when it asks something
("thanks, that's really helpful!" is left alone), except a forum post's opening message.

A follow-up is asked as a question that stands alone (:func:`bot.conversation.resolve`: the
earlier subject in place of "he", "it", "they"), shown in the person's own words. In their own
conversation (a thread they opened, their forum post, a reply to their own answer) people are
held to the flood limit only, not the cooldown (:mod:`bot.limits`).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import TYPE_CHECKING

import discord

from bot.conversation import asks_something, resolve
from bot.questions import is_question, mention_ids, question_text, usage_hint
from bot.render import CONTENT, clip
from bot.replies import NONE, error_text
from bot.storage import FollowedThread, StoredAnswer
from bot.views import can_open_thread
from newsbot.service import MAX_QUESTION_CHARS, QuestionError

if TYPE_CHECKING:
    from bot.client import NewsBot

ANSWER_ID = re.compile(r"nb:(?:src|vote|follow):(?P<aid>[0-9a-f]{1,32})")
MAX_FETCHED = 5  # members looked up over REST for one question at most


def own_ids(bot: NewsBot, guild: discord.Guild | None) -> set[int]:
    """The ids that address the bot: its user and, in a server, its managed role."""
    ids = {bot.user.id} if bot.user else set()
    role = guild.self_role if guild is not None else None
    if role is not None:
        ids.add(role.id)
    return ids


async def mention_names(guild: discord.Guild | None, text: str) -> dict[int, str]:
    """Names for the mentions in ``text`` that the server knows: roles and channels from the cache, members
    from it or, without the privileged members intent, fetched one by one (a few at most)."""
    names: dict[int, str] = {}
    if guild is None:
        return names
    fetched = 0
    for kind, mention_id in mention_ids(text):
        found: object = {"user": guild.get_member, "role": guild.get_role, "channel": guild.get_channel}[kind](
            mention_id)
        if found is None and kind == "user" and fetched < MAX_FETCHED:
            fetched += 1
            with contextlib.suppress(discord.HTTPException):
                found = await guild.fetch_member(mention_id)
        if found is not None:
            names[mention_id] = getattr(found, "display_name", None) or getattr(found, "name", "")
    return names


def message_names(message: discord.Message) -> dict[int, str]:
    """Names for the mentions of a message, which Discord sends resolved with it."""
    names = {u.id: u.display_name for u in message.mentions}
    names.update({r.id: r.name for r in message.role_mentions})
    names.update({c.id: getattr(c, "name", "") for c in message.channel_mentions})
    return names


def answer_id_of(message: discord.Message) -> str | None:
    """The answer a message of the bot shows, read from its buttons' custom ids."""
    for row in message.components:
        for item in getattr(row, "children", []):
            if match := ANSWER_ID.match(getattr(item, "custom_id", None) or ""):
                return match["aid"]
    return None


async def replied_answer(bot: NewsBot, message: discord.Message) -> StoredAnswer | None:
    """The bot's answer ``message`` replies to, if it is one.

    Discord sends the replied-to message with the reply, so nothing is fetched (every reply between
    people would cost a REST call otherwise); a reply to a deleted message is no follow-up.
    """
    reference = message.reference
    target = reference.resolved if reference is not None else None
    if not isinstance(target, discord.Message) or bot.user is None or target.author.id != bot.user.id:
        return None
    answer_id = answer_id_of(target)
    return await asyncio.to_thread(bot.store.stored, answer_id) if answer_id else None


def _asks(bot: NewsBot, question: str) -> bool:
    """Whether a conversation message asks something, read with the engine's parser (in a worker thread)."""
    return asks_something(question, bot.service.reader.parser)


def _standing_alone(bot: NewsBot, question: str, history: list[str]) -> str:
    """A follow-up with its pronouns resolved from the conversation's questions (in a worker thread)."""
    return resolve(question, history, bot.service.reader.parser)


async def handle_message(bot: NewsBot, message: discord.Message) -> None:  # noqa: C901
    """Answer ``message`` if it is for the bot (see the module docstring)."""
    if message.author.bot or bot.user is None or not message.content:
        return
    channel, text = message.channel, message.content
    addressing = own_ids(bot, message.guild)
    addressed = any(i in addressing for _, i in mention_ids(text))
    followed: FollowedThread | None = None
    if isinstance(channel, discord.Thread):
        followed = await asyncio.to_thread(bot.store.thread, channel.id)
    configured = set(bot.settings.answer_channel_ids)
    in_configured = channel.id in configured or getattr(channel, "parent_id", None) in configured
    replied = await replied_answer(bot, message) if message.reference else None
    if not (addressed or followed or in_configured or replied):
        return
    question = question_text(text, message_names(message), drop=addressing)
    if not is_question(question_text(text)):  # a bare mention gets a hint; only mentions or an emoji, nothing
        if addressed:
            await message.reply(usage_hint(bot.user.display_name), allowed_mentions=NONE, mention_author=False)
        return
    starts_post = isinstance(channel, discord.Thread) and message.id == channel.id  # a forum post's first message
    if not (addressed or starts_post or await asyncio.to_thread(_asks, bot, question)):
        return  # chit-chat in a conversation
    history = (followed.history if followed else []) + ([replied.answer.question] if replied else [])
    resolved = await asyncio.to_thread(_standing_alone, bot, question, history) if history else question
    if len(resolved) > MAX_QUESTION_CHARS:
        resolved = question
    author = message.author.id
    own = (followed is not None and author in (followed.opener_id, await _asker(bot, followed))
           or replied is not None and replied.user_id == author
           or isinstance(channel, discord.Thread) and channel.owner_id == author and in_configured)
    wait = bot.limits.refusal(author, follow_up=bool(own))
    if wait:
        await message.reply(wait, allowed_mentions=NONE, mention_author=False)
        return
    with bot.in_flight_work():
        answer_id = await _reply(bot, message, resolved, question)
    if isinstance(channel, discord.Thread):
        if followed is not None:
            await asyncio.to_thread(bot.store.add_to_thread, channel.id, resolved)
        elif starts_post and answer_id is not None:  # the post becomes a conversation: follow-ups have context
            await asyncio.to_thread(bot.store.open_thread, channel.id, answer_id, resolved, author)


async def _asker(bot: NewsBot, followed: FollowedThread) -> int | None:
    """Who asked the question the thread was opened on."""
    stored = await asyncio.to_thread(bot.store.stored, followed.answer_id)
    return stored.user_id if stored else None


async def _reply(bot: NewsBot, message: discord.Message, question: str, asked: str) -> str | None:
    """Reply with the answer (or what went wrong); the answer's id when there is one."""
    try:
        async with message.channel.typing():
            shown = await bot.answer(question, message.author.id, asked=asked,
                                     follow_up=can_open_thread(message.channel))
    except QuestionError as exc:
        await message.reply(clip(str(exc), CONTENT), allowed_mentions=NONE, mention_author=False)
        return None
    except Exception as exc:  # noqa: BLE001 - the user gets an apology with an id, the log the trace
        await message.reply(error_text(exc), allowed_mentions=NONE, mention_author=False)
        return None
    await message.reply(embed=shown.embed, view=shown.view, allowed_mentions=NONE, mention_author=False)
    return shown.answer_id
