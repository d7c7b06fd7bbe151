"""The format detectors label only what jsonschema's FORMAT_CHECKER accepts, and no text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from postman_contracts.contracts._formats import (
    ALL_FORMATS,
    DATE,
    DATE_RE,
    DATE_TIME,
    DATE_TIME_RE,
    EMAIL_RE,
    FORMAT_CHECKER,
    FORMAT_NAMES,
    IPV4,
    IPV4_RE,
    OPAQUE_URI_RE,
    URI,
    URI_RE,
    UUID,
    UUID_RE,
    detect_format,
    is_date,
    is_date_time,
    is_email,
    is_ipv4,
    is_uri,
    is_uuid,
    matching_formats,
)

#: format name -> (detector, the regexes it is built on)
DETECTORS: dict[str, tuple[Callable[[str], bool], tuple[re.Pattern[str], ...]]] = {
    "date-time": (is_date_time, (DATE_TIME_RE,)),
    "date": (is_date, (DATE_RE,)),
    "email": (is_email, (EMAIL_RE,)),
    "uri": (is_uri, (URI_RE, OPAQUE_URI_RE)),
    "uuid": (is_uuid, (UUID_RE,)),
    "ipv4": (is_ipv4, (IPV4_RE,)),
}
FAST = settings(max_examples=150, deadline=None)


def test_the_checker_really_checks_the_inferred_formats() -> None:
    # Without the format-nongpl extras, date-time and uri would pass anything.
    for name in ("date-time", "date", "email", "uri", "uuid", "ipv4"):
        assert not FORMAT_CHECKER.conforms("not a value of any format", name), name


@pytest.mark.parametrize("name", sorted(DETECTORS))
@FAST
@given(data=st.data())
def test_what_a_detector_accepts_passes_the_checker(name: str, data: st.DataObject) -> None:
    detector, patterns = DETECTORS[name]
    text = data.draw(st.one_of(*(st.from_regex(p, fullmatch=True) for p in patterns)))
    if detector(text):
        assert FORMAT_CHECKER.conforms(text, name), text
        assert detect_format(text) == name  # and no other detector claims it


_OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda m: dt.timedelta(minutes=m))


@FAST
@given(
    moment=st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)),
    offset=_OFFSETS,
    spec=st.sampled_from(["seconds", "milliseconds", "microseconds"]),
    zulu=st.booleans(),
)
def test_rfc3339_timestamps_are_date_times(
    moment: dt.datetime, offset: dt.timedelta, spec: str, zulu: bool
) -> None:
    text = moment.replace(tzinfo=dt.timezone(offset)).isoformat(timespec=spec)
    if zulu and offset == dt.timedelta(0):
        text = text.replace("+00:00", "Z")
    assert detect_format(text) == "date-time"
    assert FORMAT_CHECKER.conforms(text, "date-time")


_LOOSE_DATE_TIME = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})"
)


@FAST
@given(st.from_regex(_LOOSE_DATE_TIME, fullmatch=True))
@example("2024-02-29T00:00:00Z")
@example("2023-02-29T00:00:00Z")
@example("0000-01-01T00:00:00Z")
@example("2021-04-31T00:00:00Z")
@example("2021-05-12T24:00:00Z")
def test_date_time_calendar_agrees_with_the_checker(text: str) -> None:
    # On the RFC 3339 shape, the detector is exactly the checker: no false labels, and
    # no real timestamp missed for want of a calendar rule.
    assert is_date_time(text) == FORMAT_CHECKER.conforms(text, "date-time")


@FAST
@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True) | st.dates().map(str))
@example("2000-02-29")
@example("1900-02-29")
@example("0000-12-31")
def test_date_calendar_agrees_with_the_checker(text: str) -> None:
    assert is_date(text) == FORMAT_CHECKER.conforms(text, "date")


@FAST
@given(
    st.from_regex(r"[0-9]{1,3}(\.[0-9]{1,3}){3}", fullmatch=True) | st.ip_addresses(v=4).map(str)
)
@example("01.2.3.4")
@example("256.1.1.1")
def test_ipv4_agrees_with_the_checker(text: str) -> None:
    assert is_ipv4(text) == FORMAT_CHECKER.conforms(text, "ipv4")


@FAST
@given(st.uuids(), st.booleans())
def test_uuids_are_uuids(value: object, upper: bool) -> None:
    text = str(value).upper() if upper else str(value)
    assert detect_format(text) == "uuid"
    assert FORMAT_CHECKER.conforms(text, "uuid")


@FAST
@given(
    st.sampled_from(["http", "https", "ftp", "HTTPS"]),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~-]{0,8}){0,3}(\?[a-z]{1,5}=[0-9]{1,4})?", fullmatch=True),
)
def test_web_addresses_are_uris(scheme: str, host: str, path: str) -> None:
    text = f"{scheme}://{host}{path}"
    assert detect_format(text) == "uri"
    assert FORMAT_CHECKER.conforms(text, "uri")


# RFC 3986's path, query and fragment as written there, one pchar at a time: the reference the
# detector's faster (unrolled) form must match exactly.
_PCHAR_RFC = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})"
_TAIL_RFC = rf"(?:/{_PCHAR_RFC}*)*(?:\?(?:{_PCHAR_RFC}|[/?])*)?(?:#(?:{_PCHAR_RFC}|[/?])*)?"
_LABEL_RFC = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_URI_RFC = re.compile(
    rf"([A-Za-z][A-Za-z0-9+.-]*)://((?:{_LABEL_RFC})(?:\.{_LABEL_RFC})*)?(?::[0-9]{{1,5}})?"
    + _TAIL_RFC,
    re.ASCII,
)
_OPAQUE_RFC = re.compile(rf"(?:mailto|urn|tel):{_PCHAR_RFC}+" + _TAIL_RFC, re.ASCII)


@FAST
@given(
    st.sampled_from(["https://api.example.com", "ftp://", "urn:", "mailto:", "x:"]),
    st.text(alphabet="aZ09/?#%:.-_~!$&'()*+,;=@[] Fé", max_size=20),
)
@example("https://a.b", "/p%2Fq/r?x=%zz")
@example("urn:", "%41")
@example("https://a.b", "/x%4")
@example("urn:", "a?b#%F")
def test_uri_patterns_match_the_rfc_grammar(start: str, rest: str) -> None:
    text = start + rest
    for ours, reference in ((URI_RE, _URI_RFC), (OPAQUE_URI_RE, _OPAQUE_RFC)):
        got, expected = ours.fullmatch(text), reference.fullmatch(text)
        assert (got is None) == (expected is None)
        assert got is None or expected is None or got.groups() == expected.groups()


@pytest.mark.parametrize(
    "text",
    [
        "2021-05-12",
        "2024-02-29",
    ],
)
def test_dates(text: str) -> None:
    assert detect_format(text) == "date"


@pytest.mark.parametrize(
    "text",
    [
        "2021-05-12T07:26:48+00:00",
        "2021-05-07T06:23:10Z",
        "2021-05-07T06:23:10.123456789-05:30",
    ],
)
def test_date_times(text: str) -> None:
    assert detect_format(text) == "date-time"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("patricia.boyle@zylker.com", "email"),
        ("p+crm_01@mail.zoho.eu", "email"),
        ("https://www.zohoapis.com/crm/v2/Leads?page=2#top", "uri"),
        ("http://localhost:8080/", "uri"),
        ("file:///etc/hosts", "uri"),
        ("mailto:patricia@zylker.com", "uri"),
        ("urn:isbn:0451450523", "uri"),
        ("123e4567-e89b-12d3-a456-426614174000", "uuid"),
        ("192.168.0.1", "ipv4"),
        ("0.0.0.0", "ipv4"),
    ],
)
def test_typical_values_are_labelled(text: str, name: str) -> None:
    assert detect_format(text) == name
    assert FORMAT_CHECKER.conforms(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Patricia Boyle",
        "record updated",
        "738964000002131001",
        "SUCCESS",
        # almost date-times
        "2021-05-12 07:26:48+00:00",
        "2021-05-12T07:26:48",
        "2021-05-12t07:26:48z",
        "2021-05-12T07:26:48+0000",
        "2021-05-12T07:26:60Z",
        "2021-02-30T07:26:48Z",
        "2021-05-12T07:26:48Z\n",
        " 2021-05-12T07:26:48Z",
        "Wed, 12 May 2021 07:26:48 GMT",
        # almost dates
        "2021-5-12",
        "12/05/2021",
        "20210512",
        "2021-13-01",
        "2023-02-29",
        "0000-01-01",
        "٢٠٢١-٠٥-١٢",
        # almost emails
        "user@",
        "@zylker.com",
        "patricia@localhost",
        "patricia boyle@zylker.com",
        "patricia..boyle@zylker.com",
        "a@b@zylker.com",
        # almost uris
        "http://",
        "https:///path",
        "www.zohoapis.com/crm",
        "/crm/v2/Leads",
        "note: see the docs",
        "Status:OK",
        "{{api-domain}}/crm/v2/Leads",
        "https://zylker.com/a b",
        "https://zylker.com/%zz",
        # almost uuids
        "123e4567-e89b-12d3-a456-42661417400",
        "123e4567e89b12d3a456426614174000",
        "g23e4567-e89b-12d3-a456-426614174000",
        "{123e4567-e89b-12d3-a456-426614174000}",
        # almost ipv4s
        "1.2.3",
        "256.1.1.1",
        "01.2.3.4",
        "1.2.3.4.5",
        "1.2.3.4 ",
        "v1.2.3.4",
    ],
)
def test_typical_non_matching_strings_are_not_labelled(text: str) -> None:
    assert detect_format(text) is None


def test_only_candidate_formats_are_tested() -> None:
    stamp = "2021-05-12T07:26:48+00:00"
    assert matching_formats(stamp) == DATE_TIME
    assert matching_formats(stamp, DATE | UUID) == 0
    assert matching_formats("10.0.0.1", ALL_FORMATS & ~IPV4) == 0
    assert matching_formats("https://zylker.com", URI) == URI


def test_every_format_bit_has_one_name() -> None:
    assert sorted(FORMAT_NAMES) == sorted(bit for bit in (1, 2, 4, 8, 16, 32))
    assert sum(FORMAT_NAMES) == ALL_FORMATS
    assert set(FORMAT_NAMES.values()) == set(DETECTORS)
