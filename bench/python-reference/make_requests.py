"""Writes fixed POST /v1/recommend bodies (JSON lines) from real users' sequences, for the parity check and load.

  python make_requests.py --sequences FILE --clusters DIR --parity OUT --load OUT [--count 200] [--seed 42]

--parity: varied requests: histories of 1 to 150 items cut from users' sequences (longer than the model's
history length too), k from 1 to 200, exploration shares (including .5 roundings), explicit explorationSlots
(also more than the novel clusters can fill), numeric ids, single-item and single-cluster histories (the
novelty table's fallback rows). --load: one typical request per user: the last 1 to 50 items before a random
point of the user's sequence, default k and exploration share.
"""
import argparse
import json
import os
import random

from artifacts import ClusterSet


def read_sequences(path, known):
    sequences = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) > 1 and not fields[0].startswith("#"):
                sequences.append([item for item in fields[1:] if item in known])
    return [s for s in sequences if s]


def cut(sequence, rng, longest):
    end = rng.randint(1, len(sequence))
    return sequence[max(0, end - rng.randint(1, longest)):end]


def parity_requests(sequences, clusters, count, rng):
    requests = []
    by_cluster = {}
    for item, cluster in zip(clusters.ids, clusters.assignment.tolist()):
        by_cluster.setdefault(cluster, []).append(item)
    for n in range(count):
        sequence = rng.choice(sequences)
        kind = n % 10
        body = {"user": f"user-{n}"}
        if kind == 0:  # one item: the table's one-cluster fallback row
            body["history"] = [rng.choice(sequence)]
        elif kind == 1:  # several items of one cluster, repeats allowed: fallback too
            members = by_cluster[rng.randrange(clusters.cluster_count)]
            body["history"] = [rng.choice(members) for _ in range(rng.randint(1, 6))]
        elif kind == 2:  # longer than the model's window
            body["history"] = cut(sequence, rng, 150)
        elif kind == 3:  # numeric ids, no user
            body = {"history": [int(item) if item.isdigit() else item for item in cut(sequence, rng, 30)]}
        else:
            body["history"] = cut(sequence, rng, 60)
        if kind in (4, 5, 6, 7):
            body["k"] = rng.choice([1, 3, 5, 10, 10, 20, 50])
        if kind in (4, 5):
            body["exploration"] = rng.choice([0, 0.1, 0.2, 0.25, 0.3, 0.5, 0.75, 1])
        elif kind == 6:
            body["explorationSlots"] = rng.choice([0, 1, 2, 5, 10])
        elif kind == 7 and n % 20 == 7:  # more exploration slots than novel clusters hold: exploitation fills
            body["k"], body["explorationSlots"] = 200, 150
        requests.append(body)
    return requests


def load_requests(sequences, rng):
    return [{"user": f"user-{n}", "history": cut(sequence, rng, 50)} for n, sequence in enumerate(sequences)]


def write(path, bodies):
    with open(path, "w", encoding="utf-8") as f:
        for body in bodies:
            f.write(json.dumps(body, separators=(",", ":")) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sequences", required=True)
    parser.add_argument("--clusters", required=True, help="cluster artifact directory served")
    parser.add_argument("--parity", required=True)
    parser.add_argument("--load", required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    clusters = ClusterSet(args.clusters)
    sequences = read_sequences(args.sequences, clusters.index)
    rng = random.Random(args.seed)
    write(args.parity, parity_requests(sequences, clusters, args.count, rng))
    write(args.load, load_requests(sequences, rng))
    print(f"wrote {args.count} parity requests to {os.path.basename(args.parity)} and {len(sequences)} load"
          f" requests to {os.path.basename(args.load)}")


if __name__ == "__main__":
    main()
