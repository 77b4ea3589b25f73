"""The published OpenAPI document (/api/openapi.json) matches the gateway's real routes."""

from __future__ import annotations

import re

import schemathesis
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.gateway.openapi import spec

DOCUMENTED_OUTSIDE_API = {"/healthz", "/readyz"}


def real_operations(client: TestClient) -> set[tuple[str, str]]:
    found = set()
    for route in client.app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route):
            continue
        if route.path.startswith("/api/") or route.path in DOCUMENTED_OUTSIDE_API:
            for method in route.methods or ():
                if method != "HEAD":
                    # Starlette's converters ({file_id:int}) are not part of OpenAPI's path.
                    found.add((re.sub(r":\w+}", "}", route.path), method.lower()))
    return found


def documented_operations() -> set[tuple[str, str]]:
    methods = {"get", "post", "put", "patch", "delete"}
    return {
        (path, method)
        for path, item in spec()["paths"].items()
        for method in item
        if method in methods
    }


def test_every_route_is_documented_and_every_documented_operation_exists(
    client: TestClient,
) -> None:
    assert real_operations(client) == documented_operations()


def test_the_document_is_served_and_is_valid_openapi(client: TestClient) -> None:
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.json() == spec()
    schema = schemathesis.openapi.from_dict(served.json())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(documented_operations())


def test_every_documented_error_is_a_json_object_with_a_message() -> None:
    error = spec()["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "message"}
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            for status, response in operation["responses"].items():
                if int(status) >= 400 and path not in DOCUMENTED_OUTSIDE_API:
                    assert response == {"$ref": "#/components/responses/Error"}, (path, status)


def test_starlettes_own_refusals_are_json_with_a_message(client: TestClient) -> None:
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404
    assert missing.json() == {"error": "not_found", "message": "Not Found"}
    wrong = client.put("/api/sessions")
    assert wrong.status_code == 405 and wrong.json()["error"] == "method_not_allowed"
    assert "POST" in wrong.headers["allow"]
