"""Votes show on the buttons; "Not helpful" asks why in a modal; ``newsbot feedback`` lists and exports it all."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from click.testing import CliRunner

from bot.client import NewsBot
from bot.storage import REASONS
from newsbot.cli import cli
from tests.bot_harness import SEED_QUESTION, bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator, Sent

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[NewsBot, DiscordEmulator]]:
    async with running_bot(bot_settings(tmp_path_factory.mktemp("bot"))) as (bot, emu):
        yield bot, emu


def vote_id(answer: Sent, helpful: bool) -> str:
    return next(i for i in answer.custom_ids() if i.startswith("nb:vote:") and i.endswith(f":{int(helpful)}"))


def labels(emu: DiscordEmulator, answer: Sent) -> list[str]:
    """The vote buttons' labels as everyone sees them now."""
    message = emu.messages[answer.message["id"]]
    return [c["label"] for row in message["components"] for c in row["components"]
            if c["custom_id"].startswith("nb:vote:")]


async def test_votes_show_as_counts_on_the_buttons_and_can_be_changed(live) -> None:
    _, emu = live
    answer = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    assert labels(emu, answer) == ["Helpful", "Not helpful"]
    for user in ("alice", "bob"):
        thanks = await emu.first_where(await emu.click(answer, vote_id(answer, True), user=user), lambda s: s.content)
        assert thanks.ephemeral and "helpful" in thanks.content
    assert labels(emu, answer) == ["Helpful · 2", "Not helpful"]
    edit = next(s for s in reversed(emu.sent) if s.message["id"] == answer.message["id"])
    assert edit.kind == "edit" and not edit.ephemeral  # the answer everyone sees was redrawn in place
    opened = await emu.click(answer, vote_id(answer, False), user="bob")  # bob changes his mind
    await emu.final(await emu.submit_modal(opened, {"reason": "outdated"}))
    assert labels(emu, answer) == ["Helpful · 1", "Not helpful · 1"]
    now = [c["custom_id"] for row in emu.messages[answer.message["id"]]["components"] for c in row["components"]]
    assert now == answer.custom_ids()  # Sources and Follow up are kept, in their places


async def test_not_helpful_asks_why_and_stores_the_reason_beside_question_answer_and_vote(live) -> None:
    bot, emu = live
    answer = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
    opened = await emu.click(answer, vote_id(answer, False), user="bob")
    assert await emu.acknowledged(opened) == 9
    modal = opened.modal
    select = modal["components"][0]["component"]
    assert [o["value"] for o in select["options"]] == list(REASONS) == ["wrong_side", "missing_source", "outdated",
                                                                         "other"]
    assert modal["components"][1]["component"]["type"] == 4 and not modal["components"][1]["component"]["required"]
    db = sqlite3.connect(bot.settings.feedback_db)
    counted = await emu.wait_for(lambda: db.execute(  # the click counts already, reason or not
        "SELECT helpful, reason FROM feedback WHERE answer_id = ? AND user_id = ?",
        (vote_id(answer, False).split(":")[2], int(emu.users["bob"]["id"]))).fetchone(), timeout=10)
    assert counted == (0, None)
    submitted = await emu.submit_modal(opened, {"reason": "missing_source", "details": "Nothing from Belarus's side"})
    thanks = await emu.first_where(submitted, lambda s: s.content)
    assert thanks.ephemeral and "missing" in thanks.content
    row = db.execute(
        "SELECT helpful, reason, comment, question, answer FROM feedback WHERE answer_id = ? AND user_id = ?",
        (vote_id(answer, False).split(":")[2], int(emu.users["bob"]["id"]))).fetchone()
    assert row[:4] == (0, "missing_source", "Nothing from Belarus's side", SEED_QUESTION)
    assert json.loads(row[4])["verdict"] == "contested"


