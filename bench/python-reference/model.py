"""A standard SASRec (self-attentive sequential recommendation) in PyTorch.

forward(history) -> user state, the serving contract of docs/models.md ("Externally trained recommenders"):
  history  int64 [batch, L]: item index + 1, 0 = padding, left-padded to L = max_length, most recent last
  returns  float32 [batch, d]: the hidden state after the most recent item
Item vectors are the item embedding rows without the padding row (item_vectors(), float32 [item_count, d]);
an item's score is the dot product of the user state with its vector.
"""
import math

import torch
from torch import nn


class CausalSelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int, dropout: float):
        super().__init__()
        if hidden % heads != 0:
            raise ValueError(f"hidden {hidden} is not a multiple of heads {heads}")
        self.heads = heads
        self.head_size = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.output = nn.Linear(hidden, hidden)
        self.dropout = nn.Dropout(dropout)

    def split(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.size(0), x.size(1), self.heads, self.head_size).transpose(1, 2)

    def forward(self, x: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
        # allowed: bool [batch, L, L], True where query position i may attend to key position j
        q, k, v = self.split(self.query(x)), self.split(self.key(x)), self.split(self.value(x))
        scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(self.head_size)
        # a large finite negative instead of -inf: a padding query (which only sees itself) never yields NaN
        scores = scores.masked_fill(~allowed.unsqueeze(1), -1e9)
        weights = self.dropout(torch.softmax(scores, dim=-1))
        out = torch.matmul(weights, v).transpose(1, 2).reshape(x.size(0), x.size(1), -1)
        return self.output(out)


class Block(nn.Module):
    """Pre-norm block as in SASRec: attention and a point-wise feed-forward, each with a residual."""

    def __init__(self, hidden: int, heads: int, dropout: float):
        super().__init__()
        self.attention_norm = nn.LayerNorm(hidden)
        self.attention = CausalSelfAttention(hidden, heads, dropout)
        self.feed_forward_norm = nn.LayerNorm(hidden)
        self.feed_forward = nn.Sequential(nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
                                          nn.Linear(hidden, hidden))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
        x = x + self.dropout(self.attention(self.attention_norm(x), allowed))
        return x + self.dropout(self.feed_forward(self.feed_forward_norm(x)))


class SASRec(nn.Module):
    def __init__(self, item_count: int, max_length: int, hidden: int, layers: int, heads: int, dropout: float):
        super().__init__()
        self.max_length = max_length
        self.item_embedding = nn.Embedding(item_count + 1, hidden, padding_idx=0)
        self.position_embedding = nn.Embedding(max_length, hidden)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(hidden, heads, dropout) for _ in range(layers)])
        self.final_norm = nn.LayerNorm(hidden)
        self.register_buffer("causal", torch.ones(max_length, max_length, dtype=torch.bool).tril(), persistent=False)
        self.register_buffer("diagonal", torch.eye(max_length, dtype=torch.bool), persistent=False)
        self.embedding_scale = math.sqrt(hidden)

    def sequence_states(self, history: torch.Tensor) -> torch.Tensor:
        """Hidden state after every position, float32 [batch, L, d]; history must have exactly L columns."""
        real = history > 0
        keep = real.unsqueeze(-1).to(torch.float32)
        x = self.item_embedding(history) * self.embedding_scale + self.position_embedding.weight.unsqueeze(0)
        x = self.dropout(x) * keep
        # causal, never a padding key; every position sees itself so padding rows stay finite
        allowed = (self.causal.unsqueeze(0) & real.unsqueeze(1)) | self.diagonal.unsqueeze(0)
        for block in self.blocks:
            x = block(x, allowed) * keep
        return self.final_norm(x)

    def forward(self, history: torch.Tensor) -> torch.Tensor:
        return self.sequence_states(history)[:, -1, :]

    def item_vectors(self) -> torch.Tensor:
        return self.item_embedding.weight[1:]


def left_pad(items: list, max_length: int) -> list:
    """Item indices (oldest first) as one contract row: the last max_length items + 1, zeros on the left."""
    tail = items[-max_length:]
    return [0] * (max_length - len(tail)) + [item + 1 for item in tail]
