"""Attention for decoding with a preallocated cache: grouped-query attention without copying keys and values.

transformers' SDPA path repeats every key/value head for each query head that shares it (`repeat_kv`) whenever a
mask is given, which copies the whole cache in every layer at every step: on a CPU that copying cost more than the
decoding steps' arithmetic. Here the query heads that share a key/value head are folded into one matrix product
against that head instead. The mask is the caller's own 4-D boolean mask (True = attend), so a beam search can lay
several hypotheses of one prompt side by side in one cache row (tree attention).
"""
from __future__ import annotations

import contextlib

NAME = "serendip_grouped"
_registered = False


def grouped_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    import torch

    batch, heads, queries, dim = query.shape
    kv_heads, length = key.shape[1], key.shape[2]
    group = heads // kv_heads
    scale = scaling if scaling is not None else dim ** -0.5
    # Query head h reads key/value head h // group, as transformers' repeat_kv lays them out.
    q = query.reshape(batch, kv_heads, group * queries, dim)
    scores = torch.matmul(q, key.transpose(-1, -2)).mul_(scale).view(batch, kv_heads, group, queries, length)
    if attention_mask is not None:
        mask = attention_mask[:, :, :, :length]
        if mask.dtype == torch.bool:
            scores = scores.masked_fill(~mask[:, :, None], float("-inf"))
        else:
            scores = scores + mask[:, :, None]
    elif queries > 1:  # causal, aligned to the end of the keys (the cache holds `length - queries` earlier tokens)
        causal = torch.ones(queries, length, dtype=torch.bool, device=scores.device).tril(length - queries)
        scores = scores.masked_fill(~causal, float("-inf"))
    probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(value.dtype)
    out = torch.matmul(probs.view(batch, kv_heads, group * queries, length), value)
    return out.view(batch, heads, queries, dim).transpose(1, 2).contiguous(), None


def _register() -> None:
    global _registered
    if _registered:
        return
    from transformers import AttentionInterface
    from transformers.masking_utils import AttentionMaskInterface, sdpa_mask

    AttentionInterface.register(NAME, grouped_attention)
    AttentionMaskInterface.register(NAME, sdpa_mask)  # boolean masks, as for SDPA, when a caller passes a 2-D mask
    _registered = True


@contextlib.contextmanager
def grouped(model):
    """Runs the model's attention through `grouped_attention` inside the block."""
    _register()
    config = model.config
    before = config._attn_implementation
    config._attn_implementation = NAME
    try:
        yield
    finally:
        config._attn_implementation = before
