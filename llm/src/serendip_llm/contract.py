"""The typed requests that the Java jobs write and this component reads (docs/formats.md, "LLM job requests").

Every field is checked here, before a model is loaded, so a bad request fails in a second with one line naming
the field, not after minutes of work.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class RequestError(ValueError):
    """A request, a model file or an adapter that is refused; the message is one line naming the file and the reason."""


@dataclass(frozen=True)
class BaseModelRef:
    """A pretrained causal LM: a GGUF file or a Hugging Face-format directory, and the digest it must have."""
    path: Path
    sha256: str | None


@dataclass(frozen=True)
class Example:
    prompt: str
    answer: str


@dataclass(frozen=True)
class LoraSettings:
    rank: int
    alpha: float
    dropout: float
    target_modules: tuple[str, ...]


@dataclass(frozen=True)
class TrainRequest:
    base: BaseModelRef
    examples: tuple[Example, ...]
    validation: tuple[Example, ...]
    lora: LoraSettings
    epochs: int
    batch_size: int
    learning_rate: float
    seed: int
    threads: int
    output: Path
    device: str = "auto"
    checkpoint: Path | None = None


@dataclass(frozen=True)
class ProposeRequest:
    """Constrained proposals (and optionally unconstrained greedy text) for prompts over a fixed candidate list."""
    base: BaseModelRef
    adapter: Path | None
    candidates: tuple[str, ...]
    prompts: tuple[str, ...]
    excluded: tuple[tuple[int, ...], ...]
    proposals: int
    beam_width: int
    unconstrained: bool
    max_new_tokens: int
    batch_size: int
    threads: int
    output: Path
    quantization: str = "none"
    device: str = "auto"


QUANTIZATIONS = ("none", "int8")
# Where the model runs. "auto": a CUDA device when one is visible (a pod that was given a GPU), else the CPU;
# CUDA_VISIBLE_DEVICES="" keeps a process on the CPU.
DEVICES = ("auto", "cpu", "cuda")


def _field(doc: dict[str, Any], name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if name not in doc:
        raise RequestError(f"{where}: missing field '{name}'")
    value = doc[name]
    if kind in (int, float) or kind == (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RequestError(f"{where}: field '{name}' must be a number, got {json.dumps(value)[:60]}")
        if kind is int and value != int(value):
            raise RequestError(f"{where}: field '{name}' must be an integer, got {value}")
        if not math.isfinite(value):
            raise RequestError(f"{where}: field '{name}' must be finite")
        return int(value) if kind is int else float(value)
    if not isinstance(value, kind):
        raise RequestError(f"{where}: field '{name}' has the wrong type ({type(value).__name__})")
    return value


def _positive(value: int | float, name: str, where: str, minimum: float = 1) -> Any:
    if value < minimum:
        raise RequestError(f"{where}: field '{name}' must be >= {minimum}, got {value}")
    return value


def _base(doc: dict[str, Any], where: str) -> BaseModelRef:
    base = _field(doc, "base", dict, where)
    digest = base.get("sha256")
    if digest is not None and (not isinstance(digest, str) or len(digest) != 64):
        raise RequestError(f"{where}: field 'base.sha256' must be 64 hex digits")
    return BaseModelRef(Path(_field(base, "path", str, where)), digest)


def _examples(doc: dict[str, Any], name: str, where: str) -> tuple[Example, ...]:
    rows = _field(doc, name, list, where)
    result = []
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            raise RequestError(f"{where}: {name}[{i}] must be an object")
        prompt = _field(row, "prompt", str, f"{where}: {name}[{i}]")
        answer = _field(row, "answer", str, f"{where}: {name}[{i}]")
        if not prompt.strip() or not answer.strip():
            raise RequestError(f"{where}: {name}[{i}] has an empty prompt or answer")
        result.append(Example(prompt, answer))
    return tuple(result)


def read_json(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RequestError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RequestError(f"{path}: not a JSON request ({e})") from None
    if not isinstance(doc, dict):
        raise RequestError(f"{path}: a request must be a JSON object")
    return doc


def _choice(doc: dict[str, Any], name: str, choices: tuple[str, ...], where: str) -> str:
    """An optional field with a fixed set of values; absent or null means the first."""
    value = doc.get(name) or choices[0]
    if value not in choices:
        raise RequestError(f"{where}: field '{name}' must be one of {', '.join(choices)}, got {json.dumps(value)[:40]}")
    return value


def parse_train(doc: dict[str, Any], where: str) -> TrainRequest:
    lora = _field(doc, "lora", dict, where)
    targets = _field(lora, "targetModules", list, where)
    if not targets or not all(isinstance(t, str) and t for t in targets):
        raise RequestError(f"{where}: field 'lora.targetModules' must be a non-empty list of module names")
    examples = _examples(doc, "examples", where)
    if not examples:
        raise RequestError(f"{where}: no training examples")
    return TrainRequest(
        base=_base(doc, where),
        examples=examples,
        validation=_examples(doc, "validation", where),
        lora=LoraSettings(_positive(_field(lora, "rank", int, where), "lora.rank", where),
                          _positive(_field(lora, "alpha", float, where), "lora.alpha", where, 0),
                          _field(lora, "dropout", float, where), tuple(targets)),
        epochs=_positive(_field(doc, "epochs", int, where), "epochs", where),
        batch_size=_positive(_field(doc, "batchSize", int, where), "batchSize", where),
        learning_rate=_positive(_field(doc, "learningRate", float, where), "learningRate", where, 1e-12),
        seed=_field(doc, "seed", int, where),
        threads=_positive(_field(doc, "threads", int, where), "threads", where),
        output=Path(_field(doc, "output", str, where)),
        device=_choice(doc, "device", DEVICES, where),
        checkpoint=_optional_path(doc, "checkpoint", where),
    )


def _optional_path(doc: dict[str, Any], name: str, where: str) -> Path | None:
    value = doc.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise RequestError(f"{where}: field '{name}' must be a path")
    return Path(value)


def parse_rows(rows: Any, candidates: int, where: str) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """The `requests` of a propose request (or of one line of `serve`): prompts and the candidates each excludes."""
    if not isinstance(rows, list):
        raise RequestError(f"{where}: field 'requests' must be a list")
    prompts, excluded = [], []
    for i, row in enumerate(rows):
        at = f"{where}: requests[{i}]"
        if not isinstance(row, dict):
            raise RequestError(f"{at} must be an object")
        prompt = _field(row, "prompt", str, at)
        if not prompt.strip():
            raise RequestError(f"{at} has an empty prompt")
        exclude = _field(row, "exclude", list, at)
        for c in exclude:
            if isinstance(c, bool) or not isinstance(c, int) or not 0 <= c < candidates:
                raise RequestError(f"{at}: excluded cluster {c} is not a candidate index (0..{candidates - 1})")
        prompts.append(prompt)
        excluded.append(tuple(sorted(set(exclude))))
    return tuple(prompts), tuple(excluded)


def parse_propose(doc: dict[str, Any], where: str) -> ProposeRequest:
    candidates = _field(doc, "candidates", list, where)
    if len(candidates) < 1 or not all(isinstance(c, str) and c.strip() for c in candidates):
        raise RequestError(f"{where}: field 'candidates' must be a non-empty list of non-empty descriptions")
    prompts, excluded = parse_rows(_field(doc, "requests", list, where), len(candidates), where)
    adapter = doc.get("adapter")
    if adapter is not None and not isinstance(adapter, str):
        raise RequestError(f"{where}: field 'adapter' must be a path or null")
    quantization = _choice(doc, "quantization", QUANTIZATIONS, where)
    proposals = _positive(_field(doc, "proposals", int, where), "proposals", where)
    beam_width = _positive(_field(doc, "beamWidth", int, where), "beamWidth", where)
    return ProposeRequest(
        base=_base(doc, where),
        adapter=Path(adapter) if adapter else None,
        candidates=tuple(candidates),
        prompts=prompts,
        excluded=excluded,
        proposals=proposals,
        beam_width=max(beam_width, proposals),
        unconstrained=bool(_field(doc, "unconstrained", bool, where)),
        max_new_tokens=_positive(_field(doc, "maxNewTokens", int, where), "maxNewTokens", where),
        batch_size=_positive(_field(doc, "batchSize", int, where), "batchSize", where),
        threads=_positive(_field(doc, "threads", int, where), "threads", where),
        output=Path(_field(doc, "output", str, where)),
        quantization=quantization,
        device=_choice(doc, "device", DEVICES, where),
    )
