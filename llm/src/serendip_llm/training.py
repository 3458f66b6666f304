"""LoRA fine-tuning of the base model on (prompt, answer) examples, loss on the answer tokens only.

Repeatable: the same request, seed and thread count on the same device give the same adapter bit for bit (seeded
shuffles and initialisation, deterministic torch kernels; a GPU and a CPU give different bits, each repeatable).
A diverging run stops training and writes nothing: a loss that is not finite, or one above a uniform guess over the
vocabulary (ln |V|), which no run that is learning reaches.

Several workers (started by torchrun, or as the pods of a Kubeflow PyTorchJob, which set WORLD_SIZE, RANK,
MASTER_ADDR and MASTER_PORT) train one adapter with DistributedDataParallel: every worker walks the same seeded
order, takes its share of each step's batch, and the averaged gradients equal one worker's on the whole batch;
losses are summed over the workers before they are logged or checked, so all of them stop together; the first
worker alone writes the adapter.
"""
from __future__ import annotations

import json
import math
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Callable

from . import base
from .contract import Example, TrainRequest

IGNORE = -100


class Diverged(RuntimeError):
    pass


class Terminated(RuntimeError):
    """SIGTERM came (the pod is evicted, preempted or deleted): the checkpoint was kept, nothing else written."""


class _Sigterm:
    """SIGTERM as a flag that the training loop reads between steps, instead of an exit in the middle of one."""

    def __init__(self) -> None:
        import signal
        self.requested = False
        try:
            signal.signal(signal.SIGTERM, self._request)
        except ValueError:  # not the main thread (an embedding caller): the default behaviour stays
            pass

    def _request(self, signum, frame) -> None:  # noqa: ARG002 - the signal module's signature
        self.requested = True


def _fingerprint(request: TrainRequest, world: int) -> str:
    """What a checkpoint must have been written for: everything that shapes the adapter, not where it goes."""
    import hashlib
    key = json.dumps({"base": request.base.sha256, "examples": [[e.prompt, e.answer] for e in request.examples],
                      "validation": [[e.prompt, e.answer] for e in request.validation],
                      "lora": [request.lora.rank, request.lora.alpha, request.lora.dropout,
                               list(request.lora.target_modules)],
                      "epochs": request.epochs, "batchSize": request.batch_size,
                      "learningRate": request.learning_rate, "seed": request.seed, "workers": world},
                     sort_keys=True)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def encode(codec: base.PromptCodec, example: Example) -> tuple[list[int], list[int]]:
    prompt = codec.prompt(example.prompt)
    answer = codec.answer(example.answer)
    return prompt + answer, [IGNORE] * len(prompt) + answer


def _batch(rows: list[tuple[list[int], list[int]]], pad: int):
    """Rows aligned to the right edge (padding on the left): every row's answer ends in the last column, so the
    answers of a batch share its last columns and the vocabulary projection is computed for those alone."""
    import torch
    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (x, y) in enumerate(rows):
        ids[i, width - len(x):] = torch.tensor(x)
        labels[i, width - len(y):] = torch.tensor(y)
        mask[i, width - len(x):] = 1
    return ids, mask, labels


def _loss(model, rows, pad):
    """Mean cross-entropy of the answer tokens (as transformers' own loss with labels), with logits only for the
    columns that predict an answer token: the projection onto the 49k-word vocabulary and its softmax were a large
    share of a step when computed for every prompt token."""
    import torch
    device = base.device_of(model)
    ids, mask, labels = (t.to(device) for t in _batch(rows, pad))
    width = ids.shape[1]
    first_answer = int((labels != IGNORE).to(torch.long).argmax(dim=1).min())
    keep = width - first_answer + 1  # from the column before the earliest answer token to the end
    positions = (mask.cumsum(-1) - 1).clamp(min=0)  # as if unpadded: padding on the left must not shift them
    logits = model(input_ids=ids, attention_mask=mask, position_ids=positions, logits_to_keep=keep).logits
    predicted = logits[:, :-1].float()  # column j predicts the token of column j + 1
    targets = labels[:, width - keep + 1:]
    return torch.nn.functional.cross_entropy(predicted.reshape(-1, predicted.shape[-1]), targets.reshape(-1),
                                             ignore_index=IGNORE)


def reference_loss(model, rows, pad):
    """transformers' own loss (labels over right-padded rows, logits for every column): what :func:`_loss` must
    equal, kept as the reference its test and llm/bench/train_step_speed.py compare against."""
    import torch
    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (x, y) in enumerate(rows):
        ids[i, :len(x)] = torch.tensor(x)
        labels[i, :len(y)] = torch.tensor(y)
        mask[i, :len(x)] = 1
    device = base.device_of(model)
    return model(input_ids=ids.to(device), attention_mask=mask.to(device), labels=labels.to(device)).loss


