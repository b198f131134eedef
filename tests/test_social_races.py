"""The social studio's counts and decisions hold when people act at the same moment (threads; SQLite and
PostgreSQL): the last owner to approve publishes, a daily limit is never exceeded, one review case per clip."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from identity.consent import ConsentLedger
from identity.errors import IdentityError
from identity.library import ClipLibrary
from identity.limits import admit_generation
from identity.moderation import Moderation, ReviewCaseRow
from identity.rules import CommunityRules
from tests.social import clip, open_to_everyone, person

THREADS = 6


def _together(calls) -> list:
    """Run the calls in threads released at once; their results (or the errors they raised)."""
    gate, out = threading.Barrier(len(calls)), [None] * len(calls)

    def run(k, call):
        gate.wait()
        try:
            out[k] = call()
        except IdentityError as exc:
            out[k] = exc

    threads = [threading.Thread(target=run, args=(k, c)) for k, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def test_owners_approving_at_once_publish_the_clip(store, tmp_path):
    ledger = ConsentLedger(store)
    library = ClipLibrary(store, ledger)
    owners = [person(store, h, seed=k + 1) for k, h in enumerate(("ann", "ben", "cat"))]
    for acc, cid in owners:
        open_to_everyone(ledger, acc, cid)
        ledger.set_publication_approval(acc, cid, True)
    dan, _ = person(store, "dan", cameo=False)
    for _ in range(3):
        saved = clip(library, dan, [cid for _, cid in owners], tmp_path)
        assert saved.clip.status == "pending"
        _together([lambda acc=acc: library.approve_publication(acc, saved.clip.id) for acc, _ in owners])
        assert library.get(saved.clip.id).status == "published"


def test_a_daily_limit_holds_against_jobs_started_together(store):
    store.rules = CommunityRules(generations_per_day_new=3)
    ann, _ = person(store, "ann", cameo=False)
    results = _together([lambda: admit_generation(store, ann) for _ in range(THREADS)])
    assert sum(not isinstance(r, IdentityError) for r in results) == 3
    assert {r.code for r in results if isinstance(r, IdentityError)} == {"limit_daily"}


def test_reports_arriving_together_open_one_case_and_hide_the_clip(store, tmp_path):
    ledger = ConsentLedger(store)
    library = ClipLibrary(store, ledger)
    ann, cid = person(store, "ann")
    open_to_everyone(ledger, ann, cid)
    ben, _ = person(store, "ben", cameo=False)
    c = clip(library, ben, [cid], tmp_path).clip
    reporters = [person(store, f"r{k}", cameo=False)[0] for k in range(THREADS)]
    mod = Moderation(store)
    results = _together([lambda r=r: mod.report(r, c.id, "hate") for r in reporters])
    assert not any(isinstance(r, IdentityError) for r in results)
    with store.reader() as s:
        assert s.scalar(select(func.count()).select_from(ReviewCaseRow).where(ReviewCaseRow.clip_id == c.id)) == 1
    assert library.get(c.id).hidden and store.verify_audit_chain().ok
