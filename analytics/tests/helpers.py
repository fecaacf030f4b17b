"""Calling the analytics endpoints."""

BASE = "/api/v1/crm/analytics"


def fetch(client, endpoint: str, **params):
    return client.get(f"{BASE}/{endpoint}", params)


def figures(client, endpoint: str, **params) -> dict:
    response = fetch(client, endpoint, **params)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["code"] == 200
    return body["data"]
