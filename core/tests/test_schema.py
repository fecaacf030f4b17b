"""The OpenAPI schema and the docs pages (served offline, from the project's own static files)."""

import re

import pytest

from conftest import client_for

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


# --- the schema tells the truth (tools/fuzz.sh holds the API to it) ---------------------------


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _error_ref(response):
    return response["content"]["application/json"]["schema"]["$ref"]


def test_every_operation_documents_the_errors_it_can_answer(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        public = path.startswith("/api/v1/auth/") and path != "/api/v1/auth/me"
        expected = {"400", "401", "429"}
        expected |= set() if public else {"403"}
        expected |= {"404"} if "{" in path else set()
        expected |= {"413", "415"} if "requestBody" in operation else set()
        assert expected <= set(responses), (method, path)
        for status in expected:
            assert _error_ref(responses[status]).endswith("/ErrorEnvelope"), (method, path)


def test_field_errors_may_nest_by_list_index(schema):
    field_errors = schema["components"]["schemas"]["FieldErrors"]
    options = field_errors["additionalProperties"]["anyOf"]
    assert {"type": "array", "items": {"type": "string"}} in options
    assert {"$ref": "#/components/schemas/FieldErrors"} in options


def test_request_bodies_are_json_except_the_upload(schema):
    for path, method, operation in _operations(schema):
        if "requestBody" not in operation:
            continue
        media_types = set(operation["requestBody"]["content"])
        expected = {"multipart/form-data"} if path == "/api/v1/files" else {"application/json"}
        assert media_types == expected, (method, path)


def test_put_like_patch_requires_no_field(schema):
    for method in ("put", "patch"):
        body = schema["paths"]["/api/v1/crm/accounts/{id}"][method]["requestBody"]
        request = _component(schema, body["content"]["application/json"]["schema"])
        assert not request.get("required"), method
        assert not body.get("required"), method


def test_answers_mark_what_may_be_null(schema):
    components = schema["components"]["schemas"]
    assert components["LeadList"]["properties"]["campaignId"]["nullable"] is True
    assert components["LeadDetail"]["properties"]["convertedAccountId"]["nullable"] is True
    assert components["ActivityList"]["properties"]["contactName"]["nullable"] is True
    assert components["AccountList"]["properties"]["createdBy"]["nullable"] is True
    assert not components["ActivityList"]["properties"]["accountName"].get("nullable")
    assert not components["AccountList"]["properties"]["accountNo"].get("nullable")


def test_input_fields_carry_the_constraints_the_api_enforces(schema):
    components = schema["components"]["schemas"]
    account = components["AccountInputRequest"]["properties"]
    assert account["creditLimit"]["multipleOf"] == 0.01
    assert account["creditLimit"]["minimum"] == 0
    name_pattern = re.compile(account["name"]["pattern"])
    assert name_pattern.search("  a ") and not name_pattern.search(" \t\u3000\x1c")
    lead_campaign = components["LeadInputRequest"]["properties"]["campaignId"]
    assert lead_campaign["nullable"] is True
    assert {"type": "string", "maxLength": 0} in lead_campaign["oneOf"]
    attachments = components["ActivityInputRequest"]["properties"]["attachmentIds"]
    assert attachments["items"] == {"type": "string", "format": "uuid"}


def test_optional_query_parameters_may_be_sent_empty(schema):
    trends = schema["paths"]["/api/v1/crm/analytics/trends"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter for parameter in trends}
    assert by_name["startDate"]["allowEmptyValue"] is True
    assert "allowEmptyValue" not in by_name["metric"]
    assert by_name["startDate"]["schema"]["pattern"] == "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"


def test_number_filters_document_their_bound(schema):
    parameters = schema["paths"]["/api/v1/crm/opportunities"]["get"]["parameters"]
    by_name = {parameter["name"]: parameter["schema"] for parameter in parameters}
    assert by_name["estimatedAmountMin"]["maximum"] == 1e50
    assert by_name["probability"]["maximum"] == int(1e50)


def test_record_ids_are_uuids_and_a_download_is_any_type(schema):
    download = schema["paths"]["/api/v1/files/{id}"]["get"]
    assert download["parameters"][0]["schema"] == {"type": "string", "format": "uuid"}
    assert set(download["responses"]["200"]["content"]) == {"*/*"}


def test_creates_link_to_the_operations_on_the_created_record(schema):
    links = schema["paths"]["/api/v1/crm/accounts"]["post"]["responses"]["200"]["links"]
    assert links["crm_accounts_retrieve"] == {
        "operationId": "crm_accounts_retrieve",
        "parameters": {"id": "$response.body#/data/id"},
    }
    assert {"crm_accounts_destroy", "crm_accounts_status_update"} <= set(links)
    upload_links = schema["paths"]["/api/v1/files"]["post"]["responses"]["200"]["links"]
    assert set(upload_links) == {"files_retrieve"}


def test_me_answers_an_empty_email_as_documented(schema, make_user):
    email = schema["components"]["schemas"]["Me"]["properties"]["email"]
    assert {"type": "string", "maxLength": 0} in email["oneOf"]
    response = client_for(make_user("noemail")).get("/api/v1/auth/me")
    assert response.status_code == 200
    assert response.json()["data"]["email"] == ""
