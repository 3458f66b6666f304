"""Fine-tuning on the real base model and the command line's refusals."""
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE_SHA256, base_path

ANSWER = "war drama: Platoon; Glory"
CANDIDATES = ["romantic comedy: Sleepless in Seattle", ANSWER, "animated family: Toy Story; Aladdin",
              "horror and slasher: Scream; Halloween"]


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "serendip_llm", *args], capture_output=True, text=True, timeout=600,
                          env=env)


def train_request(tmp: Path, name: str, steps: int = 2, lr: float = 1e-3, seed: int = 7,
                  checkpoint: Path | None = None) -> Path:
    examples = [{"prompt": f"A user enjoyed cluster {i} and cluster {i + 1}. Next interest?", "answer": ANSWER}
                for i in range(2 * steps)]
    doc = {"base": {"path": str(base_path()), "sha256": BASE_SHA256}, "examples": examples,
           "validation": examples[:2], "lora": {"rank": 4, "alpha": 8, "dropout": 0.0,
                                                "targetModules": ["q_proj", "v_proj"]},
           "epochs": 1, "batchSize": 2, "learningRate": lr, "seed": seed, "threads": 1, "device": "cpu",
           "output": str(tmp / name)}
    if checkpoint is not None:
        doc["checkpoint"] = str(checkpoint)
    path = tmp / f"{name}.json"
    path.write_text(json.dumps(doc))
    return path


def propose_request(tmp: Path, adapter: Path | None, **overrides) -> Path:
    doc = {"base": {"path": str(base_path()), "sha256": BASE_SHA256},
           "adapter": str(adapter) if adapter else None, "candidates": CANDIDATES,
           "requests": [{"prompt": "A user enjoyed cluster 40 and cluster 41. Next interest?", "exclude": [0]}],
           "proposals": 3, "beamWidth": 3, "unconstrained": True, "maxNewTokens": 16, "batchSize": 4,
           "threads": 1, "output": str(tmp / "proposals.jsonl")}
    doc.update(overrides)
    path = tmp / "propose.json"
    path.write_text(json.dumps(doc))
    return path


def test_lora_steps_are_repeatable_bit_for_bit_and_the_adapter_steers_proposals(tmp_path):
    first = run("train", "--request", str(train_request(tmp_path, "a", steps=4, lr=1e-2)))
    assert first.returncode == 0, first.stderr
    second = run("train", "--request", str(train_request(tmp_path, "b", steps=4, lr=1e-2)))
    assert second.returncode == 0, second.stderr
    a = (tmp_path / "a" / "adapter" / "adapter_model.safetensors").read_bytes()
    b = (tmp_path / "b" / "adapter" / "adapter_model.safetensors").read_bytes()
    assert a == b
    report = json.loads((tmp_path / "a" / "training.json").read_text())
    assert report["baseSha256"] == BASE_SHA256 and report["examples"] == 8 and report["device"] == "cpu"
    assert report["epochs"][0]["validationLoss"] < report["epochs"][0]["trainLoss"] * 1.5

    before = run("propose", "--request", str(propose_request(tmp_path, None)))
    assert before.returncode == 0, before.stderr
    zero_shot = json.loads((tmp_path / "proposals.jsonl").read_text())
    after = run("propose", "--request", str(propose_request(tmp_path, tmp_path / "a" / "adapter")))
    assert after.returncode == 0, after.stderr
    tuned = json.loads((tmp_path / "proposals.jsonl").read_text())
    assert tuned["clusters"][0] == 1, (zero_shot, tuned)
    # every non-excluded candidate is proposed, so both runs score cluster 1
    assert tuned["scores"][0] > zero_shot["scores"][zero_shot["clusters"].index(1)], (zero_shot, tuned)
    # four steps move the constrained choice; the free greedy text changes too, but is not the answer yet
    assert isinstance(tuned["text"], str) and tuned["text"] != zero_shot["text"], (zero_shot, tuned)


def test_a_different_seed_gives_a_different_adapter(tmp_path):
    assert run("train", "--request", str(train_request(tmp_path, "a", seed=1))).returncode == 0
    assert run("train", "--request", str(train_request(tmp_path, "b", seed=2))).returncode == 0
    assert (tmp_path / "a/adapter/adapter_model.safetensors").read_bytes() != \
           (tmp_path / "b/adapter/adapter_model.safetensors").read_bytes()


