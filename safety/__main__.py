"""Command line: `python -m safety check-prompt [--json] [--cameo HANDLE]... [--strict] (TEXT | --file FILE)`
`python -m safety verify CLIP [--json]`, and `python -m safety train-policy [--out FILE]` (trains the
prompt policy's learned head on tests/data and prints its cross-validated figures; needs the dev
requirements).

Exit status: 0 when every prompt is allowed (verify: the clip read), 1 when any is refused (verify: the
credentials are invalid or the clip was taken down), 2 on a usage error. Each
subcommand is one function `_<name>(args) -> int` registered in `_parser`; add another the same way.
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

EXIT_ALLOWED, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep it explicit for the contract
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _print(obj: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, ensure_ascii=False))
    else:
        verdict = "allowed" if obj["allowed"] else "refused (" + ", ".join(obj["categories"]) + ")"
        print(f"{verdict}: {obj['reason']}")


def _check_prompt(args: argparse.Namespace) -> int:
    from safety.errors import SafetyError
    from safety.policy import check_prompt

    if (args.text is None) == (args.file is None):
        print("give either TEXT or --file FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.file is not None:
        try:
            prompts = [line.strip() for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
        except OSError as exc:
            print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    else:
        prompts = [args.text]
    refused = False
    for prompt in prompts:
        try:
            decision = check_prompt(prompt, args.cameo, strict=args.strict)
        except SafetyError as exc:
            print(json.dumps({"error": exc.code, "message": exc.message}) if args.json else exc.message,
                  file=sys.stderr)
            return EXIT_USAGE
        refused |= not decision.allowed
        out = {"allowed": decision.allowed, "categories": list(decision.categories), "reason": decision.reason}
        if args.file is not None:
            out = {"prompt": prompt, **out}
        _print(out, args.json)
    return EXIT_REFUSED if refused else EXIT_ALLOWED


def _verify(args: argparse.Namespace) -> int:
    """Read a clip's credentials and marks; look its id up in the studio's records and manifest repository."""
    from identity.consent import ConsentLedger
    from identity.library import ClipLibrary
    from identity.service import open_store
    from safety.errors import SafetyError
    from safety.verify import summary, verify_clip
    from settings import load_settings

    settings = load_settings()
    anchor = settings.c2pa_trust_anchor or settings.data_dir / "c2pa" / "root.pem"
    store = open_store(settings)
    library = ClipLibrary(store, ConsentLedger(store))
    try:
        report = verify_clip(args.clip, anchor.read_text() if anchor.is_file() else None, library.get,
                             library.manifest)
    except SafetyError as exc:
        print(json.dumps({"error": exc.code, "message": exc.message}) if args.json else exc.message,
              file=sys.stderr)
        return EXIT_USAGE
    finally:
        store.engine.dispose()
    print(json.dumps(report, ensure_ascii=False) if args.json else summary(report))
    return EXIT_REFUSED if report["removed"] or report["c2pa"]["state"] == "Invalid" else EXIT_ALLOWED


def _train_policy(args: argparse.Namespace) -> int:
    from safety.head_training import main as train

    print(json.dumps(train(args.out), indent=2, ensure_ascii=False))
    return EXIT_ALLOWED


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m safety", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p = sub.add_parser("check-prompt", help="check prompts against the studio's policy")
    p.add_argument("text", nargs="?", help="the prompt")
    p.add_argument("--file", type=Path, help="check each non-empty line of this file")
    p.add_argument("--cameo", action="append", default=[], metavar="HANDLE",
                   help="a cameo of the clip (repeatable); a name that spells one is that cameo")
    p.add_argument("--strict", action="store_true", help="teen account or a teen's cameo: strictest policy")
    p.add_argument("--json", action="store_true", help="one JSON object per prompt")
    p.set_defaults(run=_check_prompt)
    p = sub.add_parser("verify", help="Content Credentials, watermark and takedown status of a clip")
    p.add_argument("clip", type=Path)
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(run=_verify)
    from safety.learned import WEIGHTS

    p = sub.add_parser("train-policy", help="train the prompt policy's learned head on tests/data")
    p.add_argument("--out", type=Path, default=WEIGHTS, help=f"where to write the weights (default {WEIGHTS.name})")
    p.set_defaults(run=_train_policy)
    return parser


def main(argv: list[str] | None = None) -> int:
    warnings.filterwarnings("ignore")
    args = _parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
