"""Which device a request runs on: pure rules, checked without a GPU."""
import pytest

from serendip_llm.base import resolve_device
from serendip_llm.contract import RequestError


@pytest.mark.parametrize("requested, quantization, cuda, expected", [
    ("auto", "none", True, "cuda"),    # a pod that was given a GPU uses it
    ("auto", "none", False, "cpu"),
    ("auto", "int8", True, "cpu"),     # int8 kernels are CPU kernels: the gated arithmetic is kept
    ("cpu", "none", True, "cpu"),
    ("cuda", "none", True, "cuda"),
])
def test_the_device_follows_the_request_the_quantization_and_what_is_visible(requested, quantization, cuda,
                                                                              expected):
    assert resolve_device(requested, quantization, cuda) == expected


@pytest.mark.parametrize("quantization, cuda, reason", [
    ("none", False, "no CUDA device is visible"),
    ("int8", True, "quantization int8 runs on the CPU only"),
])
def test_cuda_is_refused_when_it_cannot_serve_the_request(quantization, cuda, reason):
    with pytest.raises(RequestError, match=reason):
        resolve_device("cuda", quantization, cuda)
