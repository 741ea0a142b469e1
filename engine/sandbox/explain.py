"""What went wrong in model code, in Dutch: the one place that turns Python's errors into words.

A designer or a casemanager never sees an exception class name or Python's English text. Three
sources meet here:

- ``syntax_error``: Python could not read the code (``SyntaxError`` and its indentation kinds);
- ``refusal``: RestrictedPython's policy refused a construct (its English texts, matched one by one);
- ``describe``: an exception raised while model code ran (``NameError``, ``KeyError``, ...).

Each answer says what is wrong and, where it can, what to write instead.
"""
from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["DutchError", "DutchTypeError", "DutchAttributeError", "syntax_error", "refusal", "describe",
           "kind_of"]


class DutchError(ValueError):
    """An error raised by the sandbox's own helpers whose text is already Dutch and specific."""


class DutchTypeError(TypeError):
    """As ``DutchError``, where Python's convention is a ``TypeError`` (a value of the wrong kind)."""


class DutchAttributeError(AttributeError):
    """As ``DutchError``, for an attribute the sandbox refuses."""


# Python's type names as a designer calls the values of case data.
_KINDS = {
    "int": "een geheel getal", "float": "een getal", "Decimal": "een bedrag/getal", "str": "een tekst",
    "bool": "ja/nee", "NoneType": "een lege waarde (None)", "list": "een lijst", "tuple": "een rij",
    "dict": "een verzameling velden", "set": "een verzameling", "date": "een datum",
    "datetime": "een tijdstip", "timedelta": "een tijdsduur", "function": "een functie",
    "builtin_function_or_method": "een functie", "method": "een functie",
}


def kind_of(type_name: str) -> str:
    """Dutch for a Python type name (``'NoneType'`` → "een lege waarde (None)")."""
    return _KINDS.get(type_name.strip("'\""), f"een waarde van het soort {type_name.strip(chr(39))}")


def _quote(text: str) -> str:
    return f"‘{text}’"


# --- Python could not read the code -------------------------------------------------------------

_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("was never closed", "een haakje wordt geopend maar niet gesloten"),
    ("unmatched", "er staat een sluithaakje zonder openingshaakje"),
    ("does not match opening parenthesis", "de haakjes passen niet bij elkaar"),
    ("unterminated string", "een tekst wordt niet afgesloten met een aanhalingsteken"),
    ("unterminated triple-quoted", "een tekst wordt niet afgesloten met drie aanhalingstekens"),
    ("expected ':'", "er ontbreekt een dubbele punt (:)"),
    ("expected an indented block", "na een regel met een dubbele punt moet een ingesprongen regel volgen"),
    ("unexpected indent", "deze regel springt in waar dat niet mag"),
    ("unindent does not match", "het inspringen klopt niet met de regels erboven"),
    ("inconsistent use of tabs", "tabs en spaties worden door elkaar gebruikt om in te springen"),
    ("Maybe you meant '==' or ':='", "schrijf == om te vergelijken"),
    ("cannot assign to", "hier kan geen waarde aan worden toegekend"),
    ("invalid decimal literal", "een getal staat direct tegen letters aan"),
    ("leading zeros", "een getal mag niet met een 0 beginnen"),
    ("Perhaps you forgot a comma", "misschien ontbreekt er een komma"),
    ("unexpected EOF", "de code houdt halverwege op"),
    ("outside function", "return en yield mogen alleen in een functie"),
    ("'break' outside loop", "break mag alleen in een lus"),
    ("'continue' not properly in loop", "continue mag alleen in een lus"),
)


def syntax_error(message: str, lineno: int | None, statement: str | None = None) -> str:
    """``SyntaxError`` → "ongeldige Python-syntax op regel N: <hint> (bij: <statement>)"."""
    text = "ongeldige Python-syntax" + (f" op regel {lineno}" if lineno else "")
    hint = next((dutch for english, dutch in _SYNTAX_HINTS if english in (message or "")), None)
    if hint:
        text += f": {hint}"
    if statement and statement.strip():
        shown = " ".join(statement.split())
        text += f" (bij {_quote(shown if len(shown) <= 60 else shown[:57] + '...')})"
    return text


# --- RestrictedPython's policy refused a construct ----------------------------------------------

