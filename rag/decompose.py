"""Split questions about two (or more) reports or events into sub-queries, by rule.

"Did Engadget report X before The Verge reported Y?" needs evidence for X *and* for Y; one embedding
of the whole question lands between the two and often finds only one side. Each sub-query is
retrieved separately and the results are merged so that both sides reach the top-k.

Also finds the sources and publication days a question names ("reported by TechCrunch",
"the report from 'Wired' on 2023-11-25"): the retriever uses them as soft boosts, not filters.
Rules only (no model): predictable, instant, and easy to test.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from index.calendar import day_number
from index.cjk import has_han
from index.date_text import find_dates, rewrite_dates
from rag.english_words import is_english_word

# The auxiliaries a yes/no question opens with (also read by rag.denials and rag.measures).
AUXILIARY = r"(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would)"
_WH = r"(?:which|who|whom|whose|what|when|where|how)"
_COMPARATIVES = frozenset(
    "first earlier earliest later latest last older oldest younger youngest higher highest lower "
    "lowest more most less least larger largest bigger biggest smaller smallest longer shorter "
    "greater fewer".split()
)
_ASPECT_VERBS = r"(?:say|says|said|report|reports|reported|suggest|suggests|indicate|indicates|agree|agrees|" \
    r"mention|mentions|state|states|claim|claims|describe|describes|portray|portrays|attribute|attributes)"  # fmt: skip
_MIN_WORDS = 3
# Where a capital says nothing: the text's start, or after a sentence's end ("Age is ...", "... . Age").
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?]\s+)\W*$")


@dataclass(frozen=True)
class SubQuery:
    """One retrievable part of a question and the publication days it names (YYYYMMDD ints)."""

    text: str
    days: tuple[int, ...] = ()


# 吗 closes a yes/no question; 么 does too, except in 什么/怎么/多么/这么/那么 ("what", "how", ...).
# A verb, 不 and the verb again asks whether (是不是, 会不会, 愿不愿意); so does 有没有.
_YES_NO_ZH = re.compile(r"(?:吗|(?<![什怎多这那要])么|与否)\s*[?？]?\s*$|是否|有没有|([\u4e00-\u9fff])不\1")
# A-not-A ending in 没/没有 ("赢了没", "拿过冠军没有"), unless a question word asks something else ("他为什么没有")
_ENDS_NOT_YET_ZH = re.compile(r"没有?\s*[?？]?\s*$")
_WH_ZH = re.compile(r"什么|为什么|为何|怎么|怎样|哪|谁|多少|几|何时|何地")
_ASKS = rf"(?:{_WH}|why|whats)"
_LEADS = r"considering|based on|between|after|before|following|according to|given|since|if|during|under|in|on"
_PREPOSITION = r"(?:in|on|at|for|from|by|of|to|with|since|during|after|before|under|about)"
_HOW_ZH = re.compile(r"(?<![很许好众])多[大高长远久重宽深快]|啥")  # "有多高" (not "很多大城市"), "叫啥"


# A tag that asks for confirmation ("..., right?", "..., didn't he?", "…对吧", "…是吧"): not part of the claim.
_TAG = re.compile(
    r"(?i)\s*[,，]\s*(?:right|correct|true|yes|no|yeah|yep|ok|okay|eh|huh)\s*$"
    r"|\s*[,，]?\s*\w+n['’]?t\s+(?:he|she|it|they|there|you|we|i)\s*$"
    r"|\s*[,，]?\s*(?:对吧|是吧|没错吧|对不对|是不是|对吗|是吗|对么|吧)\s*$"
)


def without_tag(question: str) -> str:
    """The claim a question asks to confirm, less its question mark and confirming tag."""
    return _TAG.sub("", question.strip().rstrip("?？ "))


def is_yes_no_question(question: str) -> bool:
    """A question whose answer is yes or no: it opens with an auxiliary verb ("Did ...?", "Is ...?",
    also after a leading clause: "After X reported Y, did Z ...?"), or in Chinese asks 吗/是否."""
    q = " ".join(question.split())
    if re.search(r"(?i)\b(?:before\s+or\s+after|after\s+or\s+before)\b", q):
        return False  # "Was X reported before or after Y?" asks which, not whether
    if _YES_NO_ZH.search(q) or (_ENDS_NOT_YET_ZH.search(q) and not _WH_ZH.search(q)):
        return True
    if re.match(rf"(?i)^{AUXILIARY}\b", q) or re.match(r"(?i)^(?:should|shall|may|might|must)\b", q):
        return True
    # "Between A and B, was there ...?", "After A reported X, did B ...?"
    return bool(re.match(rf"(?i)^(?:between|after|before|following|according to)\b[^?]*,\s+{AUXILIARY}\b", q))


# A typed noun phrase asking for the members of a counted group: "the 2 democrats who voted no on both
# articles?" has no verb of its own, so it claims nothing a yes or no could answer ("the riaa is the
# one who sent ..." does: its copula makes it a claim).
_COUNTED_WHO = re.compile(
    r"(?i)^(?:the\s+)?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|both)\s+(?:[\w'-]+\s+){1,3}?"
    r"(?:who|that|which|whose)\s"
)
_COPULA = re.compile(r"(?i)\b(?:is|are|was|were|am)\b")


def asks_what(question: str) -> bool:
    """A question that asks for something other than yes or no: a question word ("who", "how many",
    "哪", "多少") and none of the yes/no forms above. A question with neither ("boris got more than
    100k votes?") is a claim to confirm, which only the reply can tell."""
    q = " ".join(question.split())
    if is_yes_no_question(q):
        return False
    # English asks with its question word first, after "so"/"and" or a preposition ("in which
    # city"); inside a question ("Considering ..., which company is ...?", "... from which town?") a
    # question word comes before an auxiliary or near the end. A claim's "when he died" is none of these.
    if re.match(rf"(?i)^(?:(?:so|and|but|ok|okay|then|also)\b,?\s*)?(?:{_PREPOSITION}\s+)?{_ASKS}\b", q):
        return True
    if re.match(rf"(?i)^(?:{_LEADS})\b[^?]*?,\s+{_ASKS}\b", q):  # "Considering X and Y, which company ..."
        return True
    if re.search(r"(?i)\bhow\s+(?:many|much|long|old|far|big|often)\b", q):
        return True
    if _COUNTED_WHO.match(q) and not _COPULA.search(q):  # "the 2 democrats who voted no ...?": which ones
        return True
    if q.endswith(("?", "？")) and (
        re.search(rf"(?i)\b{_ASKS}\b(?:\s+[\w'-]+){{0,3}}?\s+{AUXILIARY}\b", q)
        or re.search(rf"(?i)\b{_ASKS}\b(?:\s+[\w'-]+){{0,2}}\s*[?？]$", q)
    ):
        return True
    return bool(_WH_ZH.search(q.replace("几乎", "")) or _HOW_ZH.search(q))


def decompose(question: str) -> list[str]:
    """The sub-queries to retrieve for `question`; `[question]` when it has only one part."""
    parts = decompose_detailed(question)
    return [p.text for p in parts] if len(parts) > 1 else [question.strip()]


def decompose_detailed(question: str) -> list[SubQuery]:
    """Sub-queries with the days they name; `[]` when the question is not about several things."""
    q = normalize_dates(" ".join(question.split())).rstrip(" ?？。.")
    rules = (
        _between,
        _both,
        _one_and_other,
        _contrast,
        _choice,
        _how_long_between,
        _before_after,
        _between_tail,
    )
    for rule in rules:
        parts = rule(q)
        if parts:
            parts = [p.strip(" ,;:") for p in parts]
            if len(parts) >= 2 and all(len(p.split()) >= _MIN_WORDS or has_han(p) for p in parts):
                return [SubQuery(p, tuple(days_in(p))) for p in parts]
    return []


def normalize_dates(text: str) -> str:
    """Rewrite written full dates ("November 6, 2023", "2023年11月6日") as ISO, so commas inside them
    do not split clauses and `days_in` finds them."""
    return rewrite_dates(text, lambda iso: iso if len(iso) == len("YYYY-MM-DD") else None)


def days_in(text: str) -> list[int]:
    """Full dates named in `text` as YYYYMMDD ints (written or ISO forms)."""
    days = (_day(iso) for _, _, iso in find_dates(text) if len(iso) == len("YYYY-MM-DD"))
    return [day_number(d) for d in days if d is not None]


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso)
    except ValueError:  # a day the month does not have ("2023-02-30")
        return None


