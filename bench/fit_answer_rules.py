"""What a rule of the answer check would flag, on gold answers and on generated ones.

    python bench/fit_answer_rules.py --rule names var/eval/tune_subj_open.json var/eval/tune_mh_open.json -v
    python bench/fit_answer_rules.py --rule time var/eval/tune_subj_open.json var/eval/tune_mh_open.json -v
    python bench/fit_answer_rules.py --rule negation var/eval/*.json --rounds bench/questions/explore_stop*.jsonl --answers var/explore/*.jsonl

The rules (`rag.answer_rules`, `rag.denials`) are set by reasoning, not fitted:
- names (`names_only_the_question`): an answer whose every name is one of the question's names and
  that adds no number is refused: "Pranab Mukherjee died." to "Who announced Mukherjee's death?";
- time (`lacks_the_asked_time`): an answer to a question asking for a year, a day or a time of day
  that states none is refused: "19" to "卡明斯是哪年出生的？";
- part (`counts_a_part`): a count its cited sentences state only for part of a group ("Four of the
  deceased were from overseas") answers no "how many" question about the whole;
- unnamed (`places_the_unnamed`): "Jakarta" from "flown to a hospital in Jakarta" says where an
  unnamed hospital is, not which hospital was asked;
- common (`names_no_one`): "Police" to "Who shot ...?" from "police in Clairton responded ..." names
  no one: the cited sentences write the word in lower case;
- count-for-share (`gives_a_count_for_a_share`): "1.7 million" to "what fraction of hong kong's
  population marched";
- measure (`rag.measures.measures_another_thing`): "33" from "lasts 33 Earth days" is no temperature,
  "5" from "五人死亡，20多人受伤" no count of the injured;
- counted (`rag.measures.counts_another_thing`): "more than 100" (members) to "how many buffalo were
  released", from a sentence that counts "ten buffalo";
- level (`rag.measures.gives_a_level_for_a_change`): "49686.12" (报收) to "道琼斯涨了多少点", from a
  sentence that gives the rise as "增长了159.95点";
- year (`states_another_year`): "1.15%" from "... spent 1.15% of its GDP ... in 2018" does not answer
  for 2019;
- month-part (`states_another_part_of_the_month`): "47.4% to 42.1%" from polls "At the beginning of
  May" to a question about the end of May ("2020年5月底");
- claim-value (`answers_a_claim_with_a_value`): "Tropical Depression Three" to a claim typed with "的吧？";
- reason (`gives_no_reason`): a "why" answered by a sentence that states no cause or purpose;
- amount (`gives_no_amount`): a "how many"/"几年" answered with no number;
- length (`gives_a_length_for_a_time`): "5 weeks" to "until when is parliament suspended";
- asked-year (`dates_outside_the_asked_year`): "July 2019" to "when did sanders finally endorse hillary
  in 2016";
- group (`rag.measures.gives_another_groups_value`): "17%" from "17% for males and 12% for females"
  to a question about females;
- negation (`denies_what_is_asked`): a bare "Yes" citing "officials are not concerned about the
  levees" to "are officials worried about the levees";
- ordinal (`gives_another_ordinal`): a bare "Yes" to whether a visit was the first, citing "第二次公开的
  访问";
- amount-list (`rag.measures.picks_an_amount_from_a_list`): "$3.6 billion" from "$3.6 billion from
  a Pentagon construction budget, $2.5 billion from ..., and $601 million from ..." to how much
  Trump wants for the wall;
- age (`ages_the_possessor`): "21" from "Dorsa Derakhshani is currently 21 years old" to "how old is
  dorsa derakhshani's brother borna";
- total (`rag.measures.gives_a_part_for_a_total`): "4" from "被判监四年，...，共被判十年" to a question
  asking how many years in all;
- attribute (`rag.measures.states_no_asked_attribute`): "about 8 kilometers" (where the epicentre
  was placed) to "depth of wednesday's 5.2 quake", from passages that write no form of a depth;
- sibling (`rag.constraints.names_a_sibling`, short questions only): "2.5 billion euros" to what the
  EuroAfrica Interconnector costs, from sentences about the EuroAsia Interconnector (here each cited
  text is the whole passage, a wider window than the check reads);
- sibling-item (`rag.aboutness.SiblingItemCheck`, with the index's embedding model): "3.9%" to
  "美国5月份食品价格涨了多少" from "能源价格上涨3.9%" (energy prices, not food prices).
So this script checks what each costs:
1. every packaged gold answer and alias (both halves: a gold answer is by definition right), with
   its evidence articles' titles and sentences as the cited texts (with `--rounds`, also the
   expected answers of the exploration rounds' answerable questions, with their evidence sentences),
   and
2. every answer generated in the given `newsrag eval --json` runs, the raw reply included when a
   later check refused it, each counted once per question and text, as right or wrong, with the
   run's cited passages (title first) as the cited texts.
Give it runs of the tuning half; the checking half's effect is read from a CI eval's notes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.gold import DEFAULT_SETS, load_gold_sets
from eval.metrics import judge_strict
from rag.aboutness import SiblingItemCheck
from rag.answer_rules import (
    ages_the_possessor,
    answers_a_claim_with_a_value,
    answers_another_kind,
    composes_a_name,
    counts_a_part,
    dates_outside_the_asked_year,
    gives_a_count_for_a_share,
    gives_a_length_for_a_time,
    gives_a_share_for_a_count,
    gives_another_persons_age,
    gives_no_amount,
    gives_no_reason,
    lacks_the_asked_time,
    names_another_kind_of_place,
    names_no_one,
    names_only_the_question,
    names_only_the_speaker,
    picks_from_a_list,
    pins_its_own_subject,
    places_the_unnamed,
    states_another_month,
    states_another_part_of_the_month,
    states_another_year,
)
from rag.constraints import names_a_sibling, names_another_places
from rag.denials import denies_what_is_asked, gives_another_ordinal
from rag.measures import (
    counts_another_thing,
    gives_a_level_for_a_change,
    gives_a_part_for_a_total,
    gives_another_groups_value,
    gives_another_subjects_value,
    measures_another_thing,
    picks_an_amount_from_a_list,
    states_no_asked_attribute,
)

# A rule: (question, answer, cited texts) -> whether it refuses the answer.
Rule = Callable[[str, str, list[str]], bool]

RULES: dict[str, Rule] = {
    "names": names_only_the_question,
    "time": lambda question, answer, texts: lacks_the_asked_time(question, answer) is not None,
    "part": counts_a_part,
    "unnamed": places_the_unnamed,
    "list": picks_from_a_list,
    "kind": lambda question, answer, texts: answers_another_kind(question, answer),
    "claim-value": lambda question, answer, texts: answers_a_claim_with_a_value(question, answer),
    "share": lambda question, answer, texts: gives_a_share_for_a_count(question, answer),
    "count-for-share": lambda question, answer, texts: gives_a_count_for_a_share(question, answer),
    "speaker": lambda question, answer, texts: names_only_the_speaker(question, answer, texts),
    "common": names_no_one,
    "measure": measures_another_thing,
    "counted": counts_another_thing,
    "level": gives_a_level_for_a_change,
    "year": states_another_year,
    "month": states_another_month,
    "month-part": states_another_part_of_the_month,
    "total": gives_a_part_for_a_total,
    "reason": lambda question, answer, texts: gives_no_reason(question, answer),
    "amount": lambda question, answer, texts: gives_no_amount(question, answer),
    "length": lambda question, answer, texts: gives_a_length_for_a_time(question, answer),
    "asked-year": lambda question, answer, texts: dates_outside_the_asked_year(question, answer),
    "group": gives_another_groups_value,
    "subject": gives_another_subjects_value,
    "negation": denies_what_is_asked,
    "ordinal": gives_another_ordinal,
    "age": ages_the_possessor,
    "person-age": gives_another_persons_age,
    "composed-name": composes_a_name,
    "place-kind": lambda question, answer, texts: names_another_kind_of_place(question, answer),
    "amount-list": picks_an_amount_from_a_list,
    "attribute": states_no_asked_attribute,
    "sibling": lambda question, answer, texts: (
        pins_its_own_subject(question) and bool(texts) and all(names_a_sibling(question, t) for t in texts)
    ),
    "sibling-item": lambda question, answer, texts: _sibling_item_check().run(question, answer, texts),
    "another-place": lambda question, answer, texts: (
        pins_its_own_subject(question)
        and bool(texts)
        and all(names_another_places(question, t) for t in texts)
    ),
}


@cache
def _sibling_item_check() -> SiblingItemCheck:
    from rag.meaning import index_embedder  # loads the embedding model: only for this rule

    return SiblingItemCheck(index_embedder())


def _round_rows(paths: list[Path]) -> list[tuple[str, str, str, str]]:
    """(id, question, expected answer, evidence) of each answerable exploration-round question."""
    rows = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").split("\n"):
            row = json.loads(line) if line.strip() else None
            if row and row.get("answerable") and row.get("evidence") and row.get("expected"):
                rows.append((row["id"], row["question"], row["expected"], row["evidence"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="*", type=Path)
    parser.add_argument("--rule", choices=sorted(RULES), default="names", help="the rule to replay")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each flagged answer")
    parser.add_argument(
        "--rounds",
        nargs="*",
        type=Path,
        default=[],
        help="exploration-round question files (bench/questions)",
    )
    parser.add_argument(
        "--answers",
        nargs="*",
        type=Path,
        default=[],
        help="`newsrag ask --questions ... --json` outputs: their answers, each with its quoted sentences, "
        "listed with the round's expected answer (from --rounds) for a reader to judge",
    )
    args = parser.parse_args(argv)
    flags = RULES[args.rule]

    gold = [g for g in load_gold_sets(DEFAULT_SETS) if not g.is_null]
    flagged_gold = [
        (g.id, a)
        for g in gold
        for a in (g.answer, *g.aliases)
        if flags(g.query, a, [f"{e.title}. {e.fact}" for e in g.evidence])
    ]
    print(f"gold answers and aliases flagged: {len(flagged_gold)} of {len(gold)} answerable questions")
    for qid, answer in flagged_gold:
        print(f"  {qid}: {answer}")
    if args.rounds:
        rows = _round_rows(args.rounds)
        flagged_rounds = [(qid, q, a) for qid, q, a, evidence in rows if flags(q, a, [evidence])]
        print(f"exploration rounds' expected answers flagged: {len(flagged_rounds)} of {len(rows)}")
        for qid, question, answer in flagged_rounds:
            print(f"  {qid}: {question[:80]} -> {answer[:60]}")

    by_id = {g.id: g for g in load_gold_sets(DEFAULT_SETS)}
    seen: set[tuple[str, str]] = set()
    right = wrong = total = 0
    for path in args.runs:
        run = json.loads(path.read_text(encoding="utf-8"))
        if "records" not in run:  # a saved baseline or summary, not an eval run
            print(f"skipped {path}: no records", file=sys.stderr)
            continue
        for r in run["records"]:
            raws = [n.removeprefix("raw: ") for n in r.get("notes") or [] if n.startswith("raw: ")]
            by_chunk = {p["chunk_id"]: p for p in r["retrieved"]}
            cited = [by_chunk[c["chunk_id"]] for c in r["citations"] if c["chunk_id"] in by_chunk]
            texts = [f"{p['title']}. {p['text']}" for p in cited or r["retrieved"][:1]]
            for answer in dict.fromkeys([*raws, r["answer"]]):
                if (r["abstained"] and answer == r["answer"]) or (r["id"], answer) in seen:
                    continue
                seen.add((r["id"], answer))
                total += 1
                if not flags(r["question"], answer, texts):
                    continue
                ok = judge_strict(answer, False, by_id[r["id"]]).passed
                right += ok
                wrong += not ok
                if args.verbose:
                    print(f"  {'RIGHT' if ok else 'wrong'} {r['id']}: {r['question'][:80]} -> {answer[:60]}")
    print(
        f"generated answers flagged: {right + wrong} of {total} ({wrong} wrong or answering a null, {right} right)"
    )
    if args.answers:
        _flag_asked(flags, args.answers, {qid: a for qid, _, a, _ in _round_rows(args.rounds)})
    return 0


def _flag_asked(flags: Rule, paths: list[Path], expected: dict[str, str]) -> None:
    """The rule over answers of `newsrag ask --json` runs, each distinct (question, answer, quotes) once."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    flagged = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").split("\n"):
            r = json.loads(line) if line.strip().startswith("{") else None
            if not r or r.get("abstained"):
                continue
            quotes = tuple(f"{c['title']}. {c['quote']}" for c in r.get("citations") or [])
            key = (r["question"], r["answer"], quotes)
            if key in seen:
                continue
            seen.add(key)
            if flags(r["question"], r["answer"], list(quotes)):
                flagged.append((r.get("id", "?"), r["question"], r["answer"]))
    print(f"asked answers flagged: {len(flagged)} of {len(seen)} distinct")
    for qid, question, answer in flagged:
        print(f"  {qid}: {question[:80]} -> {answer[:40]} (expected: {expected.get(qid, '?')[:40]})")


if __name__ == "__main__":
    raise SystemExit(main())
