"""Names as the corpus's other language writes them, read from the corpus's own glosses.

Chinese news gives a foreign name's original in brackets at its first mention: "创办人黎智英(Jimmy
Lai)", "国战争部长皮特·海格塞斯(Pete Hegseth)", "“阿尔忒弥斯三号”(Artemis III)". Those pairs are a
bilingual list of exactly the names the corpus is about (mining parenthetical translations, Lin et al.
2008). An English question naming Jimmy Lai can then search the Chinese articles for 黎智英, which
the packaged 1.5B translates as 李建良, and a Chinese question naming 黎智英 can search English
articles for "Jimmy Lai". Read from the index's chunks, built once per index fingerprint and kept
beside the BM25 index (`rag.bm25`), so it follows ingests and prunes without a step of its own.

Why not llama-index: it has no bilingual lexicon; this is a regular expression over stored chunks.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.cjk import HAN, HAN_CHAR
from rag.bm25 import ChunkSource, fingerprint_name
from rag.constraints import question_constraints
from rag.english_words import is_english_word

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
# "<Han name>(<Latin name>)": a run of Han characters (with the "·" of transliterated names), an
# optional closing quote or title mark, then a bracketed Latin name that starts with a capital.
_GLOSS = re.compile(
    rf"(?P<han>[{HAN}·・]{{2,}})[”’」』》\"']?\s*[（(]\s*"
    r"(?P<latin>[A-Z][A-Za-z0-9.&'’\- ]{0,58}[A-Za-z0-9.])\s*[)）]"
)
# A Han run before the gloss also holds what precedes the name in the sentence ("美国国务卿马尔科·卢比奥"):
# kept, at most, the last MAX_HAN characters before a "·" (a transliterated given name has 2-5) and
# the whole name after it; BM25 segments the run and its title words are about the same person.
MAX_HAN = 8
# A Chinese question names a glossed name when it writes its surname or last 3 characters (`_han_key`);
# a 2-character surname is inside too many other words (拉克 of Rucker in 希拉克, Chirac).
MIN_HAN_KEY = 3
MAX_VARIANTS = 2  # the commonest writings of one name searched for it (see `_writings`)
_WORD = re.compile(r"[A-Za-z0-9]+")
_POSSESSIVE = re.compile(r"['’]s$")
_ACRONYM = re.compile(r"[A-Z]{3,}")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # after a surname: "Thomas Weir Pauken II"


@dataclass
class Glossary:
    """Latin name -> its Han writings in the corpus, most frequent first."""

    han_of: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Glossary:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            if not HAN_CHAR.search(text):
                continue
            for m in _GLOSS.finditer(text):
                han, latin = _han_name(m.group("han")), " ".join(m.group("latin").split())
                if len(han.replace("·", "")) >= 2 and _WORD.search(latin):
                    counts[latin][han] += 1
        return cls({latin: [h for h, _ in c.most_common()] for latin, c in sorted(counts.items())})

    def __len__(self) -> int:
        return len(self.han_of)

    def in_other_script(self, question: str, known_sources: Iterable[str] = ()) -> list[str]:
        """The question's names as the other script writes them: Han writings of a Latin-script
        question's names, Latin names of a Chinese question's names; [] when the glossary has none."""
        out: list[str] = []
        if HAN_CHAR.search(question):  # jieba cuts transliterations short ("卢比" of 卢比奥): read the text
            for latin, writings in self.han_of.items():
                if any(len(key := _han_key(w)) >= MIN_HAN_KEY and key in question for w in writings):
                    out.append(latin)
        else:
            for name in question_constraints(question, known_sources).entities:
                for latin, writings in self.han_of.items():
                    if _names_entry(name, latin):
                        out += _writings(writings)
        return list(dict.fromkeys(out))

    def save(self, path: Path) -> None:
        tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}")
        tmp.write_text(json.dumps(self.han_of, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


def latin_gloss(han: str, text: str) -> str | None:
    """The Latin name `text` glosses the Han name `han` with ("Leila Benali" for 莱拉·贝纳利 in
    "能源转型部长莱拉·贝纳利(Leila Benali)"), or None when it glosses it nowhere."""
    return next((m.group("latin") for m in _GLOSS.finditer(text) if m.group("han").endswith(han)), None)


def _han_name(run: str) -> str:
    """The name at the end of a Han run: the last MAX_HAN characters before its first "·", and the rest."""
    run = run.replace("・", "·").strip("·")
    head, dot, tail = run.partition("·")
    return f"{head[-MAX_HAN:]}{dot}{tail}"


def _names_entry(name: tuple[str, ...], latin: str) -> bool:
    """Whether a question's name is the glossed `latin` name: the question writes all of it ("NASA's
    Artemis III" names "Artemis III"; one word only when it is that word, or an acronym: "Museum" is no
    name of "June 4th Museum"), or writes its last word and no other ("Hegseth", "Thomas Pauken" for
    "Thomas Weir Pauken II"; "China" is not "China Mobile"). A last word alone that is also an English
    word ("Museum", and so "Trump" or "Curry") is too common to tell whose name it is."""
    words = [_POSSESSIVE.sub("", w).casefold() for w in name if _WORD.search(w)]
    entry = [w.casefold() for w in _WORD.findall(latin)]
    if not words or not entry:
        return False
    one_word = len(entry) == 1 and not _ACRONYM.fullmatch(latin)
    if one_word and is_english_word(entry[0]):  # "博物馆(Museum)" glosses a word, not a name
        return False
    if set(entry) <= set(words) and (not one_word or entry == words):
        return True
    if len(words) == 1 and is_english_word(words[0]):  # "Museum" of "Obama Presidential Center Museum"
        return False
    head = [w for w in entry if w not in _SUFFIXES]
    return bool(head) and head[-1] == words[-1] and len(words[-1]) >= 3 and set(words) <= set(entry)


def _han_key(writing: str) -> str:
    """What a Chinese question writes of a glossed name: the surname after its last "·" (卢比奥 of
    马尔科·卢比奥), else the last 3 characters, a Chinese name's usual length (黎智英 of 创办人黎智英)."""
    return writing.rpartition("·")[2] if "·" in writing else writing[-3:]


