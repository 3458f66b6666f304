"""Constrained proposals and unconstrained greedy answers, batched.

Constrained proposals are a beam search over the candidate trie: every hypothesis follows only edges that keep a
non-excluded candidate reachable, so every proposal is a valid cluster outside the history by construction. A
hypothesis is finished the moment a single candidate remains below it (its score is the log-probability of the
path so far; the rest of the description is forced and costs nothing).

Batches share work and copy nothing per step. Prompts are sorted, so a batch's prompts share a long token prefix
(the instruction and the first history cluster); that prefix runs through the model once and its keys and values
are written into every row of one preallocated cache. Each row then holds its own prompt's tail, and every beam
step appends the row's live hypotheses side by side after it: a 4-D mask lets each hypothesis see its prompt and
its own ancestors only (tree attention), so hypotheses never move in the cache, and attention reads the shared
key/value heads without repeating them (`attention.grouped`).
"""
from __future__ import annotations

from typing import Callable, Sequence

from . import attention
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


class _RowCache:
    """One preallocated key/value cache row per prompt: [shared prefix | left-padded tail | hypothesis slots]."""

    def __init__(self, model, rows: Sequence[Sequence[int]], pad: int, hypothesis_slots: int):
        import torch
        from transformers import StaticCache

        from .base import device_of

        self.model = model
        self.device = device = device_of(model)  # masks and ids are built on the CPU and moved once per forward pass
        config = model.config
        self.shared = _common_prefix(rows)
        tails = [list(r[self.shared:]) for r in rows]
        width = max(len(t) for t in tails)
        self.prompt_end = self.shared + width
        self.length = self.prompt_end + hypothesis_slots
        self.next_slot = self.prompt_end
        count = len(rows)
        dtype = model.get_input_embeddings().weight.dtype
        head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
        self.cache = StaticCache(config=config, max_cache_len=self.length)
        self.cache.early_initialization(count, config.num_key_value_heads, head_dim, dtype, device)
        self.visible = torch.zeros((count, self.length), dtype=torch.bool)  # the prompt slots of each row
        if self.shared > 0:
            prefix = StaticCache(config=config, max_cache_len=self.shared)
            prefix.early_initialization(1, config.num_key_value_heads, head_dim, dtype, device)
            span = torch.arange(self.shared, device=device)
            causal = (span[None, :] <= span[:, None])[None, None]
            model(input_ids=torch.tensor([list(rows[0][:self.shared])], device=device), attention_mask=causal,
                  position_ids=span[None], cache_position=span, past_key_values=prefix, use_cache=True,
                  logits_to_keep=1)
            for row_layer, prefix_layer in zip(self.cache.layers, prefix.layers):
                row_layer.keys[:, :, :self.shared] = prefix_layer.keys
                row_layer.values[:, :, :self.shared] = prefix_layer.values
            self.visible[:, :self.shared] = True
        ids = torch.full((count, width), pad, dtype=torch.long)
        own = torch.zeros((count, width), dtype=torch.bool)
        for i, tail in enumerate(tails):
            ids[i, width - len(tail):] = torch.tensor(tail)
            own[i, width - len(tail):] = True
        self.visible[:, self.shared:self.prompt_end] = own
        self.lengths = (self.shared + own.sum(dim=1)).tolist()  # each row's prompt length: its first answer position
        positions = (self.shared + own.long().cumsum(dim=1) - 1).clamp(min=0)
        slots = torch.arange(self.length)
        queries = torch.arange(self.shared, self.prompt_end)
        mask = self.visible[:, None, :] & (slots[None, None, :] <= queries[None, :, None])
        mask |= slots[None, None, :] == queries[None, :, None]  # a padding slot sees itself: no empty softmax row
        out = model(input_ids=ids.to(device), attention_mask=mask[:, None].to(device),
                    position_ids=positions.to(device), cache_position=queries.to(device),
                    past_key_values=self.cache, use_cache=True, logits_to_keep=1)
        self.first = torch.log_softmax(out.logits[:, -1].float(), dim=-1)  # [rows, vocabulary]

    def step(self, fed: Sequence[Sequence[tuple[int, tuple[int, ...]]]], pad: int):
        """Feeds each row's hypotheses (token, ancestor slots) in new slots; returns log-probs [rows, width, vocab]
        and the slot each hypothesis took."""
        import torch

        width = max(len(f) for f in fed)
        base = self.next_slot
        if base + width > self.length:
            raise RuntimeError("constrained decoding ran past the candidates' decision depth")
        self.next_slot += width
        count = len(fed)
        ids = torch.full((count, width), pad, dtype=torch.long)
        positions = torch.zeros((count, width), dtype=torch.long)
        mask = torch.zeros((count, width, self.length), dtype=torch.bool)
        mask[:, :, :self.prompt_end] = self.visible[:, None, :self.prompt_end]
        taken = []
        for r, hypotheses in enumerate(fed):
            row_slots = []
            for j, (token, ancestors) in enumerate(hypotheses):
                ids[r, j] = token
                positions[r, j] = self.lengths[r] + len(ancestors)
                if ancestors:
                    mask[r, j, list(ancestors)] = True
                row_slots.append(base + j)
            taken.append(row_slots)
        columns = torch.arange(width)
        mask[:, columns, base + columns] = True  # every slot sees itself (unused ones only themselves)
        device = self.device
        slots = torch.arange(base, base + width, device=device)
        out = self.model(input_ids=ids.to(device), attention_mask=mask[:, None].to(device),
                         position_ids=positions.to(device), cache_position=slots, past_key_values=self.cache,
                         use_cache=True)
        return torch.log_softmax(out.logits.float(), dim=-1), taken


