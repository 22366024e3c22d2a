"""Run gold questions through an assistant and score every answer: per-question records and a summary.

The core takes anything with `.ask(question) -> Answer` and an optional article lookup, so tests drive
it with a fake assistant; the CLI opens the real `rag.assistant.Assistant` once and passes it in.
Records and summaries are plain JSON-ready dicts: the same shape is written, compared and reported.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import platform
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

from tqdm import tqdm

from eval import metrics
from eval.gold import GoldQuestion
from eval.metrics import ArticleLookup
from rag.models import Answer

log = logging.getLogger(__name__)

FORMAT = "newsrag-eval/1"
Record = dict[str, Any]


# Settings that change speed, not answers: a run resumed with other values may still reuse records.
PERFORMANCE_ONLY_SETTINGS = frozenset(
    {
        "llm_threads",
        "llm_batch_threads",
        "llm_batch_size",
        "embed_batch_size",
        "request_timeout_s",
        "chroma_timeout_s",
        "prompt_cache_dir",
    }
)


class CheckpointMismatchError(ValueError):
    """A checkpoint written by another configuration or index: resuming would mix two runs."""


class Asker(Protocol):
    """What the harness needs from an assistant."""

    def ask(self, question: str) -> Answer: ...


class DatedAsker(Protocol):
    """An assistant that takes the day a question is asked on (`rag.assistant.Assistant`)."""

    def ask(self, question: str, *, as_of: date | None = None) -> Answer: ...


class AskedOn:
    """Asks every question as on one day, so that a run repeats on another day: "this year", "last
    week" and "上周" resolve against `day`, not against the day the run happens to start."""

    def __init__(self, assistant: DatedAsker, day: date) -> None:
        self._assistant = assistant
        self.day = day

    def ask(self, question: str) -> Answer:
        return self._assistant.ask(question, as_of=self.day)


