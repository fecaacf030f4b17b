"""Hand-made hostile input on every operation of the OpenAPI schema (issue 20, item 7).

Schemathesis (tools/fuzz.sh) draws its inputs from Hypothesis, which never produces a lone
UTF-16 surrogate, a number whose exponent overflows every numeric type, an empty item in a
comma-separated list, nor a request with thousands of parameters. This corpus sends exactly
those, to every operation the schema lists, so a new endpoint is covered the day it appears:
each must answer its 4xx envelope, never a 500.
"""

import functools
import json
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from drf_spectacular.generators import SchemaGenerator

from accounts.tests.factories import make_account
from activities.tests.factories import make_activity
from campaigns.tests.factories import make_campaign
from cases.tests.factories import make_case
from contacts.tests.factories import make_contact
from core.files import stored_file_create
from sales.tests.factories import make_lead, make_opportunity

pytestmark = pytest.mark.django_db

SURROGATE = "\ud800"
HUGE_NUMBERS = ("1e999999", "-1e999999", "1E+400", "-0.1e-999999999")
EMPTY_ORDERING_ITEMS = (",", "createdAt,", ",-createdAt")
FLOOD = 1001  # one past Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(predicate) -> list[tuple[str, str, dict]]:
    return [
        pytest.param(method, path, operation, id=f"{method.upper()} {path}")
        for path, operations in _schema()["paths"].items()
        for method, operation in operations.items()
        if method in METHODS and predicate(method, path, operation)
    ]


def _json_body(operation: dict) -> dict | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return None
    if "$ref" in schema:
        schema = _schema()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _query_parameters(operation: dict) -> list[dict]:
    return [p for p in operation.get("parameters", []) if p["in"] == "query"]


def _is_number(schema: dict) -> bool:
    kinds = [schema.get("type")] + [item.get("type") for item in schema.get("oneOf", [])]
    return "number" in kinds or "integer" in kinds


def _has_query(predicate):
    return lambda method, path, operation: any(map(predicate, _query_parameters(operation)))


GETS = _operations(lambda method, path, operation: method == "get")
JSON_WRITES = _operations(lambda method, path, operation: _json_body(operation) is not None)
LISTS = _operations(_has_query(lambda parameter: parameter["name"] == "ordering"))
NUMBER_PARAMETERS = _operations(_has_query(lambda parameter: _is_number(parameter["schema"])))
WRITES = _operations(lambda method, path, operation: method in ("post", "put", "patch"))


# --- the records behind {id} ---------------------------------------------------------------------


def _record_id(path: str, user) -> str:
    """A live record of the kind the path names (``/api/v1/crm/cases/{id}/close`` -> a case)."""
    if "{id}" not in path:
        return ""
    resource = path.split("/{id}")[0].rsplit("/", 1)[1]
    account = make_account(by=user)
    makers = {
        "accounts": lambda: account,
        "contacts": lambda: make_contact(account=account, by=user),
        "activities": lambda: make_activity(account=account, by=user),
        "cases": lambda: make_case(account=account, by=user),
        "leads": lambda: make_lead(by=user),
        "opportunities": lambda: make_opportunity(account=account, by=user),
        "campaigns": lambda: make_campaign(by=user),
        "files": lambda: stored_file_create(
            upload=SimpleUploadedFile("a.txt", b"a", content_type="text/plain"), by=user
        ),
    }
    assert resource in makers, f"add a record maker for {resource} ({path})"
    return str(makers[resource]().pk)


