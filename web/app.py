"""Application factory: configuration, the engine, blueprints and error pages."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template

import casework.tables  # noqa: F401 - registers its tables and retention hook with the engine
import processes.tables  # noqa: F401 - likewise
import web.tables  # noqa: F401 - likewise
from casework import log_privacy
from casework.settings import Settings
from engine.service import CaseEngine
from engine.storage.db import database_url
from processes.wiring import build_case_engine

log = logging.getLogger("trede.web")
SETTINGS = "trede.settings"


def create_app(test_config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """The web app. ``settings`` default to the environment's (read here, once); ``test_config``
    overrides single Flask config values. Outside development there must be a secret key."""
    log_privacy.install()  # BSNs never in logs, also in errors we do not write ourselves
    settings = settings or Settings.from_environ()
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE_URL=settings.database_url,
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=10 * 1024 * 1024,
        # Session cookie: never readable by scripts, never on cross-site POSTs, https only unless
        # TREDE_SESSION_COOKIE_SECURE=0 (local http). Idle timeout in minutes (web/auth).
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        SESSION_IDLE_MINUTES=settings.session_idle_minutes,
        SESSION_MAX_HOURS=settings.session_max_hours,  # absolute lifetime, kept on the server
        JSON_SORT_KEYS=False,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = settings.web_secret_key()  # refuses outside development
    app.config["DATABASE_URL"] = database_url(app.config["DATABASE_URL"])
    app.extensions[SETTINGS] = settings
    app.extensions["trede.engine"] = build_engine(app.config, settings)

    from web import auth, authz, health, http_security
    from web.api import bp as api_bp
    from web.audit.routes import bp as audit_bp
    from web.designer.routes import bp as designer_bp
    from web.dossier.routes import bp as dossier_bp
    from web.partijen.routes import bp as partijen_bp
    from web.privacy.routes import bp as privacy_bp
    from web.reports.routes import bp as reports_bp
    from web.tasks.routes import bp as tasks_bp
    from web.worklist.routes import bp as worklist_bp

    app.register_blueprint(health.bp)
    app.register_blueprint(api_bp)
    auth.init_app(app)  # sign-in blueprint, sign-in-required hook, CSRF protection
    authz.init_app(app)  # the role x action matrix, after sign-in; default deny
    http_security.init_app(app)  # security headers on every response, Dutch 413
    app.register_blueprint(worklist_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(dossier_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(designer_bp)
    app.register_blueprint(privacy_bp)  # inzage (AVG art. 15)
    app.register_blueprint(partijen_bp)  # providers and employers (issue 18 item 2)
    from web.casefiles import register as register_casefiles  # ledger, documents, bezwaar, public offer
    register_casefiles(app)
    app.register_blueprint(reports_bp)
    from web.beheer.routes import bp as beheer_bp
    from web.team.routes import bp as team_bp
    app.register_blueprint(beheer_bp)  # users, roles, teams, settings (beheerder)
    app.register_blueprint(team_bp)  # caseload handover, absence cover (teamleider, beheerder)
    _register_error_pages(app)
    return app


def build_engine(config: Mapping[str, Any], settings: Settings) -> CaseEngine:
    """The engine the app serves, with the municipality rule packs plugged in."""
    engine = build_case_engine(config["DATABASE_URL"], clock=config.get("CLOCK"), sealer=settings.sealer(),
                               data_keys=settings.data_key_source(),
                               max_state_bytes=settings.max_state_kb * 1024)
    if config.get("DECISIONS") is not None:
        engine.runtime.decisions = config["DECISIONS"]
    return engine


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", title="Niet gevonden",
                               message="Deze pagina bestaat niet."), 404

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("error.html", title="Er ging iets mis",
                               message="Er ging iets mis aan onze kant. Probeer het later opnieuw."), 500


def settings_of(app: Flask) -> Settings:
    return app.extensions[SETTINGS]
