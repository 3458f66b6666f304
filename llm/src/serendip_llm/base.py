"""Loading a pretrained causal LM (GGUF file or Hugging Face directory) and turning prompts into token ids.

Supported architectures are those that transformers can load from GGUF (Llama-family models such as SmolLM2,
Llama, Mistral, Qwen2) or any causal LM in a Hugging Face directory with its tokenizer; see docs/models.md.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .contract import BaseModelRef, RequestError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TQDM_DISABLE", "1")  # the GGUF loader draws a progress bar on stderr otherwise
# Deterministic cuBLAS kernels (torch.use_deterministic_algorithms refuses CUDA matrix products without it).
os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")

GGUF_MAGIC = b"GGUF"


def sha256_of(path: Path) -> str:
    """sha256 of a file, or of a directory as the digest of its files' relative names and digests, sorted."""
    if path.is_dir():
        outer = hashlib.sha256()
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            outer.update(str(file.relative_to(path)).encode())
            outer.update(sha256_of(file).encode())
        return outer.hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_base(ref: BaseModelRef) -> str:
    """Checks that the base model exists, is whole and has the expected digest; returns its digest."""
    path = ref.path
    if not path.exists():
        raise RequestError(f"{path}: base model not found")
    if path.is_file():
        with open(path, "rb") as f:
            if f.read(4) != GGUF_MAGIC:
                raise RequestError(f"{path}: not a GGUF file (a base model is a .gguf file or a Hugging Face directory)")
        _check_gguf_whole(path)
    elif not (path / "config.json").is_file():
        raise RequestError(f"{path}: a Hugging Face model directory needs config.json, weights and a tokenizer")
    digest = sha256_of(path)
    if ref.sha256 is not None and digest != ref.sha256:
        raise RequestError(f"{path}: sha256 {digest} does not match the expected {ref.sha256}")
    return digest


def _check_gguf_whole(path: Path) -> None:
    """A truncated GGUF file has tensors whose data runs past the end; refuse it before loading."""
    from gguf import GGUFReader
    try:
        GGUFReader(str(path), "r")
    except Exception as e:  # gguf raises ValueError/IndexError/struct errors for cut or corrupt files
        raise RequestError(f"{path}: damaged GGUF file ({type(e).__name__}: {str(e).splitlines()[0][:120]})") from None


@dataclass
class LoadedModel:
    model: object
    tokenizer: object
    codec: "PromptCodec"
    digest: str

    @property
    def device(self):
        return device_of(self.model)


def device_of(model):
    """The device of a model's weights (the input embeddings stay float parameters under int8 quantization)."""
    from torch.nn.parallel import DistributedDataParallel
    if isinstance(model, DistributedDataParallel):
        model = model.module
    return model.get_input_embeddings().weight.device


def resolve_device(requested: str, quantization: str, cuda_available: bool) -> str:
    """The device a request runs on. int8 is a CPU arithmetic (dynamic quantization has CPU kernels only): a version
    gated in int8 must be precomputed in int8, so it stays on the CPU under "auto" and is refused on "cuda"."""
    if requested == "cuda":
        if not cuda_available:
            raise RequestError("device cuda requested but no CUDA device is visible to this process")
        if quantization == "int8":
            raise RequestError("quantization int8 runs on the CPU only; use device cpu or auto for this model version")
        return "cuda"
    if requested == "auto" and cuda_available and quantization != "int8":
        return "cuda"
    return "cpu"


