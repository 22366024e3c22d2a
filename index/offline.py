"""Switch every library we use to offline mode before it gets a chance to reach the network.

Call `enforce_offline()` at every entry point (CLI, app, API). It is idempotent and only sets
variables: the Hugging Face hub, transformers, Chroma telemetry, Gradio analytics, and the
tiktoken/NLTK caches that llama-index ships (pointed at its bundled copies so nothing downloads).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

_FLAGS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


def _llama_index_static() -> Path | None:
    """llama-index's bundled caches, found without importing it (the import takes seconds)."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "_static"


def enforce_offline() -> None:
    """Set the offline switches; the bundled tiktoken/NLTK caches win over any user setting."""
    for key, value in _FLAGS.items():
        os.environ[key] = value
    static = _llama_index_static()
    if static is not None:
        tiktoken_cache = static / "tiktoken_cache"
        nltk_cache = static / "nltk_cache"
        if tiktoken_cache.is_dir():
            os.environ["TIKTOKEN_CACHE_DIR"] = str(tiktoken_cache)
        if nltk_cache.is_dir():
            os.environ["NLTK_DATA"] = str(nltk_cache)
