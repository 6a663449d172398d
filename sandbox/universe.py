"""A deterministic, generated universe of creators for the sandbox.

``build_universe(creators, seed)`` makes the accounts (cheap: 100k in a few seconds); posts are
generated lazily, per creator, from an RNG derived from the seed and the creator's index, so the
same seed always yields the same universe, whatever order things are asked for in.

Every creator has a ground-truth ``kind`` (person or one of seven page kinds) so the account-type
classifier can be measured against it. All the words below (names, bios, posts) were written for
this module; none come from a dataset.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import random
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

__all__ = [
    "KINDS",
    "PAGE_KINDS",
    "NICHES",
    "PLATFORMS",
    "REFERENCE_NOW",
    "SandboxCreator",
    "SandboxPost",
    "Universe",
    "build_universe",
    "iso_ms",
]

REFERENCE_NOW = datetime(2026, 11, 1, 12, 0, 0, tzinfo=timezone.utc)
PLATFORMS = ("bluesky", "mastodon")
KINDS = ("person", "meme", "facts", "animal", "brand", "news", "repost", "fan")
PAGE_KINDS = KINDS[1:]
MIN_CREATORS = 50
MAX_CREATORS = 100_000
POST_WINDOW_DAYS = 120
MAX_POSTS = 200

# Kinds are assigned in shuffled blocks of 50 with these exact counts, so every universe (>= 50)
# holds every kind on both platforms and the mix is ~60% people at any size.
_BLOCK_KINDS = {
    "person": 30, "meme": 4, "facts": 2, "animal": 3, "brand": 4, "news": 3, "repost": 2, "fan": 2,
}
_BLOCK = sum(_BLOCK_KINDS.values())


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------

def iso_ms(dt: datetime) -> str:
    """UTC ISO-8601 with milliseconds and a Z, as both platforms print timestamps."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def _derive(seed: int, *parts: object) -> int:
    """A stable 64-bit seed from the universe seed and a path (never Python's salted hash())."""
    text = "|".join([str(seed), *map(str, parts)])
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def _loguniform(rng: random.Random, lo: float, hi: float) -> float:
    """Log-uniform in [lo, hi]: every order of magnitude equally likely."""
    return lo * (hi / lo) ** rng.random()


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_DAY_MS = 86_400_000


def _to_ms(dt: datetime) -> int:
    return (dt - _EPOCH) // timedelta(milliseconds=1)


