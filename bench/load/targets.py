"""Writes vegeta targets (JSON lines) for POST /v1/recommend from real users' positive sequences.

  python3 targets.py --sequences FILE --url http://127.0.0.1:PORT --output FILE [--seed 42]

One request per user (the common sequence format: `user item item ...`, chronological): the last 1 to 50
items before a random point of the user's sequence, default k and exploration share.
"""
import argparse
import base64
import json
import random

parser = argparse.ArgumentParser()
parser.add_argument("--sequences", required=True)
parser.add_argument("--url", required=True)
parser.add_argument("--output", required=True)
parser.add_argument("--seed", type=int, default=42)
args = parser.parse_args()

rng = random.Random(args.seed)
count = 0
with open(args.sequences, encoding="utf-8") as source, open(args.output, "w", encoding="utf-8") as out:
    for line in source:
        fields = line.split()
        if len(fields) < 2 or fields[0].startswith("#"):
            continue
        user, items = fields[0], fields[1:]
        end = rng.randint(1, len(items))
        body = {"user": user, "history": items[max(0, end - 50):end]}
        out.write(json.dumps({
            "method": "POST",
            "url": args.url + "/v1/recommend",
            "header": {"Content-Type": ["application/json"]},
            "body": base64.b64encode(json.dumps(body).encode()).decode(),
        }) + "\n")
        count += 1
print(f"{count} request bodies")
