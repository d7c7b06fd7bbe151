"""Strict detectors for the string formats that schema inference may label.

Why it exists: a ``format`` in an inferred contract is a promise that every later value
will match it, and it is checked with jsonschema's :data:`FORMAT_CHECKER`. A detector that
labels too eagerly (a free-text field whose first examples happen to be dates) produces
contracts that fail on good data, so each detector here is a deliberately narrow regular
expression plus, where a regex cannot say it, a calendar check. Every string a detector
accepts also passes :data:`FORMAT_CHECKER` (a property test proves it); the reverse does not
hold and need not: missing a label costs nothing, a false label costs a false failure.

Detection is written for speed, because inference runs it on every string of every
example: the formats still possible at a position travel as a bitmask, and cheap tests
(first character, length, a separator at a fixed index) run before any regex.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from jsonschema import Draft202012Validator, FormatChecker

__all__ = [
    "ALL_FORMATS",
    "DATE",
    "DATE_TIME",
    "DETECTORS",
    "EMAIL",
    "FORMAT_CHECKER",
    "FORMAT_NAMES",
    "IPV4",
    "URI",
    "UUID",
    "detect_format",
    "is_date",
    "is_date_time",
    "is_email",
    "is_ipv4",
    "is_uri",
    "is_uuid",
    "matching_formats",
]

#: The checker inferred schemas are validated with. It really checks ``date-time`` and
#: ``uri`` because the packages of the ``jsonschema[format-nongpl]`` extra are installed
#: (all but rfc3987-syntax, see pyproject.toml).
FORMAT_CHECKER: Final[FormatChecker] = Draft202012Validator.FORMAT_CHECKER

#: One bit per format, so a position can carry "formats still possible" as an ``int``.
DATE_TIME: Final = 1
DATE: Final = 2
EMAIL: Final = 4
URI: Final = 8
UUID: Final = 16
IPV4: Final = 32
ALL_FORMATS: Final = DATE_TIME | DATE | EMAIL | URI | UUID | IPV4

#: Bit to JSON Schema format name, in the order a label is chosen when several remain.
FORMAT_NAMES: Final[dict[int, str]] = {
    DATE_TIME: "date-time",
    DATE: "date",
    UUID: "uuid",
    IPV4: "ipv4",
    EMAIL: "email",
    URI: "uri",
}

# The calendar is in the regex (month lengths, leap years, no year 0000), so a detector is
# one C-level ``fullmatch`` with no Python-level checks after it.
_YEAR = r"(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DATE = (
    r"(?:" + _YEAR + r"-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    r"|" + _LEAP_YEAR + r"-02-29)"
)
DATE_RE: Final = re.compile(_DATE, re.ASCII)
#: RFC 3339 ``date-time``: upper-case ``T`` and ``Z``, a mandatory offset, no leap second.
DATE_TIME_RE: Final = re.compile(
    _DATE + r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?"
    r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])",
    re.ASCII,
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: ``local@domain.tld``: a dotted local part of common characters that starts with a letter
#: or digit, DNS labels, and a letter TLD.
EMAIL_RE: Final = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9_%+-]*(?:\.[A-Za-z0-9_%+-]+)*@(?:" + _LABEL + r"\.)+[A-Za-z]{2,63}",
    re.ASCII,
)
_PCHAR = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"


def _pchars(extra: str = "") -> str:
    """``(?:pchar|[extra])*``, unrolled as runs of plain characters between escapes: the
    same strings, matched character class by character class in C instead of an alternation
    per character (twelve times as fast on a long URL)."""
    plain = "[A-Za-z0-9._~!$&'()*+,;=:@" + extra + "-]"
    return plain + "*(?:%[0-9A-Fa-f]{2}" + plain + "*)*"


_TAIL = (
    r"(?:/" + _pchars() + r")*"  # path-abempty
    r"(?:\?" + _pchars("/?") + r")?"  # query
    r"(?:#" + _pchars("/?") + r")?"  # fragment
)
#: ``scheme://host[:port]/path?query#fragment`` with a DNS-style (or empty) host.
URI_RE: Final = re.compile(
    r"([A-Za-z][A-Za-z0-9+.-]*)://((?:" + _LABEL + r")(?:\." + _LABEL + r")*)?"
    r"(?::[0-9]{1,5})?" + _TAIL,
    re.ASCII,
)
#: The opaque URIs common in API bodies (``mailto:``, ``urn:``, ``tel:``).
OPAQUE_URI_RE: Final = re.compile(
    r"(?:mailto|urn|tel):" + _PCHAR + _pchars() + _TAIL,
    re.ASCII,
)
_HEX4 = "[0-9a-fA-F]{4}"
UUID_RE: Final = re.compile(
    "[0-9a-fA-F]{8}-" + _HEX4 + "-" + _HEX4 + "-" + _HEX4 + "-[0-9a-fA-F]{12}", re.ASCII
)
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])"
#: Dotted quad, each part 0-255, no leading zeros (which some parsers read as octal).
IPV4_RE: Final = re.compile(_OCTET + r"(?:\." + _OCTET + r"){3}", re.ASCII)

_DIGITS: Final = frozenset("0123456789")
_HEX_LETTERS: Final = frozenset("abcdefABCDEF")


def is_date_time(text: str) -> bool:
    """Whether ``text`` is an RFC 3339 ``date-time`` with ``T``, seconds and an offset."""
    return DATE_TIME_RE.fullmatch(text) is not None


def is_date(text: str) -> bool:
    """Whether ``text`` is a ``YYYY-MM-DD`` calendar date."""
    return DATE_RE.fullmatch(text) is not None


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its 8-4-4-4-12 hexadecimal form."""
    return UUID_RE.fullmatch(text) is not None


