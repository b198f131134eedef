"""Saved clips: store a clip only under a grant that still holds, then publish, show and list it.

Saving and publishing decide consent again inside the transaction that writes the
clip (`ConsentLedger.recheck_locked`), which is what makes a revoke racing with a
publish safe; in the same transaction `identity.publication` decides whether the
clip may go out now (owners' approvals, a parent's switch). The clip is put into
the media store inside that transaction and deleted again if it does not commit,
so a refused clip leaves no object behind. A job's own guard (is it still this
attempt's, not cancelled?) runs in the same transaction, so a cancelled or
superseded job stores nothing either. Who may see a clip is `identity.visibility`.
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
from identity.clips import CACHE_DIR, Clip, ClipCameoRow, ClipManifestRow, ClipRow, Notice, NoticeRow, StoredManifest, \
    delete_files, notify, notify_message, remove_clip, to_clip, to_clips
from identity.consent import ConsentLedger, Refusal
from identity.errors import IdentityError
from identity.limits import Allowance, admit_generation, allowance
from identity.messages import Catalog, Message
from identity.publication import TEXTS as PUBLISHING, PublicationApprovalRow, ask_owners, featured_owner_ids, \
    not_yet_approved, publishing_blocked, still_waiting
from identity.store import Account, AccountRow, Store
from identity.visibility import check_visibility, listed, may_view, wider

CLIPS_DIR = "clips"
FEED_LIMIT = 50

# Runs inside the storing transaction; raises to refuse (a cancelled or superseded job).
SaveGuard = Callable[[Session], None]

TEXTS = Catalog({
    "clip_not_found": "no such clip, or it is not yours to see",
    "not_your_clip": "no such clip among yours",
    "clip_state": "this clip is {status}, not a draft",
    "clip_not_waiting": "this clip is not waiting for your approval",
    "clip_not_remixable": "only a published clip you can see can be remixed",
    "clip_removed_cannot_change": "this clip was removed",
})


class PublicationError(IdentityError):
    """A clip that cannot be published or shown as asked."""


@dataclass(frozen=True)
class SavedClip:
    clip: Clip
    path: Path | None  # the stored file where the media store is a local folder
    note: Message | None = None  # why a clip asked to be published is not (yet): awaiting approval, parent's switch


@dataclass(frozen=True)
class ApprovalRequest:
    clip: Clip
    creator_handle: str
    visibility: str
    requested_at: float


def _account(s: Session, account_id: str) -> Account:
    row = s.get(AccountRow, account_id)
    return Account(row.id, row.handle, row.birth_year)


class ClipLibrary:
    def __init__(self, store: Store, ledger: ConsentLedger):
        self.store, self.ledger = store, ledger
        self.cache_dir = store.media_dir / CACHE_DIR

    @property
    def objects(self):
        return self.store.objects

    def path(self, clip: Clip) -> Path:
        """A local file of the clip: the object itself in a local store, else a cached copy of it."""
        return self.objects.local_copy(clip.file, self.cache_dir / f"{clip.id}.mp4")

    def signed_url(self, clip: Clip, ttl_s: int) -> str | None:
        """A time-limited link to the clip's object in a bucket, for a browser to fetch from there;
        None for a local folder (or ttl_s 0). The player itself streams through the app (`path`):
        Gradio fetches a URL-valued video server-side, and a taken-down clip must stop playing at once."""
        return self.objects.signed_url(clip.file, ttl_s) if ttl_s else None

    # generation allowance ------------------------------------------------------
    def admit_generation(self, account: Account) -> Allowance:
        """Where a job is authorised: refuse a suspended account or one past its daily limit; count this one."""
        return admit_generation(self.store, account)

    def allowance(self, account: Account) -> Allowance:
        return allowance(self.store, account)

    # storing and publishing ----------------------------------------------------
    def _go_out(self, s: Session, creator: Account, row: ClipRow, cameo_ids: list[str]) -> Message | None:
        """Publish now, or say why not: a parent's switch (the clip stays a draft) or owners to approve."""
        owners = featured_owner_ids(s, row.id)
        blocked = publishing_blocked(s, creator, owners)
        if blocked is not None:
            row.status = "draft"
            return blocked
        waiting = not_yet_approved(s, row.id, self.ledger.approvals_needed(s, creator, cameo_ids), row.visibility)
        if waiting:
            return ask_owners(s, row, creator, waiting)
        row.status, row.published_at = "published", time.time()
        return None

    def save(self, requester: Account, cameo_ids: list[str], src: Path, *, clip_id: str, prompt: str, meta: dict,
             publish: bool, remix_of: str | None = None, guard: SaveGuard | None = None,
             visibility: str = "public", manifest=None) -> SavedClip | Refusal:
        """Store a finished clip (draft or published) if every cameo's consent still holds.

        manifest: the clip's signed Content Credentials (safety.provenance.SignedManifest), kept with
        it so that a copy stripped of them can have them recovered by its mark.
        On a refusal the file at `src` is deleted: a clip whose grant no longer
        holds is discarded, never shown. `guard`, if given, runs in the same
        transaction and raises to refuse (the job was cancelled or taken over).
        A clip asked to be published that may not go out yet is kept (a draft, or
        pending approval) and `note` says why.
        """
        check_visibility(visibility)  # bad input changes nothing: the render stays where it is
        rel = f"{CLIPS_DIR}/{clip_id}.mp4"
        try:
            with self.store.session.begin() as s:
                refusal, consent, owners = self.ledger.recheck_locked(s, requester, cameo_ids, "save")
                if refusal is not None:
                    return refusal
                if guard is not None:
                    guard(s)
                now = time.time()
                row = ClipRow(id=clip_id, creator_id=requester.id, creator_handle=requester.handle, prompt=prompt,
                              status="draft", file=rel, meta=json.dumps(meta, sort_keys=True), remix_of=remix_of,
                              created_at=now, published_at=None, visibility=visibility)
                s.add(row)
                s.flush()
                if manifest is not None:
                    s.add(ClipManifestRow(clip_id=clip_id, manifest_store=manifest.manifest_store,
                                          report=manifest.report_json, signed_at=now))
                for cid, owner in zip(list(dict.fromkeys(cameo_ids)), owners):
                    s.add(ClipCameoRow(clip_id=clip_id, cameo_id=cid, owner_id=owner.id, owner_handle=owner.handle))
                s.flush()
                note = self._go_out(s, requester, row, cameo_ids) if publish else None
                for owner in owners:
                    if owner.id != requester.id:
                        notify(s, owner.id, "used", f"@{requester.handle} made a {row.status} clip with your cameo",
                               clip_id, {"creator": requester.handle, "status": row.status})
                append_event(s, "publish" if row.status == "published" else "save", requester.handle, clip_id,
                             {"status": row.status, "visibility": visibility,
                              "consent": [[c.id, c.sha256] for c in consent]})
                self.objects.put_file(rel, Path(src))  # inside the transaction: a failed commit deletes it below
                clip = to_clip(s, row)
        except BaseException:
            self.objects.delete(rel)
            raise
        finally:
            Path(src).unlink(missing_ok=True)
        return SavedClip(clip, self.objects.local_path(rel), note)

    def publish(self, requester: Account, clip_id: str, visibility: str | None = None) -> Clip | Refusal:
        """Publish one's own draft, after deciding consent again for every cameo in it.

        The clip comes back published, or pending while featured owners approve it.
        """
        with self.store.session.begin() as s:
            row = self._own_clip(s, requester, clip_id)
            if row.status != "draft":
                raise TEXTS.error(PublicationError, "clip_state", status=row.status)
            if visibility is not None:
                row.visibility = check_visibility(visibility)
            cameo_ids = list(s.scalars(select(ClipCameoRow.cameo_id).where(ClipCameoRow.clip_id == clip_id)))
            refusal, consent, owners = self.ledger.recheck_locked(s, requester, cameo_ids, "publish")
            if refusal is not None:
                return refusal
            blocked = publishing_blocked(s, requester, [o.id for o in owners])
            if blocked is not None:
                raise PublicationError(blocked.code, blocked.text, blocked.params)
            self._go_out(s, requester, row, cameo_ids)
            if row.status == "published":
                for owner in owners:
                    if owner.id != requester.id:
                        notify(s, owner.id, "used", f"@{requester.handle} published a clip with your cameo", clip_id,
                               {"creator": requester.handle, "status": row.status})
            append_event(s, "publish", requester.handle, clip_id,
                         {"status": row.status, "visibility": row.visibility,
                          "consent": [[c.id, c.sha256] for c in consent]})
            return to_clip(s, row)

    def set_visibility(self, requester: Account, clip_id: str, visibility: str) -> Clip:
        """The creator changes who may see a clip; widening a published one asks approving owners again."""
        check_visibility(visibility)
        with self.store.session.begin() as s:
            row = self._own_clip(s, requester, clip_id)
            if row.status == "removed":
                raise TEXTS.error(PublicationError, "clip_removed_cannot_change")
            before, row.visibility = row.visibility, visibility
            if row.status in ("published", "pending") and wider(visibility, before):
                cameo_ids = list(s.scalars(select(ClipCameoRow.cameo_id).where(ClipCameoRow.clip_id == clip_id)))
                waiting = not_yet_approved(s, row.id, self.ledger.approvals_needed(s, requester, cameo_ids),
                                           visibility)
                if waiting:
                    ask_owners(s, row, requester, waiting)
            append_event(s, "visibility", requester.handle, clip_id, {"from": before, "to": visibility,
                                                                     "status": row.status})
            return to_clip(s, row)

    # the owners' approval queue ------------------------------------------------
    def approvals_for(self, owner: Account) -> list[ApprovalRequest]:
        """Clips featuring the owner's cameo that wait for their approval, oldest first."""
        with self.store.reader() as s:
            q = (select(PublicationApprovalRow, ClipRow).join(ClipRow, ClipRow.id == PublicationApprovalRow.clip_id)
                 .where(PublicationApprovalRow.owner_id == owner.id, PublicationApprovalRow.status == "pending",
                        ClipRow.status == "pending").order_by(PublicationApprovalRow.requested_at))
            pairs = list(s.execute(q))
            clips = to_clips(s, [row for _, row in pairs])
            return [ApprovalRequest(c, c.creator_handle, ask.visibility, ask.requested_at)
                    for (ask, _), c in zip(pairs, clips)]

    def _waiting_for(self, s: Session, owner: Account, clip_id: str) -> tuple[ClipRow, PublicationApprovalRow]:
        """Lock the clip's cameos, then the clip (the order a revoke takes them), so that owners answering at
        the same time are decided one after the other and the last one publishes."""
        cameo_ids = s.scalars(select(ClipCameoRow.cameo_id).where(ClipCameoRow.clip_id == clip_id))
        self.ledger.lock_cameos(s, list(cameo_ids))
        row = s.get(ClipRow, clip_id, with_for_update=True)
        ask = s.get(PublicationApprovalRow, (clip_id, owner.id))
        if ask is None or ask.status != "pending" or row is None or row.status != "pending":
            raise TEXTS.error(PublicationError, "clip_not_waiting")
        return row, ask

    def approve_publication(self, owner: Account, clip_id: str) -> Clip:
        """The owner approves; when nobody else is waited for, consent is decided again and the clip goes out."""
        with self.store.session.begin() as s:
            row, ask = self._waiting_for(s, owner, clip_id)
            ask.status, ask.decided_at = "approved", time.time()
            append_event(s, "publication", owner.handle, clip_id, {"step": "approve", "visibility": ask.visibility})
            if still_waiting(s, clip_id) or row.creator_id is None:
                return to_clip(s, row)
            creator = _account(s, row.creator_id)
            cameo_ids = list(s.scalars(select(ClipCameoRow.cameo_id).where(ClipCameoRow.clip_id == clip_id)))
            refusal, consent, owners = self.ledger.recheck_locked(s, creator, cameo_ids, "publish")
            why = next(iter(refusal.messages.values())) if refusal is not None else \
                publishing_blocked(s, creator, [o.id for o in owners])
            if why is not None:
                row.status = "draft"
                notify_message(s, creator.id, PUBLISHING.message("notice_publication_refused", clip=clip_id,
                                                                 reason=why.text), clip_id)
                return to_clip(s, row)
            row.status, row.published_at = "published", time.time()
            append_event(s, "publish", creator.handle, clip_id,
                         {"status": "published", "visibility": row.visibility, "approved": True,
                          "consent": [[c.id, c.sha256] for c in consent]})
            notify_message(s, creator.id, PUBLISHING.message("notice_publication_approved", clip=clip_id), clip_id)
            return to_clip(s, row)

    def decline_publication(self, owner: Account, clip_id: str) -> Clip:
        """The owner declines: the clip goes back to a draft (its creator may delete it or ask again)."""
        with self.store.session.begin() as s:
            row, ask = self._waiting_for(s, owner, clip_id)
            ask.status, ask.decided_at = "declined", time.time()
            for other in s.scalars(select(PublicationApprovalRow).where(
                    PublicationApprovalRow.clip_id == clip_id, PublicationApprovalRow.status == "pending")):
                other.status, other.decided_at = "declined", time.time()  # nothing left to approve
            row.status = "draft"
            append_event(s, "publication", owner.handle, clip_id, {"step": "decline"})
            if row.creator_id:
                notify_message(s, row.creator_id, PUBLISHING.message("notice_publication_declined",
                                                                     owner=owner.handle, clip=clip_id), clip_id)
            return to_clip(s, row)

    @staticmethod
    def _own_clip(s, requester: Account, clip_id: str) -> ClipRow:
        row = s.get(ClipRow, clip_id)
        if row is None or row.creator_id != requester.id:
            raise TEXTS.error(IdentityError, "not_your_clip")
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
        """The clip's record whoever asks (for the studio's own checks); people see clips through `view`."""
        with self.store.reader() as s:
            row = s.get(ClipRow, clip_id)
            return to_clip(s, row) if row else None

    def manifest(self, clip_id: str) -> StoredManifest | None:
        """The Content Credentials the studio signed for this clip, if it kept them."""
        with self.store.reader() as s:
            row = s.get(ClipManifestRow, clip_id)
            return StoredManifest(row.clip_id, row.manifest_store, row.report, row.signed_at) if row else None

    def view(self, viewer: Account | None, clip_id: str) -> Clip:
        """The clip, if this viewer may see it (identity.visibility); otherwise the same error as no clip."""
        with self.store.reader() as s:
            row = s.get(ClipRow, clip_id)
            if row is None or not may_view(s, viewer.id if viewer else None, row):
                raise TEXTS.error(PublicationError, "clip_not_found")
            return to_clip(s, row)

    def remix_source(self, viewer: Account, clip_id: str) -> Clip:
        """The clip a remix starts from: published and visible to the remixer."""
        clip = self.view(viewer, clip_id) if clip_id else None
        if clip is None or clip.status != "published" or clip.hidden:
            raise TEXTS.error(PublicationError, "clip_not_remixable")
        return clip

    def feed(self, limit: int = FEED_LIMIT) -> list[Clip]:
        """Public published clips, newest first (what anyone may see; `identity.feed` ranks for a person)."""
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).where(listed(None)).order_by(ClipRow.published_at.desc()).limit(limit))
            return to_clips(s, list(rows))

    def made_by(self, creator: Account) -> list[Clip]:
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).where(ClipRow.creator_id == creator.id)
                             .order_by(ClipRow.created_at.desc()))
            return to_clips(s, list(rows))

    def appearances(self, owner: Account) -> list[Clip]:
        """Every clip and draft that features the owner's cameo, whoever made it."""
        with self.store.reader() as s:
            rows = s.scalars(select(ClipRow).join(ClipCameoRow, ClipCameoRow.clip_id == ClipRow.id)
                             .where(ClipCameoRow.owner_id == owner.id).order_by(ClipRow.created_at.desc()))
            return to_clips(s, list(rows))

    def inbox(self, account: Account) -> list[Notice]:
        with self.store.reader() as s:
            rows = s.scalars(select(NoticeRow).where(NoticeRow.account_id == account.id)
                             .order_by(NoticeRow.created_at.desc()))
            return [Notice(r.id, r.kind, r.text, r.clip_id, r.created_at, json.loads(r.params or "{}")) for r in rows]
