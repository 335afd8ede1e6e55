"""Stopping during a /reload: the moderator is told what became of it, and only then is the store released."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from newsbot.service import NewsService
from newsbot.settings import Settings
from tests.bot_harness import bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator
from tests.engine_helpers import ROOT


def fill(settings: Settings, n: int) -> None:
    for i in range(n):
        (settings.corpus_dir / f"filler-{i}.md").write_text(
            f"---\ntitle: Filler {i}\npublisher: Wire\n---\n" + f"Council meeting {i} discussed roads and parks. " * 40)


def corpus_after(settings: Settings) -> tuple[str | None, int]:
    """The store as the next process finds it (opening it at all proves the bot let it go)."""
    service = NewsService(settings, wait=0)
    try:
        stats = service.stats()
        return stats.generation, stats.articles
    finally:
        service.close()


async def test_a_reload_still_running_after_the_grace_period_is_cancelled_and_the_moderator_told(
        tmp_path: Path) -> None:
    settings = bot_settings(tmp_path)
    emu = DiscordEmulator()
    await emu.start()
    try:
        async with running_bot(settings, emu) as (bot, emu):
            before = bot.service.stats().generation
            fill(settings, 300)  # far more to embed than the grace period allows
            bot.grace_seconds = 0.0
            reload = await emu.slash("reload", user="admin")
            await emu.wait_for(lambda: bot.service.reloading, timeout=60)
            await bot.close()  # what SIGTERM does
            assert not bot.service.reloading  # its worker had stopped before the store was closed
            told = await emu.final(reload)
            assert told.ephemeral and "Reload cancelled" in told.content and "unchanged" in told.content
        assert corpus_after(settings) == (before, 1)
    finally:
        await emu.stop()


async def test_a_reload_that_ends_within_the_grace_period_finishes_and_says_so(tmp_path: Path) -> None:
    settings = bot_settings(tmp_path)
    emu = DiscordEmulator()
    await emu.start()
    try:
        async with running_bot(settings, emu) as (bot, emu):
            fill(settings, 8)
            bot.grace_seconds = 120.0
            reload = await emu.slash("reload", user="admin")
            await emu.wait_for(lambda: bot.service.reloading, timeout=60)
            await bot.close()
            report = await emu.final(reload)
            assert report.embeds[0]["title"] == "Reload finished (newsbot is now stopping)"
            assert "Added: 8" in str(report.embeds) and report.ephemeral
        assert corpus_after(settings)[1] == 9
    finally:
        await emu.stop()


@pytest.mark.slow
async def test_sigterm_during_a_reload_tells_the_moderator_then_stops_and_logs_each_line_once(tmp_path: Path) -> None:
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path)
    env = {**os.environ, "DISCORD_TOKEN": "fake-token-for-sigterm", "NEWSBOT_DATA_DIR": str(settings.data_dir),
           "NEWSBOT_CORPUS_DIR": str(settings.corpus_dir), "NEWSBOT_ANSWER_MODE": "extractive",
           "NEWSBOT_COOLDOWN_SECONDS": "0", "NEWSBOT_DISCORD_GUILD_ID": emu.guild_id,
           "NEWSBOT_DISCORD_API_BASE": f"{emu.base_url}/api/v10",
           "NEWSBOT_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{emu.port}/gateway"}
    env.pop("NEWSBOT_FEEDBACK_DB", None)  # beside the data dir
    proc = await asyncio.create_subprocess_exec(sys.executable, "-c", "from newsbot.cli import main; main()", "bot",
                                                env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)
    try:
        await emu.wait_for(lambda: emu.commands.get("reload") and emu.connected, timeout=300)
        fill(settings, 150)  # after the first start ingested the seed article
        reload = await emu.slash("reload", user="admin")
        assert await emu.acknowledged(reload) == 5
        proc.send_signal(signal.SIGTERM)
        told = await emu.final(reload, timeout=120)
        assert told.ephemeral and ("Reload cancelled" in told.content
                                   or told.embeds and "newsbot is now stopping" in told.embeds[0]["title"])
        code = await asyncio.wait_for(proc.wait(), 120)
        stderr = (await proc.stderr.read()).decode() if proc.stderr else ""
        assert code == 0, stderr[-3000:]
        lines = [line for line in stderr.splitlines() if line.strip()]
        assert "stopped cleanly" in lines[-1]  # nothing of the reload after it
        assert sum("connected as" in line for line in lines) == 1  # one handler: each line printed once
        assert sum("/reload and /add are shown" in line for line in lines) == 1
        assert (settings.data_dir / "feedback.sqlite3").exists()  # beside the data dir, not in the checkout
        assert corpus_after(settings)[1] in (1, 151)  # the old corpus or the whole new one, and the store is free
    finally:
        if proc.returncode is None:
            proc.kill()
        await emu.stop()
