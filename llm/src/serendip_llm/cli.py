"""Command line: `serendip-llm train|propose|serve --request FILE`, `serendip-llm digest PATH`.

Exit codes: 0 done; 2 a refused request, model or adapter (one line on stderr naming the file and the reason);
4 training diverged; 143 training ended by SIGTERM (its checkpoint, when the request names one, is kept). Progress goes to stderr; nothing is written unless the command succeeds.

`serve` keeps the model loaded for an online server: it reads a propose request without rows, writes one line
`{"ready": true, "base": DIGEST}` on stdout once the model is loaded, then answers each line of stdin
(`{"requests": [{"prompt": ..., "exclude": [...]}, ...]}`) with one line `{"results": [{"clusters": [...],
"scores": [...]}, ...]}`, or `{"error": "..."}` for a line it refuses, until stdin ends.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .contract import RequestError, parse_propose, parse_rows, parse_train, read_json

REFUSED = 2
DIVERGED = 4
TERMINATED = 143  # 128 + SIGTERM


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def train(path: Path) -> None:
    from .training import fine_tune
    request = parse_train(read_json(path), str(path))
    fine_tune(request, log)
    log(f"wrote {request.output}")


def _load(request):
    """The model of a propose request, its candidates' answers in the model's tokens, and their trie."""
    from . import base
    from .trie import CandidateTrie

    loaded = base.load(request.base, adapter=request.adapter, threads=request.threads,
                       quantization=request.quantization, device=request.device)
    answers = [loaded.codec.answer(c) for c in request.candidates]
    return loaded, answers, CandidateTrie(answers)


def _answer(row) -> dict:
    return {"clusters": [c for c, _ in row], "scores": [round(s, 6) for _, s in row]}


def propose(path: Path) -> None:
    from . import decoding

    request = parse_propose(read_json(path), str(path))
    loaded, answers, trie = _load(request)
    codec = loaded.codec
    prompts = [codec.prompt(p) for p in request.prompts]
    excluded = [frozenset(e) for e in request.excluded]
    started = time.monotonic()
    step = max(request.batch_size, len(prompts) // 20)
    reported = [0]

    def progress(done: int) -> None:
        if done - reported[0] >= step or done == len(prompts):
            reported[0] = done
            rate = done / max(time.monotonic() - started, 1e-9)
            log(f"proposals {done}/{len(prompts)} ({rate:.1f}/s)")

    proposals = decoding.propose(loaded.model, codec.pad, trie, prompts, excluded, request.proposals,
                                 request.beam_width, request.batch_size, progress)
    texts = None
    if request.unconstrained:
        budget = decoding.greedy_budget(request.max_new_tokens, answers)
        texts = decoding.greedy_answers(loaded.model, codec, prompts, budget, request.batch_size)
    partial = request.output.with_name(request.output.name + ".partial")
    with open(partial, "w", encoding="utf-8") as out:
        for i, row in enumerate(proposals):
            line = _answer(row)
            if texts is not None:
                line["text"] = texts[i]
            out.write(json.dumps(line) + "\n")
    partial.replace(request.output)
    log(f"wrote {len(proposals)} proposals to {request.output} in {time.monotonic() - started:.1f} s "
        f"(base {loaded.digest[:12]}, {loaded.device})")


def serve(path: Path) -> None:
    from . import decoding

    request = parse_propose(read_json(path), str(path))
    loaded, _, trie = _load(request)
    codec = loaded.codec

    def reply(doc: dict) -> None:
        sys.stdout.write(json.dumps(doc) + "\n")
        sys.stdout.flush()

    reply({"ready": True, "base": loaded.digest})
    log(f"serving {len(request.candidates)} candidates (base {loaded.digest[:12]}, {loaded.device})")
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        where = f"request line {number}"
        try:
            doc = json.loads(line)
            if not isinstance(doc, dict):
                raise RequestError(f"{where}: must be a JSON object")
            prompts, excluded = parse_rows(doc.get("requests"), len(request.candidates), where)
        except json.JSONDecodeError as e:
            reply({"error": f"{where}: not JSON ({e})"})
            continue
        except RequestError as e:
            reply({"error": str(e)})
            continue
        rows = decoding.propose(loaded.model, codec.pad, trie, [codec.prompt(p) for p in prompts],
                                [frozenset(e) for e in excluded], request.proposals, request.beam_width,
                                request.batch_size)
        reply({"results": [_answer(row) for row in rows]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="serendip-llm", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("train", "LoRA fine-tuning from a train request"),
                            ("propose", "constrained proposals (and greedy answers) from a propose request"),
                            ("serve", "the model of a propose request kept loaded, answering request lines")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--request", required=True, type=Path, help="request JSON written by the Java job")
    d = sub.add_parser("digest", help="sha256 of a model file or directory")
    d.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "train":
            train(args.request)
        elif args.command == "propose":
            propose(args.request)
        elif args.command == "serve":
            serve(args.request)
        else:
            from .base import sha256_of
            if not args.path.exists():
                raise RequestError(f"{args.path}: no such file or directory")
            print(sha256_of(args.path))
    except RequestError as e:
        log(f"serendip-llm: {e}")
        return REFUSED
    except Exception as e:  # noqa: BLE001 - one line, not a traceback, for any other failure of the job
        from .training import Diverged, Terminated
        if isinstance(e, Diverged):
            log(f"serendip-llm: {e}")
            return DIVERGED
        if isinstance(e, Terminated):
            log(f"serendip-llm: {e}")
            return TERMINATED
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
