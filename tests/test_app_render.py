"""The UI's HTML: source cards before and after the answer, the corpus panel, the upload report.
Article text and metadata are untrusted: everything is escaped."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app_fakes import OTHER, QUOTE, READ_NOT_CITED, STATS, aliyun_answer, citation, passage

from index.models import Skipped
from index.pipeline import IngestReport
from rag.filter_hint import NO_MATCH
from rag.models import ABSTAIN_TEXT, Answer, Filters, Sources
from rag.outlets import NO_OUTLET
from ui.corpus_view import render_report, render_stats
from ui.sources_view import highlight_quote, highlight_quotes, render_pending, render_sources
from ui.uploads import Rejected


def test_cards_show_title_source_date_link_and_the_marked_quote_in_its_chunk():
    cited, uncited = render_sources(aliyun_answer())
    assert "[1]" in cited and "China Daily" in cited and "2015-07-23" in cited
    assert 'href="https://www.chinadaily.com.cn/' in cited and 'rel="noopener noreferrer"' in cited
    assert f"<mark>{QUOTE}</mark>" in cited
    assert "it will open a second US data center" in cited  # the surrounding chunk text
    assert "Li Jin said more data centers" in uncited and "0.420" in uncited
    assert "Li Jin" not in cited


def test_pending_cards_then_each_read_passage_marked_cited_or_not():
    answer = aliyun_answer()
    sources = Sources(context=(passage(), READ_NOT_CITED), retrieved=(passage(), READ_NOT_CITED, OTHER))
    pending, others = render_pending(sources, Filters(languages=("en",)))
    assert pending.count('class="nr-card nr-pending"') == 2 and "<mark>" not in pending
    assert "Filtered by languages: en" in pending and "Cloud race" in pending
    assert "Li Jin" in others and "Cloud race" not in others

    final, others = render_sources(answer, None, sources.context)
    assert final.count("nr-card nr-cited") == 1 and final.count("nr-card nr-not-cited") == 1
    assert final.index("nr-cited") < final.index("Cloud race")  # cited first, then what was read
    assert 'id="nr-cite-1"' in final and "not cited" in final
    assert "Li Jin" in others and "Cloud race" not in others


def test_two_citations_of_one_passage_share_its_card():
    p = passage()
    first = "Aliyun said on Wednesday it will open a second US data center."
    answer = Answer(
        question="q",
        text="a [1] b [2]",
        abstained=False,
        citations=[citation(p, first, 1), citation(p, QUOTE, 2)],
        retrieved=[p],
    )
    final, _ = render_sources(answer, None, (p,))
    assert final.count("nr-card") == 1 and "[1][2]" in final
    assert final.count("<mark>") == 2


def test_untrusted_article_text_is_escaped_everywhere():
    evil_body = 'Before <script>alert("x")</script> <img src=x onerror=alert(1)> after.'
    quote = "<img src=x onerror=alert(1)>"
    p = passage(
        evil_body, title="<script>alert('t')</script>", source="<b>Src</b>", url="javascript:alert(1)"
    )
    other = passage(
        "<script>steal()</script>",
        chunk_id="a2:0",
        article_id="a2",
        title="<i>t</i>",
        url='https://ok.example/"><script>',
    )
    answer = Answer(
        question="q",
        text="x [1]",
        abstained=False,
        citations=[citation(p, quote)],
        retrieved=[p, other],
        notes=["<script>n()</script>"],
    )
    pending = render_pending(Sources(context=(p, other), retrieved=(p, other)))
    for out in (*render_sources(answer), *render_sources(answer, None, (p, other)), *pending):
        assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
        assert "javascript:" not in out
        assert 'href="https://ok.example' not in out  # a URL that breaks out of the attribute is dropped
    cited, uncited = render_sources(answer)
    assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in cited
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in cited
    assert "href" not in cited  # a javascript: URL is not a link
    assert "&lt;script&gt;steal()&lt;/script&gt;" in uncited


def test_highlight_falls_back_to_searching_then_to_the_quote_alone():
    assert highlight_quote("a <b> c", "<b>", offset=99) == "a <mark>&lt;b&gt;</mark> c"
    assert highlight_quote("unrelated", "q & a") == "unrelated <mark>q &amp; a</mark>"
    assert highlight_quote(None, "q") == "<mark>q</mark>"
    assert highlight_quotes("one two three", [("three", None), ("one", 0)]) == (
        "<mark>one</mark> two <mark>three</mark>"
    )


def test_abstention_and_a_filter_that_matches_nothing_say_why():
    f = Filters(since=date(2016, 1, 1))
    cited, uncited = render_sources(Answer(question="q", text=ABSTAIN_TEXT, abstained=True), f)
    assert "No passage in the corpus answers" in cited and "since 2016-01-01" in cited
    assert "No other passages" in uncited
    hint = f"{NO_MATCH}: no source is called 'Nope <Times>' (closest sources: China Daily)."
    answer = Answer(question="q", text=ABSTAIN_TEXT, abstained=True, notes=[hint])
    cited, _ = render_sources(answer, Filters(sources=("Nope <Times>",)))
    assert "nr-filter-hint" in cited and "closest sources: China Daily" in cited
    assert "Nope &lt;Times&gt;" in cited and "No passage in the corpus answers" not in cited
    # an outlet the index holds no article from is named too
    note = f"{NO_OUTLET} Bloomberg, which the question names"
    cited, _ = render_sources(Answer(question="q", text=ABSTAIN_TEXT, abstained=True, notes=[note]), None)
    assert "nr-filter-hint" in cited and "no article from Bloomberg" in cited


def test_corpus_panel_is_a_compact_table_with_more_sources_folded():
    html = render_stats(STATS)
    assert "Articles</dt><dd>3" in html and "2015-07-23 – 2019-01-04" in html and "en, zh" in html
    assert "Sources</dt><dd>2" in html and "<details" not in html
    assert html.index("English Wikinews") < html.index("China Daily")  # biggest first
    many = {**STATS, "sources": {f"Source {i:02d}": 100 - i for i in range(12)}}
    html = render_stats(many)
    top, folded = html.split("<details", 1)
    assert top.count("<tr>") == 5 and "Source 00" in top and "Source 05" not in top
    assert "all 12 sources" in folded and folded.count("<tr>") == 12
    assert "No index yet" in render_stats(None)


def test_corpus_status_and_upload_report_are_escaped():
    html = render_stats({**STATS, "sources": {"<script>x</script>": 1}, "date_range": [None, None]})
    assert "&lt;script&gt;" in html and "<script>" not in html and "Published</dt><dd>unknown" in html
    report = IngestReport(
        read=3,
        stored=1,
        unchanged=1,
        skipped=[Skipped("/up/a.jsonl:2", "malformed_json", "Expecting ',' <here>")],
    )
    out = render_report(report, [Rejected("evil.exe", "unsupported file type")], base=Path("/up"))
    assert "read 3 · stored 1 · unchanged 1 · skipped 1" in out
    assert "a.jsonl:2" in out and "/up/" not in out and "malformed_json" in out and "&lt;here&gt;" in out
    assert "evil.exe" in out and "unsupported file type" in out
