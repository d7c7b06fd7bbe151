"""Strategies for the scalar parts of a schema: strings, integers and numbers.

Why it exists: these are the leaves every body is made of, so they must be the very
strategies a person would write by hand (``st.text``, ``st.from_regex``, ``st.integers``,
``st.floats``), built by construction so that Hypothesis never rejects a draw.

``pattern`` is Python-regex text that JSON Schema applies as an unanchored *search*.
Generation uses a rewritten copy whose matches are a subset of the original's and which
keeps ECMA-262 meaning where Python differs: an unescaped ``$`` becomes ``\\Z`` (Python's
``$`` also matches before a final newline; ECMA's does not), and ``\\d``/``\\w`` become
their ASCII classes (a server's ECMA regex does not take Arabic-Indic digits for ``\\d``).
"""

from __future__ import annotations

import functools
import math
import operator
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from postman_contracts.generators._formats_st import format_strategy
from postman_contracts.generators._schema_check import Unsatisfiable

__all__ = ["generation_regex", "integer_strategy", "number_strategy", "string_strategy"]

_ASCII_CLASSES = {"d": "0-9", "w": "A-Za-z_0-9"}  # each ends in a range: see _escape
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def generation_regex(pattern: str) -> tuple[str, bool]:
    """Return the regex to generate ``pattern``'s matches from, and whether it is anchored.

    "Anchored" means it holds an anchor or lookaround (``^ $ \\A \\Z \\b \\B (?=``...),
    so text appended to a match may stop it matching.
    """
    rewrite_classes = not any(look in pattern for look in _LOOKAROUNDS)
    out: list[str] = []
    anchored = not rewrite_classes
    index, in_class, negated, class_start = 0, False, False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            out.append(_escape(pattern[index + 1], in_class, negated or not rewrite_classes))
            anchored = anchored or (not in_class and pattern[index + 1] in "bBAZ")
            index += 2
        elif in_class:
            in_class = not (char == "]" and index > class_start)
            out.append(char)
            index += 1
        elif char == "[":
            negated = pattern.startswith("[^", index)
            class_start = index + 1 + negated  # a ']' right there is a literal
            in_class = True
            out.append(pattern[index:class_start])
            index = class_start
        else:
            anchored = anchored or char in "^$"
            out.append(r"\Z" if char == "$" else char)
            index += 1
    return "".join(out), anchored


def _escape(char: str, in_class: bool, keep: bool) -> str:
    body = _ASCII_CLASSES.get(char)
    if body is None or keep:
        return "\\" + char
    # Ending in a range means a following '-' stays a literal, as it was after '\d'.
    return body if in_class else f"[{body}]"


def string_strategy(schema: Mapping[str, Any], pointer: str) -> st.SearchStrategy[str]:
    """Strings valid under the ``minLength``/``maxLength``/``pattern``/``format`` of ``schema``.

    Raises:
        InvalidArgument: ``minLength`` exceeds ``maxLength``, or the format has no value
            of an allowed length.
    """
    min_size = int(schema.get("minLength", 0))
    max_size = None if "maxLength" not in schema else int(schema["maxLength"])
    if max_size is not None and min_size > max_size:
        raise Unsatisfiable(f"minLength {min_size} > maxLength {max_size} at {pointer}")
    pattern = schema.get("pattern")
    if "format" in schema:
        strategy = format_strategy(schema["format"], min_size, max_size, pointer)
        if pattern is not None:
            # Documented filter: a pattern beside a format almost always restates it.
            strategy = strategy.filter(re.compile(pattern).search)
        return strategy
    if pattern is not None:
        return _pattern_strategy(pattern, min_size, max_size)
    return st.text(min_size=min_size, max_size=max_size)


def _pattern_strategy(pattern: str, min_size: int, max_size: int | None) -> st.SearchStrategy[str]:
    regex, anchored = generation_regex(pattern)
    if min_size == 0 and max_size is None:
        # Search semantics: Hypothesis itself adds text around an unanchored match.
        return st.from_regex(regex)
    match = st.from_regex(regex, fullmatch=True)
    if anchored:
        # Documented filter: the regex decides the length; the bounds usually restate it.
        return match.filter(functools.partial(_length_within, min_size, max_size))
    if max_size is not None:
        match = match.filter(functools.partial(_length_within, 0, max_size))
    return _padded(match, min_size, max_size)


@st.composite
def _padded(
    draw: st.DrawFn, match: st.SearchStrategy[str], min_size: int, max_size: int | None
) -> str:
    """A match followed by text that brings it within the length bounds."""
    head = draw(match)
    room = None if max_size is None else max_size - len(head)
    return head + draw(st.text(min_size=max(0, min_size - len(head)), max_size=room))


def _length_within(min_size: int, max_size: int | None, value: str) -> bool:
    return min_size <= len(value) and (max_size is None or len(value) <= max_size)