def test_divergence_is_reported_and_writes_nothing(tmp_path):
    result = run("train", "--request", str(train_request(tmp_path, "x", steps=3, lr=1e9)))
    assert result.returncode == 4, result.stderr
    assert "diverged" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("damage, reason", [
    ("digest", "does not match the expected"),
    ("truncated", "damaged GGUF file"),
    ("missing", "base model not found"),
    ("not-gguf", "not a GGUF file"),
])
def test_a_bad_base_model_is_refused_with_one_line(tmp_path, damage, reason):
    real = base_path()
    fake = tmp_path / "model.gguf"
    expected = BASE_SHA256
    if damage == "digest":
        fake = real
        expected = "0" * 64
    elif damage == "truncated":
        fake.write_bytes(real.read_bytes()[:5_000_000])
        expected = None
    elif damage == "not-gguf":
        fake.write_text("hello")
        expected = None
    doc = json.loads(propose_request(tmp_path, None).read_text())
    doc["base"] = {"path": str(fake), "sha256": expected}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run("propose", "--request", str(path))
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()
    assert len(last) == 1 and reason in last[0] and str(fake) in last[0]
    assert not (tmp_path / "proposals.jsonl").exists()


def test_a_request_with_a_bad_field_is_refused_before_loading_anything(tmp_path):
    doc = json.loads(propose_request(tmp_path, None).read_text())
    doc["requests"][0]["exclude"] = [17]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    result = run("propose", "--request", str(path))
    assert result.returncode == 2
    assert "excluded cluster 17 is not a candidate index" in result.stderr


def test_an_unknown_quantization_is_refused_naming_the_field(tmp_path):
    result = run("propose", "--request", str(propose_request(tmp_path, None, quantization="int4")))
    assert result.returncode == 2
    assert "field 'quantization' must be one of none, int8" in result.stderr
    assert not (tmp_path / "proposals.jsonl").exists()


def test_an_unknown_device_is_refused_naming_the_field(tmp_path):
    result = run("propose", "--request", str(propose_request(tmp_path, None, device="tpu")))
    assert result.returncode == 2
    assert "field 'device' must be one of auto, cpu, cuda" in result.stderr


def test_cuda_without_a_visible_device_is_refused_in_one_line(tmp_path):
    hidden = dict(os.environ, CUDA_VISIBLE_DEVICES="")
    result = run("propose", "--request", str(propose_request(tmp_path, None, device="cuda")), env=hidden)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "device cuda requested but no CUDA device is visible" in lines[0], result.stderr
    assert not (tmp_path / "proposals.jsonl").exists()


def test_an_adapter_directory_without_its_config_is_refused(tmp_path):
    (tmp_path / "adapter").mkdir()
    result = run("propose", "--request", str(propose_request(tmp_path, tmp_path / "adapter")))
    assert result.returncode == 2
    assert "not a LoRA adapter directory" in result.stderr


def test_serve_answers_each_line_as_propose_does_and_refuses_a_bad_line_without_stopping(tmp_path):
    request = propose_request(tmp_path, None, unconstrained=False)
    batch = run("propose", "--request", str(request))
    assert batch.returncode == 0, batch.stderr
    expected = json.loads((tmp_path / "proposals.jsonl").read_text())
    prompt = json.loads(request.read_text())["requests"][0]
    lines = [json.dumps({"requests": [prompt]}),
             "not json",
             json.dumps({"requests": [{"prompt": "x", "exclude": [9]}]}),
             json.dumps({"requests": [prompt, {"prompt": prompt["prompt"], "exclude": [0, 1]}]})]
    served = subprocess.run([sys.executable, "-m", "serendip_llm", "serve", "--request", str(request)],
                            input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=600)
    assert served.returncode == 0, served.stderr
    replies = [json.loads(line) for line in served.stdout.splitlines()]
    assert replies[0] == {"ready": True, "base": BASE_SHA256}
    # the same clusters in the same order; scores equal up to float32 summation order
    [first] = replies[1]["results"]
    assert first["clusters"] == expected["clusters"]
    assert first["scores"] == pytest.approx(expected["scores"], abs=1e-4)
    assert "error" in replies[2] and "request line" in replies[2]["error"]
    assert "excluded cluster 9 is not a candidate index" in replies[3]["error"]
    assert replies[4]["results"][0]["clusters"] == expected["clusters"]
    second = replies[4]["results"][1]
    assert 0 not in second["clusters"] and 1 not in second["clusters"] and len(second["clusters"]) == 2
    assert len(replies) == 5


