"""The identity index: in step with enrollments, re-recordings and revokes made by any process.

Each "process" here is a separate Store and IdentityIndex over the same database
(SQLite, and PostgreSQL where CI runs it). Faces come from real photos
(tests/cameo_factory.py); the scale tests use random vectors of the same shape.
"""
from __future__ import annotations

import os

import numpy as np
import pytest
from sqlalchemy import delete

from identity.challenge import issue_challenge
from identity.crypto import Cipher
from identity.enrollment import ALREADY_ENROLLED, Registry, _registry_failure
from identity.errors import IdentityError
from identity.faces import FaceTemplate
from identity.index import IdentityIndex
from identity.store import CameoChangeRow, NewCameo, Store
from identity.voices import VoiceEmbedding
from tests.cameo_factory import FIXTURES, PEOPLE, real_new_cameo


@pytest.fixture()
def two_processes(database_url, tmp_path):
    cipher = Cipher(os.urandom(32))
    a = Store(database_url, tmp_path / "media", cipher)
    b = Store(database_url, tmp_path / "media", cipher)
    yield a, b
    a.engine.dispose()
    b.engine.dispose()


def _enroll(store: Store, handle: str, new: NewCameo) -> str:
    account = store.get_or_create_account(handle, 1990)
    ch = issue_challenge(handle)
    store.save_challenge(ch)
    return store.add_cameo(account, ch, new)


@pytest.fixture(scope="module")
def people(backend):
    return {h: real_new_cameo(backend, FIXTURES / faces, FIXTURES / speech) for h, (faces, speech) in PEOPLE.items()}


def _probe(backend, new: NewCameo) -> np.ndarray:
    return backend.centroid(np.stack([t.vector for t in new.templates]))[None]


def test_an_enrollment_in_another_process_is_found_at_the_next_search(two_processes, backend, people):
    web, worker = two_processes
    index = IdentityIndex(web, backend)
    assert index.search(_probe(backend, people["alice"]))[0] == []
    cameo_id = _enroll(worker, "alice", people["alice"])
    best = index.search(_probe(backend, people["alice"]))[0][0]
    assert best.cameo_id == cameo_id and best.handle == "alice" and best.similarity >= backend.match_threshold


def test_a_revoked_cameo_leaves_every_index_at_the_next_search(two_processes, backend, people):
    web, worker = two_processes
    index = IdentityIndex(web, backend)
    alice, bob = _enroll(worker, "alice", people["alice"]), _enroll(worker, "bob", people["bob"])
    assert index.size == 0 and len(index.search(_probe(backend, people["alice"]), k=5)[0]) == 2
    worker.revoke_cameo(alice, actor="alice")
    assert [m.cameo_id for m in index.search(_probe(backend, people["alice"]), k=5)[0]] == [bob]
    assert index.scores_for(_probe(backend, people["alice"]), [alice])[0, 0] == -np.inf


def test_a_re_recorded_cameo_is_searched_with_its_new_face(two_processes, backend, people):
    web, worker = two_processes
    index = IdentityIndex(web, backend)
    cameo_id = _enroll(worker, "alice", people["alice"])
    assert index.search(_probe(backend, people["alice"]))[0][0].similarity >= backend.match_threshold
    account = worker.account("alice")
    ch = issue_challenge("alice")
    worker.save_challenge(ch)
    worker.replace_cameo(cameo_id, account, ch, people["bob"])  # the store allows it; enrollment would not
    best = index.search(_probe(backend, people["bob"]))[0][0]
    assert best.cameo_id == cameo_id and best.similarity >= backend.match_threshold
    assert index.size == 1


def test_an_index_behind_the_pruned_change_log_reloads_everything(two_processes, backend, people):
    web, worker = two_processes
    index = IdentityIndex(web, backend)
    index.sync()
    _enroll(worker, "alice", people["alice"])
    with worker.session.begin() as s:
        s.execute(delete(CameoChangeRow))  # as if the log had been pruned past this index
    assert index.search(_probe(backend, people["alice"]))[0][0].handle == "alice"