def _writings(writings: Sequence[str]) -> list[str]:
    """The two commonest writings of a name, or the shorter when it ends the other ("唐纳德·特朗普" of
    "国总统唐纳德·特朗普"): two transliterations ("海格塞斯", "赫格塞斯") are both searched."""
    top = list(writings[:MAX_VARIANTS])
    if len(top) == 2 and (top[0].endswith(top[1]) or top[1].endswith(top[0])):
        return [min(top, key=len)]
    return top


def glossary_path(index_dir: Path, fingerprint: str) -> Path:
    return index_dir / "glossary" / f"{fingerprint_name(fingerprint)}-v{FORMAT_VERSION}.json"


def load_or_build(source: ChunkSource, index_dir: Path) -> Glossary:
    """The glossary of `source`'s current content: loaded if kept, else read from its chunks and kept
    (files of other fingerprints are removed)."""
    path = glossary_path(index_dir, source.fingerprint())
    if path.is_file():
        try:
            return Glossary(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:  # unreadable: build it again
            log.warning("glossary at %s unreadable (%s); rebuilding", path, exc)
    glossary = Glossary.from_texts(_texts(source.iter_chunks()))
    path.parent.mkdir(parents=True, exist_ok=True)
    glossary.save(path)
    for other in path.parent.iterdir():
        if other == path or other.name.startswith(".tmp-"):
            continue
        if other.is_file():
            other.unlink(missing_ok=True)
        else:
            shutil.rmtree(other, ignore_errors=True)
    log.info("read %d bracketed name glosses from the index into %s", len(glossary), path)
    return glossary


def _texts(chunks: Iterable[tuple[Any, dict]]) -> Iterable[str]:
    for chunk, meta in chunks:
        yield f"{meta.get('title') or ''}\n{getattr(chunk, 'text', '') or ''}"


def with_glossary(
    translations: Mapping[str, str], names: Sequence[str], targets: Sequence[str]
) -> dict[str, str]:
    """The translations, each followed by the question's names as its language's script writes them
    (Han names for Chinese, Latin names otherwise). A language with no translation (the translator's
    reply was dropped) is not searched by the names alone: on the tuning half that query found the
    subject's articles but not what was asked, and the 1.5B answered from them (docs/retrieval.md)."""
    out = dict(translations)
    for lang in targets:
        han = lang.split("-")[0].lower() == "zh"
        written = [n for n in names if bool(HAN_CHAR.search(n)) == han]
        if written and out.get(lang):
            out[lang] = " ".join((out[lang], *written))
    return out
