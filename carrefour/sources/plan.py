"""A source's field mapping compiled once per run: for each target field, a getter and a memoised cleaner.

Partner files repeat the same values (communes, postal codes, phone numbers, tags, constant texts), and cleaning a
value depends on that value only: each cleaner remembers its results by raw value. A row then costs a few dict
look-ups per field instead of a walk through the configuration's rules and the cleaners' regular expressions.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from carrefour.sources import cleaning, expressions
from carrefour.sources.targets import TARGETS

MEMO_LIMIT = 200_000  # distinct raw values remembered per field before starting afresh
NOTHING = (None, None, None)


@dataclass(frozen=True)
class Step:
    """One target field: `get(values)` reads the raw value of a row, `clean(raw)` → (value, extra, problem).

    value: what goes in the candidate's field, None for nothing; extra: {field: value} to set when absent (an e-mail
    found in a web address); problem: None or (rule, French message).
    """

    target: str
    get: Callable[[dict], object]
    clean: Callable[[object], tuple]


def compile_steps(specs: dict[str, dict], placeholders: frozenset) -> list[Step]:
    steps = []
    for target, spec in specs.items():
        clean = _cleaner(target, spec, placeholders)
        if "constant" in spec:  # cleaned once for the whole run
            result = clean(spec["constant"])
            clean = lambda _value, result=result: result  # noqa: E731
        steps.append(Step(target, _getter(spec), clean))
    return steps


def _getter(spec: dict):
    if "constant" in spec:
        constant = spec["constant"]
        return lambda values: constant
    if "expression" in spec:
        return expressions.compiled(spec["expression"])
    column = spec["column"]
    return lambda values: values.get(column)


def _cleaner(target: str, spec: dict, placeholders: frozenset):
    kind = TARGETS[target]["kind"]
    split = re.compile(spec["split"]) if spec.get("split") else None
    empty_words = cleaning.PLACEHOLDERS | placeholders

    def is_empty(value) -> bool:  # cleaning.is_empty, inlined for strings
        if value.__class__ is str:
            stripped = value.strip()
            return not stripped or stripped.lower() in empty_words
        return cleaning.is_empty(value, placeholders)

    def clean(value) -> tuple:
        if split is not None and isinstance(value, str):
            value = [part.strip() for part in split.split(value) if part.strip()]
        if kind == "list":
            items = value if isinstance(value, list) else ([] if value is None else [value])
            items = [cleaning.text(item) for item in items if not is_empty(item)]
            return (items, None, None) if items else NOTHING
        if isinstance(value, list):
            value = next((item for item in value if not is_empty(item)), None)
        if is_empty(value):
            return NOTHING
        if kind == "url":
            website, mail, problem = cleaning.web_address(value)
            return website or None, {"email": mail} if mail and target == "website" else None, problem
        cleaned, problem = CLEANERS[kind](value)
        return (None if cleaned in (None, "") else cleaned), None, problem

    return memoised(clean)


def memoised(function):
    """`function(value)` remembered by (type, value); unhashable values (lists) are computed each time."""
    memo: dict = {}

    def remembered(value):
        key = (value.__class__, value)
        try:
            return memo[key]
        except KeyError:
            pass
        except TypeError:
            return function(value)
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        result = memo[key] = function(value)
        return result

    return remembered


def _keep(function):
    return lambda value: (function(value), None)


CLEANERS = {
    "text": _keep(cleaning.text),
    "long_text": _keep(cleaning.long_text),
    "number": cleaning.number,
    "email": cleaning.email,
    "phone": cleaning.phone,
    "siret": cleaning.siret_or_siren,
    "rna": cleaning.rna,
    "date": cleaning.date,
    "year": cleaning.year,
}
