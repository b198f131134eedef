"""The identity index: every active cameo's face, decrypted once per process and searched in batches.

Who a face is must be answered against every cameo, for every enrollment (the
dedupe) and every face in every generated clip (the likeness firewall). Reading
and decrypting every cameo per request grows linearly and steeply with N; this
index holds one vector per cameo (the centroid of its templates, as the active
face backend defines it) in a float32 matrix, and answers a batch of probes
with one matrix product.

Kept in step across processes and machines by the store's change counter: every
enroll, re-record and revoke bumps it in the same transaction and logs the cameo
id. Before each search the index reads the counter (one indexed row); when it
moved, it re-reads just the changed cameos (or everything, if it fell further
behind than the log keeps). A revoked cameo is gone from every index at the
next search, in whichever process or machine it runs.

Exact search up to `exact_max` cameos; above, an HNSW graph (usearch) proposes
a shortlist by inner product of unit vectors and the exact score decides. The
exact search reads the whole matrix for every batch (1e5 x 256 floats is 100 MB):
measured on this shared 2-core machine, 0.15-0.2 s per batch at 1e5 under a
load of 8, memory-bound, hence the switch at 50,000. usearch rather than FAISS
or hnswlib: it removes a vector from the graph in place (a revoke needs no
rebuild; FAISS's HNSW cannot remove, and hnswlib needs a compiler here), it
ships wheels with no dependencies beyond NumPy-like numkong, and its licence is
Apache-2.0.

What is in memory, and for how long: per process, one centroid per active
cameo of the active face model (no voice, no crops), from the first search
until the process ends or the cameo changes; a revoked cameo's row is
overwritten at the next search. Voice embeddings are decrypted only for the
few cameos a dedupe shortlists, and dropped after the comparison.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from identity.faces import FaceBackend, FaceTemplate, made_by, unit_rows
from identity.store import IndexedCameo, Store

EXACT_MAX = 50_000
SHORTLIST = 64  # candidates the approximate graph proposes per probe, rescored exactly
SINGLE_THREAD_BUILD_MAX = 20_000  # cameos: up to here the approximate graph is built by one thread


@dataclass(frozen=True)
class Match:
    cameo_id: str
    account_id: str
    handle: str
    similarity: float


class IdentityIndex:
    """Search every active cameo's face; one per process, shared by enrollment and the firewall."""

    def __init__(self, store: Store, backend: FaceBackend, *, exact_max: int = EXACT_MAX):
        self.store, self.backend, self.exact_max = store, backend, exact_max
        self._lock = threading.RLock()
        self._version = -1
        self._slot: dict[str, int] = {}  # cameo id -> row of the matrix
        self._ids: list[str] = []
        self._accounts: list[str] = []
        self._handles: list[str] = []
        self._matrix = np.zeros((0, 0), np.float32)
        self._ann = None  # usearch Index, built when the index grows past exact_max
        self._keys: list[int] = []  # the ANN key of each row
        self._next_key = 0
        self._key_slot: dict[int, int] = {}
        self.other_models = 0  # active cameos enrolled with another face model: not searchable until re-enrolled
        self.last_sync_s = 0.0

    # keeping in step ----------------------------------------------------------
    def sync(self) -> None:
        """Bring the index up to the store's version; cheap (one read) when nothing changed."""
        with self._lock:
            start = time.perf_counter()
            if self._version >= 0:
                current = self.store.index_version()
                if current == self._version:
                    return
                changes = self.store.changes_since(self._version)
                if changes is not None:
                    self._apply(changes[0], list(dict.fromkeys(cid for _, cid, _ in changes[1])))
                    self.last_sync_s = time.perf_counter() - start
                    return
            self._reload()
            self.last_sync_s = time.perf_counter() - start

    def _reload(self) -> None:
        self._slot, self._ids, self._accounts, self._handles, self._keys = {}, [], [], [], []
        self._key_slot, self._ann, self.other_models = {}, None, 0
        self._matrix = np.zeros((1024, 0), np.float32)
        self._version = self.store.scan_indexed_cameos(self._put)
        self._rebuild_ann()

    def _apply(self, version: int, cameo_ids: list[str]) -> None:
        seen: set[str] = set()

        def put(c: IndexedCameo) -> None:
            seen.add(c.cameo_id)
            self._put(c)

        self.store.scan_indexed_cameos(put, cameo_ids)
        for cid in cameo_ids:
            if cid not in seen:
                self._remove(cid)
        self._version = version
        self._rebuild_ann()

    def _put(self, c: IndexedCameo) -> None:
        if (c.face_backend, c.face_model) != (self.backend.name, self.backend.model):
            self._remove(c.cameo_id)
            self.other_models += 1
            return
        vector = self.backend.centroid(c.templates).astype(np.float32)
        if self._matrix.shape[1] != vector.size:
            self._matrix = np.zeros((max(1024, len(self._ids) * 2), vector.size), np.float32)
        slot = self._slot.get(c.cameo_id)
        if slot is None:
            slot = len(self._ids)
            if slot == len(self._matrix):
                grown = np.zeros((2 * len(self._matrix), self._matrix.shape[1]), np.float32)
                grown[:slot] = self._matrix[:slot]
                self._matrix = grown
            self._slot[c.cameo_id] = slot
            self._ids.append(c.cameo_id)
            self._accounts.append(c.account_id)
            self._handles.append(c.handle)
            self._keys.append(self._new_key(slot))
        else:
            self._accounts[slot], self._handles[slot] = c.account_id, c.handle
            if self._ann is not None:  # re-recorded: a new vector under a new key
                self._ann.remove(self._keys[slot])
                del self._key_slot[self._keys[slot]]
                self._keys[slot] = self._new_key(slot)
        self._matrix[slot] = vector
        if self._ann is not None:
            self._ann.add(self._keys[slot], unit_rows(vector))

    def _new_key(self, slot: int) -> int:
        key = self._next_key
        self._next_key += 1
        self._key_slot[key] = slot
        return key

    def _remove(self, cameo_id: str) -> None:
        """Drop a cameo: its row is overwritten by the last one, so the live rows stay contiguous."""
        slot = self._slot.pop(cameo_id, None)
        if slot is None:
            return
        if self._ann is not None:
            self._ann.remove(self._keys[slot])
        del self._key_slot[self._keys[slot]]
        last = len(self._ids) - 1
        if slot != last:
            moved = self._ids[last]
            self._slot[moved] = slot
            for arr in (self._ids, self._accounts, self._handles, self._keys):
                arr[slot] = arr[last]
            self._key_slot[self._keys[slot]] = slot
            self._matrix[slot] = self._matrix[last]
        self._matrix[last] = 0.0  # the vector is not left behind in the spare capacity
        for arr in (self._ids, self._accounts, self._handles, self._keys):
            arr.pop()

    def _rebuild_ann(self) -> None:
        n = len(self._ids)
        if n <= self.exact_max:
            self._ann = None
            return
        if self._ann is not None:
            return  # kept in step by _put and _remove
        from usearch.index import Index

        self._ann = Index(ndim=self._matrix.shape[1], metric="ip", dtype="f32", connectivity=16,
                          expansion_add=128, expansion_search=SHORTLIST * 4)  # a wider search: recall matters more here
        # A graph built by several threads is not the same graph twice (CI saw it miss a near-duplicate now and
        # then); a small one is built by one thread, the same every time and still quick; a large one by all.
        threads = 1 if n <= SINGLE_THREAD_BUILD_MAX else 0
        self._ann.add(np.asarray(self._keys, np.uint64), unit_rows(self._matrix[:n]), threads=threads)

    # searching ------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self._ids)

    @property
    def approximate(self) -> bool:
        return self._ann is not None

    def memory_bytes(self) -> int:
        """The matrix (with its spare capacity), the ids, and the graph if there is one."""
        ids = sum(len(x) + 49 for x in self._ids) * 3
        ann = int(self._ann.memory_usage) if self._ann is not None else 0
        return int(self._matrix.nbytes) + ids + ann

    def probe_vectors(self, templates: list[FaceTemplate]) -> np.ndarray:
        """The templates as a probe matrix; refuses templates of another model (never compared)."""
        for t in templates:
            if not made_by(t, self.backend):
                from identity.errors import IdentityError

                raise IdentityError("model_mismatch", f"a face template made by {t.backend}/{t.model} cannot be "
                                    f"searched in an index of {self.backend.name}/{self.backend.model}")
        return np.stack([np.asarray(t.vector, np.float32) for t in templates])

    def search(self, probes: np.ndarray, k: int = 5) -> list[list[Match]]:
        """The k most similar cameos for each probe row, best first (exact scores)."""
        self.sync()
        probes = np.atleast_2d(np.asarray(probes, np.float32))
        with self._lock:
            n = len(self._ids)
            if n == 0:
                return [[] for _ in probes]
            if self._ann is None:
                scores = self.backend.similarity_matrix(probes, self._matrix[:n], b_prepared=True)
                rows = _top_k(scores, k)
                return [[self._match(j, scores[i, j]) for j in rows[i]] for i in range(len(probes))]
            found = self._ann.search(unit_rows(probes), min(SHORTLIST, n))
            keys = np.atleast_2d(found.keys)
            out = []
            for i in range(len(probes)):
                slots = np.array([self._key_slot[int(key)] for key in keys[i] if int(key) in self._key_slot], int)
                exact = self.backend.similarity_matrix(probes[i:i + 1], self._matrix[slots], b_prepared=True)[0]
                order = np.argsort(-exact)[:k]
                out.append([self._match(int(slots[j]), exact[j]) for j in order])
            return out

    def scores_for(self, probes: np.ndarray, cameo_ids: list[str], *, sync: bool = True) -> np.ndarray:
        """Exact scores of each probe with each of these cameos ((m, len(cameo_ids)); -inf where not indexed).
        `sync=False` right after a search of the same request saves a second look at the counter."""
        if sync:
            self.sync()
        probes = np.atleast_2d(np.asarray(probes, np.float32))
        with self._lock:
            out = np.full((len(probes), len(cameo_ids)), -np.inf, np.float32)
            cols = [(j, self._slot[c]) for j, c in enumerate(cameo_ids) if c in self._slot]
            if cols:
                js, slots = zip(*cols)
                out[:, list(js)] = self.backend.similarity_matrix(probes, self._matrix[list(slots)], b_prepared=True)
            return out

    def _match(self, slot: int, score: float) -> Match:
        return Match(self._ids[slot], self._accounts[slot], self._handles[slot], float(score))


def _top_k(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1)
    return np.take_along_axis(part, order, axis=1)
