"""Rules where rules are right: words and phrases that mean one thing whatever the sentence.

Each category is a list of regular expressions over `safety.text.fold` output (lowercase ASCII,
disguises undone), in English, French, Spanish and German. The sentence model behind
`safety.semantic` is English-centric (all-MiniLM-L6-v2), so for the other languages these rules are
most of what the policy knows; that is why each category carries its key terms in all four.

A rule here must be precise on its own: a word that is harmless in common phrases ("shooting a
film", "the bomb party", "naked eye", "killer dance move") is not a rule, or is a rule only in the
context that makes it harmful ("pipe bomb", "how to make a bomb", "shoot ... in the head").
"""
from __future__ import annotations

import re
from functools import lru_cache


def any_of(*alternatives: str) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


# Words that say the subject is a child. Used with sexual words (always refused), never alone.
_MINOR = any_of(
    r"child(?:ren)?", r"kids?", r"minors?", r"under-?age", r"teen(?:s|ager|agers|age)?", r"pre-?teens?",
    r"school ?girls?", r"school ?boys?", r"little (?:girl|boy)s?", r"young (?:girl|boy)s?", r"girls? and boys?",
    r"(?:[1-9]|1[0-7])[ -]?(?:years?|yrs?|yo)(?:[ -]old)?",
    r"(?:is|aged|age) (?:[1-9]|1[0-7])(?! ?(?:feet|foot|ft|cm|m|minutes|seconds|kg|lbs?|am|pm)\b)", r"toddlers?",
    r"bab(?:y|ies)", r"infants?", r"loli", r"shota", r"jailbait",
    r"enfants?", r"mineure?s?", r"adolescente?s?", r"fillettes?", r"petite? (?:fille|garcon)s?",
    r"(?:[1-9]|1[0-7]) ans", r"nin[oa]s?", r"menor(?:es)?", r"(?:[1-9]|1[0-7]) anos",
    r"(?:ein|das|nacktes|kleines) kind", r"kinder",
    r"minderjahrig\w*", r"jugendlich\w*", r"(?:[1-9]|1[0-7]) jahre",
)

_SEXUAL = (
    any_of(r"porn\w*", r"porno\w*", r"pr[o0]n", r"xxx", r"nsfw", r"hentai", r"onlyfans", r"only fans",
           r"sex+(?! (?:education|ed|on the beach|pistols|appeal))", r"sexual(?:ly)?(?! (?:health|education))",
           r"have sex", r"having sex", r"intercourse", r"orgasm\w*", r"masturbat\w*",
           r"blow ?jobs?", r"hand ?jobs?", r"cum(?:shot|ming)?(?! laude)", r"erotic\w*", r"striptease", r"strippers?",
           r"lap ?dances?", r"full frontal", r"genitals?", r"genitalia", r"penis", r"vagina", r"nipples?",
           r"kamasutra", r"make love", r"making love", r"makes love", r"sex tape", r"x-rated", r"fetish\w*",
           r"bdsm", r"bondage", r"horny", r"camgirl", r"camboy", r"rap(?:e|es|ed|ing)", r"molest\w*",
           r"grop(?:e|es|ed|ing)", r"sexual(?:ly)? (?:abuse|assault)\w*",
           r"touch\w* (?:\w+ )?(?:inappropriately|sexually|between (?:his|her|their) legs)", r"inappropriate touching"),
    # Nudity, except the harmless phrases: the naked eye, nude-coloured shoes, a nude lip.
    r"\b(?:naked|nude|nudes|nudity|topless|bottomless|undress\w*|unclothed|stark naked)\b"
    r"(?![ -](?:eye|eyes|colou?r\w*|tone\w*|shade\w*|lip\w*|heels?|pumps|beige|palette|makeup|gown|dress|truth"
    r"|flame)\b)",
    r"\b(?:with )?(?:no|without (?:any )?) ?cloth(?:es|ing)(?: on)?\b"
    r"(?!\s+(?:budget|store|shop|brand|line|rack|donation|drive|size|swap|sale)s?\b)",
    r"\bstrip\w* (?:naked|nude|off (?:her|his|their|all|the) cloth\w*|down to nothing|tease)\b",
    r"\b(?:take|takes|taking|took|peel\w*|pull\w*|rip\w*|tear\w*|strip\w*) (?:off )?(?:all )?(?:of )?"
    r"(?:her|his|their|someone's) (?:clothes|clothing|underwear|bra|panties)\b",
    r"\b(?:her|his) (?:breasts?|boobs|tits|ass|butt) (?:out|exposed|bare)\b",
    # fr
    any_of(r"nue?s?", r"a poil", r"sexe", r"sexuel\w*", r"erotique\w*", r"pornographi\w*", r"seins nus",
           r"strip-?tease", r"(?:faire|font|fait|faisant) l'amour", r"se deshabill\w*", r"deshabille\w*",
           r"baiser (?:avec|sauvagement)", r"coucher avec"),
    # es
    any_of(r"desnud[oa]s?", r"desnuda\w*", r"sexo", r"sexual\w*", r"erotic[oa]s?", r"hacer el amor",
           r"haciendo el amor", r"se desnuda\w*", r"tetas", r"pornografi\w*"),
    # de
    any_of(r"nackt\w*", r"erotisch\w*", r"geschlechtsverkehr", r"liebe machen", r"zieht sich aus"),
)

