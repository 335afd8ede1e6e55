"""Reading the RGB counterfactual file and turning its passages into a neutral corpus.

Every passage becomes one document whose id and title reveal nothing about
whether it states the true answer, the false one or nothing (``rgb-`` and ten
hex digits of the SHA-1 of its text; title ``RGB passage <same digits>``), so
the engine cannot learn the label from metadata. Identical passage texts
(RGB repeats some across records) become one document.

Answers are a string, or a list holding one list of equivalent spellings
(dates: "July 21 2017", "Jul 21, 2017", ...); any spelling counts, matched as
a case-insensitive substring (:func:`mentions`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Record:
    """One RGB question with the corpus documents that bear on it."""

    id: int
    query: str
    answers: list[str]  # spellings of the true answer
    fake_answers: list[str]  # spellings of the false answer
    positive: set[str] = field(default_factory=set)  # document ids stating the true answer
    wrong: set[str] = field(default_factory=set)  # document ids stating the false one
    negative: set[str] = field(default_factory=set)  # on topic, answering nothing

    @property
    def relevant(self) -> set[str]:
        """The documents recall is measured over: true and contradicting passages."""
        return self.positive | self.wrong

    def label(self, doc: str) -> str:
        """``positive``, ``positive_wrong``, ``negative`` or ``other`` (another record's passage)."""
        if doc in self.positive:
            return "positive"
        if doc in self.wrong:
            return "positive_wrong"
        return "negative" if doc in self.negative else "other"


def doc_id(text: str) -> str:
    """The neutral document id of a passage: ``rgb-`` + 10 hex digits of its SHA-1."""
    return "rgb-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def spellings(value: object) -> list[str]:
    """The accepted spellings of an RGB ``answer``/``fakeanswer`` (a string or ``[[spelling, ...]]``)."""
    if isinstance(value, list):
        flat: list[str] = []
        for item in value:
            if isinstance(item, list):
                flat.extend(str(v) for v in item)
            else:
                flat.append(str(item))
        return [s for s in flat if s.strip()]
    return [str(value)] if str(value).strip() else []


def mentions(texts: Iterable[str], answer_spellings: list[str]) -> bool:
    """True when any text contains any spelling (case-insensitive substring)."""
    lowered = [s.lower() for s in answer_spellings]
    return any(s in t.lower() for t in texts for s in lowered)


def read_rgb(path: Path, limit: int | None = None) -> tuple[list[Record], dict[str, str]]:
    """The first ``limit`` records (all if None) and their corpus ``{doc id: passage text}``."""
    records: list[Record] = []
    docs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if limit is not None and len(records) >= limit:
            break
        if not line.strip():
            continue
        raw = json.loads(line)
        rec = Record(int(raw["id"]), str(raw["query"]), spellings(raw["answer"]), spellings(raw["fakeanswer"]))
        for key, bucket in (("positive", rec.positive), ("positive_wrong", rec.wrong), ("negative", rec.negative)):
            for text in raw.get(key) or []:
                if isinstance(text, str) and text.strip():
                    did = doc_id(text)
                    docs[did] = text
                    bucket.add(did)
        records.append(rec)
    return records, docs


def neutral_record(did: str, text: str) -> dict:
    """The JSONL record ``newsbot ingest`` reads for one passage (no label anywhere)."""
    return {"id": did, "title": f"RGB passage {did.removeprefix('rgb-')}", "text": text,
            "publisher": "", "published": "", "url": ""}


def write_jsonl(rows: Iterable[dict], path: Path) -> Path:
    """Write records one JSON object a line (creating the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_corpus(docs: dict[str, str], folder: Path, name: str = "corpus.jsonl") -> Path:
    """One JSONL file of neutral passage records in ``folder``, ready for ``NewsService.ingest``."""
    return write_jsonl((neutral_record(did, text) for did, text in docs.items()), folder / name)
