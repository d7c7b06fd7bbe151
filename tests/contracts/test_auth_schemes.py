"""Auth schemes in the contract (issue 13 part B): what the sender can sign, and the OAuth 2
token endpoint a client calls first."""

from __future__ import annotations

from typing import Any

import pytest

from postman_contracts.collection import Auth, load_collection
from postman_contracts.contracts import build_contracts
from postman_contracts.contracts._build import auth_contract
from postman_contracts.contracts._files import write_contracts
from postman_contracts.contracts._read import load_contracts


def _auth(kind: str, **params: str) -> Auth:
    return Auth(kind, dict(params))


def test_digest_names_its_user_and_password_variables_like_basic() -> None:
    digest = auth_contract(_auth("digest", username="{{user}}", password="{{pass}}", realm="r"))
    assert (digest.scheme, digest.token_variable, digest.password_variable) == (
        "Digest",
        "user",
        "pass",
    )
    assert digest.unsigned == ""


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("oauth1", "oauthlib"), ("awsv4", "botocore"), ("hawk", "mohawk"), ("ntlm", "requests-ntlm")],
)
def test_schemes_signed_with_a_library_we_do_not_depend_on_say_why(kind: str, reason: str) -> None:
    assert reason in auth_contract(_auth(kind, consumerKey="k")).unsigned


@pytest.mark.parametrize("kind", ["noauth", "bearer", "basic", "apikey", "oauth2", "digest"])
def test_schemes_the_sender_makes_are_signed(kind: str) -> None:
    assert auth_contract(_auth(kind, token="{{t}}", key="X-Key", value="{{k}}")).unsigned == ""


def test_the_oauth2_token_endpoint_is_kept_redacted_and_read_back(tmp_path: Any) -> None:
    doc = {
        "info": {
            "name": "o",
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "auth": {
            "type": "oauth2",
            "oauth2": [
                {
                    "key": "accessTokenUrl",
                    "value": "https://auth.example.test/token?client_secret=s3cr3t-value-1",
                },
                {"key": "clientSecret", "value": "s3cr3t-value-1"},
                {"key": "accessToken", "value": "{{token}}"},
            ],
        },
        "item": [
            {"name": "me", "request": {"method": "GET", "url": "https://api.example.test/me"}}
        ],
    }
    contracts = build_contracts(load_collection(doc))
    auth = contracts.operations[0].request.auth
    assert auth.token_url == "https://auth.example.test/token?client_secret=[REDACTED]"
    write_contracts(contracts, tmp_path / "c")
    assert load_contracts(tmp_path / "c").operations[0].request.auth == auth