_VIOLENCE = (
    any_of(r"behead\w*", r"decapitat\w*", r"dismember\w*", r"disembowel\w*", r"eviscerat\w*", r"gore(?!-?tex)",
           r"gory",
           r"gruesome", r"entrails", r"intestines", r"mutilat\w*", r"skinned alive", r"burn(?:ed|t|ing) alive",
           r"school shooting", r"mass shooting", r"massacre\w*", r"beaten to death", r"bludgeon\w*",
           r"torture\w*", r"torturing", r"guts (?:spill\w*|everywhere|out|hanging)",
           r"blood (?:spray\w*|splatter\w*|spurt\w*|everywhere|gush\w*|bath)",
           r"bloodbath", r"brains? (?:blown|splatter\w*|spilling)", r"head (?:cut|chopped|blown) off",
           r"severed (?:head|limb|arm|leg|hand|finger)s?", r"cut (?:off )?(?:his|her|their) head(?: off)?",
           r"goug\w* (?:out )?(?:his|her|their|someone's) eyes", r"eyes (?:ripped|gouged|torn) out",
           r"slit\w* (?:his|her|their|a man's|a woman's|someone's)? ?throats?", r"throat (?:slit|cut)",
           r"stab\w* (?:\w+ )?(?:to death|repeatedly|over and over)", r"crushed to death", r"body crushed",
           r"execution[- ]style", r"execution video", r"snuff film", r"animal cruelty",
           r"ripp\w* (?:\w+ )?(?:eyes|heart|limbs|guts) out"),
    r"\bshoot\w* (?:\w+ ){0,4}in the (?:head|face)\b",
    # fr
    any_of(r"decapit\w*", r"demembr\w*", r"egorg\w*", r"eventr\w*", r"sang partout", r"bain de sang",
           r"tortur\w*", r"massacr\w*", r"mutil\w*", r"battu a mort", r"brule vif"),
    # es
    any_of(r"descuartiz\w*", r"desmembr\w*", r"degoll\w*", r"sangre por todas partes", r"bano de sangre",
           r"masacre", r"matanza", r"mutil\w*", r"golpeado hasta la muerte"),
    # de
    any_of(r"enthaupt\w*", r"gekopft", r"kopf ab\w*", r"zerstuckel\w*", r"uberall blut", r"blutbad", r"gemetzel",
           r"massaker", r"gefoltert", r"foltert?", r"verstummel\w*", r"totgeprugelt"),
)

