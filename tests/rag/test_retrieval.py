from __future__ import annotations

from datetime import date
from typing import ClassVar

import numpy as np
import pytest
from fake_news_index import FakeNewsIndex

from rag import rerank
from rag.bm25 import BM25Index, bm25_dir, tokenize
from rag.models import Filters
from rag.retrieval import HybridRetriever
from rag.settings import RagSettings


@pytest.fixture
def index(tmp_path):
    return FakeNewsIndex(tmp_path)


@pytest.fixture
def settings(tmp_path):
    s = RagSettings()
    s.index.index_dir = tmp_path / "state"
    return s


@pytest.fixture
def retriever(index, settings):
    return HybridRetriever(index, settings)


def test_tokenize_stems_english_and_segments_chinese_in_one_text():
    toks = tokenize("Companies were running drones 美国联邦航空管理局设立无人机禁飞区")
    assert "compani" in toks and "run" in toks and "were" not in toks
    assert "无人机" in toks and "禁飞区" in toks
    assert "article" not in tokenize("the article reported drones", query=True)


def test_retrieve_returns_the_answering_chunk_with_its_metadata(retriever):
    passages = retriever.retrieve("When did Aliyun open its first overseas data center?", top_k=3)
    assert passages[0].chunk_id == "a1#0"
    p = passages[0]
    assert (p.article_id, p.source, p.language, p.title) == (
        "a1",
        "China Daily",
        "en",
        "Aliyun opens data center",
    )
    assert p.annotated_text.startswith("Aliyun said") and p.text[p.start : p.end] == p.text
    assert p.published_at == "2015-07-23T08:26:00+08:00"
    assert [q.score for q in passages] == sorted((q.score for q in passages), reverse=True)


def test_chinese_question_finds_chinese_chunk(retriever):
    passages = retriever.retrieve("世界杯赛场周围多大范围内禁止无人机？", top_k=2)
    assert passages[0].article_id == "a5"


def test_unknown_dates_become_none(retriever):
    (p,) = [
        p
        for p in retriever.retrieve("charger with USB ports charge multiple devices", top_k=8)
        if p.article_id == "a8"
    ]
    assert p.published_at is None


@pytest.mark.parametrize("fusion", ["dense", "bm25", "convex", "rrf"])
def test_source_filter_excludes_on_both_sides(retriever, fusion):
    r = retriever.with_config(fusion=fusion, decompose=False)
    passages = r.retrieve("charge multiple devices USB ports", Filters(sources=("the verge",)), top_k=8)
    assert passages and {p.source for p in passages} == {"The Verge"}


@pytest.mark.parametrize("fusion", ["dense", "bm25"])
def test_date_range_is_inclusive_and_excludes_unknown_dates(retriever, fusion):
    r = retriever.with_config(fusion=fusion, decompose=False)
    q = "charge devices power bank USB ports Black Friday"
    got = r.retrieve(q, Filters(since=date(2023, 11, 24), until=date(2023, 11, 25)), top_k=8)
    assert {p.article_id for p in got} <= {"a3", "a4"} and got
    got = r.retrieve(q, Filters(until=date(2023, 11, 24)), top_k=8)
    assert "a8" not in {p.article_id for p in got}  # undated Engadget chunk
    assert all(p.published_at and p.published_at[:10] <= "2023-11-24" for p in got)


@pytest.mark.parametrize("fusion", ["dense", "bm25"])
def test_language_filter_matches_primary_subtag(retriever, fusion):
    r = retriever.with_config(fusion=fusion, decompose=False)
    got = r.retrieve("无人机 data center drones", Filters(languages=("zh-Hans",)), top_k=8)
    assert [p.article_id for p in got] == ["a5"]


def test_filters_are_pushed_down_to_chroma(retriever, monkeypatch):
    from llama_index.vector_stores.chroma import ChromaVectorStore
    from llama_index.vector_stores.chroma.base import _to_chroma_filter

    seen = []
    original = ChromaVectorStore.query

    def spy(self, query, **kwargs):
        seen.append(query.filters)
        return original(self, query, **kwargs)

    monkeypatch.setattr(ChromaVectorStore, "query", spy)
    narrow_only = retriever.with_config(postfilter_min_share=1.01, exact_max_chunks=0)  # all to Chroma
    narrow_only.retrieve("devices", Filters(sources=("Wired",), since=date(2023, 1, 1)), top_k=3)

    where = _to_chroma_filter(seen[0])
    assert where == {"$and": [{"source": {"$in": ["Wired"]}}, {"published_day": {"$gte": 20230101}}]}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(since=date(2023, 1, 1)),
        Filters(sources=("The Verge", "wired")),
        Filters(languages=("en",), until=date(2023, 11, 24)),
        Filters(sources=("Engadget",)),
    ],
)
def test_broad_filters_applied_after_a_wider_dense_query_give_chromas_result(retriever, monkeypatch, filters):
    from llama_index.vector_stores.chroma import ChromaVectorStore

    questions = ["charging devices USB ports", "ActivityPub Mastodon", "data center", "drone no fly zone"]
    by_chroma = retriever.with_config(postfilter_min_share=1.01, exact_max_chunks=0)
    expected = [[p.chunk_id for p in by_chroma.retrieve(q, filters, top_k=5)] for q in questions]

    calls = []
    original = ChromaVectorStore.query
    monkeypatch.setattr(
        ChromaVectorStore,
        "query",
        lambda self, query, **kw: calls.append(query) or original(self, query, **kw),
    )
    got = [[p.chunk_id for p in retriever.retrieve(q, filters, top_k=5)] for q in questions]
    assert got == expected
    assert all(q.filters is None for q in calls)  # no `where` sent: the filter was applied here


