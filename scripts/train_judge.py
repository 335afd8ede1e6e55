#!/usr/bin/env python3
"""Fit the offline stance judge (newsbot/engine/data/judge.json) and say what it was fit on.

    .venv/bin/python scripts/train_judge.py [--sets ../shared/data] [--rounds 3]

Training data, and only this: the **fit** half (by topic, ``newsbot.evaluation.sets.split_of``) of the shared
dev halves of FNC-1 and NatConfQA; the **check** half and every held-back half are never read. For each fit
question the product's own path retrieves passages and the reader reads them into statements with features
(``Reader.candidates``); labels come from the set:

* NatConfQA: each article is one evidence sentence labelled for the question: ``agree`` → bears, claim holds;
  ``disagree`` → bears, claim false; any other retrieved sentence → does not bear.
* FNC-1: labels are per article body, so per sentence they are inferred (multiple-instance learning):
  sentences of ``discuss`` bodies and of other topics' bodies do not bear; in an ``agree`` or ``disagree``
  body, the sentences the current model finds most bearing (and, for ``disagree``, most refuting) carry the
  body's label. Rounds alternate picking those sentences and refitting.

Labels are turned to the positive form of the claim (a denial headline's agreeing body says the positive
claim is false). The thresholds are then chosen on the fit half for the verdict goals.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.engine.features import BEARING, POLARITY, SOURCE, source_features, vector  # noqa: E402
from newsbot.engine.judge import VECTOR_FORM, WEIGHTS, Judgement, Position, fit_logistic, vector_form  # noqa: E402
from newsbot.models import Stance  # noqa: E402
from newsbot.engine.question import analyze  # noqa: E402
from newsbot.evaluation.sets import read_set, set_service, split_of, unit_of  # noqa: E402


class _Unjudged:
    """Stands in for the judge while rows are collected: features do not depend on the weights being fit."""

    def judge(self, q, pair, values=None):  # noqa: ANN001, ANN201
        return Judgement(Stance.CONTEXT, 0.0, 0.0, 0.0)

    def position(self, q, members, *, outlet=False):  # noqa: ANN001, ANN201
        return Position(Stance.CONTEXT, 0.0, 0.0, 0.0)


VECTOR_FOLDS = 4  # the vector model's reading of a training row comes from a model fit without the row's topic
VECTOR_L2 = 10.0  # chosen by grouped cross-validation over fit topics (3, 10, 30, 100)
EXAMPLE_WEIGHT = 10.0  # a written example teaches a phenomenon the sets hold few of (role swaps, plain denials)


def collect(folder: Path) -> list[dict]:
    """Every fit question's judged statements with their features and the set's labels for their articles."""
    arts, qs = read_set(folder)
    service = set_service(folder)
    service.reader._judge = _Unjudged()
    rows = []
    try:
        for q in qs:
            if split_of(unit_of(q)) != "fit" or q.get("qtype", "boolean") != "boolean":
                continue
            question = analyze(q["q"], service.reader.parser)
            evidence = service.retrieve(q["q"], k=40)
            for c in service.reader.candidates(question, evidence):
                aid = c.statement.sentence.article.id
                label = ("agree" if aid in (q.get("agree") or []) else "disagree" if aid in (q.get("disagree") or [])
                         else "discuss" if aid in (q.get("discuss") or []) else "other")
                if label == "other" and aid in (q.get("unlabelled") or []):
                    continue  # same topic, never labelled: unknown
                rows.append({"set": folder.name, "q": q["id"], "unit": unit_of(q), "article": aid, "label": label,
                             "group": c.group, "negated": question.negated, "values": c.values,
                             "claim": question.claim or question.text, "text": c.statement.sentence.text})
    finally:
        service.close()
    return rows


def collect_examples(path: Path) -> list[dict]:
    """The hand-written examples (``scripts/judge_examples.yaml``): each passage's last sentence, labelled."""
    import yaml

    from newsbot.engine.compose import Reader
    from newsbot.models import Article, Chunk, Evidence

    reader = Reader(judge=_Unjudged())
    label_of = {"supports": "agree", "refutes": "disagree", "neutral": "other"}
    rows = []
    for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        question = analyze(item["claim"], reader.parser)
        for j, (stance, text) in enumerate(item["texts"]):
            art = Article(id=f"example-{i}-{j}", title="", text=text, publisher="Examples")
            ev = Evidence(chunk=Chunk(id=f"{art.id}#0", article_id=art.id, index=0, text=text, start=0,
                                      end=len(text)), article=art)
            cands = reader.candidates(question, [ev])
            last = max(cands, key=lambda c: c.statement.sentence.start, default=None)
            if last is None:
                continue
            rows.append({"set": "examples", "q": f"example-{i}", "article": art.id, "label": label_of[stance],
                         "group": last.group, "negated": question.negated, "values": last.values,
                         "claim": question.claim or question.text, "text": last.statement.sentence.text})
    return rows


