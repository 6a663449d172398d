"""Word lists and patterns behind the account-type signals, kept apart from any weights.

The trained model (transforms/account_features/, transforms/account_type.py) turns each
family into a feature; the page families also decide a page's kind (meme, facts, ...).

Bio and name lists are matched on ASCII-folded, lowercased text as whole words; handle
lists as substrings (handles glue words together). Every pattern is RE2-compatible: no
look-arounds, no back-references, no \\b/\\w/\\s/\\d (see transforms/_text.py).
Multilingual where it is cheap to be: Spanish, Portuguese, French, German, Italian.
"""

from __future__ import annotations

PAGE_WORDS: dict[str | None, list[str]] = {
    "meme": [
        "memes", "meme", "meme page", "dank", "dank memes", "shitpost", "shitposts",
        "shitposting", "funny memes", "funny videos", "funny pics", "funny posts",
        "funny tweets", "funniest", "humor page", "humour page", "jokes page", "best jokes",
        "comedy page", "relatable posts", "lol page", "humor", "humour", "funny", "jokes",
        "if you laughed", "relatable", "unhinged",
    ],
    "facts": [
        "facts", "fun facts", "did you know", "trivia", "quotes", "quote of the day",
        "life hacks", "lifehacks", "mind blowing", "mindblowing", "learn something new",
    ],
    "animal": [
        "cute animals", "animals", "animal page", "puppies", "kittens", "doggos", "doggo",
        "pupper", "puppers", "dogs of", "cats of", "pets of", "cute pets", "wildlife",
        "woof", "meow", "hooman", "hoomans", "my human", "my humans", "furry friends",
        "cutest", "aww", "daily dose of cute", "pets", "pet page", "dogs", "cats", "puppy",
        "kitten", "paws", "whiskers", "fluff", "fluffy", "floof", "goodest", "furbabies",
        "🐾", "🐶", "🐱", "🐕", "🐈",
    ],
    "brand": [
        "official", "official store", "official shop", "shop", "store", "online store",
        "online shop", "shop now", "shop online", "free shipping", "worldwide shipping",
        "ships worldwide", "we ship", "order now", "order online", "orders", "dm to order",
        "dm for orders", "customer service", "customer support", "customer care",
        "use code", "discount", "discount code", "sale", "products", "inc", "ltd", "llc",
        "gmbh", "company", r"est\. ?[0-9]{4}", "since (?:18|19|20)[0-9]{2}",
        "established (?:in )?(?:18|19|20)[0-9]{2}", "boutique", "restaurant", "cafe",
        "bakery", "brewery", "hotel", "salon", "clothing", "apparel", "skincare",
        "cosmetics", "jewelry", "jewellery", "available at", "available on", "download",
        "headquarters", "all rights reserved", "we make", "made in", "handmade", "hand made",
        "we sell", "our products", "small business", "co", "studios", "labs", "software",
        "publishing", "brand", "the home of",
    ],
    "news": [
        "news", "breaking", "breaking news", "latest news", "headlines", "newsroom",
        "newspaper", "magazine", "news agency", "live updates", "updates", "alerts",
        "weather", "traffic", "coverage", "24/7", "stay informed", "stay updated", "press",
        "journalism", "new story", "new stories", "latest stories", "every story",
        "chronicle", "gazette", "tribune", "herald", "newswire", "wire", "weekly", "digest",
    ],
    "repost": [
        "credit", "credits", "all credits", "credit to", "credits to", "rights belong",
        "no copyright", "copyright", "dm for credit", "dm for removal", "removal",
        "repost", "reposts", "reposting", "submit", "submissions", "submission",
        "send us", "tag us", "to be featured", "get featured", "be featured",
        "follow for more", "best of", "compilation", "compilations", "viral", "curated",
        "curating", "reposting the best", "feature your", "featured accounts",
        "we do not own", "i do not own", "don't own", "do not own",
    ],
    "fan": [
        "fan page", "fanpage", "fan account", "fan club", "fanclub", "fansite",
        "fan site", "fans of", "fandom", "not affiliated", "unofficial", "stan account",
        "stan page", "dedicated to", "updates on", "news about", "source for",
        "no affiliation", "not associated", "parody", "parody account",
        "appreciation account", "appreciation page", "fan archive", "archive of",
        "dedicated fan", "biggest fan", "number one fan", "#1 fan", "fan run", "fanbase",
        "fan base", "pics & updates", "pics and updates",
    ],
    None: [
        "daily", "dm for promo", "dm for promos", "promo", "promos", "paid promo",
        "promotion", "promotions", "shoutout", "shoutouts", "s4s", "f4f", "l4l",
        "follow us", "turn on notifications", "turn on post notifications", "the best",
        "best videos", "best photos", "best pics", "best content", "this page", "our page",
        "official page", "official account", "welcome to", "tweets about", "we post",
        "community", "club", "association", "foundation", "organization",
        "organisation", "nonprofit", "non-profit", "charity", "church", "institute",
        "council", "department", "network", "agency", "services", "solutions", "managed by",
        "run by", "tweets by", "tweets from", "posts from", "provides", "providing",
        "resources", "automated", "unofficial bot", "we are", "we're", "our mission",
        "our team", "contact us", "get in touch", "for enquiries", "for inquiries",
        "official twitter", "official instagram", "official feed", "page run by",
        "bot", "a bot", "twitterbot", "auto-generated", "tweets every", "posts every",
        "offers", "offering", "specializing in", "specialising in", "leading provider",
        "book now", "open daily", "opening hours", "visit us", "call us", "located in",
        "serving", "now open",
    ],
}

