"""Schemathesis hooks of tools/fuzz.sh: aim generated requests at records that exist.

An OpenAPI schema can say that ``accountId`` is a UUID, not that it names a live account, nor
that ``endTime`` may not be before ``startTime``. Left alone, the fuzzer would send random ids
and random orders in requests it believes valid, and read the API's rightful 400 (4001, "end
before start", ...) as a schema-valid request rejected. So, before each request:

* a well-formed id in a body (``accountId``, ``contactId``, ``campaignId``, ``attachmentIds``)
  or a username (``owner``) is swapped for one that exists (created by tools/fuzz.sh, passed in
  ``FUZZ_IDS``); malformed values stay, they are the fuzzer's invalid inputs;
* a record's ``{id}`` becomes an existing record of that kind, a separate one for DELETE, for
  closing a case and for converting a lead (in the stateful phase, which follows its own links
  from the records it creates, only where a link leads to one of the shared records);
* in requests the schema finds valid, a start/end pair is put in order and a tax number is made
  unique.

And once, as the schema loads: schemathesis reads numbers as binary floats, and a money bound
such as ``maximum: 9999999999999999.99`` has no float; it would be read as ``1e16``, which the
API rightly refuses (Decimal(18, 2)). Such a bound becomes the nearest float inside it.

Nothing here skips a request or relaxes a check: a request stays valid or invalid as generated.
"""

import datetime
import itertools
import json
import math
import os
import uuid

import schemathesis

IDS: dict[str, str] = json.loads(os.environ.get("FUZZ_IDS") or "{}")
SHARED = frozenset(IDS.values())
USERNAME = os.environ.get("FUZZ_USERNAME", "fuzzer")
_serial = itertools.count(1)

# Body field -> key in FUZZ_IDS of the record it should name.
BODY_REFERENCES = {"accountId": "account", "contactId": "contact", "campaignId": "campaign"}
# Ordered pairs: (start, end) in bodies and queries.
PAIRS = (("startTime", "endTime"), ("startDate", "endDate"))

# (method, path prefix after /api/v1/) -> key in FUZZ_IDS, most specific first.
PATH_RECORDS = (
    ("DELETE", "crm/accounts/{id}", "account_delete"),
    ("DELETE", "crm/contacts/{id}", "contact_delete"),
    ("DELETE", "crm/activities/{id}", "activity_delete"),
    ("DELETE", "crm/campaigns/{id}", "campaign_delete"),
    ("DELETE", "crm/leads/{id}", "lead_delete"),
    ("DELETE", "crm/opportunities/{id}", "opportunity_delete"),
    ("POST", "crm/cases/{id}/close", "case_close"),
    ("POST", "crm/cases/{id}/comments", "case_comment"),
    ("POST", "crm/leads/{id}/convert", "lead_convert"),
    (None, "crm/accounts/{id}", "account"),
    (None, "crm/contacts/{id}", "contact"),
    (None, "crm/activities/{id}", "activity"),
    (None, "crm/campaigns/{id}", "campaign"),
    (None, "crm/cases/{id}", "case"),
    (None, "crm/leads/{id}", "lead"),
    (None, "crm/opportunities/{id}", "opportunity"),
    (None, "files/{id}", "file"),
)


def _is_uuid(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _moment(value):
    """A date or a timestamp as a comparable UTC datetime, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _record_for(method: str, path: str) -> str | None:
    relative = path.split("/api/v1/", 1)[-1]
    for record_method, prefix, key in PATH_RECORDS:
        if record_method not in (None, method):
            continue
        if relative == prefix or relative.startswith(prefix + "/"):
            return IDS.get(key)
    return None


def _existing_references(body: dict) -> None:
    for field, key in BODY_REFERENCES.items():
        if _is_uuid(body.get(field)) and key in IDS:
            body[field] = IDS[key]
    attachments = body.get("attachmentIds")
    if isinstance(attachments, list) and "file" in IDS:
        body["attachmentIds"] = [IDS["file"] if _is_uuid(item) else item for item in attachments]
    if isinstance(body.get("owner"), str) and body["owner"]:
        body["owner"] = USERNAME


def _in_order(values: dict) -> None:
    for start, end in PAIRS:
        first, last = _moment(values.get(start)), _moment(values.get(end))
        if first is not None and last is not None and last < first:
            values[start], values[end] = values[end], values[start]
        elif first is not None and end not in values:
            values[end] = values[start]
        elif last is not None and start not in values:
            values[start] = values[end]


def _is_positive(case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode.name == "POSITIVE"


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    stateful = meta is not None and meta.phase.name == "stateful"
    path_id = (case.path_parameters or {}).get("id")
    # The stateful phase follows links from the records it creates, but also links inferred
    # from reference fields (an opportunity's accountId -> DELETE /accounts/{id}) that lead to
    # the shared records: those go where any other phase would send them.
    if _is_uuid(path_id) and (not stateful or path_id in SHARED):
        record = _record_for(case.method.upper(), case.path)
        if record is not None:
            case.path_parameters["id"] = record
    if isinstance(case.body, dict):
        _existing_references(case.body)
    if not _is_positive(case):
        return case
    if isinstance(case.body, dict):
        _in_order(case.body)
        if isinstance(case.body.get("taxNo"), str) and case.body["taxNo"].strip():
            case.body["taxNo"] = f"FUZZ-{next(_serial)}-{uuid.uuid4().hex[:8]}"
    if isinstance(case.query, dict):
        _in_order(case.query)
    return case


def _float_bounds_inside(node) -> None:
    """Every float ``maximum``/``minimum`` of a ``format: decimal`` number moved one float inward.

    The document spells these bounds exactly (``9999999999999999.99``), and no float holds them:
    the nearest one (``1e16``) lies outside. The float just inside is the largest value a client
    that reads floats can send. Integer bounds (``minimum: 0``) are exact and stay.
    """
    if isinstance(node, dict):
        if node.get("format") == "decimal":
            for key, inward in (("maximum", -math.inf), ("minimum", math.inf)):
                if isinstance(node.get(key), float):
                    node[key] = math.nextafter(node[key], inward)
        for value in node.values():
            _float_bounds_inside(value)
    elif isinstance(node, list):
        for value in node:
            _float_bounds_inside(value)


@schemathesis.hook
def before_load_schema(context, raw_schema):
    _float_bounds_inside(raw_schema)
