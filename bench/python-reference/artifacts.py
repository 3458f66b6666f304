"""Readers of the serving artifacts the recommender server loads (formats: docs/formats.md, docs/models.md).

Each reader verifies before it loads, as the Java runtime does: the manifest's sha256 of every listed file,
the novelty table's header, size, CRC32C and cluster fingerprint, and that the model and the cluster set list
the same items in the same order. A broken artifact raises ArtifactError naming the file.
"""
import hashlib
import json
import os
import struct

import crc32c
import numpy as np
import torch


class ArtifactError(Exception):
    pass


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_manifest(directory, kind):
    """Checks manifest.json's kind and the sha256 of every file it lists."""
    path = os.path.join(directory, "manifest.json")
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        raise ArtifactError(f"{path}: unreadable manifest: {e}") from e
    if manifest.get("kind") != kind:
        raise ArtifactError(f"artifact {directory} has kind '{manifest.get('kind')}', expected '{kind}'")
    files = manifest.get("files") or {}
    if not files:
        raise ArtifactError(f"{path}: field 'files' lists no files")
    for name, expected in files.items():
        file = os.path.join(directory, name)
        if not os.path.isfile(file):
            raise ArtifactError(f"{directory}: file '{name}' listed in the manifest is missing")
        actual = sha256(file)
        if actual != expected:
            raise ArtifactError(f"{directory}: file '{name}' has sha256 {actual} but the manifest says {expected}")
    return manifest


def read_items(path):
    """One id per line, in index order (as ItemIndex.read: every line is an id, ids unique and non-empty)."""
    with open(path, encoding="utf-8") as f:
        ids = f.read().split("\n")
    if ids and ids[-1] == "":
        ids.pop()
    index = {}
    for i, item in enumerate(ids):
        item = item.rstrip("\r")
        if not item:
            raise ArtifactError(f"invalid item index {path}: item id at index {i} is empty")
        if index.setdefault(item, i) != i:
            raise ArtifactError(f"invalid item index {path}: duplicate item id '{item}'")
    return list(index), index


class ClusterSet:
    """Serving level of a cluster artifact: item -> cluster, members per cluster (ascending), descriptions."""

    def __init__(self, directory):
        verify_manifest(directory, "clusters")
        self.ids, self.index = read_items(os.path.join(directory, "items.txt"))
        clusters_file = os.path.join(directory, "clusters.json")
        with open(clusters_file, "rb") as f:
            raw = f.read()
        self.fingerprint = hashlib.sha256(raw).hexdigest()
        document = json.loads(raw)
        try:
            level = document["levels"][document["servingLevel"]]
            self.assignment = np.asarray(level["assignment"], dtype=np.int64)
            self.descriptions = [", ".join(words) for words in level["keywords"]]
        except (KeyError, IndexError, TypeError) as e:
            raise ArtifactError(f"{clusters_file}: invalid cluster set: {e!r}") from e
        count = len(self.descriptions)
        if self.assignment.shape != (len(self.ids),):
            raise ArtifactError(f"{clusters_file}: 'assignment' must have one entry per item ({len(self.ids)})")
        if count < 1 or self.assignment.min() < 0 or self.assignment.max() >= count:
            raise ArtifactError(f"{clusters_file}: an item is assigned to a cluster outside 0..{count - 1}")
        self.cluster_count = count
        # stable sort keeps ascending item index within a cluster, as ClusterSet.itemsOf
        order = np.argsort(self.assignment, kind="stable")
        bounds = np.searchsorted(self.assignment[order], np.arange(count + 1))
        self.members = [order[bounds[c]:bounds[c + 1]] for c in range(count)]


