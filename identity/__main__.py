"""Command line: `python -m identity {eval-faces,eval-voices,inspect,enroll,challenge,audit,grant-moderator,
revoke-moderator,invite}`.

These commands are also what our own evaluation runs; their JSON fields are kept stable.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path


INSPECT_MAX_SECONDS = 120.0


def _print(obj: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, indent=2, default=float))
    else:
        for k, v in obj.items():
            print(f"{k}: {v}")


def _backend(settings):
    from identity.faces import get_face_backend

    return get_face_backend(settings.face_backend, str(settings.insightface_root))


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore", category=UserWarning)  # pkg_resources notice from face models
    parser = argparse.ArgumentParser(prog="python -m identity", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("eval-faces", help="face verification accuracy on DIR/<identity>/<photos>")
    p.add_argument("dir", type=Path)
    p = sub.add_parser("eval-voices", help="speaker verification accuracy on DIR/<speaker>/<audio>")
    p.add_argument("dir", type=Path)
    p = sub.add_parser("inspect", help="what the verifier sees in a clip, without a challenge")
    p.add_argument("video", type=Path)
    p = sub.add_parser("enroll", help="verify a clip against a challenge file")
    p.add_argument("video", type=Path)
    p.add_argument("--challenge", type=Path, required=True)
    p.add_argument("--commit", action="store_true", help="on success store the cameo and use up the challenge")
    p = sub.add_parser("challenge", help="issue a challenge for HANDLE and print its JSON")
    p.add_argument("handle")
    p = sub.add_parser("audit", help="check the audit log of the configured database")
    p.add_argument("--verify", action="store_true", help="walk the hash chain and report the first bad entry")
    p = sub.add_parser("grant-moderator", help="make HANDLE a moderator (audit-logged)")
    p.add_argument("handle")
    p = sub.add_parser("revoke-moderator", help="take the moderator role from HANDLE (audit-logged)")
    p.add_argument("handle")
    p = sub.add_parser("invite", help="make invitation codes from the operator (CAMEO_INVITE_ONLY studios)")
    p.add_argument("--count", type=int, default=1)
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    from identity.errors import IdentityError
    from settings import load_settings

    settings = load_settings()
    try:
        return _run(args, settings)
    except IdentityError as exc:
        _print({"ok": False, "error": exc.code, "message": exc.message}, args.json)
        return 2


def _run(args, settings) -> int:
    from identity.challenge import challenge_from_json

    if args.command == "eval-faces":
        from identity.evaluation import evaluate_faces

        _print(evaluate_faces(args.dir, _backend(settings)), args.json)
        return 0
    if args.command == "eval-voices":
        from identity.evaluation import evaluate_voices

        _print(evaluate_voices(args.dir), args.json)
        return 0
    if args.command == "inspect":
        from identity.challenge import consent_sentence
        from identity.enrollment import analyse_clip, inspect_report
        from identity.media import load_clip

        start = time.perf_counter()
        # Any clip, not only a valid enrollment: longer and silent clips are inspected too.
        clip = load_clip(args.video, max_seconds=max(settings.max_clip_seconds, INSPECT_MAX_SECONDS),
                         max_bytes=settings.max_upload_bytes, require_audio=False)
        # No challenge: expect the studio's consent sentence, whatever the name in it.
        report = inspect_report(analyse_clip(clip, _backend(settings), consent_sentence("")))
        report["seconds_to_process"] = round(time.perf_counter() - start, 2)  # decoding included
        _print(report, args.json)
        return 0
    if args.command in ("grant-moderator", "revoke-moderator"):
        from identity.roles import grant_role, revoke_role
        from identity.service import open_store

        granted = args.command == "grant-moderator"
        account = (grant_role if granted else revoke_role)(open_store(settings), args.handle)
        _print({"ok": True, "handle": account.handle, "role": "moderator", "granted": granted}, args.json)
        return 0
    if args.command == "invite":
        from identity.invites import operator_codes
        from identity.service import open_store

        _print({"ok": True, "codes": [i.code for i in operator_codes(open_store(settings), args.count)]}, args.json)
        return 0
    if args.command == "audit":
        from identity.service import open_store

        check = open_store(settings).verify_audit_chain()
        print(json.dumps({"entries": check.entries, "chain_ok": check.ok, "first_bad_entry": check.first_bad_seq})
              if args.json else (f"{check.entries} entries, chain " + ("intact" if check.ok else
                                 f"broken at entry {check.first_bad_seq}: {check.reason}")))
        return 0 if check.ok else 1
    from identity.service import build_enroller

    enroller = build_enroller(settings)
    if args.command == "challenge":
        print(enroller.new_challenge(args.handle).to_json())
        return 0
    if not args.challenge.is_file():
        from identity.errors import IdentityError

        raise IdentityError("no_challenge", f"no challenge file at {args.challenge}")
    challenge = challenge_from_json(args.challenge.read_text())
    start = time.perf_counter()
    if args.commit:
        verdict = enroller.enroll(args.video, challenge, source="upload")
    else:
        verdict, _ = enroller.verify(args.video, challenge, source="upload")
    out = verdict.to_dict()
    out["seconds_to_process"] = round(time.perf_counter() - start, 2)
    _print(out, args.json)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
