"""Saved clips: store a clip only under a grant that still holds, then feed, appearances and inbox.

Saving and publishing decide consent again inside the transaction that writes the
clip (`ConsentLedger.recheck_locked`), which is what makes a revoke racing with a
publish safe. The clip is put into the media store inside that transaction and
deleted again if it does not commit, so a refused clip leaves no object behind.
A job's own guard (is it still this attempt's, not cancelled?) runs in the same
transaction, so a cancelled or superseded job stores nothing either.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from identity.audit import append_event
from identity.clips import Clip, ClipCameoRow, ClipRow, Notice, NoticeRow, delete_files, notify, remove_clip, to_clip
from identity.consent import ConsentLedger, Refusal
from identity.errors import IdentityError
from identity.store import Account, Store

CLIPS_DIR = "clips"
FEED_LIMIT = 50
CACHE_DIR = ".cache/clips"  # local copies of clips from a remote media store, under the media folder

# Runs inside the storing transaction; raises to refuse (a cancelled or superseded job).
SaveGuard = Callable[[Session], None]


@dataclass(frozen=True)
class SavedClip:
    clip: Clip
    path: Path | None  # the stored file where the media store is a local folder


class ClipLibrary:
    def __init__(self, store: Store, ledger: ConsentLedger):
        self.store, self.ledger = store, ledger
        self.cache_dir = store.media_dir / CACHE_DIR

    @property
    def objects(self):
        return self.store.objects

    def path(self, clip: Clip) -> Path:
        """A local file of the clip: the object itself in a local store, else a cached copy of it."""
        local = self.objects.local_path(clip.file)
        if local is not None:
            return local
        copy = self.cache_dir / f"{clip.id}.mp4"
        return copy if copy.is_file() else self.objects.download(clip.file, copy)

    def signed_url(self, clip: Clip, ttl_s: int) -> str | None:
        """A time-limited link to the clip's object in a bucket, for a browser to fetch from there;
        None for a local folder (or ttl_s 0). The player itself streams through the app (`path`):
        Gradio fetches a URL-valued video server-side, and a taken-down clip must stop playing at once."""
        return self.objects.signed_url(clip.file, ttl_s) if ttl_s else None

    def save(self, requester: Account, cameo_ids: list[str], src: Path, *, clip_id: str, prompt: str, meta: dict,
             publish: bool, remix_of: str | None = None, guard: SaveGuard | None = None) -> SavedClip | Refusal:
        """Store a finished clip (draft or published) if every cameo's consent still holds.

        On a refusal the file at `src` is deleted: a clip whose grant no longer
        holds is discarded, never shown. `guard`, if given, runs in the same
        transaction and raises to refuse (the job was cancelled or taken over).
        """
        rel = f"{CLIPS_DIR}/{clip_id}.mp4"
        status = "published" if publish else "draft"
        try:
            with self.store.session.begin() as s:
                refusal, consent, owners = self.ledger.recheck_locked(s, requester, cameo_ids, f"save:{status}")
                if refusal is not None:
                    return refusal
                if guard is not None:
                    guard(s)
                now = time.time()
                row = ClipRow(id=clip_id, creator_id=requester.id, creator_handle=requester.handle, prompt=prompt,
                              status=status, file=rel, meta=json.dumps(meta, sort_keys=True), remix_of=remix_of,
                              created_at=now, published_at=now if publish else None)
                s.add(row)
                s.flush()
                for cid, owner in zip(list(dict.fromkeys(cameo_ids)), owners):
                    s.add(ClipCameoRow(clip_id=clip_id, cameo_id=cid, owner_id=owner.id, owner_handle=owner.handle))
                    if owner.id != requester.id:
                        notify(s, owner.id, "used", f"@{requester.handle} made a {status} clip with your cameo", clip_id)
                append_event(s, "publish" if publish else "save", requester.handle, clip_id,
                             {"status": status, "consent": [[c.id, c.sha256] for c in consent]})
                self.objects.put_file(rel, Path(src))  # inside the transaction: a failed commit deletes it below
                clip = to_clip(s, row)
        except BaseException:
            self.objects.delete(rel)
            raise
        finally:
            Path(src).unlink(missing_ok=True)
        return SavedClip(clip, self.objects.local_path(rel))

    def publish(self, requester: Account, clip_id: str) -> Clip | Refusal:
        """Publish one's own draft, after deciding consent again for every cameo in it."""
        with self.store.session.begin() as s:
            row = self._own_clip(s, requester, clip_id)
            if row.status != "draft":
                raise IdentityError("clip_state", f"this clip is {row.status}, not a draft")
            cameo_ids = list(s.scalars(select(ClipCameoRow.cameo_id).where(ClipCameoRow.clip_id == clip_id)))
            refusal, consent, owners = self.ledger.recheck_locked(s, requester, cameo_ids, "publish")
            if refusal is not None:
                return refusal
            row.status, row.published_at = "published", time.time()
            for owner in owners:
                if owner.id != requester.id:
                    notify(s, owner.id, "used", f"@{requester.handle} published a clip with your cameo", clip_id)
            append_event(s, "publish", requester.handle, clip_id,
                         {"status": "published", "consent": [[c.id, c.sha256] for c in consent]})
            return to_clip(s, row)

    @staticmethod
    def _own_clip(s, requester: Account, clip_id: str) -> ClipRow:
        row = s.get(ClipRow, clip_id)
        if row is None or row.creator_id != requester.id:
            raise IdentityError("not_your_clip", "no such clip among yours")
        return row

    def delete(self, actor: Account, clip_id: str) -> None:
        """Its creator, or anyone who appears in it, may delete a clip."""
        with self.store.session.begin() as s:
            row = s.get(ClipRow, clip_id)
            if row is None or row.status == "removed":
                raise IdentityError("no_clip", "no such clip")
            featured = s.scalar(select(ClipCameoRow).where(ClipCameoRow.clip_id == clip_id,
                                                           ClipCameoRow.owner_id == actor.id))
            if row.creator_id != actor.id and featured is None:
                raise IdentityError("not_allowed", "only the clip's creator or someone in it can delete it")
            who = "its creator" if row.creator_id == actor.id else f"@{actor.handle}, who appears in it"
            file = remove_clip(s, row, f"deleted by {who}", actor.handle)
        delete_files(self.objects, [file] if file else [])
        (self.cache_dir / f"{clip_id}.mp4").unlink(missing_ok=True)

    # reading ------------------------------------------------------------------
    def get(self, clip_id: str) -> Clip | None:
        with self.store.reader() as s:
            row = s.get(ClipRow, clip_id)
            return to_clip(s, row) if row else None

    def feed(self, limit: int = FEED_LIMIT) -> list[Clip]:
        """Published clips, newest first."""
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).where(ClipRow.status == "published")
                             .order_by(ClipRow.published_at.desc()).limit(limit))
            return [to_clip(s, r) for r in rows]

    def made_by(self, creator: Account) -> list[Clip]:
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).where(ClipRow.creator_id == creator.id)
                             .order_by(ClipRow.created_at.desc()))
            return [to_clip(s, r) for r in rows]

    def appearances(self, owner: Account) -> list[Clip]:
        """Every clip and draft that features the owner's cameo, whoever made it."""
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).join(ClipCameoRow, ClipCameoRow.clip_id == ClipRow.id)
                             .where(ClipCameoRow.owner_id == owner.id).order_by(ClipRow.created_at.desc()))
            return [to_clip(s, r) for r in rows]

    def inbox(self, account: Account) -> list[Notice]:
        with self.store.reader() as s:
            rows = s.scalars(select(NoticeRow).where(NoticeRow.account_id == account.id)
                             .order_by(NoticeRow.created_at.desc()))
            return [Notice(r.id, r.kind, r.text, r.clip_id, r.created_at) for r in rows]