def _propose_batch(model, pad: int, trie: CandidateTrie, rows: Sequence[Sequence[int]],
                   excluded: Sequence[frozenset[int]], proposals: int, beam_width: int) -> list[list[Proposal]]:
    finished: list[list[Proposal]] = [[] for _ in rows]
    # live[r]: the row's hypotheses to expand next, (node, score, ancestor slots), aligned with logp[r]
    live: list[list[tuple[int, float, tuple[int, ...]]]] = []
    for r in range(len(rows)):
        decided = trie.decided(CandidateTrie.ROOT, excluded[r])
        if decided is not None:
            finished[r].append((decided, 0.0))  # a single candidate left: nothing to ask the model
        live.append([] if decided is not None else [(CandidateTrie.ROOT, 0.0, ())])
    if not any(live):
        return finished
    cache = _RowCache(model, rows, pad, beam_width * trie.decision_depth())
    logp = cache.first.cpu().numpy()[:, None, :]
    while True:
        fed: list[list[tuple[int, tuple[int, ...]]]] = []
        grown_all = []
        for r, hypotheses in enumerate(live):
            grown: list[tuple[float, int, tuple[int, ...], int]] = []  # (score, child, ancestors, token)
            for j, (node, score, ancestors) in enumerate(hypotheses):
                for token, child in trie.allowed(node, excluded[r]).items():
                    s = score + float(logp[r, j, token])
                    decided = trie.decided(child, excluded[r])
                    if decided is not None:
                        finished[r].append((decided, s))
                    else:
                        grown.append((s, child, ancestors, token))
            grown.sort(key=lambda o: -o[0])
            grown = grown[:beam_width]
            if len(finished[r]) >= proposals:
                bar = sorted((s for _, s in finished[r]), reverse=True)[proposals - 1]
                grown = [o for o in grown if o[0] > bar]  # scores only fall as a path grows
            grown_all.append(grown)
            fed.append([(token, ancestors) for _, _, ancestors, token in grown])
        if not any(fed):
            break
        out, taken = cache.step(fed, pad)
        logp = out.cpu().numpy()
        live = [[(child, s, ancestors + (slot,)) for (s, child, ancestors, _), slot in zip(grown, slots)]
                for grown, slots in zip(grown_all, taken)]
    return [sorted(f, key=lambda p: -p[1])[:proposals] for f in finished]


def propose(model, pad: int, trie: CandidateTrie, prompts: Sequence[Sequence[int]],
            excluded: Sequence[frozenset[int]], proposals: int, beam_width: int, batch_size: int,
            progress: Callable[[int], None] | None = None) -> list[list[Proposal]]:
    """Up to `proposals` (candidate, log-probability) pairs per prompt, best first, none of them excluded."""
    import torch

    order = sorted(range(len(prompts)), key=lambda i: list(prompts[i]))
    results: list[list[Proposal]] = [[] for _ in prompts]
    with torch.inference_mode(), attention.grouped(model):
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            out = _propose_batch(model, pad, trie, [prompts[i] for i in chunk], [excluded[i] for i in chunk],
                                 proposals, max(beam_width, proposals))
            for i, result in zip(chunk, out):
                results[i] = result
            if progress is not None:
                progress(min(len(order), start + batch_size))
    return results


def greedy_budget(requested: int, answers: Sequence[Sequence[int]]) -> int:
    """New tokens a greedy answer may take: never fewer than the longest candidate answer (its end-of-turn token
    included), so an answer that would equal a candidate is never cut short. The request's `maxNewTokens` is
    estimated from characters on the Java side, and digits (one token each: "(1997)" is six) exceed it."""
    return max(requested, max((len(a) for a in answers), default=0))


def greedy_answers(model, codec, prompts: Sequence[Sequence[int]], max_new_tokens: int, batch_size: int,
                   progress: Callable[[int], None] | None = None) -> list[str]:
    """The model's own unconstrained greedy answer to each prompt (for the exact-match gate): the most likely next
    token over the whole vocabulary until the end-of-turn token or `max_new_tokens`, decoded with the same row cache
    as the proposals (a batch's shared prefix computed once, nothing copied per step)."""
    import torch

    order = sorted(range(len(prompts)), key=lambda i: list(prompts[i]))
    texts: list[str] = [""] * len(prompts)
    with torch.inference_mode(), attention.grouped(model):
        for start in range(0, len(order), batch_size):
            chunk = order[start:start + batch_size]
            cache = _RowCache(model, [prompts[i] for i in chunk], codec.pad, max_new_tokens)
            answers: list[list[int]] = [[] for _ in chunk]
            ancestors: list[tuple[int, ...]] = [() for _ in chunk]
            logits = cache.first
            while True:
                best = logits.argmax(dim=-1).tolist()
                fed: list[list[tuple[int, tuple[int, ...]]]] = []
                for r, answer in enumerate(answers):
                    running = not answer or (answer[-1] != codec.end and len(answer) < max_new_tokens)
                    if running:
                        answer.append(best[r])
                    more = running and answer[-1] != codec.end and len(answer) < max_new_tokens
                    fed.append([(answer[-1], ancestors[r])] if more else [])
                if not any(fed):
                    break
                out, taken = cache.step(fed, codec.pad)
                logits = out[:, 0]
                ancestors = [a + tuple(t) for a, t in zip(ancestors, taken)]
            for i, answer in zip(chunk, answers):
                texts[i] = codec.decode_answer(answer)
            if progress is not None:
                progress(min(len(order), start + batch_size))
    return texts
