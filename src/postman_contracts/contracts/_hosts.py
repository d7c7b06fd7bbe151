"""Where each operation is sent, and the ``{{variables}}`` its requests need, settled before
the first request.

Why it exists: a collection may document operations on several hosts (a ``{{host}}``
variable per folder, an item written with an absolute URL on another host), and sending
every one of them to ``--contracts-base-url`` tested the wrong server, or the right one on
the wrong host. And a ``{{variable}}`` nobody gave a value is sent as the text
``{{variable}}``: a request no documentation describes, whose failure says nothing about the
server. So, before a run:

* **Hosts.** The host most operations use (the first of them on a tie) is the base URL's.
  Each other host goes to the URL a host option maps it to (``NAME=URL``, ``NAME`` being
  the variable of a ``{{NAME}}`` host, or the host as written, ``api-data.line.me``), else
  to its own: a literal host over the protocol the collection writes (``https`` when it
  writes none), a ``{{variable}}`` host to the variable's value (environment, ``--var``,
  then the collection's). A host that resolves to nothing is an error.
* **Variables** in what is sent (the item's path template, each saved example's path,
  query values and header values; the credentials apart, which the sender supplies from
  the run's configuration) must have a value (environment, ``--var``, the collection's),
  or be shown by a documented example: a variable that one example writes ``{{term}}``
  and another ``shoes``, at the same place (a path segment, a query parameter, a header),
  takes the value shown. Postman's dynamic
  variables (``{{$guid}}``) are drawn fresh. Path variables (``:id``) and the slots of a
  body are drawn by the generators, never errors. The text of a saved example's body is
  replayed as saved, as Postman sends a variable it has no value for: some APIs document
  ``{{placeholders}}`` of their own in a body (Adyen's Forward API fills ``{{number}}`` and
  ``{{credentials}}`` with the stored card itself), so one there is no variable of ours.
  Anything else is an :class:`Unresolved`, which the surfaces report before the first
  request, naming the variable, the item and where it occurs.

A whole path segment ``{{id}}`` is a path parameter, as ``:id`` is (the diff, the mock's
routing and the OpenAPI export read it so): without a value it is drawn, not an error
(:func:`path_stand_ins`); a variable inside a segment (``export.{{format}}``) is text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from postman_contracts._errors import CollectionError
from postman_contracts.collection import (
    CREDENTIAL_HEADERS,
    DYNAMIC_VARIABLES,
    PLACEHOLDER_RE,
    fill_slots,
    find_placeholders,
    whole_placeholder,
)
from postman_contracts.contracts._model import ContractSet, ExampleExchange, OperationContract

__all__ = [
    "EVERY_HOST",
    "HostMap",
    "Unresolved",
    "documented_values",
    "fill_values",
    "host_urls",
    "main_host",
    "raise_unresolved",
    "unresolved_variables",
]


@dataclass(frozen=True)
class Unresolved:
    """A ``{{variable}}`` an operation's requests need and nothing gives a value.

    Attributes:
        variable: its name.
        operation: the operation's id.
        item_path: the Postman item path.
        where: where it occurs, in words (``the host``, ``query parameter 'q' of example
            'OK'``).
    """

    variable: str
    operation: str
    item_path: str
    where: str

    def error(self, file: str | None = None) -> CollectionError:
        """The error to report it with (a usage error: exit 2)."""
        return CollectionError(
            f"variable {{{{{self.variable}}}}} in {self.where} has no value: give it one in "
            f"an environment or with --var (--contracts-var) {self.variable}=..."
            + (
                ", or map the host to a URL (--host-url, --contracts-host)"
                if self.where == "the host"
                else ""
            ),
            file=file,
            item_path=self.item_path,
        )


#: The base URL of each host template of a contract set (``RequestContract.host``).
HostMap = dict[str, str]


def main_host(contracts: ContractSet) -> str:
    """The host most operations use (the first such in collection order): the base URL's."""
    counts = Counter(op.request.host for op in contracts.operations)
    if not counts:
        return ""
    top = max(counts.values())
    return next(op.request.host for op in contracts.operations if counts[op.request.host] == top)


#: The host option's name for every host not named otherwise (``verify`` against its
#: embedded mock, which serves every host, or a proxy in front of all of them).
EVERY_HOST = "*"


def _mapped(host: str, mapping: Mapping[str, str]) -> str | None:
    """The URL a host option gives ``host``: by its variable's name, or as written (case
    aside)."""
    names = find_placeholders(host)
    lowered = {k.strip().lower(): v for k, v in mapping.items()}
    keys = (host.lower(), *(n.lower() for n in names), *(f"{{{{{n.lower()}}}}}" for n in names))
    return next((lowered[k] for k in keys if k in lowered), None)


def host_urls(
    contracts: ContractSet,
    values: Mapping[str, str],
    *,
    base_url: str,
    mapping: Mapping[str, str] | None = None,
) -> tuple[HostMap, list[Unresolved]]:
    """The base URL of every host the operations use (see the module's rules), and the
    hosts nothing resolves. ``base_url`` serves the main host (and, when a mapping to
    :data:`EVERY_HOST` is empty, every host)."""
    main = main_host(contracts)
    mapping = mapping or {}
    out: HostMap = {}
    missing: list[Unresolved] = []
    for op in contracts.operations:
        host = op.request.host
        if host in out:
            continue
        given = _mapped(host, mapping)
        if given:
            out[host] = given.rstrip("/")
        elif host == main or not host:
            out[host] = base_url.rstrip("/")
        elif EVERY_HOST in mapping:
            out[host] = (mapping[EVERY_HOST] or base_url).rstrip("/")
        else:
            url = str(fill_slots(host, values, json=False))
            left = find_placeholders(url)
            if left or not url.strip():
                for name in left or find_placeholders(host) or (host,):
                    missing.append(Unresolved(name, op.id, op.item_path, "the host"))
                continue
            if "://" not in url:
                url = f"{op.request.protocol or 'https'}://{url}"
            out[host] = url.rstrip("/")
    return out, missing


