"""What a question pins down, and whether a piece of evidence is about it.

"How much did tickets for Toronto Comicon 2019 cost?" is answered by a price *of Toronto Comicon
2019 tickets*; a sentence quoting some other price does not answer it, however well the price
matches the generated answer. So beyond "the evidence contains the answer", support needs the
question's constraints to be stated in the evidence: the names it mentions (people, places,
organisations, events, quoted terms), the numbers and years it gives. They may be stated in the
supporting sentence, the sentences just before it (news refers back: "The company said ..."), the
article's title, or its publication date; a named source ("according to TechCrunch") is checked
against the article's source.

Extraction is by rule (capitalised runs and quoted terms in English, jieba's part-of-speech tags in
Chinese), so it is predictable and instant. It only compares text in one script: across languages
(a Chinese question over an English article) names are not checked here, the answer judge is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from index.calendar import MONTH_NAMES
from index.cjk import HAN_CHAR, HANGUL, UNSPACED
from rag.bm25 import tokenize  # the retriever's stemming, so "killed" matches "kill"
from rag.decompose import mentioned_sources, strip_sources, without_tag
from rag.english_words import is_english_word
from rag.meaning import MIN_WORD_SIMILARITY, Embed, closest
from rag.quantities import quantities, value_text
from rag.support import without_accents

# Months and weekdays: capitalised in English, but dates, not names.
DATE_WORDS = frozenset([*MONTH_NAMES, *"monday tuesday wednesday thursday friday saturday sunday".split()])
# Capitalised words that start questions or are generic, not names.
NOT_NAMES = (
    frozenset(
        "what which who whom whose when where why how is are was were do does did has have had can could "
        "will would should in on at of for to from by with the a an and or but if as after before during "
        "between according i yes no this that these those there according news article report reports "
        "reported story".split()
    )
    | DATE_WORDS
)
# Capitalised words that are part of names but say little on their own ("President Trump", "Thai
# Raksa Chart Party"): a name is matched on its other words.
_GENERIC = frozenset(
    (
        "president prime minister princess prince king queen mr mrs ms dr sir lady lord governor senator "
        "secretary general chief ceo chairman party university institute company corporation inc ltd co "
        "group city state states national united republic people's international association council "
        "department ministry agency office club team league cup championship festival day north south "
        "east west new saint st mount lake river island"
    ).split()
)
_CONNECTORS = frozenset({"of", "for", "de", "la", "le", "du", "von", "van", "and", "the", "&"})
# A Latin word ends where Chinese, Japanese or Korean text begins: "SpaceX在创纪录的首次公开募股中..."
# holds the name "SpaceX", not one 30-character word that no article states.
_LATIN_CHAR = f"[^\\W{UNSPACED}{HANGUL}]"
_WORD = re.compile(rf"[A-Za-z](?:{_LATIN_CHAR}|['’.-])*{_LATIN_CHAR}|[A-Za-z]|\d[\d,.]*\d|\d")
_CONTRACTION = re.compile(r"(?i)\b(what|who|where|when|how|that|it|there)['’]s\b")
# A quotation mark is not an apostrophe: no Latin letter or digit just outside it ("Tesco's Polish
# stores ... Denmark's" quotes nothing, and "D'Souza" is one name).
_QUOTED = re.compile(r"(?<![A-Za-z0-9])['\"‘“「『]([^'\"’”」』]{3,60})['\"’”」』](?![A-Za-z0-9])")
# jieba's tags for names of people, places, organisations and other proper nouns, and foreign words.
_ZH_NAME_TAGS = ("nr", "ns", "nt", "nz", "eng")


@dataclass(frozen=True)
class Constraints:
    """What the question names: entities (each a tuple of words), numbers, and named sources."""

    entities: tuple[tuple[str, ...], ...] = ()
    numbers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return not (self.entities or self.numbers or self.sources)


# How many evidence sentences before a quoted one may state the question's names ("He said ..."
# after the sentence naming him): the answer check reads them, and a yes/no quote is chosen by them.
EVIDENCE_WINDOW = 2


@dataclass(frozen=True)
class Scope:
    """The evidence a claim may draw its constraints from."""

    text: str  # the supporting sentence and the sentences just before it
    title: str = ""
    source: str = ""
    published_at: str | None = None
    dates: Sequence[str] = field(default_factory=tuple)  # ISO dates resolved inside `text`


def _fold(text: str) -> str:
    """Width, case and accents folded: a user types "Kilauea" and "Vucic" for "Kīlauea" and "Vučić"."""
    folded = without_accents(unicodedata.normalize("NFKC", text).casefold())
    return unicodedata.normalize("NFC", folded).replace("’", "'")


def _norm_word(word: str) -> str:
    word = _fold(word).strip(".'-")
    word = re.sub(r"'s$", "", word)
    return word.replace(",", "")


def question_constraints(question: str, known_sources: Iterable[str] = ()) -> Constraints:
    """The names, numbers and sources `question` pins down."""
    sources = tuple(mentioned_sources(question, known_sources))
    text = strip_sources(question, sources) if sources else question
    text = _CONTRACTION.sub(r"\1 is", text)  # "what's the name" is not a name ending in 's
    chinese = bool(HAN_CHAR.search(text))
    entities = _chinese_names(text) if chinese else []
    entities += _quoted(text)
    runs = _capitalised_runs(_QUOTED.sub(" ", text))
    if chinese:  # a lone letter in Chinese text abbreviates a word ("C罗", "A股"): no name
        runs = [r for r in runs if not (len(r) == 1 and len(r[0]) == 1)]
    entities += runs
    numbers = tuple(
        dict.fromkeys(n for n in (_norm_word(m) for m in re.findall(r"\d[\d,.]*\d|\d", text)) if n)
    )
    unique = tuple(dict.fromkeys(e for e in entities if e))
    return Constraints(unique, numbers, sources)


def _quoted(text: str) -> list[tuple[str, ...]]:
    out = []
    for m in _QUOTED.finditer(text):
        words = tuple(_norm_word(w) for w in _WORD.findall(m.group(1)))
        words = tuple(w for w in words if w and w not in _CONNECTORS and w not in NOT_NAMES)
        if words:
            out.append(words)
    return out


def capitalised_names(text: str) -> list[tuple[str, ...]]:
    """The names of a Latin-script text in the order it writes them (see `_capitalised_runs`)."""
    return [] if HAN_CHAR.search(text) else _capitalised_runs(text)


def names_someone_else(claim: str, evidence: str) -> bool:
    """True when a full name the claim gives ("Sam Altman") meets in the evidence only its first word,
    and there as the start of another name ("Sam Bankman-Fried"): the sentence is about someone else,
    however many words match. A surname alone ("Altman"), a spelling of it ("Alghasi Mehr" for
    "Alghasimehr", as `_word_stated` compares words) or a first name alone ("Sam is one of the most
    generous people I know") still supports the name."""
    evidence_names = capitalised_names(evidence)
    evidence_words = {_norm_word(w) for w in _WORD.findall(evidence)}
    for name in capitalised_names(claim):
        if len(name) < 2 or any(_word_stated(w, evidence_words) for w in name[1:]):
            continue
        for other in evidence_names:
            if any(w == name[0] and nxt not in name for w, nxt in pairwise(other)):
                return True
    return False


def names_a_sibling(question: str, evidence: str) -> bool:
    """True when a name of two or more words the question gives ("EuroAfrica Interconnector") meets in
    the evidence none of its words but its last, and that as the last word of another name ("EuroAsia
    Interconnector"): the evidence speaks of that other one of the kind. Only the last word: a first
    word is often a modifier typed beside a name ("saudi khashoggi trial" is not about Saudi Arabia).
    The other name must differ by a coined word, one no English word list holds, so that a title or a
    sentence's first word ("Sergeant Ratana", "Now Ratana") is not read as another name; names that are
    also words ("Hurricane Dorian") are missed. Words are compared whole here, not by their first
    letters as `_word_stated` does: "EuroAfrica" and "EuroAsia" share five."""
    evidence_words = {_norm_word(w) for w in _WORD.findall(evidence)}
    evidence_names = [n for n in capitalised_names(evidence) if len(n) >= 2]
    for name in capitalised_names(question):
        head, rest = name[-1], name[:-1]
        if not rest or len(head) < 3 or head.isdigit() or any(w in evidence_words for w in rest):
            continue
        if any(
            other[-1] == head
            and not set(other) & set(rest)
            and not any(is_english_word(w) for w in other[:-1])
            for other in evidence_names
        ):
            return True
    return False


def names_another_places(question: str, quote: str) -> bool:
    """True when a Chinese question asks about a place's office or thing ("中国国防部长", "日本经济")
    and the quoted sentence names that office or thing only for another place ("菲律宾国防部长 … 在香格里拉
    对话时已透露" for "中国国防部长今年去香格里拉对话会了吗"), never naming the asked place: the sentence
    speaks of another one of the kind. Read by jieba's tags: a place word (ns) just before a noun."""
    if not (HAN_CHAR.search(question) and HAN_CHAR.search(quote)):
        return False
    asked = _place_nouns(question)
    if not asked:
        return False
    said = _place_nouns(quote)
    return any(
        place not in quote and any(noun == n and other != place for other, n in said) for place, noun in asked
    )


def _place_nouns(text: str) -> list[tuple[str, str]]:
    """(place, noun) pairs of a Chinese text: a place word (ns) followed by a noun of two or more
    characters ("中国", "国防部长"), not by a noun that only modifies the next ("美国人质权益倡导者" is
    an advocate, not a hostage)."""
    import jieba.posseg as pseg  # as above

    pieces = [(w.word, w.flag) for w in pseg.cut(text)] + [("", "x")]
    return [
        (word, noun)
        for (word, flag), (noun, noun_flag), (_, next_flag) in zip(
            pieces, pieces[1:], pieces[2:], strict=False
        )
        if flag == "ns"
        and len(word) >= 2
        and noun_flag in _NOUN_TAGS
        and len(noun) >= 2
        and next_flag not in _NOUN_TAGS
    ]


_NOUN_TAGS = ("n", "nt", "nz", "vn")


def _capitalised_runs(text: str) -> list[tuple[str, ...]]:
    """Runs of capitalised words ("Toronto Comicon 2019", "Netherlands Institute for Neuroscience")."""
    out: list[tuple[str, ...]] = []
    run: list[str] = []
    tokens = _WORD.findall(text)

    def flush() -> None:
        while run and _fold(run[-1]) in _CONNECTORS:
            run.pop()
        words = tuple(_norm_word(w) for w in run if _fold(w) not in _CONNECTORS)
        words = tuple(w for w in words if w)
        if words and not all(w in NOT_NAMES or w.isdigit() for w in words):
            out.append(tuple(w for w in words if w not in NOT_NAMES))
        run.clear()

    for i, tok in enumerate(tokens):
        capital = tok[0].isupper() and _fold(tok) not in NOT_NAMES
        if capital or (run and (tok.isdigit() or _fold(tok) in _CONNECTORS)):
            if capital and i == 0 and _fold(tok) in NOT_NAMES:
                continue
            run.append(tok)
        else:
            if i == 1 and len(run) == 1 and not run[0].isupper():
                run.clear()  # "Roughly how many ...": the first word is capitalised by grammar alone
            flush()
    flush()
    return out


def _chinese_names(text: str) -> list[tuple[str, ...]]:
    import jieba.posseg as pseg  # loads its dictionary once (~0.7 s), only for Chinese questions

    out = []
    pieces = list(pseg.cut(text))
    for piece, after in zip(pieces, [*pieces[1:], None], strict=True):
        word = piece.word.strip()
        if after is not None and len(word) > 2 and after.word.startswith(f"不{word[-1]}"):
            # "美国会不会": the A-not-A "会不会" takes the 会 that jieba read into 美国会 (Congress)
            word = word[:-1]
        if piece.flag.startswith(_ZH_NAME_TAGS) and len(word) >= 2:
            out.append((_fold(word),))
    return out


def missing(constraints: Constraints, scope: Scope) -> list[str]:
    """The constraints `scope` does not state (empty: the evidence is about what was asked)."""
    words = _scope_words(scope)
    haystack = _fold(" ".join((scope.text, scope.title)))
    out: list[str] = []
    for entity in constraints.entities:
        if not _entity_stated(entity, words, haystack, scope):
            out.append(" ".join(entity))
    values = None
    for number in constraints.numbers:
        if number in words or number in haystack.replace(",", ""):
            continue
        if values is None:  # "350 thousand" and "1.4 million" state 350000 and 1400000
            values = {value_text(q.value) for q in quantities(f"{scope.text}\n{scope.title}")}
        if _value(number) not in values:
            out.append(number)
    for source in constraints.sources:
        if _fold(source) != _fold(scope.source):
            out.append(f"source {source}")
    return out


def _value(number: str) -> str:
    try:
        return value_text(Decimal(number))
    except InvalidOperation:
        return number


def entities_stated_in(entities: Sequence[tuple[str, ...]], text: str) -> list[bool]:
    """For each name, whether `text` (a whole article, say) states it, as `missing` would judge it."""
    scope = Scope(text=text)
    words, haystack = _scope_words(scope), _fold(text)
    return [_entity_stated(entity, words, haystack, scope) for entity in entities]


def _scope_words(scope: Scope) -> set[str]:
    words = {_norm_word(w) for w in _WORD.findall(f"{scope.text} {scope.title} {scope.source}")}
    day = (scope.published_at or "")[:10]
    for iso in (day, *scope.dates):
        if not iso:
            continue
        words.add(iso[:4])
        try:
            moment = datetime.fromisoformat(iso if len(iso) == 10 else f"{iso[:7]}-01")
        except ValueError:
            continue
        words.add(moment.strftime("%B").casefold())
        if len(iso) == 10:
            words.add(str(moment.day))
    return words


def _entity_stated(entity: tuple[str, ...], words: set[str], haystack: str, scope: Scope) -> bool:
    """Half (rounded up) of a name's distinctive words appear, so "Ubolratana" states "Princess
    Ubolratana"; a word also matches a form sharing its first letters ("Thai" ~ "Thailand")."""
    if len(entity) == 1 and HAN_CHAR.search(entity[0]):
        return any(_han_name_in(entity[0], text) for text in (haystack, _fold(scope.source)))
    distinctive = distinctive_words(entity)
    found = sum(1 for w in distinctive if (w in words if w.isdigit() else _word_stated(w, words)))
    return found >= (len(distinctive) + 1) // 2


def _han_name_in(name: str, text: str) -> bool:
    """A Chinese name as written, or as the abbreviation it is of a longer name: its characters in
    order, at most one other between each two ("美财部" in "美国财政部"), as Chinese shortens names. Not
    for two characters: "台大" would be read in "台湾大选"."""
    if name in text:
        return True
    if len(name) < 3:
        return False
    pattern = "".join(f"{re.escape(c)}[^{re.escape(name)}]?" for c in name[:-1]) + re.escape(name[-1])
    return any(len(m.group(0)) <= 2 * len(name) for m in re.finditer(pattern, text))


def is_generic(word: str) -> bool:
    """A word of names that names nothing by itself (a title, "Party", "University"; case-folded)."""
    return word in _GENERIC


def distinctive_words(entity: tuple[str, ...]) -> list[str]:
    """A name's words less the generic ones ("Princess", "Party"), or all of them if that leaves none."""
    return [w for w in entity if w not in _GENERIC] or list(entity)


def _word_stated(word: str, words: set[str]) -> bool:
    """The word, or a form sharing its first five letters (four for short words: "Thai" ~ "Thailand",
    "Chinese" ~ "China")."""
    if word in words:
        return True
    if len(word) < 4:
        return False
    stem = word[: min(len(word), 5)] if len(word) > 5 else word[:4]
    return any(len(w) >= 4 and w[: len(stem)] == stem for w in words)


# A name of two to four capitalised words ("United Kingdom", "European Union", "Centers for Disease
# Control"): what a user types in lower case as its initials ("uk", "eu", "cdc").
_NAME_RUN = re.compile(
    r"(?<![A-Za-z])(?!(?:The|A|An|In|On|At|As)\s)[A-Z][a-z]+(?:\s+(?:(?:of|for|the)\s+)?[A-Z][a-z]+){1,3}"
)


def initials(text: str) -> set[str]:
    """The lower-case initials of the names `text` writes ("United States" -> "us")."""
    return {
        "".join(w[0] for w in m.group(0).split() if w[0].isupper()).casefold()
        for m in _NAME_RUN.finditer(text)
    }


def _clipped(word: str, words: set[str], embed: Embed | None) -> bool:
    """A short word users clip from a longer one the evidence writes ("vet" of "veterinarian", "prof",
    "exec"), which `_word_stated` cannot match by its first letters: the longer word must start with it
    and mean the same ("car" is no clip of "career": 0.34; "vet"/"veterinarian" 0.78)."""
    if embed is None or len(word) >= 4:
        return False
    longer = sorted(w for w in words if len(w) > len(word) + 1 and w.startswith(word))
    return bool(longer) and closest(embed, [word], longer) >= MIN_WORD_SIMILARITY


# What a short question asks about besides its names: "cause", "death", "job", "roof", "catch fire".
# A long multi-report question spreads such words over several articles, so only short ones count.
MAX_RELATION_WORDS = 6
# A word starts after a non-word character: "pm" of "8pm", "th" of "4th", "ers" of "49ers" are no words.
_LOWER_WORD = re.compile(r"(?<!\w)[^\W\d_][\w'’-]*")
# Function words that the retriever's English stop list lacks; they state no relation, and an
# answer's passage rarely repeats them ("Who else ... besides Greta Thunberg?" asks about neither).
# A month or weekday typed in lower case is a date, which the date constraint checks, as it is when
# typed with its capital. Light verbs carry their meaning in what follows them ("take over", "make
# a deal"), which the evidence may say in other words ("was absorbed into"): they state no relation
# of their own (since stop 31; no outcome of the tuning half's replay changes at 0.5). Nor do modal
# verbs, or the verbs that report speech ("how long did the pm say he would isolate for": the evidence
# reports what was said, "intended to isolate for ten days"; "who talked to npr": "... told NPR"), nor
# "guy", a user's word for the person asked for, as "who" is.
_NOT_RELATION = DATE_WORDS | frozenset(
    # months as typed ("turkey's oct 2019 offensive") date the question like "october" does
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "else besides also another whose except apart instead either neither ever many much "
    "take takes took taken make makes made get gets got give gives gave given put puts "
    "would could should shall might must say says said tell tells told "
    "talk talks talked talking speak speaks spoke spoken guy guys".split()
)


# The wh-phrase names the kind of value asked ("how many people", "in what month and year", "what
# ring name", "what was the name of", "how old"): the evidence may state the value alone ("eleven",
# "October 2018", "Brodie Lee", "67"), so such a word counts when stated and is excused when not.
# The phrase runs from the question word to the first auxiliary, preposition, name or past-tense
# verb ("how many people died": "people"), three words at most.
_ASKS_FOR = re.compile(r"(?i)\b(?:how\s+(?:many|much)|what|which)\s+(?:(?:is|was|are|were)\s+the\s+)?")
_HOW_ADJECTIVE = re.compile(r"(?i)\bhow\s+(old|long|far|big|large|tall|often|soon|high|deep|heavy)\b")
_PHRASE_ENDS = frozenset(
    "is are was were be been do does did has have had will would can could should may might must "
    "of in on at for to from by with about after before when during since until as than that who "
    "according per including excluding besides except among between within without under over into "
    # past tenses without "-ed" ("which came first"): a verb ends the phrase
    "came went won lost made took gave got said told found left held led met ran saw sold paid built "
    "began became fell hit kept knew put shot stood struck thought wrote".split()
)
_AUXILIARIES = frozenset(
    "is are was were be been do does did has have had will would can could got get".split()
)
_WH_WORD = re.compile(r"(?i)\b(?:who|whom|whose|what|which|when|where|why|how)\b")
MAX_WH_PHRASE_WORDS = 3
# A clause set off by a comma at the question's end ("..., killing all 189 people on board?", "...,
# which opened in 2019?") only describes further what the question is about: the evidence may say it
# in other words ("All 189 on the aircraft died"), so its words too count when stated, excused when not.
_TRAILING_CLAUSE = re.compile(r",\s+((?:[a-z]+ing|which|who)\b[^,;]*?)\W*$")


def value_kind_words(question: str) -> set[str]:
    """The stemmed words of the question's wh-phrase that name the kind of value asked (see above)."""
    return set(tokenize(" ".join(value_kind_phrase(question)), query=True))


def value_kind_phrase(question: str) -> list[str]:
    """The words of the question's wh-phrase that name the kind of value asked, as typed: "samoans" of
    "how many samoans got vaccinated", "old" of "how old was he"."""
    kinds = [m.group(1) for m in _HOW_ADJECTIVE.finditer(question)]
    first = _WH_WORD.search(question)  # the question's own: a later "which" may start a relative clause
    if first and (m := _ASKS_FOR.match(question, first.start())):
        for word in _LOWER_WORD.findall(question[m.end() :])[:MAX_WH_PHRASE_WORDS]:
            if word.casefold() in _PHRASE_ENDS or not word[0].islower() or word.endswith("ed"):
                break
            kinds.append(word)
    return kinds


def verb_after_phrase(question: str, phrase: Sequence[str]) -> str | None:
    """The first content word after the wh-phrase `phrase` ends, past auxiliaries: "cancelled" of "how
    many flights were cancelled", "ran" of "how many candidates ran in ..."."""
    if not phrase:
        return None
    at = re.search(rf"(?i)\b{re.escape(phrase[-1])}\b", question)
    for word in _LOWER_WORD.findall(question[at.end() :] if at else ""):
        if word.casefold() in _AUXILIARIES or not tokenize(word, query=True):
            continue
        return word if word[0].islower() else None
    return None


def background_words(question: str) -> set[str]:
    """The stemmed lowercase words of the question's trailing comma clause, if any (see above)."""
    m = _TRAILING_CLAUSE.search(question)
    return lowercase_words(m.group(1)) if m else set()


# A question asking when or where an event was held, happened or took place asks only for its time
# or place: "Toronto Comicon 2019 returned to its titular city from March 15 to 17" answers "when was
# Toronto Comicon 2019 held" without the word, so the verb counts when stated and is excused when not.
_ASKS_WHEN_OR_WHERE = re.compile(r"(?i)^\W*(?:when|where|what (?:date|day|time|year|month))\b")
_OCCURRED = frozenset(tokenize("held hold holds happen happens happened occur occurs occurred place"))


def occurrence_words(question: str) -> set[str]:
    """The stemmed verbs of occurring a when/where question asks with (see above)."""
    return set(_OCCURRED) if _ASKS_WHEN_OR_WHERE.search(question) else set()


# The words users type for what news writes otherwise ("who is hana kimura's mom": the article says
# "mother"); a relation word is looked for in the evidence in the news form.
_EVERYDAY_WORDS = {
    "mom": "mother",
    "mum": "mother",
    "dad": "father",
    "kid": "child",
    "kids": "children",
    "ppl": "people",
    "hubby": "husband",
    "grandma": "grandmother",
    "grandpa": "grandfather",
    "bro": "brother",
    "sis": "sister",
    "govt": "government",
    "hq": "headquarters",
    # chat spellings of function words ("how many refugees r in turkey right now"): no relation asked
    "r": "are",
    "u": "you",
    "ur": "your",
    "right now": "now",
}
# a word of its own: not the "u" of "u.s." or the "r" of "r&b"
_EVERYDAY = re.compile(rf"(?<![\w.&'’-])(?:{'|'.join(_EVERYDAY_WORDS)})(?![\w&'’-]|\.\w)")


def news_words(question: str) -> str:
    """The question with the everyday words above written as news writes them ("ppl" -> "people")."""
    return _EVERYDAY.sub(lambda m: _EVERYDAY_WORDS[m.group(0).lower()], question)


_BACK_THEN = re.compile(r"(?i)\bback\s+(?=(?:in|then|when|during)\b)")


def relation_words(question: str, answer: str = "") -> set[str]:
    """The stemmed lowercase content words of a Latin-script question ("what did hosni mubarak die of"
    keeps "hosni", "mubarak", "die"), less the answer's own words; empty for a Chinese question or a
    long one (more than MAX_RELATION_WORDS)."""
    if HAN_CHAR.search(question):
        return set()
    claim = news_words(without_tag(question))  # the "right" of "..., right?" is no relation asked
    claim = _BACK_THEN.sub("", claim)  # "who bought it back in 2001": a time, not a buying back
    words = lowercase_words(claim, skip=_NOT_RELATION) - set(tokenize(answer, query=True))
    return words if len(words) <= MAX_RELATION_WORDS else set()


def lowercase_words(text: str, skip: frozenset[str] = frozenset()) -> set[str]:
    """The stemmed content words `text` writes in lower case (its names left out), less `skip`."""
    lower = " ".join(w for w in _LOWER_WORD.findall(text) if w[0].islower() and w.casefold() not in skip)
    return set(tokenize(lower, query=True))


@dataclass(frozen=True)
class RelationCheck:
    """A short question's relation words, those of them the evidence does not state, and those of the
    unstated that only name the kind of value asked or describe the subject further in a trailing
    clause (excused: they count neither way)."""

    words: frozenset[str]
    unstated: frozenset[str]
    excused: frozenset[str] = frozenset()

    @property
    def coverage(self) -> float:
        counted = len(self.words) - len(self.excused)
        return 1.0 if counted == 0 else 1 - (len(self.unstated) - len(self.excused)) / counted


def check_relation(
    question: str, answer: str, evidence: Sequence[str], embed: Embed | None = None
) -> RelationCheck | None:
    """Which of the question's relation words the evidence states (None when there are none to check,
    or the evidence is in another script: words are compared within one language only). `embed`: the
    index's embedding model, to read a clipped word (None: stems only)."""
    words = relation_words(question, answer)
    if not words or any(HAN_CHAR.search(text) for text in evidence):
        return None
    stated = set(tokenize(" ".join(evidence))) | initials(" ".join(evidence))
    # a form of the word counts ("succeeds" ~ "successor"), as for names
    unstated = {w for w in words if not _word_stated(w, stated) and not _clipped(w, stated, embed)}
    excusable = value_kind_words(question) | background_words(question) | occurrence_words(question)
    return RelationCheck(frozenset(words), frozenset(unstated), frozenset(unstated & excusable))


def relation_coverage(question: str, answer: str, evidence: Sequence[str]) -> float | None:
    """Share of the question's relation words the evidence states (None: nothing to check)."""
    found = check_relation(question, answer, evidence)
    return None if found is None else found.coverage
