"""The OpenAPI schema and the docs pages (served offline, from the project's own static files)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/v1/schema", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_openapi_3_and_lists_the_accounts_paths(schema):
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/crm/accounts",
        "/api/v1/crm/accounts/{id}",
        "/api/v1/crm/accounts/{id}/status",
        "/api/v1/crm/accounts/{id}/credit-assessment",
        "/api/v1/crm/accounts/{id}/credit-assessments",
        "/api/v1/auth/token",
        "/api/v1/auth/me",
    ):
        assert path in schema["paths"], path


def _data_schema(schema, path, method):
    body = schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    envelope = body["schema"]
    assert set(envelope["required"]) == {"code", "message", "data"}
    return envelope["properties"]["data"]


def _component(schema, ref):
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]


def test_list_response_is_the_paginated_shape_inside_the_envelope(schema):
    page = _component(schema, _data_schema(schema, "/api/v1/crm/accounts", "get"))
    assert set(page["properties"]) == {"list", "total", "page", "pageSize"}
    row = _component(schema, page["properties"]["list"]["items"])
    assert {"accountNo", "contactPerson", "createdBy", "createdAt"} <= set(row["properties"])
    assert not any("_" in name for name in row["properties"])


def test_query_parameters_are_camel_case(schema):
    params = {p["name"] for p in schema["paths"]["/api/v1/crm/accounts"]["get"]["parameters"]}
    assert {
        "page",
        "pageSize",
        "accountNo",
        "name",
        "status",
        "industry",
        "region",
        "type",
    } <= params


def test_request_bodies_are_the_input_shape_in_camel_case(schema):
    body = schema["paths"]["/api/v1/crm/accounts"]["post"]["requestBody"]["content"]
    request = _component(schema, body["application/json"]["schema"])
    assert {"name", "taxNo", "creditLimit", "contactPerson"} <= set(request["properties"])
    assert "accountNo" not in request["properties"] and "creditUsed" not in request["properties"]


def test_create_answers_id_and_number_and_update_answers_null(schema):
    created = _component(schema, _data_schema(schema, "/api/v1/crm/accounts", "post"))
    assert set(created["properties"]) == {"id", "accountNo"}
    assert _data_schema(schema, "/api/v1/crm/accounts/{id}", "put").get("nullable") is True


def test_error_responses_are_listed_as_envelopes(schema):
    responses = schema["paths"]["/api/v1/crm/accounts/{id}"]["get"]["responses"]
    for status in ("401", "403", "404"):
        ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorEnvelope")


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_docs_pages_load_their_assets_from_this_server(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "https://" not in html.replace("https://github.com", "")