def test_dense_postfilter_falls_back_to_chroma_when_too_few_hits_pass(retriever):
    vec = retriever._embed_query("charging devices")
    mask = np.zeros(len(retriever.bm25), dtype=bool)
    mask[:2] = True  # 2 of 8 chunks pass, 3 wanted, and the wide query may not see them all
    capped = retriever.with_config(postfilter_max_k=3)
    assert capped._dense_postfiltered(vec, 3, mask) is None
    assert retriever._dense_postfiltered(vec, 3, mask) is not None  # saw every chunk: exact
    assert retriever.with_config(postfilter_min_share=0.5)._dense_postfiltered(vec, 3, mask) is None


def test_narrow_filters_are_searched_exactly_among_the_chunks_that_pass(retriever, monkeypatch):
    from llama_index.vector_stores.chroma import ChromaVectorStore

    filters = Filters(sources=("The Verge", "Wired", "Engadget"))
    by_chroma = retriever.with_config(postfilter_min_share=1.01, exact_max_chunks=0)
    exact = retriever.with_config(postfilter_min_share=1.01)  # 4 chunks pass: below exact_max_chunks
    calls = []
    original = ChromaVectorStore.query
    monkeypatch.setattr(
        ChromaVectorStore,
        "query",
        lambda self, query, **kw: calls.append(query) or original(self, query, **kw),
    )
    for q in ["charging devices USB ports", "ActivityPub protocol", "power bank iPhone"]:
        calls.clear()
        got = [p.chunk_id for p in exact.retrieve(q, filters, top_k=3)]
        assert calls == []  # nothing asked of Chroma's where ...
        assert got == [p.chunk_id for p in by_chroma.retrieve(q, filters, top_k=3)]  # ... same answer


def test_filter_matching_nothing_returns_nothing(retriever):
    assert retriever.retrieve("devices", Filters(sources=("Nobody News",))) == []
    assert retriever.retrieve("devices", Filters(since=date(2030, 1, 1))) == []


def test_bm25_is_persisted_and_rebuilt_only_when_fingerprint_changes(index, settings, tmp_path):
    HybridRetriever(index, settings)
    built = index.iter_calls  # BM25 (and, when settings ask for it, the name glossary)
    HybridRetriever(index, settings)
    assert index.iter_calls == built  # loaded, not read from the index again
    first = bm25_dir(settings.index.resolved_index_dir, index.fingerprint())
    assert first.is_dir()
    index.add("a9", "New", "Wired", "2024-01-01", "en", "A brand new article about quantum batteries.")
    r = HybridRetriever(index, settings)
    assert index.iter_calls == 2 * built
    assert not first.exists()  # the index for the old content is pruned
    assert r.retrieve("quantum batteries", top_k=1)[0].article_id == "a9"


def test_bm25_roundtrip(tmp_path):
    bm = BM25Index.build(
        [("x", "red apples", {"source": "S", "published_day": 20200101}), ("y", "green pears", {})]
    )
    bm.save(tmp_path / "b")
    again = BM25Index.load(tmp_path / "b")
    assert isinstance(again.ids, np.memmap) and isinstance(again.published_days, np.memmap)
    assert [again.chunk_id(r) for r in range(2)] == ["x", "y"]
    assert again.search("pears", 2) == bm.search("pears", 2)
    assert again.published_days.tolist() == [20200101, 0]
    assert bm.search("bananas", 5) == []


