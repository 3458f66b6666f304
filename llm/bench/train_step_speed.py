"""Times LoRA training steps of the component's loss, against transformers' own loss (labels over right-padded
rows, logits for every column), alternating the two on the same batches in one process so that both see the same
machine load. Prompts are built from a fine-tuned artifact's llm.json (its template and cluster descriptions).

    llm/.venv/bin/python llm/bench/train_step_speed.py --llm-json work/llm20/llm.json --steps 6 --batch 8
"""
from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch
from peft import LoraConfig, get_peft_model

from serendip_llm import base, training
from serendip_llm.contract import BaseModelRef, Example


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--llm-json", required=True)
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    args = parser.parse_args()
    spec = json.load(open(args.llm_json))
    descriptions, template = spec["descriptions"], spec["promptTemplate"]
    rng = random.Random(1)
    loaded = base.load(BaseModelRef(Path(spec["base"]["path"]), spec["base"]["sha256"]), threads=args.threads,
                       trainable=True, device=args.device)
    sync = torch.cuda.synchronize if loaded.device.type == "cuda" else (lambda: None)
    model = get_peft_model(loaded.model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0,
                                                     target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
                                                     task_type="CAUSAL_LM"))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    codec = loaded.codec

    def batch():
        rows = []
        for _ in range(args.batch):
            a, b, c = rng.sample(range(len(descriptions)), 3)
            history = f"1. {descriptions[a]}\n2. {descriptions[b]}"
            rows.append(training.encode(codec, Example(template.replace("{history}", history), descriptions[c])))
        return rows

    timings = {"transformers' loss, every column": [], "answer columns only": []}
    losses = {name: [] for name in timings}
    for step in range(args.steps):
        rows = batch()
        for name, loss_fn in (("transformers' loss, every column", training.reference_loss),
                              ("answer columns only", training._loss)):
            sync()
            started = time.perf_counter()
            loss = loss_fn(model, rows, codec.pad)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            sync()  # GPU kernels run asynchronously: time them to their end
            timings[name].append(time.perf_counter() - started)  # forward + backward, not the optimizer
            losses[name].append(float(loss))
    width = sum(len(ids) for ids, _ in batch()) / args.batch
    print(f"batch {args.batch}, about {width:.0f} tokens a row, {args.steps} steps each, on {loaded.device}, "
          f"{args.threads} threads")
    for name, values in timings.items():
        tail = values[1:]  # the first step of each warms up
        print(f"{name}: {sum(tail) / len(tail):.2f} s/step (forward + backward), losses {losses[name][:3]}")
    a, b = (sum(v[1:]) / len(v[1:]) for v in timings.values())
    print(f"speed-up: {a / b:.2f}x")


if __name__ == "__main__":
    main()
