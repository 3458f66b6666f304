"""The training loss computes logits for the answer columns only; it must equal transformers' own loss."""
from __future__ import annotations

import torch

from serendip_llm import training
from serendip_llm.contract import Example


def test_the_loss_on_answer_columns_only_equals_the_full_loss_with_rows_of_different_lengths(loaded):
    codec = loaded.codec
    examples = [Example("1. war, drama\n2. comedy", "romance, love: Casablanca"),
                Example("1. animation, children", "sci-fi"),
                Example("1. horror, thriller: Scream; Alien\n2. crime, film-noir: Fargo\n3. western",
                        "documentary, music: Hoop Dreams; Crumb; Microcosmos")]
    rows = [training.encode(codec, e) for e in examples]
    assert len({len(ids) for ids, _ in rows}) == 3  # padding is exercised on both sides
    with torch.no_grad():
        answer_only = float(training._loss(loaded.model, rows, codec.pad))
        full = float(training.reference_loss(loaded.model, rows, codec.pad))
    assert abs(answer_only - full) <= 1e-4 * max(1.0, abs(full)), (answer_only, full)
