"""Features of a (claim, statement) pair for the stance judge, from the parse and MiniLM.

Two groups, for the judge's two questions:

* **bearing** — does the statement speak to the claim? Weighted recall of the claim's words (lemmas; names
  and numbers weigh most), in the sentence and with its context (the sentence before, the headline);
  whether the claim's predicate and subject are there; MiniLM's cosine between claim and sentence;
  numbers or names of the claim's kind that differ.
* **polarity** — does it say the claim holds, or that it does not? Negation attached to a matched
  predicate, a deny verb governing what was said, a falsity word ("hoax", "fake", "not true") in the
  sentence or right after it, a confirming word, hedges, contrast, numbers that differ; and
  ``vector_false``, what a model over the MiniLM vectors of sentence and claim reads (the judge fills it in:
  its weights are the judge's, :class:`newsbot.engine.judge.VectorModel`).

Every feature is a number in [0, 1] (or a small count), named in :data:`BEARING` and :data:`POLARITY`; the
weights that turn them into probabilities are learned (:mod:`newsbot.engine.judge`).

A third group, :data:`SOURCE`, describes one source's statements together (:func:`source_features`): how
strongly its best statement bears on the claim, what its statements' polarity says, and how it talks about
the claim (:data:`TRAITS`) — a debunking piece is dense with falsity words ("hoax", "fake", "not true"),
negations and talk *about* the claim ("the report", "such rumours"), whichever sentence restates it; a piece
that asserts it states it plainly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from spacy.tokens import Token

from newsbot.engine.lexicon import LEXICON, has_phrase
from newsbot.engine.question import Question
from newsbot.engine.statements import PRONOUNS, Statement
from newsbot.engine.values import number_key
from newsbot.engine.wordnet import wordnet

BEARING = ("recall", "recall_ctx", "title", "names", "predicate", "subject", "swapped", "cosine", "cosine_sq",
           "numbers_differ", "names_differ", "question", "short", "attributed")
POLARITY = ("neg_predicate", "neg_content", "denies_claim", "falsity_linked", "falsity", "falsity_near",
            "truth_linked", "hedged", "contrast", "numbers_differ", "numbers_conflict", "names_differ", "modal",
            "quoted", "vector_false")

# how a source talks about the claim: the bearing-weighted share of its statements with each trait, and whether any has it
TRAITS = ("negation", "falsity", "truth", "claim_noun", "hedged", "denies", "contrast", "modal")
SOURCE = (*(f"{t}_share" for t in TRAITS), *(f"{t}_any" for t in TRAITS), "polarity_mean", "polarity_max",
          "polarity_top", "bearing_max", "count", "cosine_max", "art_falsity", "art_deny", "art_falsity_rel",
          "own_share")

_MODALS = LEXICON.words("modals")
_MEASURES = LEXICON.entities("measure")
_CONTRAST = LEXICON.words("contrast")


@dataclass(frozen=True)
class Pair:
    """A statement in its place: the sentences around it and the article's headline lemmas."""

    statement: Statement
    before: Statement | None
    after: Statement | None
    title_lemmas: frozenset[str]
    cosine: float
    claim_vector: np.ndarray | None = None  # MiniLM vectors of the claim and the sentence, when the reader has them
    vector: np.ndarray | None = None


def _lemmas(toks: list[Token] | object) -> set[str]:
    """A passage's words as the claim's are matched: lemma and form, an abbreviation without its dots ("U.S."
    and "US" meet), and each word's forms in other parts of speech by WordNet ("an inhibitor" states
    "inhibit", "Belarusian" states "Belarus")."""
    out = {t.lemma_.lower() for t in toks if not t.is_punct} | {t.lower_ for t in toks if not t.is_punct}  # type: ignore[union-attr]
    out |= {w.replace(".", "") for w in out if "." in w}
    wn = wordnet()
    return out | {f for w in out for f in wn.forms(w)}


def _recall(q: Question, lemmas: set[str], roles: tuple[str, ...] | None = None) -> float:
    terms = [t for t in q.terms if roles is None or t.role in roles]
    if not terms:
        return 1.0
    total = sum(t.weight for t in terms)
    return sum(t.weight for t in terms if _has(t, lemmas)) / total


