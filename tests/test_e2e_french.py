"""The studio in French, in a real browser whose language is French (Chromium with the fr-FR locale).

The page's static text (tabs, labels, buttons) comes from Gradio's i18n in the browser's language; what the
server writes (the status line, errors, the challenge) follows the browser's Accept-Language; the page's
Language switch changes both. Screenshots: docs/screenshots/fr-*.png with CAMEO_E2E_SCREENSHOTS.
"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.test_e2e import (  # noqa: F401 - the fixtures are used by name
    ADULT,
    MEDIA_PROBE,
    UI_S,
    VIEWPORT,
    Person,
    chromium,
    needs_chromium,
    pw,
    studio_home,
    studio_url,
)


class FrenchPerson(Person):
    """A person whose browser speaks French (navigator.language and Accept-Language are fr-FR)."""

    def __init__(self, browser, url: str, handle: str, downloads):
        self.handle = handle
        self.context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
        self.context.add_init_script(MEDIA_PROBE)
        self.page = self.context.new_page()
        self.page.set_default_timeout(UI_S * 1000)
        self.page.goto(url)
        self.downloads = downloads
        self.media = None


@needs_chromium
def test_a_french_browser_gets_the_studio_in_french_and_the_switch_turns_it_to_english(studio_url, pw, tmp_path):
    with chromium(pw, tmp_path / "camille-camera", (640, 480)) as browser:
        camille = FrenchPerson(browser, studio_url, "camille", tmp_path)
        page = camille.page
        expect(page.get_by_role("tab", name="Compte", exact=True)).to_be_visible()
        expect(page.get_by_role("tab", name="Mon caméo", exact=True)).to_be_visible()
        expect(camille.el("who")).to_contain_text("Non connecté")
        expect(camille.el("language").get_by_label("Français")).to_be_checked()

        camille.fill("login-handle", "camille")
        camille.fill("login-password", "pas le bon mot de passe")
        camille.el("login-btn").click()
        camille.toast("pseudo ou mot de passe incorrect")  # our error, rendered in French by its code
        camille.dismiss_toasts()
        camille.fill("login-password", "le long mot de passe de camille")
        camille.fill("login-birth", ADULT)
        camille.el("signup-btn").click()
        expect(camille.el("who")).to_contain_text("Connecté en tant que @camille (compte adulte)")
        camille.shot("fr-01-account")

        camille.tab("Mon caméo")
        camille.el("start-enrollment").click()
        expect(camille.el("challenge")).to_contain_text("Moi, camille, j'accepte que Cameo Studio crée mon caméo")
        expect(camille.el("challenge")).to_contain_text("en anglais")
        camille.shot("fr-02-cameo", "#challenge")

        camille.tab("Créer")
        expect(page.get_by_text("Générer", exact=True)).to_be_visible()
        camille.shot("fr-06-create")

        camille.el("language").get_by_label("English").check()
        expect(camille.el("who")).to_contain_text("Signed in as @camille (adult account)")
        expect(page.get_by_role("tab", name="Account", exact=True)).to_be_visible()
        camille.el("generate-btn").click()
        camille.toast("write a prompt")  # errors follow the switch too
