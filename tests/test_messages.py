"""Messages carry a code and parameters beside the English, so a UI can show them in another language."""
from __future__ import annotations

import pytest

from identity import consent, family, feed, invites, library, limits, moderation, publication, roles, visibility  # noqa: F401
from identity.errors import IdentityError
from identity.messages import ALL_TEXTS, Catalog, placeholders


def test_every_message_renders_from_its_own_parameters():
    assert len(ALL_TEXTS) > 100
    for code, text in ALL_TEXTS.items():
        params = {name: f"<{name}>" for name in placeholders(text)}
        assert text.format(**params), code


def test_an_error_keeps_its_code_and_parameters_for_translation():
    err = limits.TEXTS.error(limits.LimitError, "limit_suspended", until="2030-01-01 00:00", reason="spam")
    assert isinstance(err, IdentityError) and err.code == "limit_suspended"
    assert err.params == {"until": "2030-01-01 00:00", "reason": "spam"} and "spam" in err.message


def test_a_code_cannot_mean_two_things():
    with pytest.raises(ValueError):
        Catalog({"limit_suspended": "something else"})


def test_a_notice_keeps_its_code_and_parameters(store, tmp_path):
    from identity.consent import ConsentLedger
    from tests.social import clip, open_to_everyone, person

    ledger = ConsentLedger(store)
    lib = library.ClipLibrary(store, ledger)
    ann, cid = person(store, "ann")
    open_to_everyone(ledger, ann, cid)
    ledger.set_publication_approval(ann, cid, True)
    ben, _ = person(store, "ben", cameo=False)
    c = clip(lib, ben, [cid], tmp_path).clip
    [notice] = [n for n in lib.inbox(ann) if n.kind == "notice_approval_request"]
    assert notice.params == {"creator": "ben", "visibility": "public"} and notice.clip_id == c.id
    assert notice.text == ALL_TEXTS["notice_approval_request"].format(**notice.params)
