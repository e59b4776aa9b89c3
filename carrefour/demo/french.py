"""Small French grammar helpers for generated text: elision, contractions, lists."""

_VOWELS = frozenset("aeiouyàâäéèêëîïôöûüœæ")
_APOSTROPHES = ("'", "’")
# Leading article of a place name → (form after « de », form after « à »).
_ARTICLES = (
    ("Les ", "des ", "aux "),
    ("Aux ", "des ", "aux "),
    ("Le ", "du ", "au "),
    ("La ", "de La ", "à La "),
    ("L'", "de L'", "à L'"),
    ("L’", "de L’", "à L’"),
)


def starts_with_vowel_sound(word: str) -> bool:
    """Whether « de » / « le » elide before `word` (a mute h is guessed from « hé », « hô », « hy »)."""
    lowered = word[:2].lower()
    if not lowered:
        return False
    if lowered[0] in _VOWELS:
        return True
    return lowered[0] == "h" and lowered[1:2] in {"é", "ê", "è", "ô", "y"}


def of_place(name: str) -> str:
    """« de Lyon », « d'Angers », « du Havre », « des Abymes », « de La Rochelle »."""
    for article, of_form, _ in _ARTICLES:
        if name.startswith(article):
            return of_form + name[len(article) :]
    return ("d'" if starts_with_vowel_sound(name) else "de ") + name


def at_place(name: str) -> str:
    """« à Lyon », « au Havre », « aux Abymes », « à La Rochelle »."""
    for article, _, at_form in _ARTICLES:
        if name.startswith(article):
            return at_form + name[len(article) :]
    return "à " + name


def of_phrase(phrase: str) -> str:
    """« de réparer… », « d'accueillir… »."""
    return ("d'" if starts_with_vowel_sound(phrase) else "de ") + phrase


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def lower_label(label: str) -> str:
    """Lower-case the first letter of a label unless it starts an acronym (« AMAP », « ESS »)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def join_and(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »; only commas when an item has its own « et » (« x et y, z »)."""
    if len(items) <= 1:
        return "".join(items)
    if any(" et " in item for item in items):
        return ", ".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]
