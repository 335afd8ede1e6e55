"""The real poller against a real news site on 127.0.0.1 (aiohttp), into a real Chroma corpus.

RSS 2.0, Atom and JSON Feed; feeds that change between polls; 304, 429 with Retry-After, 500, slow
answers, a feed that is not XML, a page over the size cap, a redirect to a private address, robots.txt.
The site's host is allowed as NEWSBOT_FETCH_ALLOW_HOSTS would allow it; nothing else private is.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsbot.service import NewsService
from newsbot.settings import Settings
from retrieval.feeds import FeedBook, FeedError, FeedPoller
from retrieval.reload_lease import ReloadLease
from tests.engine_helpers import SEED
from tests.feed_server import FeedSite, Item, atom, json_feed, page, rss

NOW = datetime.now(UTC).replace(microsecond=0)
DOCK = "Dock workers in Pellport ended their strike on Thursday after the port authority agreed a pay deal."
DAM = "Engineers said the Kessel dam did not crack during the flood, and the reservoir stays open."
MINE = "The Ardent copper mine was reopened on Monday after inspectors cleared its ventilation system."
FERRY = "The Quillbrook ferry service was suspended on Friday because of storm damage to the pier."


def story(lead: str, n: int = 4) -> str:
    return "\n\n".join([lead] + [f"Paragraph {i} of the report adds detail about the events described." for i in
                                 range(n)])


@pytest.fixture()
def site() -> Iterator[FeedSite]:
    server = FeedSite().start()
    yield server
    server.stop()


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    return Settings(data_dir=tmp_path / "data", corpus_dir=corpus, answer_mode="extractive",  # type: ignore[call-arg]
                    fetch_allow_hosts=["127.0.0.1"], feed_host_delay=0.0, fetch_timeout=2.0)


@pytest.fixture()
def service(settings: Settings) -> Iterator[NewsService]:
    svc = NewsService(settings)
    svc.ensure_corpus()
    yield svc
    svc.close()


def poller(settings: Settings, service: NewsService, **changes: object) -> FeedPoller:
    """A poller over the test's book and corpus (``changes``: other settings, e.g. a shorter timeout)."""
    return FeedPoller(settings.model_copy(update=changes), FeedBook(settings.feeds_db), service)


def courier(site: FeedSite, items: list[Item], **options: object) -> str:
    return site.put("/courier/rss.xml", rss("Pellport Courier", items), "application/rss+xml", **options)


def test_rss_atom_and_json_feeds_become_articles_with_the_entries_metadata(site: FeedSite, settings: Settings,
                                                                           service: NewsService) -> None:
    site.put("/courier/dock", page("Strike over at the docks", story(DOCK)))
    courier(site, [Item("Dock strike ends", "/courier/dock", NOW - timedelta(hours=2)),
                   Item("Dam holds", "https://courier.example/dam", NOW - timedelta(hours=3),
                        content=f"<p>{DAM}</p><p>The reservoir is full.</p>")])
    site.put("/wire/mine", page("Mine reopens", story(MINE)))
    site.put("/wire/atom.xml", atom("Atom Wire", [Item("Copper mine reopened", site.url("/wire/mine"),
                                                       NOW - timedelta(days=1))]), "application/atom+xml")
    site.put("/digest/feed.json", json_feed("Evening Digest", [
        Item("Ferry suspended", "https://digest.example/ferry", NOW - timedelta(hours=5), content=FERRY)],
        text=True), "application/feed+json")
    site.put("/digest/more.json", json_feed("Evening Digest", [
        Item("Pier repaired", "https://digest.example/pier", NOW, content=f"<p>{FERRY} The pier is repaired.</p>"),
        Item("Dock strike, the digest", "/courier/dock", NOW)]), "application/json")
    feeds = poller(settings, service)
    for path in ("/courier/rss.xml", "/wire/atom.xml", "/digest/feed.json", "/digest/more.json"):
        feeds.subscribe(site.url(path), added_by="test")

    report = feeds.poll()

    assert report.error is None and report.ingest is not None and report.page_failures == []
    assert sorted(report.ingest.added) == sorted(report.articles)
    held = {a.url: a for a in service.articles()}
    dock = held[site.url("/courier/dock")]
    assert (dock.title, dock.publisher, dock.published) == ("Dock strike ends", "Pellport Courier",
                                                            (NOW - timedelta(hours=2)).date().isoformat())
    assert DOCK in dock.text and "track()" not in dock.text and "Home | World" not in dock.text
    assert dock.feed == "127.0.0.1-" + str(site.port) + "--courier--rss.xml"
    assert DAM in held["https://courier.example/dam"].text  # the feed's own full content, no page fetched
    assert held[site.url("/wire/mine")].publisher == "Atom Wire" and MINE in held[site.url("/wire/mine")].text
    ferry = held["https://digest.example/ferry"]
    assert ferry.text == FERRY and ferry.publisher == "Evening Digest"  # JSON Feed's content_text, verbatim
    assert "The pier is repaired." in held["https://digest.example/pier"].text  # and its content_html
    assert len(site.asked("/courier/dock")) == 1  # listed by two feeds, fetched and held once
    assert held[site.url("/courier/dock")].publisher == "Pellport Courier"
    assert "meduza-lukashenko-apology" in {a.id for a in service.articles()}  # the folder's article stays
    answer = service.ask("Was the Ardent copper mine reopened?")
    assert answer.verdict.value == "supported" and answer.citations[0].url == site.url("/wire/mine")
    assert all(r.headers.get("User-Agent", "").startswith("newsbot/") for r in site.requests)


