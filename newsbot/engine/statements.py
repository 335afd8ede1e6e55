"""Who says what: each sentence as a statement with its speaker, audience, time and content, from the parse.

News attributes claims with reporting verbs ("Zelensky said …", "Eismont told RBC that …", "according to
Zelensky", "“…,” she said", "denied reports that …"). This module reads them off spaCy's dependency tree:
the reporting verb (a lemma of :data:`LEXICON.reporting`) outside quotation marks, its subject as the speaker
(the whole noun phrase, a name apposed to a title as name and role), its dative or "to" object as the
audience, dates attached to it as the time, and its clausal complement as what was said. A pronoun speaker is
the last one named before it; a sentence inside quotation marks with no attribution of its own keeps the
speaker of the attribution that closes or opens its quote. A deny verb makes the statement a denial, and a
claim noun it governs ("reports that …", "La Repubblica's claim") names who made the claim.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from spacy.tokens import Span, Token

from newsbot.engine.lexicon import LEXICON
from newsbot.engine.parse import Sentence

PRONOUNS = frozenset(LEXICON.pronouns)
_LEFT_QUOTES = "“«„"
_RIGHT_QUOTES = "”»"
_SPEAKER_TYPES = LEXICON.entities("source")
_TIME_TYPES = LEXICON.entities("time")


@dataclass(frozen=True)
class Speaker:
    """Who holds a statement. ``key`` groups every mention of one source (a surname, a body's name)."""

    name: str
    key: str
    role: str | None = None
    described: bool = False  # "two people familiar with the matter": a description, not a name

    def shown(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


REPORTS = Speaker(name="media reports", key="reports:media", described=True)


@dataclass(frozen=True)
class Statement:
    """One sentence as something a source states.

    ``content`` is the part of the sentence that carries what was said (token indexes into the sentence's
    doc, ``[start, end)``); the whole sentence when it is the outlet's own report. ``denies``: the speaker
    says the content is untrue ("denied that …", "dismissed reports that …"). ``claimant``: who the article
    says made the denied or hedged claim. ``inherited``: the speaker comes from another sentence of the quote.
    """

    sentence: Sentence
    speaker: Speaker | None
    content: tuple[int, int]
    verb: str | None = None
    audience: str | None = None
    when: str | None = None
    denies: bool = False
    hedged: bool = False
    claimant: Speaker | None = None
    quoted: bool = False
    inherited: bool = False

    @cached_property
    def content_tokens(self) -> list[Token]:
        doc = self.sentence.span.doc
        return [doc[i] for i in range(*self.content)]

    @property
    def key(self) -> str | None:
        return self.speaker.key if self.speaker else None


def quote_mask(text: str) -> list[bool]:
    """For each character of ``text``: inside a double quotation (curly or straight)? An unclosed quote runs
    to the end, as a quote that continues into the next paragraph does."""
    mask = [False] * len(text)
    inside, straight = False, False
    for i, ch in enumerate(text):
        if ch == '"':
            straight = not straight
            inside = straight
            mask[i] = True
            continue
        if ch in _LEFT_QUOTES:
            inside = True
        elif ch in _RIGHT_QUOTES and inside:
            mask[i] = True
            inside = False
            continue
        mask[i] = inside
    return mask


def read_statements(sentences: Sequence[Sentence]) -> list[Statement]:
    """The statements of ``sentences`` (one article's, in order): attributed, pronouns resolved, quotes carried."""
    masks: dict[int, list[bool]] = {}
    out: list[Statement] = []
    last: Speaker | None = None
    for s in sentences:
        doc = s.span.doc
        if id(doc) not in masks:
            masks[id(doc)] = quote_mask(doc.text)
        mask = masks[id(doc)]
        st = _attribute(s, mask, last)
        if st.speaker is not None and not st.speaker.described and st.verb:
            last = st.speaker
        out.append(st)
    return _carry_quotes(out, masks)


def _inside(tok: Token, mask: list[bool]) -> bool:
    return tok.idx < len(mask) and mask[tok.idx]


def _attribute(s: Sentence, mask: list[bool], last: Speaker | None) -> Statement:
    span = s.span
    whole = (span.start, span.end)
    quoted = sum(mask[t.idx] for t in span if t.idx < len(mask)) > len(span) / 2
    verb = _reporting_verb(span, mask)
    hedged = _hedged(span, mask)
    according = _according_to(span, mask)
    if verb is None or according is not None:  # "According to Zelensky, Lukashenko suggested …": Zelensky's account
        if according is not None:
            who, phrase = according
            content = _without(span, phrase)
            return Statement(s, _speaker(who, last), content, verb="say", quoted=quoted, hedged=hedged,
                             when=_when(span, phrase, content))
        return Statement(s, None, whole, quoted=quoted, hedged=hedged)
    subject = _subject(verb)
    speaker = _speaker(subject, last) if subject is not None else None
    content = _content(span, verb)
    denial = verb if verb.lemma_.lower() in LEXICON.denying else next(  # "… told Reuters it dismissed reports …"
        (t for t in span if t.lemma_.lower() in LEXICON.denying and t.pos_ == "VERB" and not _inside(t, mask)), None)
    denies = denial is not None
    claimant = _claimant(denial if denial is not None else verb) if denies or hedged else None
    if subject is None and verb.tag_ == "VBN":  # "it was reported", "is said to": nobody named
        hedged, speaker = True, None
    return Statement(s, speaker, content, verb=verb.lemma_.lower(), audience=_audience(span, verb),
                     when=_when(span, verb, content), denies=denies, hedged=hedged, claimant=claimant, quoted=quoted)


def _reporting_verb(span: Span, mask: list[bool]) -> Token | None:
    """The reporting verb outside quotes that stands highest in the tree (the one that frames the sentence)."""
    best: tuple[int, Token] | None = None
    for t in span:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in LEXICON.reporting or _inside(t, mask):
            continue
        if t.dep_ in ("amod", "acl", "relcl", "advcl", "pcomp", "xcomp") and t.dep_ != "ROOT":
            continue  # "the widely reported story", "a man who told …": not the sentence's frame
        if not (_subject(t) is not None or t.dep_ in ("ROOT", "ccomp", "parataxis", "conj") or t.tag_ == "VBN"):
            continue
        depth = sum(1 for _ in t.ancestors)
        if best is None or depth < best[0]:
            best = (depth, t)
    return best[1] if best else None


def _subject(verb: Token) -> Token | None:
    """The speaker token: the verb's nearest active subject ("Update: the secretary told …" has two), or the
    agent of a passive ("was denied by the ministry"). A passive subject of a reporting verb is what or who was
    told, never the speaker."""
    subjects = [c for c in verb.lefts if c.dep_ == "nsubj"] or [c for c in verb.rights if c.dep_ == "nsubj"]
    if subjects:
        return min(subjects, key=lambda c: abs(verb.i - c.i))
    for c in verb.children:  # "was denied by the ministry"
        if c.dep_ == "agent":
            return next((g for g in c.children if g.dep_ == "pobj"), None)
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head)  # "Zelensky spoke to reporters and said …"
    return None


def _np_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without relative clauses, participial modifiers and trailing punctuation."""
    drop: set[int] = set()
    for t in head.subtree:
        if t.dep_ in ("relcl", "acl", "advcl") and t.i != head.i:
            drop.update(x.i for x in t.subtree)
    toks = [t for t in head.subtree if t.i not in drop]
    while toks and (toks[-1].is_punct or toks[-1].dep_ in ("cc", "case")):
        toks.pop()
    while toks and (toks[0].is_punct or toks[0].dep_ == "cc"):
        toks.pop(0)
    return toks


def _text(toks: Sequence[Token]) -> str:
    if not toks:
        return ""
    doc = toks[0].doc
    return doc[toks[0].i : toks[-1].i + 1].text.strip(" ,;:")


def _speaker(head: Token, last: Speaker | None) -> Speaker | None:
    """A speaker from the subject token: a name, a title apposed to a name, a described source or a pronoun."""
    if head.lower_ in PRONOUNS:
        return last if head.lower_ not in ("it",) or last is None or last.described else last
    toks = _np_tokens(head)
    if not toks:
        return None
    appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if head.pos_ != "PROPN" and appos is not None:  # "Lukashenko's press secretary, Natalya Eismont"
        name_toks = _np_tokens(appos)
        role_toks = [t for t in toks if t.i < appos.i and t not in name_toks and not t.is_punct]
        return Speaker(name=_text(name_toks), key=appos.lemma_.lower(), role=_text(role_toks) or None)
    if head.pos_ == "PROPN" or head.ent_type_ in _SPEAKER_TYPES:
        appos_role = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        name_toks = [t for t in toks if appos_role is None or t not in list(appos_role.subtree)]
        role = _text(_np_tokens(appos_role)) if appos_role is not None else None
        return Speaker(name=_text(name_toks), key=head.lemma_.lower(), role=role)
    shown = _text(toks)
    owner = next((t for t in toks if t.pos_ == "PROPN" and t.ent_type_ in _SPEAKER_TYPES), None)
    if owner is not None and head.lemma_.lower() in ("spokesman", "spokeswoman", "spokesperson", "representative",
                                                     "statement"):
        return Speaker(name=shown, key=owner.lemma_.lower(), described=True)  # "a Pulsetrack spokesperson"
    return Speaker(name=shown, key="desc:" + " ".join(t.lemma_.lower() for t in toks if not t.is_stop), described=True)


def _content(span: Span, verb: Token) -> tuple[int, int]:
    """What was said: the verb's clausal complement, or the main clause a trailing attribution follows."""
    for c in verb.children:
        if c.dep_ in ("ccomp", "xcomp", "parataxis"):
            sub = [t.i for t in c.subtree]
            return min(sub), max(sub) + 1
    for c in verb.children:  # "denied reports that …", "rejected the claim"
        if c.dep_ in ("dobj", "pobj", "prep"):
            sub = [t.i for t in c.subtree]
            return min(sub), max(sub) + 1
    if verb.dep_ in ("ccomp", "parataxis", "conj") or verb.head.i != verb.i:
        head = verb.head if verb.head.i != verb.i else verb
        skip = {t.i for t in verb.subtree}
        sub = [t.i for t in head.subtree if t.i not in skip]
        if sub:
            return min(sub), max(sub) + 1
    skip = {t.i for t in verb.subtree if t.i <= verb.i}
    rest = [t.i for t in span if t.i not in skip]
    return (min(rest), max(rest) + 1) if rest else (span.start, span.end)


def _without(span: Span, phrase: Sequence[Token]) -> tuple[int, int]:
    skip = {t.i for t in phrase}
    rest = [t.i for t in span if t.i not in skip and not t.is_punct]
    return (min(rest), max(rest) + 1) if rest else (span.start, span.end)


def _according_to(span: Span, mask: list[bool]) -> tuple[Token, list[Token]] | None:
    for t in span:
        if t.lower_ == "according" and not _inside(t, mask):
            to = next((c for c in t.children if c.lower_ == "to"), None)
            who = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if who is not None:
                return who, list(t.subtree)
    return None


def _audience(span: Span, verb: Token) -> str | None:
    """"told RBC", "said to reporters", "in an interview with U.S. podcaster Lex Fridman"."""
    for c in verb.children:
        if c.dep_ in ("dobj", "dative") and c.pos_ in ("PROPN", "NOUN", "PRON") and verb.lemma_ in ("tell", "inform",
                                                                                                  "assure", "brief",
                                                                                                  "warn", "promise"):
            if c.lower_ not in ("me", "us", "him", "her", "them") and not any(x.dep_ == "acl" for x in c.children):
                return _text(_np_tokens(c))
        if c.dep_ == "prep" and c.lower_ == "to":
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ in ("PROPN", "NOUN"):
                return _text(_np_tokens(obj))
    for t in span:
        if t.lemma_.lower() in ("interview", "conversation", "podcast", "call") and t.pos_ == "NOUN":
            w = next((c for c in t.children if c.dep_ == "prep" and c.lower_ == "with"), None)
            obj = next((g for g in w.children if g.dep_ == "pobj"), None) if w is not None else None
            if obj is not None:
                return _text(_np_tokens(obj))
    return None


def _when(span: Span, anchor: Token | Sequence[Token], content: tuple[int, int]) -> str | None:
    """A date or time in the sentence's frame (outside what was said): "on Sunday", "published on Sunday"."""
    for ent in span.ents:
        if ent.label_ not in _TIME_TYPES or content[0] <= ent.start < content[1]:
            continue
        head = ent.root.head
        lead = ent.doc[ent.start - 1] if ent.start > span.start else None
        prep = lead.text + " " if lead is not None and lead.dep_ == "prep" else ""
        if head.tag_ == "VBN" and head.dep_ in ("acl", "advcl", "relcl") and head.lemma_ in ("publish", "air",
                                                                                           "broadcast", "release"):
            return f"{head.text} {prep}{ent.text}"
        return f"{prep}{ent.text}"
    return None


def _hedged(span: Span, mask: list[bool]) -> bool:
    """The outlet does not vouch for it: "reportedly", "allegedly", "is said to", "according to reports"."""
    for t in span:
        if _inside(t, mask):
            continue
        if t.pos_ == "ADV" and t.lemma_.lower() in LEXICON.hedges:
            return True
        if t.lemma_.lower() in ("say", "report", "believe", "think", "allege", "rumor", "rumour") and t.tag_ == "VBN" \
                and any(c.dep_ == "auxpass" for c in t.children) and any(c.dep_ == "xcomp" for c in t.children):
            return True  # "he is said to have …"
    return False


def _claimant(verb: Token) -> Speaker | None:
    """Who made the claim a denial answers: "denied La Repubblica's report", "reports by two newspapers"."""
    for c in verb.children:
        if c.dep_ not in ("dobj", "nsubjpass", "pobj", "prep"):
            continue
        noun = c if c.dep_ != "prep" else next((g for g in c.children if g.dep_ == "pobj"), None)
        if noun is None or noun.lemma_.lower() not in LEXICON.claim_nouns:
            continue
        for g in noun.children:
            if g.dep_ == "poss" or (g.dep_ == "compound" and g.pos_ == "PROPN"):
                return Speaker(name=_text(_np_tokens(g)), key=g.lemma_.lower())
            if g.dep_ == "prep" and g.lower_ in ("by", "from", "in"):
                obj = next((x for x in g.children if x.dep_ == "pobj"), None)
                if obj is not None and obj.pos_ in ("PROPN", "NOUN"):
                    return Speaker(name=_text(_np_tokens(obj)), key=obj.lemma_.lower(), described=obj.pos_ != "PROPN")
        return REPORTS
    return None


_CLOSES_QUOTE = re.compile(r"[”\"»]")


def _carry_quotes(statements: list[Statement], masks: dict[int, list[bool]]) -> list[Statement]:
    """A sentence of a quotation without an attribution of its own takes the speaker of the attribution that
    closes the quote later in its paragraph ("“…. …,” she said."), else of the sentence before it."""
    out = list(statements)
    for i, st in enumerate(out):
        if st.speaker is not None or not st.quoted:
            continue
        speaker = None
        for later in out[i + 1 : i + 4]:
            if later.sentence.paragraph != st.sentence.paragraph:
                break
            if later.speaker is not None and later.verb and not later.inherited:
                speaker = later
                break
            if not later.quoted:
                break
        if speaker is None and i > 0 and out[i - 1].speaker is not None:
            prev = out[i - 1]
            if prev.sentence.paragraph == st.sentence.paragraph or prev.quoted or prev.verb:
                speaker = prev
        if speaker is not None:
            out[i] = replace(st, speaker=speaker.speaker, audience=speaker.audience, when=speaker.when,
                             inherited=True)
    return out
