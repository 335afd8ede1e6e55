"""Follow-up questions in a conversation: what asks something, and what "he", "it" and "they" stand for.

In a follow-up thread (or a reply to an answer) people write as they would to a person: "Did he
say it to RBC?", "Where is it located?". :func:`resolve` turns such a question into one that stands
alone, by putting an earlier question's referent in place of the pronoun ("Where is the Mozyr Oil
Refinery located?"), so it is answered exactly as that question asked fresh would be. A question
without a pronoun is left as it is: earlier questions never add words to it.

Read from the engine's parse (spaCy), not from word lists. The referents of a question are its noun
phrases that name something: a name, or a phrase with "the" ("the missiles", "Lukashenko's press
secretary" and then Lukashenko). What each is comes from the entity tagger and WordNet: a person (a
PERSON entity, a name the tagger leaves untyped, or a noun WordNet mostly files under people, "the
mayor"), a group ("the police", "the company"), several things (a plural noun), or a thing. The pronouns
and their kinds are the lexicon's (``pronouns``); whether one is possessive ("his", "her press
secretary") or an object ("told her") is the parse's. "he"/"she" take the latest person, "it" the latest
thing or group, "they" the latest plural, group or named organisation — the newest question first; "he"
and "she" are not told apart (no list of names by gender). "it" is left alone where it stands for a
statement or for nothing: the object of a reporting verb ("Did he say it?") or the subject of a clause
it announces ("Is it true that …?").

:func:`asks_something` tells a question from chit-chat ("thanks, that's really helpful!"), for
messages the bot reads without being addressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from newsbot.engine.lexicon import LEXICON
from newsbot.engine.parse import Parser, default_parser
from newsbot.engine.wordnet import wordnet

KINDS = LEXICON.third_person  # "I" and "we" are the asker
MAX_HISTORY = 5
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "AUX", "PRON", "NUM", "ADJ", "ADV"})
_OBJECTS = frozenset({"dobj", "pobj", "dative", "iobj"})
_MEASURES = LEXICON.entities("measure")


@dataclass(frozen=True)
class Referent:
    """Something a question is about, as written ("the Mozyr Oil Refinery") and what kind it is."""

    text: str
    kind: str  # "person", "group", "plural" (several things) or "thing"


@lru_cache(maxsize=1)
def _own_parser() -> Parser:
    return default_parser()


def _parse(text: str, parser: Parser | None) -> Doc:
    return (parser or _own_parser()).text(text)


def asks_something(text: str, parser: Parser | None = None) -> bool:
    """True for a question or a request ("Who …", "tell me …", anything with "?" that says something), False for
    chit-chat ("thanks!", "ok?")."""
    doc = _parse(text, parser)
    words = [t for t in doc if t.is_alpha]
    if not words:
        return False
    if "?" in text:
        return any(t.pos_ in _CONTENT for t in words)
    if words[0].pos_ == "AUX" and words[0].dep_ != "ROOT":  # "did Lukashenko apologize" without its "?"
        return True
    if any(t.tag_ in _WH_TAGS and t.head.dep_ != "relcl" for t in words):  # "so who launched them"
        return True
    root = doc[:].root
    return root.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in root.children)  # "tell me …"


def referents(question: str, parser: Parser | None = None) -> list[Referent]:
    """What ``question`` is about, in order: names and "the …" phrases, each with its kind; a possessive's owner
    after the phrase it owns ("Lukashenko's press secretary", then "Lukashenko")."""
    return [r for _, r in _referents(question, _parse(question, parser))]


def _referents(question: str, doc: Doc) -> list[tuple[int, Referent]]:
    """The referents with the token index where the phrase that gives each ends."""
    found: list[tuple[int, Referent]] = []
    chunks = list(doc.noun_chunks)
    covered = {t.i for c in chunks for t in c}
    names = [e for e in doc.ents if e.label_ not in _MEASURES and not covered & {t.i for t in e}]  # misparsed
    for chunk in sorted(chunks + names, key=lambda c: c.start):
        toks = _named(chunk)
        if not toks:
            continue
        conjuncts = [c for c in chunk.root.conjuncts if c.i > chunk.root.i and c.pos_ in ("NOUN", "PROPN")]
        if conjuncts:  # "Belarus and Russia": they, before each of them
            last = max(conjuncts, key=lambda c: c.i)
            found.append((chunk.end, Referent(question[toks[0].idx : last.idx + len(last)], "plural")))
        found.append((chunk.end, Referent(question[toks[0].idx : chunk.root.idx + len(chunk.root)],
                                          _kind(chunk.root, the=toks[0].lower_ == "the"))))
        for owner in (c for c in chunk.root.children if c.dep_ == "poss" and c.pos_ in ("PROPN", "NOUN")):
            sub = [t for t in owner.subtree if t.dep_ != "case"]
            found.append((chunk.end, Referent(question[sub[0].idx : sub[-1].idx + len(sub[-1])], _kind(owner))))
    return found


def _named(chunk: Span) -> list[Token]:
    """The chunk's words from its first that names (conjunctions and determiners other than "the" dropped), or
    nothing when the chunk is a pronoun, a question word or an indefinite phrase ("a man", "his secretary")."""
    root = chunk.root
    if root.pos_ == "PRON" or root.tag_ in _WH_TAGS or any(t.tag_ == "PRP$" or t.tag_ in _WH_TAGS for t in chunk):
        return []
    toks = [t for t in chunk if t.dep_ not in ("cc", "punct", "preconj")]
    while toks and toks[0].dep_ == "det" and toks[0].lower_ != "the":
        toks.pop(0)
    if not toks:
        return []
    definite = toks[0].lower_ == "the" or any(c.dep_ == "poss" for c in root.children)  # "Lukashenko's press …"
    named = root.pos_ == "PROPN" or bool(root.ent_type_)
    return toks if definite or named else []


def _kind(root: Token, *, the: bool = False) -> str:
    """What a noun phrase's head names: a person, a group, several things or a thing. A name ends in the word
    that says what it names ("the Mozyr Oil Refinery", "Norvik Chemicals"); one that does not is a person unless
    it is an acronym ("RBC"), follows "the" ("the Kremlin") or is one word the tagger takes for a country or city
    ("Belarus"): its labels for rarer names are too often wrong ("Natalya Eismont" as a place) to go by."""
    if root.ent_type_ == "PERSON":
        return "person"
    if root.tag_ in ("NNS", "NNPS"):
        return "plural"
    kind = wordnet().kind(root.lemma_)
    if kind is not None:
        return kind
    if root.pos_ == "PROPN":
        acronym = root.text.isupper() and len(root.text) > 1
        country = root.ent_type_ == "GPE" and root.ent_iob_ == "B" and \
            not any(c.dep_ == "compound" for c in root.children)
        return "thing" if acronym or the or country else "person"
    return "thing"


def _fits(referent: Referent, kind: str, *, loosely: bool = False) -> bool:
    """``referent`` can be what a pronoun of ``kind`` stands for; ``loosely``: "they" for an organisation spoken
    of as its people ("RBC"), taken only when no plural or group fits."""
    if kind == "plural":
        return referent.kind in ("plural", "group") or loosely and referent.kind == "thing" and \
            referent.text[:1].isupper()
    if kind == "thing":
        return referent.kind in ("thing", "group")
    return referent.kind == kind


def resolve(question: str, earlier: list[str], parser: Parser | None = None) -> str:
    """``question`` standing alone: each pronoun with no antecedent in it takes the latest fitting earlier referent.

    A form of a pronoun is replaced once ("Did he say he …" becomes "Did Lukashenko say he …"); another
    form takes another referent ("When did he call him?" is two people), and an object is never the
    sentence's own subject.
    """
    doc = _parse(question, parser)
    history = [r for q in reversed(earlier[-MAX_HISTORY:]) for r in referents(q, parser)]  # newest question first
    mine = _referents(question, doc)
    taken: dict[str, Referent] = {}  # pronoun form -> referent
    out, at = [], 0
    for tok in doc:
        lower = tok.lower_
        if lower not in KINDS or tok.pos_ != "PRON" and tok.tag_ != "PRP$":
            continue
        kind = KINDS[lower]
        possessive = tok.tag_ == "PRP$" or lower == "hers"
        form = ("possessive" if possessive else "object" if tok.dep_ in _OBJECTS else "subject") + ":" + kind
        own = [r for end, r in mine if end <= tok.i and _fits(r, kind, loosely=True)]
        if own and not form.startswith("object"):
            continue  # "Did Lukashenko say he was sorry?": he is Lukashenko already
        if lower == "it" and _stands_for_nothing(tok):
            continue
        if form in taken:
            continue  # named once already in this question: "Did he say he was sorry?"
        others = set(taken.values()) | set(own)
        free = [r for r in history if not any(r.text in o.text for o in others)]  # nor a part of one taken
        found = next((r for r in free if _fits(r, kind)), None) or next(
            (r for r in free if _fits(r, kind, loosely=True)), None)
        if found is None:
            continue
        taken[form] = found
        text = found.text + (("'" if found.text.endswith("s") else "'s") if possessive else "")
        if tok.is_sent_start:
            text = text[0].upper() + text[1:]
        out += [question[at : tok.idx], text]
        at = tok.idx + len(tok)
    return "".join(out) + question[at:]


def _stands_for_nothing(it: Token) -> bool:
    """"it" as a statement ("did he say it", "deny it") or as the empty subject of a clause it announces ("is it
    true that …", "it was reported that …")."""
    head = it.head
    if it.dep_ == "expl" or it.dep_ in _OBJECTS and head.lemma_.lower() in LEXICON.reporting:
        return True
    if it.dep_ not in ("nsubj", "nsubjpass"):
        return False
    near = [head, *(c for c in head.children if c.dep_ in ("acomp", "attr"))]
    return any(c.dep_ in ("ccomp", "csubj") for n in near for c in n.children)