def test_unchanged_entries_are_not_fetched_again_and_changed_ones_are(site: FeedSite, settings: Settings,
                                                                      service: NewsService) -> None:
    site.put("/courier/dock", page("Dock", story(DOCK)))
    site.put("/courier/dam", page("Dam", story(DAM)))
    items = [Item("Dock strike ends", "/courier/dock", NOW - timedelta(hours=2)),
             Item("Dam holds", "/courier/dam", NOW - timedelta(hours=3))]
    url = courier(site, items, etag='"v1"')
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")
    assert len(feeds.poll().ingest.added) == 2  # type: ignore[union-attr]

    unchanged = feeds.poll(everything=True)  # the feed answers 304 to its own ETag
    assert unchanged.feeds[0].status == "not modified" and unchanged.ingest is None
    assert site.asked("/courier/rss.xml")[-1].headers.get("If-None-Match") == '"v1"'

    site.put("/courier/mine", page("Mine", story(MINE)))
    site.put("/courier/dam", page("Dam", story(DAM + " A second inspection is due in June.")))
    courier(site, [Item("Mine reopened", "/courier/mine", NOW - timedelta(hours=1)),
                   items[0], Item("Dam holds, inspection due", "/courier/dam", NOW - timedelta(hours=3))],
            etag='"v2"')
    before = len(site.asked("/courier/dock"))
    changed = feeds.poll(everything=True)
    assert changed.ingest is not None and changed.error is None
    assert [a for a in changed.ingest.added] == ["127.0.0.1--courier--mine"]
    assert changed.ingest.updated == ["127.0.0.1--courier--dam"]
    assert len(site.asked("/courier/dock")) == before  # seen and unchanged: not fetched
    dam = service.store.article("127.0.0.1--courier--dam")
    assert dam is not None and dam.title == "Dam holds, inspection due" and "second inspection" in dam.text


