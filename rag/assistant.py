"""The Python API: open an index once, then ask questions.

    from rag.assistant import Assistant
    assistant = Assistant.open()                    # default index, packaged generator
    answer = assistant.ask("When did Aliyun open its first US data center?")
    print(answer.text, [c.quote for c in answer.citations])

One question goes: rewrite a follow-up into a standalone question -> hybrid retrieval (with
decomposition for two-article questions) -> a few passages with resolved dates -> generation (or,
for "did A report X before B reported Y?", a verdict from publication dates) -> citation
verification and repair -> the Answer (or an abstention when nothing is supported).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
from llama_index.core.llms import LLM

from index.language import detect_language, normalize_language
from index.store import NewsIndex
from index.vectors import unit
from rag.answer_cache import AnswerCache, CachedAnswer, answer_key
from rag.answerability import AnswerabilityCheck, AnswerCheck
from rag.citations import CheckedAnswer, CitationChecker, abstains, bare_yes_no, reply_claim
from rag.context import ContextSelector, SentenceWindows, ordering_notes
from rag.decompose import asks_what, is_yes_no_question
from rag.denials import DENIED, OTHER_ORDINAL
from rag.filter_hint import FilterHint
from rag.generation import SYSTEM_PROMPT, Generator, answer_system_prompt
from rag.glossary import with_glossary
from rag.judge import LabelScorer
from rag.llm import build_translator
from rag.models import ABSTAIN_TEXT, Answer, Citation, Filters, Passage, Sources
from rag.order import PublicationOrderJudge
from rag.outlets import NO_OUTLET, unheld_outlets, unknown_outlets
from rag.prompt_cache import PromptCache
from rag.question_dates import QuestionDates
from rag.relevance import nothing_relevant
from rag.retrieval import HybridRetriever
from rag.rewrite import QuestionRewriter
from rag.settings import RagSettings, YesNoRoute
from rag.subject import SubjectFilter, needs_translation
from rag.syndication import AlsoReportedBy
from rag.translate import QuestionTranslator, target_languages
from rag.truecase import truecase, typed_in_lower_case
from rag.value_probe import ValueQuestionWriter, claimed_value, decide, verdict_text
from rag.verdict import SideBySideVerdict, VerdictThresholds, one_short_claim, polarity

log = logging.getLogger(__name__)
_YES = re.compile(r"(?i)\byes\b")
_DENIED_NO = "the cited sentence denies the claim: answered No"

Message = dict[str, str]  # {"role": "user" | "assistant", "content": "..."}


class Assistant:
    """Retrieval, generation and citation checking behind three calls: open, ask, stream."""

    def __init__(
        self,
        settings: RagSettings,
        index: NewsIndex,
        retriever: HybridRetriever,
        llm: LLM,
        scorer: LabelScorer | None = None,
    ) -> None:
        """`scorer` reads the generator's Yes/No probabilities for the checks (default: from `llm`)."""
        self.settings = settings
        self.index = index
        self._retriever = retriever
        self._llm = llm
        cache = (
            PromptCache(settings.prompt_cache_dir, settings.generator_id())
            if settings.prompt_cache_dir is not None
            else None
        )
        self._generator = Generator(llm, cache, answer_system_prompt(settings.precise_answers))
        self._rewriter = QuestionRewriter(llm)
        self._translator = self._question_translator(llm, cache) if settings.translate_questions else None
        self._selector = ContextSelector(
            settings.context_passages,
            settings.context_per_article,
            settings.one_copy_per_story,
            settings.context_min_ratio,
        )
        self._subject = (
            SubjectFilter(index.get_articles, retriever.known_sources) if settings.subject_filter else None
        )
        self._windows = (
            SentenceWindows(self._embed, settings.window_sentences)
            if settings.context_mode == "windows"
            else None
        )
        self._answers = AnswerCache(settings.answer_cache_size)
        self._fingerprint: str | None = None  # the index version cached answers belong to; read on first use
        self._order = PublicationOrderJudge(retriever, retriever.known_sources, settings.order_candidates)
        self._dates = QuestionDates(
            settings.recency_weight, settings.recency_half_life_days, settings.question_dates
        )
        self._also_reported = AlsoReportedBy(index)
        scorer = scorer or LabelScorer(llm, cache)
        self._verdict = SideBySideVerdict(
            llm,
            SYSTEM_PROMPT,
            retriever,
            retriever.known_sources,
            VerdictThresholds(
                settings.verdict_stated,
                settings.verdict_contradicted,
                settings.verdict_joint,
                settings.verdict_joint_prior,
            ),
            scorer,
        )
        self._answer_check = AnswerabilityCheck(
            llm,
            SYSTEM_PROMPT,
            retriever.known_sources,
            settings.min_answer_probability,
            settings.require_question_constraints,
            scorer=scorer,
            min_relation_coverage=settings.min_relation_coverage,
            get_articles=index.get_articles if settings.require_cited_subject else None,
            judge_window=settings.answer_judge_window,
            min_p_yes_no=settings.min_yes_no_probability,
            min_p_no=settings.min_no_probability,
            embed=self._embed,
            yes_requires_constraints=settings.yes_requires_question_constraints,
        )
        self._probe = ValueQuestionWriter(llm, cache) if settings.yes_no_value_probe else None
        self._filter_hint = FilterHint(retriever)
        self._checker = CitationChecker(
            get_article=index.get_article,
            embed=self._embed,
            min_lexical=settings.min_lexical_support,
            min_semantic=settings.min_semantic_support,
            min_yes_no_relevance=settings.min_yes_no_relevance,
            evidence_filter=settings.evidence_filter,
            precise=settings.precise_answers,
        )

    @classmethod
    def open(cls, index_dir: Path | None = None, settings: RagSettings | None = None) -> Assistant:
        """Open the index (raises IndexNotFoundError with how to build it) and load the generator once."""
        from rag.llm import build_llm  # heavy import, only when an assistant is opened

        settings = settings or RagSettings()
        if index_dir is not None:
            settings = settings.model_copy(
                update={"index": settings.index.model_copy(update={"index_dir": index_dir})}
            )
        index = NewsIndex.open(settings.index)
        retriever = HybridRetriever(index, settings)
        return cls(settings, index, retriever, build_llm(settings))

    def refresh(self) -> None:
        """Pick up articles ingested since opening (the keyword index is rebuilt when the index changed).

        Cached answers are dropped when the index changed: they may no longer be the best ones."""
        self._retriever.refresh()
        if (
            self.settings.answer_cache_size > 0
            and (fingerprint := self.index.fingerprint()) != self._fingerprint
        ):
            self._answers.clear()
            self._fingerprint = fingerprint

    def ask(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Message] | None = None,
        as_of: date | None = None,
    ) -> Answer:
        """Answer one question; the Answer carries citations, retrieved passages and timings.
        `as_of` is the day the question is asked ("last week" is resolved against it; default today)."""
        answer: Answer | None = None
        for item in self.stream(question, filters, history, as_of):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        filters: Filters | None = None,
        history: Sequence[Message] | None = None,
        as_of: date | None = None,
    ) -> Iterator[Sources | str | Answer]:
        """Yield the retrieved Sources first, then text deltas as they are generated, then the final,
        verified Answer last.

        Retrieval takes tens of milliseconds and generation seconds, so a reader can look at the
        sources while the answer is written. The final text can differ from the streamed one:
        unsupported citations are dropped and an unsupported answer becomes an abstention. A question
        answered before (same index, filters, conversation and settings) is replayed from the cache.
        """
        question = question.strip()
        as_of = as_of or date.today()
        key = None
        if self.settings.answer_cache_size > 0:
            if self._fingerprint is None:
                self._fingerprint = self.index.fingerprint()
            # every setting, dumped per question: a change made after opening is another question
            key = answer_key(
                self._fingerprint, question, filters, history, self.settings.model_dump_json(), as_of
            )
            if (hit := self._answers.get(key)) is not None:
                yield from _replay(hit)
                return
        sources: Sources | None = None
        for item in self._answer(question, filters, history, as_of):
            if isinstance(item, Sources):
                sources = item
            elif isinstance(item, Answer) and key is not None and sources is not None:
                self._answers.put(key, sources.context, item)
            yield item

    def _answer(
        self, question: str, filters: Filters | None, history: Sequence[Message] | None, as_of: date
    ) -> Iterator[Sources | str | Answer]:
        timings: dict[str, float] = {}
        t_start = time.perf_counter()

        t = time.perf_counter()
        standalone = self._rewriter.run(question, history) if history else question
        timings["rewrite"] = _ms(t)

        t = time.perf_counter()
        # "last week" -> a date filter; the checks below get the question without it (the filter saw to it)
        dates = self._dates.run(standalone, as_of, filters, self._retriever.known_sources)
        filters = dates.filters
        top_k = self.settings.retrieve_top_k
        result = self._retriever.search(dates.query, filters, top_k=top_k)

        cased_notes: list[str] = []
        if self.settings.truecase_questions and typed_in_lower_case(standalone):
            # the checks below find names by their capitals: "aliyun" -> "Aliyun", as the passages write it
            texts = [p.text for p in result.passages]
            cased = truecase(standalone, texts)
            if cased != standalone:
                cased_notes.append(f"read the question's names as the articles write them: {cased}")
                standalone, dates = cased, replace(dates, query=truecase(dates.query, texts))
                # searched again: the embedding model reads "Aliyun" better than "aliyun"
                result = self._retriever.search(dates.query, filters, top_k=top_k)
        timings["retrieve"] = _ms(t)

        t = time.perf_counter()
        translations = self._translate(dates.query, filters, result.passages)
        if translations:  # searched again with them: each scores the chunks in its own language
            result = self._retriever.search(dates.query, filters, top_k=top_k, translations=translations)
        timings["translate"] = _ms(t)

        t = time.perf_counter()
        retrieved = dates.rerank(result.passages)
        on_subject = self._subject.run(standalone, retrieved) if self._subject else retrieved
        context = self._selector.run(standalone, on_subject)
        if context and nothing_relevant(
            result, self.settings.abstain_below_dense, self.settings.abstain_below_coverage
        ):
            context = []
        unheld = self._unheld_outlets(standalone, context) if context else []
        if unheld:
            context = []
        timings["retrieve"] += _ms(t)
        yield Sources(tuple(context), tuple(retrieved), _ms(t_start))

        answer = Answer(question=question, text=ABSTAIN_TEXT, abstained=True, retrieved=retrieved)
        answer.standalone_question = standalone
        answer.notes.extend(cased_notes)
        answer.notes.extend(f"searched in {lang} too: {text}" for lang, text in translations.items())
        answer.searched_dates = dates.searched
        if dates.searched is not None:
            answer.notes.append(dates.searched.describe())
        if not context:
            answer.notes.append(
                f"{NO_OUTLET} {', '.join(unheld)}, which the question names"
                if unheld
                else self._filter_hint.run(filters, retrieved) or "no relevant passage retrieved"
            )
            timings["generate"] = 0.0
            timings["first_token"] = timings["total"] = _ms(t_start)
            answer.timings_ms = timings
            log.debug(
                "answered %r -> %r before generating (%s)", question, answer.text, "; ".join(answer.notes)
            )
            yield ABSTAIN_TEXT
            yield answer
            return

        t = time.perf_counter()
        generated = False
        notes: list[str] = []
        verdict = self._order.run(standalone, filters)
        route = self._yes_no_route(standalone)
        if verdict is None and route == "verdict":
            verdict = self._verdict.run(dates.query, context, filters)
        if verdict is not None:  # publication order, or a yes/no judged side by side
            context, raw = verdict.passages or context, verdict.text
            answer.notes.append(verdict.explanation)
            timings["first_token"] = _ms(t_start)
            yield raw
        else:
            generated = True
            context = self._read_windows(standalone, context, timings)
            pieces: list[str] = []
            notes = [*dates.prompt_notes, *ordering_notes(standalone, context)]
            for delta in self._generator.run(standalone, context, notes):
                if not pieces:
                    timings["first_token"] = _ms(t_start)
                pieces.append(delta)
                yield delta
            raw = "".join(pieces)
        timings["generate"] = _ms(t)

        t = time.perf_counter()
        checked = self._verify(standalone, dates.query, raw, context, generated, translations)
        # a "No" read from a sentence denying the claim needs no verdict: the verdict's judges read
        # past the denial ("stated 0.94, contradicted 0.91" for "not concerned about the levees")
        if generated and self._must_confirm(route, standalone, raw) and _DENIED_NO not in checked.notes:
            checked = self._confirmed(dates.query, context, filters, checked, translations)
        timings["verify"] = _ms(t)
        if generated and checked.abstained and self.settings.second_answer and not abstains(raw):
            t = time.perf_counter()
            checked = self._second_answer(standalone, dates.query, raw, context, notes, checked, translations)
            timings["second_answer"] = _ms(t)
        if generated and checked.abstained and self._probe is not None:
            t = time.perf_counter()
            checked = self._by_claimed_value(standalone, raw, context, notes, checked)
            timings["value_probe"] = _ms(t)
        timings["total"] = _ms(t_start)

        answer.text = checked.text
        answer.abstained = checked.abstained
        answer.citations = self._also_reported.run(checked.citations)
        answer.notes.extend([f"raw: {raw.strip()[:300]}", *checked.notes])
        answer.timings_ms = timings
        log.debug("answered %r -> %r (%s)", question, answer.text, "; ".join(answer.notes))
        yield answer

    def _second_answer(
        self,
        standalone: str,
        query: str,
        raw: str,
        context: Sequence[Passage],
        notes: Sequence[str],
        refused: CheckedAnswer,
        translations: Mapping[str, str],
    ) -> CheckedAnswer:
        """Ask once more, naming the refused reply, and put the new reply through every check.

        A generator may name a value from a nearby sentence ("Sam Altman" for a question about Sam
        Bankman-Fried) while the passages hold the answer; told which reply was refused, a strong one
        can find it (the packaged 1.5B only abstains: off by default, see `RagSettings.second_answer`).
        The second reply faces the same checks, so it is kept only if they pass.
        """
        second = "".join(self._generator.run(standalone, context, notes, rejected=(raw.strip(),)))
        claim = reply_claim(second)
        noted = [*refused.notes, f"second answer: {second.strip()[:300]}"]
        if abstains(second) or claim.casefold() == reply_claim(raw).casefold():
            return CheckedAnswer(ABSTAIN_TEXT, [], True, noted)
        rechecked = self._verify(standalone, query, second, context, True, translations)
        return CheckedAnswer(
            rechecked.text, rechecked.citations, rechecked.abstained, noted + rechecked.notes
        )

    def _by_claimed_value(
        self,
        standalone: str,
        raw: str,
        context: Sequence[Passage],
        notes: Sequence[str],
        refused: CheckedAnswer,
    ) -> CheckedAnswer:
        """An abstained yes/no question that claims one value, answered by asking for the value and
        comparing (rag/value_probe.py); the abstention stands unless the value passes every check.
        Only a short one-claim question: in "Between the report of October 1 and ..." a day names a report."""
        if not (is_yes_no_question(standalone) or (bare_yes_no(raw) and not asks_what(standalone))):
            return refused
        if not one_short_claim(standalone, self._retriever.known_sources):
            return refused  # a question about reports side by side: its dates name the reports
        claim = claimed_value(standalone)
        if claim is None or self._probe is None:
            return refused
        value_question = self._probe.run(standalone, claim)
        if value_question is None:
            return replace(
                refused, notes=[*refused.notes, f"no question for the claimed value {claim.text!r}"]
            )
        reply = "".join(self._generator.run(value_question, context, notes))
        noted = [
            *refused.notes,
            f"asked for the claimed value {claim.text!r}: {value_question} -> {reply.strip()[:200]}",
        ]
        if abstains(reply):
            return replace(refused, notes=noted)
        # strict: a value from a passage that lacks a name or year of the question answers another event
        value = self._verify(value_question, value_question, reply, context, True, {}, strict=True)
        noted += value.notes
        verdict = None if value.abstained else decide(claim, value.text, (c.quote for c in value.citations))
        if verdict is None:
            return replace(refused, notes=[*noted, "the value does not decide the claim: abstaining"])
        text = verdict_text(verdict, value.text)
        return CheckedAnswer(text, value.citations, False, [*noted, f"the claimed value compared: {text}"])

    def _unheld_outlets(self, question: str, context: Sequence[Passage]) -> list[str]:
        """The outlets the question names that the index has no article from and no article the answer
        would be drawn from names (`rag.outlets`): a filler article that mentions Reuters does not
        make "according to Reuters" answerable."""
        if not self.settings.abstain_on_unknown_outlets:
            return []
        named = unknown_outlets(question, self._retriever.known_sources)
        return unheld_outlets(question, named, context, self.index.get_articles)

    def _yes_no_route(self, question: str) -> YesNoRoute | None:
        """Who answers a yes/no question (None: not one, or verdicts are off): a question about reports
        side by side is the verdict's; a short one-claim question is the `yes_no_short_claims` setting's."""
        if not (self.settings.yes_no_verdicts and is_yes_no_question(question)):
            return None
        if one_short_claim(question, self._retriever.known_sources):
            return self.settings.yes_no_short_claims
        return "verdict"

    def _must_confirm(self, route: YesNoRoute | None, question: str, raw: str) -> bool:
        """Whether the side-by-side verdict must confirm a generated reply: any reply to a short claim
        routed "both"; and a bare yes or no to a short question in no yes/no form ("boris got more than
        100k votes?", "so the superbug mostly comes from food"): the reply shows that the generator read
        a claim, so it is confirmed as one, unless short claims are left to the generator."""
        if route == "both":
            return True
        return (
            route is None
            and self.settings.yes_no_verdicts
            and self.settings.yes_no_short_claims != "generator"
            and bare_yes_no(raw)
            and not asks_what(question)
            and one_short_claim(question, self._retriever.known_sources)
        )

    def _confirmed(
        self,
        query: str,
        context: Sequence[Passage],
        filters: Filters | None,
        checked: CheckedAnswer,
        translations: Mapping[str, str],
    ) -> CheckedAnswer:
        """A checked Yes or No to a short claim, kept only when the side-by-side verdict over the passages
        it cites says the same: the 1.5B says "Yes" to claims its passages contradict, and the verdict
        says "No" to claims they do not address, so each alone answers too much (docs/answering.md).
        The verdict finds its evidence by the claim's words, so a question cited from an article in
        another language is judged in its translation into that language, when retrieval made one."""
        said = polarity(checked.text)
        if checked.abstained or said is None:
            return checked
        cited_ids = {c.chunk_id for c in checked.citations}
        cited = [p for p in context if p.chunk_id in cited_ids]
        languages = [normalize_language(p.language) for p in cited]
        query = next((translations[lang] for lang in languages if lang in translations), query)
        verdict = self._verdict.run(query, cited, filters, search=False)
        judged = polarity(verdict.text)
        notes = [*checked.notes, f"side-by-side verdict: {verdict.text} ({verdict.explanation})"]
        if judged == said:
            return replace(checked, notes=notes)
        return CheckedAnswer(
            ABSTAIN_TEXT, [], True, [*notes, "the verdict does not confirm the reply: abstaining"]
        )

    def _read_windows(
        self, question: str, context: list[Passage], timings: dict[str, float]
    ) -> list[Passage]:
        """In "windows" context mode, each passage cut to its best sentences (else unchanged)."""
        if self._windows is None:
            return context
        t = time.perf_counter()
        windows = self._windows.run(question, context)
        timings["windows"] = _ms(t)
        return windows

    def _verify(
        self,
        standalone: str,
        query: str,
        raw: str,
        context: Sequence[Passage],
        generated: bool,
        translations: Mapping[str, str],
        strict: bool = False,
    ) -> CheckedAnswer:
        """Citations checked; a generated answer must also pass the answerability check (`strict`: and
        state every name and number of the question, which the check otherwise only notes)."""
        checked = self._checker.run(standalone, raw, context)
        if generated and not checked.abstained:
            if self.settings.cite_named_reports:
                known = self._retriever.known_sources
                checked = self._checker.cite_named_reports(checked, standalone, context, known)
            searched = translations
            translations = self._into_cited_languages(query, checked.citations, context, searched)
            checked.notes.extend(
                f"translated for the answer check into {lang}: {text}"
                for lang, text in translations.items()
                if lang not in searched
            )
            check = self._answer_check.run(query, checked.text, checked.citations, context, translations)
            checked.notes.append(check.note())
            if not check.ok and self._denied(check, checked.text):
                return replace(
                    checked,
                    text=_YES.sub("No", checked.text, count=1),
                    notes=[*checked.notes, _DENIED_NO],
                )
            if not check.ok or (strict and check.missing):
                return CheckedAnswer(ABSTAIN_TEXT, [], True, checked.notes)
            checked = self._checker.complete_names(checked, query)
        return checked

    def _denied(self, check: AnswerCheck, text: str) -> bool:
        """Whether the check refused a bare "Yes" because its cited sentence denies the claim (the
        denial rules of rag/denials.py), so that "No" is the answer the sentence gives."""
        reasons = (DENIED, OTHER_ORDINAL)
        return (
            self.settings.no_when_the_quote_denies
            and bare_yes_no(text)
            and polarity(text) == "yes"
            and len(check.missing) == 1
            and check.missing[0].startswith(reasons)
        )

    def _into_cited_languages(
        self,
        query: str,
        citations: Sequence[Citation],
        context: Sequence[Passage],
        translations: Mapping[str, str],
    ) -> Mapping[str, str]:
        """`translations` and the question in each other language a cited passage is in: the answer
        rules compare the question's words with the cited sentences' in one language, and retrieval
        finds passages in another language without a translation (the embedding is multilingual)."""
        if self._translator is None:
            return translations
        by_chunk = {p.chunk_id: p for p in context}
        cited = [by_chunk[c.chunk_id].language for c in citations if c.chunk_id in by_chunk]
        wanted = [lang for lang in target_languages(query, cited) if lang not in translations]
        return {**translations, **self._translator.run(query, wanted)} if wanted else translations

    def _question_translator(self, llm: LLM, cache: PromptCache | None) -> QuestionTranslator:
        """The generator translates, or the separate model `translator_model` names, loaded on the first
        question that needs a translation (a one-language corpus never loads it), with its own cache."""
        own = self.settings.translator_settings()
        style = self.settings.translation_prompt
        if own is None:
            return QuestionTranslator(llm, cache, style=style)
        if self.settings.prompt_cache_dir is not None:
            cache = PromptCache(self.settings.prompt_cache_dir, own.generator_id())
        return QuestionTranslator(lambda: build_translator(self.settings, llm), cache, style=style)

    def _translate(
        self, question: str, filters: Filters | None, retrieved: Sequence[Passage]
    ) -> dict[str, str]:
        """The question in the corpus's other languages (none when the corpus holds one language, or,
        with `translate_when="uncovered"`, when the articles in the question's language that were
        retrieved already state every name it asks about)."""
        if self._translator is None:
            return {}
        languages = target_languages(question, self._retriever.known_languages, filters)
        if not languages:
            return {}
        gated = self.settings.translate_when == "always" or needs_translation(
            question,
            retrieved,
            self.index.get_articles,
            detect_language(question),
            self._retriever.known_sources,
        )
        glossary = self.settings.glossary_names
        names = (
            self._retriever.glossary.in_other_script(question, self._retriever.known_sources)
            if glossary != "off"
            else []
        )
        # "always": a name the other language's articles gloss is reason enough to search them
        translate = gated or (glossary == "always" and bool(names))
        translations = self._translator.run(question, languages) if translate else {}
        return with_glossary(translations, names, languages)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return unit(self.index.embed_model.get_text_embedding_batch(texts))


def _replay(hit: CachedAnswer) -> Iterator[Sources | str | Answer]:
    """A cached answer streamed like a fresh one, with this call's own (tiny) timings."""
    t = time.perf_counter()
    answer = hit.answer
    yield Sources(hit.context, tuple(answer.retrieved), _ms(t))
    yield answer.text
    answer.notes.append("answer cache: hit")
    answer.timings_ms = {"answer_cache": _ms(t), "first_token": _ms(t), "total": _ms(t)}
    log.debug("answer cache hit for %r", answer.question)
    yield answer


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
