"""Strategies for the string ``format`` values that :func:`from_schema` supports.

Why it exists: a documented API says ``"format": "date-time"`` and means it; a generator
that sends arbitrary text there only tests the server's 400 path. Each format here is
built directly (from Hypothesis's ``dates``/``datetimes``/``uuids``/``ip_addresses`` or a
small regular expression), never by filtering random text, and every value passes
``jsonschema.Draft202012Validator.FORMAT_CHECKER`` (with the ``format-nongpl`` extras).

Times use fixed UTC offsets only, so nothing depends on the tz database being installed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

from hypothesis import strategies as st

from postman_contracts._errors import InvalidArgument
from postman_contracts.generators._schema_check import Unsatisfiable

__all__ = ["format_strategy"]

# A DNS label that fqdn and RFC 1123 accept: letters and digits, inner hyphens.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?"
_HOSTNAME = rf"{_LABEL}(?:\.{_LABEL}){{0,3}}"
_DOMAIN = rf"{_LABEL}(?:\.{_LABEL}){{0,2}}\.[a-z]{{2,6}}"
_EMAIL = rf"[A-Za-z0-9_+-]{{1,16}}(?:\.[A-Za-z0-9_+-]{{1,8}}){{0,2}}@{_DOMAIN}"
# http(s) URLs whose path and query use RFC 3986 unreserved characters only.
_URI = (
    rf"https?://{_DOMAIN}(?::[1-9][0-9]{{0,3}})?"
    r"(?:/[A-Za-z0-9._~-]{0,12}){0,4}(?:\?[A-Za-z0-9._~-]{1,8}=[A-Za-z0-9._~-]{0,8})?"
)


@functools.cache
def _offsets() -> tuple[timezone, ...]:
    """UTC first (what shrinking reaches), then every quarter hour from -12:00 to +14:00."""
    others = (timezone(timedelta(minutes=m)) for m in range(-720, 841, 15) if m)
    return (timezone.utc, *others)


def _date_time() -> st.SearchStrategy[str]:
    return st.datetimes(timezones=st.sampled_from(_offsets())).map(datetime.isoformat)


def _time() -> st.SearchStrategy[str]:
    # RFC 3339 full-time: jsonschema checks "time" as a date-time's time part, offset included.
    return st.times(timezones=st.sampled_from(_offsets())).map(time.isoformat)


def _date() -> st.SearchStrategy[str]:
    return st.dates().map(date.isoformat)


def _uuid() -> st.SearchStrategy[str]:
    return st.uuids().map(str)


def _ipv4() -> st.SearchStrategy[str]:
    return st.ip_addresses(v=4).map(str)


def _ipv6() -> st.SearchStrategy[str]:
    return st.ip_addresses(v=6).map(str)


def _regex(pattern: str) -> st.SearchStrategy[str]:
    return st.from_regex(pattern, fullmatch=True)


# name -> (builder, shortest, longest or None); the lengths let impossible
# minLength/maxLength combinations fail at build time instead of in a health check.
_FORMATS: dict[str, tuple[Callable[[], st.SearchStrategy[str]], int, int | None]] = {
    "date-time": (_date_time, 25, 32),
    "date": (_date, 10, 10),
    "time": (_time, 14, 21),
    "email": (functools.partial(_regex, _EMAIL), 6, None),
    "uri": (functools.partial(_regex, _URI), 11, None),
    "uuid": (_uuid, 36, 36),
    "ipv4": (_ipv4, 7, 15),
    "ipv6": (_ipv6, 2, 45),
    "hostname": (functools.partial(_regex, _HOSTNAME), 1, 67),
}


def format_strategy(
    name: str, min_size: int, max_size: int | None, pointer: str
) -> st.SearchStrategy[str]:
    """Return a strategy of strings in format ``name`` whose length is within the bounds.

    When the bounds cut into the format's natural lengths the strategy filters on length;
    that filter is the only one and documented here: it rejects often only for bounds
    that leave a sliver of the format's range (``hostname`` with ``maxLength: 2``).

    Raises:
        InvalidArgument: the format is unknown, or no value of it has an allowed length.
    """
    try:
        build, shortest, longest = _FORMATS[name]
    except KeyError:
        raise InvalidArgument(f"unknown format {name!r} at {pointer}") from None
    too_long = max_size is not None and max_size < shortest
    if too_long or (longest is not None and min_size > longest):
        raise Unsatisfiable(
            f"no {name!r} value has a length in [{min_size}, {max_size}] at {pointer}"
        )
    strategy = build()
    fits_max = max_size is None or (longest is not None and longest <= max_size)
    if min_size <= shortest and fits_max:
        return strategy
    return strategy.filter(functools.partial(_length_within, min_size, max_size))


def _length_within(min_size: int, max_size: int | None, value: str) -> bool:
    return min_size <= len(value) and (max_size is None or len(value) <= max_size)