def test_429_with_retry_after_holds_the_feed_even_for_poll_all(site: FeedSite, settings: Settings,
                                                               service: NewsService) -> None:
    url = courier(site, [Item("Dock strike ends", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")])
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")
    site.put("/courier/rss.xml", "slow down", "text/plain", status=429, headers={"Retry-After": "7200"})

    report = feeds.poll()
    (outcome,) = report.feeds
    assert outcome.status == "failed" and "HTTP 429" in outcome.reason and report.changed
    assert outcome.state is not None and outcome.state.held_until is not None
    assert outcome.state.held_until - report.started_at >= 7200
    assert outcome.state.next_poll_at >= outcome.state.held_until
    asked = len(site.asked("/courier/rss.xml"))
    assert feeds.poll().feeds == []  # not due
    held_back = feeds.poll(everything=True)
    assert [o.status for o in held_back.feeds] == ["held back"]
    assert len(site.asked("/courier/rss.xml")) == asked  # the server was not asked again
    (feed,) = FeedBook(settings.feeds_db).feeds()
    assert feed.failures == 1 and feed.last_ok is False and "HTTP 429" in (feed.last_result or "")


def test_a_server_error_backs_off_and_leaves_the_corpus_serving(site: FeedSite, settings: Settings,
                                                                service: NewsService) -> None:
    url = courier(site, [Item("Dock strike ends", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")])
    feeds = poller(settings, service)
    feed, _ = feeds.subscribe(url, added_by="test")
    feeds.poll()
    generation, articles = service.stats().generation, {a.id for a in service.articles()}
    site.put("/courier/rss.xml", "oops", "text/plain", status=500)

    first = feeds.poll(everything=True)
    assert first.feeds[0].status == "failed" and "HTTP 500" in first.feeds[0].reason
    assert first.ingest is None and service.stats().generation == generation
    assert {a.id for a in service.articles()} == articles
    book = FeedBook(settings.feeds_db)
    held_until = book.feeds()[0].held_until
    assert held_until is not None and held_until - first.started_at >= feed.every
    with sqlite3.connect(settings.feeds_db) as db:  # as if the hold had passed
        db.execute("UPDATE feeds SET held_until = 0, next_poll_at = 0")
    second = feeds.poll()
    assert second.feeds[0].status == "failed" and second.ingest is None
    (after,) = book.feeds()
    assert after.failures == 2 and after.next_poll_at - second.started_at >= 2 * feed.every  # the wait doubled
    assert {a.id for a in service.articles()} == articles


def test_a_slow_page_times_out_by_url_while_the_others_load_and_is_tried_again(site: FeedSite, settings: Settings,
                                                                               service: NewsService) -> None:
    site.put("/courier/dock", page("Dock", story(DOCK)))
    site.put("/courier/slow", page("Dam", story(DAM)), delay=3.0)
    url = courier(site, [Item("Dock strike ends", "/courier/dock", NOW), Item("Dam holds", "/courier/slow", NOW)],
                  etag='"v1"')
    feeds = poller(settings, service, fetch_timeout=0.5)
    feeds.subscribe(url, added_by="test")

    report = feeds.poll()
    assert report.ingest is not None and report.ingest.added == ["127.0.0.1--courier--dock"]
    assert [(f.source, f.reason) for f in report.page_failures] == [(site.url("/courier/slow"),
                                                                     "timed out after 0.5 s")]
    assert [(f.source, f.reason) for f in report.ingest.failed] == [(site.url("/courier/slow"),
                                                                     "timed out after 0.5 s")]
    site.put("/courier/slow", page("Dam", story(DAM)))  # fast again
    again = feeds.poll(everything=True)
    assert site.asked("/courier/rss.xml")[-1].headers.get("If-None-Match") is None  # the whole feed, to retry
    assert again.ingest is not None and again.ingest.added == ["127.0.0.1--courier--slow"]


def test_a_feed_that_is_not_a_feed_is_refused_and_nothing_is_stored(site: FeedSite, settings: Settings,
                                                                    service: NewsService) -> None:
    feeds = poller(settings, service)
    for path, body, kind in (("/home", page("Home", "Welcome to our site."), "text/html"),
                             ("/notes.txt", "just some text, not XML at all", "text/plain"),
                             ("/data.json", '{"items": []}', "application/json")):
        site.put(path, body, kind)
        with pytest.raises(FeedError, match="not an RSS, Atom or JSON feed"):
            feeds.subscribe(site.url(path), added_by="test")
    with pytest.raises(FeedError, match="HTTP 404"):
        feeds.subscribe(site.url("/missing.xml"), added_by="test")
    with pytest.raises(FeedError, match="only http:// and https://"):
        feeds.subscribe("ftp://127.0.0.1/feed.xml", added_by="test")
    assert FeedBook(settings.feeds_db).feeds() == []

    url = courier(site, [Item("Dock strike ends", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")])
    feeds.subscribe(url, added_by="test")
    with pytest.raises(FeedError, match="already subscribed: Pellport Courier"):
        feeds.subscribe(url, added_by="test")
    site.put("/courier/rss.xml", "<<<garbage", "application/rss+xml")  # broken after subscribing
    report = feeds.poll()
    assert report.feeds[0].status == "failed" and "not an RSS, Atom or JSON feed" in report.feeds[0].reason


def test_pages_over_the_size_cap_or_behind_a_private_redirect_fail_by_url(site: FeedSite, settings: Settings,
                                                                          service: NewsService) -> None:
    site.put("/courier/dock", page("Dock", story(DOCK)))
    site.put("/courier/long", page("Long read", story(DAM, 400)))
    site.redirect("/courier/moved", f"http://localhost:{site.port}/intranet/secret")
    site.put("/intranet/secret", page("Secret", story(MINE)))
    url = courier(site, [Item("Dock strike ends", "/courier/dock", NOW), Item("Long read", "/courier/long", NOW),
                         Item("Moved story", "/courier/moved", NOW)])
    feeds = poller(settings, service, max_article_bytes=20_000)
    feeds.subscribe(url, added_by="test")

    report = feeds.poll()
    reasons = {f.source: f.reason for f in report.page_failures}
    assert reasons[site.url("/courier/long")].startswith("too large (")
    moved = reasons[site.url("/courier/moved")]
    assert moved.startswith(f"redirected to http://localhost:{site.port}/intranet/secret; refused: localhost "
                            "resolves to 127.0.0.1, a loopback address")
    assert site.asked("/intranet/secret") == []  # never fetched
    assert report.ingest is not None and report.ingest.added == ["127.0.0.1--courier--dock"]
    assert feeds.poll(everything=True).page_failures == []  # failed for good: not fetched again until they change
    with pytest.raises(FeedError, match="refused: localhost resolves to 127.0.0.1"):
        feeds.subscribe(f"http://localhost:{site.port}/courier/rss.xml", added_by="test")


def test_a_feed_over_its_size_cap_fails(site: FeedSite, settings: Settings, service: NewsService) -> None:
    items = [Item(f"Story {i}", f"https://courier.example/{i}", NOW, content=f"<p>{DOCK} {i}</p>") for i in range(80)]
    url = courier(site, items[:1])
    feeds = poller(settings, service, feed_max_bytes=4_000)
    feeds.subscribe(url, added_by="test")
    courier(site, items)
    report = feeds.poll()
    assert report.feeds[0].status == "failed" and report.feeds[0].reason.startswith("too large (")


def test_robots_txt_is_obeyed_for_pages(site: FeedSite, settings: Settings, service: NewsService) -> None:
    site.put("/robots.txt", "User-agent: newsbot\nDisallow: /courier/members/\n\nUser-agent: *\nDisallow:\n",
             "text/plain")
    site.put("/courier/dock", page("Dock", story(DOCK)))
    site.put("/courier/members/dam", page("Dam", story(DAM)))
    url = courier(site, [Item("Dock strike ends", "/courier/dock", NOW), Item("Dam holds", "/courier/members/dam", NOW),
                         Item("Mine reopens", "/courier/members/mine", NOW, content=f"<p>{MINE}</p>")])
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")

    report = feeds.poll()
    assert [(f.source, f.reason) for f in report.page_failures] == [
        (site.url("/courier/members/dam"), "robots.txt of 127.0.0.1 disallows it for newsbot")]
    assert site.asked("/courier/members/dam") == [] and len(site.asked("/robots.txt")) == 1
    added = set(report.ingest.added)  # type: ignore[union-attr]
    assert added == {"127.0.0.1--courier--dock", "127.0.0.1--courier--members--mine"}  # the feed's own content


def test_a_reload_of_the_folder_keeps_feed_articles_and_retention_drops_old_ones(site: FeedSite, settings: Settings,
                                                                                 service: NewsService) -> None:
    url = courier(site, [Item("Dock strike ends", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>"),
                         Item("Old dam story", "https://courier.example/dam", NOW - timedelta(days=40),
                              content=f"<p>{DAM}</p>")])
    keep_all = poller(settings, service, feed_retention_days=0)
    keep_all.subscribe(url, added_by="test")
    assert sorted(keep_all.poll().ingest.added) == ["courier.example--dam", "courier.example--dock"]  # type: ignore[union-attr]
    (settings.corpus_dir / "harbour.md").write_text("---\ntitle: Harbour\n---\nThe harbour reopened on Monday.")

    reload = service.reload(actor="test")
    assert reload.added == ["harbour"] and reload.removed == []
    assert {"courier.example--dam", "courier.example--dock", "harbour"} <= {a.id for a in service.articles()}
    (settings.corpus_dir / "harbour.md").unlink()
    assert service.reload(actor="test").removed == ["harbour"]  # folder articles still mirror the folder

    month = poller(settings, service, feed_retention_days=30)
    report = month.poll(everything=True)
    assert report.expired == ["courier.example--dam"] and report.ingest is not None
    assert report.ingest.removed == ["courier.example--dam"]
    assert {a.id for a in service.articles()} == {"courier.example--dock", "meduza-lukashenko-apology"}
    assert month.poll(everything=True).ingest is None  # the old entry is known: not brought back


def test_an_entry_older_than_the_retention_is_not_fetched(site: FeedSite, settings: Settings,
                                                          service: NewsService) -> None:
    site.put("/courier/old", page("Old", story(DAM)))
    url = courier(site, [Item("Old dam story", "/courier/old", NOW - timedelta(days=40))])
    feeds = poller(settings, service, feed_retention_days=30)
    feeds.subscribe(url, added_by="test")
    report = feeds.poll()
    assert report.ingest is None and site.asked("/courier/old") == []


def test_unsubscribing_drops_that_feeds_articles_only(site: FeedSite, settings: Settings, service: NewsService) -> None:
    courier_url = courier(site, [Item("Dock", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")])
    wire_url = site.put("/wire/atom.xml", atom("Atom Wire", [Item("Mine", "https://wire.example/mine", NOW,
                                                                  content=f"<p>{MINE}</p>")]))
    feeds = poller(settings, service)
    feeds.subscribe(courier_url, added_by="test")
    wire, _ = feeds.subscribe(wire_url, added_by="test")
    feeds.poll()
    removed = FeedBook(settings.feeds_db).remove(wire.url)
    assert removed is not None and removed.key == wire.key
    report = feeds.poll(only=set())
    assert report.expired == ["wire.example--mine"] and report.ingest is not None
    assert {a.id for a in service.articles()} == {"courier.example--dock", "meduza-lukashenko-apology"}


def test_the_same_story_under_two_urls_is_held_once(site: FeedSite, settings: Settings, service: NewsService) -> None:
    site.put("/courier/dock", page("Dock", story(DOCK)))
    site.put("/courier/dock-copy", page("Dock", story(DOCK)))
    url = courier(site, [Item("Dock strike ends", "/courier/dock", NOW),
                         Item("Dock strike ends", "/courier/dock-copy", NOW)])
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")
    report = feeds.poll()
    assert report.ingest is not None and report.ingest.added == ["127.0.0.1--courier--dock"]
    assert report.ingest.chunks_embedded > 0


def test_only_one_poll_or_reload_at_a_time_across_processes(site: FeedSite, settings: Settings,
                                                            service: NewsService) -> None:
    url = courier(site, [Item("Dock", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")])
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")
    generation = service.stats().generation
    other = ReloadLease(service.store.client, settings.collection)  # another process's reload
    other.acquire()
    try:
        report = feeds.poll()
    finally:
        other.release()
    assert report.error is not None and "reload" in report.error.lower() and report.ingest is None
    assert service.stats().generation == generation and site.asked("/courier/rss.xml") == [site.requests[0]]
    (feed,) = FeedBook(settings.feeds_db).feeds()
    assert feed.last_poll_at is None and feed.due(report.started_at)  # still due: the next poll takes it
    assert feeds.poll().ingest is not None


def test_a_stop_cancels_the_poll_before_it_changes_anything(site: FeedSite, settings: Settings,
                                                            service: NewsService) -> None:
    site.put("/courier/dock", page("Dock", story(DOCK)))
    url = courier(site, [Item("Dock", "/courier/dock", NOW)])
    stop = threading.Event()
    feeds = FeedPoller(settings.model_copy(update={"feed_host_delay": 30.0}), FeedBook(settings.feeds_db), service,
                       stop=stop)
    feeds.subscribe(url, added_by="test")
    threading.Timer(0.2, stop.set).start()  # while the poller waits its turn for the page
    report = feeds.poll()
    assert report.error is not None and report.error.startswith("cancelled") and report.ingest is None
    assert site.asked("/courier/dock") == [] and FeedBook(settings.feeds_db).feeds()[0].last_poll_at is None


def test_requests_to_one_host_keep_the_delay_apart(site: FeedSite, settings: Settings, service: NewsService) -> None:
    for name, lead in (("dock", DOCK), ("dam", DAM)):
        site.put(f"/courier/{name}", page(name, story(lead)))
    url = courier(site, [Item("Dock", "/courier/dock", NOW), Item("Dam", "/courier/dam", NOW)])
    feeds = poller(settings, service, feed_host_delay=0.3)
    feeds.subscribe(url, added_by="test")
    site.requests.clear()
    feeds.poll()
    arrivals = [r.at for r in site.requests]
    assert [r.path for r in site.requests] == ["/courier/rss.xml", "/robots.txt", "/courier/dock", "/courier/dam"]
    # The pacer waits 0.3 s from the end of each answer, and a request arrives before its answer ends, so
    # consecutive arrivals are always more than 0.3 s apart, however slow the machine is.
    assert all(b - a >= 0.3 for a, b in zip(arrivals, arrivals[1:], strict=False))


def test_a_feed_with_only_last_modified_is_asked_conditionally_too(site: FeedSite, settings: Settings,
                                                                    service: NewsService) -> None:
    stamp = "Thu, 02 May 2024 10:00:00 GMT"
    url = courier(site, [Item("Dock", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")],
                  last_modified=stamp)
    feeds = poller(settings, service)
    feeds.subscribe(url, added_by="test")
    feeds.poll()
    again = feeds.poll(everything=True)
    assert again.feeds[0].status == "not modified"
    assert site.asked("/courier/rss.xml")[-1].headers.get("If-Modified-Since") == stamp


def test_a_poll_whose_reload_cannot_happen_changes_nothing_and_waits_an_interval(site: FeedSite,
                                                                                   settings: Settings) -> None:
    from tests.test_bot_model_mismatch import embed_with_another_model

    embed_with_another_model(settings)  # the corpus needs `newsbot ingest --rebuild` first
    service = NewsService(settings)
    try:
        url = courier(site, [Item("Dock", "https://courier.example/dock", NOW, content=f"<p>{DOCK}</p>")],
                      etag='"v1"')
        feeds = poller(settings, service)
        feed, _ = feeds.subscribe(url, added_by="test")
        report = feeds.poll()
        assert report.error is not None and "newsbot ingest --rebuild" in report.error and report.changed
        assert report.ingest is None and service.stats().articles == 1  # the old corpus, as it was
        (after,) = FeedBook(settings.feeds_db).feeds()
        assert after.last_ok is False and after.etag is None  # no validator kept: the next poll reads it all
        assert after.next_poll_at - report.started_at >= feed.every  # tried again after an interval, not at once
        assert FeedBook(settings.feeds_db).entries([url, "https://courier.example/dock"]) == {}
    finally:
        service.close()
