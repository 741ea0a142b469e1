"""Authorization as one explicit matrix: endpoint (action) x HTTP method -> who may, and how.

Every request is checked here, after sign-in (``web.auth.require_login``) and before the view.
An endpoint without an entry is refused (default deny), so a new route is unreachable until
someone decides who may use it. The per-blueprint checks (``guard_blueprint``, ``role_required``)
stay as a second line; this matrix is never looser than they are.

Municipality: every signed-in action is scoped to the user's own gemeente. The services look
objects up with the user's gemeente in the WHERE clause, so a case, task, client or model version
of another gemeente answers 404 (not 403: we do not even confirm it exists). ``scope`` below
records which actions touch such an object; the route-walking test checks the 404s.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, g, request

from casework.roles import CASE_READ_ROLES, CASEWORK_ROLES, PARTY_READ_ROLES, ROLES, SPECIAL_CATEGORY_ROLES

ANYONE = frozenset({"*public*"})  # no sign-in needed
SIGNED_IN = frozenset(ROLES)  # any signed-in user
TOKEN = frozenset({"*token*"})  # REST API: bearer token with scopes (web/api/auth.py), no session

DESIGNERS = frozenset({"procesontwerper", "beheerder"})
AUDITORS = frozenset({"auditor"})
PRIVACY = frozenset({"privacy"})
FINANCE = frozenset({"financien"})
TEAMLEADS = frozenset({"teamleider"})
BEHEER = frozenset({"beheerder"})
LEADS = frozenset({"teamleider", "beheerder"})  # caseload handover and absence cover
# Who may see a client's BSN in full (a logged POST on the dossier): the people who contact the
# client or other agencies about them. Finance pays via the case, auditors see pseudonyms.
BSN_REVEAL_ROLES = frozenset({"casemanager", "teamleider", "arbeidsdeskundige"})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    write: bool = False  # changes something (auditors never get a write)
    # "gemeente": the object must be of the user's gemeente; "lane": a task of the user's gemeente in
    # a lane of one of the user's roles (casework/tasks.may_work); "none": no object.
    scope: str = "gemeente"


def _read(roles: frozenset[str], scope: str = "gemeente") -> Rule:
    return Rule(roles, False, scope)


def _write(roles: frozenset[str], scope: str = "gemeente") -> Rule:
    return Rule(roles, True, scope)


# endpoint -> {method: Rule}. HEAD and OPTIONS follow GET. POSTs marked read are searches that
# are POSTs only to keep a BSN out of URLs and access logs.
MATRIX: dict[str, dict[str, Rule]] = {
    "static": {"GET": _read(ANYONE, "none")},
    "health.health": {"GET": _read(ANYONE, "none")},
    "health.index": {"GET": _read(ANYONE, "none")},  # landing: redirects a signed-in user
    "auth.login": {"GET": _read(ANYONE, "none"), "POST": _read(ANYONE, "none")},
    "auth.logout": {"POST": _read(ANYONE, "none")},  # ends one's own session only
    # OpenID Connect sign-in (web/auth/oidc.py): public, like the sign-in page; 404 if not configured
    "oidc.start": {"GET": _read(ANYONE, "none")},
    "oidc.callback": {"GET": _read(ANYONE, "none")},
    # Worklist and tasks
    "worklist.index": {"GET": _read(CASE_READ_ROLES), "POST": _read(CASE_READ_ROLES)},
    "worklist.deadlines_page": {"GET": _read(CASEWORK_ROLES, "none")},  # termijnbewaking
    "worklist.claim": {"POST": _write(CASEWORK_ROLES, "lane")},
    "worklist.release": {"POST": _write(CASEWORK_ROLES)},
    # a task held by an absent colleague: their vervanger, a teammate or a teamleider (web/team/absence)
    "worklist.take_over": {"POST": _write(CASEWORK_ROLES, "lane")},
    "worklist.reassign": {"GET": _read(TEAMLEADS), "POST": _write(TEAMLEADS)},
    "tasks.show": {"GET": _read(CASE_READ_ROLES)},
    "tasks.post": {"POST": _write(CASEWORK_ROLES, "lane")},
    # Dossier and intake
    "dossier.show": {"GET": _read(CASE_READ_ROLES)},
    "dossier.by_case": {"GET": _read(CASE_READ_ROLES)},
    "dossier.note": {"POST": _write(SPECIAL_CATEGORY_ROLES)},  # notes can hold health data
    "dossier.new": {"GET": _read(CASEWORK_ROLES, "none"), "POST": _write(CASEWORK_ROLES, "none")},
    # Showing the full BSN changes nothing, but is logged and never for auditors: a write here.
    "dossier.reveal_bsn": {"POST": _write(BSN_REVEAL_ROLES)},
    "dossier.move_case_team": {"POST": _write(TEAMLEADS)},  # a case to another team (teamleider)
    "dossier.close_case": {"POST": _write(frozenset({"casemanager", "teamleider"}))},  # with its result
    # Case files: documents and bezwaar on a case (web/casefiles)
    "casefiles.download": {"GET": _read(CASE_READ_ROLES)},
    "casefiles.upload": {"POST": _write(CASEWORK_ROLES)},
    "casefiles.register_bezwaar": {"POST": _write(CASEWORK_ROLES)},
    "casefiles.decide_bezwaar": {"POST": _write(frozenset({"casemanager", "teamleider"}))},
    "casefiles.correct_task": {"POST": _write(frozenset({"teamleider"}))},  # casework/correction.py
    # a beschikking's letter and its review step (casework/letters.py)
    "brieven.show": {"GET": _read(CASE_READ_ROLES)},
    "brieven.check": {"POST": _write(frozenset({"casemanager", "teamleider"}))},
    "brieven.send": {"POST": _write(frozenset({"casemanager", "teamleider"}))},
    # a case's casemanager changed from its dossier (casework/team/case_casemanager.py)
    "casefiles.change_casemanager": {"POST": _write(TEAMLEADS)},
    # The register of providers and employers (issue 18 item 2; casework/parties.py)
    "partijen.index": {"GET": _read(PARTY_READ_ROLES, "none")},
    "partijen.show": {"GET": _read(PARTY_READ_ROLES)},
    "partijen.by_case": {"GET": _read(PARTY_READ_ROLES)},
    "partijen.new": {"GET": _read(PARTY_READ_ROLES, "none")},
    "partijen.create": {"POST": _write(PARTY_READ_ROLES, "none")},
    "partijen.edit": {"GET": _read(PARTY_READ_ROLES)},
    "partijen.update": {"POST": _write(PARTY_READ_ROLES)},
    "partijen.link": {"POST": _write(PARTY_READ_ROLES)},
    # Payments ledger: finance only (web/ledger)
    "ledger.index": {"GET": _read(FINANCE, "none")},
    "ledger.approve": {"POST": _write(FINANCE)},
    "ledger.paid": {"POST": _write(FINANCE)},
    "ledger.export": {"POST": _read(FINANCE, "none")},  # a CSV download; POST for its form fields
    # Audit area: read only
    "audit.index": {"GET": _read(AUDITORS, "none")},
    "audit.case": {"GET": _read(AUDITORS)},
    "audit.export_case_json": {"GET": _read(AUDITORS)},
    "audit.trail": {"GET": _read(AUDITORS)},
    "audit.trail_json": {"GET": _read(AUDITORS)},
    "audit.export_case_pdf": {"GET": _read(AUDITORS)},
    "audit.replay": {"GET": _read(AUDITORS)},
    "audit.replay_data": {"GET": _read(AUDITORS)},
    "audit.diagram": {"GET": _read(AUDITORS)},
    "audit.log": {"GET": _read(AUDITORS, "none"), "POST": _read(AUDITORS, "none")},
    "audit.register": {"GET": _read(AUDITORS, "none")},
    "audit.log_chain_check": {"GET": _read(AUDITORS, "none")},  # the own gemeente's log only
    # Inzage (AVG art. 15) for the privacy officer
    "privacy.index": {"GET": _read(PRIVACY, "none")},
    "privacy.export": {"POST": _read(PRIVACY, "none")},  # a search by BSN: POST keeps it out of URLs
    # Process designer
    "designer.index": {"GET": _read(DESIGNERS, "none")},
    "designer.process": {"GET": _read(DESIGNERS)},
    "designer.diff": {"GET": _read(DESIGNERS)},
    "designer.modeler": {"GET": _read(DESIGNERS)},
    "designer.bundle": {"GET": _read(DESIGNERS)},
    "designer.download": {"GET": _read(DESIGNERS)},
    "designer.validate": {"POST": _read(DESIGNERS, "none")},  # checks an upload, stores nothing
    "designer.submit": {"POST": _write(frozenset({"procesontwerper"}))},
    "designer.deactivate": {"POST": _write(frozenset({"procesontwerper"}))},
    "designer.reactivate": {"POST": _write(frozenset({"procesontwerper"}))},
    "designer.review": {"GET": _read(DESIGNERS)},
    "designer.approve": {"POST": _write(DESIGNERS)},
    "designer.refuse": {"POST": _write(DESIGNERS)},
    "designer.migration": {"GET": _read(DESIGNERS)},
    "designer.migrate": {"POST": _write(DESIGNERS)},
    "designer.revert": {"POST": _write(DESIGNERS)},
    "designer.add_test": {"POST": _write(DESIGNERS)},
    "designer.delete_test": {"POST": _write(DESIGNERS)},
    "designer.run_tests": {"POST": _write(DESIGNERS)},
    # The rule editor (issue 20 item 6): decisions are the user's gemeente's own, looked up with it
    "designer.rules": {"GET": _read(DESIGNERS, "none")},
    "designer.rule_editor": {"GET": _read(DESIGNERS)},
    "designer.rule_table": {"GET": _read(DESIGNERS)},
    "designer.rule_check": {"POST": _read(DESIGNERS)},  # checks an edit, stores nothing
    "designer.rule_submit": {"POST": _write(frozenset({"procesontwerper"}))},
    "designer.rule_review": {"GET": _read(DESIGNERS)},
    "designer.rule_approve": {"POST": _write(DESIGNERS)},
    "designer.rule_refuse": {"POST": _write(DESIGNERS)},
    # Management reports (issue 10): the teamleider of the gemeente; figures of the own gemeente only
    "reports.index": {"GET": _read(frozenset({"teamleider"}), "none")},
    "reports.show": {"GET": _read(frozenset({"teamleider"}), "none")},
    "reports.csv_download": {"GET": _read(frozenset({"teamleider"}), "none")},
    "reports.xlsx_download": {"GET": _read(frozenset({"teamleider"}), "none")},
    "reports.publish": {"POST": _write(frozenset({"teamleider"}), "none")},
    "reports.published": {"GET": _read(frozenset({"teamleider"}))},
    "reports.published_csv": {"GET": _read(frozenset({"teamleider"}))},
    "reports.published_xlsx": {"GET": _read(frozenset({"teamleider"}))},
    # Beheer screen (issue 4): users, roles, teams and settings of the beheerder's own gemeente.
    # "gemeente" scope: a user or team of another gemeente answers 404 (casework/accounts/admin.py).
    "beheer.index": {"GET": _read(BEHEER, "none")},
    "beheer.new": {"GET": _read(BEHEER, "none"), "POST": _write(BEHEER, "none")},
    "beheer.user": {"GET": _read(BEHEER)},
    "beheer.roles": {"POST": _write(BEHEER)},
    "beheer.status": {"POST": _write(BEHEER)},
    "beheer.password": {"POST": _write(BEHEER)},
    "beheer.team_create": {"POST": _write(BEHEER, "none")},
    "beheer.team_rename": {"POST": _write(BEHEER)},
    "beheer.settings": {"POST": _write(BEHEER, "none")},
    "beheer.letter_template": {"GET": _read(BEHEER, "none"), "POST": _write(BEHEER, "none")},
    "beheer.letter_preview": {"GET": _read(BEHEER, "none")},
    # Dead letters (issue 5): messages no case waited for, of the own gemeente; replay tries again
    "beheer.dead_letters": {"GET": _read(BEHEER, "none")},
    "beheer.replay_message": {"POST": _write(BEHEER)},
    # Destruction (Archiefwet): closed cases past their retention period, lists with four eyes
    "beheer.destruction_page": {"GET": _read(BEHEER, "none")},
    "beheer.destruction_propose": {"POST": _write(BEHEER, "none")},
    "beheer.destruction_approve": {"POST": _write(BEHEER)},
    # incidents: a case a failed background step put aside (issue 17); another gemeente's is a 404
    "beheer.incidents_page": {"GET": _read(BEHEER, "none")},
    "beheer.incident_retry": {"POST": _write(BEHEER)},
    "beheer.incident_cancel": {"POST": _write(BEHEER)},
    # Team page: caseload handover and absence cover; names and counts only, no client data
    "team.index": {"GET": _read(LEADS, "none")},
    "team.hand_over": {"POST": _write(LEADS, "none")},
    "team.mark_absent": {"POST": _write(LEADS, "none")},
    "team.end_absence": {"POST": _write(LEADS)},
    # The public workplace offer (issue 3 item 6): the one page without sign-in
    "aanbod.form": {"GET": _read(ANYONE, "none"), "POST": _read(ANYONE, "none")},  # the one public form
}


def rule_for(endpoint: str | None, method: str) -> Rule | None:
    """The rule for a request; None means refuse. The REST API is token-authorized (scopes)."""
    if endpoint is None:
        return None
    if endpoint.startswith("api."):
        return Rule(TOKEN, method not in ("GET", "HEAD", "OPTIONS"), "gemeente")
    rules = MATRIX.get(endpoint, {})
    return rules.get("GET" if method in ("HEAD", "OPTIONS") else method)


def allowed(roles: frozenset[str], endpoint: str, method: str) -> bool:
    """May a signed-in user with ``roles`` use this endpoint/method? (for templates and tests)"""
    rule = rule_for(endpoint, method)
    if rule is None or rule.roles == TOKEN:
        return False
    return rule.roles == ANYONE or bool(roles & rule.roles)


def enforce():
    """before_request: refuse what the matrix does not allow (runs after the sign-in hook)."""
    if request.routing_exception is not None:
        return None  # no such page or method: the router's own 404/405
    rule = rule_for(request.endpoint, request.method)
    if rule is None:
        abort(403)  # default deny: nobody decided who may do this
    if rule.roles in (ANYONE, TOKEN):
        return None  # public, or the API's own bearer-token check
    user = g.get("user")
    if user is None:
        abort(403)  # the sign-in hook redirects first; this is the backstop
    if not user.roles & rule.roles:
        abort(403)
    return None


def may(endpoint: str, method: str = "GET") -> bool:
    """For templates: show a button only to users the matrix lets use it."""
    user = g.get("user")
    return user is not None and allowed(user.roles, endpoint, method)


def init_app(app: Flask) -> None:
    app.before_request(enforce)
    app.context_processor(lambda: {"may": may})
