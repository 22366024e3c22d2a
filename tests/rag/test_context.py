from rag.context import ContextSelector, ordering_notes
from rag.models import Passage


def _p(article_id: str, published_at: str | None, source: str = "S") -> Passage:
    return Passage(
        chunk_id=f"{article_id}#0",
        article_id=article_id,
        text="t",
        start=0,
        end=1,
        score=1.0,
        source=source,
        published_at=published_at,
    )


def test_selector_caps_passages_per_article_so_a_second_article_gets_in():
    passages = [_p("a", None), _p("a", None), _p("a", None), _p("b", None)]
    chosen = ContextSelector(n=3, per_article=2).run("q", passages)
    assert [p.article_id for p in chosen] == ["a", "a", "b"]


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