def test_bm25_rows_and_masks_by_id_and_metadata(tmp_path):
    records = [
        ("é-3", "red apples", {"source": "Wired", "language": "en"}),
        ("a-1", "green pears", {"source": "新华社", "language": "zh"}),
        ("b-2", "blue plums", {"source": "Wired"}),
    ]
    built = BM25Index.build(records)
    built.save(tmp_path / "b")
    for bm in (built, BM25Index.load(tmp_path / "b")):
        assert bm.rows_of(["b-2", "missing", "é-3", "a-1"]).tolist() == [2, -1, 0, 1]
        assert bm.rows_of([]).tolist() == []
        assert bm.mask_for("source", ["Wired"]).tolist() == [True, False, True]
        assert bm.mask_for("source", ["新华社", "Nobody"]).tolist() == [False, True, False]
        assert bm.mask_for("language", ["en"]).tolist() == [True, False, False]
        assert bm.mask_for("language", ["fr"]).tolist() == [False, False, False]


def test_bm25_of_an_older_format_is_rebuilt_not_misread(tmp_path):
    BM25Index.build([("x", "red apples", {})]).save(tmp_path / "b")
    rows = tmp_path / "b" / "rows.json"
    rows.write_text(rows.read_text().replace('"format": 2', '"format": 1'))
    with pytest.raises(ValueError, match="format 1"):
        BM25Index.load(tmp_path / "b")


def test_decomposition_brings_both_reports_to_the_top(retriever):
    q = "Did TechCrunch report that Flipboard integrated ActivityPub after The Verge explained that Mastodon uses the protocol?"
    top = {p.article_id for p in retriever.retrieve(q, top_k=2)}
    assert top == {"a6", "a7"}


def test_named_source_is_a_soft_boost_not_a_filter(retriever):
    got = retriever.retrieve(
        "According to Engadget, can a charger with USB ports charge multiple devices?", top_k=4
    )
    assert got[0].source == "Engadget"
    assert len({p.source for p in got}) > 1


def test_diversify_lets_a_second_article_in():
    ranked = [("a#0", "a", 1.0), ("a#1", "a", 0.95), ("a#2", "a", 0.9), ("b#0", "b", 0.85)]
    assert [c for c, _ in rerank.diversify(ranked, 2, penalty=0.2)] == ["a#0", "b#0"]
    assert [c for c, _ in rerank.diversify(ranked, 2, penalty=0.0)] == ["a#0", "a#1"]


def test_search_reports_signals_for_abstention(retriever):
    res = retriever.with_config(sentence_signal=True).search("Aliyun customers", top_k=2)
    assert res.best_dense > 0 and set(res.signals[0]) >= {"dense", "bm25", "sentence", "score"}
    assert -1.0 <= res.signals[0]["sentence"] <= 1.0 + 1e-6


def test_embedded_sentence_rescoring_runs(retriever):
    got = retriever.with_config(rescore="embed").retrieve("How many customers does Aliyun serve?", top_k=1)
    assert got[0].article_id == "a1"


def test_cross_lingual_answer_is_not_buried_by_same_language_word_overlap(tmp_path, settings):
    articles = [
        (
            "zh1",
            "无人机禁飞区",
            "VOA Chinese",
            "2026-06-10",
            "zh",
            "美国联邦航空管理局为世界杯设立无人机禁飞区。",
        ),
        *[
            (f"en{i}", f"World Cup note {i}", "Wire", f"2026-06-0{i}", "en", text)
            for i, text in enumerate(
                [
                    "Fans of the world cup bought tickets for the stadium tour and the fan zone.",
                    "The world cup stadium opened a new zone for families.",
                    "A cup final was played in the old stadium.",
                    "The aviation museum shows a world war plane.",
                ],
                start=1,
            )
        ],
    ]
    index = FakeNewsIndex(tmp_path / "xl", articles)
    q = "What no fly zone did the federal aviation administration set for drones around world cup stadiums?"
    retriever = HybridRetriever(index, settings).with_config(decompose=False)
    assert retriever.retrieve(q, top_k=1)[0].article_id == "zh1"
    plain = retriever.with_config(cross_lingual_neutral=False)
    assert plain.retrieve(q, top_k=1)[0].article_id != "zh1"  # what the neutral evidence fixes


class _FakeCrossEncoder:
    instances: ClassVar[list[_FakeCrossEncoder]] = []

    def __init__(self, model: str, top_n: int, device: str = "cpu") -> None:
        self.model, self.top_n = model, top_n
        _FakeCrossEncoder.instances.append(self)

    def postprocess_nodes(self, nodes, query_bundle):
        # prefers the shortest passage: an order the retriever's own scores would not produce
        for n in nodes:
            n.score = -len(n.node.get_content())
        return sorted(nodes, key=lambda n: -n.score)[: self.top_n]


