"""Real people named in a prompt: public figures (living or dead) and private people by full name.

A clip may show only its cameos, people who recorded themselves and consented. Anyone else named
in a prompt is a real person who did not: a president, a singer, a historical figure, or "John
Miller from accounting". Two detectors:

- a curated list of well-known people (~600: heads of state, politicians, royals, religious leaders,
  business people, musicians, actors, athletes, historical figures), each with the names people
  use for them. A distinctive surname ("Obama", "Einstein") is matched in any case; one that is also
  a common word ("Trump", "Bush", "Franco") only when capitalised.
- a generic pattern for private people: a common first name followed by a capitalised surname
  ("Sarah Johnson"). A capitalised pair alone is not enough ("New York", "Eiffel Tower"), and
  places and things named after people are let through ("Lincoln Memorial", "John F. Kennedy
  airport", "a Taylor Swift song", "in the style of Van Gogh").

A name that is one of the clip's cameo handles is that cameo, and fine.
Limits: a private person named by first name only ("with Sarah") or in lowercase ("john miller")
is not found; nor is a public figure missing from the list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from safety.text import one_edit_apart

# Kind -> "Full Name|alias|^CaseSensitiveAlias". Names are written without accents (text is folded).
PUBLIC_FIGURES: dict[str, tuple[str, ...]] = {
    "politician": (
        "Joe Biden|Biden", "Donald Trump|^Trump", "Barack Obama|Obama", "Michelle Obama", "Kamala Harris|Kamala",
        "Hillary Clinton|^Clinton", "Bill Clinton", "George W Bush|George Bush|^Bush", "Ronald Reagan|Reagan",
        "Jimmy Carter", "Richard Nixon|Nixon", "John F Kennedy|John Kennedy|JFK", "Abraham Lincoln",
        "George Washington", "Franklin D Roosevelt|Franklin Roosevelt|FDR", "Theodore Roosevelt", "Thomas Jefferson",
        "Mike Pence", "JD Vance|J D Vance", "Nancy Pelosi|Pelosi", "Bernie Sanders",
        "Alexandria Ocasio Cortez|Ocasio Cortez",
        "Ron DeSantis|DeSantis", "Mitch McConnell", "Chuck Schumer", "Marco Rubio", "Ted Cruz", "Elizabeth Warren",
        "Gavin Newsom", "Pete Buttigieg", "Nikki Haley", "Rudy Giuliani|Giuliani", "Dick Cheney", "Al Gore",
        "John McCain", "Mitt Romney", "Robert F Kennedy|RFK", "Condoleezza Rice", "Colin Powell", "Henry Kissinger",
        "Martin Luther King Jr|Martin Luther King|MLK", "Malcolm X", "Rosa Parks", "Benjamin Franklin",
        "Alexander Hamilton", "Dwight Eisenhower|Eisenhower", "Harry Truman", "Rishi Sunak", "Keir Starmer",
        "Boris Johnson", "Theresa May", "David Cameron", "Tony Blair", "Gordon Brown", "Margaret Thatcher|^Thatcher",
        "Winston Churchill|Churchill", "Liz Truss", "Nigel Farage|Farage", "Jeremy Corbyn", "Emmanuel Macron|Macron",
        "Brigitte Macron", "Marine Le Pen|^Le Pen", "Jean Luc Melenchon|Melenchon", "Nicolas Sarkozy|Sarkozy",
        "Francois Hollande", "Jacques Chirac|Chirac", "Charles de Gaulle|^de Gaulle|General de Gaulle",
        "Francois Mitterrand|Mitterrand", "Napoleon Bonaparte|^Napoleon", "Gabriel Attal", "Jordan Bardella|Bardella",
        "Eric Zemmour|Zemmour", "Edouard Philippe", "Michel Barnier", "Angela Merkel|Merkel", "Olaf Scholz|Scholz",
        "Friedrich Merz|^Merz", "Helmut Kohl", "Gerhard Schroder|Gerhard Schroeder", "Frank Walter Steinmeier",
        "Adolf Hitler|Hitler", "Alice Weidel", "Pedro Sanchez", "Mariano Rajoy", "Francisco Franco|General Franco",
        "Santiago Abascal", "Isabel Diaz Ayuso", "Vladimir Putin|Putin", "Volodymyr Zelensky|Zelensky|Zelenskyy",
        "Xi Jinping", "Kim Jong Un", "Kim Jong Il", "Kim Il Sung", "Narendra Modi|^Modi",
        "Benjamin Netanyahu|Netanyahu",
        "Recep Tayyip Erdogan|Erdogan", "Justin Trudeau|Trudeau", "Mark Carney", "Jacinda Ardern",
        "Giorgia Meloni|^Meloni",
        "Silvio Berlusconi|Berlusconi", "Viktor Orban|^Orban", "Lula da Silva|^Lula", "Jair Bolsonaro|Bolsonaro",
        "Javier Milei|Milei", "Andres Manuel Lopez Obrador|AMLO", "Claudia Sheinbaum|Sheinbaum",
        "Nicolas Maduro|^Maduro",
        "Hugo Chavez", "Fidel Castro", "Che Guevara", "Mao Zedong|Chairman Mao|Mao Tse tung", "Joseph Stalin|Stalin",
        "Vladimir Lenin|^Lenin", "Mikhail Gorbachev|Gorbachev", "Boris Yeltsin|Yeltsin", "Saddam Hussein",
        "Osama bin Laden|Bin Laden", "Muammar Gaddafi|Gaddafi", "Ali Khamenei|Ayatollah Khamenei|Khamenei",
        "Ayatollah Khomeini|Khomeini", "Bashar al Assad|^Assad", "Mahmoud Abbas", "Yasser Arafat|Arafat",
        "Nelson Mandela|Mandela", "Mahatma Gandhi|^Gandhi", "Indira Gandhi", "Jawaharlal Nehru",
        "Benito Mussolini|Mussolini",
        "Pol Pot", "Idi Amin", "Shinzo Abe", "Fumio Kishida", "Ursula von der Leyen", "Antonio Guterres",
        "Kofi Annan",
        "Alexei Navalny|Navalny", "Imran Khan", "Ho Chi Minh", "Aung San Suu Kyi", "Golda Meir", "Yitzhak Rabin",
        "Ariel Sharon", "Greta Thunberg|Thunberg", "Malala Yousafzai|Malala", "Emperor Hirohito|Hirohito",
        "Mohammed bin Salman|MBS", "Volodymyr Zelenskiy", "Keir Starmer", "Jean Castex", "Segolene Royal",
        "Heinrich Himmler|Himmler", "Joseph Goebbels|Goebbels", "Hermann Goring|Hermann Goering",
    ),
    "royal": (
        "King Charles III|King Charles|Charles III|Prince Charles", "Queen Elizabeth II|Queen Elizabeth|Elizabeth II",
        "Prince William", "Prince Harry", "Kate Middleton|Princess of Wales|Catherine Middleton", "Meghan Markle",
        "Princess Diana|Lady Diana|Diana Spencer|Lady Di|Princess Di", "Prince Philip", "Queen Camilla",
        "Prince Andrew", "Queen Victoria", "King Henry VIII|Henry VIII", "Louis XIV", "Marie Antoinette",
        "Catherine the Great", "King Felipe|Felipe VI", "Queen Letizia", "King Willem Alexander",
        "Princess Grace", "Queen Margrethe", "Emperor Naruhito|Naruhito", "Cleopatra", "Julius Caesar",
        "Alexander the Great", "Genghis Khan", "Tutankhamun|King Tut",
    ),
    "religious": (
        "Pope Francis", "Pope Leo XIV|Pope Leo", "Pope Benedict|Benedict XVI", "Pope John Paul II|John Paul II",
        "Dalai Lama", "Mother Teresa", "Desmond Tutu", "Billy Graham", "Jesus Christ|Jesus of Nazareth",
        "Prophet Muhammad|Prophet Mohammed|the Prophet Muhammad", "Martin Luther", "Joan of Arc|Jeanne d'Arc",
    ),
    "business": (
        "Elon Musk|^Musk", "Jeff Bezos|Bezos", "Mark Zuckerberg|Zuckerberg", "Bill Gates", "Steve Jobs", "Tim Cook",
        "Sundar Pichai", "Sam Altman", "Jensen Huang", "Warren Buffett", "Satya Nadella", "Larry Page", "Sergey Brin",
        "Jack Ma", "Richard Branson", "Peter Thiel", "Steve Wozniak", "Bernard Arnault", "Larry Ellison",
        "Michael Bloomberg", "Walt Disney", "Coco Chanel", "Karl Lagerfeld", "Henry Ford",
    ),
    "musician": (
        "Taylor Swift", "Beyonce|Beyonce Knowles", "Rihanna", "Lady Gaga", "^Madonna", "Michael Jackson",
        "Elvis Presley|Elvis", "Freddie Mercury", "David Bowie|^Bowie", "John Lennon|Lennon",
        "Paul McCartney|McCartney",
        "Ringo Starr", "George Harrison", "Mick Jagger|Jagger", "Bob Marley", "Bob Dylan", "Kurt Cobain",
        "Whitney Houston", "Amy Winehouse", "Aretha Franklin", "Frank Sinatra|Sinatra", "Johnny Cash", "Dolly Parton",
        "Elton John", "Ed Sheeran", "Billie Eilish", "Ariana Grande", "Justin Bieber|Bieber", "Selena Gomez",
        "Miley Cyrus", "Katy Perry", "Shakira", "Jennifer Lopez|J Lo|JLo", "^Bad Bunny", "Kanye West|Kanye", "Jay Z",
        "Eminem", "Snoop Dogg", "Tupac Shakur|Tupac|2Pac", "Notorious B I G|Biggie Smalls", "Kendrick Lamar",
        "Travis Scott", "Nicki Minaj", "Cardi B", "Doja Cat", "Dua Lipa", "Harry Styles", "Bruno Mars", "The Weeknd",
        "Olivia Rodrigo", "Sabrina Carpenter", "Bruce Springsteen", "Jon Bon Jovi", "Celine Dion", "Stromae",
        "Edith Piaf", "Johnny Hallyday", "Serge Gainsbourg", "Aya Nakamura", "Rosalia", "Enrique Iglesias",
        "Julio Iglesias", "Ricky Martin", "Luis Miguel", "Helene Fischer", "Jimi Hendrix", "Janis Joplin",
        "Tina Turner", "Wolfgang Amadeus Mozart|Mozart", "Ludwig van Beethoven|Beethoven", "Johann Sebastian Bach",
        "Frederic Chopin|Chopin", "Luciano Pavarotti|Pavarotti", "Louis Armstrong", "Ray Charles", "Stevie Wonder",
        "James Brown", "Marvin Gaye", "Avicii", "Lana Del Rey", "Post Malone", "Lil Nas X", "Pharrell Williams",
        "Alicia Keys", "Lionel Richie", "Phil Collins", "Ozzy Osbourne", "Britney Spears", "Christina Aguilera",
        "Mariah Carey", "Janet Jackson", "Shania Twain", "Kylie Minogue", "Robbie Williams", "Victoria Beckham",
        "Prince Rogers Nelson", "Chris Brown", "Sean Combs|P Diddy|Diddy", "R Kelly", "Justin Timberlake",
        "Jennifer Hudson", "Kylie Jenner", "Roger Waters",
    ),
    "actor": (
        "Brad Pitt", "Angelina Jolie", "Tom Cruise", "Tom Hanks", "Leonardo DiCaprio|DiCaprio", "Johnny Depp",
        "Jennifer Aniston", "Scarlett Johansson", "Meryl Streep", "Will Smith", "Denzel Washington", "Morgan Freeman",
        "Keanu Reeves", "Dwayne Johnson|Dwayne The Rock Johnson", "Robert Downey Jr|Robert Downey", "Chris Hemsworth",
        "Chris Evans", "Ryan Reynolds", "Ryan Gosling", "Margot Robbie", "^Zendaya", "Timothee Chalamet|Chalamet",
        "Emma Watson", "Daniel Radcliffe", "Jennifer Lawrence", "Natalie Portman", "Anne Hathaway", "Julia Roberts",
        "Sandra Bullock", "Nicole Kidman", "Hugh Jackman", "Robert De Niro|De Niro", "Al Pacino", "Jack Nicholson",
        "Harrison Ford", "Arnold Schwarzenegger|Schwarzenegger", "Sylvester Stallone|Stallone", "Jackie Chan",
        "Bruce Lee", "Marilyn Monroe", "Audrey Hepburn", "James Dean", "Charlie Chaplin|Chaplin", "Heath Ledger",
        "Paul Walker", "Matthew Perry", "Robin Williams", "Chadwick Boseman", "Carrie Fisher", "Betty White",
        "Sean Connery", "Marlon Brando", "Elizabeth Taylor", "Grace Kelly", "Humphrey Bogart", "John Wayne",
        "Clint Eastwood", "Kim Kardashian|Kardashian|Kardashians", "Kendall Jenner", "Kris Jenner", "Caitlyn Jenner",
        "Paris Hilton", "Ellen DeGeneres", "Jimmy Fallon", "Jimmy Kimmel", "Stephen Colbert", "Conan O'Brien",
        "David Letterman", "Joe Rogan", "MrBeast|Mr Beast", "PewDiePie", "Logan Paul", "Jake Paul", "Andrew Tate",
        "Gordon Ramsay", "Martha Stewart", "Kevin Hart", "Dave Chappelle", "Ricky Gervais", "Rowan Atkinson",
        "Jim Carrey", "Adam Sandler", "Eddie Murphy", "Steve Martin", "Bill Murray", "Tom Holland", "Pedro Pascal",
        "Cillian Murphy", "Florence Pugh", "Emma Stone", "Jenna Ortega", "Millie Bobby Brown", "Gal Gadot",
        "Penelope Cruz", "Antonio Banderas", "Javier Bardem", "Salma Hayek", "Sofia Vergara", "Jean Dujardin",
        "Omar Sy", "Marion Cotillard", "Gerard Depardieu|Depardieu", "Brigitte Bardot", "Alain Delon",
        "Catherine Deneuve", "Jean Paul Belmondo", "Louis de Funes", "Til Schweiger", "Christoph Waltz",
        "Diane Kruger", "Mads Mikkelsen", "Steven Spielberg|Spielberg", "Quentin Tarantino|Tarantino",
        "Christopher Nolan", "Martin Scorsese|Scorsese", "Alfred Hitchcock|Hitchcock", "Stanley Kubrick|Kubrick",
        "Stan Lee", "Hayao Miyazaki|Miyazaki", "Steve Irwin", "David Attenborough|Attenborough", "Bob Ross",
        "Anthony Bourdain", "Oprah Winfrey|Oprah", "Jeffrey Epstein|Epstein", "Harvey Weinstein|Weinstein",
        "Bill Cosby", "O J Simpson", "Charles Manson", "Ted Bundy", "Jeffrey Dahmer|Dahmer", "Mr Rogers|Fred Rogers",
        "Jennifer Coolidge", "Sydney Sweeney", "Jason Momoa", "Idris Elba", "Benedict Cumberbatch", "Tom Hiddleston",
        "Hugh Grant", "Emma Thompson", "Judi Dench", "Helen Mirren", "Ian McKellen", "Patrick Stewart",
    ),
    "athlete": (
        "LeBron James|LeBron", "Michael Jordan", "Kobe Bryant", "Stephen Curry|Steph Curry", "Shaquille O'Neal|Shaq",
        "Magic Johnson", "Kareem Abdul Jabbar", "Cristiano Ronaldo|^Ronaldo", "Lionel Messi|Messi", "^Neymar",
        "Kylian Mbappe|Mbappe", "Zinedine Zidane|Zidane", "^Pele", "Diego Maradona|Maradona", "David Beckham|Beckham",
        "Erling Haaland|Haaland", "Mohamed Salah", "Karim Benzema|Benzema", "Antoine Griezmann|Griezmann",
        "Thierry Henry", "Ronaldinho", "Zlatan Ibrahimovic|Zlatan|Ibrahimovic", "Wayne Rooney", "Harry Kane",
        "Jude Bellingham", "Lamine Yamal", "Vinicius Junior", "Robert Lewandowski|Lewandowski", "Thomas Muller",
        "Manuel Neuer", "Serena Williams", "Venus Williams", "Roger Federer|Federer",
        "Rafael Nadal|Rafa Nadal|^Nadal",
        "Novak Djokovic|Djokovic", "Andy Murray", "Carlos Alcaraz|Alcaraz", "Naomi Osaka", "Maria Sharapova",
        "Usain Bolt", "Michael Phelps", "Simone Biles", "Tiger Woods", "Tom Brady", "Patrick Mahomes", "Travis Kelce",
        "Muhammad Ali", "Mike Tyson", "Floyd Mayweather|Mayweather", "Conor McGregor", "Ronda Rousey",
        "Lewis Hamilton",
        "Max Verstappen|Verstappen", "Michael Schumacher", "Ayrton Senna", "Wayne Gretzky", "Babe Ruth",
        "Shohei Ohtani|Ohtani", "Tony Hawk", "Kelly Slater", "Eliud Kipchoge", "Mo Farah", "Caitlin Clark",
        "Jackie Robinson", "Teddy Riner", "Tony Parker", "Victor Wembanyama|Wembanyama", "Pau Gasol", "Dirk Nowitzki",
        "Luka Doncic", "Kevin Durant", "Giannis Antetokounmpo", "Pep Guardiola", "Jose Mourinho", "Sergio Ramos",
        "Andres Iniesta", "Gareth Bale", "Luis Suarez", "Megan Rapinoe", "Alex Morgan", "Tadej Pogacar",
    ),
    "historical": (
        "Albert Einstein|Einstein", "Isaac Newton", "Marie Curie", "Nikola Tesla", "Charles Darwin",
        "Stephen Hawking",
        "Galileo Galilei|^Galileo", "Leonardo da Vinci", "Pablo Picasso|Picasso", "Vincent van Gogh|Van Gogh",
        "Frida Kahlo", "Salvador Dali", "Claude Monet", "William Shakespeare|Shakespeare", "Charles Dickens",
        "Ernest Hemingway", "Mark Twain", "Jane Austen", "Victor Hugo", "Oscar Wilde", "Anne Frank",
        "Sigmund Freud|Freud", "Karl Marx", "Christopher Columbus", "Amelia Earhart", "Neil Armstrong",
        "Buzz Aldrin", "Yuri Gagarin", "Thomas Edison", "Alexander Graham Bell", "Harriet Tubman",
        "Frederick Douglass",
        "Confucius", "Socrates", "Aristotle", "Jacques Cousteau", "Jane Goodall", "Carl Sagan", "Richard Feynman",
        "Ada Lovelace", "Alan Turing", "Florence Nightingale", "Simone de Beauvoir", "Jean Paul Sartre",
        "Albert Camus",
        "Mozart", "Rembrandt", "Michelangelo Buonarroti", "Andy Warhol", "Walt Whitman", "Edgar Allan Poe",
        "J K Rowling|JK Rowling", "Stephen King", "Agatha Christie", "Friedrich Nietzsche|Nietzsche",
    ),
}
POLITICAL_KINDS = ("politician", "royal")

# Names of places, prizes and things: "the Lincoln Memorial" is not Abraham Lincoln.
_AFTER_PLACE = (r"memorial|airport|bridge|street|st|avenue|ave|boulevard|blvd|square|center|centre|station|school"
                r"|university|college|library|stadium|park|monument|museum|hall|hospital|institute|foundation"
                r"|award|awards|prize|tower|building|highway|road|drive|theatre|theater|arena|day|city|falls"
                r"|world|land|studios|statue|house|high|international|boulevard|metro|plaza|way|lane|court|estate")
# Works and merchandise: "a Taylor Swift song", "a Messi jersey", "Beethoven's fifth symphony".
_AFTER_WORK = (r"song|songs|track|tracks|album|albums|hit|hits|single|lyrics|cover|sonata|symphony|symphonies"
               r"|concerto|opera|play|plays|novel|novels|book|books|poem|poems|painting|paintings|film|films|movie"
               r"|movies|music|quote|quotes|style|jersey|jerseys|shirt|t shirt|poster|posters|biography|documentary"
               r"|playlist|dance move|dance moves|choreography|record|records|vinyl|theorem|equation|method"
               r"|fifth|ninth|nocturne|sunflowers|starry|telescope|line|brand|bag|handbag|perfume|whiskey|tractor")
_BEFORE_WORK = (r"(?:in the style of|style of|inspired by|a (?:song|poem|book|novel|painting|play|film|movie|sonata"
                r"|symphony|quote) by|(?:song|music|painting|poem|novel|play|book|film|movie)s? by|painted by"
                r"|written by|composed by|directed by|sung by|cover of|tribute to|fan of|reading|read"
                r"|quoting|listening to)\s+(?:a |an |the )?$")

# Common first names (English, French, Spanish, German). Left out: words that are also ordinary
# words or places at the start of a capitalised pair (May, Will, Grace, Rose, Victoria, Jordan...).
FIRST_NAMES = (
    "James John Robert Michael David William Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony "
    "Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob "
    "Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick "
    "Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Noah Ethan Jeremy Walter "
    "Christian Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan "
    "Billy Bruce Gabriel Joe Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Liam Mason Lucas Oliver "
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret "
    "Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura "
    "Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen "
    "Debra Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce Evelyn Frances Joan Christina "
    "Kelly Lauren Judith Martha Andrea Cheryl Megan Jacqueline Hannah Ann Jean Alice Kathryn Gloria Teresa Sara "
    "Janice Julia Marie Madison Sophia Isabella Ava Mia Abigail Charlotte Harper Amelia Ella Chloe Zoe Natalie "
    "Pierre Jacques Michel Philippe Francois Nicolas Julien Mathieu Antoine Sebastien Olivier "
    "Guillaume Thierry Laurent Christophe Frederic Stephane Camille Nathalie Isabelle Sylvie Sophie Valerie "
    "Celine Aurelie Julie Manon Lea Ines Juliette Margaux Lucie Chloe Hugo Louis Jules Arthur Raphael Enzo "
    "Carlos Luis Jorge Miguel Javier Alejandro Pablo Diego Sergio Fernando Manuel Antonio Francisco Alberto "
    "Rafael Ricardo Andres Sofia Lucia Valentina Camila Daniela Carmen Elena Isabel Paula Marta Ana "
    "Hans Klaus Jurgen Wolfgang Stefan Andreas Uwe Dieter Matthias Frank Markus Tobias Jan Lukas Felix Maximilian "
    "Ursula Sabine Petra Monika Claudia Susanne Andrea Katrin Anja Lena Lea Leonie Johanna Greta Heike Birgit "
    "Mohammed Muhammad Ahmed Ali Omar Fatima Aisha Wei Li Hiroshi Yuki Raj Priya Arjun Dmitri Ivan Olga Natasha"
).split()
# Capitalised words after a first name that make it a place, a thing or a character, not a person.
NOT_SURNAMES = frozenset(
    "Street Road Avenue Boulevard Square Park Bridge Falls Memorial Airport Station Tower University College "
    "School Hotel Beach Bay Lake River Mountain Mount Hill Island Center Centre Museum Hall Church Cathedral "
    "Stadium Arena Theatre Theater Library Hospital Palace Castle Gardens Garden Market Mall Street Lane Drive "
    "Way Court Place Estate City Town Village County State Valley Canyon Forest Desert Sea Ocean Coast Port "
    "And Or The A An In On At Of With By From To For Day Night Morning Monday Tuesday Wednesday Thursday Friday "
    "Saturday Sunday January February March April May June July August September October November December "
    "Christmas Easter Halloween Mouse Duck Pan Potter Bond Wayne Holmes Kent Parker Poppins Skywalker Sparrow "
    "Jones Croft Lightyear Stark Banner Rogers Wick Snow Lannister Targaryen Bunny Brown Claus Says Said Is Was "
    "Dances Dancing Walks Walking Runs Running Sings Singing Plays Playing Smiles Laughs Meets Visits".split()
) - {"Brown", "Jones", "Parker", "Rogers", "Kent", "Wayne", "Stark", "Snow", "Banner"}
# Fictional characters whose names look like a person's.
FICTIONAL = frozenset(s.casefold() for s in (
    "Mickey Mouse", "Minnie Mouse", "Donald Duck", "Peter Pan", "Harry Potter", "James Bond", "Sherlock Holmes",
    "Bruce Wayne", "Peter Parker", "Clark Kent", "Tony Stark", "Bruce Banner", "Luke Skywalker", "Mary Poppins",
    "Jack Sparrow", "Indiana Jones", "Lara Croft", "John Wick", "Jon Snow", "Steve Rogers", "Charlie Brown",
    "Santa Claus", "Buzz Lightyear", "Arthur Dent", "Alice Wonderland", "Anna Frozen",
    # brands and things named after a person
    "Louis Vuitton", "Hugo Boss", "Jack Daniels", "Jack Daniel's", "Jose Cuervo", "Marie Claire", "John Deere",
    "James Webb", "Mary Jane", "Elizabeth Line", "Victoria Secret", "Jean Paul Gaultier",
))


@dataclass(frozen=True)
class PersonMention:
    name: str  # as canonical as we know it: the list's full name, or the words of the prompt
    kind: str  # a PUBLIC_FIGURES kind, or "private" for the generic pattern
    start: int  # position in `name_text` of the prompt
    end: int


def name_text(cased: str) -> str:
    """The prompt as name matching reads it: dots and hyphens as spaces ("J.D." -> "J D")."""
    return re.sub(r"[ \t]+", " ", re.sub(r"[.\-_]", " ", cased))


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9']+", " ", name.casefold()).strip()


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, tuple[str, str]], re.Pattern, re.Pattern]:
    """(alias key -> (full name, kind), case-insensitive pattern, case-sensitive pattern)."""
    lookup: dict[str, tuple[str, str]] = {}
    insensitive: list[str] = []
    sensitive: list[str] = []
    for kind, entries in PUBLIC_FIGURES.items():
        for entry in entries:
            parts = entry.split("|")
            full = parts[0].lstrip("^")
            for alias in parts:
                exact = alias.startswith("^")
                alias = alias.lstrip("^")
                lookup.setdefault(_key(alias), (full, kind))
                words = [re.escape(w) for w in alias.split()]
                pattern = r"\s+".join(words)
                (sensitive if exact else insensitive).append(pattern)
    by_length = lambda ps: sorted(set(ps), key=len, reverse=True)  # noqa: E731 - longest name wins
    bound = r"(?<![\w@])(?:{})(?:'s)?(?![\w])"
    return (lookup,
            re.compile(bound.format("|".join(by_length(insensitive))), re.IGNORECASE),
            re.compile(bound.format("|".join(by_length(sensitive)))))


@lru_cache(maxsize=1)
def _generic() -> re.Pattern:
    firsts = "|".join(sorted({re.escape(n) for n in FIRST_NAMES}, key=len, reverse=True))
    surname = r"(?:[A-Z]\s+)?(?:Mc|Mac|O')?[A-Z][a-z']+(?:\s+[A-Z][a-z']+)?"  # "John F Kennedy", "Sean O'Neil"
    return re.compile(rf"(?<![\w@])((?:{firsts}))\s+({surname})(?![\w])")


def _is_place_or_work(text: str, start: int, end: int) -> bool:
    after = text[end:end + 40].lower()
    before = text[max(0, start - 40):start].lower()
    if re.match(rf"(?:'s)?\s+(?:jr\s+)?(?:{_AFTER_PLACE})\b", after):
        return True
    if re.match(rf"(?:'s)?\s+(?:\w+\s+)?(?:{_AFTER_WORK})\b", after):
        return True
    return re.search(_BEFORE_WORK, before) is not None


def _handle_key(handle: str) -> str:
    return re.sub(r"[^a-z]", "", handle.casefold())


def _is_cameo(words: Sequence[str], handles: Iterable[str], private: bool) -> bool:
    """A name is a cameo when it spells a cameo's handle (private names: or the handle starts with it)."""
    joined = "".join(re.sub(r"[^a-z]", "", w.casefold()) for w in words)
    first = re.sub(r"[^a-z]", "", words[0].casefold())
    for handle in handles:
        key = _handle_key(handle)
        if not key:
            continue
        if key == joined or (private and (key.startswith(first) or joined.startswith(key))):
            return True
    return False