class Workers:
    """This process's place among the training workers: rank 0 of 1 when alone."""

    def __init__(self) -> None:
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = 0
        if self.world > 1:
            import torch
            import torch.distributed as dist
            if torch.cuda.is_available():
                torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            if not dist.is_initialized():
                dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
            self.rank = dist.get_rank()

    @property
    def first(self) -> bool:
        return self.rank == 0

    def share(self, rows: list) -> list:
        return rows[self.rank::self.world]

    def sum(self, *values: float) -> list[float]:
        """The values summed over all workers (themselves when alone)."""
        if self.world == 1:
            return list(values)
        import torch
        import torch.distributed as dist
        device = "cuda" if dist.get_backend() == "nccl" else "cpu"
        total = torch.tensor(values, dtype=torch.float64, device=device)
        dist.all_reduce(total)
        return total.tolist()

    def wrap(self, model):
        if self.world == 1:
            return model
        from torch.nn.parallel import DistributedDataParallel
        return DistributedDataParallel(model)

    def barrier(self) -> None:
        if self.world > 1:
            import torch.distributed as dist
            dist.barrier()

    def close(self) -> None:
        if self.world > 1:
            import torch.distributed as dist
            dist.destroy_process_group()


def validation_loss(model, rows, pad: int, batch_size: int, workers: Workers | None = None) -> float | None:
    """The token-weighted validation loss of the rows, each worker computing its share."""
    import torch
    if not rows:
        return None
    total, tokens = 0.0, 0
    mine = workers.share(rows) if workers else rows
    with torch.no_grad():
        for start in range(0, len(mine), batch_size):
            chunk = mine[start:start + batch_size]
            n = sum(sum(1 for t in y[1:] if t != IGNORE) for _, y in chunk)
            total += float(_loss(model, chunk, pad)) * n
            tokens += n
    if workers:
        total, tokens = workers.sum(total, tokens)
    return total / max(tokens, 1)


def fine_tune(request: TrainRequest, log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True)) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model

    workers = Workers()
    if not workers.first:
        log = lambda line: None  # noqa: E731 - the first worker speaks for all
    try:
        return _fine_tune(request, workers, log)
    finally:
        workers.close()


