"""Answers, source lists and reports as Discord embeds that always fit Discord's limits.

Pure functions from domain objects to ``discord.Embed``: no network, no
state. Limits: 256 title, 4096 description, 25 fields, 256 field name, 1024
field value, 2048 footer, 6000 characters per embed in all. Anything that
would not fit is trimmed with a pointer to the Sources button, which shows
the full quotes. Links are wrapped in ``<…>`` so Discord shows no preview.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

import discord

from newsbot.llm.notes import footer as notes_footer
from newsbot.models import Answer, Article, Citation, Side, Stance, Verdict
from retrieval.store import EmbeddingModelMismatch

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, FOOTER, TOTAL = 256, 4096, 25, 256, 1024, 2048, 6000
CONTENT = 2000
SEE_SOURCES = "… (see Sources)"
NOTE = 300  # footer length kept (mode, answer id and engine notes)
SUMMARY_FLOOR = 600  # the summary keeps at least this much however many sides there are
MIN_SIDE = 120  # a side is shown clipped only if at least this much of it fits
MORE_RESERVE = 60  # room kept for the "N more sides" field
FOOTER_RESERVE = 80  # room kept for a "Part i/n" footer

VERDICTS: dict[Verdict, tuple[str, discord.Colour]] = {
    Verdict.CONTESTED: ("⚖️ Contested", discord.Colour.gold()),
    Verdict.SUPPORTED: ("✅ Supported", discord.Colour.green()),
    Verdict.REFUTED: ("❌ Refuted", discord.Colour.red()),
    Verdict.CONTEXT: ("ℹ️ Context only", discord.Colour.blurple()),
    Verdict.NOT_FOUND: ("🔍 Not found", discord.Colour.light_grey()),
}
STANCES = {Stance.SUPPORTS: "Says yes", Stance.REFUTES: "Says no", Stance.CONTEXT: "Context"}


def clip(text: str, limit: int, tail: str = "…") -> str:
    """``text`` cut to ``limit`` characters, ending in ``tail`` when cut."""
    return text if len(text) <= limit else text[: max(0, limit - len(tail))].rstrip() + tail


def inert(text: str) -> str:
    """Mentions defused (for titles, where markdown is not rendered)."""
    return discord.utils.escape_mentions(text)


def plain(text: str) -> str:
    """User or article text made inert for Discord markdown: no mentions, no formatting tricks."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def answer_embed(answer: Answer, *, answer_id: str | None = None, asked: str | None = None) -> discord.Embed:
    """The answer: coloured verdict title, summary, one field per side, numbered sources.

    The title shows the person's own words (``asked``, a follow-up as typed); when the corpus was
    asked something else (its "he" resolved), the footer says how the question was read.
    The title, footer and Sources field are kept whole; the summary and the sides share
    what is left of the 6000 characters, and sides that do not fit are counted in a last
    field that points to the Sources button.
    """
    label, colour = VERDICTS[answer.verdict]
    if answer.verdict is Verdict.SUPPORTED and not answer.asks_yes_no:
        label = "✅ Answered"
    embed = discord.Embed(title=clip(f"{label}: {inert(asked or answer.question)}", TITLE), colour=colour)
    footer = f"{answer.mode} answer" + (f" · id {answer_id}" if answer_id else "")
    if asked and asked != answer.question:
        footer += f" · read as “{clip(answer.question, 150)}”"
    if answer.notes:
        footer += " · " + notes_footer(answer.notes)  # the offline reader's notes folded into one short line
    embed.set_footer(text=clip(footer, NOTE))
    by_n = {c.n: c for c in answer.citations}
    sides = [(clip(_side_name(side, answer.asks_yes_no), FIELD_NAME), _side_value(side, by_n))
             for side in answer.sides[: FIELDS - 2]]
    sources = _sources(answer.citations) if answer.citations else ""
    left = TOTAL - len(embed) - (len("Sources") + len(sources) if sources else 0) - MORE_RESERVE
    wanted = sum(len(name) + len(value) for name, value in sides)
    summary = plain(answer.summary)
    embed.description = clip(summary, min(DESCRIPTION, max(SUMMARY_FLOOR, left - wanted)), SEE_SOURCES)
    left -= len(embed.description)
    shown = 0
    for name, value in sides:
        room = left - len(name)
        if room < len(value) and room < MIN_SIDE:
            break
        value = clip(value, min(FIELD_VALUE, room), SEE_SOURCES)
        embed.add_field(name=name, value=value, inline=False)
        left -= len(name) + len(value)
        shown += 1
    hidden = len(answer.sides) - shown
    if hidden:
        embed.add_field(name="More", value=f"{hidden} more side{'s' * (hidden > 1)} (see Sources)", inline=False)
    if sources:
        embed.add_field(name="Sources", value=sources, inline=False)
    return fit(embed)


