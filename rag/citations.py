"""Check the generator's citations against the articles, repair what can be repaired.

The generator writes "[n]" markers (or "Source n", "(n)", "Passage n": small models vary). For each
answer sentence we find, within the cited passage, the sentence that best supports it and quote
that sentence with offsets into the article body. A citation is kept only if the quote occurs
verbatim in the stored article and it supports the claim (lexically, with dates compared in ISO
form, or semantically above a threshold measured on the dev sets). An uncited or wrongly cited
claim is re-attached to the best supporting sentence among the passages; an answer left with no
supported citation becomes an abstention.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from index.cjk import HAN_CHAR
from index.date_text import find_dates
from index.language import detect_language
from index.models import Article, ResolvedDate
from index.sentences import sentence_spans
from rag.constraints import (
    EVIDENCE_WINDOW,
    Constraints,
    Scope,
    missing,
    names_someone_else,
    question_constraints,
)
from rag.decompose import decompose_detailed, mentioned_sources
from rag.evidence import not_evidence
from rag.models import ABSTAIN_TEXT, Citation, Passage
from rag.precision import (
    AnswerPrecision,
    asks_which_day,
    asks_year_or_month,
    full_name,
    name_for,
    numbers_agree,
)
from rag.quantities import restore_dropped_scale
from rag.support import (
    BARE_DAY,
    date_forms,
    day_number_as_date,
    fit_dates_to_evidence,
    humanize_iso_dates,
    is_number_token,
    iso_dates,
    lexical_support,
    localize_dates,
    tokens,
)

EmbedFn = Callable[[list[str]], np.ndarray]

_ABSTAIN_PATTERNS = re.compile(
    r"insufficient information|not enough information|cannot be determined|do(?:es)? not (?:state|mention|"
    r"provide|contain|say)|no information|信息不足|没有足够|无法确定|未提及|没有提到",
    re.IGNORECASE,
)
_MARKER_VARIANTS = [
    (re.compile(r"\[(?:source|passage|ref)?\s*(\d+(?:\s*(?:,|and|&)\s*\d+)*)\]", re.I), r"[\1]"),
    (re.compile(r"\((?:source|passage)\s*(\d+)\)", re.I), r"[\1]"),
    (re.compile(r"\b(?:according to\s+)?(?:source|passage)\s+(\d+)\b,?", re.I), r"[\1]"),
]
_MARKER = re.compile(r"\[(\d+(?:\s*(?:,|and|&)\s*\d+)*)\]")
_YES_NO = re.compile(r"^\s*(yes|no|是|否|不是|没有|有)\b", re.IGNORECASE)
# A one-word answer to "before or after?" is a verdict like yes/no, not a claim to match word by word.
_ORDER_VERDICT = re.compile(r"^\s*(before|after|earlier|later)\W*$", re.IGNORECASE)
# A day token as `rag.support.tokens` writes one: "2019-03-15".
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# An answer of one claim and its markers: "Vikings [1]", "Sam Altman [1][2]".
_CLAIM_AND_MARKERS = re.compile(r"([^\[\]]+?)\s*((?:\[\d+\])+)")


@dataclass
class CheckedAnswer:
    """The verified answer: text with renumbered markers, its citations, and what was changed."""

    text: str
    citations: list[Citation]
    abstained: bool
    notes: list[str] = field(default_factory=list)


def normalise_markers(text: str) -> str:
    """Rewrite the citation styles small models use into "[n]" markers."""
    for pattern, repl in _MARKER_VARIANTS:
        text = pattern.sub(repl, text)
    return text


def _marker_numbers(group: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", group)]


def reply_claim(raw: str) -> str:
    """A raw reply's words without its citation markers: "Sam Altman [2]" -> "Sam Altman"."""
    return _strip_markers(normalise_markers(raw.strip())).strip()


# A reply that is only a yes or a no, with its markers: "Yes [1]", "No.", "不是 [2]".
_BARE_YES_NO = re.compile(r"(?i)(?:yes|no|是|不是|否|对|不对|有|没有)\W*")


