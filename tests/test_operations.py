"""Operations: 50 concurrent /ask during a /reload without stalling the event loop; SIGTERM stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.bot_harness import bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator
from tests.engine_helpers import ROOT

SEED_QUESTION = "Did Lukashenko apologize?"


async def _lag_probe(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(0.01)
        worst[0] = max(worst[0], loop.time() - started - 0.01)


@pytest.mark.slow
async def test_fifty_concurrent_asks_during_a_reload_all_answered_without_loop_stalls(tmp_path: Path) -> None:
    settings = bot_settings(tmp_path)
    async with running_bot(settings) as (bot, emu):
        for i in range(150):
            (settings.corpus_dir / f"filler-{i}.md").write_text(
                f"---\ntitle: Filler {i}\npublisher: Wire\n---\n" + f"Council meeting {i} discussed roads. " * 40)
        stop, worst = asyncio.Event(), [0.0]
        probe = asyncio.create_task(_lag_probe(stop, worst))
        reload = await emu.slash("reload", user="admin")
        await emu.wait_for(lambda: bot.service.reloading, timeout=30)
        users = ("alice", "bob", "mod", "admin")
        asks = await asyncio.gather(*(emu.slash("ask", {"question": SEED_QUESTION}, user=users[i % 4])
                                      for i in range(50)))
        replies = await asyncio.gather(*(emu.final(it, timeout=120) for it in asks))
        report = await emu.final(reload, timeout=300)
        stop.set()
        await probe
    assert all(r.embeds and "Contested" in r.embeds[0]["title"] for r in replies)
    assert "Added: 150" in str(report.embeds)
    print(f"\nmax event-loop lag during 50 asks + reload: {worst[0] * 1000:.0f} ms")
    assert worst[0] < 0.25


async def test_sigterm_lets_an_answer_in_flight_finish_then_closes_the_gateway(tmp_path: Path) -> None:
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path)
    env = {**os.environ, "DISCORD_TOKEN": "fake-token-for-sigterm", "NEWSBOT_DATA_DIR": str(settings.data_dir),
           "NEWSBOT_CORPUS_DIR": str(settings.corpus_dir), "NEWSBOT_FEEDBACK_DB": str(settings.feedback_db),
           "NEWSBOT_ANSWER_MODE": "extractive", "NEWSBOT_COOLDOWN_SECONDS": "0",
           "NEWSBOT_DISCORD_GUILD_ID": emu.guild_id, "NEWSBOT_DISCORD_API_BASE": f"{emu.base_url}/api/v10",
           "NEWSBOT_DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{emu.port}/gateway"}
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "newsbot.cli", "bot", env=env, cwd=ROOT,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        await emu.wait_for(lambda: emu.commands.get("ask") and emu._sockets, timeout=120)
        asked = await emu.slash("ask", {"question": SEED_QUESTION})
        await emu.wait_for(lambda: any(c.path.endswith("/callback") for c in emu.calls), timeout=30)
        proc.send_signal(signal.SIGTERM)
        reply = await emu.final(asked, timeout=30)
        assert "Contested" in reply.embeds[0]["title"]
        code = await asyncio.wait_for(proc.wait(), 30)
        stderr = (await proc.stderr.read()).decode() if proc.stderr else ""
        assert code == 0, stderr[-2000:]
        assert "stopped cleanly" in stderr and "fake-token-for-sigterm" not in stderr
        await emu.wait_for(lambda: not emu._sockets, timeout=10)
    finally:
        if proc.returncode is None:
            proc.kill()
        await emu.stop()
