"""``newsbot feedback``: the votes people gave the bot's answers, with the reasons, for moderators.

Reads ``NEWSBOT_FEEDBACK_DB`` (beside the data dir by default) while the bot may be running (SQLite
in WAL mode: reading never blocks it). Lists the newest first as a table, or exports every field
as CSV, JSON or JSON lines for a spreadsheet or a script. Imports no Discord.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import IO

import click
from rich.console import Console
from rich.table import Table

from bot.storage import REASONS, BotStore, FeedbackRecord
from newsbot.settings import Settings

FORMATS = ("csv", "json", "jsonl")
FIELDS = list(FeedbackRecord.__dataclass_fields__)


def write(records: list[FeedbackRecord], out: IO[str], fmt: str) -> None:
    """``records`` as CSV (one row each, a header first), a JSON array, or JSON lines."""
    rows = [r.as_dict() for r in records]
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "json":
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _table(records: list[FeedbackRecord]) -> Table:
    table = Table(title=f"{len(records)} votes, newest first")
    for column in ("when (UTC)", "vote", "reason", "comment", "question", "verdict", "answer"):
        table.add_column(column, overflow="fold")
    for r in records:
        table.add_row(r.created.replace("T", " ")[:16], "👍" if r.helpful else "👎",
                      REASONS.get(r.reason or "", "—") if not r.helpful else "", r.comment or "", r.asked, r.verdict,
                      r.answer_id)
    return table


@click.command()
@click.option("--not-helpful", "only", flag_value="down", help="Only the Not helpful votes (with their reasons).")
@click.option("--helpful", "only", flag_value="up", help="Only the Helpful votes.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many, newest first.")
@click.option("--export", "export", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write every field to this file instead of printing a table ('-' for stdout).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Export format (default: from the file name's suffix, else csv).")
@click.pass_obj
def feedback(settings: Settings, only: str | None, limit: int | None, export: Path | None, fmt: str | None) -> None:
    """List or export the Helpful / Not helpful votes on the bot's answers, with reasons."""
    path = settings.feedback_db
    if path is None or not path.exists():
        raise click.ClickException(f"No feedback yet: {path} does not exist (the bot creates it when it first "
                                   "answers; NEWSBOT_FEEDBACK_DB names another file).")
    store = BotStore(path)
    try:
        records = store.feedback(helpful=None if only is None else only == "up", limit=limit)
    finally:
        store.close()
    if export is None:
        Console().print(_table(records))
        return
    fmt = fmt or (export.suffix.lstrip(".").lower() if export.suffix.lstrip(".").lower() in FORMATS else "csv")
    if str(export) == "-":
        write(records, sys.stdout, fmt)
        return
    with export.open("w", encoding="utf-8", newline="") as out:
        write(records, out, fmt)
    click.echo(f"Wrote {len(records)} votes to {export} ({fmt}).", err=True)
