"""Constrained proposals and unconstrained greedy answers, batched.

Constrained proposals are a beam search over the candidate trie: every hypothesis follows only edges that keep a
non-excluded candidate reachable, so every proposal is a valid cluster outside the history by construction. A
hypothesis is finished the moment a single candidate remains below it (its score is the log-probability of the
path so far; the rest of the description is forced and costs nothing).

Batches share work: prompts are sorted, so a batch's prompts share a long token prefix (the instruction and the
first history cluster); that prefix runs through the model once and its key/value cache is repeated for every row.
"""
from __future__ import annotations

from typing import Callable, Sequence

from .trie import CandidateTrie

Proposal = tuple[int, float]


def _common_prefix(rows: Sequence[Sequence[int]]) -> int:
    first = rows[0]
    n = min(len(r) for r in rows) - 1  # every row keeps at least one token of its own
    for i in range(max(n, 0)):
        t = first[i]
        if any(r[i] != t for r in rows):
            return i
    return max(n, 0)


def _prefill(model, rows: Sequence[Sequence[int]], pad: int):
    """Runs the batch's prompts with the shared prefix computed once. Returns (cache, mask, positions, log-probs)."""
    import torch
    from transformers import DynamicCache

    count = len(rows)
    shared = _common_prefix(rows)
    cache = DynamicCache()
    if shared > 0:
        model(input_ids=torch.tensor([list(rows[0][:shared])]), past_key_values=cache, use_cache=True,
              logits_to_keep=1)
        cache.batch_repeat_interleave(count)
    width = max(len(r) - shared for r in rows)
    ids = torch.full((count, width), pad, dtype=torch.long)
    own = torch.zeros((count, width), dtype=torch.long)
    for i, row in enumerate(rows):
        tail = row[shared:]
        ids[i, width - len(tail):] = torch.tensor(list(tail))
        own[i, width - len(tail):] = 1
    mask = torch.cat([torch.ones((count, shared), dtype=torch.long), own], dim=1)
    positions = (mask.cumsum(-1) - 1).clamp(min=0)
    out = model(input_ids=ids, attention_mask=mask, position_ids=positions[:, shared:], past_key_values=cache,
                use_cache=True, logits_to_keep=1)
    logp = torch.log_softmax(out.logits[:, -1].float(), dim=-1)
    return cache, mask, positions[:, -1], logp


def _propose_batch(model, pad: int, trie: CandidateTrie, rows: Sequence[Sequence[int]],
                   excluded: Sequence[frozenset[int]], proposals: int, beam_width: int) -> list[list[Proposal]]:
    import torch

    finished: list[list[Proposal]] = [[] for _ in rows]
    live: list[tuple[int, int, float] | None] = []  # (row, node, score), aligned with the cache's batch dimension
    for r in range(len(rows)):
        decided = trie.decided(CandidateTrie.ROOT, excluded[r])
        if decided is not None:
            finished[r].append((decided, 0.0))  # a single candidate left: nothing to ask the model
        live.append(None if decided is not None else (r, CandidateTrie.ROOT, 0.0))
    if all(h is None for h in live):
        return finished
    cache, mask, last_position, logp = _prefill(model, rows, pad)
    while True:
        lp = logp.numpy()
        grown: list[list[tuple[float, int, int, int]]] = [[] for _ in rows]  # (score, child, parent, token)
        for i, hyp in enumerate(live):
            if hyp is None:
                continue
            r, node, score = hyp
            for token, child in trie.allowed(node, excluded[r]).items():
                s = score + float(lp[i, token])
                decided = trie.decided(child, excluded[r])
                if decided is not None:
                    finished[r].append((decided, s))
                else:
                    grown[r].append((s, child, i, token))
        survivors = []
        for r, options in enumerate(grown):
            options.sort(key=lambda o: -o[0])
            options = options[:beam_width]
            if len(finished[r]) >= proposals:
                bar = sorted((s for _, s in finished[r]), reverse=True)[proposals - 1]
                options = [o for o in options if o[0] > bar]  # scores only fall as a path grows
            survivors.extend((r, o) for o in options)
        if not survivors:
            break
        parents = torch.tensor([o[2] for _, o in survivors])
        cache.reorder_cache(parents)
        mask = torch.cat([mask[parents], torch.ones((len(survivors), 1), dtype=torch.long)], dim=1)
        last_position = last_position[parents] + 1
        tokens = torch.tensor([[o[3]] for _, o in survivors])
        out = model(input_ids=tokens, attention_mask=mask, position_ids=last_position[:, None],
                    past_key_values=cache, use_cache=True)
        logp = torch.log_softmax(out.logits[:, -1].float(), dim=-1)
        live = [(r, o[1], o[0]) for r, o in survivors]
    return [sorted(f, key=lambda p: -p[1])[:proposals] for f in finished]


def propose(model, pad: int, trie: CandidateTrie, prompts: Sequence[Sequence[int]],
            excluded: Sequence[frozenset[int]], proposals: int, beam_width: int, batch_size: int,
            progress: Callable[[int], None] | None = None) -> list[list[Proposal]]:
    """Up to `proposals` (candidate, log-probability) pairs per prompt, best first, none of them excluded."""
    import torch

    order = sorted(range(len(prompts)), key=lambda i: list(prompts[i]))
    results: list[list[Proposal]] = [[] for _ in prompts]
    with torch.inference_mode():
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            out = _propose_batch(model, pad, trie, [prompts[i] for i in chunk], [excluded[i] for i in chunk],
                                 proposals, max(beam_width, proposals))
            for i, result in zip(chunk, out):
                results[i] = result
            if progress is not None:
                progress(min(len(order), start + batch_size))
    return results


def greedy_answers(model, codec, prompts: Sequence[Sequence[int]], max_new_tokens: int, batch_size: int,
                   progress: Callable[[int], None] | None = None) -> list[str]:
    """The model's own unconstrained greedy answer to each prompt (for the exact-match gate)."""
    import torch

    texts: list[str] = []
    with torch.inference_mode():
        for start in range(0, len(prompts), batch_size):
            chunk = prompts[start:start + batch_size]
            width = max(len(p) for p in chunk)
            ids = torch.full((len(chunk), width), codec.pad, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for i, p in enumerate(chunk):
                ids[i, width - len(p):] = torch.tensor(list(p))
                mask[i, width - len(p):] = 1
            out = model.generate(input_ids=ids, attention_mask=mask, max_new_tokens=max_new_tokens, do_sample=False,
                                 eos_token_id=codec.end, pad_token_id=codec.pad, temperature=None, top_p=None,
                                 top_k=None)
            for row in out[:, width:].tolist():
                texts.append(codec.decode_answer(row))
            if progress is not None:
                progress(start + len(chunk))
    return texts
