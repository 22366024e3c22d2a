import hashlib
import re

import numpy as np

from index.models import ResolvedDate
from rag.context import ContextSelector, SentenceWindows, ordering_notes
from rag.generation import render_passages
from rag.models import Passage


def _p(article_id: str, published_at: str | None, source: str = "S", score: float = 1.0) -> Passage:
    return Passage(
        chunk_id=f"{article_id}#0",
        article_id=article_id,
        text="t",
        start=0,
        end=1,
        score=score,
        source=source,
        published_at=published_at,
    )


def test_selector_caps_passages_per_article_so_a_second_article_gets_in():
    passages = [_p("a", None), _p("a", None), _p("a", None), _p("b", None)]
    chosen = ContextSelector(n=3, per_article=2).run("q", passages)
    assert [p.article_id for p in chosen] == ["a", "a", "b"]


def test_selector_leaves_out_passages_far_below_the_best_one():
    passages = [_p("a", None, score=0.6), _p("b", None, score=0.4), _p("c", None, score=0.3)]
    chosen = ContextSelector(n=4, per_article=2, min_ratio=0.55).run("q", passages)
    assert [p.article_id for p in chosen] == ["a", "b"]  # 0.3 < 0.55 x 0.6
    assert [p.article_id for p in ContextSelector(n=4, per_article=2).run("q", passages)] == ["a", "b", "c"]


def test_selector_keeps_everything_when_no_score_is_positive():
    passages = [_p("a", None, score=-0.2), _p("b", None, score=-0.5)]
    assert len(ContextSelector(n=4, per_article=2, min_ratio=0.55).run("q", passages)) == 2


def test_ordering_notes_state_publication_order_from_metadata():
    passages = [
        _p("v", "2023-11-24T15:42:21+00:00", "The Verge"),
        _p("e", "2023-11-20T09:00:00+00:00", "Engadget"),
    ]
    (note,) = ordering_notes("Did Engadget report X before The Verge reported Y?", passages)
    assert note.index("Engadget") < note.index("The Verge")
    assert "[2] Engadget (2023-11-20)" in note


def test_no_ordering_notes_for_other_questions():
    passages = [_p("v", "2023-11-24"), _p("e", "2023-11-20")]
    assert ordering_notes("Who is the CEO of OpenAI?", passages) == []


def test_ordering_notes_compare_instants_across_time_zones_and_show_each_local_day():
    # New York 20:30 on the 22nd is 00:30 UTC on the 23rd: after Beijing's 08:26 (00:26 UTC), though
    # its local clock reads earlier
    passages = [
        _p("ny", "2015-07-22T20:30:00-04:00", "VOA"),
        _p("bj", "2015-07-23T08:26:00+08:00", "China Daily"),
    ]
    (note,) = ordering_notes("Which came first?", passages)
    assert (
        note == "Publication order, earliest first: [2] China Daily (2015-07-23), then [1] VOA (2015-07-22)."
    )


# -- sentence windows -------------------------------------------------------------------------------

BODY = (
    "Lead paragraph about something else entirely. "
    "The company serves many customers. "
    "That followed the opening in March of its first overseas data center in Silicon Valley. "
    "Analysts were not surprised. "
    "Jane Doe contributed to this story. "
    "The weather was fine."
)


def _embed_consistently(texts: list[str]) -> np.ndarray:
    """Bag-of-words over one shared vocabulary of word hashes, so calls are comparable."""
    out = np.zeros((len(texts), 512), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in re.findall(r"[a-z]+", t.lower()):
            out[i, int(hashlib.md5(w.encode()).hexdigest()[:6], 16) % 512] += 1
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _chunk(start: int = 100, dates: tuple[ResolvedDate, ...] = ()) -> Passage:
    return Passage(chunk_id="cd#3", article_id="cd", text=BODY, start=start, end=start + len(BODY), score=0.9,
                   title="Aliyun", source="China Daily", published_at="2015-07-23", dates=dates)  # fmt: skip


def test_a_window_is_the_best_sentence_and_its_better_neighbour_with_exact_offsets():
    march = BODY.index("in March")
    date = ResolvedDate(100 + march, 100 + march + len("in March"), "in March", "2015-03")
    (window,) = SentenceWindows(_embed_consistently, best=1).run(
        "When did the company with many customers open its first data center in Silicon Valley?",
        [_chunk(dates=(date,))],
    )
    assert window.text.startswith("The company serves many customers.")
    assert window.text.endswith("in Silicon Valley.")
    article = " " * 100 + BODY  # the chunk sits at offset 100 of its article
    assert article[window.start : window.end] == window.text
    assert window.chunk_id == "cd#3" and window.title == "Aliyun" and window.score == 0.9
    assert window.dates == (date,)
    assert "in March [2015-03]" in window.annotated_text
    assert "(= March 2015)" in render_passages([window])  # the resolved-date note survives the cut


def test_two_best_sentences_give_one_window_covering_both():
    (window,) = SentenceWindows(_embed_consistently, best=2, neighbours=False).run(
        "customers and the weather", [_chunk()]
    )
    assert window.text.startswith("The company serves many customers.")
    assert window.text.endswith("The weather was fine.")


def test_bylines_and_questions_are_never_the_best_sentence():
    (window,) = SentenceWindows(_embed_consistently, best=1, neighbours=False).run(
        "Who contributed to this story?", [_chunk()]
    )
    assert "contributed" not in window.text


def test_dates_outside_the_window_are_dropped_and_short_passages_kept_whole():
    late = ResolvedDate(100 + len(BODY) - 5, 100 + len(BODY) - 1, "fine", "2015-07")
    one = Passage(chunk_id="x#0", article_id="x", text="Only one sentence here.", start=0, end=23, score=1.0)
    cut, kept = SentenceWindows(_embed_consistently, best=1, neighbours=False).run(
        "overseas data center in Silicon Valley", [_chunk(dates=(late,)), one]
    )
    assert cut.dates == () and kept == one


def test_selector_keeps_one_copy_of_a_syndicated_story():
    passages = [
        Passage(chunk_id=f"{a}#{i}", article_id=a, text="t", start=0, end=1, score=1.0, group=g)
        for a, i, g in [
            ("wire", 0, "wire"),
            ("copy1", 0, "wire"),
            ("wire", 1, "wire"),
            ("copy2", 0, "wire"),
            ("other", 0, ""),
        ]
    ]
    chosen = ContextSelector(n=4, per_article=2).run("q", passages)
    assert [p.chunk_id for p in chosen] == ["wire#0", "wire#1", "other#0"]