class NoveltyTable:
    """A complete novelty-table.bin: rows of top-n novel clusters per history of 0..k distinct clusters."""

    HEADER = struct.Struct("<8siiiiqqq32sQ8s")  # 96 bytes, little-endian
    MAGIC = b"SRNDNOVT"

    def __init__(self, path, clusters):
        if os.path.isdir(path):
            verify_manifest(path, "novelty-table")
            path = os.path.join(path, "novelty-table.bin")
        with open(path, "rb") as f:
            data = f.read()
        if len(data) < self.HEADER.size:
            raise ArtifactError(f"{path}: truncated header ({len(data)} of {self.HEADER.size} bytes)")
        magic, version, c, k, top_n, total, start, end, fingerprint, checksum, _ = self.HEADER.unpack_from(data)
        if magic != self.MAGIC:
            raise ArtifactError(f"{path}: not a novelty table (bad magic)")
        if version != 1:
            raise ArtifactError(f"{path}: unsupported format version {version} (expected 1)")
        if c < 1 or k < 1 or k > c or top_n < 1:
            raise ArtifactError(f"{path}: invalid cluster count {c} / history length {k} / top-n {top_n}")
        self.section_start = [0]
        permutations = 1
        for j in range(k + 1):
            self.section_start.append(self.section_start[-1] + permutations)
            permutations *= c - j
        if total != self.section_start[-1]:
            raise ArtifactError(f"{path}: header says {total} rows but C={c}, k={k} needs {self.section_start[-1]}")
        if start != 0 or end != total:
            raise ArtifactError(f"{path}: holds only rows {start}..{end} of {total} (a shard); merge the shards first")
        expected = self.HEADER.size + total * top_n * 4
        if len(data) != expected:
            raise ArtifactError(f"{path}: {'truncated' if len(data) < expected else 'trailing bytes'}"
                                f" ({len(data)} bytes, expected {expected})")
        if crc32c.crc32c(data[self.HEADER.size:], crc32c.crc32c(data[:80])) != checksum:
            raise ArtifactError(f"{path}: checksum mismatch (file is corrupt)")
        if c != clusters.cluster_count:
            raise ArtifactError(f"{path}: built for {c} clusters, the cluster set has {clusters.cluster_count}")
        if fingerprint.hex() != clusters.fingerprint:
            raise ArtifactError(f"{path}: built for cluster set {fingerprint.hex()}, not for {clusters.fingerprint}")
        self.cluster_count, self.history_length, self.top_n = c, k, top_n
        self.rows = np.frombuffer(data, dtype="<i4", offset=self.HEADER.size).reshape(total, top_n)

    def row_of(self, distinct):
        """Row of a history of 0..k distinct clusters (oldest first): mixed-radix rank within its section."""
        rank = 0
        for i, cluster in enumerate(distinct):
            digit = cluster - sum(1 for earlier in distinct[:i] if earlier < cluster)
            rank = rank * (self.cluster_count - i) + digit
        return self.section_start[len(distinct)] + rank

    def novel_clusters(self, distinct):
        row = self.rows[self.row_of(distinct)]
        return [int(cluster) for cluster in row if cluster >= 0]


class Recommender:
    """An imported TorchScript recommender artifact: history tokens -> user state; scores = item vectors . state."""

    def __init__(self, directory, clusters):
        verify_manifest(directory, "recommender")
        descriptor_file = os.path.join(directory, "model.json")
        if not os.path.isfile(descriptor_file):
            raise ArtifactError(f"{directory}: no model.json; only imported TorchScript artifacts are served here")
        with open(descriptor_file, encoding="utf-8") as f:
            descriptor = json.load(f)
        if descriptor.get("format") != "torchscript":
            raise ArtifactError(f"{descriptor_file}: format '{descriptor.get('format')}', expected 'torchscript'")
        self.max_length = int(descriptor["maxLength"])
        ids, _ = read_items(os.path.join(directory, "items.txt"))
        if ids != clusters.ids:
            raise ArtifactError(f"{directory}: items.txt lists other items (or another order) than the cluster set")
        self.vectors = np.load(os.path.join(directory, "item-vectors.npy"))
        if self.vectors.dtype != np.float32 or self.vectors.shape != (len(ids), descriptor["dimension"]):
            raise ArtifactError(f"{directory}: item-vectors.npy is {self.vectors.dtype} {self.vectors.shape},"
                                f" expected float32 [{len(ids)}, {descriptor['dimension']}]")
        self.model = torch.jit.load(os.path.join(directory, "model.pt"), map_location="cpu").eval()

    def encode(self, history):
        """User state of a history of item indices (oldest first; the last maxLength count), float32 [d]."""
        window = history[-self.max_length:]
        tokens = torch.zeros(1, self.max_length, dtype=torch.long)
        tokens[0, self.max_length - len(window):] = torch.tensor(window, dtype=torch.long) + 1
        with torch.inference_mode():
            return self.model(tokens)[0].numpy()
