"""Answers rendered as Discord embeds always fit Discord's limits and never lose their sources."""

from __future__ import annotations

import re

import discord

from bot.render import (
    SEE_SOURCES,
    answer_embed,
    articles_embed,
    report_embed,
    sources_embeds,
)
from newsbot.models import Answer, Article, Citation, Side, Stance, Verdict
from retrieval.loaders import LoadFailure
from retrieval.store import IngestReport

LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")
URL = re.compile(r"https?://\S+")


def _within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
    assert len(embed.footer.text or "") <= 2048
    assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)


def _texts(embed: discord.Embed) -> list[str]:
    return [embed.title or "", embed.description or "", embed.footer.text or ""] + [
        t for f in embed.fields for t in (f.name, f.value)]


def _citation(n: int, quote: str, *, title: str = "", url: str = "") -> Citation:
    return Citation(n=n, article_id=f"a{n}", title=title or f"Story {n}", publisher="Wire", published="2024-05-01",
                    url=url or f"https://news.example/{n}", quote=quote, start=0, end=len(quote))


def _two_sided(question: str = "Did the mayor resign?") -> Answer:
    cits = [_citation(1, "The mayor resigned on Monday, the council said."),
            _citation(2, "The mayor said he has not resigned and will stay.")]
    return Answer(question=question, verdict=Verdict.CONTESTED, summary="Sources disagree.", citations=cits,
                  sides=[Side(stance=Stance.SUPPORTS, speaker="The council", text="yes", citations=[1]),
                         Side(stance=Stance.REFUTES, speaker="The mayor", text="no", citations=[2], audience="RBC")])


def test_each_verdict_has_its_own_title_and_colour() -> None:
    seen = {}
    for verdict in Verdict:
        answer = _two_sided().model_copy(update={"verdict": verdict})
        embed = answer_embed(answer)
        seen[verdict] = (embed.title.split(":")[0], embed.colour)
    assert len({title for title, _ in seen.values()}) == len(Verdict)
    assert len({colour for _, colour in seen.values()}) == len(Verdict)
    assert "Contested" in seen[Verdict.CONTESTED][0] and "Not found" in seen[Verdict.NOT_FOUND][0]


def test_a_normal_answer_is_shown_whole_with_speaker_quote_and_number() -> None:
    embed = answer_embed(_two_sided(), answer_id="abc123")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Says yes — The council"] == "> The mayor resigned on Monday, the council said. [1]"
    assert "*to RBC*" in fields["Says no — The mayor"] and "will stay. [2]" in fields["Says no — The mayor"]
    assert list(fields)[-1] == "Sources" and SEE_SOURCES not in str(_texts(embed))
    assert "id abc123" in embed.footer.text


def test_source_links_are_wrapped_so_discord_shows_no_preview() -> None:
    for embed in (answer_embed(_two_sided()), *sources_embeds(_two_sided())):
        for text in _texts(embed):
            for match in URL.finditer(text):
                assert text[match.start() - 1] == "<", text


def test_a_huge_answer_fits_every_limit_keeps_its_sources_and_points_to_them() -> None:
    cits = [_citation(n, "quoted words " * 300, title="T" * 400, url="https://x.example/" + "u" * 400)
            for n in range(1, 41)]
    sides = [Side(stance=(Stance.SUPPORTS, Stance.REFUTES)[n % 2], speaker="S" * 300, text="t" * 2000,
                  citations=[n, n + 1], audience="A" * 300, when="2024") for n in range(1, 31)]
    answer = Answer(question="Why? " * 200, verdict=Verdict.CONTESTED, summary="Summary. " * 900, sides=sides,
                    citations=cits, notes=["note " * 600])
    embed = answer_embed(answer, answer_id="f" * 12)
    _within_limits(embed)
    names = [f.name for f in embed.fields]
    assert names[-1] == "Sources" and names[-2] == "More"
    hidden = int(embed.fields[-2].value.split()[0])
    assert hidden == 30 - sum(n.startswith(("Says yes", "Says no")) for n in names) and hidden > 0
    assert SEE_SOURCES in embed.fields[-1].value and SEE_SOURCES in embed.description


def test_the_sources_button_splits_full_quotes_over_messages_each_within_the_limit() -> None:
    quotes = [f"Quote {n}: " + "the council voted to close the old bridge for repairs " * 16 for n in range(1, 13)]
    answer = _two_sided().model_copy(update={"citations": [_citation(n, q) for n, q in enumerate(quotes, 1)]})
    embeds = sources_embeds(answer)
    assert len(embeds) > 1
    for i, embed in enumerate(embeds, 1):
        _within_limits(embed)
        assert embed.footer.text == f"Part {i}/{len(embeds)}"
    shown = " ".join(f.value for e in embeds for f in e.fields)
    for quote in quotes:
        assert " ".join(quote.split()) in shown  # in full, not trimmed


def test_too_many_sources_for_five_messages_are_counted_not_dropped_silently() -> None:
    answer = _two_sided().model_copy(update={"citations": [_citation(n, "word " * 400) for n in range(1, 61)]})
    embeds = sources_embeds(answer)
    assert len(embeds) == 5 and all(len(e) <= 6000 for e in embeds)
    shown = sum(len(e.fields) for e in embeds)
    assert embeds[-1].footer.text.endswith(f"{60 - shown} more sources not shown")


def test_mentions_in_questions_and_quotes_are_defused() -> None:
    role = "<@&112233445566778899>"
    answer = _two_sided(f"@everyone {role} @here did the mayor resign?")
    answer.citations[0].quote = f"@everyone the mayor {role} resigned"
    for embed in (answer_embed(answer), *sources_embeds(answer)):
        assert not any(LIVE_MENTION.search(t) for t in _texts(embed))


def test_a_page_of_long_article_entries_fits_and_keeps_all_ten() -> None:
    articles = [Article(id=f"a{n}", title="Title " * 100, text="x", publisher="P" * 500, published="2024",
                        url="https://x.example/" + "p" * 1000) for n in range(25)]
    embed = articles_embed(articles, 1)
    _within_limits(embed)
    assert len(embed.fields) == 10 and embed.footer.text == "Page 2/3"


def test_a_reload_report_with_many_failures_fits() -> None:
    failed = [LoadFailure(f"bad-{n}.md", "not UTF-8 text " * 10) for n in range(300)]
    report = IngestReport(added=[f"new-{n}" for n in range(500)], failed=failed)
    embed = report_embed(report)
    _within_limits(embed)
    fields = {f.name: f.value for f in embed.fields}
    assert "Added: 500" in fields and "Failed: 300" in fields and "bad-0.md" in fields["Failed: 300"]


def test_an_open_question_is_answered_and_reported_not_said_yes_to() -> None:
    from newsbot.engine import compose
    from tests.engine_helpers import evidence, seed_article

    open_answer = answer_embed(compose("What did Eismont tell RBC?", evidence(seed_article())))
    assert open_answer.title.startswith("✅ Answered")
    assert open_answer.fields[0].name.startswith("Reports — Natalya Eismont")
    yes_no = answer_embed(compose("Did Lukashenko apologize?", evidence(seed_article())))
    assert [f.name.split(" — ")[0] for f in yes_no.fields[:2]] == ["Says yes", "Says no"]