def vector_readings(rows: list[dict], target: np.ndarray, mask: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Fit the vector model (:class:`newsbot.engine.judge.VectorModel`) on the ``mask`` rows and write each row's
    reading into its values as ``vector_false``: out of fold by topic (stacking), so the polarity model learns how
    far to trust the vector model on topics it was not fit on. Returns the weights fit on all ``mask`` rows."""
    from retrieval.embeddings import shared_onnx

    texts = list(dict.fromkeys([r["claim"] for r in rows] + [r["text"] for r in rows]))
    encoded = dict(zip(texts, shared_onnx().embed_array(texts), strict=True))
    x = np.array([[1.0, *vector_form(encoded[r["claim"]], encoded[r["text"]])] for r in rows])
    fold = np.array([int(hashlib.sha256(r.get("unit", r["q"]).encode()).hexdigest(), 16) % VECTOR_FOLDS
                     for r in rows])
    readings = np.zeros(len(rows))
    for k in range(VECTOR_FOLDS):
        train = mask & (fold != k)
        w = fit_logistic(x[train], target[train], weights=weight[train], l2=VECTOR_L2)
        readings[fold == k] = prob(w, x[fold == k])
    for r, p in zip(rows, readings, strict=True):
        r["values"]["vector_false"] = float(p)
    return fit_logistic(x[mask], target[mask], weights=weight[mask], l2=VECTOR_L2)


def matrix(rows: list[dict], names: tuple[str, ...]) -> np.ndarray:
    return np.array([vector(names, r["values"]) for r in rows], dtype=float)


def prob(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--top", type=int, default=2, help="sentences per labelled FNC-1 body that carry its label")
    ap.add_argument("--cache", type=Path, default=ROOT / "eval-out" / "judge-rows.json")
    ap.add_argument("--reuse", action="store_true", help="reuse the collected rows in --cache")
    args = ap.parse_args()

    if args.reuse and args.cache.exists():
        rows = json.loads(args.cache.read_text())
        if rows and "text" not in rows[0]:
            sys.exit(f"{args.cache} was collected before the vector model (no sentence texts): run without --reuse")
    else:
        rows = collect(args.sets / "natconfqa") + collect(args.sets / "fnc1")
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_text(json.dumps(rows))
    rows = [r for r in rows if r["set"] != "examples"] + collect_examples(ROOT / "scripts" / "judge_examples.yaml")
    ncq = np.array([r["set"] in ("natconfqa", "examples") for r in rows])  # labelled sentence by sentence
    weight = np.array([EXAMPLE_WEIGHT if r["set"] == "examples" else 1.0 for r in rows])
    labelled = np.array([r["label"] in ("agree", "disagree") for r in rows])
    # positive form of the claim is false: a disagreeing statement of a plain claim, an agreeing one of a denial
    false = np.array([(r["label"] == "disagree") != r["negated"] for r in rows], dtype=float)
    wv = vector_readings(rows, false, ncq & labelled, weight)
    xb, xp = matrix(rows, BEARING), matrix(rows, POLARITY)

    # round 0: the bearing model from NatConfQA's sentence labels and FNC-1's non-bearing sentences only
    bear_y = labelled.astype(float)
    bear_mask = ncq | ~labelled
    wb = fit_logistic(xb[bear_mask], bear_y[bear_mask], weights=weight[bear_mask])
    wp = fit_logistic(xp[ncq & labelled], false[ncq & labelled], weights=weight[ncq & labelled])
    for _ in range(args.rounds):
        pb, pp = prob(wb, xb), prob(wp, xp)
        chosen = np.zeros(len(rows), dtype=bool)
        by_body: dict[tuple[str, str], list[int]] = {}
        for i, r in enumerate(rows):
            if r["set"] == "fnc1" and labelled[i]:
                by_body.setdefault((r["q"], r["article"]), []).append(i)
        for idx in by_body.values():
            score = [pb[i] * (pp[i] if false[i] else 1 - pp[i]) for i in idx]
            for j in np.argsort(score)[::-1][: args.top]:
                chosen[idx[j]] = True
        bear_mask = ncq | ~labelled | chosen
        wb = fit_logistic(xb[bear_mask], bear_y[bear_mask], weights=weight[bear_mask])
        pol_mask = labelled & (ncq | chosen)
        wp = fit_logistic(xp[pol_mask], false[pol_mask], weights=weight[pol_mask])
    # the source models: each article as a whole, its own voice and whom it quotes (FNC-1: the body's label is
    # its stance; its other-topic and discuss bodies take none)
    pb, pp = prob(wb, xb), prob(wp, xp)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault((r["set"], r["q"], r["article"]), []).append(i)
    xs, takes_y, false_y = [], [], []
    ws = []
    for idx in groups.values():
        members = [(float(pb[i]), float(pp[i]), rows[i]["values"]) for i in idx if pb[i] >= 0.25]
        if len(members) < 2:
            continue  # a single statement is its own position (LearnedJudge.position)
        xs.append(vector(SOURCE, source_features(members)))
        takes_y.append(float(labelled[idx[0]]))
        false_y.append(false[idx[0]])
        ws.append(weight[idx[0]])
    xs_a, takes_a, false_a, ws_a = np.array(xs), np.array(takes_y), np.array(false_y), np.array(ws)
    wt = fit_logistic(xs_a, takes_a, weights=ws_a, l2=3.0)
    wf = fit_logistic(xs_a[takes_a == 1], false_a[takes_a == 1], weights=ws_a[takes_a == 1], l2=3.0)
    provenance = {
        "fit_on": "fit half (newsbot.evaluation.sets.split_of) of the shared dev halves of FNC-1 and NatConfQA, "
                  "and the hand-written examples in scripts/judge_examples.yaml",
        "rows": len(rows), "vector_rows": int((ncq & labelled).sum()), "bearing_rows": int(bear_mask.sum()),
        "polarity_rows": int(pol_mask.sum()),
        "source_rows": len(xs), "source_position_rows": int(takes_a.sum()),
        "command": "python scripts/train_judge.py", "date": datetime.date.today().isoformat(),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip(),
    }
    old = json.loads(WEIGHTS.read_text()) if WEIGHTS.exists() else {}
    raw = {"bearing": {"names": list(BEARING), "weights": [round(float(w), 4) for w in wb]},
           "polarity": {"names": list(POLARITY), "weights": [round(float(w), 4) for w in wp]},
           "takes": {"names": list(SOURCE), "weights": [round(float(w), 4) for w in wt]},
           "false": {"names": list(SOURCE), "weights": [round(float(w), 4) for w in wf]},
           "vector": {"form": VECTOR_FORM, "weights": [round(float(w), 5) for w in wv]},
           "thresholds": old.get("thresholds", {"bearing": 0.5, "confidence": 0.35}),
           "provenance": provenance}
    WEIGHTS.write_text(json.dumps(raw, indent=1) + "\n")
    for name, names, w in (("bearing", BEARING, wb), ("polarity", POLARITY, wp), ("takes", SOURCE, wt),
                           ("false", SOURCE, wf)):
        print(name, {n: round(float(x), 2) for n, x in zip(("bias", *names), w, strict=True)})
    print(json.dumps(provenance))


if __name__ == "__main__":
    main()
