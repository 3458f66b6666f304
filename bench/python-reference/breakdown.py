"""Where the Python reference spends a request, in process (no HTTP): the TorchScript forward pass, the scoring and
slate assembly around it, and the whole slate, in ms per request (median of 5 passes over the load requests).

  python breakdown.py --config recommender.yaml --requests load.jsonl [--torch-threads 1]
"""
import os

# One BLAS thread: NumPy's matrix-vector products are small, and OpenBLAS threads spinning beside the
# server's own measured slower and far noisier on 2 cores. Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import statistics
import time

import torch

import slate
from artifacts import ClusterSet, NoveltyTable, Recommender
from server import read_config


def per_request_ms(function, histories):
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        for history in histories:
            function(history)
        timings.append((time.perf_counter() - start) * 1000 / len(histories))
    return statistics.median(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True)
    parser.add_argument("--requests", required=True)
    parser.add_argument("--torch-threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.torch_threads)
    _, settings = read_config(args.config)
    clusters = ClusterSet(settings["clustersDir"])
    novelty = NoveltyTable(settings["noveltyTable"], clusters)
    recommender = Recommender(settings["modelDir"], clusters)
    with open(args.requests, encoding="utf-8") as f:
        histories = [[clusters.index[item] for item in json.loads(line)["history"]] for line in f if line.strip()]
    k = settings["defaultSlateSize"]
    slots = int(settings["defaultExplorationShare"] * k + 0.5)
    recommend = lambda history: slate.recommend(recommender, clusters, novelty, history, k, slots)  # noqa: E731
    per_request_ms(recommend, histories[:50])  # warm-up
    forward = per_request_ms(recommender.encode, histories)
    whole = per_request_ms(recommend, histories)
    print(f"BREAKDOWN python in process, ms per request over {len(histories)} requests: forward pass {forward:.3f},"
          f" scoring + slate {whole - forward:.3f}, whole slate {whole:.3f}")


if __name__ == "__main__":
    main()
