"""Does the answer judge read the evidence for a bare "Yes" or "No", or echo the reply word?

    NEWSRAG_MIN_YES_NO_PROBABILITY=0 newsrag eval yesno --split tune --json var/eval/yn_tune_bar0_40.json
    python bench/judge_reply_prior.py var/eval/yn_tune_bar0_40.json

First it asks the answer judge (`rag.answerability`) over the content-free inputs of its calibration
(`rag.judge.CONTENT_FREE`) with the answer field held at "Yes", then at "No": its P(Yes) there is what
the word alone pulls. Then it replays each run's bare replies (as `bench/fit_yes_no_bar.py` does) with
two calibrations: the shipped one (every field content-free) and one that keeps the reply word, which
divides that pull out, and prints right, wrong and near misses answered at each bar for both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_yes_no_bar import _judged

from rag.judge import CONTENT_FREE, calibrate

BARS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.935)


def _priors() -> dict[str, tuple[float, ...]]:
    """The judge's label distribution over content-free inputs: all fields, and with the answer fixed."""
    from rag.assistant import Assistant

    judge = Assistant.open()._answer_check._judge
    assert judge is not None
    priors = {"": judge.prior()}
    for word in ("Yes", "No"):
        rows = [
            judge._scorer.distribution(
                judge._messages({**dict.fromkeys(judge._fields, cf), "answer": word}), judge.labels
            )
            for cf in CONTENT_FREE
        ]
        priors[word] = tuple(float(x) for x in np.mean(np.array(rows), axis=0))
    return priors


def _recalibrated(p: float, shipped: tuple[float, ...], kept: tuple[float, ...]) -> float:
    """`p` calibrated with `shipped`, re-calibrated with `kept` instead (the raw odds recovered first)."""
    odds = p / (1 - p) * shipped[0] / shipped[1]
    raw = odds / (1 + odds)
    return calibrate((raw, 1 - raw), kept)[0]


def main(paths: list[str]) -> int:
    priors = _priors()
    for name, prior in priors.items():
        print(f"content-free P(Yes) with answer {name or '(content-free too)'!r}: {prior[0]:.3f}")
    records = [r for p in paths for r in json.loads(Path(p).read_text())["records"]]
    print("| calibration | bar | right | wrong | nulls answered | right - 2 x (wrong + nulls answered) |")
    print("|---|---|---|---|---|---|")
    for label in ("shipped", "reply word kept"):
        for bar in BARS:
            right = wrong = nulls = 0
            for r in records:
                p = _judged(r)
                if r["abstained"]:
                    continue
                if p is not None and label != "shipped":
                    raw = next(n[5:] for n in r["notes"] if n.startswith("raw: "))
                    word = "Yes" if raw.strip().casefold().startswith(("yes", "是", "对", "有")) else "No"
                    p = _recalibrated(p, priors[""], priors[word])
                if p is not None and p < bar:
                    continue
                if r["gold"]["null"]:
                    nulls += 1
                elif r["strict"]:
                    right += 1
                else:
                    wrong += 1
            print(f"| {label} | {bar:.3f} | {right} | {wrong} | {nulls} | {right - 2 * (wrong + nulls)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