def select_questions(
    questions: Sequence[GoldQuestion],
    limit: int | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> list[GoldQuestion]:
    """A seeded random sample (kept in gold order), then the first `limit`."""
    chosen = list(questions)
    if sample is not None and sample < len(chosen):
        keep = {q.id for q in random.Random(seed).sample(chosen, sample)}
        chosen = [q for q in chosen if q.id in keep]
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def _gold_json(gold: GoldQuestion) -> dict[str, Any]:
    return {
        "answer": gold.answer,
        "aliases": list(gold.aliases),
        "all_of": list(gold.all_of),
        "null": gold.is_null,
        "facts": list(gold.facts),
        "articles": [
            {"title": e.title, "url": e.url, "article_id": e.article_id, "source": e.source}
            for e in metrics.evidence_articles(gold.evidence)
        ],
    }


def _base_record(gold: GoldQuestion) -> Record:
    return {
        "id": gold.id,
        "set": gold.set_name,
        "question_type": gold.question_type,
        "language": gold.language,
        "tags": list(gold.tags),
        "question": gold.query,
        "gold": _gold_json(gold),
    }


def _as_dict(scores: metrics.RetrievalScores | None) -> dict[str, Any] | None:
    return None if scores is None else dataclasses.asdict(scores)


def evaluate_answer(
    gold: GoldQuestion, answer: Answer, article_lookup: ArticleLookup | None, seconds: float
) -> Record:
    """Score one answer against its gold question: answer, abstention, retrieval, citations, cost."""
    judgement = metrics.judge_strict(answer.text, answer.abstained, gold)
    passages = [p.text for p in answer.retrieved]
    hits = metrics.passage_hits(passages, gold.facts) if gold.facts else [set() for _ in passages]
    scores = None if gold.is_null else metrics.retrieval_scores(passages, gold.facts)
    gold_articles = metrics.evidence_articles(gold.evidence)
    citations = []
    for c in answer.citations:
        citations.append(
            {
                "n": c.n,
                "article_id": c.article_id,
                "chunk_id": c.chunk_id,
                "title": c.title,
                "url": c.url,
                "published_at": c.published_at,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "verified": metrics.citation_verified(c, article_lookup),
                "supported": metrics.citation_supported(c.quote, gold, judgement.passed),
                "relevant": (
                    None
                    if gold.is_null
                    else metrics.citation_relevant(metrics.cited_text(c, answer.retrieved), gold)
                ),
                "cites_gold_article": any(metrics.cites_article(c, e) for e in gold_articles),
            }
        )
    return {
        **_base_record(gold),
        "answer": answer.text,
        "abstained": metrics.is_abstention(answer.text, answer.abstained),
        "error": None,
        "strict": judgement.passed,
        "reason": judgement.reason,
        "lenient": metrics.lenient_match(answer.text, gold.answer),
        "retrieval": _as_dict(scores),
        "retrieved": [
            {
                "rank": rank,
                "chunk_id": p.chunk_id,
                "article_id": p.article_id,
                "title": p.title,
                "published_at": p.published_at,
                "score": round(p.score, 4),
                "hit_facts": sorted(h),
                "text": p.text,
            }
            for rank, (p, h) in enumerate(zip(answer.retrieved, hits, strict=True), start=1)
        ],
        "citations": citations,
        "citation_recall": None if gold.is_null else metrics.citation_recall(answer.citations, gold),
        "timings_ms": {k: round(float(v), 1) for k, v in answer.timings_ms.items()},
        "seconds": round(seconds, 3),
        "notes": list(answer.notes),
    }


def error_record(gold: GoldQuestion, exc: BaseException, seconds: float) -> Record:
    """A question the assistant failed on: counted as wrong everywhere, with the error kept."""
    return {
        **_base_record(gold),
        "answer": "",
        "abstained": False,
        "error": f"{type(exc).__name__}: {exc}",
        "strict": False,
        "reason": f"error: {type(exc).__name__}: {exc}",
        "lenient": False,
        "retrieval": None if gold.is_null else _as_dict(metrics.retrieval_scores([], gold.facts)),
        "retrieved": [],
        "citations": [],
        "citation_recall": None if gold.is_null or not gold.evidence else 0.0,
        "timings_ms": {},
        "seconds": round(seconds, 3),
    }


def _rate(flags: Iterable[bool]) -> float | None:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else None


def summarize_group(records: Sequence[Record]) -> dict[str, Any]:
    """Every metric over a group of records (None where a metric does not apply to the group)."""
    null = [r for r in records if r["gold"]["null"]]
    answerable = [r for r in records if not r["gold"]["null"]]
    retrieval = [r["retrieval"] for r in answerable if r["retrieval"] is not None]
    all_citations = [c for r in records for c in r["citations"]]
    answerable_citations = [c for r in answerable for c in r["citations"]]
    verified = [c["verified"] for c in all_citations if c["verified"] is not None]
    stages: dict[str, list[float]] = defaultdict(list)
    for r in records:
        for stage, ms in r["timings_ms"].items():
            stages[stage].append(ms / 1000.0)
    seconds = [r["seconds"] for r in records]
    answered = [r for r in answerable if not r["abstained"] and not r["error"]]

    def avg(key: str) -> float | None:
        return metrics.mean([s[key] for s in retrieval])

    return {
        "n": len(records),
        "strict_accuracy": _rate(r["strict"] for r in records),
        "lenient_accuracy": _rate(r["lenient"] for r in records),
        "abstention_accuracy": _rate(r["abstained"] == r["gold"]["null"] for r in records),
        "null_n": len(null),
        "null_abstention_rate": _rate(r["abstained"] for r in null),
        "answered_null_rate": _rate(not r["abstained"] for r in null),
        "answerable_n": len(answerable),
        "wrong_abstention_rate": _rate(r["abstained"] for r in answerable),
        "errors": sum(bool(r["error"]) for r in records),
        "retrieval_n": len(retrieval),
        "hits_at_4": avg("hits_at_4"),
        "hits_at_10": avg("hits_at_10"),
        "mrr_at_10": avg("mrr_at_10"),
        "map_at_10": avg("map_at_10"),
        "recall_at_4": avg("recall_at_4"),
        "recall_at_10": avg("recall_at_10"),
        "retrieved_per_question": metrics.mean([len(r["retrieved"]) for r in records if not r["error"]]),
        "citations_n": len(all_citations),
        "citation_verification": (
            None if len(verified) < len(all_citations) or not all_citations else _rate(verified)
        ),
        "citation_supported": _rate(bool(c.get("supported")) for c in all_citations),
        "citation_precision": _rate(bool(c["relevant"]) for c in answerable_citations),
        "citation_recall": metrics.mean([r["citation_recall"] for r in answerable]),
        "answers_with_citations": _rate(bool(r["citations"]) for r in answered),
        "seconds_per_question": metrics.mean(seconds),
        "seconds_p95": metrics.percentile(seconds, 95),
        "seconds_by_stage": {k: sum(v) / len(records) for k, v in sorted(stages.items())},
    }


def summarize(records: Sequence[Record], peak_rss_mb: float | None = None) -> dict[str, Any]:
    """Overall, and by gold set, question type, language and tag (a question counts in each of its tags)."""

    def by(keys_of: Callable[[Record], Iterable[str]]) -> dict[str, Any]:
        groups: dict[str, list[Record]] = defaultdict(list)
        for r in records:
            for k in dict.fromkeys(keys_of(r)):
                groups[str(k)].append(r)
        return {k: summarize_group(v) for k, v in sorted(groups.items())}

    return {
        "overall": summarize_group(records),
        "by_set": by(lambda r: [r["set"]]),
        "by_type": by(lambda r: [r["question_type"]]),
        "by_language": by(lambda r: [r["language"]]),
        "by_tag": by(lambda r: r.get("tags") or ()),  # records of older runs carry no tags
        "peak_rss_mb": None if peak_rss_mb is None else round(peak_rss_mb, 1),
    }


def question_outcomes(records: Sequence[Record]) -> dict[str, dict[str, Any]]:
    """The compact per-question view kept in baselines, enough to list which questions flipped."""
    return {
        r["id"]: {
            "set": r["set"],
            "question_type": r["question_type"],
            "strict": r["strict"],
            "abstained": r["abstained"],
            "reason": r["reason"],
        }
        for r in records
    }


def _strip_performance(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_performance(v) for k, v in value.items() if k not in PERFORMANCE_ONLY_SETTINGS}
    return value


def checkpoint_config(meta: dict[str, Any] | None) -> dict[str, Any]:
    """What must match for checkpointed records to be reused: answer-changing settings and the index."""
    meta = meta or {}
    return {
        "format": FORMAT,
        "settings": _strip_performance(meta.get("settings")),
        "index_fingerprint": meta.get("index_fingerprint"),
        "citations_checked": meta.get("citations_checked"),
        "as_of": meta.get("as_of"),  # "this year" read against another day is another question
    }


class Checkpoint:
    """Records appended to a JSONL file as each question is scored, so a long eval survives a kill.

    The first line is the configuration (`checkpoint_config`); a file from another configuration is
    refused rather than silently mixed in. A torn last line (killed mid-write) is dropped on reload.
    """

    def __init__(self, path: Path, config: dict[str, Any]) -> None:
        self.path = path
        self.config = config

    def load(self) -> dict[str, Record]:
        """Records already scored, by question id (empty for a new file, which is then started)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._rewrite({})
            return {}
        text = self.path.read_text(encoding="utf-8")
        lines = text.splitlines()
        try:
            stored = json.loads(lines[0])["checkpoint"]
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointMismatchError(f"{self.path} is not an eval checkpoint") from exc
        if stored != self.config:
            changed = sorted(k for k in self.config if stored.get(k) != self.config.get(k))
            raise CheckpointMismatchError(
                f"{self.path} was written with a different {', '.join(changed)}; "
                "delete it or give another --resume file"
            )
        done: dict[str, Record] = {}
        for n, line in enumerate(lines[1:], start=2):
            try:
                record = json.loads(line)
            except ValueError:
                log.warning(
                    "%s line %d is torn (killed mid-write?); that question is asked again", self.path, n
                )
                continue
            done[record["id"]] = record
        if not text.endswith("\n"):
            self._rewrite(done)
        return done

    def append(self, record: Record) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")

    def _rewrite(self, done: dict[str, Record]) -> None:
        """Write the header and `done` afresh (a new file, or dropping a torn tail)."""
        rows = [json.dumps({"checkpoint": self.config})]
        rows += [json.dumps(r, ensure_ascii=False) for r in done.values()]
        self.path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def run_eval(
    assistant: Asker,
    questions: Sequence[GoldQuestion],
    article_lookup: ArticleLookup | None = None,
    progress: bool = True,
    meta: dict[str, Any] | None = None,
    checkpoint: Path | None = None,
) -> dict[str, Any]:
    """Ask every question once, in order; an exception from the assistant is recorded, not raised.

    With `checkpoint`, records already in that file (same configuration and index) are reused and new
    ones appended as they come, so a run of hours can be stopped and resumed.
    """
    meta = {"citations_checked": article_lookup is not None, **(meta or {})}
    saver = Checkpoint(checkpoint, checkpoint_config(meta)) if checkpoint else None
    done = saver.load() if saver else {}
    records: list[Record] = []
    passed = resumed = 0
    started = datetime.now(UTC)
    bar = tqdm(questions, desc="eval", unit="q", disable=not progress, dynamic_ncols=True)
    for gold in bar:
        if gold.id in done:
            record = done[gold.id]
            resumed += 1
        else:
            t0 = time.perf_counter()
            try:
                answer = assistant.ask(gold.query)
            except Exception as exc:  # one failing question must not lose the whole run
                log.warning("question %s failed: %s: %s", gold.id, type(exc).__name__, exc)
                record = error_record(gold, exc, time.perf_counter() - t0)
            else:
                record = evaluate_answer(gold, answer, article_lookup, time.perf_counter() - t0)
            if saver:
                saver.append(record)
        records.append(record)
        passed += record["strict"]
        bar.set_postfix_str(f"strict {passed}/{len(records)}")
    bar.close()
    return {
        "format": FORMAT,
        "meta": {
            "started": started.isoformat(timespec="seconds"),
            "duration_s": round((datetime.now(UTC) - started).total_seconds(), 1),
            "resumed_from_checkpoint": resumed,
            "answering_s_total": round(sum(r["seconds"] for r in records), 1),
            "python": platform.python_version(),
            **meta,
        },
        "summary": summarize(records, metrics.peak_rss_mb()),
        "questions": question_outcomes(records),
        "records": records,
    }


def baseline_of(run: dict[str, Any]) -> dict[str, Any]:
    """A run without its per-question records: small enough to commit as a baseline."""
    return {k: v for k, v in run.items() if k != "records"}


def write_json(data: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
