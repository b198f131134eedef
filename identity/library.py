"""Saved clips: store a clip only under a grant that still holds, then feed, appearances and inbox.

Saving and publishing decide consent again inside the transaction that writes the
clip (`ConsentLedger.recheck_locked`), which is what makes a revoke racing with a
publish safe. The clip file is moved into place inside that transaction and
removed again if it does not commit, so a refused clip leaves no file behind.
"""
from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from identity.audit import append_event
from identity.clips import Clip, ClipCameoRow, ClipManifestRow, ClipRow, Notice, NoticeRow, StoredManifest, \
    delete_files, notify, remove_clip, to_clip
from identity.consent import ConsentLedger, Refusal
from identity.errors import IdentityError
from identity.store import Account, Store

CLIPS_DIR = "clips"
FEED_LIMIT = 50


@dataclass(frozen=True)
class SavedClip:
    clip: Clip
    path: Path


class ClipLibrary:
    def __init__(self, store: Store, ledger: ConsentLedger):
        self.store, self.ledger = store, ledger
        (store.media_dir / CLIPS_DIR).mkdir(parents=True, exist_ok=True)

    def path(self, clip: Clip) -> Path:
        return self.store.media_dir / clip.file

    def save(self, requester: Account, cameo_ids: list[str], src: Path, *, clip_id: str, prompt: str, meta: dict,
             publish: bool, remix_of: str | None = None, manifest=None) -> SavedClip | Refusal:
        """Store a finished clip (draft or published) if every cameo's consent still holds.

        manifest: the clip's signed Content Credentials (safety.provenance.SignedManifest), kept with
        it so that a copy stripped of them can have them recovered by its mark.
        On a refusal the file at `src` is deleted: a clip whose grant no longer
        holds is discarded, never shown.
        """
        rel = f"{CLIPS_DIR}/{clip_id}.mp4"
        dst = self.store.media_dir / rel
        status = "published" if publish else "draft"
        try:
            with self.store.session.begin() as s:
                refusal, consent, owners = self.ledger.recheck_locked(s, requester, cameo_ids, f"save:{status}")
                if refusal is not None:
                    return refusal
                now = time.time()
                row = ClipRow(id=clip_id, creator_id=requester.id, creator_handle=requester.handle, prompt=prompt,
                              status=status, file=rel, meta=json.dumps(meta, sort_keys=True), remix_of=remix_of,
                              created_at=now, published_at=now if publish else None)
                s.add(row)
                s.flush()
                if manifest is not None:
                    s.add(ClipManifestRow(clip_id=clip_id, manifest_store=manifest.manifest_store,
                                          report=manifest.report_json, signed_at=now))
                for cid, owner in zip(list(dict.fromkeys(cameo_ids)), owners):
                    s.add(ClipCameoRow(clip_id=clip_id, cameo_id=cid, owner_id=owner.id, owner_handle=owner.handle))
                    if owner.id != requester.id:
                        notify(s, owner.id, "used", f"@{requester.handle} made a {status} clip with your cameo", clip_id)
                append_event(s, "publish" if publish else "save", requester.handle, clip_id,
                             {"status": status, "consent": [[c.id, c.sha256] for c in consent]})
                shutil.move(src, dst)  # inside the transaction: a failed commit removes it below
                clip = to_clip(s, row)
        except BaseException:
            dst.unlink(missing_ok=True)
            raise
        finally:
            Path(src).unlink(missing_ok=True)
        return SavedClip(clip, dst)

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
        delete_files(self.store.media_dir, [file] if file else [])

    # reading ------------------------------------------------------------------
    def get(self, clip_id: str) -> Clip | None:
        with self.store.reader() as s:
            row = s.get(ClipRow, clip_id)
            return to_clip(s, row) if row else None

    def manifest(self, clip_id: str) -> StoredManifest | None:
        """The Content Credentials the studio signed for this clip, if it kept them."""
        with self.store.reader() as s:
            row = s.get(ClipManifestRow, clip_id)
            return StoredManifest(row.clip_id, row.manifest_store, row.report, row.signed_at) if row else None

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
