"""Rendering an Answer for the terminal (rich) and as the public JSON shape.

Renderers only format: every word of content comes from the Answer, and
article text is printed as text, never interpreted as markup.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import NoReturn

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from newsbot.models import Answer, Citation, Side, Stance, Verdict

VERDICT_STYLE: dict[Verdict, tuple[str, str]] = {
    Verdict.CONTESTED: ("CONTESTED", "bold yellow"),
    Verdict.SUPPORTED: ("SUPPORTED", "bold green"),
    Verdict.REFUTED: ("REFUTED", "bold red"),
    Verdict.CONTEXT: ("CONTEXT ONLY", "bold cyan"),
    Verdict.NOT_FOUND: ("NOT FOUND", "bold white"),
}
STANCE_STYLE: dict[Stance, tuple[str, str]] = {
    Stance.SUPPORTS: ("SAYS YES", "green"),
    Stance.REFUTES: ("SAYS NO", "red"),
    Stance.CONTEXT: ("CONTEXT", "cyan"),
}


def verdict_label(answer: Answer) -> tuple[str, str]:
    """The verdict's label and style; a value or open question that the sources answer is "ANSWERED"."""
    if answer.verdict is Verdict.SUPPORTED and not answer.asks_yes_no:
        return "ANSWERED", VERDICT_STYLE[Verdict.SUPPORTED][1]
    return VERDICT_STYLE[answer.verdict]


def stance_label(answer: Answer, side: Side) -> tuple[str, str]:
    """A side's label and style: "SAYS YES" only answers a yes/no question; a side with a value gives it."""
    label, style = STANCE_STYLE[side.stance]
    if side.answer is not None:
        return "ANSWER", style
    if side.stance is Stance.SUPPORTS and not answer.asks_yes_no:
        return "REPORTS", style
    return label, style


def answer_json(answer: Answer) -> str:
    """The public JSON answer, pretty-printed, non-ASCII kept as is."""
    return json.dumps(answer.to_json_dict(), ensure_ascii=False, indent=2)


def print_answer(answer: Answer, console: Console | None = None) -> None:
    """Print a readable answer: verdict, summary, each side with quotes, then numbered sources."""
    console = console or Console()
    label, style = verdict_label(answer)
    head = Text()
    head.append(f"{label}\n", style=style)
    head.append(answer.summary)
    console.print(Panel(head, title=Text(answer.question, style="bold"), title_align="left", expand=True))
    for side in answer.sides:
        console.print(_side(answer, side))
    if answer.citations:
        console.print(Text("Sources", style="bold underline"))
        for numbers, c in sources_by_article(answer):
            line = Text("".join(f"[{n}]" for n in numbers) + " ", style="bold")
            line.append(c.title, style="italic")
            meta = ", ".join(x for x in (c.publisher, c.published) if x)
            if meta:
                line.append(f" — {meta}")
            if c.url:
                line.append(f"\n    {c.url}", style="blue")
            console.print(line)
    for note in answer.notes:
        console.print(Text(f"note: {note}", style="dim"))


def sources_by_article(answer: Answer) -> list[tuple[list[int], Citation]]:
    """Citation numbers grouped by article, in order of first citation: ([1, 2, 3], first citation)."""
    groups: dict[str, tuple[list[int], Citation]] = {}
    for c in answer.citations:
        groups.setdefault(c.article_id, ([], c))[0].append(c.n)
    return list(groups.values())


def _side(answer: Answer, side: Side) -> Group:
    label, style = stance_label(answer, side)
    line = Text()
    line.append(f" {label} ", style=f"reverse {style}")
    line.append(" ")
    line.append(side.text, style="bold")
    quotes = []
    by_n = {c.n: c for c in answer.citations}
    for n in side.citations:
        c = by_n.get(n)
        if c is None:
            continue
        q = Text("   │ ", style=style)
        q.append(c.quote)
        q.append(f" [{n}]", style="bold")
        quotes.append(q)
    return Group(line, *quotes, Text(""))


def fail(problem: str | Exception) -> NoReturn:
    """End a terminal command with a clear one-line error on stderr and exit status 2 (an exception's
    traceback goes to the debug log only)."""
    if isinstance(problem, Exception):
        logging.getLogger("newsbot").debug("failure", exc_info=problem)
    Console(stderr=True).print(f"[red]error:[/red] {escape(str(problem))}", highlight=False)
    sys.exit(2)
