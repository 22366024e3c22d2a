"""The packaged dev gold sets checked against the demo corpus they were written from.

What a reviewer checks by hand, run on every row: each evidence fact is a passage of the article it
names, ids are unique, every near miss has an answerable sibling, each question accepts its own gold
answer, relative-day answers are what the fact's expression resolves to, unit answers keep their
qualifier, list answers name every item, and cross-lingual questions really cross languages.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from eval.gold import Evidence, GoldQuestion, load_gold_sets
from eval.metrics import contains_phrase, judge_strict, normalize_tokens, squash
from index.dates import resolve_dates
from index.models import Article
from index.readers import read_sources

DEMO_DIR = Path(__file__).resolve().parents[2] / "index" / "demo"


class Corpus:
    """The demo articles as the readers produce them, found the way gold evidence names them."""

    def __init__(self, articles: list[Article]) -> None:
        self.by_id = {a.id: a for a in articles}
        self.by_url = {a.url: a for a in articles if a.url}
        self.by_title: dict[str, list[Article]] = defaultdict(list)
        for a in articles:
            self.by_title[a.title].append(a)

    def find(self, e: Evidence) -> Article | None:
        """By article_id when the evidence has one (and then only by it), else by URL, else by title."""
        if e.article_id:
            return self.by_id.get(e.article_id)
        if e.url:
            return self.by_url.get(e.url)
        titled = self.by_title.get(e.title, [])
        return titled[0] if len(titled) == 1 else None


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus([a for a in read_sources([DEMO_DIR]) if isinstance(a, Article)])


@pytest.fixture(scope="module")
def questions() -> list[GoldQuestion]:
    return load_gold_sets()


def tagged(questions: list[GoldQuestion], tag: str) -> list[GoldQuestion]:
    found = [q for q in questions if tag in q.tags]
    assert found, f"no packaged question is tagged {tag!r}"
    return found


def test_every_fact_is_in_the_article_it_names(questions: list[GoldQuestion], corpus: Corpus) -> None:
    problems = []
    for q in questions:
        for e in q.evidence:
            article = corpus.find(e)
            if article is None:
                problems.append(f"{q.id}: no demo article {e.article_id or e.url or e.title!r}")
            elif squash(e.fact) not in squash(article.body):
                problems.append(f"{q.id}: fact not in {article.id}: {e.fact[:80]!r}")
    assert not problems, "\n".join(problems)


def test_ids_are_unique(questions: list[GoldQuestion]) -> None:
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))


def test_answerable_questions_have_evidence_and_near_misses_say_what_is_missing(
    questions: list[GoldQuestion],
) -> None:
    assert all(q.facts for q in questions if not q.is_null)
    written_here = {"nearmiss", "crosslingual", "precision"}
    assert all(q.note and not q.evidence for q in questions if q.is_null and q.set_name in written_here)


def test_every_near_miss_comes_first_in_a_pair_with_an_answerable_sibling(
    questions: list[GoldQuestion],
) -> None:
    pairs: dict[str, list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        if q.set_name == "nearmiss":
            assert q.pair, f"{q.id} has no pair"
            pairs[q.pair].append(q)
    for key, members in pairs.items():
        assert any(not q.is_null for q in members), f"pair {key} has no answerable sibling"
        nulls = [q for q in members if q.is_null]
        assert all(members.index(q) < len(nulls) for q in nulls), f"pair {key}: near miss not first"


def test_each_question_accepts_its_own_gold_answers(questions: list[GoldQuestion]) -> None:
    for q in questions:
        if q.is_null:
            continue
        for answer in (q.answer,) if q.all_of else q.acceptable:
            assert judge_strict(answer, False, q).passed, (q.id, answer)


def test_relative_day_answers_are_the_date_the_fact_resolves_to(
    questions: list[GoldQuestion], corpus: Corpus
) -> None:
    for q in tagged(questions, "relative-day"):
        gold_day = [t for t in normalize_tokens(q.answer) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t)]
        assert len(gold_day) == 1, f"{q.id}: the answer is not one calendar day"
        resolved = set()
        for e in q.evidence:
            article = corpus.find(e)
            assert article is not None
            start = article.body.find(e.fact)
            assert start >= 0, f"{q.id}: the fact must be verbatim to place its date expressions"
            resolved |= {
                d.resolved
                for d in resolve_dates(article.body, article.published_at, article.language)
                if start <= d.start < start + len(e.fact)
            }
        assert gold_day[0] in resolved, f"{q.id}: {gold_day[0]} is none of {sorted(resolved)}"


def test_unit_answers_never_accept_a_bare_number(questions: list[GoldQuestion]) -> None:
    for q in tagged(questions, "unit"):
        for answer in q.acceptable:
            tokens = normalize_tokens(answer)
            assert any(not re.fullmatch(r"\d+(\.\d+)?", t) for t in tokens), (q.id, answer)


def test_list_answers_name_every_item(questions: list[GoldQuestion], corpus: Corpus) -> None:
    for q in tagged(questions, "list"):
        assert len(q.all_of) >= 2, f"{q.id}: a list question needs answer_all_of"
        same_language = all(
            (a := corpus.find(e)) is not None and a.language == q.language for e in q.evidence
        )
        if same_language:
            facts = " ".join(q.facts)
            assert all(contains_phrase(facts, item) for item in q.all_of), q.id


def test_crosslingual_questions_ask_in_the_other_language(
    questions: list[GoldQuestion], corpus: Corpus
) -> None:
    for q in tagged(questions, "crosslingual"):
        direction = "zh-about-en" if q.language == "zh" else "en-about-zh"
        assert direction in q.tags, f"{q.id}: tagged {q.tags}, asked in {q.language}"
        for e in q.evidence:
            article = corpus.find(e)
            assert article is not None and article.language != q.language, q.id
