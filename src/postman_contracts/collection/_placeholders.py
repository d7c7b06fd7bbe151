"""``{{placeholders}}``: Postman's template slots, kept visible in the model.

Why it exists: a Postman body such as ``{"ids": ["{{record_id1}}"], "n": {{n}}}`` is a
template, not data. If the loader replaced the slots with strings, inference would type
``n`` as a string and generators would send the literal ``{{...}}`` text. So a JSON value
that *is* a placeholder becomes a :class:`Placeholder`, and text that merely *contains*
placeholders (``"Bearer {{token}}"``) stays text whose slots :func:`find_placeholders`
lists.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

__all__ = ["DYNAMIC_VARIABLES", "Placeholder", "dynamic_value", "find_placeholders", "substitute"]

#: ``{{name}}``; Postman allows any characters but braces inside.
PLACEHOLDER_RE = re.compile(r"\{\{([^{}]+?)\}\}")
_WHOLE_RE = re.compile(r"^\{\{([^{}]+?)\}\}$")

#: Postman's dynamic variables that carry a fixed meaning (faker-based ``$random...``
#: variables are recognised by their ``$`` prefix; these are the ones whose type is known).
DYNAMIC_VARIABLES: dict[str, str] = {
    "$guid": "uuid",
    "$randomUUID": "uuid",
    "$timestamp": "unix-timestamp",
    "$isoTimestamp": "date-time",
    "$randomInt": "integer",
    "$randomEmail": "email",
    "$randomExampleEmail": "email",
    "$randomUrl": "uri",
    "$randomIP": "ipv4",
    "$randomDateFuture": "date-time",
    "$randomDatePast": "date-time",
    "$randomDateRecent": "date-time",
    "$randomBoolean": "boolean",
}


@dataclass(frozen=True)
class Placeholder:
    """A ``{{name}}`` slot standing where a JSON value would be.

    Attributes:
        name: the variable name between the braces, as written.
        quoted: ``True`` for ``"{{name}}"`` (a string slot), ``False`` for a bare ``{{name}}``
            in raw JSON, which Postman fills with whatever text the variable holds.
    """

    name: str
    quoted: bool = True

    @property
    def dynamic(self) -> bool:
        """Whether this is one of Postman's ``{{$dynamic}}`` variables."""
        return self.name.startswith("$")

    @property
    def dynamic_kind(self) -> str | None:
        """The known meaning of a dynamic variable (``uuid``, ``date-time``...), if any."""
        return DYNAMIC_VARIABLES.get(self.name)

    def __str__(self) -> str:
        return "{{" + self.name + "}}"


def whole_placeholder(text: str) -> str | None:
    """Return the variable name when ``text`` is exactly one ``{{name}}``, else ``None``."""
    if not text.startswith("{{"):
        return None
    match = _WHOLE_RE.match(text)
    return match.group(1) if match else None


def find_placeholders(text: str) -> tuple[str, ...]:
    """Return the names of the ``{{slots}}`` in ``text``, in order, without repeats."""
    if "{{" not in text:
        return ()
    return tuple(dict.fromkeys(PLACEHOLDER_RE.findall(text)))


def substitute(text: str, values: dict[str, str]) -> str:
    """Fill the slots of ``text`` whose names are in ``values``; leave the others as written."""
    if "{{" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return PLACEHOLDER_RE.sub(fill, text)


def dynamic_value(name: str) -> str | None:
    """A fresh value for a Postman dynamic variable (``$guid``...), as Postman would send it,
    or ``None`` for a name that is not a dynamic variable this tool can fill."""
    kind = DYNAMIC_VARIABLES.get(name)
    now = datetime.now(timezone.utc)
    values: dict[str | None, Callable[[], str]] = {
        "uuid": lambda: str(uuid.uuid4()),
        "unix-timestamp": lambda: str(int(now.timestamp())),
        "date-time": lambda: now.isoformat(timespec="seconds").replace("+00:00", "Z"),
        "integer": lambda: str(secrets.randbelow(1000)),
        "email": lambda: f"user{secrets.randbelow(10_000)}@example.com",
        "uri": lambda: "https://example.com/",
        "ipv4": lambda: "203.0.113.7",
        "boolean": lambda: secrets.choice(("true", "false")),
    }
    make = values.get(kind)
    return make() if make is not None else None
