"""The RGB corpus hides every label, answers match any spelling, and growth corpora hold new text.

Also holds the tiny RGB-shaped sample the other evaluation and bench tests import."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsbot.evaluation.corpus import (
    doc_id,
    mentions,
    read_rgb,
    spellings,
    write_corpus,
)
from newsbot.evaluation.growth import base_records, chunk_count, grow
from newsbot.models import Article
from newsbot.settings import PROJECT_ROOT
from retrieval.chunking import chunk_article

#: Where the shared RGB dev half lives (tests that need it skip when it is absent).
RGB_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "rgb" / "en_fact.dev.jsonl"

SAMPLE = [
    {"id": 0, "query": "Who acquired Instagram?", "answer": "Facebook", "fakeanswer": "Apple",
     "positive": ["Facebook acquired Instagram in April 2012 for about $1 billion in cash and stock."],
     "positive_wrong": ["Apple acquired Instagram in April 2012 for about $1 billion in cash and stock."],
     "negative": ["Instagram is a photo and video sharing app with more than a billion users.",
                  "Lighthouses guide ships along rocky coasts at night."]},
    {"id": 1, "query": "When was Splatoon 2 released?", "answer": [["July 21 2017", "July 21, 2017"]],
     "fakeanswer": "July 1, 2007",
     "positive": ["Splatoon 2 is a shooter game by Nintendo. It was released on July 21, 2017, for the Switch."],
     "positive_wrong": ["Splatoon 2 is a shooter game by Nintendo. It was released on July 1, 2007, for the Switch."],
     "negative": ["Splatoon 3 is the sequel, a game that many players enjoy online every day.",
                  "Lighthouses guide ships along rocky coasts at night."]},  # the same passage as record 0's
]


def write_sample(folder: Path, rows: list[dict] | None = None) -> Path:
    """The sample (or ``rows``) as a JSONL file in ``folder``."""
    path = folder / "rgb-sample.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in (rows or SAMPLE)) + "\n", encoding="utf-8")
    return path


def test_passage_documents_reveal_no_label_and_identical_passages_collapse(tmp_path: Path) -> None:
    records, docs = read_rgb(write_sample(tmp_path))
    assert len(records) == 2
    assert len(docs) == 7  # eight passages, one repeated across the two records
    lighthouse = doc_id(SAMPLE[0]["negative"][1])
    assert lighthouse in records[0].negative and lighthouse in records[1].negative
    assert records[0].positive == {doc_id(SAMPLE[0]["positive"][0])}
    assert records[0].wrong == {doc_id(SAMPLE[0]["positive_wrong"][0])}
    assert records[0].label(doc_id(SAMPLE[1]["positive"][0])) == "other"

    rows = [json.loads(line) for line in write_corpus(docs, tmp_path / "c").read_text().splitlines()]
    assert len(rows) == 7
    for row in rows:
        assert set(row) == {"id", "title", "text", "publisher", "published", "url"}
        assert re.fullmatch(r"rgb-[0-9a-f]{10}", row["id"])
        assert row["title"] == f"RGB passage {row['id'][4:]}"
        assert row["publisher"] == row["published"] == row["url"] == ""
        assert row["id"] == doc_id(row["text"])


def test_answers_are_a_string_or_one_list_of_spellings_matched_case_insensitively() -> None:
    assert spellings("Facebook") == ["Facebook"]
    assert spellings([["July 21 2017", "Jul 21, 2017"]]) == ["July 21 2017", "Jul 21, 2017"]
    assert mentions(["It shipped on jul 21, 2017 in Japan."], spellings([["July 21 2017", "Jul 21, 2017"]]))
    assert not mentions(["It shipped on July 1, 2007."], ["July 21 2017", "Jul 21, 2017"])
    assert not mentions([], ["Facebook"])


def test_limit_reads_only_the_first_records_and_their_passages(tmp_path: Path) -> None:
    records, docs = read_rgb(write_sample(tmp_path), limit=1)
    assert [r.id for r in records] == [0]
    assert set(docs) == records[0].positive | records[0].wrong | records[0].negative


def test_growth_reaches_the_chunk_target_with_distinct_ids_and_never_repeated_chunks(tmp_path: Path) -> None:
    rows = base_records(write_sample(tmp_path), PROJECT_ROOT / "seeds")
    assert any(not r["id"].startswith("rgb-") for r in rows), "the seed articles are part of the corpus"
    per_row = [chunk_count(r, size=600, overlap=120) for r in rows]
    target = 3 * sum(per_row) + 1  # forces three rounds of copies
    grown, total = grow(rows, target, size=600, overlap=120)
    assert target <= total < target + max(per_row)
    assert grown[: len(rows)] == rows
    assert len({r["id"] for r in grown}) == len(grown)
    texts = [c.text for r in grown for c in chunk_article(Article(id=r["id"], title=r["title"], text=r["text"]))]
    assert len(texts) == total
    assert len(set(texts)) == len(texts), "a repeated chunk would be embedded once and flatter ingest time"


def test_growth_of_nothing_or_to_zero_is_empty() -> None:
    assert grow([], 100, size=600, overlap=120) == ([], 0)
    assert grow([{"id": "a", "title": "a", "text": "Some text."}], 0, size=600, overlap=120) == ([], 0)
