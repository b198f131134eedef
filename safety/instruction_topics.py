"""Owners' free-text instructions read as topics: what a clause forbids, and whether a prompt shows it.

Why topics: an owner writes "Sin alcohol, por favor, soy abstemia", "jamais torse nu" or "Keine
Werbung" in their own words and often in another language than the prompts about them; matching
the sentence of the instruction against the prompt (the encoder's similarity, `safety.instructions`)
missed half of the prompts that broke one on blind set 3 and over-read others ("no romantic
scenes" against a best man's speech at a wedding). What stays the same across wordings is the
topic the owner names (alcohol, smoking, gambling, romance, swimwear, ads, politics, violence,
weapons...) and its polarity: "never/no/pas de/nada de/keine/geen/nie/non" forbids the topic,
"only wholesome stuff" forbids what is not wholesome. So each topic here has:

- `cue`: how an instruction names it, over `safety.text.fold` output, in English, French, Spanish
  and German, and the commonest words of Italian, Portuguese, Dutch and Polish;
- `content`: how a prompt shows it, in English, French, Spanish and German, written per family
  (every drink, not "tequila"); a word the prompt itself rules out ("sans alcool", "alcohol-free",
  "kein Rauch", "sin apuestas") does not count (`shows`).

An instruction in a language no cue covers (Japanese, say) is matched to a topic by the
multilingual encoder (`topics_by_meaning`), against each topic's `description`. A clause whose
topic is known is decided by its topic alone; a clause with no known topic ("never use my voice
to sing") stays with the sentence-similarity match of `safety.instructions`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from safety.composition import _KISS
from safety.lexicon import any_of


@dataclass(frozen=True)
class Topic:
    name: str
    cue: str  # regex over a folded instruction clause
    content: tuple[str, ...]  # regexes over a folded prompt, one per language
    description: str  # an English instruction forbidding it, for the encoder


def _compound(*alternatives: str) -> str:
    """German words that also end compounds ("Kneipenschlägerei", "Roulettetisch"): no left boundary."""
    return r"(?:" + "|".join(alternatives) + r")\w*"


TOPICS: tuple[Topic, ...] = (
    Topic("alcohol",
          any_of(r"alcohol\w*", r"drink\w*", r"drunk", r"booze", r"beer", r"wine", r"liquor", r"sober", r"teetotal\w*",
                 r"alcool\w*", r"boire", r"bois", r"ivre", r"abstinent\w*", r"alcoholic[oa]s?", r"beber", r"bebiendo",
                 r"borrach\w*", r"abstemi[oa]", r"alkohol\w*", r"trinken", r"betrunken", r"bier", r"wein", r"alcolic\w*",
                 r"bere", r"bebida\w*", r"alcoolic\w*", r"drank", r"dronken", r"alkoholu?"),
          (any_of(r"alcohol\w*", r"booze", r"beers?", r"wine", r"wines", r"champagne", r"prosecco", r"cava", r"whiske?y",
                  r"vodka", r"tequila", r"rum", r"gin", r"cocktails?", r"margaritas?", r"mojitos?", r"sangria",
                  r"shots? of \w+", r"(?:tequila|vodka|jello|jager) shots?", r"doing shots", r"pints?", r"lager", r"ale",
                  r"brewery", r"pub crawl", r"bar crawl", r"drunk\w*", r"tipsy", r"hammered", r"wasted", r"hangover",
                  r"toast\w* with (?:a )?(?:glass|flute|bottle)", r"sipping (?:a |some )?(?:red |white )?\w+ wine",
                  r"kegs?", r"keg stand", r"soju", r"mead", r"cider", r"spritz", r"negroni", r"martinis?"),
           any_of(r"alcool\w*", r"bieres?", r"vin", r"vins", r"champagne", r"coupe de champagne", r"whisky", r"vodka",
                  r"pastis", r"apero\w*", r"ivre", r"saoul\w*", r"bourre\w*", r"cuite", r"pinte\w*",
                  r"rose bien frais", r"verre de (?:vin|rouge|blanc|rose)", r"cocktails?"),
           any_of(r"alcohol\w*", r"cervez\w*", r"birras?", r"vino", r"vinos", r"champan\w*", r"cava", r"chupitos?",
                  r"tequila", r"whisky", r"sangria", r"borrach\w*", r"copas? de (?:vino|champan|cava)",
                  r"calimocho", r"kalimotxo", r"brind\w* con (?:cava|champan|vino)", r"resaca", r"botellon"),
           _compound(r"bier(?!garten)", r"alkohol(?!frei)", r"(?<!sch)wein(?:glas|flasche|probe|schorle|e?s?\b)", r"sekt\b",
                     r"schnaps", r"jagermeister", r"betrunken", r"besoffen", r"prost\b", r"cocktail",
                     r"whisky", r"wodka")),
          "never show me drinking alcohol"),
    Topic("smoking",
          any_of(r"smok\w*", r"cigar\w*", r"vap\w*", r"tobacco", r"fum\w*", r"clope\w*", r"tabac", r"cigarrillos?",
                 r"tabaco", r"rauch\w*", r"zigarett\w*", r"tabak", r"sigarett\w*", r"roken", r"sigaret\w*",
                 r"papieros\w*", r"palenie", r"pali\w*"),
          (any_of(r"smok(?:e|es|ed|ing|er|ers)\b(?! machine| bomb| alarm| detector| signal| screen)", r"cigar\w*",
                  r"vap(?:e|es|ing|or|ers?)", r"tobacco",
                  r"(?:rolls?|rolling|smokes?|smoking|lights?|passing|passes) a joint", r"blunts?", r"bongs?",
                  r"hookah", r"shisha", r"e-?cig\w*", r"puffs? on", r"lights? up a \w+", r"lighting a (?:cigarette|cig|joint)"),
           any_of(r"fum(?:e|ent|er|ant|ait|e une)", r"cigarett\w*", r"clope\w*", r"cigare\w*", r"tabac", r"vapot\w*",
                  r"chicha", r"petard\w*"),
           any_of(r"fum(?:a|an|ar|ando|o)", r"cigarr\w*", r"pitillos?", r"tabaco", r"vape\w*", r"porros?", r"cachimba"),
           _compound(r"rauch(?:t|en|end)", r"zigarett", r"kippe", r"zigarre", r"tabak", r"shisha", r"vape", r"joint")),
          "never show me smoking or vaping"),
    Topic("drugs",
          any_of(r"drugs?", r"weed", r"cannabis", r"marijuana", r"cocaine", r"drogues?", r"drogas?", r"drogen",
                 r"droga", r"drugs", r"narkotyk\w*"),
          (any_of(r"drugs?", r"weed", r"cannabis", r"marijuana", r"cocaine", r"popping pills",
                  r"ecstasy", r"mdma", r"lsd", r"acid trip", r"shrooms", r"blunts?", r"getting high", r"stoned"),
           any_of(r"drogues?", r"cannabis", r"cocaine", r"shit", r"beuh", r"defonce\w*"),
           any_of(r"drogas?", r"marihuana", r"cocaina", r"farlopa", r"porros?", r"colocad[oa]s?"),
           _compound(r"drogen", r"kokain", r"bekifft", r"zugedroht", r"koks\b")),
          "never show me taking drugs"),
    Topic("gambling",
          any_of(r"gambl\w*", r"casinos?", r"betting", r"bets?", r"poker", r"jeux? d'argent", r"paris sportifs?", r"pari sportif", r"parier",
                 r"juegos? de azar", r"apuestas?", r"apostar", r"glucksspiel\w*", r"wett(?:e|en|buro)\b", r"sportwett\w*", r"spielsucht", r"azzard\w*",
                 r"scommess\w*", r"gokken", r"hazard\w*", r"jogo\w* de azar", r"apostas?"),
          (any_of(r"gambl\w*", r"casinos?", r"poker", r"blackjack", r"roulette", r"slot machines?",
                  r"betting", r"bets? (?:on|it all)", r"placing bets?", r"goes all in", r"going all in",
                  r"sportsbook", r"bookies?", r"lottery tickets?", r"scratch(?:cards?| cards?| tickets?)", r"craps",
                  r"(?:poker |casino )?chips (?:sliding|stacked)", r"double or nothing", r"jackpot"),
           any_of(r"casinos?", r"poker", r"roulette", r"machines? a sous", r"paris sportifs?", r"parie\w*", r"mise tout",
                  r"jackpot", r"jetons", r"grattage"),
           any_of(r"casinos?", r"poker", r"ruleta", r"tragaperras", r"apuest\w*", r"apuesta todo",
                  r"loteria", r"rasca y gana"),
           _compound(r"casino", r"kasino", r"poker", r"roulette", r"spielautomat", r"spielhalle", r"wett(?:e|en|et)\b", r"zocken",
                     r"jetons", r"alles auf rot", r"alles auf schwarz", r"chips auf", r"lotto")),
          "don't show me gambling"),
    Topic("romance",
          any_of(r"romanc\w*", r"romantic\w*", r"kiss\w*", r"dating", r"dates?", r"boyfriend", r"girlfriend",
                 r"love scenes?", r"couple", r"flirt\w*", r"making out", r"bisous?", r"embrass\w*", r"romanti\w*",
                 r"amoureu\w*", r"beso\w*", r"besar", r"romantic[oa]s?", r"novi[oa]", r"cita", r"kuss\w*", r"kussen",
                 r"kusse\w*", r"romantisch\w*", r"romantik", r"freund(?:in)?\b", r"bacio", r"baci", r"beij\w*",
                 r"namoro", r"zoen\w*", r"romantische", r"pocalun\w*", r"romans\w*", r"married"),
          (any_of(_KISS, r"makes? out", r"making out", r"romanc\w*", r"romantic\w*", r"on a date",
                  r"dinner date", r"first date", r"date night", r"(?:his|her) date", r"boyfriend", r"girlfriend",
                  r"holding hands", r"hold(?:s|ing)? hands", r"cuddl\w*", r"snuggl\w*", r"flirt\w*", r"in love",
                  r"slow dance", r"proposes? to", r"(?:marriage )?proposal", r"pops the question", r"honeymoon",
                  r"wedding night", r"smooch\w*", r"candlelit dinner", r"love scene"),
           any_of(r"embrass\w*", r"bisous?", r"baiser", r"romanti\w*", r"rendez-vous amoureux", r"en amoureux",
                  r"amoureu\w*", r"petit ami", r"petite amie", r"main dans la main", r"calin\w*", r"draguer?"),
           any_of(r"bes(?:a|an|o|os|an|ando|arse|ándose)", r"besandose", r"romantic\w*", r"cita romantica",
                  r"primera cita", r"novi[oa]", r"de la mano", r"ligando", r"enamorad\w*"),
           r"\b" + _compound(r"kuss", r"kusst", r"kussen", r"knutsch", r"romantisch", r"verliebt", r"liebespaar",
                           r"hand in hand", r"kuschel", r"flirt")),
          "no kissing or romantic scenes"),
    Topic("revealing",
          any_of(r"bikinis?", r"swimwear", r"swimsuits?", r"swim ?trunks", r"bathing suits?", r"underwear", r"lingerie", r"shirtless", r"topless", r"revealing",
                 r"skimpy", r"naked", r"nude", r"bare chest\w*", r"cleavage", r"low-cut", r"short shorts",
                 r"torse nu", r"maillot\w*", r"sous-vetements?", r"decollete\w*", r"lingerie", r"ropa interior",
                 r"banador\w*", r"sin camiseta", r"escote\w*", r"desnud\w*", r"unterwasche", r"oben ohne",
                 r"badehose", r"badeanzug", r"badekleidung", r"bademode", r"freizugig\w*", r"nackt\w*", r"costume da bagno", r"intimo", r"zwembroek",
                 r"ondergoed", r"biquini", r"roupa intima", r"bielizn\w*", r"stroj kapielowy"),
          (any_of(r"bikinis?", r"swimsuits?", r"swimwear", r"swim ?trunks", r"speedos?", r"underwear", r"lingerie",
                  r"bra", r"sports bra", r"shirtless", r"topless", r"bare[- ]chested",
                  r"shirt off", r"(?:pulls?|pulling|peels?|peeling|takes?|taking) (?:off )?(?:his|her|their) (?:shirt|top)",
                  r"(?:his|her|their) (?:shirt|top) off", r"crop top", r"low-cut", r"plunging", r"cleavage",
                  r"short shorts", r"naked", r"nude", r"thong", r"see-through", r"sheer (?:dress|top)"),
           any_of(r"bikinis?", r"maillots? (?:de bain|string|une piece)", r"torse nu", r"seins nus",
                  r"sous-vetements?", r"lingerie", r"decollete\w*", r"en slip", r"en culotte", r"toute nue", r"brassiere"),
           any_of(r"bikinis?", r"banador\w*", r"tanga", r"sin camiseta", r"en ropa interior", r"lenceria", r"escote\w*",
                  r"desnud[oa]s?", r"en toalla", r"en topless"),
           _compound(r"bikini", r"badehose", r"badeanzug", r"unterwasche", r"dessous\b", r"oben ohne", r"oberkorperfrei",
                     r"nackt", r"tanga\b", r"sport-?bh")),
          "never show me in swimwear, underwear or shirtless"),
    Topic("ads",
          any_of(r"ads?", r"advert\w*", r"commercials?", r"sponsor\w*", r"brands?", r"product placement", r"promot\w*",
                 r"endors\w*", r"publicit\w*", r"pub", r"marques?", r"placement de produit", r"anuncios?",
                 r"publicidad", r"marcas?", r"patrocin\w*", r"werbung", r"werbe\w*", r"produktplatzierung\w*",
                 r"marken?", r"sponsor\w*", r"pubblicit\w*", r"reclame", r"propaganda comercial", r"reklam\w*"),
          (any_of(r"advert\w*", r"(?:a|tv) commercial", r"commercial for", r"sponsored", r"sponsor\w*", r"product placement", r"promo codes?",
                  r"discount codes?", r"use (?:my )?code", r"code \w*\d+", r"\d+% off", r"link in bio", r"buy (?:it |one )?now",
                  r"grab yours", r"get yours", r"shop now", r"unboxing", r"endors\w*", r"brand deal", r"#ad",
                  r"red bull", r"coca-?cola", r"pepsi", r"nike", r"adidas", r"mcdonald'?s", r"starbucks", r"heineken",
                  r"monster energy", r"energy drink", r"gives you wings", r"just do it", r"promot(?:es|ing|ion) (?:a|an|the|his|her)"),
           any_of(r"publicit\w*", r"pub pour", r"placement de produit", r"code promo", r"sponsoris\w*", r"partenariat",
                  r"lien en bio", r"en promo"),
           any_of(r"anuncio\w*", r"anunciando", r"anuncia (?:una|un)", r"marca de \w+", r"publi\b", r"publicidad", r"promocion\w*", r"codigo de descuento", r"patrocin\w*",
                  r"publi total"),
           _compound(r"werbung", r"werbespot", r"werbeclip", r"rabattcode", r"gutscheincode", r"mit dem code",
                     r"produktplatzierung", r"gesponsert", r"sponsor", r"energy ?drink", r"dose red bull")),
          "no ads, brands or product placement"),
    Topic("politics",
          any_of(r"politi\w*", r"elections?", r"campaign\w*", r"protests?", r"parties", r"party politics",
                 r"politique\w*", r"elections?", r"manif\w*", r"politic[oa]s?", r"politica", r"elecciones",
                 r"mitin\w*", r"politik\w*", r"wahl\w*", r"partei\w*", r"polity\w*", r"politiek\w*", r"politica"),
          (),  # the no_political switch's rules and examples (`safety.instructions.SWITCH_RULES`)
          "no political content"),
    Topic("violence",
          any_of(r"violen\w*", r"fight\w*", r"gore", r"blood\w*", r"brawl\w*", r"combat\w*", r"bagarres?", r"sang",
                 r"peleas?", r"golpes", r"sangre", r"gewalt\w*", r"kampf\w*", r"prugelei\w*", r"schlagerei\w*",
                 r"blut\w*", r"violenz\w*", r"geweld\w*", r"przemoc\w*", r"luta\w*"),
          (),  # the no_violence switch's rules and examples
          "no violence or fighting"),
    Topic("weapons",
          any_of(r"weapons?", r"guns?", r"firearms?", r"rifles?", r"pistols?", r"knives", r"armes?", r"armas?",
                 r"pistolas?", r"waffen?", r"pistolen?", r"gewehre?", r"armi", r"arma de fogo", r"armas de fogo",
                 r"wapens?", r"bron\w*", r"fusils?"),
          (any_of(r"weapons?", r"guns?", r"gunfight\w*", r"firearms?", r"rifles?", r"pistols?", r"revolvers?",
                  r"shotguns?", r"handguns?", r"ak-?47", r"machine guns?", r"snipers?", r"quick-?draw", r"holster\w*",
                  r"shooting range", r"swords?", r"daggers?", r"grenades?", r"bazookas?", r"crossbows?"),
           any_of(r"armes?", r"fusils?", r"pistolets?", r"revolvers?", r"kalach\w*", r"mitraillette\w*", r"epees?",
                  r"poignards?", r"grenades?", r"stand de tir"),
           any_of(r"armas?", r"pistolas?", r"revolver\w*", r"escopetas?", r"rifles?", r"fusil\w*", r"metralleta\w*",
                  r"espadas?", r"punales?", r"granadas?"),
           _compound(r"waffe", r"pistole", r"revolver", r"gewehr", r"flinte", r"schrotflinte", r"maschinenpistole",
                     r"schwert", r"dolch", r"granate", r"schiessstand")),
          "never show me with guns or weapons"),
    Topic("profanity",
          any_of(r"swear\w*", r"curs\w*", r"profanit\w*", r"bad language", r"foul language", r"insults?",
                 r"gros mots?", r"jurons?", r"vulgar\w*", r"grossieret\w*", r"palabrotas?", r"tacos", r"groserias?",
                 r"insultos?", r"fluch\w*", r"schimpf\w*", r"kraftausdruck\w*", r"beleidigung\w*", r"parolacc\w*",
                 r"palavroes?", r"scheldwoord\w*", r"vloek\w*", r"przeklen\w*"),
          (any_of(r"swear\w*", r"curs(?:es|ing)", r"f-?bombs?", r"fuck\w*", r"shit\w*", r"bitch\w*", r"damn\w*",
                  r"profanit\w*", r"insult\w*", r"yell\w* at (?:drivers|people|\w+ drivers)", r"obscen\w*", r"expletives?"),
           any_of(r"insult\w*", r"gros mots?", r"jurons?", r"jure\w*", r"putain", r"merde\w*", r"connard\w*",
                  r"salope\w*", r"vulgaire\w*", r"grossieret\w*", r"injur\w*"),
           any_of(r"insult\w*", r"palabrotas?", r"tacos", r"groserias?", r"joder", r"mierda", r"cabron\w*",
                  r"gilipollas", r"hostia\w*", r"puta\w*"),
           _compound(r"flucht", r"fluchen", r"schimpf", r"beleidig", r"scheisse", r"arschloch", r"verdammt",
                     r"kraftausdruck")),
          "no swearing or insults"),
    Topic("horror",
          any_of(r"horror", r"scary", r"creepy", r"gore", r"zombies?", r"horreur", r"effrayant\w*", r"terror",
                 r"miedo", r"grusel\w*", r"horror\w*"),
          (any_of(r"horror", r"slasher", r"zombies?", r"haunted", r"ghosts?(?! pepper)", r"demons?", r"possessed", r"jump ?scares?",
                  r"creepy", r"chased by a (?:masked|killer)\w*", r"masked (?:killer|slasher)", r"serial killer"),
           any_of(r"horreur", r"zombies?", r"hant\w*", r"fantomes?", r"demons?", r"possede\w*", r"film d'epouvante"),
           any_of(r"terror", r"zombis?", r"embrujad\w*", r"fantasmas?", r"demonios?", r"poseid[oa]"),
           _compound(r"horror", r"zombie", r"gespenst", r"geist(?:er)?\b", r"damon", r"besessen", r"spukhaus")),
          "no horror or scary scenes"),
    Topic("religion",
          any_of(r"relig\w*", r"church\w*", r"mosques?", r"temples?", r"praying", r"prayers?", r"eglises?",
                 r"mosquees?", r"iglesias?", r"mezquitas?", r"kirchen?", r"moscheen?", r"gebet\w*", r"religion\w*"),
          (any_of(r"church\w*", r"mosques?", r"synagogues?", r"temples?", r"pray\w*", r"prayer\w*",
                  r"worship\w*", r"bibles?", r"qurans?", r"korans?", r"rosary", r"baptism", r"sermon\w*"),
           any_of(r"eglises?", r"mosquees?", r"synagogues?", r"pri(?:e|ent|ere|eres|ant)", r"messe", r"bible", r"coran"),
           any_of(r"iglesias?", r"mezquitas?", r"sinagogas?", r"rez(?:a|an|ando|o)", r"oracion\w*", r"misa", r"biblia"),
           _compound(r"kirche", r"moschee", r"synagoge", r"bet(?:et|en|end)\b", r"gebet", r"gottesdienst", r"bibel")),
          "no religious content"),
    Topic("meat",
          any_of(r"meat", r"vegan\w*", r"vegetarian\w*", r"viande", r"vegetarien\w*", r"carne", r"vegetarian[oa]",
                 r"fleisch", r"vegetarisch\w*", r"vlees"),
          (any_of(r"meat", r"steaks?", r"burgers?", r"hamburgers?", r"bacon", r"ham", r"sausages?", r"hot ?dogs?",
                  r"chicken", r"pork", r"beef", r"lamb chops?", r"ribs", r"brisket", r"kebabs?", r"salami", r"pepperoni",
                  r"chicken wings", r"hot wings"),
           any_of(r"viande", r"steak\w*", r"burgers?", r"jambon", r"saucisse\w*", r"poulet", r"boeuf", r"porc",
                  r"cotes? de \w+", r"merguez", r"saucisson"),
           any_of(r"carne\w*", r"filete", r"hamburguesa\w*", r"jamon", r"chorizo", r"pollo", r"cerdo", r"ternera",
                  r"asado", r"chuleta\w*", r"salchicha\w*"),
           _compound(r"fleisch", r"steak", r"burger", r"schinken", r"wurst", r"bratwurst", r"currywurst", r"hahnchen",
                     r"schnitzel", r"speck\b")),
          "never show me eating meat"),
    Topic("animal_form",
          any_of(r"as an? animal", r"into an? animal", r"animal\w*", r"en animal", r"como (?:un )?animal",
                 r"als tier", r"tier\b", r"動物"),
          (any_of(r"(?:turn(?:s|ed|ing)?|transform\w*|morph\w*) (?:\w+ )?into an? (?:\w+ ){0,3}(?:cat|dog|animal|pig|fox|"
                  r"wolf|bear|bunny|rabbit|frog|monkey|lion|tiger|horse|bird|duck|cow|kitten|puppy)",
                  r"as an? (?:cute |cartoon |talking |giant )*(?:cat|dog|animal|pig|fox|wolf|bear|bunny|rabbit|frog|"
                  r"monkey|lion|tiger|horse|bird|duck|cow|kitten|puppy)"),
           any_of(r"(?:transform\w*|change\w*) en (?:un |une )?(?:\w+ )?(?:chat|chien|animal|cochon|renard|loup|lapin)"),
           any_of(r"(?:convert\w*|transform\w*) en (?:un |una )?(?:\w+ )?(?:gato|perro|animal|cerdo|zorro|lobo|conejo)"),
           r"\b(?:verwandel\w*) (?:\w+ )?in (?:eine?n? )?(?:\w+ )?(?:katze|hund|tier|schwein|fuchs|wolf|hasen?)"),
          "don't depict me as an animal"),
)

# Where a topic is also a switch, the switch's rules and examples read the prompt for it.
SWITCH_OF = {"politics": "no_political", "violence": "no_violence"}
# "only wholesome / family-friendly content": everything a family audience would not expect.
WHOLESOME = any_of(r"wholesome", r"family[- ]friendly", r"kid[- ]friendly", r"family content", r"clean content",
                   r"sfw", r"pg", r"tout public", r"tous publics", r"familial\w*", r"para toda la familia",
                   r"apto para (?:todos|ninos)", r"familiar", r"familienfreundlich\w*", r"jugendfrei\w*",
                   r"kinderfreundlich\w*", r"per famiglie", r"gezinsvriendelijk")
NOT_WHOLESOME = ("alcohol", "smoking", "drugs", "gambling", "violence", "weapons", "profanity", "horror", "revealing")
# Polarity: words that forbid what follows, in the four languages and the commonest others.
NEGATION = re.compile(
    r"\b(?:no|never|not|don'?t|do not|dont|doesn'?t|avoid|without|nothing|none|stop|refuse|ban|banned|forbid\w*"
    r"|keep (?:me )?away from|hate|pas de|jamais|pas|plus de|sans|aucune?|evite\w*|interdi\w*|nada de|nunca|jamas"
    r"|sin|evita\w*|prohibid\w*|odio|kein\w*|nie|niemals|nicht|ohne|vermeide\w*|verboten|non|mai|senza|niente"
    r"|nao|sem|geen|nooit|niet|zonder|bez|nigdy)\b|ないて|ません|禁止")
ONLY = re.compile(r"\b(?:only|just|nothing but|seulement|uniquement|que du|solo|solamente|nur|ausschliesslich"
                  r"|soltanto|apenas|alleen)\b")
# A word the prompt itself rules out: "no alcohol", "sans rien fumer", "ni golpes", "alcohol-free".
_PROMPT_NEGATION = re.compile(
    r"\b(?:no|not|without|never|zero|nor|sans|pas de|ni|rien|aucune?|sin|nada de|ohne|kein\w*|nichts|nie"
    r"|non-alcoholic|alcohol-free|alkoholfrei\w*|vegg?ie|vegan|plant-based|vegetarian\w*|vegetarien\w*|vegetarisch\w*)\b"
    r"(?:\s+\S+){0,2}\s*$")
_FREE_AFTER = re.compile(r"^(?:-?free|frei|\s+free|\s+sans|\s+sin)\b")


def shows(topic: Topic, folded: str) -> list[str]:
    """The words of `folded` that show the topic, less those the prompt rules out."""
    hits = []
    for pattern in topic.content:
        for m in _compiled(pattern).finditer(folded):
            before = re.split(r"[,.;:!?]", folded[max(0, m.start() - 30):m.start()])[-1]
            if _PROMPT_NEGATION.search(before) or _FREE_AFTER.match(folded[m.end():m.end() + 8]):
                continue
            hits.append(m.group(0))
    return hits


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def topics_by_words(folded_clause: str) -> list[str]:
    """The topics a folded instruction clause names; all the unwholesome ones for "only wholesome"."""
    named = [t.name for t in TOPICS if _compiled(t.cue).search(folded_clause)]
    if "animal_form" in named and not re.search(r"\b(?:as|into|como|en|als)\b.{0,12}\banimal|動物|\btier\b", folded_clause):
        named.remove("animal_form")
    if _compiled(WHOLESOME).search(folded_clause):
        named += [n for n in NOT_WHOLESOME if n not in named]
    return named


# An instruction clause no cue covers is matched to a topic when its encoder cosine to the topic's
# description reaches this and beats every other topic's by the margin (translations of a
# description score 0.69-0.75, the next topic 0.33-0.46; a clause about something else, 0.37-0.53).
MEANING_THRESHOLD = 0.6
MEANING_MARGIN = 0.1


@lru_cache(maxsize=1)
def _descriptions() -> np.ndarray:
    from safety import semantic

    return semantic.embed([t.description for t in TOPICS])


def topics_by_meaning(clause: str) -> list[str]:
    from safety import semantic

    sims = (semantic.embed([clause]) @ _descriptions().T)[0]
    order = np.argsort(-sims)
    best, second = sims[order[0]], sims[order[1]]
    if best >= MEANING_THRESHOLD and best - second >= MEANING_MARGIN:
        return [TOPICS[int(order[0])].name]
    return []


def polarity(folded_clause: str) -> str | None:
    """"forbid" (a negation), "only" (everything else is forbidden), or None (a wish, not a rule)."""
    if ONLY.search(folded_clause):
        return "only"
    if NEGATION.search(folded_clause):
        return "forbid"
    return None


UNIFORM = Topic(
    "uniform",
    any_of(r"uniforms?", r"military", r"army", r"police", r"uniformes?", r"uniforme", r"militar\w*", r"uniform\w*",
           r"mundur\w*", r"divisa"),
    (any_of(r"uniforms?", r"military (?:dress|fatigues|gear|outfit)", r"(?:army|police|navy|military) officer",
            r"camouflage fatigues", r"in fatigues"),
     any_of(r"en uniforme", r"treillis", r"tenue militaire"),
     any_of(r"de uniforme", r"uniforme militar", r"uniforme de policia"),
     r"\b" + _compound(r"uniform", r"tarnanzug")),
    "never show me in a uniform")
DOGS = Topic(
    "dogs",
    any_of(r"dogs?", r"puppies", r"puppy", r"chiens?", r"chiots?", r"perros?", r"cachorros?", r"hunde?", r"welpen?",
           r"cani", r"honden?", r"psy", r"psow"),
    (any_of(r"dogs?", r"pupp(?:y|ies)", r"golden retrievers?", r"labradors?", r"german shepherds?", r"poodles?",
            r"huskies", r"husky", r"bulldogs?", r"beagles?", r"corgis?", r"terriers?", r"dachshunds?"),
     any_of(r"chiens?", r"chiots?", r"berger allemand", r"caniche", r"toutous?"),
     any_of(r"perr(?:o|a|os|as|ito|itos)", r"cachorr\w*", r"pastor aleman"),
     r"\b" + _compound(r"hund(?!ert)", r"welpe", r"schaferhund", r"dackel", r"pudel")),
    "never show me with dogs")
TOPICS = TOPICS + (UNIFORM, DOGS)
BY_NAME = {t.name: t for t in TOPICS}
