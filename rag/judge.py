"""Ask the generator a Yes/No question and read its answer as a calibrated probability.

Used after generation to check that the evidence states the answer to the question asked (a
P(True)-style self-check, Kadavath et al. 2022) and to judge each side of a yes/no question. The
probability comes from the next-token distribution over "Yes" and "No" (llama.cpp logits, or the
`top_logprobs` of an OpenAI-compatible server), not from sampled text. Small models lean towards one
word whatever the content, so every probability is corrected by contextual calibration (Zhao et al.
2021, "Calibrate Before Use"): the model is asked the same question over content-free inputs
("N/A"), and its Yes/No odds there are divided out, so that 0.5 means "no evidence either way".

Log-probabilities are needed for calibration; a backend that gives none is judged on its greedy
reply (uncalibrated). The judge's prompt opens with the answer prompt's system turn, byte for byte, so llama.cpp keeps
that prefix in its KV cache across the answer and the checks.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from llama_index.core.base.llms.types import ChatMessage, MessageRole
from llama_index.core.llms import LLM

from rag.kv_prefix import PrefixSnapshots, reusable_prefix
from rag.prompt_cache import PromptCache
from rag.prompts import messages_to_chatml

log = logging.getLogger(__name__)

CONTENT_FREE = ("N/A", "", "[MASK]")  # the content-free inputs of Zhao et al. 2021
YES_NO = ("Yes", "No")


@dataclass(frozen=True)
class Verdict:
    """The label distribution, raw and calibrated (decisions use `calibrated`), in `labels` order."""

    labels: tuple[str, ...]
    raw: tuple[float, ...]
    calibrated: tuple[float, ...]

    def p(self, label: str) -> float:
        return self.calibrated[self.labels.index(label)]


def _variants(label: str) -> tuple[str, ...]:
    return (label, f" {label}", label.lower(), f" {label.lower()}", label.upper())


class LabelScorer:
    """P(first reply token is each label | messages), for whichever backend `llm` is.

    llama.cpp: one forward pass over the prompt (reusing the cached prefix) and a softmax over the
    labels' first-token logits. OpenAI-compatible servers: `top_logprobs` of a one-token reply.
    Otherwise (no log-probabilities): the greedy reply, read as all probability on its label.
    """

    def __init__(self, llm: LLM, cache: PromptCache | None = None) -> None:
        self._llm = llm
        model = getattr(llm, "_model", None)
        self._llama = model if hasattr(model, "eval") and hasattr(model, "tokenize") else None
        self._lock: threading.Lock = getattr(llm, "_call_lock", None) or threading.Lock()
        self._prefixes: PrefixSnapshots | None = getattr(llm, "_prefixes", None)
        self._ids: dict[str, list[int]] = {}
        self._cache = cache

    def distribution(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        prompt = messages_to_chatml(list(messages), None)
        key = f"{prompt}\x00{'|'.join(labels)}"
        if self._cache is not None and (hit := self._cache.get("labels", key)) is not None:
            return tuple(hit)
        if self._llama is not None:
            probs = self._llamacpp(prompt, labels)
        else:
            probs = self._logprobs(messages, labels) or self._greedy(messages, labels)
        if self._cache is not None:
            self._cache.put("labels", key, list(probs))
        return probs

    def _label_ids(self, label: str) -> list[int]:
        if label not in self._ids:
            llama = self._llama
            self._ids[label] = sorted(
                {llama.tokenize(v.encode(), add_bos=False, special=False)[0] for v in _variants(label)}
            )
        return self._ids[label]

    def _llamacpp(self, prompt: str, labels: Sequence[str]) -> tuple[float, ...]:
        llama = self._llama
        tokens = llama.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
        groups = [self._label_ids(label) for label in labels]
        with self._lock:
            prefix = reusable_prefix(llama, prompt, tokens, self._prefixes)
            llama.n_tokens = prefix
            llama.eval(tokens[prefix:])
            logits = np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).astype(
                np.float64
            )
        top = max(float(logits[ids].max()) for ids in groups)
        mass = [float(np.exp(logits[ids] - top).sum()) for ids in groups]
        log.debug("judge: %d prompt tokens, %d reused from the KV cache", len(tokens), prefix)
        return tuple(m / sum(mass) for m in mass)

    def _logprobs(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...] | None:
        """Label probabilities from an OpenAI-compatible server's top_logprobs, if it gives them."""
        client_of = getattr(self._llm, "_get_client", None)
        if client_of is None:
            return None
        try:
            reply = client_of().chat.completions.create(
                model=self._llm.model,  # type: ignore[attr-defined]
                messages=[{"role": m.role.value, "content": m.content or ""} for m in messages],
                max_tokens=1,
                temperature=0.0,
                logprobs=True,
                top_logprobs=20,
            )
            top = reply.choices[0].logprobs.content[0].top_logprobs
        except Exception as exc:  # no logprobs support: fall back to the greedy word
            log.debug("no logprobs from the server (%s); judging on the greedy reply", exc)
            return None
        mass = [sum(math.exp(t.logprob) for t in top if t.token in _variants(label)) for label in labels]
        total = sum(mass)
        return tuple(m / total for m in mass) if total > 0 else None

    def _greedy(self, messages: Sequence[ChatMessage], labels: Sequence[str]) -> tuple[float, ...]:
        reply = (self._llm.chat(list(messages)).message.content or "").strip().casefold()
        hits = [float(reply.startswith(label.casefold())) for label in labels]
        return tuple(h / sum(hits) for h in hits) if sum(hits) else tuple(1 / len(labels) for _ in labels)


