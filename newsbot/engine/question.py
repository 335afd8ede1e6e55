"""What a question asks, from its parse: a yes/no claim, a value of a type, or an open question.

"Did Lukashenko apologize?" asks whether a claim holds; "Who launched the missiles?" asks for a value that
must be a person, a body or a country (:data:`LEXICON.wh_types`); "What did Zelensky claim about
Lukashenko?" is open. "Is it true that …?" and "Did Zelensky say …?" wrap a claim: the first in a frame,
the second as one source's words (``asked_of``). A claim may itself be a denial ("X didn't …", "FAKE NEWS:
…", "… is a hoax"): ``negated`` says so, and a statement that denies the positive claim then agrees with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from newsbot.engine.lexicon import LEXICON
from newsbot.engine.parse import Parser

Kind = Literal["yesno", "value", "open"]
_WH = LEXICON.words("wh_words")
_AUX = LEXICON.words("question_auxiliaries")
_POS_WEIGHT = {"PROPN": 2.0, "NUM": 2.0, "NOUN": 1.0, "VERB": 1.0, "ADJ": 0.7, "ADV": 0.4, "X": 1.0}
_OPENER_RE = re.compile(r"^\W*(?:%s)\b[\s,:;!.\-–—]*", re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    """A content word of the claim: its lemma, how much it weighs, and its place in the clause."""

    lemma: str
    text: str
    pos: str
    weight: float
    role: Literal["subject", "predicate", "object", "other"]
    entity: str = ""


@dataclass(frozen=True)
class Question:
    """A question as the reader uses it."""

    text: str  # as asked (cleaned of chat openers)
    kind: Kind
    claim: str  # the claim or the question's own words, for similarity and wording
    terms: tuple[Term, ...] = ()
    wh: str | None = None
    answer_types: frozenset[str] = frozenset()
    negated: bool = False
    asked_of: str | None = None  # "Did Zelensky say …?": the source asked about
    asked_terms: frozenset[str] = frozenset()
    asked_denial: bool = False  # "Did Eismont deny …?"
    affirmative: str | None = None  # the question as a statement: "Lukashenko did apologize"
    negative: str | None = None  # and its denial: "Lukashenko did not apologize"
    claim_wording: tuple[str, str] | None = None  # "Did Zelensky say …?": the claim itself, as said and denied
    entities: tuple[tuple[str, str], ...] = ()  # (text, label) of the claim
    predicate: str | None = None  # the lemma of the question's main verb ("won", "acquire")
    wh_role: str | None = None  # where the asked value stands: subject, object, attribute or adjunct
    attribute: str | None = None  # "Who is the president of Belarus?": the role noun asked about
    numbers: frozenset[str] = frozenset()
    doc: Doc | None = field(default=None, compare=False, repr=False)

    @property
    def content(self) -> bool:
        """True when the question has words to look for."""
        return bool(self.terms)

    @property
    def lemmas(self) -> frozenset[str]:
        return frozenset(t.lemma for t in self.terms)

    def weight(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0


def clean(text: str) -> str:
    """The question without chat openers ("hey,", "quick question:") or a name before it ("Anna Did …")."""
    text = " ".join(text.split())
    openers = "|".join(re.escape(o) for o in LEXICON.chat_openers)
    for _ in range(3):
        m = re.match(_OPENER_RE.pattern % openers, text, re.IGNORECASE)
        if not m or m.end() == 0 or m.end() >= len(text):
            break
        text = text[m.end() :]
    words = text.split()
    for i, w in enumerate(words[1:4], 1):  # "Anna Did Lukashenko apologize?", "Hi all! Did …"
        if w[:1].isupper() and w.lower().strip(",:") in _AUX | _WH and not words[i - 1][:1].islower():
            text = " ".join(words[i:])
            break
    return text


def analyze(text: str, parser: Parser) -> Question:
    """Read ``text`` as a question (see the module doc)."""
    asked = clean(text)
    body = asked.rstrip(" ?!.")
    lower = body.lower()
    frame = next((f for f in LEXICON.claim_frames if lower.startswith(f + " ") or lower == f), None)
    if frame is not None:
        body = body[len(frame) :].strip(" ,:")
    doc = parser.text(body + ("?" if frame is None else ""))
    first = next((t for t in doc if not t.is_punct), None)
    if first is None:
        return Question(text=asked, kind="yesno", claim="")
    wh = _wh(doc) if frame is None else None
    if wh is not None:
        return _wh_question(asked, doc, wh)
    if frame is None and not asked.rstrip().endswith("?") or first.pos_ in ("NOUN", "PROPN") and \
            doc[:].root.lemma_.lower() in LEXICON.answer_nouns:
        noun = _answer_noun(doc)  # "Super Bowl 2021 location"
        if noun is not None:
            return _wh_question(asked, doc, None, types=LEXICON.answer_nouns[noun.lemma_.lower()], noun=noun)
    if frame is None and (statement := _declarative(doc)) is not None:
        affirmative, negative = statement
        return _claim_question(asked, parser.text(affirmative), framed=False, wording=(affirmative, negative))
    return _claim_question(asked, doc, framed=frame is not None)


def _declarative(doc: Doc) -> tuple[str, str] | None:
    """A yes/no question as the statement it asks about, and its denial, with the auxiliary moved after the
    subject ("Was the Renn dam built in 1921?" → "the Renn dam was built in 1921"), to be parsed again: the
    model, trained on statements, reads an inverted question's participle as a modifier of the subject ("the
    dam [built in 1921]") and finds no predicate. The subject is the parse's, without such a modifier. None
    when the question does not open with an auxiliary followed by its subject."""
    toks = [t for t in doc if not t.is_punct or t.i < len(doc) - 1]
    if len(toks) < 3 or toks[0].lower_ not in _AUX:
        return None
    aux, root = toks[0], doc[:].root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if subj is None and root.i == aux.i:  # "Was the greenhouse effect first described …?" tags the effect attr
        subj = next((c for c in root.children if c.dep_ == "attr"), None)
    if subj is None or subj.i <= aux.i:
        return None
    cut = {t.i for c in subj.children if c.dep_ in ("acl", "relcl") and c.i > subj.i for t in c.subtree}
    sub = [t for t in subj.subtree if t.i not in cut]
    if sub[0].i != aux.i + 1 or [t.i for t in sub] != list(range(sub[0].i, sub[-1].i + 1)):
        return None  # the subject does not follow the auxiliary as one phrase
    return _moved(aux, sub, toks[-1])


def _moved(aux: Token, subject: Sequence[Token], last: Token) -> tuple[str, str] | None:
    """The clause up to ``last`` with the auxiliary after its subject, and its denial ("Did Lukashenko
    apologize" → "Lukashenko did apologize" / "Lukashenko did not apologize"); None when nothing follows the
    subject."""
    doc, end = aux.doc, subject[-1].i + 1
    if end > last.i:
        return None
    text, rest, verb = doc[subject[0].i : end].text, doc[end : last.i + 1].text, aux.lower_
    return f"{text} {verb} {rest}", f"{text} {verb} not {rest}"


def _wh(doc: Doc) -> str | None:
    words = [t.lower_ for t in doc if not t.is_punct]
    if not words or words[0] not in _WH:
        return None
    two = " ".join(words[:2])
    return two if two in LEXICON.wh_types else words[0]


def _answer_noun(doc: Doc) -> Token | None:
    """The noun a "what" question (or a bare phrase) asks about, when it names a kind of value: "What was
    Tesla's revenue …?" → revenue, "What is the premiere date of …?" → date, "Super Bowl 2021 location"."""
    root = doc[:].root
    cands = [root] if root.pos_ in ("NOUN", "PROPN") else []
    cands += [c for c in root.children if c.dep_ in ("attr", "nsubj", "dobj") and c.pos_ == "NOUN"]
    for tok in cands:
        if tok.lemma_.lower() in LEXICON.answer_nouns and tok.lower_ not in _WH:
            return tok
    return None


def _wh_question(asked: str, doc: Doc, wh: str | None, *, types: frozenset[str] | None = None,
                 noun: Token | None = None) -> Question:
    if types is None and wh is not None:
        types = LEXICON.wh_types.get(wh, frozenset())
        if not types and wh in ("what", "which"):
            noun = _answer_noun(doc)
            types = LEXICON.answer_nouns.get(noun.lemma_.lower(), frozenset()) if noun is not None else frozenset()
    types = types or frozenset()
    skip = set(range(len(wh.split()))) if wh else set()
    if noun is not None:
        skip.add(noun.i)
    root = doc[:].root
    speaker = None
    if wh == "what" and root.lemma_.lower() in LEXICON.reporting:
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ not in _WH and _names_source(subj):
            speaker = subj  # "What did Zelensky claim about Lukashenko?" (not "What does the data show …?")
    kind: Kind = "value" if types else "open"
    if speaker is not None:
        kind = "open"
        speaker_idx = {t.i for t in speaker.subtree}
        skip |= speaker_idx | {root.i}
    terms = _terms(doc, skip)
    if _about_nothing(doc, terms):
        terms = ()
    asked_terms = frozenset(t.lemma_.lower() for t in speaker.subtree if not t.is_stop) if speaker is not None else frozenset()
    role, attribute = _wh_role(doc)
    if noun is not None and role is None:
        role = "adjunct" if types & {"DATE", "TIME", "GPE", "LOC", "FAC", "MONEY", "PERCENT", "CARDINAL"} else "attribute"
        attribute = noun.lemma_.lower() if role == "attribute" else None
    verb = root if root.pos_ == "VERB" else next((t for t in doc if t.pos_ == "VERB"), None)
    predicate = verb.lemma_.lower() if verb is not None else None  # "Where is it located?": locate
    return Question(text=asked, kind=kind, claim=doc.text.rstrip("?"), terms=terms, wh=wh, answer_types=types,
                    asked_of=_span_text(speaker) if speaker is not None else None, asked_terms=asked_terms,
                    entities=_entities(doc), numbers=_numbers(doc), predicate=predicate, wh_role=role,
                    attribute=attribute, doc=doc)


def _wh_role(doc: Doc) -> tuple[str | None, str | None]:
    """Where the question word stands: "Who won …?" subject, "Which company did Facebook acquire?" and "Who was
    awarded …?" object, "Who is the president of …?" attribute (with the role noun), "When …?" adjunct."""
    wh = next((t for t in doc if t.lower_ in _WH), None)
    if wh is None:
        return None, None
    tok = wh.head if wh.dep_ == "det" else wh  # "which company"
    if tok.dep_ == "nsubj":
        return "subject", None
    if tok.dep_ in ("dobj", "nsubjpass", "dative", "pobj", "oprd"):
        return "object", None
    if tok.dep_ == "attr":
        noun = next((t for t in doc if t.dep_ in ("attr", "nsubj") and t.i != tok.i and t.pos_ == "NOUN"), None)
        return "attribute", noun.lemma_.lower() if noun is not None else None
    return "adjunct", None


def _claim_question(asked: str, doc: Doc, *, framed: bool, wording: tuple[str, str] | None = None) -> Question:
    root = doc[:].root
    asked_of, asked_terms, denial, claim_span = None, frozenset(), False, doc[:]
    lemma = root.lemma_.lower()
    comp = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    passive = any(c.dep_ == "auxpass" for c in root.children)  # "Is the Arctic predicted to …?": no one speaks
    clause = comp is not None and comp.dep_ == "ccomp" and any(c.dep_ in ("nsubj", "nsubjpass", "expl")
                                                               for c in comp.children)
    if lemma in LEXICON.reporting and comp is not None and subj is not None and not framed and not passive and (
            _names_source(subj) or lemma in LEXICON.denying):
        asked_of = _span_text(subj)  # "Did Zelensky say Lukashenko apologized?", "Did Eismont deny that …?"
        asked_terms = frozenset(t.lemma_.lower() for t in subj.subtree if not t.is_stop and not t.is_punct)
        denial = lemma in LEXICON.denying
        claim_span = doc[min(t.i for t in comp.subtree) : max(t.i for t in comp.subtree) + 1]
    elif lemma in LEXICON.asserting and clause and not framed:
        claim_span = doc[min(t.i for t in comp.subtree) : max(t.i for t in comp.subtree) + 1]
        # "Do observations show that …?", "Is it claimed that …?": evidence no one in particular gives, or a
        # report of no one; the question is whether the clause holds
    skip = {t.i for t in doc if t.i < claim_span.start or t.i >= claim_span.end}
    negated = _negated(claim_span)
    inner = claim_span.root
    if inner.lemma_.lower() in LEXICON.reporting and any(c.dep_ == "ccomp" for c in inner.children):
        skip.add(inner.i)  # "US denies it threatened …": the claim is what was denied
    if denial:
        negated = not negated
    terms = _terms(doc, skip)
    if _about_nothing(claim_span, _terms(doc, set())):  # "he" may be named by the asked source's own words
        terms = ()
    affirmative, negative = wording or _wordings(doc[:] if asked_of else claim_span, framed)
    claim_wording = _wordings(claim_span, True) if asked_of else None
    return Question(text=asked, kind="yesno", claim=claim_span.text.rstrip("?"), terms=terms, negated=negated,
                    asked_of=asked_of, asked_terms=asked_terms, asked_denial=denial, affirmative=affirmative,
                    negative=negative, claim_wording=claim_wording, entities=_entities(claim_span), numbers=_numbers(claim_span), doc=doc)


_SOURCE_LABELS = LEXICON.entities("source")


def _names_source(subj: Token) -> bool:
    """The subject of a reporting verb names a source that articles quote — a name or a named body ("Zelensky",
    "the Republican Party", "NOAA") — rather than evidence in general ("observations", "the review", "any
    evidence", "97% of experts") or a pronoun ("Is it claimed …?")."""
    return any(t.pos_ == "PROPN" or t.ent_type_ in _SOURCE_LABELS for t in subj.subtree)


def _negated(span: Span) -> bool:
    """The claim denies something: a negation on its main predicate, "No, …", or a falsity word ("FAKE NEWS:",
    "… is a hoax", "made up")."""
    root = _main_predicate(span)
    if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in root.children):
        return True
    if root.lemma_.lower() in LEXICON.denying and any(c.dep_ in ("ccomp", "dobj") for c in root.children):
        return True  # "US denies it threatened Foley family"
    for c in root.children:  # "No threats were made", "Nobody was hurt"
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and (
                c.lower_ in LEXICON.negators or any(g.dep_ == "det" and g.lower_ in LEXICON.negators for g in c.children)):
            return True
    lemmas = [t.lemma_.lower() for t in span]
    if lemmas and lemmas[0] == "no" and len(span) > 1 and span[1].is_punct:
        return True
    from newsbot.engine.lexicon import has_phrase

    return any(t.lemma_.lower() in LEXICON.falsity or t.lower_ in LEXICON.falsity for t in span) or \
        has_phrase(lemmas, LEXICON.phrases("falsity"))


