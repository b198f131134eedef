"""The enrollment challenge: what the person must say and do in their recording.

Random digits and a random order of head turns make a recording made for one
challenge useless for any other, so an old video of someone (or a deepfake
rendered in advance) cannot be replayed; the expiry and single use close the
window in which one could be made to order.
"""
from __future__ import annotations

import json
import re
import secrets
import time
import uuid
from dataclasses import asdict, dataclass

from identity.errors import IdentityError
from identity.pose import DIRECTIONS

STUDIO_NAME = "Cameo Studio"
# The consent sentence in each language the studio speaks. The digits stay English words in every
# language: the offline recogniser (pocketsphinx's en-us model) hears no other (identity/speech.py).
SENTENCES = {
    "en": "I, {handle}, agree to let {studio} create my cameo from this recording.",
    "fr": "Moi, {handle}, j'accepte que {studio} crée mon caméo à partir de cet enregistrement.",
}
N_DIGITS = 5
N_TURNS = 3


@dataclass(frozen=True)
class Challenge:
    id: str
    handle: str
    sentence: str
    digits: str  # e.g. "47291"
    turns: tuple[str, ...]  # e.g. ("LEFT", "RIGHT", "UP")
    nonce: str
    issued_at: float
    expires_at: float | None
    language: str = "en"  # of the sentence; "en" unless the person's page is in another language

    def to_json(self) -> str:
        d = asdict(self)
        d["turns"] = list(self.turns)
        return json.dumps(d, indent=2)

    @property
    def spoken_digits(self) -> str:
        return " ".join(self.digits)


_HANDLE = re.compile(r"^[a-z0-9_]{3,32}$")


def validate_handle(handle: str) -> str:
    """A handle is 3-32 lowercase letters, digits or underscores (it is read aloud in the consent)."""
    h = (handle or "").strip().lstrip("@").lower()
    if not _HANDLE.match(h):
        raise IdentityError(
            "bad_handle", "a handle is 3 to 32 characters: lowercase letters, digits and underscores"
        )
    return h


def consent_sentence(handle: str, language: str = "en") -> str:
    return SENTENCES.get(language, SENTENCES["en"]).format(handle=handle, studio=STUDIO_NAME)


def issue_challenge(handle: str, ttl_s: int = 300, now: float | None = None, language: str = "en") -> Challenge:
    handle = validate_handle(handle)
    language = language if language in SENTENCES else "en"
    rng = secrets.SystemRandom()
    issued = time.time() if now is None else now
    return Challenge(
        id=uuid.uuid4().hex,
        handle=handle,
        sentence=consent_sentence(handle, language),
        digits="".join(str(rng.randrange(10)) for _ in range(N_DIGITS)),
        turns=tuple(rng.sample(DIRECTIONS, N_TURNS)),
        nonce=secrets.token_urlsafe(16),
        issued_at=issued,
        expires_at=issued + ttl_s,
        language=language,
    )


def challenge_from_json(text: str) -> Challenge:
    """Read a challenge as the studio writes it; only digits and turns are required."""
    try:
        d = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IdentityError("bad_challenge", f"the challenge file is not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(d, dict):
        raise IdentityError("bad_challenge", "the challenge file must hold a JSON object")
    digits = "".join(str(d.get("digits", "")).split())
    if len(digits) != N_DIGITS or not digits.isdigit():
        raise IdentityError("bad_challenge", f"challenge 'digits' must be {N_DIGITS} digits, got {d.get('digits')!r}")
    turns = d.get("turns")
    if not isinstance(turns, list) or not turns:
        raise IdentityError("bad_challenge", f"challenge 'turns' must be a list of {', '.join(DIRECTIONS)}")
    turns = tuple(str(t).strip().upper() for t in turns)
    bad = [t for t in turns if t not in DIRECTIONS]
    if bad or len(set(turns)) != len(turns):
        raise IdentityError("bad_challenge", f"challenge 'turns' must be distinct values of {', '.join(DIRECTIONS)}, got {list(turns)}")
    handle = str(d.get("handle") or "unknown")
    language = d.get("language") if d.get("language") in SENTENCES else "en"
    return Challenge(
        id=str(d.get("id") or uuid.uuid5(uuid.NAMESPACE_URL, f"{digits}-{'-'.join(turns)}-{d.get('nonce')}").hex),
        handle=handle,
        sentence=str(d.get("sentence") or consent_sentence(handle, language)),
        digits=digits,
        turns=turns,
        nonce=str(d.get("nonce") or ""),
        issued_at=float(d.get("issued_at") or 0.0),
        expires_at=float(d["expires_at"]) if d.get("expires_at") is not None else None,
        language=language,
    )
