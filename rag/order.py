"""Answer "Did A report X before B reported Y?" from publication dates, not from the model.

Which of two reports came first is a fact of the index's metadata. The small generator, shown the
two passages and even their publication order, still guesses (and often abstains), so when a
question is only about the order of two reports, newsrag finds the report behind each side and
compares their publication times itself. The answer still cites both passages and goes through
the same citation checks; anything ambiguous (no distinct article per side, a side naming a source
no candidate comes from, the same publication time, a judgement such as "reported as worse")
is left to the generator.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from index.calendar import publication_moment
from rag.decompose import mentioned_sources, normalize_dates
from rag.models import Filters, Passage

Relation = Literal["before", "after", "before or after"]

_AUX = r"(?:did|does|do|was|were|is|has|had)"
_RELATION = r"before\s+or\s+after|after\s+or\s+before|before|after|prior\s+to"
# A side is about a report when it has a reporting verb (or names a source, checked later).
_REPORTING = re.compile(
    r"(?i)\b(?:report(?:s|ed|ing)?|mention(?:s|ed)?|discuss(?:es|ed)?|cover(?:s|ed)?|publish(?:es|ed)?|"
    r"wr(?:ote|ites|itten)|highlight(?:s|ed)?|note[sd]?|announce[sd]?|reveal(?:s|ed)?|detail(?:s|ed)?)\b"
)
# Words that turn the question into a judgement about content, which dates cannot settle.
_JUDGEMENT = re.compile(
    r"(?i)\b(?:consisten\w*|inconsisten\w*|chang\w+|agree\w*|disagree\w*|differ\w*|similar\w*|same|"
    r"contradict\w*|align\w*|fail\w*|not|never|no)\b|n't\b"
)
# A yes/no question that also asks how something was reported ("reported as worse ... before")
# needs the content checked too; "before or after" presupposes the reports and asks only the order.
_CONTENT_CLAIM = re.compile(r"(?i)\b(?:reported|described|portrayed|characteri[sz]ed|called)\s+as\b")


class PassageSearch(Protocol):
    """What this needs of `HybridRetriever`: passages for one query, best first."""

    def retrieve(self, query: str, filters: Filters | None = None, top_k: int = 10) -> list[Passage]: ...


@dataclass(frozen=True)
class OrderQuestion:
    """A yes/no question about which of two reports was published first."""

    first: str  # the side the question asks about ("Did A report X ...")
    relation: Relation
    second: str  # the side it is compared with ("... before B reported Y")


@dataclass(frozen=True)
class OrderVerdict:
    """The verdict as generator-style text ("Yes [1][2]"), over the two passages it cites."""

    text: str
    passages: list[Passage]
    explanation: str


def parse_order_question(question: str) -> OrderQuestion | None:
    """ "Did A report X before B reported Y?" -> OrderQuestion; None for anything else."""
    q = normalize_dates(" ".join(question.split())).rstrip(" ?？.")
    m = re.match(rf"(?i)^{_AUX}\s+(.+?)\s+({_RELATION})\s+(?!\d{{4}}-)(.+)$", q)
    if not m or _JUDGEMENT.search(q):
        return None
    first, relation, second = m.group(1), " ".join(m.group(2).lower().split()), m.group(3)
    if "or" not in relation.split() and _CONTENT_CLAIM.search(q):
        return None
    if re.search(rf"(?i)\b(?:{_RELATION})\b", second) or len(first.split()) < 3 or len(second.split()) < 3:
        return None  # a third event, or a side too short to retrieve on
    if not (_REPORTING.search(first) and _REPORTING.search(second)):
        return None
    if relation == "prior to":
        relation = "before"
    elif relation == "after or before":
        relation = "before or after"
    return OrderQuestion(first, relation, second)  # type: ignore[arg-type]


class PublicationOrderJudge:
    """Settles publication-order questions from metadata; returns None to leave a question to the model."""

    def __init__(self, search: PassageSearch, known_sources: Sequence[str], candidates: int) -> None:
        self._search = search
        self._known_sources = list(known_sources)
        self._candidates = candidates

    def run(self, question: str, filters: Filters | None = None) -> OrderVerdict | None:
        parsed = parse_order_question(question)
        if parsed is None:
            return None
        first = self._report_for(parsed.first, filters, exclude=())
        if first is None:
            return None
        second = self._report_for(parsed.second, filters, exclude=(first.article_id,))
        if second is None:
            return None
        t1, t2 = publication_moment(first.published_at), publication_moment(second.published_at)
        if t1 is None or t2 is None or t1 == t2:
            return None
        earlier = "first" if t1 < t2 else "second"
        if parsed.relation == "before or after":
            word = "Before" if earlier == "first" else "After"
        else:
            word = "Yes" if (parsed.relation == "before") == (earlier == "first") else "No"
        explanation = (
            f"publication order from metadata: [1] {first.source} {t1.isoformat()}, "
            f"[2] {second.source} {t2.isoformat()}"
        )
        return OrderVerdict(f"{word} [1][2]", [first, second], explanation)

    def _report_for(self, side: str, filters: Filters | None, exclude: Sequence[str]) -> Passage | None:
        """The best passage for one side, from the source that side names (if it names one)."""
        named = set(mentioned_sources(side, self._known_sources))
        for p in self._search.retrieve(side, filters, top_k=self._candidates):
            if p.article_id in exclude:
                continue
            if named and p.source not in named:
                continue
            return p
        return None