def _places(
    x: ExampleExchange, credentials: frozenset[str], key_param: str
) -> Iterator[tuple[str, str, str]]:
    """``(place, what, text)`` of everything an example sends as text: path segments by
    position, query values by name, header values by name (credentials apart)."""
    for i, segment in enumerate(x.path.split("/")):
        yield f"path {i}", "the path", segment
    for key, value in x.query:
        if key != key_param and value is not None:
            yield f"query {key}", f"query parameter {key!r}", value
    for key, value in x.headers:
        if key.lower() not in credentials:
            yield f"header {key.lower()}", f"header {key!r}", value


def _credentials(op: OperationContract) -> tuple[frozenset[str], str]:
    """The headers that carry credentials for ``op`` (as the sender strips them), and its
    API key's query parameter, if any: the sender supplies those, not the examples."""
    auth = op.request.auth
    names = set(CREDENTIAL_HEADERS)
    if auth.location == "header" and auth.name:
        names.add(auth.name.lower())
    return frozenset(names), auth.name if auth.location == "query" else ""


def documented_values(op: OperationContract) -> dict[str, str]:
    """Values ``op``'s examples show for the variables its path template or other examples
    leave unfilled: a ``{{term}}`` in one where another example shows ``shoes`` at the same
    place (path segments by position, query parameters and headers by name)."""
    credentials, key_param = _credentials(op)
    sent = [p for x in op.examples for p in _places(x, credentials, key_param)]
    concrete: dict[str, list[str]] = {}
    for place, _, text in sent:
        if "{{" not in text:
            concrete.setdefault(place, []).append(text)
    template = [(f"path {i}", "", s) for i, s in enumerate(op.request.path.split("/"))]
    out: dict[str, str] = {}
    for place, _, text in [*template, *sent]:
        names = find_placeholders(text)
        if not names or place not in concrete:
            continue
        pattern = _as_pattern(text)
        match = next((m for c in concrete[place] if (m := pattern.fullmatch(c))), None)
        if match is not None:
            for name, value in zip(names, match.groups(), strict=False):
                out.setdefault(name, value)
    return out


#: What a whole-segment path variable nothing gives a value is sent as: digits, which a
#: path parameter read as a number or as text both accept.
PATH_STAND_IN = "1"


def path_stand_ins(op: OperationContract) -> dict[str, str]:
    """A value for each whole path segment ``{{name}}`` of ``op`` (template or example): such
    a segment is a path parameter (as ``:name`` is; the diff, the routing and the export read
    it so), drawn like one, never an error and never sent as its text."""
    paths = [op.request.path, *(x.path for x in op.examples)]
    names = [whole_placeholder(s) for p in paths for s in p.split("/")]
    return {n: PATH_STAND_IN for n in names if n and not n.startswith("$")}


def fill_values(op: OperationContract, values: Mapping[str, str]) -> dict[str, str]:
    """The values ``op``'s requests are filled with: ``values`` (the run's), over what its
    examples show (:func:`documented_values`), over path parameters' stand-ins."""
    return {**path_stand_ins(op), **documented_values(op), **values}


def _as_pattern(text: str) -> re.Pattern[str]:
    """``export.{{format}}`` as a pattern matching ``export.csv``, one group per variable."""
    parts = PLACEHOLDER_RE.split(text)
    # split keeps the names at odd positions; the text between them is literal
    return re.compile("".join(re.escape(p) if i % 2 == 0 else "(.+?)" for i, p in enumerate(parts)))


def unresolved_variables(contracts: ContractSet, values: Mapping[str, str]) -> list[Unresolved]:
    """The variables the operations' requests need that neither ``values`` nor a documented
    example gives (see the module's rules), each once per operation and place."""
    out: list[Unresolved] = []
    for op in contracts.operations:
        known = fill_values(op, values)
        credentials, key_param = _credentials(op)
        seen: set[tuple[str, str]] = set()
        for name in _needed(op.request.path, known):  # generated requests fill the template
            seen.add((name, "the path"))
            out.append(Unresolved(name, op.id, op.item_path, "the path"))
        for x in op.examples:
            for _, what, text in _places(x, credentials, key_param):
                for name in _needed(text, known):
                    if (name, what) not in seen and (name, "the path") not in seen:
                        seen.add((name, what))
                        out.append(
                            Unresolved(name, op.id, op.item_path, f"{what} of example {x.name!r}")
                        )
    return out


def _needed(text: str, known: Mapping[str, str]) -> Iterable[str]:
    for name in find_placeholders(text):
        # Postman draws every ``{{$name}}`` (``$guid``, ``$randomEmail``...) itself
        if name not in known and name not in DYNAMIC_VARIABLES and not name.startswith("$"):
            yield name


def raise_unresolved(problems: list[Unresolved], file: str | None = None) -> None:
    """Raise the error of the first problem, listing how many more there are."""
    if not problems:
        return
    first = problems[0].error(file)
    if len(problems) > 1:
        others = ", ".join(dict.fromkeys(f"{{{{{p.variable}}}}}" for p in problems[1:]))
        first = CollectionError(
            f"{first.reason}; {len(problems) - 1} more unresolved: {_cut(others)}",
            file=first.file,
            item_path=first.item_path,
        )
    raise first


def _cut(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