@pytest.fixture
def url_of(admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    def url(path: str) -> str:
        return path.replace("{id}", _record_id(path, admin_user))

    return url


def assert_envelope(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content[:300]
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "data"}
    assert body["message"]
    return body


# --- lone surrogates ---------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "operation"), JSON_WRITES)
def test_a_lone_surrogate_in_any_body_field_answers_400(
    admin_client, url_of, method, path, operation
):
    url = url_of(path)
    properties = _json_body(operation).get("properties", {})
    assert properties, path
    for field, schema in properties.items():
        value = [SURROGATE] if schema.get("type") == "array" else SURROGATE
        body = json.dumps({field: value})  # ASCII: the surrogate travels as the escape \ud800
        response = admin_client.generic(method.upper(), url, body, content_type="application/json")
        assert assert_envelope(response)["code"] == 400, field


# A surrogate cannot travel in a URL as text: its UTF-8-like bytes arrive, which Django reads as
# replacement characters. Still, no parameter and no {id} may answer a 500 for them.
SURROGATE_IN_URL = "%ED%A0%80"
QUERIES = _operations(lambda method, path, operation: bool(_query_parameters(operation)))
ON_A_RECORD = _operations(lambda method, path, operation: "{id}" in path)


@pytest.mark.parametrize(("method", "path", "operation"), QUERIES)
def test_a_surrogate_in_any_query_parameter_answers_an_envelope(
    admin_client, url_of, method, path, operation
):
    url = url_of(path)
    for parameter in _query_parameters(operation):
        response = admin_client.get(f"{url}?{parameter['name']}={SURROGATE_IN_URL}")
        assert response.status_code in (200, 400), (parameter["name"], response.content[:300])
        assert_envelope(response, response.status_code)


@pytest.mark.parametrize(("method", "path", "operation"), ON_A_RECORD)
def test_a_surrogate_as_a_record_id_answers_a_4xx_envelope(admin_client, method, path, operation):
    """404 (no such record), or 400 where the action reads its (empty) body first."""
    url = path.replace("{id}", SURROGATE_IN_URL)

    response = admin_client.generic(method.upper(), url, "{}", content_type="application/json")

    assert response.status_code in (400, 404), response.content[:300]
    assert_envelope(response, response.status_code)


# --- numbers no type can hold -------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "operation"), JSON_WRITES)
def test_a_huge_exponent_in_any_number_field_answers_400(
    admin_client, url_of, method, path, operation
):
    url = url_of(path)
    properties = _json_body(operation).get("properties", {})
    numbers = [field for field, schema in properties.items() if _is_number(schema)]
    if not numbers:
        pytest.skip("no number in this body")
    for field in numbers:
        for number in HUGE_NUMBERS:
            body = f'{{"{field}": {number}}}'
            response = admin_client.generic(
                method.upper(), url, body, content_type="application/json"
            )
            assert field in assert_envelope(response)["data"], (field, number)


@pytest.mark.parametrize(("method", "path", "operation"), NUMBER_PARAMETERS)
def test_a_huge_exponent_in_any_number_parameter_answers_400(
    admin_client, url_of, method, path, operation
):
    url = url_of(path)
    numbers = [p["name"] for p in _query_parameters(operation) if _is_number(p["schema"])]
    for name in numbers:
        for number in HUGE_NUMBERS:
            response = admin_client.get(url, {name: number})
            assert name in assert_envelope(response)["data"], (name, number)


# --- ordering ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "operation"), LISTS)
def test_an_empty_item_in_ordering_answers_400_on_every_list(
    admin_client, url_of, method, path, operation
):
    url = url_of(path)
    for ordering in EMPTY_ORDERING_ITEMS:
        response = admin_client.get(url, {"ordering": ordering})
        assert list(assert_envelope(response)["data"]) == ["ordering"], ordering


# --- floods ------------------------------------------------------------------------------------


def _flood() -> str:
    return urlencode([(f"p{i}", "x") for i in range(FLOOD)])


@pytest.mark.parametrize(("method", "path", "operation"), GETS)
def test_a_flood_of_query_parameters_answers_a_4xx_envelope_even_without_a_token(
    api_client, url_of, method, path, operation
):
    """400; or 401 where the view never reads its query (a download asks only for the token)."""
    response = api_client.get(f"{url_of(path)}?{_flood()}")

    assert response.status_code in (400, 401), response.content[:300]
    assert assert_envelope(response, response.status_code)["code"] == response.status_code


def _media_types(operation: dict) -> list[str]:
    """What the flood is sent as: multipart (every write takes it: DRF's form parsers or the
    upload's own), and URL-encoded too unless the operation reads multipart only (the upload)."""
    documented = list(operation.get("requestBody", {}).get("content", {}))
    if documented == ["multipart/form-data"]:
        return [MULTIPART_CONTENT]
    return [MULTIPART_CONTENT, "application/x-www-form-urlencoded"]


@pytest.mark.parametrize(("method", "path", "operation"), WRITES)
def test_a_flood_of_form_fields_answers_400(admin_client, url_of, method, path, operation):
    url = url_of(path)
    fields = {f"p{i}": "x" for i in range(FLOOD)}
    for content_type in _media_types(operation):
        if content_type == MULTIPART_CONTENT:
            body = encode_multipart(BOUNDARY, fields)
        else:
            body = urlencode(fields)
        response = admin_client.generic(method.upper(), url, body, content_type=content_type)
        assert assert_envelope(response)["code"] == 400, content_type


def test_an_upload_of_150_files_answers_400(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    files = {f"file{i}": SimpleUploadedFile(f"{i}.txt", b"x") for i in range(150)}

    response = admin_client.post("/api/v1/files", files, format="multipart")

    assert assert_envelope(response)["code"] == 400
    assert not list(tmp_path.rglob("*.txt"))
