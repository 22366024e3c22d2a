"""Yes/no questions answered side by side, each side checked against the report it names.

"Does TechCrunch report X, while The Verge indicates Y?" is true only if TechCrunch's article states
X and The Verge's states Y. Asked the whole question over four passages, the small generator says
"No" to most such questions whatever the passages hold. So a yes/no question is split into its
sides (`rag.decompose`); each side gets the passage of the report it names and two calibrated
judgements from the generator (`rag.judge`): does the passage state the side, does it state the
opposite. The verdict is "Yes" only when every side is stated, "No" only when a side is contradicted
by its report; otherwise newsrag abstains. A question about a relation between two reports ("was
there consistency / a change between A and B?") is judged once over both passages.
Calibration divides out the model's own Yes/No prior (contextual calibration), so the decision
point is a probability, not a threshold fitted to a benchmark's share of "Yes".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from llama_index.core.llms import LLM

from index.sentences import sentence_spans
from rag.decompose import decompose_detailed, mentioned_sources, without_tag
from rag.evidence import not_evidence
from rag.generation import publication_day
from rag.judge import Judge, LabelScorer
from rag.models import Filters, Passage
from rag.order import PassageSearch
from rag.subject import cites_subject
from rag.support import lexical_support

# A question about how two reports or events relate (agreement, change, order), not about what each
# states: judged once over both passages.
_RELATIONAL = re.compile(
    r"(?i)\b(?:consisten\w*|inconsisten\w*|chang\w*|agree\w*|disagree\w*|differ\w*|similar\w*|same|"
    r"contradict\w*|align\w*|shift\w*|maintain\w*|alike|before|after|prior\s+to|earlier|later|first)\b"
)
# What names a report: a report word or a known source. A relation of two events a user typed with
# neither ("was the fan zone shut by storms before usa vs paraguay") has no report to contradict it.
_NAMES_A_REPORT = re.compile(
    r"(?i)\b(?:reports?|reported|reporting|articles?|stor(?:y|ies)|coverage|published|sources?|according)\b"
    r"|报道|文章|发表|据"
)
_LEADING_AUX = re.compile(
    r"(?i)^(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|should)\s+(?:both\s+)?"
)

# A yes/no question of at most this many words with one side is one claim a user typed ("did the us
# embassy agree to waive her immunity"); the multi-report questions the verdict is built for are
# longer (27-50 words when they have a single side, in the dev gold sets).
MAX_CLAIM_WORDS = 25


def one_short_claim(question: str, known_sources: Sequence[str] = ()) -> bool:
    """A short yes/no question about one claim, not about what a named report says, several reports
    or how two relate."""
    return (
        len(question.split()) <= MAX_CLAIM_WORDS
        and len(decompose_detailed(question)) <= 1
        and not mentioned_sources(question, known_sources)
    )


_YES = re.compile(r"(?i)^\s*(?:yes\b|是|有|对)")
_NO = re.compile(r"(?i)^\s*(?:no\b|不|没|否)")


def polarity(text: str) -> str | None:
    """ "yes" or "no" for an answer that opens with one ("Yes [1]", "No, ...", "是", "没有"), else None."""
    if _NO.match(text):
        return "no"
    return "yes" if _YES.match(text) else None


_PASSAGE = """Passage ("{title}" - {source}, published {date}):
<<<
{evidence}
>>>"""
SUPPORT_TEMPLATE = (
    "Read the passage and the statement.\n\n" + _PASSAGE + "\n\nStatement: {statement}\n\n"
    "Question: does the passage state that the statement is true? Reply Yes or No."
)
CONTRADICT_TEMPLATE = (
    "Read the passage and the statement.\n\n" + _PASSAGE + "\n\nStatement: {statement}\n\n"
    "Question: does the passage state that the statement is false? Reply Yes or No."
)
JOINT_TEMPLATE = (
    "Read the two passages.\n\nFirst passage:\n{first}\n\nSecond passage:\n{second}\n\n"
    "Question: {question}\nReply Yes or No."
)
_SIDE_FIELDS = ("title", "source", "date", "evidence", "statement")


@dataclass(frozen=True)
class SideJudgement:
    """One side of the question, the passage judged for it, and the calibrated probabilities."""

    statement: str
    passage: Passage
    stated: float  # P(the passage states the side)
    contradicted: float  # P(the passage states the opposite)


@dataclass(frozen=True)
class YesNoVerdict:
    """Generator-style text ("Yes [1][2]", "No [2]", or an abstention) over the passages it cites."""

    text: str
    passages: list[Passage]
    sides: list[SideJudgement]
    explanation: str


@dataclass(frozen=True)
class VerdictThresholds:
    """Decision points on calibrated probabilities (0.5 = the model's content-free prior)."""

    stated: float = 0.5
    contradicted: float = 0.5
    joint: float = 0.5
    joint_prior: float | None = None  # batch-calibration prior P(yes) of the joint judge


class SideBySideVerdict:
    """Answers yes/no questions from per-side judgements; None leaves a question to the generator."""

    def __init__(
        self,
        llm: LLM,
        system_prompt: str,
        search: PassageSearch,
        known_sources: Sequence[str],
        thresholds: VerdictThresholds | None = None,
        scorer: LabelScorer | None = None,
        evidence_sentences: int = 3,
    ) -> None:
        scorer = scorer or LabelScorer(llm)
        self._stated = Judge(scorer, system_prompt, SUPPORT_TEMPLATE, _SIDE_FIELDS)
        self._contradicted = Judge(scorer, system_prompt, CONTRADICT_TEMPLATE, _SIDE_FIELDS)
        self.thresholds = thresholds or VerdictThresholds()
        prior = self.thresholds.joint_prior
        self._joint = Judge(
            scorer,
            system_prompt,
            JOINT_TEMPLATE,
            ("first", "second", "question"),
            prior=None if prior is None else (prior, 1 - prior),
        )
        self._search = search
        self._known_sources = list(known_sources)
        self._n_sentences = evidence_sentences

    def run(
        self,
        question: str,
        context: Sequence[Passage],
        filters: Filters | None = None,
        search: bool = True,
    ) -> YesNoVerdict:
        """`search`: each side may also be judged on a passage of its own retrieval; False: only on
        `context` (a reply's cited passages, to confirm what they state)."""
        sides = [p.text for p in decompose_detailed(question)] or [question]
        if len(sides) >= 2 and _RELATIONAL.search(question):
            return self._relational(question, sides, context, filters)
        judged = [self._judge_side(side, context, filters, search) for side in sides]
        return self._decide(judged)

    # -- per-side ------------------------------------------------------------------------------------

    def _judge_side(
        self, side: str, context: Sequence[Passage], filters: Filters | None, search: bool
    ) -> SideJudgement | None:
        passage = self._passage_for(side, context, filters, exclude=(), search=search)
        if passage is None:
            return None
        statement = _statement(side)
        values = _side_values(passage, statement, self._evidence(passage, side))
        return SideJudgement(
            statement,
            passage,
            self._stated.run(**values).p("Yes"),
            self._contradicted.run(**values).p("Yes"),
        )

    def _decide(self, judged: Sequence[SideJudgement | None]) -> YesNoVerdict:
        t = self.thresholds
        sides = [j for j in judged if j is not None]
        passages = _distinct([j.passage for j in sides])
        explanation = "; ".join(
            f"side {k + 1} ({j.passage.source}): stated {j.stated:.2f}, contradicted {j.contradicted:.2f}"
            for k, j in enumerate(sides)
        )
        if len(sides) < len(judged) or not sides:
            return YesNoVerdict(
                "Insufficient information.", [], sides, "no passage for a side; " + explanation
            )
        # Both verdicts quote every side's report: the reader sees what each one states.
        if any(j.contradicted >= t.contradicted and j.contradicted > j.stated for j in sides):
            return YesNoVerdict(f"No {_markers(passages, passages)}", passages, sides, explanation)
        if all(j.stated >= t.stated for j in sides):
            return YesNoVerdict(f"Yes {_markers(passages, passages)}", passages, sides, explanation)
        return YesNoVerdict(
            "Insufficient information.",
            [],
            sides,
            "a side is neither stated nor contradicted; " + explanation,
        )

    # -- relational ----------------------------------------------------------------------------------

    def _relational(
        self, question: str, sides: Sequence[str], context: Sequence[Passage], filters: Filters | None
    ) -> YesNoVerdict:
        first = self._passage_for(sides[0], context, filters, exclude=())
        second = self._passage_for(sides[1], context, filters, exclude=(first.article_id,) if first else ())
        if first is None or second is None:
            return YesNoVerdict("Insufficient information.", [], [], "no distinct passage for each report")
        for side, passage in ((sides[0], first), (sides[1], second)):
            # each side is judged on a passage about it: "did rubio take reporters' questions" is not,
            # on a passage about a campaign convention that names no Rubio
            about = (
                f"{passage.source}. {passage.title}. {passage.text}"  # a side may name its report's source
            )
            if cites_subject(side, [about], self._known_sources) is False:
                return YesNoVerdict(
                    "Insufficient information.",
                    [],
                    [],
                    f"the passage found for '{side}' names none of its names",
                )
        judged = self._joint.run(
            first=_block(first, self._evidence(first, sides[0])),
            second=_block(second, self._evidence(second, sides[1])),
            question=question,
        )
        p_yes, raw_yes = judged.p("Yes"), judged.raw[judged.labels.index("Yes")]
        word = "Yes" if p_yes >= self.thresholds.joint else "No"
        # The raw probability is kept so that a batch-calibration prior can be measured (bench/batch_prior.py).
        note = f"relation judged over both reports: P(yes)={p_yes:.3f} (raw {raw_yes:.3f})"
        if word == "No" and not (
            _NAMES_A_REPORT.search(question) or mentioned_sources(question, self._known_sources)
        ):
            # "No" only where a report contradicts the claim: two passages a user's claim names no
            # report for may be about neither of its events
            return YesNoVerdict("Insufficient information.", [], [], f"{note}; no report named to say no")
        return YesNoVerdict(f"{word} [1][2]", [first, second], [], note)

    # -- evidence ------------------------------------------------------------------------------------

    def _passage_for(
        self,
        side: str,
        context: Sequence[Passage],
        filters: Filters | None,
        exclude: Sequence[str],
        search: bool = True,
    ) -> Passage | None:
        """The passage of the report a side names: from its named source when it names one, the
        best lexical match to the side among the context and the side's own retrieval."""
        named = set(mentioned_sources(side, self._known_sources))
        found = self._search.retrieve(side, filters, top_k=5) if search else []
        pool = [p for p in _distinct([*context, *found])]
        pool = [p for p in pool if p.article_id not in exclude and (not named or p.source in named)]
        if not pool:
            return None
        return max(
            pool, key=lambda p: lexical_support(side, f"{p.title}. {p.text}", [d.resolved for d in p.dates])
        )

    def _evidence(self, passage: Passage, side: str) -> str:
        """The passage's sentences that best match the side, in reading order (fewer tokens to read)."""
        spans = [(s, e) for s, e in sentence_spans(passage.text) if not_evidence(passage.text[s:e]) is None]
        best = sorted(spans, key=lambda se: -lexical_support(side, passage.text[se[0] : se[1]]))[
            : self._n_sentences
        ]
        return " ".join(passage.text[s:e] for s, e in sorted(best))


def _statement(side: str) -> str:
    """A side as a statement: "Does the Verge report X" -> "the Verge report X"."""
    text = _LEADING_AUX.sub("", without_tag(side))
    return text[:1].upper() + text[1:]


def _side_values(passage: Passage, statement: str, evidence: str) -> dict[str, str]:
    return {
        "title": passage.title,
        "source": passage.source or "unknown source",
        "date": publication_day(passage.published_at),
        "evidence": evidence,
        "statement": statement,
    }


def _block(passage: Passage, evidence: str) -> str:
    return _PASSAGE.format(**_side_values(passage, "", evidence))


def _distinct(passages: Sequence[Passage]) -> list[Passage]:
    seen: dict[str, Passage] = {}
    for p in passages:
        seen.setdefault(p.chunk_id, p)
    return list(seen.values())


def _markers(all_passages: Sequence[Passage], cited: Sequence[Passage]) -> str:
    ids = [p.chunk_id for p in all_passages]
    return "".join(f"[{ids.index(p.chunk_id) + 1}]" for p in cited)