_Refusal = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_REFUSALS: tuple[_Refusal, ...] = (
    (re.compile(r'"(?P<n>[^"]+)" is an invalid variable name because it starts with "_"'),
     lambda m: f"namen die met een laag streepje beginnen mogen niet in modelcode ({_quote(m['n'])})"),
    (re.compile(r'"(?P<n>[^"]+)" is an invalid attribute name because it starts with "_"'),
     lambda m: "onderdelen die met een laag streepje beginnen mogen niet in modelcode "
               f"({_quote('.' + m['n'])})"),
    (re.compile(r'"(?P<n>[^"]+)" is an invalid (?:variable|attribute) name because it ends with "__roles__"'),
     lambda m: f"namen die op __roles__ eindigen mogen niet in modelcode ({_quote(m['n'])})"),
    (re.compile(r'"(?P<n>[^"]+)" is a reserved name'),
     lambda m: f"{_quote(m['n'])} is een gereserveerde naam: kies een andere naam"),
    (re.compile(r'"(?P<n>[^"]+)" is a restricted name'),
     lambda m: f"{_quote('.' + m['n'])} mag niet in modelcode"),
    (re.compile(r"(?P<n>\w+) statements are not allowed|(?P<k>\w+) statement is not known"),
     lambda m: f"een {(m['n'] or m['k']).lower()}-opdracht mag niet in modelcode"),
    (re.compile(r'"\*" imports|Lazy import'),
     lambda m: "modules importeren mag niet in modelcode"),
    (re.compile(r"(?P<w>Exec|Eval) calls are not allowed"),
     lambda m: f"{_quote(m['w'].lower())} mag niet in modelcode"),
    (re.compile(r"Unpacking in comprehensions"),
     lambda m: "uitpakken met * binnen een comprehension mag niet in modelcode"),
    (re.compile(r"Augmented assignment of attributes"),
     lambda m: "+= (en dergelijke) op een onderdeel mag niet in modelcode: schrijf a.b = a.b + ..."),
    (re.compile(r"Augmented assignment of object items"),
     lambda m: "+= (en dergelijke) op een element mag niet in modelcode: schrijf a[k] = a[k] + ..."),
    (re.compile(r"Assignment expressions are only allowed for simple targets"),
     lambda m: ":= mag alleen een naam een waarde geven"),
    (re.compile(r'keyword argument "metaclass"'),
     lambda m: "klassen definiëren mag niet in modelcode"),
)


def refusal(message: str) -> str:
    """A RestrictedPython policy text in Dutch; an unknown one becomes a plain Dutch refusal."""
    for pattern, dutch in _REFUSALS:
        found = pattern.search(message)
        if found:
            return dutch(found)
    return "deze code mag niet in modelcode (de sandbox weigert haar)"


# --- an exception raised while model code ran ---------------------------------------------------

_OPERAND = re.compile(r"unsupported operand type\(s\) for (?P<op>\S+): '(?P<a>\w+)' and '(?P<b>\w+)'")
_COMPARE = re.compile(r"'(?P<op>[<>=!]+)' not supported between instances of '(?P<a>\w+)' and '(?P<b>\w+)'")
_CONCAT = re.compile(r'can only concatenate (?P<a>\w+) \(not "(?P<b>\w+)"\) to \w+')
_NOT_SUB = re.compile(r"'(?P<a>\w+)' object is not (?P<what>subscriptable|iterable|callable)")
_NO_LEN = re.compile(r"object of type '(?P<a>\w+)' has no len\(\)")
_ARGS = re.compile(r"(?P<f>\w+)\(\) (?:takes|missing|got)")
_BAD_INT = re.compile(r"invalid literal for int\(\) with base \d+: (?P<v>.+)")
_BAD_FLOAT = re.compile(r"could not convert string to float: (?P<v>.+)")
_BAD_DATE = re.compile(r"Invalid isoformat string: (?P<v>.+)|time data (?P<w>.+) does not match")
_NO_ATTR = re.compile(r"'(?P<a>\w+)' object has no attribute '(?P<n>\w+)'")
# Python's own ValueError texts are English; a model that raises one itself writes Dutch for the user.
_PYTHON_WORDS = re.compile(r"\b(not|invalid|must|cannot|can't|expected|found|object|argument|unconverted|"
                           r"format|range|literal|base|value|empty|sequence|list|string)\b", re.IGNORECASE)
