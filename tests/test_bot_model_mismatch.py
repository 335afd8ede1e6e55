"""A corpus embedded by another model: the bot still starts, and every reply says how to rebuild, not "sorry"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.client import NewsBot
from newsbot.settings import Settings
from retrieval.chunking import chunk_article
from retrieval.store import CorpusStore
from tests.bot_harness import SEED_QUESTION, assert_no_pings, bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator
from tests.engine_helpers import seed_article
from tests.test_store_models import HashEmbedder

pytestmark = pytest.mark.asyncio(loop_scope="module")
REBUILD = "newsbot ingest --rebuild"


def embed_with_another_model(settings: Settings) -> None:
    """The store as another embedding backend left it."""
    store = CorpusStore(settings, HashEmbedder())
    try:
        store.sync([seed_article()], chunker=lambda a: chunk_article(a, size=600, overlap=120))
    finally:
        store.close()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    settings = bot_settings(tmp_path_factory.mktemp("bot"))
    embed_with_another_model(settings)
    async with running_bot(settings) as (bot, emu):  # starting does not crash on the first-run ingest check
        yield bot, emu


def says_how_to_rebuild(text: str) -> bool:
    return "hash/16" in text and "onnx-int8/all-MiniLM-L6-v2" in text and REBUILD in text and "error id" not in text


async def test_status_shows_the_mismatch_and_the_rebuild_command(live) -> None:
    _, emu = live
    reply = await emu.final(await emu.slash("status"))
    (embed,) = reply.embeds
    assert embed["color"] == 0xE74C3C and says_how_to_rebuild(embed["description"])
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Articles"] == "1" and fields["Embedding model"] == "hash/16"


async def test_reload_says_how_to_rebuild_and_changes_nothing(live) -> None:
    bot, emu = live
    generation = bot.service.stats().generation
    reply = await emu.final(await emu.slash("reload", user="admin"), timeout=60)
    assert reply.ephemeral and says_how_to_rebuild(reply.content)
    assert bot.service.stats().generation == generation
    assert_no_pings(reply)


async def test_questions_say_how_to_rebuild_instead_of_an_apology(live) -> None:
    _, emu = live
    asked = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    assert says_how_to_rebuild(asked.content) and not asked.embeds and asked.ephemeral
    before = len(emu.sent)
    await emu.post(emu.general["id"], f"<@{emu.app_id}> {SEED_QUESTION}", mention_bot=True)
    mentioned = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.content), None))
    assert says_how_to_rebuild(mentioned.content)
    assert_no_pings(mentioned)


async def test_a_store_of_the_configured_model_shows_no_warning(tmp_path: Path) -> None:
    async with running_bot(bot_settings(tmp_path)) as (_, emu):
        (embed,) = (await emu.final(await emu.slash("status"))).embeds
        assert "description" not in embed and embed["color"] != 0xE74C3C