def _from_ms(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


_ASCII_EXTRA = str.maketrans({"ß": "ss", "ł": "l", "Ł": "l", "ı": "i", "ø": "o", "æ": "ae",
                              "œ": "oe", "đ": "d", "İ": "i"})


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def _ascii(text: str) -> str:
    """Lowercase ASCII letters and digits only ("Müller" -> "muller", "Łódź" -> "lodz")."""
    text = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return _NON_ALNUM.sub("", text.encode("ascii", "ignore").decode().lower())


_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"


_B32_TABLE = bytes(ord(_B32[b & 31]) for b in range(256))


def _b32(rng: random.Random, n: int) -> str:
    """n random chars of the lowercase RFC 4648 base32 alphabet (as in DIDs and CIDs)."""
    return rng.randbytes(n).translate(_B32_TABLE).decode()


def _tid(ms: int, clock: int) -> str:
    """An AT Protocol record key (TID): 13 sortable base32 chars of micros<<10 | clock id."""
    n = ((ms * 1000) << 10) | (clock & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(_TID_ALPHABET[n & 31])
        n >>= 5
    return "".join(reversed(chars))


def _snowflake(ms: int, low: int) -> int:
    """A Mastodon-style id: milliseconds since the epoch << 16, plus 16 low bits."""
    return (ms << 16) | (low & 0xFFFF)


def _pick(rng: random.Random, seq):
    return seq[int(rng.random() * len(seq))]


def _rint(rng: random.Random, a: int, b: int) -> int:
    """Like _rint(rng, a, b), cheaper (this runs a few million times for a big universe)."""
    return a + int(rng.random() * (b - a + 1))


def _cum(weights) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


def _wpick(rng: random.Random, items, cum: tuple[float, ...]):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


# --------------------------------------------------------------------------------------------
# Names: our own lists of common names per culture
# --------------------------------------------------------------------------------------------

# culture: (weight, female first names, male first names, last names, cities, (lang, p))
_CULTURES: dict[str, tuple] = {
    "english": (30, (
        "Emma", "Olivia", "Sophie", "Grace", "Chloe", "Hannah", "Lucy", "Emily", "Megan", "Abigail",
        "Jess", "Katie", "Lauren", "Rachel", "Holly", "Amber", "Zoe", "Ellie", "Madison", "Harper",
        "Molly", "Beth", "Naomi", "Tessa"), (
        "James", "Oliver", "Jack", "Harry", "Thomas", "Daniel", "Ethan", "Liam", "Noah", "Ryan",
        "Connor", "Ben", "Sam", "Luke", "Tyler", "Jake", "Matt", "Chris", "Owen", "Callum", "Rhys",
        "Nathan", "Aidan", "Theo"), (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
        "Harris", "Clarke", "Miller", "Anderson", "Murphy", "Kelly", "Campbell", "Bennett",
        "Hughes", "Cooper", "Brooks", "Fletcher", "Hayes", "Lawson"), (
        "London", "Manchester", "Leeds", "Bristol", "Glasgow", "Dublin", "New York", "Austin",
        "Portland", "Chicago", "Denver", "Toronto", "Sydney", "Melbourne", "Auckland", "Seattle",
        "Brighton", "Edinburgh", "Cardiff", "Vancouver"), ("en", 1.0)),
    "spanish": (9, (
        "Lucía", "Sofía", "María", "Martina", "Paula", "Valentina", "Carmen", "Elena", "Alba",
        "Daniela", "Camila", "Ximena", "Isabel", "Marta", "Julia", "Renata"), (
        "Hugo", "Pablo", "Alejandro", "Javier", "Diego", "Mateo", "Carlos", "Sergio", "Andrés",
        "Miguel", "Jorge", "Álvaro", "Santiago", "Luis", "Nicolás"), (
        "García", "Martínez", "López", "Sánchez", "González", "Rodríguez", "Fernández", "Pérez",
        "Gómez", "Díaz", "Ruiz", "Hernández", "Jiménez", "Moreno", "Romero", "Torres", "Vargas",
        "Castillo", "Ortega", "Navarro"), (
        "Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga", "Ciudad de México",
        "Buenos Aires", "Bogotá", "Lima", "Santiago", "Guadalajara", "Montevideo", "Medellín"),
        ("es", 0.45)),
    "german": (7, (
        "Anna", "Lena", "Lea", "Hannah", "Laura", "Julia", "Sophie", "Katharina", "Johanna",
        "Miriam", "Sarah", "Clara", "Franziska", "Nina", "Greta"), (
        "Jonas", "Lukas", "Leon", "Felix", "Maximilian", "Paul", "Tobias", "Jan", "Niklas",
        "Florian", "Moritz", "Sebastian", "Matthias", "Stefan", "Jannik"), (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Zimmermann", "Braun", "Krüger", "Hartmann"), (
        "Berlin", "Hamburg", "München", "Köln", "Leipzig", "Frankfurt", "Stuttgart", "Wien",
        "Zürich", "Dresden", "Bremen", "Graz"), ("de", 0.45)),
    "french": (7, (
        "Camille", "Léa", "Manon", "Chloé", "Inès", "Louise", "Juliette", "Clémence", "Pauline",
        "Margaux", "Élodie", "Amélie", "Lucie", "Anaïs"), (
        "Lucas", "Hugo", "Louis", "Théo", "Antoine", "Maxime", "Julien", "Nicolas", "Mathieu",
        "Baptiste", "Romain", "Étienne", "Quentin", "Arthur"), (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Girard", "Bonnet"), (
        "Paris", "Lyon", "Marseille", "Bordeaux", "Lille", "Nantes", "Toulouse", "Montréal",
        "Bruxelles", "Genève", "Strasbourg", "Rennes"), ("fr", 0.45)),
    "italian": (5, (
        "Giulia", "Chiara", "Francesca", "Sara", "Martina", "Alessia", "Federica", "Valentina",
        "Elisa", "Giorgia", "Silvia"), (
        "Marco", "Luca", "Matteo", "Alessandro", "Lorenzo", "Andrea", "Davide", "Francesco",
        "Simone", "Giorgio", "Stefano", "Riccardo"), (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini",
        "Rizzo", "Lombardi", "Moretti"), (
        "Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Palermo", "Genova",
        "Verona", "Bari"), ("en", 1.0)),
    "portuguese": (7, (
        "Ana", "Beatriz", "Mariana", "Gabriela", "Larissa", "Juliana", "Fernanda", "Inês",
        "Leonor", "Carolina", "Letícia", "Camila", "Bruna"), (
        "João", "Pedro", "Gabriel", "Lucas", "Rafael", "Tiago", "Gustavo", "Bruno", "Felipe",
        "Rodrigo", "Diogo", "Thiago", "Vinícius"), (
        "Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Ferreira", "Rodrigues",
        "Almeida", "Carvalho", "Lima", "Gomes", "Ribeiro", "Martins", "Rocha", "Alves",
        "Barbosa", "Nascimento", "Cardoso", "Teixeira"), (
        "Lisboa", "Porto", "São Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba", "Recife",
        "Salvador", "Porto Alegre", "Coimbra", "Fortaleza", "Brasília"), ("pt", 0.5)),
    "polish": (4, (
        "Zuzanna", "Julia", "Maja", "Zofia", "Hanna", "Aleksandra", "Natalia", "Agnieszka",
        "Katarzyna", "Magdalena", "Karolina", "Ewa"), (
        "Jakub", "Kacper", "Szymon", "Filip", "Mateusz", "Michał", "Piotr", "Tomasz",
        "Krzysztof", "Paweł", "Bartosz", "Wojciech"), (
        "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
        "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk"), (
        "Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań", "Łódź", "Katowice", "Lublin"),
        ("en", 1.0)),
    "turkish": (4, (
        "Zeynep", "Elif", "Ayşe", "Defne", "Ecrin", "Merve", "Büşra", "Selin", "Esra", "Derya",
        "Nazlı"), (
        "Emre", "Mehmet", "Mustafa", "Ahmet", "Burak", "Can", "Kerem", "Yusuf", "Murat", "Onur",
        "Arda", "Emir"), (
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
        "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Koç", "Kurt"), (
        "İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Eskişehir", "Berlin"), ("en", 1.0)),
    "arabic": (5, (
        "Fatima", "Aisha", "Layla", "Mariam", "Noor", "Yasmin", "Huda", "Salma", "Amira",
        "Rania", "Hana", "Dina", "Lina"), (
        "Omar", "Ahmed", "Youssef", "Khalid", "Hassan", "Ali", "Karim", "Tariq", "Samir",
        "Ibrahim", "Hamza", "Bilal", "Zaid"), (
        "Haddad", "Khalil", "Nasser", "Saleh", "Mansour", "Hamdan", "Farah", "Aziz", "Rahman",
        "El-Amin", "Mahmoud", "Al-Sayed", "Darwish", "Karam", "Bakr", "Sabbagh"), (
        "Dubai", "Amman", "Beirut", "Cairo", "Casablanca", "Doha", "Riyadh", "Tunis",
        "Abu Dhabi", "Marrakesh", "Paris", "Manchester"), ("en", 1.0)),
    "indian": (8, (
        "Priya", "Ananya", "Aditi", "Kavya", "Diya", "Isha", "Meera", "Neha", "Pooja", "Riya",
        "Sneha", "Shreya", "Nisha", "Maya"), (
        "Arjun", "Rohan", "Aarav", "Vikram", "Rahul", "Karan", "Aditya", "Siddharth", "Ishaan",
        "Dev", "Nikhil", "Amit", "Ravi", "Varun"), (
        "Patel", "Sharma", "Singh", "Gupta", "Kumar", "Iyer", "Reddy", "Nair", "Mehta", "Joshi",
        "Shah", "Desai", "Rao", "Kapoor", "Malhotra", "Verma", "Agarwal", "Bose", "Chopra",
        "Pillai"), (
        "Mumbai", "Delhi", "Bengaluru", "Pune", "Hyderabad", "Chennai", "Kolkata", "Jaipur",
        "Kochi", "London", "Leicester", "Toronto"), ("en", 1.0)),
    "japanese": (5, (
        "Yui", "Sakura", "Aoi", "Hina", "Yuna", "Mei", "Rin", "Haruka", "Misaki", "Nanami", "Emi",
        "Akari", "Yuki"), (
        "Haruto", "Sota", "Yuto", "Ren", "Kaito", "Riku", "Hiroshi", "Takumi", "Kenji", "Daiki",
        "Shota", "Yuma", "Takeshi"), (
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
        "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura",
        "Hayashi", "Shimizu"), (
        "Tokyo", "Osaka", "Kyoto", "Yokohama", "Sapporo", "Fukuoka", "Nagoya", "Kobe"),
        ("en", 1.0)),
    "nigerian": (5, (
        "Chioma", "Adaeze", "Ngozi", "Funmilayo", "Temitope", "Amaka", "Ifeoma", "Folake",
        "Yetunde", "Zainab", "Blessing", "Chiamaka", "Tolu"), (
        "Chinedu", "Emeka", "Oluwaseun", "Tunde", "Femi", "Ikenna", "Obinna", "Segun", "Kelechi",
        "Chukwuma", "Ayodele", "Babatunde", "Uche", "Dayo"), (
        "Okafor", "Adeyemi", "Okonkwo", "Eze", "Nwosu", "Balogun", "Ogunleye", "Adebayo", "Obi",
        "Okeke", "Afolabi", "Nnamdi", "Ibekwe", "Olawale", "Bello", "Adewale"), (
        "Lagos", "Abuja", "Ibadan", "Port Harcourt", "Enugu", "London", "Houston", "Accra"),
        ("en", 1.0)),
    "korean": (3, (
        "Ji-woo", "Seo-yeon", "Min-ji", "Ha-eun", "Soo-ah", "Yuna", "Jiyoung"), (
        "Min-jun", "Seo-jun", "Ji-ho", "Do-yun", "Hyun-woo", "Jae", "Sung-min"), (
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim"), (
        "Seoul", "Busan", "Incheon", "Los Angeles", "Toronto"), ("en", 1.0)),
    "chinese": (3, (
        "Mei", "Xinyi", "Yuxuan", "Lin", "Jing", "Wen", "Xiaoling", "Yan"), (
        "Wei", "Hao", "Jun", "Zihan", "Haoran", "Ming", "Jian", "Lei"), (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Lin", "Xu"), (
        "Shanghai", "Taipei", "Singapore", "Hong Kong", "Vancouver", "Sydney", "San Francisco"),
        ("en", 1.0)),
    "nordic": (3, (
        "Freja", "Ingrid", "Astrid", "Saga", "Elsa", "Maja", "Sigrid", "Linnea"), (
        "Erik", "Lars", "Anders", "Magnus", "Oskar", "Nils", "Henrik", "Emil"), (
        "Johansson", "Andersson", "Nilsson", "Larsen", "Hansen", "Jensen", "Berg", "Lindqvist",
        "Nielsen", "Eriksson"), (
        "Stockholm", "Oslo", "Copenhagen", "Göteborg", "Helsinki", "Bergen", "Malmö"),
        ("en", 1.0)),
    "dutch": (3, (
        "Sanne", "Fleur", "Lotte", "Eva", "Anouk", "Noor", "Femke", "Iris"), (
        "Daan", "Sem", "Bram", "Thijs", "Ruben", "Jesse", "Lars", "Joris"), (
        "de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit", "Meijer",
        "de Boer", "Mulder", "Peeters", "Janssens"), (
        "Amsterdam", "Utrecht", "Rotterdam", "Den Haag", "Antwerpen", "Gent", "Eindhoven"),
        ("en", 1.0)),
}
_CULTURE_NAMES = tuple(_CULTURES)
_CULTURE_CUM = _cum(v[0] for v in _CULTURES.values())

# --------------------------------------------------------------------------------------------
# Niches: what people talk about, in our own words
# --------------------------------------------------------------------------------------------

_NICHE_DATA: dict[str, dict] = {
    "baking": dict(
        title="Baking", topic="baking",
        tags=("baking", "sourdough", "homebaking", "bread", "cake", "pastry"),
        handle_words=("bakes", "crumbs", "dough", "loaves", "bakery"),
        short=("home baker", "bread nerd", "cake decorator", "pastry chef in training",
               "sourdough obsessive", "self-taught baker"),
        bio_i=("I bake sourdough in my tiny {city} kitchen",
               "home baker, professional flour-on-everything person",
               "baking my way through every cookbook I own",
               "I make cakes that are too pretty to eat (eat them anyway)",
               "self-taught baker sharing the bakes that actually work",
               "I post bread. that's it, that's the baking account",
               "weekend baker, weekday {job}",
               "learning laminated dough one butter disaster at a time"),
        nouns=("sourdough loaf", "croissants", "banana bread", "cinnamon rolls", "focaccia",
               "lemon drizzle", "babka", "brown butter cookies", "birthday cake", "bagels"),
        post_i=("Finally nailed the crumb on this week's {noun} 🥖",
                "{noun} attempt number four. Getting closer!",
                "Made {noun} at 6am because the toddler woke me up anyway",
                "My starter is more reliable than my oven, honestly",
                "Tried a new recipe for {noun} today and I'm never going back",
                "Testing a lower hydration dough this week, I'll report back",
                "The {noun} collapsed but it tastes incredible so who cares",
                "Kitchen smells like {noun} and I'm not sharing",
                "Three days of prep for one batch of {noun}. Worth it? Absolutely.",
                "First time using rye flour, thoughts on my {noun}?",
                "What's your go-to recipe for {noun}? Mine keeps coming out dense"),
        situations=("open the oven door five minutes too early",
                    "forget to feed your starter again",
                    "run out of butter halfway through a recipe",
                    "see 'easy' on a recipe that takes three days",
                    "get asked if you bought the cake"),
        facts=("Sourdough gets its tang from lactic and acetic acids made by wild bacteria.",
               "Baking soda needs an acid to react; baking powder already contains one.",
               "Bread flour has more protein than cake flour, which means more gluten and chew.",
               "Cold butter makes flakier pastry because it turns to steam in the oven.",
               "A croissant can have more than 50 layers of butter and dough."),
        headlines=("Flour prices rise for the third month running",
                   "Sourdough classes see record sign-ups this autumn",
                   "Bakery chain announces 20 new locations",
                   "Survey: banana bread is still the nation's favourite home bake",
                   "Home baking equipment sales cool after years of growth"),
        products=("flour", "bread knife", "proofing basket", "cake tin", "stand mixer",
                  "vanilla extract"),
        brand_words=("Bakehouse", "Flour Mill", "Bread Co.", "Baking Supply"),
        emoji=("🍞", "🥐", "🧁", "🍰", "🥖"),
        langs={"es": ("repostería casera", "horneo pan de masa madre los domingos"),
               "de": ("Backen", "ich backe Sauerteigbrot in meiner kleinen Küche"),
               "fr": ("la pâtisserie maison", "je fais du pain au levain"),
               "pt": ("confeitaria caseira", "faço pão de fermentação natural")},
    ),
    "vegan food": dict(
        title="Vegan", topic="vegan food",
        tags=("vegan", "plantbased", "veganfood", "veganrecipes", "whatveganseat"),
        handle_words=("eatsplants", "vegan", "plantbased", "greens", "veg"),
        short=("plant-based cook", "vegan for 6 years", "recipe developer", "tofu evangelist",
               "vegan foodie"),
        bio_i=("I cook easy vegan food for people who think they hate vegan food",
               "plant-based recipes from my {city} kitchen 🌱",
               "vegan since 2018, still learning new tricks",
               "I make the vegan version of whatever you're craving",
               "cooking cheap, tasty plant-based meals on a student budget",
               "vegan food, zero lectures"),
        nouns=("lentil curry", "tofu scramble", "chickpea salad", "mushroom stroganoff",
               "oat milk latte", "jackfruit tacos", "vegan lasagne", "peanut noodles",
               "cashew cheese", "black bean burgers"),
        post_i=("Made {noun} tonight and my meat-eating flatmate asked for seconds 😌",
                "15-minute {noun} for when you can't be bothered",
                "Meal prep Sunday: {noun} for days",
                "Tried three brands of tofu so you don't have to. Results below.",
                "Nobody believes me that this {noun} is vegan",
                "My {noun} experiment went wrong but the sauce was elite",
                "Cheap eats this week: {noun} for under 2 quid a portion",
                "Is it just me or is {noun} better the next day?"),
        situations=("tell your family the lasagne was vegan after they loved it",
                    "get asked where you get your protein for the 400th time",
                    "find an unexpected vegan option on a menu",
                    "read the ingredients of everything in the shop"),
        facts=("Lentils contain about 9 grams of protein per 100 grams cooked.",
               "Cashew nuts grow attached to the bottom of a fruit called the cashew apple.",
               "Tofu was first made in China more than 2,000 years ago.",
               "Nutritional yeast is a common source of vitamin B12 in plant-based diets.",
               "Chickpea cooking water, aquafaba, can be whipped like egg whites."),
        headlines=("Plant-based milk sales overtake butter in new report",
                   "Supermarkets expand vegan ranges for the winter season",
                   "City council trials meat-free school lunches",
                   "New study looks at long-term plant-based diets",
                   "Vegan restaurant wins regional food award"),
        products=("oat milk", "tofu", "plant protein", "vegan cheese", "meal kit"),
        brand_words=("Plant Kitchen", "Oat Co.", "Greens", "Vegan Pantry"),
        emoji=("🌱", "🥑", "🥦", "🌿", "🍜"),
        langs={"es": ("cocina vegana", "cocino recetas veganas fáciles"),
               "de": ("vegane Küche", "ich koche einfache vegane Rezepte"),
               "fr": ("la cuisine vegan", "je cuisine vegan et facile"),
               "pt": ("comida vegana", "cozinho receitas veganas simples")},
    ),
    "fitness": dict(
        title="Fitness", topic="fitness",
        tags=("fitness", "running", "gym", "strengthtraining", "workout", "marathon"),
        handle_words=("lifts", "runs", "fit", "moves", "trains"),
        short=("runner", "personal trainer", "powerlifter", "marathon finisher", "yoga teacher",
               "gym rat"),
        bio_i=("I run slowly and lift heavy things",
               "personal trainer helping busy parents get strong",
               "training for my first marathon, documenting everything",
               "I lift, I run, I eat a lot of oats",
               "certified PT in {city}, sharing workouts that fit a lunch break",
               "from couch to 10k in a year, now I won't shut up about running"),
        nouns=("5k", "leg day", "deadlift PR", "long run", "HIIT session", "mobility routine",
               "half marathon", "pull-up", "morning run", "strength block"),
        post_i=("New {noun} today! Slow progress is still progress 💪",
                "First {noun} since the injury. Cried a little, not gonna lie",
                "Rain, wind, 6am. {noun} done anyway.",
                "Reminder that rest days are part of training",
                "Programme update: week 6 of my {noun} block and my knees are fine for once",
                "Anyone else find the {noun} harder in winter?",
                "Tried a new {noun} today and I can't feel my legs",
                "My watch says I'm unproductive. My legs say otherwise."),
        situations=("skip leg day and the stairs remember",
                    "forget your headphones at the gym",
                    "run past someone you know mid-sprint",
                    "say 'just one more set'"),
        facts=("Muscles don't grow during a workout but during recovery afterwards.",
               "The marathon distance was fixed at 42.195 km at the 1908 London Olympics.",
               "Walking 10,000 steps a day started as a marketing slogan for a pedometer.",
               "Your heart pumps around 7,000 litres of blood a day.",
               "Sleep is one of the strongest predictors of athletic recovery."),
        headlines=("City marathon sells out in record time",
                   "Gym memberships climb as winter approaches",
                   "New research questions the 10,000 steps rule",
                   "Parkrun celebrates another milestone weekend",
                   "Strength training recommended for all ages in new guidance"),
        products=("running shoes", "protein powder", "resistance bands", "gym bag",
                  "fitness tracker"),
        brand_words=("Athletics", "Fitness Club", "Activewear", "Sports Nutrition"),
        emoji=("💪", "🏃‍♀️", "🏋️", "🔥", "🧘"),
        langs={"es": ("el deporte", "corro y entreno cada mañana"),
               "de": ("Fitness", "ich laufe und trainiere jeden Morgen"),
               "fr": ("le sport", "je cours et je m'entraîne chaque matin"),
               "pt": ("treino", "corro e treino todas as manhãs")},
    ),
    "travel": dict(
        title="Travel", topic="travel",
        tags=("travel", "wanderlust", "travelphotography", "slowtravel", "backpacking"),
        handle_words=("travels", "wanders", "abroad", "roams", "outandabout"),
        short=("slow traveller", "backpacker", "travel writer", "digital nomad",
               "30 countries and counting"),
        bio_i=("I travel slowly and eat everything",
               "quit my job in {city} to travel for a year, still going",
               "budget travel tips from someone who's missed a lot of trains",
               "I write about small towns nobody puts on a list",
               "exploring the world one overnight train at a time",
               "weekends away from {city}, on a teacher's salary"),
        nouns=("night train", "hostel", "mountain village", "island", "road trip",
               "city break", "hike", "coastal walk", "market", "old town"),
        post_i=("This {noun} was not on my list and it's now my favourite place",
                "Missed my connection, found the best {noun} by accident",
                "Packing light is a lie I tell myself every trip",
                "Three days in a {noun} and I already want to move here",
                "Travel tip: always check the last bus time before the {noun}",
                "Currently sitting in a {noun} with terrible wifi and zero regrets",
                "Where should I go next? Thinking a {noun} somewhere warm",
                "Spent more on snacks than on the {noun} itself"),
        situations=("check your passport for the 12th time before the airport",
                    "finally sit down on a long flight and the person next to you starts talking",
                    "come home and your bank app asks if you're ok",
                    "book the cheapest flight and it leaves at 5am"),
        facts=("France is the most visited country in the world by international arrivals.",
               "The longest scheduled passenger train journey takes about a week.",
               "Iceland has no native mosquitoes.",
               "There are more than 17,000 islands in Indonesia.",
               "Canada has the longest coastline of any country."),
        headlines=("Airlines add new winter routes to southern Europe",
                   "Rail passes see surge in demand among young travellers",
                   "Popular city introduces tourist day tax",
                   "Passport processing times fall ahead of holiday season",
                   "Survey names the most underrated cities for a weekend away"),
        products=("backpack", "travel insurance", "packing cubes", "rail pass", "suitcase"),
        brand_words=("Travel Co.", "Adventures", "Luggage", "Hostels"),
        emoji=("✈️", "🌍", "🏔️", "🧳", "🗺️"),
        langs={"es": ("los viajes", "viajo despacio y como de todo"),
               "de": ("Reisen", "ich reise langsam und esse alles"),
               "fr": ("les voyages", "je voyage lentement et je goûte à tout"),
               "pt": ("viagens", "viajo devagar e como de tudo")},
    ),
    "gaming": dict(
        title="Gaming", topic="gaming",
        tags=("gaming", "videogames", "indiegames", "streamer", "retrogaming", "cozygames"),
        handle_words=("plays", "games", "gg", "pixel", "respawn"),
        short=("streamer", "cozy gamer", "indie dev", "retro collector", "speedrunner",
               "casual gamer"),
        bio_i=("I play cozy games and pretend it counts as self-care",
               "streaming 3x a week, mostly indie games and chaos",
               "retro game collector, my shelf is a fire hazard",
               "I review indie games nobody else has heard of",
               "making a small game in my spare time, posting progress",
               "gamer since the first handheld I got for my 7th birthday"),
        nouns=("indie game", "boss fight", "speedrun", "stream", "co-op session", "RPG",
               "farming sim", "retro cartridge", "roguelike", "demo"),
        post_i=("Finally beat that {noun} after 40 attempts 😭",
                "Streaming tonight at 8! We're trying a new {noun}",
                "Hot take: this {noun} is better than the sequel",
                "Found a {noun} at a car boot sale for a quid, still works",
                "Dev log: added rain to my {noun}. It took three days.",
                "Anyone got a cozy {noun} recommendation for a long weekend?",
                "Lost my save file. I need a minute.",
                "The {noun} soundtrack has been on repeat all week"),
        situations=("say 'one more game' at 1am", "lose your save after 30 hours",
                    "get carried by a random teammate", "open an old game and forget every control"),
        facts=("The first commercial video game arcade cabinet appeared in 1971.",
               "Some early cartridges had to be blown into only because of dusty contacts.",
               "The best-selling video game of all time has sold over 300 million copies.",
               "Speedrunners sometimes use glitches to skip whole levels.",
               "Many early game sounds were made with only a few audio channels."),
        headlines=("Indie studio's debut hits one million players",
                   "Console price rises announced ahead of the holidays",
                   "Game awards shortlist revealed",
                   "Retro game prices climb at auction",
                   "Major publisher delays sequel to next year"),
        products=("controller", "gaming headset", "mechanical keyboard", "gaming chair",
                  "capture card"),
        brand_words=("Games", "Studios", "Controllers", "Gaming Gear"),
        emoji=("🎮", "👾", "🕹️", "🎧", "⚔️"),
        langs={"es": ("los videojuegos", "juego a todo lo que tenga mando"),
               "de": ("Gaming", "ich spiele alles mit einem Controller"),
               "fr": ("les jeux vidéo", "je joue à tout ce qui a une manette"),
               "pt": ("games", "jogo tudo que tem controle")},
    ),
    "fashion": dict(
        title="Fashion", topic="fashion",
        tags=("fashion", "ootd", "style", "thrifting", "slowfashion", "outfit"),
        handle_words=("style", "wears", "closet", "fits", "wardrobe"),
        short=("thrifter", "stylist", "slow fashion fan", "vintage hunter", "personal shopper"),
        bio_i=("I thrift almost everything I wear",
               "daily outfits from a {city} commute",
               "stylist sharing how to rewear what you already own",
               "vintage hunter with too many coats",
               "capsule wardrobe attempt number 7",
               "petite fashion, because nothing fits off the rack"),
        nouns=("vintage coat", "charity shop find", "capsule wardrobe", "linen shirt",
               "wide-leg trousers", "knit", "denim jacket", "office outfit", "boots",
               "thrift haul"),
        post_i=("Today's outfit, built around a {noun} I found for 6 quid",
                "Rewearing this {noun} for the 40th time and I'm not sorry",
                "Thrift haul! The {noun} was the real win",
                "How do you style a {noun} for winter? Asking for me",
                "Tried the {noun} trend. Verdict: comfy, slightly ridiculous",
                "Monday office fit, nothing new, everything loved",
                "Finally tailored my {noun} and it changed my life",
                "Saw someone wearing the same {noun} as me and we just nodded"),
        situations=("say 'I have nothing to wear' in front of a full wardrobe",
                    "find the perfect coat and it's not your size",
                    "get complimented on a 3-quid charity shop find"),
        facts=("Jeans were originally designed as workwear for miners.",
               "The little pocket in jeans was made for pocket watches.",
               "It takes around 2,700 litres of water to make one cotton T-shirt.",
               "High heels were first worn by men, as riding footwear.",
               "The tie became widespread after soldiers wore cravats in the 17th century."),
        headlines=("Second-hand clothing market keeps growing",
                   "Fashion week schedule announced",
                   "Retailer pledges to cut textile waste by half",
                   "Vintage denim prices soar",
                   "Repair cafés see more visitors than ever"),
        products=("coat", "tote bag", "sneakers", "knitwear", "jeans", "scarf"),
        brand_words=("Apparel", "Denim", "Boutique", "Studio"),
        emoji=("👗", "🧥", "👠", "🛍️", "✨"),
        langs={"es": ("la moda", "compro casi toda mi ropa de segunda mano"),
               "de": ("Mode", "ich kaufe fast alles secondhand"),
               "fr": ("la mode", "je chine presque tout ce que je porte"),
               "pt": ("moda", "compro quase tudo em brechó")},
    ),
    "beauty": dict(
        title="Beauty", topic="beauty",
        tags=("beauty", "skincare", "makeup", "makeuptutorial", "skincareroutine"),
        handle_words=("glow", "beauty", "makeup", "skin", "glam"),
        short=("MUA", "skincare nerd", "makeup artist", "esthetician", "nail tech"),
        bio_i=("honest skincare reviews for sensitive skin",
               "makeup artist in {city}, sharing everyday looks",
               "I test drugstore makeup so you don't waste your money",
               "esthetician by day, skincare chemistry nerd by night",
               "I talk about skincare way too much",
               "bridal MUA, teaching you the 5-minute face"),
        nouns=("moisturiser", "sunscreen", "lip tint", "foundation", "serum", "cleanser",
               "eyeliner", "blush", "night routine", "mascara"),
        post_i=("Two weeks testing this {noun}, honest thoughts below",
                "My 5-minute face for school runs, mostly {noun}",
                "Repeat after me: wear your {noun} every day",
                "This {noun} is a dupe for something three times the price",
                "My skin has been awful this week, going back to basics",
                "Rating every {noun} in my drawer, part 2",
                "The {noun} that finally didn't break me out",
                "What's the one {noun} you'd rebuy forever?"),
        situations=("spend 40 minutes on winged liner and it's still uneven",
                    "find your holy grail product and it gets discontinued",
                    "forget you're wearing mascara and rub your eyes"),
        facts=("Skin is the largest organ of the human body.",
               "SPF measures protection mainly from UVB rays, not UVA.",
               "Ancient Egyptians used crushed minerals as eye makeup.",
               "Your skin renews its outer layer roughly every month.",
               "Lipstick was once made with crushed insects for its red colour."),
        headlines=("Regulators review sunscreen labelling rules",
                   "Beauty retailer opens flagship store",
                   "Skincare brand recalls batch over packaging fault",
                   "Refillable makeup gains ground",
                   "Survey: shoppers want fewer, simpler products"),
        products=("serum", "sunscreen", "lip balm", "cleanser", "palette", "moisturiser"),
        brand_words=("Skincare", "Cosmetics", "Beauty Lab", "Botanics"),
        emoji=("💄", "✨", "🧴", "💅", "🌸"),
        langs={"es": ("la belleza", "hablo de maquillaje y skincare"),
               "de": ("Beauty", "ich teste Hautpflege für empfindliche Haut"),
               "fr": ("la beauté", "je teste le maquillage et le soin"),
               "pt": ("beleza", "falo de maquiagem e skincare")},
    ),
    "tech": dict(
        title="Tech", topic="tech",
        tags=("tech", "programming", "opensource", "python", "webdev", "gadgets"),
        handle_words=("codes", "dev", "builds", "tech", "hacks"),
        short=("software engineer", "open source maintainer", "frontend dev", "sysadmin",
               "gadget reviewer", "data nerd"),
        bio_i=("I write code and occasionally it works",
               "backend engineer in {city}, posting about Python and bad decisions",
               "I review gadgets I actually bought with my own money",
               "open source maintainer, tea drinker, keyboard collector",
               "teaching myself to code at 40, one bug at a time",
               "I build small tools and explain how they work"),
        nouns=("side project", "keyboard", "home server", "Python script", "bug", "laptop",
               "CLI tool", "pull request", "Raspberry Pi", "refactor"),
        post_i=("Spent four hours on a {noun} and the fix was one line",
                "New {noun} day! First impressions in the thread",
                "Finally shipped my {noun} after months of procrastinating",
                "Hot take: your {noun} doesn't need a framework",
                "Today I learned something embarrassing about my own {noun}",
                "Reviewing my first {noun} from a stranger and it's better than my code",
                "The {noun} is running on an old laptop in my cupboard and I love it",
                "What's your favourite tiny {noun}? Looking for ideas"),
        situations=("fix a bug and create three more",
                    "push to main on a Friday afternoon",
                    "explain your job to your parents again",
                    "find your own answer from years ago on a forum"),
        facts=("The first computer bug was a real moth found in a relay in 1947.",
               "The first website went online in 1991.",
               "The QWERTY layout was designed for typewriters in the 1870s.",
               "A modern phone has more computing power than the Apollo guidance computer.",
               "Python is named after a comedy group, not the snake."),
        headlines=("Major cloud outage disrupts services for hours",
                   "Open source project gets new funding",
                   "Smartphone maker unveils new repairable design",
                   "Regulators target app store rules",
                   "New programming language release brings speed gains"),
        products=("laptop stand", "mechanical keyboard", "USB-C hub", "monitor", "VPN",
                  "headphones"),
        brand_words=("Labs", "Software", "Devices", "Cloud"),
        emoji=("💻", "⌨️", "🤖", "🛠️", "📱"),
        langs={"es": ("la tecnología", "programo y reviso gadgets"),
               "de": ("Technik", "ich programmiere und teste Gadgets"),
               "fr": ("la tech", "je code et je teste des gadgets"),
               "pt": ("tecnologia", "programo e testo gadgets")},
    ),
    "gardening": dict(
        title="Garden", topic="gardening",
        tags=("gardening", "allotment", "growyourown", "houseplants", "gardenlife"),
        handle_words=("grows", "garden", "plants", "allotment", "seedlings"),
        short=("allotment keeper", "plant parent", "gardener", "balcony grower", "seed saver"),
        bio_i=("I grow too many tomatoes on a tiny {city} allotment",
               "plant parent to 74 houseplants and counting",
               "balcony gardener proving you don't need a garden",
               "no-dig gardening, compost and patience",
               "learning to grow food one failed harvest at a time",
               "retired {job} who now talks to courgettes"),
        nouns=("tomatoes", "courgettes", "monstera", "seedlings", "compost heap", "raised bed",
               "dahlias", "chillies", "herb garden", "sweet peas"),
        post_i=("First {noun} of the year and I'm unreasonably proud",
                "The slugs found my {noun}. We are at war.",
                "Allotment update: {noun} doing great, everything else questionable",
                "Repotted the {noun} and it immediately sulked",
                "Anyone know why my {noun} leaves are going yellow?",
                "Harvest basket today: mostly {noun}, some hope",
                "Spent all Sunday on the {noun}, back hurts, heart full",
                "Seed catalogue arrived, I have no self-control"),
        situations=("buy another plant when you said you wouldn't",
                    "forget what you planted where",
                    "water the plant you already watered yesterday"),
        facts=("Tomatoes were once thought to be poisonous in parts of Europe.",
               "A single sunflower head can hold up to 2,000 seeds.",
               "Earthworms can eat their own body weight in soil every day.",
               "Some seeds can stay viable for hundreds of years.",
               "Bamboo is among the fastest-growing plants on Earth."),
        headlines=("Allotment waiting lists hit new high",
                   "Hosepipe ban lifted after wet autumn",
                   "Flower show crowns best small garden",
                   "Garden centres report houseplant slowdown",
                   "Councils encourage wildflower verges"),
        products=("seed kit", "compost", "watering can", "pruning shears", "grow light"),
        brand_words=("Seeds", "Garden Centre", "Nursery", "Garden Tools"),
        emoji=("🌱", "🌻", "🍅", "🪴", "🌿"),
        langs={"es": ("el huerto", "cultivo mi huerto urbano"),
               "de": ("Gärtnern", "ich gärtnere auf meinem Balkon"),
               "fr": ("le jardinage", "je jardine sur mon petit balcon"),
               "pt": ("jardinagem", "cuido da minha horta na varanda")},
    ),
    "parenting": dict(
        title="Parenting", topic="parenting",
        tags=("parenting", "momlife", "dadlife", "toddlers", "familylife"),
        handle_words=("family", "parenting", "littles", "household", "homelife"),
        short=("parent", "sleep-deprived", "toddler wrangler", "school-run survivor",
               "foster carer"),
        bio_i=("honest parenting, no perfect pictures",
               "raising two small humans in {city}",
               "I write about toddlers, tantrums and tiny wins",
               "parenting with ADHD, sharing what helps",
               "working parent trying to do it all (not doing it all)",
               "we're a family of 4 living in a van, homeschooling on the road"),
        nouns=("bedtime", "school run", "toddler tantrum", "packed lunch", "nap",
               "rainy day activity", "first day of school", "sibling fight", "bath time",
               "screen time"),
        post_i=("{noun} took 2 hours tonight. I am a shell.",
                "Small win: the {noun} went fine and nobody cried (including me)",
                "My toddler has opinions about every {noun} and they're all wrong",
                "Cheap {noun} idea that kept them busy for a whole hour",
                "Nobody warned me about the {noun}",
                "How do you handle {noun}? Asking for a tired friend (me)",
                "We survived the {noun}. Celebrating with cold coffee.",
                "My kid just said something so wise I need to write it down"),
        situations=("finally sit down and hear 'mum' from upstairs",
                    "step on a toy brick in the dark",
                    "make the same dinner they loved yesterday and now they hate it"),
        facts=("Babies are born with around 300 bones; adults have 206.",
               "Toddlers ask hundreds of questions a day.",
               "Newborns can only see about 20-30 cm clearly.",
               "Children often learn a second language more easily before age 10.",
               "Laughter appears in babies as early as three months."),
        headlines=("Childcare costs rise again, report finds",
                   "Schools trial later start times",
                   "New guidance on screen time for under-fives",
                   "Parental leave changes come into force",
                   "Survey: parents spend more time on homework help"),
        products=("baby carrier", "pushchair", "kids' books", "lunchbox", "sleep sack"),
        brand_words=("Baby", "Kids", "Toys", "Little Ones"),
        emoji=("👶", "🧸", "🍼", "👨‍👩‍👧", "💛"),
        langs={"es": ("la crianza", "crío a dos peques sin filtros"),
               "de": ("Familienleben", "ich ziehe zwei kleine Menschen groß"),
               "fr": ("la parentalité", "j'élève deux petits humains"),
               "pt": ("maternidade real", "crio dois pequenos sem filtro")},
    ),
    "books": dict(
        title="Book", topic="books",
        tags=("books", "booklover", "amreading", "bookrecommendations", "bookclub"),
        handle_words=("reads", "books", "shelf", "pages", "chapters"),
        short=("bookworm", "librarian", "book reviewer", "fantasy reader", "writer"),
        bio_i=("I read mostly fantasy and cry at the end of every series",
               "librarian in {city}, reviewing what I read on my lunch break",
               "reading 100 books this year, probably",
               "I run a tiny book club and post honest reviews",
               "writer working on a first novel, reading everything meanwhile",
               "TBR pile taller than me"),
        nouns=("fantasy series", "thriller", "memoir", "audiobook", "book club pick",
               "secondhand paperback", "debut novel", "poetry collection", "classic",
               "library haul"),
        post_i=("Finished a {noun} in one sitting and now I'm useless",
                "Library haul! The {noun} I waited 4 months for finally came in",
                "This {noun} ruined me in the best way",
                "Unpopular opinion: the {noun} everyone loves was just ok",
                "Book club picked a {noun} and I'm the only one who finished it",
                "Currently reading a {noun} with a cup of tea and the heating on",
                "Give me your favourite {noun}, I'm in a slump",
                "Annotated my {noun} so hard the spine cracked"),
        situations=("say 'one more chapter' at midnight", "buy a book you already own",
                    "lend a book and never see it again"),
        facts=("The longest novel ever published has over a million words.",
               "Libraries in ancient Alexandria held hundreds of thousands of scrolls.",
               "The smell of old books comes from paper chemicals breaking down.",
               "The first printed book in Europe with movable type was made in the 1450s.",
               "Iceland publishes more books per person than most countries."),
        headlines=("Independent bookshops report best year in a decade",
                   "Literary prize shortlist announced",
                   "Library funding rises for the first time in years",
                   "Audiobook listening keeps growing",
                   "Debut novel tops bestseller chart"),
        products=("bookmark", "e-reader", "book subscription", "reading light", "tote"),
        brand_words=("Books", "Press", "Bookshop", "Publishing"),
        emoji=("📚", "📖", "☕", "🔖", "✍️"),
        langs={"es": ("los libros", "leo de todo y reseño lo que me gusta"),
               "de": ("Bücher", "ich lese alles und rezensiere ehrlich"),
               "fr": ("les livres", "je lis de tout et je partage mes avis"),
               "pt": ("livros", "leio de tudo e faço resenhas")},
    ),
    "photography": dict(
        title="Photo", topic="photography",
        tags=("photography", "filmphotography", "streetphotography", "landscape", "35mm"),
        handle_words=("shoots", "photo", "lens", "frames", "film"),
        short=("photographer", "film shooter", "street photographer", "wedding photographer",
               "hobby photographer"),
        bio_i=("I shoot film because I like waiting for things",
               "street photography from {city}",
               "wedding photographer by trade, landscape photographer by choice",
               "I take photos of ordinary streets at golden hour",
               "learning photography with a secondhand camera",
               "35mm, bad weather and good light"),
        nouns=("roll of film", "golden hour shot", "street portrait", "landscape",
               "old lens", "darkroom print", "foggy morning", "night shot", "wedding", "camera"),
        post_i=("Developed a {noun} from last summer, forgot what was on it",
                "Woke up at 5 for a {noun} and the sky did nothing",
                "Favourite {noun} from this week",
                "My secondhand {noun} cost less than lunch and I love it",
                "Edited this {noun} three times and went back to the original",
                "Tips for a {noun} in bad weather? Mine are always muddy",
                "Still thinking about this {noun}",
                "Printed my first {noun} big and it's on the wall now"),
        situations=("forget to take the lens cap off", "get the perfect shot and the card is full",
                    "wait an hour for the light and a bus parks in front"),
        facts=("The first photograph took several hours of exposure to make.",
               "The word photography comes from Greek words for light and drawing.",
               "Early camera flashes used burning magnesium powder.",
               "The golden hour is the hour after sunrise and before sunset.",
               "A 35mm film frame is 36 by 24 millimetres."),
        headlines=("Film photography sales climb again",
                   "Photo competition announces winners",
                   "Camera maker unveils compact model",
                   "Museum opens major photography retrospective",
                   "Street photography festival returns"),
        products=("camera strap", "film stock", "tripod", "lens", "camera bag"),
        brand_words=("Camera Co.", "Film Lab", "Optics", "Photo Supply"),
        emoji=("📷", "🎞️", "🌅", "📸", "🌫️"),
        langs={"es": ("la fotografía", "hago fotografía de calle"),
               "de": ("Fotografie", "ich fotografiere analog"),
               "fr": ("la photographie", "je fais de la photo argentique"),
               "pt": ("fotografia", "fotografo com filme")},
    ),
    "music": dict(
        title="Music", topic="music",
        tags=("music", "newmusic", "guitar", "singer", "songwriter", "vinyl"),
        handle_words=("music", "sings", "beats", "keys", "tunes"),
        short=("songwriter", "singer", "guitarist", "music teacher", "producer", "DJ"),
        bio_i=("I write sad songs about happy things",
               "singer-songwriter from {city}, new single out now",
               "music teacher by day, bedroom producer by night",
               "I play guitar badly and loudly",
               "vinyl collector, gig goer, occasional DJ",
               "making beats in my kitchen"),
        nouns=("new single", "gig", "demo", "guitar riff", "record", "open mic", "setlist",
               "vinyl find", "rehearsal", "song"),
        post_i=("Played my first {noun} in two years and my hands were shaking",
                "Working on a {noun} that won't leave my head",
                "Found a {noun} at the market for 3 quid, still plays",
                "The {noun} is out Friday and I'm terrified",
                "Practised the same {noun} for 2 hours, neighbours love me",
                "What's the last {noun} that made you cry?",
                "Rehearsal notes: the {noun} is getting there",
                "Recorded a {noun} on my phone in the stairwell, the reverb is free"),
        situations=("get a song stuck in your head for a week",
                    "tune your guitar and the string snaps",
                    "hit record and immediately forget the lyrics"),
        facts=("A piano has 88 keys: 52 white and 36 black.",
               "The oldest known musical instrument is a bone flute over 40,000 years old.",
               "Vinyl records spin at 33⅓ or 45 revolutions per minute.",
               "Music can raise dopamine levels in the brain.",
               "A standard guitar has six strings tuned E A D G B E."),
        headlines=("Vinyl sales hit highest level in decades",
                   "Festival lineup announced",
                   "Small venues warn of closures",
                   "Streaming payouts debated again",
                   "Music education funding boost confirmed"),
        products=("headphones", "guitar strings", "audio interface", "record player",
                  "microphone"),
        brand_words=("Records", "Guitars", "Audio", "Music Store"),
        emoji=("🎵", "🎸", "🎤", "🎹", "🎶"),
        langs={"es": ("la música", "escribo canciones y toco la guitarra"),
               "de": ("Musik", "ich schreibe Songs und spiele Gitarre"),
               "fr": ("la musique", "j'écris des chansons et je joue de la guitare"),
               "pt": ("música", "escrevo músicas e toco violão")},
    ),
    "pets": dict(
        title="Pet", topic="pets",
        tags=("pets", "dogsofbluesky", "catsofmastodon", "dogs", "cats", "caturday"),
        handle_words=("andthedog", "paws", "pets", "whiskers", "andcat"),
        short=("dog mum", "cat dad", "rescue volunteer", "dog trainer", "crazy cat person"),
        bio_i=("I mostly post my rescue dog, sorry in advance",
               "dog trainer in {city}, positive reinforcement only",
               "two cats, one brain cell between them",
               "fostering rescue dogs and falling in love every time",
               "my cat runs this account, I just type",
               "vet nurse sharing pet care tips"),
        nouns=("rescue dog", "cat", "puppy", "foster kitten", "walk", "vet visit",
               "dog park", "cat tree", "bath", "new toy"),
        post_i=("The {noun} learned a new trick and I'm so proud",
                "Took the {noun} to the beach and he ate a crab. We're fine.",
                "{noun} update: still chaotic, still perfect",
                "Our {noun} has decided the sofa is hers now",
                "Tips for a nervous {noun}? We've tried everything",
                "Adoption day anniversary with my {noun} 🥹",
                "The {noun} is asleep on my feet, so I can't move, sorry",
                "Said no to the {noun}. Got the eyes. Said yes."),
        situations=("hear the treat bag open from three rooms away",
                    "sit down and the cat sits on the keyboard",
                    "come home and the dog acts like you were gone for years"),
        facts=("Cats spend about two-thirds of their lives asleep.",
               "A dog's nose print is as unique as a human fingerprint.",
               "Cats can't taste sweetness.",
               "Dogs can understand around 150 words on average.",
               "A group of kittens is called a kindle."),
        headlines=("Animal shelters see rise in adoptions",
                   "New pet passport rules come into effect",
                   "Vet costs climb, survey finds",
                   "Dog-friendly offices on the rise",
                   "Charity launches winter appeal for rescue pets"),
        products=("pet food", "dog harness", "cat litter", "pet bed", "chew toy"),
        brand_words=("Pet Supply", "Pet Food", "Pet Care", "Paws Co."),
        emoji=("🐶", "🐱", "🐾", "🐕", "🐈"),
        langs={"es": ("las mascotas", "comparto la vida con mi perro adoptado"),
               "de": ("Haustiere", "ich teile mein Leben mit meinem Hund aus dem Tierheim"),
               "fr": ("les animaux", "je partage ma vie avec mon chien adopté"),
               "pt": ("pets", "divido a vida com meu cachorro adotado")},
    ),
}
NICHES = tuple(_NICHE_DATA)
# Some niches host some page kinds more than others.
_PAGE_NICHE_WEIGHTS = {
    "meme": {"gaming": 5, "fitness": 3, "pets": 4, "parenting": 3, "tech": 3, "books": 2},
    "facts": {"tech": 3, "travel": 3, "pets": 2, "books": 2, "music": 2},
    "repost": {"baking": 3, "travel": 4, "fashion": 3, "photography": 4, "vegan food": 3},
}

# --------------------------------------------------------------------------------------------
# Bio and post vocabulary
# --------------------------------------------------------------------------------------------

_JOBS = ("teacher", "nurse", "software engineer", "PhD student", "grad student", "midwife",
           "accountant", "designer", "barista", "physio", "marketing manager", "vet nurse",
           "architect", "paramedic", "librarian", "social worker", "student", "doctor")
_ROLES = {
    "f": ("mum of 2", "mom of three", "mama to two little ones", "wife", "dog mum", "auntie x5",
          "new mum", "girl mum", "boy mum"),
    "m": ("dad of 2", "father of three", "husband", "girl dad", "dog dad", "new dad",
          "uncle x4"),
    "n": ("parent of 2", "sibling", "cat parent", "auntie/uncle to many"),
}
_PRONOUNS = {"f": ("she/her",), "m": ("he/him",), "n": ("they/them", "she/they", "he/they")}
_HOBBIES = ("runner", "plant person", "coffee addict", "bookworm", "amateur photographer",
            "gamer", "cyclist", "climber", "swimmer", "tea drinker", "crossword fiend",
            "football fan", "knitter", "hiker", "film buff", "podcast addict")
_SEPS = (" | ", " • ", "\n", ". ", " · ", " ✦ ")
_SEPS_CUM = _cum((30, 12, 25, 18, 8, 3))
_EMOJI = ("✨", "🌱", "💛", "🌸", "☕", "🌿", "🔥", "🌻", "💫", "🤍", "🌊", "🍂", "🥹", "🙃")
_PAID_EN = ("paid collaborations only, rates in DM", "paid partnerships only 💼",
            "no free collabs, sorry!", "rates on request • paid work only",
            "I only do paid work, please don't ask for exposure")
_GIFT_EN = ("PR/gifting friendly 💌", "open to gifted collabs", "PR friendly ✨",
            "happy to try products 📦", "gifting & collabs welcome")
_EMAIL_PREFIX_EN = ("collabs: ", "📩 ", "business: ", "contact: ", "enquiries: ", "✉️ ", "")
_EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example", "inbox.example")

_LANG_ROLES = {
    "es": {"f": ("mamá de dos", "profe de primaria", "enfermera", "estudiante", "ingeniera"),
           "m": ("papá de tres", "profe de secundaria", "enfermero", "estudiante", "ingeniero"),
           "n": ("estudiante", "profe")},
    "de": {"f": ("Mama von zwei", "Lehrerin", "Studentin", "Krankenschwester", "Ingenieurin"),
           "m": ("Papa von drei", "Lehrer", "Student", "Pfleger", "Ingenieur"),
           "n": ("Student*in", "Lehrkraft")},
    "fr": {"f": ("maman de deux", "prof des écoles", "infirmière", "étudiante", "ingénieure"),
           "m": ("papa de trois", "prof de maths", "infirmier", "étudiant", "ingénieur"),
           "n": ("étudiant·e", "prof")},
    "pt": {"f": ("mãe de dois", "professora", "enfermeira", "estudante", "engenheira"),
           "m": ("pai de três", "professor", "enfermeiro", "estudante", "engenheiro"),
           "n": ("estudante", "professore")},
}
_LANG_BIO = {
    "es": ("{stmt} en {city} {emoji}", "{role} | {topic} | {city}",
           "Aquí hablo de {topic} y de la vida real {emoji}", "{Stmt}. {role}.",
           "Amante de {topic} {emoji} | 📍{city}", "{role} · {stmt} · {pron}"),
    "de": ("{Stmt} in {city} {emoji}", "{role} | {topic} | {city}",
           "Hier geht's um {topic} und das echte Leben {emoji}", "{Stmt}. {role}.",
           "{Topic} ist mein Ding {emoji} | 📍{city}", "{role} · {stmt} · {pron}"),
    "fr": ("{Stmt} à {city} {emoji}", "{role} | {topic} | {city}",
           "Ici je parle de {topic} et de la vraie vie {emoji}", "{Stmt}. {role}.",
           "Fan de {topic} {emoji} | 📍{city}", "{role} · {stmt} · {pron}"),
    "pt": ("{Stmt} em {city} {emoji}", "{role} | {topic} | {city}",
           "Aqui falo de {topic} e da vida real {emoji}", "{Stmt}. {role}.",
           "Apaixonade por {topic} {emoji} | 📍{city}", "{role} · {stmt} · {pron}"),
}
_LANG_PAID = {"es": "solo colaboraciones pagadas", "de": "nur bezahlte Kooperationen",
              "fr": "collaborations rémunérées uniquement", "pt": "apenas parcerias pagas"}
_LANG_GIFT = {"es": "abierta a colaboraciones y regalos 💌", "de": "PR-Pakete willkommen 💌",
              "fr": "ouverte aux collabs 💌", "pt": "aberta a parcerias e recebidos 💌"}
_LANG_EMAIL = {"es": "contacto: ", "de": "Kooperationen: ", "fr": "contact : ",
               "pt": "contato: "}
_LANG_POSTS = {
    "es": ("Hoy toca {topic} ☀️", "¿Alguien más pasa el finde entero con {topic}?",
           "Nuevo día, nuevas ideas de {topic} ✨", "Semana intensa, pero feliz 💛",
           "Por fin domingo. Café y {topic}.", "Os leo: ¿qué queréis ver más por aquí?",
           "Pequeña victoria de hoy: todo salió bien a la primera 😅",
           "Gracias por los mensajes tan bonitos 🥹", "Hoy no ha salido nada como esperaba, "
           "pero mañana más", "Me he dado cuenta de que {topic} me salva la semana"),
    "de": ("Heute wieder {topic} 🙌", "Wer verbringt das Wochenende auch nur mit {topic}?",
           "Kleiner Erfolg heute: alles hat beim ersten Mal geklappt 😅",
           "Sonntag, Kaffee und {topic}. Mehr brauche ich nicht.",
           "Danke für eure lieben Nachrichten 🥹", "Was wollt ihr hier mehr sehen?",
           "Neue Woche, neue Ideen ✨", "Heute lief nichts nach Plan, morgen wieder",
           "Ehrlich gesagt rettet mir {topic} gerade die Woche"),
    "fr": ("Aujourd'hui, c'est {topic} ☀️", "Petite victoire du jour : tout a marché du "
           "premier coup 😅", "Dimanche, café et {topic}.", "Merci pour vos gentils messages 🥹",
           "Vous voulez voir quoi de plus par ici ?", "Nouvelle semaine, nouvelles idées ✨",
           "Encore une journée consacrée à {topic}", "Rien ne s'est passé comme prévu "
           "aujourd'hui, on réessaie demain", "Franchement, {topic} me sauve la semaine"),
    "pt": ("Hoje é dia de {topic} ☀️", "Pequena vitória de hoje: deu tudo certo de primeira 😅",
           "Domingo, café e {topic}.", "Muito obrigado pelas mensagens lindas 🥹",
           "O que vocês querem ver mais por aqui?", "Semana nova, ideias novas ✨",
           "Mais um dia dedicado a {topic}", "Hoje nada saiu como planejado, amanhã tem mais",
           "Sinceramente, {topic} está salvando minha semana"),
}
_SPONSOR_MARKERS = {
    "en": ("#ad", "#sponsored", "#ad #partner", "(ad)", "#advertisement", "#paidpartnership"),
    "de": ("Anzeige", "#werbung", "Werbung |"),
    "es": ("publi", "#publicidad", "#colaboración pagada"),
    "fr": ("#partenariat", "#sponsorisé", "publicité |"),
    "pt": ("publi", "#publicidade", "#publipost"),
}
_SPONSORED_EN = (
    "Been using the {product} from {brand} for a month now and honestly it's earned its place. "
    "{marker}",
    "{marker} Teamed up with {brand} to show you how I use their {product} 👇",
    "Paid partnership with {brand} ✨ Their new {product} is genuinely good, code {code} gets you "
    "15% off",
    "Obsessed with this {product} from {brand} 😍 {marker}",
    "{brand} sent me their {product} to try and I have thoughts... {marker}",
    "Thank you {brand} for sponsoring today's post! {marker}",
    "{marker} My honest review of the {brand} {product}: better than I expected",
)
_SPONSORED_LANG = {
    "es": ("{marker} | Estoy probando el {product} de {brand} y me encanta",
           "{marker} Colaboración con {brand}: código {code} para un 15% de descuento"),
    "de": ("{marker} | Ich teste gerade {product} von {brand}, bisher super!",
           "{marker} In Kooperation mit {brand}: mit dem Code {code} gibt's 15%"),
    "fr": ("{marker} | Je teste le {product} de {brand} et franchement j'adore",
           "{marker} En partenariat avec {brand} : code {code} pour -15%"),
    "pt": ("{marker} | Estou testando {product} da {brand} e estou amando",
           "{marker} Parceria com {brand}: cupom {code} com 15% off"),
}
_LIFE_POSTS = (
    "Sunday coffee and rain ☕", "Can't believe it's {month} already",
    "Took the long way home today and it was worth it",
    "Slow week. Reading, walking, sleeping. Bliss.",
    "Does anyone else reply to messages in their head and forget to send them?",
    "Grateful for this little corner of the internet 💛",
    "Back from a few days offline, what did I miss?", "Weekend plans: absolutely nothing",
    "Had the best chat with a stranger on the train today",
    "Monday, be gentle with me", "New month, new notebook, same chaos",
    "I said I'd go to bed early. It is now 1am.",
    "My neighbour's cat has decided I'm its person now",
    "Small win: finally cleared my inbox", "Thank you all for the lovely messages this week 🥹",
    "Birthday today! Spending it exactly how I want: quietly",
    "Hit a little milestone here, thank you for following along",
    "Tired but happy. Long week at work.", "It's soup season and I'm thrilled",
    "Sorry for the radio silence, life got busy",
)
_OPENERS = ("", "", "", "", "Ok so ", "Update: ", "Honestly, ", "Small win: ", "Quick one: ",
            "Not gonna lie, ")
_CLOSERS = ("", "", "", "", " Wish me luck!", " Who else?", " More soon.", " 10/10.",
            " Thoughts?", " 🥹", " 😅", " ✨", " Anyway, back to it.")

_MEME_POSTS = (
    "when you {situation} 😂", "POV: you {situation} 💀", "me every time I {situation}",
    "tag someone who would {situation} 😭", "{title} people will understand this one 😂",
    "the audacity of people who {situation}",
    "no one talks about how it feels when you {situation}",
    "If you {situation}, we can't be friends 😤 (jk)", "Rate this meme 1-10 👇",
    "Send this to your {title_l} friend 😂", "it's giving 'I {situation}' energy",
    "be honest, how many times did you {situation} this week?",
)
_FACT_POSTS = ("Did you know? {fact}", "Did you know… {fact} 🤯", "Fun fact: {fact}",
               "{fact} 🧠", "Fact of the day: {fact}", "{fact}\n\nFollow for more facts!",
               "Most people don't know this: {fact}", "{fact} Mind = blown 🤯")
_GENERAL_FACTS = (
    "Honey never spoils if it's sealed and stored properly.", "Octopuses have three hearts.",
    "A day on Venus is longer than its year.", "Bananas are berries, but strawberries aren't.",
    "The Eiffel Tower can grow about 15 cm taller in summer heat.",
    "Sharks existed before trees.", "Wombat poop is cube-shaped.",
    "Sea otters hold hands while they sleep.",
    "There are more possible games of chess than atoms in the observable universe.",
    "Butterflies taste with their feet.", "The shortest war in history lasted under an hour.",
    "Your brain uses about 20% of your body's energy.",
    "A bolt of lightning is about five times hotter than the surface of the sun.",
    "Koalas sleep up to 22 hours a day.",
)
_NEWS_POSTS = ("{headline}", "BREAKING: {headline}", "{headline} — read more: {url}",
               "Analysis: {headline}", "{headline} {url}", "Report: {headline}",
               "UPDATE: {headline}", "{headline}. Here's what we know: {url}")
_NEWS_GENERIC = ("New study looks at the rise of the {noun}",
                 "{City} to host major {topic} event next spring",
                 "Why everyone is talking about the {noun} this week",
                 "Opinion: {topic} needs fewer rules and more fun",
                 "The best {noun} of {year}, ranked",
                 "Five things to know about {topic} this week")
_BRAND_POSTS = (
    "New in: our {product} is here 🎉 Shop now: {url}",
    "Weekend sale! {pct}% off every {product} with code {code} 🛒",
    "Back in stock: the {product} you all asked for 👀 {url}",
    "We're hiring in {city}! Join our team: {site}/careers",
    "Thank you for {k}k followers 💛 Giveaway coming soon, stay tuned!",
    "Meet the team behind our {product} 👋",
    "Our {product} just won an award! Thank you for the support 🙌",
    "Customer photo of the week 📸 Tag us to be featured #{brandtag}",
    "Tip: how to get the most out of your {product} {url}",
    "Free shipping this week on all orders over {amount} 🚚",
    "GIVEAWAY 🎁 Follow us and reply with your favourite {topic} moment to win a {product}!",
    "We've been quiet, we've been busy. Something new lands Friday 👀",
)
_ANIMAL_POSTS = (
    "Meet {pet}, a {age}-year-old {breed} who {action} 📸: {credit}",
    "{pet} has no thoughts, only snacks 🐾", "Caption this 👇", "Monday mood 🐶",
    "Submit your pets via DM for a feature! 📩",
    "This is {pet}. {pet} {action}. 10/10 📸: {credit}",
    "Who else has a {breed} that {action}? 😂", "Tag a {breed} lover 💕",
    "{pet} the {breed} would like a word 😤 (via {credit})",
    "Good morning from {pet} ☀️ 📸: {credit}",
)
_PET_NAMES = ("Luna", "Milo", "Bella", "Oliver", "Mochi", "Biscuit", "Nala", "Pepper", "Simba",
              "Daisy", "Olive", "Loki", "Pretzel", "Toast", "Maple", "Ziggy", "Bean", "Waffles")
_BREEDS = ("tabby", "golden retriever", "corgi", "border collie", "ragdoll", "dachshund",
           "husky", "maine coon", "shiba inu", "rescue mutt", "greyhound", "french bulldog",
           "bunny", "parrot")
_ANIMAL_ACTIONS = ("refuses to sit anywhere but the laptop", "steals socks for a living",
                   "thinks the vacuum is a monster", "sleeps 20 hours a day",
                   "demands breakfast at 5am", "only drinks from the tap",
                   "screams at birds through the window", "loves the car more than walks")
_REPOST_OWN_POSTS = (
    "Stunning {noun} 😍 📸: {credit}", "via {credit} #{tag}",
    "credit: {credit} | follow them for more {topic} inspo",
    "This {noun} though 🔥 (📸: {credit})", "Saving this for later 📌 via {credit}",
    "Best {noun} we've seen this week! credit: {credit} #{tag}",
    "Would you try this? 👇 📸: {credit}", "{noun} goals ✨ 📸: {credit} #{tag}",
)
_FAN_POSTS = (
    "{T} looked amazing today 😍", "new pic of {th} 📸 (credit to owner)",
    "Can't stop thinking about {T}'s last post 😭",
    "Streaming party tonight for {T}'s new {thing}! 💜", "happy {n} years of {T} 🎉",
    "{T} replied to a fan today and we're all crying", "Reminder that {T} deserves the world",
    "{T} is trending again 👀", "{T} update: new {thing} coming soon!!",
    "Appreciation post for {T} because why not 💫",
    "Throwback to {T}'s first {thing} 🥹 how far we've come",
    "Who else has notifications on for {th}? 🙋",
    "{T} said hi to us in the comments, I can't breathe",
    "Daily reminder to support {T}'s new {thing} 💜",
    "Ranking {T}'s best posts of the month, thread 🧵",
)
_FAN_THINGS = ("video", "project", "collab", "post", "interview", "series")

_BRAND_PREFIX = ("Oakridge", "Bluebell", "Northfield", "Juniper", "Copperleaf", "Harbour",
                 "Maple Lane", "Silver Birch", "Little Fern", "Wild Thyme", "Ember",
                 "Stonebridge", "Meadowlark", "Kestrel", "Nimbus", "Orchid Hill", "Saltmarsh",
                 "Brightwater", "Red Fox", "Fieldnote", "Tidewell", "Larkspur", "Hollow Oak",
                 "Granite", "Pebble", "Moonbeam", "Sunday", "Northstar")
_BRAND_BIOS = (
    "Official account of {brand}. {tagline} Shop: {url}",
    "{tagline} {emoji} | Free shipping over £40 | Tag us #{brandtag}",
    "We make {products} for people who care about {topic}. Questions? {support}",
    "Small-batch {products} from {city}. Our story 👇 {url}",
    "The home of {brand} 🛒 | Customer care: DM us, Mon-Fri 9-5",
    "{brand}: {tagline} Est. {year}, {city}.",
    "Welcome to {brand}! We're a small team in {city} making {products}. {url}",
    "Official {brand} account • new drops every month • {url}",
)
_BRAND_BIOS_VAGUE = ("{Products}. Made in {city}.", "{tagline}", "{Products} • {city} • {url}")
_TAGLINES = ("Good {product} for good days.", "{Product} made properly.",
             "Honest {product}, made in {city}.", "Better {product}, fewer compromises.",
             "Everyday {product} you'll actually love.")
_NEWS_NAMES = ("{title} Wire", "The Daily {title}", "{title} Insider", "{City} Chronicle",
               "{title} Today", "{title}Brief", "The {title} Report", "{title} Weekly",
               "{City} Post", "{title} News Network")
_NEWS_BIOS = (
    "Breaking news and analysis from {name}.", "{title} news, reviews and deals, updated daily.",
    "The latest {topic} headlines, 24/7. Tips: {tips}",
    "Independent {topic} journalism since {year}. {url}",
    "Your trusted source for {topic} news. Follow for updates.",
    "News, features and opinion from the {name} team. {url}",
)
_NEWS_BOT_BIOS = ("Automated feed of {name} headlines. Not monitored.",
                  "Bot account posting every new story from {name}. {url}",
                  "Unofficial headline bot for {name} 🤖")
_MEME_NAMES = ("{title} Memes", "Daily {title} Memes", "memes for {topic} people",
               "{title}Humor", "Certified {title} Moments", "{title} but make it funny",
               "The {title} Meme Dealer", "{title} Memes Central", "Unhinged {title}")
_MEME_BIOS = (
    "daily memes 😂 | DM for promo | not affiliated",
    "the funniest {topic} memes on the internet 😂", "we post memes so you don't have to 🤡",
    "turn on notifications 🔔 | tag a friend | {topic} memes daily",
    "dm for credit/removal 📩 | promo: {email}", "{topic} humour for tired people 😴",
    "Memes about {topic} 24/7 • not affiliated with anyone • DM for promo",
    "If you laughed, follow 😂 | admin: @{admin}",
)
_MEME_BIOS_VAGUE = ("just vibes", "lol", "{topic} but it's funny", "")
_FACT_NAMES = ("Daily {title} Facts", "{title} Facts", "Did You Know?", "Facts Daily",
               "Mind-Blown Facts", "Fact Hunter", "Curious {title}", "{title} Trivia")
_FACT_BIOS = (
    "Daily facts you didn't know 🤯", "Your daily dose of {topic} facts 🧠",
    "Learn something new every day | facts about {topic} and more",
    "Follow for mind-blowing facts 🤯 | DM for promo",
    "Facts, trivia and fun things about {topic} 📚",
    "We post 5 facts a day. Turn on notifications 🔔",
)
_FACT_BIOS_VAGUE = ("curious about everything", "{topic} trivia")
_ANIMAL_NAMES = ("Cats of the Internet", "Daily Doggo", "Paws & Whiskers", "Cute Pets Daily",
                 "The Goodest Boys", "Fluffy Friends", "Purrfect Moments", "Doggo Dispatch",
                 "Tiny Paws Club", "Catto Central")
_ANIMAL_BIOS = (
    "the cutest cats on the internet 🐱, submit yours!",
    "Dogs being dogs 🐶 | DM your pup to be featured",
    "Daily dose of fluff 🐾 | submit via DM | credit in captions",
    "We feature the best pets 📸 #{tag} | tag us to be featured",
    "Bringing you the goodest boys and girls since {year} 🐕",
    "Your daily serotonin: pets, pets and more pets 🐾 | not our photos, credit always given",
)
_REPOST_NAMES = ("Best of {title}", "{title} Inspo", "{title} Daily", "{title} Feed",
                 "{title}Hub", "{title} Curated", "The {title} Edit", "{title} Spotlight")
_REPOST_BIOS = (
    "reposting the best #{tag} content, credit to owners, 📸: @…",
    "Curated {topic} inspo | all rights belong to their owners | DM for removal",
    "Best of #{tag} 🌍 | tag us to be featured",
    "Sharing the best {topic} posts from around the network 🔁 | credit always given",
    "Your daily feed of {topic} inspiration ✨ Not our content, DM for credit",
)
_REPOST_BOT_BIOS = ("Automated reposts of #{tag} posts 🤖 | opt out: DM",
                    "Bot that boosts the best #{tag} posts every hour. Not monitored.")
_FAN_BIOS = (
    "fan page for {th}, not affiliated",
    "#1 fan account of {T} 💜 | not {T}",
    "Daily pics & updates of {T} | fan account",
    "fan account ✨ notifs on for {th}",
    "Everything {T} 💫 | fan run, not affiliated with {th}",
    "{T} appreciation account since {year} 🤍",
)
_FAN_NAMES = ("{Tf} Updates", "{T} Fans", "Team {Tf}", "{tf} daily", "{Tf} Archive",
              "{T} Fanbase", "{Tf} Source")

_PERSON_TIERS = ((0.10, 200, 1_000), (0.46, 1_000, 10_000), (0.24, 10_000, 50_000),
                 (0.08, 50_000, 100_000), (0.07, 100_000, 500_000), (0.03, 500_000, 1_000_000),
                 (0.02, 1_000_000, 2_000_000))

# kind: followers range, following range, posts/day range, engagement rate range, repost share
_PAGE_CFG = {
    "meme": ((3_000, 1_500_000), (0, 150), (3.0, 15.0), (0.003, 0.05), (0.05, 0.15)),
    "facts": ((2_000, 900_000), (0, 80), (2.0, 8.0), (0.002, 0.02), (0.0, 0.08)),
    "animal": ((2_000, 800_000), (5, 300), (2.0, 8.0), (0.005, 0.05), (0.10, 0.25)),
    "brand": ((500, 300_000), (50, 1_500), (0.3, 3.0), (0.0005, 0.01), (0.0, 0.08)),
    "news": ((2_000, 2_000_000), (5, 500), (5.0, 40.0), (0.0003, 0.006), (0.0, 0.04)),
    "repost": ((1_000, 300_000), (100, 5_000), (3.0, 20.0), (0.002, 0.02), (0.40, 0.70)),
    "fan": ((200, 50_000), (100, 2_000), (2.0, 10.0), (0.005, 0.04), (0.30, 0.60)),
}


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------

@dataclass(slots=True)
class SandboxCreator:
    index: int
    platform: str
    creator_id: str  # bluesky: did:plc:..., mastodon: numeric string
    handle: str  # bluesky: name.bsky.social, mastodon: username
    display_name: str
    bio: str
    followers: int
    following: int
    posts_count: int
    kind: str  # ground truth: person | meme | facts | animal | brand | news | repost | fan
    niche: str
    is_bot: bool  # Mastodon's `bot` flag (always False on Bluesky)
    engagement_anomaly: bool  # bot-like, wildly inflated likes
    avatar: str | None  # a path on the sandbox host, None when the account has no avatar
    banner: str | None
    created_at: datetime
    language: str = "en"
    verified: bool = False
    discoverable: bool = True
    website: str | None = None
    email: str | None = None
    pronouns: str | None = None
    location: str | None = None
    collab: str | None = None  # "paid_only" | "gifting" | None (what the bio says)
    posts_per_day: float = 0.5
    engagement_rate: float = 0.03  # base likes/followers per post
    repost_share: float = 0.0
    sponsored_share: float = 0.0
    last_post_at: datetime = REFERENCE_NOW
    fan_of: int | None = None  # index of the creator a fan page is about
    given_name: str | None = None
    culture: str | None = None

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def avatar_cid(self) -> str | None:
        return None if self.avatar is None else self.avatar.rsplit("/", 1)[-1].split("@")[0]


@dataclass(slots=True)
class SandboxPost:
    """One post. Instances are shared through caches: treat them as read-only."""

    id: str  # bluesky: record key (TID); mastodon: numeric status id
    creator_index: int  # who posted it (for a repost: the reposter)
    created_at: datetime  # for a repost: when it was reposted
    text: str
    likes: int
    reposts: int
    replies: int
    quotes: int
    is_repost: bool
    language: str
    tags: tuple[str, ...]
    is_sponsored: bool = False
    bookmarks: int = 0
    mentions: tuple[int, ...] = ()  # creator indices mentioned as @handle in the text
    original: "SandboxPost | None" = None  # for a repost: the original (another creator's)
    cid: str = ""

    @property
    def author_index(self) -> int:
        """The original author (the creator for own posts, someone else for reposts)."""
        return self.original.creator_index if self.original is not None else self.creator_index


def _post_order(p: SandboxPost) -> tuple:
    """Newest-first sort key that agrees with id order (Mastodon paging compares ids)."""
    return (p.created_at, int(p.id) if p.id.isdigit() else p.id)


_TAG_RE = re.compile(r"(?<![\w&/#])#(\w+)")
TAG_SCAN_CAP = 250

_SPONSOR_TAGS = frozenset(
    m.lower() for ms in _SPONSOR_MARKERS.values() for x in ms for m in _TAG_RE.findall(x))
_KIND_TAGS = {
    "person": _SPONSOR_TAGS,
    "meme": frozenset({"memes", "ad", "promo"}),
    "facts": frozenset({"didyouknow", "facts"}),
    "animal": frozenset({"pets", "dogs", "cats", "caturday", "dogsofbluesky", "catsofmastodon"}),
}


@lru_cache(maxsize=None)
def _niche_kind_tags(niche: str, kind: str) -> frozenset[str]:
    return frozenset(_NICHE_DATA[niche]["tags"]) | _KIND_TAGS.get(kind, frozenset())


def _can_use_tag(c: "SandboxCreator", tag: str) -> bool:
    """Whether c's own posts can carry #tag (a superset test, to narrow tag timelines)."""
    if tag in _niche_kind_tags(c.niche, c.kind):
        return True
    return c.kind == "brand" and tag == (_ascii(c.display_name)[:20] or "shop")[:18]


# --------------------------------------------------------------------------------------------
# The universe
# --------------------------------------------------------------------------------------------

class Universe:
    """The creators, lookups, and lazily generated posts. Safe to share across threads."""

    def __init__(self, creators: list[SandboxCreator], *, seed: int, now: datetime):
        self.seed = seed
        self.now = now
        self.creators = creators
        self._by_handle: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        self._by_id: dict[str, dict[str, int]] = {p: {} for p in PLATFORMS}
        for c in creators:
            self._by_handle[c.platform][c.handle.lower()] = c.index
            self._by_id[c.platform][c.creator_id] = c.index
        self._lock = threading.Lock()
        self._own_cache: OrderedDict[int, list[SandboxPost]] = OrderedDict()
        self._feed_cache: OrderedDict[int, list[SandboxPost]] = OrderedDict()
        self._pools: dict[tuple, list[int]] = {}
        self._cache_size = 4096
        self._search_cache: OrderedDict[tuple, list[int]] = OrderedDict()
        self._tag_cache: OrderedDict[tuple, list[SandboxPost]] = OrderedDict()
        self._hay: dict[str, list[tuple[int, str, str, str]]] = {}
        self._by_avatar: dict[str, int] | None = None

    # ---- lookups ------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.creators)

    def by_handle(self, platform: str, handle: str) -> SandboxCreator | None:
        i = self._by_handle.get(platform, {}).get(handle.strip().lstrip("@").lower())
        return None if i is None else self.creators[i]

    def by_id(self, platform: str, creator_id: str) -> SandboxCreator | None:
        i = self._by_id.get(platform, {}).get(creator_id.strip())
        return None if i is None else self.creators[i]

    def lookup(self, platform: str, ref: str) -> SandboxCreator | None:
        """A creator by handle or id (DID on Bluesky, numeric id on Mastodon)."""
        return self.by_id(platform, ref) or self.by_handle(platform, ref)

    def by_avatar(self, path: str) -> SandboxCreator | None:
        """The creator whose avatar is served at ``path`` (the index is built on first use)."""
        with self._lock:
            if self._by_avatar is None:
                self._by_avatar = {c.avatar: c.index for c in self.creators if c.avatar}
            i = self._by_avatar.get(path)
        return None if i is None else self.creators[i]

    def platform_creators(self, platform: str) -> list[SandboxCreator]:
        return [self.creators[i] for i in self._pool(platform, "all")]

    def kind_counts(self, platform: str | None = None) -> Counter:
        return Counter(c.kind for c in self.creators if platform in (None, c.platform))

    def truth(self, platform: str, ref: str) -> dict | None:
        """Ground truth for evaluation: never served through the platform endpoints."""
        c = self.lookup(platform, ref)
        if c is None:
            return None
        return {"platform": c.platform, "handle": c.handle, "creator_id": c.creator_id,
                "kind": c.kind, "is_person": c.is_person, "niche": c.niche,
                "is_bot": c.is_bot, "engagement_anomaly": c.engagement_anomaly,
                "followers": c.followers, "language": c.language, "collab": c.collab}

    def mention(self, c: SandboxCreator) -> str:
        """How a post or bio on c's platform writes an @mention of c."""
        return "@" + c.handle

    # ---- pools (lazy, cached) -----------------------------------------------------------
    def _pool(self, platform: str, key: str, niche: str | None = None) -> list[int]:
        k = (platform, key, niche)
        pool = self._pools.get(k)
        if pool is not None:
            return pool
        cs = [c for c in self.creators if c.platform == platform]
        if key == "all":
            pool = [c.index for c in cs]
        elif key == "people":
            pool = [c.index for c in cs
                    if c.kind == "person" and (niche is None or c.niche == niche)]
            pool.sort(key=lambda i: (-self.creators[i].followers, i))
        elif key == "brands":
            pool = [c.index for c in cs
                    if c.kind == "brand" and (niche is None or c.niche == niche)]
        elif key == "originals":  # whose posts get reposted: popular people and animal pages
            pool = [c.index for c in cs if c.kind in ("person", "animal")
                    and (niche is None or c.niche == niche)]
            pool.sort(key=lambda i: (-self.creators[i].followers, i))
            pool = pool[:30]
        else:
            raise KeyError(key)
        self._pools[k] = pool
        return pool

    # ---- search -------------------------------------------------------------------------
    def search(self, platform: str, query: str) -> list[SandboxCreator]:
        """Accounts matching any whitespace-separated term (case-insensitive) in the handle,
        display name or bio. Deterministic order: more and stronger matches first (handle or
        name beats bio), then more followers, then index."""
        terms = tuple(dict.fromkeys(t.strip("#@").lower() for t in query.split() if t.strip("#@")))
        if not terms:
            return []
        key = (platform, terms)
        with self._lock:
            hit = self._search_cache.get(key)
            if hit is not None:
                self._search_cache.move_to_end(key)
                return [self.creators[i] for i in hit]
        scored = []
        for i, handle, name, bio in self._haystacks(platform):
            score = 0
            for term in terms:
                if term in handle or term in name:
                    score += 3
                elif term in bio:
                    score += 1
            if score:
                scored.append((-score, -self.creators[i].followers, i))
        scored.sort()
        result = [i for _, _, i in scored]
        with self._lock:
            self._search_cache[key] = result
            while len(self._search_cache) > 256:
                self._search_cache.popitem(last=False)
        return [self.creators[i] for i in result]

    def _haystacks(self, platform: str) -> list[tuple[int, str, str, str]]:
        hay = self._hay.get(platform)
        if hay is None:
            hay = [(c.index, c.handle.lower().removesuffix(".bsky.social"),
                    c.display_name.lower(), c.bio.lower())
                   for c in self.creators if c.platform == platform]
            self._hay[platform] = hay
        return hay

    # ---- hashtag timelines --------------------------------------------------------------
    def tag_timeline(self, platform: str, tag: str) -> list[SandboxPost]:
        """Own posts (never reposts) carrying #tag, newest first, across creators.

        Only the TAG_SCAN_CAP most recently active creators that can use the tag are scanned,
        so the first request stays fast in a 100k universe; small universes are exhaustive."""
        tag = tag.strip().lstrip("#").lower()
        key = (platform, tag)
        with self._lock:
            hit = self._tag_cache.get(key)
            if hit is not None:
                self._tag_cache.move_to_end(key)
                return hit
        cands = [c for c in self.creators if c.platform == platform and _can_use_tag(c, tag)]
        cands.sort(key=lambda c: (c.last_post_at, c.posts_per_day, -c.index), reverse=True)
        posts = [p for c in cands[:TAG_SCAN_CAP] for p in self.own_posts(c) if tag in p.tags]
        posts.sort(key=_post_order, reverse=True)
        with self._lock:
            self._tag_cache[key] = posts
            while len(self._tag_cache) > 64:
                self._tag_cache.popitem(last=False)
        return posts

    # ---- posts --------------------------------------------------------------------------
    def posts_for(self, creator: SandboxCreator | int, n: int | None = None) -> list[SandboxPost]:
        """The creator's recent feed, newest first: own posts and reposts of others (<= 200)."""
        c = creator if isinstance(creator, SandboxCreator) else self.creators[creator]
        feed = self._cached(self._feed_cache, c.index, lambda: self._build_feed(c))
        return list(feed if n is None else feed[:max(0, n)])

    def own_posts(self, creator: SandboxCreator | int) -> list[SandboxPost]:
        """Only the creator's own posts (what a hashtag timeline can show), newest first."""
        c = creator if isinstance(creator, SandboxCreator) else self.creators[creator]
        own = self._cached(self._own_cache, c.index, lambda: self._build_own(c))
        limit = min(MAX_POSTS, c.posts_count)
        return own[:limit]

    def _cached(self, cache: OrderedDict, key: int, build):
        with self._lock:
            value = cache.get(key)
            if value is not None:
                cache.move_to_end(key)
                return value
        value = build()  # deterministic, so a race only wastes a little work
        with self._lock:
            cache[key] = value
            while len(cache) > self._cache_size:
                cache.popitem(last=False)
        return value

    def _window_start(self, c: SandboxCreator) -> datetime:
        return max(self.now - timedelta(days=POST_WINDOW_DAYS), c.created_at)

    def _build_own(self, c: SandboxCreator) -> list[SandboxPost]:
        rng = random.Random(_derive(self.seed, "own", c.index))
        rate = max(c.posts_per_day * (1.0 - c.repost_share), 0.02)
        oldest = self._window_start(c)
        oldest_ms = _to_ms(oldest)
        t_ms = _to_ms(c.last_post_at)
        out: list[SandboxPost] = []
        while len(out) < MAX_POSTS and t_ms > oldest_ms:
            out.append(self._make_own_post(c, rng, t_ms, len(out)))
            gap = max(rng.expovariate(rate), 90 / 86400)
            t_ms -= int(gap * _DAY_MS) + int(rng.random() * 1000)
        return out

    def _build_feed(self, c: SandboxCreator) -> list[SandboxPost]:
        own = self.own_posts(c)
        limit = min(MAX_POSTS, c.posts_count)
        if c.repost_share <= 0:
            return own[:limit]
        rng = random.Random(_derive(self.seed, "reposts", c.index))
        rate = max(c.posts_per_day * c.repost_share, 0.01)
        oldest = self._window_start(c)
        oldest_ms = _to_ms(oldest)
        t_ms = _to_ms(c.last_post_at) - int(rng.expovariate(rate) * _DAY_MS)
        reposts: list[SandboxPost] = []
        used: set[str] = set()
        while len(reposts) < MAX_POSTS and t_ms > oldest_ms:
            original = self._pick_original(c, rng, _from_ms(t_ms), used)
            if original is not None:
                used.add(original.id)
                reposts.append(self._make_repost(c, original, t_ms))
            t_ms -= int(max(rng.expovariate(rate), 60 / 86400) * _DAY_MS)
        feed = sorted(own + reposts, key=_post_order, reverse=True)
        return feed[:limit]

    def _pick_original(self, c: SandboxCreator, rng: random.Random, t: datetime,
                       used: set[str]) -> SandboxPost | None:
        """Another creator's own post, published before t and not reposted by c yet."""
        if c.kind == "fan" and c.fan_of is not None:
            pool = [c.fan_of]
        else:
            pool = (self._pool(c.platform, "originals", c.niche)
                    or self._pool(c.platform, "originals"))
        pool = [i for i in pool if i != c.index]
        if not pool:
            return None
        before = t - timedelta(minutes=10)
        for _ in range(4):
            author = self.creators[_pick(rng, pool)]
            own = self.own_posts(author)
            # own is newest first: skip the posts published after the repost time
            lo, hi = 0, len(own)
            while lo < hi:
                mid = (lo + hi) // 2
                if own[mid].created_at >= before:
                    lo = mid + 1
                else:
                    hi = mid
            candidates = [p for p in own[lo:lo + 12] if p.id not in used]
            if candidates:
                # mostly fresh posts, sometimes an older one
                return candidates[min(int(rng.expovariate(0.5)), len(candidates) - 1)]
        return None

    def _make_repost(self, c: SandboxCreator, original: SandboxPost, t_ms: int) -> SandboxPost:
        t = _from_ms(t_ms)
        if c.platform == "bluesky":
            pid = _tid(t_ms, c.index)
        else:
            pid = str(_snowflake(t_ms, c.index * 7 + 1))
        return SandboxPost(
            id=pid, creator_index=c.index, created_at=t, text=original.text,
            likes=original.likes, reposts=original.reposts, replies=original.replies,
            quotes=original.quotes, is_repost=True, language=original.language,
            tags=original.tags, is_sponsored=original.is_sponsored,
            bookmarks=original.bookmarks, mentions=original.mentions, original=original,
            cid=original.cid,
        )

    def _make_own_post(self, c: SandboxCreator, rng: random.Random, t_ms: int,
                       seq: int) -> SandboxPost:
        t = _from_ms(t_ms)
        text, lang, sponsored, mentions = self._compose(c, rng, t)
        likes, reposts, replies, quotes, bookmarks = self._engagement(c, rng, sponsored)
        tags = (tuple(dict.fromkeys(m.lower() for m in _TAG_RE.findall(text)))
                if "#" in text else ())
        if c.platform == "bluesky":
            pid = _tid(t_ms, c.index)
            cid = "bafyrei" + _b32(rng, 52)
        else:
            pid = str(_snowflake(t_ms, c.index * 131 + seq))
            cid = ""
        return SandboxPost(id=pid, creator_index=c.index, created_at=t, text=text, likes=likes,
                           reposts=reposts, replies=replies, quotes=quotes, is_repost=False,
                           language=lang, tags=tags, is_sponsored=sponsored, bookmarks=bookmarks,
                           mentions=tuple(mentions), cid=cid)

    def _engagement(self, c: SandboxCreator, rng: random.Random, sponsored: bool):
        noise = rng.lognormvariate(0.0, 0.45)
        likes = c.followers * c.engagement_rate * noise * (0.75 if sponsored else 1.0)
        likes = int(likes)
        if c.engagement_anomaly:
            replies = int(likes * rng.uniform(0.0005, 0.004))
            reposts = int(likes * rng.uniform(0.001, 0.01))
        else:
            replies = int(likes * rng.uniform(0.02, 0.12))
            reposts = int(likes * rng.uniform(0.03, 0.18))
        quotes = int(likes * rng.uniform(0.0, 0.03))
        bookmarks = int(likes * rng.uniform(0.0, 0.05)) if c.platform == "bluesky" else 0
        return likes, reposts, replies, quotes, bookmarks

    # ---- text ---------------------------------------------------------------------------
    def _someone(self, c: SandboxCreator, rng: random.Random, key: str = "people",
                 niche: str | None = None) -> SandboxCreator | None:
        pool = self._pool(c.platform, key, niche) or self._pool(c.platform, key)
        if not pool:
            return None
        for _ in range(3):
            i = _pick(rng, pool[:60] if key == "people" else pool)
            if i != c.index:
                return self.creators[i]
        return None

    def _compose(self, c: SandboxCreator, rng: random.Random, t: datetime):
        """(text, language, is_sponsored, mentioned creator indices) for one own post."""
        nd = _NICHE_DATA[c.niche]
        mentions: list[int] = []
        kind = c.kind
        if kind == "person":
            return self._compose_person(c, rng, t, nd)
        if kind == "meme":
            if rng.random() < 0.04:  # a paid promo for another account
                other = self._someone(c, rng, "people", c.niche)
                if other is not None:
                    mentions.append(other.index)
                    return (f"Go follow {self.mention(other)} for the best {nd['topic']} content "
                            f"🔥 #ad #promo", "en", True, mentions)
            text = _pick(rng, _MEME_POSTS).format(
                situation=_pick(rng, nd["situations"]), title=nd["title"],
                title_l=nd["title"].lower())
            if rng.random() < 0.3:
                text += f" #{_pick(rng, nd['tags'])}"
            if rng.random() < 0.25:
                text += " #memes"
            return text, "en", False, mentions
        if kind == "facts":
            fact = _pick(rng, nd["facts"]) if rng.random() < 0.6 else _pick(rng, _GENERAL_FACTS)
            text = _pick(rng, _FACT_POSTS).format(fact=fact)
            if rng.random() < 0.35:
                text += " #didyouknow #facts"
            return text, "en", False, mentions
        if kind == "animal":
            credit_c = self._someone(c, rng, "people")
            if credit_c is not None:
                credit = self.mention(credit_c)
            else:
                credit = "submitted by a follower"
            text = _pick(rng, _ANIMAL_POSTS).format(
                pet=_pick(rng, _PET_NAMES), age=_rint(rng, 1, 14), breed=_pick(rng, _BREEDS),
                action=_pick(rng, _ANIMAL_ACTIONS), credit=credit)
            if credit_c is not None and credit in text:
                mentions.append(credit_c.index)
            if rng.random() < 0.4:
                text += " #" + _pick(rng, ("pets", "dogs", "cats", "caturday", "dogsofbluesky",
                                            "catsofmastodon"))
            return text, "en", False, mentions
        if kind == "brand":
            product = _pick(rng, nd["products"])
            slug = _ascii(c.display_name)[:20] or "shop"
            text = _pick(rng, _BRAND_POSTS).format(
                product=product, url=f"https://{slug}.example/{_ascii(product)}",
                site=f"https://{slug}.example",
                pct=_pick(rng, (10, 15, 20, 25, 30)),
                code=f"{slug[:6].upper()}{_rint(rng, 10, 30)}",
                city=c.location or "London", k=max(1, c.followers // 1000),
                brandtag=slug[:18], amount=_pick(rng, ("£30", "€40", "$50", "£25")),
                topic=nd["topic"])
            if rng.random() < 0.3:
                text += f" #{_pick(rng, nd['tags'])}"
            return text, "en", False, mentions
        if kind == "news":
            if rng.random() < 0.6:
                headline = _pick(rng, nd["headlines"])
            else:
                headline = _pick(rng, _NEWS_GENERIC).format(
                    noun=_pick(rng, nd["nouns"]), topic=nd["topic"],
                    City=_pick(rng, _CULTURES["english"][4]), year=t.year)
            slug = "-".join(_ascii(w) for w in headline.split()[:6])
            site = _ascii(c.display_name)[:20] or "news"
            url = f"https://{site}.example/{t.year}/{t.month:02d}/{slug}"
            text = _pick(rng, _NEWS_POSTS).format(headline=headline, url=url)
            if rng.random() < 0.25:
                text += f" #{_pick(rng, nd['tags'])}"
            return text, "en", False, mentions
        if kind == "repost":
            credit_c = self._someone(c, rng, "people", c.niche)
            credit = self.mention(credit_c) if credit_c is not None else "a follower"
            if credit_c is not None:
                mentions.append(credit_c.index)
            text = _pick(rng, _REPOST_OWN_POSTS).format(
                noun=_pick(rng, nd["nouns"]), credit=credit, tag=_pick(rng, nd["tags"]),
                topic=nd["topic"])
            return text, "en", False, mentions
        # fan
        target = self.creators[c.fan_of] if c.fan_of is not None else None
        tname = target.display_name if target is not None else "them"
        th = self.mention(target) if target is not None else tname
        text = _pick(rng, _FAN_POSTS).format(T=tname, th=th, thing=_pick(rng, _FAN_THINGS),
                                             n=_rint(rng, 2, 9))
        if target is not None and th in text:
            mentions.append(target.index)
        return text, "en", False, mentions

    def _compose_person(self, c: SandboxCreator, rng: random.Random, t: datetime, nd: dict):
        mentions: list[int] = []
        lang = c.language if (c.language != "en" and rng.random() < 0.7) else "en"
        if rng.random() < c.sponsored_share:
            brand_c = self._someone(c, rng, "brands", c.niche) if rng.random() < 0.8 else None
            if brand_c is not None:
                brand = self.mention(brand_c)
                product = _pick(rng, _NICHE_DATA[brand_c.niche]["products"])
                mentions.append(brand_c.index)
            else:
                brand = f"{_pick(rng, _BRAND_PREFIX)} {_pick(rng, nd['brand_words'])}"
                product = _pick(rng, nd["products"])
            marker = _pick(rng, _SPONSOR_MARKERS[lang])
            code = f"{_ascii(c.given_name or c.handle)[:6].upper()}{_rint(rng, 10, 25)}"
            templates = _SPONSORED_EN if lang == "en" else _SPONSORED_LANG[lang]
            text = _pick(rng, templates).format(brand=brand, product=product, marker=marker,
                                                code=code)
            if rng.random() < 0.4:
                text += f" #{_pick(rng, nd['tags'])}"
            return text, lang, True, mentions
        if lang != "en":
            topic = nd["langs"][lang][0]
            text = _pick(rng, _LANG_POSTS[lang]).format(topic=topic)
            if rng.random() < 0.4:
                text += " " + _pick(rng, nd["emoji"])
            if rng.random() < 0.3:
                text += f" #{_pick(rng, nd['tags'])}"
            return text, lang, False, mentions
        r = rng.random()
        opener = ""
        if r < 0.68:
            core = _pick(rng, nd["post_i"]).format(noun=_pick(rng, nd["nouns"]))
            opener = _pick(rng, _OPENERS)
            keep_case = core.startswith(("I ", "I'm", "My ")) or core[:2].isupper()
            if opener and not keep_case:
                core = core[:1].lower() + core[1:]
        elif r < 0.93:
            core = _pick(rng, _LIFE_POSTS).format(month=t.strftime("%B"))
        else:
            core = f"What's your favourite {_pick(rng, nd['nouns'])}? Genuinely asking"
        closer = _pick(rng, _CLOSERS)
        if closer[1:2].isupper() and core[-1:].isalnum():
            core += "."
        text = opener + core + closer
        if rng.random() < 0.05:
            friend = self._someone(c, rng, "people", c.niche)
            if friend is not None:
                text += f" (with {self.mention(friend)})"
                mentions.append(friend.index)
        if rng.random() < 0.35:
            k = 1 if rng.random() < 0.6 else _rint(rng, 2, 3)
            tags = rng.sample(nd["tags"], min(k, len(nd["tags"])))
            text += " " + " ".join("#" + x for x in tags)
        if rng.random() < 0.15:
            text += " " + _pick(rng, nd["emoji"])
        return text, "en", False, mentions


# --------------------------------------------------------------------------------------------
# Building creators
# --------------------------------------------------------------------------------------------

class _Builder:
    def __init__(self, seed: int, now: datetime):
        self.seed = seed
        self.now = now
        self.now_ms = _to_ms(now)
        self.start_ms = {"bluesky": _to_ms(datetime(2023, 4, 1, tzinfo=timezone.utc)),
                         "mastodon": _to_ms(datetime(2017, 1, 1, tzinfo=timezone.utc))}
        self.taken: dict[str, set[str]] = {p: set() for p in PLATFORMS}
        self.ids: set[str] = set()

    # ---- handles ------------------------------------------------------------------------
    def claim(self, rng: random.Random, platform: str, base: str) -> str:
        base = base.lower()
        if not (base.isascii() and base.replace("_", "").isalnum()):
            base = re.sub(r"[^a-z0-9_]", "", base)
        base = base.strip("_")[:22] or "user"
        if base[0].isdigit():
            base = "x" + base
        if platform == "bluesky":
            base = base.replace("_", "-").strip("-") or "user"
        taken = self.taken[platform]
        cand, tries = base, 0
        while cand in taken:  # short numeric suffixes first, then a wider space
            tries += 1
            cand = f"{base}{_rint(rng, 1, 999) if tries <= 4 else _rint(rng, 1000, 9_999_999)}"
        taken.add(cand)
        return f"{cand}.bsky.social" if platform == "bluesky" else cand

    def new_id(self, rng: random.Random, platform: str, created_ms: int) -> str:
        while True:
            cid = ("did:plc:" + _b32(rng, 24) if platform == "bluesky"
                   else str((created_ms << 16) | rng.getrandbits(16)))
            if cid not in self.ids:
                self.ids.add(cid)
                return cid

    # ---- one creator --------------------------------------------------------------------
    def creator(self, rng: random.Random, index: int, kind: str, platform: str) -> SandboxCreator:
        # Time math is done in integer milliseconds: aware-datetime arithmetic is slow, and
        # this runs 100k times for the biggest universe.
        now_ms = self.now_ms
        start_ms = self.start_ms[platform]
        span = now_ms - 45 * _DAY_MS - start_ms
        # Bluesky's big sign-up waves were late 2023 and late 2024: skew towards recent.
        created_ms = start_ms + int(span * (rng.random() ** 0.7))
        if platform == "mastodon":  # Mastodon reports account creation at midnight
            created_ms -= created_ms % _DAY_MS
        created = _from_ms(created_ms)
        creator_id = self.new_id(rng, platform, created_ms)

        niche = self.niche_for(rng, kind)
        if kind == "person":
            c = self.person(rng, index, platform, niche, created, creator_id)
        else:
            c = self.page(rng, index, kind, platform, niche, created, creator_id)

        # avatars and banners live on the sandbox host, in each platform's URL style
        has_avatar = rng.random() < (0.93 if kind == "person" else 0.97)
        if platform == "bluesky":
            c.avatar = (f"/img/avatar/plain/{creator_id}/bafkrei{_b32(rng, 52)}@jpeg"
                        if has_avatar else None)
            c.banner = (f"/img/banner/plain/{creator_id}/bafkrei{_b32(rng, 52)}@jpeg"
                        if rng.random() < 0.6 else None)
        else:
            parts = "/".join(creator_id[i:i + 3] for i in range(0, len(creator_id), 3))
            c.avatar = (f"/system/accounts/avatars/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if has_avatar else None)
            c.banner = (f"/system/accounts/headers/{parts}/original/{rng.getrandbits(64):016x}.jpg"
                        if rng.random() < 0.5 else None)

        # when they last posted: pages and most people are active, a few people went quiet
        age_days = max((now_ms - created_ms) / _DAY_MS, 1.0)
        if kind == "person" and rng.random() < 0.06:
            gap = rng.uniform(20, 90)
        else:
            gap = min(rng.expovariate(c.posts_per_day), 14.0)
        gap = max(min(gap, age_days - 0.05), 0.0)
        c.last_post_at = _from_ms(now_ms - int(gap * _DAY_MS) - _rint(rng, 60_000, 3_600_000))
        if kind == "person":
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.8, 1.3)
                                + _rint(rng, 0, 60)) + 1
        else:
            c.posts_count = int(c.posts_per_day * age_days * rng.uniform(0.7, 1.1)) + 1

        if rng.random() < 0.015 and kind in ("person", "meme", "animal", "fan"):
            c.engagement_anomaly = True
            c.engagement_rate = rng.uniform(0.25, 0.9)
        return c

    def niche_for(self, rng: random.Random, kind: str) -> str:
        if kind == "animal":
            return "pets" if rng.random() < 0.9 else "photography"
        weights = _PAGE_NICHE_WEIGHTS.get(kind)
        if weights and rng.random() < 0.6:
            names = tuple(weights)
            return _wpick(rng, names, _cum(weights[n] for n in names))
        return _pick(rng, NICHES)

    def followers_person(self, rng: random.Random) -> int:
        r = rng.random()
        for p, lo, hi in _PERSON_TIERS:
            if r < p:
                return int(_loguniform(rng, lo, hi))
            r -= p
        return int(_loguniform(rng, 1_000, 10_000))

    # ---- people -------------------------------------------------------------------------
    def person(self, rng, index, platform, niche, created, creator_id) -> SandboxCreator:
        nd = _NICHE_DATA[niche]
        culture = _wpick(rng, _CULTURE_NAMES, _CULTURE_CUM)
        _, fem, masc, lasts, cities, (lang_code, lang_p) = _CULTURES[culture]
        g = rng.random()
        gender = "f" if g < 0.5 else ("m" if g < 0.95 else "n")
        first = _pick(rng, fem if gender == "f" else masc if gender == "m" else fem + masc)
        last = _pick(rng, lasts)
        if culture == "polish" and gender == "f" and last.endswith("ski"):
            last = last[:-1] + "a"
        city = _pick(rng, cities)
        language = lang_code if (lang_code != "en" and rng.random() < lang_p) else "en"

        # handle
        fa, la = _ascii(first), _ascii(last)
        hw = _pick(rng, nd["handle_words"])
        style = rng.random()
        if style < 0.28:
            base = fa + la
        elif style < 0.40:
            base = f"{fa}_{la}"
        elif style < 0.52:
            base = f"{fa}{la[:1]}{_rint(rng, 70, 99) if rng.random() < 0.5 else _rint(rng, 1, 30)}"
        elif style < 0.66:
            base = f"{fa}{'_' if rng.random() < 0.4 else ''}{hw}"
        elif style < 0.72:
            base = f"the{_ascii(nd['title'])}{fa}"
        elif style < 0.80:
            base = f"{la}{fa[:1]}"
        elif style < 0.90:
            base = fa + str(_rint(rng, 1, 2005))
        else:  # a handle that says nothing about the name
            base = _pick(rng, ("sleepy", "little", "quiet", "rainy", "tiny", "lazy", "wild",
                               "salty", "cosmic", "odd")) + "_" + _pick(
                rng, ("fern", "otter", "crumb", "moth", "pebble", "heron", "biscuit", "comet",
                      "teacup", "sparrow"))
        handle = self.claim(rng, platform, base)

        # display name
        e = _pick(rng, _EMOJI + nd["emoji"])
        pron = _pick(rng, _PRONOUNS[gender])
        d = rng.random()
        if d < 0.38:
            display = f"{first} {last}"
        elif d < 0.48:
            display = f"{first} {last} {e}"
        elif d < 0.57:
            display = f"{first.lower()} {e}"
        elif d < 0.64:
            display = first
        elif d < 0.70:
            display = f"{first} {last[:1]}."
        elif d < 0.73:
            display = f"Dr. {first} {last}"
        elif d < 0.81:
            display = f"{first} | {_pick(rng, nd['short']).title()}"
        elif d < 0.87:
            display = handle.split(".")[0]
        elif d < 0.91:
            display = f"{first} {last} ({pron})"
        elif d < 0.95:
            display = f"{first} {e}{_pick(rng, nd['emoji'])}"
        else:
            display = f"{first.upper()} {last.upper()}"

        # engagement and cadence
        followers = self.followers_person(rng)
        following = int(_loguniform(rng, 80, 2_500))
        if followers < 1_000 and rng.random() < 0.5:
            following = int(followers * rng.uniform(0.6, 2.0)) + 20
        er = _loguniform(rng, 0.01, 0.08)
        if followers > 1_000_000:
            er *= 0.4
        elif followers > 100_000:
            er *= 0.6
        ppd = _loguniform(rng, 1 / 7, 1.0)

        # the bio
        collab = None
        r = rng.random()
        if r < 0.07:
            collab = "paid_only"
        elif r < 0.16:
            collab = "gifting"
        email = None
        if rng.random() < (0.10 if followers < 10_000 else 0.22):
            user = _pick(rng, (f"{fa}.{la}", f"{fa}{la}{_rint(rng, 1, 99)}", f"hello.{fa}",
                               f"collabs.{fa}", f"{fa}{hw}"))
            email = f"{user}@{_pick(rng, _EMAIL_DOMAINS)}"
        website = None
        if rng.random() < 0.18:
            website = _pick(rng, (f"https://{fa}{la}.example.com", f"https://{fa}{hw}.example",
                                  f"https://example.com/{fa}{la}", f"https://links.example/{fa}"))
        sponsored = _loguniform(rng, 0.04, 0.13)
        if collab == "paid_only":
            sponsored = rng.uniform(0.12, 0.22)
        if followers < 1_000:
            sponsored = rng.uniform(0.0, 0.04)
        job = _pick(rng, _JOBS)
        role = _pick(rng, _ROLES[gender])

        if rng.random() < 0.05:
            bio = ""
        elif rng.random() < 0.04:  # ambiguous on purpose: a person with a business-y bio
            biz = f"{_pick(rng, _BRAND_PREFIX)} {_pick(rng, nd['brand_words'])}"
            bio = _pick(rng, (
                f"Founder @ {biz} {e} | we ship nationwide | {city}",
                f"Owner of {biz}. Orders via the link below 👇",
                f"I run {biz} from my kitchen table. Wholesale: {email or 'DM'}",
                f"{first} here 👋 I make the {_pick(rng, nd['products'])}s at {biz}",
            ))
        elif language != "en":
            bio = self.lang_bio(rng, language, nd, gender, city, pron, e, collab, email)
        else:
            bio = self.en_bio(rng, nd, city, job, role, pron, e, collab, email, website)
        if email and email not in bio:
            email = None  # an address only exists if the profile shows it
        # (a website missing from the bio still shows in Mastodon's profile fields)

        c = SandboxCreator(
            index=index, platform=platform, creator_id=creator_id, handle=handle,
            display_name=display, bio=bio, followers=followers, following=following,
            posts_count=0, kind="person", niche=niche, is_bot=False, engagement_anomaly=False,
            avatar=None, banner=None, created_at=created, language=language,
            verified=followers > 1_000_000 and rng.random() < 0.5,
            discoverable=rng.random() < 0.9, website=website, email=email,
            pronouns=pron if rng.random() < 0.3 else None, location=city, collab=collab,
            posts_per_day=ppd, engagement_rate=er, repost_share=rng.uniform(0.0, 0.15),
            sponsored_share=sponsored, given_name=first, culture=culture,
        )
        return c

    def en_bio(self, rng, nd, city, job, role, pron, e, collab, email, website) -> str:
        parts: list[str] = []
        if rng.random() < 0.72:
            parts.append(_pick(rng, nd["bio_i"]).format(city=city, job=job))
        if rng.random() < 0.35:
            parts.append(role)
        if rng.random() < 0.35:
            parts.append(job if rng.random() < 0.5 else f"{job} by day")
        if rng.random() < 0.45 or not parts:
            parts.append(_pick(rng, nd["short"]))
        if rng.random() < 0.2:
            parts.append(_pick(rng, _HOBBIES))
        rng.shuffle(parts) if rng.random() < 0.35 else None
        if rng.random() < 0.25:
            parts.append(pron)
        if rng.random() < 0.3 and not any(city in p for p in parts):
            parts.append(_pick(rng, (f"📍 {city}", f"based in {city}", f"{city} {e}", city)))
        if collab == "paid_only":
            parts.append(_pick(rng, _PAID_EN))
        elif collab == "gifting":
            parts.append(_pick(rng, _GIFT_EN))
        if email:
            parts.append(_pick(rng, _EMAIL_PREFIX_EN) + email)
        if website and rng.random() < 0.7:
            parts.append(_pick(rng, ("", "🔗 ", "more: ", "blog: ")) + website)
        sep = _wpick(rng, _SEPS, _SEPS_CUM)
        bio = sep.join(p for p in parts if p)
        if sep == ". " and bio and not bio.endswith((".", "!", "?")) and rng.random() < 0.5:
            bio += "."
        if rng.random() < 0.3:
            bio += " " + e
        if rng.random() < 0.12 and not email and not website:
            bio = bio.lower()
        return bio

    def lang_bio(self, rng, lang, nd, gender, city, pron, e, collab, email) -> str:
        topic, stmt = nd["langs"][lang]
        role = _pick(rng, _LANG_ROLES[lang][gender])
        tpl = _pick(rng, _LANG_BIO[lang])
        bio = tpl.format(stmt=stmt, Stmt=stmt[:1].upper() + stmt[1:], topic=topic,
                         Topic=topic[:1].upper() + topic[1:], city=city, role=role, emoji=e,
                         pron=pron)
        extra = []
        if collab == "paid_only":
            extra.append(_LANG_PAID[lang])
        elif collab == "gifting":
            extra.append(_LANG_GIFT[lang])
        if email:
            extra.append(_LANG_EMAIL[lang] + email)
        if extra:
            bio = bio + (" | " if rng.random() < 0.6 else "\n") + " | ".join(extra)
        return bio

    # ---- pages --------------------------------------------------------------------------
    def page(self, rng, index, kind, platform, niche, created, creator_id) -> SandboxCreator:
        nd = _NICHE_DATA[niche]
        (f_lo, f_hi), (g_lo, g_hi), (p_lo, p_hi), (e_lo, e_hi), (r_lo, r_hi) = _PAGE_CFG[kind]
        followers = int(_loguniform(rng, f_lo, f_hi))
        following = int(rng.uniform(g_lo, g_hi))
        ppd = rng.uniform(p_lo, p_hi)
        er = _loguniform(rng, e_lo, e_hi)
        city = _pick(rng, _pick(rng, tuple(_CULTURES.values()))[4])
        title, topic = nd["title"], nd["topic"]
        tag = _pick(rng, nd["tags"])
        e = _pick(rng, nd["emoji"])
        year = _rint(rng, 2012, 2024)
        is_bot = False
        website = email = None
        vague = rng.random() < 0.12  # pages whose bio has no page words at all
        verified = False

        if kind == "brand":
            brand = f"{_pick(rng, _BRAND_PREFIX)} {_pick(rng, nd['brand_words'])}"
            slug = _ascii(brand)[:20]
            website = f"https://{slug}.example"
            product = _pick(rng, nd["products"])
            products = product + ("s" if not product.endswith("s") else "")
            tagline = _pick(rng, _TAGLINES).format(product=product, Product=product.capitalize(),
                                                   city=city)
            fmt = dict(brand=brand, tagline=tagline, url=website, brandtag=slug[:18],
                       emoji=e, products=products, Products=products.capitalize(), topic=topic,
                       support=f"support@{slug}.example", city=city, year=year)
            bio = _pick(rng, _BRAND_BIOS_VAGUE if vague else _BRAND_BIOS).format(**fmt)
            bio = bio.replace("..", ".")
            display = brand if rng.random() < 0.8 else f"{brand} {e}"
            base = slug if rng.random() < 0.6 else _ascii(brand.split()[0]) + _ascii(
                nd["brand_words"][0])[:8]
            email = f"hello@{slug}.example" if rng.random() < 0.3 else None
            if email:
                bio += f" | {email}"
            verified = rng.random() < 0.3
        elif kind == "news":
            name = _pick(rng, _NEWS_NAMES).format(title=title, City=city)
            is_bot = platform == "mastodon" and rng.random() < 0.5
            site = _ascii(name)[:20]
            website = f"https://{site}.example"
            fmt = dict(name=name, title=title, topic=topic, tips=f"tips@{site}.example",
                       year=year, url=website)
            pool = _NEWS_BOT_BIOS if is_bot else _NEWS_BIOS
            bio = _pick(rng, pool).format(**fmt)
            display = name if not is_bot or rng.random() < 0.5 else f"{name} (bot)"
            base = site if rng.random() < 0.7 else site[:12] + "news"
            verified = rng.random() < 0.4
        elif kind == "meme":
            display = _pick(rng, _MEME_NAMES).format(title=title, topic=topic)
            promo = f"promo.{_ascii(title)}memes@{_pick(rng, _EMAIL_DOMAINS)}"
            fmt = dict(topic=topic, email=promo,
                       admin=_ascii(display)[:10] + "_admin")
            bio = _pick(rng, _MEME_BIOS_VAGUE if vague else _MEME_BIOS).format(**fmt)
            if "promo:" in bio:
                email = fmt["email"]
            base = (_ascii(display)[:18] if rng.random() < 0.6
                    else f"{_ascii(title)}memes{_rint(rng, 1, 99)}")
        elif kind == "facts":
            display = _pick(rng, _FACT_NAMES).format(title=title)
            bio = _pick(rng, _FACT_BIOS_VAGUE if vague else _FACT_BIOS).format(topic=topic)
            is_bot = platform == "mastodon" and rng.random() < 0.15
            base = _ascii(display)[:18] if rng.random() < 0.7 else f"daily{_ascii(title)}facts"
        elif kind == "animal":
            display = _pick(rng, _ANIMAL_NAMES)
            if rng.random() < 0.3:
                display += f" {e}"
            bio = ("" if vague else _pick(rng, _ANIMAL_BIOS)).format(tag=tag, year=year)
            if vague:
                bio = _pick(rng, ("🐾", "pets pets pets", "good boys only 🐶", ""))
            base = _ascii(display)[:18]
        elif kind == "repost":
            display = _pick(rng, _REPOST_NAMES).format(title=title)
            is_bot = platform == "mastodon" and rng.random() < 0.5
            pool = _REPOST_BOT_BIOS if is_bot else _REPOST_BIOS
            bio = _pick(rng, pool).format(tag=tag, topic=topic)
            if vague and not is_bot:
                bio = f"{topic} {e}"
            base = (_ascii(display)[:18] if rng.random() < 0.6
                    else f"best{_ascii(title)}{_pick(rng, ('daily', 'hub', 'feed'))}")
        else:  # fan: the name and bio are filled once the whole universe exists
            display, bio, base = "", "", ""

        handle = self.claim(rng, platform, base) if kind != "fan" else ""
        if platform == "mastodon" and kind == "brand" and handle and rng.random() < 0.4:
            camel = "".join(w.capitalize() for w in re.split(r"[^A-Za-z0-9]+", display) if w)
            camel = re.sub(r"[^A-Za-z0-9]", "", camel)[:22]
            if camel and camel.lower() not in self.taken[platform]:
                self.taken[platform].discard(handle)
                self.taken[platform].add(camel.lower())
                handle = camel
        c = SandboxCreator(
            index=index, platform=platform, creator_id=creator_id, handle=handle,
            display_name=display, bio=bio, followers=followers, following=following,
            posts_count=0, kind=kind, niche=niche, is_bot=is_bot, engagement_anomaly=False,
            avatar=None, banner=None, created_at=created, language="en", verified=verified,
            discoverable=rng.random() < (0.7 if is_bot else 0.85), website=website, email=email,
            location=city if kind in ("brand", "news") else None, posts_per_day=ppd,
            engagement_rate=er, repost_share=rng.uniform(r_lo, r_hi),
            sponsored_share=0.0,
        )
        return c

    def fill_fan(self, rng: random.Random, c: SandboxCreator, target: SandboxCreator) -> None:
        tname = target.display_name
        tfirst = target.given_name or tname.split()[0]
        th = "@" + target.handle
        fmt = dict(T=tname, Tf=tfirst, tf=tfirst.lower(), th=th, year=_rint(rng, 2019, 2025))
        c.display_name = _pick(rng, _FAN_NAMES).format(**fmt)
        c.bio = _pick(rng, _FAN_BIOS).format(**fmt)
        base = _pick(rng, (f"{_ascii(tfirst)}updates", f"{_ascii(tname)}fans",
                           f"team{_ascii(tfirst)}", f"{_ascii(tfirst)}daily",
                           f"{_ascii(tfirst)}archive"))
        c.handle = self.claim(rng, c.platform, base)
        c.fan_of = target.index
        c.niche = target.niche


def build_universe(creators: int = 300, seed: int = 42, now: datetime | None = None) -> Universe:
    """A deterministic universe of ``creators`` accounts (50..100,000), about half per platform.

    ``now`` is the universe's fixed "today" (default REFERENCE_NOW, 2026-11-01T12:00Z): every
    timestamp is relative to it, so output never depends on the wall clock. Posts are made
    lazily by ``Universe.posts_for``."""
    if isinstance(creators, bool) or not isinstance(creators, int):
        raise TypeError("creators must be an integer")
    if not MIN_CREATORS <= creators <= MAX_CREATORS:
        raise ValueError(
            f"creators must be between {MIN_CREATORS} and {MAX_CREATORS}, got {creators}")
    now = now or REFERENCE_NOW
    now = now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)
    if now < datetime(2023, 6, 1, tzinfo=timezone.utc):
        raise ValueError("now must be 2023-06-01 or later (Bluesky accounts start in 2023)")
    builder = _Builder(seed, now)
    pattern = [k for k, n in _BLOCK_KINDS.items() for _ in range(n)]
    out: list[SandboxCreator] = []
    for block in range(math.ceil(creators / _BLOCK)):
        rng = random.Random(_derive(seed, "block", block))
        kinds = pattern[:]
        rng.shuffle(kinds)
        offset = rng.randrange(2)
        seen: Counter = Counter()
        for kind in kinds:
            index = len(out)
            if index >= creators:
                break
            platform = PLATFORMS[(seen[kind] + offset) % 2]
            seen[kind] += 1
            out.append(builder.creator(rng, index, kind, platform))

    # fan pages are about the most-followed people on their platform
    top: dict[str, list[SandboxCreator]] = {}
    for p in PLATFORMS:
        people = sorted((c for c in out if c.platform == p and c.kind == "person"),
                        key=lambda c: (-c.followers, c.index))
        top[p] = people[:20]
    for c in out:
        if c.kind == "fan":
            rng = random.Random(_derive(seed, "fan", c.index))
            builder.fill_fan(rng, c, _pick(rng, top[c.platform]))
    return Universe(out, seed=seed, now=now)