def integer_bounds(schema: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The smallest and largest integer allowed by the four bound keywords (None: open)."""
    lows = [math.ceil(schema["minimum"])] if "minimum" in schema else []
    if "exclusiveMinimum" in schema:
        lows.append(math.floor(schema["exclusiveMinimum"]) + 1)
    highs = [math.floor(schema["maximum"])] if "maximum" in schema else []
    if "exclusiveMaximum" in schema:
        highs.append(math.ceil(schema["exclusiveMaximum"]) - 1)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def integer_strategy(schema: Mapping[str, Any], pointer: str) -> st.SearchStrategy[int]:
    """Integers within the bounds of ``schema`` and a multiple of its ``multipleOf``.

    Raises:
        InvalidArgument: no integer satisfies the bounds and ``multipleOf``.
    """
    low, high = integer_bounds(schema)
    multiple: float = schema.get("multipleOf", 1)
    exact = float(multiple).is_integer()
    step = int(multiple) if exact else _numerator(multiple)
    k_low = None if low is None else -(-low // step)
    k_high = None if high is None else high // step
    if k_low is not None and k_high is not None and k_low > k_high:
        what = "integer" if multiple == 1 else f"multiple of {multiple}"
        raise Unsatisfiable(f"no {what} lies within the bounds at {pointer}")
    if step == 1:
        return st.integers(k_low, k_high)
    strategy = st.integers(k_low, k_high).map(functools.partial(operator.mul, step))
    if not exact:
        # Documented filter: jsonschema divides in floating point; k * p almost always passes.
        strategy = strategy.filter(functools.partial(is_multiple, multiple))
    return strategy


def _numerator(multiple: float) -> int:
    # multipleOf 0.25 (1/4): the integers that are multiples are the multiples of 1.
    return Fraction(repr(multiple)).numerator


def is_multiple(multiple: float, value: float) -> bool:
    """``multipleOf`` exactly as jsonschema decides it for a float ``multiple``."""
    quotient = value / multiple
    return math.isfinite(quotient) and int(quotient) == quotient


def number_strategy(schema: Mapping[str, Any], pointer: str) -> st.SearchStrategy[float]:
    """Finite floats within the bounds of ``schema`` (multiples of ``multipleOf`` if given).

    Raises:
        InvalidArgument: the bounds leave no number.
    """
    multiple = schema.get("multipleOf")
    if multiple is not None and float(multiple).is_integer():
        return integer_strategy(schema, pointer)
    low, exclude_low = _bound(schema, "minimum", "exclusiveMinimum", max)
    high, exclude_high = _bound(schema, "maximum", "exclusiveMaximum", min)
    if (
        low is not None
        and high is not None
        and (low > high or (low == high and (exclude_low or exclude_high)))
    ):
        raise Unsatisfiable(f"no number lies within the bounds at {pointer}")
    if multiple is not None:
        return _float_multiples(multiple, (low, exclude_low), (high, exclude_high), pointer)
    return st.floats(
        min_value=low,
        max_value=high,
        exclude_min=exclude_low,
        exclude_max=exclude_high,
        allow_nan=False,
        allow_infinity=False,
    )


def _bound(
    schema: Mapping[str, Any], inclusive: str, exclusive: str, tighter: Any
) -> tuple[float | None, bool]:
    candidates = [(schema[inclusive], False)] if inclusive in schema else []
    if exclusive in schema:
        candidates.append((schema[exclusive], True))
    if not candidates:
        return None, False
    value = tighter(value for value, _ in candidates)
    return value, any(excl for bound, excl in candidates if bound == value)


def _float_multiples(
    multiple: float,
    low: tuple[float | None, bool],
    high: tuple[float | None, bool],
    pointer: str,
) -> st.SearchStrategy[float]:
    k_low = None if low[0] is None else math.ceil(low[0] / multiple)
    if k_low is not None and low[1] and k_low * multiple <= (low[0] or 0):
        k_low += 1
    k_high = None if high[0] is None else math.floor(high[0] / multiple)
    if k_high is not None and high[1] and k_high * multiple >= (high[0] or 0):
        k_high -= 1
    if k_low is not None and k_high is not None and k_low > k_high:
        raise Unsatisfiable(f"no multiple of {multiple} lies within the bounds at {pointer}")
    valid = functools.partial(_float_multiple_within, multiple, low, high)
    # Documented filter: k * multiple is a multiple for jsonschema about 85% of the time
    # (floating-point division), and may round past a bound.
    return st.integers(k_low, k_high).map(functools.partial(operator.mul, multiple)).filter(valid)


def _float_multiple_within(
    multiple: float,
    low: tuple[float | None, bool],
    high: tuple[float | None, bool],
    value: float,
) -> bool:
    above = low[0] is None or value > low[0] or (value == low[0] and not low[1])
    below = high[0] is None or value < high[0] or (value == high[0] and not high[1])
    return above and below and is_multiple(multiple, value)
