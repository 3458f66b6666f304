"""Shared fixtures: the real default base model (installed by llm/setup.sh), loaded once per session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from serendip_llm import base
from serendip_llm.contract import BaseModelRef

BASE_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def base_path() -> Path:
    models = Path(os.environ.get("SERENDIP_MODEL_CACHE", Path.home() / ".cache" / "serendip" / "models"))
    return models / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def base_ref() -> BaseModelRef:
    path = base_path()
    if not path.is_file():
        pytest.fail(f"{path} is missing: run llm/setup.sh")
    return BaseModelRef(path, BASE_SHA256)


@pytest.fixture(scope="session")
def loaded(base_ref):
    return base.load(base_ref, threads=2)
