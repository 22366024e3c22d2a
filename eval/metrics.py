"""The measures the harness reports, each computed without an LLM judge.

Answers
- strict accuracy: the answer, normalised (`normalize_tokens`), contains the canonical answer or an alias
  as a contiguous run of tokens; when `answer_all_of` is given every item must appear instead (any
  order). Yes/no gold answers are judged by the answer's polarity (it must open with yes/no); null
  questions pass only on an abstention; an abstention on an answerable question fails.
- lenient accuracy: MultiHop-RAG's own rule: the lower-cased answer shares a whitespace-separated word
  with the lower-cased gold answer, words split on whitespace only, exactly as its qa_evaluate.py does
  (kept for comparison with the paper: it passes "No" for "Yes no doubt", fails "Yes," for "Yes" and
  most unspaced Chinese).
- abstention: on null questions, the share that abstained; on answerable ones, the share that wrongly
  abstained; abstention accuracy is the share of all questions where abstaining was the right call.

Retrieval (MultiHop-RAG's definition; null questions excluded)
- a passage is a hit when a gold evidence fact with all whitespace removed is a substring of the
  passage with all whitespace removed.
- Hits@k: a hit among the first k passages. MRR@10: 1/rank of the first hit in the top 10, else 0.
- MAP@10 as the benchmark computes it: sum over ranks r<=10 of (facts first found at r) / r, divided by
  min(#facts, 10).
- evidence recall@k: the share of a question's facts found in the first k passages.

Citations
- verification (verbatim): the citation's quote occurs verbatim in the body of the article it cites. A
  bug check: it must stay at 100 %.
- supported: the quote states the claim about what was asked. Judged without an LLM from the gold
  data: the answer it backs is right (strict), and the quoted sentence overlaps a gold evidence fact
  (one contains the other, or they share at least half of the shorter one's tokens) or states the
  gold answer (not for yes/no answers). A citation on an answered null question or a wrong answer is
  never supported, whatever its words.
- precision: the cited passage (the retrieved chunk it points at, else its quote) contains a gold fact
  (as in retrieval), lies inside a gold fact, or contains the gold answer (normalised).
- recall: the share of the question's gold evidence articles (by article id, URL or title) cited.

Cost: seconds per question by stage (`Answer.timings_ms`) and the process's peak resident memory.
"""

from __future__ import annotations

import functools
import math
import re
import resource
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eval.gold import Evidence, GoldQuestion
from index.calendar import MONTH_NAMES, month_number
from index.cjk import HAN
from index.date_text import rewrite_dates
from index.numbers import numbers_as_digits
from rag.models import Citation, Passage

ArticleLookup = Callable[[str], str | None]

# ---------------------------------------------------------------- normalisation

_TOKEN = re.compile(
    # canonical dates made by _normalize_dates; not the start of a year range ("1981-2011")
    r"\d{4}-\d{2}-\d{2}(?!\d)|\d{4}-\d{2}(?!\d)|--\d{2}-\d{2}(?!\d)"
    r"|\d+(?:\.\d+)?"  # numbers
    rf"|[{HAN}]"  # one Chinese character per token
    r"|[^\W\d_]+"  # runs of letters
)
_DROP = {"a", "an", "the"}


_MONTH = "|".join(MONTH_NAMES)
# A range of days within a month, each way it is written: "March 15 to 17, 2019", "15–17 March 2019",
# "2019年3月15日至17日" all become "2019-03-15 2019-03-17".
_DAY_RANGES = (
    re.compile(
        rf"(?i)\b(?P<m>{_MONTH})\s+(?P<a>\d{{1,2}})\s*(?:-|–|to|through)\s*(?P<b>\d{{1,2}}),?\s+(?P<y>\d{{4}})\b"
    ),
    re.compile(
        rf"(?i)\b(?P<a>\d{{1,2}})\s*(?:-|–|to|through)\s*(?P<b>\d{{1,2}})\s+(?P<m>{_MONTH}),?\s+(?P<y>\d{{4}})\b"
    ),
    re.compile(
        r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<a>\d{1,2})\s*[日号]?\s*(?:至|到|-|–|~)\s*(?P<b>\d{1,2})\s*[日号]"
    ),
)