# Handles glue words together, so these match as substrings (anchors where risky).
HANDLE_WORDS: dict[str | None, str] = {
    "meme": "memes?|dankmemes|funny|humou?r|jokes|lmao|shitpost",
    "facts": "facts|trivia|didyouknow|quotes|lifehacks",
    "animal": "pupp(?:y|ies)|kittens?|doggo|pupper|catsof|dogsof|petsof|cuteanimals|animals"
    "|woof|meow|paws|pets$|fluff|goodest",
    "brand": "^shop|shop$|^store|store$|official|hq$|inc$|ltd$|llc$|boutique",
    "news": "news|breaking|headlines|tribune|herald|gazette|magazine|radio|weather|alerts$"
    "|times$|chronicle|weekly|wire$|report$|digest",
    "repost": "repost|viral|bestof|compilation|clips$",
    "fan": "fanpage|fanclub|fansite|fanacc|fans$|_fc$|stan$|^stan|updates$|archive$|fanbase",
    None: "^daily|daily$|page$|_page|club$",
}

FIRST_PERSON = [
    "i", "i'm", "i've", "i'll", "i'd", "me", "my", "mine", "myself",
    "yo", "mi", "mis", "soy", "eu", "meu", "minha", "sou", "je", "j'", "moi", "mon", "ma",
    "mes", "suis", "ich", "mein", "meine", "bin",
]
PRONOUNS = ["(?:she|he|they|ela|elle|ella|sie|er) ?/ ?(?:her|hers|him|his|them|theirs|they|she|he)"]
FAMILY = [
    "mom", "mum", "mama", "mommy", "mummy", "momma", "mother", "dad", "daddy", "papa",
    "father", "wife", "husband", "hubby", "wifey", "grandma", "grandpa", "granny",
    "grandmother", "grandfather", "aunt", "auntie", "uncle", "daughter", "sister",
    "brother", "girlfriend", "boyfriend", "fiance", "fiancee", "son", "sons", "kids",
    "mother of", "father of", "mom of", "mum of", "dad of", "boy mom", "girl mom",
    "boy mum", "girl mum", "dog mom", "cat mom", "dog mum", "cat mum", "dog dad", "cat dad",
    "married", "single", "divorced", "engaged",
    "mami", "papi", "mae", "mamae", "pai", "maman", "mutter", "vater", "madre", "padre",
    "esposa", "esposo", "marido", "femme", "epouse", "mari", "frau", "ehefrau", "ehemann",
]
ROLES = [
    "artist", "writer", "author", "poet", "novelist", "photographer", "filmmaker", "baker",
    "runner", "cyclist", "climber", "swimmer", "surfer", "hiker", "yogi", "teacher",
    "student", "phd", "phd student", "phd candidate", "grad student", "professor",
    "lecturer", "researcher", "scientist", "engineer", "developer", "programmer",
    "designer", "illustrator", "painter", "musician", "singer", "songwriter", "rapper",
    "producer", "dj", "dancer", "actor", "actress", "comedian", "nurse", "doctor",
    "physician", "surgeon", "dentist", "lawyer", "attorney", "chef", "cook", "coach",
    "trainer", "athlete", "footballer", "model", "blogger", "vlogger", "youtuber",
    "streamer", "gamer", "content creator", "creator", "influencer", "journalist",
    "reporter", "editor", "columnist", "correspondent", "presenter", "host", "anchor",
    "director", "founder", "co-founder", "cofounder", "ceo", "entrepreneur", "consultant",
    "architect", "therapist", "pastor", "veteran", "retired", "lover", "enthusiast",
    "geek", "nerd", "fan of", "dreamer", "wanderer", "traveler", "traveller", "foodie",
    "bookworm", "introvert", "extrovert", "junkie", "addict", "aspiring", "wannabe",
    "manager", "owner", "co-owner", "partner", "president", "vice president", "specialist",
    "expert", "advisor", "adviser", "strategist", "analyst", "executive", "head of", "mentor",
    "sophomore", "freshman", "alumni", "alumna", "alumnus", "graduate", "grad",
    "artista", "escritor", "escritora", "fotografo", "fotografa", "photographe",
    "fotograf", "fotografin", "estudiante", "estudante", "etudiant", "etudiante",
    "studentin", "profesor", "profesora", "professora", "professeur", "professeure",
    "lehrer", "lehrerin", "maestra", "maestro", "enfermera", "enfermeira", "infirmiere",
    "medico", "medica", "medecin", "arzt", "arztin", "ingeniero", "ingeniera",
    "engenheiro", "engenheira", "ingenieur", "ingenieurin", "autor", "autora", "auteur",
    "autorin", "kunstler", "kunstlerin", "cantante", "cantora", "chanteuse", "chanteur",
    "musico", "musicien", "musicienne", "musiker", "musikerin", "bailarina", "danseuse",
]
AGE = ["[0-9]{1,2} ?(?:y/?o|yrs? old|years? old|ans|anos|jahre alt|anos de idade)"]
OWN_VIEWS = [
    "(?:views|opinions|tweets|posts|thoughts) (?:are )?(?:my |all )?own",
    "(?:rts?|retweets|reposts?) (?:are not|aren't|not|don't equal|do not equal|!=|=/=|≠) "
    "endorsements?",
    "personal account",
]
WE_PATTERN = (
    "(?:^|[^A-Za-z0-9_])(?P<m>(?i:we|we're|we've|we'll|our|ours|ourselves|nosotros|nuestro"
    "|nuestra|nuestros|nuestras|somos|nous|notre|wir|unser|unsere|unserer|nosso|nossa"
    "|nossos|nossas)|us)(?:$|[^A-Za-z0-9_])"
)
TITLES_PATTERN = "^(?:dr|mr|mrs|ms|mx|miss|prof|sir|dame|rev|dj|chef|coach)[.]? +"
_GIVEN = "[A-Z][a-z]+(?:-[A-Z][a-z]+)?"  # Maya, Mary-Jane
_FAMILY = "[A-Z][a-z]*(?:['-]?[A-Z][a-z]+|['-][a-z]+)*"  # Patel, O'Neil, McDonald, Smith-Jones
_HONORIFIC = "(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof)[.]? )?"
_PARTICLE = "de|da|do|das|dos|del|la|le|y|e|van|von|der|den|di|du|bin|al|el"
# "Maya Patel", "Dr. Kenji Sato", "Maya P.", "Ana de la Cruz" (case kept, ASCII-folded)
TITLE_CASE_NAME = (
    "^" + _HONORIFIC + _GIVEN
    + "(?: (?:[A-Z][.]?|" + _GIVEN + "|" + _PARTICLE + ")){0,3}"
    + " (?:" + _FAMILY + "|[A-Z][.]?)$"
)
NAME_ARTICLE = "^(?P<m>the|la|el|los|las|les|die|der|das|il|lo) "
HANDLE_BOT = "(?:^|[^a-z])bot(?:$|[^a-z])|bot$"
SHOP_MY = "shop (my|the look|my looks|my feed|my instagram|my favorites|my faves) "