_SELF_HARM = (
    r"\bsuicid\w*\b(?! (?:prevention|hotline|helpline|awareness|squad|crisis line|lifeline))",
    any_of(r"(?:kill|kills|killing|killed) (?:himself|herself|myself|themselves|yourself|themself)",
           r"(?:end|ends|ending|ended|take|takes|taking) (?:his|her|my|their|your) (?:own )?life",
           r"hang\w* (?:himself|herself|myself|themselves)", r"self[- ]?harm\w*", r"self[- ]?injur\w*",
           r"(?:cut|cuts|cutting|slit|slits|slitting|slash\w*) (?:his|her|my|their|your) (?:own )?"
           r"(?:wrists?|arms?|veins?)",
           r"overdos\w*", r"sewer ?slide", r"unalive\w*", r"kys", r"pro[- ]?ana", r"thinspo\w*",
           r"(?:jump|jumps|jumping) (?:off|from) (?:a|the) (?:bridge|roof|building|ledge|cliff) to (?:die|end)",
           r"burn\w* (?:his|her|their|my) own (?:arm|skin|hand)"),
    # fr
    any_of(r"se tuer", r"se pend\w*", r"(?:s'ouvrir|se couper|se taillader|se tailladant) les veines",
           r"scarifi\w*", r"se scarifi\w*", r"mettre fin a (?:ses|sa) jours?", r"automutil\w*"),
    # es
    any_of(r"quitarse la vida", r"se quita la vida", r"(?:se corta|cortarse|cortandose) las venas", r"ahorcarse",
           r"se ahorca\w*", r"autolesi\w*"),
    # de
    any_of(r"selbstmord\w*", r"suizid\w*", r"sich umbringen", r"bringt sich um", r"ritzt sich", r"ritzen",
           r"erhangt sich", r"sich erhangen", r"pulsadern", r"selbstverletz\w*"),
)

_GROUPS_EN = (r"muslims?|jews?|jewish people|blacks?|black people|immigrants?|migrants?|refugees?|gays?|gay people"
              r"|lesbians?|trans people|trans women|women|mexicans?|arabs?|asians?|chinese|africans?|latinos?"
              r"|gypsies|roma|christians?|hindus?|indians?|whites?|white people|disabled people")
_DEHUMANISE_EN = (r"vermin|rats?|parasites?|animals?|subhuman|cockroach\w*|terrorists?|rapists?|criminals?"
                  r"|inferior|disgusting|diseased|filth|stupid|too stupid|should (?:be )?(?:die|exterminated"
                  r"|gassed|deported|expelled|thrown out|go back)|a plague|savages?")
_HATE = (
    any_of(r"niggers?", r"niggas?", r"faggots?", r"fag", r"trann(?:y|ies)", r"retarded",
           r"(?:a|an|you|you're|the|like a|calling (?:\w+ )?a) retards?", r"kikes?", r"spics?",
           r"chinks?(?! in (?:the|his|her|their|its|our|my) armou?r)", r"wetbacks?", r"gooks?", r"ragheads?",
           r"towelheads?", r"sand ?niggers?", r"pakis?",
           r"coons?", r"dykes?", r"shemales?", r"beaners?", r"untermensch\w*"),
    rf"\b(?:all |the )?(?:{_GROUPS_EN})\b (?:\w+ ){{0,3}}(?:are|is|should be|must be|deserve to be)(?: all)?"
    rf" (?:\w+ )?(?:{_DEHUMANISE_EN})\b",
    rf"\b(?:{_GROUPS_EN})\b (?:\w+ ){{0,4}}(?:should|must) (?:be )?"
    r"(?:die|exterminated|gassed|deported|expelled|thrown out|go back)",
    any_of(r"racist (?:accent|joke|slur|chant)s?", r"ethnic cleansing", r"gas the \w+", r"white genocide",
           r"slanted eyes", r"pulling (?:his|her|their) eyes slanted"),
    # fr
    any_of(r"bougnoul\w*", r"youpin\w*", r"pede", r"pedes", r"negres?", r"bicots?", r"tarlouz\w*",
           r"sale (?:arabe|juif|noir|pede|negre|bougnoule)s?"),
    r"\b(?:les )?(?:arabes|juifs|noirs|immigres|musulmans|migrants|gitans|roms|homos)\b (?:\w+ ){0,2}sont (?:tous )?des"
    r" (?:parasites|rats|animaux|terroristes|voleurs|violeurs|cafards|sous-hommes|vermines?)",
    # es
    any_of(r"sudacas?", r"maricon\w*", r"negratas?", r"moros? de mierda", r"panchit[oa]s?"),
    r"\b(?:los )?(?:gitanos|judios|negros|inmigrantes|musulmanes|moros|gays|mexicanos)\b (?:\w+ ){0,2}son (?:todos )?"
    r"(?:unos )?(?:ladrones|ratas|parasitos|animales|terroristas|violadores|basura|plaga)",
    # de
    any_of(r"kanaken?", r"schwuchtel\w*", r"neger\w*", r"judensau", r"kameltreiber"),
    r"\b(?:die )?(?:auslander|juden|muslime|fluchtlinge|turken|migranten|schwarzen)\b (?:\w+ ){0,2}sind (?:alle )?"
    r"(?:ungeziefer|ratten|parasiten|tiere|terroristen|verbrecher|abschaum)",
)