async def test_a_reason_modal_opened_before_a_restart_is_still_answered(tmp_path: Path) -> None:
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path)
    try:
        async with running_bot(settings, emu):
            answer = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))
            opened = await emu.click(answer, vote_id(answer, False))
            await emu.acknowledged(opened)
        await emu.wait_for(lambda: emu.connected == 0, timeout=10)
        async with running_bot(settings, emu) as (bot, _):
            submitted = await emu.submit_modal(opened, {"reason": "wrong_side"})
            assert "Thanks" in (await emu.first_where(submitted, lambda s: s.content)).content
            assert bot.store.feedback()[0].reason == "wrong_side"
    finally:
        await emu.stop()


async def test_newsbot_feedback_lists_and_exports_votes_with_reasons(live, monkeypatch) -> None:
    bot, emu = live
    answer = await emu.final(await emu.slash("ask", {"question": "Did the dam crack?"}))
    opened = await emu.click(answer, vote_id(answer, False), user="alice")
    await emu.final(await emu.submit_modal(opened, {"reason": "other", "details": "Asked about a dam; got nothing"}))
    monkeypatch.setenv("NEWSBOT_FEEDBACK_DB", str(bot.settings.feedback_db))
    runner = CliRunner()
    monkeypatch.setenv("COLUMNS", "250")  # rich folds a narrow table
    listed = runner.invoke(cli, ["feedback", "--not-helpful"])
    assert listed.exit_code == 0, listed.output
    assert "Did the dam crack?" in listed.output and "Something else" in listed.output and "👍" not in listed.output
    exported = runner.invoke(cli, ["feedback", "--export", "-", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    mine = next(r for r in rows if r["asked"] == "Did the dam crack?")
    assert mine["reason"] == "other" and mine["comment"] == "Asked about a dam; got nothing"
    assert mine["helpful"] == "False" and mine["verdict"] == "not_found" and mine["answer_id"] in answer.custom_ids()[0]
    out = bot.settings.data_dir / "feedback.jsonl"
    assert runner.invoke(cli, ["feedback", "--export", str(out), "--limit", "1"]).exit_code == 0
    (only,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert only["asked"] == "Did the dam crack?" and only["created"].endswith("+00:00")


async def test_newsbot_feedback_without_a_feedback_file_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NEWSBOT_FEEDBACK_DB", raising=False)
    result = CliRunner().invoke(cli, ["feedback"])
    assert result.exit_code == 1 and "No feedback yet" in result.output and str(tmp_path) in result.output


async def test_the_clicks_vote_stored_after_the_modals_reason_keeps_the_reason(live) -> None:
    bot, _ = live  # the click's vote is stored while the modal is open, so it may land second
    answer_id = bot.store.save_answer(bot.service.ask(SEED_QUESTION), 1)
    bot.store.explain(answer_id, 7, "outdated", "old news")
    bot.store.vote(answer_id, 7, False)
    (record,) = [r for r in bot.store.feedback() if r.answer_id == answer_id]
    assert (record.helpful, record.reason, record.comment) == (False, "outdated", "old news")
    bot.store.vote(answer_id, 7, True)  # a change of mind clears it
    (record,) = [r for r in bot.store.feedback() if r.answer_id == answer_id]
    assert (record.helpful, record.reason, record.comment) == (True, None, None)


async def test_a_vote_failing_after_its_modal_opened_is_logged_and_breaks_no_rule(live, monkeypatch, caplog) -> None:
    bot, emu = live
    answer = await emu.final(await emu.slash("ask", {"question": SEED_QUESTION}))

    def broken(answer_id: str, user_id: int, helpful: bool) -> bool:  # noqa: ARG001 - cannot happen on demand
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot.store, "vote", broken)
    opened = await emu.click(answer, vote_id(answer, False))
    assert await emu.acknowledged(opened) == 9  # the modal is up: nothing else may answer this click
    await emu.wait_for(lambda: any("not shown" in r.getMessage() for r in caplog.records), timeout=10)
    assert any(r.exc_info and "disk full" in str(r.exc_info[1]) for r in caplog.records)
    assert not emu.violations and not opened.sent