@lru_cache(maxsize=1)
def _two_word_names() -> dict[str, tuple[str, str]]:
    """Full names of two words of at least nine letters: the ones a typo can be undone for."""
    lookup, _, _ = _index()
    return {k: v for k, v in lookup.items() if len(k.split()) == 2 and len(k) >= 9}


def _misspelt_figures(text: str, lookup: dict) -> list[tuple[int, int, str, str]]:
    """Public figures written with one typo ("Taylor Swfit", "Barak Obama"): two capitalised words
    one edit away from a listed full name with the same initials."""
    names = _two_word_names()
    found = []
    for m in re.finditer(r"(?<![\w@])([A-Z][a-z']+)\s+([A-Z][a-z']+)(?![\w])", text):
        key = _key(f"{m.group(1)} {m.group(2)}")
        if key in lookup:
            continue
        for name, (full, kind) in names.items():
            if name[0] == key[0] and name.split()[1][0] == key.split()[1][0] and one_edit_apart(key, name):
                found.append((m.start(), m.end(), full, kind))
                break
    return found


def find_people(text: str, cameo_handles: Sequence[str] = ()) -> list[PersonMention]:
    """Real people named in `text` (accents stripped, handles replaced) who are not the clip's cameos."""
    text = name_text(text)
    lookup, insensitive, sensitive = _index()
    found: list[PersonMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in (insensitive, sensitive):
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken) or _is_place_or_work(text, start, end):
                continue
            matched = re.sub(r"'s$", "", m.group(0))
            full, kind = lookup.get(_key(matched), (matched, "public"))
            if any(_is_cameo(n.split(), cameo_handles, private=False) for n in (matched, full)):
                continue
            taken.append((start, end))
            found.append(PersonMention(full, kind, start, end))
    for start, end, full, kind in _misspelt_figures(text, lookup):
        if any(s < end and start < e for s, e in taken) or _is_place_or_work(text, start, end):
            continue
        if not _is_cameo(full.split(), cameo_handles, private=False):
            taken.append((start, end))
            found.append(PersonMention(full, kind, start, end))
    for m in _generic().finditer(text):
        start, end = m.span()
        first, last = m.group(1), m.group(2)
        words = [first, *last.split()]
        if any(s < end and start < e for s, e in taken) or words[1] in NOT_SURNAMES:
            continue
        if {" ".join(words[:2]).casefold(),
        " ".join(words).casefold()} & FICTIONAL or _is_place_or_work(text, start, end):
            continue
        if _is_cameo(words, cameo_handles, private=True):
            continue
        taken.append((start, end))
        found.append(PersonMention(" ".join(words), "private", start, end))
    return sorted(found, key=lambda p: p.start)
