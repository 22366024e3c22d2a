"""After the citation check: does the cited evidence answer the question that was asked?

The citation check (`rag.citations`) makes sure a quoted sentence contains what the answer claims.
That is not enough: "$45" is in "Tickets for Fan Expo Vancouver cost $45", which does not answer
"How much did tickets for Toronto Comicon cost?". Two checks follow, and an answer that fails either
becomes "Insufficient information.":

0. An answer that only repeats the question's words ("American" to "What was the name of the American
   who died ...?") answers nothing, whatever the evidence says; nor does the speaker of the cited
   sentence ("Minister Hardeep Singh Puri said 18 people died." for the pilot who died) when that
   sentence shares no word with a question that does not ask who said something; nor does an answer
   that names only the question's own names ("Pranab Mukherjee died." to "Who announced Mukherjee's
   death?"), a "why" answered with no reason, a "how many" with no number, or an answer of another
   kind than asked (`rag.answer_rules`, each rule with its example), nor a "Yes" its cited sentence
   denies (`rag.denials`);
   nor, compared by meaning (`rag.aboutness`), a bare value cited from a sentence that says nothing
   of the question, a count of another thing than the one asked, or a value the sentence gives for
   another item than the one asked ("energy prices" for "food prices").
1. Subject (`rag.subject.cites_subject`): a short question's answer cites an article that names one
   of the question's names ("Tuesday" to "What day did Notre Dame's roof catch fire?" from an article
   on an airport fire answers another question); an article in another script than the question's is
   read through the question's translation into its script, and a name typed in lower case ("bill
   pulte") counts when no English word list holds it (`rag.subject.typed_names`). Nor does a cited
   sentence that names the asked one's kind for another ("the EuroAsia Interconnector" for the
   EuroAfrica one, `rag.constraints.names_a_sibling`; "菲律宾国防部长" for "中国国防部长",
   `names_another_places`).
   Constraints (`rag.constraints`): a short question's relation words ("husband", "cause of death")
   are stated in the cited passages; the names and numbers the question pins down are stated in the
   evidence: the quoted sentences, the sentences just before them, the titles, sources and dates.
2. Answerability: the generator is asked whether the quoted evidence states that the proposed
   answer answers the question, read as a calibrated probability (`rag.judge`).

Each check's outcome is kept in the answer's notes, so its cost and catch can be measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from llama_index.core.llms import LLM

from index.cjk import HAN_CHAR
from index.language import normalize_language
from index.sentences import sentence_spans
from rag.aboutness import (
    OffTopicValueCheck,
    OtherCountedThingCheck,
    ShareOfAnotherWholeCheck,
    SiblingItemCheck,
)
from rag.answer_rules import (
    answers_yes_or_no_to_what,
    asks_a_time,
    dates_another_day,
    lacks_the_asked_time,
    pins_its_own_subject,
    restates_question,
    text_rule_refusal,
    undated_numbers,
    without_markers,
)
from rag.chinese_relation import check_relation as check_chinese_relation
from rag.chinese_relation import unstated_event
from rag.citations import bare_yes_no
from rag.constraints import (
    EVIDENCE_WINDOW,
    Scope,
    check_relation,
    missing,
    names_a_sibling,
    names_another_places,
    question_constraints,
)
from rag.evidence import not_evidence
from rag.generation import annotate, publication_day
from rag.judge import Judge, LabelScorer
from rag.meaning import Embed
from rag.models import Citation, Passage
from rag.subject import GetArticles, article_texts, cites_subject
from rag.support import date_forms, find_dates
from rag.verdict import polarity

# The wording that best ranks right over wrong answers of four tried on the tuning half
# (bench/judge_prompts.py: ROC AUC 0.91 vs 0.89, 0.85 and 0.82 on 48 answers; docs/answering.md).
ANSWER_TEMPLATE = """Passage ("{title}" - {source}, published {date}):
<<<
{evidence}
>>>

Question: {question}
Answer: {answer}

