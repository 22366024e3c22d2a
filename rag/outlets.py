"""Outlets a question names that the index holds no article from.

"Considering an article by The Verge and another by CNET on the Watch Series 9, which feature ...?"
asks what CNET reported. With no CNET article stored, any answer would rest on other reports and the
citation would put words in CNET's mouth; the honest reply is that the corpus has no such article.
Stored outlets are found by `rag.decompose.mentioned_sources`. An outlet the index does not know is
found by how a question names it:
- as where something was published: "an article by/from/in X", "a/the X article", "X's piece",
  "... and another by X". "report", "story" and "review" count here only beside another named outlet
  ("a CNBC article and a Bloomberg report"): alone, "the Mueller report" names no outlet;
- as who said it: "according to X", "per X", "what did X report about ...", "X's review". A person
  or an agency is named so too ("according to the WHO"), so only a name that may be an outlet's is
  read, and it counts only where no article the answer would be drawn from names it (`unheld_outlets`).
A name is written with capitals, or typed in lower case with a word no English word list holds
("according to axios", "ign's review"); "per the financial times" typed in lower case is not read.
A Chinese question names an outlet as who reported something: "据路透社报道", "彭博社说",
"新华社的报道里", "《南华早报》称".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.cjk import HAN_CHAR
from rag.decompose import mentioned_sources, strip_sources
from rag.english_words import is_english_word
from rag.models import Passage
from rag.subject import GetArticles, article_texts

# The note an abstention for an outlet the index lacks carries; the CLI and UI show it to the reader.
NO_OUTLET = "The index holds no article from"

# Nouns only a publication is named with, and those that also name other documents.
_PUBLICATION = r"(?:article|piece|column|op-ed|editorial|coverage|recap|roundup|write-?up)s?"
_ALSO_PUBLICATION = rf"(?:{_PUBLICATION}|(?:report|story|review|interview|analysis|preview)s?)"
_CAPITALISED = r"[A-Z][\w.&'’-]*"
_NAME = rf"((?:The\s+)?{_CAPITALISED}(?:\s+(?:of\s+|&\s+)?{_CAPITALISED}){{0,4}})"
_TYPED = r"((?:the\s+)?[a-z][a-z0-9.&-]*(?:\s+[a-z][a-z0-9.&-]*){0,2}?)"
_OPEN = r"['‘\"“]?"
_THE = re.compile(r"(?i)^the\s+")
_CALENDAR = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# Words capitalised as a question's first word, not as a name: "Did CNET's review ..."
_LEADING = re.compile(
    r"^(?:(?:did|does|do|is|are|was|were|has|have|had|can|could|will|would|should|what|who|how|when"
    r"|where|which|why|in|on|at|per|according|considering|based|after|before|between|and|but)\s+)+",
    re.IGNORECASE,
)
# Words that end a typed name: "according to axios, how much ...", "per reuters what ..."
_AFTER_TYPED = (
    r"(?=\s*[,?.:;]|\s*$|\s+(?:how|what|who|whom|when|where|why|which|did|does|do|is|are|was|were)\b)"
)
# "what did X report about ...": a verb; "what did the Mueller report conclude": a noun
_VERB_ENDS = r"(?=\s*[,?.:;]|\s*$|\s+(?:about|on|that|regarding|of|when|after|before|in)\b)"
_FUNCTION_WORDS = frozenset("a an the of in on at to for by with and or its his her their this that".split())
# Words a stored source shares with others ("English Wikinews" is "Wikinews"; "The Times" is not
# "The New York Times")
_GENERIC = frozenset("news times post journal daily herald sports sport world today press media".split())
# Words outlets are named with ("Associated Press", "Chicago Tribune"), not people
_MEDIA_WORDS = _GENERIC | frozenset(
    "tribune telegraph guardian reporter weekly magazine radio tv television network wire gazette "
    "observer chronicle standard express mail star sun mirror monitor insider".split()
)


@dataclass(frozen=True)
class NamedOutlet:
    """An outlet a question names, and whether as where something was published (else as who said
    it: "according to X", which may name a person or an agency)."""

    name: str
    published: bool


def _published(piece: str) -> tuple[re.Pattern[str], ...]:
    """Where something was published, named with `piece` (the nouns above)."""
    return (
        re.compile(rf"\b{piece}\s+(?:by|from|in)\s+{_OPEN}{_NAME}"),  # "an article by CNET"
        re.compile(
            rf"(?i:\b(?:a|an|the)\s+){_OPEN}{_NAME}['’\"”]?(?:['’]s?)?\s+{piece}\b"
        ),  # "a Bloomberg article"
        re.compile(rf"\b(?:another|one)\s+(?:by|from|in)\s+{_OPEN}{_NAME}"),  # "... and another by Wired"
        re.compile(rf"(?<![\w'’]){_NAME}['’]s?\s+(?:[\w-]+\s+){{0,2}}?{piece}\b"),  # "CNET's opinion piece"
    )


_BY_PUBLICATION = _published(_PUBLICATION)
_BY_ANY_PIECE = _published(_ALSO_PUBLICATION)
# Who said it: "according to Reuters", "what did the Guardian report about", "The Athletic's match report"
_SAID_BY = (
    re.compile(rf"(?i:\b(?:according\s+to|per)\s+(?:the\s+)?){_OPEN}{_NAME}"),
    re.compile(rf"(?i:\bwhat\s+did\s+(?:the\s+)?){_NAME}\s+(?:report|write){_VERB_ENDS}"),
    re.compile(rf"(?<![\w'’]){_NAME}['’]s?\s+(?:[\w-]+\s+){{0,2}}?{_ALSO_PUBLICATION}\b"),
)
# one word typed in lower case after "according to", "per", "what did": "axios", "reuters"
_TYPED_WORD = r"((?:the\s+)?[a-z][a-z0-9&-]*)"
_TYPED_SAID_BY = (
    re.compile(rf"\b(?:according\s+to|per)\s+{_TYPED_WORD}{_AFTER_TYPED}"),
    re.compile(rf"\bwhat\s+did\s+{_TYPED_WORD}\s+(?:report|write){_VERB_ENDS}"),
    re.compile(rf"(?<![\w'’]){_TYPED}['’]s?\s+(?:[\w-]+\s+){{0,2}}?{_ALSO_PUBLICATION}\b"),  # "ign's review"
)


# A Chinese outlet: in book-title marks ("《南华早报》"), or a name ending as outlets' do ("路透社",
# "半岛电视台", "BBC中文网"), before a word of reporting ("据路透社报道", "彭博社说", "新华社的报道里");
# any name between "据" and "报道", or opening the question before "报道" ("财新报道…").
_ZH_SUFFIX = r"(?:通讯社|电视台|中文网|新闻网|日报|时报|早报|晚报|周刊|杂志|新闻|社|网|台)"
_ZH_NAME = rf"(?:《([^》]{{1,12}})》|((?:[A-Za-z]{{2,10}})?[\u4e00-\u9fff]{{1,10}}?{_ZH_SUFFIX}))"
_ZH_SAID_BY = (
    re.compile(rf"{_ZH_NAME}的?(?:报道|文章|社论|评论|分析|消息|称|说)"),
    re.compile(r"据((?:[A-Za-z]{2,10})?[\u4e00-\u9fff]{2,8}?)(?:的)?报道"),
    re.compile(r"^((?:[A-Za-z]{2,10})?[\u4e00-\u9fff]{2,4})报道"),
)
# Who reports in general, not an outlet: "据媒体报道", "外媒称", "该报说"
_ZH_GENERIC = re.compile(
    r"^(?:.*媒体?|外媒|官媒|本社|该报|该网|该台|此报|报社|网|台|社|新闻|消息人士|官方|当局|.*人士)$"
)


def unknown_outlets(question: str, known_sources: Sequence[str]) -> list[NamedOutlet]:
    """The outlets `question` names that the index has no article from."""
    known = mentioned_sources(question, known_sources)
    text = strip_sources(question, known) if known else question
    published = _names(text, _BY_PUBLICATION)
    if known or published:  # the question names outlets: "a Bloomberg report" is one too
        published = _names(text, _BY_ANY_PIECE)
    said = [n for n in _names(text, _SAID_BY) if _outlet_like(n)] + _typed_names(text, _TYPED_SAID_BY)
    said += _chinese_names(text)
    named = [NamedOutlet(n, True) for n in published]
    named += [NamedOutlet(n, False) for n in said if n not in published]
    return [o for o in dict.fromkeys(named) if not _stored(o.name, known_sources)]


def unheld_outlets(
    question: str, named: Sequence[NamedOutlet], context: Sequence[Passage], get_articles: GetArticles
) -> list[str]:
    """Of the outlets `named` (`unknown_outlets`), those that no article of the `context` (the passages
    the answer would be drawn from) names: a stored article may report what Bloomberg said. A name
    given only as who said something (maybe a person's) counts only when the context is all in the
    question's script: "according to rubio" is not looked for in "卢比奥". The articles are read only
    when an outlet is named."""
    if not named:
        return []
    said = " ".join(article_texts(context, get_articles).values())
    one_script = all(bool(HAN_CHAR.search(p.text)) == bool(HAN_CHAR.search(question)) for p in context)
    return [o.name for o in named if (o.published or one_script) and not named_in(o.name, said)]


def _outlet_like(name: str) -> bool:
    """A name given as who said something that may be an outlet's: one word ("Reuters", "CNN"), or
    several with "The" or a word outlets are named with ("The Athletic", "Associated Press"); a
    person's first name and surname ("Megan Grey") are not read as one."""
    words = name.split()
    return len(words) == 1 or words[0] == "The" or bool({w.casefold() for w in words} & _MEDIA_WORDS)


def named_in(name: str, text: str) -> bool:
    """Whether `text` names the outlet: with its capitals when the question wrote them ("Variety" the
    magazine, not "a variety of"), in any case when typed in lower case ("axios")."""
    if HAN_CHAR.search(name):
        return name in text  # Chinese writes no spaces between words
    bare = re.escape(_THE.sub("", name))
    flags = 0 if name != name.casefold() else re.IGNORECASE
    return re.search(rf"(?<!\w){bare}(?!\w)", text, flags) is not None


def _stored(name: str, known_sources: Sequence[str]) -> bool:
    """Whether `name` is a stored source: found as retrieval finds them, or a word of one that is its
    own ("BBC" of "BBC News - Entertainment & Arts", "Wikinews" of "English Wikinews")."""
    if mentioned_sources(name, known_sources):
        return True
    bare = _THE.sub("", name).casefold()
    if HAN_CHAR.search(bare):  # "美国之音" of "VOA Chinese (美国之音中文网)", "VOA中文网"
        latin = re.match(r"[a-z]+", bare)
        return any(bare in s or (latin is not None and latin.group(0) in s.casefold()) for s in known_sources)
    if bare in _GENERIC:
        return False
    pattern = re.compile(rf"(?i)(?<!\w){re.escape(bare)}(?!\w)")
    return any(pattern.search(source) for source in known_sources)


def _names(text: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    found = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            name = _LEADING.sub("", re.sub(r"['’]s?$", "", m.group(1).strip()))
            if name and name != "The" and not _CALENDAR.match(name):
                found.append(name)
    return list(dict.fromkeys(found))


def _typed_names(text: str, patterns: Sequence[re.Pattern[str]]) -> list[str]:
    """Names typed in lower case: a run with a word no English word list holds ("axios", "usa today")."""
    found = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            words = _LEADING.sub("", _THE.sub("", m.group(1).strip())).split()
            while words and not _coined(words[0]):
                words = words[1:]  # "in usa today's recap", "how long is hegseth's review"
            if words and not set(words) & _FUNCTION_WORDS and any(_coined(w) for w in words):
                found.append(" ".join(words))
    return list(dict.fromkeys(found))


def _chinese_names(text: str) -> list[str]:
    """Chinese outlets named as who reported something (above)."""
    found = []
    for pattern in _ZH_SAID_BY:
        for m in pattern.finditer(text):
            # "据路透社报道", "看联合早报说": the words before the name are not part of it
            name = re.sub(r"^(?:根据|按照|依照|据|看|听)|的$", "", next(g for g in m.groups() if g))
            if len(name) >= 2 and not _ZH_GENERIC.match(name):
                found.append(name)
    return list(dict.fromkeys(found))


def _coined(word: str) -> bool:
    """A word in no English word list, in its plural neither ("officials" is a word)."""
    return not any(is_english_word(w) for w in (word, word.removesuffix("s"), word.removesuffix("es")))
