"""Messages in English or French: every code the studio raises has French, with its parameters filled in."""
from __future__ import annotations

import ast
import builtins
from pathlib import Path

import pytest

from identity import consent, family, feed, invites, library, limits, moderation, publication, roles, visibility  # noqa: F401
from identity.errors import IdentityError
from identity.locale import error_text, from_accept_language, message_text, render, supported
from identity.locale_fr import FRENCH
from identity.messages import ALL_TEXTS, placeholders

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("identity", "pipeline", "safety", "workers", "ui")


def _raise_sites() -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, code, the parameter names passed or None when not a literal dict) of every
    `SomethingError("code", ...)` in the studio's packages (built-in exceptions left out)."""
    sites = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else fn.attr if isinstance(fn, ast.Attribute) else ""
                first = node.args[0]
                if not name.endswith("Error") or hasattr(builtins, name) or not (
                        isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                params = node.args[2] if len(node.args) > 2 else None
                keys = ({k.value for k in params.keys if isinstance(k, ast.Constant)}
                        if isinstance(params, ast.Dict) else set() if params is None else None)
                sites.append((str(path.relative_to(ROOT)), node.lineno, first.value, keys))
    return sites


def _templates(code: str) -> tuple[str, ...]:
    entry = FRENCH[code]
    return (entry,) if isinstance(entry, str) else entry


def test_the_scan_finds_the_errors_the_studio_raises():
    codes = {code for _, _, code, _ in _raise_sites()}
    assert {"bad_login", "too_long", "prompt_refused", "handle_taken", "not_video"} <= codes


def test_every_code_raised_anywhere_has_french():
    missing = sorted({f"{code} ({path}:{line})" for path, line, code, _ in _raise_sites() if code not in FRENCH})
    assert not missing, "no French for: " + ", ".join(missing)


def test_every_catalogued_message_has_french_that_its_parameters_fill():
    assert not sorted(set(ALL_TEXTS) - set(FRENCH))
    for code, english in ALL_TEXTS.items():
        assert any(placeholders(t) <= placeholders(english) | {"english"} for t in _templates(code)), code


def test_every_raise_site_renders_in_french_from_the_parameters_it_passes():
    unfit = [f"{path}:{line} raises {code} with {sorted(keys)}" for path, line, code, keys in _raise_sites()
             if keys is not None and code in FRENCH  # None: parameters built elsewhere, in a variable
             and not any(placeholders(t) <= keys | {"english"} for t in _templates(code))]
    assert not unfit, "no French template fits: " + "; ".join(unfit)


def test_an_error_renders_in_french_with_its_parameters():
    err = limits.TEXTS.error(limits.LimitError, "limit_suspended", until="2030-01-01 00:00", reason="spam")
    assert error_text(err, "fr") == "un modérateur a suspendu vos générations jusqu'au 2030-01-01 00:00 UTC : spam"
    assert error_text(err, "en") == err.message


def test_one_code_with_different_parameters_picks_the_french_that_fits():
    local = IdentityError("handle_taken", "@ann is a local account; sign in with its password", {"local_handle": "ann"})
    taken = IdentityError("handle_taken", "@ann is taken; choose another handle", {"handle": "ann"})
    assert "compte local" in error_text(local, "fr") and "déjà pris" in error_text(taken, "fr")


def test_a_code_without_french_or_without_its_parameters_keeps_its_english():
    assert render("no_such_code_anywhere", {}, "plain English", "fr") == "plain English"
    assert render("too_short", {}, "the clip is only 1.0 s long", "fr") == "the clip is only 1.0 s long"


def test_an_unknown_language_falls_back_to_english():
    err = IdentityError("bad_login", "wrong handle or password")
    assert error_text(err, "de") == "wrong handle or password" and error_text(err, "") == err.message
    assert error_text(err, "fr-CA") == "pseudo ou mot de passe incorrect"


def test_a_technical_detail_stays_in_english_inside_the_french_sentence():
    err = IdentityError("bad_key", "CAMEO_SECRET_KEY is not valid base64")
    assert error_text(err, "fr") == "clé de chiffrement non valide (détail : CAMEO_SECRET_KEY is not valid base64)"


def test_a_notice_renders_in_french():
    notice = feed.TEXTS.message("feed_take_a_break", clips=30, minutes=12)
    assert message_text(notice, "fr").startswith("Vous avez regardé 30 clips en 12 minutes.")
    assert message_text(notice, "en") == notice.text


@pytest.mark.parametrize("header, lang", [
    ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "fr"),
    ("en-US,en;q=0.9,fr;q=0.8", "en"),
    ("de-DE,de;q=0.9,fr;q=0.5,en;q=0.4", "fr"),  # German is not offered: the next best is French
    ("de-DE,es;q=0.9", "en"),
    ("fr;q=0, en", "en"),
    ("en;q=0.5, fr-CA;q=0.8", "fr"),
    ("", "en"),
    (None, "en"),
    ("garbage;;q=x,,", "en"),
])
def test_the_language_comes_from_the_browsers_accept_language(header, lang):
    assert from_accept_language(header) == lang


def test_a_language_tag_is_reduced_to_one_the_studio_speaks():
    assert supported("fr-FR") == "fr" and supported("FR") == "fr" and supported("en_GB") == "en"
    assert supported("ja") == "en" and supported(None) == "en"


def test_a_parameter_that_is_itself_a_message_is_translated_too():
    err = limits.TEXTS.error(limits.LimitError, "limit_daily", used=3, limit=3, kind="a new account",
                             kind_code="limit_kind_new", next_at="2030-01-01 10:00")
    assert "(un nouveau compte)" in error_text(err, "fr") and "(a new account)" in error_text(err, "en")
