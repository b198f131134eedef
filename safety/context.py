"""The strength of a rule: words that refuse alone, and words a harmless frame makes contextual.

A rule word is unambiguous in most prompts and ambiguous in a few frames: "suicide" in a
prevention spot with a helpline number, "swastika" on a Hindu doorstep at Diwali, "Napoleon" played
in costume for a history class, "humillar" in five-a-side football banter, "torture" about a ghost
pepper. Measured with a whole writer's set left out, such frames made most of the harmless prompts
the rules refused (README, "Prompt policy"). So where a rule of `safety.lexicon` is the only
evidence for a category and the prompt carries a harmless frame for that category, the rule no
longer refuses alone: it needs the learned head to agree (`safety.policy`). The rules of
combination (`safety.composition`) and the explicit terms are never contextual: a frame does not
make "a suicide prevention video where he ties the noose and jumps" harmless, and the head, which
reads the whole prompt, still refuses such a prompt.

Each frame is a family written once, in English, French, Spanish and German, over
`safety.text.fold` output.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from safety.lexicon import any_of, find
from safety.names import PersonMention

# Support: prevention, helplines, care. Self-harm spoken of to help.
SUPPORT = (
    any_of(r"(?:suicide|self-harm|self harm|crisis) (?:prevention|awareness|hotline|helpline|line|counsel\w*)",
           r"prevention", r"awareness", r"helplines?", r"hotlines?", r"crisis (?:line|text line|center|centre)",
           r"988", r"116 ?123", r"samaritans", r"warning signs?", r"signs to (?:watch|look) for", r"you(?:'re| are) not alone",
           r"reach out", r"talk to someone", r"(?:call|text) (?:\w+ ){0,2}\d{3}", r"psa", r"support group",
           r"(?:therapist|psychiatrist|psychologist|counsell?or|doctor|physician|nurse|paramedic)s?",
           r"mental health", r"recovery", r"survivors?", r"get(?:ting)? help"),
    any_of(r"prevention", r"sensibilisation", r"3114", r"numero (?:national|d'ecoute|vert)", r"ligne d'ecoute",
           r"signes? d'alerte", r"tu n'es pas seule?", r"vous n'etes pas seule?s?", r"appelle\w* le", r"psychiatre",
           r"psychologue", r"sante mentale", r"demander de l'aide"),
    any_of(r"prevencion", r"024", r"linea de (?:ayuda|atencion|crisis)", r"telefono (?:de la esperanza|de ayuda)",
           r"senales de alerta", r"no estas sol[oa]", r"llama al", r"psiquiatra", r"psicolog[oa]", r"salud mental",
           r"pedir ayuda", r"pediatra"),
    any_of(r"pravention", r"suizidpravention", r"telefonseelsorge", r"0800 ?111 ?0 ?111", r"warnzeichen",
           r"du bist nicht allein", r"hilfe holen", r"psychiater\w*", r"psycholog\w*", r"psychische gesundheit",
           r"beratungsstelle"),
)
# Learning about a movement, or a symbol in its religious use.
EDUCATION = (
    any_of(r"history (?:class|lesson|teacher|doc\w*|channel|professor)", r"documentar\w*", r"doc", r"museum",
           r"memorial", r"archive (?:footage|photos|images)", r"explain\w* how", r"teach\w*", r"lesson", r"lecture",
           r"to (?:spot|recogni[sz]e|identify|counter|resist)", r"how to spot", r"warning", r"propaganda (?:worked|works)",
           r"diwali", r"hindu", r"buddhis\w*", r"jain\w*", r"temple", r"rangoli", r"holocaust (?:memorial|museum|survivor)"),
    any_of(r"documentaire", r"cours d'histoire", r"prof(?:esseur)? d'histoire", r"musee", r"memorial",
           r"images d'archives?", r"explique\w* comment", r"pour apprendre", r"reperer", r"deconstrui\w*"),
    any_of(r"documental", r"clase de historia", r"profe(?:sora?)? de historia", r"museo", r"memorial",
           r"imagenes de archivo", r"explica\w* como", r"para (?:aprender|reconocer|detectar)"),
    any_of(r"geschichts\w*", r"doku\w*", r"museum", r"mahnmal", r"gedenkstatte", r"archivbilder", r"erklar\w* wie",
           r"aufklar\w*", r"unterricht", r"erkennen"),
)
# Play, sport and laughter with someone, not at them.
PLAY = (
    any_of(r"paintball", r"laser tag", r"nerf", r"match", r"game", r"five-a-side", r"pickup (?:game|match)",
           r"trash talk\w*", r"banter", r"teas\w*", r"joke\w*", r"puns?", r"prank\w* (?:each other|back)",
           r"(?:dying|died|dies|die|crying|cry|cries|tears) (?:of|from|with) laughter", r"laughing", r"dramatic\w*",
           r"best man", r"speech", r"toast"),
    any_of(r"paintball", r"laser game", r"match", r"partie", r"foot", r"chambr\w*", r"blague\w*", r"jeux? de mots?",
           r"mort de rire", r"fou rire", r"discours"),
    any_of(r"paintball", r"partid(?:o|illo)", r"futbol\w*", r"pachanga", r"cachondeo", r"vacil\w*", r"bromas?",
           r"chistes?", r"se muere de risa", r"muert[oa] de risa", r"dramaticamente", r"discurso", r"padrino"),
    any_of(r"paintball", r"spiel\w*", r"kick\w*", r"fussball\w*", r"witz\w*", r"wortspiel\w*", r"spass\w*",
           r"lacht sich tot", r"rede"),
)
# Fiction, medicine, history and food that name violence without showing it.
NOT_SHOWN = (
    any_of(r"medical (?:drama|series|show)", r"er doctor", r"cpr", r"defibrillat\w*", r"resuscitat\w*",
           r"documentar\w*", r"archive", r"memorial", r"history (?:class|lesson)", r"spicy", r"hot sauce",
           r"(?:ghost|chili|chilli) peppers?", r"wings? challenge", r"lol", r"lmao", r"haha\w*", r"parody",
           r"cartoon\w*", r"nothing graphic", r"no gore", r"bloodless"),
    any_of(r"serie medicale", r"urgentiste", r"massage cardiaque", r"documentaire", r"images d'archives?",
           r"lettre", r"resistance", r"piment\w*", r"parodie", r"mdr"),
    any_of(r"serie medica", r"urgencias", r"rcp", r"documental", r"archivo", r"picante", r"guindilla", r"parodia",
           r"jaja\w*"),
    any_of(r"arztserie", r"notaufnahme", r"wiederbeleb\w*", r"herzdruckmassage", r"doku\w*", r"archiv\w*",
           r"scharf\w*", r"parodie"),
)
# Learning to spot a fake, or an office that does not exist.
DEFENSIVE = (
    any_of(r"(?:spot|detect|recogni[sz]e|identify|tell if|check if|debunk\w*|expos\w*) (?:\w+ ){0,3}(?:deepfakes?|fakes?"
           r"|face ?swaps?|fake videos?)", r"deepfake (?:detection|awareness|literacy)", r"media literacy",
           r"made-up", r"fictional", r"imaginary", r"invented", r"fantasy (?:kingdom|world|land)", r"planet", r"aliens?",
           r"student council", r"class president", r"of the (?:chess|drama|book|cooking) club"),
    any_of(r"(?:reperer|detecter|reconnaitre) (?:\w+ ){0,3}(?:deepfakes?|faux|fausses?|trucage\w*)", r"imaginaire",
           r"fictif\w*"),
    any_of(r"(?:comprobar|detectar|reconocer|saber) (?:\w+ ){0,3}(?:deepfakes?|falso|fals[oa]s?|bulos?)",
           r"imaginari[oa]", r"ficticio\w*", r"inventad[oa]"),
    any_of(r"(?:erkennen|entlarven|prufen) (?:\w+ ){0,3}(?:deepfakes?|falsch\w*|fake\w*)", r"deepfakes? erkennen",
           r"fiktiv\w*", r"ausgedacht\w*", r"erfunden\w*"),
)
# Playing a figure of the past, or naming their work, a place or a style after them.
PORTRAYAL = (
    any_of(r"history (?:class|lesson|fair|project|day)", r"school play", r"reenact\w*", r"re-enact\w*",
           r"costume drama", r"period drama", r"biopic", r"in costume", r"dressed (?:up )?as", r"tribute", r"museum",
           r"house", r"painting", r"portrait", r"statue", r"quote", r"reciting", r"diary", r"style",
           r"dance", r"choreograph\w*", r"songs?", r"karaoke", r"lip-?sync\w*", r"impression of"),
    any_of(r"cours d'histoire", r"deguise\w* en", r"costume", r"piece de theatre", r"hommage", r"musee", r"maison",
           r"tableau", r"chanson\w*", r"karaoke", r"playback", r"a la maniere de"),
    any_of(r"clase de historia", r"disfrazad[oa] de", r"obra de teatro", r"homenaje", r"museo", r"casa", r"cuadro",
           r"canci\w*", r"karaoke", r"playback", r"todo muy", r"estilo"),
    any_of(r"geschichtsunterricht", r"verkleidet als", r"kostum\w*", r"theaterstuck", r"hommage", r"museum", r"haus",
           r"gemalde", r"bild", r"lied\w*", r"song\w*", r"karaoke", r"playback", r"im stil"),
)
FRAMES = {"self_harm": SUPPORT, "extremism": EDUCATION, "humiliation": PLAY, "violence": NOT_SHOWN,
          "impersonation": DEFENSIVE, "real_person": PORTRAYAL}
# Figures a prompt may have a cameo play in a portrayal frame: the list's historical figures (dead
# or of the past), artists and musicians of the past named for their work, and heads of state long
# dead. Never the perpetrators of atrocities, nor anyone alive who holds or seeks office.
PORTRAYABLE_KINDS = frozenset({"historical"})
PORTRAYABLE = frozenset(s.casefold() for s in (
    "Napoleon Bonaparte", "Abraham Lincoln", "George Washington", "Thomas Jefferson", "Benjamin Franklin",
    "Alexander Hamilton", "Winston Churchill", "Charles de Gaulle", "John F Kennedy", "Martin Luther King Jr",
    "Rosa Parks", "Malcolm X", "Mahatma Gandhi", "Nelson Mandela", "Queen Victoria", "Cleopatra", "Julius Caesar",
    "Elizabeth I", "Henry VIII", "Louis XIV", "Marie Antoinette", "Joan of Arc", "Theodore Roosevelt",
    "Franklin D Roosevelt", "Michael Jackson", "Elvis Presley", "Freddie Mercury", "John Lennon", "Bob Marley",
    "Marilyn Monroe", "Charlie Chaplin", "Bruce Lee", "Audrey Hepburn", "Frank Sinatra", "David Bowie",
    "Prince", "Whitney Houston", "Amy Winehouse", "Johnny Cash", "Edith Piaf", "Elvis", "Ludwig van Beethoven",
    "Wolfgang Amadeus Mozart", "Johann Sebastian Bach", "Frederic Chopin",
))


def _framed(category: str, folded: str) -> bool:
    return bool(find(FRAMES[category], folded))


def portrayable(people: Sequence[PersonMention]) -> bool:
    return bool(people) and all(p.kind in PORTRAYABLE_KINDS or p.name.casefold() in PORTRAYABLE for p in people)


def contextual(rule_categories: Iterable[str], folded: str, people: Sequence[PersonMention],
               combined: Iterable[str]) -> frozenset[str]:
    """The categories whose only evidence is a rule word that a harmless frame makes ambiguous.

    rule_categories: the categories `safety.lexicon` (and the people named) refused; combined: those a
    rule of combination refused too (never contextual)."""
    combined = set(combined)
    out = set()
    for category in rule_categories:
        if category in combined or category not in FRAMES:
            continue
        if category == "real_person" and not portrayable(people):
            continue
        played = category == "impersonation" and portrayable(people) and _framed("real_person", folded)
        if played or _framed(category, folded):
            out.add(category)
    return frozenset(out)
