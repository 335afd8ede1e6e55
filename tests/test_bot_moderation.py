"""The real discord.py bot against the Discord emulator: moderators change the corpus, nobody else can."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import pytest_asyncio

from bot.client import NewsBot
from tests.bot_harness import SEED_QUESTION, bot_on_own_emulator
from tests.discord_emulator import DiscordEmulator

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    async with bot_on_own_emulator(tmp_path_factory.mktemp("bot"), moderators=True,
                                   fetch_allow_hosts=["127.0.0.1"]) as live:  # the test web servers' host
        yield live


async def test_non_moderator_reload_and_add_are_refused_and_change_nothing(live) -> None:
    bot, emu = live
    (bot.settings.corpus_dir / "extra.md").write_text("---\ntitle: Extra\n---\nThe harbour reopened on Monday.")
    try:
        generation = bot.service.stats().generation
        for user in ("alice", "bob"):
            refused = await emu.final(await emu.slash("reload", user=user))
            assert refused.ephemeral and "only moderators" in refused.content
        forged = emu.member("alice") | {"permissions": "0", "roles": []}
        refused = await emu.final(await emu.slash("add", {"url": "http://127.0.0.1:9/x"}, member_override=forged))
        assert "only moderators" in refused.content
        assert bot.service.stats().generation == generation
        assert [a.id for a in bot.service.articles()] == ["meduza-lukashenko-apology"]
    finally:
        (bot.settings.corpus_dir / "extra.md").unlink()


async def test_with_a_moderator_role_the_moderator_commands_are_shown_to_its_members(live) -> None:
    _, emu = live  # a bot cannot grant a role a command: shown to all, run only for moderators (tested above)
    for name in ("reload", "add", "ask"):
        assert emu.commands[name].get("default_member_permissions") is None


async def test_moderator_reload_reports_added_and_failed_files(live) -> None:
    bot, emu = live
    corpus = bot.settings.corpus_dir
    (corpus / "harbour.md").write_text("---\ntitle: Harbour\npublisher: Wire\n---\nThe harbour reopened on Monday.")
    (corpus / "broken.md").write_bytes(b"\x00\x01binary")
    try:
        report = await emu.final(await emu.slash("reload", user="mod"), timeout=60)
        assert report.ephemeral
        fields = {f["name"]: f["value"] for f in report.embeds[0]["fields"]}
        assert "Added: 1" in fields and "harbour" in fields["Added: 1"]
        assert "broken.md" in fields["Failed: 1"] and "binary" in fields["Failed: 1"]
        assert {a.id for a in bot.service.articles()} == {"meduza-lukashenko-apology", "harbour"}
        assert "mod" in (bot.service.stats().last_reload_by or "")
    finally:
        (corpus / "harbour.md").unlink()
        (corpus / "broken.md").unlink()
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)


async def test_moderator_adds_an_attached_article(live) -> None:
    bot, emu = live
    data = b"---\ntitle: Dam report\npublisher: Wire\n---\nEngineers said the dam did not crack."
    done = await emu.final(await emu.slash("add", {"file": ("dam.md", data)}, user="admin"), timeout=60)
    assert "Added: 1" in str(done.embeds) and "dam" in {a.id for a in bot.service.articles()}
    answer = await emu.final(await emu.slash("ask", {"question": "Did the dam crack?"}))
    assert "Refuted" in answer.embeds[0]["title"]
    await emu.final(await emu.slash("reload", user="admin"), timeout=60)  # back to the corpus folder


async def test_sources_and_status_describe_the_corpus(live) -> None:
    _, emu = live
    listing = await emu.final(await emu.slash("sources"))
    assert "Zelensky says Lukashenko apologized" in str(listing.embeds) and "Page 1/1" in str(listing.embeds)
    assert any(i.startswith("nb:page:") for i in listing.custom_ids())
    status = await emu.final(await emu.slash("status"))
    fields = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}
    assert fields["Articles"] == "1" and fields["Answer mode"] == "extractive"
    assert "onnx-int8/all-MiniLM-L6-v2" in fields["Embedding model"]


async def test_twenty_concurrent_asks_during_a_reload_all_get_answers(live) -> None:
    bot, emu = live
    corpus = bot.settings.corpus_dir
    for i in range(60):
        (corpus / f"filler-{i}.md").write_text(
            f"---\ntitle: Filler {i}\npublisher: Wire\n---\n" + f"Council meeting {i} discussed roads and parks. " * 30)
    try:
        reload = await emu.slash("reload", user="mod")
        await emu.wait_for(lambda: bot.service.reloading, timeout=30)
        asks = [await emu.slash("ask", {"question": SEED_QUESTION}, user=("alice", "bob")[i % 2]) for i in range(20)]
        replies = [await emu.final(it, timeout=60) for it in asks]
        assert all("Contested" in r.embeds[0]["title"] for r in replies)
        report = await emu.final(reload, timeout=120)
        assert "Added: 60" in str(report.embeds)
        second = await emu.final(await emu.slash("reload", user="mod"), timeout=60)
        assert "Unchanged: 61" in str(second.embeds)
    finally:
        for i in range(60):
            (corpus / f"filler-{i}.md").unlink()
        await emu.final(await emu.slash("reload", user="admin"), timeout=120)


async def test_a_second_reload_while_one_runs_is_told_so(live) -> None:
    bot, emu = live
    corpus = bot.settings.corpus_dir
    for i in range(40):
        (corpus / f"slow-{i}.md").write_text(f"---\ntitle: Slow {i}\n---\n" + f"Item {i} about bridges. " * 40)
    try:
        first = await emu.slash("reload", user="mod")
        await emu.wait_for(lambda: bot.reload_lock.locked(), timeout=30)
        busy = await emu.final(await emu.slash("reload", user="admin"))
        assert busy.ephemeral and "already running" in busy.content
        await emu.final(first, timeout=120)
    finally:
        for i in range(40):
            (corpus / f"slow-{i}.md").unlink()
        await emu.final(await emu.slash("reload", user="admin"), timeout=120)


async def test_forged_members_cannot_run_any_moderator_command(live) -> None:
    bot, emu = live
    generation = bot.service.stats().generation
    forged = emu.member("bob") | {"permissions": "0", "roles": []}
    role_forged = emu.member("bob") | {"permissions": "0", "roles": ["999999999999999999"]}
    for member in (forged, role_forged):
        for name, options in (("reload", {}), ("add", {"file": ("x.md", b"---\ntitle: X\n---\nText.")})):
            refused = await emu.final(await emu.slash(name, options, member_override=member))
            assert refused.ephemeral and "only moderators" in refused.content
    assert bot.service.stats().generation == generation


@contextmanager
def serving(page: bytes, content_type: str) -> Iterator[str]:
    """A web server on 127.0.0.1 answering every GET with ``page``; yields its base URL."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def test_moderator_adds_an_article_from_a_url(live) -> None:
    page = ("<html><head><title>Port strike ends</title><script>steal()</script></head><body><article>"
            "<h1>Port strike ends</h1><p>" + "Dock workers ended their strike on Thursday after a pay deal. " * 8
            + "</p></article></body></html>").encode()
    bot, emu = live
    try:
        with serving(page, "text/html; charset=utf-8") as base:
            url = f"{base}/news/port-strike"
            done = await emu.final(await emu.slash("add", {"url": url}, user="mod"), timeout=60)
        assert "Added: 1" in str(done.embeds)
        added = next(a for a in bot.service.articles() if a.url == url)
        assert added.title == "Port strike ends" and "steal()" not in added.text
        bad = await emu.final(await emu.slash("add", {"url": "ftp://example.invalid/x"}, user="mod"))
        assert "Nothing added" in str(bad.embeds) and "http" in str(bad.embeds)
    finally:
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)