def test_two_workers_train_the_adapter_one_worker_trains(tmp_path):
    """torchrun with two processes (gloo on the CPU, as a PyTorchJob's pods would run it): each takes half of every
    batch, the averaged gradients are the whole batch's, and only the first worker writes."""
    one = run("train", "--request", str(train_request(tmp_path, "one", steps=3, lr=1e-2)))
    assert one.returncode == 0, one.stderr
    env = dict(os.environ, OMP_NUM_THREADS="1")
    two = subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
                          "-m", "serendip_llm", "train", "--request",
                          str(train_request(tmp_path, "two", steps=3, lr=1e-2))],
                         capture_output=True, text=True, timeout=900, env=env)
    assert two.returncode == 0, two.stderr
    assert two.stderr.count("fine-tuning ") == 1 and "2 workers" in two.stderr
    report = json.loads((tmp_path / "two" / "training.json").read_text())
    assert report["workers"] == 2
    alone = json.loads((tmp_path / "one" / "training.json").read_text())
    assert alone["workers"] == 1
    # the same examples, seed and learning rate: the same losses up to the order of floating-point sums
    for a, b in zip(alone["epochs"], report["epochs"]):
        assert b["trainLoss"] == pytest.approx(a["trainLoss"], rel=1e-3)
        assert b["validationLoss"] == pytest.approx(a["validationLoss"], rel=1e-3)
    from safetensors.numpy import load_file
    single = load_file(str(tmp_path / "one" / "adapter" / "adapter_model.safetensors"))
    double = load_file(str(tmp_path / "two" / "adapter" / "adapter_model.safetensors"))
    assert single.keys() == double.keys()
    import numpy as np
    # Adam divides by the gradient's running magnitude, so a weight whose gradient is ~0 can move differently
    # under a different summation order; the adapter as a whole must be the same one.
    diff = math.sqrt(sum(float(np.sum((single[k] - double[k]) ** 2)) for k in single))
    norm = math.sqrt(sum(float(np.sum(single[k] ** 2)) for k in single))
    print(f"relative difference {diff / norm:.2e}, largest {max(float(np.abs(single[k] - double[k]).max()) for k in single):.2e}")
    assert diff / norm < 1e-3
    # a trained adapter, not the initial one: LoRA's B matrices start at zero
    assert any(np.abs(v).max() > 0 for k, v in double.items() if "lora_B" in k)


def test_sigterm_keeps_a_checkpoint_that_the_retried_run_resumes_bit_for_bit(tmp_path):
    """What a training pod gets when it is evicted or preempted: SIGTERM mid-epoch. The run stops at its next step
    (exit 143), keeps the exact state, writes no adapter; the retried run continues from that step and its adapter is
    the uninterrupted run's, bit for bit."""
    whole = run("train", "--request", str(train_request(tmp_path, "whole", steps=12, lr=1e-2)))
    assert whole.returncode == 0, whole.stderr

    checkpoint = tmp_path / ".cut.checkpoint"
    request = train_request(tmp_path, "cut", steps=12, lr=1e-2, checkpoint=checkpoint)
    process = subprocess.Popen([sys.executable, "-m", "serendip_llm", "train", "--request", str(request)],
                               stderr=subprocess.PIPE, text=True)
    lines = []
    for line in process.stderr:
        lines.append(line)
        if "step 4/12" in line:
            process.send_signal(signal.SIGTERM)
            break
    lines.extend(process.stderr)
    assert process.wait(timeout=300) == 143, "".join(lines)
    assert "terminated by SIGTERM at epoch 1 step" in "".join(lines)
    assert checkpoint.is_file() and not (tmp_path / "cut").exists()

    resumed = run("train", "--request", str(request))
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming epoch 1/1 at step" in resumed.stderr
    assert not checkpoint.exists()
    a = (tmp_path / "whole" / "adapter" / "adapter_model.safetensors").read_bytes()
    b = (tmp_path / "cut" / "adapter" / "adapter_model.safetensors").read_bytes()
    assert a == b


def test_a_checkpoint_of_other_inputs_is_not_resumed(tmp_path):
    checkpoint = tmp_path / ".other.checkpoint"
    checkpoint.write_bytes(b"not a checkpoint")
    done = run("train", "--request", str(train_request(tmp_path, "other", steps=2, checkpoint=checkpoint)))
    assert done.returncode == 0, done.stderr
    assert "cannot be read" in done.stderr and "resuming" not in done.stderr
    assert not checkpoint.exists() and (tmp_path / "other" / "adapter").is_dir()
