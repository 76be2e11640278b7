namespace OpenList.DriverHost.Relay.Pages;

/// <summary>
/// The pages' only script and style sheet, served from <c>/relay/static/</c> on the relay's own origin (the CSP
/// allows nothing else: no inline script or style, no CDN). The script only reads <c>data-*</c> attributes and
/// writes with <c>textContent</c> and the clipboard API; it never builds HTML.
/// </summary>
internal static class RelayStaticAssets
{
    public const string ScriptPath = "/relay/static/relay.js";
    public const string StylePath = "/relay/static/relay.css";

    public const string Script = """
        "use strict";
        (function () {
          function copyText(text, button) {
            function done(ok) {
              var label = button.getAttribute("data-label") || button.textContent;
              button.setAttribute("data-label", label);
              button.textContent = ok ? "Copied" : "Select and copy by hand";
              setTimeout(function () { button.textContent = label; }, 2000);
            }
            if (navigator.clipboard && window.isSecureContext) {
              navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
              return;
            }
            var area = document.createElement("textarea");
            area.value = text;
            area.setAttribute("readonly", "");
            area.className = "offscreen";
            document.body.appendChild(area);
            area.select();
            var ok = false;
            try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
            document.body.removeChild(area);
            done(ok);
          }

          document.querySelectorAll("button[data-copy]").forEach(function (button) {
            button.addEventListener("click", function () {
              var source = document.getElementById(button.getAttribute("data-copy"));
              if (!source) { return; }
              var text = "value" in source && source.tagName === "TEXTAREA" ? source.value : source.textContent;
              copyText(text, button);
            });
          });

          var waiting = document.querySelector("[data-status-url]");
          if (!waiting) { return; }
          var statusUrl = waiting.getAttribute("data-status-url");
          var resultUrl = waiting.getAttribute("data-result-url");
          var line = document.getElementById("status");
          var delay = 3000;
          function poll() {
            fetch(statusUrl, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "application/json" } })
              .then(function (response) {
                if (response.status === 429) { delay = Math.min(delay * 2, 30000); return null; }
                return response.json();
              })
              .then(function (body) {
                if (!body) { setTimeout(poll, delay); return; }
                if (line && typeof body.message === "string") { line.textContent = body.message; }
                if (body.status === "done" || body.status === "failed" || body.status === "expired") {
                  window.location.assign(resultUrl);
                  return;
                }
                if (body.status === "none") { return; }
                setTimeout(poll, delay);
              })
              .catch(function () { setTimeout(poll, Math.min(delay * 2, 30000)); });
          }
          setTimeout(poll, delay);
        })();
        """;

    public const string Style = """
        :root { color-scheme: light dark; }
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; line-height: 1.5; }
        main { max-width: 46rem; margin: 0 auto; padding: 1.5rem; }
        h1 { font-size: 1.5rem; margin-top: 0; }
        h2 { font-size: 1.15rem; margin-top: 1.75rem; }
        ul.providers { padding-left: 1.2rem; }
        section.option { border: 1px solid #8886; border-radius: 0.5rem; padding: 0.75rem 1rem; margin: 1rem 0; }
        button, a.button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 0.35rem; border: 1px solid #8888; cursor: pointer; display: inline-block; text-decoration: none; color: inherit; }
        button.primary, a.button.primary { background: #2563eb; color: #fff; border-color: #2563eb; }
        textarea, pre { width: 100%; box-sizing: border-box; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.85rem; }
        textarea { min-height: 4.5rem; resize: vertical; word-break: break-all; }
        pre { white-space: pre-wrap; word-break: break-all; border: 1px solid #8886; border-radius: 0.35rem; padding: 0.6rem; }
        code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; word-break: break-all; }
        .usercode { font-size: 2rem; letter-spacing: 0.2rem; font-weight: 600; }
        img.qr { width: 15rem; height: 15rem; image-rendering: pixelated; background: #fff; }
        .error { border-left: 0.3rem solid #dc2626; padding-left: 0.8rem; }
        .hint { color: #6b7280; font-size: 0.9rem; }
        .offscreen { position: fixed; left: -9999px; top: 0; }
        label { font-weight: 600; display: block; margin-top: 1rem; }
        """;
}
