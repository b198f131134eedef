"""The sentence a person reads when a prompt is refused, in the language they wrote it in.

One sentence, in English, French, Spanish or German (the language of the prompt, from its
function words: `safety.text.language`), that names what was refused and so what to change: the
category, the real person named, the office impersonated, the owner's instruction quoted. Where a
refused prompt has a legitimate form (a film scene instead of fake footage), the sentence says it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from safety.instructions import Violation
from safety.names import PersonMention

LANGUAGES = ("en", "fr", "es", "de")


@dataclass(frozen=True)
class Wording:
    """Every piece of a reason in one language."""

    categories: dict[str, str]
    asks_for: str  # "This prompt asks for {what}, {rule}{tail}."
    not_made: str
    not_made_teen: str
    against: str  # "This prompt goes against {violations}."
    and_against: str  # ", and it goes against {violations}"
    instruction: str  # "{handle}'s instruction \"{text}\""
    names_person: str  # "This prompt names {names}, who is not ...{tail}."
    real_person: str  # "a real person who is not one of the clip's cameos ({names})"
    impersonation_of: str  # "an impersonation of {who}"
    and_: str
    allowed: str
    empty: str
    hints: dict[str, str]


EN = Wording(
    categories={
        "sexual_minors": "sexual content involving minors",
        "sexual": "sexual content",
        "violence": "graphic violence or gore",
        "self_harm": "self-harm or suicide",
        "hate": "hate or harassment",
        "extremism": "extremist propaganda",
        "dangerous": "instructions for serious harm",
        "impersonation": "an impersonation of a real person",
        "fake_evidence": "fabricated evidence against a person (footage, a news report or messages showing a crime "
                         "or a scandal)",
        "real_person": "a real person who is not one of the clip's cameos",
        "humiliation": "the humiliation of a cameo",
        "moderation": "content the studio's moderation model judged unsafe",
        "teen": "romance, alcohol, gambling, drugs or horror",
        "instruction": "something a cameo's owner asked not to be shown in",
    },
    asks_for="This prompt asks for {what}, {rule}{tail}.",
    not_made="which the studio does not make",
    not_made_teen="which the studio does not make for teen accounts",
    against="This prompt goes against {violations}.",
    and_against=", and it goes against {violations}",
    instruction="{handle}'s instruction \"{text}\"",
    names_person=("This prompt names {names}, who is not one of the clip's cameos: the studio only shows people "
                  "who recorded a cameo and consented{tail}."),
    real_person="a real person who is not one of the clip's cameos ({names})",
    impersonation_of="an impersonation of {who}",
    and_=" and ",
    allowed="This prompt is within the studio's policy.",
    empty="This prompt is empty.",
    hints={"fake_evidence": " A scene clearly presented as fiction (a film scene, not real footage, news or messages) "
                            "is fine."},
)

FR = Wording(
    categories={
        "sexual_minors": "du contenu sexuel impliquant des mineurs",
        "sexual": "du contenu sexuel",
        "violence": "de la violence explicite ou du gore",
        "self_harm": "de l'automutilation ou du suicide",
        "hate": "de la haine ou du harcèlement",
        "extremism": "de la propagande extrémiste",
        "dangerous": "des instructions pour nuire gravement",
        "impersonation": "l'usurpation de l'identité d'une personne réelle",
        "fake_evidence": "une fausse preuve contre une personne (vidéo, reportage ou messages montrant un délit ou un "
                         "scandale)",
        "real_person": "une personne réelle qui n'est pas un caméo du clip",
        "humiliation": "l'humiliation d'un caméo",
        "moderation": "un contenu jugé dangereux par le modèle de modération du studio",
        "teen": "de la romance, de l'alcool, des jeux d'argent, de la drogue ou de l'horreur",
        "instruction": "quelque chose que le propriétaire d'un caméo a refusé",
    },
    asks_for="Ce prompt demande {what}, {rule}{tail}.",
    not_made="ce que le studio ne produit pas",
    not_made_teen="ce que le studio ne produit pas pour les comptes adolescents",
    against="Ce prompt va à l'encontre de {violations}.",
    and_against=", et il va à l'encontre de {violations}",
    instruction="la consigne de {handle} « {text} »",
    names_person=("Ce prompt nomme {names}, qui n'est pas un caméo du clip : le studio ne montre que des personnes "
                  "qui ont enregistré un caméo et donné leur accord{tail}."),
    real_person="une personne réelle qui n'est pas un caméo du clip ({names})",
    impersonation_of="l'usurpation de l'identité de {who}",
    and_=" et ",
    allowed="Ce prompt respecte la politique du studio.",
    empty="Ce prompt est vide.",
    hints={"fake_evidence": " Une scène clairement présentée comme une fiction (une scène de film, pas de vraies "
                            "images, un reportage ou des messages) est acceptée."},
)

ES = Wording(
    categories={
        "sexual_minors": "contenido sexual con menores",
        "sexual": "contenido sexual",
        "violence": "violencia explícita o gore",
        "self_harm": "autolesiones o suicidio",
        "hate": "odio o acoso",
        "extremism": "propaganda extremista",
        "dangerous": "instrucciones para causar daños graves",
        "impersonation": "la suplantación de una persona real",
        "fake_evidence": "una prueba falsa contra una persona (vídeo, noticia o mensajes que muestran un delito o un "
                         "escándalo)",
        "real_person": "una persona real que no es un cameo del clip",
        "humiliation": "la humillación de un cameo",
        "moderation": "contenido que el modelo de moderación del estudio consideró peligroso",
        "teen": "romance, alcohol, apuestas, drogas o terror",
        "instruction": "algo que el propietario de un cameo pidió no mostrar",
    },
    asks_for="Este prompt pide {what}, {rule}{tail}.",
    not_made="algo que el estudio no produce",
    not_made_teen="algo que el estudio no produce para cuentas de adolescentes",
    against="Este prompt va en contra de {violations}.",
    and_against=", y va en contra de {violations}",
    instruction="la instrucción de {handle} «{text}»",
    names_person=("Este prompt nombra a {names}, que no es un cameo del clip: el estudio solo muestra a personas "
                  "que grabaron un cameo y dieron su consentimiento{tail}."),
    real_person="una persona real que no es un cameo del clip ({names})",
    impersonation_of="la suplantación de {who}",
    and_=" y ",
    allowed="Este prompt cumple la política del estudio.",
    empty="Este prompt está vacío.",
    hints={"fake_evidence": " Una escena presentada claramente como ficción (una escena de película, no imágenes "
                            "reales, noticias ni mensajes) está permitida."},
)

DE = Wording(
    categories={
        "sexual_minors": "sexuelle Inhalte mit Minderjährigen",
        "sexual": "sexuelle Inhalte",
        "violence": "drastische Gewalt",
        "self_harm": "Selbstverletzung oder Suizid",
        "hate": "Hass oder Belästigung",
        "extremism": "extremistische Propaganda",
        "dangerous": "Anleitungen zu schweren Schäden",
        "impersonation": "das Imitieren einer realen Person",
        "fake_evidence": "gefälschte Beweise gegen eine Person (Aufnahmen, Nachrichten oder Chats, die eine Straftat "
                         "oder einen Skandal zeigen)",
        "real_person": "eine reale Person, die kein Cameo des Clips ist",
        "humiliation": "die Demütigung eines Cameos",
        "moderation": "Inhalte, die das Moderationsmodell des Studios als gefährlich einstufte",
        "teen": "Romantik, Alkohol, Glücksspiel, Drogen oder Horror",
        "instruction": "etwas, das die Person hinter einem Cameo ausgeschlossen hat",
    },
    asks_for="Dieser Prompt verlangt {what}, {rule}{tail}.",
    not_made="was das Studio nicht erstellt",
    not_made_teen="was das Studio für Teenager-Konten nicht erstellt",
    against="Dieser Prompt verstößt gegen {violations}.",
    and_against=" und verstößt gegen {violations}",
    instruction="die Vorgabe von {handle} „{text}“",
    names_person=("Dieser Prompt nennt {names}, kein Cameo des Clips: Das Studio zeigt nur Menschen, die ein Cameo "
                  "aufgenommen und zugestimmt haben{tail}."),
    real_person="eine reale Person, die kein Cameo des Clips ist ({names})",
    impersonation_of="das Imitieren von {who}",
    and_=" und ",
    allowed="Dieser Prompt entspricht den Regeln des Studios.",
    empty="Dieser Prompt ist leer.",
    hints={"fake_evidence": " Eine klar als Fiktion erkennbare Szene (eine Filmszene, keine echten Aufnahmen, "
                            "Nachrichten oder Chats) ist erlaubt."},
)

WORDINGS: dict[str, Wording] = {"en": EN, "fr": FR, "es": ES, "de": DE}


def wording(lang: str) -> Wording:
    return WORDINGS.get(lang, EN)


def _violations(w: Wording, violations: Sequence[Violation]) -> str:
    parts = [w.instruction.format(handle="@" + v.handle.lstrip("@"), text=v.instruction) for v in violations[:2]]
    return w.and_.join(parts)


def refusal(categories: Sequence[str], people: Sequence[PersonMention], impersonated: Sequence[str],
            violations: Sequence[Violation], lang: str = "en") -> str:
    """One sentence naming what was refused (at most two categories), in `lang`."""
    w = wording(lang)
    harmful = [c for c in categories if c != "instruction"]
    tail = w.and_against.format(violations=_violations(w, violations)) if violations else ""
    if not harmful:
        return w.against.format(violations=_violations(w, violations))
    if harmful == ["real_person"] and people:
        names = w.and_.join(list(dict.fromkeys(p.name for p in people))[:2])
        return w.names_person.format(names=names, tail=tail)
    if "real_person" in harmful and "impersonation" in harmful and set(impersonated) >= {p.name for p in people}:
        harmful.remove("real_person")  # the impersonation already names them
    phrases = []
    for cat in harmful[:2]:
        if cat == "real_person" and people:
            phrases.append(w.real_person.format(names=", ".join(dict.fromkeys(p.name for p in people))))
        elif cat == "impersonation" and impersonated:
            phrases.append(w.impersonation_of.format(who=", ".join(impersonated[:2])))
        else:
            phrases.append(w.categories[cat])
    rule = w.not_made_teen if harmful[0] == "teen" else w.not_made
    hint = "".join(w.hints.get(c, "") for c in harmful[:2])
    return w.asks_for.format(what=w.and_.join(phrases), rule=rule, tail=tail) + hint
