"""The page's own words in French, and the session's language: from the browser, overridden by the switch."""
from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

import gradio as gr
import pytest
from gradio.context import LocalContext

from identity.messages import placeholders
from pipeline.ingredients import KINDS as INGREDIENT_KINDS
from pipeline.styles import STYLES
from ui import cameo, family, feed, jobs, moderation, people
from ui.words import I18N, choose_language, current_language, refuse, say, t
from ui.words_fr import FRENCH_UI

ROOT = Path(__file__).resolve().parent.parent


def _literal_words() -> list[tuple[str, int, str]]:
    """Every string literal the UI passes to t(), say() or refuse()."""
    found = []
    for path in sorted((ROOT / "ui").glob("*.py")) + [ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "say", "refuse")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((path.name, node.lineno, node.args[0].value))
    return found


def _vocabulary() -> set[str]:
    """The words the UI looks up by a value (a status, a stage, a label), not by a literal."""
    words = {*cameo.LEVEL_LABELS.values(), *cameo.SWITCH_LABELS.values(), *cameo.TURN_WORDS.values(),
             *cameo.CHECK_NAMES.values(), cameo.REVOKE_TEXT, *family.CAP_LABELS.values(), *jobs.STAGES.values(),
             *jobs.KINDS.values(), *moderation.VERDICT_LABELS.values(), *(s.label for s in STYLES.values()),
             *INGREDIENT_KINDS, *people.PEOPLE_COLUMNS, *people.REQUEST_COLUMNS, *feed.CLIP_COLUMNS,
             *feed.FEED_COLUMNS, *feed.REPORT_COLUMNS, *feed.DECISION_COLUMNS, *feed.APPROVAL_COLUMNS,
             *feed.INBOX_COLUMNS, *family.LINK_COLUMNS, *jobs.JOB_COLUMNS, *moderation.QUEUE_COLUMNS,
             *moderation.FACE_COLUMNS}
    statuses = {"draft", "published", "pending", "removed", "public", "followers", "private", "approved", "denied",
                "withdrawn", "active", "revoked", "declined", "ended", "queued", "running", "done", "failed",
                "cancelled", "report", "appeal", "keep", "take down", "kept", "taken down", "uphold", "overturn",
                "in review", "decided", "links", "decisions", "Days", "The face number", "Clips a day"}
    return words | statuses


def test_the_scan_finds_the_uis_words():
    assert len(_literal_words()) > 200


def test_every_word_the_ui_writes_has_french():
    missing = sorted({f"{text!r} ({name}:{line})" for name, line, text in _literal_words() if text not in FRENCH_UI})
    missing += sorted(repr(w) for w in _vocabulary() if w not in FRENCH_UI)
    assert not missing, "no French for: " + ", ".join(missing)


def test_every_french_sentence_names_what_its_english_names():
    for english, french in FRENCH_UI.items():
        assert placeholders(french) == placeholders(english), english


def test_a_static_text_carries_both_languages_to_the_browser():
    key = t("Handle").key
    assert I18N.translations_dict["en"][key] == "Handle" and I18N.translations_dict["fr"][key] == "Pseudo"
    key = t("Each account gets {n} codes to invite people it knows.", n=3).key
    assert I18N.translations_dict["fr"][key] == "Chaque compte reçoit 3 codes pour inviter des personnes qu'il connaît."


def _handling(accept_language: str | None, session: str = "s1"):
    """Pretend an event of one session is being handled, as Gradio sets it for a handler."""
    headers = {"accept-language": accept_language} if accept_language is not None else {}
    return LocalContext.request.set(SimpleNamespace(headers=headers, session_hash=session))


@pytest.fixture(autouse=True)
def _no_request():
    yield
    LocalContext.request.set(None)


def test_a_session_speaks_its_browsers_language():
    _handling("fr-FR,fr;q=0.9,en;q=0.8", session="browser-fr")
    assert current_language() == "fr" and say("Not signed in.") == "Non connecté."
    _handling("en-US,en;q=0.9", session="browser-en")
    assert current_language() == "en" and say("Not signed in.") == "Not signed in."
    _handling(None, session="no-header")
    assert current_language() == "en"


def test_the_switch_overrides_the_browser_for_that_session_only():
    _handling("en-US", session="switcher")
    assert choose_language("fr") == "fr" and current_language() == "fr"
    with pytest.raises(gr.Error, match="Connectez-vous d'abord"):
        raise refuse("Sign in first (the Account tab).")
    _handling("en-US", session="someone-else")
    assert current_language() == "en"
    _handling("fr-FR", session="switcher")
    assert choose_language("en") == "en" and current_language() == "en"


def test_a_language_the_studio_does_not_speak_falls_back_to_english():
    _handling("en-US", session="odd")
    assert choose_language("ja") == "en" and current_language() == "en"


def test_without_a_request_the_page_speaks_english():
    assert current_language() == "en" and say("Not signed in.") == "Not signed in."


def test_no_english_text_or_code_is_translated_twice():
    """A dict literal keeps the last of two equal keys silently; each catalogue must say each thing once."""
    for name in ("ui/words_fr.py", "identity/locale_fr.py"):
        [table] = [n for n in ast.walk(ast.parse((ROOT / name).read_text())) if isinstance(n, ast.Dict)][:1]
        keys = [k.value for k in table.keys]
        assert len(keys) == len(set(keys)), name