def _main_predicate(span: Span) -> Token:
    """The clause's verb: the root, or in a headline "Who: what" (parsed with the name as root) the verb of the
    clause it introduces."""
    root = span.root
    if root.pos_ in ("VERB", "AUX"):
        return root
    verbs = [c for c in root.children if c.dep_ in ("parataxis", "ccomp") or (  # title case fools the tagger
        c.pos_ in ("VERB", "AUX") and c.dep_ in ("appos", "acl", "relcl", "conj"))]
    return max(verbs, key=lambda v: len(list(v.subtree))) if verbs else root


def _role(tok: Token) -> Literal["subject", "predicate", "object", "other"]:
    """The word's place in the claim, logically: the doer is the subject ("by X" of a passive too), what is
    done to is the object ("Was the mine reopened?": the mine), so either voice reads alike."""
    for t in [tok, *tok.ancestors]:
        passive = t.dep_ == "nsubj" and any(c.dep_ == "auxpass" for c in t.head.children)  # "Was the mine reopened?"
        if (t.dep_ in ("nsubj", "csubj", "expl") and not passive) or (t.dep_ == "pobj" and t.head.lower_ == "by"):
            return "subject"
        if passive:
            return "object"
        if t.dep_ in ("dobj", "pobj", "attr", "acomp", "oprd", "dative", "nsubjpass"):
            return "object"
        if t.dep_ in ("ROOT", "ccomp", "xcomp") and t.pos_ in ("VERB", "AUX"):
            return "predicate" if t.i == tok.i else "other"
    return "other"