_EXTREMISM = (
    any_of(r"nazi (?:salute|flag|uniform|officer|soldier|propaganda|rally|symbol|armband|costume|anthem|song|march)s?",
           r"(?:as|dressed as|like|becomes) an? nazi", r"nazis? (?:are|were) (?:right|heroes|good|great)",
           r"neo-?nazi\w*", r"swastikas?", r"sieg heil", r"heil hitler", r"white power",
           r"1488", r"14 words", r"blood and soil", r"kkk", r"ku klux klan", r"isis", r"isil", r"daesh", r"daech",
           r"al[- ]?qaeda", r"al[- ]?qaida", r"islamic state", r"caliphate", r"jihad\w*", r"martyrdom video",
           r"fourth reich", r"great replacement", r"race war", r"ss officer", r"waffen[- ]ss",
           r"christchurch shooter", r"unabomber manifesto", r"breivik", r"mein kampf",
           r"hijackers? as (?:heroes|martyrs)",
           r"(?:terror(?:ist)?|jihadi\w*|isis|extremist|militia) (?:recruitment|propaganda)"),
    # fr
    any_of(r"etat islamique", r"propagande (?:djihadiste|jihadiste|terroriste|nazie)", r"djihad\w*",
           r"quatrieme reich", r"salut nazi"),
    # es
    any_of(r"estado islamico", r"propaganda (?:yihadista|terrorista|nazi)", r"yihad\w*", r"cuarto reich",
           r"saludo nazi"),
    # de
    any_of(r"islamischer? staat\w*", r"vierte\w* reich", r"hitlergruss", r"dschihad\w*", r"reichsflagge"),
)

_HOW_TO = (r"how to|how you|step[- ]by[- ]step|tutorial|recipe|instructions?|explains?|explaining|teach\w*|"
           r"shows? how|showing how|demonstrat\w*|guide to|diy|homemade|home-made|comment (?:fabriquer|faire)|"
           r"explique|ensena|como (?:hacer|fabricar)|erklart|anleitung|wie man")
_HARM_OBJECT = (r"(?<!bath )(?<!seed )(?<!glitter )(?<!photo )bombs?|explosives?|detonators?|ieds?|grenades?|napalm|"
                r"(?<!glue )(?<!water )(?<!nerf )(?<!squirt )(?<!staple )(?<!heat )(?<!spray )(?<!nail )guns?|"
                r"rifles?|silencers?|meth|methamphetamine|fentanyl|heroin|cocaine|crack cocaine|lsd|mdma|ricin|sarin|"
                r"anthrax|nerve (?:gas|agent)|poison(?! ivy| oak| dart)\w*|toxic gas|chlorine gas|mustard gas|bombe|"
                r"explosifs?|bomba|explosivos?|sprengstoff")