def _negated_tokens(toks: list[Token]) -> set[int]:
    """Indexes of tokens a negation governs, by the parse: an adverbial negator ("not", "n't", "never") negates
    its head; a nominal one ("no …", "nothing", "nobody", "without") its phrase and the word that phrase hangs
    from (the verb whose object is "no evidence"). The negators are the lexicon's."""
    out: set[int] = set()
    for t in toks:
        if t.dep_ == "neg" or (t.lower_ in LEXICON.negators and t.pos_ in ("ADV", "PART")):
            out.add(t.head.i)
        elif t.lower_ in LEXICON.negators:
            head = t.head if t.dep_ == "det" else t
            out.add(head.i)
            out.add(head.head.i)
    return out


def context_lemmas(pair: Pair, lemmas: set[str] | None = None) -> set[str]:
    """The words a sentence can lean on: its own and the sentence's before it in the same paragraph ("he" and
    "this" point back there)."""
    ctx = set(lemmas if lemmas is not None else _lemmas(list(pair.statement.sentence.span)))
    if pair.before is not None and pair.before.sentence.paragraph == pair.statement.sentence.paragraph:
        ctx |= _lemmas(list(pair.before.sentence.span))
    return ctx


def recall(q: Question, lemmas: set[str]) -> float:
    """The weighted share of the question's words among ``lemmas``."""
    return _recall(q, lemmas)


def features(q: Question, pair: Pair) -> dict[str, float]:
    """The named features of one pair (see the module doc)."""
    st = pair.statement
    span = st.sentence.span
    sent = list(span)
    content = st.content_tokens or sent
    lemmas = _lemmas(sent)
    ctx = context_lemmas(pair, lemmas)
    wn = wordnet()
    matched = {t.i for t in sent if t.lemma_.lower() in q.lemmas or t.lower_ in q.lemmas
               or wn.forms(t.lemma_.lower()) & q.lemmas}
    predicates = [t for t in q.terms if t.role == "predicate"]
    predicate_lemmas = {p.lemma for p in predicates}
    pred_hit = any(t.lemma_.lower() in predicate_lemmas for t in sent) if predicates else None
    subject_terms = {t.lemma for t in q.terms if t.role == "subject"}
    # "Zelensky said that Lukashenko apologized": Lukashenko is the subject; but when the claim is itself the
    # reporting ("Has satellite data revealed …?" of "Satellite data reveal …"), the speaker is its subject
    reports_claim = st.verb is not None and st.verb.lower() in predicate_lemmas
    said = content if st.verb and not reports_claim else sent
    as_subject = {t.lemma_.lower() for t in said if _argument(t) == "subject"}
    as_object = {t.lemma_.lower() for t in said if _argument(t) == "object"}
    subj_hit = bool(subject_terms & as_subject) if subject_terms else None
    if subj_hit is False and st.speaker is not None and st.speaker.key in subject_terms and any(
            t.dep_ == "nsubj" and t.lower_ in PRONOUNS for t in said):
        subj_hit = True  # "Zelensky said he confronted Lukashenko": he is the speaker
    swapped = bool(subject_terms and subject_terms & as_object and not subject_terms & as_subject)
    if subj_hit is False and not swapped and any(t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in PRONOUNS
                                                 for t in said) and subject_terms & _antecedents(pair, said):
        subj_hit = None  # "… press secretary told RBC that he did not apologize": he may be Lukashenko
    negated = _negated_tokens(content)
    neg_predicate = bool(negated & matched) or any(
        t.i in negated and any(a.i in matched for a in t.subtree) for t in content if t.pos_ in ("VERB", "AUX"))
    targets = matched | {t.i for t in sent if t.lemma_.lower() in LEXICON.claim_nouns or t.lower_ in _REFERRING}
    sent_lemmas = [t.lemma_.lower() for t in sent]
    falsity = any(x in LEXICON.falsity for x in sent_lemmas) or has_phrase(sent_lemmas, LEXICON.phrases("falsity"))
    near = [x for x in (pair.before, pair.after) if x is not None and x.sentence.paragraph == st.sentence.paragraph]
    falsity_near = any(
        any(t.lemma_.lower() in LEXICON.falsity for t in x.sentence.span)
        or has_phrase([t.lemma_.lower() for t in x.sentence.span], LEXICON.phrases("falsity")) for x in near)
    linked_falsity = any(_linked(t, targets) for t in sent if t.lemma_.lower() in LEXICON.falsity)
    linked_truth = any(_linked(t, targets) for t in sent if t.lemma_.lower() in LEXICON.truth)
    denies_claim = st.denies and any(t.i in targets for t in content)
    numbers = {k for t in sent if (t.like_num or t.pos_ == "NUM") and (k := number_key(t.text))}
    numbers_differ = 1.0 if q.numbers and numbers and not (q.numbers & numbers) else 0.0
    numbers_conflict = float(bool(numbers_differ) and any(_aligned_number(t, q) for t in sent))
    names_differ = _names_differ(q, span)
    words = max(1, sum(1 for t in sent if not t.is_punct))
    claim_noun = any(x in LEXICON.claim_nouns for x in sent_lemmas)
    return {
        "recall": _recall(q, lemmas),
        "recall_ctx": _recall(q, ctx),
        "title": _recall(q, set(pair.title_lemmas)),
        "names": _names_recall(q, ctx | pair.title_lemmas),
        "predicate": 0.5 if pred_hit is None else float(pred_hit),
        "subject": 0.5 if subj_hit is None else float(subj_hit),
        "swapped": float(swapped),
        "refers": float(claim_noun or any(t.lower_ in _REFERRING for t in sent)),
        "cosine": pair.cosine,
        "cosine_sq": pair.cosine * pair.cosine,
        "numbers_differ": numbers_differ,
        "numbers_conflict": numbers_conflict,
        "names_differ": names_differ,
        "question": float(st.sentence.text.rstrip("”\"’' ").endswith("?")),
        "short": float(words < 6),
        "attributed": float(st.speaker is not None),
        "neg_predicate": float(neg_predicate),
        "neg_content": float(any(t.i in negated and any(a.i in matched for a in t.subtree) for t in content)
                             or bool(negated & matched)),
        "denies_claim": float(denies_claim),
        "falsity_linked": float(linked_falsity),
        "falsity": float(falsity),
        "falsity_near": float(falsity_near),
        "truth_linked": float(linked_truth),
        "hedged": float(st.hedged),
        "contrast": float(any(x in _CONTRAST for x in sent_lemmas)),
        "modal": float(any(t.lower_ in _MODALS and t.tag_ == "MD" for t in content)),
        "quoted": float(st.quoted),
        "negation": float(any(t.dep_ == "neg" or t.lower_ in LEXICON.negators for t in sent)),
        "truth": float(any(x in LEXICON.truth for x in sent_lemmas)),
        "claim_noun": float(claim_noun),
        "denies": float(st.denies),
    }


