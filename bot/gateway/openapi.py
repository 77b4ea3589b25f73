"""GET /api/openapi.json: the web chat API's OpenAPI document (openapi.yml beside this file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

SPEC = Path(__file__).resolve().parent / "openapi.yml"


@lru_cache(maxsize=1)
def spec() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return found


async def document(request: Request) -> Response:
    return JSONResponse(spec(), headers={"Cache-Control": "no-cache"})
