"""Gold loading and validation, the CI subset, and the official-file loader's size/sha256 checks."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from eval import gold
from eval.gold import GoldFormatError, UpstreamMismatchError
from eval.metrics import gold_polarity
from eval.split import half_of


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


ROW = {
    "id": "x-1",
    "query": "When?",
    "answer": "March 2015",
    "question_type": "temporal_query",
    "evidence_list": [
        {"fact": "In March.", "title": "T", "source": "S", "published_at": "2015-07-23", "url": ""}
    ],
}


def test_packaged_dev_sets_load() -> None:
    questions = gold.load_gold_sets()
    by_set = Counter(q.set_name for q in questions)
    assert by_set == {
        "seed": 6,
        "news": 72,
        "multihop-rag": 400,
        "nearmiss": 74,
        "crosslingual": 60,
        "precision": 43,
        "yesno": 64,
    }
    assert len({q.id for q in questions}) == len(questions)
    assert Counter(q.language for q in questions if q.set_name == "news") == {"en": 51, "zh": 21}
    assert all(q.is_null == (q.question_type == "null_query") for q in questions)
    assert all(q.facts for q in questions if not q.is_null)
    seed = {q.id: q for q in questions if q.set_name == "seed"}
    assert seed["seed-05"].all_of == ("Singapore", "Europe", "Japan")
    tags = Counter(t for q in questions for t in q.tags)
    # crosslingual: the set, the news set's xl- rows, the cross-lingual precision and yes/no rows
    assert tags["crosslingual"] == 60 + 6 + 8 + 24
    assert tags["precision"] == 43 and tags["nearmiss"] == 74 + 7
    assert {t: tags[t] for t in ("relative-day", "unit", "list")} == {
        "relative-day": 16,
        "unit": 14,
        "list": 13,
    }
    assert all(q.tags[0] == q.set_name for q in questions if q.set_name in ("crosslingual", "precision"))


def test_set_names_select_packaged_sets() -> None:
    assert {q.set_name for q in gold.load_gold_sets(["seed"])} == {"seed"}


def test_user_file_defaults(tmp_path: Path) -> None:
    row = {k: v for k, v in ROW.items() if k != "id"}
    zh = {"query": "香港大埔宏福苑严重火灾发生在哪一天？", "answer": "2025年11月26日"}
    questions = gold.load_gold(write_jsonl(tmp_path / "mine.dev.jsonl", [row, zh]))
    assert [q.id for q in questions] == ["mine-1", "mine-2"]
    assert [q.language for q in questions] == ["en", "zh"]
    assert questions[1].question_type == "unknown" and questions[1].evidence == ()
    assert questions[0].set_name == "mine" and questions[0].tags == ()


def test_json_array_format(tmp_path: Path) -> None:
    path = tmp_path / "arr.json"
    path.write_text(json.dumps([ROW]), encoding="utf-8")
    assert gold.load_gold(path)[0].answer == "March 2015"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"query": "q", "answer": "a"}\n{not json\n', ":2: not valid JSON"),
        ('{"query": "q"}\n', "missing or empty field(s) ['answer']"),
        ('{"query": "q", "answer": "a", "answer_aliases": "x", "answer_all_of": [1]}\n', "answer_all_of"),
        ('{"query": "q", "answer": "a", "evidence_list": [{"title": "no fact"}]}\n', "needs a string 'fact'"),
        ('{"query": "q", "answer": "a", "tags": ["unit", 3]}\n', "'tags' must be a list of strings"),
        ('["not", "an", "object"]\n', "expected a JSON object"),
        ("\n\n", "holds no questions"),
    ],
)
def test_bad_gold_gets_a_specific_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldFormatError) as info:
        gold.load_gold(path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_duplicate_ids_are_an_error(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "dup.jsonl", [ROW, ROW])
    with pytest.raises(GoldFormatError, match="duplicate question id 'x-1'"):
        gold.load_gold(path)
    with pytest.raises(GoldFormatError, match="no such gold file"):
        gold.load_gold(tmp_path / "absent.jsonl")


def test_select_ids_and_stale_subset(tmp_path: Path) -> None:
    questions = gold.load_gold_sets(["seed"])
    assert [q.id for q in gold.select_ids(questions, ["seed-03", "seed-01"])] == ["seed-01", "seed-03"]
    with pytest.raises(GoldFormatError, match="not in the loaded gold sets"):
        gold.select_ids(questions, ["seed-01", "gone-7"])
    ids = tmp_path / "ids.txt"
    ids.write_text("# comment\nseed-01\n\nseed-02  # trailing\n", encoding="utf-8")
    assert gold.read_id_list(ids) == ["seed-01", "seed-02"]


def test_stratified_sample_is_proportional_and_deterministic() -> None:
    mhr = gold.load_gold(gold.DEFAULT_SETS["multihop-rag"])
    a = gold.stratified_sample(mhr, 40, seed=7)
    assert len(a) == 40
    assert Counter(q.question_type for q in a) == {
        "inference_query": 13,
        "comparison_query": 12,
        "temporal_query": 9,
        "null_query": 6,
    }
    assert [q.id for q in a] == [q.id for q in gold.stratified_sample(mhr, 40, seed=7)]
    assert [q.id for q in a] != [q.id for q in gold.stratified_sample(mhr, 40, seed=8)]


def test_committed_ci_subset_matches_its_definition() -> None:
    committed = gold.read_id_list(gold.CI_SUBSET)
    assert committed == gold.build_ci_subset_ids(), "regenerate with `python -m eval.gold`"
    questions = gold.select_ids(gold.load_gold_sets(), committed)
    # the trust issue's floors: at least 100 questions, 20 null, 30 yes/no, 10 Chinese
    assert len(questions) >= 100
    assert sum(q.is_null for q in questions) >= 20
    assert sum(gold_polarity(q.answer) is not None for q in questions) >= 30
    assert sum(q.language == "zh" for q in questions) >= 10
    assert {"crosslingual", "precision", "nearmiss"} <= {t for q in questions for t in q.tags}
    # nothing the thresholds were fitted on
    assert {half_of(q) for q in questions} == {"check"}


# ---------------------------------------------------------------- official files


def fake_official(tmp_path: Path) -> tuple[Path, Path]:
    """A tiny 'official' dataset dir and a pointer file recording its true size and sha256."""
    dataset = tmp_path / "dataset"
    dataset.mkdir()
    queries = [{k: v for k, v in ROW.items() if k != "id"}, {**ROW, "query": "Other?", "id": None}]
    (dataset / "MultiHopRAG.json").write_text(json.dumps(queries), encoding="utf-8")
    corpus = [
        {
            "title": "T",
            "author": "A",
            "source": "S",
            "published_at": "2023-10-01T00:00:00+00:00",
            "category": "tech",
            "url": "https://ex.org/t",
            "body": "Body text.",
        }
    ]
    (dataset / "corpus.json").write_text(json.dumps(corpus), encoding="utf-8")
    lines = []
    for name in ("corpus.json", "MultiHopRAG.json"):
        data = (dataset / name).read_bytes()
        lines += [
            f"== dataset/{name} (git-lfs pointer at example@0000)",
            "version https://git-lfs.github.com/spec/v1",
            f"oid sha256:{hashlib.sha256(data).hexdigest()}",
            f"size {len(data)}",
        ]
    pointers = tmp_path / "POINTERS.txt"
    pointers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dataset, pointers


def test_packaged_pointer_file_parses() -> None:
    pointers = gold.read_pointers()
    assert pointers["corpus.json"].size == 6785567
    assert pointers["MultiHopRAG.json"].sha256.startswith("03cfb492")


def test_official_files_load_when_they_match(tmp_path: Path) -> None:
    dataset, pointers = fake_official(tmp_path)
    questions = gold.load_official_queries(dataset, pointers)
    assert [q.id for q in questions] == ["mhr-full-1", "mhr-full-2"]
    articles = gold.load_official_corpus(dataset, pointers)
    assert articles[0].body == "Body text." and articles[0].id.startswith("mhr-")
    assert articles[0].id == gold.load_official_corpus(dataset, pointers)[0].id  # stable


def test_official_file_with_wrong_size_is_refused(tmp_path: Path) -> None:
    dataset, pointers = fake_official(tmp_path)
    with (dataset / "MultiHopRAG.json").open("a", encoding="utf-8") as f:
        f.write(" ")
    with pytest.raises(UpstreamMismatchError, match=r"size .* differs from upstream"):
        gold.load_official_queries(dataset, pointers)


def test_official_file_with_same_size_other_content_is_refused(tmp_path: Path) -> None:
    dataset, pointers = fake_official(tmp_path)
    path = dataset / "corpus.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Body text.", "Body TEXT."), encoding="utf-8")
    with pytest.raises(UpstreamMismatchError, match=r"sha256 .* differs from upstream"):
        gold.load_official_corpus(dataset, pointers)


def test_official_loader_errors_name_the_problem(tmp_path: Path) -> None:
    dataset, pointers = fake_official(tmp_path)
    with pytest.raises(UpstreamMismatchError, match=r"no upstream pointer for a file named 'other\.json'"):
        gold.verify_upstream_file(dataset / "other.json", pointers)
    (dataset / "corpus.json").unlink()
    with pytest.raises(UpstreamMismatchError, match="file not found"):
        gold.load_official_corpus(dataset, pointers)
    broken = tmp_path / "broken.txt"
    broken.write_text("== dataset/corpus.json\nsize 3\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="lacks an oid or a size"):
        gold.read_pointers(broken)


def test_gold_sets_accept_an_official_dataset_directory(tmp_path: Path) -> None:
    dataset, _ = fake_official(tmp_path)
    # the real pointers do not match the fake files: refused, with the reason
    with pytest.raises(UpstreamMismatchError):
        gold.load_gold_sets([str(dataset)])