According to the passage, is this answer correct? Reply Yes or No."""
_FIELDS = ("title", "source", "date", "evidence", "question", "answer")


@dataclass(frozen=True)
class AnswerCheck:
    """The verdict on one answer and what it rests on."""

    ok: bool
    missing: tuple[str, ...] = ()
    p_answers: float | None = None

    def note(self) -> str:
        p = "n/a" if self.p_answers is None else f"{self.p_answers:.3f}"
        return f"answer check: {'ok' if self.ok else 'FAILED'}; missing={list(self.missing)}; p_answers={p}"


class AnswerabilityCheck:
    """Checks a verified answer against its question (see the module docstring)."""

    def __init__(
        self,
        llm: LLM | None,
        system_prompt: str,
        known_sources: Sequence[str],
        min_p_answers: float,
        require_constraints: bool = True,
        window: int = EVIDENCE_WINDOW,
        scorer: LabelScorer | None = None,
        min_relation_coverage: float = 0.0,
        get_articles: GetArticles | None = None,
        judge_window: int = 0,
        min_p_yes_no: float | None = None,
        embed: Embed | None = None,
        min_p_no: float | None = None,
        yes_requires_constraints: bool = False,
    ) -> None:
        """`window`: evidence sentences before the quote that the question's names are looked for in;
        `judge_window`: how many of those the judge reads too (fewer is faster: the judge reads its
        prompt afresh for every answer; `RagSettings.answer_judge_window` says what was measured);
        `embed`: the index's embedding model, for words close in meaning (None: same stems only);
        `min_p_yes_no`, `min_p_no`: the bars of a bare reply and of a bare "No" (None: the one before;
        a bare "No"'s is never above a bare reply's); `yes_requires_constraints`: a bare "Yes" confirms
        the whole claim, so every name and number of the question must be stated where it cites (a
        "No" may rest on the one the report states otherwise: "died in Chicago?", "in Fort Lauderdale")."""
        self._judge = (
            Judge(scorer or LabelScorer(llm), system_prompt, ANSWER_TEMPLATE, _FIELDS)
            if llm is not None or scorer is not None
            else None
        )
        self._known_sources = list(known_sources)
        self.min_p_answers = min_p_answers
        self.require_constraints = require_constraints
        self.yes_requires_constraints = yes_requires_constraints
        self.min_relation_coverage = min_relation_coverage
        self._get_articles = get_articles  # None: the subject is not checked
        self._window = window
        self._judge_window = judge_window
        # A bare yes or no is judged on other evidence (a sentence stating the opposite, for a "No")
        # than the named values `min_p_answers` was fitted on; None: the same bar.
        self.min_p_yes_no = min_p_answers if min_p_yes_no is None else min_p_yes_no
        # The judge echoes the reply word it is shown (content-free passages: P(Yes) 0.864 beside a
        # "Yes", 0.127 beside a "No"), so a bare "No" the passage states scores lower than such a "Yes".
        # Never above the bar of a bare reply: a bar of 0 for bare replies judges every one (bench runs).
        self.min_p_no = self.min_p_yes_no if min_p_no is None else min(min_p_no, self.min_p_yes_no)
        self._embed = embed
        self._off_topic = OffTopicValueCheck(embed)
        self._other_counted = OtherCountedThingCheck(embed)
        self._other_whole = ShareOfAnotherWholeCheck(embed)
        self._sibling_item = SiblingItemCheck(embed)

    def run(
        self,
        question: str,
        answer_text: str,
        citations: Sequence[Citation],
        passages: Sequence[Passage],
        translations: Mapping[str, str] | None = None,
    ) -> AnswerCheck:
        """`translations`: the question in other languages ({language: text}, as retrieval searched it)."""
        by_chunk = {p.chunk_id: p for p in passages}
        cited = [(c, by_chunk[c.chunk_id]) for c in citations if c.chunk_id in by_chunk]
        if not cited:
            return AnswerCheck(False, ("no cited passage",))
        if restates_question(question, answer_text):
            return AnswerCheck(False, ("the answer only restates the question",))
        # Read in the question as asked: a translation may turn "赢了没" into "Who won ...?"
        if answers_yes_or_no_to_what(question, answer_text):
            return AnswerCheck(False, ("the question asks for something else than yes or no",))
        if (kind := lacks_the_asked_time(question, answer_text)) is not None:
            return AnswerCheck(False, (f"the question asks for {kind}, which the answer does not state",))
        quotes = [c.quote for c, _ in cited]
        passages_read = [f"{p.title}. {p.text}" for _, p in cited]
        if (reason := self._rule_refusal(question, answer_text, quotes, passages_read)) is not None:
            return AnswerCheck(False, (reason,))
        # Cited articles in another language than the question's: the same rules read the question's
        # translation into theirs (the one retrieval searched), whose words their sentences can share.
        for language, translated in (translations or {}).items():
            theirs = [(c, p) for c, p in cited if normalize_language(p.language) == language]
            if not theirs:
                continue
            reason = self._rule_refusal(
                translated,
                answer_text,
                [c.quote for c, _ in theirs],
                [f"{p.title}. {p.text}" for _, p in theirs],
            )
            if reason:
                return AnswerCheck(False, (f"{reason} (read in the question's translation)",))
        spans = [self._spans(c, p) for c, p in cited]
        stated = [self._days_stated(p, s) for (_, p), s in zip(cited, spans, strict=True)]
        if dates_another_day(question, answer_text, stated):
            return AnswerCheck(False, ("the cited sentence dates what it says to another day than asked",))
        windows = (_window(p, s) for (_, p), s in zip(cited, spans, strict=True))
        if pins_its_own_subject(question) and all(names_a_sibling(question, w) for w in windows):
            return AnswerCheck(False, ("the cited sentences name another of the kind the question names",))
        if pins_its_own_subject(question) and all(names_another_places(question, q) for q in quotes):
            return AnswerCheck(False, ("the cited sentence names what the question asks for another place",))
        if self._get_articles is not None:
            texts = article_texts([p for _, p in cited], self._get_articles)
            if cites_subject(question, list(texts.values()), self._known_sources, translations) is False:
                return AnswerCheck(False, ("no cited article names what the question asks about",))
        read = [f"{p.title} {p.text}" for _, p in cited]
        relation = check_relation(question, answer_text, read, self._embed) or check_chinese_relation(
            question, answer_text, read, self._embed
        )
        if self.min_relation_coverage > 0 and (event := unstated_event(question, read, self._embed)):
            return AnswerCheck(
                False, (f"the cited passages do not state the event asked the time of: {event}",)
            )
        if relation is not None and relation.coverage < self.min_relation_coverage:
            return AnswerCheck(
                False,
                (
                    f"the cited passages do not state: {', '.join(sorted(relation.unstated - relation.excused))}",
                ),
            )
        if self.min_relation_coverage > 0 and (
            event := self._dates_another_event(question, answer_text, cited, spans, translations or {})
        ):
            return AnswerCheck(
                False, (f"the cited sentences date another event than the one asked: {event}",)
            )
        scopes = [self._scope(p, s) for (_, p), s in zip(cited, spans, strict=True)]
        absent = self._missing(question, scopes, translations or {})
        p_answers = None
        bar = self._bar(answer_text)
        if self._judge is not None and self.min_p_answers > 0:
            # The first citation, then the others while none reaches the threshold: a multi-report
            # answer ("Google [1][2][3]") may be stated by a later report more fully than by the first.
            # On the tuning half's 31 answers citing several passages this kept 3 more right answers
            # at 0.935 and no wrong one (`python bench/judge_each_citation.py`; docs/answering.md).
            for (_, passage), passage_spans in zip(cited, spans, strict=True):
                p = self._judged(question, answer_text, passage, passage_spans)
                p_answers = p if p_answers is None else max(p_answers, p)
                if p_answers >= bar:
                    break
        required = self.require_constraints or (
            self.yes_requires_constraints and bare_yes_no(answer_text) and polarity(answer_text) == "yes"
        )
        # A short question's own numbers pin what it asks about ("the pentagon's 1286 list", "UFC自由250")
        # in any script, unlike its names, which translation mangles: a window stating none answers
        # about something else ("188" from the list of 1260H). Days are left to the date rules.
        # (A yes/no question's numbers are its claim, which a "No" may state otherwise: "less than 5 years?")
        unstated_numbers = (
            pins_its_own_subject(question)
            and not bare_yes_no(answer_text)
            and bool(undated_numbers(question, absent))
        )
        ok = not ((required and absent) or unstated_numbers) and (p_answers is None or p_answers >= bar)
        return AnswerCheck(ok, tuple(absent), p_answers)

    def _dates_another_event(
        self,
        question: str,
        answer_text: str,
        cited: Sequence[tuple[Citation, Passage]],
        spans: Sequence[Sequence[tuple[int, int]]],
        translations: Mapping[str, str],
    ) -> str | None:
        """The asked event's words no cited window states, when a short question asks when (None: one
        window states them, or nothing can be compared). The day comes from the quoted sentence, so
        that sentence and those just before it must be about the asked event: "11 October 2019" from
        "Yesterday, Roscosmos ... announced the death of cosmonaut Alexei Leonov" does not date his
        first spacewalk, which the passage also names (the relation checks above read whole passages)."""
        if not (asks_a_time(question) and pins_its_own_subject(question)):
            return None
        unstated: list[str] = []
        for (_, passage), passage_spans in zip(cited, spans, strict=True):
            window = _window(passage, passage_spans)
            asked = question
            if bool(HAN_CHAR.search(question)) != bool(HAN_CHAR.search(window)):
                asked = translations.get(normalize_language(passage.language) or "", "")
                if not asked:
                    return None  # no words of the window's language to compare
            if HAN_CHAR.search(window):
                event = unstated_event(asked, [window], self._embed)
                if event is None:
                    return None
                unstated.append(event)
                continue
            relation = check_relation(asked, answer_text, [window], self._embed)
            if relation is None or relation.coverage >= self.min_relation_coverage:
                return None
            unstated.append(", ".join(sorted(relation.unstated - relation.excused)))
        return "; ".join(unstated) or None

    def _bar(self, answer_text: str) -> float:
        """The judge's bar for this answer: a bare "No", a bare "Yes", or any other answer."""
        if not bare_yes_no(answer_text):
            return self.min_p_answers
        return self.min_p_no if polarity(answer_text) == "no" else self.min_p_yes_no

    def _rule_refusal(
        self, question: str, answer_text: str, quotes: Sequence[str], passages: Sequence[str]
    ) -> str | None:
        """The text rules, then those comparing words of the question and of the cited sentences by
        meaning (`rag.aboutness`)."""
        if (reason := text_rule_refusal(question, answer_text, quotes, passages)) is not None:
            return reason
        if self._off_topic.run(question, answer_text, quotes):
            return "the cited sentence gives the answer's value for something the question does not name"
        if self._other_counted.run(question, answer_text, quotes):
            return "the cited sentence counts something else than the question asks to count"
        if self._other_whole.run(question, answer_text, quotes):
            return "the cited sentence gives the answer as a share of another whole"
        if self._sibling_item.run(question, answer_text, quotes):
            return "the cited sentence gives the answer's value for another item than the one asked"
        return None

    def _judged(
        self, question: str, answer_text: str, passage: Passage, spans: Sequence[tuple[int, int]]
    ) -> float:
        """The judge's calibrated P(Yes) that the cited sentence (and the window before it) answers."""
        assert self._judge is not None
        return self._judge.run(
            title=passage.title,
            source=passage.source or "unknown source",
            date=publication_day(passage.published_at),
            # With the dates the index resolved, as the generator read them: "yesterday (= 15 April 2019)".
            evidence=" ".join(annotate(passage, lo, hi) for lo, hi in spans[-(self._judge_window + 1) :]),
            question=question,
            answer=without_markers(answer_text),
        ).p("Yes")

    def _spans(self, citation: Citation, passage: Passage) -> list[tuple[int, int]]:
        """Offsets in `passage.text` of the quoted sentence and up to `window` evidence sentences before it."""
        start = citation.start - passage.start
        end = start + len(citation.quote)
        spans = [
            (s, e)
            for s, e in sentence_spans(passage.text)
            if e <= start and not_evidence(passage.text[s:e]) is None
        ]
        return [*(spans[-self._window :] if self._window else []), (start, end)]

    def _days_stated(self, passage: Passage, spans: Sequence[tuple[int, int]]) -> list[str]:
        """The ISO days the quoted sentence and the evidence sentences before it state: those the index
        resolved ("On Wednesday": 2020-01-15) and those written in full ("January 7, 2020")."""
        lo, hi = spans[0][0], spans[-1][1]
        resolved = [d.resolved for d in passage.dates if lo <= d.start - passage.start < hi]
        written = [iso for _, _, iso in find_dates(passage.text[lo:hi])]
        forms = {form for iso in [*resolved, *written] for form in date_forms(iso)}
        return sorted(form for form in forms if len(form) == 10)

    def _scope(self, passage: Passage, spans: Sequence[tuple[int, int]]) -> Scope:
        lo, hi = passage.start + spans[-1][0], passage.start + spans[-1][1]
        dates = [d.resolved for d in passage.dates if lo - 400 <= d.start < hi]
        text = " ".join(passage.text[s:e] for s, e in spans)
        return Scope(text, passage.title, passage.source, passage.published_at, dates)

    def _missing(self, question: str, scopes: Sequence[Scope], translations: Mapping[str, str]) -> list[str]:
        """Constraints no scope states. Across scripts (a Chinese question, English evidence) those of
        the question's translation into the evidence's script, when there is one; else none."""

        def same_script(text: str) -> bool:
            return all(bool(HAN_CHAR.search(text)) == bool(HAN_CHAR.search(s.text)) for s in scopes)

        if not same_script(question):
            question = next((t for t in translations.values() if t and same_script(t)), "")
            if not question:
                return []
        constraints = question_constraints(question, self._known_sources)
        left = None
        for scope in scopes:
            gone = set(missing(constraints, scope))
            left = gone if left is None else left & gone
        return sorted(left or ())


def _window(passage: Passage, spans: Sequence[tuple[int, int]]) -> str:
    """The title and the text from the first evidence sentence to the end of the quote."""
    return f"{passage.title}. {passage.text[spans[0][0] : spans[-1][1]]}"
