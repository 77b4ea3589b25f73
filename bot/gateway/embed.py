"""GET /embed.js: one script tag puts the web chat on a council's page, in a framed panel."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

# The chat itself stays on the gateway's origin (its own storage and API), inside an iframe.
SCRIPT = r"""(function () {
  var me = document.currentScript;
  var origin = new URL(me.src).origin;
  var language = me.getAttribute("data-language") || "";
  var label = me.getAttribute("data-label") || "Chat with the Family Hub helper";
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;padding:14px 18px;" +
    "font:600 17px/1.2 system-ui,sans-serif;color:#fff;background:#0b5394;border:0;border-radius:24px;" +
    "box-shadow:0 2px 8px rgba(0,0,0,.3);cursor:pointer";
  var frame = document.createElement("iframe");
  frame.title = label;
  // Voice notes: the page inside asks for the microphone only while a mentor is in the chat.
  frame.setAttribute("allow", "microphone");
  frame.src = origin + "/" + (language ? "?language=" + encodeURIComponent(language) : "");
  frame.style.cssText = "position:fixed;right:16px;bottom:76px;z-index:2147483000;width:min(400px,calc(100vw - 32px));" +
    "height:min(640px,calc(100vh - 100px));border:1px solid #888;border-radius:12px;background:#fff;display:none";
  button.addEventListener("click", function () {
    var open = frame.style.display === "none";
    frame.style.display = open ? "block" : "none";
    button.setAttribute("aria-expanded", String(open));
    if (open) { frame.focus(); }
  });
  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
"""


async def script(request: Request) -> Response:
    return Response(
        SCRIPT,
        media_type="application/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )
