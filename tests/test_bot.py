"""The real discord.py bot against the Discord emulator: what users see and what moderators can do."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.client import Cooldown, NewsBot
from tests.bot_harness import bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator, Sent
from tests.discord_emulator import payloads as P

pytestmark = pytest.mark.asyncio(loop_scope="module")
SEED_QUESTION = "Did Lukashenko apologize?"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    settings = bot_settings(tmp_path_factory.mktemp("bot"), moderator_role_id=None)
    async with running_bot(settings) as (bot, emu):
        bot.settings.moderator_role_id = int(emu.moderator_role)
        yield bot, emu


def _no_pings(sent: Sent) -> None:
    allowed = sent.body.get("allowed_mentions")
    assert allowed is not None and allowed.get("parse") == [], sent.body
    assert not allowed.get("users") and not allowed.get("roles") and not allowed.get("replied_user")


async def test_ask_gives_a_contested_embed_with_both_sides_cited(live) -> None:
    bot, emu = live
    reply = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    (embed,) = reply.embeds
    assert embed["title"].startswith("⚖️ Contested") and embed["color"] == 0xF1C40F
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    says_yes = next(v for k, v in fields.items() if k.startswith("Says yes") and "Zelensky" in k)
    says_no = next(v for k, v in fields.items() if k.startswith("Says no") and "Eismont" in k)
    assert "apologized" in says_yes and "[1]" in says_yes
    assert "did not apologize" in says_no and "to RBC" in says_no
    assert "Meduza" in fields["Sources"] and "(<https://meduza.io/" in fields["Sources"]
    ids = reply.custom_ids()
    assert any(i.startswith("nb:src:") for i in ids) and any(i.startswith("nb:follow:") for i in ids)
    assert {i.rsplit(":", 1)[1] for i in ids if i.startswith("nb:vote:")} == {"0", "1"}
    _no_pings(reply)


async def test_every_message_the_bot_sent_disables_all_mentions(live) -> None:
    _, emu = live
    await emu.final(await emu.slash("ask", {"question": "@everyone <@&123> <@456> " + SEED_QUESTION}))
    assert emu.sent
    for sent in emu.sent:
        if sent.kind != "edit":
            _no_pings(sent)
    assert emu.identify is not None and emu.identify["intents"] & (1 << 15)  # message content intent


async def test_empty_and_oversized_questions_get_a_clear_reply(live) -> None:
    _, emu = live
    empty = await emu.final(await emu.slash("ask", {"question": "   "}))
    assert "empty" in empty.content
    huge = await emu.final(await emu.slash("ask", {"question": "why " * 1500}))
    assert "characters long" in huge.content and len(huge.content) <= 2000
    _no_pings(huge)


async def test_sources_button_shows_the_full_quotes_only_to_the_clicker(live) -> None:
    _, emu = live
    reply = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    src = next(i for i in reply.custom_ids() if i.startswith("nb:src:"))
    shown = await emu.final(await emu.click(reply, src, user="bob"))
    assert shown.ephemeral
    text = " ".join(f["value"] for e in shown.embeds for f in e["fields"])
    assert "we have nothing to apologize for" in text


async def test_votes_are_stored_with_the_question_and_answer(live) -> None:
    bot, emu = live
    reply = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    up = next(i for i in reply.custom_ids() if i.startswith("nb:vote:") and i.endswith(":1"))
    thanks = await emu.final(await emu.click(reply, up, user="bob"))
    assert thanks.ephemeral and "Thanks" in thanks.content
    row = sqlite3.connect(bot.settings.feedback_db).execute(
        "SELECT helpful, question FROM feedback WHERE answer_id = ?", (up.split(":")[2],)).fetchone()
    assert row == (1, SEED_QUESTION)


async def test_buttons_work_from_stored_state_alone(live) -> None:
    bot, emu = live
    answer = bot.service.ask(SEED_QUESTION)
    answer_id = bot.store.save_answer(answer, None)  # as if sent before a restart: no view in memory
    button = {"type": 2, "style": 2, "label": "Sources", "custom_id": f"nb:src:{answer_id}"}
    old_message = P.message(P.snowflake(), emu.general["id"], emu.bot,
                            {"content": "", "components": [{"type": 1, "components": [button]}]}, emu.guild_id)
    fake = Sent("followup", emu.general["id"], old_message, {})
    shown = await emu.final(await emu.click(fake, f"nb:src:{answer_id}"))
    assert shown.ephemeral and shown.embeds


async def test_follow_up_thread_answers_without_a_mention(live) -> None:
    _, emu = live
    reply = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    follow = next(i for i in reply.custom_ids() if i.startswith("nb:follow:"))
    opened = await emu.final(await emu.click(reply, follow))
    assert opened.ephemeral and "Thread opened" in opened.content
    thread_id = [cid for cid, c in emu.channels.items() if c["type"] == 11][-1]
    assert "Ask follow-up questions here" in str([s.content for s in emu.sent if s.channel_id == thread_id])
    before = len(emu.sent)
    await emu.post(thread_id, "What did he warn about the Mozyr refinery?")
    answer = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert answer.channel_id == thread_id and "tenfold" in str(answer.embeds)


async def test_a_mention_with_a_question_is_answered(live) -> None:
    _, emu = live
    before = len(emu.sent)
    await emu.post(emu.general["id"], f"<@{emu.app_id}> {SEED_QUESTION}", mention_bot=True)
    answer = await emu.wait_for(lambda: next((s for s in emu.sent[before:] if s.embeds), None))
    assert "Contested" in answer.embeds[0]["title"]
    _no_pings(answer)


async def test_plain_messages_elsewhere_are_left_alone(live) -> None:
    _, emu = live
    before = len(emu.sent)
    await emu.post(emu.general["id"], SEED_QUESTION)
    await emu.post(emu.general["id"], "just chatting")
    await emu.final(await emu.slash("status"))  # a later event, so the two posts were processed
    assert all(s.channel_id != emu.general["id"] or s.kind == "response" for s in emu.sent[before:])


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


async def test_moderator_commands_are_hidden_by_default_permissions(live) -> None:
    _, emu = live
    for name in ("reload", "add"):
        assert int(emu.commands[name]["default_member_permissions"]) == 1 << 5
    assert emu.commands["ask"].get("default_member_permissions") is None


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


async def test_cooldown_replies_ephemerally(live) -> None:
    bot, emu = live
    bot.cooldown = Cooldown(60)
    try:
        await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}, user="bob"))
        again = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}, user="bob"))
        assert again.ephemeral and "Please wait" in again.content
    finally:
        bot.cooldown = Cooldown(0)


async def test_an_internal_error_shows_an_apology_with_an_id_not_a_trace(live, monkeypatch, caplog) -> None:
    bot, emu = live

    def broken(question: str, *, mode: str | None = None):  # noqa: ANN202 - a crash that cannot happen on demand
        raise RuntimeError("chroma exploded")

    monkeypatch.setattr(bot.service, "ask", broken)
    reply = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    assert "Sorry" in reply.content and "error id" in reply.content and "Traceback" not in reply.content
    error_id = reply.content.split("`")[1]
    assert any(error_id in r.getMessage() for r in caplog.records)


async def test_configured_forum_posts_are_answered_without_being_asked(tmp_path: Path) -> None:
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path, answer_channel_ids=[int(emu.forum["id"])])
    async with running_bot(settings, emu) as (_, emu):
        thread = await emu.create_forum_post("Apology?", SEED_QUESTION)
        answer = await emu.wait_for(lambda: next((s for s in emu.sent if s.embeds), None))
        assert answer.channel_id == thread["id"] and "Contested" in answer.embeds[0]["title"]
    await emu.stop()


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


async def test_llm_mode_edits_the_answer_progressively_then_shows_the_verified_one(tmp_path: Path) -> None:
    from tests.llm_servers import ScriptedServer
    from tests.test_llm import EIS, ZEL

    server = ScriptedServer()

    def stream(body: dict) -> tuple[int, str]:
        passages = body["messages"][1]["content"].split("\n\n[")
        where = next(n for n, block in enumerate(passages, 1) if ZEL[:40] in block)
        sides = [{"stance": "supports", "speaker": "Zelensky", "statement": "yes",
                  "evidence": [{"passage": where, "quote": ZEL}]},
                 {"stance": "refutes", "speaker": "Eismont", "statement": "no",
                  "evidence": [{"passage": 99, "quote": EIS}]}]
        content = json.dumps({"verdict": "contested", "sides": sides})
        chunks = [content[i : i + 40] for i in range(0, len(content), 40)]
        events = "".join("data: " + json.dumps({"id": "x", "object": "chat.completion.chunk", "created": 0,
                                                 "model": "local", "choices": [{"index": 0, "delta": {"content": c},
                                                                                "finish_reason": None}]}) + "\n\n"
                         for c in chunks)
        return 200, events + "data: [DONE]\n\n"

    server.reply = stream
    settings = bot_settings(tmp_path, llm_base_url=server.url, llm_model="local", answer_mode="llm")
    try:
        async with running_bot(settings) as (_, emu):
            it = await emu.slash("ask", {"question": SEED_QUESTION})
            final = await emu.wait_for(lambda: next((s for s in it.sent if s.embeds), None), timeout=60)
            assert it.sent[0].content.startswith("✍️")
            assert "Contested" in final.embeds[0]["title"] and "llm answer" in final.embeds[0]["footer"]["text"]
            _no_pings(it.sent[0])
    finally:
        server.close()


async def test_secrets_never_reach_logs_or_messages(tmp_path: Path, caplog) -> None:
    import logging

    token, key = "FAKE-DISCORD-TOKEN-7f3a9", "sk-FAKE-LLM-KEY-55e1"
    settings = bot_settings(tmp_path, llm_api_key=key, llm_base_url="http://127.0.0.1:9/v1", answer_mode="extractive")
    caplog.set_level(logging.DEBUG)
    async with running_bot(settings, token=token) as (bot, emu):
        await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
        await emu.final(await emu.slash("status"))
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)
        assert emu.identify is not None and emu.identify["token"] == token  # it was really used
        sent = json.dumps([s.body for s in emu.sent])
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    for secret in (token, key):
        assert secret not in logs and secret not in sent and secret not in repr(settings) and secret not in str(settings)


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


async def test_moderator_adds_an_article_from_a_url(live) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = ("<html><head><title>Port strike ends</title><script>steal()</script></head><body><article>"
            "<h1>Port strike ends</h1><p>" + "Dock workers ended their strike on Thursday after a pay deal. " * 8
            + "</p></article></body></html>").encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    bot, emu = live
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/news/port-strike"
        done = await emu.final(await emu.slash("add", {"url": url}, user="mod"), timeout=60)
        assert "Added: 1" in str(done.embeds)
        added = next(a for a in bot.service.articles() if a.url == url)
        assert added.title == "Port strike ends" and "steal()" not in added.text
        bad = await emu.final(await emu.slash("add", {"url": "ftp://example.invalid/x"}, user="mod"))
        assert "Nothing added" in str(bad.embeds) and "http" in str(bad.embeds)
    finally:
        server.shutdown()
        await emu.final(await emu.slash("reload", user="admin"), timeout=60)
