"""Messages with no question in them: a bare mention gets a usage hint, anything else is left alone."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.client import NewsBot
from tests.bot_harness import SEED_QUESTION, assert_no_pings, bot_on_own_emulator
from tests.discord_emulator import DiscordEmulator
from tests.discord_emulator import payloads as P

pytestmark = pytest.mark.asyncio(loop_scope="module")
LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    """The bot answering every post of the forum without a mention (general needs one)."""
    async with bot_on_own_emulator(tmp_path_factory.mktemp("bot"), forum=True) as live:
        yield live


async def open_forum_thread(emu: DiscordEmulator, title: str) -> dict:
    """A forum post whose first message is sent separately (THREAD_CREATE only)."""
    thread = P.channel(P.snowflake(), emu.guild_id, title, ctype=11, parent_id=emu.forum["id"])
    thread["owner_id"], thread["newly_created"] = emu.users["alice"]["id"], True
    emu.channels[thread["id"]] = thread
    await emu.dispatch("THREAD_CREATE", thread)
    return thread


@pytest.mark.parametrize("text", ["<@{bot}>", "  <@!{bot}>  \u200b\n", "<@{bot}> <@{bob}> @everyone ?"])
async def test_a_mention_without_a_question_gets_a_usage_hint_that_pings_nobody(live, text: str) -> None:
    _, emu = live
    before = len(emu.sent)
    content = text.format(bot=emu.app_id, bob=emu.users["bob"]["id"])
    await emu.send_message(emu.general["id"], content, author="bob", mentions=["newsbot", "bob"])
    hint = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.channel_id == emu.general["id"]), None))
    assert "Ask me a question about the news corpus" in hint.content and "/ask" in hint.content
    assert "@newsbot Did Lukashenko apologize?" in hint.content  # how to ask, by the bot's own name
    assert "empty" not in hint.content and not hint.embeds and not LIVE_MENTION.search(hint.content)
    assert_no_pings(hint)


async def test_forum_posts_without_question_text_are_ignored_silently(live) -> None:
    _, emu = live
    bob, role = emu.users["bob"]["id"], emu.moderator_role
    only_mentions = await emu.create_forum_post("hey", f"<@{bob}> <@&{role}> @here")
    only_emoji = await emu.create_forum_post("nice", "👍 …")
    only_attachment = await open_forum_thread(emu, "photo")
    photo = P.message(P.snowflake(), only_attachment["id"], emu.users["alice"], {"content": "", "attachments": [
        {"id": P.snowflake(), "filename": "photo.png", "size": 3, "url": f"{emu.base_url}/attachments/x-photo.png",
         "proxy_url": f"{emu.base_url}/attachments/x-photo.png"}]}, emu.guild_id)
    await emu.dispatch("MESSAGE_CREATE", photo)
    asked = await emu.create_forum_post("Apology?", SEED_QUESTION)  # a later post, answered as usual
    answer = await emu.wait_for(lambda: next((s for s in emu.sent if s.channel_id == asked["id"] and s.embeds), None))
    assert "Contested" in answer.embeds[0]["title"]
    quiet = {only_mentions["id"], only_emoji["id"], only_attachment["id"]}
    assert not [s for s in emu.sent if s.channel_id in quiet]


async def test_a_mention_with_a_question_in_the_forum_is_still_answered(live) -> None:
    _, emu = live
    before = len(emu.sent)
    thread = await open_forum_thread(emu, "Refinery")
    await emu.send_message(thread["id"], f"<@{emu.app_id}> What did he warn about the Mozyr refinery?",
                           author="bob", mentions=["newsbot"])
    answer = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert answer.channel_id == thread["id"] and "tenfold" in str(answer.embeds)
