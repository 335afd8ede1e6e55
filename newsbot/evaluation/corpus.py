"""Turning the RGB file into a corpus of neutral documents, and growing a corpus to a target size.

Every passage becomes one document whose id and title reveal nothing about
whether it is a true, contradicting or unrelated passage (a hash of its text).
Identical passages become one document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Record:
    id: int
    query: str
    answers: list[str]
    fake_answers: list[str]
    positive: set[str] = field(default_factory=set)  # document ids stating the true answer
    wrong: set[str] = field(default_factory=set)  # document ids stating the false one


def doc_id(text: str) -> str:
    return "rgb-" + hashlib.sha1(text.encode()).hexdigest()[:12]


def _spellings(value: object) -> list[str]:
    if isinstance(value, list) and value and isinstance(value[0], list):
        return [str(v) for v in value[0]]
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def read_rgb(path: Path, limit: int | None = None) -> tuple[list[Record], dict[str, str]]:
    """Records and the corpus {doc id: passage text} built from every passage of every record read."""
    records: list[Record] = []
    docs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        rec = Record(int(raw["id"]), raw["query"], _spellings(raw["answer"]), _spellings(raw["fakeanswer"]))
        for key, bucket in (("positive", rec.positive), ("positive_wrong", rec.wrong), ("negative", None)):
            for text in raw.get(key, []):
                if not text.strip():
                    continue
                did = doc_id(text)
                docs[did] = text
                if bucket is not None:
                    bucket.add(did)
        records.append(rec)
        if limit and len(records) >= limit:
            break
    return records, docs


def write_corpus(docs: dict[str, str], folder: Path, name: str = "corpus.jsonl") -> Path:
    """One JSONL file of neutral records, ready for ``newsbot ingest``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", encoding="utf-8") as fh:
        for did, text in docs.items():
            fh.write(json.dumps({"id": did, "title": f"Passage {did[4:]}", "text": text}, ensure_ascii=False) + "\n")
    return path


def grown(docs: dict[str, str], target_docs: int) -> dict[str, str]:
    """``docs`` repeated with distinct ids and text (so every copy is really embedded) up to ``target_docs``."""
    out = dict(docs)
    base = list(docs.items())
    n = 1
    while len(out) < target_docs and base:
        for did, text in base:
            if len(out) >= target_docs:
                break
            out[f"{did}-c{n}"] = f"(Copy {n}) {text}"
        n += 1
    return out
