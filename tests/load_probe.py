"""50 concurrent /ask during a /reload through the emulator, in a fresh process; prints the figures as JSON.

The figures: how many asks were answered (and how many of them while the reload was still running), the
reload's report, and the worst event-loop lag seen meanwhile. The test asserts the first three; the lag is
a speed figure, printed by ``./run bench`` (its ``bot`` part) and not asserted.

Run by tests/test_operations.py in its own interpreter so that the measurement is of a bot process alone,
not of a test process that has run a hundred other tests (threads, models and servers left idle in it).
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

from tests.bot_harness import bot_settings, running_bot

SEED_QUESTION = "Did Lukashenko apologize?"


async def _lag_probe(stop: asyncio.Event, worst: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(0.01)
        worst[0] = max(worst[0], loop.time() - started - 0.01)


async def main(asks: int, articles: int) -> dict:
    settings = bot_settings(Path(tempfile.mkdtemp(prefix="newsbot-load-")))
    async with running_bot(settings) as (bot, emu):
        for i in range(articles):
            (settings.corpus_dir / f"filler-{i}.md").write_text(
                f"---\ntitle: Filler {i}\npublisher: Wire\n---\n" + f"Council meeting {i} discussed roads. " * 40)
        stop, worst = asyncio.Event(), [0.0]
        probe = asyncio.create_task(_lag_probe(stop, worst))
        reload = await emu.slash("reload", user="admin")
        await emu.wait_for(lambda: bot.service.reloading, timeout=30)
        users = ("alice", "bob", "mod", "admin")
        started = await asyncio.gather(*(emu.slash("ask", {"question": SEED_QUESTION}, user=users[i % 4])
                                         for i in range(asks)))
        during: list[bool] = []

        async def final(interaction):
            reply = await emu.final(interaction, timeout=120)
            during.append(bot.service.reloading)
            return reply

        replies = await asyncio.gather(*(final(it) for it in started))
        report = await emu.final(reload, timeout=300)
        stop.set()
        await probe
    return {"answered": sum(bool(r.embeds) and "Contested" in r.embeds[0]["title"] for r in replies),
            "errors": sum("error id" in r.content for r in replies), "report": str(report.embeds),
            "answered_during_reload": sum(during),
            "max_lag_ms": worst[0] * 1000}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))))
