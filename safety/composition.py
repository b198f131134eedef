"""Rules of combination: two signals that are harmless apart and harmful together.

A phrase list follows the wordings its writers imagined; a public app gets every other wording on
day one. What stays the same across wordings is the combination: a school uniform is harmless and
a slow dance is harmless, a school uniform in a seductive slow dance is the sexualisation of a
child, whatever age the prompt claims. So each rule here is a pair of families of words, each
family written broadly once, in English, French, Spanish and German, over `safety.text.fold`
output (lowercase ASCII, leetspeak, spacing and accents undone, common misspellings corrected):

- youth framing (school grades and uniforms, pigtails, "barely legal", petite or baby-faced "teen",
  a kid's bedroom, a youth coach, stepfamily, babysitting, camps) with anything sexual or romantic:
  sexual content involving a minor, whatever age is stated;
- a child (any word for one, or a bare age) with anything sexual, sexualising or predatory (a
  secret, an older man, a camera on the body), unless the prompt teaches children to stay safe;
- non-consent (pushing away, "doesn't want", "would never agree", a spiked drink, unconscious,
  asleep, a hidden camera) with intimacy: sexual content without consent;
- a format of evidence (CCTV, bodycam, doorbell or dash cam, leaked video or texts, a news report,
  a mugshot, a screenshot) with a crime, an arrest, a scandal or a confession: fabricated evidence
  about a person, unless the prompt labels itself as a film scene and does not ask to pass as real;
- a farewell (a goodbye note, "my last video") with a way to die, and urging someone on to hurt
  themselves: self-harm;
- a group of people with a word that dehumanises them or calls for their removal: hate;
- a degrading act with the setting that makes it one (on all fours at a dog bowl, spat on by
  a crowd): humiliation;
- an attack on accounts said as something to make (a phishing email "that looks like PayPal"),
  not to spot: instructions for serious harm; a recruitment with an extremist cause: extremism.

Each rule was written for a family and then tried against its harmless look-alikes (a kiss on a
sleeping baby's forehead, a news anchor reading about a robbery, a farewell card, a dog on a
leash): tests/test_composition.py holds both sides.

A word the prompt negates ("no kissing", "sans violence") does not count (`lexicon.find`). Each
family is a tuple of regular expressions, one per language at most, so that a family can grow
in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from safety.context import EDUCATION, SUPPORT
from safety.lexicon import MINOR, RULES, SEXUALISED, any_of, find, present

# Signals --------------------------------------------------------------------------------------
# A person framed as a child, short of a stated age: the tropes of sexualised youth.
YOUTH = (
    any_of(r"(?:[1-9]|1[0-2])(?:st|nd|rd|th)[ -]grade\w*", r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth"
           r"|ninth|tenth)[ -]grade\w*", r"grade (?:[1-9]|1[0-2])", r"middle[ -]school\w*", r"junior[ -]high",
           r"elementary school\w*", r"primary school\w*", r"high[ -]school(?:er|ers)?(?! reunion)", r"prom",
           r"school ?(?:girl|boy|kid)s?", r"(?:school|gym|catholic school|sailor) (?:uniform|skirt|outfit)s?",
           r"plaid (?:school )?skirts?", r"knee socks", r"pig ?tails", r"(?:with|wearing|and|her|his) braces",
           r"baby[- ]?fac\w*", r"child[- ]?like", r"braces", r"flat[- ]?chested", r"twin ?tails",
           r"innocent (?:face|look|girl|schoolgirl)", r"i swear (?:she|he|they)'?(?:s| is| are) (?:18|19|legal|an adult)",
           r"(?:18|19|legal)\+? i swear", r"(?:looks?|looking) (?:like (?:a |an )?)?(?:child|kid|teen\w*|minor"
           r"|little girl|little boy|1[0-7]|[1-9])\b", r"looks? (?:much )?younger", r"petite teen\w*",
           r"tiny teen\w*", r"young teen\w*", r"teen\w*", r"barely (?:legal|18|eighteen)", r"just turned (?:18|eighteen)",
           r"fresh (?:18|eighteen)", r"(?:is|she'?s|he'?s|i'?m|age is|aged?) (?:18|eighteen|19|21)\w* (?:but|i promise|i swear)",
           r"lolita", r"jailbait", r"little (?:girl|boy|sister|brother)s?", r"daddy'?s little", r"ddlg", r"age ?play",
           r"diapers?", r"pacifiers?", r"kindergart\w*", r"roleplay\w* as (?:a |an )?(?:child|kid|little girl|little boy"
           r"|schoolgirl|kindergart\w*|teen\w*|minor|toddler|baby)", r"daddy'?s lap", r"stuffed animals?", r"teddy ?bears?", r"plushies", r"kid'?s (?:room|bedroom)",
           r"child'?s (?:room|bedroom)", r"(?:pink|little) girl'?s? (?:room|bedroom)", r"nursery",
           r"youth (?:coach|pastor|leader|group|team|league|camp|club|minister|soccer|football|hockey|swim\w*|"
           r"basketball)\w*", r"junior (?:team|league|squad)", r"little league", r"under-?1[0-7]s?", r"u1[0-7]",
           r"step-?(?:sis|sister|bro|brother|daughter|son|dad|father|mom|mum|mother|kid|child|family)s?",
           r"babysit\w*", r"baby-?sitter\w*", r"cheer ?camp", r"summer camp", r"sleepaway camp",
           r"camp counsell?ors?", r"sleepovers?", r"slumber part(?:y|ies)", r"girl scouts?", r"boy scouts?",
           r"scout (?:troop|camp|leader)s?", r"(?:his|her|the) (?:young )?(?:pupil|student)s?", r"after class", r"school bus", r"on (?:her|his) way to school",
           r"tween\w*", r"preteen\w*", r"underage\w*", r"minors?"),
    # fr
    any_of(r"ecolier(?:e|es|s)?", r"collegien(?:ne|nes|s)?", r"lyceen(?:ne|nes|s)?", r"uniforme (?:scolaire|d'ecol\w*)",
           r"jupe (?:d'ecoliere|plissee)", r"couettes", r"appareil dentaire", r"ados?", r"adolescent(?:e|es|s)?",
           r"(?:a peine|tout juste) majeure?s?", r"chambre d'enfant", r"peluches?", r"nounours",
           r"beau-pere", r"belle-fille", r"beau-fils", r"demi-(?:frere|soeur)s?", r"baby-?sitt\w*",
           r"colonie(?: de vacances)?", r"entraineur (?:des jeunes|de l'equipe (?:junior|des jeunes))",
           r"en (?:6e|5e|4e|3e|sixieme|cinquieme|quatrieme|troisieme|cp|ce1|ce2|cm1|cm2)", r"(?:ecole )?primaire", r"cour de recre\w*",
           r"son (?:eleve|professeur|prof)", r"sa (?:jeune )?eleve", r"fillette"),
    # es
    any_of(r"colegial(?:a|as|es)?", r"uniforme (?:escolar|de colegi\w*)", r"coletas", r"frenillos", r"brackets",
           r"adolescentes?", r"aninad[oa]s?", r"cara de nin[oa]", r"apenas (?:legal|mayor de edad)",
           r"recien cumplid\w* (?:los )?18", r"habitacion infantil", r"cuarto de (?:nina|nino)", r"peluches",
           r"hermanastr[oa]s?", r"padrastro", r"madrastra", r"hijastr[oa]s?", r"ninera", r"campamento (?:de verano|de animadoras|juvenil)",
           r"entrenador (?:del equipo )?(?:infantil|juvenil|de (?:ninos|ninas|juveniles|cadetes))",
           r"secundaria", r"primaria", r"(?:primero|segundo|tercero|cuarto) de (?:la )?eso", r"pijamada",
           r"(?:su|una) alumna"),
    # de
    any_of(r"schulmadchen", r"schuler(?:in|innen)?", r"schuluniform\w*", r"zopfe\w*", r"zopfchen", r"zahnspange",
           r"teenager\w*", r"teenie\w*", r"kindlich\w*", r"babygesicht", r"gerade (?:erst )?(?:18|volljahrig)",
           r"kinderzimmer", r"kuscheltier\w*", r"teddy\w*", r"stief(?:vater|mutter|tochter|sohn|bruder|schwester)\w*",
           r"babysitter\w*", r"jugendtrainer\w*", r"jugendmannschaft\w*", r"jugendleiter\w*", r"ferienlager",
           r"zeltlager", r"(?:[5-9]|1[0-2])\. ?klasse", r"(?:funft|sechst|siebt|acht|neunt)klassler\w*", r"(?:funfte|sechste|siebte|achte|neunte|zehnte)n? klasse",
           r"grundschul\w*", r"gymnasiast\w*", r"pyjamaparty", r"schulhof"),
)
# Any word for a child, a stated age under 18 included (`lexicon.MINOR`), and a bare age after a
# name or in brackets ("@maddie, 15, ...", "(both 14)").
CHILD = (MINOR, r"(?:,|\()\s*(?:both |all |age |aged )?(?:[1-9]|1[0-7])\s*(?=,|\))",
         r"\b(?:who'?s|who is|she'?s|he'?s|actually|only|just|barely) (?:\w+ )?(?:[1-9]|1[0-7])\b(?! ?(?:feet|foot|ft|cm|m|"
         r"minutes|mins|seconds|secs|kg|lbs?|am|pm|percent|%|hours|days|weeks|months|miles|km|times|points)\b)")
# Teaching children and parents to stay safe: words of abuse there are not a request for it.
PROTECTIVE = (
    any_of(r"(?:how to|learn\w* to|teach\w* (?:\w+ )?(?:to|how to)) (?:\w+ ){0,2}(?:recogni[sz]e|spot|prevent|report|"
           r"avoid|resist|protect)", r"keep\w* (?:\w+ )?(?:kids|children|teens|students) safe", r"(?:online )?safety "
           r"(?:workshop|talk|class|lesson|course|training)", r"awareness (?:workshop|talk|class|campaign|video)",
           r"child protection"),
    any_of(r"prevention", r"proteger les enfants", r"proteger a los ninos", r"kinderschutz", r"pravention"),
)

_KISS = (r"kiss(?:es|ed|ing)?(?! (?:on|to) (?:the|her|his|their) (?:forehead|cheek|head|hand)| goodnight| good night"
         r"| goodbye| bye| the (?:baby|trophy|ring|ground|cross|dice)| (?:her|his|their) (?:sleeping |newborn )?"
         r"(?:baby|babies|son|daughter|child|children|kids?|newborn|toddler|infant|little one|twins|puppy|dog|cat"
         r"|grand(?:child|son|daughter)\w*)\b)")
# Sexual or romantic, short of explicit (the explicit words are `lexicon.RULES["sexual"]`).
ROMANTIC = (
    any_of(_KISS, r"mak(?:e|es|ing) out", r"made out", r"romantic\w*", r"romance", r"flirt\w*", r"seduc\w*",
           r"sensual\w*", r"sultry", r"steamy", r"intima\w*", r"sexy", r"hot and heavy", r"bedroom eyes",
           r"bit(?:es|ing)? (?:her|his) lip", r"teas\w* (?:the camera|the viewers|him|her)", r"caress\w*", r"fondl\w*", r"grop\w*",
           r"cuddl\w* (?:in|under)", r"climbs? (?:in|into) (?:her|his|their|the) bed", r"into bed", r"in bed together",
           r"gets? (?:in|into) bed", r"under the (?:covers|sheets)", r"massag\w*", r"undress\w*", r"unzip\w*",
           r"unbutton\w*", r"undo\w* (?:the |her |his )?(?:top )?buttons", r"(?:take|takes|taking|took) off (?:her|his)"
           r" (?:blouse|shirt|top|dress|skirt|clothes|bra)", r"spread\w* (?:her|his) legs", r"bend\w* over",
           r"(?:on|in) (?:his|her|a man'?s|an older man'?s|the teacher'?s) lap", r"whisper\w* (?:\w+ ){0,3}in bed",
           r"watch\w* (?:her|him|them) (?:shower|undress|change|bathe|sleep)", r"(?:shower|bath)\w* together", r"provocativ\w*", r"provocant\w*",
           r"joins? (?:her|him) in the (?:shower|bath)", r"lingerie", r"underwear", r"panties", r"nighties?",
           r"negligee", r"see-?through", r"(?:bikini|swimsuit)s? (?:on (?:her|his|the) bed|posing|photo ?shoot)",
           r"posing (?:\w+ )?on (?:her|his|the) bed", r"lap ?dances?", r"older (?:man|men|guy|stranger)",
           r"sugar daddy", r"private (?:lesson|session|show)s?", r"(?:her|his) (?:thighs|body|chest|curves)",
           r"in (?:their|her|his) underwear", r"turns? (?:into|to) (?:making out|kissing)", r"lick\w* (?:her|his) lips",
           r"moan\w*", r"in the (?:shower|bath) together", r"caught (?:her|him) in the shower",
           r"(?:sits?|sitting|sat) on (?:\S+ ){0,2}lap", r"slow dance with an? older",
           r"strok\w* (?:her|his) (?:hair|cheek|leg|thigh|face|back|arm)",
           r"sits? on (?:her|his|the) bed",
           r"(?:climbs?|crawls?|slips?|sneaks?|slides?|gets?) (?:\S+ ){0,2}(?:in|into|under) (?:\S+ ){0,2}(?:bed|covers|sheets|"
           r"sleeping bag|blankets?)", r"sneaks? into (?:the |her |his )?(?:\S+ )?(?:cabin|room|tent|dorm|bedroom) at night",
           r"on all fours", r"(?:posing|poses|lying|lies|kneeling) (?:\S+ ){0,4}on (?:a|the|her|his) bed",
           r"close-?ups? of (?:her|his) (?:body|legs|chest|thighs|butt)"),
    # fr
    any_of(r"sexy", r"sensuel\w*", r"seduisant\w*", r"seduct\w*", r"aguich\w*", r"lasci\w*", r"embrass\w*(?! (?:sur|"
           r"le) (?:le )?(?:front|joue))", r"bisous?", r"caress\w*", r"romanti\w*", r"flirt\w*", r"drague\w*",
           r"intime\w*", r"lingerie", r"sous-vetements", r"culottes?", r"nuisettes?", r"deshabill\w*", r"dans (?:son|le)"
           r" lit", r"sous (?:sa|la) jupe", r"sur (?:ses|les) genoux", r"massage\w*", r"masse\w*", r"torride",
           r"pose\w* (?:sexy|lascive\w*|suggestive\w*)", r"se glisse dans", r"provocant\w*", r"en petite tenue",
           r"(?:homme|monsieur) plus age"),
    # es
    any_of(r"sexy", r"sensual\w*", r"seduc\w*", r"provocativ\w*", r"insinuante", r"bes(?:a|o|os|an|ando|arla|arlo"
           r"|arse|andose)", r"acarici\w*", r"caricias?", r"romantic\w*", r"coquete\w*", r"intim\w*", r"lenceria",
           r"ropa interior", r"bragas", r"desnud\w*", r"quit\w* la ropa", r"en (?:su|la) cama", r"a (?:su|la) cama",
           r"(?:en su|en el) regazo", r"sobre sus (?:rodillas|piernas)", r"masaje\w*", r"hombre mayor", r"calient\w*"),
    # de
    any_of(r"sexy", r"verfuhrerisch\w*", r"sinnlich\w*", r"lasziv\w*", r"kuss\w*", r"kusst", r"knutsch\w*",
           r"streichel\w*", r"romanti\w*", r"flirt\w*", r"intim\w*", r"dessous", r"unterwasche", r"reizwasche",
           r"zieht (?:sie|ihn|ihr|ihm) (?:\w+ ){0,3}aus", r"auszieh\w*", r"ins bett", r"in (?:ihr|sein|ihrem|seinem)"
           r" bett", r"massier\w*", r"massage\w*", r"alter(?:e|en) (?:mann|herr)", r"rakel\w*", r"rekel\w*",
           r"auf (?:seinem|dem) schoss", r"aufreizend\w*"),
)
# What a predator does, whoever the child is with: secrets, an older man, a camera on the body, a
# hand under the clothes. Unlike a kiss or a bedtime cuddle, none of it is what a parent does.
PREDATORY = (
    any_of(r"our (?:little )?secret", r"(?:don'?t|do not|never) tell (?:your|anyone|mom|mum|dad|mommy|daddy)",
           r"older (?:neighbou?r|man|men|guy|stranger|friend|cousin|uncle|boy|student)s?",
           r"hands? (?:\w+ )?(?:up|under|inside|down|onto|between) (?:her|his) (?:skirt|dress|shirt|top|pants|shorts|"
           r"thighs?|legs|chest|breasts?|butt|crotch|underwear|panties)",
           r"lift\w* (?:up )?(?:her|his) (?:skirt|dress|shirt|top)", r"(?:flash\w*|show\w*) (?:her|his) (?:panties|underwear)",
           r"(?:watch\w*|spy\w*|peek\w*|peep\w*|film\w*|record\w*) (?:\S+ ){0,5}(?:while|as) (?:she|he|they) (?:changes|"
           r"undresses|showers|bathes|gets (?:dressed|changed))", r"through the keyhole",
           r"zoom\w* (?:in )?on (?:her|his|the child'?s|the kid'?s) (?:body|chest|crotch|butt|legs|bottom)",
           r"close-?ups? of (?:her|his) (?:body|legs|chest|thighs|butt|crotch)", r"for (?:an? )?(?:adult|older|grown) "
           r"(?:men|man|viewers|strangers?)", r"(?:send|sends|sending|sent) (?:him |her )?(?:pics|photos|pictures|selfies)"
           r" of (?:her|his)self", r"touch\w* (?:her|his) (?:legs?|thighs?|chest|body|butt|bottom|knee)",
           r"(?:puts?|places?|rests?|lays?) (?:his|her) hands? on (?:her|his) (?:knee|thigh|leg|lap|waist|chest)",
           r"lacy (?:bra|underwear|lingerie)", r"(?:in|wearing) (?:a|her|just a) bra\b", r"in (?:her|his) dms"),
    any_of(r"notre (?:petit )?secret", r"ne (?:le )?dis (?:rien )?a (?:personne|ta mere|tes parents)",
           r"(?:homme|monsieur|voisin) plus age", r"(?:main|mains) (?:sous|dans) (?:sa|la) (?:jupe|culotte|robe)",
           r"pour un (?:monsieur|homme|inconnu|adulte)", r"qui la filme"),
    any_of(r"nuestro secreto", r"no se lo (?:digas|cuentes) a (?:nadie|tu madre|tus padres)", r"hombre mayor",
           r"(?:mano|manos) (?:bajo|debajo de|dentro de) (?:su|la) (?:falda|ropa interior|vestido)",
           r"para (?:un hombre|los hombres|adultos|los seguidores adultos|seguidores adultos)", r"tanga", r"perreo"),
    any_of(r"unser (?:kleines )?geheimnis", r"sag es (?:niemandem|nicht deiner mutter|nicht deinen eltern)",
           r"alter(?:e|en|er) (?:mann|herr|nachbar)", r"hand (?:unter|in) (?:ihren|ihrem|den) (?:rock|slip|hoschen)",
           r"fur einen (?:fremden|alteren)? ?mann"),
)
# Without consent: refusal, incapacity, a drugged drink, being filmed unawares.
NON_CONSENT = (
    any_of(r"push\w* (?:\w+ )?(?:him|her|them|someone) away", r"push\w* away", r"shov\w* (?:him|her|them|someone) "
           r"(?:away|off)", r"tr(?:y|ies|ying|ied) to (?:push \w+ away|pull away|leave|get away|escape|stop (?:him|her))",
           r"struggl\w*", r"(?:says?|saying|said|screams?|screaming|screamed|yells?|yelling|shouts?|shouting|cr(?:y|ies|"
           r"ying)) ['\"]?no\b", r"(?:doesn'?t|does not|didn'?t|did not|don'?t) want (?:it|to|this|that|him|her|them|"
           r"any of)", r"(?:would|will|wouldn'?t) never (?:agree|consent|say yes|want)", r"never (?:agreed|consented)",
           r"without (?:her|his|their|someone'?s) (?:consent|permission|knowledge|knowing)", r"against (?:her|his|their)"
           r" will", r"non-?consensual\w*", r"unwilling\w*", r"not consent\w*", r"hold\w* (?:her|him|them|someone) down",
           r"held (?:her|him|them|someone) down", r"pin\w* (?:her|him|them|someone) (?:down|to (?:the|a))",
           r"forc\w* (?:her|him|them|someone|himself|herself) (?:on|onto|into|to)", r"blocks? the door",
           r"locks? the door", r"(?:slip|slips|slipped|slipping|puts?|putting|drops?|dropped|dropping|pours?|sneaks?)"
           r" (?:something|a pill|pills|a drug|drugs|powder|a roofie|a sedative|a sleeping pill) (?:in|into) "
           r"(?:\S+ ){0,2}(?:drink|glass|wine|beer|cocktail|coffee)", r"spik\w* (?:\w+ ){0,2}(?:drink|glass)\w*",
           r"drugg(?:ed|ing|s) (?:her|him|them|someone)", r"drugged", r"roofie\w*", r"sleeping pill in",
           r"unconscious", r"passed out", r"blacked out", r"knocked out", r"asleep", r"sleeping", r"while (?:she|he|they)"
           r" sleeps?", r"too drunk", r"blackout drunk", r"hidden cam\w*", r"spy ?cam\w*", r"secretly (?:film|record|"
           r"watch|photograph)\w*", r"peeping", r"peep(?:s|ed) on", r"upskirt\w*", r"can'?t (?:move|resist|say no|fight back)",
           r"(?:she|he) is (?:crying|sobbing) and", r"despite (?:her|his|their) (?:protests?|refusal)",
           r"(?:tells?|told|asks?|asked|begs?|begged|screams? at|yells? at|pleads? with) (?:\S+ )?to stop",
           r"pin\w* (?:her|his|their|someone'?s) (?:wrists|arms|hands)", r"(?:until|till) (?:she|he) can barely stand",
           r"(?:keeps?|kept) (?:\w+ ){0,2}(?:topping up|refilling|pouring)", r"but (?:he|she|someone) keeps? going",
           r"barely (?:conscious|awake|able to stand|standing|moving)", r"hand over (?:her|his|their) mouth",
           r"corners? (?:her|him|them|someone)", r"gag(?:s|ged|ging)? (?:her|him|them|someone)"),
    # fr
    any_of(r"repouss\w*", r"dit non", r"crie non", r"ne veut pas", r"jamais accepte", r"sans son (?:consentement|accord)",
           r"contre son gre", r"a son insu", r"sans qu'(?:elle|il) le sache", r"endormie?s?", r"dort", r"qui dort",
           r"pendant qu'(?:elle|il) dort", r"inconscient\w*", r"evanoui\w*", r"ivre morte?", r"completement ivre",
           r"trop ivre", r"droguee?s?", r"(?:met|glisse|verse) (?:quelque chose|une pilule|de la drogue|un cachet|un "
           r"somnifere) dans (?:son|sa) (?:verre|boisson|vin)", r"camera cachee", r"en cachette", r"(?:la|le) "
           r"(?:maintient|plaque|bloque)", r"se debat\w*", r"essaie de partir"),
    # es
    any_of(r"(?:lo|la|le) empuja\w*", r"empujandol[oa]", r"(?:lo|la|le) aparta", r"dice que no", r"grita (?:que )?no",
           r"no quiere", r"nunca (?:aceptaria|estaria de acuerdo|querria)", r"sin su consentimiento",
           r"contra su voluntad", r"sin que (?:lo|ella|el) sepa", r"dormid[oa]s?", r"duerme", r"mientras duerme",
           r"inconscientes?", r"desmayad[oa]", r"borrach[oa] perdid[oa]", r"demasiado borrach[oa]", r"drogad[oa]",
           r"(?:echa|pone|mete|echo|puso|metio) (?:algo|una pastilla|droga|un somnifero) en su (?:copa|bebida|vaso)",
           r"algo en su (?:copa|bebida)", r"camara (?:oculta|escondida)", r"(?:la|lo) sujeta", r"(?:la|lo) inmoviliza",
           r"forceje\w*", r"intenta irse"),
    # de
    any_of(r"schiebt (?:\w+ ){0,2}weg", r"stosst (?:\w+ ){0,2}weg", r"sagt nein", r"schreit nein",
           r"will (?:es |das )?nicht", r"mochte (?:es |das )?nicht", r"(?:wurde|wird) (?:nie|niemals) zustimmen",
           r"ohne (?:ihre|seine) (?:zustimmung|einwilligung|wissen)", r"gegen (?:ihren|seinen) willen", r"heimlich",
           r"schlaft", r"schlafend\w*", r"im schlaf", r"bewusstlos\w*", r"ohnmachtig\w*", r"(?:total|vollig|sturz)"
           r" ?betrunken", r"volltrunken", r"zu betrunken", r"k\.? ?o\.?-?tropfen", r"etwas in (?:ihr|sein) (?:getrank|"
           r"glas)", r"versteckte\w* kamera", r"halt (?:sie|ihn) fest", r"druckt (?:sie|ihn) (?:aufs|auf das) bett"),
)
# Physical intimacy: what non-consent turns into an assault.
INTIMACY = (
    any_of(_KISS, r"mak(?:e|es|ing) out", r"touch\w* (?:her|him|them|someone)", r"fondl\w*", r"grop\w*",
           r"caress\w*", r"undress\w*", r"strip(?:s|ped|ping)? (?:her|him|them|someone|naked|off)", r"(?:take|takes|taking|took|pull\w*|tear\w*|tore|rip\w*) (?:off )?"
           r"(?:her|his|their|someone'?s) (?:clothes|dress|shirt|top|skirt|pants|trousers|underwear|bra|blouse|t-shirt)",
           r"(?:tear\w*|tore|rip\w*|pull\w*|grab\w*|yank\w*|tug\w*) at (?:her|his|their) (?:clothes|dress|shirt|top|skirt|"
           r"pants|underwear|bra|blouse|belt|zipper)", r"hands? (?:\w+ )?(?:onto|on|up|under|inside|between|down) (?:her|his)"
           r" (?:thighs?|legs|skirt|dress|shirt|top|pants|shorts|chest|breasts?|butt|crotch)", r"(?:tear|tears|tore|rip|rips|ripped) (?:her|his)"
           r" (?:\w+ )?(?:dress|shirt|clothes|top) off", r"(?:into|to) his bed", r"(?:in|to) bed with",
           r"(?:climbs?|gets?|crawls?|slips?|sneaks?|slides?) (?:\w+ )?(?:in|into|under) (?:\w+ )?(?:bed|covers|sheets)",
           r"(?:carries|carried|carry|leads?|led|drags?|dragged) (?:her|him|them|someone) (?:\w+ ){0,2}(?:to|into) "
           r"(?:his|her|their|the) (?:bed|bedroom)", r"takes? (?:her|him) (?:home )?to (?:bed|his bed)",
           r"naked(?! eye)", r"nude(?!-| (?:heels|shoes|pumps|sandals|colou?r\w*|tones?|lipstick|lip\w*|palette|makeup|nails?"
           r"|tights|dress|beige|shade))", r"sex\w*", r"lies? down (?:next to|with|beside) (?:her|him)", r"gets? on top of",
           r"climbs? on top", r"(?:her|his) body", r"intimate\w*", r"showering", r"unbuckl\w*", r"unzip\w*",
           r"lift\w* (?:up )?(?:her|his) (?:skirt|dress|shirt|top|nightgown)", r"carr(?:y|ies|ied) (?:her|him) upstairs", r"changing (?:room|clothes)",
           r"in the (?:shower|changing room|locker room)"),
    # fr
    any_of(r"embrass\w*(?! (?:sur|le) (?:le )?(?:front|joue))", r"touch\w*", r"caress\w*", r"tripot\w*", r"couette",
           r"deshabill\w*", r"dans (?:son|le|sa) lit", r"(?:enleve|retire|arrache) (?:sa|ses|son) (?:robe|vetements|"
           r"chemise|haut|jupe|culotte|t-shirt)", r"nue?s?", r"sexe", r"sexuel\w*", r"se glisse dans",
           r"couche avec", r"s'allonge (?:contre|avec|a cote)", r"fait l'amour", r"sous la douche"),
    # es
    any_of(r"bes(?:a|o|os|an|ando|arla|arlo|andola|andolo)", r"(?:la|lo|le) toca", r"tocandol[ao]", r"tocarla",
           r"manose\w*", r"acarici\w*", r"desnud\w*", r"quit\w* la ropa", r"a (?:su|la) cama", r"en (?:su|la) cama",
           r"se mete en", r"sexo", r"sexual\w*", r"se acuesta con", r"le arranca (?:la|el) (?:ropa|vestido|camiseta)"),
    # de
    any_of(r"kusst", r"kussen", r"kuss\w*", r"fasst (?:sie|ihn|ihr|ihm) (?:\w+ )?an", r"anfass\w*", r"beruhr\w*",
           r"betatsch\w*", r"begrapsch\w*", r"streichel\w*", r"zieht (?:sie|ihn|ihr|ihm) (?:\w+ ){0,3}aus",
           r"auszieh\w*", r"legt sich zu", r"ins bett", r"in (?:ihr|sein|ihrem|seinem) bett", r"nackt\w*", r"sex\w*",
           r"(?:unter|in) der dusche", r"beim (?:duschen|umziehen|baden)", r"umkleide\w*"),
)
# A parent's or a partner's tenderness: a kiss on the forehead, a goodnight; with a sleeping child
# it is not an assault.
AFFECTION = (
    any_of(r"on the (?:forehead|cheek|head|nose|hand)", r"goodnight", r"good night", r"tuck\w* (?:\w+ )?in"),
    any_of(r"sur le front", r"sur la joue", r"bonne nuit", r"borde\w*"),
    any_of(r"en la frente", r"en la mejilla", r"buenas noches", r"arropa\w*"),
    any_of(r"auf die (?:stirn|wange)", r"gute nacht", r"deckt \w+ zu"),
)
# Formats that make a clip read as a record of something that happened.
EVIDENCE = (
    any_of(r"cctv", r"security (?:cam|camera|footage|video)\w*", r"surveillance (?:cam|camera|footage|video|tape)\w*",
           r"body ?cam\w*", r"body-worn camera", r"nanny ?cam\w*", r"baby ?monitor footage", r"door ?bell (?:cam|camera)\w*", r"ring (?:cam|camera)\w*",
           r"dash ?cam\w*", r"leaked", r"leaks? of", r"(?:news|tv) (?:report|segment|broadcast|bulletin|footage|clip|story)s?",
           r"breaking news", r"local news", r"evening news", r"newscast", r"tmz", r"mug ?shots?", r"booking photos?",
           r"police (?:report|footage|video|photo)s?", r"screenshots?", r"screen ?caps?", r"(?:text|whatsapp|chat)"
           r" (?:messages?|logs?|thread|conversation)", r"(?:texts|dms|emails) (?:where|in which|showing)",
           r"(?:whatsapp|imessage|sms|instagram|messenger) (?:chat|conversation|dms?)", r"confession (?:video|tape)",
           r"caught on (?:camera|tape|video)", r"timestamp\w*", r"found footage", r"court (?:footage|sketch)",
           r"viral (?:video|clip)", r"hidden (?:camera|cam) footage", r"phone footage", r"recording of", r"tabloid\w*",
           r"paparazzi", r"email (?:chain|thread)s?"),
    # fr
    any_of(r"videosurveillance", r"camera de (?:surveillance|securite)", r"camera cachee", r"images de (?:surveillance|securite)",
           r"camera-?pieton", r"camera (?:de )?sonnette", r"dashcam", r"fuit(?:e|ee|ees|es)?", r"capture d'ecran",
           r"journal televise", r"reportage", r"flash info", r"photo (?:d'identite judiciaire|de police)",
           r"(?:faux|fausse)s? (?:messages|sms|conversation|capture)", r"messages (?:ou|dans lesquels)"),
    # es
    any_of(r"camara de (?:seguridad|vigilancia)", r"grabacion de (?:seguridad|vigilancia)", r"camara corporal",
           r"camara del timbre", r"dashcam", r"filtrad[oa]s?", r"captura de pantalla", r"noticiero", r"telediario",
           r"reportaje", r"noticia", r"foto (?:policial|de la ficha|de ficha)", r"ficha policial",
           r"(?:mensajes|chat) (?:donde|en (?:el|los) que)"),
    # de
    any_of(r"uberwachungs\w*", r"sicherheitskamera\w*", r"bodycam\w*", r"turklingelkamera\w*", r"dashcam\w*",
           r"geleakt\w*", r"screenshot\w*", r"nachrichtensendung\w*", r"tagesschau", r"nachrichten", r"polizeifoto\w*",
           r"fahndungsfoto\w*", r"chatverlauf\w*", r"(?:nachrichten|chat),? (?:in denen|in dem|wo)"),
)
# A crime, an arrest, a scandal or a confession: what evidence would be of.
WRONGDOING = (
    any_of(r"shoplift\w*", r"steal(?:s|ing)?(?! (?:the (?:show|spotlight|ball|base|scene|last)|a (?:kiss|glance|look"
           r"|base)|(?:her|his|their|my|your) (?:heart|look|style)))", r"stole", r"stolen", r"theft", r"thie(?:f|ves)", r"rob(?:s|bed|bing"
           r"|bery|beries)?", r"burglar\w*", r"break(?:s|ing)? into", r"broke into", r"arrest\w*", r"handcuff\w*",
           r"in cuffs", r"dui", r"drunk driving", r"driving drunk", r"hit[- ]and[- ]run", r"fraud\w*", r"embezzl\w*",
           r"scam\w*", r"brib\w*", r"cheat(?:s|ed|ing)? on", r"affair", r"confess\w*", r"admit(?:s|ted|ting)?",
           r"assault\w*", r"attack(?:s|ed|ing)? (?:a|an|the|his|her|someone)", r"punch(?:es|ed|ing)? (?:a|an|the|his|"
           r"her|someone)", r"hitting (?:a|an|the|his|her|someone)", r"(?:deal|sell|sold|dealing|selling)\w* drugs",
           r"drug deal\w*", r"vandali[sz]\w*", r"murder\w*", r"kill(?:s|ed|ing)? (?:a|an|the|his|her|someone)",
           r"crimes?", r"criminal", r"scandal\w*", r"busted", r"caught (?:stealing|cheating|red-handed|with)",
           r"racist rant", r"slur", r"abus(?:e|es|ed|ing) (?:a|an|the|his|her|someone|children|kids)", r"cocaine",
           r"snort\w*", r"mugshot", r"pull\w* a (?:gun|knife|weapon) on", r"threaten\w*",
           r"(?:shoot|shot|stab|punch|hit)\w* (?:a |an |the )?(?:cop|officer|policeman|guard|cashier|clerk)", r"falsif\w*", r"caught with", r"(?:with|on) cocaine", r"perp walk", r"prison", r"jail\w*", r"indicted", r"convicted", r"charged with",
           r"sexual(?:ly)? harass\w*", r"cheat\w*", r"lying under oath", r"rigged", r"kidnap\w*", r"running over",
           r"ran over", r"causing an? (?:crash|accident)", r"crash(?:es|ed|ing)? into", r"flee\w*", r"fled",
           r"(?:slap|hit|punch|kick|shov|beat|push|shak|abus|strik)\w* (?:a |an |the |his |her |someone|toddler|child|kid"
           r"|baby|old|elderly|patient|resident|student|employee)", r"(?:asks?|asking|asked|begs?|pressur\w*) (?:a |an )?"
           r"(?:minor|child|kid|teen|girl|boy|student)\w* for "
           r"(?:pics|photos|nudes|pictures|selfies)", r"groom\w*", r"sexting", r"kick\w* (?:a |the |his |her )?"
           r"(?:\S+ )?(?:dog|cat|puppy|kitten)", r"fired for", r"resist\w* arrest"),
    # fr
    any_of(r"vol(?:e|er|ant|ait)?", r"vole\w*", r"cambriol\w*", r"arrestation", r"arrete\w*", r"interpell\w*",
           r"menott\w*", r"fraude\w*", r"escroquer\w*", r"detourn\w*", r"avou\w*", r"aveux", r"scandale", r"delit",
           r"crime", r"agress\w*", r"deal\w* de la drogue", r"vend\w* de la drogue", r"garde a vue", r"prison",
           r"delit de fuite", r"ivre au volant", r"trompe\w*", r"corruption",
           r"pots?-de-vin", r"gifl\w*", r"frapp\w*"),
    # es
    any_of(r"roba\w*", r"robo", r"hurt\w*", r"arrest\w*", r"detenid[oa]", r"detencion", r"esposad[oa]", r"fraude",
           r"estafa\w*", r"malvers\w*", r"confies\w*", r"admite", r"escandalo", r"delito", r"crimen", r"agred\w*",
           r"agresion", r"vend\w* drogas?", r"carcel", r"borrach[oa] al volante", r"se da a la fuga", r"atropell\w*",
           r"soborn\w*", r"infiel"),
    # de
    any_of(r"ladendiebstahl", r"diebstahl", r"stiehlt", r"stahl", r"klau\w*", r"einbruch\w*", r"bricht ein",
           r"festnahme", r"festgenommen", r"verhaftet", r"verhaftung", r"handschellen", r"betrug\w*", r"unterschlag\w*",
           r"gesteht", r"gestandnis", r"skandal\w*", r"straftat", r"verbrechen", r"angriff", r"greift \w+ an",
           r"verkauft drogen", r"drogen", r"kinderporno\w*", r"uberfall\w*", r"raub\w*", r"gefangnis", r"unfallflucht", r"fluchtet", r"betrunken am steuer",
           r"anfahrt", r"fahrt \w+ an", r"bestechung\w*", r"betrugt", r"zugibt", r"gibt zu", r"bestohlen",
           r"gestohlen"),
)
# The prompt says it is fiction, and where: a film scene, a play, a series.
FICTION = (
    any_of(r"film scene", r"movie scene", r"(?:in|for) (?:a|an|the|this|my) (?:\w+ ){0,2}(?:film|movie|series|"
           r"tv show|show|sitcom|play|drama|thriller|comedy|short film)", r"movie set", r"film set", r"on set",
           r"(?:clearly|obviously|labell?ed (?:as )?|marked (?:as )?)(?:fiction|fictional|a film|staged)",
           r"(?:fiction|fictional|scripted|staged for)", r"heist (?:movie|film|comedy)", r"police (?:drama|procedural)",
           r"crime (?:drama|series|thriller)", r"behind the scenes", r"plays? (?:a|an|the) (?:\w+ ){0,2}(?:detective|"
           r"robber|thief|criminal|villain|cop|officer|burglar|character|role)", r"(?:as|playing) a character",
           r"(?:stage|theatre|theater) (?:play|production)", r"parody", r"spoof", r"sketch comedy"),
    any_of(r"scene de film", r"dans un film", r"tournage", r"fiction", r"serie (?:policiere|tele)"),
    any_of(r"escena de (?:pelicula|una pelicula)", r"en una pelicula", r"rodaje", r"ficcion", r"serie policiaca"),
    any_of(r"filmszene", r"im film", r"in einem film", r"dreharbeiten", r"fiktion\w*", r"krimiserie", r"tatort"),
)
# ...but fiction asked to look like the real thing is still fabricated evidence.
PASSED_AS_REAL = (
    any_of(r"realistic\w*", r"hyper-?real\w*", r"photo-?real\w*", r"looks? (?:real|authentic|genuine|legit)",
           r"authentic", r"genuine", r"real footage", r"(?:like|as) (?:if it (?:were|was) )?real", r"convincing",
           r"believable", r"indistinguishable", r"leak(?:ed|s)?", r"post (?:it )?(?:online|on (?:social|twitter|x|"
           r"tiktok|instagram|facebook))", r"viral", r"make people believe", r"(?:so|that) (?:people|everyone) "
           r"(?:think|thinks|believe)"),
    any_of(r"realiste", r"authentique", r"vrai(?:e|es|s)? images", r"fuit\w*", r"credible"),
    any_of(r"realista", r"autentic[oa]", r"parece real", r"filtrad[oa]", r"creible"),
    any_of(r"realistisch\w*", r"echt (?:aussehend|wirkend)", r"wie echt", r"authentisch\w*", r"geleakt\w*"),
)
# The end of a life announced: a goodbye note, "my last video".
FAREWELL = (
    any_of(r"goodbye (?:note|letter|message|video|post|text)s?", r"goodbye,? (?:cruel )?world", r"suicide (?:note|letter)s?", r"farewell (?:note|letter"
           r"|message|video|post)s?", r"(?:last|final) (?:video|message|post|words|goodbye|livestream|stream|note)",
           r"(?:says?|saying|writes?|writing|wrote|posts?|posting) ['\"]?(?:goodbye|sorry|adios|farewell)",
           r"sorry mom", r"sorry,? mom", r"tell (?:my|her|his) (?:mom|family|parents) (?:i'?m|she'?s|he'?s) sorry",
           r"(?:nobody|no one) (?:will|would) (?:miss|notice|care)", r"(?:won'?t|will not) be (?:here|around) "
           r"(?:tomorrow|anymore|much longer)", r"this is (?:my|the) end", r"(?:when|once) (?:she'?s|he'?s|i'?m) gone",
           r"(?:gives?|giving|gave) away (?:all )?(?:her|his|their) (?:things|belongings|stuff)",
           r"(?:saying|says|said) goodbye to (?:each|every|all)",
           r"it'?s not your fault", r"(?:note|letter|message|text)\w* (?:saying |that says )?['\"]?(?:i'?m sorry|forgive me)"),
    any_of(r"lettre d'adieu", r"adieu (?:tout le monde|a tous|a toutes)", r"mot d'adieu", r"message d'adieu", r"dit adieu", r"fait ses adieux", r"derniere video",
           r"dernier message", r"personne ne (?:me|le|la) regrettera"),
    any_of(r"nota de despedida", r"carta de despedida", r"adios a todos", r"se despide de (?:todos|su familia|"
           r"sus padres)", r"ultimo (?:video|mensaje)", r"nadie (?:me|lo|la) echara de menos"),
    any_of(r"abschiedsbrief\w*", r"es tut mir (?:so )?leid", r"tschuss fur immer", r"fur immer (?:tschuss|weg|gehen)", r"letztes foto", r"abschiedsnachricht\w*", r"abschiedsvideo\w*", r"verabschiedet sich von (?:allen|der"
           r" welt|seiner familie|ihrer familie|seinen eltern|ihren eltern)", r"letztes video", r"lebt wohl"),
)
# A way to die, or the place for one.
DEATH_MEANS = (
    any_of(r"jump\w*", r"leap\w*", r"lets? go", r"ledge", r"railing", r"bridge", r"roof(?:top)?", r"roof edge",
           r"noose", r"rope", r"belt (?:to|around)", r"pills", r"overdose", r"razor", r"blade", r"wrists?", r"bathtub", r"tracks", r"platform edge",
           r"train tracks", r"gun to (?:her|his|their) head", r"drown\w*", r"cliffs?",
           r"(?:walks?|wades?|swims?) (?:out )?into the (?:sea|ocean|river|lake|waves|water)", r"rocks in (?:her|his|their) pockets", r"closet rod", r"water turning red", r"falls?",
           r"steps? off", r"edge", r"knife", r"gun"),
    any_of(r"saute\w*", r"sauter", r"se jette", r"sous le (?:metro|train)", r"pont", r"toit", r"corde", r"pilules", r"cachets", r"medicaments",
           r"rasoir", r"veines", r"le vide", r"balcon"),
    any_of(r"salta\w*", r"se tira", r"se lanza", r"al vacio", r"puente", r"azotea", r"balcon", r"cuerda", r"pastillas",
           r"cuchilla", r"venas"),
    any_of(r"springt", r"springen", r"sprung", r"brucke", r"dach", r"strick", r"seil", r"tabletten", r"rasierklinge",
           r"pulsadern", r"in den tod", r"balkon", r"\w*tabletten", r"gleise", r"\w*brucke"),
)
# Urging someone on to hurt or kill themselves.
URGING = (
    any_of(r"(?:encourag\w*|urg\w*|dar(?:es|ed|ing)?|hyp\w* (?:\w+ )?up|cheer\w* (?:\w+ )?on|egg\w* (?:\w+ )?on|"
           r"convinc\w*|pressur\w*|goad\w*|tell\w*|told) (?:\w+ ){0,4}(?:to |that (?:he|she|they) should )?"
           r"(?:cut (?:deeper|herself|himself|themselves)|jump (?:off|from) (?:the |a )?(?:bridge|roof|ledge|building|"
           r"balcony|cliff)|end it(?: all)?|kill (?:herself|himself|themselves)|starve (?:herself|himself|themselves)|"
           r"overdose|take (?:all )?the pills|hang (?:herself|himself|themselves))", r"cut deeper",
           r"(?:he|she|you|they) should (?:just )?(?:end it|kill (?:himself|herself|yourself|themselves)|die)\b",
           r"do it,? jump", r"deeper,? deeper", r"(?:you are|you'?re|he is|he'?s|she is|she'?s) a burden",
           r"(?:better off|happier) (?:without (?:you|him|her)|if (?:you|he|she) (?:disappeared|died|were dead|was dead|were gone"
           r"|was gone))", r"hands? (?:him|her|them) a (?:rope|noose|razor|blade|gun|belt)", r"(?:cheer|chant|shout)\w* (?:\w+ ){0,3}(?:as|while) (?:she|he|they) "
           r"(?:cuts?|burns?|hurts?|starves?)", r"jump,? (?:nobody|no one) (?:cares|will miss)", r"(?:stop|quit) eating (?:until|till|so)",
           r"until (?:you|she|he|they|we) (?:can )?see (?:her|his|their|your) (?:bones|ribs|hip ?bones)"),
    any_of(r"encourag\w* (?:\w+ ){0,4}a (?:se scarifier|se couper|sauter|se tuer|en finir|se suicider)",
           r"(?:se scarifier|se couper|entailler) plus profond\w*", r"(?:tu devrais|il devrait|elle devrait) en finir",
           r"encourag\w* (?:\w+ ){0,4}a (?:arreter de manger|ne plus manger|se faire vomir)",
           r"jusqu'a ce qu'on (?:voie|voit) (?:ses|les) (?:os|cotes)",
           r"saute,? personne"),
    any_of(r"anima\w* (?:\w+ ){0,4}a (?:cortarse|saltar|matarse|quitarse la vida|acabar con todo|suicidarse)",
           r"cortarse mas (?:hondo|profundo)", r"deberia(?:s)? (?:matarte|matarse|acabar con todo)",
           r"anima\w* (?:\w+ ){0,4}a dejar de comer", r"que se (?:corte|mate|tire) (?:mas|del|de la)",
           r"se corte mas (?:hondo|profundo)", r"hasta que se le vean los huesos"),
    any_of(r"ermutig\w* (?:\w+ ){0,4}(?:sich )?(?:tiefer )?(?:zu ritzen|zu springen|umzubringen)",
           r"tiefer (?:zu )?ritzen", r"(?:du solltest|er sollte|sie sollte) (?:dich|sich) umbringen", r"spring doch",
           r"ermutig\w* (?:\w+ ){0,4}(?:nichts mehr zu essen|mit dem essen aufzuhoren)"),
)
# Words for groups of people, in the four languages.
GROUP = (
    any_of(r"muslims?", r"jews?", r"jewish people", r"blacks", r"black (?:people|men|women|folks)", r"african americans?",
           r"immigrants?", r"migrants?", r"refugees?", r"asylum seekers", r"gays?", r"gay people", r"lesbians?",
           r"queers?", r"trans (?:people|women|men|kids)", r"transgender (?:people|women|men)", r"women", r"girls",
           r"mexicans?", r"hispanics?", r"latinos?", r"arabs?", r"asians?", r"chinese(?: people)?", r"africans?",
           r"gypsies", r"roma", r"romani", r"christians?", r"hindus?", r"sikhs?", r"indians?", r"pakistanis?",
           r"disabled (?:people|kids|children|persons)", r"the disabled", r"autistic people", r"indigenous people",
           r"native americans", r"aboriginals?", r"palestinians", r"israelis", r"foreigners", r"fat people",
           r"old people", r"the elderly", r"poor people", r"homeless people", r"feminists", r"atheists", r"catholics"),
    any_of(r"immigres", r"migrants", r"musulmans", r"juifs", r"noirs", r"arabes", r"roms", r"gitans", r"homos",
           r"homosexuels", r"lesbiennes", r"femmes", r"refugies", r"etrangers", r"africains", r"chinois", r"asiatiques",
           r"handicapes", r"chretiens", r"trans"),
    any_of(r"inmigrantes", r"migrantes", r"musulmanes", r"judios", r"negros", r"moros", r"gitanos", r"gays",
           r"homosexuales", r"maricas", r"mujeres", r"refugiados", r"extranjeros", r"mexicanos", r"sudacas", r"chinos",
           r"discapacitados", r"minusvalidos", r"indios", r"latinos"),
    any_of(r"auslander(?:n)?", r"fluchtlinge?", r"migranten", r"muslime", r"juden", r"schwarze(?:n)?", r"turken",
           r"araber", r"zigeuner", r"roma", r"schwule(?:n)?", r"homos", r"lesben", r"frauen", r"behinderte(?:n)?",
           r"asylanten", r"asylbewerber", r"polen", r"russen", r"christen"),
)
# What dehumanises a group or calls for its removal.
DEHUMANISING = (
    any_of(r"vermin", r"rats", r"parasites?", r"animals", r"subhumans?", r"sub-humans?", r"cockroach\w*", r"roaches",
           r"insects", r"locusts", r"monkeys", r"apes", r"gorillas", r"dogs", r"pigs", r"swine", r"beasts", r"a virus",
           r"a cancer", r"a disease", r"a plague", r"an infestation", r"infest\w*", r"breed like", r"savages",
           r"barbarians", r"filth", r"scum", r"trash", r"garbage", r"inferior", r"not (?:fully )?human",
           r"less than human", r"born (?:thieves|criminals|liars)", r"rapists", r"criminals", r"terrorists", r"thieves",
           r"too (?:stupid|dumb) to", r"belong in the kitchen", r"should (?:be )?(?:die|exterminated|gassed|deported|"
           r"expelled|removed|eliminated|thrown out|sterili[sz]ed|locked up|put down|wiped out|burned)",
           r"(?:exterminat|eliminat|eradicat|wip(?:e|ed|ing) out|purg|cleans)\w*", r"a burden", r"burdens",
           r"should have been aborted", r"useless eaters", r"(?:don'?t|do not) deserve to (?:live|exist|vote)",
           r"should not (?:be allowed to )?(?:breed|reproduce|vote|exist)", r"sick perverts", r"perverts",
           r"abominations?", r"groomers", r"pedophiles", r"paedophiles", r"go back to", r"removed from"),
    any_of(r"vermines?", r"parasites?", r"rats", r"cafards", r"animaux", r"sous-hommes", r"singes", r"porcs",
           r"chiens", r"virus", r"cancer", r"maladie", r"dechets", r"ordures", r"racaille", r"inferieur\w*",
           r"eliminer", r"exterminer", r"gazer", r"deporter", r"expulser", r"chasser", r"bruler", r"(?:faut|doit|"
           r"doivent) (?:les )?tuer", r"voleurs", r"violeurs", r"terroristes", r"criminels", r"fardeau",
           r"pervers", r"retourne\w* (?:chez|dans)"),
    any_of(r"plaga", r"parasitos", r"ratas", r"cucarachas", r"animales", r"monos", r"bestias", r"basura", r"escoria",
           r"virus", r"cancer", r"enfermedad", r"inferiores?", r"exterminar\w*", r"eliminar\w*", r"echar(?:los|las)?",
           r"expulsar\w*", r"deportar\w*", r"quemar(?:los|las)?", r"matar(?:los|las)?", r"ladrones", r"violadores",
           r"terroristas", r"delincuentes", r"volver a (?:su|africa)", r"obedecer", r"una carga"),
    any_of(r"ungeziefer", r"parasiten", r"ratten", r"kakerlaken", r"tiere", r"affen", r"schweine", r"abschaum",
           r"dreck", r"pack", r"gesindel", r"untermenschen", r"virus", r"krebsgeschwur", r"seuche", r"minderwertig\w*",
           r"ausrott\w*", r"ausgerottet", r"vergas\w*", r"vernicht\w*", r"abschieb\w*", r"ausmerz\w*",
           r"verbrecher", r"vergewaltiger", r"terroristen", r"diebe", r"an den herd", r"nichts zu sagen", r"eine last"),
)
# What links a group to what is said of it: "are", "should be", "sont", "hay que", "gehören".
_LINK = (r"(?:are|is|were|as|like|should|must|deserve\w*|belong\w*|being|all|=|sont|est|comme|faut|doivent"
         r"|devraient|son|es|como|hay que|deben|deberian|sind|ist|wie|muss|mussen|sollte|sollten|gehoren|gehort)")
_CALLING = r"(?:call\w*|label\w*|nenn\w*|llam\w*|trait\w*|trata\w*|bezeichne\w*)"
_GROUPS = "(?:" + "|".join(GROUP) + ")"
_DEHUMANISING = "(?:" + "|".join(DEHUMANISING) + ")"
# A group, then within a few words a link and what dehumanises it ("immigrants are vermin", "les
# immigrés sont une vermine qu'il faut éliminer"), or a group called by such a word ("nennt Juden
# Parasiten"); a group and an animal in two unrelated clauses ("the girls fed the animals") are not.
GROUP_DEHUMANISED = (
    rf"{_GROUPS}(?: \S+){{0,3}} {_LINK}\b(?: \S+){{0,5}} {_DEHUMANISING}",
    rf"\b{_CALLING} (?:\S+ ){{0,2}}{_GROUPS}(?: \S+){{0,2}} {_DEHUMANISING}",
    rf"\b(?:round\w* up|expel\w*|deport\w*|get rid of|driv\w* out|kick\w* out|throw\w* out|gas(?:sed|sing)?|"
    rf"exterminat\w*|eliminat\w*|wip\w* out|purg\w*|clean\w* (?:the streets|the town|the city|the country) of) "
    rf"(?:\S+ ){{0,3}}{_GROUPS}",
    rf"{_GROUPS}(?: \S+){{0,6}} (?:to be|be|must be|should be|will be|need to be) (?:rounded up|expelled|deported|"
    rf"removed|gassed|exterminated|eliminated|burned|wiped out|driven out|locked (?:up|away))",
    any_of(r"(?:go|get|going) back to (?:china|africa|mexico|india|pakistan|the jungle|the desert|your (?:own )?country"
           r"|where (?:you|they) came from)", r"take (?:your|her|his|their) virus"),
)

# Acts that degrade a person, and what makes them public or forced.
DEGRADING = (
    any_of(r"dog bowl", r"on all fours", r"(?:dog|cat) food", r"(?:bark|barks|barking|barked) like a dog",
           r"(?:someone|him|her|them|man|woman) (?!(?:\w+ )?(?:dogs?|pupp(?:y|ies)|pets?|cats?|horses?|pony|goats?)\b)"
           r"(?:\w+ ){0,3}on a leash", r"leash (?:around|on) (?:his|her|their) neck",
           r"(?:pour\w*|dump\w*|throw\w*|threw|splash\w*) (?:\w+ )?(?:beer|drinks?|paint|slop|milk) (?:on|over|at) "
           r"(?:someone|him|her|them)", r"(?:wig|toupee) (?:\w+ )?(?:pulled|ripped|yanked|snatched) off",
           r"(?:dress|skirt|pants|trousers) (?:\w+ )?(?:tears?|tore|torn|rips?|ripped|splits?) open",
           r"(?:drink|drinks|drinking) from (?:the|a) toilet", r"(?:cut|cuts|cutting|chop\w*|shav\w*) off (?:her|his|their)"
           r" (?:hair|braids)", r"tied to a (?:chair|pole|tree|lamppost)", r"(?:kiss|lick)\w* (?:\S+ )?(?:feet|shoes|boots)",
           r"(?:lick|licks|licking) the (?:floor|toilet|ground|boots|shoes)", r"(?:spat|spit|spits|spitting) (?:on|at)",
           r"(?:vomit\w*|puk\w*|throw\w* up|pee\w*|piss\w*|urinat\w*) (?:on|over|onto) (?:someone|him|her|them)",
           r"(?:pour\w*|dump\w*|throw\w*|threw) (?:\w+ )?(?:trash|garbage|rotten food|slop|eggs) (?:on|at|over)",
           r"covered in (?:garbage|trash|vomit|urine|feces|poop|slime)", r"wearing a sign",
           r"in (?:his|her|their) underwear in front of"),
    any_of(r"gamelle", r"a quatre pattes", r"(?:nourriture|patee|croquettes) pour (?:chien|chat)", r"se fait (?:arroser|insulter|huer|asperger|bousculer)", r"aboy\w*", r"insult\w* par tout", r"aboie\w*", r"en laisse", r"cracher dessus", r"crach\w* (?:sur|dessus)",
           r"vomi\w* (?:sur|dessus)", r"(?:jett\w*|lanc\w*|vers\w*) des (?:ordures|dechets|oeufs)",
           r"en (?:slip|culotte|sous-vetements) devant"),
    any_of(r"(?:cuenco|plato|comedero) (?:del|de) perro", r"comida (?:de|para) (?:perro|gato)", r"pienso", r"a cuatro patas", r"ladrar", r"con una correa",
           r"atad[oa] con una correa", r"escupid[oa]", r"(?:le|la|lo) escupen", r"le vomita\w*", r"vomita encima",
           r"(?:tiran|echan|le tiran) basura", r"en ropa interior delante",
           r"(?:besar|lamer|besa|lame) (?:los pies|los zapatos|las botas|el suelo)", r"arrastrarse"),
    any_of(r"hundenapf", r"auf allen vieren", r"hundefutter", r"katzenfutter", r"bellen", r"an der leine", r"angespuckt", r"bespuckt",
           r"spuck\w* (?:ihn|sie) an", r"kotzt (?:ihn|sie|auf)", r"erbricht sich auf", r"mit eiern beworfen", r"(?:werfen|schutten) (?:\w+ )?"
           r"(?:mull|abfall|eier)", r"in unterhose vor"),
)
AUDIENCE_OR_FORCE = (
    any_of(r"laugh\w*", r"film(?:s|ed|ing)", r"record(?:s|ed|ing)", r"jeer\w*", r"mock\w*", r"point(?:s|ing) at",
           r"forced", r"made to", r"makes? (?:him|her|them|someone) ", r"while (?:everyone|people|the (?:whole )?(?:class"
           r"|crowd|office|school|room))", r"the whole (?:class|school|office|team)", r"by (?:the|his|her|their) "
           r"(?:whole )?(?:class|classmates|coworkers|colleagues|team)", r"crying", r"humiliat\w*"),
    any_of(r"rigol\w*", r"ri(?:t|ent)", r"doit", r"devant (?:toute|tout) (?:l'ecole|la classe|le monde|le bureau|l'equipe)", r"film(?:e|ent|ant)", r"forcee?", r"oblige\w*", r"tout le monde",
           r"toute (?:la classe|l'equipe)", r"pleur\w*"),
    any_of(r"se rien", r"rien", r"graban", r"obligad[oa]", r"todos (?:sus|se|graban|lo|la)", r"llora\w*"),
    any_of(r"lach\w*", r"filmen", r"muss", r"gezwungen", r"vor allen", r"alle (?:lachen|filmen)", r"die ganze klasse",
           r"weint"),
)
# What would make a clip of someone's arrest or crime a news anchor's ordinary work, not evidence
# against that person: the cameo reads the news about somebody else.
REPORTING = (
    any_of(r"news ?(?:anchor|reader|presenter)s?", r"anchor\w*", r"report(?:s|ing) (?:on|about|from)",
           r"reads? the (?:\w+ )?news", r"presents? the news", r"journalist", r"podcast\w*", r"documentary", r"history of"),
)
# Sexualising words in the four languages: with a child, refused whatever else the prompt says.
SEXUALISING = (
    SEXUALISED,
    any_of(r"strip(?:s|ped|ping)? (?:naked|nude|off|down|on camera|for|and|in front)", r"touch\w* each other",
           r"undress\w*", r"(?:for|to) (?:adult|older) (?:men|man|viewers)"),
    any_of(r"sexy", r"sensuel\w*", r"lascive?s?", r"aguichant\w*", r"lingerie", r"sous-vetements", r"pose suggestive",
           r"provocant\w*", r"en petite tenue", r"(?:homme|monsieur) plus age"),
    any_of(r"sensual\w*", r"provocativ\w*", r"lenceria", r"ropa interior", r"insinuante"),
    any_of(r"sinnlich\w*", r"verfuhrerisch\w*", r"lasziv\w*", r"reizwasche", r"dessous", r"unterwasche",
           r"aufreizend\w*"),
)


# Attacks on accounts and computers, said as something to make or do (not to spot or avoid).
CYBER_ATTACK = (
    any_of(r"phishing (?:e-?mails?|pages?|sites?|kits?|templates?|texts?|sms|messages?|links?|campaigns?)"
           r" (?:that|to|which|for) (?:\w+ ){0,6}(?:steal|harvest|capture|collect|grab|looks? like|mimic\w*|imitat\w*"
           r"|pretend\w*|trick)", r"(?:write|writes|writing|wrote|craft\w*|draft\w*|make|makes|making|creat\w*|build\w*"
           r"|cod(?:e|es|ing)|generat\w*|send\w*|types? out|typing out) (?:\w+ ){0,3}phishing", r"phishing (?:kit|"
           r"template)s?", r"steal\w* (?:\w+ ){0,3}(?:logins?|passwords?|credentials|cookies|session tokens?|2fa codes?"
           r"|one-time codes?|otps?)", r"(?:take|takes|taking|took) over (?:someone|somebody|his|her|their|an?"
           r" \w+)(?:'s)? (?:\w+ )?accounts?", r"account takeover", r"sim[- ]?swap\w*", r"keyloggers?",
           r"credential[- ]harvest\w*", r"(?:hide|hides|hiding|evade|evades|evading|bypass\w*|slip\w* past)"
           r" (?:\w+ ){0,3}(?:antivirus|anti-virus|edr|windows defender|av detection)", r"bypass\w* (?:\w+ )?"
           r"(?:two-factor|2fa|mfa)", r"clon\w* (?:\w+ )?(?:bank|login|paypal|banking) (?:site|page|website)",
           r"(?:login|sign-in) page that (?:copies|clones|looks like|mimics)", r"ransomware", r"info-?stealers?",
           r"remote access trojans?", r"\brats? (?:to|that) (?:spy|control|access)"),
    any_of(r"hameconnage", r"pirat\w* (?:le|un|son|sa) (?:compte|telephone|ordinateur)",
           r"voler (?:les |des |ses )?(?:identifiants|mots de passe|codes)", r"enregistreur de frappe"),
    any_of(r"robar (?:las |sus )?(?:contrasenas|credenciales|claves)", r"hackear (?:la|su) cuenta",
           r"suplantar (?:al|a un|el) banco", r"correo falso del banco"),
    any_of(r"passworter (?:stehlen|abgreifen|klauen)", r"zugangsdaten (?:stehlen|abgreifen|klauen)",
           r"konto (?:\w+ )?(?:hacken|ubernehmen|kapern)", r"\w*konten (?:\w+ )?(?:zu )?(?:ubernimm\w*|ubernehmen|hacken|kapern)",
           r"fremde \w*konten", r"gefalschte\w* (?:bank-?)?(?:login-?)?seite"),
)
# Teaching people to protect themselves from those attacks.
DEFENSIVE = (
    any_of(r"(?:how to|tips? (?:to|for|on)|ways to|learn to|teach\w* (?:\w+ )?(?:to|how to)) (?:\w+ ){0,2}(?:spot|"
           r"recogni[sz]e|avoid|protect|defend|report|detect|prevent|block|stay safe)", r"(?:spot|spotting|recogni[sz]\w*|"
           r"avoid\w*|report\w*|protect\w* (?:\w+ ){0,3}(?:from|against)) (?:\w+ ){0,3}(?:phishing|scams?|sim swaps?|"
           r"keyloggers?|malware|ransomware|hackers?)", r"(?:security|cyber ?security|phishing) awareness",
           r"security (?:training|tips?)", r"two-factor authentication"),
    any_of(r"reconnaitre", r"se proteger", r"eviter les arnaques"),
    any_of(r"reconocer", r"protegerse", r"evitar (?:estafas|fraudes)"),
    any_of(r"erkennen", r"schutzen", r"sich schutzt"),
)
# Calling people to an extremist cause: a recruitment and what it recruits for.
RECRUITING = (
    any_of(r"recruit\w*", r"join (?:us|our|the fight|the cause|the movement|the struggle)", r"enlist\w*",
           r"come (?:and )?(?:make|join|fight)", r"make hijrah?", r"before (?:it'?s too late|we are replaced)",
           r"sign up (?:for|to)", r"invit\w* (?:\w+ ){0,3}to join", r"calls? (?:on )?(?:young|all) \w+ to",
           r"urg\w* (?:young|all) \w+ to", r"urg\w* (?:\w+ ){0,2}to join"),
    any_of(r"recrut\w*", r"rejoindre", r"rejoignez", r"venez (?:faire|combattre|nous rejoindre)", r"appel\w* (?:les )?jeunes"),
    any_of(r"recluta\w*", r"unirse a", r"unete", r"jalate", r"alista\w*", r"venid"),
    any_of(r"wirbt", r"anwerb\w*", r"rekrutier\w*", r"schliesst euch", r"schliess dich", r"anzuschliessen"),
)
EXTREMIST_CAUSE = (
    any_of(r"race war", r"holy war", r"jihad\w*", r"caliphate", r"armed struggle", r"take up arms", r"uprising",
           r"overthrow", r"white homeland", r"ethnostate", r"militias?", r"the fuhrer", r"reich", r"martyrdom",
           r"martyrs", r"the coming war", r"resistance movement", r"cleans\w*", r"purif\w*", r"wagner",
           r"white (?:britain|europe|america|race|homeland|nation|people)", r"defend (?:the )?(?:white|our race|our people)", r"day of the rope", r"(?:train|training) for "
           r"(?:the )?(?:coming )?war", r"cell\b", r"terror\w*", r"hijrah?", r"the state", r"kuffar", r"crusaders",
           r"remigration", r"replaced", r"great replacement", r"accelerat\w*", r"the system"),
    any_of(r"djihad\w*", r"guerre sainte", r"guerre raciale", r"lutte armee", r"califat", r"martyrs?", r"hijra",
           r"croises", r"grand remplacement", r"remigration"),
    any_of(r"yihad\w*", r"guerra santa", r"guerra racial", r"lucha armada", r"califato", r"martires", r"milicia",
           r"cruzados", r"la lucha continua", r"gran reemplazo", r"remigracion"),
    any_of(r"dschihad\w*", r"heilige\w* krieg", r"rassenkrieg\w*", r"bewaffnete\w* kampf", r"kalifat",
           r"martyrer", r"miliz\w*", r"umsturz", r"remigration", r"ausgetauscht", r"bevolkerungsaustausch"),
)


# Getting better: the look-alike of a lesson in self-harm.
RECOVERY = (
    any_of(r"recover\w*", r"clean for \w+", r"relapse prevention", r"coping (?:skills|strategies)", r"instead of",
           r"healthy", r"nutritionist", r"dietitian", r"warn(?:s|ing)? (?:\w+ ){0,2}(?:parents|kids|teens|about)",
           r"naloxone", r"narcan"),
    any_of(r"guerison", r"retablissement", r"au lieu de"),
    any_of(r"recuperacion", r"en lugar de", r"en vez de"),
    any_of(r"genesung", r"statt\b", r"anstatt"),
)
# Dying spoken of softly: "sleep forever", "enfin dormir pour toujours", "keiner wird dich vermissen".
DYING_SOFTLY = (
    any_of(r"sleep(?:ing)? forever", r"goodnight forever", r"good night forever", r"(?:okay|ok|brave|fine|alright) to go",
           r"(?:nobody|no one) (?:will|would|is going to|gonna) miss (?:me|you|him|her|them)", r"end the pain",
           r"never wake up",
           r"go to sleep and not wake up"),
    any_of(r"dormir pour toujours", r"dormir pour de bon", r"ne plus (?:jamais )?me reveiller", r"personne ne va (?:me|te|le|la) manquer",
           r"partir en paix"),
    any_of(r"dormir para siempre", r"no despertar(?:me)? nunca", r"nadie (?:me|te|lo|la) (?:va a echar|echara) de menos",
           r"ya no (?:voy a )?(?:sufrir|molestar)"),
    any_of(r"fur immer (?:zu )?schlafen", r"nie (?:mehr|wieder) aufwachen", r"(?:keiner|niemand) wird (?:dich|mich|ihn|sie) vermissen",
           r"gehen (?:ist|sei) die losung"),
)
# Saying a death is good, or a way out.
APPROVING = (
    any_of(r"brave", r"okay", r"ok", r"fine", r"peaceful\w*", r"beautiful", r"aesthetic", r"the answer", r"the solution",
           r"do it", r"you can do it too", r"shouldn'?t be ashamed", r"not ashamed", r"romantic", r"poetic"),
    any_of(r"courag\w*", r"la solution", r"vas-y", r"apais\w*", r"poetique", r"douce?", r"pas honte"),
    any_of(r"valiente", r"la solucion", r"hazlo", r"tranquil\w*", r"poetic[oa]", r"no (?:hay que|debes) avergonzarse"),
    any_of(r"mutig", r"die losung", r"mach'?s", r"friedlich", r"schone?", r"nicht schamen", r"sanft\w*"),
)
# Harm to oneself: cutting, purging, starving, overdosing.
SELF_HARM_ACT = (
    any_of(r"cut(?:s|ting)? (?:herself|himself|themselves|myself|yourself)", r"(?:fresh|new|her|his) (?:cuts|lines|scars)",
           r"s/h", r"self[- ]?harm\w*", r"purg(?:e|es|ing) after", r"(?:make|makes|making) (?:herself|himself|themselves) (?:throw up|vomit|sick)",
           r"throw\w* up after (?:every|each)? ?meals?", r"\d{3} calories a day", r"stops? eating",
           r"starv(?:e|es|ing) (?:herself|himself|themselves|yourself)", r"pills? (?:she'?s|he'?s|i'?ve|they'?ve) (?:been )?sav\w*",
           r"pro-?ana", r"thinspo\w*", r"ana coach", r"blackout challenge", r"choking (?:game|challenge)", r"overdos\w*"),
    any_of(r"scarif\w*", r"se couper (?:les veines|les bras|le bras|les poignets)", r"se fait vomir", r"se faire vomir", r"vomi\w* apres (?:chaque|les) repas",
           r"ne plus manger", r"automutil\w*"),
    any_of(r"cortarse (?:los brazos|el brazo|las venas|las munecas)", r"hacerse cortes", r"autolesion\w*", r"se provoca el vomito", r"vomita\w* despues de (?:cada|comer)",
           r"dejar de comer", r"deja de comer"),
    any_of(r"(?:sich )?ritz(?:t|en)\b", r"ritz-asthetik", r"ritzwunden", r"selbstverletz\w*", r"kotzt nach (?:jedem|dem) essen", r"erbricht", r"hungert", r"nichts mehr essen"),
)
# Making harm to oneself a lesson, a secret or a look.
PROMOTING = (
    any_of(r"tips?", r"tricks?", r"hacks?", r"tutorial", r"how to", r"hide (?:it|them|the \w+)", r"without (?:anyone|her parents"
           r"|his parents|their parents|parents) (?:noticing|knowing|finding out)", r"places nobody checks", r"long sleeves",
           r"aesthetic", r"motivation\w*", r"challenge", r"you can do it too", r"it helps", r"vent (?:acc|account)",
           r"show\w* off", r"for (?:tiktok|instagram|my followers)", r"inspo"),
    any_of(r"astuces?", r"conseils?", r"tuto\w*", r"sans que (?:\w+ ){0,3}(?:remarque|s'en rende compte|sache)",
           r"cacher", r"version tips", r"esthetique", r"ca aide"),
    any_of(r"trucos?", r"consejos?", r"tutorial", r"sin que (?:\w+ ){0,3}(?:lo )?(?:noten|note|sepan|se den cuenta)",
           r"esconder\w*", r"ocultar\w*", r"estetica", r"reto", r"ayuda"),
    any_of(r"tipps?", r"tricks?", r"anleitung", r"ohne dass (?:\w+ ){0,3}(?:es )?merk\w*", r"damit (?:\w+ ){0,3}nichts merkt",
           r"verstecken", r"asthetik", r"\w*-asthetik", r"es hilft", r"challenge"),
)
# Getting ready to die: a rope tied to a beam, a razor in a bath turning red, pills lined up.
DEATH_SET_UP = (
    any_of(r"(?:ties|tying|tied|knots?|hangs?|hanging) (?:a |the )?(?:rope|noose|belt|cord) (?:to|around|from|over) (?:the |a )?"
           r"(?:ceiling|fan|beam|rafter|banister)\w*", r"(?:ties|tying|tied) (?:a |the )?noose", r"rope over the beam", r"chair (?:with|and) (?:a )?"
           r"(?:rope|noose)", r"(?:bath(?:tub)?|tub) with (?:a )?(?:razor|blade)", r"water (?:slowly )?turning red",
           r"lines? up (?:the |her |his |all the )?pills", r"pills lined up", r"(?:on|over|at) the (?:bridge )?(?:railing|ledge|parapet)\w* (?:at night|alone)",
           r"(?:edge|ledge) of (?:a |the )?(?:roof|building|bridge)\w*,? (?:looking|staring) down"),
    any_of(r"(?:attache|noue) (?:une |la )?corde (?:au|a la) (?:plafond|poutre|ventilateur)", r"parapet du pont",
           r"avale (?:toute|toutes) (?:la |les )?(?:boite|boites) (?:de|des) (?:cachets|medicaments|pilules|comprimes|medocs)"),
    any_of(r"ata (?:una |la )?cuerda al (?:techo|ventilador|viga)", r"baranda del puente", r"(?:se traga|tragandose|traga) "
           r"(?:toda la caja de pastillas|todas las pastillas)"),
    any_of(r"bindet (?:ein |das )?(?:seil|strick) an (?:die |den )?(?:decke|balken|ventilator)", r"rand eines dach\w*,? blick nach unten",
           r"schluckt (?:alle|die ganze packung) (?:tabletten|pillen)"),
)
# An attack filmed as a stream: a first-person camera, a place of worship or a crowd, a weapon.
ATTACK_POV = (
    any_of(r"first[- ]person", r"pov", r"helmet[- ]?cam\w*", r"go ?pro", r"body ?cam", r"livestream\w*", r"live ?stream\w*",
           r"twitch", r"stream(?:er|ing)? (?:style|overlay)"),
    any_of(r"premiere personne", r"camera (?:sur le casque|pieton)", r"en direct", r"live"),
    any_of(r"primera persona", r"camara en el casco", r"directo", r"en vivo"),
    any_of(r"helmkamera\w*", r"ego-?perspektive", r"livestream\w*", r"pov"),
)
WORSHIP_OR_CROWD = (
    any_of(r"synagogues?", r"mosques?", r"church(?:es)?", r"temples?", r"gurdwaras?", r"(?:a |the )?school", r"festival crowd"),
    any_of(r"synagogues?", r"mosquees?", r"eglises?", r"temples?"),
    any_of(r"sinagogas?", r"mezquitas?", r"iglesias?", r"templos?"),
    any_of(r"synagog\w*", r"moschee\w*", r"kirche\w*", r"tempel"),
)
ARMED = (
    any_of(r"rifles?", r"guns?", r"armed", r"weapons?", r"ar-?15", r"shotguns?", r"carrying a \w+ rifle"),
    any_of(r"fusils?", r"arme\w*", r"kalach\w*"),
    any_of(r"armad[oa]s?", r"fusil\w*", r"rifles?", r"armas?"),
    any_of(r"bewaffnet\w*", r"gewehr\w*", r"waffe\w*"),
)
# Glory given to a movement, a killer or a rally of the 1930s.
GLORIFYING = (
    any_of(r"tribute", r"homage", r"saint", r"hero(?:es|ic)?", r"glor(?:y|ious|ified|ify)", r"epic", r"legend\w*",
           r"hype (?:trailer|video)", r"honou?r\w*", r"be the next one", r"part 2", r"warm-?up"),
    any_of(r"hommage", r"heros", r"heroique\w*", r"glorie\w*", r"grandiose", r"epique"),
    any_of(r"homenaje", r"heroe\w*", r"heroic[oa]", r"glori\w*", r"epic[oa]"),
    any_of(r"hommage", r"held\w*", r"heroisch\w*", r"glorreich\w*", r"episch\w*"),
)
EXTREMIST_MARK = (
    any_of(r"(?:19)?30s nuremberg", r"nuremberg (?:rally|style)", r"14/?88", r"black sun", r"lone wolf",
           r"(?:lone wolf|shooter'?s?|killer'?s?) manifesto", r"tarrant",
           r"christchurch (?:shooter|gunman)", r"breivik", r"the capitol", r"january 6(?:th)?", r"zip ties", r"ss (?:officer|uniform)",
           r"the base(?! camp| of| jump)", r"isis", r"daesh", r"al-?qaeda"),
    any_of(r"nsu", r"eta", r"etarras?", r"gora eta", r"el hacha y la serpiente", r"la serpiente y el hacha",
           r"tirador de christchurch"),
    any_of(r"donermorde", r"rechtsrock", r"88-?tattoos?", r"schwarze sonne",
           r"meine ehre heisst treue", r"ein volk,? ein reich", r"remigration", r"ausgetauscht", r"kalifat"),
)


# A torchlit march with raised arms: the rallies of the 1930s, whatever the prompt calls them.
TORCH_MARCH = (
    any_of(r"torch ?lit (?:march|rally|parade|procession)", r"torches? (?:march|rally)", r"march(?:ing)? with torches"),
    any_of(r"(?:defile|marche) aux flambeaux"),
    any_of(r"marcha con antorchas", r"desfile de antorchas"),
    any_of(r"fackel(?:zug|marsch|aufmarsch)\w*"),
)
RAISED_ARMS = (
    any_of(r"raised arms", r"arms raised", r"sea of (?:raised )?arms", r"(?:straight|stiff)[- ]arm(?:ed)? salut\w*",
           r"1930s", r"30s style", r"nuremberg"),
    any_of(r"bras tendus", r"annees 30"),
    any_of(r"brazos en alto", r"anos 30"),
    any_of(r"ausgestreckte\w* arm\w*", r"30er"),
)
# A threat read before a black flag, masked and armed.
BLACK_FLAG = (any_of(r"black (?:isis |jihadi )?flag"), any_of(r"drapeau noir"), any_of(r"bandera negra"),
              any_of(r"schwarze\w* (?:flagge|fahne)"))
MASKED = (any_of(r"masked", r"hooded", r"balaclava\w*", r"face covered"), any_of(r"cagoule\w*", r"masque\w*"),
          any_of(r"encapuchad[oa]s?", r"pasamontanas", r"enmascarad[oa]s?"), any_of(r"vermummt\w*", r"sturmhaube\w*"))


# Combinations ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Combination:
    """Refuse as `category` when a phrase of every family in `all_of` is found, unless one of
    `unless` is found and none of `unless_not` is. `per_sentence`: the families must meet within one
    sentence (a group and a dehumanising word in two unrelated sentences are not hate)."""

    name: str
    category: str
    all_of: tuple[tuple[str, ...], ...]
    unless: tuple[str, ...] = ()
    unless_not: tuple[str, ...] = ()
    per_sentence: bool = False


COMBINATIONS: tuple[Combination, ...] = (
    Combination("youth with sexual or romantic", "sexual_minors", (YOUTH, ROMANTIC + PREDATORY + RULES["sexual"])),
    Combination("child with sexualising", "sexual_minors", (CHILD, SEXUALISING + PREDATORY + RULES["sexual"]),
                unless=PROTECTIVE,
                unless_not=RULES["sexual"]),
    Combination("non-consent with intimacy", "sexual", (NON_CONSENT, INTIMACY), unless=AFFECTION,
                unless_not=RULES["sexual"] + PREDATORY),
    Combination("evidence of wrongdoing", "fake_evidence", (EVIDENCE, WRONGDOING), unless=FICTION + REPORTING,
                unless_not=PASSED_AS_REAL),
    Combination("farewell with a means of death", "self_harm", (FAREWELL, DEATH_MEANS)),
    Combination("urging self-harm", "self_harm", (URGING,)),
    Combination("dying spoken of softly, with a way to die or approval", "self_harm",
                (DYING_SOFTLY, DEATH_MEANS + APPROVING + DEATH_SET_UP), unless=SUPPORT, unless_not=DEATH_SET_UP),
    Combination("harm to oneself taught, hidden or made a look", "self_harm", (SELF_HARM_ACT, PROMOTING),
                unless=SUPPORT + RECOVERY),
    Combination("a death set up", "self_harm", (DEATH_SET_UP,), unless=SUPPORT),
    Combination("an attack streamed", "extremism", (ATTACK_POV, WORSHIP_OR_CROWD, ARMED)),
    Combination("a movement or a killer glorified", "extremism", (GLORIFYING, EXTREMIST_MARK), unless=EDUCATION),
    Combination("a 1930s rally", "extremism", (TORCH_MARCH, RAISED_ARMS), unless=EDUCATION),
    Combination("a threat before a black flag", "extremism", (BLACK_FLAG, MASKED, ARMED)),
    Combination("cyber attack", "dangerous", (CYBER_ATTACK,), unless=DEFENSIVE),
    Combination("recruiting for an extremist cause", "extremism", (RECRUITING, EXTREMIST_CAUSE)),
    Combination("group dehumanised", "hate", (GROUP_DEHUMANISED,), per_sentence=True),
    Combination("degraded in public or by force", "humiliation", (DEGRADING, AUDIENCE_OR_FORCE), per_sentence=True),
)

_SENTENCE = re.compile(r"[.!?;\n]+")


def _matches(combination: Combination, text: str) -> list[str] | None:
    found = []
    for family in combination.all_of:
        phrases = find(family, text)
        if not phrases:
            return None
        found.append(phrases[0])
    return found


def gate_open(category: str, folded: str) -> bool:
    """Whether the semantic classifier may refuse in this category on its own: fabricated evidence
    only when the prompt names some wrongdoing (a dashcam clip of a mountain road is near the
    examples of fake footage, and harmless), and not in a labelled film scene or a news report."""
    if category != "fake_evidence":
        return True
    labelled = find(FICTION + REPORTING, folded) and not find(PASSED_AS_REAL, folded)
    return bool(find(WRONGDOING, folded)) and not labelled


def combination_hits(folded: str) -> dict[str, list[str]]:
    """Category -> the phrases that made each combination, for every combination found."""
    hits: dict[str, list[str]] = {}
    for combination in COMBINATIONS:
        scopes = [s for s in _SENTENCE.split(folded) if s.strip()] if combination.per_sentence else [folded]
        found = next((m for s in scopes if (m := _matches(combination, s))), None)
        if found is None:
            continue
        if combination.unless and find(combination.unless, folded) and not find(combination.unless_not, folded):
            continue
        hits.setdefault(combination.category, []).extend(found)
    return hits


# Signals ----------------------------------------------------------------------------------------
# A danger to someone: a fake emergency call, a home address and hours, following someone home, a
# credential taken, a drug or a weapon made. Harmless alone ("the address of the café"); a signal
# only, for the learned head (`signals`).
DANGER = (
    any_of(r"phishing", r"swat\w*", r"911", r"hostage situation", r"(?:home )?address(?!es)", r"unit number",
           r"schedule", r"follow\w* (?:\w+ ){0,2}home", r"through (?:her|his|their) (?:bedroom )?window",
           r"skimmers?", r"clon(?:e|es|ed|ing) (?:a |the |her |his )?(?:\w+ )?(?:card|key|sim)\w*", r"credential\w*",
           r"passwords?", r"logins?", r"bank (?:login|details)", r"ssn", r"social security", r"maiden name",
           r"synthesi[sz]\w*", r"fentanyl", r"meth", r"crystal", r"precursors?", r"3d[- ]print\w*", r"ghost guns?",
           r"explosives?", r"bombs?", r"tech support script", r"scam\w*", r"dox\w*", r"key ?cards?", r"flipper"),
    any_of(r"hameconnage", r"adresse", r"horaires", r"identifiants", r"mot de passe", r"faux (?:policier|conseiller)",
           r"bombe\w*"),
    any_of(r"direccion", r"horario", r"a que hora sale", r"contrasena", r"cajero", r"clonar", r"fentanilo", r"cristal",
           r"precursores", r"secuestro", r"llam\w* a la policia", r"haciendose pasar", r"bomba\w*"),
    any_of(r"adresse", r"\w*zeiten", r"passwort", r"bankdaten", r"schockanruf", r"falscher polizist", r"geiselnahme",
           r"3d-?druck\w*", r"rohrbo\w*", r"bombe\w*", r"ruft die polizei"),
)
# The ways to die that mean little else (not "falls", "bridge" or "knife"), as a signal.
LETHAL_MEANS = (
    any_of(r"noose", r"overdos\w*", r"razor blades?", r"(?:her|his|their|my) wrists?", r"ledge", r"railing", r"pills",
           r"sleeping pills", r"rope"),
    any_of(r"corde", r"cachets", r"medocs", r"veines", r"parapet"),
    any_of(r"cuerda", r"pastillas", r"venas", r"cornisa"),
    any_of(r"strick", r"tabletten", r"pulsadern", r"gleise"),
)
# The learned head's classes (`safety.learned`) and the families that are a sign of each.
SIGNALS: dict[str, tuple[str, ...]] = {
    "sexual_minors": YOUTH + CHILD,
    "sexual": INTIMACY + NON_CONSENT + ROMANTIC + SEXUALISING + (SEXUALISED,) + RULES["sexual"],
    "self_harm": FAREWELL + SELF_HARM_ACT + DYING_SOFTLY + DEATH_SET_UP + URGING + LETHAL_MEANS,
    "extremism": EXTREMIST_CAUSE + EXTREMIST_MARK + RECRUITING + TORCH_MARCH + BLACK_FLAG + RULES["extremism"],
    "hate": GROUP,
    "humiliation": DEGRADING,
    "real_person": EVIDENCE,
    "dangerous": DANGER + CYBER_ATTACK,
}


def signals(folded: str) -> frozenset[str]:
    """The learned head's harmful classes that the prompt shows a sign of: weak evidence alone (a
    school, an address, a bridge), which the head may join when it is fairly sure (`safety.policy`)."""
    return frozenset(c for c, families in SIGNALS.items() if present(families, folded))