_REFERRING = LEXICON.words("referring")


def _antecedents(pair: Pair, said: list[Token]) -> set[str]:
    """Whom a pronoun in what was said may stand for: names earlier in the sentence, outside what was said,
    and the subjects of the sentence before it in the paragraph."""
    start = said[0].i if said else 0
    out = {t.lemma_.lower() for t in pair.statement.sentence.span if t.i < start and t.pos_ == "PROPN"}
    if pair.before is not None and pair.before.sentence.paragraph == pair.statement.sentence.paragraph:
        out |= {t.lemma_.lower() for t in pair.before.sentence.span if _argument(t) == "subject"}
    return out


def _argument(tok: Token) -> str | None:
    """Whether a word stands in a subject or an object noun phrase of its clause (a name's compound parts
    count with their head; "by X" of a passive is a subject; "to X" an object)."""
    head = tok
    while head.dep_ in ("compound", "flat", "amod", "poss", "nmod") and head.head.i != head.i:
        head = head.head
    if head.dep_ in ("nsubj", "csubj") or (head.dep_ == "pobj" and head.head.lower_ == "by"):
        return "subject"
    if head.dep_ in ("dobj", "dative", "pobj", "nsubjpass", "attr", "oprd", "appos"):
        return "object"
    return None


def _aligned_number(tok: Token, q: Question) -> bool:
    """``tok`` is a number other than the claim's, standing where the claim's stands: it hangs (through at most
    a preposition and a noun) from one of the claim's words ("first described in 1824" against "described in
    1896", "volcanoes emit 0.3 billion tons" against "emit 0.645 billion tonnes")."""
    if not (tok.like_num or tok.pos_ == "NUM") or (key := number_key(tok.text)) is None or key in q.numbers:
        return False
    head = tok
    for _ in range(3):
        if head.head.i == head.i:
            return False
        head = head.head
        if head.lemma_.lower() in q.lemmas and not (head.like_num or head.pos_ == "NUM"):
            return True
        if head.pos_ in ("VERB", "AUX"):
            return False
    return False


