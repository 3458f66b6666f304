"""Trains the reference SASRec (model.py) briefly and exports it for `serendip job import-recommender`.

  python export.py --output DIR [--sequences FILE | --synthetic-items N] [--items FILE] [options]

--sequences reads the common sequence format (one line per user: `user item item ...`, chronological;
`job train-recommender --export-sequences FILE` writes one); without it a synthetic set is generated where
item i is usually followed by item i + 1. --items fixes the item order (one id per line, e.g. the items.txt
of the cluster artifact the model will be served with); by default items are indexed in order of first
appearance.

DIR receives model.pt (TorchScript), model.onnx (ONNX, dynamic batch axis), item-vectors.npy (float32
[items, d]), items.txt, and expected.json: the user states and top-10 items PyTorch computes for a few fixed
histories, for checking another runtime against.
"""
import argparse
import json
import os
import random

import numpy as np
import onnx
import torch

from model import SASRec, left_pad


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", required=True, help="directory to write (created if missing)")
    parser.add_argument("--sequences", help="training sequences in the common sequence format")
    parser.add_argument("--synthetic-items", type=int, default=60, help="items of the synthetic set (default 60)")
    parser.add_argument("--synthetic-users", type=int, default=300, help="users of the synthetic set (default 300)")
    parser.add_argument("--items", help="item ids in index order, one per line")
    parser.add_argument("--max-length", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=16)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--dropout", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--learning-rate", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def read_sequences(path):
    users = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            if fields[0] in users:
                raise SystemExit(f"{path}:{number}: user {fields[0]} appears twice")
            users[fields[0]] = fields[1:]
    return users


def synthetic_sequences(items, users, rng):
    ids = [f"item-{i}" for i in range(items)]
    result = {}
    for u in range(users):
        sequence = [rng.randrange(items)]
        for _ in range(rng.randrange(4, 30)):
            sequence.append((sequence[-1] + 1) % items if rng.random() < 0.8 else rng.randrange(items))
        result[f"user-{u}"] = [ids[i] for i in sequence]
    return ids, result


def item_order(args, sequences, default_ids):
    if args.items:
        with open(args.items, encoding="utf-8") as f:
            ids = [line.rstrip("\n") for line in f if line.strip()]
    else:
        ids = list(default_ids)
        known = set(ids)
        for sequence in sequences.values():
            for item in sequence:
                if item not in known:
                    known.add(item)
                    ids.append(item)
    if len(set(ids)) != len(ids):
        raise SystemExit("item ids are not unique")
    return ids


def training_windows(sequences, max_length):
    """Every sequence cut into windows of max_length + 1 items, from the end: inputs and next-item targets."""
    inputs, targets = [], []
    for sequence in sequences:
        end = len(sequence)
        while end >= 2:
            window = sequence[max(0, end - max_length - 1):end]
            inputs.append(left_pad(window[:-1], max_length))
            targets.append(left_pad(window[1:], max_length))
            end -= max_length
    return torch.tensor(inputs, dtype=torch.long), torch.tensor(targets, dtype=torch.long)


def train(model, inputs, targets, args):
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(inputs), generator=generator)
        total, count = 0.0, 0
        for start in range(0, len(inputs), args.batch_size):
            batch = order[start:start + args.batch_size]
            states = model.sequence_states(inputs[batch])
            logits = states @ model.item_vectors().T
            # target token 0 is padding; item index = token - 1
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)),
                                                     (targets[batch] - 1).reshape(-1), ignore_index=-1)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
            count += len(batch)
        print(f"epoch {epoch + 1}: loss {total / count:.4f}", flush=True)
    model.eval()


def probe_histories(item_count, max_length, rng):
    """Fixed histories: one item, a short run, a wrap-around, one longer than max_length, two random ones."""
    histories = [[0], [1, 2, 3, 4], [item_count - 1, 0, 1],
                 [i % item_count for i in range(5, 5 + max_length + 5)]]
    for length in (3, max_length):
        histories.append([rng.randrange(item_count) for _ in range(length)])
    return histories


def export(model, ids, args, rng):
    os.makedirs(args.output, exist_ok=True)
    item_count, L = len(ids), args.max_length
    example = torch.tensor([left_pad([0], L), left_pad([1, 2, 3], L)], dtype=torch.long)
    with torch.no_grad():
        scripted = torch.jit.script(model)
        scripted.save(os.path.join(args.output, "model.pt"))
        onnx_file = os.path.join(args.output, "model.onnx")
        torch.onnx.export(model, (example,), onnx_file, input_names=["history"], output_names=["user_state"],
                          dynamic_axes={"history": {0: "batch"}, "user_state": {0: "batch"}}, opset_version=17,
                          dynamo=False)
        onnx.checker.check_model(onnx.load(onnx_file))
        vectors = np.ascontiguousarray(model.item_vectors().numpy(), dtype=np.float32)
        np.save(os.path.join(args.output, "item-vectors.npy"), vectors)
        with open(os.path.join(args.output, "items.txt"), "w", encoding="utf-8") as f:
            f.writelines(f"{item}\n" for item in ids)

        reloaded = torch.jit.load(os.path.join(args.output, "model.pt"))
        cases = []
        for history in probe_histories(item_count, L, rng):
            row = torch.tensor([left_pad(history, L)], dtype=torch.long)
            state = model(row)
            difference = (reloaded(row) - state).abs().max().item()
            if difference > 1e-5:
                raise SystemExit(f"TorchScript differs from the eager model by {difference}")
            scores = (state @ model.item_vectors().T)[0]
            top = torch.topk(scores, 10).indices.tolist()
            cases.append({"history": [ids[i] for i in history], "userState": state[0].tolist(),
                          "top10": [ids[i] for i in top], "top10Scores": [scores[i].item() for i in top]})
    expected = {"itemCount": item_count, "maxLength": L, "dimension": vectors.shape[1], "seed": args.seed,
                "cases": cases}
    with open(os.path.join(args.output, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    if args.sequences:
        sequences, default_ids = read_sequences(args.sequences), []
    else:
        default_ids, sequences = synthetic_sequences(args.synthetic_items, args.synthetic_users, rng)
    ids = item_order(args, sequences, default_ids)
    index = {item: i for i, item in enumerate(ids)}
    unknown = sum(item not in index for sequence in sequences.values() for item in sequence)
    indexed = [[index[item] for item in sequence if item in index] for sequence in sequences.values()]
    inputs, targets = training_windows(indexed, args.max_length)
    print(f"{len(sequences)} users, {len(ids)} items, {len(inputs)} training windows"
          f" ({unknown} events on items outside --items skipped)", flush=True)
    model = SASRec(len(ids), args.max_length, args.hidden, args.layers, args.heads, args.dropout)
    train(model, inputs, targets, args)
    export(model, ids, args, rng)
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
