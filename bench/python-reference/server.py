"""Python reference of the recommender server: FastAPI on uvicorn, serving POST /v1/recommend with the request
and response contract of docs/api.md and the slate logic of slate.py, from the artifacts a RecommenderConfig
YAML names (the same file the Java server reads; imported TorchScript recommenders only).

  python server.py --config recommender.yaml [--port 8000] [--workers 1] [--torch-threads N]

Each uvicorn worker is a process with its own copy of the artifacts. Torch runs one forward pass per request on
a [1, L] history, too small for intra-op parallelism to pay: by default each worker uses one intra-op and one
inter-op thread (--torch-threads to change it; on a shared 2-core machine 2 threads per worker measured far
slower, their spinning threads competing with the server's own).
"""
import os

# One BLAS thread: NumPy's matrix-vector products are small, and OpenBLAS threads spinning beside the
# server's own measured slower and far noisier on 2 cores. Set before NumPy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import math
from typing import Annotated, Optional, Union

import torch
import uvicorn
import yaml
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StrictInt, StrictStr
from starlette.exceptions import HTTPException

import slate
from artifacts import ClusterSet, NoveltyTable, Recommender

MAX_SLATE = 1000
CONFIG_ENV = "PYREF_CONFIG"
THREADS_ENV = "PYREF_TORCH_THREADS"
ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "too_large"}


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def read_config(path):
    """The server and recommender sections of a RecommenderConfig, with the Java defaults."""
    with open(path, encoding="utf-8") as f:
        config = yaml.safe_load(f)
    if config.get("apiVersion") != "serendip.io/v1alpha1" or config.get("kind") != "RecommenderConfig":
        raise SystemExit(f"{path}: expected apiVersion serendip.io/v1alpha1, kind RecommenderConfig")
    server = {"port": 8080, "maxRequestBytes": 65536, "maxHistory": 200, **(config.get("server") or {})}
    recommender = {"defaultSlateSize": 10, "defaultExplorationShare": 0.2, **config["recommender"]}
    return server, recommender


def error(status, message):
    return JSONResponse({"error": ERROR_CODES.get(status, "bad_request"), "message": message}, status_code=status)


def field_name(location):
    """('body', 'history', 1, 'str') -> 'history[1]' (the request has no nested objects: names after the field are
    pydantic's union member tags); the body itself -> 'request body'."""
    if len(location) < 2:
        return "request body"
    return str(location[1]) + "".join(f"[{p}]" for p in location[2:] if isinstance(p, int))


def body_limit(app, max_bytes):
    """Pure ASGI middleware: 413 for a declared Content-Length above max_bytes."""

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"content-length" and int(value) > max_bytes:
                    await error(413, f"request body: larger than {max_bytes} bytes")(scope, receive, send)
                    return
        await app(scope, receive, send)

    return guarded


def create_app():
    server, settings = read_config(os.environ[CONFIG_ENV])
    threads = int(os.environ.get(THREADS_ENV, "1"))
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    clusters = ClusterSet(settings["clustersDir"])
    novelty = NoveltyTable(settings["noveltyTable"], clusters)
    recommender = Recommender(settings["modelDir"], clusters)
    for length in (1, recommender.max_length):  # TorchScript optimizes on its first calls: do them before serving
        for _ in range(3):
            recommender.encode(list(range(length)))

    NonBlank = Annotated[StrictStr, Field(pattern=r"\S")]

    class RecommendRequest(BaseModel):
        user: Optional[NonBlank] = None
        history: Annotated[list[Union[NonBlank, StrictInt]], Field(min_length=1, max_length=server["maxHistory"])]
        k: Optional[Annotated[StrictInt, Field(ge=1, le=MAX_SLATE)]] = None
        exploration: Optional[Annotated[float, Field(ge=0, le=1, strict=True)]] = None
        explorationSlots: Optional[Annotated[StrictInt, Field(ge=0, le=MAX_SLATE)]] = None

    app = FastAPI(title="Serendip recommender, Python reference", openapi_url=None, docs_url=None, redoc_url=None)

    @app.exception_handler(RequestValidationError)
    async def invalid(_, exc):
        first = exc.errors()[0]
        if first["type"] == "json_invalid":
            return error(400, "request body: not valid JSON")
        return error(400, f"{field_name(first['loc'])}: {first['msg']}")

    @app.exception_handler(ApiError)
    async def refused(_, exc):
        return error(exc.status, exc.message)

    @app.exception_handler(HTTPException)
    async def http_error(_, exc):
        return error(exc.status_code, str(exc.detail))

    @app.get("/healthz")
    async def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz():
        return {"ready": True}

    @app.post("/v1/recommend")
    async def recommend(request: RecommendRequest):
        history = []
        for i, item in enumerate(request.history):
            index = clusters.index.get(str(item))
            if index is None:
                raise ApiError(400, f"history[{i}]: unknown item {item}")
            history.append(index)
        k = request.k if request.k is not None else settings["defaultSlateSize"]
        if request.explorationSlots is not None:
            slots = min(request.explorationSlots, k)
        else:
            share = request.exploration if request.exploration is not None else settings["defaultExplorationShare"]
            slots = math.floor(share * k + 0.5)  # Java's Math.round, not Python's round-half-even
        entries, distinct, novel, fallback, user_clusters = slate.recommend(
            recommender, clusters, novelty, history, k, slots)
        items = []
        for item, score, cluster in entries:
            entry = {"id": clusters.ids[item], "score": score, "explored": cluster >= 0}
            if cluster >= 0:
                entry["novel"] = cluster not in user_clusters
                entry["cluster"] = {"id": cluster, "description": clusters.descriptions[cluster]}
            items.append(entry)
        out = {} if request.user is None else {"user": request.user}
        out["items"] = items
        out["exploration"] = {"slots": slots, "historyClusters": distinct, "novelClusters": novel,
                              "fallback": fallback}
        return JSONResponse(out)

    return body_limit(app, server["maxRequestBytes"])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", required=True, help="RecommenderConfig YAML (as for the Java server)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, help="default: server.port of the config")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default 1)")
    parser.add_argument("--torch-threads", type=int, default=1, help="intra-op threads per worker (default 1)")
    args = parser.parse_args()
    server, _ = read_config(args.config)
    os.environ[CONFIG_ENV] = os.path.abspath(args.config)
    os.environ[THREADS_ENV] = str(args.torch_threads)
    uvicorn.run("server:create_app", factory=True, app_dir=os.path.dirname(os.path.abspath(__file__)),
                host=args.host, port=args.port or server["port"], workers=args.workers,
                log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
