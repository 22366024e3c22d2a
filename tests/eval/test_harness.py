"""The harness end to end with a fake assistant: records, summary, report, and the CLI's exit codes."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import pytest

from eval import harness
from eval.gold import Evidence, GoldQuestion
from index.models import Article
from rag.models import ABSTAIN_TEXT, Answer, Citation, Passage

BODY = (
    "Alibaba plans more data centers. That followed the opening in March of its first overseas data "
    "center in Silicon Valley in the US. Aliyun said it now serves more than 1.4 million customers."
)
FACT_MARCH = (
    "That followed the opening in March of its first overseas data center in Silicon Valley in the US."
)
FACT_CUSTOMERS = "Aliyun said it now serves more than 1.4 million customers."
ARTICLE = Article(id="a1", title="Alibaba plans to set up more data centers", body=BODY, source="China Daily")

GOLD = [
    GoldQuestion(
        id="t-1",
        query="When did Aliyun open its first US data center?",
        answer="March 2015",
        question_type="temporal_query",
        set_name="toy",
        language="en",
        evidence=(Evidence(fact=FACT_MARCH, title=ARTICLE.title),),
    ),
    GoldQuestion(
        id="t-2",
        query="How many customers does Aliyun serve?",
        answer="1.4 million",
        question_type="inference_query",
        set_name="toy",
        language="en",
        evidence=(Evidence(fact=FACT_CUSTOMERS, title=ARTICLE.title),),
    ),
    GoldQuestion(
        id="t-3",
        query="Who founded Aliyun?",
        answer="Insufficient information.",
        question_type="null_query",
        set_name="toy",
        language="en",
    ),
    GoldQuestion(
        id="t-4",
        query="阿里云服务多少客户？",
        answer="140万",
        question_type="inference_query",
        set_name="toy",
        language="zh",
        evidence=(Evidence(fact=FACT_CUSTOMERS, title=ARTICLE.title),),
    ),
]


def passage(text: str, rank: int) -> Passage:
    start = BODY.find(text)
    return Passage(
        chunk_id=f"c{rank}",
        article_id="a1",
        text=text,
        start=start,
        end=start + len(text),
        score=1.0 - rank / 10,
        title=ARTICLE.title,
        published_at="2015-07-23",
    )


def citation(quote: str, n: int = 1, chunk_id: str = "") -> Citation:
    start = BODY.find(quote)
    return Citation(
        n=n,
        article_id="a1",
        title=ARTICLE.title,
        source="China Daily",
        url="",
        published_at=None,
        quote=quote,
        start=start,
        end=start + len(quote),
        chunk_id=chunk_id,
    )


class FakeAssistant:
    """Canned answers keyed by question; raises for unknown ones (to test error records)."""

    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.index = self  # exposes get_article like NewsIndex
        self.asked: list[str] = []

    def ask(self, question: str) -> Answer:
        self.asked.append(question)
        if question not in self.answers:
            raise RuntimeError("generator crashed")
        return self.answers[question]

    def get_article(self, article_id: str) -> Article | None:
        return ARTICLE if article_id == ARTICLE.id else None


def good_answers() -> dict[str, Answer]:
    march = passage(FACT_MARCH, 1)
    customers = passage(FACT_CUSTOMERS, 2)
    return {
        GOLD[0].query: Answer(
            question=GOLD[0].query,
            text="In March 2015 [1].",
            abstained=False,
            citations=[citation("the opening in March of its first overseas data center", chunk_id="c1")],
            retrieved=[passage("Alibaba plans more data centers.", 0), march, customers],
            timings_ms={"retrieve": 100.0, "generate": 900.0},
        ),
        GOLD[1].query: Answer(
            question=GOLD[1].query,
            text="It says 1.3 million customers [1].",
            abstained=False,  # wrong
            citations=[citation("it now serves 1.3 million customers")],  # not in the article
            retrieved=[customers],
            timings_ms={"retrieve": 100.0, "generate": 500.0},
        ),
        GOLD[2].query: Answer(
            question=GOLD[2].query,
            text=ABSTAIN_TEXT,
            abstained=True,
            retrieved=[march],
            timings_ms={"retrieve": 50.0},
        ),
    }


def lookup(article_id: str) -> str | None:
    return BODY if article_id == "a1" else None


def test_records_and_summary() -> None:
    run = harness.run_eval(
        FakeAssistant(good_answers()), GOLD, lookup, progress=False, meta={"gold": ["toy"]}
    )
    records = {r["id"]: r for r in run["records"]}

    assert records["t-1"]["strict"] and records["t-1"]["retrieval"]["first_hit"] == 2
    assert records["t-1"]["retrieved"][1]["hit_facts"] == [0]
    assert (
        records["t-1"]["citations"][0] | {"verified": True, "relevant": True}
        == records["t-1"]["citations"][0]
    )
    assert not records["t-2"]["strict"] and "wrong answer" in records["t-2"]["reason"]
    assert records["t-2"]["citations"][0]["verified"] is False
    assert records["t-3"]["strict"] and records["t-3"]["retrieval"] is None
    assert records["t-4"]["error"] == "RuntimeError: generator crashed" and not records["t-4"]["strict"]

    o = run["summary"]["overall"]
    assert o["n"] == 4 and o["errors"] == 1
    assert o["strict_accuracy"] == pytest.approx(2 / 4)
    assert o["abstention_accuracy"] == pytest.approx(4 / 4)  # nobody abstained wrongly, t-3 abstained
    assert o["null_abstention_rate"] == 1.0 and o["wrong_abstention_rate"] == 0.0
    assert o["retrieval_n"] == 3  # the error counts as a miss; the null question is excluded
    assert o["hits_at_4"] == pytest.approx(2 / 3) and o["mrr_at_10"] == pytest.approx((1 / 2 + 1) / 3)
    assert o["citations_n"] == 2 and o["citation_verification"] == pytest.approx(1 / 2)
    assert o["citation_recall"] == pytest.approx(2 / 3)  # t-1, t-2 cite the gold article; t-4 does not
    assert o["seconds_by_stage"]["generate"] == pytest.approx((0.9 + 0.5) / 4)
    assert run["summary"]["by_language"]["zh"]["strict_accuracy"] == 0.0
    assert run["summary"]["by_type"]["null_query"]["strict_accuracy"] == 1.0
    assert run["summary"]["peak_rss_mb"] > 0
    assert run["questions"]["t-2"] == {
        "set": "toy",
        "question_type": "inference_query",
        "strict": False,
        "abstained": False,
        "reason": records["t-2"]["reason"],
    }
    json.dumps(run)  # JSON-ready


def test_abstaining_everywhere_is_scored_as_such() -> None:
    answers = {q.query: Answer(question=q.query, text=ABSTAIN_TEXT, abstained=True) for q in GOLD}
    o = harness.run_eval(FakeAssistant(answers), GOLD, lookup, progress=False)["summary"]["overall"]
    assert o["strict_accuracy"] == pytest.approx(1 / 4)
    assert o["wrong_abstention_rate"] == 1.0
    assert o["abstention_accuracy"] == pytest.approx(1 / 4)
    assert o["citation_verification"] is None and o["citations_n"] == 0


def test_without_lookup_citations_are_unchecked() -> None:
    run = harness.run_eval(FakeAssistant(good_answers()), GOLD[:2], None, progress=False)
    assert run["summary"]["overall"]["citation_verification"] is None
    assert run["meta"]["citations_checked"] is False


def test_select_questions() -> None:
    assert harness.select_questions(GOLD, limit=2) == GOLD[:2]
    a = harness.select_questions(GOLD, sample=2, seed=3)
    assert len(a) == 2 and a == harness.select_questions(GOLD, sample=2, seed=3)
    assert [GOLD.index(q) for q in a] == sorted(GOLD.index(q) for q in a)  # gold order kept


def test_report_and_chart(tmp_path: Path) -> None:
    from eval.report import write_report

    run = harness.run_eval(
        FakeAssistant(good_answers()), GOLD, lookup, progress=False, meta={"gold": ["toy"]}
    )
    md, png = write_report(run, tmp_path / "out" / "report.md")
    text = md.read_text(encoding="utf-8")
    assert png.name == "report.png" and png.read_bytes().startswith(b"\x89PNG")
    assert "](report.png)" in text and "| **overall** | 4 | 50.0%" in text
    assert "### t-4" in text and "### t-2" in text and "t-1" not in text.split("## Worst failures")[1]
    assert text.index("### t-4") < text.index("### t-2")  # errors first
    assert "NOT verified" in text and "(holds gold evidence)" in text


# ---------------------------------------------------------------- the CLI, with the fake assistant


def write_gold(path: Path) -> Path:
    rows = []
    for q in GOLD:
        rows.append(
            {
                "id": q.id,
                "query": q.query,
                "answer": q.answer,
                "question_type": q.question_type,
                "language": q.language,
                "evidence_list": [e.__dict__ for e in q.evidence],
            }
        )
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    import eval.cli
    import rag.assistant

    fake = FakeAssistant(good_answers())
    monkeypatch.setattr(
        rag.assistant.Assistant, "open", classmethod(lambda cls, index_dir=None, settings=None: fake)
    )
    parser = argparse.ArgumentParser(prog="newsrag")
    eval.cli.register(parser.add_subparsers(dest="command", required=True))

    def invoke(*argv: str) -> int:
        args = parser.parse_args(["eval", "--no-progress", *argv])
        return args.run(args)

    return invoke


def test_cli_writes_outputs_and_gates(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_gold(tmp_path / "toy.jsonl")
    out = tmp_path / "run.json"
    base = tmp_path / "base.json"
    assert (
        cli(str(gold), "--json", str(out), "--save-baseline", str(base), "--report", str(tmp_path / "r.md"))
        == 0
    )
    run = json.loads(out.read_text(encoding="utf-8"))
    assert len(run["records"]) == 4 and "records" not in json.loads(base.read_text(encoding="utf-8"))
    assert (tmp_path / "r.png").is_file()
    assert "strict 50.0%" in capsys.readouterr().out

    # same answers: the gate passes and nothing flips
    assert cli(str(gold), "--gate", str(base), "--compare", str(base)) == 0
    assert "now failing (passed in baseline): 0" in capsys.readouterr().out

    # a baseline that was better by more than the margin: the gate fails with exit 1
    better = json.loads(base.read_text(encoding="utf-8"))
    better["summary"]["overall"]["strict_accuracy"] = 0.75
    better["questions"]["t-2"]["strict"] = True
    base.write_text(json.dumps(better), encoding="utf-8")
    assert cli(str(gold), "--gate", str(base), "--compare", str(base)) == 1
    captured = capsys.readouterr()
    assert "strict_accuracy: 0.500 is more than 0.05 under the baseline 0.750" in captured.err
    assert "t-2: wrong answer" in captured.out


def test_cli_bad_input_exits_2(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = write_gold(tmp_path / "toy.jsonl")
    assert cli(str(tmp_path / "missing.jsonl")) == 2
    assert "no such gold file" in capsys.readouterr().err
    placeholder = tmp_path / "placeholder.json"
    placeholder.write_text(json.dumps({"placeholder": True}), encoding="utf-8")
    assert cli(str(gold), "--gate", str(placeholder)) == 2
    assert "has not been recorded yet" in capsys.readouterr().err
    ids = tmp_path / "ids.txt"
    ids.write_text("t-1\nnope\n", encoding="utf-8")
    assert cli(str(gold), "--subset", str(ids)) == 2


def test_cli_subset_sample_limit(cli, tmp_path: Path) -> None:
    gold = write_gold(tmp_path / "toy.jsonl")
    ids = tmp_path / "ids.txt"
    ids.write_text("t-1\nt-3\nt-2\n", encoding="utf-8")
    out = tmp_path / "run.json"
    assert cli(str(gold), "--subset", str(ids), "--limit", "2", "--json", str(out)) == 0
    assert list(json.loads(out.read_text(encoding="utf-8"))["questions"]) == ["t-1", "t-2"]


def test_checkpoint_resumes_without_asking_again(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    meta = {"settings": {"llm_threads": 1, "context_passages": 4}, "index_fingerprint": "abc"}
    first = FakeAssistant(good_answers())
    harness.run_eval(first, GOLD[:2], lookup, progress=False, meta=meta, checkpoint=path)
    assert len(first.asked) == 2

    # killed mid-write: the torn last line is dropped and that question asked again
    path.write_text(path.read_text(encoding="utf-8") + '{"id": "t-3", "strict', encoding="utf-8")
    faster = {**meta, "settings": {"llm_threads": 2, "context_passages": 4}}  # speed-only change
    second = FakeAssistant(good_answers())
    run = harness.run_eval(second, GOLD, lookup, progress=False, meta=faster, checkpoint=path)
    assert second.asked == [GOLD[2].query, GOLD[3].query]
    assert run["meta"]["resumed_from_checkpoint"] == 2
    assert [r["id"] for r in run["records"]] == ["t-1", "t-2", "t-3", "t-4"]
    fresh = harness.run_eval(FakeAssistant(good_answers()), GOLD, lookup, progress=False, meta=meta)
    assert run["summary"]["overall"]["strict_accuracy"] == fresh["summary"]["overall"]["strict_accuracy"]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1 + 4

    from eval.report import write_report

    md, _ = write_report(run, tmp_path / "report.md")
    assert "2 questions were reused from the checkpoint" in md.read_text(encoding="utf-8")


def test_checkpoint_from_another_configuration_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dev.jsonl"
    meta = {"settings": {"context_passages": 4}, "index_fingerprint": "abc"}
    harness.run_eval(
        FakeAssistant(good_answers()), GOLD[:1], lookup, progress=False, meta=meta, checkpoint=path
    )
    changes = {
        "settings": {"context_passages": 6},
        "index_fingerprint": "xyz",
        "as_of": "2026-12-08",  # "this year" read against another day
    }
    for key, value in changes.items():
        with pytest.raises(harness.CheckpointMismatchError, match=f"different {key}"):
            harness.run_eval(
                FakeAssistant(good_answers()),
                GOLD,
                lookup,
                progress=False,
                meta={**meta, key: value},
                checkpoint=path,
            )


def test_tags_get_their_own_rows(cli, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A question counts in each of its tags (once per tag); untagged questions are in no tag row."""
    tags = {
        "t-1": ["precision", "relative-day"],
        "t-2": ["precision", "unit", "unit"],
        "t-4": ["crosslingual"],
    }
    gold = write_gold(tmp_path / "toy.jsonl")
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    gold.write_text(
        "".join(json.dumps({**r, "tags": tags.get(r["id"], [])}, ensure_ascii=False) + "\n" for r in rows),
        encoding="utf-8",
    )
    out = tmp_path / "run.json"
    assert cli(str(gold), "--json", str(out), "--report", str(tmp_path / "r.md")) == 0
    printed = capsys.readouterr().out
    run = json.loads(out.read_text(encoding="utf-8"))

    by_tag = run["summary"]["by_tag"]
    assert {t: g["n"] for t, g in by_tag.items()} == {
        "crosslingual": 1,
        "precision": 2,
        "relative-day": 1,
        "unit": 1,
    }
    assert by_tag["precision"]["strict_accuracy"] == 0.5 and by_tag["relative-day"]["strict_accuracy"] == 1.0
    assert by_tag["crosslingual"]["errors"] == 1
    assert {r["id"]: r["tags"] for r in run["records"]}["t-3"] == []
    assert "tag precision" in printed and "n=2" in printed.split("tag precision")[1].splitlines()[0]
    assert "| tag: precision | 2 | 50.0%" in (tmp_path / "r.md").read_text(encoding="utf-8")

    # records written before questions had tags (an older checkpoint) summarise with no tag rows
    untagged = [{k: v for k, v in r.items() if k != "tags"} for r in run["records"]]
    assert harness.summarize(untagged)["by_tag"] == {}


def test_a_run_asks_every_question_as_on_the_day_it_is_given() -> None:
    # "this year" and "last week" resolve against the day asked: a run repeated tomorrow asks as today
    days: list[date | None] = []

    class Dated(FakeAssistant):
        def ask(self, question: str, *, as_of: date | None = None) -> Answer:  # type: ignore[override]
            days.append(as_of)
            return super().ask(question)

    asker = harness.AskedOn(Dated(good_answers()), date(2026, 12, 7))
    run = harness.run_eval(asker, GOLD[:2], None, progress=False)
    assert days == [date(2026, 12, 7)] * 2
    assert [r["error"] for r in run["records"]] == [None, None]