def mentioned_sources(text: str, known_sources: Iterable[str]) -> list[str]:
    """The stored source names that `text` names, matched case-insensitively on word boundaries.

    A source stored as "The Independent - Life and Style" or "The Roar | Sports Writers Blog" is also
    found by its short name ("The Independent", "The Roar"); a leading "The" is optional. A short name
    that is one ordinary English word ("Age", "Verge", "Independent", "Fortune") names the source only
    when written with a capital in mid-sentence, or in lower case where only an outlet fits ("per the
    verge", "fortune says", "polygon's review"): "Greta Thunberg's age" or "an independent inquiry"
    is not about The Age or The Independent, while "techcrunch" typed in lower case still is TechCrunch.
    A name of three or more words is also found by its initials ("nyt"), and a name joined to its
    domain by its parts ("cbs sports" for "CBSSports.com").
    """
    found = []
    for source in known_sources:
        for name in _source_names(source):
            if len(name) >= 3 and any(
                _written_as_source(m, text, name, source)
                for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
            ):
                found.append(source)
                break
    return found


def _written_as_source(match: re.Match[str], text: str, name: str, source: str) -> bool:
    """Whether this occurrence of a source's `name` in `text` names the source (see `mentioned_sources`)."""
    words = re.sub(r"^the\s+", "", name).split()
    if len(words) != 1 or not is_english_word(words[0]):
        return True  # "techcrunch", "sydney morning herald": no ordinary word reads the same
    last = match.group(0).split()[-1]
    if last[:1].isupper() and not _OPENS_SENTENCE.search(text[: match.end() - len(last)]):
        return True
    before, after = text[: match.start()], text[match.end() :]
    if re.match(r"(?i)the\s", source) and not (
        name.startswith("the ") or re.search(r"(?i)\bthe\s+$", before)
    ):
        return False  # "her guardian said" is not The Guardian
    before = re.sub(r"(?i)\bthe\s+$", "", before)
    if _OUTLET_BEFORE.search(before) and not re.match(r"(?i)\s+of\b", after):
        return True  # "according to the age", not "according to the age of the victim"
    return bool(_OUTLET_AFTER.match(after))


