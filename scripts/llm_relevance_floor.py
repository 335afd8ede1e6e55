"""Calibrates the LLM mode's relevance floor (newsbot/llm/relevance.py); prints what each floor would do.

    .venv/bin/python scripts/llm_relevance_floor.py [--rgb shared/data/rgb/en_fact.dev.jsonl] [--json out.json]

Three sets of questions, each asked through the product's retrieval (``NewsService.retrieve``,
``top_k`` passages, the configured embeddings):

- ``answerable``: RGB dev's 50 queries of the corpus of all their passages (the answer is there);
- ``abstention``: the same queries with the passages that answer them left out, as ``newsbot eval rgb``
  leaves them out (on-topic passages that answer nothing: the model's own ``not_found`` must handle these);
- ``off-corpus``: :data:`OFF_CORPUS`, questions on nothing either corpus holds, asked of the RGB corpus
  and of the seed corpus;
- ``seed``: :data:`SEED_ANSWERABLE`, questions the seed article answers, most worded unlike the article.

Per question: the best coverage and the best similarity among the passages; then, per candidate floor,
the share of questions that would reach the model. A floor should pass every answerable question and as
few off-corpus ones as it can. The run that set the defaults (ONNX MiniLM embeddings, top_k 30), shares
of questions that reach the model:

    floor (coverage c, similarity s)   answerable  abstention  off-corpus  seed
    c >= 0.4 or s >= 0.45                    1.00        1.00        0.26  1.00
    c >= 0.5 or s >= 0.45 (defaults)         1.00        1.00        0.12  1.00
    c >= 0.6 or s >= 0.45                    1.00        1.00        0.05  1.00
    c >= 0.5, no embeddings                  1.00        1.00        0.11  0.95
    c >= 0.7 or s >= 0.45                    1.00        1.00        0.04  0.95

The abstention set always reaches the model (its passages are on topic: the model must say not_found);
off-corpus questions that pass share a name or a word-stem with some passage ("photosynthesis" and
"photos"), and are the model's to decline. 0.5/0.45 is the lowest floor that keeps off-corpus questions
near a tenth while every answerable question, however worded, still reaches the model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.evaluation.corpus import read_rgb, write_corpus  # noqa: E402
from newsbot.evaluation.rgb import DEEP, answering_documents  # noqa: E402
from newsbot.llm.relevance import coverage, question_weights  # noqa: E402
from newsbot.models import Evidence  # noqa: E402
from newsbot.service import NewsService  # noqa: E402
from newsbot.settings import Settings  # noqa: E402

#: Questions on nothing the RGB or the seed corpus holds.
OFF_CORPUS = [
    "What is the boiling point of mercury?", "Who painted the Mona Lisa?", "How many moons does Jupiter have?",
    "What is the capital of Australia?", "When did the Berlin Wall fall?", "Who wrote War and Peace?",
    "How tall is Mount Kilimanjaro?", "Which element has the atomic number 26?",
    "Who composed the Four Seasons?", "What language is spoken in Brazil?",
    "How long is the Great Wall of China?", "Who discovered penicillin?",
    "What is the speed of sound in water?", "When was the Eiffel Tower built?",
    "Who invented the telephone?", "What is the largest desert in Africa?",
    "How many bones are in the human body?", "Which river flows through Cairo?",
    "What is the recipe for a Margherita pizza?", "Did the city council approve the new bike lanes?",
    "Who won the 2016 Eurovision Song Contest?", "When did Apollo 11 land on the Moon?",
    "What causes the northern lights?", "Who is the mayor of Barcelona?",
    "How do bees make honey?", "What is the population of Iceland?",
    "Did the central bank raise interest rates in March?", "Which team won the 1998 NBA Finals?",
    "Who designed the Sydney Opera House?", "What is photosynthesis?",
    "When was the printing press invented?", "Who was the first woman to win a Nobel Prize?",
    "What is the deepest lake in the world?", "How many players are on a rugby union team?",
    "Which planet has the longest day?", "Who founded the Red Cross?",
    "Did the hospital strike end last week?", "What is the tallest building in Europe?",
    "Which composer went deaf?", "How many strings does a violin have?",
]
#: Questions the seed article answers, worded as a reader might, not as the article is.
SEED_ANSWERABLE = [
    "Did Lukashenko apologize?", "What did Zelensky claim about Lukashenko?",
    "What happened in the phone call between Zelensky and Lukashenko?",
    "Which refinery did Lukashenko suggest Ukraine retaliate against?", "Who interviewed Zelensky?",
    "Did Belarus's leader express regret over the attacks?", "Did Minsk's president say sorry to Kyiv?",
    "What did the Ukrainian president tell Lex Fridman?",
    "Who was behind the missile launches from Belarus, according to Lukashenko?",
    "What did Lukashenko's spokeswoman tell RBC?", "Which oil plant did the Belarusian leader bring up?",
    "What does the refinery in Mozyr process?", "Did Ukraine sanction Belarus first?",
    "What did Lukashenko warn about drones?", "Did Zelensky call Lukashenko a murderer?",
    "Does Belarus deny the apology?", "When did the two presidents talk?", "Who denied that Lukashenko apologized?",
    "Where is the Mozyr refinery?", "Was Lukashenko in charge of the missiles?",
]
COVERAGE_FLOORS = (0.3, 0.4, 0.5, 0.6, 0.7)
SIMILARITY_FLOORS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def best(question: str, evidence: list[Evidence]) -> dict:
    """The best coverage and similarity among ``evidence``."""
    weights = question_weights(question)
    return {"question": question,
            "coverage": max((coverage(weights, ev) for ev in evidence), default=0.0),
            "similarity": max((ev.dense_similarity or 0.0 for ev in evidence), default=0.0)}


def share_asked(rows: list[dict], min_coverage: float, min_similarity: float) -> float:
    """The share of questions a floor lets through to the model."""
    asked = [r["coverage"] >= min_coverage or r["similarity"] >= min_similarity for r in rows]
    return sum(asked) / (len(asked) or 1)


def measure(rgb: Path, seeds: Path) -> dict[str, list[dict]]:
    """The per-question best scores of the answerable, abstention and off-corpus sets."""
    records, docs = read_rgb(rgb)
    out: dict[str, list[dict]] = {"answerable": [], "abstention": [], "off-corpus": [], "seed": []}
    with tempfile.TemporaryDirectory(prefix="newsbot-floor-") as tmp:
        base = Settings()
        cfg = base.model_copy(update={"data_dir": Path(tmp) / "data", "corpus_dir": Path(tmp) / "corpus",
                                      "collection": "floorcal", "answer_mode": "extractive"})
        service = NewsService(cfg)
        try:
            service.ingest([write_corpus(docs, cfg.corpus_dir)], prune=True, actor="floor calibration")
            left_out = answering_documents(records)
            for rec in records:
                deep = service.retrieve(rec.query, k=max(DEEP, cfg.top_k + 20))
                out["answerable"].append(best(rec.query, deep[: cfg.top_k]))
                kept = [ev for ev in deep if ev.article.id not in left_out[rec.id]][: cfg.top_k]
                out["abstention"].append(best(rec.query, kept))
            for q in OFF_CORPUS:
                out["off-corpus"].append({**best(q, service.retrieve(q)), "corpus": "rgb"})
        finally:
            service.close()
        seed_cfg = cfg.model_copy(update={"data_dir": Path(tmp) / "seed-data", "collection": "floorseed"})
        service = NewsService(seed_cfg)
        try:
            service.ingest([seeds], prune=True, actor="floor calibration")
            for q in OFF_CORPUS:
                out["off-corpus"].append({**best(q, service.retrieve(q)), "corpus": "seed"})
            for q in SEED_ANSWERABLE:
                out["seed"].append(best(q, service.retrieve(q)))
        finally:
            service.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rgb", type=Path, default=ROOT.parent / "shared" / "data" / "rgb" / "en_fact.dev.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--json", type=Path, default=None, help="also write the per-question scores here")
    args = parser.parse_args()
    rows = measure(args.rgb, args.seeds)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("share of questions that reach the model, per floor (coverage >= c or similarity >= s)")
    print(f"{'c':>5} {'s':>5} " + " ".join(f"{name:>11}" for name in rows))
    for c in COVERAGE_FLOORS:
        for s in SIMILARITY_FLOORS:
            print(f"{c:>5} {s:>5} " + " ".join(f"{share_asked(r, c, s):>11.2f}" for r in rows.values()))
        print(f"{c:>5} {'none':>5} " + " ".join(f"{share_asked(r, c, 2.0):>11.2f}" for r in rows.values())
              + "   (coverage alone: evidence without embeddings)")
    for name, r in rows.items():
        worst = sorted(r, key=lambda x: (x["coverage"], x["similarity"]), reverse=name == "off-corpus")[:5]
        print(f"\n{name}: " + "; ".join(f"{x['question'][:45]!r} c={x['coverage']:.2f} s={x['similarity']:.2f}"
                                     for x in worst))
    return 0


if __name__ == "__main__":
    sys.exit(main())