def _day_range(m: re.Match[str]) -> str:
    month = int(m["m"]) if m["m"].isdigit() else month_number(m["m"])
    return f" {m['y']}-{month:02d}-{int(m['a']):02d} {m['y']}-{month:02d}-{int(m['b']):02d} "


def _normalize_dates(text: str) -> str:
    """Rewrite dates in common written forms to ISO tokens (`index.date_text`): 'Jan. 10, 2019' ->
    '2019-01-10', 'March 2015' -> '2015-03', '11月26日' -> '--11-26'; a range of days to its two ends."""
    for pattern in _DAY_RANGES:
        text = pattern.sub(_day_range, text)
    return rewrite_dates(text, lambda iso: f" {iso} ", yearless=True)


def normalize_tokens(text: str) -> list[str]:
    """Tokens for strict matching: NFKC (full-width forms), Chinese and English numerals and scale words
    as digits, thousands separators dropped, dates as ISO tokens, case folded, punctuation and the
    articles a/an/the dropped, apostrophes joined ("Hawke's" == "Hawkes"), one token per CJK character.
    """
    return list(_normalize_tokens(text))


@functools.lru_cache(maxsize=4096)
def _normalize_tokens(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"['’‘`]", "", text)
    text = numbers_as_digits(text)
    text = _normalize_dates(text)
    tokens = _TOKEN.findall(text.casefold())
    return tuple(t for t in tokens if t not in _DROP)


def normalize(text: str) -> str:
    """The normalised tokens joined by spaces (for display and simple comparisons)."""
    return " ".join(normalize_tokens(text))