# Where only an outlet fits an ordinary word written in lower case: "per the verge", "according to
# fortune", "(polygon)" before it; "says", "reported", "'s review" after it.
_OUTLET_BEFORE = re.compile(
    r"(?i)(?:\b(?:according\s+to|per|reported\s+by|covered\s+by|written\s+by|published\s+by|over\s+at|via)"
    r"|\()\s*['\"‘“]?$"
)
_OUTLET_AFTER = re.compile(
    r"(?i)['\"’”]?(?:\s*\)"
    r"|['’]s(?:\s+[\w$-]+){0,5}?\s+(?:article|story|piece|report|review|coverage|interview|column|feature"
    r"|roundup|write-?up|guide|list|deals?|op-?ed|profile|recap|preview|analysis)s?\b"
    r"|\s+(?:(?:also|both)\s+)?(?:says?|said|reports|reported|reckons?|writes?|wrote|notes|mentions?"
    r"|mentioned|covers?|covered|describes?|described|claims?|claimed|quotes?|quoted|calls?|called"
    r"|puts|gives|gave|ran|runs)\b)"
)


def strip_sources(text: str, sources: Iterable[str]) -> str:
    """`text` without the names of `sources` (and their quotes), for embedding and BM25."""
    for source in sources:
        for name in sorted(_source_names(source), key=len, reverse=True):
            text = re.sub(
                rf"(?i)(?:\bthe\s+)?['\"‘“]?(?<!\w){re.escape(name)}(?!\w)['\"’”]?(?:'s\b)?", " ", text
            )
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _source_names(source: str) -> frozenset[str]:
    """A source's names in lower case: whole, short ("The Roar" of "The Roar | Sports Writers Blog"),
    without "the", without a domain and split at its capitals ("cbs sports" of "CBSSports.com"), and
    the short name's initials when it has three words or more and they spell no word ("nyt")."""
    short = re.split(r"\s*[|:]\s+|\s+[-–—]\s+", source.strip())[0].strip()
    names = {source.strip(), short}
    bare = re.sub(r"(?i)\.(?:com|co\.uk|net|org)$", "", short)
    names |= {bare, re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", bare)}
    words = re.sub(r"(?i)^the\s+", "", short).split()
    initials = "".join(w[0] for w in words if w[:1].isalpha())
    if len(words) >= 3 and len(initials) == len(words) and not is_english_word(initials):
        names.add(initials)
    names = {" ".join(n.casefold().split()) for n in names}
    names |= {re.sub(r"^the\s+", "", n) for n in names}
    return frozenset(n for n in names if n)


# -- rules: each returns the parts of `q`, or None when it does not apply ----------------------


def _between(q: str) -> list[str] | None:
    """ "Between A and B, is there consistency in X?" -> ["A X", "B X"]."""
    m = re.match(rf"(?i)^between\s+(.+?),?\s+and\s+(.+?),\s+({AUXILIARY}|{_WH})\b(.+)$", q)
    if not m:
        return None
    rest = _topic(m.group(3) + m.group(4))
    return [f"{m.group(1)} {rest}", f"{m.group(2)} {rest}"]


# What makes "between A and B" two reports or two times rather than two parties to one claim.
_REPORT_OR_TIME = re.compile(
    r"(?i)\b(?:reports?|reporting|articles?|stor(?:y|ies)|coverage|published|discuss\w*|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|\d{4})\b"
)


def _between_tail(q: str) -> list[str] | None:
    """ "Was there a change in X between A and B?" -> ["A X", "B X"]."""
    m = re.match(rf"(?i)^({AUXILIARY}\b.+?)\s+between\s+(.+?),?\s+and\s+(.+)$", q)
    if not m or not _REPORT_OR_TIME.search(f"{m.group(2)} {m.group(3)}"):
        return None  # "did russia broker the deal between the sdf and damascus" is one claim
    topic = _topic(re.sub(rf"(?i)^{AUXILIARY}\s+", "", m.group(1)))
    return [f"{m.group(2)} {topic}", f"{m.group(3)} {topic}"]


def _one_and_other(q: str) -> list[str] | None:
    """ "Do both articles suggest X, with one discussing A and the other detailing B?" -> ["A", "B"]."""
    m = re.match(r"(?i)^(.+?),\s+with\s+one\s+(.+?)\s+and\s+the\s+other\s+(.+)$", q)
    if not m:
        return None
    return [m.group(2), m.group(3)]


def _both(q: str) -> list[str] | None:
    """ "Do both A and B say X?" / "Do A and B both say X?" -> ["A say X", "B say X"]."""
    verb = rf"(?<!the)(?<!\ba)\s+({_ASPECT_VERBS})\b"  # "say", not the noun in "the report from"
    m = re.match(rf"(?i)^{AUXILIARY}\s+both\s+(.+?)\s+and\s+(.+?){verb}(.+)$", q) or re.match(
        rf"(?i)^{AUXILIARY}\s+(.+?)\s+and\s+(.+?)\s+both{verb}(.+)$", q
    )
    if not m:
        return None
    verb, rest = m.group(3), m.group(4)
    return [f"{m.group(1)} {verb}{rest}", f"{m.group(2)} {verb}{rest}"]


# "while"/"whereas" that starts a second clause with its own subject ("while the 'Sporting News'
# article suggests"), not "while also spending" or "while playing".
_NEW_SUBJECT = r"(?=(?i:the|a|an|its|his|her|their|this|that|another|other|how|what)\b|['\"‘“]|[A-Z])"
_CLAUSE = (
    rf",?\s+(?i:while|whereas)\s+{_NEW_SUBJECT}"
    r"|,\s+(?i:but)\s+(?=(?i:the|a|an|does|did|is|was)\b)"
    r"|,\s+(?i:and)\s+(?:(?i:then)\s+)?(?=(?i:does|did|do|is|was|were|has|have)\b)"
)
_CONTRAST_WH = re.compile(_CLAUSE)
# In yes/no questions comparing two reports, comparative links also separate the two sides.
_CONTRAST_YN = re.compile(
    _CLAUSE + r"|\s+(?i:in\s+a\s+similar\s+\w+\s+to(?:\s+how)?|similar\s+to(?:\s+how)?|compared\s+(?:to|with)"
    r"(?:\s+how)?|as\s+opposed\s+to|in\s+contrast\s+to|unlike(?:\s+how)?|than|(?:dis)?agrees?\s+with)\s+"
    + _NEW_SUBJECT
    + r"|\s+(?i:as)\s+(?=(?i:the)\s+(?:\S+\s+){0,5}(?i:article|report|piece|coverage)s?\b)",
)


def _contrast(q: str) -> list[str] | None:
    """ "Does A suggest X, while B indicates Y?" -> ["Does A suggest X", "B indicates Y"]."""
    parts = (_CONTRAST_YN if re.match(rf"(?i)^{AUXILIARY}\b", q) else _CONTRAST_WH).split(q)
    if len(parts) < 2:
        return None
    # a trailing alternative ("..., or do both articles suggest ...") names no new evidence
    return [
        re.split(r"(?i),\s+or\s+(?:do|does|did|is|are|was|were)\s+(?:both|these|the)\b", p)[0] for p in parts
    ]


def _choice(q: str) -> list[str] | None:
    """ "Who ended their campaign first: A or B?" -> ["A ended their campaign", "B ended ..."]."""
    m = re.match(r"^(.+?):\s*(.+)$", q)
    if m:
        choices = re.split(r"(?i),?\s+or\s+|,\s+", m.group(2))
    else:  # "Which came first, A or B?": two short options after the last comma
        m = re.match(rf"(?i)^({_WH}\b[^,]+),\s*(.+?\s+or\s+.+)$", q)
        if not m:
            return None
        choices = re.split(r"(?i)\s+or\s+", m.group(2))
        if len(choices) != 2 or any(len(c.split()) > 8 for c in choices):
            return None
    stem = m.group(1)
    choices = [c.strip() for c in choices if c.strip()]
    if len(choices) < 2 or not re.match(rf"(?i)^(?:{_WH}|{AUXILIARY})\b", stem):
        return None
    core = " ".join(
        w
        for w in re.sub(rf"(?i)^(?:{_WH}|{AUXILIARY})\s+", "", stem).split()
        if w.lower() not in _COMPARATIVES
    )
    return [f"{c} {core}" for c in choices]


def _how_long_between(q: str) -> list[str] | None:
    """ "How many days after A did B?" -> ["A", "B"]."""
    m = re.match(
        r"(?i)^how\s+(?:many|much|long)(?:\s+\w+)?\s+(?:after|before|since)\s+(.+?)\s+(?:did|does|do|had|has|have)\s+(.+)$",
        q,
    )
    if not m:
        return None
    return [m.group(1), m.group(2)]


def _before_after(q: str) -> list[str] | None:
    """ "Did A report X after B discussed Y?" -> ["Did A report X", "B discussed Y"];
    "After A reported X (, and B reported Y), did C ...?" -> ["A reported X", ("B reported Y",) "did C ..."].

    Only for yes/no questions, and not when the word introduces a date ("after 2023-10-04"), which
    is a time window, not a second event.
    """
    lead = re.match(rf"(?i)^(?:before|after|following)\s+(.+?),\s+((?:{AUXILIARY})\b.+)$", q)
    if lead:
        heads = re.split(
            r"(?i),\s+and\s+(?:then\s+|again\s+|the\s+subsequent\s+|a\s+subsequent\s+)?", lead.group(1)
        )
        tail = lead.group(2)
        if re.match(
            rf"(?i)^{AUXILIARY}\s+(?:there|the\s+(?:reporting|news\s+source|portrayal|coverage))\b", tail
        ):
            topic = _topic(tail)
            return [f"{h} {topic}" for h in heads]
        return [*heads, tail]
    if not re.match(rf"(?i)^{AUXILIARY}\b", q):
        return None
    parts = re.split(
        r"(?i)\s+(?:before\s+or\s+after|after\s+or\s+before|after|before|prior\s+to)\s+(?!\d{4}-)", q
    )
    if len(parts) != 2:
        return None
    return parts


def _topic(rest: str) -> str:
    """The subject of a trailing question ("is there consistency in the focus on X" -> "the focus on X")."""
    rest = re.sub(rf"(?i)^(?:{AUXILIARY}|{_WH})\s+", "", rest)
    rest = re.sub(
        r"(?i)^(?:there\s+)?(?:no\s+|any\s+|a\s+)?(?:consistency|inconsistency|agreement|disagreement|discrepancy|"
        r"change|difference)\s+(?:in|between|on|regarding|about|of)\s+",
        "",
        rest,
    )
    return rest
