"""HTTP hardening: security headers on every page for every role, and a Dutch 413."""
from __future__ import annotations

from casework.accounts.service import create_user
from tests.web.helpers import PASSWORD, login

PAGES = {  # main pages per role (the landing page and the areas in its menu)
    "cm": ["/werkvoorraad", "/dossier/nieuw"],
    "lead": ["/werkvoorraad"],
    "fin": ["/werkvoorraad"],
    "aud": ["/audit/", "/audit/logboek", "/audit/verwerkingsregister"],
    "ontwerp": ["/ontwerp"],
    "priv": ["/inzage"],
}


def _check(response, where: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, where
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "no-referrer", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert "camera=()" in headers.get("Permissions-Policy", ""), where


def test_every_main_page_sends_the_security_headers(app, engine, case):
    create_user(engine.db, "aud", PASSWORD, "Audrey", "ooststellingwerf", ["auditor"])
    create_user(engine.db, "ontwerp", PASSWORD, "Otto", "ooststellingwerf", ["procesontwerper"])
    create_user(engine.db, "priv", PASSWORD, "Priya", "ooststellingwerf", ["privacy"])
    anonymous = app.test_client()
    for path in ("/login", "/health", "/", "/werkvoorraad", "/bestaat-niet", "/static/trede.css"):
        _check(anonymous.get(path), path)
    for username, paths in PAGES.items():
        client = app.test_client()
        _check(login(client, username), f"sign-in {username}")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (username, path)
            assert response.headers.get("Cache-Control") == "no-store", path
            _check(response, f"{username} {path}")
        _check(client.get("/ontwerp" if username != "ontwerp" else "/audit/"), f"{username} 403")


def test_templates_have_no_inline_script_or_event_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "web"
    bad = []
    for template in root.rglob("*.html"):
        text = template.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match[0]:
                bad.append(f"{template}: inline {match[0]}")
        if re.search(r"\son[a-z]+\s*=", text):
            bad.append(f"{template}: on*= handler")
        if "javascript:" in text:
            bad.append(f"{template}: javascript: URL")
    assert bad == []


def test_too_large_upload_gets_a_dutch_message(app, signed_in):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    client = signed_in("cm")
    response = client.post("/werkvoorraad", data={"q": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413 and "te groot" in response.get_data(as_text=True)
    response = client.post("/ontwerp/valideren", data=b"{" + b" " * (2 * 1024 * 1024),
                           content_type="application/json")
    assert response.status_code == 413 and "te groot" in response.get_json()["error"]
    assert response.headers.get("Content-Security-Policy")