#: Words that point at something named elsewhere: third-person pronouns and "this", "that", "these", "those".
_POINTING = frozenset(LEXICON.third_person) | LEXICON.words("referring")


def _about_nothing(doc: Doc, terms: tuple[Term, ...]) -> bool:
    """"Where is it located?", "What did he say?": the question's thing is a pronoun it does not resolve, and
    no name or noun says what it is (a conversation resolves it before asking; see bot/conversation.py)."""
    pronoun = any(t.pos_ == "PRON" and t.lower_ in _POINTING and t.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
                  for t in doc)
    return pronoun and not any(t.pos in ("NOUN", "PROPN", "NUM") for t in terms)


def _terms(doc: Doc, skip: set[int]) -> tuple[Term, ...]:
    """The content words: names and numbers weigh most; stop words, question words, the frame and falsity words
    (which say how the claim stands, not what it is about) are left out."""
    out: list[Term] = []
    seen: set[str] = set()
    for t in doc:
        if t.i in skip or t.is_punct or t.is_space or t.lower_ in _WH or t.pos_ in ("AUX", "INTJ", "DET", "PRON",
                                                                                  "CCONJ", "SCONJ", "ADP", "PART"):
            continue
        lemma = t.lemma_.lower()
        if (t.is_stop and t.pos_ not in ("NUM", "PROPN", "NOUN")) or lemma in LEXICON.falsity or \
                lemma in LEXICON.negators:
            continue  # a noun is content even where a pronoun is spelt alike ("the mine")
        weight = _POS_WEIGHT.get(t.pos_, 0.5)
        if t.ent_type_ and t.pos_ not in ("PROPN", "NUM"):
            weight = max(weight, 1.5)
        if lemma in seen:
            continue
        seen.add(lemma)
        out.append(Term(lemma=lemma, text=t.text, pos=t.pos_, weight=weight, role=_role(t), entity=t.ent_type_))
    return tuple(out)