def sources_embeds(answer: Answer, *, max_messages: int = 5, asked: str | None = None) -> list[discord.Embed]:
    """The full quotes for the Sources button, **one embed per message** (each within every limit).

    Citations are packed in order; more than ``max_messages`` messages' worth are counted
    in the last embed's footer instead of being shown.
    """
    if not answer.citations:
        return [discord.Embed(title="No sources", description="This answer cites nothing.")]
    title = clip(f"Sources: {inert(asked or answer.question)}", TITLE)
    embeds: list[discord.Embed] = []
    shown = 0
    for c in answer.citations:
        name, value = _citation_field(c)
        embed = embeds[-1] if embeds else None
        if embed is None or len(embed.fields) >= FIELDS or len(embed) + len(name) + len(value) + FOOTER_RESERVE > TOTAL:
            if len(embeds) == max_messages:
                break
            embed = discord.Embed(title=title, colour=discord.Colour.dark_grey())
            embeds.append(embed)
        embed.add_field(name=name, value=value, inline=False)
        shown += 1
    if len(embeds) > 1 or shown < len(answer.citations):
        for i, embed in enumerate(embeds, 1):
            embed.set_footer(text=f"Part {i}/{len(embeds)}")
        if shown < len(answer.citations):
            embeds[-1].set_footer(text=f"Part {len(embeds)}/{len(embeds)} · {len(answer.citations) - shown} "
                                       "more sources not shown")
    return [fit(e) for e in embeds]


def _citation_field(c: Citation) -> tuple[str, str]:
    name = clip(f"[{c.n}] {c.title}", FIELD_NAME)
    meta = ", ".join(x for x in (c.publisher, c.published) if x)
    link = f"\n<{clip(c.url, 300)}>" if c.url else ""
    head = clip(plain(meta), 200) + link + "\n"
    return name, head + _quote(c.quote, FIELD_VALUE - len(head))


