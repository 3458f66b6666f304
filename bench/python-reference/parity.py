"""Sends the same requests to two recommender servers and compares their answers.

  python parity.py --requests FILE --expected URL --actual URL

A slate matches when both list the same item ids in the same order with the same explored/novel flags and
clusters, and the exploration block (slots, history clusters, novel clusters, fallback) is equal. Scores are
compared with a tolerance (the two sides compute float32 dot products in a different summation order); the
largest difference is printed. A few malformed requests must be refused by both with the same 4xx and error
code. Prints the match rate; exits 1 unless every answer matches.
"""
import argparse
import http.client
import json
import sys
from urllib.parse import urlsplit

SCORE_TOLERANCE = 1e-4
MALFORMED = [
    {"history": []},
    {"history": ["no-such-item"]},
    {"history": ["1"], "k": 0},
    {"history": ["1"], "exploration": 2},
    {"history": ["1"], "explorationSlots": -1},
    {"history": "1"},
    {"user": 7, "history": ["1"]},
]


class Client:
    def __init__(self, url):
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def post(self, body):
        self.connection.request("POST", "/v1/recommend", body=json.dumps(body),
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())


def slate_key(answer):
    items = [(i["id"], i["explored"], i.get("novel"), (i.get("cluster") or {}).get("id")) for i in answer["items"]]
    return items, answer["exploration"], answer.get("user")


def largest_score_difference(a, b):
    return max((abs(x["score"] - y["score"]) for x, y in zip(a["items"], b["items"])), default=0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", required=True, help="JSON lines of request bodies")
    parser.add_argument("--expected", required=True, help="base URL of the reference side (the Java server)")
    parser.add_argument("--actual", required=True, help="base URL of the side under test")
    parser.add_argument("--name", default="actual")
    args = parser.parse_args()
    with open(args.requests, encoding="utf-8") as f:
        bodies = [json.loads(line) for line in f if line.strip()]
    expected, actual = Client(args.expected), Client(args.actual)

    matched, worst, explored, fallbacks, mismatches = 0, 0.0, 0, 0, []
    for n, body in enumerate(bodies):
        (status_e, answer_e), (status_a, answer_a) = expected.post(body), actual.post(body)
        if status_e != 200 or status_a != 200:
            mismatches.append((n, f"status {status_e} vs {status_a}: {answer_e} / {answer_a}"))
            continue
        if slate_key(answer_e) != slate_key(answer_a):
            mismatches.append((n, f"{json.dumps(body)}\n  expected {slate_key(answer_e)}\n  actual   {slate_key(answer_a)}"))
            continue
        difference = largest_score_difference(answer_e, answer_a)
        if difference > SCORE_TOLERANCE:
            mismatches.append((n, f"scores differ by {difference}"))
            continue
        worst = max(worst, difference)
        explored += sum(item["explored"] for item in answer_e["items"])
        fallbacks += answer_e["exploration"]["fallback"]
        matched += 1

    refused = 0
    for body in MALFORMED:
        (status_e, answer_e), (status_a, answer_a) = expected.post(body), actual.post(body)
        if status_e == status_a and 400 <= status_e < 500 and answer_e.get("error") == answer_a.get("error"):
            refused += 1
        else:
            mismatches.append(("malformed", f"{json.dumps(body)}: {status_e} {answer_e} vs {status_a} {answer_a}"))
        print(f"  malformed {json.dumps(body)}: {status_e} \"{answer_e.get('message')}\" |"
              f" {status_a} \"{answer_a.get('message')}\"")

    for n, text in mismatches[:5]:
        print(f"  MISMATCH {n}: {text}")
    rate = matched / len(bodies)
    print(f"PARITY {args.name}: {matched}/{len(bodies)} slates identical ({rate:.1%}; {explored} explored items,"
          f" {fallbacks} fallback rows), largest score difference {worst:.2e};"
          f" {refused}/{len(MALFORMED)} malformed requests refused alike")
    sys.exit(0 if not mismatches else 1)


if __name__ == "__main__":
    main()
