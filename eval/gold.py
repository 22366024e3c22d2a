"""Gold question/answer sets: loading, validating, subsetting, and the benchmark's official files.

The format is MultiHop-RAG's query format (`query`, `answer`, `question_type`, `evidence_list` of
`{fact, title, source, published_at, url}`) plus `id`, `answer_aliases` (any one is acceptable),
`answer_all_of` (every item must appear), `language`, `note`, `pair` (questions kept together when
the dev sets are split, see `eval/split.py`) and `tags` (labels the report gives their own rows, such as
"crosslingual" or "precision"). Users can point the harness at their
own JSONL (or JSON array) in this format; the packaged dev sets live in `eval/gold/`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from index.cjk import HAN_CHAR
from index.models import Article

GOLD_DIR = Path(__file__).parent / "gold"
DEFAULT_SETS: dict[str, Path] = {
    "seed": GOLD_DIR / "seed.dev.jsonl",
    "news": GOLD_DIR / "news.dev.jsonl",
    "multihop-rag": GOLD_DIR / "multihop-rag" / "queries.dev.jsonl",
    "nearmiss": GOLD_DIR / "nearmiss.dev.jsonl",
    "crosslingual": GOLD_DIR / "crosslingual.dev.jsonl",
    "precision": GOLD_DIR / "precision.dev.jsonl",
    "yesno": GOLD_DIR / "yesno.dev.jsonl",
}
UPSTREAM_POINTERS = GOLD_DIR / "multihop-rag" / "UPSTREAM_LFS_POINTERS.txt"
CI_SUBSET = Path(__file__).parent / "ci_subset.txt"
NULL_TYPE = "null_query"


class GoldFormatError(ValueError):
    """A gold file that cannot be read as gold questions; the message names the file and line."""


class UpstreamMismatchError(ValueError):
    """A user-supplied benchmark file whose size or sha256 differs from the recorded upstream pointer."""


@dataclass(frozen=True)
class Evidence:
    """One gold evidence sentence and the article it comes from."""

    fact: str
    title: str = ""
    source: str = ""
    published_at: str | None = None
    url: str = ""
    article_id: str = ""


@dataclass(frozen=True)
class GoldQuestion:
    """One gold question with every acceptable answer and the evidence that supports it."""

    id: str
    query: str
    answer: str
    question_type: str
    evidence: tuple[Evidence, ...] = ()
    aliases: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    language: str = "en"
    note: str = ""
    pair: str = ""  # questions that must stay together (a near miss and its answerable sibling)
    tags: tuple[str, ...] = ()  # report rows the question also counts in ("crosslingual", "unit", ...)
    set_name: str = ""
    origin: str = field(default="", compare=False)

    @property
    def is_null(self) -> bool:
        """Unanswerable from the corpus: the only right reply is an abstention."""
        return self.question_type == NULL_TYPE or _squash_lower(self.answer).rstrip(".") == (
            "insufficientinformation"
        )

    @property
    def acceptable(self) -> tuple[str, ...]:
        """The canonical answer and its aliases, de-duplicated, canonical first."""
        seen: dict[str, None] = {}
        for a in (self.answer, *self.aliases):
            if a and a.strip():
                seen.setdefault(a.strip(), None)
        return tuple(seen)

    @property
    def facts(self) -> tuple[str, ...]:
        return tuple(e.fact for e in self.evidence if e.fact.strip())


def _squash_lower(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def guess_language(text: str) -> str:
    """'zh' when a fifth or more of the non-space characters are CJK, else 'en' (gold rows without one)."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return "en"
    return "zh" if sum(bool(HAN_CHAR.match(c)) for c in chars) / len(chars) >= 0.2 else "en"


