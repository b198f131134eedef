"""People, cameos and clips for the social studio's tests (reports, moderation, parents, visibility, feed).

Cameos here are stored the way enrollment stores them but from random templates
(tests/test_store.py `_new_cameo`): these rules never look at a face. Clip files
are random bytes; what is inside a clip is the pipeline's business, not these rules'.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from identity.clips import new_clip_id
from identity.consent import ConsentLedger
from identity.library import ClipLibrary, SavedClip
from identity.store import Account, Store
from tests.test_revocation import _enroll

YEAR = time.gmtime().tm_year
ADULT, TEEN = YEAR - 30, YEAR - 15


def person(store: Store, handle: str, birth_year: int = ADULT, cameo: bool = True, seed: int = 1) -> tuple[Account, str | None]:
    account = store.get_or_create_account(handle, birth_year)
    return account, (_enroll(store, handle, seed) if cameo else None)


def open_to_everyone(ledger: ConsentLedger, owner: Account, cameo_id: str) -> None:
    ledger.set_permission(owner, cameo_id, "everyone")


def mutuals(ledger: ConsentLedger, a: Account, b: Account) -> None:
    ledger.follow(a, b)
    ledger.follow(b, a)


def clip(library: ClipLibrary, creator: Account, cameo_ids: list[str], folder: Path, *, publish: bool = True,
         visibility: str = "public", remix_of: str | None = None, prompt: str = "waving on a beach",
         meta: dict | None = None) -> SavedClip:
    clip_id = new_clip_id()
    src = folder / f"{clip_id}.render"
    src.write_bytes(os.urandom(1024))
    saved = library.save(creator, cameo_ids, src, clip_id=clip_id, prompt=prompt, meta=meta or {"backend": "preview"},
                         publish=publish, remix_of=remix_of, visibility=visibility)
    assert isinstance(saved, SavedClip), saved
    return saved
