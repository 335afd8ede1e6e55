"""The real bot against the Discord emulator and a real news site on 127.0.0.1: moderators follow feeds,
nobody else can; the moderator channel hears what each poll did; /add url: obeys the fetch policy."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest
import pytest_asyncio

from bot import feeds as bot_feeds
from bot.client import NewsBot
from retrieval.feeds import FeedBook, FeedPoller
from tests.bot_harness import assert_no_pings, bot_settings, running_bot
from tests.discord_emulator import DiscordEmulator
from tests.feed_server import FeedSite, Item, atom, page, rss

pytestmark = pytest.mark.asyncio(loop_scope="module")
NOW = datetime.now(UTC).replace(microsecond=0)
MINE = "The Ardent copper mine was reopened on Monday after inspectors cleared its ventilation system."
DOCK = "Dock workers in Pellport ended their strike on Thursday after the port authority agreed a pay deal."
FERRY = "The Quillbrook ferry service was suspended on Friday because of storm damage to the pier."
RESUMED = "The Quillbrook ferry service resumed on Tuesday once the pier had been repaired."


@pytest.fixture(scope="module")
def site() -> Iterator[FeedSite]:
    server = FeedSite().start()
    server.put("/courier/mine", page("Mine", f"{MINE}\n\nThe mine employs 400 people."))
    server.put("/courier/rss.xml", rss("Pellport Courier", [
        Item("Copper mine reopened", "/courier/mine", NOW),
        Item("Dock strike ends", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")]),
        "application/rss+xml")
    server.put("/home", page("Home", "Welcome to the Courier."))
    server.put("/page", page("Harbour", "The harbour reopened on Monday after the storm. " * 5))
    server.redirect("/to-localhost", f"http://localhost:{server.port}/page")
    yield server
    server.stop()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory, site: FeedSite) -> AsyncIterator[
        tuple[NewsBot, DiscordEmulator]]:
    ticking = pytest.MonkeyPatch()
    ticking.setattr(bot_feeds, "TICK", 0.3)  # the scheduler looks for due feeds every 0.3 s, not every minute
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path_factory.mktemp("bot"), moderator_role_id=int(emu.moderator_role),
                            mod_channel_id=int(emu.general["id"]), fetch_allow_hosts=["127.0.0.1"],
                            feed_host_delay=0.0, fetch_timeout=5.0)
    async with running_bot(settings, emu) as (bot, emu):
        yield bot, emu
    await emu.stop()
    ticking.undo()


async def test_feeds_commands_are_refused_for_anyone_but_moderators(live, site: FeedSite) -> None:
    bot, emu = live
    forged = emu.member("bob") | {"permissions": "0", "roles": []}
    for name, options in (("feeds add", {"url": site.url("/courier/rss.xml")}), ("feeds list", {}),
                          ("feeds remove", {"feed": "anything"})):
        for who in ({"user": "alice"}, {"member_override": forged}):
            refused = await emu.final(await emu.slash(name, options, **who))  # type: ignore[arg-type]
            assert refused.ephemeral and "only moderators" in refused.content
            assert_no_pings(refused)
    assert FeedBook(bot.settings.feeds_db).feeds() == [] and site.asked("/courier/rss.xml") == []
    assert emu.commands["feeds"].get("default_member_permissions") == \
        emu.commands["reload"].get("default_member_permissions")  # shown and hidden like /reload


async def test_a_moderator_follows_a_feed_and_its_entries_are_answered(live, site: FeedSite) -> None:
    bot, emu = live
    added = await emu.slash("feeds add", {"url": site.url("/courier/rss.xml"), "every": "1h"}, user="mod")
    subscribed, first_poll = await emu.wait_for(
        lambda: (lambda s: s[-2:] if len(s) >= 2 and s[-1].embeds else None)(
            [x for x in added.sent if x.content or x.embeds]), timeout=60)
    assert subscribed.ephemeral and "Subscribed to **Pellport Courier**" in subscribed.content
    assert "every 1 h" in subscribed.content
    assert first_poll.ephemeral and first_poll.embeds[0]["title"].startswith("First poll: 2 added")
    report = await emu.wait_for(lambda: next((s for s in emu.sent if s.kind == "channel" and s.embeds and
                                              s.embeds[0]["title"].startswith("Feed poll")), None))
    assert report.channel_id == emu.general["id"] and "Copper mine reopened" in str(report.embeds)
    for sent in (subscribed, first_poll, report):
        assert_no_pings(sent)

    answer = await emu.final(await emu.slash("ask", {"question": "Was the Ardent copper mine reopened?"}))
    assert "Supported" in answer.embeds[0]["title"] and site.url("/courier/mine") in str(answer.embeds)

    listing = await emu.final(await emu.slash("feeds list", user="mod"))
    assert listing.ephemeral and "Pellport Courier" in str(listing.embeds) and "every 1 h" in str(listing.embeds)
    status = await emu.final(await emu.slash("status"))
    feeds_line = {f["name"]: f["value"] for f in status.embeds[0]["fields"]}["Feeds"]
    assert "Pellport Courier" in feeds_line and "<t:" in feeds_line and "2 new or changed" in feeds_line

    reload = await emu.final(await emu.slash("reload", user="mod"), timeout=60)  # the folder's reload
    assert "Removed: 0" in str(reload.embeds)
    assert {"127.0.0.1--courier--mine", "courier.example--dock"} <= {a.id for a in bot.service.articles()}


async def test_a_moderator_unfollows_a_feed_and_its_articles_go(live, site: FeedSite) -> None:
    bot, emu = live
    (feed,) = FeedBook(bot.settings.feeds_db).feeds()
    done = await emu.final(await emu.slash("feeds remove", {"feed": feed.key}, user="admin"), timeout=60)
    assert "Unsubscribed from **Pellport Courier**" in done.content and "2 of its articles were dropped" in done.content
    assert [a.id for a in bot.service.articles()] == ["meduza-lukashenko-apology"]
    unknown = await emu.final(await emu.slash("feeds remove", {"feed": "no-such-feed"}, user="mod"))
    assert "No feed 'no-such-feed' is subscribed" in unknown.content


async def test_a_bad_feed_or_interval_gets_a_clear_error(live, site: FeedSite) -> None:
    bot, emu = live
    not_feed = await emu.final(await emu.slash("feeds add", {"url": site.url("/home")}, user="mod"), timeout=60)
    assert not_feed.ephemeral and "Not subscribed" in not_feed.content
    assert "not an RSS, Atom or JSON feed" in not_feed.content
    too_often = await emu.final(await emu.slash("feeds add", {"url": site.url("/courier/rss.xml"), "every": "30s"},
                                                user="mod"))
    assert too_often.ephemeral and "between 5 min and 7 d" in too_often.content
    assert FeedBook(bot.settings.feeds_db).feeds() == []


async def test_add_url_refuses_loopback_and_private_addresses(live, site: FeedSite, monkeypatch) -> None:
    bot, emu = live
    monkeypatch.setattr(bot.settings, "fetch_allow_hosts", [])  # as deployed: nothing private allowed
    asked = len(site.requests)
    direct = await emu.final(await emu.slash("add", {"url": site.url("/page")}, user="mod"), timeout=60)
    fields = {f["name"]: f["value"] for f in direct.embeds[0]["fields"]}
    assert direct.embeds[0]["title"] == "Nothing added" and "127.0.0.1 is a loopback address" in fields["Failed: 1"]
    assert len(site.requests) == asked  # refused before connecting
    monkeypatch.setattr(bot.settings, "fetch_allow_hosts", ["127.0.0.1"])  # the test site, not localhost
    redirected = await emu.final(await emu.slash("add", {"url": site.url("/to-localhost")}, user="mod"), timeout=60)
    fields = {f["name"]: f["value"] for f in redirected.embeds[0]["fields"]}
    assert "redirected to" in fields["Failed: 1"] and "localhost resolves to 127.0.0.1" in fields["Failed: 1"]
    assert [r.path for r in site.requests[asked:]] == ["/to-localhost"]
    assert "127.0.0.1--page" not in {a.id for a in bot.service.articles()}


def channel_report(emu: DiscordEmulator, text: str):  # noqa: ANN201 - a Sent, or None while there is none
    return next((x for x in emu.sent if x.kind == "channel" and text in str(x.embeds)), None)


async def test_the_bot_polls_on_its_own_a_feed_added_from_the_terminal_and_takes_its_changes(live,
                                                                                             site: FeedSite) -> None:
    bot, emu = live
    site.put("/wire/ferry", page("Ferry", f"{FERRY}\n\nRepairs are expected to take days."))
    site.put("/wire/atom.xml", atom("Atom Wire", [Item("Ferry suspended", "/wire/ferry", NOW)]),
             "application/atom+xml")
    terminal = FeedPoller(bot.settings, FeedBook(bot.settings.feeds_db))  # as `newsbot feeds add` does
    feed, _ = await asyncio.to_thread(terminal.subscribe, site.url("/wire/atom.xml"), added_by="cli")
    try:
        report = await emu.wait_for(lambda: channel_report(emu, "Ferry suspended"), timeout=60)
        assert report.embeds[0]["title"].startswith("Feed poll: 1 added") and report.channel_id == emu.general["id"]
        assert_no_pings(report)
        answer = await emu.final(await emu.slash("ask", {"question": "Was the Quillbrook ferry service suspended?"}))
        assert "Supported" in answer.embeds[0]["title"]

        site.put("/wire/resumed", page("Ferry back", f"{RESUMED}\n\nThe first crossing left at 7 a.m."))
        site.put("/wire/atom.xml", atom("Atom Wire", [Item("Ferry service resumes", "/wire/resumed", NOW),
                                                      Item("Ferry suspended", "/wire/ferry", NOW)]),
                 "application/atom+xml")
        with sqlite3.connect(bot.settings.feeds_db) as db:  # as if its polling period had passed
            db.execute("UPDATE feeds SET next_poll_at = 0 WHERE key = ?", (feed.key,))
        second = await emu.wait_for(lambda: channel_report(emu, "Ferry service resumes"), timeout=60)
        assert second.embeds[0]["title"].startswith("Feed poll: 1 added, 0 updated")
        assert len(site.asked("/wire/ferry")) == 1  # the entry seen before was not fetched again
        answer = await emu.final(await emu.slash("ask", {"question": "Did the Quillbrook ferry service resume?"}))
        assert "Supported" in answer.embeds[0]["title"] and site.url("/wire/resumed") in str(answer.embeds)
    finally:
        await emu.final(await emu.slash("feeds remove", {"feed": feed.key}, user="mod"), timeout=60)


async def test_stopping_the_bot_during_a_poll_changes_nothing_and_gives_the_store_back(
        tmp_path_factory: pytest.TempPathFactory, site: FeedSite) -> None:
    from newsbot.service import NewsService

    site.put("/slow/story", page("Slow", f"{MINE}\n\nMore on the mine."), delay=2.0)
    site.put("/slow/rss.xml", rss("Slow Courier", [Item("Slow story", "/slow/story", NOW)]), "application/rss+xml")
    emu = DiscordEmulator()
    await emu.start()
    settings = bot_settings(tmp_path_factory.mktemp("stopping"), moderator_role_id=int(emu.moderator_role),
                            fetch_allow_hosts=["127.0.0.1"], feed_host_delay=0.0, fetch_timeout=10.0)
    try:
        async with running_bot(settings, emu) as (bot, emu):
            added = await emu.slash("feeds add", {"url": site.url("/slow/rss.xml")}, user="mod")
            await emu.wait_for(lambda: site.asked("/slow/story"), timeout=60)  # the poll is fetching the page
            await bot.close()
            told = next(x for x in added.sent if x.embeds)  # the moderator heard before the bot went
            assert told.ephemeral and "cancelled" in str(told.embeds) and "corpus is unchanged" in str(told.embeds)
            assert not bot.reload_lock.locked()
    finally:
        await emu.stop()
    service = NewsService(settings)  # the store was given back: another process may open it
    try:
        assert [a.id for a in service.articles()] == ["meduza-lukashenko-apology"]
    finally:
        service.close()
    (feed,) = FeedBook(settings.feeds_db).feeds()
    assert feed.last_poll_at is None and feed.due(time.time())  # nothing recorded, due: the next start polls it