def _linked(tok: Token, targets: set[int]) -> bool:
    """``tok`` (a falsity or truth word) is attached to the claim: its head, a child, or a sibling is a claim
    word, a claim noun ("the report", "such claims") or a pronoun that refers back ("this is untrue")."""
    near = {tok.head.i, *(c.i for c in tok.children), *(c.i for c in tok.head.children)}
    near |= {g.i for c in tok.children for g in c.children}
    return bool((near - {tok.i}) & targets)


def _has(t, lemmas: set[str]) -> bool:  # noqa: ANN001 - a question Term
    return t.lemma in lemmas or t.text.lower() in lemmas or t.lemma.replace(".", "") in lemmas


def _names_recall(q: Question, ctx: set[str]) -> float:
    names = [t for t in q.terms if t.pos in ("PROPN", "NUM")]
    if not names:
        return 1.0
    return sum(1 for t in names if _has(t, ctx)) / len(names)


def _names_differ(q: Question, span) -> float:  # noqa: ANN001 - a spaCy Span
    """The claim names someone or something of a kind (a person, a country) that the sentence does not, while
    the sentence names another of that kind in its place."""
    if not q.entities:
        return 0.0
    have = {(e.label_, e.text.lower()) for e in span.ents}
    kinds = {label for label, _ in have}
    for text, label in q.entities:
        if label in _MEASURES:
            continue
        if (label, text.lower()) not in have and label in kinds and text.lower() not in span.text.lower():
            return 1.0
    return 0.0


def article_features(statements: list[Statement]) -> dict[str, float]:
    """How an article talks, over its parsed paragraphs: falsity words per 100 words (scaled to [0, 1] at 5) and
    deny verbs."""
    words = falsity = deny = 0
    for st in statements:
        lemmas = [t.lemma_.lower() for t in st.sentence.span if not t.is_punct]
        words += len(lemmas)
        falsity += sum(1 for x in lemmas if x in LEXICON.falsity) + has_phrase(lemmas, LEXICON.phrases("falsity"))
        deny += int(st.denies)
    return {"art_falsity": min(1.0, 100.0 * falsity / max(words, 1) / 5.0), "art_deny": float(min(deny, 3)) / 3}


def source_features(members: list[tuple[float, float, dict[str, float]]]) -> dict[str, float]:
    """One source's statements, each as (bearing, P(positive claim false), its features), summarised: how
    strongly it bears on the claim, what its statements' polarity says, and how it talks (:data:`TRAITS`,
    weighted by bearing)."""
    members = sorted(members, key=lambda m: -m[0])
    weights = [b + 1e-6 for b, _, _ in members]
    total = sum(weights)
    share = {f"{t}_share": sum(w * v[t] for w, (_, _, v) in zip(weights, members, strict=True)) / total
             for t in TRAITS}
    top = members[:3]
    return share | {f"{t}_any": max(v[t] for _, _, v in members) for t in TRAITS} | {
        "polarity_mean": sum(w * p for w, (_, p, _) in zip(weights, members, strict=True)) / total,
        "polarity_max": max(p for _, p, _ in members),
        "polarity_top": sum(p for _, p, _ in top) / len(top),
        "bearing_max": members[0][0],
        "count": min(len(members), 10) / 10,
        "cosine_max": max(v["cosine"] for _, _, v in members),
        "art_falsity": members[0][2].get("art_falsity", 0.0),
        "art_deny": members[0][2].get("art_deny", 0.0),
        "art_falsity_rel": members[0][2].get("art_falsity_rel", 0.0),
        "own_share": sum(w for w, (_, _, v) in zip(weights, members, strict=True) if not v["attributed"]) / total,
    }


def vector(names: tuple[str, ...], values: dict[str, float]) -> list[float]:
    """The features ``names`` of ``values`` in order, with a constant 1 for the bias."""
    return [1.0, *(values[n] for n in names)]