def bare_yes_no(raw: str) -> bool:
    """Whether a raw reply is a bare yes or no ("Yes [1]", "没有。"), with no claim of its own."""
    return bool(_BARE_YES_NO.fullmatch(reply_claim(raw)))


def abstains(raw: str) -> bool:
    """Whether a raw reply is itself an abstention ("Insufficient information.", "信息不足")."""
    claim = reply_claim(raw)
    return not claim or bool(_ABSTAIN_PATTERNS.search(claim))


def _strip_markers(text: str) -> str:
    return re.sub(r"\s+", " ", _MARKER.sub("", text)).strip(" ,;")


@dataclass(frozen=True)
class _Candidate:
    passage_index: int
    start: int  # offsets into the passage text
    end: int
    score: float
    claim: str  # the claim as this sentence supports it (dates cut to the evidence's precision)


class CitationChecker:
    """Verifies and repairs the citations of one generated answer.

    `get_article` returns the stored article (quotes are checked against its full body);
    `embed` (optional) gives normalised vectors for the semantic fallback used across languages.
    """

    def __init__(
        self,
        get_article: Callable[[str], Article | None],
        embed: EmbedFn | None = None,
        min_lexical: float = 0.5,
        min_semantic: float = 0.45,
        min_yes_no_relevance: float = 0.2,
        evidence_filter: bool = True,
        precise: bool = False,
    ) -> None:
        """`evidence_filter=False` lets questions, bylines and captions be quoted (ablation only);
        `precise` gives a claim the cited sentence's precision and writes its dates for the reader."""
        self._get_article = get_article
        self._evidence_filter = evidence_filter
        self._embed = embed
        self.min_lexical = min_lexical
        self.min_semantic = min_semantic
        self.min_yes_no_relevance = min_yes_no_relevance
        self._precision = AnswerPrecision() if precise else None

    def run(self, question: str, raw: str, passages: Sequence[Passage]) -> CheckedAnswer:
        """Turn raw generated text into a verified answer (or an abstention)."""
        text = normalise_markers(raw.strip())
        if abstains(raw) or not passages:
            return CheckedAnswer(ABSTAIN_TEXT, [], True, ["generator abstained"] if reply_claim(raw) else [])

        notes: list[str] = []
        reader = detect_language(question)  # dates are written in its language, not the evidence's
        sentences = self._answer_sentences(text)
        kept: list[tuple[str, list[_Candidate]]] = []
        for sentence, cited in sentences:
            claim = _strip_markers(sentence)
            if not claim:
                continue
            found = [
                c
                for n in cited
                if 1 <= n <= len(passages)
                for c in [self._best_in(question, claim, passages, n - 1)]
                if c
            ]
            supported = [c for c in found if c.score > 0]
            if len(supported) < len(cited):
                notes.append(
                    f"dropped {len(cited) - len(supported)} unsupported citation(s) for: {claim[:80]}"
                )
            if not supported:
                repaired = self._best_anywhere(question, claim, passages)
                if repaired:
                    notes.append(f"re-attached a citation to passage {repaired.passage_index + 1}")
                    supported = [repaired]
            if supported and supported[0].claim and supported[0].claim != claim:
                if BARE_DAY.fullmatch(claim):
                    notes.append(
                        f"read the day's number as the date the article writes: {supported[0].claim!r}"
                    )
                elif find_dates(claim) == find_dates(supported[0].claim):  # "5000" -> "50 million"
                    notes.append(
                        f"gave the answer's number the scale the article writes: {supported[0].claim!r}"
                    )
                else:
                    notes.append(f"cut the answer's date to what the article says: {supported[0].claim!r}")
                claim = supported[0].claim
            if self._precision is None:
                kept.append((humanize_iso_dates(claim), supported))
                continue
            if supported and supported[0].claim:  # a claim matched word for word (not a yes/no verdict)
                best, p = supported[0], passages[supported[0].passage_index]
                sharper = self._precision.run(
                    question, claim, p.text[best.start : best.end], _dates_in(p, best.start, best.end)
                )
                if sharper != claim:
                    notes.append(f"gave the answer the precision of the cited sentence: {sharper!r}")
                    claim = sharper
            kept.append((localize_dates(claim, reader), supported))

        return self._assemble(kept, passages, notes)

    def complete_names(self, checked: CheckedAnswer, question: str = "") -> CheckedAnswer:
        """A checked answer whose claim is a short name, given as its first cited article writes it in
        full ("Vikings [1]" -> "Minnesota Vikings [1]", `rag.precision.full_name`) and, to an English
        `question`, a Chinese name with the Latin name the article glosses it with at its first mention
        ("JD·万斯" -> "JD Vance (JD·万斯)", `rag.precision.name_for`). Run after the answer check, which
        compares the name as the cited sentence writes it; only with `precise`."""
        if self._precision is None or checked.abstained or not checked.citations:
            return checked
        m = _CLAIM_AND_MARKERS.fullmatch(checked.text.strip())
        article = self._get_article(checked.citations[0].article_id) if m else None
        if m is None or article is None:
            return checked
        claim, markers = m.groups()
        text = f"{article.title}\n{article.body}"
        named = full_name(claim, text)
        if question:
            named = name_for(named, text, detect_language(question))
        if named == claim:
            return checked
        note = f"gave the name as the cited article writes it: {named!r}"
        return CheckedAnswer(f"{named} {markers}", checked.citations, False, [*checked.notes, note])

    def cite_named_reports(
        self, checked: CheckedAnswer, question: str, passages: Sequence[Passage], known_sources: Sequence[str]
    ) -> CheckedAnswer:
        """An answer to a question that names its reports ("reported by The Age and TechCrunch") also
        cites each named report that states it where the reply cited only another: the 1.5B cites one
        passage, and the answer check refuses an answer no cited passage of a named report states.
        A report is cited only by a sentence of its own passage that states the answer word for word
        (its passage must be in `passages`, the context the reply was written from)."""
        m = _CLAIM_AND_MARKERS.fullmatch(checked.text.strip())
        if checked.abstained or m is None:
            return checked
        claim, markers = m.groups()
        if _YES_NO.match(claim) or _ORDER_VERDICT.match(claim):
            return checked  # a verdict's reports are judged side by side (rag.verdict)
        citations = list(checked.citations)
        cited = {c.source for c in citations}
        for source in (s for s in mentioned_sources(question, known_sources) if s not in cited):
            # its own passages, in the claim's script (a quote across scripts states no words of it)
            own = [
                i for i, p in enumerate(passages) if p.source == source and not _cross_script(claim, p.text)
            ]
            best = self._best(question, claim, passages, own) if own else None
            if best is None or best.claim != claim:
                continue
            citation = self._citation(passages[best.passage_index], best, len(citations) + 1)
            if citation is not None:
                citations.append(citation)
        added = citations[len(checked.citations) :]
        if not added:
            return checked
        text = f"{claim} {markers}" + "".join(f"[{c.n}]" for c in added)
        note = "cited the named report(s) stating the answer too: " + ", ".join(c.source for c in added)
        return CheckedAnswer(text, citations, False, [*checked.notes, note])

    # -- finding support ---------------------------------------------------------------------------

    def _answer_sentences(self, text: str) -> list[tuple[str, list[int]]]:
        """Split the answer into sentences with the passage numbers each one cites."""
        out: list[tuple[str, list[int]]] = []
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            numbers = [n for m in _MARKER.finditer(sentence) for n in _marker_numbers(m.group(1))]
            out.append((sentence, list(dict.fromkeys(numbers))))
        # A trailing marker split off as its own "sentence" belongs to the previous one.
        merged: list[tuple[str, list[int]]] = []
        for sentence, numbers in out:
            if merged and not _strip_markers(sentence):
                prev, prev_numbers = merged[-1]
                merged[-1] = (prev + " " + sentence, list(dict.fromkeys(prev_numbers + numbers)))
            else:
                merged.append((sentence, numbers))
        return merged

    def _score(
        self, question: str, claim: str, evidence: str, evidence_dates: list[str]
    ) -> tuple[float, str]:
        """Support of `claim` by `evidence` (0 when below the thresholds) and the claim as supported.

        Dates in the claim must be in the evidence; one stated more precisely than the evidence
        allows is cut back to what the evidence says ("20 March 2015" -> "March 2015").
        """
        known_dates = iso_dates(evidence).union(*(date_forms(d) for d in evidence_dates))
        known_dates |= {d[:4] for d in known_dates}
        if asks_which_day(question):  # "2" to "几号官宣的", from "6月2日"
            claim = day_number_as_date(claim, known_dates)
        fitted = fit_dates_to_evidence(restore_dropped_scale(claim, evidence), known_dates)
        if fitted is None:
            return 0.0, claim
        if _lost_its_month(claim, fitted) and not asks_year_or_month(question):
            # a day cut to its year: the sentence states the year ("今年"), not when; the 1.5B's day
            # is often the article's publication day
            return 0.0, claim
        new_info = tokens(fitted) - tokens(question) or tokens(fitted)
        if not new_info:
            return 0.0, claim
        evidence_tokens = tokens(evidence, evidence_dates)
        # a number the answer adds must be the evidence's own: other words matching do not make up for it
        if any(is_number_token(t) and t.replace(",", "") not in evidence_tokens for t in new_info):
            return 0.0, claim
        # so must a day: the first of a range ("14 to 17 March 2019") is read as a date of its own
        if any(_ISO_DAY.fullmatch(t) and t not in evidence_tokens for t in new_info):
            return 0.0, claim
        # so must a name: "Sam Altman" is not stated by a sentence on "Sam Bankman-Fried"
        if names_someone_else(fitted, evidence):
            return 0.0, claim
        lexical = len(new_info & evidence_tokens) / len(new_info)
        return (lexical, fitted) if lexical >= self.min_lexical else (0.0, claim)

    def _semantic(
        self, question: str, claim: str, candidates: list[tuple[int, int, int, str]]
    ) -> list[float]:
        if self._embed is None or not candidates:
            return [0.0] * len(candidates)
        vectors = self._embed([f"{question} {claim}"] + [c[3] for c in candidates])
        query, rest = vectors[0], vectors[1:]
        return [float(v @ query) for v in rest]

    def _sentences_of(self, passage: Passage) -> list[tuple[int, int, str, list[str]]]:
        """The passage's sentences that may be evidence (no questions, bylines, captions or headline
        lists: `rag.evidence`), each with the resolved dates the index attached inside it."""
        return [
            (s, e, passage.text[s:e], _resolved_in(passage, s, e))
            for s, e in sentence_spans(passage.text)
            if not self._evidence_filter or not_evidence(passage.text[s:e]) is None
        ]

    def _best_in(self, question: str, claim: str, passages: Sequence[Passage], i: int) -> _Candidate | None:
        which = [i]
        if _YES_NO.match(claim):
            # A yes or no cites a report; of its passages here, the one stating most of the question is
            # the evidence (the 1.5B cites "Yes [2]" where passage 1 of the same article has the
            # "escape room" asked about). Another article's passage is another report: never swapped in.
            which += [j for j, p in enumerate(passages) if j != i and p.article_id == passages[i].article_id]
        return self._best(question, claim, passages, which)

    def _best_anywhere(self, question: str, claim: str, passages: Sequence[Passage]) -> _Candidate | None:
        best = self._best(question, claim, passages, range(len(passages)))
        return best if best and best.score > 0 else None

    def _best(self, question: str, claim: str, passages: Sequence[Passage], which) -> _Candidate | None:
        if _YES_NO.match(claim) or _ORDER_VERDICT.match(claim):
            return self._best_for_yes_no(question, passages, which)
        scored: list[_Candidate] = []
        unsupported: list[tuple[int, int, int, str]] = []
        for i in which:
            for s, e, sentence, dates in self._sentences_of(passages[i]):
                score, fitted = self._score(question, claim, sentence, dates)
                if score > 0:
                    # prefer claims kept whole, then kept most precisely (a sentence stating the
                    # date's month over one stating only its year), then relevance to the question
                    score += 0.05 * (fitted == claim) + 0.02 * len(fitted) / len(claim)
                    score += 0.01 * lexical_support(question, sentence, dates)
                    scored.append(_Candidate(i, s, e, score, fitted))
                else:
                    unsupported.append((i, s, e, sentence))
        if scored:
            return max(scored, key=lambda c: c.score)
        # Semantic support only bridges scripts (an English answer from a Chinese article), and the
        # claim's numbers must still appear in the evidence ("5000" read as the "5000万" written
        # there); within one script words must match.
        bridged = [(u, restore_dropped_scale(claim, u[3])) for u in unsupported if _cross_script(claim, u[3])]
        bridged = [(u, read) for u, read in bridged if numbers_agree(read, u[3])]
        sims = self._semantic(question, claim, [u for u, _ in bridged])
        if sims and max(sims) >= self.min_semantic:
            k = int(np.argmax(sims))
            (i, s, e, _), read = bridged[k]
            return _Candidate(i, s, e, sims[k], read)
        return None

    def _best_for_yes_no(self, question: str, passages: Sequence[Passage], which) -> _Candidate | None:
        """A yes/no verdict cannot be matched word for word: the cited passage must be about the
        question (enough of its content words, over the whole passage) and we quote its most relevant
        sentence. A question about two reports is matched side by side: each report's passage is
        about one side, not the whole question. Questions name reports by source and topic, so the
        article's source and title count as part of the passage here."""
        asks = [question, *(part.text for part in decompose_detailed(question))]
        best: _Candidate | None = None
        for i in which:
            p = passages[i]
            sentences = self._sentences_of(p)
            if not sentences:
                continue
            if _cross_script(question, p.text):
                candidate = self._about_across_scripts(question, sentences, i)
            else:
                candidate = self._about_in_words(asks, p, sentences, i)
            if candidate is not None and (best is None or candidate.score > best.score):
                best = candidate
        return best

    def _about_in_words(
        self, asks: Sequence[str], p: Passage, sentences: list[tuple[int, int, str, list[str]]], i: int
    ) -> _Candidate | None:
        """The passage is about the question when it holds enough of its words; quote its sentence
        holding most of them, and of those the one stating most of the question's numbers ("... leave
        Mysore Junction at 11:30 am": the sentence with the time, not the one with as many words that
        names the train). Then the one whose window, as the answer check reads it (it, the
        `EVIDENCE_WINDOW` sentences before it, the title), states most of the question's names and
        numbers: "He ... has requested U.S. President Donald Trump declare a state of emergency", after
        the sentence naming Louisiana's governor, not that sentence, which holds as many of the words
        of "has the louisiana governor asked trump for a federal emergency declaration" (yn-007)."""
        dates = [d.resolved for d in p.dates]
        about = f"{p.source}. {p.title}. {p.text}"
        relevance, ask = max((lexical_support(a, about, dates), a) for a in asks)
        if relevance < self.min_yes_no_relevance:
            return None
        constraints = question_constraints(ask)
        asked = Constraints(numbers=constraints.numbers)

        def states(k: int) -> tuple[float, int, int]:
            _, _, text, days = sentences[k]
            unstated = len(missing(asked, Scope(text, dates=days)))
            before = sentences[max(0, k - EVIDENCE_WINDOW) : k]
            window = Scope(
                " ".join([*(b[2] for b in before), text]),
                p.title,
                p.source,
                p.published_at,
                [d for b in [*before, sentences[k]] for d in b[3]],
            )
            return lexical_support(ask, text, days), -unstated, -len(missing(constraints, window))

        s, e, _, _ = sentences[max(range(len(sentences)), key=states)]
        return _Candidate(i, s, e, relevance, "")

    def _about_across_scripts(
        self, question: str, sentences: list[tuple[int, int, str, list[str]]], i: int
    ) -> _Candidate | None:
        """A Chinese question and an English passage (or the reverse) share no words: the passage is
        about the question when one of its sentences is near it in meaning, by the bar that bridges an
        answer across scripts (`min_semantic`), and that sentence is quoted."""
        sims = self._semantic(question, "", [(i, s, e, text) for s, e, text, _ in sentences])
        if not sims or max(sims) < self.min_semantic:
            return None
        k = int(np.argmax(sims))
        s, e, _, _ = sentences[k]
        return _Candidate(i, s, e, sims[k], "")

    # -- building the result -----------------------------------------------------------------------

    def _assemble(
        self, kept: list[tuple[str, list[_Candidate]]], passages: Sequence[Passage], notes: list[str]
    ) -> CheckedAnswer:
        citations: list[Citation] = []
        by_key: dict[tuple[str, int, int], int] = {}
        parts: list[str] = []
        for claim, candidates in kept:
            numbers: list[int] = []
            for c in candidates:
                citation = self._citation(passages[c.passage_index], c, len(citations) + 1)
                if citation is None:
                    notes.append(
                        f"quote not found verbatim in article {passages[c.passage_index].article_id}"
                    )
                    continue
                key = (citation.article_id, citation.start, citation.end)
                if key not in by_key:
                    by_key[key] = citation.n
                    citations.append(citation)
                numbers.append(by_key[key])
            if numbers:
                parts.append(claim + " " + "".join(f"[{n}]" for n in dict.fromkeys(numbers)))
        if not citations:
            notes.append("no supported citation: abstaining")
            return CheckedAnswer(ABSTAIN_TEXT, [], True, notes)
        return CheckedAnswer(" ".join(parts), citations, False, notes)

    def _citation(self, passage: Passage, c: _Candidate, n: int) -> Citation | None:
        """Quote the supporting sentence with offsets into the article body, verified verbatim."""
        quote = passage.text[c.start : c.end]
        start, end = passage.start + c.start, passage.start + c.end
        article = self._get_article(passage.article_id)
        if article is None:
            return None
        if article.body[start:end] != quote:
            found = article.body.find(quote)
            if found < 0:
                return None
            start, end = found, found + len(quote)
        return Citation(
            n=n,
            article_id=passage.article_id,
            title=passage.title,
            source=passage.source,
            url=passage.url,
            published_at=passage.published_at,
            quote=quote,
            start=start,
            end=end,
            chunk_id=passage.chunk_id,
            support=round(c.score, 3),
        )


def _resolved_in(passage: Passage, start: int, end: int) -> list[str]:
    """ISO dates the index resolved inside passage.text[start:end] ("in March" -> "2015-03")."""
    return [d.resolved for d in _dates_in(passage, start, end)]


def _dates_in(passage: Passage, start: int, end: int) -> list[ResolvedDate]:
    """The relative dates the index resolved inside passage.text[start:end]."""
    lo, hi = passage.start + start, passage.start + end
    return [d for d in passage.dates if lo <= d.start < hi]


def _cross_script(claim: str, evidence: str) -> bool:
    """True when one side is mostly Chinese and the other is not."""

    def cjk_share(text: str) -> float:
        letters = [c for c in text if c.isalpha()]
        return sum(1 for c in letters if HAN_CHAR.match(c)) / max(1, len(letters))

    return (cjk_share(claim) > 0.5) != (cjk_share(evidence) > 0.5)


def _lost_its_month(claim: str, fitted: str) -> bool:
    """A date of `claim` written with its month (or day) was cut to a year alone in `fitted`."""

    def with_month(text: str) -> int:
        return sum(len(iso) >= 7 for _, _, iso in find_dates(text))

    return with_month(fitted) < with_month(claim)
