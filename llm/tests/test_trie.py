"""Properties of the candidate trie: the pure core of constrained decoding."""
from hypothesis import given, settings, strategies as st

from serendip_llm.trie import CandidateTrie

END = 99
sequences = st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=6).map(lambda s: s + [END]),
                     min_size=1, max_size=12)


@given(sequences, st.data())
@settings(max_examples=300, deadline=None)
def test_every_walk_that_follows_allowed_edges_ends_in_a_non_excluded_candidate(seqs, data):
    trie = CandidateTrie(seqs)
    excluded = frozenset(data.draw(st.sets(st.integers(0, len(seqs) - 1), max_size=len(seqs))))
    node = CandidateTrie.ROOT
    path = []
    while True:
        decided = trie.decided(node, excluded)
        if decided is not None:
            assert decided not in excluded
            # the path walked so far is a prefix of the decided candidate's tokens
            assert seqs[decided][:len(path)] == path
            return
        allowed = trie.allowed(node, excluded)
        if not allowed:
            # only possible when every candidate is excluded
            assert all(c in excluded for c in range(len(seqs)))
            return
        token = data.draw(st.sampled_from(sorted(allowed)))
        path.append(token)
        node = allowed[token]


@given(sequences)
def test_with_nothing_excluded_every_candidate_is_reachable(seqs):
    trie = CandidateTrie(seqs)
    reached = set()
    for c, tokens in enumerate(seqs):
        node = CandidateTrie.ROOT
        for token in tokens:
            decided = trie.decided(node, frozenset())
            if decided is not None:
                break
            node = trie.allowed(node, frozenset())[token]
        reached.add(trie.decided(node, frozenset()))
    # identical descriptions collapse onto their lowest index
    assert reached == {min(i for i, s in enumerate(seqs) if s == seq) for seq in seqs}


def test_a_single_remaining_candidate_is_decided_at_the_root():
    trie = CandidateTrie([[1, 2, END], [1, 3, END], [4, END]])
    assert trie.decided(CandidateTrie.ROOT, frozenset({0, 1})) == 2
    assert trie.decided(CandidateTrie.ROOT, frozenset()) is None
    assert set(trie.allowed(CandidateTrie.ROOT, frozenset({2}))) == {1}


@given(sequences)
@settings(max_examples=200, deadline=None)
def test_no_candidate_needs_more_tokens_than_the_decision_depth(seqs):
    trie = CandidateTrie(seqs)
    bound = trie.decision_depth()
    for excluded in (frozenset(), frozenset(range(0, len(seqs), 2))):
        for candidate, tokens in enumerate(seqs):
            if candidate in excluded:
                continue
            node = CandidateTrie.ROOT
            for depth, token in enumerate(tokens, start=1):
                node = trie.allowed(node, excluded)[token]
                if trie.decided(node, excluded) is not None:
                    assert depth <= bound
                    break