def _token_match(gold: str, got: str) -> bool:
    """Equal tokens; a date also matches a more specific date ('2015-03' ~ '2015-03-10', '2009' ~
    '2009-09', '--11-26' ~ '2025-11-26')."""
    if gold == got:
        return True
    if gold.startswith("--"):
        return len(got) == 10 and got.endswith(gold[1:])
    if re.fullmatch(r"\d{4}(-\d{2})?", gold):
        return got.startswith(gold + "-") and bool(re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", got))
    return False


def contains_phrase(text: str, phrase: str) -> bool:
    """`phrase` occurs in `text` as a contiguous run of normalised tokens."""
    hay, needle = normalize_tokens(text), normalize_tokens(phrase)
    if not needle:
        return False
    n = len(needle)
    return any(
        all(_token_match(g, hay[i + j]) for j, g in enumerate(needle)) for i in range(len(hay) - n + 1)
    )


# ---------------------------------------------------------------- answers

ABSTAIN_MARKERS = ("insufficient information", "信息不足", "资料不足")
_YES = {"yes", "yeah", "yep", "true", "correct", "consistent", "agree", "agrees", "similar", "same", "是"}
_NO = {
    "no",
    "nope",
    "false",
    "incorrect",
    "inconsistent",
    "disagree",
    "disagrees",
    "different",
    "not",
    "否",
    "不",
    "没",
}


def is_abstention(text: str, abstained: bool = False) -> bool:
    """The assistant's flag, or a reply that says it has insufficient information."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return abstained or any(m in folded for m in ABSTAIN_MARKERS)


def gold_polarity(answer: str) -> str | None:
    """'yes'/'no' when the gold answer is a bare polarity word ('Yes', 'no', 'Consistent', 'True')."""
    tokens = normalize_tokens(answer)
    if len(tokens) != 1:
        return None
    return "yes" if tokens[0] in _YES else "no" if tokens[0] in _NO else None


def answer_polarity(text: str) -> str | None:
    """The polarity an answer opens with ('Yes, ...', 'No.', 'Inconsistent: ...', '不是'), else None:
    an answer that restates the question without saying yes or no has no polarity."""
    tokens = normalize_tokens(text)
    if tokens[:2] == ["answer", "is"]:  # "The answer is yes."
        tokens = tokens[2:]
    first = tokens[0] if tokens else ""
    return "no" if first in _NO else "yes" if first in _YES else None


@dataclass(frozen=True)
class Judgement:
    """Whether an answer passes and why, in words for the report."""

    passed: bool
    reason: str


def judge_strict(answer_text: str, abstained: bool, gold: GoldQuestion) -> Judgement:
    """Strict accuracy for one question (see the module docstring for the rule)."""
    abstain = is_abstention(answer_text, abstained)
    if gold.is_null:
        if abstain:
            return Judgement(True, "abstained on a null question")
        return Judgement(False, "answered a null question (expected 'Insufficient information')")
    if abstain:
        return Judgement(False, "abstained on an answerable question")
    if not answer_text.strip():
        return Judgement(False, "empty answer")
    want = gold_polarity(gold.answer)
    if want is not None:
        got = answer_polarity(answer_text)
        if got is None:
            return Judgement(False, f"no yes/no: expected '{want}', the answer does not open with yes or no")
        if got != want:
            return Judgement(False, f"wrong polarity: expected '{want}', answer says '{got}'")
        return Judgement(True, f"polarity '{got}'")
    if gold.all_of:
        missing = [part for part in gold.all_of if not contains_phrase(answer_text, part)]
        if missing:
            return Judgement(False, f"missing part(s) {missing} of {list(gold.all_of)}")
        return Judgement(True, f"all of {list(gold.all_of)}")
    for accepted in gold.acceptable:
        if contains_phrase(answer_text, accepted):
            return Judgement(True, f"matched {accepted!r}")
    return Judgement(False, f"wrong answer: none of {list(gold.acceptable)[:6]} found")


def lenient_match(answer_text: str, gold_answer: str) -> bool:
    """MultiHop-RAG's rule (qa_evaluate.py): lower-cased whitespace words intersect."""
    return bool(set(answer_text.lower().split()) & set(gold_answer.lower().split()))


# ---------------------------------------------------------------- retrieval


def squash(text: str) -> str:
    """All whitespace removed, as the benchmark compares facts with passages."""
    return re.sub(r"\s+", "", text)


def passage_hits(passages: Sequence[str], facts: Sequence[str]) -> list[set[int]]:
    """For each passage, the indices of the gold facts it contains."""
    sq_facts = [squash(f) for f in facts]
    out = []
    for p in passages:
        sp = squash(p)
        out.append({i for i, f in enumerate(sq_facts) if f and f in sp})
    return out


@dataclass(frozen=True)
class RetrievalScores:
    """Per-question retrieval figures; `first_hit` is 1-based, None when no passage holds a fact."""

    first_hit: int | None
    hits_at_4: float
    hits_at_10: float
    mrr_at_10: float
    map_at_10: float
    recall_at_4: float
    recall_at_10: float


def retrieval_scores(passages: Sequence[str], facts: Sequence[str]) -> RetrievalScores | None:
    """The benchmark's retrieval scores for one question; None when it has no evidence facts."""
    facts = [f for f in facts if squash(f)]
    if not facts:
        return None
    hits = passage_hits(passages[:10], facts)
    first = next((r for r, h in enumerate(hits, start=1) if h), None)
    found: set[int] = set()
    ap_sum = 0.0
    for rank, h in enumerate(hits, start=1):
        new = h - found
        if h:
            ap_sum += len(new) / rank
        found |= new

    def recall(k: int) -> float:
        return len(set().union(*hits[:k])) / len(facts) if hits[:k] else 0.0

    return RetrievalScores(
        first_hit=first,
        hits_at_4=float(first is not None and first <= 4),
        hits_at_10=float(first is not None),
        mrr_at_10=1.0 / first if first else 0.0,
        map_at_10=ap_sum / min(len(facts), 10),
        recall_at_4=recall(4),
        recall_at_10=recall(10),
    )


# ---------------------------------------------------------------- citations


def citation_verified(citation: Citation, lookup: ArticleLookup | None) -> bool | None:
    """The quote occurs verbatim in the cited article's body; None when no lookup is available."""
    if lookup is None:
        return None
    if not citation.quote.strip():
        return False
    body = lookup(citation.article_id)
    return body is not None and citation.quote in body


def citation_supported(quote: str, gold: GoldQuestion, answer_right: bool) -> bool:
    """The quote backs a right answer with gold evidence (see the module docstring)."""
    if gold.is_null or not answer_right or not quote.strip():
        return False
    sq = squash(quote)
    quote_tokens = set(normalize_tokens(quote))
    for fact in gold.facts:
        sf = squash(fact)
        if sf and (sf in sq or sq in sf):
            return True
        fact_tokens = set(normalize_tokens(fact))
        shorter = min(len(fact_tokens), len(quote_tokens))
        if shorter and len(fact_tokens & quote_tokens) >= 0.5 * shorter:
            return True
    if gold_polarity(gold.answer) is not None:
        return False
    return any(contains_phrase(quote, part) for part in gold.all_of or gold.acceptable)


def cited_text(citation: Citation, retrieved: Sequence[Passage]) -> str:
    """The passage a citation points at: its retrieved chunk when present, else its own quote."""
    for p in retrieved:
        if citation.chunk_id and p.chunk_id == citation.chunk_id:
            return p.text
    return citation.quote


def citation_relevant(text: str, gold: GoldQuestion) -> bool:
    """The cited text contains a gold fact, lies inside one (a quote of 20+ characters), or contains
    the gold answer (not for yes/no gold answers, whose words carry no evidence)."""
    st = squash(text)
    for fact in gold.facts:
        sf = squash(fact)
        if sf and (sf in st or (len(st) >= 20 and st in sf)):
            return True
    if gold.is_null or gold_polarity(gold.answer) is not None:
        return False
    return any(contains_phrase(text, part) for part in gold.all_of or gold.acceptable)


def _norm_url(url: str) -> str:
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    return url.split("?", 1)[0].split("#", 1)[0].rstrip("/")


def _norm_title(title: str) -> str:
    return " ".join(normalize_tokens(title))


def evidence_articles(evidence: Sequence[Evidence]) -> list[Evidence]:
    """One Evidence per distinct gold article (several facts often come from the same article)."""
    seen: set[str] = set()
    out = []
    for e in evidence:
        key = e.article_id or _norm_url(e.url) or _norm_title(e.title)
        if key and key not in seen:
            seen.add(key)
            out.append(e)
    return out


def cites_article(citation: Citation, gold: Evidence) -> bool:
    """A citation names a gold article by id, URL (scheme, www, query ignored) or title (normalised)."""
    if gold.article_id and citation.article_id == gold.article_id:
        return True
    if gold.url and citation.url and _norm_url(gold.url) == _norm_url(citation.url):
        return True
    return bool(gold.title and citation.title and _norm_title(gold.title) == _norm_title(citation.title))


def citation_recall(citations: Sequence[Citation], gold: GoldQuestion) -> float | None:
    """Share of the gold evidence articles that some citation names; None without gold evidence."""
    articles = evidence_articles(gold.evidence)
    if not articles:
        return None
    return sum(any(cites_article(c, e) for c in citations) for e in articles) / len(articles)


# ---------------------------------------------------------------- cost and aggregation


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def mean(values: Sequence[float | None]) -> float | None:
    """Mean of the known values; None when there are none (a metric that does not apply)."""
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))]
