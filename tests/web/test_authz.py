"""The authorization matrix: every route in the app, for every role, another gemeente and anonymous."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from casework.accounts.service import create_user
from casework.roles import ROLES, may_work_in_lane
from engine.storage.db import cases
from tests.web.helpers import PASSWORD, deploy, login, start_case
from web import authz
from web.app import create_app

# The only POSTs an auditor may make: searches, POSTs only to keep a BSN out of URLs and logs.
SEARCHES = {"audit.log", "worklist.index"}
OTHER = "andere-gemeente"  # a user of Apeldoorn with every role: role checks pass, data must not


@pytest.fixture
def walk_app(db_url):
    # CSRF off so that a POST reaches the authorization check (CSRF has its own tests).
    app = create_app({"DATABASE_URL": db_url, "TESTING": True, "SECRET_KEY": "test-secret",
                      "WTF_CSRF_ENABLED": False, "PSEUDONYM_KEY": "00112233445566778899aabbccddeeff"})
    engine = app.extensions["trede.engine"]
    deploy(engine)
    hashed = generate_password_hash(PASSWORD)
    for role in ROLES:
        create_user(engine.db, role, PASSWORD, role.title(), "ooststellingwerf", [role], password_hash=hashed)
    create_user(engine.db, OTHER, PASSWORD, "Anna Apeldoorn", "apeldoorn", list(ROLES), password_hash=hashed)
    yield app
    engine.db.dispose()


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule, values: dict) -> str:
    path = rule.rule
    for arg in rule.arguments:
        path = path.replace(f"<{arg}>", str(values.get(arg, "1")))
        for conv in ("int", "path"):
            path = path.replace(f"<{conv}:{arg}>", str(values.get(arg, "1")))
    return path


def test_every_route_has_an_entry_in_the_matrix(walk_app):
    missing = [(rule.endpoint, method) for rule, method in _routes(walk_app)
               if authz.rule_for(rule.endpoint, method) is None]
    assert missing == []
    stale = set(authz.MATRIX) - {rule.endpoint for rule in walk_app.url_map.iter_rules()}
    assert stale == set(), "matrix entries for routes that do not exist"


def test_an_endpoint_without_entry_is_refused(walk_app):
    walk_app.add_url_rule("/nieuw-zonder-regel", "zonder_regel", lambda: "open")
    client = walk_app.test_client()
    assert login(client, "beheerder").status_code == 302
    assert client.get("/nieuw-zonder-regel").status_code == 403


def test_auditors_never_get_a_write_action():
    for endpoint, methods in authz.MATRIX.items():
        for method, rule in methods.items():
            if method == "POST" and "auditor" in rule.roles:
                assert not rule.write and endpoint in SEARCHES, endpoint


def test_walk_every_route_for_every_role_another_gemeente_and_anonymous(walk_app):
    engine = walk_app.extensions["trede.engine"]
    ref, _ = start_case(engine)
    task = engine.ready_tasks(case_id=ref.id)[0]
    with engine.db.connect() as conn:
        client_id = conn.execute(select(cases.c.client_id).where(cases.c.id == ref.id)).scalar_one()
    values = {"case_id": ref.id, "case_number": ref.case_number, "task_id": task.task_id,
              "client_id": client_id, "instance_id": task.instance_id, "filename": "trede.css"}
    users = [*ROLES, OTHER, None]
    clients = {}
    for username in users:
        clients[username] = walk_app.test_client()
        if username:
            assert login(clients[username], username).status_code == 302
    failures = []
    for rule, method in _routes(walk_app):
        if rule.endpoint.startswith("api.") or rule.endpoint == "auth.logout":
            continue  # API: bearer tokens (below and tests/api); logout would end the walk's sessions
        matrix_rule = authz.rule_for(rule.endpoint, method)
        url = _url(rule, values)
        for username in users:
            status = clients[username].open(url, method=method).status_code
            if username is None:
                expected = "public" if matrix_rule.roles == authz.ANYONE else 302
            elif username == OTHER:
                expected = 404 if matrix_rule.scope == "gemeente" and _case_data(rule) else "ok"
            else:
                roles = frozenset({username})
                expected = "ok" if authz.allowed(roles, rule.endpoint, method) else 403
                lane_ok = may_work_in_lane(roles, task.lane) or "teamleider" in roles
                if expected == "ok" and matrix_rule.scope == "lane" and not lane_ok:
                    expected = "refused"  # 403 on the form; the claim button flashes why and redirects
            if not _matches(expected, status):
                failures.append((method, url, username, expected, status))
            public = matrix_rule.roles == authz.ANYONE
            if username == "auditor" and method == "POST" and status < 400 and not public:
                assert rule.endpoint in SEARCHES, f"auditor succeeded at POST {url}"
    assert failures == []


def test_the_api_refuses_a_session_without_token(walk_app):
    client = walk_app.test_client()
    login(client, "beheerder")
    for rule, method in _routes(walk_app):
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi":
            assert client.open(_url(rule, {}), method=method).status_code == 401, rule.rule


def _case_data(rule) -> bool:
    """Routes about one case, task or client: those must be invisible to another gemeente."""
    return bool({"case_id", "case_number", "task_id", "client_id"} & set(rule.arguments))


def _matches(expected, status: int) -> bool:
    if expected == "public":
        return status < 500 and status not in (401, 403)
    if expected == "refused":
        return status in (302, 403)
    if expected == "ok":  # allowed: whatever the page answers, but not refused and not broken
        return status < 500 and status not in (401, 403)
    return status == expected