def calibrate(p: Sequence[float], prior: Sequence[float]) -> tuple[float, ...]:
    """Contextual calibration: divide out the model's label prior (W = diag(prior)^-1), renormalise."""
    eps = 1e-6
    scaled = [max(x, eps) / max(c, eps) for x, c in zip(p, prior, strict=True)]
    return tuple(x / sum(scaled) for x in scaled)


class Judge:
    """One kind of question to the generator (a prompt template and its labels), calibrated once.

    `template` is a `str.format` template over `fields`; for calibration each field is replaced by
    each content-free input in turn and the label distributions are averaged. A judge whose
    content-free inputs would rightly be answered "No" (two empty passages "agree" on nothing) is
    given `prior` instead: the mean label distribution over a batch of real, unlabelled inputs
    (batch calibration, Zhou et al. 2023), measured once and kept in the settings.
    """

    def __init__(
        self,
        scorer: LabelScorer,
        system_prompt: str,
        template: str,
        fields: Sequence[str],
        labels: Sequence[str] = YES_NO,
        prior: Sequence[float] | None = None,
    ) -> None:
        self._scorer = scorer
        self._system = system_prompt
        self._template = template
        self._fields = tuple(fields)
        self.labels = tuple(labels)
        self._prior: tuple[float, ...] | None = tuple(prior) if prior is not None else None

    def _messages(self, values: dict[str, str]) -> list[ChatMessage]:
        return [
            ChatMessage(role=MessageRole.SYSTEM, content=self._system),
            ChatMessage(role=MessageRole.USER, content=self._template.format(**values)),
        ]

    def prior(self) -> tuple[float, ...]:
        """The label distribution over content-free inputs, computed on first use."""
        if self._prior is None:
            rows = [
                self._scorer.distribution(self._messages(dict.fromkeys(self._fields, cf)), self.labels)
                for cf in CONTENT_FREE
            ]
            self._prior = tuple(float(x) for x in np.mean(np.array(rows), axis=0))
            log.debug(
                "judge prior %s over content-free inputs", dict(zip(self.labels, self._prior, strict=True))
            )
        return self._prior

    def run(self, **values: str) -> Verdict:
        raw = self._scorer.distribution(self._messages(values), self.labels)
        return Verdict(self.labels, raw, calibrate(raw, self.prior()))
