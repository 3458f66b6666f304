"""Constrained proposals and greedy answers on the real base model."""
import random

from hypothesis import given, settings, strategies as st

from serendip_llm import decoding
from serendip_llm.trie import CandidateTrie

CLUSTERS = ["science fiction, space adventure: Star Wars; Alien", "romantic comedy: Sleepless in Seattle",
            "horror and slasher: Scream; Halloween", "animated family: Toy Story; Aladdin",
            "war drama: Platoon; Glory", "film noir and crime: Chinatown; The Maltese Falcon",
            "documentary: Hoop Dreams", "musical: The Sound of Music; Grease"]


def prompt(a, b):
    return (f"A user recently enjoyed these interest clusters:\n1. {CLUSTERS[a]}\n2. {CLUSTERS[b]}\n"
            "Name one new interest cluster for them.")


def test_batched_proposals_with_a_shared_prefix_equal_one_prompt_at_a_time(loaded):
    codec = loaded.codec
    trie = CandidateTrie([codec.answer(c) for c in CLUSTERS])
    pairs = [(a, b) for a in range(4) for b in range(8) if a != b][:14]
    prompts = [codec.prompt(prompt(a, b)) for a, b in pairs]
    excluded = [frozenset(p) for p in pairs]
    batched = decoding.propose(loaded.model, codec.pad, trie, prompts, excluded, 3, 3, batch_size=7)
    single = [decoding.propose(loaded.model, codec.pad, trie, [p], [e], 3, 3, batch_size=1)[0]
              for p, e in zip(prompts, excluded)]
    for got, want in zip(batched, single):
        assert [c for c, _ in got] == [c for c, _ in want]
        for (_, s1), (_, s2) in zip(got, want):
            assert abs(s1 - s2) < 1e-3


@given(st.lists(st.integers(0, len(CLUSTERS) - 1), min_size=2, max_size=2, unique=True),
       st.sets(st.integers(0, len(CLUSTERS) - 1), max_size=6), st.integers(1, 4))
@settings(max_examples=12, deadline=None)
def test_every_proposal_is_a_distinct_candidate_outside_the_history(loaded, history, extra, n):
    codec = loaded.codec
    trie = CandidateTrie([codec.answer(c) for c in CLUSTERS])
    excluded = frozenset(history) | frozenset(extra)
    [got] = decoding.propose(loaded.model, codec.pad, trie, [codec.prompt(prompt(*history))], [excluded], n, n, 4)
    clusters = [c for c, _ in got]
    assert len(clusters) == len(set(clusters)) == min(n, len(CLUSTERS) - len(excluded))
    assert not set(clusters) & excluded
    scores = [s for _, s in got]
    assert scores == sorted(scores, reverse=True)


def test_greedy_answers_are_the_models_own_text(loaded):
    codec = loaded.codec
    texts = decoding.greedy_answers(loaded.model, codec, [codec.prompt("Say the word: hello")], 8, 4)
    assert len(texts) == 1 and texts[0] and len(codec.answer(texts[0])) <= 9


def test_batched_greedy_answers_equal_transformers_generate_one_prompt_at_a_time(loaded):
    import torch
    codec = loaded.codec
    prompts = [codec.prompt(prompt(a, b)) for a, b in [(0, 1), (0, 2), (3, 4), (5, 6), (7, 0)]]
    batched = decoding.greedy_answers(loaded.model, codec, prompts, 12, 3)
    for p, got in zip(prompts, batched):
        with torch.inference_mode():
            out = loaded.model.generate(input_ids=torch.tensor([list(p)]), max_new_tokens=12, do_sample=False,
                                        eos_token_id=codec.end, pad_token_id=codec.pad, temperature=None,
                                        top_p=None, top_k=None)
        assert got == codec.decode_answer(out[0, len(p):].tolist())


def _path_score(model, prompt, tokens):
    """Log-probability of `tokens` after `prompt` from one plain forward pass (no cache, the model's own attention)."""
    import torch
    with torch.inference_mode():
        logits = model(input_ids=torch.tensor([list(prompt) + list(tokens)])).logits[0].float()
    logp = torch.log_softmax(logits, dim=-1)
    return sum(float(logp[len(prompt) - 1 + i, t]) for i, t in enumerate(tokens))


def test_a_beam_as_wide_as_the_candidates_finds_the_exact_best_paths(loaded):
    """With nothing pruned, the tree-attention beam search must equal scoring every candidate one by one: each
    candidate's score is the log-probability of its tokens up to where it is the only one left."""
    codec = loaded.codec
    trie = CandidateTrie([codec.answer(c) for c in CLUSTERS])
    for history in [(0, 1), (4, 2), (7, 3)]:
        excluded = frozenset(history)
        prompt_ids = codec.prompt(prompt(*history))
        [got] = decoding.propose(loaded.model, codec.pad, trie, [prompt_ids], [excluded], 4, len(CLUSTERS), 1)
        expected = []
        for c in range(len(CLUSTERS)):
            if c in excluded:
                continue
            node, depth = CandidateTrie.ROOT, 0
            for token in trie.sequences[c]:
                node = trie.allowed(node, excluded)[token]
                depth += 1
                if trie.decided(node, excluded) is not None:
                    break
            expected.append((c, _path_score(loaded.model, prompt_ids, trie.sequences[c][:depth])))
        expected.sort(key=lambda p: -p[1])
        assert [c for c, _ in got] == [c for c, _ in expected[:4]], (got, expected)
        for (_, s1), (_, s2) in zip(got, expected):
            assert abs(s1 - s2) < 1e-3, (got, expected)


def test_int8_proposals_are_valid_distinct_and_ranked(base_ref):
    """The int8 model decodes through the same trie: quantization may change which clusters win, never validity."""
    from serendip_llm import base
    quantized = base.load(base_ref, threads=2, quantization="int8")
    codec = quantized.codec
    trie = CandidateTrie([codec.answer(c) for c in CLUSTERS])
    pairs = [(0, 1), (2, 5), (7, 3)]
    got = decoding.propose(quantized.model, codec.pad, trie, [codec.prompt(prompt(*p)) for p in pairs],
                           [frozenset(p) for p in pairs], 3, 3, 4)
    for pair, row in zip(pairs, got):
        clusters = [c for c, _ in row]
        assert len(clusters) == len(set(clusters)) == 3 and not set(clusters) & set(pair)
        assert [s for _, s in row] == sorted((s for _, s in row), reverse=True)


def test_the_greedy_budget_fits_the_longest_candidate_in_tokens_not_characters(loaded):
    # Digits are one token each: a description with years has more tokens than half its characters, the Java
    # side's estimate, which cut such answers short and failed every one of them at the exact-match gate.
    codec = loaded.codec
    candidates = ["1950s, 1940s, without, 1980s, 1930s", "comedy, 1990s: Titanic (1997); Full Monty, The (1997)"]
    answers = [codec.answer(c) for c in candidates]
    estimate = max(16, max(len(c) for c in candidates) // 2)
    assert max(len(a) for a in answers) > estimate  # the case that failed
    budget = decoding.greedy_budget(estimate, answers)
    assert budget == max(len(a) for a in answers)
    assert decoding.greedy_budget(500, answers) == 500
    # a model that answers with the longest candidate (teacher-forced here) fits within the budget, end included
    longest = max(answers, key=len)
    assert len(longest) <= budget and longest[-1] == codec.end