_DANGEROUS = (
    any_of(r"pipe ?bombs?", r"nail ?bombs?", r"car ?bombs?", r"fertili[sz]er bombs?", r"dirty bombs?",
           r"suicide vests?", r"molotov\w*", r"napalm", r"cook\w* meth", r"meth lab", r"crack lab",
           r"synthesi[sz]\w* (?:meth\w*|fentanyl|heroin|cocaine|lsd|mdma|drugs?|sarin|ricin)", r"ghost guns?",
           r"untraceable (?:gun|firearm|weapon)s?",
           r"3d[- ]?print\w* (?:an? )?(?:untraceable )?(?:gun|firearm|rifle|pistol)s?",
           r"full[- ]?auto", r"bump stocks?", r"ricin", r"sarin", r"nerve (?:gas|agent)", r"anthrax", r"mustard gas",
           r"bleach and ammonia", r"poison (?:someone|somebody|a person|his|her|their|my) \w+",
           r"without (?:getting caught|leaving a trace)", r"untraceable poison"),
    rf"\b(?:{_HOW_TO})\b(?: \S+){{0,6}} (?:{_HARM_OBJECT})\b",
    rf"\b(?:make|making|build|building|assemble|assembling|fabricate|cook|cooking|brew|brewing)"
    rf" (?:an? |some |your own )?(?:homemade )?(?:{_HARM_OBJECT})\b(?! (?:party|cake|birthday|bath|shell|movie|film))",
    # fr
    any_of(r"bombe artisanale", r"fabriquer (?:une|des) (?:bombes?|explosifs?)", r"cocktails? molotov",
           r"fabriquer de la (?:meth\w*|drogue)"),
    # es
    any_of(r"bomba casera", r"fabricar (?:una |bombas|explosivos)\w*", r"explosivos caseros", r"bomba molotov"),
    # de
    any_of(r"rohrbomben?", r"nagelbomben?", r"bomben? bau\w*", r"sprengstoff (?:herstellen|bauen|mischen)",
           r"sprengsatz\w*"),
)

_IMPERSONATION_ALWAYS = (
    any_of(r"deep ?fakes?", r"deep-fakes?", r"face ?swap\w*", r"swap\w* (?:his|her|their) face", r"voice clon\w*",
           r"clon\w* (?:his|her|their|the) voice", r"fake (?:breaking news|news (?:report|broadcast|segment|bulletin))",
           r"fake (?:statement|announcement|endorsement|confession|speech)",
           r"hypertrucage"),
)
# Acting as someone: the words that, followed by a real name or an office, make an impersonation.
IMPERSONATION_VERBS = any_of(
    r"pretend\w* to be", r"impersonat\w*", r"posing as", r"poses as", r"pose as", r"disguised as", r"dressed as",
    r"dresses up as", r"in the role of", r"playing the role of", r"as if (?:he|she|they) (?:were|was)",
    r"sound\w* like", r"voice of", r"speaking as", r"as",
    r"se fai\w* passer pour", r"deguise\w* en", r"dans le role d\w*", r"en tant que", r"comme",
    r"hac\w* pasar por", r"haciendose pasar por", r"disfrazad[oa] de", r"como",
    r"gibt sich als", r"sich als", r"verkleidet als", r"als",
)
_PLACES = (r"united states|us|usa|america|uk|united kingdom|britain|great britain|england|france|germany|russia|china"
           r"|ukraine|canada|mexico|spain|italy|india|japan|brazil|israel|iran|north korea|turkey|australia"
           r"|the republic|apple|google|microsoft|amazon|tesla|meta|facebook|twitter|openai|nvidia|the fed"
           r"|federal reserve|the united nations|nato|the european commission|new york|london|paris|berlin|moscow")
_TITLES = (r"president|prime minister|pm|chancellor|pope|vice president|king|queen|ceo|secretary of state"
           r"|foreign minister|supreme leader|mayor|governor|senator|minister|head of state")
