"""Which corpus cases the generator sweeps run: a fixed sample by default, all on request.

Why it exists: drawing bodies for every schema of the corpus (about 350 response schemas and
the request schemas of every operation) was a quarter of the suite's time. By default the
sweeps of ``tests/generators/test_requests.py`` and ``test_responses.py`` run a fixed,
deterministic quarter of the cases (by a checksum of the case id, so a case stays in or out
as the corpus grows), plus every case of the bundled collection and the regressions named
in :data:`ALWAYS`. Setting ``POSTMAN_CONTRACTS_CORPUS_EXAMPLES`` (the draws per case, 200 for
the generators issue's full check) runs every case.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

_KNOB = "POSTMAN_CONTRACTS_CORPUS_EXAMPLES"
#: Draws per case: 25 in the suite, as many as asked with the knob.
CORPUS_EXAMPLES = int(os.environ.get(_KNOB, "25"))
#: Every case when the knob is set; else one case in SAMPLE_ONE_IN.
FULL = _KNOB in os.environ
SAMPLE_ONE_IN = 4
#: Cases kept in every run: the bundled collection, and schemas that once broke generation.
ALWAYS_PREFIXES = ("zoho-crm.postman_collection.json::",)
ALWAYS = frozenset(
    {
        # 45-52% of draws overran Hypothesis's budget (data_too_large) before nesting and
        # wide elements shortened unbounded arrays
        "apideck-crm.postman_collection.json::companies/list-companies::200",
        "apideck-crm.postman_collection.json::contacts/list-contacts::200",
        "apideck-crm.postman_collection.json::leads/list-leads::200",
    }
)


def sampled(cases: Sequence[tuple[str, T]]) -> list[tuple[str, T]]:
    """The ``(id, case)`` pairs to run: all with the knob, else the fixed sample."""
    if FULL:
        return list(cases)
    return [
        (name, case)
        for name, case in cases
        if name in ALWAYS
        or name.startswith(ALWAYS_PREFIXES)
        or zlib.crc32(name.encode("utf-8")) % SAMPLE_ONE_IN == 0
    ]
