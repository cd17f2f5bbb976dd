"""Hypothesis strategies that break valid documents: a value somewhere replaced by something
nasty (deep nesting, huge numbers, NUL, odd unicode, very long text, the wrong type), a key
dropped or added. The documents stay Python data; `to_json` writes the raw literals Python's
own encoder cannot (a 5,000-deep array, a 400-digit integer)."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import strategies as st

DEPTH = 5000  # deeper than Python's recursion limit
# Placeholders that `to_json` swaps for a raw JSON literal.
RAW = {
    "@@deep-list@@": "[" * DEPTH + "]" * DEPTH,
    "@@deep-object@@": '{"a":' * DEPTH + "1" + "}" * DEPTH,
    "@@huge-int@@": "9" * 5000,  # over Python's 4,300-digit int conversion limit
    "@@big-int@@": "9" * 400,
    "@@huge-float@@": "1e400",  # inf once parsed
    "@@tiny-float@@": "-1e-400",
    "@@nan@@": "NaN",
    "@@lone-surrogate@@": '"\\ud800x"',
    "@@escaped-nul@@": '"a\\u0000b"',
}

NASTY_LEAVES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**31,
    2**63,
    -(2**63) - 1,
    10**30,
    1.5,
    -0.0,
    1e308,
    "",
    " ",
    "\x00",
    "nul\x00inside",
    "𝕘𝕝𝕦𝕥𝕖 🏃‍♀️",
    "\u202eright-to-left",
    "é" * 3,
    "x" * 100_000,
    "2024-02-30",
    "0000-01-01",
    "9999-12-31",
    "-1",
    "1e400",
    [],
    {},
    [None],
    {"": None},
    *RAW,
]

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(NASTY_LEAVES),
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(document: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document, the root first."""
    found = [at]
    if isinstance(document, dict):
        for key, value in document.items():
            found += paths(value, (*at, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += paths(value, (*at, index))
    return found


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated(draw: st.DrawFn, valid: Any, max_changes: int = 3) -> Any:
    """`valid` with one to `max_changes` changes: a value replaced, a key removed or added."""
    document = copy.deepcopy(valid)
    for _ in range(draw(st.integers(1, max_changes))):
        where = draw(st.sampled_from(paths(document)))
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        value = copy.deepcopy(draw(st.one_of(st.sampled_from(NASTY_LEAVES), json_values)))
        if not where:
            if action == "replace":
                document = value
            continue
        parent = _parent(document, where)
        if action == "replace":
            parent[where[-1]] = value
        elif action == "drop" and isinstance(parent, dict):
            del parent[where[-1]]
        elif action == "drop" and isinstance(parent, list):
            parent.pop(where[-1])
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = value
        else:
            parent.append(value)
    return document


def to_json(document: Any) -> bytes:
    text = json.dumps(document, ensure_ascii=False)
    for placeholder, literal in RAW.items():
        text = text.replace(json.dumps(placeholder), literal)
    return text.encode("utf-8", "surrogatepass")


def to_python(document: Any) -> Any:
    """The document as a parser hands it over: each placeholder as the value its literal is."""
    return _parsed_leaves(document)


def _parsed_leaves(document: Any) -> Any:
    if isinstance(document, dict):
        return {k: _parsed_leaves(v) for k, v in document.items()}
    if isinstance(document, list):
        return [_parsed_leaves(v) for v in document]
    if isinstance(document, str) and document in RAW:
        return _deep(document) if document.startswith("@@deep") else _literal(document)
    return document


def _deep(kind: str) -> Any:
    value: Any = 1
    for _ in range(DEPTH):
        value = [value] if kind == "@@deep-list@@" else {"a": value}
    return value


def _literal(placeholder: str) -> Any:
    if placeholder == "@@huge-int@@":
        return int("9" * 4000) * 10**1000
    return json.loads(RAW[placeholder])