def articles_embed(articles: Sequence[Article], page: int, per_page: int = 10) -> discord.Embed:
    """One page of the corpus listing."""
    pages = max(1, -(-len(articles) // per_page))
    page = min(max(page, 0), pages - 1)
    embed = discord.Embed(title=f"Articles held ({len(articles)})", colour=discord.Colour.dark_teal())
    for a in articles[page * per_page : (page + 1) * per_page]:
        meta = " · ".join(x for x in (a.publisher, a.published) if x) or "—"
        # 10 entries of at most 200 + 300 characters keep a page well under 6000
        link = f"\n<{clip(a.url, 200)}>" if a.url else ""
        embed.add_field(name=clip(a.title or a.id, 200), value=clip(plain(meta), 90) + link, inline=False)
    embed.set_footer(text=f"Page {page + 1}/{pages}")
    return fit(embed)


def report_embed(report, *, title: str = "Reload finished") -> discord.Embed:  # noqa: ANN001 - IngestReport
    """What a reload or an /add did, with each failure and its reason."""
    embed = discord.Embed(title=title, colour=discord.Colour.red() if report.failed else discord.Colour.green())
    for name in ("added", "updated", "unchanged", "removed"):
        ids = getattr(report, name)
        value = clip(", ".join(ids), 300) if ids else "—"
        embed.add_field(name=f"{name.capitalize()}: {len(ids)}", value=plain(value), inline=False)
    failures = "\n".join(f"• {plain(f.source)}: {plain(f.reason)}" for f in report.failed) or "—"
    embed.add_field(name=f"Failed: {len(report.failed)}", value=clip(failures, FIELD_VALUE), inline=False)
    embed.set_footer(text=f"{report.articles} articles, {report.chunks} passages · {report.seconds:.1f}s")
    return fit(embed)


ACTOR = re.compile(r"(?P<name>.*) \((?P<id>\d{15,21})\)")


def when_and_who(at: str | None, by: str | None) -> str:
    """"<t:…:R> by <@id>": Discord shows the time in each reader's zone and the person by name.

    A mention inside an embed never pings (and every message is sent with no mentions allowed);
    actors that are no Discord user ("cli", "first run") are shown as written.
    """
    when = "—"
    if at:
        try:
            stamp = int(datetime.fromisoformat(at).timestamp())
            when = f"<t:{stamp}:R> (<t:{stamp}:f>)"
        except ValueError:
            when = plain(at)
    who = "—"
    if by:
        actor = ACTOR.fullmatch(by)
        who = f"<@{actor['id']}>" if actor else plain(by)
    return f"{when} by {who}"


def status_embed(stats, configured_model: str, mode: str, reloading: bool) -> discord.Embed:  # noqa: ANN001
    """/status: corpus size, store, last reload (relative time, who), embedding model, answer mode."""
    embed = discord.Embed(title="newsbot status", colour=discord.Colour.dark_teal())
    if stats.generation is not None and stats.embedding_model != configured_model:  # questions would fail
        embed.colour = discord.Colour.red()
        embed.description = f"⚠️ {EmbeddingModelMismatch(stats.embedding_model, configured_model)}"
    embed.add_field(name="Articles", value=str(stats.articles))
    embed.add_field(name="Passages", value=str(stats.chunks))
    embed.add_field(name="Store", value=f"{stats.mode} · {stats.generation or '—'}")
    embed.add_field(name="Last reload", value=when_and_who(stats.last_reload_at, stats.last_reload_by), inline=False)
    embed.add_field(name="Embedding model", value=stats.embedding_model)
    embed.add_field(name="Answer mode", value=mode)
    embed.add_field(name="Reloading now", value="yes" if reloading else "no")
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Trim an embed until it is within every Discord limit (fields last-first, then description)."""
    while len(embed) > TOTAL and len(embed.fields) > 1:
        last = embed.fields[-1]
        embed.remove_field(len(embed.fields) - 1)
        if len(embed) + len(last.name) + 40 <= TOTAL:
            embed.add_field(name=last.name, value=clip(last.value, max(20, TOTAL - len(embed) - len(last.name) - 5),
                                                       SEE_SOURCES), inline=False)
            break
    if len(embed) > TOTAL and embed.description:
        embed.description = clip(embed.description, max(0, len(embed.description) - (len(embed) - TOTAL)),
                                 SEE_SOURCES)
    return embed


def _side_name(side: Side, yes_no: bool) -> str:
    label = f"Answer: {side.answer}" if side.answer is not None else STANCES[side.stance]
    if side.answer is None and side.stance is Stance.SUPPORTS and not yes_no:
        label = "Reports"  # "Says yes" only answers a yes/no question
    return f"{label} — {side.speaker}" if side.speaker else label


def _side_value(side: Side, by_n: dict[int, Citation]) -> str:
    context = ", ".join(x for x in (f"to {side.audience}" if side.audience else "", side.when or "") if x)
    lines = [f"*{plain(context)}*"] if context else []
    budget = FIELD_VALUE - sum(len(x) + 1 for x in lines)
    for n in side.citations:
        c = by_n.get(n)
        if c is None:
            continue
        line = _quote(c.quote, min(400, budget - 6 - len(str(n)))) + f" [{n}]"
        if len(line) + 1 > budget:
            lines.append(SEE_SOURCES)
            break
        lines.append(line)
        budget -= len(line) + 1
    return clip("\n".join(lines) or plain(side.text), FIELD_VALUE, SEE_SOURCES)


def _quote(text: str, limit: int) -> str:
    return "> " + clip(plain(" ".join(text.split())), max(10, limit - 2), SEE_SOURCES)


def _sources(citations: list[Citation]) -> str:
    groups: dict[str, list[Citation]] = {}
    for c in citations:
        groups.setdefault(c.article_id, []).append(c)
    lines = []
    for cs in groups.values():
        c = cs[0]
        refs = "".join(f"[{x.n}]" for x in cs)
        meta = ", ".join(x for x in (c.publisher, c.published) if x)
        title = plain(clip(c.title, 120))
        link = f"[{title}](<{c.url}>)" if c.url else title
        lines.append(f"{refs} {link}" + (f" — {plain(meta)}" if meta else ""))
    return clip("\n".join(lines), FIELD_VALUE, SEE_SOURCES)
