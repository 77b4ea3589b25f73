"""The security headers of every response, and every Content-Security-Policy, built here.

The web chat page and the API get a policy that lets the page load only what the gateway
serves (`default-src 'none'`, then `'self'` for script, style and its API), play and show
voice notes and photos from `blob:` URLs (media.js fetches them with the token in a header,
never in a URL), and be framed only by the sites in FRAME_ANCESTORS (councils that embed the
chat). The staff's report pages (`bot/gateway/staff.py`) send their own, stricter
policy, which is left as it is. Every response gets nosniff and a Referrer-Policy that sends no
address anywhere: not to the neutral site the quick exit leaves for, nor to a service's website.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# /staff/*: the report's charts are data: images; nothing may frame it.
STAFF_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def page_policy(frame_ancestors: Iterable[str] = ()) -> str:
    """The web chat's policy; `frame_ancestors` are the origins that may frame it."""
    ancestors = " ".join(frame_ancestors) or "'none'"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        "img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; "
        f"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    )


class SecurityHeaders:
    """Adds the headers above to every HTTP response that does not set its own policy."""

    def __init__(self, app: ASGIApp, frame_ancestors: Iterable[str] = ()) -> None:
        self.app = app
        self.ancestors = list(frame_ancestors)
        self.policy = page_policy(self.ancestors)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.policy
                    if not self.ancestors:  # for browsers that predate frame-ancestors
                        headers.setdefault("X-Frame-Options", "DENY")
                if api:  # a shared phone's browser keeps no copy of a conversation
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)