# A particular real office holder: "the president", "the Prime Minister of the UK", "the current pope".
OFFICE = (
    rf"\b(?:(?:the|le|la|el|der|die|current|actual|real|sitting|us|u\.?s\.?|american|french|british|uk|german"
    rf"|russian|chinese|ukrainian|israeli|spanish|italian|canadian|indian) )+(?:president|prime minister|chancellor|pope"
    rf"|vice president)\b(?! of (?:the )?(?:student|club|class|company|board|council|team|school|hoa|fan|chess))"
    rf"|\b(?:{_TITLES}) of (?:the )?(?:{_PLACES})\b"
    rf"|\b(?:president|presidente) de (?:la )?(?:republique|republica|france|espana|mexico|los estados unidos)\b"
    rf"|\b(?:bundeskanzler\w*|kanzler\w*|bundesprasident\w*|papst|le pape|el papa|the pope)\b"
)

_HUMILIATION = (
    r"\b(?:make|makes|making|made|show|shows|showing|have|has|render|turn|turns|turning|depict\w*)"
    r" someone (?:\w+ ){0,2}(?:look|looking|appear|appearing|seem|seeming|as|be|being|get|getting)?"
    r" ?(?:(?:very|really|super|totally|completely) )?(?:drunk|wasted|hammered|plastered|stupid|dumb|ugly|fat|obese"
    r"|naked|nude|pathetic|disgusting|idiotic|retarded|crazy|homeless|senile|arrested|in handcuffs|a criminal)\b",
    any_of(r"humiliat\w*", r"degrad(?:e|es|ed|ing)", r"mock\w* (?:someone|him|her|them)(?!'s)",
           r"ridicul\w* someone(?!'s)", r"(?:point\w* and )?laugh\w* at (?:someone|him|her|them)(?!'s)",
           r"(?:pee|pees|peeing|peed|poop|poops|pooping|pooped|shit|shits|shitting|wet|wets|wetting|soil|soils|soiling"
           r"|soiled) (?:himself|herself|themselves|themself|(?:his|her|their) (?:own )?(?:pants|trousers))",
           r"vomit\w* (?:all )?over (?:himself|herself|themselves)", r"throw\w* up (?:all )?over (?:himself|herself)",
           r"(?:drunk|wasted|hammered|plastered) and (?:stumbling|falling|passed out|puking|vomiting|crawling)",
           r"(?:passed out|blackout) drunk", r"mugshots?",
           r"someone (?:\w+ ){0,2}(?:getting|gets|being|got|is|was) (?:arrested|handcuffed)",
           r"someone (?:\w+ ){0,3}in handcuffs", r"prisoner number", r"wedgies?", r"dunce caps?",
           r"begging on (?:his|her|their) knees", r"pathetic and weak", r"grotesquely fat", r"fat[- ]shaming",
           r"calls? (?:him|her|them|someone) an? (?:idiot|loser|moron|freak)"),
    # fr
    any_of(r"bourree?s?", r"ivre mort\w*", r"saoule?s?", r"humili\w*", r"ridiculis\w*", r"se moqu\w* de someone",
           r"menotte\w*", r"se fait arreter"),
    # es
    any_of(r"borrach[oa]s?", r"humill\w*", r"ridiculiz\w*", r"burl\w* de someone", r"todos se rien", r"esposad[oa]s?",
           r"arrestad[oa]s?"),
    # de
    any_of(r"betrunken\w*", r"besoffen\w*", r"gedemutigt", r"demutig\w*", r"lacherlich gemacht", r"verhaftet",
           r"in handschellen", r"ausgelacht"),
)

