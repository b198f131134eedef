"""Rules where rules are right: words and phrases that mean one thing whatever the sentence.

Each category is a list of regular expressions over `safety.text.fold` output (lowercase ASCII,
disguises undone), in English, French, Spanish and German; each category carries its key terms in
all four. Two signals that are harmful only together (a school uniform and a seductive pose) are
rules of combination, in `safety.composition`.

A rule here must be precise on its own: a word that is harmless in common phrases ("shooting a
film", "the bomb party", "naked eye", "killer dance move") is not a rule, or is a rule only in the
context that makes it harmful ("pipe bomb", "how to make a bomb", "shoot ... in the head").

Rules are written per family of request, not per past miss: "set <a person> on fire", "<throw> acid",
"<person> should be <put in camps>", "<atrocity> ... <joke>", "<pants> <pulled> down". A person or
an animal as the object is what separates "sets a man on fire" from "sets the dance floor on fire",
and "throws acid" from "acid-wash jeans".
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
    r"(?:ein|das|nacktes|kleines) kind", r"kinder", r"middle ?school\w*", r"elementary school\w*", r"kindergarten\w*",
    r"pre-?school\w*", r"nursery school\w*", r"(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th) grader?s?",
    r"primary school\w*", r"junior high", r"school uniforms?", r"(?:little|young) (?:daughter|son|niece|nephew)s?",
    r"tweens?", r"prepubescent", r"underage\w*", r"cheerleaders? from (?:the )?(?:middle|high) school",
    r"(?:sixth|seventh|eighth|ninth|6th|7th|8th|9th) grader?s?", r"ddlg", r"age ?play",
    r"minderjahrig\w*", r"jugendlich\w*", r"(?:[1-9]|1[0-7]) jahre",
)

# Words for a person or an animal as the object of a violent verb: "sets a homeless man on fire",
# "drowns someone" (a cameo reads "someone"), "kicks a puppy across the room".
_PERSON = (r"(?:someone|somebody|him|her|them|man|woman|men|women|person|people|guy|girl|boy|child|children|kid|kids|"
           r"baby|toddler|teen|teenager|student|students|victim|prisoner|hostage|stranger|neighbou?r|cashier|"
           r"shopkeeper|clerk|worker|officer|cop|guard|soldier|protester|refugee|migrant|immigrant|wife|husband|"
           r"girlfriend|boyfriend|mother|father|mom|mum|dad|son|daughter|brother|sister|friend|classmate|teacher|"
           r"old lady|grandma|grandpa|homeless man|homeless woman|beggar|jew|muslim|gay man|trans woman|ex)")
_ANIMAL = (r"dogs?|puppy|puppies|cats?|kittens?|seals?|seal pups?|pups?|lambs?|calf|calves|horses?|ponies|pony|rabbits?|bunny|bunnies|birds?|hamsters?|"
           r"animals?|pets?|cows?|pigs?|goats?|sheep|lambs?|chickens?|ducks?|frogs?|squirrels?|monkeys?|"
           r"deer|fawn|foxes|fox|ferrets?|guinea pigs?|turtles?|parrots?")

_SEXUAL = (
    any_of(r"porn\w*", r"porno\w*", r"pr[o0]n", r"xxx", r"nsfw", r"hentai", r"onlyfans", r"only fans",
           r"sex+(?! (?:education|ed|on the beach|pistols|appeal))", r"sexual(?:ly)?(?! (?:health|education))",
           r"have sex", r"having sex", r"intercourse", r"orgasm\w*", r"masturbat\w*",
           r"blow ?jobs?", r"hand ?jobs?", r"cum(?:shot|ming)?(?! laude)", r"erotic\w*", r"striptease", r"strippers?",
           r"lap ?dances?", r"full frontal", r"genitals?", r"genitalia", r"penis", r"vagina", r"nipples?",
           r"kamasutra", r"make love", r"making love", r"makes love", r"sex tape", r"x-rated", r"fetish\w*",
           r"bdsm", r"bondage", r"horny", r"camgirl", r"camboy", r"rap(?:e|es|ed|ing)", r"molest\w*",
           r"grop(?:e|es|ed|ing)", r"sexual(?:ly)? (?:abuse|assault)\w*",
           r"touch\w* (?:\w+ )?(?:inappropriately|sexually|between (?:his|her|their) legs)", r"inappropriate touching",
           r"sext(?:s|ing|ed)?", r"fansly", r"lewd\w*", r"smut\w*", r"kinky", r"raunchy", r"boudoir", r"boners?",
           r"erections?", r"hard-?ons?", r"jerk\w* off", r"jack\w* off", r"wank\w*", r"fapp\w*", r"deep ?throat\w*",
           r"doggy ?style", r"(?:69|sixty-?nine|missionary|cowgirl) position", r"reverse cowgirl",
           r"(?:doing|did|do) the deed", r"get(?:s|ting)? it on", r"bumping uglies", r"booty call", r"quickies?",
           r"getting frisky", r"(?:go|goes|going|went) down on (?:someone|him|her|them)",
           r"finger(?:s|ing|ed) (?:herself|himself|her|him)", r"touch\w* (?:herself|himself) (?:under|down|between)",
           r"in the buff", r"birthday suit", r"nekk?id", r"nakey", r"nakie", r"butt[- ]naked", r"bare[- ](?:breasted|bottomed|assed)",
           r"wearing (?:absolutely )?nothing(?! but (?:a smile and )?(?:a |an |his |her )?(?:onesie|coat|jacket|"
           r"pyjamas|pajamas|costume|suit|dress))",
           r"(?:giv\w*|receiv\w*|get(?:s|ting)?|got) (?:\w+ )?oral\b(?! (?:exam|presentation|surgery|history|test|"
           r"hygiene|report|argument|medication|care))",
           r"(?:giv\w*|get(?:s|ting)?|got) (?:\w+ )?an? handy\b(?! ?(?:man|tool|tip|guide|gadget|trick|hint))",
           r"hook(?:s|ed|ing)? up (?:with (?:a |some )?(?:stranger|random|hottie|guy|girl|man|woman|someone)"
           r"|in (?:the|a) (?:back ?seat|back of|bed|bathroom|toilet|car|shower|closet|hot tub))",
           r"(?:steamy|explicit|x-rated|raunchy|naughty|racy|spicy|dirty|lewd|adult|18\+) (?:\w+ )?(?:sex |love "
           r"|bedroom "
           r")?(?:scenes?|content|videos?|clips?|footage|photos?|pics|selfies|session|encounter|hook ?ups?|romps?"
           r"|night together|fun in bed)",
           r"steamy (?:make ?out|romance|love|bedroom|night|encounter|kiss\w*|tryst|affair)",
           r"lingerie (?:photo ?shoot|shoot|photos?|modell?ing|try[- ]on|haul|show|pics|video)",
           r"see[- ]through (?:lingerie|top|shirt|blouse|dress|bra|underwear|nightie|nightgown|bodysuit)",
           r"(?:secretly|hidden cameras?|spy\w* on|peep\w*)(?: \w+){0,5} (?:changing|undress\w*|shower\w*|bathing|"
           r"naked|nude|on the toilet|in the bathroom)",
           r"(?:photos?|pictures?|pics|film\w*|record\w*|video\w*) of (?:\w+ ){0,2}(?:girls|boys|kids|children|teens|"
           r"minors) (?:\w+ )?(?:changing|undressing|showering|naked|in (?:the|their) underwear)"),
    # Nudity, except the harmless phrases: the naked eye, nude-coloured shoes, a nude lip.
    r"\b(?:naked|nude|nudes|nudity|topless|bottomless|undress\w*|unclothed|stark naked)\b"
    r"(?![ -](?:eye|eyes|colou?r\w*|tone\w*|shade\w*|lip\w*|heels?|pumps|beige|palette|makeup|gown|dress|truth"
    r"|flame)\b)(?! (?:an? |the |her |his )?(?:mannequin|doll|dummy|barbie|scarecrow)s?\b)",
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
    any_of(r"behead\w*(?! (?:the |some |a |her |his )?(?:dandelions?|flowers?|roses?|weeds?|daisies|tulips|plants?))",
           r"decapitat\w*", r"dismember\w*", r"disembowel\w*", r"eviscerat\w*", r"gore(?!-?tex)",
           r"gory",
           r"gruesome", r"entrails", r"intestines", r"mutilat\w*", r"skinned alive", r"burn(?:ed|t|ing) alive",
           r"school shooting", r"mass shooting", r"massacre\w*", r"beaten to death", r"bludgeon\w*", r"curb[- ]?stomp\w*",
           r"torture\w*", r"torturing", r"guts (?:spill\w*|everywhere|out|hanging)",
           r"blood (?:spray\w*|splatter\w*|spurt\w*|everywhere|gush\w*|bath)",
           r"bloodbath", r"brains? (?:blown|splatter\w*|spilling)", r"head (?:cut|chopped|blown) off",
           r"severed (?:head|limb|arm|leg|hand|finger)s?", r"cut (?:off )?(?:his|her|their) head(?: off)?",
           r"goug\w* (?:out )?(?:his|her|their|someone's) eyes", r"eyes (?:ripped|gouged|torn) out",
           r"slit\w* (?:his|her|their|a man's|a woman's|someone's)? ?throats?", r"throat (?:slit|cut)",
           r"(?:rip\w*|tear\w*|tore|bit\w*) (?:out )?(?:\S+ ){0,2}(?:throat|heart|eyes?|tongue|spine|jaw)(?: out)?"
           r"(?! (?:singing|laugh\w*|cheer\w*|scream\w* (?:with|in) joy))", r"arterial (?:spray|blood|spurt)\w*",
           r"stab\w* (?:\w+ )?(?:to death|repeatedly|over and over)", r"crushed to death", r"body crushed",
           r"execution[- ]style", r"execution video", r"snuff film", r"animal cruelty",
           r"ripp\w* (?:\w+ )?(?:eyes|heart|limbs|guts) out",
           # fire and acid on a person
           rf"(?:set|sets|setting|lit|light|lights|lighting) (?:an? |the |this |that |some |two )?(?:\w+ )?{_PERSON}"
           r" (?:on fire|alight|ablaze|aflame)",
           rf"(?:douse|douses|doused|dousing|drench\w*|pour\w*|splash\w*) (?:an? |the )?(?:\w+ )?{_PERSON}"
           r" (?:\w+ ){0,2}(?:with|in) (?:gasoline|petrol|fuel|lighter fluid|kerosene|acid)",
           r"(?:gasoline|petrol|kerosene|lighter fluid) (?:on|over) (?:an? |the )?(?:\w+ )?"
           rf"{_PERSON} and (?:light|lights|lit|ignit)\w*",
           r"acid attacks?", r"(?:throw|throws|threw|throwing|toss\w*|splash\w*|fling\w*|hurl\w*) acid",
           rf"acid (?:in|into|on|onto|at|over) (?:an? |the )?(?:\w+ )?(?:{_PERSON}|his|her|their"
           rf"|someone's)\W? ?(?:\w+ )?"
           r"(?:face|eyes|skin)", r"(?:face|skin) (?:melting|melts|melted|dissolving) (?:off|away|from (?:the )?acid)",
           # torture and mutilation
           r"waterboard\w*", r"(?:pull\w*|rip\w*|tear\w*|yank\w*) out (?:\S+ ){0,2}(?:finger|toe)?nails",
           r"(?:finger|toe)?nails? (?:pulled|ripped|torn) out", r"electrocut\w* (?:a |the )?(?:\w+ )?(?:"
           rf"{_PERSON}|someone|him|her|them|prisoner|hostage|dog|cat)", r"branded with a (?:hot|red-hot) iron",
           rf"(?:cut\w*|chop\w*|hack\w*|saw\w*|slic\w*|rip\w*|tear\w*|bit\w*) off (?:an? |the )?(?:\w+ )?"
           rf"(?:{_PERSON}'s|his|her|their|someone's) (?:own )?(?:hand|arm|leg|finger|toe|ear|nose|tongue|foot|feet|"
           r"lips?|genitals|penis)s?", r"hack\w* (?:\w+ ){0,3}(?:apart|to pieces|to death)", r"pulled apart alive",
           # killing a person: executions, shootings, stabbing, drowning, strangling, crushing, running over
           r"firing squad", r"public (?:execution|hanging|beheading|stoning)s?", r"ston(?:ed|ing) to death",
           r"lynch(?:ed|es|ing|ings| mobs?)", r"crucif(?:y|ied|ies|ying)", r"nailed to a cross",
           r"gunn(?:ed|ing) down", r"shot (?:dead|to death)", r"shoot(?:s|ing)? up (?:a|the) (?:school|church|"
           r"mosque|synagogue|mall|concert|classroom|party|club|nightclub|bar|restaurant|office|festival)",
           r"(?:fir\w*|spray\w*|unload\w*|empt\w*) (?:an? |the |his |her |their )?(?:gun|rifle|pistol|shotgun|"
           r"machine ?gun|ak-?47|ar-?15|bullets|rounds|shots|clip|magazine)s? (?:into|at|on) (?:an? |the )?(?:crowd|"
           r"crowded|shoppers|students|worshippers|protesters|pedestrians|people|children|kids|classroom|concert)",
           r"open(?:s|ed|ing)? fire (?:on|at|in|into) (?:an? |the )?(?:crowd|"
           r"school|mall|church|mosque|synagogue|students|shoppers|people|concert|classroom)",
           rf"(?:stab|stabs|stabbed|stabbing|knif\w*|shank\w*) (?:an? |the )?(?:\w+ )?(?:{_PERSON}|someone|him|her|"
           r"them)(?:'s)? (?:\w+ )?(?:in the|through the|in his|in her|in their) ?(?:neck|chest|back|eyes?|throat"
           r"|heart|"
           r"stomach|gut|belly|face|head)",
           rf"(?:drown|drowns|drowned|drowning|strangl\w*|throttl\w*|suffocat\w*|smother\w*) (?:an? |the )?(?:\w+ )?"
           rf"(?:{_PERSON}|someone|him|her|them|(?:his|her|their) (?:wife|husband|baby|child|son|daughter|mother|father"
           r"|partner|girlfriend|boyfriend|victim))\b(?!'s)(?! (?:out|sorrows|in (?:paperwork|work|homework|emails"
           r"|laughter|"
           r"love|kisses|hugs|compliments|gifts)|with (?:kisses|love|hugs|attention|affection|compliments|gifts)))",
           r"(?:hold\w*|held|push\w*|forc\w*|shov\w*) (?:\w+ ){0,3}(?:head|face) (?:\w+ )?(?:under ?water|under the "
           r"water|into the (?:water|bath|tub|toilet))(?! (?:for|to) (?:a |the )?(?:dare|bob|apple|challenge))",
           r"(?:until|till) (?:he|she|they|it) (?:stops? (?:struggling|breathing)|goes limp|go limp|bleeds? out)",
           r"(?:until|till) (?:he|she|they) (?:stops? moving|dies|die|is dead|are dead)",
           r"(?:smash\w*|bash\w*|crush\w*|cav\w*|stomp\w*|split\w*) (?:in )?(?:\w+ ){0,2}(?:skull|head|face)s? "
           r"(?:in|open|into a pulp|to a pulp)", r"skulls? (?:crushed|smashed|caved in|split open)",
           r"(?:run|runs|running|ran) over (?:an? |the )?(?:pedestrians?|cyclists?|child|kid|toddler|man|woman|person|"
           r"people|crowd|protesters|old (?:man|woman|lady))", r"(?:drive|drives|driving|drove|ram\w*|plough\w*|"
           r"plow\w*) (?:an? |the |his |her |their )?(?:car|truck|van|lorry|suv) into (?:an? |the )?(?:crowd|"
           r"people|pedestrians|protesters|market|parade)", r"(?:tie|ties|tied|tying) (?:\w+ ){0,3}to (?:the )?"
           r"(?:train|railway|rail) tracks", r"burn(?:s|ed|t|ing)? (?:a |the )?(?:\w+ )?(?:man|woman|person|"
           r"people|child|kid|baby|victim|prisoner|village|family) (?:alive|to death|at the stake)",
           r"burned at the stake", r"(?:chainsaw|machete) (?:massacre|attack|murder|killing)",
           # animals: cruelty verbs always; a kick or a throw only with what makes it cruelty
           rf"(?:tortur\w*|mutilat\w*|microwav\w*|strangl\w*|stab|stabs|stabbed|stabbing|drown\w*|poison\w*|"
           rf"starv\w*) (?:an? |the |his |her |their |some |a little |a baby |the neighbou?r's )?(?:{_ANIMAL})\b(?!'s)"
           r"(?! (?:toy|plush\w*|pinata|costume|mascot|cake|cookies?|balloon|kite|puppet|trap|pad|cursor)s?\b)",
           rf"(?:burn\w*|skin\w*|boil\w*) (?:an? |the |his |her |their |some |a little |a baby )?(?:{_ANIMAL})"
           r" (?:alive|with (?:a )?(?:lighter|cigarettes?|matches|a blowtorch))",
           rf"(?:set|sets|setting|lit|light|lights|lighting) (?:an? |the |his |her |their )?(?:{_ANIMAL}) "
           r"(?:on fire|alight|ablaze)",
           rf"(?:kick\w*|beat\w*|punch\w*|throw\w*|threw|hit|hits|hitting|slam\w*|stomp\w*|swing\w*|swung|smash\w*) "
           rf"(?:an? |the |his |her |their |some |a little |a baby )?(?!dead )(?:{_ANIMAL})\b(?!'s) (?:\w+ ){{0,3}}?"
           r"(?:until|till|to death|across the (?:room|yard|street|floor)|against (?:a|the) (?:wall|floor|ground)|into "
           r"(?:a|the) (?:wall|river|fire|oven|microwave|lake)|off (?:a|the) (?:bridge|roof|cliff|balcony)|while it|"
           r"as it|for fun|for laughs|and laugh\w*)",
           rf"(?:bash|club|beat|smash|stomp|kick|hit)\w* (?:\w+ ){{0,2}}(?:{_ANIMAL})'?s? (?:head|skull|face)",
           r"animal (?:abuse|torture)", r"(?:dog|cock|bear|bull) ?fight(?:s|ing)? (?:to the death|pits?|rings?)",
           r"dogfighting", r"cockfighting"),
    r"\bshoot\w* (?:\w+ ){0,4}in the (?:head|face|chest|back|neck|heart|stomach|gut|knees?)\b",
    # fr
    any_of(r"decapit\w*", r"demembr\w*", r"egorg\w*", r"eventr\w*", r"sang partout", r"bain de sang",
           r"tortur\w*", r"massacr\w*", r"mutil\w*", r"battu a mort", r"(?:frapp|battu|poignard|roue|tabass)\w* (?:\w+ ){0,5}(?:a mort|jusqu'a la mort|jusqu'a ce qu'(?:il|elle) (?:meure|ne bouge plus))", r"brule vif", r"brulee? vive?",
           r"attaque a l'acide", r"(?:jett\w*|lanc\w*|asperg\w*) (?:de l')?acide", r"arros\w* d'essence", r"immol\w*",
           r"etrangl\w*", r"lapid(?:e|es|ee|ees|er|ant|ation)", r"fusille\w*",
           r"noy\w* (?:un|une|le|la|son|sa|someone) (?:\w+ )?(?:homme|femme|"
           r"enfant|bebe|chat|chien|chaton|chiot|someone)"),
    # es
    any_of(r"descuartiz\w*", r"desmembr\w*", r"degoll\w*", r"sangre por todas partes", r"bano de sangre",
           r"masacre", r"matanza", r"mutil\w*", r"golpeado hasta la muerte", r"(?:golpe|apunal|pate|acuchill|mat)\w* (?:\w+ ){0,5}hasta "
           r"(?:la muerte|matarl[oa]s?|que (?:muera|muere|deja de moverse))", r"ataque con acido",
           r"(?:arroj\w*|lanz\w*|tir\w*) acido", r"roci\w* (?:con|de) gasolina", r"quemad[oa] viv[oa]",
           r"(?:prende|prendio|prendiendo) fuego a (?:un|una|someone)", r"estrangul\w*", r"lapidad[oa]s?", r"lapidar",
           r"lapidacion", r"fusilad[oa]s?",
           r"ahog\w* a (?:un|una|su|someone)"),
    # de
    any_of(r"enthaupt\w*", r"gekopft", r"kopf ab\w*", r"zerstuckel\w*", r"uberall blut", r"blutbad", r"gemetzel",
           r"massaker", r"gefoltert", r"foltert?", r"verstummel\w*", r"totgeprugelt", r"saureangriff\w*",
           r"mit saure (?:ubergie\w*|uberschutt\w*|angegriffen|ins gesicht)", r"mit benzin ubergoss\w*",
           r"(?:schneid|schnitt|hack|sag)\w* (?:\w+ ){0,4}(?:finger|ohr|ohren|zunge|hand|hande|fuss|fusse|kopf|nase)\w* ab\b",
           r"bei lebendigem leib verbrannt", r"erwurg\w*", r"gesteinigt", r"erschossen",
           r"(?:prugel|schlag|schlug|tret|trat|stech|sticht|stach|knuppel)\w* (?:\w+ ){0,6}tot\b", r"zu tode "
           r"(?:geprugelt|getreten|geschlagen|gefoltert|gequalt)"),
)

_SELF_HARM = (
    r"\bsuicid\w*\b(?! (?:prevention|hotline|helpline|awareness|squad|crisis line|lifeline))",
    any_of(r"(?:kill|kills|killing|killed) (?:himself|herself|myself|themselves|yourself|themself)",
           r"(?:end|ends|ending|ended|take|takes|taking) (?:his|her|my|their|your) (?:own )?life",
           r"hang\w* (?:himself|herself|myself|themselves)", r"self[- ]?harm\w*", r"self[- ]?injur\w*",
           r"(?:cut|cuts|cutting|slit|slits|slitting|slash\w*) (?:his|her|my|their|your) (?:own )?"
           r"(?:wrists?|arms?|veins?)",
           r"overdos\w*", r"sewer ?slide", r"unaliv\w*", r"kys", r"pro[- ]?ana", r"thinspo\w*",
           r"(?:jump|jumps|jumping) (?:off|from) (?:a|the) (?:bridge|roof|building|ledge|cliff) to (?:die|end)",
           r"burn\w* (?:his|her|their|my) own (?:arm|skin|hand)",
           # methods, said plainly or around the word
           r"(?:plastic )?bag over (?:his|her|their|my) (?:own )?head",
           r"(?:car|engine) running (?:in|inside) (?:a|the)"
           r" (?:closed|locked|shut|sealed) garage",
           r"(?:closed|locked|shut|sealed) garage with the (?:car|engine) running",
           r"(?:tie|ties|tying|tied|make|makes|making|made|test|tests|testing|tested|slip\w*|put\w*) (?:\w+ ){0,2}"
           r"nooses?(?! (?:knot tutorial|prop))", r"noose around (?:his|her|their|my) (?:own )?neck",
           r"(?:swallow\w*|take|takes|taking|took|down\w*|gulp\w*) (?:down )?(?:a |an |the )?(?:whole |entire |full )?"
           r"(?:bottle|handful|pack|packet|box|jar|fistful) of (?:\w+ )?(?:pills|painkillers|tablets|paracetamol|"
           r"tylenol|aspirin|sleeping pills|antidepressants)",
           r"(?:carv\w*|etch\w*|scratch\w*|cut\w*|slic\w*) (?:\S+ ){0,3}into (?:his|her|their|my) (?:own )?(?:skin|"
           r"(?:fore)?arms?|thighs?|wrists?|legs?|stomach|flesh|chest|hands?)",
           r"(?:lie|lies|lying|lay|lays|laid) (?:down )?(?:on|across) (?:the )?(?:train |railway |subway )?tracks",
           r"shoot\w* (?:himself|herself|themselves|myself|yourself)(?! (?:a|an|some|in the foot)\b)",
           r"(?:strong enough to|that will|that can|to) (?:hold|support|take) (?:his|her|their|my|your|a person'?s|a"
           r" body'?s|a man'?s|a woman'?s) (?:body ?)?weight", r"cut(?:s|ting)? (?:herself|himself|themselves|myself)"
           r"(?! (?:a|an|some|off|free|loose|short|in)\b)",
           r"(?:step\w*|jump\w*|walk\w*|throw\w* (?:himself|herself|themselves|myself)) (?:down )?(?:onto|on to|on)"
           r" the (?:train |railway |subway |metro )?tracks",
           r"(?:step\w*|jump\w*|throw\w* (?:himself|herself|themselves|myself)) in front of (?:a|an|the) (?:oncoming "
           r")?(?:train|bus|truck|lorry|car|subway|metro|tram)",
           r"(?:jump\w*|leap\w*|step\w*) (?:off|from) (?:a|the) (?:\w+ )?(?:bridge|roof|rooftop|building|ledge|cliff|"
           r"balcony|skyscraper|tower) (?:\w+ ){0,3}(?:to (?:die|end it|end (?:his|her|their|my) life)|because "
           r"(?:nobody|no one|he|she|they|life)|and (?:never|nobody|no one))",
           r"(?:nobody|no one) would (?:even )?miss (?:me|him|her|them)",
           r"(?:want|wants|wanted|wanting) to die(?! (?:of|laughing|from|a little|inside))",
           r"(?:don't|doesn't|does not|do not) want to (?:live|be alive|wake up|exist) (?:anymore|any more)",
           r"never (?:wake|waking|wakes) up again", r"end it all", r"ending it all",
           r"(?:burn\w*|cut\w*|scratch\w*|starv\w*|hurt\w*|punish\w*|bruis\w*|hit\w*) (?:himself|herself|themselves|"
           r"myself|themself) (?:on purpose|deliberately|with (?:a |the )?(?:blade|razor|knife|lighter|cigarettes?|"
           r"scissors|glass)|to feel|because (?:he|she|they) (?:hates?|deserves?))",
           r"self[- ]?immolat\w*", r"set\w* (?:himself|herself|themselves|myself) (?:on fire|alight|ablaze)",
           r"thinspiration", r"meanspo", r"bonespo", r"pro[- ]?mia", r"purg\w* after (?:every|each) meal",
           r"starv\w* (?:himself|herself|themselves|myself)(?! of)",
           r"(?:gun|pistol|revolver|barrel) (?:\w+ ){0,2}(?:to|against|in) (?:his|her|their|my) (?:own )?(?:temple"
           r"|head|"
           r"mouth|chin)", r"(?:rope|belt|cord|noose|ligature|electrical cord) (?:\w+ ){0,2}around (?:his|her|their|my)"
           r" (?:own )?neck", r"(?:press\w*|put\w*|hold\w*|held) (?:a |the )?(?:hot iron|lit cigarette|lighter|blade|"
           r"razor|knife) (?:\w+ ){0,2}(?:on|onto|against|into|to) (?:his|her|their|my) (?:own )?(?:skin|arm|forearm|"
           r"wrist|thigh|leg|hand|stomach)",
           r"(?:bleach|antifreeze|rat poison|pesticide) (?:to die|to end)", r"(?:drink\w*|swallow\w*) (?:bleach|"
           r"antifreeze|rat poison|pesticide|drain cleaner)", r"(?:how to|best way to|ways to|painless way to) "
           r"(?:die|end (?:your|my|his|her|their) life|kill (?:yourself|myself))"),
    # fr
    any_of(r"se tuer", r"se pend\w*", r"(?:s'ouvrir|se couper|se taillader|se tailladant) les veines",
           r"scarifi\w*", r"se scarifi\w*", r"mettre fin a (?:ses|sa) jours?", r"automutil\w*",
           r"sac (?:en )?plastique sur (?:la|sa) tete", r"(?:veut|veux|voulait) mourir(?! de rire)",
           r"se jet\w* (?:du|d'un) (?:pont|"
           r"toit|immeuble)", r"se jet\w* sous (?:le|un) (?:metro|train|camion|bus|tram)", r"se tir\w* une balle", r"se (?:brule|fait sauter) la cervelle", r"aval\w* (?:toute |tous |une boite |la boite |le flacon )(?:\w+ ){0,2}(?:medicaments|"
           r"cachets|somniferes|pilules)"),
    # es
    any_of(r"quitarse la vida", r"se quita la vida", r"(?:se corta|cortarse|cortandose) las venas", r"ahorcarse",
           r"se ahorca\w*", r"autolesi\w*", r"bolsa (?:de plastico )?en la cabeza", r"no quiere vivir",
           r"tirarse (?:del|de un|desde) (?:puente|edificio|techo)", r"(?:se pega|pegarse|se dispara|dispararse) un tiro",
           r"se vuela la cabeza", r"(?:se toma|tomarse|se traga|tragarse) "
           r"(?:todas|un frasco|una caja|el bote)(?: \w+){0,3} (?:pastillas|pildoras|somniferos)"),
    # de
    any_of(r"selbstmord\w*", r"suizid\w*", r"sich umbringen", r"bringt sich um", r"ritzt sich", r"ritzen",
           r"erhangt sich", r"sich erhangen", r"(?:stellt|legt) sich (?:\w+ )?(?:auf die gleise|vor den zug)", r"pulsadern", r"selbstverletz\w*", r"plastiktute uber (?:den|seinen|"
           r"ihren) kopf", r"nicht mehr leben", r"erschiesst sich", r"sich (?:\w+ )?erschiessen",
           r"jagt sich eine kugel", r"(?:schluckt|schlucken|nimmt|nehmen) (?:alle|die ganze packung|"
           r"eine ganze packung|eine handvoll)(?: \w+){0,3} \w*(?:tabletten|pillen)"),
)

_BLACK_PERSON = (r"(?:black|african)(?: american)? (?:man|woman|men|women|person|people|player|footballer|athlete|kid|"
                 r"boy|girl|family|families|coworker|colleague|neighbou?r|student|child|children|guy|customer|fans?)s?")
_GROUPS_EN = (r"muslims?|jews?|jewish people|blacks?|black people|black men|black women|african americans?"
              r"|immigrants?|migrants?|refugees?|gays?|the gays|gay people|gay men|lesbians?|queers?|trans people"
              r"|trans women|trans men|transgender people|trans kids|women|mexicans?|hispanics?|arabs?|asians?"
              r"|chinese|chinese people|africans?|latinos?|latinas?|gypsies|roma|romani|christians?|hindus?"
              r"|sikhs?|indians?|pakistanis?|whites?|white people|disabled people|autistic people|indigenous people"
              r"|native americans|aboriginals?|palestinians|israelis|russians|ukrainians|irish|somalis"
              r"|haitians|jamaicans|nigerians|syrians|afghans|kurds|turks|albanians|romanians|catholics|mormons"
              r"|atheists|fat people")
_DEHUMANISE_EN = (r"vermin|rats?|parasites?|animals?|subhuman|sub-human|cockroach\w*|roaches|insects|locusts"
                  r"|monkeys?|apes?|gorillas|dogs|pigs|swine|beasts|a virus|a cancer|a disease|terrorists?|rapists?"
                  r"|criminals?|thieves|pedophiles|paedophiles|groomers|perverts|freaks|an abomination|abominations"
                  r"|mentally ill|inferior|disgusting|diseased|filthy|filth|scum|savages?|barbarians"
                  r"|lazy|drunks|stupid|dumb|too (?:stupid|dumb)(?: to \w+)?|not (?:fully )?human|less than human"
                  r"|should (?:be )?(?:die|exterminated|gassed|deported|expelled|thrown out|go back|shot|hanged|burned"
                  r"|sterili[sz]ed|locked up|put in camps|wiped out)|a plague|goat[- ]\w+")
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
    rf"\b(?:{_GROUPS_EN})\b (?:\w+ ){{0,3}}(?:should(?:n't| not)|must not|don't deserve to|should never) "
    r"(?:be allowed to )?(?:vote|drive|work|lead|speak|exist|have rights|live here|own property)",
    rf"\b(?:{_GROUPS_EN})\b (?:\w+ ){{0,3}}(?:will|should|deserve to|belong to) (?:burn|rot) in hell",
    rf"\b(?:{_GROUPS_EN})\b (?:\w+ ){{0,3}}(?:belong|should be|should all be) (?:in|put in) (?:camps|cages|zoos|"
    r"chains|gas chambers|ovens|the kitchen)",
    any_of(r"racist (?:accent|joke|slur|chant|caricature|impression|costume)s?", r"ethnic cleansing", r"gas the \w+",
           r"white genocide", r"slanted eyes", r"slant[- ]eyed?", r"pulling (?:his|her|their) eyes slanted",
           r"slant(?:ed|ing)?[- ]eye (?:gesture|face|pose)s?", r"ching[- ]chong", r"kung flu", r"china virus",
           r"blackface", r"yellowface", r"redface", r"minstrel show", r"(?:monkey|ape|gorilla) (?:noises|sounds|chants|"
           r"gestures|calls)", rf"(?:throw\w*|threw|toss\w*) bananas? at (?:an? |the )?{_BLACK_PERSON}",
           rf"{_BLACK_PERSON} (?:\w+ ){{0,3}}(?:as|like|into) (?:an? )?(?:monkey|ape|gorilla)s?",
           rf"(?:nooses?|lynch\w*) (?:\w+ ){{0,5}}{_BLACK_PERSON}",
           rf"{_BLACK_PERSON} (?:\w+ ){{0,5}}(?:nooses?|lynch\w*)",
           rf"(?:whip\w*|lash\w*|chain\w*|auction\w*) (?:an? |the )?(?:{_BLACK_PERSON}|slaves?)",
           r"(?:go|get) back to (?:your|his|her|their) (?:own )?(?:country|jungle|desert|cave|reservation|hut)",
           r"go (?:back to )?pick(?:ing)? (?:some )?cotton",
           r"back to (?:the )?(?:cotton fields?|picking cotton|the plantation)",
           r"slave (?:owner|master|auction|trader)s? (?:\w+ ){0,4}(?:for laughs|as a joke|comedy|funny|costume|party"
           r"|cosplay|roleplay|game)",
           r"(?:jews?|jewish \w+) (?:\w+ ){0,6}(?:ovens?|gas chambers?) (?:is |are )?(?:ready|waiting|warm|preheated|"
           r"heating)", r"(?:throw\w*|threw|push\w*|shov\w*|send\w*|sent|put\w*) (?:the )?(?:jews?|jewish \w+|them) "
           r"(?:back )?(?:into|in) (?:the )?(?:ovens?|gas chambers?)", r"(?:jews?|jewish) (?:\w+ ){0,2}lampshades?",
           r"(?:hook(?:ed)? nose|big nose)\w* (?:\w+ ){0,4}(?:jew\w*|money|gold)", r"(?:greedy|money-grubbing) jews?",
           r"(?:says?|saying|said|shouts?|shouting|shouted|yells?|yelling|yelled|screams?|screaming|calls?|calling|"
           r"called|uses?|using|drops?|dropping) (?:\w+ ){0,2}the n-?\s?word", r"with (?:a|the) hard r",
           r"(?:say|says|saying|said|shout\w*|yell\w*|scream\w*|call\w*|chant\w*) (?:\w+ ){0,3}(?:racial|racist|"
           r"homophobic|transphobic|ethnic|anti-?semitic) (?:slurs?|insults?|abuse|epithets?)",
           r"(?:mock\w*|imitat\w*|making fun of|laugh\w* at) (?:an? |the )?(?:\w+ )?(?:(?:disabled|autistic|deaf|blind|"
           r"handicapped) (?:man|woman|person|people|kid|child|boy|girl|guy|student)s?|wheelchair users?|(?:kid|man|"
           r"woman|person|boy|girl) (?:in a wheelchair|with down'?s syndrome|who stutters))",
           r"calls? (?:an? )?(?:trans|transgender) (?:woman|man|person|girl|boy) ['\"]?(?:an? )?(?:it|freak|tranny)\b",
           rf"(?:kill|gas|burn|hang|shoot|deport) all (?:the )?(?:{_GROUPS_EN})\b",
           r"(?:holocaust|auschwitz|gas chambers?|concentration camps?|slavery|lynchings?|9/11|twin towers|genocide"
           r"|ethnic cleansing|the trail of tears|the nakba|the rwandan genocide) (?:(?!survivors?|victims?|memorial|"
           r"museum|remembrance|education|lesson|history|documentary)\w+ ){0,5}(?:jokes?|jokingly|comedy|comedic|"
           r"hilarious|funny|laughing|laughs|parody|meme|memes|prank|party theme|theme party|cosplay|for laughs"
           r"|as a joke"
           r"|sketch|skit)",
           r"(?:joke|jokes|joking|comedy|comedic|hilarious|funny|parody|meme|memes|prank|skit|sketch) (?:\w+ ){0,3}"
           r"(?:about|on) (?:the )?(?:holocaust|auschwitz|gas chambers?|concentration camps?|slavery|lynchings?|9/11"
           r"|genocide|ethnic cleansing)", r"laugh\w* at (?:the )?(?:holocaust|slavery|genocide|9/11)"),
    any_of(r"n[i1]gg(?:a|ah|az|uh|er|ers|as|ahs|uhs)", r"nibbas?", r"jigaboos?", r"porch ?monkeys?",
           r"jungle ?bunn(?:y|ies)", r"golliwogs?", r"darkies", r"darkie", r"zipperheads?", r"camel ?jockeys?",
           r"sand ?monkeys?", r"dot ?heads?", r"curry ?munchers?", r"wops?", r"dagos?", r"greaseballs?", r"troons?",
           r"mongoloids?", r"spastics?", r"spazz?", r"injuns?", r"squaws?", r"japs", r"kaffirs?(?! lime)", r"pikeys?",
           r"gyppos?", r"chinamen", r"chinaman", r"heebs?", r"hymies?", r"yids", r"shylocks?", r"cholos? de mierda",
           r"retards"),
    any_of(r"(?:multipl|breed|spread|reproduc)\w* like (?:rats|cockroaches|rabbits|vermin|insects|locusts|flies|roaches)",
           r"infest\w* (?:our|the) (?:country|countries|cities|city|neighbou?rhoods?|streets|schools)",
           r"(?:impression|impersonation|imitat\w*|mock\w*|parod\w*|accent) (?:\S+ ){0,4}(?:chinese|asian|japanese|korean"
           r"|indian|mexican|black|african|arab|jewish|gay|disabled|deaf|down'?s syndrome)\w* (?:\S+ ){0,6}(?:squint\w*|"
           r"slant\w*|broken english|ching|chong|me love you|buck teeth|fake accent|monkey|drool\w*|limp wrist)"),
    # fr
    any_of(r"se reproduisent comme des (?:lapins|rats|cafards)", r"envahissent (?:nos|la|le|les)",
           r"(?:se )?brid\w* les yeux", r"yeux brides"),
    any_of(r"se reproducen como (?:ratas|conejos|cucarachas)", r"invaden (?:nuestros|nuestras|el|la|los)",
           r"ojos rasgados con los dedos", r"imita\w* (?:el acento|como habla)"),
    any_of(r"vermehren sich wie (?:ratten|karnickel|kakerlaken)", r"schlitzaugen", r"kruppel"),
    # fr
    any_of(r"bougnoul\w*", r"youpin\w*", r"pede", r"pedes", r"negres?", r"bicots?", r"tarlouz\w*",
           r"sale (?:arabe|juif|noir|pede|negre|bougnoule)s?", r"retourne dans ton pays", r"(?:cris|bruits) de singe",
           r"(?:va|aller) ramasser (?:le|du) coton"),
    r"\b(?:les )?(?:arabes|juifs|noirs|immigres|musulmans|migrants|gitans|roms|homos)\b (?:\w+ ){0,2}sont (?:tous )?des"
    r" (?:parasites|rats|animaux|terroristes|voleurs|violeurs|cafards|sous-hommes|vermines?)",
    # es
    any_of(r"sudacas?", r"maricon\w*", r"negratas?", r"moros? de mierda", r"panchit[oa]s?", r"vuelve a tu pais",
           r"(?:sonidos|ruidos|gritos) de mono", r"a recoger algodon"),
    r"\b(?:los )?(?:gitanos|judios|negros|inmigrantes|musulmanes|moros|gays|mexicanos)\b (?:\w+ ){0,2}son (?:todos )?"
    r"(?:unos )?(?:ladrones|ratas|parasitos|animales|terroristas|violadores|basura|plaga)",
    # de
    any_of(r"kanaken?", r"schwuchtel\w*", r"neger\w*", r"judensau", r"kameltreiber", r"geh zuruck in dein land",
           r"affenlaute\w*", r"affengerausche\w*", r"baumwolle pflucken"),
    r"\b(?:die )?(?:auslander|juden|muslime|fluchtlinge|turken|migranten|schwarzen)\b (?:\w+ ){0,2}sind (?:alle )?"
    r"(?:ungeziefer|ratten|parasiten|tiere|terroristen|verbrecher|abschaum)",
)

_EXTREMISM = (
    any_of(r"nazi (?:salute|flag|uniform|officer|soldier|propaganda|rally|symbol|armband|costume|anthem|song|march)s?",
           r"(?:as|dressed as|like|becomes) an? nazi", r"nazis? (?:are|were) (?:right|heroes|good|great)",
           r"neo-?nazi\w*", r"swastikas?", r"sieg heil", r"heil hitler", r"white power",
           r"1488", r"14 words", r"blood and soil", r"kkk", r"ku klux klan", r"isis", r"isil", r"daesh", r"daech",
           r"al[- ]?qaeda", r"al[- ]?qaida", r"islamic state", r"caliphate", r"jihad\w*", r"martyrdom video",
           r"fourth reich", r"great replacement", r"race war", r"patriotic alternative",
           r"britain first", r"generation identity", r"identitarian\w*", r"white (?:britain|europe|america|homeland|nation)", r"nordic resistance movement", r"unite the right", r"charlottesville rally", r"azov (?:battalion|regiment)", r"wolfsangel",
           r"take up arms (?:against|for) (?:the )?(?:government|state|infidels|unbelievers|caliphate|jihad|race|"
           r"white)", r"streets (?:will )?run red", r"armed struggle", r"holy war against", r"ethnostate", r"ss officer", r"waffen[- ]ss",
           r"christchurch shooter", r"unabomber manifesto", r"breivik", r"mein kampf",
           r"hijackers? as (?:heroes|martyrs)",
           r"(?:terror(?:ist)?|jihadi\w*|isis|extremist|militia) (?:recruitment|propaganda)",
           # named movements and groups that are extremist whatever the sentence
           r"atomwaffen", r"proud boys?", r"patriot front", r"boogaloo (?:boys?|bois)",
           r"aryan (?:brotherhood|nations?)",
           r"hitler ?youth", r"hitlerjugend", r"combat 18", r"hammerskins?", r"blood (?:and|&) honou?r", r"golden dawn",
           r"national action", r"the base (?:militia|group|recruitment)", r"oath keepers", r"three percenters",
           r"boko haram", r"al[- ]?shabaab?", r"lashkar[- ]e[- ]\w+", r"jemaah islamiyah", r"ansar al[- ]\w+",
           r"(?:hamas|hezbollah|hizbollah|taliban|pkk|ira|eta|farc|wagner group) (?:fighters?|flags?|headbands?|"
           r"recruit\w*|propaganda|salutes?|martyrs?|uniforms?|training camps?|suicide \w+|terrorists?|militants?)",
           r"(?:join\w*|recruit\w*|pledg\w*|swear\w* allegiance|support\w*|glorif\w*|prais\w*|celebrat\w*|waving "
           r"(?:a|the)) (?:\w+ ){0,2}(?:hamas|hezbollah|hizbollah|the taliban|boko haram|al[- ]?shabaab?|the kkk)",
           # symbols, slogans and ideas of the far right
           r"white (?:nationalis\w*|supremac\w*|pride (?:rally|march|worldwide))", r"ethno-?states?",
           r"racial holy war", r"rahowa", r"day of the rope", r"jews will not replace us", r"you will not replace us",
           r"(?:hitler|nazi|roman|fascist) salute", r"(?:heil|seig heil)", r"hitler (?:was right|did nothing wrong|"
           r"is a hero|was a hero)", r"aryan (?:master )?race", r"white master race", r"totenkopf", r"sonnenrad",
           r"black sun (?:symbol|flag|"
           r"patch)", r"(?:ss|nazi) (?:lightning bolts|runes|skull)",
           r"tiki torch\w* (?:march\w*|rall\w*|chant\w*|parade)",
           r"holocaust (?:denial|denier|never happened|didn't happen|did not happen|was a hoax|is a hoax|is a lie|"
           r"was a lie|was fake|is fake)", r"den(?:y|ies|ying|ied) the holocaust",
           # glorifying an attack, and the attack's own rituals
           r"(?:glorif\w*|celebrat\w*|prais\w*|cheer\w*|worship\w*|idoli[sz]\w*|salut\w*) (?:(?!victims?|memory|"
           r"survivors?|first responders|heroes|fallen|end)\w+ ){0,4}(?:terrorists?|terror attacks?|terrorist attacks?|"
           r"suicide bombers?|mass shooters?|school shooters?|gunm[ae]n|hijackers?|9/11|suicide bombings?|"
           r"mass shootings?|school shootings?|the massacre|jihadis?)",
           r"9/11 (?:\w+ ){0,3}(?:glorious|victory|celebrat\w*|deserved|was justified)",
           r"martyrdom (?:video|message|operation|statement|tape)", r"(?:blow|blows|blowing|blew) (?:himself|herself|"
           r"themselves|myself) up", r"suicide (?:bomb\w*|attack\w*|mission)",
           r"(?:terrorist|shooter's|killer's|extremist|christchurch|unabomber|breivik|el paso|buffalo) manifesto",
           r"manifesto (?:about|on|against) (?:\w+ ){0,3}(?:the )?(?:invaders|replacement|immigrants|jews|muslims|race)",
           r"replac\w* the invaders", r"livestream\w* (?:his|her|their|an?|the) (?:attack|shooting|massacre|rampage)",
           r"(?:attack|bomb|burn|torch|shoot up|storm) (?:a|the) (?:mosque|synagogue|church|temple|government "
           r"buildings?|police stations?|capitol|parliament|abortion clinic)",
           r"(?:violent|armed) (?:overthrow|uprising|insurrection|revolution|jihad|struggle)",
           r"(?:urg\w*|call\w* (?:for|on)|incit\w*|encourag\w*) (?:\w+ ){0,3}(?:to )?(?:attack|bomb|kill|murder|shoot"
           r"|burn) (?:the )?(?:police|cops|jews|muslims|christians|government|politicians|infidels|unbelievers|"
           r"the west|westerners|americans|immigrants|officials|judges|journalists|civilians|gays)",
           r"(?:in|into|inside) (?:a|the) gas chamber\w* (?:\w+ ){0,3}(?:nazis?|ss|guards?|laugh\w*|smil\w*|cheer\w*)",
           r"(?:nazis?|ss guards?|ss officers?|camp guards?) (?:\w+ ){0,3}(?:laugh\w*|jok\w*|cheer\w*|celebrat\w*|"
           r"smil\w*|mock\w*)"),
    # fr
    any_of(r"etat islamique", r"propagande (?:djihadiste|jihadiste|terroriste|nazie)", r"djihad\w*",
           r"quatrieme reich", r"salut nazi", r"salut hitlerien", r"lutte armee",
           r"prendre les armes contre", r"guerre raciale", r"califat", r"generation identitaire",
           r"la france aux francais", r"mort aux (?:arabes|juifs|noirs|bougnoules|immigres)"),
    # es
    any_of(r"estado islamico", r"propaganda (?:yihadista|terrorista|nazi)", r"yihad\w*", r"cuarto reich",
           r"saludo nazi", r"saludo (?:fascista|romano)", r"falang\w*", r"cara al sol", r"lucha armada",
           r"tomar las armas contra", r"guerra racial", r"califato",
           r"espana para los espanoles", r"apologia (?:de|del) (?:franco|franquismo|nazismo|fascismo)"),
    # de
    any_of(r"islamischer? staat\w*", r"vierte\w* reich", r"hitlergruss", r"dschihad\w*", r"reichsflagge",
           r"reichskriegsflagge", r"identitare\w* bewegung", r"deutschland den deutschen",
           r"auslander raus", r"der (?:iii\.?|dritte) weg", r"fackelmarsch\w*", r"rassenkrieg\w*", r"reichsburger\w*", r"nsdap",
           r"nationalsozialis\w*", r"endsieg", r"fuhrer (?:befiehl|ruft)", r"bewaffnete\w* (?:kampf|umsturz|aufstand)",
           r"zu den waffen (?:greifen|gegen)"),
)

_HOW_TO = (r"how to|how you|step[- ]by[- ]step|tutorial|recipe|instructions?|explains?|explaining|teach\w*|"
           r"shows? how|showing how|demonstrat\w*|guide to|diy|homemade|home-made|comment (?:fabriquer|faire)|"
           r"explique|ensena|como (?:hacer|fabricar)|erklart|anleitung|wie man")
_HARM_OBJECT = (r"(?<!bath )(?<!seed )(?<!glitter )(?<!photo )(?<!cherry )(?<!yarn )bombs?|explosives?|detonators?"
                r"|ieds?|"
                r"grenades?|napalm|thermite|tatp|semtex|c-?4 explosives?|gunpowder bombs?|ammonium nitrate|"
                r"pressure cooker bombs?|flamethrowers?|zip guns?|pipe guns?|machine ?guns?|auto ?sears?|"
                r"glock switch\w*|bump stocks?|date[- ]rape drugs?|roofies|rohypnol|ghb|chloroform|cyanide|"
                r"strychnine|"
                r"(?<!glue )(?<!water )(?<!nerf )(?<!squirt )(?<!staple )(?<!heat )(?<!spray )(?<!nail )guns?|"
                r"rifles?|silencers?|meth|methamphetamine|fentanyl|heroin|cocaine|crack cocaine|lsd|mdma|ricin|sarin|"
                r"anthrax|nerve (?:gas|agent)|poison(?! ivy| oak| dart)\w*|toxic gas|chlorine gas|mustard gas|bombe|"
                r"explosifs?|bomba|explosivos?|sprengstoff")
_DANGEROUS = (
    any_of(r"pipe ?bombs?", r"nail ?bombs?", r"car ?bombs?", r"fertili[sz]er bombs?", r"dirty bombs?",
           r"suicide vests?", r"molotov(?:s| cocktails?| bombs?| bottles?)", r"(?:throw\w*|threw|light\w*|lit|"
           r"mak\w*|made|build\w*|fill\w*) (?:an? |some )?molotov", r"napalm", r"cook\w* meth", r"meth lab",
           r"crack lab", r"thermite", r"tatp", r"semtex", r"pressure[- ]cooker bombs?", r"auto ?sears?",
           r"glock switch\w*", r"solvent trap (?:silencer|suppressor)s?",
           r"(?:convert\w*|turn\w*|modif\w*) (?:an? |the |his |her |my )?(?:\S+ )?(?:rifle|gun|pistol|ar-?15|"
           r"semi-?auto\w*|glock|ak-?47|firearm)s? (?:\w+ ){0,2}(?:to|into) (?:a |an )?(?:full[- ]?auto\w*|automatic"
           r"|machine ?gun)", r"3d[- ]?print\w* (?:an? )?(?:\w+ )?(?:glock|ar-?15|ak-?47|handgun)s?",
           r"(?:mak\w*|build\w*|writ\w*|cod\w*|deploy\w*|spread\w*|creat\w*|install\w*) (?:an? |some |the )?"
           r"(?:ransomware|keyloggers?|malware|botnets?|computer virus|phishing (?:pages?|sites?|kits?)"
           r"|card skimmers?)",
           r"(?:date[- ]rape|knockout) drugs?", r"roofies", r"rohypnol", r"chloroform (?:someone|somebody|him|her|them|"
           r"a \w+|to knock)", r"knock (?:someone|somebody|him|her|them|a \w+) out with (?:chloroform|a drug|drugs|"
           r"a rag|ether)", r"spik\w* (?:\w+ ){0,2}drinks? with", r"spik\w* (?:someone|somebody|his|her|their|a) "
           r"(?:\w+'s )?drink",
           r"(?:cook|cooks|cooking|cooked) (?:\w+ )?(?:crack|heroin|fentanyl|meth\w*|cocaine)",
           r"(?:press|presses|pressing|pressed) (?:\w+ )?(?:fentanyl|xanax|oxy\w*|counterfeit) pills",
           r"pill press(?:es)?",
           r"(?:lethal|fatal|deadly) (?:dose|amount|quantity) of", r"(?:dose|amount) of \w+ (?:that |which )?"
           r"(?:would|will|to) kill",
           r"kill (?:someone|somebody|a person|an adult|a man|a woman|him|her|them|my \w+|his \w+|her \w+) "
           r"(?:without (?:a trace|getting caught|being caught|leaving)|and get away with it|undetected)",
           r"(?:undetectable|untraceable) (?:poisons?|weapons?|guns?|firearms?|murder)",
           r"hack\w* into (?:an? |the |someone's |his |her |their |my |a \w+'s )?(?:\w+ )?(?:bank|banks|hospital|"
           r"server|servers|account|accounts|email|emails|phone|phones|network|power grid|grid|database|system|"
           r"systems|website|instagram|facebook|wifi|webcam|cameras?|government|pentagon|airport|traffic lights|"
           r"voting machines?|atm|atms|pacemaker|car)",
           r"(?:steal\w*|stole|harvest\w*|skim\w*) (?:\w+ )?(?:credit card numbers|card numbers|card details|"
           r"bank details|social security numbers)",
           rf"\b(?:{_HOW_TO})\b(?: \S+){{0,4}} (?:break into|breaking into|hotwir\w*|pick a lock|picking a lock|"
           r"pick locks|steal (?:a|cars)|stealing cars?|shoplift\w*|hack into|hacking into|launder\w* money|"
           r"forg\w* (?:a )?(?:passport|id|documents?|signature|money|banknotes)|counterfeit\w*|make a fake id|"
           r"get away with murder|dispose of a body|hide a body)\b",
           r"(?:disable|disabling|cut|cutting) (?:the |its |a |an )?(?:alarm|tracker|gps tracker|security cameras?|"
           r"cctv|smoke detectors?) (?:\w+ ){0,3}(?:to (?:steal|rob|break)|and (?:steal|rob|break))",
           r"derail\w* (?:a|the) train(?! of thought)", r"burn\w* down (?:someone's |his |her |their |my |a \w+'s "
           r"|the neighbou?rs?'s? )(?:\w+ )?(?:house|home|building|school|church|mosque|synagogue|office|store|shop|"
           r"barn|apartment)s?", r"(?:poison|poisons|poisoning|poisoned) (?:the )?(?:city's |town's )?"
           r"water (?:supply|reservoir)",
           r"synthesi[sz]\w* (?:meth\w*|fentanyl|heroin|cocaine|lsd|mdma|drugs?|sarin|ricin)", r"ghost guns?",
           r"untraceable (?:gun|firearm|weapon)s?",
           r"3d[- ]?print\w* (?:an? )?(?:untraceable )?(?:gun|firearm|rifle|pistol)s?",
           r"full[- ]?auto", r"bump stocks?", r"ricin", r"sarin", r"nerve (?:gas|agent)", r"anthrax", r"mustard gas",
           r"bleach and ammonia", r"poison (?:someone|somebody|a person|his|her|their|my) \w+",
           r"without (?:getting caught|leaving a trace)", r"untraceable poison"),
    rf"\b(?:{_HOW_TO})\b(?! (?:the |a )?(?:history|story|science|physics|dangers?|impact|effects?|aftermath|legacy"
    rf"|ban|banning) of)(?: \S+){{0,6}} (?:{_HARM_OBJECT})\b",
    rf"\b(?:make|making|build|building|assemble|assembling|fabricate|cook|cooking|brew|brewing)"
    rf" (?:an? |some |your own )?(?:homemade )?(?:{_HARM_OBJECT})\b(?! (?:party|cake|birthday|bath|shell|movie|film))",
    # fr
    any_of(r"bombe artisanale", r"fabriquer (?:une|des) (?:bombes?|explosifs?)", r"cocktails? molotov",
           r"fabriquer de la (?:meth\w*|drogue)"),
    # es
    any_of(r"bomba casera", r"fabricar (?:una |bombas|explosivos)\w*", r"explosivos caseros", r"bomba molotov", r"coctel(?:es)? molotov"),
    # de
    any_of(r"rohrbomben?", r"nagelbomben?", r"bomben? bau\w*", r"sprengstoff (?:herstellen|bauen|mischen)",
           r"sprengsatz\w*"),
)

_IMPERSONATION_ALWAYS = (
    any_of(r"deep ?fakes?", r"deep-fakes?", r"face ?swap\w*", r"swap\w* (?:his|her|their) face", r"voice clon\w*",
           r"clon\w* (?:his|her|their|the) voice", r"fake (?:breaking news|news (?:report|broadcast|segment|bulletin))",
           r"fake (?:statement|announcement|endorsement|confession|speech)",
           r"hypertrucage",
           r"(?:fake|faked|fabricated|doctored|forged|staged|bogus) (?:\w+ )?(?:press conference|interview|voicemail|"
           r"phone call|robocall|audio|recording|tweet|resignation|apology|broadcast|address|admission|declaration"
           r"|concession|bulletin|livestream)s?",
           r"fake (?:cnn|bbc|fox news|fox|nbc|cbs|abc news|sky news|reuters|al jazeera|msnbc|bloomberg|white house"
           r"|government|official|press|tv|news)\b", r"clon\w* (?:\S+ ){0,3}voice", r"voice (?:\w+ )?(?:deep ?fake|"
           r"clone|swap)\w*",
           r"(?:made|make|makes|making) (?:it )?to look (?:real|authentic|genuine|like real footage)",
           r"(?:look|looks|looking) like (?:real|genuine|authentic|leaked) (?:footage|news|security footage|cctv)",
           r"(?:posing|poses|pose|pretending|pretends|pretend) (?:to be |as )?(?:an? |the )?(?:\w+ )?(?:bank|irs|tax|"
           r"hmrc|government|fbi|police|microsoft|apple|amazon|paypal|tech support|customer service|social security)"
           r" (?:\w+ )?(?:representative|agent|officer|official|employee|support|worker|staff|investigator|"
           r"advisor|adviser)s?", r"(?:ask\w*|demand\w*|request\w*|collect\w*) (?:\w+ ){0,3}(?:for )?(?:their |your "
           r"|his |her )?(?:passwords?|pin codes?|pins|bank details|card numbers|credit card details|social security "
           r"numbers?|login details|one-time codes?|gift card codes?)"),
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
           r"|federal reserve|the united nations|nato|the european commission|new york|london|paris|berlin|moscow"
           r"|alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|hawaii|idaho"
           r"|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|massachusetts|michigan|minnesota"
           r"|mississippi|missouri|montana|nebraska|nevada|new hampshire|new jersey|new mexico|north carolina"
           r"|north dakota|ohio|oklahoma|oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas"
           r"|utah|vermont|virginia|washington|west virginia|wisconsin|wyoming|scotland|wales|ireland|poland|sweden"
           r"|norway|denmark|finland|netherlands|belgium|austria|switzerland|portugal|greece|hungary|egypt|saudi arabia"
           r"|pakistan|indonesia|south korea|south africa|nigeria|argentina|colombia|venezuela|cuba|taiwan|hong kong"
           r"|chicago|los angeles|tokyo|beijing|rome|madrid|kyiv|the fbi|the cia|the nsa|the pentagon|the white house"
           r"|the kremlin|interpol|the world health organi[sz]ation|the who|the imf|the world bank|the ecb|the bank"
           r" of england|the vatican|the church of england|the supreme court")
_TITLES = (r"president|prime minister|pm|chancellor|pope|vice president|king|queen|ceo|secretary of state"
           r"|foreign minister|supreme leader|mayor|governor|senator|minister|head of state|director|head|chief"
           r"|chairman|chair|spokesperson|spokesman|spokeswoman|press secretary|attorney general|chief justice"
           r"|archbishop|general secretary|secretary general|commissioner|chief of police|police chief|sheriff"
           r"|surgeon general|defen[cs]e secretary|health minister|finance minister|crown prince|princess|prince")
# A particular real office holder: "the president", "the Prime Minister of the UK", "the current pope".
OFFICE = (
    rf"\b(?:(?:the|le|la|el|der|die|current|actual|real|sitting|us|u\.?s\.?|american|french|british|uk|german"
    rf"|russian|chinese|ukrainian|israeli|spanish|italian|canadian|indian) )+(?:president|prime minister|chancellor"
    rf"|pope"
    rf"|vice president)\b(?! of (?:the )?(?:student|club|class|company|board|council|team|school|hoa|fan|chess))"
    rf"|\b(?:the )?(?:{_TITLES}) of (?:the )?(?:{_PLACES})\b"
    rf"|\b(?:president|presidente) de (?:la )?(?:republique|republica|france|espana|mexico|los estados unidos)\b"
    rf"|\b(?:bundeskanzler\w*|kanzler\w*|bundesprasident\w*|papst|le pape|el papa|the pope)\b"
    rf"|\b(?:the )?(?:fbi|cia|nsa|white house|pentagon|kremlin|nato) (?:director|chief|"
    rf"spokes(?:person|man|woman)|press secretary|chairman|commissioner|secretary general)\b"
)

_HUMILIATION = (
    r"\b(?:make|makes|making|made|show|shows|showing|have|has|render|turn|turns|turning|depict\w*)"
    r" someone (?:\w+ ){0,2}(?:look|looking|appear|appearing|seem|seeming|as|be|being|get|getting)?"
    r" ?(?:(?:very|really|super|totally|completely|grotesquely|disgustingly) )?(?:drunk|wasted|hammered|plastered"
    r"|stupid|dumb|ugly|fat|obese|naked|nude|pathetic|disgusting|idiotic|retarded|crazy|homeless|senile|arrested"
    r"|in handcuffs|a criminal|like a criminal|a drug addict|like a drug addict|like a pig|like an idiot|like a fool"
    r"|bald and ugly|toothless|filthy|diseased|high on drugs|covered in (?:vomit|poop|urine|pee))\b",
    any_of(r"humiliat\w*", r"degrad(?:e|es|ed|ing)", r"mock\w* (?:someone|him|her|them)(?!'s)",
           r"ridicul\w* someone(?!'s)", r"(?:point\w* and )?laugh(?:s|ed|ing)? at (?:someone|him|them)(?!'s)",
           r"(?:point\w* and )?laugh(?:s|ed|ing)? at her(?!'s)(?= (?:as|while|when|and|because|for|in|on|until)\b|\s*[,.!?;]|\s*$)",
           r"(?:pee|pees|peeing|peed|poop|poops|pooping|pooped|shit|shits|shitting|wet|wets|wetting|soil|soils|soiling"
           r"|soiled) (?:himself|herself|themselves|themself|(?:his|her|their) (?:own )?(?:pants|trousers))",
           r"vomit\w* (?:all )?over (?:himself|herself|themselves)", r"throw\w* up (?:all )?over (?:himself|herself)",
           r"(?:drunk|wasted|hammered|plastered) and (?:stumbling|falling|passed out|puking|vomiting|crawling)",
           r"(?:passed out|blackout) drunk", r"mugshots?",
           r"someone (?:\w+ ){0,2}(?:getting|gets|being|got|is|was) (?:arrested|handcuffed)",
           r"someone (?:\w+ ){0,3}in handcuffs(?!.{0,40}(?:escape|magic|houdini))", r"prisoner number", r"wedgies?",
           r"dunce caps?",
           r"begging on (?:his|her|their) knees", r"pathetic and weak", r"grotesquely fat", r"fat[- ]shaming",
           r"calls? (?:him|her|them|someone) an? (?:idiot|loser|moron|freak)",
           # stripped, soiled, fed filth, shamed, beaten while others laugh, arrested
           r"(?:pants|trousers|shorts|skirt|underwear|boxers|briefs) (?:\w+ )?(?:yanked|pulled|ripped|torn|dropped|"
           r"falling|fall|falls|fell) (?:down|off)",
           r"(?:yank\w*|pull\w*|rip\w*|tear\w*|drop\w*) (?:down (?:someone's|his|"
           r"her|their) (?:pants|trousers|shorts|skirt|underwear|boxers)|(?:someone's|his|her|their) (?:pants|trousers|"
           r"shorts|skirt|underwear|boxers) (?:down|off))", r"drop\w* (?:his|her|their) (?:pants|trousers)",
           r"(?:with )?(?:his|her|their) (?:pants|trousers|underwear) (?:down|around (?:his|her|their) ankles)",
           r"pants(?:ed|ing)", r"(?:stripped|strips|stripping) (?:down )?to (?:his|her|their) underwear",
           r"(?:in|wearing) (?:only )?(?:his|her|their) underwear (?:in public|in front of|on stage|at school|"
           r"while|as)", r"(?:pee|pees|peed|peeing|piss|pisses|pissed|pissing|urinat\w*|spit|spits|spat|spitting|"
           r"poop\w*|shit|shits|shitting|vomit\w*|puk\w*|throw\w* up|barf\w*) (?:on|onto|all over|in) "
           r"(?:someone|him|her|them)\b(?!self)(?!'s (?:shoes|plate))",
           r"(?:getting|gets|got|being) (?:peed|pissed|urinated|spat"
           r"|shat|vomited|puked) on", r"(?:piss|pisses|pissing|pissed) (?:himself|herself|themselves|(?:his|her|their)"
           r" (?:own )?(?:pants|trousers))", r"(?:puk\w*|vomit\w*|throw\w* up|barf\w*) (?:\w+ ){0,2}(?:into|in|on|"
           r"all over) (?:his|her|their) (?:own )?(?:lap|shoes|clothes|shirt|dress|face|plate)",
           r"(?:eat\w*|ate|lick\w*|drink\w*) (?:\w+ ){0,2}(?:out of|from|off) (?:a|the) (?:trash|garbage|bin|"
           r"dumpster|toilet|dog bowl|floor|gutter)", r"(?:eat\w*|ate|lick\w*|drink\w*) (?:dog |cat |horse |human )?"
           r"(?:poop|shit|feces|faeces|dung|vomit|urine|pee|piss|garbage|trash|dog food|cat food|toilet water)\b",
           r"lick\w* (?:someone's|his|her|their|the|a \w+'s) (?:\w+ )?(?:shoes|boots|feet|floor|toilet)",
           r"(?:head|face) (?:\w+ )?(?:dunked|shoved|pushed|flushed|stuck) (?:in|into|down) (?:a|the) toilet",
           r"(?:gives?|giving|gave|get\w*|got) (?:\w+ )?(?:an? )?swirl(?:y|ies)",
           r"forced to (?:eat|lick|drink|crawl|bark|beg|kneel|strip|wear (?:a )?(?:sign|diaper|"
           r"dunce)|grovel|apologi[sz]e on camera)",
           r"(?:someone|adult|grown man|grown woman) (?:\w+ )?(?:in|wearing) (?:a )?(?:diaper|nappy|nappies|diapers)",
           r"tarred and feathered", r"(?:pelt\w*|throw\w*|threw) (?:rotten )?(?:eggs|tomatoes|garbage|trash|food) "
           r"at (?:someone|him|her|them)", r"(?:wig|toupee|hairpiece) (?:\w+ )?(?:ripped|pulled|snatched|yanked|torn) "
           r"off",
           r"(?:rip\w*|pull\w*|snatch\w*|yank\w*) (?:off )?(?:someone's|his|her|their) (?:wig|toupee|hairpiece)",
           r"(?:shaming|shame) sign", r"sign (?:around (?:his|her|their) neck )?(?:that says|saying|reading|with) "
           r"['\"]?(?:i am|i'm) (?:a |an )?(?:loser|worthless|idiot|stupid|pathetic|failure|liar|pig|thief|cheater|"
           r"nobody)", r"publicly shamed", r"shamed (?:publicly|in public|in front of)",
           r"someone (?:\w+ ){0,3}(?:being|getting|gets|got|is) (?:laughed at|jeered at|jeered|booed off|bullied"
           r"|picked on|spat on|spit on|"
           r"pelted|mocked|ridiculed|beaten up|beat up|humiliated)", r"laughed at by",
           r"(?:beaten|beat|roughed) up (?:\w+ ){0,4}(?:while|as) (?:everyone|people|the crowd|the class|classmates|"
           r"students|the whole)", r"oink\w* at (?:someone|him|her|them)",
           r"calls? (?:someone|him|her|them) (?:a )?(?:fat|fatso|fatty|lardass|pig|whale|cow|ugly|hideous)\b",
           r"against (?:his|her|their) will", r"without (?:his|her|their) consent",
           r"(?:someone|him|her|them) (?!(?:\w+ )?(?:dogs?|pupp(?:y|ies)|pets?|cats?|horses?|pony|goats?)\b)(?:\w+ ){0,2}"
           r"on a (?:dog )?leash",
           r"(?:led|walked|dragged) (?:around )?on a leash",
           r"perp walk", r"prison jumpsuit", r"mug shot", r"booking photo",
           r"(?:dragged|led|taken|hauled) away (?:\w+ )?(?:by|in) (?:the )?(?:police|cops)",
           r"(?:on|down on) (?:his|her|their) knees (?:begging|licking|groveling|grovelling|crying|pleading)",
           r"(?:sobbing|crying|begging|pleading|groveling|grovelling)(?! (?:\w+ ){0,2}(?:laughter|happy|joy))"
           r" (?:\w+ ){0,4}(?:while|as) (?:everyone|people|"
           r"the (?:whole )?(?:crowd|class|office|school|room|audience|gym)|(?:his|her|their) (?:coworkers|colleagues"
           r"|classmates|friends)) (?:\w+ ){0,2}(?:laugh\w*|film\w*|record\w*|jeer\w*|mock\w*|point\w*)"),
    # fr
    any_of(r"bourree?s?", r"ivre mort\w*", r"saoule?s?", r"humili\w*", r"ridiculis\w*", r"se moqu\w* de someone",
           r"menotte\w*", r"se fait arreter", r"pantalon baisse", r"baisse son pantalon", r"(?:se fait|lui) pisse\w*"
           r" dessus", r"crach\w* (?:sur|au visage)", r"(?:mange|manger) (?:dans )?(?:la|les) poubelles?"),
    # es
    any_of(r"borrach[oa]s?", r"humill\w*", r"ridiculiz\w*", r"burl\w* de someone", r"(?:todos )?se rien de someone", r"esposad[oa]s?",
           r"arrestad[oa]s?", r"(?:le|la) (?:bajan|bajaron) los pantalones", r"(?:le|la) (?:escupen|escupe|orinan|"
           r"orina)", r"comer de la basura"),
    # de
    any_of(r"betrunken\w*", r"besoffen\w*", r"gedemutigt", r"demutig\w*", r"lacherlich gemacht", r"verhaftet",
           r"in handschellen", r"ausgelacht", r"hose runtergezogen", r"bespuckt", r"angepinkelt",
           r"aus dem mull essen"),
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
                    r"sensual\w*", r"aguichant\w*", r"sinnlich\w*", r"underwear", r"panties", r"g-?strings?",
                    r"sugar daddy",
                    r"groom\w* (?:\w+ ){0,4}(?:online|with gifts|for (?:sex|pictures|photos)|in private)",
                    r"(?:private|intimate) (?:pictures|photos|pics|selfies|videos)", r"hot (?:body|bod)",
                    r"bedroom eyes",
                    r"touch\w* (?:his|her|their|(?:a |the )?(?:\w+ ){0,2}\w+'s) (?:\w+ )?(?:thighs?|privates|"
                    r"private parts|crotch)", r"naughty (?:\w+ ){0,4}(?:for|with) daddy",
                    r"(?:sit|sits|sitting|sat) on (?:a man's|a stranger's|an old man's) lap")


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# "no gore", "without nudity", "sans violence": a word the prompt rules out is not a request for it.
_NEGATED = re.compile(r"(?:\b(?:no|not|without|never|zero|nor|nothing|sans|pas de|rien de|ni|sin|nada de|ohne|kein\w*"
                      r"|nichts)\s+(?:\w+\s+)?)$")


# What a prompt rules out for its own clip ("no gore", "without any blood", "nobody gets hurt"). The rules
# already skip a negated word (`_NEGATED`); the sentence model cannot, and reads "no gore" as gore. So the
# semantic classifier is given the prompt without these phrases (`without_ruled_out`); the rules still
# read every word, so "a beheading, no blood" is refused by its rule.
_RULED_OUT = re.compile(
    r",?\s*\b(?:no|not|without|never|zero|nothing|sans|pas de|sin|ohne|kein\w*)\s+(?:any\s+|real\s+|actual\s+"
    r"|graphic\s+|visible\s+|explicit\s+|on-screen\s+|actual\s+)?(?:gore|blood|bloodshed|violence|nudity|nude\w*"
    r"|sex|sexual content|swearing|weapons?|guns?|injur(?:y|ies)|wounds?|deaths?|killing|drugs|alcohol|smoking"
    r"|scary \w+|jump scares|graphic (?:content|images|details))\b"
    r"|,?\s*\b(?:nothing (?:graphic|gory|violent|sexual|explicit)|(?:nobody|no one|no-one) (?:gets |is )?(?:hurt"
    r"|injured|harmed))\b")


def without_ruled_out(folded: str) -> str:
    """The prompt less what it rules out, for the sentence model: "a trench reenactment, no gore"
    is a trench reenactment."""
    kept = _RULED_OUT.sub("", folded).strip(" ,")
    return kept or folded


def find(patterns: tuple[str, ...] | str, folded: str) -> list[str]:
    """The phrases of `folded` that these patterns match, in order, except those the prompt negates."""
    if isinstance(patterns, str):
        patterns = (patterns,)
    hits = []
    for pattern in patterns:
        hits.extend(m.group(0) for m in _compiled(pattern).finditer(folded)
                    if not _NEGATED.search(folded[max(0, m.start() - 30):m.start()]))
    return hits


def present(patterns: tuple[str, ...], folded: str) -> bool:
    """Whether any of these patterns matches a word the prompt does not negate (`find`, stopping early)."""
    return any(not _NEGATED.search(folded[max(0, m.start() - 30):m.start()])
               for pattern in patterns for m in _compiled(pattern).finditer(folded))


def rule_hits(folded: str, strict: bool) -> dict[str, list[str]]:
    """Category -> matched phrases, for every category with at least one match. (A minor with
    anything sexual is a rule of combination: `safety.composition`.)"""
    rules = {**RULES, **(STRICT_RULES if strict else {})}
    hits = {cat: found for cat, patterns in rules.items() if (found := find(patterns, folded))}
    if find(any_of("loli", "lolicon", "shota", "shotacon", "jailbait", "cp", "pedo\\w*", "paedo\\w*"), folded):
        hits.setdefault("sexual_minors", []).append("explicit term")
    return hits
