"""Sources described, not named: "two people familiar with the matter", "the union", "a spokesperson for …".

A described source speaks as the article writes it, under a key of its own
(``UNNAMED`` + its words), so it is never merged with a named person.
"""

from __future__ import annotations

import re

UNNAMED = "unnamed:"  # key prefix of a described source ("unnamed:the interior ministry")

#: A source described, not named: "two people familiar with the matter", "the country's interior ministry",
#: "local officials in Velmar", "police".
DESCRIBED_RE = re.compile(
    r"(?:(?:one|two|three|four|five|six|several|some|many|multiple|\d+|an?)\s+(?:of\s+the\s+)?)?"
    r"(?:(?:the|its|their|his|her|[A-Z][\w-]*['’]s|the country['’]s|the [a-z]+['’]s)\s+)?"
    r"(?:(?:senior|former|current|other|local|federal|state|regional|[a-z]+ian|western|government|company|"
    r"industry|administration|interior|foreign|defen[cs]e|health|finance|justice|emergency|city|agency|"
    r"ministry|police|military|army|white house|kremlin|safety|labou?r|trade|transport|aviation|environment(?:al)?|"
    r"education|energy|security|national|financial|competition|data|fire|chief|party|opposition|union|town|"
    r"hospital|school|record|engine|car|drug|court|"
    r"dutch|french|british|irish|"
    r"scottish|welsh|spanish|polish|turkish|chinese|japanese|danish|swedish)\s+)*"
    r"(?P<head>people|person|sources?|officials?|diplomats?|insiders?|executives?|employees?|aides?|analysts?|"
    r"ministry|government|police|authorities|agency|military|army|prosecutors?|company|office|department|"
    r"spokes(?:person|man|woman)|representatives?|commission|council|committee|court|board|campaign|observers?|"
    r"lawyers?|attorneys?|unions?|leaders?|leadership|authority|inspectorate|regulators?|watchdog|university|"
    r"museum|hospital|airline|club|firm|group|organi[sz]ers|director|manager|management|operator|charity|"
    r"school|service|investigators|inspectors|researchers|scientists|experts|witnesses|residents|doctors|"
    r"officers|chair(?:man|woman)?|federation|association|institute|(?:town|city) hall|coast ?guard|guard|party|"
    r"navy|embassy|consulate|brigade|prosecution|administration|cabinet|presidency|palace|trust|"
    r"district|label|studio|network|broadcaster|newspaper|paper|magazine|carrier|manufacturer|maker|insurer|"
    r"lender|retailer|developer|producer|team|family|relatives|suit|lawsuit|complaint|filing|indictment|report|"
    r"statement|study|survey|letter|memo|nurses|staff|workers|teachers|pilots|passengers|patients|parents|"
    r"students|fans|members|employers)"
    r"(?!['’]s)"
    r"(?:\s+(?:familiar with|close to|briefed on|with (?:direct )?knowledge of|involved in|who|in|at|from|for)\b"
    r"[^,;:]*)?",
    re.IGNORECASE,
)
#: Someone speaking for a named person: the speaker is "a spokesperson for Grace Mensah", under her key.
SPEAKING_FOR_RE = re.compile(r"\b(?:an?|the) (?:spokesperson|spokesman|spokeswoman|representative|aide|adviser|"
                             r"advisor) (?:for|to|of) ", re.IGNORECASE)


def described_source(text: str, start: int, verb_start: int) -> str | None:
    """"two people familiar with the matter told …", "one of the people said", "the interior ministry said":
    sources described, not named, as written (a sentence-opening "The" in lower case)."""
    clause = re.split(r"[,;:]", text[start:verb_start])[-1].strip().lstrip("”\"’' ")  # "…,” a spokesman said"
    clause = re.sub(r"\s+(?:has|have|had)$", "", clause)  # "The university has said …"
    m = DESCRIBED_RE.fullmatch(clause)
    if m is None:  # "The interior ministry rejected the claim and said …": the subject of both verbs
        m = DESCRIBED_RE.match(clause)
        if m is None or not clause.endswith(" and") or m.group(0).lower().endswith((" and", " who")):
            return None
        if re.search(r"[A-Z]", clause[m.end() :]):
            return None  # another name takes the second verb
    if re.search(r"\bfor\s+(?:\w+\s+)*?[A-Z]", m.group(0)[m.end("head") - m.start() :]):
        return None  # "a spokesperson for Prime Minister Grace Mensah": speaks under her name
    if m.group("head")[:1].isupper() and m.start("head") > 0:
        return None  # "the Federal Aviation Authority", "the Dutch Safety Board": named, not described
    found = m.group(0)
    return found if re.match(r"\S+['’]s\b", found) else found[:1].lower() + found[1:]  # "Analysts at …" opening a sentence