def load(ref: BaseModelRef, adapter: Path | None = None, threads: int = 1, trainable: bool = False,
         quantization: str = "none", device: str = "auto") -> LoadedModel:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.set_num_threads(threads)
    target = resolve_device(device, quantization, torch.cuda.is_available())
    digest = verify_base(ref)
    if ref.path.is_file():
        where, extra = str(ref.path.parent), {"gguf_file": ref.path.name}
    else:
        where, extra = str(ref.path), {}
    try:
        tokenizer = AutoTokenizer.from_pretrained(where, **extra)
        model = AutoModelForCausalLM.from_pretrained(where, dtype=torch.float32, **extra)
    except (OSError, ValueError, KeyError) as e:
        raise RequestError(f"{ref.path}: cannot be loaded as a causal LM ({str(e).splitlines()[0][:160]})") from None
    if adapter is not None:
        model = attach_adapter(model, adapter)
    model = model.to(target)
    model.train(trainable)
    if not trainable:
        model.requires_grad_(False)
        if quantization == "int8":
            model = quantize_int8(model)
    return LoadedModel(model, tokenizer, PromptCodec(tokenizer), digest)


def quantize_int8(model):
    """Linear layers with int8 weights (one scale per output channel) and activations quantized on the fly: about
    twice the fp32 speed of a CPU's matrix products. Answers can differ from fp32 ones; a model version records its
    quantization so that its gates, its evaluation and its precomputed table all use the same arithmetic."""
    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
    return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)


def attach_adapter(model, adapter: Path):
    """Applies a LoRA adapter written by `train` and folds it into the weights (inference is then as fast as the base)."""
    from peft import PeftModel
    if not (adapter / "adapter_config.json").is_file():
        raise RequestError(f"{adapter}: not a LoRA adapter directory (no adapter_config.json)")
    try:
        return PeftModel.from_pretrained(model, str(adapter)).merge_and_unload()
    except (OSError, ValueError, KeyError, RuntimeError) as e:
        raise RequestError(f"{adapter}: adapter does not fit this base model ({str(e).splitlines()[0][:160]})") from None


class PromptCodec:
    """Prompt and answer token ids. The prompt goes through the tokenizer's chat template when it has one (instruct
    models), so the same text reads as a user turn; the answer is tokenized on its own and ends with the end-of-turn
    token, so training sequences and decoding see exactly the same ids."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.chat = bool(getattr(tokenizer, "chat_template", None))
        end = self._end_of_turn() if self.chat else tokenizer.eos_token_id
        if end is None:
            raise RequestError("the base model's tokenizer has no end-of-sequence token")
        self.end = int(end)
        self.pad = int(tokenizer.pad_token_id) if tokenizer.pad_token_id is not None else self.end

    def _end_of_turn(self) -> int | None:
        """The token the chat template writes right after an assistant's text (e.g. <|im_end|>). GGUF files do not
        always name it as their end-of-sequence token, and an answer must end the way the model ends a turn."""
        marker = "Zq"
        turn = self._ids(self.tokenizer.apply_chat_template(
            [{"role": "user", "content": "x"}, {"role": "assistant", "content": marker}], tokenize=True))
        opened = self._ids(self.tokenizer.apply_chat_template(
            [{"role": "user", "content": "x"}], tokenize=True, add_generation_prompt=True))
        answer = self._ids(self.tokenizer(marker, add_special_tokens=False))
        if turn[:len(opened)] == opened and turn[len(opened):len(opened) + len(answer)] == answer \
                and len(turn) > len(opened) + len(answer):
            return turn[len(opened) + len(answer)]
        return self.tokenizer.eos_token_id

    @staticmethod
    def _ids(encoded) -> list[int]:
        return list(encoded["input_ids"] if isinstance(encoded, dict) or hasattr(encoded, "keys") else encoded)

    def prompt(self, text: str) -> list[int]:
        if self.chat:
            return self._ids(self.tokenizer.apply_chat_template([{"role": "user", "content": text}], tokenize=True,
                                                                add_generation_prompt=True))
        ids = self.tokenizer(text + "\nAnswer:", add_special_tokens=True)["input_ids"]
        return list(ids)

    def answer(self, text: str) -> list[int]:
        prefix = "" if self.chat else " "
        return list(self.tokenizer(prefix + text, add_special_tokens=False)["input_ids"]) + [self.end]

    def decode_answer(self, ids: list[int]) -> str:
        if self.end in ids:
            ids = ids[:ids.index(self.end)]
        return self.tokenizer.decode(ids, skip_special_tokens=True).strip()