def is_ipv4(text: str) -> bool:
    """Whether ``text`` is a dotted-quad IPv4 address without leading zeros."""
    return IPV4_RE.fullmatch(text) is not None


def is_email(text: str) -> bool:
    """Whether ``text`` is a plain ``local@domain.tld`` address."""
    return EMAIL_RE.fullmatch(text) is not None


def is_uri(text: str) -> bool:
    """Whether ``text`` is an absolute URI (with a host for ``http`` and ``https``)."""
    if ":" not in text:
        return False
    match = URI_RE.fullmatch(text)
    if match is not None:
        # http(s) without a host is not a usable address, even if RFC 3986 allows it.
        return bool(match.group(2)) or match.group(1).lower() not in ("http", "https")
    return OPAQUE_URI_RE.fullmatch(text) is not None


#: Bit to detector (a callable whose result is truthy on a match). The regex-only formats
#: use the compiled pattern's ``fullmatch`` itself: inference calls these once per string.
DETECTORS: Final[dict[int, Callable[[str], object]]] = {
    DATE_TIME: DATE_TIME_RE.fullmatch,
    DATE: DATE_RE.fullmatch,
    UUID: UUID_RE.fullmatch,
    IPV4: IPV4_RE.fullmatch,
    EMAIL: EMAIL_RE.fullmatch,
    URI: is_uri,
}


def matching_formats(text: str, candidates: int = ALL_FORMATS) -> int:
    """Return the subset of ``candidates`` (format bits) whose detector accepts ``text``.

    Args:
        text: the string to classify.
        candidates: the format bits still worth testing; others are never tested, so a
            position whose formats are all ruled out costs nothing.

    Returns:
        The format bits of ``candidates`` that ``text`` matches (``0`` for none).
    """
    if len(text) < 4:
        return 0
    first = text[0]
    if first in _DIGITS:
        candidates &= DATE_TIME | DATE | IPV4 | UUID | EMAIL
    elif first.isascii() and first.isalpha():
        candidates &= EMAIL | URI | (UUID if first in _HEX_LETTERS else 0)
    else:
        return 0
    found = 0
    for bit, detector in DETECTORS.items():
        if candidates & bit and detector(text):
            found |= bit
    return found


def detect_format(text: str) -> str | None:
    """Return the JSON Schema format name ``text`` is recognised as, or ``None``.

    Args:
        text: the string to classify.

    Returns:
        One of ``date-time``, ``date``, ``uuid``, ``ipv4``, ``email``, ``uri``, or ``None``
        when no strict detector accepts the whole string.
    """
    found = matching_formats(text)
    for bit, name in FORMAT_NAMES.items():
        if found & bit:
            return name
    return None