async def test_sources_pages_through_a_larger_corpus_with_buttons(live) -> None:
    bot, emu = live
    corpus = bot.settings.corpus_dir
    for i in range(11):
        (corpus / f"page-{i}.md").write_text(f"---\ntitle: Page story {i}\npublisher: Wire\n---\nStory {i} text.")
    try:
        await emu.final(await emu.slash("reload", user="mod"), timeout=60)
        first = await emu.final(await emu.slash("sources"))
        assert "Articles held (12)" in first.embeds[0]["title"] and first.embeds[0]["footer"]["text"] == "Page 1/2"
        assert len(first.embeds[0]["fields"]) == 10
        assert first.ephemeral  # only the asker sees the listing (and its buttons)
        turned = await emu.final(await emu.click(first, "nb:page:1:next", user="alice"))
        assert turned.kind == "edit" and turned.embeds[0]["footer"]["text"] == "Page 2/2"
        assert turned.message["id"] == first.message["id"]  # the listing was edited in place
        assert len(turned.embeds[0]["fields"]) == 2
        assert "nb:page:0:prev" in turned.custom_ids()
    finally:
        for i in range(11):
            (corpus / f"page-{i}.md").unlink()
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)


async def test_an_oversized_attachment_or_page_is_refused_in_the_same_words(live, monkeypatch) -> None:
    body = b"---\ntitle: Long read\n---\n" + b"The long read goes on. " * 70  # about 1.6 KB
    bot, emu = live
    monkeypatch.setattr(bot.settings, "max_article_bytes", 1000)
    reason = f"too large ({len(body) / 1e3:.1f} KB > 1.0 KB)"
    by_file = await emu.final(await emu.slash("add", {"file": ("long.md", body)}, user="mod"), timeout=60)
    with serving(body, "text/markdown") as base:
        by_url = await emu.final(await emu.slash("add", {"url": f"{base}/long.md"}, user="mod"), timeout=60)
    for refused in (by_file, by_url):
        fields = {f["name"]: f["value"] for f in refused.embeds[0]["fields"]}
        assert refused.embeds[0]["title"] == "Nothing added" and reason in fields["Failed: 1"]
    assert "long-read" not in {a.id for a in bot.service.articles()}