def _entities(span: Span | Doc) -> tuple[tuple[str, str], ...]:
    return tuple((e.text, e.label_) for e in span.ents)


def _numbers(span: Span | Doc) -> frozenset[str]:
    from newsbot.engine.values import number_key

    return frozenset(k for t in span if (t.like_num or t.pos_ == "NUM") and (k := number_key(t.text)))


def _span_text(tok: Token) -> str:
    sub = list(tok.subtree)
    return tok.doc[sub[0].i : sub[-1].i + 1].text


def _wordings(span: Span, framed: bool) -> tuple[str, str]:
    """The claim as a statement and as its denial, by moving the question's auxiliary after the subject
    ("Did Lukashenko apologize" → "Lukashenko did apologize" / "Lukashenko did not apologize")."""
    toks = [t for t in span if not (t.is_punct and t.i == span.end - 1)]
    if not toks:
        return "", ""
    root = span.root
    text = span.doc[toks[0].i : toks[-1].i + 1].text
    aux = toks[0] if toks[0].lower_ in _AUX and not framed else None
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    if aux is not None and subj is not None and (sub := list(subj.subtree))[0].i > aux.i and \
            (moved := _moved(aux, sub, toks[-1])) is not None:
        return moved
    if aux is not None:  # the parse did not find where the subject ends: say yes or no, not a garbled clause
        return "yes", "no"
    negative = f"it is not true that {text[:1].lower() + text[1:] if not toks[0].ent_type_ else text}"
    return text, negative
