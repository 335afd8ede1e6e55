"""`newsbot feeds add|list|remove|poll` end to end: a real news site on 127.0.0.1, a real store, real commands."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from tests.engine_helpers import SEED
from tests.feed_server import FeedSite, Item, page, rss

NOW = datetime.now(UTC).replace(microsecond=0)
DOCK = "Dock workers in Pellport ended their strike on Thursday after the port authority agreed a pay deal."
MINE = "The Ardent copper mine was reopened on Monday after inspectors cleared its ventilation system."


@pytest.fixture()
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FeedSite]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    for key, value in {"NEWSBOT_DATA_DIR": str(tmp_path / "data"), "NEWSBOT_CORPUS_DIR": str(corpus),
                       "NEWSBOT_ANSWER_MODE": "extractive", "NEWSBOT_FEED_HOST_DELAY": "0",
                       "NEWSBOT_FETCH_ALLOW_HOSTS": '["127.0.0.1"]', "NEWSBOT_FETCH_TIMEOUT": "2"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)  # no stray .env from the repository
    server = FeedSite().start()
    server.put("/courier/dock", page("Dock", f"{DOCK}\n\nThe deal runs for three years."))
    server.put("/courier/rss.xml", rss("Pellport Courier", [
        Item("Dock strike ends", "/courier/dock", NOW),
        Item("Mine reopened", "https://courier.example/mine", NOW, content=f"<p>{MINE}</p>"),
        Item("Gone story", "/courier/gone", NOW)]), "application/rss+xml", etag='"v1"')
    yield server
    server.stop()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_feed_is_added_listed_polled_answered_from_and_removed(site: FeedSite) -> None:
    url = site.url("/courier/rss.xml")
    code, out, _ = run("feeds", "add", url, "--every", "2h")
    assert code == 0 and "Subscribed to Pellport Courier" in out and "every 2 h" in out
    code, out, _ = run("feeds", "list", "--json")
    (listed,) = json.loads(out)
    assert (listed["url"], listed["every_seconds"], listed["last_poll_at"]) == (url, 7200, None)

    code, out, err = run("feeds", "poll")
    assert code == 3, err  # one page failed: reported by URL, the others loaded
    assert f"failed {site.url('/courier/gone')}: the server answered HTTP 404" in " ".join(out.split())
    assert "Added 2" in out
    code, out, _ = run("ask", "--json", "Was the Ardent copper mine reopened?")
    assert json.loads(out)["citations"][0]["url"] == "https://courier.example/mine"

    code, out, _ = run("feeds", "poll")
    assert code == 0 and "No feed is due" in out
    code, out, _ = run("feeds", "poll", "--all", "--json")
    report = json.loads(out)
    assert code == 0 and report["feeds"][0]["status"] == "not modified" and report["reload"] is None
    code, out, _ = run("feeds", "list")
    assert "not modified" in out

    code, out, _ = run("feeds", "remove", listed["key"])
    assert code == 0 and "2 of its articles were dropped" in out
    code, out, _ = run("corpus", "--json")
    assert [a["id"] for a in json.loads(out)] == ["meduza-lukashenko-apology"]


def test_bad_input_gets_a_clear_error_and_stores_nothing(site: FeedSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site.put("/home", page("Home", "Welcome."))
    code, _, err = run("feeds", "add", site.url("/home"))
    assert code == 2 and "not an RSS, Atom or JSON feed" in err
    code, _, err = run("feeds", "add", site.url("/courier/rss.xml"), "--every", "1m")
    assert code == 2 and "between 5 min and 7 d" in err
    code, _, err = run("feeds", "remove", "nothing-like-it")
    assert code == 2 and "no feed 'nothing-like-it' is subscribed" in err
    monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_HOSTS", "[]")  # the CLI obeys the fetch policy too
    code, _, err = run("feeds", "add", site.url("/courier/rss.xml"))
    assert code == 2 and "refused: 127.0.0.1 is a loopback address" in " ".join(err.split())
    code, out, _ = run("feeds", "list", "--json")
    assert json.loads(out) == []