def test_reranker_dir_uses_local_cross_encoder(index, settings, tmp_path, monkeypatch):
    model_dir = tmp_path / "xenc"
    model_dir.mkdir()
    monkeypatch.setattr(rerank, "SentenceTransformerRerank", _FakeCrossEncoder)
    settings.reranker_dir = model_dir
    got = HybridRetriever(index, settings).retrieve("charge multiple devices", top_k=3)
    assert _FakeCrossEncoder.instances[-1].model == str(model_dir)
    lengths = [len(p.annotated_text) for p in got]
    assert lengths == sorted(lengths)
    assert got[0].score == -lengths[0]


def test_reranker_dir_must_be_a_local_directory(index, settings, tmp_path):
    settings.reranker_dir = tmp_path / "missing"
    with pytest.raises(FileNotFoundError, match="NEWSRAG_RERANKER_DIR"):
        HybridRetriever(index, settings)


def test_minmax_and_rrf():
    from rag.fusion import minmax, rrf

    assert minmax(np.array([1.0, 3.0])).tolist() == [0.0, 1.0]
    fused = rrf([["a", "b"], ["b", "c"]], k=60)
    assert max(fused, key=fused.get) == "b"


_XL_ARTICLES = [
    (
        "zh1",
        "无人机禁飞区",
        "VOA Chinese",
        "2026-06-10",
        "zh",
        "美国联邦航空管理局为世界杯设立无人机禁飞区。",
    ),
    ("zh2", "世界杯门票", "VOA Chinese", "2026-06-11", "zh", "世界杯门票价格上涨。"),
    *[
        (f"en{i}", f"Stadium note {i}", "Wire", f"2026-06-0{i}", "en", text)
        for i, text in enumerate(
            [
                "Which stadium banned fans? The stadium banned fans near the gates around the cup.",
                "Stadiums around the city set new rules for fans near the gates.",
                "The agency set rules for stadiums and fans.",
            ],
            start=1,
        )
    ],
]
_XL_QUESTION = "Which agency set rules banning drones around the stadiums?"
_XL_TRANSLATION = "哪个机构在世界杯赛场周围设立了无人机禁飞区？"


def test_a_translated_question_finds_the_article_in_the_other_language(tmp_path, settings):
    index = FakeNewsIndex(tmp_path / "xl2", _XL_ARTICLES)
    retriever = HybridRetriever(index, settings).with_config(decompose=False)
    plain = retriever.search(_XL_QUESTION, top_k=3)
    assert plain.passages[0].article_id != "zh1"  # same-script word overlap wins without a translation
    both = retriever.search(_XL_QUESTION, top_k=3, translations={"zh": _XL_TRANSLATION})
    assert both.passages[0].article_id == "zh1"
    assert both.queries[-1] == _XL_TRANSLATION and both.best_dense >= plain.best_dense


def test_a_translation_scores_only_chunks_in_its_own_language(tmp_path, settings):
    index = FakeNewsIndex(tmp_path / "xl3", _XL_ARTICLES)
    retriever = HybridRetriever(index, settings).with_config(decompose=False)
    plain = {p.chunk_id: p.score for p in retriever.search(_XL_QUESTION, top_k=10).passages}
    both = retriever.search(_XL_QUESTION, top_k=10, translations={"zh": _XL_TRANSLATION})
    english = {p.chunk_id: p.score for p in both.passages if p.language == "en"}
    assert english and all(english[c] == pytest.approx(plain[c]) for c in english)
    # a "translation" into the question's own language is not a translation: nothing changes
    same = retriever.search(_XL_QUESTION, top_k=10, translations={"en": "Which agency set rules?"})
    assert [p.chunk_id for p in same.passages] == list(plain) and len(same.queries) == 1


def test_a_translation_counts_its_words_in_the_chunks_of_its_language(tmp_path, settings):
    """The pre-generation abstention reads the best coverage: a Chinese question's English article
    holds none of its words, but those of its English translation."""
    articles = [
        (
            "en1",
            "Slug glue",
            "Wire",
            "2019-04-11",
            "en",
            "Arion slugs make a glue that is not toxic to mammal tissue.",
        ),
        ("zh1", "世界杯门票", "VOA Chinese", "2026-06-11", "zh", "世界杯门票价格上涨。"),
    ]
    retriever = HybridRetriever(FakeNewsIndex(tmp_path / "xl4", articles), settings).with_config(
        decompose=False
    )
    question = "鼻涕虫的胶对哺乳动物有毒吗"
    plain = retriever.search(question, top_k=4)
    translated = retriever.search(
        question, top_k=4, translations={"en": "Is the glue of slugs toxic to mammals?"}
    )
    assert plain.best_coverage < 0.15 <= translated.best_coverage
    # an English "translation" of an English question is no translation: its words count nowhere new
    english = retriever.search(
        "Is the glue toxic?", top_k=4, translations={"zh": "Is the glue of slugs toxic?"}
    )
    assert english.best_coverage == retriever.search("Is the glue toxic?", top_k=4).best_coverage
