"""HTTP hardening: security headers on every response, and a Dutch answer to a too-large upload.

The Content-Security-Policy allows scripts only from our own origin: no inline <script>, no on*=
handlers, no eval. Styles allow 'unsafe-inline' because bpmn-js and dmn-js set style attributes
and inject <style> elements at runtime; CSS cannot run code, so this does not reopen XSS.
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",  # modeler icons are data: URIs; downloads are blob: links
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # a URL may carry a case number; other sites never see it
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.register_error_handler(413, too_large)


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # Pages hold personal data: no copies in browser or proxy caches (back button after sign-out).
        response.headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def too_large(_error):
    limit = (request.max_content_length or 0) // (1024 * 1024)  # the route's own cap, if it set one
    message = f"Het bestand of formulier is te groot. De grens is {limit} MB."
    wants_json = request.is_json or request.accept_mimetypes.best == "application/json"
    if request.path.startswith("/api/") or wants_json:
        return jsonify({"ok": False, "error": message, "status": 413}), 413
    return render_template("error.html", title="Te groot", message=message), 413
