"""The Postman collection model and its loader.

``load_collection`` reads Postman Collection v2.0 and v2.1 files (or a bare item or folder) into
frozen dataclasses; every later layer reads only this model. Placeholders such as
``{{record_id1}}`` stay visible as :class:`Placeholder` slots.
"""

from __future__ import annotations

from postman_contracts._errors import CollectionError
from postman_contracts.collection._deferred import deferred_fields as deferred_fields
from postman_contracts.collection._deferred import later as later
from postman_contracts.collection._gc import collector_paused as collector_paused
from postman_contracts.collection._jsontext import decode_json as decode_json
from postman_contracts.collection._loader import load_collection
from postman_contracts.collection._media import MULTIPART as MULTIPART
from postman_contracts.collection._media import URLENCODED as URLENCODED
from postman_contracts.collection._media import media_kind as media_kind
from postman_contracts.collection._media import parse_media_type as parse_media_type
from postman_contracts.collection._media import same_media_type as same_media_type
from postman_contracts.collection._model import (
    NOT_JSON,
    Auth,
    Body,
    Collection,
    Example,
    Folder,
    FormPart,
    Header,
    JsonValue,
    LoadWarning,
    Operation,
    QueryParam,
    Request,
    Url,
    Variable,
)
from postman_contracts.collection._model import forget_parsed as forget_parsed
from postman_contracts.collection._placeholders import DYNAMIC_VARIABLES as DYNAMIC_VARIABLES
from postman_contracts.collection._placeholders import PLACEHOLDER_RE as PLACEHOLDER_RE
from postman_contracts.collection._placeholders import (
    Placeholder,
    find_placeholders,
    substitute,
)
from postman_contracts.collection._placeholders import TypeSlot as TypeSlot
from postman_contracts.collection._placeholders import as_text as as_text
from postman_contracts.collection._placeholders import fill_slots as fill_slots
from postman_contracts.collection._placeholders import slot_of_text as slot_of_text
from postman_contracts.collection._placeholders import slot_sample as slot_sample
from postman_contracts.collection._placeholders import whole_placeholder as whole_placeholder
from postman_contracts.collection._pointer import escape_token as escape_token
from postman_contracts.collection._pointer import to_pointer as to_pointer
from postman_contracts.collection._pointer import unescape_token as unescape_token
from postman_contracts.collection._secrets import API_KEY_HEADERS as API_KEY_HEADERS
from postman_contracts.collection._secrets import CREDENTIAL_HEADERS as CREDENTIAL_HEADERS
from postman_contracts.collection._secrets import REDACTED, Redactor
from postman_contracts.collection._secrets import is_secret_name as is_secret_name
from postman_contracts.collection._source import Limits
from postman_contracts.collection._variables import load_environment

# Besides __all__, the names imported `as` themselves above are shared with the packages above
# (a package reaches another only through its __init__); they are not
# part of the public API.

__all__ = [
    "NOT_JSON",
    "REDACTED",
    "Auth",
    "Body",
    "Collection",
    "CollectionError",
    "Example",
    "Folder",
    "FormPart",
    "Header",
    "JsonValue",
    "Limits",
    "LoadWarning",
    "Operation",
    "Placeholder",
    "QueryParam",
    "Redactor",
    "Request",
    "Url",
    "Variable",
    "find_placeholders",
    "load_collection",
    "load_environment",
    "substitute",
]