# Post-text signals (raw text, case-insensitive).
CREDIT_PATTERN = (
    "(?i)(?:via @|(?:📸|📷|🎥|🎬|🖼️?) ?(?:: ?|by ?|- ?)?@|(?:📸|📷|🎥) ?:"
    "|(?:^|[^a-z0-9_])(?:credits?|cr|source|src|photo|video|pic|art) ?(?::|by|from|to|-) ?@"
    "|(?:^|[^a-z0-9_])(?:credits?|cr) ?:|repost(?:ed)? (?:from|via) @"
    "|(?:^|[^a-z0-9_])regram|h/t @|© ?@|[(]c[)] ?@)"
)
FIRST_PERSON_POST_PATTERN = (
    "(?i)(?:^|[^a-z0-9_])(?:i|i'm|i’m|i've|i’ve|i'll|i’ll|i'd|i’d|my|myself)"
    "(?:$|[^a-z0-9_])"
)

# Profile-shape patterns, case-insensitive where it matters.
LINK_PATTERN = "(?i)(?:https?://|www[.]|[a-z0-9-][.](?:com|net|org|co|io|ly|me|ee|uk|de)(?:/|$| ))"
EMAIL_PATTERN = "(?i)[a-z0-9._%+-]+@[a-z0-9-]+[.][a-z.]{2,}"
PHONE_PATTERN = "(?:[+][0-9]{1,3}[ -]?)?(?:[(][0-9]{2,4}[)] ?)?[0-9]{3,4}[ .-][0-9]{3,4}(?:[ .-][0-9]{2,4})?"
HASHTAG_PATTERN = "(?:^|[^A-Za-z0-9_&])#[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*"
MENTION_PATTERN = "(?:^|[^A-Za-z0-9_.])@[A-Za-z0-9_]{2,}"
# Pictographs, dingbats and flags: the decoration people and pages both use.
EMOJI_PATTERN = "[\u2600-\u27bf\U0001f000-\U0001faff]"
LIST_SEPARATOR_PATTERN = "[|•·/♡♥✨]"
DIGITS_END_PATTERN = "[0-9]{2,}$"

# Shapes of names, handles and texts.
NAME_FIRST_TOKEN = "^(?:" + TITLES_PATTERN[1:] + ")?[^a-z]*(?P<m>[a-z]+)"  # after "dr. "
NAME_LAST_TOKEN = "(?P<m>[a-z]+)[^a-z]*$"
ALL_CAPS = "^[A-Z]{4,}$"
CAMEL_NAME = "^[A-Za-z]*[a-z][A-Z][A-Za-z]*$"  # "GreenKitchen"
CAMEL_HANDLE = "[a-z][A-Z][a-z]+[A-Z]"  # "CityBakeryNews"
ALL_LOWERCASE = "^[^A-Z]*[a-z][^A-Z]*$"
TEXT_ARTICLE = "^(?P<m>a|an|the) "
REPLY_START = "^[.]?@[a-z0-9_]"
CLOCK_TIME = "[0-9]{1,2}:[0-9]{2}"
URL_START = "https?://"
CAPITALISED_PAIR = "(?P<m>[A-Z][a-z]+ [A-Z][a-z]+)"  # "Mike Hall", "Campus Planning"