# Refused for teen accounts and any clip with a teen's cameo (strict mode) only.
_TEEN = (
    any_of(r"kiss\w*", r"making out", r"make out", r"makes out", r"romantic", r"romance", r"dating", r"on a date",
           r"(?:first|dinner|romantic|blind) date", r"flirt\w*", r"alcohol\w*", r"beers?", r"wine", r"vodka",
           r"tequila", r"whisk(?:e)?y", r"rum", r"cocktails?", r"champagne", r"drunk", r"booze", r"shots? of",
           r"tequila shots", r"nightclub\w*", r"strip club", r"casinos?", r"poker", r"gambl\w*", r"betting",
           r"(?:bets?|wagers?) (?:on|money|everything)", r"place[sd]? (?:a )?bets?", r"roulette", r"slot machines?",
           r"horror", r"terrifying", r"demons?", r"possessed",
           r"zombies? eating", r"blood\w*", r"vap(?:e|es|ing)",
           r"smok(?:e|es|ing) (?:a )?(?:cigarettes?|weed|joint|cigars?)",
           r"cigarettes?", r"weed", r"cannabis", r"marijuana", r"drugs?", r"sexy", r"seductive\w*", r"lingerie",
           r"bikini photoshoot", r"fist ?fights?", r"punch(?:es|ing|ed)?"),
    # fr
    any_of(r"s'embrass\w*", r"embrass\w*", r"bisous?", r"alcool\w*", r"bieres?", r"vin", r"casino",
           r"rendez-vous galant",
           r"horreur", r"fumer", r"cigarette"),
    # es
    any_of(r"bes(?:o|os|a|an|ando|arse)", r"besandose", r"cervezas?", r"alcohol", r"apuesta\w*", r"casino",
           r"cita romantica",
           r"terror", r"fumando"),
    # de
    any_of(r"kuss\w*", r"kuess\w*", r"knutsch\w*", r"bier", r"alkohol", r"glucksspiel", r"wetten", r"kasino",
           r"horror", r"rauch\w*"),
)

RULES: dict[str, tuple[str, ...]] = {
    "sexual": _SEXUAL,
    "violence": _VIOLENCE,
    "self_harm": _SELF_HARM,
    "hate": _HATE,
    "extremism": _EXTREMISM,
    "dangerous": _DANGEROUS,
    "impersonation": _IMPERSONATION_ALWAYS,
    "humiliation": _HUMILIATION,
}
STRICT_RULES: dict[str, tuple[str, ...]] = {"teen": _TEEN}
MINOR = _MINOR
# Words that sexualise without being explicit: refused with a minor in the sentence, and in strict mode.
SEXUALISED = any_of(r"sexy", r"sexi", r"seductive\w*", r"suggestive\w*", r"provocative\w*", r"lingerie", r"twerk\w*",
                    r"sensual\w*", r"aguichant\w*", r"sinnlich\w*")


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# "no gore", "without nudity", "sans violence": a word the prompt rules out is not a request for it.
_NEGATED = re.compile(r"(?:\b(?:no|not|without|never|zero|sans|pas de|sin|ohne|kein\w*)\s+(?:\w+\s+)?)$")


def find(patterns: tuple[str, ...] | str, folded: str) -> list[str]:
    """The phrases of `folded` that these patterns match, in order, except those the prompt negates."""
    if isinstance(patterns, str):
        patterns = (patterns,)
    hits = []
    for pattern in patterns:
        hits.extend(m.group(0) for m in _compiled(pattern).finditer(folded)
                    if not _NEGATED.search(folded[max(0, m.start() - 30):m.start()]))
    return hits


def rule_hits(folded: str, strict: bool) -> dict[str, list[str]]:
    """Category -> matched phrases, for every category with at least one match."""
    rules = {**RULES, **(STRICT_RULES if strict else {})}
    hits = {cat: found for cat, patterns in rules.items() if (found := find(patterns, folded))}
    minors = find(MINOR, folded)
    if minors and (hits.get("sexual") or find(SEXUALISED, folded)):
        hits["sexual_minors"] = hits.get("sexual", []) + find(SEXUALISED, folded) + minors
    if find(any_of("loli", "lolicon", "shota", "shotacon", "jailbait", "cp", "pedo\\w*", "paedo\\w*"), folded):
        hits.setdefault("sexual_minors", []).append("explicit term")
    return hits