def _fine_tune(request: TrainRequest, workers: Workers, log: Callable[[str], None]) -> dict:
    import torch
    from peft import LoraConfig, get_peft_model

    torch.manual_seed(request.seed)
    torch.use_deterministic_algorithms(True)
    loaded = base.load(request.base, threads=request.threads, trainable=True, device=request.device)
    codec = loaded.codec
    model = get_peft_model(loaded.model, LoraConfig(
        r=request.lora.rank, lora_alpha=request.lora.alpha, lora_dropout=request.lora.dropout,
        target_modules=list(request.lora.target_modules), task_type="CAUSAL_LM"))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    adapter_model = model
    model = workers.wrap(model)
    train_rows = [encode(codec, e) for e in request.examples]
    val_rows = [encode(codec, e) for e in request.validation]
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=request.learning_rate,
                                  weight_decay=0.0)
    steps_per_epoch = math.ceil(len(train_rows) / request.batch_size)
    total_steps = steps_per_epoch * request.epochs
    log(f"fine-tuning {trainable} LoRA parameters (rank {request.lora.rank}) on {len(train_rows)} examples, "
        f"{request.epochs} epoch(s) of {steps_per_epoch} steps, on {loaded.device}, {request.threads} thread(s)"
        + (f", {workers.world} workers" if workers.world > 1 else ""))
    ceiling = math.log(len(codec.tokenizer))

    def check(value: float, where: str) -> None:
        if not math.isfinite(value) or value > ceiling:
            raise Diverged(f"training diverged: {where} loss {value:.4g} (a uniform guess is {ceiling:.2f}); "
                           f"lower the learning rate ({request.learning_rate:g}); nothing written")

    shuffler = random.Random(request.seed)
    history, started, step = [], time.monotonic(), 0
    sigterm = _Sigterm()
    fingerprint = _fingerprint(request, workers.world)
    resume = _read_checkpoint(request.checkpoint, fingerprint, log)
    first_epoch, first_step, order, running, seen = 1, 0, None, 0.0, 0
    if resume is not None:
        from peft import set_peft_model_state_dict
        set_peft_model_state_dict(adapter_model, resume["adapter"])
        optimizer.load_state_dict(resume["optimizer"])
        shuffler.setstate(resume["shuffler"])
        torch.set_rng_state(resume["torchRng"])
        first_epoch, first_step, order = resume["epoch"], resume["step"], resume["order"]
        running, seen, history, step = resume["running"], resume["seen"], resume["history"], resume["steps"]
        log(f"resuming epoch {first_epoch}/{request.epochs} at step {first_step + 1}/{steps_per_epoch} from "
            f"{request.checkpoint}")
    resumed_at, resumed_step = time.monotonic(), step

    def keep(epoch: int, s: int) -> None:
        """The state after s steps of the epoch, for a retried run to continue from exactly there."""
        if request.checkpoint is None or not workers.first:
            return
        import warnings
        from peft import get_peft_model_state_dict
        with warnings.catch_warnings():  # peft looks for a config.json beside a GGUF file, as in _write
            warnings.simplefilter("ignore", UserWarning)
            adapter = get_peft_model_state_dict(adapter_model)
        _write_checkpoint(request.checkpoint, {
            "fingerprint": fingerprint, "epoch": epoch, "step": s, "order": order, "running": running,
            "seen": seen, "history": history, "steps": step, "adapter": adapter,
            "optimizer": optimizer.state_dict(), "shuffler": shuffler.getstate(), "torchRng": torch.get_rng_state()})

    if resume is None:
        val = validation_loss(model, val_rows, codec.pad, request.batch_size, workers)
        if val is not None:
            log(f"epoch 0: validation loss {val:.4f}")
    for epoch in range(first_epoch, request.epochs + 1):
        model.train()
        if epoch != first_epoch or order is None:
            order = list(range(len(train_rows)))
            shuffler.shuffle(order)
            running, seen = 0.0, 0
        epoch_start = time.monotonic()
        for s in range(first_step if epoch == first_epoch else 0, steps_per_epoch):
            rows = [train_rows[i] for i in order[s * request.batch_size:(s + 1) * request.batch_size]]
            mine = workers.share(rows)
            # A worker whose share is empty still joins the step (with a zero-weighted row): all must.
            loss = _loss(model, mine or rows[:1], codec.pad)
            # Weighted by the share, so the workers' averaged gradients are those of the whole batch.
            weight = workers.world * len(mine) / len(rows)
            # SIGTERM reaches each worker on its own: summed with the loss, all of them stop at the same step.
            total, stopping = workers.sum(float(loss) * len(mine), 1.0 if sigterm.requested else 0.0)
            if stopping > 0:
                keep(epoch, s)
                workers.barrier()
                raise Terminated(f"terminated by SIGTERM at epoch {epoch} step {s + 1}; the checkpoint keeps "
                                 f"{step} steps" + ("" if request.checkpoint else " (no checkpoint asked for)"))
            value = total / len(rows)
            check(value, f"epoch {epoch} step {s + 1}")
            optimizer.zero_grad(set_to_none=True)
            (loss * weight).backward()
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            optimizer.step()
            step += 1
            running += value * len(rows)
            seen += len(rows)
            if s + 1 == steps_per_epoch or (s + 1) % max(1, steps_per_epoch // 10) == 0:
                per_step = (time.monotonic() - resumed_at) / max(step - resumed_step, 1)
                left = per_step * (total_steps - step)
                log(f"epoch {epoch}/{request.epochs} step {s + 1}/{steps_per_epoch} loss {running / seen:.4f} "
                    f"({per_step:.2f} s/step, about {left / 60:.1f} min left)")
                if s + 1 < steps_per_epoch:
                    keep(epoch, s + 1)  # a kill without warning (SIGKILL, a lost node) loses a tenth of an epoch
        model.eval()
        val = validation_loss(model, val_rows, codec.pad, request.batch_size, workers)
        history.append({"epoch": epoch, "trainLoss": running / seen, "validationLoss": val,
                        "seconds": time.monotonic() - epoch_start})
        if val is not None:
            check(val, f"validation after epoch {epoch}")
            log(f"epoch {epoch}: train loss {running / seen:.4f}, validation loss {val:.4f}")
        if epoch < request.epochs:
            order = None
            keep(epoch + 1, 0)
    report = {"baseSha256": loaded.digest, "examples": len(train_rows), "validationExamples": len(val_rows),
              "trainableParameters": trainable, "device": str(loaded.device), "threads": request.threads,
              "seed": request.seed, "workers": workers.world,
              "epochs": history, "seconds": time.monotonic() - started}
    if workers.first:
        _write(adapter_model, request.output, report)
        if request.checkpoint is not None:
            request.checkpoint.unlink(missing_ok=True)  # written: a retry has nothing to resume
    workers.barrier()  # the others end once the adapter is written
    return report


def _read_checkpoint(path: Path | None, fingerprint: str, log: Callable[[str], None]) -> dict | None:
    import torch
    if path is None or not path.is_file():
        return None
    try:
        state = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as e:  # noqa: BLE001 - any unreadable file is no checkpoint
        log(f"checkpoint {path} cannot be read ({type(e).__name__}); starting over")
        return None
    if not isinstance(state, dict) or state.get("fingerprint") != fingerprint:
        log(f"checkpoint {path} is for other inputs; starting over")
        return None
    return state


def _write_checkpoint(path: Path, state: dict) -> None:
    import torch
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state, tmp)
    os.replace(tmp, path)


def _write(model, output: Path, report: dict) -> None:
    """Writes adapter/ and training.json next to each other, all or nothing."""
    partial = output.with_name(output.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    import warnings
    with warnings.catch_warnings():  # peft looks for a config.json beside a GGUF file to see if the vocabulary grew
        warnings.simplefilter("ignore", UserWarning)
        model.save_pretrained(str(partial / "adapter"), safe_serialization=True)
    (partial / "training.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if output.exists():
        shutil.rmtree(output)
    partial.rename(output)