_SUBJECTS = {"subscriptable": "heeft geen velden of posities: [...] kan er niet op",
             "iterable": "is geen lijst: er kan niet overheen worden gelopen",
             "callable": "is geen functie: er kan niets mee worden aangeroepen"}


def _type_error(text: str) -> str:
    if found := _OPERAND.search(text):
        return (f"{found['op']} kan niet met {kind_of(found['a'])} en {kind_of(found['b'])}: "
                "zet de waarden eerst om naar hetzelfde soort")
    if found := _COMPARE.search(text):
        return (f"{kind_of(found['a'])} en {kind_of(found['b'])} kunnen niet met {found['op']} "
                "worden vergeleken")
    if found := _CONCAT.search(text):
        return f"{kind_of(found['a'])} en {kind_of(found['b'])} kunnen niet aan elkaar worden geplakt"
    if found := _NOT_SUB.search(text):
        return f"{kind_of(found['a'])} {_SUBJECTS[found['what']]}"
    if found := _NO_LEN.search(text):
        return f"{kind_of(found['a'])} heeft geen lengte"
    if found := _ARGS.search(text):
        return f"{_quote(found['f'] + '()')} wordt met de verkeerde argumenten aangeroepen"
    return "een waarde van het verkeerde soort (bijvoorbeeld een tekst waar een getal nodig is)"


def _value_error(text: str) -> str:
    if found := _BAD_INT.search(text):
        return f"{found['v']} is geen geheel getal"
    if found := _BAD_FLOAT.search(text):
        return f"{found['v']} is geen getal"
    if found := _BAD_DATE.search(text):
        return f"{found['v'] or found['w']} is geen geldige datum"
    if "math domain" in text:
        return "deze berekening kan met deze waarde niet (buiten het bereik van de functie)"
    if "too many values to unpack" in text or "not enough values to unpack" in text:
        return "het aantal namen links van = past niet bij het aantal waarden rechts"
    if text and not _PYTHON_WORDS.search(text):
        # raise ValueError("Opmerking is verplicht …"): the model's own words for the person
        return text
    return "een ongeldige waarde"


def describe(exc: BaseException) -> str:
    """Dutch description of an exception raised by model code; never its class name."""
    if isinstance(exc, (DutchError, DutchTypeError, DutchAttributeError)):
        return str(exc)
    dutch = getattr(exc, "dutch", None)  # e.g. SandboxViolation, SandboxLimitExceeded
    if isinstance(dutch, str) and dutch:
        return dutch
    text = str(exc)
    if isinstance(exc, SyntaxError):
        return syntax_error(exc.msg, exc.lineno, exc.text)
    if isinstance(exc, NameError):  # also UnboundLocalError
        name = getattr(exc, "name", None) or (re.findall(r"'(\w+)'", text) or ["?"])[0]
        return (f"onbekende naam {_quote(name)}: er is geen veld of hulpfunctie met die naam "
                "(controleer de spelling, of zet een tekst tussen aanhalingstekens)")
    if isinstance(exc, KeyError):
        key = exc.args[0] if exc.args else "?"
        return (f"onbekend veld {_quote(str(key))}: de zaakgegevens hebben dat veld (nog) niet; "
                "gebruik .get() als het mag ontbreken")
    if isinstance(exc, AttributeError):
        name = getattr(exc, "name", None)
        if found := _NO_ATTR.search(text):
            return f"{kind_of(found['a'])} heeft geen onderdeel {_quote('.' + found['n'])}"
        return f"onbekend onderdeel {_quote('.' + name) if name else ''}".rstrip()
    if isinstance(exc, ZeroDivisionError):
        return "deling door nul: de noemer is 0"
    if isinstance(exc, IndexError):
        return "positie buiten de lijst: de lijst is korter dan gedacht"
    if isinstance(exc, OverflowError):
        return "het getal is te groot om mee te rekenen"
    if isinstance(exc, RecursionError):
        return "de code roept zichzelf te vaak aan"
    if isinstance(exc, MemoryError):
        return "de code gebruikt te veel geheugen"
    if isinstance(exc, TypeError):
        return _type_error(text)
    if isinstance(exc, ValueError):
        return _value_error(text)
    if isinstance(exc, AssertionError):
        return "een controle (assert) in de modelcode klopte niet"
    if type(exc).__module__ != "builtins" and text:
        return text  # an application's own error (a decision service, a service task): its words
    return "de modelcode liep op een onverwachte fout"