def test_templates_of_another_model_are_never_compared(two_processes, backend, people):
    web, worker = two_processes
    other = people["alice"].templates[0]
    foreign = NewCameo([FaceTemplate("insightface", "buffalo_l/w600k_r50", np.ones(512, np.float32))] * 3,
                       people["alice"].voice, [], {}, {})
    _enroll(worker, "alice", foreign)
    index = IdentityIndex(web, backend)
    index.sync()
    assert index.size == 0 and index.other_models == 1
    with pytest.raises(IdentityError, match="cannot be searched"):
        index.probe_vectors(foreign.templates)
    assert index.probe_vectors([other]).shape == (1, 128)


def _random_cameos(store: Store, backend, n: int, rng) -> list[str]:
    accounts = store.create_accounts_in_bulk([f"someone_{i}" for i in range(n)])
    batch = []
    for a in accounts:
        base = rng.normal(0, 0.09, 128).astype(np.float32)
        tpl = [FaceTemplate(backend.name, backend.model, base + rng.normal(0, 0.01, 128).astype(np.float32))
               for _ in range(3)]
        voice = VoiceEmbedding("resemblyzer", "x", rng.normal(size=256).astype(np.float32))
        batch.append((a, issue_challenge(a.handle), NewCameo(tpl, voice, [], {}, {})))
    return store.add_cameos_in_bulk(batch)


def test_the_approximate_index_finds_what_exact_search_finds_and_forgets_revoked_cameos(sqlite_store, backend):
    rng = np.random.default_rng(3)
    ids = _random_cameos(sqlite_store, backend, 600, rng)
    exact, approx = IdentityIndex(sqlite_store, backend), IdentityIndex(sqlite_store, backend, exact_max=100)
    exact.sync()
    approx.sync()
    assert approx.approximate and not exact.approximate
    probes = exact._matrix[:50] + rng.normal(0, 0.005, (50, 128)).astype(np.float32)
    # An approximate graph (built by several threads, so not the same graph twice) may miss a neighbour now and
    # then: CI saw 1 in 50 with a narrower search. What must hold is that it almost never does.
    found = [m[0].cameo_id for m in approx.search(probes, 1)]
    truth = [m[0].cameo_id for m in exact.search(probes, 1)]
    assert sum(a == b for a, b in zip(found, truth)) >= 49, (found, truth)
    gone = exact.search(probes[:1], 1)[0][0].cameo_id
    sqlite_store.revoke_cameo(gone, actor="test")
    assert gone not in {m.cameo_id for m in approx.search(probes[:1], 10)[0]}
    assert approx.size == len(ids) - 1


def test_a_look_alike_face_with_another_voice_is_not_taken_for_an_enrolled_person(sqlite_store, backend, people):
    _enroll(sqlite_store, "alice", people["alice"])
    index = IdentityIndex(sqlite_store, backend)
    # A face at distance 0.58 from alice's (similarity 0.42): above the 1:1 threshold, below the 1:N one,
    # where the heaviest impostor pairs of real photos lie (README "Calibration").
    delta = np.random.default_rng(1).normal(size=128).astype(np.float32)
    delta *= 0.58 / np.linalg.norm(delta)
    lookalike = [FaceTemplate(t.backend, t.model, t.vector + delta) for t in people["alice"].templates]
    best = index.search(_probe(backend, NewCameo(lookalike, people["bob"].voice, [], {}, {})))[0][0]
    assert backend.match_threshold <= best.similarity < backend.one_to_n_threshold
    assert _registry_failure(lookalike, people["bob"].voice, backend, Registry(index, None)) is None
    assert _registry_failure(lookalike, people["alice"].voice, backend, Registry(index, None)) == ALREADY_ENROLLED


def test_the_same_face_is_refused_whatever_the_voice(sqlite_store, backend, people):
    _enroll(sqlite_store, "alice", people["alice"])
    index = IdentityIndex(sqlite_store, backend)
    assert _registry_failure(people["alice"].templates, people["bob"].voice, backend,
                             Registry(index, None)) == ALREADY_ENROLLED
    own_account = sqlite_store.account("alice").id
    assert _registry_failure(people["alice"].templates, people["alice"].voice, backend,
                             Registry(index, None, exclude_account=own_account)) is None
