"""Speed of constrained proposals, outside the Java jobs: the first ROWS two-cluster histories in table order.

    llm/.venv/bin/python llm/bench/propose_speed.py --dataset DIR --clusters DIR [--rows 198] [--batch 64]
        [--beam 4] [--proposals 4] [--quantization none|int8] [--threads 2] [--device auto|cpu|cuda]
        [--artifact DIR] [--out proposals.json]

Descriptions are built like the jobs' KEYWORDS_AND_TITLES (keywords, then the two most engaged-with titles; counted
over all users here), the prompt is the default template, the model is the default base (a fine-tuned adapter is
merged into the same weights, so the cost is the same). Prints histories/s; --out keeps the proposals to compare
two runs (e.g. float32 against int8, or two versions of decoding.py).
"""
import argparse
import collections
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from serendip_llm import base, decoding  # noqa: E402
from serendip_llm.contract import BaseModelRef  # noqa: E402
from serendip_llm.trie import CandidateTrie  # noqa: E402

TEMPLATE = ("Name the one new interest that a user of a recommender system is most likely to enjoy next, given the "
            "interests they engaged with, oldest first:\n{history}")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dataset", required=True, type=Path)
    p.add_argument("--clusters", required=True, type=Path)
    p.add_argument("--rows", type=int, default=198)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--beam", type=int, default=4)
    p.add_argument("--proposals", type=int, default=4)
    p.add_argument("--quantization", default="none")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    p.add_argument("--artifact", type=Path, help="an llm-interest-model artifact: its adapter, descriptions and "
                                                 "prompt template instead of the built-in ones")
    p.add_argument("--out", type=Path)
    a = p.parse_args()
    doc = json.loads((a.clusters / "clusters.json").read_text())
    level = doc["levels"][doc["servingLevel"]]
    items = [json.loads(line) for line in open(a.dataset / "catalog.jsonl")]
    engaged = collections.Counter()
    for line in open(a.dataset / "interactions.jsonl"):
        row = json.loads(line)
        if row["rating"] >= 4:
            engaged[row["item"]] += 1
    members = collections.defaultdict(list)
    for i, c in enumerate(level["assignment"]):
        members[c].append(i)
    count = len(level["keywords"])
    descriptions = []
    for c in range(count):
        top = sorted(members[c], key=lambda i: (-engaged[items[i]["id"]], i))[:2]
        descriptions.append(", ".join(level["keywords"][c]) + ": " + "; ".join(items[i]["title"] for i in top))
    template, adapter = TEMPLATE, None
    if a.artifact:
        spec = json.loads((a.artifact / "llm.json").read_text())
        descriptions, template = spec["descriptions"], spec["promptTemplate"]
        adapter = a.artifact / "adapter" if (a.artifact / "adapter").is_dir() else None
    histories = [(x, y) for x in range(count) for y in range(count) if x != y][:a.rows]
    models = Path(os.environ.get("SERENDIP_MODEL_CACHE", Path.home() / ".cache/serendip/models"))
    loaded = base.load(BaseModelRef(models / "SmolLM2-135M-Instruct.Q4_1.gguf", None), adapter=adapter,
                       threads=a.threads, quantization=a.quantization, device=a.device)
    codec = loaded.codec
    trie = CandidateTrie([codec.answer(d) for d in descriptions])
    prompts = [codec.prompt(template.replace("{history}", f"1. {descriptions[x]}\n2. {descriptions[y]}"))
               for x, y in histories]
    started = time.monotonic()
    out = decoding.propose(loaded.model, codec.pad, trie, prompts, [frozenset(h) for h in histories], a.proposals,
                           a.beam, a.batch)
    seconds = time.monotonic() - started
    print(f"{len(histories)} histories of {count} clusters, batch {a.batch}, beam {a.beam}, {a.quantization} "
          f"on {loaded.device}: {seconds:.1f} s, {len(histories) / seconds:.2f} histories/s")
    if a.out:
        a.out.write_text(json.dumps([[c for c, _ in row] for row in out]))


if __name__ == "__main__":
    main()