def _str_list(value: object, what: str, origin: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldFormatError(f"{origin}: '{what}' must be a list of strings, got {value!r:.80}")
    return tuple(value)


def parse_record(obj: object, origin: str, set_name: str, default_id: str) -> GoldQuestion:
    """Validate one JSON object as a gold question; errors say which field is wrong and where."""
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{origin}: expected a JSON object, got {type(obj).__name__}")
    missing = [k for k in ("query", "answer") if not isinstance(obj.get(k), str) or not obj[k].strip()]
    if missing:
        raise GoldFormatError(f"{origin}: missing or empty field(s) {missing} (need 'query' and 'answer')")
    evidence_raw = obj.get("evidence_list") or []
    if not isinstance(evidence_raw, list):
        raise GoldFormatError(f"{origin}: 'evidence_list' must be a list")
    evidence = []
    for i, e in enumerate(evidence_raw):
        if not isinstance(e, dict) or not isinstance(e.get("fact"), str):
            raise GoldFormatError(f"{origin}: evidence_list[{i}] needs a string 'fact'")
        evidence.append(
            Evidence(
                fact=e["fact"],
                title=e.get("title") or "",
                source=e.get("source") or "",
                published_at=e.get("published_at") or None,
                url=e.get("url") or "",
                article_id=e.get("article_id") or "",
            )
        )
    qid = obj.get("id")
    if qid is None:
        qid = default_id
    elif not isinstance(qid, str | int) or not str(qid).strip():
        raise GoldFormatError(f"{origin}: 'id' must be a non-empty string")
    question_type = obj.get("question_type") or "unknown"
    if not isinstance(question_type, str):
        raise GoldFormatError(f"{origin}: 'question_type' must be a string")
    language = obj.get("language") or guess_language(obj["query"])
    return GoldQuestion(
        id=str(qid).strip(),
        query=obj["query"].strip(),
        answer=obj["answer"].strip(),
        question_type=question_type,
        evidence=tuple(evidence),
        aliases=_str_list(obj.get("answer_aliases"), "answer_aliases", origin),
        all_of=_str_list(obj.get("answer_all_of"), "answer_all_of", origin),
        language=str(language),
        note=str(obj.get("note") or ""),
        pair=str(obj.get("pair") or ""),
        tags=_str_list(obj.get("tags"), "tags", origin),
        set_name=set_name,
        origin=origin,
    )


def set_name_for(path: Path) -> str:
    """A short name for a gold file: the packaged set's name, else the file name without extensions."""
    resolved = path.resolve()
    for name, p in DEFAULT_SETS.items():
        if p.resolve() == resolved:
            return name
    return path.name.split(".")[0] if path.name.split(".")[0] else path.name


def load_gold(path: Path | str, set_name: str | None = None) -> list[GoldQuestion]:
    """Read a gold file (JSONL, or a JSON array); raises GoldFormatError naming the bad line."""
    path = Path(path)
    if not path.is_file():
        raise GoldFormatError(f"{path}: no such gold file")
    name = set_name or set_name_for(path)
    text = path.read_text(encoding="utf-8")
    items: list[tuple[object, str]] = []
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{path}: not valid JSON ({exc})") from exc
        items = [(obj, f"{path}[{i}]") for i, obj in enumerate(data)]
    else:
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((json.loads(line), f"{path}:{lineno}"))
            except json.JSONDecodeError as exc:
                raise GoldFormatError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
    questions = [
        parse_record(obj, origin, name, f"{name}-{i}") for i, (obj, origin) in enumerate(items, start=1)
    ]
    if not questions:
        raise GoldFormatError(f"{path}: holds no questions")
    check_unique_ids(questions)
    return questions


def check_unique_ids(questions: Iterable[GoldQuestion]) -> None:
    """Ids key the per-question comparison between runs, so a duplicate is an error, not a warning."""
    seen: dict[str, str] = {}
    for q in questions:
        if q.id in seen:
            raise GoldFormatError(f"duplicate question id {q.id!r}: {seen[q.id]} and {q.origin}")
        seen[q.id] = q.origin


def load_gold_sets(paths: Sequence[Path | str] = ()) -> list[GoldQuestion]:
    """Load several gold files (default: every packaged dev set). A name like 'news' means that set;
    a directory holding the benchmark's official `MultiHopRAG.json` is loaded with `load_official_queries`.
    """
    questions: list[GoldQuestion] = []
    for p in paths or list(DEFAULT_SETS):
        if isinstance(p, str) and p in DEFAULT_SETS:
            questions.extend(load_gold(DEFAULT_SETS[p], p))
        elif Path(p).is_dir():
            questions.extend(load_official_queries(Path(p)))
        else:
            questions.extend(load_gold(Path(p)))
    check_unique_ids(questions)
    return questions


def read_id_list(path: Path | str) -> list[str]:
    """Ids one per line; blank lines and '#' comments are ignored."""
    ids = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            ids.append(line)
    return ids


def select_ids(questions: Sequence[GoldQuestion], ids: Sequence[str]) -> list[GoldQuestion]:
    """Keep the listed questions, in the gold order; an unknown id is an error (a stale subset file)."""
    by_id = {q.id: q for q in questions}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        raise GoldFormatError(
            f"{len(unknown)} id(s) in the subset are not in the loaded gold sets: {unknown[:5]}"
        )
    wanted = set(ids)
    return [q for q in questions if q.id in wanted]


def stratified_sample(questions: Sequence[GoldQuestion], n: int, seed: int) -> list[GoldQuestion]:
    """A seeded sample of n questions, allocated to question types in proportion (largest remainder).

    Deterministic for a given input order and seed, so the committed CI subset can be regenerated.
    """
    if n >= len(questions):
        return list(questions)
    strata: dict[str, list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        strata[q.question_type].append(q)
    total = len(questions)
    quotas = {t: n * len(qs) / total for t, qs in strata.items()}
    counts = {t: int(v) for t, v in quotas.items()}
    for t in sorted(quotas, key=lambda t: (-(quotas[t] - counts[t]), t))[: n - sum(counts.values())]:
        counts[t] += 1
    rng = random.Random(seed)
    chosen: set[str] = set()
    for t in sorted(strata):
        chosen.update(q.id for q in rng.sample(strata[t], counts[t]))
    return [q for q in questions if q.id in chosen]


# The CI subset: 104 questions of the *checking* half of the dev split (eval/split.py), so the gate
# watches questions nothing was fitted on. Sized to CI's 90 minutes on its slowest 2-core machine
# (156 questions took over 58 minutes there, 23 s each; 104 take about 40) and to the trust issue's
# floor: at least 20 null, 30 yes/no and 10 Chinese questions, plus the cross-lingual, precision and
# typed yes/no rows. Near misses are drawn by pair, so each comes with its sibling.
CI_SAMPLES = {
    "news": 12,
    "multihop-rag": 36,
    "nearmiss": 12,
    "crosslingual": 10,
    "precision": 8,
    "yesno": 22,
}
CI_SEED = 20240715


def _pair_sample(questions: Sequence[GoldQuestion], n: int, seed: int) -> list[GoldQuestion]:
    """About n questions drawn by `pair` (whole pairs), in gold order."""
    pairs: dict[str, list[GoldQuestion]] = defaultdict(list)
    for q in questions:
        pairs[q.pair or q.id].append(q)
    keys = sorted(pairs)
    random.Random(seed).shuffle(keys)
    chosen: set[str] = set()
    for key in keys:
        if len(chosen) >= n:
            break
        chosen.update(q.id for q in pairs[key])
    return [q for q in questions if q.id in chosen]


def build_ci_subset_ids() -> list[str]:
    """Every seed question of the checking half, then seeded samples of the other sets' checking
    halves (type-stratified; near misses by pair). `eval/ci_subset.txt` is this list, committed; a
    test keeps them equal and checks the floors above."""
    from eval.split import select_half  # split imports this module

    ids = [q.id for q in select_half(load_gold(DEFAULT_SETS["seed"], "seed"), "check")]
    for name, n in CI_SAMPLES.items():
        questions = select_half(load_gold(DEFAULT_SETS[name], name), "check")
        sample = (
            _pair_sample(questions, n, CI_SEED)
            if name == "nearmiss"
            else stratified_sample(questions, n, CI_SEED)
        )
        ids += [q.id for q in sample]
    return ids


def write_ci_subset(path: Path = CI_SUBSET) -> None:
    """Regenerate the committed CI id list (`python -m eval.gold`)."""
    sizes = ", ".join(f"{n} {name}" for name, n in CI_SAMPLES.items())
    header = (
        "# CI subset for `newsrag eval --subset ci`, all from the checking half of the dev split:\n"
        f"# every seed question and seeded (seed {CI_SEED}) samples of {sizes} questions.\n"
        "# Generated by `python -m eval.gold`; do not edit by hand.\n"
    )
    path.write_text(header + "\n".join(build_ci_subset_ids()) + "\n", encoding="utf-8")


# --- The benchmark's official full files ------------------------------------------------------------


@dataclass(frozen=True)
class Pointer:
    """A git-lfs pointer: the size and sha256 of an upstream file we do not ship."""

    name: str
    sha256: str
    size: int


def read_pointers(path: Path | str = UPSTREAM_POINTERS) -> dict[str, Pointer]:
    """Parse `== dataset/NAME (...)` sections with `oid sha256:...` and `size N` lines, keyed by NAME."""
    pointers: dict[str, Pointer] = {}
    name: str | None = None
    sha: str | None = None
    size: int | None = None

    def flush() -> None:
        if name is not None:
            if sha is None or size is None:
                raise GoldFormatError(f"{path}: pointer for {name} lacks an oid or a size")
            pointers[name] = Pointer(name, sha, size)

    for line in Path(path).read_text(encoding="utf-8").splitlines():
        head = re.match(r"==\s*(\S+)", line)
        if head:
            flush()
            name, sha, size = Path(head.group(1)).name, None, None
        elif m := re.match(r"oid sha256:([0-9a-f]{64})\s*$", line.strip()):
            sha = m.group(1)
        elif m := re.match(r"size (\d+)\s*$", line.strip()):
            size = int(m.group(1))
    flush()
    if not pointers:
        raise GoldFormatError(f"{path}: no '== NAME' pointer sections found")
    return pointers


def verify_upstream_file(path: Path, pointers: Path | str = UPSTREAM_POINTERS) -> None:
    """Check a user-supplied benchmark file against its recorded size and sha256 before trusting it."""
    recorded = read_pointers(pointers)
    pointer = recorded.get(path.name)
    if pointer is None:
        raise UpstreamMismatchError(
            f"{path}: no upstream pointer for a file named {path.name!r} (known: {sorted(recorded)})"
        )
    if not path.is_file():
        raise UpstreamMismatchError(f"{path}: file not found (expected the benchmark's {path.name})")
    size = path.stat().st_size
    if size != pointer.size:
        raise UpstreamMismatchError(
            f"{path}: size {size} bytes differs from upstream {pointer.size} bytes; this is not the "
            f"benchmark's {path.name} (a git-lfs pointer file, a truncated download or another version?)"
        )
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    if h.hexdigest() != pointer.sha256:
        raise UpstreamMismatchError(
            f"{path}: sha256 {h.hexdigest()} differs from upstream {pointer.sha256}; the file has been "
            "modified or is another version of the benchmark"
        )


def _read_upstream_json(path: Path, pointers: Path | str, verify: bool) -> object:
    """A file of the full benchmark, parsed, after checking it against its upstream pointer."""
    if verify:
        verify_upstream_file(path, pointers)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from exc


def load_official_queries(
    dataset_dir: Path, pointers: Path | str = UPSTREAM_POINTERS, verify: bool = True
) -> list[GoldQuestion]:
    """The benchmark's full `MultiHopRAG.json` (2,556 queries), checked against its pointer first.

    Upstream rows carry no id; they get `mhr-full-N` (1-based position in the file).
    """
    path = dataset_dir / "MultiHopRAG.json"
    data = _read_upstream_json(path, pointers, verify)
    if not isinstance(data, list):
        raise GoldFormatError(f"{path}: expected a JSON array of queries")
    questions = [
        parse_record(obj, f"{path}[{i}]", "multihop-rag-full", f"mhr-full-{i + 1}")
        for i, obj in enumerate(data)
    ]
    check_unique_ids(questions)
    return questions


def load_official_corpus(
    dataset_dir: Path, pointers: Path | str = UPSTREAM_POINTERS, verify: bool = True
) -> list[Article]:
    """The benchmark's full `corpus.json` (609 articles) as Articles, checked against its pointer first.

    Article ids are `mhr-` plus a hash of the URL, stable across runs, so they can be ingested.
    """
    path = dataset_dir / "corpus.json"
    data = _read_upstream_json(path, pointers, verify)
    articles = []
    for i, obj in enumerate(data):
        if not isinstance(obj, dict) or not isinstance(obj.get("body"), str):
            raise GoldFormatError(f"{path}[{i}]: expected an object with a string 'body'")
        key = obj.get("url") or obj.get("title") or str(i)
        articles.append(
            Article(
                id="mhr-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16],
                title=obj.get("title") or "",
                body=obj["body"],
                source=obj.get("source") or "",
                url=obj.get("url") or "",
                published_at=obj.get("published_at") or None,
                language="en",
                author=obj.get("author") or "",
                category=obj.get("category") or "",
                origin=f"{path}[{i}]",
            )
        )
    return articles


if __name__ == "__main__":
    write_ci_subset()
    print(f"wrote {CI_SUBSET}")
