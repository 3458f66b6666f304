"""A trie over the token sequences of the candidate answers: the pure core of constrained decoding.

Each candidate (a cluster's description, tokenized with the model's own tokenizer, then the end-of-answer token)
is a path from the root. A decoder may only follow edges that lead to at least one candidate that is not
excluded (the history's clusters); as soon as one candidate remains below a node, the answer is decided and the
rest of its tokens are forced, so no further model call is needed.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Node:
    children: dict[int, int] = field(default_factory=dict)
    candidates: list[int] = field(default_factory=list)  # every candidate whose path passes through this node


class CandidateTrie:
    ROOT = 0

    def __init__(self, sequences: list[list[int]]):
        if not sequences:
            raise ValueError("no candidates")
        self._nodes = [_Node()]
        self.sequences = [list(s) for s in sequences]
        for candidate, tokens in enumerate(self.sequences):
            if not tokens:
                raise ValueError(f"candidate {candidate} has no tokens")
            node = self.ROOT
            self._nodes[node].candidates.append(candidate)
            for token in tokens:
                child = self._nodes[node].children.get(token)
                if child is None:
                    child = len(self._nodes)
                    self._nodes.append(_Node())
                    self._nodes[node].children[token] = child
                node = child
                self._nodes[node].candidates.append(candidate)

    def decision_depth(self) -> int:
        """The deepest node at which a candidate is decided with nothing excluded: a bound on the tokens a decoder
        feeds the model per hypothesis, since excluding candidates only decides a path sooner."""
        deepest = 0
        for candidate, tokens in enumerate(self.sequences):
            node = self.ROOT
            for depth, token in enumerate(tokens, start=1):
                node = self._nodes[node].children[token]
                if self._nodes[node].candidates == [candidate] or not self._nodes[node].children:
                    deepest = max(deepest, depth)
                    break
            else:
                deepest = max(deepest, len(tokens))
        return deepest

    def __len__(self) -> int:
        return len(self.sequences)

    def remaining(self, node: int, excluded: frozenset[int]) -> list[int]:
        """Candidates below the node that are not excluded, lowest index first."""
        return [c for c in self._nodes[node].candidates if c not in excluded]

    def allowed(self, node: int, excluded: frozenset[int]) -> dict[int, int]:
        """Next tokens that keep at least one non-excluded candidate reachable, with the child node each leads to."""
        return {token: child for token, child in self._nodes[node].children.items()
                if any(c not in excluded for c in self._nodes[child].candidates)}

    def decided(self, node: int, excluded: frozenset[int]) -> int | None:
        """The one candidate left below the node, or None while several are (or, for identical descriptions, the
        lowest index once the path has ended)."""
        left = self.remaining(node, excluded)
        if len(left) == 1:
            return left[0]
        if left and not self._nodes[node].children:
            return left[0]
        return None
