"""Schemathesis against the running gateway (real Rasa behind it), from the published OpenAPI
document: zero 5xx, zero crashes, and every error a JSON body with a message.

A short run here (FUZZ_API_EXAMPLES per operation and mode, 12 by default); `make bench` runs
it deep. Half of the cases on a session's routes carry a real session and its token, so that
fuzzed bodies reach the turn, Rasa and the NLG, not only the token check.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.integration.stack import Stack

pytestmark = pytest.mark.integration

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "12"))


def fetch_schema(stack: Stack) -> Any:
    document = httpx.get(f"{stack.url}/api/openapi.json", timeout=10).json()
    return schemathesis.openapi.from_dict(document)


def real_session(stack: Stack) -> tuple[str, str]:
    created = httpx.post(f"{stack.url}/api/sessions", json={"language": "en"}, timeout=10).json()
    return created["session"], created["token"]


def check_error_body(response: schemathesis.Response) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        content_type = response.headers.get("content-type", [""])[0]
        assert content_type.startswith("application/json"), (response.status_code, content_type)
        body = response.json()
        assert isinstance(body, dict) and isinstance(body.get("message"), str) and body["message"]


def operations(stack: Stack) -> list[Any]:
    return [result.ok() for result in fetch_schema(stack).get_all_operations()]


def fuzz(stack: Stack, operation: Any, mode: GenerationMode, http: requests.Session) -> None:
    """EXAMPLES cases of one operation in one mode, each checked."""
    stream = operation.path.endswith("/events")

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    def run(case: Any, real: bool) -> None:
        if real and "session" in (case.path_parameters or {}):
            session_id, token = real_session(stack)
            case.path_parameters["session"] = session_id
            if not stream:  # with the token the stream would never end
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        response = case.call(base_url=stack.url, session=http, timeout=30)
        check_error_body(response)
        checks = [not_a_server_error]
        if mode is GenerationMode.POSITIVE and not stream:
            checks.append(response_schema_conformance)
        case.validate_response(response, checks=checks)

    try:
        run()
    except Unsatisfiable:
        # Nothing to send wrong (no parameters, no body): negative mode has no case.
        assert mode is GenerationMode.NEGATIVE, operation.path


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
def test_the_api_under_fuzzing(stack: Stack, mode: GenerationMode) -> None:
    failures: list[str] = []
    http = requests.Session()
    for operation in operations(stack):
        try:
            fuzz(stack, operation, mode, http)
        except Exception as error:  # every operation's failure, reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert not failures, "\n\n".join(failures)
