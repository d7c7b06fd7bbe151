"""A snapshot of one rendered failure: the house format every surface prints.

``render_failure`` is the one renderer of the plugin, ``verify`` and both mocks, so its whole
output for a fixed exchange is pinned in ``snapshots/rendered_failure.txt``: a change to the
format shows as a diff in review. The exchange carries credentials (an ``Authorization``
header, an API key in the URL, a password in the request body, a token echoed in the response
and in a violation, one cut by truncation), and none of them may appear in the output.

To accept an intended change of the format: ``POSTMAN_CONTRACTS_UPDATE_SNAPSHOTS=1 pytest
tests/checking/test_render_snapshot.py``, then review and commit the file.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from postman_contracts.checking import (
    Exchange,
    HttpRequest,
    HttpResponse,
    Violation,
    render_failure,
)
from postman_contracts.collection import REDACTED, Redactor

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = "POSTMAN_CONTRACTS_UPDATE_SNAPSHOTS"

TOKEN = "tok_9f8E7d6C5b4A3z"
PASSWORD = "S3cret-Passw0rd-42"
API_KEY = "key_Zx81Lm02Qr93"
SECRETS = (TOKEN, PASSWORD, API_KEY)


def _exchange() -> Exchange:
    request = HttpRequest(
        "POST",
        f"https://api.example.test/v1/things?api_key={API_KEY}&dry_run=true",
        (
            ("Authorization", f"Bearer {TOKEN}"),
            ("X-Tenant", "acme"),
            ("Content-Type", "application/json"),
        ),
        json.dumps({"name": "Ada", "password": PASSWORD, "size": 3}).encode(),
    )
    response = HttpResponse(
        201,
        (("Content-Type", "application/json; charset=utf-8"),),
        json.dumps({"id": "7", "name": "Ada", "session": TOKEN}).encode(),
    )
    return Exchange(
        request,
        response,
        operation="things",
        item_path="Things / Create a thing",
        note="replaying documented example 'Created'",
    )


def _violations() -> list[Violation]:
    return [
        Violation(
            check="response_schema",
            title="The response body does not match the documented schema (type)",
            message="'7' is not of type 'integer'",
            instance_path="$.id",
            schema_path="#/properties/id/type",
            expected="type 'integer'",
            actual="'7'",
        ),
        Violation(
            check="response_schema",
            title="The response body does not match the documented schema (additionalProperties)",
            message=f"Additional properties are not allowed ('session' was unexpected): {TOKEN}",
            instance_path="$",
            expected="no property 'session'",
            # cut where violations are made, before any redactor saw the whole secret
            actual=repr(TOKEN)[:12] + "...",
        ),
    ]


def rendered() -> str:
    return render_failure(
        _violations(),
        _exchange(),
        Redactor(SECRETS),
        reproduce="pytest 'api.postman_collection.json::test_replay[things]' -p no:randomly",
    )


def snapshot_mismatch(actual: str, path: Path, *, update: bool) -> str | None:
    """``None`` when ``path`` holds ``actual`` (written first when ``update``); else the
    message of the failure: a unified diff and how to accept the change."""
    text = actual + "\n"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return None
    expected = path.read_bytes().decode("utf-8") if path.exists() else ""
    if expected == text:
        return None
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            text.splitlines(keepends=True),
            fromfile=f"{path.name} (committed)",
            tofile=f"{path.name} (rendered now)",
        )
    )
    return (
        f"the rendered failure differs from {path}:\n{diff}\n"
        f"If the change is intended, run with {UPDATE}=1 to rewrite the snapshot, "
        "then review and commit it."
    )


def test_a_rendered_failure_matches_its_snapshot() -> None:
    problem = snapshot_mismatch(
        rendered(), SNAPSHOTS / "rendered_failure.txt", update=os.environ.get(UPDATE) == "1"
    )
    assert problem is None, problem


def test_the_rendered_failure_shows_no_secret() -> None:
    """Independent of the snapshot: whoever updates it cannot commit a leak unnoticed."""
    text = rendered()
    for secret in SECRETS:
        assert secret not in text
        assert secret[:8] not in text  # nor the start of one that truncation cut
    assert f"-H 'Authorization: {REDACTED}'" in text
    assert text == rendered()  # byte-stable: nothing of the run (time, address, id) in it


def test_a_mismatch_shows_a_diff_and_how_to_update(tmp_path: Path) -> None:
    path = tmp_path / "snapshots" / "x.txt"
    assert "x.txt" in (snapshot_mismatch("a\nb", path, update=False) or "")  # none written yet
    assert snapshot_mismatch("a\nb", path, update=True) is None
    assert path.read_bytes() == b"a\nb\n"
    assert snapshot_mismatch("a\nb", path, update=False) is None
    message = snapshot_mismatch("a\nc", path, update=False) or ""
    assert "-b\n" in message and "+c\n" in message
    assert f"{UPDATE}=1" in message
    assert path.read_bytes() == b"a\nb\n"  # a mismatch never rewrites the snapshot
